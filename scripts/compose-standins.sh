#!/usr/bin/env bash
# Local stand-ins for the public images docker-compose.yml names, built offline like the sandbox image
# (debootstrap + `docker import`), for machines without a registry. Idempotent; --force rebuilds.
#
#   container-sensei/standin-debian:bookworm-slim     for debian:bookworm-slim (the sandbox image's base);
#                                                     already holds the sandbox's packages and has no apt
#                                                     sources, so the sandbox Dockerfile's apt-get is a no-op
#   container-sensei/standin-node:<major>-bookworm-slim   for node:<major>-bookworm-slim: this machine's node
#                                                     and npm, with an offline npm cache of the app's
#                                                     production dependencies (npm_config_offline=true)
#   container-sensei/standin-redis:7                  for redis:7-alpine: Debian's redis-server
#   container-sensei/standin-docker-socket-proxy:0.4  for tecnativa/docker-socket-proxy: Debian's haproxy
#                                                     with the same allow-list and variables
#
# Prints the variables to pass to docker-compose (NODE_IMAGE=… REDIS_IMAGE=… …) on stdout. --write-env FILE
# also sets them in FILE, keeping its other lines: with the project's .env, which docker-compose reads for every
# command, they outlast this shell (a command without them would try to pull redis:7-alpine).
# Usage: scripts/compose-standins.sh [--force] [--write-env .env]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
files="$here/standins"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
started=$SECONDS
log() { printf '[standins] %s (%ss)\n' "$*" "$((SECONDS - started))" >&2; }

force=0
env_file=
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --write-env) [ $# -ge 2 ] || { log "--write-env needs a file, e.g. --write-env .env"; exit 2; }; env_file=$2; shift ;;
    --write-env=*) env_file=${1#--write-env=} ;;
    *) log "unknown option $1 (options: --force, --write-env FILE)"; exit 2 ;;
  esac
  shift
done

# The Node major the app's Dockerfile expects (its NODE_IMAGE default), and the one installed here.
node_major=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9]*\)-.*/\1/p' "$repo/Dockerfile")
[ -n "$node_major" ] || { log "cannot read the Node version from the Dockerfile's ARG NODE_IMAGE"; exit 1; }
command -v node >/dev/null || { log "node is not installed; the Node stand-in copies this machine's node"; exit 1; }
host_node=$(node --version)
[ "${host_node#v}" != "${host_node#v"$node_major".}" ] \
  || { log "the Dockerfile expects Node $node_major, but this machine has $host_node"; exit 1; }

DEBIAN=container-sensei/standin-debian:bookworm-slim
NODE=container-sensei/standin-node:$node_major-bookworm-slim
REDIS=container-sensei/standin-redis:7
PROXY=container-sensei/standin-docker-socket-proxy:0.4
sandbox_packages=procps,util-linux,iproute2,coreutils
service_packages=(redis-server haproxy)
# Bump when the rootfs recipe below changes (the images are rebuilt when their inputs change).
recipe=2

# Each service image: a few settings on the common base (which the Dockerfile's FROM gets as BASE).
redis_dockerfile='ARG BASE
FROM $BASE
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER redis
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]'
# The real image's defaults: only events, ping and version are open until the deployment says otherwise.
proxy_dockerfile='ARG BASE
FROM $BASE
ENV ALLOW_RESTARTS=0 ALLOW_STOP=0 ALLOW_START=0 AUTH=0 BUILD=0 COMMIT=0 CONFIGS=0 CONTAINERS=0 \
    DISABLE_IPV6=0 DISTRIBUTION=0 EVENTS=1 EXEC=0 GRPC=0 IMAGES=0 INFO=0 LOG_LEVEL=info NETWORKS=0 NODES=0 \
    PING=1 PLUGINS=0 POST=0 SECRETS=0 SERVICES=0 SESSION=0 SOCKET_PATH=/var/run/docker.sock SWARM=0 \
    SYSTEM=0 TASKS=0 VERSION=1 VOLUMES=0
