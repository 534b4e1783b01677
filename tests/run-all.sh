#!/usr/bin/env bash
# Runs every test of 优均, installing whatever is missing first:
#   0. documented errors (clippy missing_errors_doc on the library), and the
#      page's wasm library without the `xlsx` feature (clippy, no warnings)
#   1. native tests (cargo test: unit tests and the one integration binary, tests/it)
#   2. wasm tests in headless Chromium (cargo test --target wasm32-unknown-unknown --test browser)
#   3. the end-to-end tests: build the app, serve it, drive it with Playwright.
# Every suite runs even if an earlier one failed; the exit status is non-zero
# if any failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/web/setup.sh" || { echo "set-up failed"; exit 1; }

# One clean run gains nothing from incremental compilation, whose caches
# take gigabytes of disk; a developer's own setting is kept.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

# Chromium for wasm-bindgen-test-runner; headless because CI has no display.
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}

failed=()
suite() {
  local name=$1; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  local start=$SECONDS
  if "$@"; then
    printf '\033[1m== %s: passed in %ss ==\033[0m\n' "$name" $((SECONDS - start))
  else
    printf '\033[1;31m== %s: FAILED after %ss ==\033[0m\n' "$name" $((SECONDS - start))
    failed+=("$name")
  fi
}

# Every public item is documented (#![deny(missing_docs)] in src/lib.rs makes
# that a compile error); this adds that every public function that can fail
# says how under `# Errors`, for the native library and the page.
suite "documented errors (clippy)" sh -c 'cargo clippy --lib -- -A clippy::all -D clippy::missing_errors_doc && cargo clippy --lib --target wasm32-unknown-unknown -- -A clippy::all -D clippy::missing_errors_doc'
# The page's own wasm module is built without the `xlsx` feature (web/build.sh):
# it must build, cleanly, without the Excel code it reaches through the worker.
suite "page module without Excel (clippy, wasm, no default features)" cargo clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
suite "native tests" cargo test --no-fail-fast
suite "wasm tests (headless Chromium)" cargo test --no-fail-fast --target wasm32-unknown-unknown --test browser
suite "web build" "$root/web/build.sh"
# Some end-to-end tests compare the page with the CLI (`cargo run --bin
# youjun`); without the test-only features it is a build of its own, done
# here rather than inside the first test that asks for it.
suite "end-to-end tests (Playwright, Chromium)" sh -c 'cargo build --quiet --bin youjun && node --test --test-reporter=spec "$1"' e2e "$root/tests/e2e/"

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test suites passed"
