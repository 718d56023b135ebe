#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, start the bundled target-service
# on its embedded SQLite store, run `loadctl phase validate` against it (the simple scenario at
# 1K RPS for 30 s over 2 local native-engine instances) and print the verdict; then drain the service.
# Exit code: the phase's (0 good; see README "Exit codes").
# It also leaves a `loadctl` command in .loadctl/bin (a two-line wrapper of this checkout's build) and prints
# the PATH line to use it: no `npm link`, which on a distro Node writes to /usr and needs sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
mkdir -p .loadctl/bin
printf '#!/bin/sh\nexec node "%s/dist/src/cli.js" "$@"\n' "$PWD" >.loadctl/bin/loadctl
chmod +x .loadctl/bin/loadctl
store=$(mktemp -d)
log=$(mktemp)
port=${PORT:-3000}
metrics_port=${METRICS_PORT:-9464}
node dist/src/cli.js target start --port "$port" --metrics-port "$metrics_port" --store "$store" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$store" "$log"' EXIT
for _ in $(seq 50); do grep -q 'listening on' "$log" && break; sleep 0.2; done
cat "$log"
grep -q 'listening on' "$log" || { echo "target-service did not start" >&2; exit 1; }
status=0
node dist/src/cli.js phase validate --target "http://127.0.0.1:$port" --target-metrics "http://127.0.0.1:$metrics_port/metrics" \
  --out .loadctl/reports/validate.json "$@" || status=$?
kill -TERM "$pid"
wait "$pid" || true
tail -n 1 "$log"
echo "phase report: .loadctl/reports/validate.json"
echo "loadctl is in $PWD/.loadctl/bin; to call it as \`loadctl\` (README examples), run:"
echo "  export PATH=\"$PWD/.loadctl/bin:\$PATH\""
exit "$status"