COPY haproxy.cfg /usr/local/etc/haproxy/haproxy.cfg.template
COPY proxy-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
EXPOSE 2375
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["haproxy", "-f", "/tmp/haproxy.cfg"]'
node_dockerfile="ARG BASE
FROM \$BASE
COPY npm-cache /opt/npm-offline-cache
ENV NODE_VERSION=${host_node#v} npm_config_cache=/opt/npm-offline-cache npm_config_offline=true
CMD [\"node\"]"

# What each image is made of; an image whose label differs is rebuilt.
print() { sha256sum | cut -c1-16; }
base_print=$(echo "$recipe $host_node $(npm --version) $sandbox_packages ${service_packages[*]}" | print)
redis_print=$( { echo "$base_print $redis_dockerfile"; cat "$files/redis-entrypoint.sh"; } | print)
proxy_print=$( { echo "$base_print $proxy_dockerfile"; cat "$files/haproxy.cfg" "$files/proxy-entrypoint.sh"; } | print)
node_print=$( { echo "$base_print $node_dockerfile"; cat "$repo/package-lock.json" "$files/npm-offline-cache.mjs"; } | print)
label=sensei.standin.fingerprint
current() { [ $force = 0 ] && [ "$(docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null)" = "$2" ]; }

# The stand-ins hold everything the builds need, so their RUN steps get no network (DOCKER_BUILD_NETWORK=none).
emit() {
  local vars
  vars=$(printf 'DEBIAN_IMAGE=%s\nNODE_IMAGE=%s\nREDIS_IMAGE=%s\nDOCKER_PROXY_IMAGE=%s\nDOCKER_BUILD_NETWORK=none' "$DEBIAN" "$NODE" "$REDIS" "$PROXY")
  if [ -n "$env_file" ]; then
    printf '%s\n' "$vars" | "$files/env-file.sh" "$env_file"
    log "set in $env_file: docker-compose reads them from there for every command"
  fi
  printf '%s\n' "$vars"
}

if current "$DEBIAN" "$base_print" && current "$REDIS" "$redis_print" && current "$PROXY" "$proxy_print" && current "$NODE" "$node_print"; then
  log "stand-ins are ready"
  emit
  exit 0
fi

work=$(mktemp -d /tmp/sensei-standins.XXXXXX)
trap 'rm -rf "$work"' EXIT
base=container-sensei/standin-base:$base_print

if ! current "$DEBIAN" "$base_print" || ! current "$base" "$base_print"; then
  command -v debootstrap >/dev/null || { log "needs debootstrap: sudo apt-get install -y debootstrap"; exit 1; }
  [ "$(id -u)" = 0 ] || { log "debootstrap needs root"; exit 1; }
  root="$work/rootfs"
  log "debootstrap bookworm (minbase + $sandbox_packages)"
  debootstrap --variant=minbase --include="$sandbox_packages" bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { cp "$work/debootstrap.log" /tmp/sensei-standins-debootstrap.log; log "debootstrap failed; see /tmp/sensei-standins-debootstrap.log"; exit 1; }
  trim() { rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*; }
  env_path='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

  # debian:bookworm-slim, minus the package sources: nothing built on it can reach a mirror.
  trim
  mv "$root/etc/apt/sources.list" "$work/sources.list"
  : > "$root/etc/apt/sources.list"
  tar -C "$root" -c . | docker import -c "$env_path" -c 'CMD ["bash"]' -c "LABEL $label=$base_print" - "$DEBIAN" >/dev/null
  log "$DEBIAN is ready"

  # The services' common base: the same rootfs plus Debian's redis-server and haproxy, and this machine's node.
  mv "$work/sources.list" "$root/etc/apt/sources.list"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  log "adding ${service_packages[*]} from Debian's packages"
  chroot "$root" apt-get update -qq >"$work/apt.log" 2>&1 \
    && DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "${service_packages[@]}" >>"$work/apt.log" 2>&1 \
    || { cp "$work/apt.log" /tmp/sensei-standins-apt.log; log "apt-get failed; see /tmp/sensei-standins-apt.log"; exit 1; }
  : > "$root/etc/resolv.conf"
  trim
  install -m 0755 "$(command -v node)" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$(npm root -g)/npm" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  # The official node image's user, and the official redis image's data directory.
  chroot "$root" groupadd -g 1000 node
  chroot "$root" useradd -u 1000 -g node -m -s /bin/bash node
  install -d -o "$(chroot "$root" id -u redis)" -g "$(chroot "$root" id -g redis)" "$root/data"
  tar -C "$root" -c . | docker import -c "$env_path" -c "LABEL $label=$base_print" - "$base" >/dev/null
  rm -rf "$root"
fi

# Built with no network: the stand-ins need none, and a missing default bridge (see docs/DEPLOY.md) cannot break them.
build() { # tag, fingerprint, Dockerfile text
  printf '%s\nLABEL %s=%s\n' "$3" "$label" "$2" > "$ctx/Dockerfile.standin"
  docker build -q --network none --build-arg "BASE=$base" -f "$ctx/Dockerfile.standin" -t "$1" "$ctx" >/dev/null
  log "$1 is ready"
}
ctx="$work/context"
mkdir -p "$ctx"
cp "$files/haproxy.cfg" "$files/proxy-entrypoint.sh" "$files/redis-entrypoint.sh" "$ctx/"
current "$REDIS" "$redis_print" || build "$REDIS" "$redis_print" "$redis_dockerfile"
current "$PROXY" "$proxy_print" || build "$PROXY" "$proxy_print" "$proxy_dockerfile"
if ! current "$NODE" "$node_print"; then
  node "$files/npm-offline-cache.mjs" "$repo/package-lock.json" "$(npm config get cache)" "$ctx/npm-cache"
  build "$NODE" "$node_print" "$node_dockerfile"
fi

# Older generations: the untagged service images first, then the bases they were built on.
docker image prune -f --filter "label=$label" >/dev/null
docker image ls --format '{{.Repository}}:{{.Tag}}' container-sensei/standin-base | grep -vxF "$base" | xargs -r docker rmi >/dev/null 2>&1 || true
emit
