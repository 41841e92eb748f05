#!/usr/bin/env bash
# Starts the whole Tatkal demo: local services checked or started, database
# migrated and seeded with a Tatkal sale, the three services up. Ctrl-C stops
# everything this script started. Called by ./infra/run demo (toolchain ready).
set -euo pipefail

TATKAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$TATKAL_ROOT"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tatkal}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export REDIS_KEY_PREFIX="${REDIS_KEY_PREFIX:-tatkal}"
export HOST="${HOST:-127.0.0.1}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
WAITING_ROOM_PORT="${WAITING_ROOM_PORT:-8080}"
BOOKING_API_PORT="${BOOKING_API_PORT:-8081}"
ADMISSION_WORKER_PORT="${ADMISSION_WORKER_PORT:-8082}"
LOG_DIR="$TATKAL_ROOT/.data/demo-logs"
mkdir -p "$LOG_DIR"

# Demo secrets live in the git-ignored .data/ and are made once.
demo_secret() {
  local file="$TATKAL_ROOT/.data/$1"
  [ -s "$file" ] || (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$file")
  cat "$file"
}
QUEUE_TICKET_SECRET="${QUEUE_TICKET_SECRET:-$(demo_secret queue-ticket-secret)}"
PAYMENT_WEBHOOK_SECRETS="${PAYMENT_WEBHOOK_SECRETS:-$(demo_secret payment-webhook-secret)}"
export QUEUE_TICKET_SECRET PAYMENT_WEBHOOK_SECRETS
export ADMISSION_JWKS_URL="${ADMISSION_JWKS_URL:-http://$HOST:$WAITING_ROOM_PORT/.well-known/jwks.json}"
export ADMISSION_KEYS_FILE="${ADMISSION_KEYS_FILE:-$TATKAL_ROOT/.data/admission-keys.json}"
node waiting-room/src/commands/keys.ts generate "$ADMISSION_KEYS_FILE" >/dev/null
export BOOKING_URL="${BOOKING_URL:-http://$HOST:${BOOKING_API_PORT:-8081}/book}"
export WAITING_ROOM_URL="${WAITING_ROOM_URL:-http://$HOST:$WAITING_ROOM_PORT}"

say() { printf '[demo] %s\n' "$*" >&2; }

# Which local servers `services.sh up` had to start, so Ctrl-C stops only those.
services_output="$(bash infra/scripts/services.sh up 2>&1)" || {
  printf '%s\n' "$services_output" >&2
  exit 1
}
printf '%s\n' "$services_output" >&2
started_services="$(printf '%s\n' "$services_output" | sed -n 's/^\([a-z]*\): started .*/\1/p' | tr '\n' ' ')"

pids=()
cleanup() {
  local signal="$1"
  trap - INT TERM EXIT
  say "stopping services"
  # Ctrl-C in a terminal already sent SIGINT to the services (same process
  # group); signalling them again would cut their graceful shutdown short.
  if [ "$signal" = INT ]; then
    local deadline=$((SECONDS + 5))
    while [ "$SECONDS" -lt "$deadline" ] && kill -0 "${pids[@]}" 2>/dev/null; do sleep 0.1; done
  fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$started_services" ]; then
    say "stopping the local servers this demo started: $started_services"
    bash infra/scripts/services.sh down || true
  fi
  say "stopped"
}
trap 'cleanup INT' INT
trap 'cleanup TERM' TERM
trap 'cleanup EXIT' EXIT

say "migrating $(printf '%s' "$DATABASE_URL" | sed 's#//[^@]*@#//#')"
pnpm --silent db:migrate
say "seeding the demo Tatkal sale"
pnpm --silent db:seed

start() {
  local name="$1" port="$2"
  PORT="$port" node "$name/src/main.ts" >"$LOG_DIR/$name.log" 2>&1 &
  pids+=("$!")
}
start waiting-room "$WAITING_ROOM_PORT"
start booking-api "$BOOKING_API_PORT"
start admission-worker "$ADMISSION_WORKER_PORT"

wait_ready() {
  local name="$1" port="$2" deadline=$((SECONDS + 30))
  until curl -fsS "http://$HOST:$port/readyz" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "$name did not become ready; its log:"
      tail -n 20 "$LOG_DIR/$name.log" >&2
      exit 1
    fi
    sleep 0.2
  done
}
wait_ready waiting-room "$WAITING_ROOM_PORT"
wait_ready booking-api "$BOOKING_API_PORT"
wait_ready admission-worker "$ADMISSION_WORKER_PORT"

# An operator token for the admin API, the console and the CLI: kept in .data/ and reused while
# the database still knows it, made again otherwise (only its hash is stored in PostgreSQL).
export TATKAL_ADMIN_URL="http://$HOST:$ADMISSION_WORKER_PORT"
token_file="$TATKAL_ROOT/.data/operator-token"
if [ ! -s "$token_file" ] || ! TATKAL_ADMIN_TOKEN="$(cat "$token_file")" node admission-worker/src/cli/main.ts whoami >/dev/null 2>&1; then
  (umask 077 && node admission-worker/src/cli/main.ts tokens create --name demo-operator --role operator >"$token_file")
fi

cat <<INFO

Tatkal demo is up (logs in .data/demo-logs/). Ctrl-C stops everything this started.

  queue page        http://$HOST:$WAITING_ROOM_PORT/rooms/demo   (sale opens a minute after the seed)
  waiting room      http://$HOST:$WAITING_ROOM_PORT      (/openapi.json, /readyz, /metrics)
  booking page      $BOOKING_URL   (where the queue page sends admitted visitors)
  booking API       http://$HOST:$BOOKING_API_PORT      (/openapi.json, /readyz, /metrics)
  a rush to watch   pnpm loadtest:rush   (115 visitors through the queue to confirmed bookings)
  admission worker  http://$HOST:$ADMISSION_WORKER_PORT      (/readyz, /metrics, admin API under /admin)
  operator console  http://$HOST:$ADMISSION_WORKER_PORT/admin/console
  operator token    $(cat "$token_file")   (also in .data/operator-token)
  CLI               TATKAL_ADMIN_URL=$TATKAL_ADMIN_URL TATKAL_ADMIN_TOKEN=\$(cat .data/operator-token) pnpm --silent tatkal watch demo

INFO

# Stay up until Ctrl-C or until a service dies.
wait -n "${pids[@]}"
say "a service exited; see .data/demo-logs/"
exit 1
