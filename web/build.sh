#!/usr/bin/env bash
# Builds the web app into web/dist: three wasm modules, each cargo (wasm32,
# release) → wasm-bindgen → wasm-opt (npm binaryen; Debian's is too old),
# then the static files; scripts and styles minified with esbuild (npm).
# - youjun: the page, built for size and without default features: no
#   Excel code (`xlsx`), no TOML parser (`toml`: the built-in scenarios are
#   JSON made by src/build.rs; a TOML file the planner opens is read in the
#   Excel worker) and no workers' entry points (`workers`);
# - youjun_engine: the same library built for speed (this crate at
#   opt-level 3, wasm-opt -O3), loaded by web/worker.js after the first
#   chart for the Monte Carlo slices and the "what it takes" questions, where
#   the engine's speed counts more than the download;
# - youjun_excel: the library with `xlsx` (calamine, rust_xlsxwriter, zip),
#   loaded only by web/excel_worker.js when the planner imports a roster or
#   exports a workbook (src/ui/import_worker.rs).
# The engine and Excel modules are built with Cargo profiles of their own
# (`engine`, `excel`: the release settings) so that each build keeps its own
# output and stays incremental.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/web/dist"
cd "$root"

rm -rf "$dist" && mkdir -p "$dist"
# module NAME PROFILE OPT [cargo feature flags]: builds, binds and optimises
# one module, this crate at opt-level OPT and wasm-opt at -O$OPT (and with
# $WASM_OPT_FLAGS, when set).
module() {
  local name=$1 profile=$2 opt=$3 level; shift 3
  # Cargo wants the letter levels quoted and the numbers not.
  if [ "$opt" = z ]; then level='"z"'; else level=$opt; fi
  # This crate is built at opt-level 3 natively (Cargo.toml), for the
  # engine's speed; the page and the Excel module, whose download counts
  # more, keep the size-first setting of every other crate.
  cargo build --profile "$profile" --lib --target wasm32-unknown-unknown \
    --config "profile.$profile.package.youjun.opt-level=$level" "$@"
  wasm-bindgen --target web --no-typescript --out-dir "$dist" --out-name "$name" \
    "target/wasm32-unknown-unknown/$profile/youjun.wasm"
  # --low-memory-unused lets wasm-opt fold a constant added to a pointer into
  # the load's or store's offset (the two differ only when the sum wraps past
  # 4 GiB into the lowest 1 KiB, which no Rust pointer does): −5.3 KB gzipped
  # for the page.
  "$root/web/node_modules/.bin/wasm-opt" "-O$opt" --low-memory-unused ${WASM_OPT_FLAGS:-} "$dist/${name}_bg.wasm" -o "$dist/${name}_bg.wasm"
}
# The modules built for size let wasm-opt inline a function into its only
# caller only when it is tiny: rustc has inlined at opt-level z already, and
# larger bodies moved into their callers compress worse (binaryen 132, page
# 685,605 → 635,442 bytes gzipped with the limit at 20, 683,195 at 1,000,
# 635,906 at 0; the Excel module 1,329,266 → 1,246,602). Tiny functions are
# still inlined everywhere, and the slider's redraw times did not move
# (tests/benches/workspace.mjs, alternated). The engine module, built for
# speed, keeps wasm-opt's defaults. The page's passes run until the module
# stops shrinking (--converge: 1.2–2.7 KB gzipped, a minute more of build).
size_first=--one-caller-inline-max-function-size=20
WASM_OPT_FLAGS="--converge $size_first" module youjun release z --no-default-features
module youjun_engine engine 3 --no-default-features --features workers
WASM_OPT_FLAGS=$size_first module youjun_excel excel z
# The built-ins whose JSON the page's module leaves out (the feature
# `builtins`; src/ui/builtins.rs fetches them): the files src/build.rs made
# for that build, found from Cargo's report of where its build script wrote.
out_dir=$(cargo build --profile release --lib --target wasm32-unknown-unknown \
    --config 'profile.release.package.youjun.opt-level="z"' --no-default-features --message-format=json \
  | node -e 'let out; require("readline").createInterface({ input: process.stdin }).on("line", (l) => {
      const m = JSON.parse(l);
      if (m.reason === "build-script-executed" && /[#/]youjun@/.test(m.package_id)) out = m.out_dir;
    }).on("close", () => { if (!out) process.exit(1); console.log(out); })')
mkdir -p "$dist/builtins"
for f in "$out_dir"/*.json; do
  # Every scenario's (the default one's is compiled in, and never fetched).
  case $f in *.meta.json) ;; *) cp "$f" "$dist/builtins/" ;; esac
done
# Each module has the entry points it should, and only those.
if grep -q excel_parse_roster "$dist/youjun.js" "$dist/youjun_engine.js" || ! grep -q excel_parse_roster "$dist/youjun_excel.js" \
  || ! grep -q excel_scenario_toml "$dist/youjun_excel.js"; then
  echo "[build] the Excel entry points are in the wrong module" >&2
  exit 1
fi
if grep -q worker_monte_carlo "$dist/youjun.js" || ! grep -q worker_monte_carlo "$dist/youjun_engine.js"; then
  echo "[build] the workers' entry points are in the wrong module" >&2
  exit 1
fi
cp web/index.html web/boot.js web/worker.js web/excel_worker.js web/style.css "$dist/"
# Scripts and styles minified (esbuild; names the modules export or import
# are kept): wasm-bindgen's glue and the stylesheet are read before the first
# chart.
for f in youjun.js youjun_engine.js youjun_excel.js boot.js worker.js excel_worker.js style.css; do
  "$root/web/node_modules/.bin/esbuild" "$dist/$f" --minify --log-level=warning --outfile="$dist/$f" --allow-overwrite
done

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
sizes "after it, the Monte Carlo and question workers" worker.js youjun_engine.js youjun_engine_bg.wasm
sizes "on the first import or export" excel_worker.js youjun_excel.js youjun_excel_bg.wasm

# Last, once web/dist holds everything: the service worker, with the list of
# the files above (whatever the steps above put there) and a cache name from
# their hashes (web/sw-manifest.mjs).
node "$root/web/sw-manifest.mjs" "$dist"
