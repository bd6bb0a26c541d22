//! What a hostile request costs to refuse, next to what an honest one costs to accept: the
//! work per request is bounded by the verifier's limits (16 signatures, 8 KiB headers by
//! default), not by what the sender puts in the headers. The `svix` crate is measured on the
//! 10 000-signature header for comparison.
//!
//! Run: `cargo bench -p hookverify-benches --bench hostile`

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Benchmark code: a panic is a broken benchmark.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp, Verifier, VerifyError};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A well-formed signature made with another key.
const FORGED: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

fn headers_with(signed: &http::HeaderMap, signature: &str) -> http::HeaderMap {
    let mut map = signed.clone();
    map.insert(
        "webhook-signature",
        http::HeaderValue::from_str(signature).unwrap(),
    );
    map
}

fn bench(c: &mut Criterion) {
    let body = vec![b'x'; 1024];
    let now = Timestamp::now();
    let signed = Signer::new(&Scheme::standard_webhooks(), SECRET)
        .unwrap()
        .sign(&Message::new(&body).id("msg_hostile").timestamp(now))
        .unwrap();
    let mut valid = http::HeaderMap::new();
    for (name, value) in signed.iter() {
        valid.insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            http::HeaderValue::from_str(value).unwrap(),
        );
    }
    let forged = headers_with(&valid, FORGED);
    let sixteen = headers_with(&valid, &vec![FORGED; 16].join(" "));
    let many = headers_with(&valid, &vec![FORGED; 10_000].join(" "));
    let huge = headers_with(&valid, &format!("v1,{}", "A".repeat(1024 * 1024)));

    let default = Verifier::new(Scheme::standard_webhooks(), SECRET).unwrap();
    // Reads headers up to 1 MiB, so 10 000 signatures reach the signature count limit.
    let wide = Verifier::builder(Scheme::standard_webhooks())
        .secret(SECRET)
        .max_header_len(1024 * 1024)
        .build()
        .unwrap();
    let svix = svix::webhooks::Webhook::new(SECRET).unwrap();

    default.verify_at(&valid, &body, now).unwrap();
    assert!(matches!(
        default.verify_at(&forged, &body, now),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert!(matches!(
        default.verify_at(&sixteen, &body, now),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert!(matches!(
        default.verify_at(&many, &body, now),
        Err(VerifyError::HeaderTooLong { .. })
    ));
    assert!(matches!(
        wide.verify_at(&many, &body, now),
        Err(VerifyError::TooManySignatures { .. })
    ));
    assert!(matches!(
        default.verify_at(&huge, &body, now),
        Err(VerifyError::HeaderTooLong { .. })
    ));
    assert!(svix.verify(&body, &many).is_err());

    let mut group = c.benchmark_group("hostile/1KiB body");
    group.bench_function("valid: accepted", |b| {
        b.iter(|| {
            default
                .verify_at(black_box(&valid), black_box(&body), now)
                .unwrap()
        })
    });
    group.bench_function("1 forged signature", |b| {
        b.iter(|| {
            default
                .verify_at(black_box(&forged), black_box(&body), now)
                .unwrap_err()
        })
    });
    group.bench_function("16 forged signatures (the limit)", |b| {
        b.iter(|| {
            default
                .verify_at(black_box(&sixteen), black_box(&body), now)
                .unwrap_err()
        })
    });
    group.bench_function("10 000 signatures, default limits", |b| {
        b.iter(|| {
            default
                .verify_at(black_box(&many), black_box(&body), now)
                .unwrap_err()
        })
    });
    group.bench_function("10 000 signatures, 1 MiB header limit", |b| {
        b.iter(|| {
            wide.verify_at(black_box(&many), black_box(&body), now)
                .unwrap_err()
        })
    });
    group.bench_function("1 MiB signature header", |b| {
        b.iter(|| {
            default
                .verify_at(black_box(&huge), black_box(&body), now)
                .unwrap_err()
        })
    });
    group.bench_function("svix 2.x: 10 000 signatures", |b| {
        b.iter(|| svix.verify(black_box(&body), black_box(&many)).unwrap_err())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
