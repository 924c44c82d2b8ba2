#!/usr/bin/env bash
# `npm run bench`: the benchmark table (see bench/bench.ts), against local Redis and Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
npx tsx bench/bench.ts "$@"
# The team features on generated data: the board for 1,000 members, the export of 1,000 learners.
npx tsx bench/team.ts
# Quick Q&A: retrieval accuracy per language and split, retrieval p95, `sensei ask` cold start (docs/ASK.md).
npx tsx bench/eval-ask.ts
# The Discord target: interactions deferred within 50 ms (p99) with 100 learners active, first with
# everything sharing every core, then with the engine on a core of its own (the recommended deployment).
npx tsx bench/discord.ts
exec bash scripts/bench-discord-pinned.sh
