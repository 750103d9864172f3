#!/usr/bin/env python3
"""Render bench/server/run.sh's key=value figures as the Markdown report (bench/results/server-latest.md).

    report.py server-latest.txt > server-latest.md

Figures a run skipped are shown as "not run".
"""
import sys

NOT_RUN = "not run"
READY_TARGET_S = 5.0
RSS_TARGET_MB = 300.0                      # MB = 10^6 bytes
RSS_TARGET_MIB = RSS_TARGET_MB * 1e6 / 2**20
P99_TARGET_MS = 20.0
LH_TARGET = 95
CATEGORIES = [("performance", "performance"), ("accessibility", "accessibility"),
              ("best-practices", "best practices")]


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

    def f(x, fmt="{:.2f}"):
        return NOT_RUN if x is None else fmt.format(x)

    def met(ok):
        return "-" if ok is None else ("yes" if ok else "**no**")

    rate = num("rate_target") or 200
    starts = int(num("starts") or 0)
    out = []
    p = out.append
    p("# Cairn server benchmark: results of the latest run")
    p("")
    p(f"Run {r.get('date', '?')} on {r.get('host', '?')}, {r.get('cpus', '?')} CPUs, {r.get('mem_gib', '?')} GiB RAM; "
      f"{r.get('java', '?')}; Cairn commit {r.get('commit', '?')}. Load average (1, 5, 15 min) at start "
      f"{r.get('load_start', '?')}, at end {r.get('load_end', '?')}: the machine is shared, and other processes "
      f"slow the figures down.")
    p(f"Command: `{r.get('command', '?')}`. JVM options ({r.get('java_opts_source', '?')}): "
      f"`{r.get('bench.java_cmdline', '?')}`.")
    if r.get("nice", "0") != "0":
        p(f"The server, wrk and Lighthouse ran at `nice -n {r['nice']}`, so that the other processes on this shared "
          f"machine took less CPU from them; the load average still counts those processes.")
    p("")

    # ---------------------------------------------------------------- targets
    rows = []
    for kind, label in (("restart", "start to ready, restart of an existing data dir"),
                        ("first", "start to ready, first start (creates the repository)")):
        v = num(f"{kind}.ready_s.median")
        rows.append((f"{label}, median of {starts}", f(v, "{:.2f} s"), f"< {READY_TARGET_S:.0f} s",
                     met(None if v is None else v < READY_TARGET_S)))
    v = num("rss_after_idle_mib")
    rows.append((f"RSS after {r.get('idle_s', '?')} s idle (after the load)", f(v, "{:.0f} MiB"),
                 f"< {RSS_TARGET_MB:.0f} MB ({RSS_TARGET_MIB:.0f} MiB)",
                 met(None if v is None else v < RSS_TARGET_MIB)))
    for key, label in (("health", "`GET /api/v1/health`"), ("dashboard", "`GET /` (dashboard, signed in)")):
        p99, got, err = num(f"{key}.p99_ms"), num(f"{key}.rate"), num(f"{key}.errors")
        ok = None if p99 is None else (p99 < P99_TARGET_MS and got >= 0.99 * rate and err == 0)
        rows.append((f"{label} at {rate:.0f} req/s: p99 (achieved rate, errors)",
                     NOT_RUN if p99 is None else f"{p99:.1f} ms ({got:.1f} req/s, {err:.0f} errors)",
                     f"< {P99_TARGET_MS:.0f} ms at {rate:.0f} req/s, no errors", met(ok)))
    for page in ("login", "dashboard"):
        for preset in ("desktop", "mobile"):
            scores = [num(f"lh.{page}.{preset}.{c}") for c, _ in CATEGORIES]
            if all(s is None for s in scores):
                continue
            ok = all(s is not None and s >= LH_TARGET for s in scores)
            rows.append((f"Lighthouse `/{'login' if page == 'login' else ''}` ({page}), {preset}: performance / "
                         f"accessibility / best practices",
                         " / ".join(f(s, "{:.0f}") for s in scores), f">= {LH_TARGET} each", met(ok)))
    p("| target | measured | goal | met |")
    p("|---|---:|---:|:---:|")
    for row in rows:
        p("| " + " | ".join(row) + " |")
    p("")

    # ---------------------------------------------------------------- starts
    if starts and num("restart.ready_s.median") is not None:
        p(f"## Start to ready ({starts} first starts, each followed by a restart of the same data dir)")
        p("")
        p("Ready: from launching `bin/cairn server` until `GET /api/v1/health` first answers 200 (polled every 20 ms). "
          "Spring: its own \"Started CairnServer in X seconds\" (context start; the JVM's start-up and class loading "
          "before `main` are not in it), and \"process running for Y\". CPU: user + system CPU seconds the process used "
          "until ready, which other load disturbs much less than wall time. A first start creates the metadata "
          "database (Flyway), the key file and the repository (an Argon2id key derivation); a restart opens them.")
        p("")
        if num("prep.ready_s") is not None:
            p(f"Before these, one start that is not counted: {f(num('prep.ready_s'))} s to ready; it "
              f"{'made' if r.get('prep.archive_made') == 'yes' else 'found'} the class-data archive of this build "
              f"(bin/cairn makes it once per build, with a training run that starts the application context once).")
            p("")
        p("| start | ready s | Spring s | process running for s | CPU s | RSS at ready MiB | load average |")
        p("|---|---:|---:|---:|---:|---:|---|")
        for i in range(1, starts + 1):
            for kind, label in (("first", "first"), ("restart", "restart")):
                k = f"{kind}.{i}"
                p(f"| {label} {i} | {f(num(k + '.ready_s'))} | {f(num(k + '.spring_s'), '{:.2f}')} | "
                  f"{f(num(k + '.jvm_s'))} | {f(num(k + '.cpu_s'), '{:.1f}')} | {f(num(k + '.rss_mib'), '{:.0f}')} | "
                  f"{r.get(k + '.load', '?')} |")
        p("")
        p("| | ready s: median (min-max) | Spring s: median | CPU s: median | RSS at ready MiB: median |")
        p("|---|---:|---:|---:|---:|")
        for kind, label in (("first", "first start"), ("restart", "restart")):
            p(f"| {label} | {f(num(kind + '.ready_s.median'))} ({f(num(kind + '.ready_s.min'))}-"
              f"{f(num(kind + '.ready_s.max'))}) | {f(num(kind + '.spring_s.median'))} | "
              f"{f(num(kind + '.cpu_s.median'), '{:.1f}')} | {f(num(kind + '.rss_mib.median'), '{:.0f}')} |")
        p("")

    # ---------------------------------------------------------------- memory
    if num("rss_after_start_mib") is not None:
        p("## Memory (VmRSS of the server process)")
        p("")
        p("| when | RSS MiB | load average |")
        p("|---|---:|---|")
        p(f"| after start, setup and sign-in | {f(num('rss_after_start_mib'), '{:.0f}')} | "
          f"{r.get('rss_after_start_load', '?')} |")
        p(f"| after the load tests | {f(num('rss_after_load_mib'), '{:.0f}')} | {r.get('rss_after_load_load', '?')} |")
        p(f"| after {r.get('idle_s', '?')} s idle | {f(num('rss_after_idle_mib'), '{:.0f}')} | "
          f"{r.get('rss_after_idle_load', '?')} |")
        p(f"| at the end of the run (after Lighthouse) | {f(num('rss_end_mib'), '{:.0f}')} | |")
        p(f"| peak (VmHWM) over the run | {f(num('rss_peak_mib'), '{:.0f}')} | |")
        p("")

    # ---------------------------------------------------------------- load
    if num("health.p99_ms") is not None or num("dashboard.p99_ms") is not None:
        p(f"## Latency at a fixed {rate:.0f} requests/s")
        p("")
        p(f"wrk 4.1, one thread, 16 connections, with `bench/server/fixed-rate.lua`: requests leave on a fixed schedule "
          f"of {rate:.0f} per second, evenly spaced, whatever the latency (open loop). A warm-up of "
          f"{r.get('warmup_s', '?')} s at the same rate precedes each measured run of {r.get('duration_s', '?')} s. "
          f"Latency: from sending a request to its whole response. Late: requests that left more than 1 ms after "
          f"their slot because all connections were busy (then the latencies understate what a client saw). "
          f"Server CPU: CPU milliseconds the server used per request during the run. Errors: connection, read, "
          f"write and timeout errors, and responses other than 200.")
        p("")
        p("| endpoint | run | achieved req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | late | "
          "server CPU ms/req | load average |")
        p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for key, label in (("health", "`GET /api/v1/health`"), ("dashboard", "`GET /` (dashboard)")):
            for run, runlabel in ((f"{key}.warmup", "warm-up"), (key, "measured")):
                if num(f"{run}.requests") is None:
                    continue
                p(f"| {label} | {runlabel} ({f(num(run + '.duration_s'), '{:.0f}')} s) | {f(num(run + '.rate'), '{:.1f}')} | "
                  f"{f(num(run + '.p50_ms'))} | {f(num(run + '.p90_ms'))} | {f(num(run + '.p99_ms'))} | "
                  f"{f(num(run + '.p999_ms'))} | {f(num(run + '.max_ms'))} | {f(num(run + '.errors'), '{:.0f}')} | "
                  f"{f(num(run + '.late'), '{:.0f}')} | {f(num(run + '.server_cpu_ms_per_req'))} | "
                  f"{r.get(run + '.load', '?')} |")
        p("")

    # ---------------------------------------------------------------- Lighthouse
    lh_rows = [(page, preset) for page in ("login", "dashboard") for preset in ("desktop", "mobile")
               if f"lh.{page}.{preset}.performance" in r or f"lh.{page}.{preset}.error" in r]
    if lh_rows:
        p("## Lighthouse")
        p("")
        p(f"Lighthouse {r.get('lh.login.desktop.lighthouse_version', r.get('lh.login.mobile.lighthouse_version', '?'))} "
          f"with {r.get('chromium', 'chromium')} (headless), categories performance, accessibility and best practices. "
          "Desktop: `--preset=desktop`; mobile: Lighthouse's default (a simulated mid-range phone on slow 4G, CPU "
          "slowed 4x). `/login` is loaded without a session, `/` with the signed-in session cookie "
          "(`--extra-headers`). Metrics are Lighthouse's simulated ones (ms).")
        p("")
        p("| page | preset | performance | accessibility | best practices | FCP | LCP | TBT | CLS | Speed Index | "
          "load average |")
        p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for page, preset in lh_rows:
            k = f"lh.{page}.{preset}"
            if k + ".error" in r and k + ".performance" not in r:
                p(f"| {page} | {preset} | {r[k + '.error']} | | | | | | | | |")
                continue
            p(f"| `/{'login' if page == 'login' else ''}` | {preset} | {r.get(k + '.performance', '-')} | "
              f"{r.get(k + '.accessibility', '-')} | {r.get(k + '.best-practices', '-')} | "
              f"{f(num(k + '.fcp_ms'), '{:.0f}')} | {f(num(k + '.lcp_ms'), '{:.0f}')} | {f(num(k + '.tbt_ms'), '{:.0f}')} | "
              f"{f(num(k + '.cls'), '{:.3f}')} | {f(num(k + '.si_ms'), '{:.0f}')} | {r.get(k + '.load', '?')} |")
        p("")
        p("Audits that cost points (score below 0.9), and the weight-0 diagnostics Lighthouse flagged:")
        p("")
        for page, preset in lh_rows:
            k = f"lh.{page}.{preset}"
            failed = r.get(k + ".failed", "-")
            flagged = r.get(k + ".flagged", "-")
            p(f"- {page}, {preset}: failed: {', '.join(failed.split('|')) if failed != '-' else 'none'}; "
              f"flagged: {', '.join(flagged.split('|')) if flagged != '-' else 'none'}.")
            if r.get(k + ".warnings", "-") != "-":
                p(f"  Warnings: {r[k + '.warnings']}")
        p("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
