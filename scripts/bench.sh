#!/usr/bin/env bash
# `npm run bench`: the benchmark tables (see bench/bench.ts and bench/discord.ts), against local Redis and Docker.
#   npm run bench                the full run (a few minutes)
#   npm run bench -- --smoke     a few iterations of every measurement (CI runs this after npm test)
# BENCH_PINNED=1 adds the Discord run with the engine pinned to a core of its own (scripts/bench-discord-pinned.sh);
# it changes dockerd's and containerd's CPU affinity for the run, so it is off by default on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
smoke=false
for arg in "$@"; do [ "$arg" = --smoke ] && smoke=true; done
npx tsx bench/bench.ts "$@"
echo
if $smoke; then
  # Enough learners to exercise every interaction and a /run through a real worker, in a few seconds.
  BENCH_DISCORD_LEARNERS=8 BENCH_DISCORD_SPREAD_MS=500 BENCH_DISCORD_THINK_MS=50-150 BENCH_DISCORD_SETTLE_MS=30000 npx tsx bench/discord.ts
  exit 0
fi
# The Discord target: interactions deferred within 50 ms (p99) with 100 learners active, everything sharing every core.
npx tsx bench/discord.ts
if [ "${BENCH_PINNED:-0}" = 1 ]; then exec bash scripts/bench-discord-pinned.sh; fi
