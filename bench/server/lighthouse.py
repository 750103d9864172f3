#!/usr/bin/env python3
"""Summarize one Lighthouse JSON report as key=value lines for bench/server/run.sh.

    lighthouse.py REPORT.json PREFIX

Prints PREFIX.<category>=<score 0-100> for each category in the report, PREFIX.<metric>=<value> for the
performance metrics (ms, CLS unitless), PREFIX.failed=<audit>(<score>)|... for the audits that cost points
(weight > 0 and score < 0.9, Lighthouse's own "passed" threshold), and PREFIX.flagged=... for the
weight-0 diagnostics and insights that Lighthouse flags (they cost no points but say what to look at).
"""
import json
import sys

METRICS = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "cumulative-layout-shift": "cls",
    "speed-index": "si_ms",
}
SCORED = ("binary", "numeric", "metricSavings")


def main():
    path, prefix = sys.argv[1], sys.argv[2]
    with open(path) as f:
        report = json.load(f)
    out = []
    if report.get("runtimeError"):
        out.append(f"{prefix}.error={report['runtimeError'].get('code', '?')}")
    audits = report.get("audits", {})
    failed, flagged = [], []
    for cid, cat in report.get("categories", {}).items():
        score = cat.get("score")
        out.append(f"{prefix}.{cid}={'-' if score is None else round(score * 100)}")
        for ref in cat.get("auditRefs", []):
            a = audits.get(ref["id"], {})
            s = a.get("score")
            if a.get("scoreDisplayMode") not in SCORED or s is None or s >= 0.9:
                continue
            label = f"{ref['id']}({s:.2f}"
            if a.get("displayValue"):
                label += ", " + a["displayValue"].replace("|", "/").replace("\u00a0", " ")
            label += ")"
            (failed if ref.get("weight", 0) > 0 else flagged).append(f"{cid}:{label}")
    for aid, key in METRICS.items():
        v = audits.get(aid, {}).get("numericValue")
        if v is not None:
            out.append(f"{prefix}.{key}={v:.3f}" if key == "cls" else f"{prefix}.{key}={v:.0f}")
    out.append(f"{prefix}.failed={'|'.join(failed) or '-'}")
    out.append(f"{prefix}.flagged={'|'.join(flagged) or '-'}")
    warnings = [w.replace("\n", " ").replace("|", "/") for w in report.get("runWarnings", [])]
    out.append(f"{prefix}.warnings={'|'.join(warnings) or '-'}")
    out.append(f"{prefix}.lighthouse_version={report.get('lighthouseVersion', '?')}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
