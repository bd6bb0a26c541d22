//! Verification allocates nothing proportional to the body: a counting allocator measures the
//! bytes allocated while verifying 1 KiB and 1 MiB bodies, for every built-in scheme.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use std::alloc::System;

use hookverify::sign::{Message, Signer};
use hookverify::{Provider, Timestamp, Verifier};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated while `f` runs. This file holds a single test so that no other test thread
/// allocates meanwhile.
fn allocated_during(f: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    f();
    region.change().bytes_allocated
}

#[test]
fn verify_allocates_nothing_proportional_to_the_body() {
    let now = Timestamp::from_unix_seconds(1_700_000_000);
    for provider in Provider::ALL {
        let secret = match provider {
            Provider::StandardWebhooks | Provider::Sendable | Provider::Sent => {
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            }
            _ => "a-raw-secret-long-enough-to-pass",
        };
        let verifier = Verifier::new(provider.scheme(), secret).unwrap();
        let signer = Signer::new(&provider.scheme(), secret).unwrap();
        let mut per_size = Vec::new();
        for len in [1024, 1024 * 1024] {
            let body = vec![b'x'; len];
            let headers = signer
                .sign(
                    &Message::new(&body)
                        .id("evt_1")
                        .timestamp(now)
                        .event_type("message.sent"),
                )
                .unwrap();
            let bytes = allocated_during(|| {
                verifier.verify_at(&headers, &body, now).unwrap();
            });
            per_size.push(bytes);
        }
        // Small, fixed allocations only (the id and event type strings of `Verified`).
        assert!(
            per_size[1] <= 256,
            "{provider}: {} bytes allocated for a 1 MiB body",
            per_size[1]
        );
        assert!(
            per_size[1] <= per_size[0] + 64,
            "{provider}: allocation grows with the body: {per_size:?}"
        );
    }
}
