#!/usr/bin/env bash
# A second Docker engine beside the main one, for multi-engine tests: its own socket, data root, exec root and
# pid file, no bridge and no iptables, so it never touches the main engine's network. The sandbox image is
# copied in from the main engine (there is no registry here).
#   scripts/second-engine.sh start [DIR]   # idempotent; prints the socket path
#   scripts/second-engine.sh stop [DIR]    # SIGTERM, then waits
#   scripts/second-engine.sh kill [DIR]    # SIGKILL the engine and its containerd: a machine lost
set -euo pipefail
cmd=${1:-start}
dir=${2:-${SECOND_ENGINE_DIR:-/tmp/sensei-engine-b}}
sock="$dir/engine.sock"
pidfile="$dir/engine.pid"
image=${SANDBOX_IMAGE:-container-sensei/sandbox:$(cat "$(dirname "$0")/../sandbox/VERSION")}

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

containerd_pid() { pgrep -f "containerd --config $dir/exec/containerd/containerd.toml" || true; }

case "$cmd" in
  start)
    mkdir -p "$dir/data" "$dir/exec"
    if ! running; then
      rm -f "$pidfile" "$sock"
      # A containerd left from a killed engine would hold the exec root; it goes first.
      stale=$(containerd_pid); [[ -n "$stale" ]] && kill -9 $stale 2>/dev/null || true
      nohup dockerd --host "unix://$sock" --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$pidfile" \
        --bridge=none --iptables=false --ip-masq=false >"$dir/engine.log" 2>&1 &
    fi
    for _ in $(seq 1 120); do docker -H "unix://$sock" version >/dev/null 2>&1 && break; sleep 0.5; done
    docker -H "unix://$sock" version >/dev/null || { tail -20 "$dir/engine.log" >&2; exit 1; }
    if ! docker -H "unix://$sock" image inspect "$image" >/dev/null 2>&1; then
      docker save "$image" | docker -H "unix://$sock" load >/dev/null
    fi
    echo "$sock"
    ;;
  stop)
    if running; then kill "$(cat "$pidfile")"; for _ in $(seq 1 60); do running || break; sleep 0.5; done; fi
    ;;
  kill)
    c=$(containerd_pid)
    running && kill -9 "$(cat "$pidfile")" || true
    [[ -n "$c" ]] && kill -9 $c 2>/dev/null || true
    ;;
  *) echo "usage: $0 start|stop|kill [DIR]" >&2; exit 2 ;;
esac
