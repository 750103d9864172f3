#!/usr/bin/env bash
# Cairn vs restic, side by side in one run, on one deterministic ~2 GB data set.
# See docs/benchmarks.md for what every figure means.
#
#   bench/run.sh [--work DIR] [--only cairn|restic|limit] [--no-limit] [--no-sync] [--keep]
#
# Steps: dataset (bench/gen-dataset.py, reused when already generated) -> limits (bench/limit/Limit.java,
# zstd-3 and zstd-1, 2 threads) -> init both -> first backup of both -> no-change backup of both ->
# mutate ~5% once -> backup of both -> full restore of latest of both, verified against the source ->
# repository sizes -> Markdown table on stdout and in bench/results/latest.md.
# Every timed command runs under /usr/bin/time (wall time, CPU time, peak RSS) after the page cache is dropped
# (when root), and is followed by `sync` inside the timing (so data written must reach the disk).
#
# Environment: CAIRN_BIN (default: <repo>/bin/cairn), CAIRN_BACKUP_ARGS, CAIRN_RESTORE_ARGS,
# RESTIC_BACKUP_ARGS, RESTIC_RESTORE_ARGS (extra arguments, word-split), ZSTD_JNI_JAR,
# BENCH_PASSWORD (default: bench-password), LIMIT_JAVA_OPTS (default: -Xmx4g).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${CAIRN_BENCH_DIR:-/tmp/cairn-bench}
ONLY=all
RUN_LIMIT=1
SYNC=1
KEEP=0

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --work=*) WORK=${1#*=}; shift ;;
    --only) ONLY=$2; shift 2 ;;
    --only=*) ONLY=${1#*=}; shift ;;
    --no-limit) RUN_LIMIT=0; shift ;;
    --no-sync) SYNC=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
case "$ONLY" in all|cairn|restic|limit) ;; *) echo "run.sh: --only takes cairn, restic or limit" >&2; exit 2 ;; esac
want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nrun.sh: FAILED: %s\n' "$*" >&2; exit 1; }

WORK=$(mkdir -p "$WORK" && cd "$WORK" && pwd)
DATA=$WORK/data
LOGS=$WORK/logs
RAW=$WORK/results.txt
CAIRN=${CAIRN_BIN:-$ROOT/bin/cairn}
export RESTIC_PASSWORD=${BENCH_PASSWORD:-bench-password}
export CAIRN_PASSWORD=${BENCH_PASSWORD:-bench-password}
export RESTIC_CACHE_DIR=$WORK/restic-cache

exec 9>"$WORK/.lock"
flock -n 9 || die "another run.sh is using $WORK"

# ------------------------------------------------------------------ prerequisites
apt_install() {   # apt_install PACKAGE: install, waiting for a dpkg lock held by someone else
  local pkg=$1
  say "installing $pkg (apt-get)"
  if ! apt-get install -y -o DPkg::Lock::Timeout=600 "$pkg" >"$WORK/apt-$pkg.log" 2>&1; then
    apt-get update -o DPkg::Lock::Timeout=600 >>"$WORK/apt-$pkg.log" 2>&1 || true
    apt-get install -y -o DPkg::Lock::Timeout=600 "$pkg" >>"$WORK/apt-$pkg.log" 2>&1 \
      || { tail -20 "$WORK/apt-$pkg.log" >&2; die "could not install $pkg (log: $WORK/apt-$pkg.log)"; }
  fi
}
command -v python3 >/dev/null || die "python3 is required"
[ -x /usr/bin/time ] || apt_install time
if want restic && ! command -v restic >/dev/null; then
  apt_install restic
fi
if want cairn; then
  [ -x "$CAIRN" ] || die "$CAIRN does not exist or is not executable (build Cairn first, or use --only restic)"
