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
declare -A PID
for mode in "${MODES[@]}"; do
  PORT[$mode]=$(free_port)
  taskset -c 0 "$SERVER" "$mode" "${PORT[$mode]}" >/dev/null &
  PID[$mode]=$!
  PIDS+=($!)
done
# CPU time (user + system, clock ticks) a server process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
sleep 1
POOL=$((200000 * SECONDS_PER_RUN))
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round ($FRAMEWORK)"
  declare -A RATE=() CPU=()
  for mode in "${MODES[@]}"; do
    provider=standard-webhooks
    [ "$mode" = webhook-typed ] && provider=sendable
    before=$(cpu_ticks "${PID[$mode]}")
    line=$(taskset -c 1 "$B/webhook_load" "http://127.0.0.1:${PORT[$mode]}/" "$provider" "$CONNECTIONS" "$SECONDS_PER_RUN" 1024 "$POOL" 2>/dev/null)
    after=$(cpu_ticks "${PID[$mode]}")
    RATE[$mode]=$(sed -E 's/.* = ([0-9]+) req\/s.*/\1/' <<<"$line")
    requests=$(sed -E 's/.*: ([0-9]+) requests.*/\1/' <<<"$line")
    # Server CPU per request (user + system, kernel network work included): steadier than
    # req/s on a machine whose other tenants take the CPU away at random.
    CPU[$mode]=$(awk -v t="$((after - before))" -v us="$TICK_US" -v n="$requests" 'BEGIN { printf "%.2f", t * us / n }')
    printf '%-14s %s; server CPU %s us/request\n' "$mode" "$line" "${CPU[$mode]}"
  done
  awk -v p="${RATE[plain]}" -v w="${RATE[webhook]}" -v h="${RATE[hand-written]}" -v m="${RATE[minimal]}" \
    'BEGIN { printf "req/s ratios:      webhook/hand-written %.2f  webhook/minimal %.2f  webhook/plain %.2f  hand-written/plain %.2f  minimal/plain %.2f\n", w/h, w/m, w/p, h/p, m/p }'
  # The same ratios from CPU per request (the cheaper server has the higher ratio).
  awk -v p="${CPU[plain]}" -v w="${CPU[webhook]}" -v h="${CPU[hand-written]}" -v m="${CPU[minimal]}" \
    'BEGIN { printf "CPU-based ratios:  webhook/hand-written %.2f  webhook/minimal %.2f  webhook/plain %.2f  hand-written/plain %.2f  minimal/plain %.2f\n", h/w, m/w, p/w, p/h, p/m }'
done
