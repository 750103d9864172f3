#!/usr/bin/env bash
# Backup-job benchmark (issue 4's targets), results in docs/benchmarks.md ("Backup jobs").
#
# On a pgbench database (scale 50 by default) it measures, in one run:
#  - pg_dump alone: plain to /dev/null (the reference), custom -Z0 to /dev/null (the format Cairn stores),
#    plain | gzip (how pgbackweb-style tools keep dumps), and the zstd-3 size of the dump;
#  - a Cairn server job backing the database up: first backup (all new data), a repeat (nothing new),
#    after appending 1% new rows, after updating 1% of rows scattered over the table;
#  - first backups into fresh servers five ways, in rounds (each round times pg_dump, then each way once, in
#    rotating order): as shipped (progress saved every 2 s, telemetry sampled every 5 s), with both off, with
#    both every 100 ms (20x and 50x as often as shipped: a cost too small to see as shipped shows there, and
#    divided by how many more saves and samples it made it bounds the shipped cost), with 50 clients on the
#    event stream, and on a server that has just started (the JIT compiling while it runs). The
#    job-to-pg_dump ratio and the costs of telemetry and watchers are medians over the rounds.
# Every server but the cold one first backs up a small database of random rows that shares nothing with
# pgbench's (so nothing of it deduplicates), four times: the measured jobs then run on compiled code, as on
# any server that has run a few jobs since it started.
#
# Usage: bench/jobs/run.sh [--scale N] [--repeat N] [--rounds N] [--work DIR] [--keep]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale=50
repeat=3
rounds=5
work=${CAIRN_BENCH_DIR:-/tmp/cairn-bench-jobs}
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
db=cairn_bench_pgbench
warm_db=cairn_bench_warmup
port=18090
txt="$here/bench/results/jobs-latest.txt"
# shellcheck source=../lib/server.sh
. "$here/bench/lib/server.sh"

command -v pgbench >/dev/null || { echo "pgbench is missing: apt-get install postgresql-contrib" >&2; exit 1; }
command -v zstd >/dev/null || { apt-get update -qq && apt-get install -y -qq zstd >/dev/null; }
[ -f "$here/server/target/lib/cairn-server.jar" ] || (cd "$here" && ./mvnw -q install -DskipTests)

rec date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
rec host "$(uname -srm), $(nproc) CPUs"
rec load_start "$(cut -d' ' -f1 /proc/loadavg)"
rec scale "$scale"
rec repeat "$repeat"
rec rounds "$rounds"

say "== pgbench database (scale $scale)"
psqlc -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
pgbench -h 127.0.0.1 -U postgres -i -s "$scale" -q "$db" >/dev/null 2>&1
psqlc -d "$db" -c "VACUUM ANALYZE"
rec db_bytes "$(psqlc -d "$db" -c "SELECT pg_database_size('$db')")"
psqlc -d postgres -c "DROP DATABASE IF EXISTS $warm_db WITH (FORCE)" -c "CREATE DATABASE $warm_db"
psqlc -d "$warm_db" -c "CREATE TABLE warm AS SELECT g AS id, md5(random()::text) AS a, random() AS b FROM generate_series(1, 500000) g"

say "== pg_dump alone (median of $repeat)"
time_cmd() { local t0 t1; t0=$(now); bash -c "$1"; t1=$(now); echo "$t1 - $t0" | bc; }
for kind in plain custom gzip; do
  case $kind in
    plain) cmd="pg_dump -h 127.0.0.1 -U postgres -d $db > /dev/null" ;;
    custom) cmd="pg_dump -h 127.0.0.1 -U postgres -d $db --format=custom --compress=0 > /dev/null" ;;
    gzip) cmd="pg_dump -h 127.0.0.1 -U postgres -d $db | gzip > /dev/null" ;;
  esac
  rec "pg_dump_${kind}_s" "$(for i in $(seq "$repeat"); do time_cmd "$cmd"; done | median)"
done
rec dump_custom_bytes "$(pg_dump -h 127.0.0.1 -U postgres -d "$db" --format=custom --compress=0 | wc -c)"
rec dump_zstd3_bytes "$(pg_dump -h 127.0.0.1 -U postgres -d "$db" --format=custom --compress=0 | zstd -3 -q -c | wc -c)"
rec dump_gzip_bytes "$(pg_dump -h 127.0.0.1 -U postgres -d "$db" | gzip | wc -c)"

trap 'stop_server; jobs -p | xargs -r kill 2>/dev/null' EXIT

# A server set up with $source (pgbench) and $warm_source (the warm-up database).
start_jobs_server() {
  start_server "$@"
  source=$(add_pg_source pgbench "$db")
  warm_source=$(add_pg_source warm-up "$warm_db")
}
# Four jobs of the warm-up database (random rows, nothing in common with pgbench's): the first stores its data,
# the others read it again. A server settles after a few jobs: with 50 clients on the event stream the server's
# CPU per job of a small database measured 0.71, 0.52, 0.46, 0.60, then 0.30-0.40 s like an unwatched server's
# (the code that sends events is compiled by then); telemetry's few writes likewise.
warm_up() { for _ in 1 2 3 4; do backup_job "$warm_source" FULL > /dev/null; done; }
backup() { backup_job "$source" "$@"; }
repo_bytes() { du -sb "$repo" | cut -f1; }

