#!/usr/bin/env bash
# Fuzz every target (or the ones named) for SECONDS each, one after another.
#
#   scripts/fuzz.sh SECONDS [TARGET...]
#
# Installs cargo-fuzz when it is missing. cargo-fuzz passes nightly-only flags (the sanitizer),
# which this stable toolchain accepts with RUSTC_BOOTSTRAP=1. Each target starts from its
# seeds (fuzz/seeds/<target>, written first by tests/src/bin/fuzz-seeds.rs) plus whatever an earlier run
# left in fuzz/corpus/<target> (git-ignored). Crashes land in fuzz/artifacts/<target>/; turn each
# into a regression test in the normal suite. Exits non-zero when any target failed.
set -euo pipefail

seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
cd "$(dirname "$0")/../fuzz"

# The seeds are made by the Rust signer from hookverify-samples (not committed): one
# implementation of every scheme, the library's own.
cargo run --quiet --manifest-path ../Cargo.toml -p hookverify-cases --bin fuzz-seeds -- seeds

export RUSTC_BOOTSTRAP=1
export PATH="$HOME/.cargo/bin:$PATH"

# libfuzzer-sys compiles libFuzzer's C++ sources.
if ! command -v c++ >/dev/null 2>&1; then
    echo "fuzz: no C++ compiler: installing g++ (Debian package)"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq g++ >/dev/null
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

echo "fuzz: building ${#targets[@]} targets"
cargo fuzz build

mkdir -p logs
failed=()
summary=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log="logs/$target.log"
    echo "fuzz: $target for ${seconds}s (log: fuzz/$log)"
    # -timeout: one input taking 10 s is a hang (a loop); -rss_limit_mb: unbounded allocation.
    if cargo fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed+=("$target")
        tail -n 40 "$log"
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1 || true)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1 || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || true)
    units=$(find "corpus/$target" -type f | wc -l)
    summary+=("$(printf '%-22s %-7s %12s runs %8s/s  cov %6s  corpus %6s' "$target" "$status" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$units")")
done

echo
echo "fuzz: ${seconds}s per target"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs in fuzz/artifacts/, logs in fuzz/logs/)" >&2
    exit 1
fi
