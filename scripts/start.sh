#!/usr/bin/env bash
# `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the console chat.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if [ -f .env ]; then set -a; . ./.env; set +a; fi
bash scripts/services.sh || { echo "[start] fix the above, then run npm start again" >&2; exit 1; }
# Small semi-spaces and V8's memory-saving mode keep a long-running bot small (as the Dockerfile runs it;
# docs/BENCHMARKS.md).
exec node --max-semi-space-size=2 --optimize-for-size bin/sensei.js start "$@"
