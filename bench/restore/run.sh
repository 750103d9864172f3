#!/usr/bin/env bash
# Restore benchmark (issue 5's targets besides the side-by-side restore of bench/run.sh), results in
# docs/benchmarks.md ("Restores and downloads").
#
# In one run, on one server:
#  - a pgbench database (scale 50 by default) backed up by a job, then restored by the server into a new
#    database (median of N), against pg_restore loading the same dump (pg_dump --format=custom
#    --compress=0, what Cairn stores) from a file into a new database with the same options Cairn uses
#    (--exit-on-error --single-transaction --no-owner --no-privileges), median of N;
#  - a single 1 GiB file of random bytes backed up, then downloaded through a browse session over loopback
#    with curl (median of N), with the server's resident memory sampled every 0.1 s during each download.
#
# Usage: bench/restore/run.sh [--scale N] [--repeat N] [--file-mib N] [--work DIR] [--keep]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale=50
repeat=3
file_mib=1024
work=${CAIRN_BENCH_DIR:-/tmp/cairn-bench-restore}
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --file-mib) file_mib=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
db=cairn_bench_restore_src
port=18091
txt="$here/bench/results/restore-latest.txt"
# shellcheck source=../lib/server.sh
. "$here/bench/lib/server.sh"
drop_db() { psqlc -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
trap 'stop_server; jobs -p | xargs -r kill 2>/dev/null' EXIT

command -v pgbench >/dev/null || { echo "pgbench is missing: apt-get install postgresql-contrib" >&2; exit 1; }
[ -f "$here/server/target/lib/cairn-server.jar" ] || (cd "$here" && ./mvnw -q install -DskipTests)

rec date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
rec host "$(uname -srm), $(nproc) CPUs"
rec load_start "$(cut -d' ' -f1 /proc/loadavg)"
rec scale "$scale"
rec repeat "$repeat"
rec file_mib "$file_mib"

say "== pgbench database (scale $scale)"
drop_db "$db"
psqlc -d postgres -c "CREATE DATABASE $db"
pgbench -h 127.0.0.1 -U postgres -i -s "$scale" -q "$db" >/dev/null 2>&1
psqlc -d "$db" -c "VACUUM ANALYZE"
rec db_bytes "$(psqlc -d "$db" -c "SELECT pg_database_size('$db')")"
rows=$(psqlc -d "$db" -c "SELECT count(*) FROM pgbench_accounts")
rec accounts_rows "$rows"

say "== pg_restore of the same dump from a file (median of $repeat)"
pg_dump -h 127.0.0.1 -U postgres -d "$db" --format=custom --compress=0 -f "$work/ref.pgdump"
rec dump_bytes "$(stat -c %s "$work/ref.pgdump")"
times=()
for i in $(seq "$repeat"); do
  drop_db cairn_bench_ref; psqlc -d postgres -c "CREATE DATABASE cairn_bench_ref"
  sync; t0=$(now)
  pg_restore -h 127.0.0.1 -U postgres --no-password --exit-on-error --single-transaction --no-owner --no-privileges \
    -d cairn_bench_ref "$work/ref.pgdump"
  t1=$(now); times+=("$(echo "$t1 - $t0" | bc)")
done
rec pg_restore_s "$(printf '%s\n' "${times[@]}" | median)"
[ "$(psqlc -d cairn_bench_ref -c "SELECT count(*) FROM pgbench_accounts")" = "$rows" ]
drop_db cairn_bench_ref

say "== Cairn: backup job, then restores into new databases (median of $repeat)"
start_server main
source=$(add_pg_source pgbench "$db")
read -r job wall _ _ < <(backup_job "$source" FULL)
backup_id=$(cat "$work/last_backup_id")
rec backup_job_s "$job"
times=(); walls=()
for i in $(seq "$repeat"); do
  target="cairn_bench_rst_$i"
  drop_db "$target"
  sync; t0=$(now)
  op=$(curl -s -X POST "$base/api/v1/backup/$backup_id/restore" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"database\":\"$target\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["operationId"])')
  body=$(await_end "/api/v1/restores/$op")
  t1=$(now)
  echo "$body" | grep -q '"status":"SUCCEEDED"' || { echo "restore $op: $body" >&2; exit 1; }
  [ "$(psqlc -d "$target" -c "SELECT count(*) FROM pgbench_accounts")" = "$rows" ]
  times+=("$(json_seconds "$body" startedAt finishedAt)"); walls+=("$(echo "$t1 - $t0" | bc)")
  drop_db "$target"
done
rec cairn_restore_s "$(printf '%s\n' "${times[@]}" | median)"
rec cairn_restore_wall_s "$(printf '%s\n' "${walls[@]}" | median)"

say "== a ${file_mib} MiB file: backup, then downloads over loopback (median of $repeat)"
mkdir -p "$work/files"
head -c "$((file_mib * 1024 * 1024))" /dev/urandom > "$work/files/big.bin"
files_source=$(add_source files "\"type\":\"PATH\",\"path\":\"$work/files\"")
read -r job _ _ _ < <(backup_job "$files_source" FULL)
rec file_backup_job_s "$job"
mount=$(curl -s -X POST "$base/api/v1/restore/mount" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"backupId\":$(cat "$work/last_backup_id")}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
url="$base/api/v1/restore/$mount/download?path=$work/files/big.bin"
server_java=$(pgrep -P "$server_pid" java || echo "$server_pid")
# A first download compiles the path (as any server that has served one); it is not counted.
curl -s -o /dev/null -H "Authorization: Bearer $token" "$url"
rss_before=$(rss_kib "$server_java")
speeds=(); peaks=()
for i in $(seq "$repeat"); do
  peak=0
  curl -s -o "$work/download.bin" -w '%{speed_download}\n' -H "Authorization: Bearer $token" "$url" > "$work/speed" &
  curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    r=$(rss_kib "$server_java"); [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.1
  done
  wait "$curl_pid"
  cmp -s "$work/download.bin" "$work/files/big.bin" || { echo "the download differs from the file" >&2; exit 1; }
  speeds+=("$(awk '{printf "%.1f", $1 / 1e6}' "$work/speed")"); peaks+=("$peak")
done
rec download_mb_s "$(printf '%s\n' "${speeds[@]}" | median)"
rec download_mb_s_all "${speeds[*]}"
rec rss_before_download_mib "$((rss_before / 1024))"
rec rss_peak_download_mib "$(( $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) / 1024 ))"
rec rss_after_download_mib "$(( $(rss_kib "$server_java") / 1024 ))"
stop_server
rec load_end "$(cut -d' ' -f1 /proc/loadavg)"

python3 - "$txt" <<'PY' | tee "$here/bench/results/restore-latest.md"
import sys
v = dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[1]) if "=" in line)
f = lambda k: float(v[k])
ratio = f("cairn_restore_s") / f("pg_restore_s")
print(f"# Restores and downloads, {v['date']} ({v['host']}; load {v['load_start']} -> {v['load_end']})\n")
print("| measure | Cairn | reference | ratio | target | met |")
print("|---|---:|---:|---:|---|---|")
print(f"| restore of pgbench scale {v['scale']} ({int(v['accounts_rows']):,} rows, dump {int(v['dump_bytes']) / 2**20:,.0f} MiB) "
      f"into a new database, s (median of {v['repeat']}) | {f('cairn_restore_s'):.2f} | pg_restore from the file {f('pg_restore_s'):.2f} "
      f"| {ratio:.2f}x | at most 1.2x | {'yes' if ratio <= 1.2 else 'no'} |")
mb = f("download_mb_s")
grow = int(v["rss_peak_download_mib"]) - int(v["rss_before_download_mib"])
print(f"| download of one {v['file_mib']} MiB file over loopback, MB/s (median of {v['repeat']}: {v['download_mb_s_all']}) "
      f"| {mb:.0f} | | | at least 200 MB/s | {'yes' if mb >= 200 else 'no'} |")
print(f"| server memory during the downloads (RSS before / peak / after, MiB) | {v['rss_before_download_mib']} / "
      f"{v['rss_peak_download_mib']} / {v['rss_after_download_mib']} | | +{grow} MiB | flat | {'yes' if grow <= 64 else 'no'} |")
print(f"\nAlso: the backup job of the database took {f('backup_job_s'):.2f} s; the restore's wall time through the API "
      f"(request to the poll that saw it end, 1 s polls) {f('cairn_restore_wall_s'):.2f} s.")
PY
[ "$keep" = 1 ] || { rm -rf "$work"; drop_db "$db"; }
