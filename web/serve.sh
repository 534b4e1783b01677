#!/usr/bin/env bash
# Installs what is missing, builds the app, and serves it at http://127.0.0.1:8080
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/setup.sh"
"$here/build.sh"
exec node "$here/serve.mjs" "$here/dist"
