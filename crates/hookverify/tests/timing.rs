//! A dudect-style timing check of signature comparison (Reparaz, Balasch, Verbauwhede, "Dude,
//! is my code constant time?", 2017). Two classes of forged requests whose signatures have the
//! right length and differ from the correct one only in the first byte (class A) or only in the
//! last byte (class B) are verified in random interleaving; Welch's t-test on the two timing
//! distributions (whole, and cropped at several percentiles to cut scheduler noise) must stay
//! under the dudect threshold of 4.5. A control runs the same harness on a byte-by-byte
//! comparison that returns at the first difference, to show the harness does detect a leak.
//!
//! Ignored: timing on a shared machine is no pass/fail gate for CI. Run it on a quiet machine,
//! in release mode:
//!
//! ```text
//! cargo test --release -p hookverify --test timing -- --ignored --nocapture
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)] // Test code.

use std::hint::black_box;
use std::time::Instant;

use base64::Engine as _;
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp, Verifier};

/// dudect's threshold: above it, "probably leaking".
const THRESHOLD: f64 = 4.5;
const SAMPLES: usize = 2_000_000;

/// Welford's online mean and variance.
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.mean;
        self.mean += delta / self.n;
        self.m2 += delta * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        self.m2 / (self.n - 1.0)
    }
}

/// Welch's t statistic of two samples.
fn welch_t(a: &Moments, b: &Moments) -> f64 {
    (a.mean - b.mean) / (a.variance() / a.n + b.variance() / b.n).sqrt()
}

/// xorshift64*: enough randomness to interleave the classes, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Measures `run(class)` `SAMPLES` times in random class order and returns the largest |t| over
/// the uncropped data and the data cropped at several percentiles, with the class means.
fn max_t(mut run: impl FnMut(bool)) -> (f64, f64, f64) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Warm up caches, branch predictors and the CPU clock.
    for i in 0..SAMPLES / 10 {
        run(i % 2 == 0);
    }
    let mut samples: Vec<(bool, u64)> = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let class = rng.next() & 1 == 1;
        let start = Instant::now();
        run(class);
        let elapsed = start.elapsed().as_nanos() as u64;
        samples.push((class, elapsed));
    }
    let mut sorted: Vec<u64> = samples.iter().map(|&(_, t)| t).collect();
    sorted.sort_unstable();
    let mut worst: f64 = 0.0;
    let mut means = (0.0, 0.0);
    for percentile in [100, 99, 95, 90, 75, 50] {
        let cut = sorted[(sorted.len() - 1) * percentile / 100];
        let (mut a, mut b) = (Moments::default(), Moments::default());
        for &(class, t) in &samples {
            if t <= cut {
                if class {
                    a.push(t as f64)
                } else {
                    b.push(t as f64)
                }
            }
        }
        let t = welch_t(&a, &b);
        println!(
            "    cropped at p{percentile:<3} ({cut:>6} ns): t = {t:>8.2}  means {:.2} / {:.2} ns",
            a.mean, b.mean
        );
        if percentile == 100 {
            means = (a.mean, b.mean);
        }
        worst = worst.max(t.abs());
    }
    (worst, means.0, means.1)
}

/// The signed headers of a request.
fn sign(scheme: &Scheme, secret: &str, body: &[u8], now: Timestamp) -> Vec<(String, String)> {
    Signer::new(scheme, secret)
        .unwrap()
        .sign(&Message::new(body).id("msg_timing").timestamp(now))
        .unwrap()
        .into_vec()
}

#[test]
#[ignore = "timing statistics: run by hand on a quiet machine, in release mode"]
fn signature_comparison_time_does_not_depend_on_where_the_signatures_differ() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let now = Timestamp::from_unix_seconds(1_700_000_000);
    let body = br#"{"type":"message.sent","data":{"id":"m_1"}}"#;
    let scheme = Scheme::standard_webhooks();
    let signed = sign(&scheme, secret, body, now);
    let signature = &signed
        .iter()
        .find(|(name, _)| name == "webhook-signature")
        .unwrap()
        .1;
    let engine = base64::engine::general_purpose::STANDARD;
    let mac = engine
        .decode(signature.strip_prefix("v1,").unwrap())
        .unwrap();
    let with_signature = |mac: &[u8]| {
        signed
            .iter()
            .map(|(name, value)| {
                let value = if name == "webhook-signature" {
                    format!("v1,{}", engine.encode(mac))
                } else {
                    value.clone()
                };
                (name.clone(), value)
            })
            .collect::<Vec<_>>()
    };
    let mut first = mac.clone();
    first[0] ^= 1;
    let mut last = mac.clone();
    last[31] ^= 1;
    let (early, late) = (with_signature(&first), with_signature(&last));
    let verifier = Verifier::new(scheme, secret).unwrap();
    assert!(
        verifier.verify_at(&early, body, now).is_err()
            && verifier.verify_at(&late, body, now).is_err()
    );
    assert!(verifier.verify_at(&with_signature(&mac), body, now).is_ok());

    println!("hookverify verify_at, forged signature differing in the first vs the last byte:");
    let (t, a, b) = max_t(|class| {
        let headers = if class { &early } else { &late };
        let _ = black_box(verifier.verify_at(black_box(headers), black_box(body), now));
    });
    println!("  max |t| = {t:.2} (threshold {THRESHOLD}); means {a:.1} vs {b:.1} ns");

    println!("control: a comparison that returns at the first differing byte, same inputs:");
    let expected: [u8; 32] = mac.as_slice().try_into().unwrap();
    let (first, last): ([u8; 32], [u8; 32]) = (
        first.as_slice().try_into().unwrap(),
        last.as_slice().try_into().unwrap(),
    );
    let (control, ..) = max_t(|class| {
        let candidate = if class { &first } else { &last };
        black_box(leaky_eq(black_box(&expected), black_box(candidate)));
    });
    println!("  max |t| = {control:.2}");

    assert!(
        control > THRESHOLD,
        "the harness did not detect the leaky control (|t| = {control:.2}): too noisy to conclude"
    );
    assert!(
        t < THRESHOLD,
        "verification time depends on where the signature differs: |t| = {t:.2}"
    );
}

/// What not to do: returns at the first difference.
fn leaky_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if black_box(x) != black_box(y) {
            return false;
        }
    }
    true
}
