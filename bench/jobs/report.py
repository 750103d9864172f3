#!/usr/bin/env python3
"""Turns bench/results/jobs-latest.txt (key=value) into the Markdown report of the backup-job benchmark."""
import sys

v = {}
for line in open(sys.argv[1]):
    if "=" in line:
        k, x = line.rstrip("\n").split("=", 1)
        v[k] = x


def f(k):
    return float(v[k])


def mb(b):
    return f"{float(b) / 1e6:.1f} MB"


def yes(ok):
    return "yes" if ok else "**no**"


def rounds(k):
    """Each round's job time of way k (or pg_dump's time)."""
    return [float(x) for x in v[f"rounds_{k}_s"].split()]


def cpu(k):
    """Each round's server CPU for way k."""
    return [float(x) for x in v[f"rounds_{k}_cpu_s"].split()]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def paired(a, b, series=rounds):
    """Median over the rounds of a's figure / b's figure in the same round (times, or cpu)."""
    return median([x / y for x, y in zip(series(a), series(b))])


def spread(xs):
    return f"{median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"



n_rounds = len(rounds("default"))
ratio_job = f("default_first_job_s") / f("rounds_pg_dump_median_s")
ratio_job_paired = paired("default", "pg_dump")
ratio_cold = f("cold_first_job_s") / f("rounds_pg_dump_median_s")
append_share = f("append_stored_bytes") / f("first_stored_bytes")
update_vs_zstd = f("update_stored_bytes") / f("dump_zstd3_bytes_after_update")
telemetry_cost = paired("default", "quiet") - 1
watched_cost = paired("watched", "default") - 1
telemetry_cpu = paired("default", "quiet", cpu) - 1
watched_cpu = paired("watched", "default", cpu) - 1
# The shipped intervals save a job's progress every 2 s and sample its speed every 5 s, looked at once a second: a job
# of t seconds makes floor(t / 2) saves and floor(t / 5) samples. The dense way makes a save and a sample every
# 100 ms (its chart's points count the samples). Its extra cost per save-and-sample, times the shipped count, bounds
# the shipped cost; where the dense way's cost is below the run's noise, the noise is taken as its cost.
dense_cost = paired("dense", "quiet") - 1
dense_cpu = paired("dense", "quiet", cpu) - 1
dense_samples = median([float(x) for x in v["rounds_dense_samples"].split()])
shipped_job_s = median(rounds("default"))
shipped_ops = int(shipped_job_s // 2) + int(shipped_job_s // 5)
dense_ops = 2 * dense_samples
# the run's own noise: how far apart two ways that differ in nothing that matters for the job land, at the median
noise = median([abs(x / y - 1) for x, y in zip(rounds("default"), rounds("quiet"))])
bound_time = max(dense_cost, noise) * shipped_ops / dense_ops
bound_cpu = max(dense_cpu, noise) * shipped_ops / dense_ops

print(f"""### {v['date']} — backup jobs on a pgbench database (scale {v['scale']})

Host: {v['host']}; load average {v['load_start']} at the start, {v['load_end']} at the end. Database
{mb(v['db_bytes'])} on disk; its dump (custom format, uncompressed) {mb(v['dump_custom_bytes'])}, gzip
{mb(v['dump_gzip_bytes'])}, zstd-3 {mb(v['dump_zstd3_bytes'])}.

| what | seconds |
|---|---:|
| `pg_dump > /dev/null` (plain SQL, median of {v['repeat']} before the jobs) | {f('pg_dump_plain_s'):.2f} |
| `pg_dump -Fc -Z0 > /dev/null` (the format Cairn stores) | {f('pg_dump_custom_s'):.2f} |
| `pg_dump \\| gzip > /dev/null` (how dump-and-gzip tools keep it) | {f('pg_dump_gzip_s'):.2f} |
| Cairn job, first backup (all data new) | {f('first_job_s'):.2f} |
| Cairn job, again with nothing changed | {f('repeat_job_s'):.2f} |
| Cairn job after appending 1% rows | {f('append_job_s'):.2f} |
| Cairn job after updating 1% of rows | {f('update_job_s'):.2f} |

First backups into fresh servers, {n_rounds} rounds (each round: `pg_dump > /dev/null`, then each way once, in
rotating order); median (min-max) of the job's time and of the CPU the server process used for it:

| way | seconds | server CPU seconds |
|---|---:|---:|
| `pg_dump > /dev/null` | {spread(rounds('pg_dump'))} | |
| Cairn job, as shipped (after four warm-up jobs) | {spread(rounds('default'))} | {spread(cpu('default'))} |
| the same with telemetry sampling and progress saving off | {spread(rounds('quiet'))} | {spread(cpu('quiet'))} |
| the same with both every 100 ms (median {dense_samples:.0f} samples and as many saves) | {spread(rounds('dense'))} | {spread(cpu('dense'))} |
| the same with 50 clients on the event stream | {spread(rounds('watched'))} | {spread(cpu('watched'))} |
| Cairn job on a server that has just started | {spread(rounds('cold'))} | {spread(cpu('cold'))} |

| target | measured | goal | met |
|---|---:|---:|:---:|
| first backup job time vs `pg_dump > /dev/null` (medians of the rounds; paired per round) | {ratio_job:.2f}x; {ratio_job_paired:.2f}x | ≤ 1.20x | {yes(ratio_job <= 1.2 and ratio_job_paired <= 1.2)} |
| the same, first job after the server started | {ratio_cold:.2f}x | (≤ 1.20x) | {yes(ratio_cold <= 1.2)} |
| stored after +1% rows, vs the first backup's stored size | {append_share * 100:.1f}% ({mb(v['append_stored_bytes'])} of {mb(v['first_stored_bytes'])}) | ≤ 10% | {yes(append_share <= 0.10)} |
| stored after 1% rows updated, vs a zstd-3 dump | {update_vs_zstd:.2f}x ({mb(v['update_stored_bytes'])} vs {mb(v['dump_zstd3_bytes_after_update'])}) | ≤ 1.00x | {yes(update_vs_zstd <= 1.0)} |
| cost of live progress and telemetry (median over rounds of as shipped / sampling off), measured directly: job time; server CPU | {telemetry_cost * 100:+.1f}%; {telemetry_cpu * 100:+.1f}% | (< 2%, noise {noise * 100:.1f}%) | {yes(telemetry_cost < 0.02)}; {yes(telemetry_cpu < 0.02)} |
| the same, bounded through the dense way: its cost ({dense_cost * 100:+.1f}% time, {dense_cpu * 100:+.1f}% CPU; at least the noise, {noise * 100:.1f}%) x {shipped_ops} shipped / {dense_ops:.0f} dense saves and samples | {bound_time * 100:.2f}%; {bound_cpu * 100:.2f}% | < 2% | {yes(bound_time < 0.02)}; {yes(bound_cpu < 0.02)} |
| 50 clients on the event stream (median over rounds of watched / as shipped): job time; server CPU | {watched_cost * 100:+.1f}%; {watched_cpu * 100:+.1f}% | < 2% | {yes(watched_cost < 0.02)}; {yes(watched_cpu < 0.02)} |

Pairs of first backups in one round differ by {noise * 100:.1f}% at the median (as shipped against sampling off).
""")
