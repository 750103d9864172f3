#!/usr/bin/env bash
# The server's speed targets, measured: start-to-ready, idle memory, latency at a fixed request rate,
# and Lighthouse scores of the login and dashboard pages. See docs/benchmarks.md, section "Server".
#
#   bench/server/run.sh [--starts N] [--rate R] [--duration S] [--warmup S] [--idle S]
#                       [--preset desktop|mobile|both] [--no-starts] [--no-load] [--no-lighthouse]
#                       [--work DIR] [--keep] [--nice N]
#
# Steps: build if the jars are missing or older than the sources (./mvnw -q package -DskipTests) ->
# N first starts (fresh --data-dir: creates the metadata DB and the repository) interleaved with N
# restarts of the same data dir, each timed from process start until GET /api/v1/health answers 200 ->
# one more start for the rest: first-run setup and sign-in through the real forms, RSS after start ->
# GET /api/v1/health (anonymous) and GET / (the dashboard, signed in) with wrk at a fixed rate
# (bench/server/fixed-rate.lua), a warm-up then the measured run -> RSS after the load -> RSS after
# idling -> Lighthouse (npm, in ~/.cache/cairn-bench/lighthouse) on /login and / with Debian's chromium
# -> Markdown report on stdout and in bench/results/server-latest.md, key=value figures in
# bench/results/server-latest.txt. A run that skips a part (--no-*, --starts other than 5, ...) writes
# its report to <work>/ only.
#
# Defaults: --starts 5 --rate 200 --duration 30 --warmup 10 --idle 60 --preset both,
# --work /tmp/cairn-server-bench (or $CAIRN_SERVER_BENCH_DIR). The server runs with bin/cairn's JVM
# options, or with $CAIRN_SERVER_JAVA_OPTS when set (bin/cairn reads it); the report shows which.
# $CAIRN_SERVER_ARGS (word-split) adds arguments to `bin/cairn server`, e.g. --spring.x=y to try a setting.
# Needs root only to install missing Debian packages (wrk, chromium, nodejs/npm) with apt-get, and for a
# negative --nice N (runs the server, wrk and Lighthouse at that priority, so that other processes on a
# shared machine take less CPU from them; the report says so; default 0).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/server
WORK=${CAIRN_SERVER_BENCH_DIR:-/tmp/cairn-server-bench}
STARTS=5
RATE=200
DURATION=30
WARMUP=10
IDLE=60
PRESET=both
DO_STARTS=1
DO_LOAD=1
DO_LH=1
KEEP=0
NICE=0
LH_VERSION=13.5.0
LH_DIR=${CAIRN_LIGHTHOUSE_DIR:-$HOME/.cache/cairn-bench/lighthouse}
CONNECTIONS=16          # wrk connections: enough that a slow response never holds up the schedule
START_TIMEOUT=120       # seconds until a start counts as failed
USERNAME=bench-admin
PASSWORD='correct horse battery staple 42'
ARGS="$*"

usage() { sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --starts) STARTS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --preset) PRESET=$2; shift 2 ;;
    --no-starts) DO_STARTS=0; shift ;;
    --no-load) DO_LOAD=0; shift ;;
    --no-lighthouse) DO_LH=0; shift ;;
    --work) WORK=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --nice) NICE=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
case "$PRESET" in desktop) PRESETS="desktop" ;; mobile) PRESETS="mobile" ;; both) PRESETS="desktop mobile" ;;
  *) echo "run.sh: --preset takes desktop, mobile or both" >&2; exit 2 ;; esac

say() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nrun.sh: FAILED: %s\n' "$*" >&2; exit 1; }

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
exec 9>"$WORK/.lock"
flock -n 9 || die "another bench/server/run.sh is using $WORK"
LOGS=$WORK/logs
rm -rf "$LOGS" "$WORK/starts" "$WORK/bench-data" "$WORK/lighthouse"
mkdir -p "$LOGS" "$WORK/starts" "$WORK/lighthouse"
RAW=$WORK/server-latest.txt
: >"$RAW"
put() { printf '%s=%s\n' "$1" "$2" >>"$RAW"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ------------------------------------------------------------------ prerequisites
apt_install() {   # apt_install PACKAGE...: install, waiting for a dpkg lock held by someone else
  say "installing $* (apt-get)"
  [ "$(id -u)" = 0 ] || die "$* missing; install it (apt-get install $*) or run this script as root"
  if ! apt-get install -y -o DPkg::Lock::Timeout=600 "$@" >"$LOGS/apt.log" 2>&1; then
    apt-get update -o DPkg::Lock::Timeout=600 >>"$LOGS/apt.log" 2>&1 || true
    apt-get install -y -o DPkg::Lock::Timeout=600 "$@" >>"$LOGS/apt.log" 2>&1 \
      || { tail -20 "$LOGS/apt.log" >&2; die "could not install $* (log: $LOGS/apt.log)"; }
  fi
}
for tool in curl python3 java; do command -v $tool >/dev/null || die "$tool is required"; done
[ "$DO_LOAD" = 1 ] && ! command -v wrk >/dev/null && apt_install wrk
if [ "$DO_LH" = 1 ]; then
  command -v chromium >/dev/null || apt_install chromium
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ] \
      || ! grep -q "\"version\": \"$LH_VERSION\"" "$LH_DIR/node_modules/lighthouse/package.json" 2>/dev/null; then
    say "installing lighthouse@$LH_VERSION into $LH_DIR (npm)"
    mkdir -p "$LH_DIR"
    [ -f "$LH_DIR/package.json" ] || echo '{"private": true}' >"$LH_DIR/package.json"
    (cd "$LH_DIR" && npm install --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION") >"$LOGS/npm.log" 2>&1 \
      || { tail -20 "$LOGS/npm.log" >&2; die "npm could not install lighthouse (log: $LOGS/npm.log)"; }
  fi
fi

# ------------------------------------------------------------------ build
CAIRN=$ROOT/bin/cairn
SERVER_JAR=$ROOT/server/target/lib/cairn-server.jar
CLI_JAR=$ROOT/cli/target/cairn-cli.jar
needs_build() {
  [ -f "$SERVER_JAR" ] && [ -f "$CLI_JAR" ] || return 0
  [ -n "$(find "$ROOT" -path "$ROOT/bench" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
      -not -path '*/target/*' -type f -newer "$SERVER_JAR" -print -quit)" ]
}
if needs_build; then
  say "building (./mvnw -q package -DskipTests)"
  (cd "$ROOT" && ./mvnw -q package -DskipTests) >"$LOGS/build.log" 2>&1 \
    || { tail -30 "$LOGS/build.log" >&2; die "the build failed (log: $LOGS/build.log)"; }
fi

# ------------------------------------------------------------------ the run's conditions
put date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
put host "$(uname -srm)"
put cpus "$(nproc)"
put mem_gib "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
put java "$(java -version 2>&1 | head -1)"
put commit "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && [ -n "$(git status --porcelain -- server bin 2>/dev/null)" ] && echo ' (with uncommitted changes)')"
put java_opts_source "$([ -n "${CAIRN_SERVER_JAVA_OPTS:-}" ] && echo "CAIRN_SERVER_JAVA_OPTS" || echo "bin/cairn defaults")"
put command "${CAIRN_SERVER_JAVA_OPTS:+CAIRN_SERVER_JAVA_OPTS='$CAIRN_SERVER_JAVA_OPTS' }${CAIRN_SERVER_ARGS:+CAIRN_SERVER_ARGS='$CAIRN_SERVER_ARGS' }bench/server/run.sh${ARGS:+ $ARGS}"
put load_start "$(loadavg)"
put rate_target "$RATE"
put duration_s "$DURATION"
put warmup_s "$WARMUP"
put idle_s "$IDLE"
put starts "$STARTS"
put nice "$NICE"

# ------------------------------------------------------------------ starting and stopping the server
SERVER_PID=
PORT=
BASE=
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
now_ns() { date +%s%N; }
cpu_s() {   # CPU seconds (user + system) a process has used so far
  awk -v tck="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / tck }' "/proc/$1/stat"
}
alive() {   # alive WHAT: fails the run if the server under test has exited (someone may have stopped it)
  kill -0 "$SERVER_PID" 2>/dev/null \
    || die "the server under test (pid $SERVER_PID) exited $1; its log: $LOGS/bench.log"
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
trap stop_server EXIT

# start_server KEY DATADIR: starts bin/cairn server on a free loopback port and waits until
# GET /api/v1/health answers 200. Records KEY.ready_s (process start to the first 200), KEY.spring_s
# and KEY.jvm_s (Spring's "Started CairnServer in X seconds (process running for Y)"), KEY.cpu_s (CPU
# the process used until ready) and KEY.rss_mib (at ready).
start_server() {
  local key=$1 dir=$2 log=$LOGS/$1.log code t0 t1 deadline line
  PORT=$(free_port)
  BASE=http://127.0.0.1:$PORT
  t0=$(now_ns)
  # shellcheck disable=SC2086
  nice -n "$NICE" "$CAIRN" server --port "$PORT" --data-dir "$dir" --server.address=127.0.0.1 ${CAIRN_SERVER_ARGS:-} \
    >"$log" 2>&1 &
  SERVER_PID=$!
  deadline=$(( t0 + START_TIMEOUT * 1000000000 ))
  while :; do
    code=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$BASE/api/v1/health" || true)
    [ "$code" = 200 ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$log" >&2; die "the server exited while starting (log: $log)"; }
    [ "$(now_ns)" -lt "$deadline" ] || die "the server was not ready after ${START_TIMEOUT}s (log: $log)"
    sleep 0.02
  done
  t1=$(now_ns)
  put "$key.ready_s" "$(awk -v n=$(( t1 - t0 )) 'BEGIN { printf "%.2f", n / 1e9 }')"
  put "$key.cpu_s" "$(cpu_s "$SERVER_PID")"
  put "$key.rss_mib" "$(mib "$(rss_kib "$SERVER_PID")")"
  for _ in $(seq 1 50); do grep -q 'Started CairnServer in' "$log" && break; sleep 0.1; done
  line=$(grep -o 'Started CairnServer in [0-9.]* seconds (process running for [0-9.]*' "$log" | head -1 || true)
  put "$key.spring_s" "$(sed -n 's/.*in \([0-9.]*\) seconds.*/\1/p' <<<"$line")"
  put "$key.jvm_s" "$(sed -n 's/.*running for \([0-9.]*\)$/\1/p' <<<"$line")"
  put "$key.load" "$(loadavg)"
}
get() { grep "^$1=" "$RAW" | tail -1 | cut -d= -f2-; }

# ------------------------------------------------------------------ 1. starts
# One untimed start first: bin/cairn makes its class-data archive when the build has none yet (a training
# run, once per build), and the jars get into the page cache. Its time is reported on its own.
archive=$ROOT/server/target/cairn-server.jsa
before=$(stat -c %Y "$archive" 2>/dev/null || echo none)
rm -rf "$WORK/starts/prep"
say "preparing: one start (makes the class-data archive if this build has none; load $(loadavg))"
start_server prep "$WORK/starts/prep"
stop_server
put prep.archive_made "$([ "$(stat -c %Y "$archive" 2>/dev/null || echo none)" != "$before" ] && echo yes || echo no)"
echo "ready after $(get prep.ready_s) s (class-data archive made: $(get prep.archive_made))" >&2
if [ "$DO_STARTS" = 1 ]; then
  for i in $(seq 1 "$STARTS"); do
    dir=$WORK/starts/data-$i
    rm -rf "$dir"
    say "start $i/$STARTS: first start of a fresh data dir (load $(loadavg))"
    start_server "first.$i" "$dir"
    stop_server
    echo "ready after $(get "first.$i.ready_s") s (Spring: $(get "first.$i.spring_s") s)" >&2
    sleep 1
    say "start $i/$STARTS: restart of the same data dir (load $(loadavg))"
    start_server "restart.$i" "$dir"
    stop_server
    echo "ready after $(get "restart.$i.ready_s") s (Spring: $(get "restart.$i.spring_s") s)" >&2
    sleep 1
  done
  python3 - "$RAW" "$STARTS" >>"$RAW" <<'EOF'
import statistics, sys
r = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
n = int(sys.argv[2])
for kind in ("first", "restart"):
    for fig in ("ready_s", "spring_s", "cpu_s", "rss_mib"):
        v = [float(r[f"{kind}.{i}.{fig}"]) for i in range(1, n + 1) if r.get(f"{kind}.{i}.{fig}")]
        if v:
            print(f"{kind}.{fig}.median={statistics.median(v):.2f}")
            print(f"{kind}.{fig}.min={min(v):.2f}")
            print(f"{kind}.{fig}.max={max(v):.2f}")
EOF
fi

# ------------------------------------------------------------------ 2. the server under test: setup, sign-in
DATA=$WORK/bench-data
rm -rf "$DATA"
if [ "$DO_LOAD" = 1 ] || [ "$DO_LH" = 1 ] || [ "$IDLE" -gt 0 ]; then
  say "starting the server under test (first start of $DATA)"
  start_server bench "$DATA"
  put bench.java_cmdline "$(tr '\0' ' ' <"/proc/$SERVER_PID/cmdline" | sed 's/ -cp .*//; s/^[^ ]*java //')"
  JAR=$WORK/cookies.txt
  rm -f "$JAR"
  csrf() { sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -1; }
  token=$(curl -s -c "$JAR" -b "$JAR" "$BASE/setup" | csrf)
  [ -n "$token" ] || die "no _csrf field in GET /setup"
  code=$(curl -s -o "$LOGS/setup-post.html" -w '%{http_code} %{redirect_url}' -c "$JAR" -b "$JAR" \
    --data-urlencode "_csrf=$token" --data-urlencode "username=$USERNAME" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "confirmPassword=$PASSWORD" "$BASE/setup")
  case "$code" in 302\ *login*) ;; *) die "POST /setup answered '$code' (page: $LOGS/setup-post.html)" ;; esac
  token=$(curl -s -c "$JAR" -b "$JAR" "$BASE/login" | csrf)
  [ -n "$token" ] || die "no _csrf field in GET /login"
  code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -c "$JAR" -b "$JAR" \
    --data-urlencode "_csrf=$token" --data-urlencode "username=$USERNAME" \
    --data-urlencode "password=$PASSWORD" "$BASE/login")
  case "$code" in 302\ "$BASE/") ;; *) die "POST /login answered '$code', expected a redirect to /" ;; esac
  SESSION=$(awk '$6 == "CAIRN_SESSION" { print $7 }' "$JAR" | tail -1)
  [ -n "$SESSION" ] || die "no CAIRN_SESSION cookie after sign-in"
  check_dashboard() {
    local body=$LOGS/dashboard-$1.html code
    code=$(curl -s -o "$body" -w '%{http_code}' -H "Cookie: CAIRN_SESSION=$SESSION" "$BASE/")
    [ "$code" = 200 ] && grep -q 'All systems healthy\|Working, with warnings\|Attention needed' "$body" \
      || die "GET / with the session cookie answered $code, not the dashboard (page: $body)"
  }
  check_dashboard after-login
  put rss_after_start_mib "$(mib "$(rss_kib "$SERVER_PID")")"
  put rss_after_start_load "$(loadavg)"
  echo "signed in; RSS $(get rss_after_start_mib) MiB" >&2
