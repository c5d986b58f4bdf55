#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1, never touching a system cluster.
# pg_start sets PG_DIR and TEST_PG_URL; pg_stop stops it by its data directory.

PG_PORT="${PG_PORT:-5433}"

pg_start() {
  apt_install postgresql
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_BIN="$pgbin"
  PG_DIR=$(mktemp -d /tmp/al-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    run=(su postgres -c)
  else
    run=(bash -c)
  fi
  "${run[@]}" "$pgbin/initdb -D $PG_DIR/data -A trust -U postgres" >/dev/null
  "${run[@]}" "$pgbin/pg_ctl -D $PG_DIR/data -o '-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=400' -w -l $PG_DIR/log start" >/dev/null
  TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export PG_DIR PG_BIN TEST_PG_URL
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] || return 0
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop" >/dev/null 2>&1 || true
  else
    "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
