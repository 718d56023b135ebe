#!/usr/bin/env bash
# `npm run build:engine`: builds the rust engine (engine-rust/) as a static binary and puts it where the
# agent finds it (dist/engine/loadctl-engine, docs/rust-engine.md). Idempotent: cargo's own cache makes a
# second run a no-op, and the copy happens only when the binary changed. Static: the musl target when it
# is installed, else glibc with crt-static (name resolution stays in Node, so no NSS is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
  echo "build:engine: cargo not found — install Rust (https://rustup.rs) or run with --engine node" >&2
  exit 1
fi
if rustup target list --installed 2>/dev/null | grep -qx 'x86_64-unknown-linux-musl'; then
  target=x86_64-unknown-linux-musl
  rustflags=""
else
  target="$(rustc -vV | sed -n 's/^host: //p')"
  rustflags="-C target-feature=+crt-static"
fi
# nice: the build shares the machine with running tests and benches.
RUSTFLAGS="$rustflags" nice -n 10 cargo build --release --locked --quiet --manifest-path engine-rust/Cargo.toml --target "$target"
built="engine-rust/target/$target/release/loadctl-engine"
mkdir -p dist/engine
if ! cmp -s "$built" dist/engine/loadctl-engine; then
  cp "$built" dist/engine/loadctl-engine.tmp && mv dist/engine/loadctl-engine.tmp dist/engine/loadctl-engine
fi
echo "dist/engine/loadctl-engine ($target, $(dist/engine/loadctl-engine --version))" >&2
