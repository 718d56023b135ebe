#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what is missing (npm deps, FerretDB), builds,
# type-checks, lints, then runs every test with node's test runner against the compiled tree.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
LOADCTL_FERRETDB="$(bash scripts/provision-ferretdb.sh)"
export LOADCTL_FERRETDB
LOADCTL_SSHD="$(bash scripts/provision-sshd.sh)"  # real sshd for the SSH fleet tests (apt-get install once)
export LOADCTL_SSHD
bash scripts/provision-test-hosts.sh >/dev/null  # test names in /etc/hosts: one with two loopback addresses, one no certificate carries
LOADCTL_CHROMIUM="$(bash scripts/provision-chromium.sh)"  # headless Chromium for the HTML report test (apt-get install once)
export LOADCTL_CHROMIUM
LOADCTL_KUBE_BIN="$(bash scripts/provision-kube.sh)"  # etcd, kube-apiserver, controller-manager, scheduler, kwok (built once, cached)
export LOADCTL_KUBE_BIN
rm -rf dist
npx tsc -p .
npx tsc -p tsconfig.types.json   # dist/types: the declarations package.json `exports` names
node scripts/bundle-agent.mjs  # dist/loadctl-agent.mjs: the single-file agent (test/agent, fleet provision)
bash scripts/build-engine.sh  # dist/engine/loadctl-engine: the rust engine (cargo; cached, so quick after the first build)
npx eslint .
mapfile -t tests < <(find dist/test -name '*.test.js' | sort)
# One file at a time: the load tests share two cores, and their bounds assume they run alone.
node --test --test-concurrency=1 --test-timeout=300000 "${tests[@]}"
