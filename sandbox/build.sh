#!/usr/bin/env bash
# Build the learners' sandbox image once; idempotent. Uses the Dockerfile when a registry is reachable,
# otherwise builds the same userland offline with debootstrap and `docker import`.
# Usage: sandbox/build.sh [--force] [--offline|--dockerfile]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(tr -d '[:space:]' < "$here/VERSION")
image=${SANDBOX_IMAGE:-container-sensei/sandbox:$version}
packages=procps,util-linux,iproute2,coreutils
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
log() { printf '[sandbox] %s\n' "$*" >&2; }

force=0; how=${SANDBOX_BUILD:-auto}
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    --offline) how=offline ;;
    --dockerfile) how=dockerfile ;;
    *) log "unknown option $a"; exit 2 ;;
  esac
done

if [ $force = 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
  log "$image is ready"; exit 0
fi

if [ "$how" = auto ]; then
  # A registry is usable when the base image is here already or can be pulled quickly.
  if docker image inspect debian:bookworm-slim >/dev/null 2>&1 || timeout 20 docker pull -q debian:bookworm-slim >/dev/null 2>&1; then
    how=dockerfile
  else
    how=offline
  fi
fi

if [ "$how" = dockerfile ]; then
  log "building $image from sandbox/Dockerfile"
  docker build -t "$image" --label "sensei.sandbox.version=$version" "$here"
  exit 0
fi

command -v debootstrap >/dev/null || { log "offline build needs debootstrap: sudo apt-get install -y debootstrap"; exit 1; }
[ "$(id -u)" = 0 ] || { log "the offline build runs debootstrap and needs root"; exit 1; }
root=$(mktemp -d /tmp/sensei-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
log "debootstrap bookworm (minbase + $packages) into $root; this takes about 30 s"
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >/tmp/sensei-debootstrap.log 2>&1 \
  || { log "debootstrap failed; see /tmp/sensei-debootstrap.log"; exit 1; }
# The same users as the Dockerfile: learner runs commands, sensei keeps a pooled container alive.
chroot "$root" groupadd -g 1000 learner
chroot "$root" useradd -u 1000 -g 1000 -m -s /bin/bash learner
chroot "$root" groupadd -g 1001 sensei
chroot "$root" useradd -u 1001 -g 1001 -M -d /nonexistent -s /usr/sbin/nologin sensei
echo sensei > "$root/etc/hostname"
install -m 0755 "$here/sensei-run" "$root/usr/local/bin/sensei-run"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
log "importing as $image"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV LANG=C.UTF-8' -c 'ENV HOME=/home/learner' -c 'USER learner' -c 'WORKDIR /home/learner' \
  -c 'CMD ["/bin/bash"]' -c "LABEL sensei.sandbox.version=$version" - "$image" >/dev/null
log "$image is ready"
