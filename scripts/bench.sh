#!/usr/bin/env bash
# `npm run bench`: the benchmark table (see bench/bench.ts), against local Redis and Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
exec npx tsx bench/bench.ts "$@"
