#!/usr/bin/env bash
# Times pages of a big folder through the browse API of a running Cairn server (docs/benchmarks.md,
# "Browsing"). Make the folder first, for example 100,000 empty files:
#   mkdir -p /tmp/big && (cd /tmp/big && seq -f 'f%06g.txt' 0 99999 | xargs touch)
# add it as a PATH source, back it up, then:
#   bench/browse/pages.sh --url http://localhost:8080 --token "$TOKEN" --backup 12 --path /tmp/big
# Prints the time to open the session (the first browse builds the catalog), then the median and the
# slowest of 50 pages of 100 entries at random offsets.
set -euo pipefail

url=http://localhost:8080 token=${CAIRN_TOKEN:-} backup= path=/ pages=50 limit=100
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    --backup) backup=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    *) echo "unknown option $1; see the comment at the top of $0" >&2; exit 2 ;;
  esac
done
[ -n "$token" ] && [ -n "$backup" ] || { echo "give --token (or CAIRN_TOKEN) and --backup" >&2; exit 2; }
auth=(-H "Authorization: Bearer $token")

start=$(date +%s%N)
mount=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d "{\"backupId\":$backup}" \
  "$url/api/v1/restore/mount" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "open session (builds the catalog on the first browse): $(( ($(date +%s%N) - start) / 1000000 )) ms"

enc=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$path")
total=$(curl -sf "${auth[@]}" "$url/api/v1/restore/$mount/files?path=$enc&limit=1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "folder $path: $total entries"

times=()
for _ in $(seq "$pages"); do
  offset=$(( RANDOM * 32768 + RANDOM ))
  offset=$(( total > limit ? offset % (total - limit) : 0 ))
  times+=("$(curl -sf -o /dev/null -w '%{time_total}' "${auth[@]}" \
    "$url/api/v1/restore/$mount/files?path=$enc&offset=$offset&limit=$limit")")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "pages of %d: median %.1f ms, slowest %.1f ms (%d requests)\n", '"$limit"', a[int((NR+1)/2)]*1000, a[NR]*1000, NR}'
curl -sf -o /dev/null "${auth[@]}" -X DELETE "$url/api/v1/restore/$mount"