say "== server jobs: first backup, repeat, +1% rows, 1% rows updated"
start_jobs_server main
warm_up
before=$(repo_bytes)
read -r job wall read added _ < <(backup FULL)
after_first=$(repo_bytes)
rec first_job_s "$job"; rec first_wall_s "$wall"; rec first_bytes_read "$read"
rec first_stored_bytes "$((after_first - before))"
read -r job wall read added _ < <(backup INCREMENTAL)
after_repeat=$(repo_bytes)
rec repeat_job_s "$job"; rec repeat_stored_bytes "$((after_repeat - after_first))"
rows=$(psqlc -d "$db" -c "SELECT count(*) FROM pgbench_accounts")
psqlc -d "$db" -c "INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT aid + $rows, bid, abalance, filler FROM pgbench_accounts WHERE aid <= $rows / 100"
read -r job wall read added _ < <(backup INCREMENTAL)
after_append=$(repo_bytes)
rec append_job_s "$job"; rec append_stored_bytes "$((after_append - after_repeat))"
psqlc -d "$db" -c "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid % 100 = 7"
read -r job wall read added _ < <(backup INCREMENTAL)
after_update=$(repo_bytes)
rec update_job_s "$job"; rec update_stored_bytes "$((after_update - after_append))"
rec dump_zstd3_bytes_after_update "$(pg_dump -h 127.0.0.1 -U postgres -d "$db" --format=custom --compress=0 | zstd -3 -q -c | wc -c)"
stop_server

say "== first backups into fresh servers, five ways, in $rounds rounds (each round: pg_dump, then each way once)"
# Round-robin, so a drift of the machine's speed during the run falls on every way alike, and each round
# times pg_dump too, so the job-to-pg_dump ratio compares runs made minutes, not a quarter of an hour, apart.
psqlc -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
pgbench -h 127.0.0.1 -U postgres -i -s "$scale" -q "$db" >/dev/null 2>&1
psqlc -d "$db" -c "VACUUM ANALYZE"
modes=(default quiet dense watched cold)
declare -A round_times round_cpu
round_samples=""
for i in $(seq "$rounds"); do
  round_times[pg_dump]+="$(time_cmd "pg_dump -h 127.0.0.1 -U postgres -d $db > /dev/null") "
  for k in "${!modes[@]}"; do
    mode=${modes[$(( (k + i - 1) % ${#modes[@]} ))]} # each round starts with the next way
    case $mode in
      quiet) start_jobs_server "$mode-$i" --cairn.jobs.telemetry-interval=24h --cairn.jobs.progress-interval=24h ;;
      dense) start_jobs_server "$mode-$i" --cairn.jobs.telemetry-interval=100ms --cairn.jobs.progress-interval=100ms ;;
      *) start_jobs_server "$mode-$i" ;;
    esac
    if [ "$mode" = watched ]; then
      # connected before the warm-up jobs, so that they warm the event stream's code as well (a server with
      # dashboards open has sent events before); all 50 connected and idle before the job starts. The clients stand in
      # for browsers on other machines: they run at the lowest CPU priority, so that what is measured is the server's
      # work for them (sending every event 50 times, keeping 50 connections), not 50 curl processes taking turns on
      # the job's two cores (until 2026-12-05 they ran at normal priority: +4.0%, +7.7%, +4.6% in three runs)
      for c in $(seq 50); do nice -n 19 curl -sN -H "Authorization: Bearer $token" "$base/api/v1/backup/events" > /dev/null & done
      sleep 3
    fi
    [ "$mode" = cold ] || warm_up
    read -r job wall read added cpu < <(backup FULL)
    round_times[$mode]+="$job "
    round_cpu[$mode]+="$cpu "
    if [ "$mode" = dense ]; then # how many samples it took (its chart's points; progress was saved as often)
      round_samples+="$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/telemetry/history/$(cat "$work/last_backup_id")" |
        python3 -c 'import sys,json; print(len(json.load(sys.stdin)["rollup"]["points"]))') "
    fi
    [ "$mode" = watched ] && { jobs -p | grep -v "^$server_pid\$" | xargs -r kill 2>/dev/null || true; }
    stop_server
  done
done
rec rounds_pg_dump_s "${round_times[pg_dump]% }"
rec rounds_pg_dump_median_s "$(printf '%s\n' ${round_times[pg_dump]} | median)"
for mode in "${modes[@]}"; do
  rec "rounds_${mode}_cpu_s" "${round_cpu[$mode]% }"
  rec "rounds_${mode}_s" "${round_times[$mode]% }"
  rec "${mode}_first_job_s" "$(printf '%s\n' ${round_times[$mode]} | median)"
done
rec rounds_dense_samples "${round_samples% }"
rec load_end "$(cut -d' ' -f1 /proc/loadavg)"

python3 "$here/bench/jobs/report.py" "$txt" | tee "$here/bench/results/jobs-latest.md"
[ "$keep" = 1 ] || { rm -rf "$work"; psqlc -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $warm_db WITH (FORCE)"; }
