#!/usr/bin/env bash
# Builds a real Kubernetes control plane for the kubernetes-runner tests from the Go module proxy:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (which stands in for the kubelet
# only). Cached outside the repo, keyed by the pinned versions; reused when present. Prints the bin dir.
# Why a wrapper module: k8s.io/kubernetes replaces its k8s.io/* staging modules with ./staging paths, which
# a dependent module cannot see; the wrapper replaces each of them with its published v0.x twin instead.
# Why one `go build` for the three kube binaries: they share most packages, so one build compiles them once.
set -euo pipefail
k8s="${LOADCTL_K8S_VERSION:-v1.36.3}"   # kwok v0.8.0 is built against k8s.io/* v0.36
etcd="${LOADCTL_ETCD_VERSION:-v3.6.16}"
kwok="${LOADCTL_KWOK_VERSION:-v0.8.0}"
cache="${LOADCTL_CACHE:-$HOME/.cache/loadctl}/kube/k8s-$k8s-etcd-$etcd-kwok-$kwok"
bin="$cache/bin"
all=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
have() { for b in "${all[@]}"; do [ -x "$bin/$b" ] || return 1; done; }
if have; then echo "$bin"; exit 0; fi
command -v go >/dev/null || { echo "provision-kube: Go is required (https://go.dev/dl) to build the control plane" >&2; exit 1; }
# Two shared cores: build politely. GOTOOLCHAIN=local: a dependency's toolchain line must not fetch another Go.
export GOFLAGS="-trimpath -mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
ld="-s -w"
echo "provision-kube: building etcd $etcd, kubernetes $k8s, kwok $kwok (first time only, many minutes)…" >&2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$bin"

if [ ! -x "$bin/etcd" ]; then
  mkdir -p "$work/etcd"
  cat > "$work/etcd/go.mod" <<EOF
module loadctl.local/etcd
go 1.26.0
require go.etcd.io/etcd/server/v3 $etcd
EOF
  # etcd's own main.go is this one call, in the root module that the proxy does not build alone.
  cat > "$work/etcd/main.go" <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$work/etcd" && go mod tidy >&2 && nice -n 19 go build -ldflags="$ld" -o "$bin/etcd.tmp" . >&2)
  mv "$bin/etcd.tmp" "$bin/etcd"
fi

if [ ! -x "$bin/kwok" ]; then
  GOBIN="$work/kwok-bin" nice -n 19 go install -ldflags="$ld" "sigs.k8s.io/kwok/cmd/kwok@$kwok" >&2
  mv "$work/kwok-bin/kwok" "$bin/kwok"
fi

if [ ! -x "$bin/kube-apiserver" ] || [ ! -x "$bin/kube-controller-manager" ] || [ ! -x "$bin/kube-scheduler" ]; then
  gomod=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$k8s" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$gomod" ] || { echo "provision-kube: could not download k8s.io/kubernetes@$k8s" >&2; exit 1; }
  staging="v0.${k8s#v1.}"
  mkdir -p "$work/kube"
  {
    echo "module loadctl.local/kube"
    echo "go 1.26.0"
    echo "require k8s.io/kubernetes $k8s"
    echo "replace ("
    sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*#\t\1 => \1 '"$staging"'#p' "$gomod"
    echo ")"
  } > "$work/kube/go.mod"
  # Version stamps: without them the apiserver says v0.0.0-master and clients' discovery looks odd.
  minor="${k8s#v1.}"; minor="${minor%%.*}"
  v="k8s.io/component-base/version"
  kld="$ld -X $v.gitVersion=$k8s -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  (cd "$work/kube" && nice -n 19 go build -ldflags="$kld" -o "$work/kube-bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler >&2)
  mv "$work/kube-bin/"* "$bin/"
fi

have || { echo "provision-kube: a binary is missing from $bin after the build" >&2; exit 1; }
echo "$bin"
