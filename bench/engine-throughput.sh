#!/usr/bin/env bash
# Native engine vs autocannon / wrk / vegeta (bench/engine-throughput.ts), under the shared bench lock.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
npx tsc -p .
echo "CPU idle before the run: $(top -bn1 | grep 'Cpu(s)' | grep -oE '[0-9.]+ id' | cut -d' ' -f1) %"
exec flock /tmp/loadctl-bench.lock node dist/bench/engine-throughput.js
