//! Verification allocates nothing proportional to the body: a counting allocator measures the
//! bytes allocated while verifying 1 KiB and 1 MiB bodies, for every built-in scheme; and
//! hostile headers (a 1 MiB value, 10 000 signatures) cost nothing proportional to their size.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use std::alloc::System;

use hookverify::sign::{Message, Signer};
use hookverify::{Provider, Scheme, Timestamp, Verifier, VerifyError};
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

#[path = "common/keys.rs"]
mod keys;

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
        let (signing, verifying) = keys::key_pair(provider, secret);
        let verifier = Verifier::new(provider.scheme(), verifying).unwrap();
        let signer = Signer::new(&provider.scheme(), &signing).unwrap();
        let mut per_size = Vec::new();
        for len in [1024, 1024 * 1024] {
            // A JSON body for schemes that carry their signature in it (Adyen needs its
            // notification items), else bytes.
            let body = if provider.scheme().signature_in_body() {
                let padding = "x".repeat(len);
                format!(
                    r#"{{"notificationItems":[{{"NotificationRequestItem":{{"pspReference":"p1","eventCode":"AUTHORISATION"}}}}],"padding":"{padding}"}}"#
                )
                .into_bytes()
            } else {
                vec![b'x'; len]
            };
            let headers = signer
                .sign(
                    &Message::new(&body)
                        .id("evt_1")
                        .timestamp(now)
                        .event_type("message.sent"),
                )
                .unwrap();
            // Mailgun's signature travels in the body: the signer makes the body to send.
            let sent = headers.body().unwrap_or(&body);
            let bytes = allocated_during(|| {
                verifier.verify_at(&headers, sent, now).unwrap();
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
    hostile_headers_allocate_nothing_proportional(now);
    other_body_shapes_allocate_nothing_proportional(now);
}

/// The other shapes a signed body takes: Twilio's JSON body (hashed, its hash in the URL),
/// Adyen's body of three items (each verified), Mailgun's form body.
fn other_body_shapes_allocate_nothing_proportional(now: Timestamp) {
    /// A provider, its secret, and its body around a padding.
    type Shape = (Provider, &'static str, fn(&str) -> String);
    let shapes: [Shape; 3] = [
        (Provider::Twilio, "an-auth-token-0123456789", |padding| {
            format!(r#"{{"type":"t","padding":"{padding}"}}"#)
        }),
        (
            Provider::Adyen,
            "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
            |padding| {
                let item = r#"{"NotificationRequestItem":{"pspReference":"p1","eventCode":"AUTHORISATION"}}"#;
                format!(r#"{{"notificationItems":[{item},{item},{item}],"padding":"{padding}"}}"#)
            },
        ),
        (
            Provider::Mailgun,
            "a-mailgun-signing-key-0123456789",
            |padding| format!("event=delivered&padding={padding}"),
        ),
    ];
    for (provider, secret, body_of) in shapes {
        let verifier = Verifier::new(provider.scheme(), secret).unwrap();
        let signer = Signer::new(&provider.scheme(), secret).unwrap();
        let mut per_size = Vec::new();
        for len in [1024, 1024 * 1024] {
            let body = body_of(&"x".repeat(len)).into_bytes();
            let headers = signer
                .sign(&Message::new(&body).id("evt_1").timestamp(now))
                .unwrap();
            let sent = headers.body().unwrap_or(&body);
            per_size.push(allocated_during(|| {
                verifier.verify_at(&headers, sent, now).unwrap();
            }));
        }
        // Fixed per request (Adyen: its records' field slots, about 500 bytes per item after
        // the first), the same for 1 KiB and 1 MiB.
        assert!(
            per_size[1] <= 4096 && per_size[1] <= per_size[0] + 64,
            "{provider}: allocation grows with the body: {per_size:?}"
        );
    }
}

/// A 1 MiB signature header and a header of 10 000 signatures, for the schemes whose header is
/// a list: refused with the typed error, with the same small allocation as a 1-entry header.
fn hostile_headers_allocate_nothing_proportional(now: Timestamp) {
    let huge = format!("v1,{}", "A".repeat(1024 * 1024));
    let cases: [(Scheme, &str, &str, String); 3] = [
        (
            Scheme::standard_webhooks(),
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "webhook-signature",
            vec!["v1,dGVzdA=="; 10_000].join(" "),
        ),
        (
            Scheme::stripe(),
            "a-raw-secret-long-enough-to-pass",
            "stripe-signature",
            format!("t=1700000000,{}", vec!["v1=abcd"; 10_000].join(",")),
        ),
        (
            Scheme::sendpilot(),
            "a-raw-secret-long-enough-to-pass",
            "webhook-signature",
            format!("t=1700000000,{}", vec!["s=abcd"; 10_000].join(",")),
        ),
    ];
    for (scheme, secret, name, many) in cases {
        let default = Verifier::new(scheme.clone(), secret).unwrap();
        let wide = Verifier::builder(scheme.clone())
            .secret(secret)
            .max_header_len(1024 * 1024)
            .build()
            .unwrap();
        let headers = |value: &str| {
            vec![
                ("webhook-id".to_owned(), "msg_1".to_owned()),
                ("webhook-timestamp".to_owned(), "1700000000".to_owned()),
                (name.to_owned(), value.to_owned()),
            ]
        };
        let (huge, many) = (headers(&huge), headers(&many));
        let mut result = None;
        let bytes = allocated_during(|| result = Some(default.verify_at(&huge, b"{}", now)));
        assert!(
            matches!(
                result,
                Some(Err(VerifyError::HeaderTooLong { max: 8192, .. }))
            ),
            "{}: 1 MiB header: {result:?}",
            scheme.name()
        );
        assert!(
            bytes <= 256,
            "{}: {bytes} bytes allocated refusing a 1 MiB header",
            scheme.name()
        );
        let bytes = allocated_during(|| result = Some(wide.verify_at(&many, b"{}", now)));
        assert!(
            matches!(
                result,
                Some(Err(VerifyError::TooManySignatures { max: 16, .. }))
            ),
            "{}: 10 000 signatures: {result:?}",
            scheme.name()
        );
        assert!(
            bytes <= 256,
            "{}: {bytes} bytes allocated refusing 10 000 signatures",
            scheme.name()
        );
    }
}
