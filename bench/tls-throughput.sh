#!/usr/bin/env bash
# Issue 19's TLS bench (bench/tls-throughput.ts): native engine, wrk and autocannon over TLS vs plain HTTP
# against one nginx, and CPU per new connection; under the shared bench lock.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in nginx wrk openssl taskset; do
  command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y nginx wrk openssl util-linux" >&2; exit 1; }
done
npx tsc -p .
exec flock /tmp/loadctl-bench.lock node dist/bench/tls-throughput.js
