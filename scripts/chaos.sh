#!/usr/bin/env bash
# `npm run chaos`: the fault and abuse scenarios (bench/chaos.ts) on this machine; `-- --smoke` for CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
exec npx tsx bench/chaos.ts "$@"
