# Sourced by .ci/run and bench/run: start a throw-away PostgreSQL server on loopback,
# owned by an unprivileged user, and stop it on exit. Sets PG_URL.
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(dirname "$(readlink -f "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")")
PG_USER=postgres
id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
PG_DIR=$(mktemp -d)
chown "$PG_USER" "$PG_DIR"
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -un)" = "$PG_USER" ]; then "$@"; else runuser -u "$PG_USER" -- "$@"; fi; }
stop_pg() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" --username=tracker --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR ${PG_OPTIONS:-}" start >/dev/null
PG_URL="postgres://tracker@127.0.0.1:$PG_PORT/tracker"
