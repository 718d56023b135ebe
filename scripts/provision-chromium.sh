#!/usr/bin/env bash
# Installs Debian's `chromium` for the HTML report test (headless, driven by playwright-core), unless
# it is already there. Prints the binary's path. Debian's package: playwright's own browser download
# is not used (the machines reach package registries only).
set -euo pipefail
bin="${LOADCTL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then echo "$bin"; exit 0; fi
command -v apt-get >/dev/null || { echo "provision-chromium: apt-get not found; install Chromium and set LOADCTL_CHROMIUM" >&2; exit 1; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "provision-chromium: installing Debian's chromium (first time only)…" >&2
export DEBIAN_FRONTEND=noninteractive
# fonts-dejavu-core: without recommends, nothing else guarantees a font for the screenshots' text.
# The package lists may be missing or stale on a fresh machine: refresh them once, then retry.
$sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2; }
"$bin" --version >&2
echo "$bin"
