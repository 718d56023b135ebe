#!/usr/bin/env bash
# Test host names in /etc/hosts, for the tests of how the engines resolve a target (issue 19):
#   loadctl-multi.test → 127.0.0.2 and 127.0.0.3 (a name with two addresses: connections go to both)
#   loadctl-wrong.test → 127.0.0.1 (a name no test certificate carries: TLS must refuse it)
# Only loopback addresses, under the reserved .test domain; added once between marker lines, left in
# place afterwards (harmless, and the next run finds them). Needs root (or sudo) the first time.
set -euo pipefail
hosts=/etc/hosts
begin='# loadctl test hosts (scripts/provision-test-hosts.sh)'
if ! grep -qF "$begin" "$hosts"; then
  block="$begin
127.0.0.2 loadctl-multi.test
127.0.0.3 loadctl-multi.test
127.0.0.1 loadctl-wrong.test
# end of loadctl test hosts"
  if [ -w "$hosts" ]; then
    printf '%s\n' "$block" >> "$hosts"
  else
    printf '%s\n' "$block" | sudo tee -a "$hosts" >/dev/null
  fi
fi
# glibc returns every address of a name from /etc/hosts only with 'multi on' (Debian's default).
getent ahostsv4 loadctl-multi.test | grep -q 127.0.0.3 || { echo "provision-test-hosts: loadctl-multi.test does not resolve to both addresses; is 'multi on' in /etc/host.conf?" >&2; exit 1; }
echo ok
