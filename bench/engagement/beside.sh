#!/usr/bin/env bash
# Times /r/{code} redirects while CONNECTIONS engagement reports (30 days,
# every field) run at once for 15 s: how much a dashboard refresh storm
# slows the ambassadors' side of the API. Needs wrk, curl and python3, a
# running server and the fixtures of seed-bench.
#
#   BASE=http://127.0.0.1:8080 FIXTURES=bench/out/fixtures.json bench/engagement/beside.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${BASE:-http://127.0.0.1:8080}
FIXTURES=${FIXTURES:-bench/out/fixtures.json}
CONNECTIONS=${CONNECTIONS:-32}

read -r email password from to code < <(python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); print(f["hr_email"], f["password"], f["engagement"]["from_30"], f["engagement"]["to"], f["tracking_codes"][0])' "$FIXTURES")
token=$(curl -sf "$BASE/graphql" -H 'content-type: application/json' \
  -d "{\"query\":\"mutation(\$e:String!,\$p:String!){login(email:\$e,password:\$p){accessToken}}\",\"variables\":{\"e\":\"$email\",\"p\":\"$password\"}}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
query=$(sed -n "s/^QUERY='\(.*\)'$/\1/p" bench/engagement/time.sh)
pool=$(mktemp)
trap 'rm -f "$pool"' EXIT
python3 -c 'import json,sys; print("POST\t/graphql\t%s\t%s" % (sys.argv[1], json.dumps({"query": sys.argv[2], "variables": {"f": {"from": sys.argv[3], "to": sys.argv[4]}}})))' \
  "$token" "$query" "$from" "$to" >"$pool"

wrk -t 2 -c "$CONNECTIONS" -d 15s -s bench/wrk/pool.lua "$BASE" -- "$pool" 1 | tail -1 >"$pool.wrk" &
sleep 4
for _ in $(seq 10); do
  curl -s -o /dev/null -w '%{time_total}\n' "$BASE/r/$code"
  sleep 0.5
done | sort -n | python3 -c 'import sys; v=[float(x)*1000 for x in sys.stdin]; print("redirect during the reports: median %.1f ms, max %.1f ms (n=%d)" % (v[len(v)//2], v[-1], len(v)))'
wait
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("reports: %.1f/s, p50 %.0f ms, p99 %.0f ms, errors %d" % (r["requests"]/(r["duration_us"]/1e6), r["p50_us"]/1000, r["p99_us"]/1000, sum(v for k,v in r.items() if k.startswith("errors"))))' "$pool.wrk"
rm -f "$pool.wrk"
