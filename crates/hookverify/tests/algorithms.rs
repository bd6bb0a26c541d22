//! HMAC-SHA1, HMAC-SHA256 and HMAC-SHA512 through the whole scheme path (header parsing,
//! decoding, constant-time match), against the HMAC test vectors of RFC 2202 (SHA-1) and
//! RFC 4231 (SHA-256, SHA-512), test case 2: key `Jefe`, data `what do ya want for nothing?`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use hookverify::sign::{Message, Signer};
use hookverify::{
    HmacAlgorithm, Scheme, SignatureProblem, SignedPart, Timestamp, Verifier, VerifyError,
};

const KEY: &str = "Jefe";
const DATA: &[u8] = b"what do ya want for nothing?";

/// (algorithm, expected tag in hex) from RFC 2202 section 3 and RFC 4231 section 4.3.
const VECTORS: [(HmacAlgorithm, &str); 3] = [
    (
        HmacAlgorithm::Sha1,
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
    ),
    (
        HmacAlgorithm::Sha256,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ),
    (
        HmacAlgorithm::Sha512,
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
         9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    ),
];

fn scheme(algorithm: HmacAlgorithm, base64: bool) -> Scheme {
    let builder = Scheme::custom("rfc")
        .signature_header("X-Signature")
        .signed_content([SignedPart::Body])
        .hmac(algorithm);
    let builder = if base64 {
        builder.base64()
    } else {
        builder.hex()
    };
    builder.build().unwrap()
}

fn verifier(scheme: Scheme) -> Verifier {
    // `Jefe` is shorter than the default minimum: the RFC's key, allowed explicitly.
    Verifier::builder(scheme)
        .min_secret_len(1)
        .secret(KEY)
        .build()
        .unwrap()
}

#[test]
fn the_rfc_vectors_verify_through_a_scheme() {
    for (algorithm, tag) in VECTORS {
        let verifier = verifier(scheme(algorithm, false));
        let headers = [("X-Signature", tag)];
        verifier
            .verify_at(&headers, DATA, Timestamp::from_unix_seconds(0))
            .unwrap_or_else(|e| panic!("{algorithm}: {e}"));
        // Upper-case hex is the same signature.
        let upper = tag.to_uppercase();
        verifier
            .verify_at(
                &[("X-Signature", upper.as_str())],
                DATA,
                Timestamp::from_unix_seconds(0),
            )
            .unwrap_or_else(|e| panic!("{algorithm} upper: {e}"));
        // One changed byte of body: a mismatch, not an error of form.
        let err = verifier
            .verify_at(
                &headers,
                b"what do ya want for nothing!",
                Timestamp::from_unix_seconds(0),
            )
            .unwrap_err();
        assert!(
            matches!(err, VerifyError::SignatureMismatch { .. }),
            "{algorithm}: {err}"
        );
    }
}

#[test]
fn the_signer_reproduces_the_rfc_tags_in_hex_and_base64() {
    use base64::Engine as _;
    for (algorithm, tag) in VECTORS {
        for base64 in [false, true] {
            let scheme = scheme(algorithm, base64);
            let signed = Signer::new(&scheme, KEY)
                .unwrap()
                .sign(&Message::new(DATA))
                .unwrap();
            let value = signed
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("X-Signature"))
                .map(|(_, value)| value.to_owned())
                .unwrap();
            let expected = if base64 {
                base64::engine::general_purpose::STANDARD.encode(hex::decode(tag).unwrap())
            } else {
                tag.to_owned()
            };
            assert_eq!(value, expected, "{algorithm} base64={base64}");
            verifier(scheme)
                .verify_at(&signed, DATA, Timestamp::from_unix_seconds(0))
                .unwrap_or_else(|e| panic!("{algorithm} base64={base64}: {e}"));
        }
    }
}

