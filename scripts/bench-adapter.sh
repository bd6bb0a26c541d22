#!/usr/bin/env bash
# A receiver under load on loopback, 1 KiB bodies, every request a new signed event. Five servers
# (see benches/examples/axum_bench_server.rs): plain (the ceiling), webhook (hookverify: verify,
# typed parse, memory de-duplication), webhook-typed (a provider enum), hand-written (svix verify
# + serde_json + Mutex<HashMap>) and minimal (pre-keyed HMAC + serde_json + sharded set). Each
# server runs on CPU 0 (one thread), the load generator on CPU 1; rounds alternate the servers so
# drift in the machine's speed hits all of them. Prints req/s per run and the ratios per round.
# Usage: scripts/bench-adapter.sh [ROUNDS] [SECONDS] [CONNECTIONS] [axum|actix]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-5}
CONNECTIONS=${3:-32}
FRAMEWORK=${4:-axum}
cargo build --release --quiet -p hookverify-benches --example "${FRAMEWORK}_bench_server" --example webhook_load
B=target/release/examples
SERVER="$B/${FRAMEWORK}_bench_server"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
MODES=(plain webhook webhook-typed hand-written minimal)
declare -A PORT
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
for mode in "${MODES[@]}"; do
  PORT[$mode]=$(free_port)
  taskset -c 0 "$SERVER" "$mode" "${PORT[$mode]}" >/dev/null &
  PIDS+=($!)
done
sleep 1
POOL=$((200000 * SECONDS_PER_RUN))
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round ($FRAMEWORK)"
  declare -A RATE=()
  for mode in "${MODES[@]}"; do
    provider=standard-webhooks
    [ "$mode" = webhook-typed ] && provider=sendable
    line=$(taskset -c 1 "$B/webhook_load" "http://127.0.0.1:${PORT[$mode]}/" "$provider" "$CONNECTIONS" "$SECONDS_PER_RUN" 1024 "$POOL" 2>/dev/null)
    printf '%-14s %s\n' "$mode" "$line"
    RATE[$mode]=$(sed -E 's/.* = ([0-9]+) req\/s.*/\1/' <<<"$line")
  done
  awk -v p="${RATE[plain]}" -v w="${RATE[webhook]}" -v h="${RATE[hand-written]}" -v m="${RATE[minimal]}" \
    'BEGIN { printf "ratios: webhook/hand-written %.2f  webhook/minimal %.2f  webhook/plain %.2f  hand-written/plain %.2f  minimal/plain %.2f\n", w/h, w/m, w/p, h/p, m/p }'
done
