#!/usr/bin/env bash
# The main job on a fresh machine, as far as this repository goes today: install what is missing,
# build, start the bundled target-service on its embedded store, send it a short burst of realistic
# events of all ten types, print what it accepted and stored, and drain it.
# `loadctl phase validate` will replace the burst once a load engine is available (see README: Status).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx tsc -p .
store=$(mktemp -d)
log=$(mktemp)
node dist/src/cli.js target start --port "${PORT:-3000}" --metrics-port "${METRICS_PORT:-9464}" --store "$store" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q 'listening on' "$log" && break; sleep 0.2; done
cat "$log"
grep -q 'listening on' "$log" || { echo "target-service did not start" >&2; exit 1; }
url=$(grep -o 'listening on http://[^ ]*' "$log" | cut -d' ' -f3)
node dist/scripts/smoke-burst.js "$url"
kill -TERM "$pid"
wait "$pid"
trap - EXIT
tail -n 2 "$log"
node -e 'const D=require("better-sqlite3");const db=new D(process.argv[1],{readonly:true});console.log("stored: "+db.prepare("select count(*) from events").pluck().get()+" events in "+process.argv[1])' "$store/events.sqlite"
rm -rf "$store" "$log"
