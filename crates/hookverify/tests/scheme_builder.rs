//! The scheme builder's validation, defaults and built-ins, through the public API.

#![allow(clippy::unwrap_used, clippy::panic)] // Test code: a panic here is a failing test.

use hookverify::{IdempotencyRule, Provider, Scheme, SchemeError, SignedPart};

#[test]
fn builtin_schemes_build() {
    for provider in Provider::ALL {
        // `Provider::scheme` goes through `builtin`, whose `expect` this proves unreachable.
        let scheme = provider.scheme();
        assert_eq!(scheme.provider(), Some(provider));
        assert_eq!(scheme.name(), provider.name());
    }
}

#[test]
fn custom_scheme_validation() {
    let base = || Scheme::custom("x").signature_header("x-sig");
    assert!(base().build().is_ok());
    assert_eq!(
        Scheme::custom("x").build().unwrap_err(),
        SchemeError::MissingSignatureHeader
    );
    assert!(matches!(
        Scheme::custom("x").signature_header("bad header").build(),
        Err(SchemeError::InvalidHeaderName { .. })
    ));
    assert!(matches!(
        base().signing_header("bad header", "x").build(),
        Err(SchemeError::InvalidHeaderName { .. })
    ));
    assert_eq!(
        base()
            .signed_content([SignedPart::Timestamp])
            .build()
            .unwrap_err(),
        SchemeError::ContentWithoutBody
    );
    assert_eq!(
        base()
            .signed_content([SignedPart::Id, SignedPart::Body])
            .build()
            .unwrap_err(),
        SchemeError::ContentNeedsId
    );
    assert_eq!(
        base()
            .signed_content([SignedPart::Timestamp, SignedPart::Body])
            .build()
            .unwrap_err(),
        SchemeError::ContentNeedsTimestamp
    );
    assert_eq!(
        base()
            .key_value("t", "v1")
            .timestamp_header("x-ts")
            .build()
            .unwrap_err(),
        SchemeError::TwoTimestamps
    );
    assert_eq!(
        base()
            .key_value("t", "v1")
            .leading_version("")
            .build()
            .unwrap_err(),
        SchemeError::Empty {
            what: "leading version"
        }
    );
    assert_eq!(
        base()
            .signed_content(vec![SignedPart::Body; 17])
            .build()
            .unwrap_err(),
        SchemeError::TooManyParts
    );
    // Body fields are signed only where the signature is in the body.
    assert_eq!(
        base()
            .signed_content([SignedPart::Body, SignedPart::field("id")])
            .build()
            .unwrap_err(),
        SchemeError::FieldWithoutBodySignature
    );
    assert_eq!(
        base().signature_in_body("a//b").build().unwrap_err(),
        SchemeError::Empty {
            what: "body path segment"
        }
    );
    // More distinct names than one lookup pass reads: refused, never silently dropped.
    let set = |n: u8| {
        hookverify::HeaderNames::new(format!("s{n}"))
            .id(format!("i{n}"))
            .timestamp(format!("t{n}"))
            .delivery_id(format!("d{n}"))
            .event_type(format!("e{n}"))
            .second_signature(format!("x{n}"))
    };
    assert_eq!(
        Scheme::custom("x")
            .header_names(set(0))
            .alternate_header_names(set(1))
            .alternate_header_names(set(2))
            .build()
            .unwrap_err(),
        SchemeError::TooManyNames { max: 16 }
    );
    // A body-carried signature may leave the body out of the signed content (Mailgun).
    let in_body = Scheme::custom("x")
        .signature_in_body("signature")
        .signature_header("signature")
        .id_header("token")
        .signed_content([SignedPart::Id])
        .build()
        .unwrap();
    assert!(in_body.signature_in_body() && !in_body.signs_body());
}

#[test]
fn idempotency_defaults_and_override() {
    let base = || Scheme::custom("x").signature_header("x-sig");
    assert_eq!(
        base().build().unwrap().idempotency_rule(),
        IdempotencyRule::BodyHash
    );
    assert_eq!(
        base().id_header("x-id").build().unwrap().idempotency_rule(),
        IdempotencyRule::DeliveryIdHeader
    );
    let rule = IdempotencyRule::BodyField {
        fields: &["event_id"],
        then_header: false,
        then_body_hash: true,
    };
    assert_eq!(
        base().idempotency(rule).build().unwrap().idempotency_rule(),
        rule
    );
}
