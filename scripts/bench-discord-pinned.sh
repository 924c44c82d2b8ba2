#!/usr/bin/env bash
# The Discord defer benchmark with the engine on its own core: dockerd, containerd (and so the sandboxes'
# shims), the sandboxes and the worker pinned to the last CPU, the bot and fake Discord to the others. This is
# the deployment shape docs/DISCORD.md recommends; the affinity is restored afterwards. Needs root, taskset, ≥2 CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
cpus=$(nproc)
if [ "$cpus" -lt 2 ] || [ "$(id -u)" != 0 ] || ! command -v taskset >/dev/null; then
  echo "(engine-pinned Discord run skipped: needs root, taskset and at least 2 CPUs)"; exit 0
fi
last=$((cpus - 1))
engine=$(pidof dockerd containerd || true)
all_mask=$(printf '%x' $(( (1 << cpus) - 1 )))
last_mask=$(printf '%x' $(( 1 << last )))
restore() { for p in $engine; do taskset -ap "$all_mask" "$p" >/dev/null 2>&1 || true; done; }
trap restore EXIT
for p in $engine; do taskset -ap "$last_mask" "$p" >/dev/null; done
echo
echo "Engine and worker pinned to CPU $last; bot and fake Discord on CPU 0-$((last - 1)):"
SANDBOX_CPUSET=$last BENCH_DISCORD_WORKER_CPUS=$last taskset -c "0-$((last - 1))" npx tsx bench/discord.ts
