#!/usr/bin/env bash
# Installs whatever is missing to build, serve and test 优均 on a fresh
# Debian machine with rustup, node and npm. Every step first checks whether
# its tool is already there, so a second run costs only a few seconds.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# wasm-bindgen-cli must match the wasm-bindgen crate pinned in Cargo.toml exactly.
wasm_bindgen_version=0.2.130

step() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Headless Chromium for browser tests, a CJK font so Chinese text is
# drawn instead of empty boxes.
missing_debs=()
command -v chromium >/dev/null || missing_debs+=(chromium)
command -v chromedriver >/dev/null || missing_debs+=(chromium-driver)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing_debs+=(fonts-wqy-microhei)
# LibreOffice Calc, headless: a test opens a CSV export in a real
# spreadsheet to check that no cell is evaluated as a formula.
command -v soffice >/dev/null || missing_debs+=(libreoffice-calc)
if [ ${#missing_debs[@]} -gt 0 ]; then
  step "apt-get install ${missing_debs[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# clippy checks that every public function that can fail documents how (tests/run-all.sh).
if ! cargo clippy --version >/dev/null 2>&1; then
  step "rustup component add clippy"
  rustup component add clippy
fi

# No --locked: the CLI's own lockfile asks for a webpki-roots the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ]; then
  step "cargo install wasm-bindgen-cli $wasm_bindgen_version (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# npm tools: binaryen's wasm-opt (Debian's is too old to read our output),
# esbuild, which minifies the page's scripts, and playwright-core, which
# drives the system Chromium. npm ci only when the
# lockfile changed since the last install.
if [ ! -f "$root/web/node_modules/.package-lock.json" ] \
   || [ "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]; then
  step "npm ci in web/"
  (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error)
fi
