#!/usr/bin/env bash
# Times the engagement report over HTTP against a running server: the median
# of RUNS requests for a 365-day and a 30-day report with every field, ending
# on END_DAY. Needs curl and python3.
#
#   BASE=http://127.0.0.1:8080 EMAIL=admin@bench.example PASSWORD=... \
#   END_DAY=2026-11-26 RUNS=21 bench/engagement/time.sh
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8080}
EMAIL=${EMAIL:-admin@bench.example}
PASSWORD=${PASSWORD:-bench-password-1}
END_DAY=${END_DAY:-2026-11-26}
RUNS=${RUNS:-21}

token=$(curl -sf "$BASE/graphql" -H 'content-type: application/json' \
  -d "{\"query\":\"mutation(\$e:String!,\$p:String!){login(email:\$e,password:\$p){accessToken}}\",\"variables\":{\"e\":\"$EMAIL\",\"p\":\"$PASSWORD\"}}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')

QUERY='query($f: EngagementFilter!) { engagement(filter: $f) { from to totals { shares activeAmbassadors enrolledAmbassadors participationRate potentialReach clicks clickThroughRate earnedMediaValue networkMultiplier } daily { date shares clicks potentialReach } byNetwork { network shares clicks potentialReach } byGroup { group { id name } shares activeAmbassadors enrolledAmbassadors participationRate } topContent(first: 10) { content { id title } shares clicks potentialReach } topAmbassadors(first: 10) { user { id displayName } shares clicks potentialReach } funnel { employees invited active paused declined withdrawn } } }'

run() { # days [extra filter JSON]
  local days=$1 extra=${2:-}
  local from
  from=$(date -u -d "$END_DAY - $((days - 1)) days" +%F)
  local body
  body=$(python3 -c 'import json,sys; f={"from":sys.argv[2],"to":sys.argv[3]}; f.update(json.loads(sys.argv[4] or "{}")); print(json.dumps({"query":sys.argv[1],"variables":{"f":f}}))' "$QUERY" "$from" "$END_DAY" "$extra")
  # One warm-up request, checked for errors.
  curl -sf "$BASE/graphql" -H 'content-type: application/json' -H "authorization: Bearer $token" -d "$body" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); assert "errors" not in r, r["errors"]; t=r["data"]["engagement"]["totals"]; print("   totals:", json.dumps(t))'
  for _ in $(seq "$RUNS"); do
    curl -s -o /dev/null -w '%{time_total}\n' "$BASE/graphql" -H 'content-type: application/json' \
      -H "authorization: Bearer $token" -d "$body"
  done | sort -n | python3 -c 'import sys; v=[float(x)*1000 for x in sys.stdin]; print("   median %.1f ms  min %.1f ms  max %.1f ms  (n=%d)" % (v[len(v)//2], v[0], v[-1], len(v)))'
}

for spec in "365" "30" "365 {\"network\":\"LINKEDIN\"}" "30 {\"network\":\"LINKEDIN\"}"; do
  set -- $spec
  echo "engagement, $1 days ending $END_DAY ${2:-}"
  run "$1" "${2:-}"
done
