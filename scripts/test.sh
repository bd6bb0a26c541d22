#!/usr/bin/env bash
# The one test command: formatting, lints, every test of the workspace, doc tests.
# Run from anywhere: `scripts/test.sh`. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# A clean build gains nothing from incremental state, and it is the largest part of target/
# (gigabytes): CI's disk is not large. Set CARGO_INCREMENTAL=1 to keep it for local reruns.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
disk() { df -h --output=avail,target . 2>/dev/null | tail -n 1 | awk '{print "disk: " $1 " free on " $2}' || true; }

step "toolchain"
cargo --version
rustc --version
disk

if [ -f ../shared/vectors/public.json ]; then
  step "public vectors: the hookverify-samples copy matches the project's shared vectors"
  cmp crates/hookverify-samples/data/vectors/public.json ../shared/vectors/public.json
fi

step "redis-server for the idempotency tests"
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server not found: installing it (Debian package redis-server)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
REDIS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
REDIS_DIR=$(mktemp -d)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$REDIS_DIR" --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
stop_redis() {
  if [ -f "$REDIS_DIR/redis.pid" ]; then kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$REDIS_DIR"
}
trap stop_redis EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping
export HOOKVERIFY_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
echo "HOOKVERIFY_REDIS_URL=$HOOKVERIFY_REDIS_URL"

step "postgres for the Postgres store tests"
pg_bin() {
  # The newest installed server's binaries (Debian keeps them out of PATH).
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)"
}
if [ -z "$(pg_bin)" ]; then
  echo "postgres not found: installing it (Debian package postgresql)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(pg_bin)
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
PG_DIR=$(mktemp -d)
# Postgres refuses to run as root: as root, run it as the `postgres` user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; fi
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log"; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null \
  || { cat "$PG_DIR/postgres.log"; exit 1; }
stop_services() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  stop_redis
}
trap stop_services EXIT
export HOOKVERIFY_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
# For the test that stops and restarts a private cluster of its own.
export HOOKVERIFY_PG_BIN="$PG_BIN"
echo "HOOKVERIFY_DATABASE_URL=$HOOKVERIFY_DATABASE_URL"

step "cargo deny check licenses bans sources (deny.toml; advisories need the network)"
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "cargo-deny not found: installing it (cargo install cargo-deny --locked)"
  cargo install cargo-deny --locked --quiet
fi
cargo deny check licenses bans sources

step "cargo fmt --all --check"
cargo fmt --all --check

# The declared rust-version (1.88) is checked by clippy's `incompatible_msrv` lint, which reads
# it from Cargo.toml: no API newer than that may be used. A build with that toolchain itself needs
# a second toolchain, which this machine cannot install.
step "cargo clippy --workspace --all-targets --all-features -- -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "clippy: the core without default features (no typed payloads)"
cargo clippy -p hookverify --no-default-features -- -D warnings

step "every feature of the core builds alone"
for feature in "" http events time conformance; do
  echo "hookverify --no-default-features ${feature:+--features $feature}"
  cargo check --quiet -p hookverify --no-default-features ${feature:+--features "$feature"}
done

step "docs build without warnings (broken links, missing docs)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features --quiet
echo "the core as docs.rs builds it (--cfg docsrs: feature badges on gated items)"
RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="--cfg docsrs -D warnings" cargo doc -p hookverify --no-deps --all-features --quiet

step "tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --all-features --no-fail-fast
else
  echo "cargo-nextest not found; using cargo test"
  cargo test --workspace --all-features --lib --bins --tests --no-fail-fast
fi

step "doc tests"
cargo test --workspace --all-features --doc

disk
step "README main command: cargo run --release -p hookverify-cli -- demo"
cargo run --release --quiet -p hookverify-cli -- demo > target/demo-output.txt
tail -n 1 target/demo-output.txt

step "README verify example (the release build the demo made)"
cargo run --release --quiet -p hookverify-cli -- verify --provider standard-webhooks \
  --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw \
  --headers-file crates/hookverify-samples/data/requests/standard-webhooks/headers.txt \
  --body-file crates/hookverify-samples/data/requests/standard-webhooks/body.json --now 1614265330

disk
step "fuzz: build every target, then a ${FUZZ_SMOKE_SECONDS:-20}-second smoke run of each (scripts/fuzz.sh)"
scripts/fuzz.sh "${FUZZ_SMOKE_SECONDS:-20}"

disk
step "all passed"
