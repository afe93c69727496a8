#!/usr/bin/env bash
# npm test: installs what is missing, brings up the local stack the integration suites need,
# then runs Jest (all suites, or what the arguments select, e.g. --selectProjects unit).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/ensure-deps.sh
node_modules/.bin/tsx infra/stack/main.ts up
exec node_modules/.bin/jest "$@"
