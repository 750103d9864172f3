# Shared by the server benchmarks (bench/jobs, bench/restore); source it after setting $here, $work, $port and
# $txt (the key=value results file, emptied here). say: a line on stderr; rec KEY VALUE: a result, recorded and
# said; psqlc: psql as postgres on 127.0.0.1, quiet, unaligned, stopping at the first error.
# start_server NAME [ARGS...]: a server on a fresh data directory under $work, set up through the real setup
# form, with $token (an API access token), $base, $server_pid and $repo set. backup_job SOURCE [TYPE]: one
# backup job through the API; prints "job_seconds wall_seconds bytes_read bytes_added server_cpu_seconds" (the
# CPU the server process used from the request to the end, polling included) and leaves the job's id in
# $work/last_backup_id.
base="http://127.0.0.1:$port"
mkdir -p "$work" "$(dirname "$txt")"
: > "$txt"
say() { echo "$*" >&2; }
rec() { echo "$1=$2" >> "$txt"; say "  $1 = $2"; }
psqlc() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
server_pid=""
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; server_pid=""; }

start_server() {
  local data="$work/data-$1"
  rm -rf "$data"
  CAIRN_NO_BUILD=1 "$here/bin/cairn" server --port "$port" --data-dir "$data" "${@:2}" > "$work/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 120); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.5; done
  local jar="$work/cookies-$1"
  rm -f "$jar"
  local csrf
  csrf=$(curl -s -c "$jar" -b "$jar" "$base/setup" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "username=bench" \
    --data-urlencode "password=granite river lantern" --data-urlencode "confirmPassword=granite river lantern" "$base/setup"
  token=$(curl -s -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"granite river lantern"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["accessToken"])')
  repo="$data/repository"
}

# add_source NAME JSON-FIELDS: creates a source; prints its id.
add_source() {
  curl -s -X POST "$base/api/v1/sources" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",$2}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])'
}
add_pg_source() { add_source "$1" "\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\",\"database\":\"$2\",\"username\":\"postgres\",\"tlsMode\":\"DISABLE\""; }

# Polls an API resource once a second until its "status" is neither QUEUED nor RUNNING; prints its body.
# (One light curl a second: a poller that started Python five times a second took CPU from the work on this
# 2-core machine, ~20% longer jobs.)
await_end() {
  local body status
  while true; do
    sleep 1
    body=$(curl -s "$base$1" -H "Authorization: Bearer $token")
    status=$(echo "$body" | grep -o '"status":"[A-Z]*"' | head -1 | cut -d'"' -f4)
    [ "$status" = QUEUED ] || [ "$status" = RUNNING ] || break
  done
  echo "$body"
}

# Seconds between two ISO instants of a JSON body: json_seconds BODY FROM_FIELD TO_FIELD.
json_seconds() {
  echo "$1" | python3 -c '
import sys, json
from datetime import datetime
b = json.load(sys.stdin)
p = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
print((p(b[sys.argv[2]]) - p(b[sys.argv[1]])).total_seconds())' "$2" "$3"
}

# CPU seconds (user + system) the server process has used so far.
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$server_pid/stat"; }

backup_job() {
  local t0 id body c0
  t0=$(now)
  c0=$(server_cpu)
  id=$(curl -s -X POST "$base/api/v1/backup/start" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"sourceId\":$1,\"type\":\"${2:-INCREMENTAL}\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["backups"][0]["id"])')
  body=$(await_end "/api/v1/backup/$id")
  echo "$body" | grep -q '"status":"SUCCEEDED"' || { echo "backup $id: $body" >&2; exit 1; }
  echo "$id" > "$work/last_backup_id" # callers read it from there: $(backup_job ...) runs in a subshell
  local t1 c1; t1=$(now); c1=$(server_cpu)
  echo "$(json_seconds "$body" startedAt finishedAt) $(echo "$t1 - $t0" | bc) $(echo "$body" | python3 -c '
import sys, json; b = json.load(sys.stdin); print(b["bytesRead"], b["bytesAdded"])') $(echo "$c1 - $c0" | bc)"
}