fi
JAR=${ZSTD_JNI_JAR:-}
if [ "$RUN_LIMIT" = 1 ]; then
  command -v java >/dev/null || die "java is required for the limit measurement (or pass --no-limit)"
  if [ -z "$JAR" ]; then
    JAR=$(ls "$ROOT"/cli/target/lib/zstd-jni-*.jar 2>/dev/null | head -1 || true)
    [ -n "$JAR" ] || JAR=$(ls -v "$HOME"/.m2/repository/com/github/luben/zstd-jni/*/zstd-jni-*[0-9].jar 2>/dev/null | tail -1 || true)
  fi
  [ -n "$JAR" ] && [ -f "$JAR" ] || die "zstd-jni jar not found (build the project, set ZSTD_JNI_JAR, or pass --no-limit)"
else
  RUN_LIMIT=0
fi

avail_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
need_kb=$((9 * 1024 * 1024))
if [ ! -d "$DATA" ]; then :; else need_kb=$((7 * 1024 * 1024)); fi
[ "$avail_kb" -ge "$need_kb" ] || die "$WORK has $((avail_kb / 1024 / 1024)) GiB free, the run needs about $((need_kb / 1024 / 1024)) GiB (data set, two repositories, two restores)"

# page cache: drop between phases when we may
if sync && { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then DROP=yes; else DROP=no; fi
drop_caches() { if [ "$DROP" = yes ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi; }

load_now() { cut -d' ' -f1 /proc/loadavg; }
say "Cairn benchmark in $WORK (only: $ONLY, page-cache drop: $DROP, sync in timings: $([ $SYNC = 1 ] && echo yes || echo no))"
LOAD0=$(load_now)
if awk -v l="$LOAD0" 'BEGIN { exit !(l > 0.7) }'; then
  echo "WARNING: load average is $LOAD0 before starting: other processes are using the CPUs; figures will be noisy."
  ps -eo pcpu,etime,comm --sort=-pcpu | head -6 | sed 's/^/    /' || true
fi

# ------------------------------------------------------------------ data set
say "data set"
state=$(python3 "$ROOT/bench/gen-dataset.py" "$DATA" --status)
if [ "$state" = base ]; then
  echo "reusing $DATA (base state)"
else
  echo "state of $DATA: $state -> (re)generating"
  python3 "$ROOT/bench/gen-dataset.py" "$DATA" --force
fi
DATA_BYTES=$(find "$DATA" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
DATA_FILES=$(find "$DATA" -type f | wc -l)
echo "data set: $DATA_FILES files, $((DATA_BYTES / 1000000)) MB"

rm -rf "$WORK/repo-cairn" "$WORK/repo-restic" "$WORK/restore-cairn" "$WORK/restore-restic" "$RESTIC_CACHE_DIR" "$LOGS"
mkdir -p "$LOGS"
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host=$(uname -srm)"
  echo "cpus=$(nproc)"
  echo "mem_gib=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
  echo "java=$(java -version 2>&1 | head -1 | tr -d '"' || echo none)"
  echo "only=$ONLY"
  echo "drop_caches=$DROP"
  echo "sync=$SYNC"
  echo "load_start=$LOAD0"
  echo "data_bytes=$DATA_BYTES"
  echo "data_files=$DATA_FILES"
  if want restic; then echo "restic_version=$(restic version | head -1)"; fi
  if want cairn; then echo "cairn_version=$("$CAIRN" --version 2>/dev/null | head -1 || echo unknown)"; fi
} > "$RAW"
rec() { echo "$1=$2" >> "$RAW"; }

# ------------------------------------------------------------------ limits (on the base set, before any backup)
if [ "$RUN_LIMIT" = 1 ]; then
  for level in 3 1; do
    say "limit: bare Java loop, zstd-$level, 2 threads ($(basename "$JAR"))"
    log=$LOGS/limit-zstd$level.log
    # shellcheck disable=SC2086
    if ! java ${LIMIT_JAVA_OPTS:--Xmx4g} -cp "$JAR" "$ROOT/bench/limit/Limit.java" "$DATA" "$level" 2 >"$log" 2>&1; then
      tail -20 "$log" >&2; die "Limit.java failed (log: $log)"
    fi
    grep -v '^RESULT' "$log" | sed 's/^/    /'
    for mode in disk mem; do
      line=$(grep "^RESULT mode=$mode " "$log") || die "no $mode result in $log"
      for k in mbps cpu_mbps; do
        rec "limit.z$level.$mode.$k" "$(sed -n "s/.* $k=\([0-9.]*\).*/\1/p" <<<"$line")"
      done
    done
  done
fi
if [ "$ONLY" = limit ]; then   # limits only: print, but keep bench/results/latest.md of the last full run
  rec load_end "$(load_now)"
  say "results (not written to bench/results/: --only limit)"
  python3 "$ROOT/bench/report.py" "$RAW" | sed -n '/^## Limits/,$p'
  exit 0
fi

# ------------------------------------------------------------------ timed commands
# measure TOOL PHASE COMMAND...: drop caches, run under /usr/bin/time (+ sync), record seconds and peak RSS.
measure() {
  local tool=$1 phase=$2; shift 2
  local log=$LOGS/$tool-$phase.log tf=$LOGS/$tool-$phase.time rc=0
  drop_caches
  local l
  l=$(load_now)
  printf '  %-7s %-9s ' "$tool" "$phase"
  if [ "$SYNC" = 1 ]; then
    /usr/bin/time -f '%e %M %U %S' -o "$tf" bash -c '"$@"; rc=$?; sync; exit $rc' _ "$@" >"$log" 2>&1 || rc=$?
  else
    /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >"$log" 2>&1 || rc=$?
  fi
  if [ "$rc" != 0 ]; then
    echo "exit $rc"
    echo "--- command: $*" >&2
    tail -25 "$log" >&2
    die "$tool $phase failed with exit code $rc (log: $log)"
  fi
  local s kb us ss bytes
  read -r s kb us ss < <(tail -1 "$tf")
  rec "$tool.$phase.s" "$s"
  rec "$tool.$phase.rss_kb" "$kb"
  rec "$tool.$phase.cpu_s" "$(awk -v u="$us" -v s="$ss" 'BEGIN { print u + s }')"
  rec "$tool.$phase.load" "$l"
  bytes=$(find "$DATA" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
  awk -v s="$s" -v kb="$kb" -v b="$bytes" -v l="$l" -v u="$us" -v y="$ss" -v ph="$phase" \
    'BEGIN { r = (ph == "init") ? "        -     " : sprintf("%7.1f MB/s", b / 1e6 / s);
             printf "%8.2f s  %s  CPU %6.1f s  peak RSS %6.0f MiB  (load %s)\n", s, r, u + y, kb / 1024, l }'
}

RESTIC=(restic -r "$WORK/repo-restic")
CAIRNR=("$CAIRN" -r "$WORK/repo-cairn")
# shellcheck disable=SC2086
backup() {   # backup TOOL PHASE
  case $1 in
    restic) measure restic "$2" "${RESTIC[@]}" backup ${RESTIC_BACKUP_ARGS:-} "$DATA" ;;
    cairn) measure cairn "$2" "${CAIRNR[@]}" backup ${CAIRN_BACKUP_ARGS:-} "$DATA" ;;
  esac
}
# shellcheck disable=SC2086
restore() {
  local dir=$WORK/restore-$1
  rm -rf "$dir"; mkdir -p "$dir"
  case $1 in
    restic) measure restic restore "${RESTIC[@]}" restore ${RESTIC_RESTORE_ARGS:-} latest --target "$dir" ;;
    cairn) measure cairn restore "${CAIRNR[@]}" restore ${CAIRN_RESTORE_ARGS:-} latest --target "$dir" ;;
  esac
}
repo_size() { du -sb "$WORK/repo-$1" | cut -f1; }

