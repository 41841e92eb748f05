#!/usr/bin/env bash
# A throwaway 3-master Redis Cluster (no replicas, no persistence) on loopback, for
# proving that every Lua script and key layout runs on Redis Cluster unchanged.
#
#   infra/scripts/redis-cluster.sh start [--dir DIR] [--base-port N]
#   infra/scripts/redis-cluster.sh status [--dir DIR]
#   infra/scripts/redis-cluster.sh stop [--dir DIR]
#
# start picks three ports from N (default 7000) upward where both the port and its
# cluster bus port (port + 10000) are free, starts the nodes with their files in DIR
# (default .data/redis-cluster), creates the cluster, waits for cluster_state:ok on every
# node, then prints one host:port per line on stdout (also written to DIR/nodes.txt).
# Progress goes to stderr. Starting an already healthy cluster just prints its nodes.
# stop shuts the nodes down and removes DIR. Every wait is bounded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="$ROOT/.data/redis-cluster"
BASE_PORT=7000
MASTERS=3
# Marks a folder as made by this script: stop only ever removes such a folder.
MARKER=.tatkal-redis-cluster
# Serialises port picking between starts running in parallel (e.g. test files).
LOCK_FILE="${TMPDIR:-/tmp}/tatkal-redis-cluster-ports.lock"
LOCK_FD=

log() { printf '[redis-cluster] %s\n' "$*" >&2; }
die() { printf '[redis-cluster] error: %s\n' "$*" >&2; exit 1; }
cli() { timeout 5 redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }

usage() {
  die "usage: $0 start [--dir DIR] [--base-port N] | stop [--dir DIR] | status [--dir DIR]"
}

COMMAND="${1:-}"
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; DIR="$2"; shift 2 ;;
    --base-port) [ $# -ge 2 ] || usage; BASE_PORT="$2"; shift 2 ;;
    *) usage ;;
  esac
done
if ! [[ "$BASE_PORT" =~ ^[0-9]+$ ]] || [ "$BASE_PORT" -lt 1024 ] || [ "$BASE_PORT" -gt 55535 ]; then
  die "--base-port must be between 1024 and 55535 (the cluster bus uses port + 10000)"
fi
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac

