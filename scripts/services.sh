#!/usr/bin/env bash
# Make sure Redis and a Docker engine are reachable, starting local ones when they are installed.
# Usage: scripts/services.sh [--install]   (--install: apt-get the missing packages first; needs root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { printf '[services] %s\n' "$*" >&2; }

install_missing() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  # The compose end-to-end test runs docker-compose.yml with it (Debian's v1.29).
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      log "missing: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
      return 1
    fi
    log "installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

redis_up() {
  local url=${REDIS_URL:-redis://127.0.0.1:6379}
  # Only a local Redis can be started by us; a remote REDIS_URL must already be up.
  if command -v redis-cli >/dev/null && redis-cli -u "$url" ping >/dev/null 2>&1; then return 0; fi
  case "$url" in
    redis://127.0.0.1:*|redis://localhost:*|redis://127.0.0.1|redis://localhost) ;;
    *) log "Redis at $url does not answer; start it, or unset REDIS_URL to use a local one"; return 1 ;;
  esac
  if ! command -v redis-server >/dev/null; then
    log "Redis is not running and redis-server is not installed: sudo apt-get install -y redis-server"
    return 1
  fi
  local port=${url##*:}; port=${port%%/*}; [[ "$port" =~ ^[0-9]+$ ]] || port=6379
  log "starting redis-server on 127.0.0.1:$port"
  # maxmemory: capped results (64 KiB each, kept 5 minutes) and 200 waiting commands fit many times over;
  # the app refuses new commands kindly at 90%, and noeviction keeps BullMQ's keys whatever happens.
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --maxmemory "${SENSEI_REDIS_MAXMEMORY:-256mb}" --maxmemory-policy noeviction --logfile /tmp/sensei-redis-$port.log
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "redis-server did not come up; see /tmp/sensei-redis-$port.log"; return 1
}

docker_up() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if [ -n "${DOCKER_HOST:-}" ]; then log "the Docker engine at DOCKER_HOST=$DOCKER_HOST does not answer"; return 1; fi
  if ! command -v dockerd >/dev/null; then
    log "no Docker engine answers and dockerd is not installed: sudo apt-get install -y docker.io (or start Docker Desktop)"
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then log "the Docker engine is not running; start it with: sudo systemctl start docker"; return 1; fi
  # A killed dockerd leaves its pid files behind, which stops the next start; a recycled pid can
  # even look alive, so check that the pid really is the daemon named.
  stale() { local f=$1 name=$2; [ -f "$f" ] && [ "$(cat "/proc/$(cat "$f")/comm" 2>/dev/null)" != "$name" ]; }
  stale /var/run/docker.pid dockerd && rm -f /var/run/docker.pid
  stale /var/run/docker/containerd/containerd.pid containerd && rm -f /var/run/docker/containerd/containerd.pid
  stale /run/containerd/containerd.pid containerd && rm -f /run/containerd/containerd.pid
  log "starting dockerd (log: /tmp/sensei-dockerd.log)"
  # In a session of its own, as an init system starts it: with the kernel's autogroup scheduling a daemon in
  # the caller's session would share one CPU share with whatever that session runs next (a bench, the bot).
  setsid nohup dockerd >/tmp/sensei-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 150); do docker info >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "dockerd did not come up; see /tmp/sensei-dockerd.log"; return 1
}

[ "${1:-}" = "--install" ] && install_missing
redis_up
docker_up
bash "$here/../sandbox/build.sh"
