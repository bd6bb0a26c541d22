#!/usr/bin/env bash
# The one test command: formatting, lints, every test of the workspace, doc tests.
# Run from anywhere: `scripts/test.sh`. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
cargo --version
rustc --version

if [ -f ../shared/vectors/public.json ]; then
  step "public vectors: testdata copy matches shared/vectors/public.json"
  cmp testdata/vectors/public.json ../shared/vectors/public.json
fi

step "cargo fmt --all --check"
cargo fmt --all --check

step "cargo clippy --workspace --all-targets --all-features -- -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "clippy: the core without default features (no serde)"
cargo clippy -p hookverify --no-default-features -- -D warnings

step "docs build without warnings (broken links, missing docs)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features --quiet

step "tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --all-features --no-fail-fast
else
  echo "cargo-nextest not found; using cargo test"
  cargo test --workspace --all-features --lib --bins --tests --no-fail-fast
fi

step "doc tests"
cargo test --workspace --all-features --doc

step "README main command"
cargo run --quiet -p hookverify-cli -- verify --provider standard-webhooks \
  --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw \
  --headers-file samples/standard-webhooks/headers.txt \
  --body-file samples/standard-webhooks/body.json --now 1614265330

step "all passed"
