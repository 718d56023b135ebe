#!/usr/bin/env bash
# Makes sure OpenSSH's server (Debian openssh-server) is installed, so the SSH fleet tests can start
# real sshd daemons on 127.0.0.x. Installs it once with apt-get when missing; prints sshd's path.
# The tests start their own daemons with private configs (test/helpers/sshd.ts); nothing here starts
# or enables the system's sshd service.
set -euo pipefail
find_sshd() { command -v sshd 2>/dev/null || { [ -x /usr/sbin/sshd ] && echo /usr/sbin/sshd; } || true; }
sshd="$(find_sshd)"
if [ -z "$sshd" ]; then
  command -v apt-get >/dev/null || { echo "provision-sshd: sshd is missing and apt-get is not available; install OpenSSH's server" >&2; exit 1; }
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "provision-sshd: installing openssh-server (first time only)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  # policy-rc.d-less containers: the package's postinst may try to start the service; that is harmless.
  $sudo apt-get install -y -qq --no-install-recommends openssh-server >&2
  sshd="$(find_sshd)"
  [ -n "$sshd" ] || { echo "provision-sshd: openssh-server installed but sshd not found" >&2; exit 1; }
fi
# sshd refuses to start without its privilege-separation directory.
[ -d /run/sshd ] || { mkdir -p /run/sshd 2>/dev/null || sudo mkdir -p /run/sshd; }
echo "$sshd"
