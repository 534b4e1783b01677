#!/usr/bin/env bash
# Builds the web app into web/dist: two wasm modules, each cargo (wasm32,
# release) → wasm-bindgen → wasm-opt (npm binaryen; Debian's is too old),
# then the static files.
# - youjun: the page and its Monte Carlo worker, built without the `xlsx`
#   feature, so no Excel code is downloaded before the first chart;
# - youjun_excel: the library with `xlsx` (calamine, rust_xlsxwriter, zip),
#   loaded only by web/excel_worker.js when the planner imports a roster or
#   exports a workbook (src/ui/import_worker.rs).
# The Excel module is built with its own Cargo profile (`excel`, the release
# settings) so that each build keeps its own output and stays incremental.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/web/dist"
cd "$root"

rm -rf "$dist" && mkdir -p "$dist"
# module NAME PROFILE [cargo feature flags]: builds, binds and shrinks one module.
module() {
  local name=$1 profile=$2; shift 2
  # This crate is built at opt-level 3 natively (Cargo.toml), for the
  # engine's speed; in the browser the download counts more, so both modules
  # keep the size-first setting of every other crate.
  cargo build --profile "$profile" --lib --target wasm32-unknown-unknown \
    --config "profile.$profile.package.youjun.opt-level=\"z\"" "$@"
  wasm-bindgen --target web --no-typescript --out-dir "$dist" --out-name "$name" \
    "target/wasm32-unknown-unknown/$profile/youjun.wasm"
  "$root/web/node_modules/.bin/wasm-opt" -Oz "$dist/${name}_bg.wasm" -o "$dist/${name}_bg.wasm"
}
module youjun release --no-default-features
module youjun_excel excel
# Each module has the entry points it should, and only those.
if grep -q excel_parse_roster "$dist/youjun.js" || ! grep -q excel_parse_roster "$dist/youjun_excel.js"; then
  echo "[build] the Excel entry points are in the wrong module" >&2
  exit 1
fi
cp web/index.html web/boot.js web/worker.js web/excel_worker.js web/style.css "$dist/"

# What a visit downloads before the first chart (Chromium fetches these five
# and nothing else first), what right after it (the Monte Carlo worker, which
# loads the page's module too), and what only the first import or export does.
sizes() {
  local what=$1 raw_total=0 gz_total=0 f raw gz; shift
  for f in "$@"; do
    raw=$(stat -c %s "$dist/$f")
    gz=$(gzip -9 -c "$dist/$f" | wc -c)
    raw_total=$((raw_total + raw)); gz_total=$((gz_total + gz))
    printf '[build]   %-22s %9d bytes raw, %9d gzipped\n' "$f" "$raw" "$gz"
  done
  printf '[build] %s: %d bytes raw, %d gzipped\n' "$what" "$raw_total" "$gz_total"
}
sizes "before the first chart" index.html style.css boot.js youjun.js youjun_bg.wasm
sizes "after it, the Monte Carlo worker" worker.js
sizes "on the first import or export" excel_worker.js youjun_excel.js youjun_excel_bg.wasm

# Last, once web/dist holds everything: the service worker, with the list of
# the files above (whatever the steps above put there) and a cache name from
# their hashes (web/sw-manifest.mjs).
node "$root/web/sw-manifest.mjs" "$dist"
