//! `MemoryStore` memory per entry: bytes allocated per claimed-and-completed key, beyond the
//! key's own bytes, measured with a counting allocator over 1 000 000 entries.
//!
//! Run: `cargo bench -p hookverify-benches --bench store_memory`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)] // Measurement code.

use std::alloc::System;
use std::time::Duration;

use hookverify::idempotency::{ClaimOutcome, MemoryStore};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const ENTRIES: usize = 1_000_000;

fn main() {
    // `cargo bench` passes `--bench`; anything else (like a filter) is ignored.
    let keys: Vec<String> = (0..ENTRIES)
        .map(|i| format!("sendable:msg_2KWPBgLl{i:020}"))
        .collect();
    let key_bytes: usize = keys.iter().map(String::len).sum();

    for (label, capacity) in [
        ("capacity = entries", ENTRIES),
        ("default growth (capacity 4x)", ENTRIES * 4),
    ] {
        let region = Region::new(GLOBAL);
        let store = MemoryStore::builder().capacity(capacity).build();
        for key in &keys {
            match store.claim_now(key, Duration::from_secs(60)).unwrap() {
                ClaimOutcome::New(claim) => store
                    .complete_now(&claim, Duration::from_secs(3600))
                    .unwrap(),
                other => panic!("{other:?}"),
            }
        }
        let stats = region.change();
        let live = stats
            .bytes_allocated
            .saturating_sub(stats.bytes_deallocated);
        let per_entry = live as f64 / ENTRIES as f64;
        let beyond_key = (live.saturating_sub(key_bytes)) as f64 / ENTRIES as f64;
        println!(
            "memory-store/{label}: {ENTRIES} entries, {:.1} MiB live, {per_entry:.1} B per entry, {beyond_key:.1} B per entry beyond the key ({} B keys)",
            live as f64 / (1024.0 * 1024.0),
            key_bytes / ENTRIES,
        );
        assert_eq!(store.len(), ENTRIES);
        drop(store);
    }
}