fi

# ------------------------------------------------------------------ 3. load at a fixed rate
# run_wrk KEY URL SECONDS [HEADER]: wrk at $RATE requests/s on the fixed schedule of fixed-rate.lua.
run_wrk() {
  local key=$1 url=$2 secs=$3 header=${4:-} cpu0 cpu1 out=$LOGS/$1.wrk.txt
  local -a h=()
  [ -n "$header" ] && h=(-H "$header")
  put "$key.load" "$(loadavg)"
  cpu0=$(cpu_s "$SERVER_PID")
  FIXED_RATE_OUT=$out nice -n "$NICE" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --timeout 5s "${h[@]}" \
    -s "$HERE/fixed-rate.lua" "$url" -- "$RATE" >"$LOGS/$key.wrk.log" 2>&1 \
    || { cat "$LOGS/$key.wrk.log" >&2; die "wrk failed on $url"; }
  alive "during the load test $key"
  cpu1=$(cpu_s "$SERVER_PID")
  sed "s/^/$key./" "$out" >>"$RAW"
  put "$key.server_cpu_ms_per_req" "$(awk -v a="$cpu0" -v b="$cpu1" -v n="$(get "$key.requests")" \
    'BEGIN { printf "%.2f", (n > 0) ? (b - a) * 1000 / n : 0 }')"
  echo "$key: $(get "$key.rate") req/s, p50 $(get "$key.p50_ms") ms, p99 $(get "$key.p99_ms") ms," \
    "max $(get "$key.max_ms") ms, errors $(get "$key.errors"), late $(get "$key.late")" >&2
}
if [ "$DO_LOAD" = 1 ]; then
  for target in health dashboard; do
    if [ "$target" = health ]; then url=$BASE/api/v1/health; header=; else url=$BASE/; header="Cookie: CAIRN_SESSION=$SESSION"; fi
    if [ "$WARMUP" -gt 0 ]; then
      say "$target: warm-up, $RATE requests/s for ${WARMUP}s (load $(loadavg))"
      run_wrk "$target.warmup" "$url" "$WARMUP" "$header"
    fi
    say "$target: $RATE requests/s for ${DURATION}s (load $(loadavg))"
    run_wrk "$target" "$url" "$DURATION" "$header"
  done
  check_dashboard after-load
  put rss_after_load_mib "$(mib "$(rss_kib "$SERVER_PID")")"
  put rss_after_load_load "$(loadavg)"
  echo "RSS after the load: $(get rss_after_load_mib) MiB" >&2
