#!/bin/sh
# As the real docker-socket-proxy's entrypoint: listen on IPv4 and IPv6 unless DISABLE_IPV6, then run haproxy
# in the foreground (master-worker) on the rendered configuration.
set -e
case "$(printf '%s' "${DISABLE_IPV6:-0}" | tr '[:upper:]' '[:lower:]')" in
  1|true|yes) bind=':2375' ;;
  *) bind='[::]:2375 v4v6' ;;
esac
sed "s/\${BIND_CONFIG}/$bind/" /usr/local/etc/haproxy/haproxy.cfg.template > /tmp/haproxy.cfg
if [ "${1#-}" != "$1" ]; then set -- haproxy "$@"; fi
if [ "$1" = haproxy ]; then shift; set -- haproxy -W -db "$@"; fi
exec "$@"
