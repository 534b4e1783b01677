#!/usr/bin/env bash
# Builds the web app into web/dist: cargo (wasm32, release) → wasm-bindgen →
# wasm-opt (npm binaryen; Debian's is too old) → static files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/web/dist"
cd "$root"

cargo build --release --lib --target wasm32-unknown-unknown
rm -rf "$dist" && mkdir -p "$dist"
wasm-bindgen --target web --no-typescript --out-dir "$dist" --out-name youjun \
  target/wasm32-unknown-unknown/release/youjun.wasm
"$root/web/node_modules/.bin/wasm-opt" -Oz "$dist/youjun_bg.wasm" -o "$dist/youjun_bg.wasm"
cp web/index.html web/boot.js web/worker.js web/style.css "$dist/"

raw=$(stat -c %s "$dist/youjun_bg.wasm")
gz=$(gzip -9 -c "$dist/youjun_bg.wasm" | wc -c)
echo "[build] youjun_bg.wasm: $raw bytes raw, $gz bytes gzipped"

# Last, once web/dist holds everything: the service worker, with the list of
# the files above (whatever the steps above put there) and a cache name from
# their hashes (web/sw-manifest.mjs).
node "$root/web/sw-manifest.mjs" "$dist"