fi

# ------------------------------------------------------------------ 4. idle memory
if [ -n "$SERVER_PID" ] && [ "$IDLE" -gt 0 ]; then
  say "idle for ${IDLE}s"
  sleep "$IDLE"
  alive "while idle"
  put rss_after_idle_mib "$(mib "$(rss_kib "$SERVER_PID")")"
  put rss_after_idle_load "$(loadavg)"
  put rss_peak_mib "$(mib "$(hwm_kib "$SERVER_PID")")"
  echo "RSS after ${IDLE}s idle: $(get rss_after_idle_mib) MiB (peak so far $(get rss_peak_mib) MiB)" >&2
fi

# ------------------------------------------------------------------ 5. Lighthouse
if [ "$DO_LH" = 1 ]; then
  export CHROME_PATH
  CHROME_PATH=$(command -v chromium)
  put chromium "$("$CHROME_PATH" --version 2>/dev/null | head -1)"
  flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
  flags="$flags --no-first-run --disable-sync --disable-quic --disable-dev-shm-usage"
  check_dashboard before-lighthouse
  for page in login dashboard; do
    for preset in $PRESETS; do
      key=lh.$page.$preset
      out=$WORK/lighthouse/$page-$preset
      say "Lighthouse: $page, $preset (load $(loadavg))"
      put "$key.load" "$(loadavg)"
      args=(--quiet --chrome-flags="$flags" --only-categories=performance,accessibility,best-practices
            --output=json --output=html --output-path="$out" --max-wait-for-load=60000)
      [ "$preset" = desktop ] && args+=(--preset=desktop)
      if [ "$page" = login ]; then url=$BASE/login; else
        url=$BASE/; args+=(--extra-headers="{\"Cookie\": \"CAIRN_SESSION=$SESSION\"}"); fi
      if ! nice -n "$NICE" "$LH_DIR/node_modules/.bin/lighthouse" "$url" "${args[@]}" >"$LOGS/$key.log" 2>&1; then
        tail -20 "$LOGS/$key.log" >&2
        put "$key.error" "lighthouse failed (log: $LOGS/$key.log)"
        continue
      fi
      python3 "$HERE/lighthouse.py" "$out.report.json" "$key" >>"$RAW"
      echo "$page/$preset: performance $(get "$key.performance"), accessibility $(get "$key.accessibility")," \
        "best practices $(get "$key.best-practices")" >&2
    done
  done
  check_dashboard after-lighthouse
