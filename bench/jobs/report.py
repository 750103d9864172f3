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


ratio_job = f("first_job_s") / f("pg_dump_plain_s")
append_share = f("append_stored_bytes") / f("first_stored_bytes")
update_vs_zstd = f("update_stored_bytes") / f("dump_zstd3_bytes_after_update")
telemetry_cost = f("default_first_job_s") / f("quiet_first_job_s") - 1
watched_cost = f("watched_first_job_s") / f("default_first_job_s") - 1

print(f"""### {v['date']} — backup jobs on a pgbench database (scale {v['scale']})

Host: {v['host']}; load average {v['load_start']} at the start, {v['load_end']} at the end. Database
{mb(v['db_bytes'])} on disk; its dump (custom format, uncompressed) {mb(v['dump_custom_bytes'])}, gzip
{mb(v['dump_gzip_bytes'])}, zstd-3 {mb(v['dump_zstd3_bytes'])}.

| what | seconds |
|---|---:|
| `pg_dump > /dev/null` (plain SQL) | {f('pg_dump_plain_s'):.2f} |
| `pg_dump -Fc -Z0 > /dev/null` (the format Cairn stores) | {f('pg_dump_custom_s'):.2f} |
| `pg_dump \\| gzip > /dev/null` (how dump-and-gzip tools keep it) | {f('pg_dump_gzip_s'):.2f} |
| Cairn job, first backup (all data new) | {f('first_job_s'):.2f} |
| the same on a server that has just started (median of {v.get('repeat', '3')}) | {f('cold_first_job_s'):.2f} |
| Cairn job, again with nothing changed | {f('repeat_job_s'):.2f} |
| Cairn job after appending 1% rows | {f('append_job_s'):.2f} |
| Cairn job after updating 1% of rows | {f('update_job_s'):.2f} |

| target | measured | goal | met |
|---|---:|---:|:---:|
| first backup job time vs `pg_dump > /dev/null` | {ratio_job:.2f}x | ≤ 1.20x | {yes(ratio_job <= 1.2)} |
| the same, first job after the server started | {f('cold_first_job_s') / f('pg_dump_plain_s'):.2f}x | (≤ 1.20x) | {yes(f('cold_first_job_s') / f('pg_dump_plain_s') <= 1.2)} |
| stored after +1% rows, vs the first backup's stored size | {append_share * 100:.1f}% ({mb(v['append_stored_bytes'])} of {mb(v['first_stored_bytes'])}) | ≤ 10% | {yes(append_share <= 0.10)} |
| stored after 1% rows updated, vs a zstd-3 dump | {update_vs_zstd:.2f}x ({mb(v['update_stored_bytes'])} vs {mb(v['dump_zstd3_bytes_after_update'])}) | ≤ 1.00x | {yes(update_vs_zstd <= 1.0)} |
| cost of live progress and telemetry (median first job, default vs sampling off) | {telemetry_cost * 100:+.1f}% ({f('default_first_job_s'):.2f} s vs {f('quiet_first_job_s'):.2f} s) | < 2% | {yes(telemetry_cost < 0.02)} |
| 50 clients on the event stream (median first job, watched vs default) | {watched_cost * 100:+.1f}% ({f('watched_first_job_s'):.2f} s) | not measurable | {yes(watched_cost < 0.05)} |
""")
