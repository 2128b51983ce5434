#!/usr/bin/env bash
# Fuzzes POST /graphql with schemathesis (PyPI): it reads the schema by
# introspection and generates queries and mutations, valid and invalid
# values alike (NUL bytes included), for every root field. Two runs against a
# release server on the demo data: not signed in, then signed in as the demo
# ADMIN (who may call nearly everything). Any 5xx response fails the run.
#   bash tests/fuzz/run.sh                 # CASES=150 per root field, ~6,000 a run
#   CASES=20 bash tests/fuzz/run.sh        # a quick look
#   FUZZ_DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_fuzz bash tests/fuzz/run.sh
#                                          # on PostgreSQL: the database is dropped and created
# WORKERS (2) requests run at once.
set -euo pipefail
cd "$(dirname "$0")/../.."
CASES=${CASES:-150}
SEED=${SEED:-20261201}
BIN=${BIN:-target/release/advocacy}
[ -x "$BIN" ] || cargo build --release --locked
command -v schemathesis >/dev/null || pip install -q schemathesis
WORK=$(mktemp -d)
if [ -n "${FUZZ_DATABASE_URL:-}" ]; then
  DB=${FUZZ_DATABASE_URL##*/}
  psql "${FUZZ_DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\"" -c "CREATE DATABASE \"$DB\""
  export DATABASE_URL=$FUZZ_DATABASE_URL
else
  export DATABASE_URL="sqlite://$WORK/fuzz.db?mode=rwc"
fi
export JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
"$BIN" migrate
"$BIN" seed-demo >/dev/null
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BIND="127.0.0.1:$PORT" ACCESS_TOKEN_TTL_SECONDS=86400 RUST_LOG=${RUST_LOG:-warn} \
  "$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; echo "server log: $WORK/server.log"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
URL="http://127.0.0.1:$PORT/graphql"
TOKEN=$(curl -fs "$URL" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(email: \"admin@demo.example\", password: \"demo-password-2026\") { accessToken } }"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
# tests/fuzz/hooks.py defines the check: no HTTP 5xx, no INTERNAL_SERVER_ERROR.
export PYTHONPATH="$PWD/tests/fuzz${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=hooks
fuzz() {
  schemathesis run "$URL" --checks no_server_error --max-examples "$CASES" --seed "$SEED" \
    --workers "${WORKERS:-2}" --no-color --continue-on-failure "$@"
}
echo "== not signed in"
fuzz
echo "== signed in as admin@demo.example"
fuzz -H "Authorization: Bearer $TOKEN"