fi
[ -z "$SERVER_PID" ] || alive "before the end of the run"

if [ -n "$SERVER_PID" ]; then
  put rss_end_mib "$(mib "$(rss_kib "$SERVER_PID")")"
  put rss_peak_mib "$(mib "$(hwm_kib "$SERVER_PID")")"
fi
stop_server
put load_end "$(loadavg)"

# ------------------------------------------------------------------ report
python3 "$HERE/report.py" "$RAW" >"$WORK/server-latest.md"
full=0
[ "$DO_STARTS$DO_LOAD$DO_LH" = 111 ] && [ "$STARTS" = 5 ] && [ "$RATE" = 200 ] && [ "$DURATION" = 30 ] \
  && [ "$IDLE" -ge 60 ] && [ "$PRESET" = both ] && full=1
if [ "$full" = 1 ]; then
  mkdir -p "$ROOT/bench/results"
  cp "$WORK/server-latest.md" "$ROOT/bench/results/server-latest.md"
  cp "$RAW" "$ROOT/bench/results/server-latest.txt"
fi
cat "$WORK/server-latest.md"
if [ "$full" = 1 ]; then
  echo; echo "Written: bench/results/server-latest.md, bench/results/server-latest.txt (logs: $LOGS)"
else
  echo; echo "A partial run: written to $WORK/server-latest.md and $RAW only (logs: $LOGS)"
fi
[ "$KEEP" = 1 ] || rm -rf "$WORK/starts" "$DATA"