TOOLS=()
want restic && TOOLS+=(restic)
want cairn && TOOLS+=(cairn)
# alternate which tool goes first from phase to phase, so neither always runs on a "fresher" machine
order() { if [ "$1" = 0 ] || [ ${#TOOLS[@]} = 1 ]; then echo "${TOOLS[@]}"; else echo "${TOOLS[1]} ${TOOLS[0]}"; fi; }

say "init (restic: repository version 2, compression auto)"
for t in $(order 0); do
  case $t in
    restic) measure restic init "${RESTIC[@]}" init --repository-version 2 ;;
    cairn) measure cairn init "${CAIRNR[@]}" init ;;
  esac
done

say "first backup ($((DATA_BYTES / 1000000)) MB)"
for t in $(order 0); do backup "$t" first; rec "$t.repo_first_bytes" "$(repo_size "$t")"; done

say "re-backup, no change"
for t in $(order 1); do backup "$t" nochange; done

say "mutating ~5% of the data set (once, for both tools)"
python3 "$ROOT/bench/gen-dataset.py" "$DATA" --mutate | tee "$LOGS/mutate.log"
rec mutated_bytes "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changed_bytes"])' "$DATA.stamp")"
DATA_BYTES_MUT=$(find "$DATA" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
rec data_bytes_mutated "$DATA_BYTES_MUT"

say "re-backup after the mutation"
for t in $(order 0); do backup "$t" mutation; done

say "full restore of latest"
for t in $(order 1); do restore "$t"; done

say "verifying restores against the source"
for t in "${TOOLS[@]}"; do
  dir=$WORK/restore-$t
  root=""
  for cand in "$dir$DATA" "$dir/$(basename "$DATA")" "$dir"; do
    if [ -f "$cand/disk.img" ]; then root=$cand; break; fi
  done
  [ -n "$root" ] || die "$t restore: no restored tree (disk.img) found under $dir"
  if ! diff -rq --no-dereference "$DATA" "$root" >"$LOGS/$t-verify.log" 2>&1; then
    head -20 "$LOGS/$t-verify.log" >&2
    die "$t restore DIFFERS from the source ($(wc -l <"$LOGS/$t-verify.log") differences, see $LOGS/$t-verify.log)"
  fi
  n=$(find "$root" -type f | wc -l)
  [ "$n" = "$(find "$DATA" -type f | wc -l)" ] || die "$t restore: $n files, source has $(find "$DATA" -type f | wc -l)"
  echo "  $t: restored tree $root is identical to the source ($n files)"
  rec "$t.verify" ok
done

say "repository sizes (du -sb)"
for t in "${TOOLS[@]}"; do
  s=$(repo_size "$t"); rec "$t.repo_bytes" "$s"
  printf '  %-7s %8.1f MB\n' "$t" "$(awk -v s="$s" 'BEGIN { print s / 1e6 }')"
done
rec load_end "$(load_now)"

if [ "$KEEP" = 0 ]; then rm -rf "$WORK/restore-cairn" "$WORK/restore-restic"; fi

say "results"
mkdir -p "$ROOT/bench/results"
python3 "$ROOT/bench/report.py" "$RAW" > "$ROOT/bench/results/latest.md"
cp "$RAW" "$ROOT/bench/results/latest.txt"
cat "$ROOT/bench/results/latest.md"
echo
echo "written: bench/results/latest.md (raw figures: bench/results/latest.txt, logs: $LOGS)"
