#!/usr/bin/env bash
# Times starts of the built server under a given JVM and JVM options, to compare settings side by side
# (docs/benchmarks.md, "Server"): seconds from launch to the first 200 from /api/v1/health, the CPU
# seconds used until then, and RSS at ready. The first start (not printed) creates the data directory.
#
#   bench/server/start-time.sh [--runs N] JAVA [JVM option ...]
#   e.g. bench/server/start-time.sh java -XX:TieredStopAtLevel=1
#        bench/server/start-time.sh /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -XX:AOTCache=/tmp/app.aot
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=3
[ "${1:-}" = --runs ] && { runs=$2; shift 2; }
java=${1:?usage: start-time.sh [--runs N] JAVA [JVM option ...]}; shift
data=$(mktemp -d "${TMPDIR:-/tmp}/cairn-start-time.XXXXXX")
port=18111
trap 'rm -rf "$data"' EXIT
start() {
  local t0 t1 pid cpu rss
  t0=$(date +%s.%N)
  "$java" -Xms64m -Xmx512m -XX:+UseSerialGC -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -Xss512k "$@" \
    -cp "$here/server/target/lib/*" io.cairn.server.CairnServer --data-dir "$data/d" --port $port \
    --server.address=127.0.0.1 > "$data/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "the server exited; its log: $data/log" >&2; cat "$data/log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s.%N)
  cpu=$(awk '{print ($14 + $15) / 100}' /proc/$pid/stat)
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "ready $(echo "$t1 - $t0" | bc) s, CPU $cpu s, RSS $rss MiB"
}
start "$@" > /dev/null
for _ in $(seq "$runs"); do start "$@"; done
