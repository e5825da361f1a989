#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1, for CI and for benchmarks that need a real server.
#   scripts/pg-cluster.sh start DIR   -> prints the connection URL (postgres://postgres@127.0.0.1:PORT/postgres)
#   scripts/pg-cluster.sh stop DIR
# `start` on a DIR that already holds a cluster starts that one again (a bench keeps a seeded cluster to reuse it).
# PG_CLUSTER_OPTS adds server settings for this start only (e.g. "-c fsync=off" for a bench's bulk seed).
# initdb refuses to run as root, so the cluster runs as the `postgres` user.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
pgbin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v initdb)")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    [ -f "$dir/data/PG_VERSION" ] || as_pg "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log"
    # Durable commits stay on (fsync, synchronous_commit): benchmarks must measure real commits.
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB ${PG_CLUSTER_OPTS:-}" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    # A start with fsync=off left its writes to the kernel; a kept cluster should be on disk when it is stopped.
    sync -f "$dir/data" 2>/dev/null || true
    ;;
esac
