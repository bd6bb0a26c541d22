#!/usr/bin/env bash
# RedisStore claims vs `redis-benchmark -t set` at the same concurrency, on one private
# redis-server. Usage: scripts/bench-redis.sh [CONCURRENCY] [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-50}
N=${2:-200000}
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
DIR=$(mktemp -d)
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR" \
  --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
trap 'kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true; rm -rf "$DIR"' EXIT
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done
cargo build --release --quiet -p hookverify-benches --example redis_load
echo "== redis-benchmark -t set -c $C -n $N"
redis-benchmark -p "$PORT" -t set -c "$C" -n "$N" -q
redis-cli -p "$PORT" flushall >/dev/null
echo "== RedisStore::claim, concurrency $C"
target/release/examples/redis_load "redis://127.0.0.1:$PORT" "$C" "$N"
