#!/bin/sh
# As the official redis image: a plain `redis-server [options]` runs with protected mode off (the image's
# own default), so other containers on the network can connect; options given later still override it.
set -e
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  case "${1:-}" in
    ''|-*) set -- redis-server --protected-mode no "$@" ;;
    *) config=$1; shift; set -- redis-server "$config" --protected-mode no "$@" ;;
  esac
fi
exec "$@"
