#!/usr/bin/env python3
"""Render bench/run.sh's raw key=value results as the Markdown table of bench/results/latest.md.

    report.py results.txt > latest.md

Missing figures (a tool not run, e.g. `run.sh --only restic`) are shown as "pending".
"""
import sys

PHASES = [("init", "init"), ("first", "first backup"), ("nochange", "re-backup, no change"),
          ("mutation", "re-backup after ~5% mutation"), ("restore", "full restore of latest")]
PENDING = "pending"


def load(path):
    r = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                r[k] = v
    return r


def main():
    r = load(sys.argv[1])

    def num(k):
        try:
            return float(r[k])
        except (KeyError, ValueError):
            return None

    data = num("data_bytes")
    out = []
    p = out.append

    data_mut = num("data_bytes_mutated") or data

    def mbps(tool, phase, cpu=False):
        if phase == "init":
            return None
        b = data_mut if phase in ("mutation", "restore") else data
        s = num(f"{tool}.{phase}.cpu_s" if cpu else f"{tool}.{phase}.s")
        return b / 1e6 / s if s and b else None

    def f(x, fmt="{:.1f}"):
        return PENDING if x is None else fmt.format(x)

    p("# Cairn benchmark: results of the latest run")
    p("")
    p(f"Run {r.get('date', '?')} on {r.get('host', '?')}, {r.get('cpus', '?')} CPUs, {r.get('mem_gib', '?')} GiB RAM; "
      f"{r.get('java', '?')}; {r.get('restic_version', 'restic: not run')}; Cairn: {r.get('cairn_version', 'not run')}.")
    p(f"Data set: {r.get('data_files', '?')} files, {f(data and data / 1e6, '{:.0f}')} MB "
      f"(mutation wrote ~{f(num('mutated_bytes') and num('mutated_bytes') / 1e6, '{:.0f}')} MB). "
      f"Page cache dropped before each command: {r.get('drop_caches', '?')}; `sync` inside each timing: "
      f"{'yes' if r.get('sync') == '1' else 'no'}. Load average at start {r.get('load_start', '?')}, "
      f"at end {r.get('load_end', '?')} (other processes on the machine make figures noisy).")
    p("MB = 10^6 bytes; MB/s = data-set size / wall time (for re-backups: the rate at which the whole set is "
      "covered; the mutated set's size for the mutation backup and the restore); CPU s = user + system time of "
      "the command; RSS = peak resident set size of the process (`/usr/bin/time %M`).")
    p("")
    p("## Commands")
    p("")
    p("| phase | restic s | restic MB/s | restic CPU s | restic RSS MiB | Cairn s | Cairn MB/s | Cairn CPU s | Cairn RSS MiB | speed-up (restic s / Cairn s) |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, name in PHASES:
        rs, cs = num(f"restic.{key}.s"), num(f"cairn.{key}.s")
        rc, cc = num(f"restic.{key}.cpu_s"), num(f"cairn.{key}.cpu_s")
        rm, cm = num(f"restic.{key}.rss_kb"), num(f"cairn.{key}.rss_kb")
        dash = lambda x, fmt="{:.1f}": "-" if key == "init" else f(x, fmt)
        p(f"| {name} | {f(rs, '{:.2f}')} | {dash(mbps('restic', key))} | {f(rc)} | {f(rm and rm / 1024, '{:.0f}')} | "
          f"{f(cs, '{:.2f}')} | {dash(mbps('cairn', key))} | {f(cc)} | {f(cm and cm / 1024, '{:.0f}')} | "
          f"{f(rs / cs if rs and cs else None, '{:.2f}x')} |")
    p("")

    # targets
    def ratio(a, b):
        return a / b if a is not None and b else None

    def peak(tool):
        v = [num(f"{tool}.{k}.rss_kb") for k, _ in PHASES]
        v = [x for x in v if x is not None]
        return max(v) if v else None

    lim3 = num("limit.z3.disk.mbps")
    rows = [
        ("first backup throughput vs restic", ratio(mbps("cairn", "first"), mbps("restic", "first")), ">=", 2.0, "x"),
        ("first backup throughput vs limit (zstd-3, from disk)", ratio(mbps("cairn", "first"), lim3), ">=", 0.70, "%"),
        ("re-backup, no change: speed vs restic", ratio(num("restic.nochange.s"), num("cairn.nochange.s")), ">=", 1.0, "x"),
        ("re-backup after mutation: speed vs restic", ratio(num("restic.mutation.s"), num("cairn.mutation.s")), ">=", 2.0, "x"),
        ("full restore: speed vs restic", ratio(num("restic.restore.s"), num("cairn.restore.s")), ">=", 2.0, "x"),
        ("repository size vs restic", ratio(num("cairn.repo_bytes"), num("restic.repo_bytes")), "<=", 1.0, "x"),
        ("peak memory (max over commands) vs restic", ratio(peak("cairn"), peak("restic")), "<=", 1.25, "x"),
    ]
    p("## Targets (ratios measured side by side in this run)")
    p("")
    p("| target | measured | goal | met |")
    p("|---|---:|---:|:---:|")
    for name, v, op, goal, unit in rows:
        fmt = (lambda x: f"{x * 100:.0f}%") if unit == "%" else (lambda x: f"{x:.2f}x")
        met = PENDING if v is None else ("yes" if (v >= goal if op == ">=" else v <= goal) else "**no**")
        p(f"| {name} | {PENDING if v is None else fmt(v)} | {op} {fmt(goal)} | {met} |")
    p("")

    p("## Repository size (du -sb)")
    p("")
    p("| | restic MB | Cairn MB | Cairn / restic |")
    p("|---|---:|---:|---:|")
    for key, name in [("repo_first_bytes", "after the first backup"), ("repo_bytes", "after all three backups")]:
        rb, cb = num(f"restic.{key}"), num(f"cairn.{key}")
        p(f"| {name} | {f(rb and rb / 1e6)} | {f(cb and cb / 1e6)} | {f(ratio(cb, rb), '{:.3f}')} |")
    p("")

    p("## Limits: bare Java loop (gear chunking, SHA-256, dedup, zstd, AES-256-GCM), 2 worker threads")
    p("")
    p("| loop | from disk MB/s | in memory MB/s | from disk, CPU-normalized MB/s | in memory, CPU-normalized MB/s | Cairn first backup as % of from-disk | restic first backup as % of from-disk |")
    p("|---|---:|---:|---:|---:|---:|---:|")
    for lv in ("3", "1"):
        d, m = num(f"limit.z{lv}.disk.mbps"), num(f"limit.z{lv}.mem.mbps")
        dc, mc = num(f"limit.z{lv}.disk.cpu_mbps"), num(f"limit.z{lv}.mem.cpu_mbps")
        c, rs = ratio(mbps("cairn", "first"), d), ratio(mbps("restic", "first"), d)
        p(f"| zstd-{lv} | {f(d, '{:.0f}')} | {f(m, '{:.0f}')} | {f(dc, '{:.0f}')} | {f(mc, '{:.0f}')} | "
          f"{f(c and c * 100, '{:.0f}%')} | {f(rs and rs * 100, '{:.0f}%')} |")
    p("")
    p("CPU-normalized = bytes / (CPU time / number of CPUs): what a CPU-bound program would do with the machine to "
      "itself; when it is well above the wall-clock figure, other load was competing (see the load average).")
    p("")
    cpus = num("cpus") or 2
    p("### First backup on a CPU basis (less sensitive to other load than wall time)")
    p("")
    p("| | CPU s | MB per CPU-second | CPU-normalized MB/s | as % of the zstd-3 loop from disk, CPU-normalized |")
    p("|---|---:|---:|---:|---:|")
    ld = num("limit.z3.disk.cpu_mbps")
    p(f"| bare loop, zstd-3, from disk | {f(ld and data / 1e6 / (ld / cpus))} | {f(ld and ld / cpus)} | {f(ld, '{:.0f}')} | 100% |")
    for tool, name in (("restic", "restic"), ("cairn", "Cairn")):
        e = mbps(tool, "first", cpu=True)
        p(f"| {name} first backup | {f(num(f'{tool}.first.cpu_s'))} | {f(e)} | {f(e and e * cpus, '{:.0f}')} | "
          f"{f(ratio(e and e * cpus, ld) and ratio(e * cpus, ld) * 100, '{:.0f}%')} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
