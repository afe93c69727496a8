#!/usr/bin/env bash
# npm start: installs what is missing, then runs the whole system in the foreground.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/ensure-deps.sh
exec node_modules/.bin/tsx infra/start.ts "$@"