port_taken() { timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# node_pid PORT: prints the pid of this cluster's redis-server on PORT when it runs.
node_pid() {
  local pid
  pid="$(head -n1 "$DIR/$1/redis.pid" 2>/dev/null | tr -dc 0-9)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q redis-server || return 1
  printf '%s' "$pid"
}

node_ports() {
  local d
  for d in "$DIR"/*/; do
    d="$(basename "$d")"
    [[ "$d" =~ ^[0-9]+$ ]] && printf '%s\n' "$d"
  done
  return 0
}

# node_ready PORT: the node answers and every slot is served with all masters known.
node_ready() {
  local info
  info="$(cli "$1" cluster info 2>/dev/null | tr -d '\r')" || return 1
  grep -qx 'cluster_state:ok' <<<"$info" &&
    grep -qx 'cluster_slots_assigned:16384' <<<"$info" &&
    grep -qx "cluster_known_nodes:$MASTERS" <<<"$info"
}

cluster_healthy() {
  [ -f "$DIR/nodes.txt" ] || return 1
  local node
  while read -r node; do
    node_ready "${node##*:}" || return 1
  done <"$DIR/nodes.txt"
}

stop_nodes() {
  local port pid deadline i pids=() ports=()
  # Shut every node down first, then wait: a node takes a second or two to exit.
  for port in $(node_ports); do
    pid="$(node_pid "$port")" || continue
    cli "$port" shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
    ports+=("$port")
  done
  deadline=$((SECONDS + 10))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null; do
      [ "$SECONDS" -ge "$deadline" ] && { kill -KILL "${pids[$i]}" 2>/dev/null || true; break; }
      sleep 0.1
    done
    log "stopped node 127.0.0.1:${ports[$i]} (pid ${pids[$i]})"
  done
}

# start_node PORT: starts one node; fails (and cleans up) when it does not come up as ours,
# e.g. because another process took the port or its bus port in the meantime.
start_node() {
  local port="$1" node="$DIR/$1" pid deadline
  mkdir -p "$node"
  cat >"$node/redis.conf" <<EOF
port $port
bind 127.0.0.1
daemonize yes
pidfile "$node/redis.pid"
logfile "$node/redis.log"
dir "$node"
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 5000
save ""
appendonly no
EOF
  # The daemon must not inherit the lock, or the lock would live as long as the node.
  if [ -n "$LOCK_FD" ]; then
    redis-server "$node/redis.conf" {LOCK_FD}>&- || true
  else
    redis-server "$node/redis.conf" || true
  fi
  deadline=$((SECONDS + 10))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if pid="$(node_pid "$port")"; then
      # Our process, not someone else's server that answers on the same port.
      if cli "$port" info server 2>/dev/null | tr -d '\r' | grep -qx "process_id:$pid"; then
        return 0
      fi
    fi
    grep -q 'aborting' "$node/redis.log" 2>/dev/null && break
    sleep 0.1
  done
  log "node on port $port did not come up: $(grep -m1 -E 'Could not|Failed' "$node/redis.log" 2>/dev/null || echo timeout)"
  pid="$(node_pid "$port")" && kill -KILL "$pid" 2>/dev/null
  rm -rf "$node"
  return 1
}

start_nodes() {
  local port="$BASE_PORT" started=()
  if command -v flock >/dev/null 2>&1; then
    exec {LOCK_FD}>"$LOCK_FILE"
    flock -w 60 "$LOCK_FD" || die "timed out waiting for $LOCK_FILE"
  fi
  while [ "${#started[@]}" -lt "$MASTERS" ]; do
    [ "$port" -le 55535 ] || die "no free port pair (port, port + 10000) from $BASE_PORT upward"
    if ! port_taken "$port" && ! port_taken $((port + 10000)) && start_node "$port"; then
      started+=("$port")
      log "node 127.0.0.1:$port up (pid $(node_pid "$port"))"
    fi
    port=$((port + 1))
  done
  # The nodes now hold their ports, so the next start will skip them.
  if [ -n "$LOCK_FD" ]; then exec {LOCK_FD}>&-; fi
  printf '%s\n' "${started[@]}"
}

start() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    die "redis-server and redis-cli are needed: install them with \`apt-get install redis-server\`"
  fi
  if [ -e "$DIR" ]; then
    if [ ! -f "$DIR/$MARKER" ]; then
      [ -z "$(ls -A "$DIR")" ] || die "$DIR exists and was not made by redis-cluster.sh; pick another --dir"
    elif cluster_healthy; then
      log "cluster in $DIR is already running"
      cat "$DIR/nodes.txt"
      return 0
    else
      log "cluster in $DIR is not healthy; recreating it"
      stop_nodes
      rm -rf "$DIR"
    fi
  fi
  mkdir -p "$DIR"
  touch "$DIR/$MARKER"
  trap 'log "start failed; cleaning up"; stop_nodes; rm -rf "$DIR"' EXIT

  local ports=() addresses=() port deadline
  mapfile -t ports < <(start_nodes)
  [ "${#ports[@]}" -eq "$MASTERS" ] || die "could not start $MASTERS nodes"
  for port in "${ports[@]}"; do addresses+=("127.0.0.1:$port"); done

  log "creating the cluster: ${addresses[*]}"
  timeout 60 redis-cli --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes \
    >"$DIR/create.log" 2>&1 || { tail -n 20 "$DIR/create.log" >&2; die "redis-cli --cluster create failed"; }

  deadline=$((SECONDS + 30))
  for port in "${ports[@]}"; do
    until node_ready "$port"; do
      [ "$SECONDS" -lt "$deadline" ] || die "node 127.0.0.1:$port did not reach cluster_state:ok in time"
      sleep 0.2
    done
  done
  printf '%s\n' "${addresses[@]}" >"$DIR/nodes.txt"
  trap - EXIT
  log "cluster_state:ok on all $MASTERS nodes (files in $DIR)"
  cat "$DIR/nodes.txt"
}

stop() {
  if [ ! -e "$DIR" ]; then
    log "no cluster in $DIR; nothing to stop"
    return 0
  fi
  [ -f "$DIR/$MARKER" ] || die "$DIR was not made by redis-cluster.sh; refusing to remove it"
  stop_nodes
  rm -rf "$DIR"
  log "removed $DIR"
}

status() {
  [ -f "$DIR/nodes.txt" ] || { log "no cluster in $DIR"; return 1; }
  local node port ok=0 state
  while read -r node; do
    port="${node##*:}"
    if state="$(cli "$port" cluster info 2>/dev/null | tr -d '\r' | grep '^cluster_state:')"; then
      printf '%s  up  %s\n' "$node" "$state"
      [ "$state" = cluster_state:ok ] || ok=1
    else
      printf '%s  down\n' "$node"
      ok=1
    fi
  done <"$DIR/nodes.txt"
  return "$ok"
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
