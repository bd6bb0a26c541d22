//! Benchmarks only: see `benches/verify.rs` and BENCHMARKS.md at the repository root.
