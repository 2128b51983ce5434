#!/usr/bin/env bash
# Starts the server on a free port with an empty SQLite database, runs
# graphql-http's GraphQL-over-HTTP audits against it (audit.mjs), stops it.
#   bash tests/audit/run.sh [path/to/advocacy]   (default target/release/advocacy)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/advocacy}
[ -x "$BIN" ] || cargo build --release --locked
if [ ! -d tests/audit/node_modules/graphql-http ]; then
  (cd tests/audit && npm ci --no-audit --no-fund --silent)
fi
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL="sqlite://$WORK/audit.db?mode=rwc" BIND="127.0.0.1:$PORT" RUST_LOG=warn \
  "$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.1
done
node tests/audit/audit.mjs "http://127.0.0.1:$PORT/graphql"
