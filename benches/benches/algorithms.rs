//! Per algorithm: hookverify's verify next to the bare primitive over the same 1 KiB body —
//! for the HMACs, a body-only hex-signed scheme against the pre-keyed HMAC (`verify_slice` on
//! the decoded tag); for the public-key schemes, Discord (ed25519) and SendGrid (ECDSA P-256)
//! against the key's own `verify` over `timestamp + body` with the decoded signature.
//!
//! Run: `cargo bench -p hookverify-benches --bench algorithms`

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)] // Benchmark code: a panic is a broken benchmark.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{KeyInit as _, Mac};
use hookverify::sign::{Message, Signer};
use hookverify::{HmacAlgorithm, Scheme, SignedPart, Timestamp, Verifier};

const SECRET: &str = "a-signing-secret-of-some-length-0123456789";

fn body() -> Vec<u8> {
    let mut body = br#"{"type":"message.sent","data":{"text":""#.to_vec();
    while body.len() + 3 < 1024 {
        body.push(b'a' + (body.len() % 26) as u8);
    }
    body.extend_from_slice(b"\"}}");
    body
}

fn bare<M: Mac + Clone>(prekeyed: &M, body: &[u8], tag: &[u8]) {
    let mut mac = prekeyed.clone();
    mac.update(body);
    mac.verify_slice(tag).unwrap();
}

fn bench(c: &mut Criterion) {
    let body = body();
    let mut group = c.benchmark_group("algorithm/1KiB");
    group.throughput(Throughput::Bytes(body.len() as u64));
    for algorithm in [
        HmacAlgorithm::Sha1,
        HmacAlgorithm::Sha256,
        HmacAlgorithm::Sha512,
    ] {
        let scheme = Scheme::custom("bench")
            .signature_header("X-Signature")
            .signed_content([SignedPart::Body])
            .hmac(algorithm)
            .build()
            .unwrap();
        let headers = Signer::new(&scheme, SECRET)
            .unwrap()
            .sign(&Message::new(&body))
            .unwrap();
        let tag = hex::decode(headers.get("X-Signature").unwrap()).unwrap();
        let verifier = Verifier::new(scheme, SECRET).unwrap();
        let now = Timestamp::now();
        verifier.verify_at(&headers, &body, now).unwrap();
        let key = SECRET.as_bytes();
        let name = algorithm.name();
        match algorithm {
            HmacAlgorithm::Sha1 => {
                let prekeyed = hmac::Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
                group.bench_function(BenchmarkId::new(format!("{name} bare"), "1KiB"), |b| {
                    b.iter(|| bare(&prekeyed, black_box(&body), black_box(&tag)))
                });
            }
            HmacAlgorithm::Sha256 => {
                let prekeyed = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
                group.bench_function(BenchmarkId::new(format!("{name} bare"), "1KiB"), |b| {
                    b.iter(|| bare(&prekeyed, black_box(&body), black_box(&tag)))
                });
            }
            _ => {
                let prekeyed = hmac::Hmac::<sha2::Sha512>::new_from_slice(key).unwrap();
                group.bench_function(BenchmarkId::new(format!("{name} bare"), "1KiB"), |b| {
                    b.iter(|| bare(&prekeyed, black_box(&body), black_box(&tag)))
                });
            }
        }
        group.bench_function(BenchmarkId::new(format!("{name} verify_at"), "1KiB"), |b| {
            b.iter(|| {
                verifier
                    .verify_at(black_box(&headers), black_box(&body), now)
                    .unwrap()
            })
        });
    }
    group.finish();
}

/// Discord's ed25519 and SendGrid's ECDSA P-256: `verify_at` against the bare `verify`.
fn public_key(c: &mut Criterion) {
    use ed25519_dalek::ed25519::signature::Verifier as _;
    let body = body();
    let mut group = c.benchmark_group("algorithm/1KiB");
    group.throughput(Throughput::Bytes(body.len() as u64));
    let private = "1f".repeat(32);
    let now = Timestamp::now();
    for scheme in [Scheme::discord(), Scheme::sendgrid()] {
        let signer = Signer::new(&scheme, &private).unwrap();
        let headers = signer.sign(&Message::new(&body).timestamp(now)).unwrap();
        let verifier = Verifier::new(scheme.clone(), signer.verifying_secret().unwrap()).unwrap();
        verifier.verify_at(&headers, &body, now).unwrap();
        let timestamp = now.unix_seconds().to_string();
        let mut message = timestamp.into_bytes();
        message.extend_from_slice(&body);
        let name = scheme.name().to_owned();
        if name == "discord" {
            let seed: [u8; 32] = hex::decode(&private).unwrap().try_into().unwrap();
            let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
            let signature = hex::decode(headers.get("X-Signature-Ed25519").unwrap()).unwrap();
            let signature = ed25519_dalek::Signature::from_slice(&signature).unwrap();
            public.verify(&message, &signature).unwrap();
            group.bench_function(BenchmarkId::new("ed25519 bare", "1KiB"), |b| {
                b.iter(|| {
                    public
                        .verify(black_box(&message), black_box(&signature))
                        .unwrap()
                })
            });
        } else {
            use base64::Engine as _;
            let secret = hex::decode(&private).unwrap();
            let public = *p256::ecdsa::SigningKey::from_slice(&secret)
                .unwrap()
                .verifying_key();
            let der = base64::engine::general_purpose::STANDARD
                .decode(
                    headers
                        .get("X-Twilio-Email-Event-Webhook-Signature")
                        .unwrap(),
                )
                .unwrap();
            let signature = p256::ecdsa::Signature::from_der(&der).unwrap();
            public.verify(&message, &signature).unwrap();
            group.bench_function(BenchmarkId::new("ECDSA P-256 bare", "1KiB"), |b| {
                b.iter(|| {
                    public
                        .verify(black_box(&message), black_box(&signature))
                        .unwrap()
                })
            });
        }
        let label = if name == "discord" {
            "ed25519"
        } else {
            "ECDSA P-256"
        };
        group.bench_function(
            BenchmarkId::new(format!("{label} verify_at"), "1KiB"),
            |b| {
                b.iter(|| {
                    verifier
                        .verify_at(black_box(&headers), black_box(&body), now)
                        .unwrap()
                })
            },
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench, public_key
}
criterion_main!(benches);
