#!/usr/bin/env bash
# `npm run bench`: the benchmark tables (see bench/bench.ts and bench/discord.ts), against local Redis and Docker.
#   npm run bench                the full run (a few minutes)
#   npm run bench -- --smoke     a few iterations of every measurement (Discord: 10 learners): checks that every path runs
# BENCH_PINNED=1 adds the Discord run with the engine pinned to a core of its own (scripts/bench-discord-pinned.sh);
# it changes dockerd's and containerd's CPU affinity for the run, so it is off by default on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
smoke=false
for arg in "$@"; do [ "$arg" = --smoke ] && smoke=true; done
npx tsx bench/bench.ts "$@"
# The team features on generated data: the board for 1,000 members, the export of 1,000 learners.
npx tsx bench/team.ts
# Quick Q&A: retrieval accuracy per language and split, retrieval p95, `sensei ask` cold start (docs/ASK.md).
npx tsx bench/eval-ask.ts
echo
# The smoke's Discord run: 10 learners, to check that the bot, the worker and the fake (with their CPU weights) run.
if $smoke; then BENCH_DISCORD_LEARNERS=10 BENCH_DISCORD_SPREAD_MS=1000 exec npx tsx bench/discord.ts; fi
# The Discord target: interactions deferred within 50 ms (p99) with 100 learners active, everything sharing every core.
npx tsx bench/discord.ts
if [ "${BENCH_PINNED:-0}" = 1 ]; then exec bash scripts/bench-discord-pinned.sh; fi