#[test]
fn a_tag_of_another_algorithms_length_is_refused_by_its_length() {
    let sha1_tag = VECTORS[0].1;
    let sha256 = verifier(scheme(HmacAlgorithm::Sha256, false));
    let err = sha256
        .verify_at(
            &[("X-Signature", sha1_tag)],
            DATA,
            Timestamp::from_unix_seconds(0),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::InvalidSignature {
                problem: SignatureProblem::WrongLength {
                    expected: 32,
                    found: 20
                },
                ..
            }
        ),
        "{err}"
    );
    // A SHA-256 tag zero-padded to SHA-512's length is not a SHA-512 tag.
    let padded = format!("{}{}", VECTORS[1].1, "0".repeat(64));
    let sha512 = verifier(scheme(HmacAlgorithm::Sha512, false));
    let err = sha512
        .verify_at(
            &[("X-Signature", padded.as_str())],
            DATA,
            Timestamp::from_unix_seconds(0),
        )
        .unwrap_err();
    assert!(
        matches!(err, VerifyError::SignatureMismatch { .. }),
        "{err}"
    );
}

#[test]
fn algorithm_names_parse() {
    for (name, algorithm) in [
        ("sha1", HmacAlgorithm::Sha1),
        ("HMAC-SHA256", HmacAlgorithm::Sha256),
        ("sha-512", HmacAlgorithm::Sha512),
    ] {
        assert_eq!(name.parse::<HmacAlgorithm>().unwrap(), algorithm);
    }
    assert!("md5".parse::<HmacAlgorithm>().is_err());
    assert_eq!(Scheme::stripe().hmac_algorithm(), HmacAlgorithm::Sha256);
    assert_eq!(HmacAlgorithm::Sha1.tag_len(), 20);
}

mod rfc3339 {
    use hookverify::{Timestamp, TimestampError, TimestampUnit};

    fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        Timestamp::parse(text.as_bytes(), TimestampUnit::Rfc3339)
    }

    #[test]
    fn valid_date_times_convert_to_the_right_instant() {
        // Cross-checked with `date -u -d ... +%s`.
        for (text, millis) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2019-11-16T10:11:12.634234626Z", 1_573_899_072_634),
            ("2019-11-16T10:11:12.6Z", 1_573_899_072_600),
            ("2024-02-29T23:59:59.999z", 1_709_251_199_999),
            ("2026-03-02T11:30:00+01:00", 1_772_447_400_000),
            ("2026-03-02t05:00:00-05:30", 1_772_447_400_000),
            ("1969-12-31T23:59:59Z", -1000),
            ("2000-03-01T00:00:00Z", 951_868_800_000),
        ] {
            assert_eq!(
                parse(text),
                Ok(Timestamp::from_unix_millis(millis)),
                "{text}"
            );
        }
    }

    #[test]
    fn malformed_or_impossible_date_times_are_refused_precisely() {
        for (text, expected) in [
            ("", TimestampError::Empty),
            (
                "2019-11-16 10:11:12Z",
                TimestampError::NotRfc3339 { position: 10 },
            ),
            (
                "2019-11-16T10:11:12",
                TimestampError::NotRfc3339 { position: 19 },
            ),
            (
                "2019-11-16T10:11:12.Z",
                TimestampError::NotRfc3339 { position: 20 },
            ),
            (
                "2019-11-16T10:11:12.1234567890Z",
                TimestampError::NotRfc3339 { position: 30 },
            ),
            (
                "2019-11-16T10:11:12Z ",
                TimestampError::NotRfc3339 { position: 20 },
            ),
            (
                "2019-1-16T10:11:12Z",
                TimestampError::NotRfc3339 { position: 6 },
            ),
            ("2023-02-29T00:00:00Z", TimestampError::InvalidDate),
            ("2024-13-01T00:00:00Z", TimestampError::InvalidDate),
            ("2024-01-01T24:00:00Z", TimestampError::InvalidDate),
            ("2024-01-01T00:00:00+24:00", TimestampError::InvalidDate),
            ("1700000000", TimestampError::NotRfc3339 { position: 4 }),
        ] {
            assert_eq!(parse(text), Err(expected), "{text:?}");
        }
        let long = format!("2019-11-16T10:11:12.{}Z", "1".repeat(40));
        assert!(matches!(
            parse(&long),
            Err(TimestampError::NotRfc3339 { .. })
        ));
    }
}
