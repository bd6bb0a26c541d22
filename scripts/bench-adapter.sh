#!/usr/bin/env bash
# A receiver under load on loopback: a plain `Bytes` handler vs the verifying `Webhook`
# extractor with memory idempotency, 1 KiB bodies, every request a new signed event. The server
# runs on CPU 0 (one thread), the load generator on CPU 1; rounds alternate so drift in the
# machine's speed hits all servers.
# Usage: scripts/bench-axum.sh [ROUNDS] [SECONDS] [CONNECTIONS] [axum|actix]
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
P_PLAIN=$(free_port); P_HOOK=$(free_port); P_TYPED=$(free_port)
taskset -c 0 "$SERVER" plain "$P_PLAIN" >/dev/null & S1=$!
taskset -c 0 "$SERVER" webhook "$P_HOOK" >/dev/null & S2=$!
taskset -c 0 "$SERVER" webhook-typed "$P_TYPED" >/dev/null & S3=$!
trap 'kill $S1 $S2 $S3 2>/dev/null || true' EXIT
sleep 1
POOL=$((200000 * SECONDS_PER_RUN))
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round"
  taskset -c 1 "$B/webhook_load" "http://127.0.0.1:$P_PLAIN/" standard-webhooks "$CONNECTIONS" "$SECONDS_PER_RUN" 1024 "$POOL" 2>/dev/null | sed 's/^/plain          /'
  taskset -c 1 "$B/webhook_load" "http://127.0.0.1:$P_HOOK/" standard-webhooks "$CONNECTIONS" "$SECONDS_PER_RUN" 1024 "$POOL" 2>/dev/null | sed 's/^/webhook        /'
  taskset -c 1 "$B/webhook_load" "http://127.0.0.1:$P_TYPED/" sendable "$CONNECTIONS" "$SECONDS_PER_RUN" 1024 "$POOL" 2>/dev/null | sed 's/^/webhook-typed  /'
done
