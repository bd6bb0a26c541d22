//! The negative matrix: named bad inputs, each asserting its specific error (plus a few positive
//! controls next to the edges they guard).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use std::time::Duration;

use hookverify::sign::{Message, Signer};
use hookverify::{
    BuildError, HeaderProblem, Provider, Scheme, SecretEncoding, SecretError, SignatureProblem,
    Timestamp, TimestampError, Verified, Verifier, VerifyError,
};

const STD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_STD_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const RAW_SECRET: &str = "whsec_8f3a1c2d4e5b6a7c8d9e0f1a2b3c4d5e";
const NOW: i64 = 1_700_000_000;
const BODY: &[u8] = br#"{"type":"message.sent","data":{"id":"m_1"}}"#;

type Headers = Vec<(String, String)>;

#[path = "common/rebuilt.rs"]
mod rebuilt;

thread_local! {
    /// When set, every scheme is the public-builder rebuild instead of the built-in.
    static REBUILT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn scheme_of(provider: Provider) -> Scheme {
    if REBUILT.get() {
        rebuilt::scheme(provider).expect("the matrix covers the first eight providers")
    } else {
        provider.scheme()
    }
}

fn secret_for(provider: Provider) -> &'static str {
    match provider {
        Provider::StandardWebhooks | Provider::Sendable | Provider::Sent => STD_SECRET,
        _ => RAW_SECRET,
    }
}

fn now() -> Timestamp {
    Timestamp::from_unix_seconds(NOW)
}

fn sign_at(provider: Provider, body: &[u8], at: Timestamp) -> Headers {
    Signer::new(
        &scheme_of(provider),
        &keys::key_pair(provider, secret_for(provider)).0,
    )
    .unwrap()
    .sign(
        &Message::new(body)
            .id("evt_123")
            .timestamp(at)
            .event_type("message.sent"),
    )
    .unwrap()
    .into_vec()
}

fn sign(provider: Provider) -> Headers {
    sign_at(provider, BODY, now())
}

fn set(mut headers: Headers, name: &str, value: &str) -> Headers {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    headers.push((name.to_owned(), value.to_owned()));
    headers
}

fn remove(mut headers: Headers, name: &str) -> Headers {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    headers
}

fn add(mut headers: Headers, name: &str, value: &str) -> Headers {
    headers.push((name.to_owned(), value.to_owned()));
    headers
}

fn get<'h>(headers: &'h Headers, name: &str) -> &'h str {
    &headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .unwrap()
        .1
}

fn verifier(provider: Provider) -> Verifier {
    Verifier::new(
        scheme_of(provider),
        keys::key_pair(provider, secret_for(provider)).1,
    )
    .unwrap()
}

#[path = "common/keys.rs"]
mod keys;

/// The URL the signer signs by default for a URL-signing scheme.
fn default_url(provider: Provider) -> String {
    format!("{}/{}", hookverify::sign::DEFAULT_URL_BASE, provider.name())
}

/// Verifies with the method and URL the signer used by default (schemes that sign neither
/// ignore them).
fn check(provider: Provider, headers: &Headers, body: &[u8]) -> Result<Verified, VerifyError> {
    let url = default_url(provider);
    check_target(provider, headers, body, "POST", &url)
}

fn check_target(
    provider: Provider,
    headers: &Headers,
    body: &[u8],
    method: &str,
    url: &str,
) -> Result<Verified, VerifyError> {
    let request = hookverify::RequestContext::new(headers)
        .method(method)
        .url(url);
    verifier(provider).verify_at(&request, body, now())
}

fn std_sig() -> String {
    get(&sign(Provider::StandardWebhooks), "webhook-signature").to_owned()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn name_is(name: &str, expected: &str) -> bool {
    name.eq_ignore_ascii_case(expected)
}

type Expectation = Box<dyn Fn(&Result<Verified, VerifyError>) -> bool>;

struct Case {
    name: &'static str,
    result: Result<Verified, VerifyError>,
    expect: Expectation,
}

macro_rules! case {
    ($cases:ident, $name:expr, $result:expr, $pattern:pat $(if $guard:expr)?) => {
        $cases.push(Case {
            name: $name,
            result: $result,
            #[allow(clippy::redundant_pattern_matching)]
            expect: Box::new(move |r| matches!(r, $pattern $(if $guard)?)),
        });
    };
}

fn std_with_timestamp(ts: &str) -> Result<Verified, VerifyError> {
    let headers = set(sign(Provider::StandardWebhooks), "webhook-timestamp", ts);
    check(Provider::StandardWebhooks, &headers, BODY)
}

fn stripe_header(ts: &str) -> Headers {
    let signed = sign(Provider::Stripe);
    let value =
        get(&signed, "Stripe-Signature").replacen(&format!("t={NOW}"), &format!("t={ts}"), 1);
    set(signed, "Stripe-Signature", &value)
}

fn secret_error(provider: Provider, secret: &str) -> Option<SecretError> {
    match Verifier::new(scheme_of(provider), secret) {
        Err(BuildError::Secret { source, .. }) => Some(source),
        _ => None,
    }
}

/// Mailgun's signed body for `event` (a JSON object or a form), signed at `at`.
fn mailgun_body(event: &[u8], at: Timestamp) -> Vec<u8> {
    Signer::new(&scheme_of(Provider::Mailgun), RAW_SECRET)
        .unwrap()
        .sign(&Message::new(event).id("evt_123").timestamp(at))
        .unwrap()
        .body()
        .unwrap()
        .to_vec()
}

/// `BODY` with one byte changed.
fn changed_body() -> Vec<u8> {
    let mut changed = BODY.to_vec();
    changed[10] ^= 1;
    changed
}

fn replaced(body: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.contains(from), "{from} not in {text}");
    text.replacen(from, to, 1).into_bytes()
}

/// Mailgun: the signature travels in the body, and only its timestamp and token are signed.
fn mailgun_cases(cases: &mut Vec<Case>) {
    let mg = Provider::Mailgun;
    let none: Headers = Vec::new();
    let signed = mailgun_body(BODY, now());
    let field_is = |name: &str, expected: &str| name == expected;
    case!(cases, "mailgun: signed body verifies (control)", check(mg, &none, &signed),
        Ok(v) if v.id() == Some("evt_123") && v.idempotency_key_from_headers() == Some("evt_123"));
    case!(
        cases,
        "mailgun: the event changed still verifies (Mailgun does not sign it)",
        check(mg, &none, &replaced(&signed, "m_1", "m_2")),
        Ok(_)
    );
    case!(
        cases,
        "mailgun: token changed",
        check(mg, &none, &replaced(&signed, "evt_123", "evt_124")),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(
        cases,
        "mailgun: timestamp changed within the window",
        check(
            mg,
            &none,
            &replaced(&signed, &NOW.to_string(), &(NOW - 1).to_string())
        ),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(cases, "mailgun: body without the signature object", check(mg, &none, BODY),
        Err(VerifyError::MissingBodyField { name }) if field_is(name, "signature.signature"));
    case!(cases, "mailgun: missing token",
        check(mg, &none, &replaced(&signed, "\"token\"", "\"tokem\"")),
        Err(VerifyError::MissingBodyField { name }) if field_is(name, "signature.token"));
    case!(cases, "mailgun: missing timestamp",
        check(mg, &none, &replaced(&signed, "\"timestamp\"", "\"timestump\"")),
        Err(VerifyError::MissingBodyField { name }) if field_is(name, "signature.timestamp"));
    case!(cases, "mailgun: repeated token",
        check(mg, &none, &replaced(&signed, "\"token\":", "\"token\":\"evt_123\",\"token\":")),
        Err(VerifyError::RepeatedBodyField { name }) if field_is(name, "signature.token"));
    case!(
        cases,
        "mailgun: two signature objects",
        check(
            mg,
            &none,
            &replaced(&signed, "\"type\":", "\"signature\":{},\"type\":")
        ),
        Err(VerifyError::MalformedSignedBody {
            problem: hookverify::BodyProblem::BadObject { .. }
        })
    );
    case!(
        cases,
        "mailgun: signature is not an object",
        check(mg, &none, br#"{"signature":"9cfc5c41","token":"t"}"#),
        Err(VerifyError::MalformedSignedBody {
            problem: hookverify::BodyProblem::BadObject { .. }
        })
    );
    case!(cases, "mailgun: token is not text",
        check(mg, &none, &replaced(&signed, "\"evt_123\"", "[\"evt_123\"]")),
        Err(VerifyError::MalformedSignedBody { problem: hookverify::BodyProblem::NotText { name } })
            if field_is(name, "signature.token"));
    case!(
        cases,
        "mailgun: truncated JSON",
        check(mg, &none, &signed[..signed.len() - 1]),
        Err(VerifyError::MalformedSignedBody {
            problem: hookverify::BodyProblem::NotJson { .. }
        })
    );
    case!(
        cases,
        "mailgun: signature not hex",
        check(
            mg,
            &none,
            &replaced(&signed, "\"signature\":\"", "\"signature\":\"zz")
        ),
        Err(VerifyError::InvalidSignature { .. })
    );
    case!(
        cases,
        "mailgun: stale (9 h and 1 s old)",
        check(
            mg,
            &none,
            &mailgun_body(BODY, Timestamp::from_unix_seconds(NOW - 9 * 3600 - 1))
        ),
        Err(VerifyError::TimestampTooOld { .. })
    );
    case!(
        cases,
        "mailgun: 6 min in the future",
        check(
            mg,
            &none,
            &mailgun_body(BODY, Timestamp::from_unix_seconds(NOW + 360))
        ),
        Err(VerifyError::TimestampTooNew { .. })
    );
    let other = Signer::new(&Scheme::mailgun(), "another-signing-key-0123456789")
        .unwrap()
        .sign(&Message::new(BODY).id("evt_123").timestamp(now()))
        .unwrap();
    case!(
        cases,
        "mailgun: wrong key",
        check(mg, &none, other.body().unwrap()),
        Err(VerifyError::SignatureMismatch { .. })
    );
    // Headers named like the fields are never read: the signature must be in the body.
    let text = String::from_utf8(signed.clone()).unwrap();
    let value = |field: &str| {
        let from = text.find(&format!("\"{field}\":\"")).unwrap() + field.len() + 4;
        text[from..from + text[from..].find('"').unwrap()].to_owned()
    };
    let as_headers: Headers = ["timestamp", "token", "signature"]
        .into_iter()
        .map(|field| (field.to_owned(), value(field)))
        .collect();
    case!(
        cases,
        "mailgun: the fields as headers are not read",
        check(mg, &as_headers, BODY),
        Err(VerifyError::MissingBodyField { .. })
    );
    let form = mailgun_body(b"event=delivered&recipient=alice%40example.com", now());
    case!(cases, "mailgun: legacy form body verifies (control)", check(mg, &none, &form),
        Ok(v) if v.id() == Some("evt_123"));
    case!(
        cases,
        "mailgun: legacy form, token changed",
        check(
            mg,
            &none,
            &replaced(&form, "token=evt_123", "token=evt_124")
        ),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(
        cases,
        "mailgun: legacy form, token not UTF-8",
        check(mg, &none, &replaced(&form, "token=evt_123", "token=%FF")),
        Err(VerifyError::MalformedSignedBody {
            problem: hookverify::BodyProblem::FormNotUtf8
        })
    );
}

const ADYEN_KEY: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

/// An Adyen notification item.
fn adyen_item(psp: &str, event: &str) -> String {
    format!(
        r#"{{"NotificationRequestItem":{{"pspReference":"{psp}","merchantAccountCode":"M","merchantReference":"order-1","amount":{{"value":1000,"currency":"EUR"}},"eventCode":"{event}","eventDate":"2026-03-02T10:30:00+01:00","success":"true","additionalData":{{"authCode":"052095"}}}}}}"#
    )
}

/// Adyen's body with `items`, each signed with `key`.
fn adyen_signed(items: &[String], key: &str) -> Vec<u8> {
    let body = format!(
        r#"{{"live":"false","notificationItems":[{}]}}"#,
        items.join(",")
    );
    Signer::new(&Scheme::adyen(), key)
        .unwrap()
        .sign(&Message::new(body.as_bytes()))
        .unwrap()
        .body()
        .unwrap()
        .to_vec()
}

/// Adyen: every notification item carries its own signature over eight of its fields.
fn adyen_cases(cases: &mut Vec<Case>) {
    let none: Headers = Vec::new();
    let verifier = Verifier::new(Scheme::adyen(), ADYEN_KEY).unwrap();
    let check = |body: &[u8]| verifier.verify_at(&none, body, now());
    let one = adyen_signed(&[adyen_item("P1", "AUTHORISATION")], ADYEN_KEY);
    let two = adyen_signed(
        &[
            adyen_item("P1", "AUTHORISATION"),
            adyen_item("P1", "CAPTURE"),
        ],
        ADYEN_KEY,
    );
    case!(cases, "adyen: signed item verifies (control)", check(&one),
        Ok(v) if v.event_type() == Some("AUTHORISATION"));
    case!(
        cases,
        "adyen: two signed items verify (control)",
        check(&two),
        Ok(_)
    );
    for (field, from, to) in [
        ("pspReference", "\"P1\"", "\"P2\""),
        ("merchantReference", "order-1", "order-2"),
        ("amount.value", "1000", "10000"),
        ("amount.currency", "EUR", "USD"),
        ("success", "\"true\"", "\"false\""),
        ("eventCode", "AUTHORISATION", "REFUND"),
    ] {
        case!(
            cases,
            Box::leak(format!("adyen: {field} changed").into_boxed_str()),
            check(&replaced(&one, from, to)),
            Err(VerifyError::SignatureMismatch { .. })
        );
    }
    case!(
        cases,
        "adyen: an unsigned field changed still verifies (Adyen signs eight fields)",
        check(&replaced(&one, "052095", "999999")),
        Ok(_)
    );
    case!(
        cases,
        "adyen: the second item tampered",
        check(&replaced(&two, "CAPTURE", "REFUND")),
        Err(VerifyError::SignatureMismatch { .. })
    );
    let unsigned_second = format!(
        r#"{{"live":"false","notificationItems":[{},{}]}}"#,
        {
            let text = String::from_utf8(one.clone()).unwrap();
            let start = text.find("{\"NotificationRequestItem\"").unwrap();
            let end = text.rfind(']').unwrap();
            text[start..end].to_owned()
        },
        adyen_item("P1", "REFUND")
    );
    case!(cases, "adyen: a signed item and an unsigned one", check(unsigned_second.as_bytes()),
        Err(VerifyError::MissingBodyField { name })
            if name == "NotificationRequestItem.additionalData.hmacSignature");
    case!(
        cases,
        "adyen: no items",
        check(br#"{"live":"false","notificationItems":[]}"#),
        Err(VerifyError::MissingBodyField { .. })
    );
    case!(cases, "adyen: repeated hmacSignature",
        check(&replaced(&one, "\"hmacSignature\":", "\"hmacSignature\":\"AAAA\",\"hmacSignature\":")),
        Err(VerifyError::RepeatedBodyField { name }) if name.ends_with("additionalData.hmacSignature"));
    case!(
        cases,
        "adyen: amount is not an object",
        check(&replaced(
            &one,
            "\"amount\":{",
            "\"amount\":5,\"amount_\":{"
        )),
        Err(VerifyError::MalformedSignedBody {
            problem: hookverify::BodyProblem::BadObject { .. }
        })
    );
    case!(
        cases,
        "adyen: a form body",
        check(b"pspReference=P1&eventCode=AUTHORISATION"),
        Err(VerifyError::MalformedSignedBody {
            problem: hookverify::BodyProblem::NotJson { .. }
        })
    );
    case!(
        cases,
        "adyen: hmacSignature not base64",
        check(&replaced(
            &one,
            "\"hmacSignature\":\"",
            "\"hmacSignature\":\"!"
        )),
        Err(VerifyError::InvalidSignature { .. })
    );
    let other_key = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";
    case!(
        cases,
        "adyen: wrong key",
        check(&adyen_signed(
            &[adyen_item("P1", "AUTHORISATION")],
            other_key
        )),
        Err(VerifyError::SignatureMismatch { .. })
    );
    // The signed item 101 times (the signer refuses to sign what no verifier accepts).
    let text = String::from_utf8(one.clone()).unwrap();
    let item = &text[text.find("{\"NotificationRequestItem\"").unwrap()..text.rfind(']').unwrap()];
    let many = format!(
        r#"{{"live":"false","notificationItems":[{}]}}"#,
        vec![item; 101].join(",")
    );
    case!(
        cases,
        "adyen: 101 items",
        check(many.as_bytes()),
        Err(VerifyError::MalformedSignedBody {
            problem: hookverify::BodyProblem::TooManyRecords { max: 100 }
        })
    );
    assert!(matches!(
        Verifier::new(Scheme::adyen(), "not-hex-at-all-0123456789abcdef"),
        Err(BuildError::Secret {
            source: SecretError::InvalidHex { .. },
            ..
        })
    ));
}

#[test]
fn negative_matrix() {
    matrix();
}

/// The same matrix, every scheme rebuilt with the public builder alone: identical outcomes.
#[test]
fn negative_matrix_on_schemes_rebuilt_with_the_public_builder() {
    REBUILT.set(true);
    matrix();
}

#[allow(clippy::too_many_lines)]
fn matrix() {
    use Provider::*;
    let mut cases: Vec<Case> = Vec::new();
    let sw = StandardWebhooks;

    // --- Standard Webhooks / Svix: headers -------------------------------------------------
    for header in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        case!(
            cases,
            Box::leak(format!("standard: missing {header}").into_boxed_str()),
            check(sw, &remove(sign(sw), header), BODY),
            Err(VerifyError::MissingHeader { name }) if name_is(name, header)
        );
    }
    case!(cases, "standard: no headers at all", check(sw, &Vec::new(), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "webhook-signature"));
    let svix = sign(Sendable);
    for header in ["svix-id", "svix-timestamp", "svix-signature"] {
        case!(
            cases,
            Box::leak(format!("svix set: missing {header}").into_boxed_str()),
            check(sw, &remove(svix.clone(), header), BODY),
            Err(VerifyError::MissingHeader { name }) if name_is(name, header)
        );
    }
    case!(
        cases,
        "svix set alone verifies (control)",
        check(sw, &svix, BODY),
        Ok(_)
    );
    let mixed = vec![
        ("svix-id".to_owned(), "evt_123".to_owned()),
        ("webhook-timestamp".to_owned(), NOW.to_string()),
        ("webhook-signature".to_owned(), std_sig()),
    ];
    case!(
        cases,
        "mixed svix-id with webhook-timestamp/signature",
        check(sw, &mixed, BODY),
        Err(VerifyError::MixedHeaderSets { .. })
    );
    let both_same: Headers = sign(sw).into_iter().chain(svix.clone()).collect();
    case!(
        cases,
        "both sets present with identical values (control)",
        check(sw, &both_same, BODY),
        Ok(_)
    );
    let both_differ = set(both_same.clone(), "svix-id", "evt_other");
    // Two complete sets: the scheme's first set is verified on its own and the other ignored,
    // so values are never combined (here the svix-id differs and plays no part).
    case!(
        cases,
        "both sets complete, svix-id differs: webhook-* verified alone (control)",
        check(sw, &both_differ, BODY),
        Ok(v) if v.id() == Some("evt_123")
    );
    let svix_valid_webhook_forged = set(
        both_same.clone(),
        "webhook-signature",
        &format!("v1,{}", b64(&[0; 32])),
    );
    case!(
        cases,
        "both sets complete, webhook-* forged: svix-* is not used to rescue it",
        check(sw, &svix_valid_webhook_forged, BODY),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(
        cases,
        "mixed: svix-timestamp completing a webhook-* set",
        check(
            sw,
            &add(
                remove(sign(sw), "webhook-timestamp"),
                "svix-timestamp",
                &NOW.to_string()
            ),
            BODY
        ),
        Err(VerifyError::MixedHeaderSets { .. })
    );
    case!(cases, "repeated webhook-signature", check(sw, &add(sign(sw), "webhook-signature", &std_sig()), BODY),
        Err(VerifyError::RepeatedHeader { name }) if name_is(name, "webhook-signature"));
    case!(cases, "1 MiB signature header", check(sw, &set(sign(sw), "webhook-signature", &"v".repeat(1 << 20)), BODY),
        Err(VerifyError::HeaderTooLong { len, .. }) if *len == 1 << 20);
    case!(
        cases,
        "non-ASCII signature header",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &format!("{} v1,é", std_sig())
            ),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader {
            problem: HeaderProblem::NotAscii,
            ..
        })
    );
    let bad_id: Vec<(String, Vec<u8>)> = sign(sw)
        .into_iter()
        .map(|(k, v)| {
            if k == "webhook-id" {
                (k, vec![0xff, 0xfe])
            } else {
                (k, v.into_bytes())
            }
        })
        .collect();
    case!(cases, "non-UTF-8 webhook-id", verifier(sw).verify_at(&bad_id, BODY, now()),
        Err(VerifyError::InvalidHeaderValue { name }) if name_is(name, "webhook-id"));

    // --- Standard Webhooks: signature values -------------------------------------------------
    case!(
        cases,
        "empty signature header",
        check(sw, &set(sign(sw), "webhook-signature", ""), BODY),
        Err(VerifyError::NoSupportedSignature { .. })
    );
    case!(
        cases,
        "`v1,` alone",
        check(sw, &set(sign(sw), "webhook-signature", "v1,"), BODY),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::Empty,
            index: 0,
            ..
        })
    );
    case!(
        cases,
        "truncated signature (31 bytes)",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &format!("v1,{}", b64(&[7; 31]))
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::WrongLength {
                expected: 32,
                found: 31
            },
            ..
        })
    );
    case!(
        cases,
        "overlong signature (33 bytes)",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &format!("v1,{}", b64(&[7; 33]))
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::WrongLength {
                expected: 32,
                found: 33
            },
            ..
        })
    );
    case!(
        cases,
        "very long single signature (120 bytes)",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &format!("v1,{}", b64(&[7; 120]))
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::WrongLength { expected: 32, .. },
            ..
        })
    );
    case!(
        cases,
        "1000 candidate signatures",
        check(
            sw,
            &set(sign(sw), "webhook-signature", &vec!["v1,A"; 1000].join(" ")),
            BODY
        ),
        Err(VerifyError::TooManySignatures { max: 16, .. })
    );
    case!(
        cases,
        "17 valid-looking signatures (one over the cap)",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &vec![std_sig(); 17].join(" ")
            ),
            BODY
        ),
        Err(VerifyError::TooManySignatures { max: 16, .. })
    );
    case!(
        cases,
        "1000 full-length signatures (header cap first)",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &vec![std_sig(); 1000].join(" ")
            ),
            BODY
        ),
        Err(VerifyError::HeaderTooLong { max: 8192, .. })
    );
    let valid_b64 = std_sig()["v1,".len()..].to_owned();
    case!(
        cases,
        "wrong version tag v2 only",
        check(
            sw,
            &set(sign(sw), "webhook-signature", &format!("v2,{valid_b64}")),
            BODY
        ),
        Err(VerifyError::NoSupportedSignature { .. })
    );
    case!(
        cases,
        "version tags are case-sensitive (V1)",
        check(
            sw,
            &set(sign(sw), "webhook-signature", &format!("V1,{valid_b64}")),
            BODY
        ),
        Err(VerifyError::NoSupportedSignature { .. })
    );
    case!(
        cases,
        "v1a entry with only an HMAC key",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &format!("v1a,{}", b64(&[1; 64]))
            ),
            BODY
        ),
        Err(VerifyError::NoSupportedSignature { .. })
    );
    case!(
        cases,
        "non-base64 signature",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                "v1,not*base64*at*all*padding*here*==="
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::BadEncoding { encoding: "base64" },
            ..
        })
    );
    case!(
        cases,
        "malformed entry next to the valid one is still refused",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &format!("{} v1,%%%", std_sig())
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature { index: 1, .. })
    );
    case!(
        cases,
        "unknown versions next to the valid one (control)",
        check(
            sw,
            &set(
                sign(sw),
                "webhook-signature",
                &format!("v2,xyz {} v9,abc", std_sig())
            ),
            BODY
        ),
        Ok(_)
    );

    // --- Timestamps ---------------------------------------------------------------------------
    case!(
        cases,
        "timestamp with leading +",
        std_with_timestamp("+1700000000"),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::Sign,
            ..
        })
    );
    case!(
        cases,
        "timestamp -9223372036854775808",
        std_with_timestamp("-9223372036854775808"),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::Sign,
            ..
        })
    );
    case!(
        cases,
        "timestamp 9223372036854775807 (seconds)",
        std_with_timestamp("9223372036854775807"),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::OutOfRange { digits: 19 },
            ..
        })
    );
    case!(
        cases,
        "30-digit timestamp",
        std_with_timestamp(&"9".repeat(30)),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::OutOfRange { digits: 30 },
            ..
        })
    );
    case!(
        cases,
        "timestamp with a space",
        std_with_timestamp("1700000000 "),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::Whitespace,
            ..
        })
    );
    case!(
        cases,
        "timestamp with a fraction",
        std_with_timestamp("1700000000.5"),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::Fraction,
            ..
        })
    );
    case!(
        cases,
        "timestamp with letters",
        std_with_timestamp("17000000e0"),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::NonDigit { position: 8 },
            ..
        })
    );
    case!(
        cases,
        "empty timestamp",
        std_with_timestamp(""),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::Empty,
            ..
        })
    );
    let ms = Timestamp::from_unix_seconds(NOW).unix_millis().to_string();
    case!(
        cases,
        "standard: milliseconds where seconds are expected",
        std_with_timestamp(&ms),
        Err(VerifyError::TimestampTooNew { .. })
    );
    let at = |offset: i64| Timestamp::from_unix_seconds(NOW + offset);
    case!(
        cases,
        "standard: exactly 300 s old (control)",
        check(sw, &sign_at(sw, BODY, at(-300)), BODY),
        Ok(_)
    );
    case!(cases, "standard: 301 s old",
        check(sw, &sign_at(sw, BODY, at(-301)), BODY),
        Err(VerifyError::TimestampTooOld { age, tolerance }) if *age == Duration::from_secs(301) && *tolerance == Duration::from_secs(300));
    case!(
        cases,
        "standard: exactly 300 s ahead (control)",
        check(sw, &sign_at(sw, BODY, at(300)), BODY),
        Ok(_)
    );
    case!(cases, "standard: 301 s ahead",
        check(sw, &sign_at(sw, BODY, at(301)), BODY),
        Err(VerifyError::TimestampTooNew { ahead, .. }) if *ahead == Duration::from_secs(301));
    case!(
        cases,
        "stripe: 301 s old",
        check(Stripe, &sign_at(Stripe, BODY, at(-301)), BODY),
        Err(VerifyError::TimestampTooOld { .. })
    );
    case!(
        cases,
        "stripe: timestamp in milliseconds",
        check(Stripe, &stripe_header(&ms), BODY),
        Err(VerifyError::TimestampTooNew { .. })
    );
    case!(
        cases,
        "stripe: signed timestamp",
        check(Stripe, &stripe_header("-1"), BODY),
        Err(VerifyError::InvalidTimestamp {
            source: TimestampError::Sign,
            ..
        })
    );
    case!(cases, "autosend: 61 s ahead (60 s future tolerance)",
        check(AutoSend, &sign_at(AutoSend, BODY, at(61)), BODY),
        Err(VerifyError::TimestampTooNew { tolerance, .. }) if *tolerance == Duration::from_secs(60));
    case!(
        cases,
        "autosend: 60 s ahead (control)",
        check(AutoSend, &sign_at(AutoSend, BODY, at(60)), BODY),
        Ok(_)
    );
    case!(
        cases,
        "autosend: 301 s old",
        check(AutoSend, &sign_at(AutoSend, BODY, at(-301)), BODY),
        Err(VerifyError::TimestampTooOld { .. })
    );
    case!(
        cases,
        "autosend: seconds timestamp accepted (control)",
        check(
            AutoSend,
            &set(sign(AutoSend), "X-Webhook-Timestamp", &NOW.to_string()),
            BODY
        ),
        Ok(_)
    );
    case!(cases, "autosend: 1 ms over 300 s old in milliseconds",
        check(AutoSend, &set(sign(AutoSend), "X-Webhook-Timestamp", &(NOW * 1000 - 300_001).to_string()), BODY),
        Err(VerifyError::TimestampTooOld { age, .. }) if *age == Duration::from_millis(300_001));
    case!(
        cases,
        "sendpilot: timestamp in milliseconds",
        {
            let h = sign(SendPilot);
            let v = get(&h, "Webhook-Signature").replace(&format!("t={NOW}"), &format!("t={ms}"));
            check(SendPilot, &set(h, "Webhook-Signature", &v), BODY)
        },
        Err(VerifyError::TimestampTooNew { .. })
    );

    // --- The request target, for the schemes that sign it -----------------------------------
    for provider in [Twilio, Square, HubSpot] {
        // The URL the signer signed: the default one (Twilio adds `bodySHA256` for this JSON
        // body).
        let url = Signer::new(
            &scheme_of(provider),
            &keys::key_pair(provider, secret_for(provider)).0,
        )
        .unwrap()
        .sign(&Message::new(BODY).id("evt_123").timestamp(now()))
        .unwrap()
        .url()
        .unwrap()
        .to_owned();
        case!(
            cases,
            Box::leak(format!("{provider}: the signed URL (control)").into_boxed_str()),
            check_target(provider, &sign(provider), BODY, "POST", &url),
            Ok(_)
        );
        case!(
            cases,
            Box::leak(format!("{provider}: another path").into_boxed_str()),
            check_target(
                provider,
                &sign(provider),
                BODY,
                "POST",
                &url.replacen(&format!("/{provider}"), &format!("/{provider}/x"), 1)
            ),
            Err(VerifyError::SignatureMismatch { .. })
        );
        case!(
            cases,
            Box::leak(format!("{provider}: http instead of https").into_boxed_str()),
            check_target(
                provider,
                &sign(provider),
                BODY,
                "POST",
                &url.replacen("https", "http", 1)
            ),
            Err(VerifyError::SignatureMismatch { .. })
        );
        case!(
            cases,
            Box::leak(format!("{provider}: no URL given").into_boxed_str()),
            verifier(provider).verify_at(&sign(provider), BODY, now()),
            Err(VerifyError::MissingRequestContext { .. })
        );
    }
    case!(
        cases,
        "hubspot: the method is signed",
        check_target(HubSpot, &sign(HubSpot), BODY, "PUT", &default_url(HubSpot)),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(
        cases,
        "hubspot: no method given",
        verifier(HubSpot).verify_at(
            &hookverify::RequestContext::new(&sign(HubSpot)).url(&default_url(HubSpot)),
            BODY,
            now()
        ),
        Err(VerifyError::MissingRequestContext { what: "method" })
    );
    case!(
        cases,
        "square: the method is not signed (control)",
        check_target(Square, &sign(Square), BODY, "PUT", &default_url(Square)),
        Ok(_)
    );
    let form = b"Body=Hello+world&From=%2B15017122661&To=%2B15558675310";
    let twilio = sign_at(Twilio, form, now());
    case!(
        cases,
        "twilio: fields in another order verify (the scheme sorts them)",
        check(
            Twilio,
            &twilio,
            b"To=%2B15558675310&Body=Hello+world&From=%2B15017122661"
        ),
        Ok(_)
    );
    case!(
        cases,
        "twilio: a field added",
        check(
            Twilio,
            &twilio,
            b"Body=Hello+world&From=%2B15017122661&To=%2B15558675310&X=1"
        ),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(
        cases,
        "twilio: a field that does not decode to UTF-8",
        check(Twilio, &twilio, b"Body=%FF"),
        Err(VerifyError::FormNotUtf8)
    );
    // Twilio's JSON bodies: the signer adds `bodySHA256` to the URL it signs.
    let json_signed = Signer::new(&scheme_of(Twilio), RAW_SECRET)
        .unwrap()
        .sign(&Message::new(BODY).timestamp(now()))
        .unwrap();
    let json_url = json_signed.url().unwrap().to_owned();
    let json_headers = json_signed.into_vec();
    case!(
        cases,
        "twilio: JSON body signed through bodySHA256 (control)",
        check_target(Twilio, &json_headers, BODY, "POST", &json_url),
        Ok(_)
    );
    case!(cases, "twilio: JSON body changed: the URL's hash no longer matches",
        check_target(Twilio, &json_headers, &changed_body(), "POST", &json_url),
        Err(VerifyError::BodyHashMismatch { name }) if name == "bodySHA256");
    case!(
        cases,
        "twilio: bodySHA256 dropped from the URL",
        check_target(
            Twilio,
            &json_headers,
            BODY,
            "POST",
            json_url.split('?').next().unwrap()
        ),
        Err(VerifyError::SignatureMismatch { .. })
    );

    let pd = sign(PagerDuty);
    let pd_sig = get(&pd, "X-PagerDuty-Signature").to_owned();
    case!(
        cases,
        "pagerduty: a signature of another secret first, then the right one",
        check(
            PagerDuty,
            &set(
                pd.clone(),
                "X-PagerDuty-Signature",
                &format!("v1={},{pd_sig}", "0".repeat(64))
            ),
            BODY
        ),
        Ok(_)
    );
    case!(
        cases,
        "pagerduty: only a version it does not check",
        check(
            PagerDuty,
            &set(
                pd.clone(),
                "X-PagerDuty-Signature",
                &pd_sig.replacen("v1=", "v2=", 1)
            ),
            BODY
        ),
        Err(VerifyError::NoSupportedSignature { .. })
    );
    case!(
        cases,
        "pagerduty: a part without `=`",
        check(
            PagerDuty,
            &set(pd, "X-PagerDuty-Signature", &format!("{pd_sig},garbage")),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader { .. })
    );

    // GitLab's secret token: the header is the secret; nothing else is checked.
    let token = Verifier::new(hookverify::gitlab::token_scheme(), "a-gitlab-secret-token").unwrap();
    let with_token = |value: &str| vec![("X-Gitlab-Token".to_owned(), value.to_owned())];
    case!(
        cases,
        "gitlab token: the secret (control)",
        token.verify_at(&with_token("a-gitlab-secret-token"), BODY, now()),
        Ok(_)
    );
    case!(
        cases,
        "gitlab token: does not authenticate the body (documented)",
        token.verify_at(&with_token("a-gitlab-secret-token"), b"anything", now()),
        Ok(_)
    );
    case!(
        cases,
        "gitlab token: one character off",
        token.verify_at(&with_token("a-gitlab-secret-tokeN"), BODY, now()),
        Err(VerifyError::SignatureMismatch {
            candidates: 1,
            secrets: 1
        })
    );
    case!(
        cases,
        "gitlab token: the secret with a suffix",
        token.verify_at(&with_token("a-gitlab-secret-token0"), BODY, now()),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(
        cases,
        "gitlab token: empty",
        token.verify_at(&with_token(""), BODY, now()),
        Err(VerifyError::InvalidSignature { .. })
    );
    case!(
        cases,
        "gitlab token: missing",
        token.verify_at(&Vec::<(String, String)>::new(), BODY, now()),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "X-Gitlab-Token")
    );

    // Box: the second signature header, tried when the first matches none.
    let bx = sign(BoxCom);
    let bx_sig = get(&bx, "BOX-SIGNATURE-PRIMARY").to_owned();
    let wrong_b64 = b64(&[7_u8; 32]);
    let moved = set(
        set(bx.clone(), "BOX-SIGNATURE-PRIMARY", &wrong_b64),
        "BOX-SIGNATURE-SECONDARY",
        &bx_sig,
    );
    case!(
        cases,
        "box: the primary header by another key, the secondary by ours",
        check(BoxCom, &moved, BODY),
        Ok(_)
    );
    case!(
        cases,
        "box: neither header by our key",
        check(
            BoxCom,
            &set(moved.clone(), "BOX-SIGNATURE-SECONDARY", &wrong_b64),
            BODY
        ),
        Err(VerifyError::SignatureMismatch { candidates: 2, .. })
    );
    case!(
        cases,
        "box: only the secondary header",
        check(BoxCom, &remove(moved, "BOX-SIGNATURE-PRIMARY"), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "BOX-SIGNATURE-PRIMARY")
    );
    // The public-key schemes: malformed signatures and keys are typed errors.
    case!(
        cases,
        "sendgrid: a signature that is base64 but not DER",
        check(
            SendGrid,
            &set(
                sign(SendGrid),
                "X-Twilio-Email-Event-Webhook-Signature",
                &b64(&[0x30_u8; 40])
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature { .. })
    );
    case!(
        cases,
        "discord: a signature of 63 bytes",
        check(
            Discord,
            &set(sign(Discord), "X-Signature-Ed25519", &"ab".repeat(63)),
            BODY
        ),
        Err(VerifyError::InvalidSignature { .. })
    );
    case!(
        cases,
        "discord: signed by another key",
        {
            let other = Signer::new(&Scheme::discord(), &"5a".repeat(32)).unwrap();
            let headers = other
                .sign(&Message::new(BODY).timestamp(now()))
                .unwrap()
                .into_vec();
            check(Discord, &headers, BODY)
        },
        Err(VerifyError::SignatureMismatch { .. })
    );
    assert!(matches!(
        Verifier::new(Scheme::discord(), "not-a-hex-public-key"),
        Err(hookverify::BuildError::Secret {
            source: hookverify::SecretError::InvalidPublicKey,
            ..
        })
    ));
    assert!(matches!(
        Verifier::new(Scheme::sendgrid(), "a-shared-secret-0123456789"),
        Err(hookverify::BuildError::Secret {
            source: hookverify::SecretError::InvalidPublicKey,
            ..
        })
    ));

    // --- Body and secrets --------------------------------------------------------------------
    let mut changed = BODY.to_vec();
    changed[10] ^= 1;
    for provider in Provider::ALL {
        if !scheme_of(provider).signs_body() {
            continue; // Mailgun: its own section below
        }
        case!(
            cases,
            Box::leak(format!("{provider}: one-byte body change").into_boxed_str()),
            check(provider, &sign(provider), &changed),
            Err(VerifyError::SignatureMismatch {
                candidates: 1,
                secrets: 1
            })
        );
    }
    mailgun_cases(&mut cases);
    adyen_cases(&mut cases);
    let binary: Vec<u8> = (0..=255u8).rev().collect();
    case!(
        cases,
        "non-UTF-8 body verifies over the raw bytes (control)",
        check(sw, &sign_at(sw, &binary, now()), &binary),
        Ok(_)
    );
    let mut binary_changed = binary.clone();
    binary_changed[0] = 0;
    case!(
        cases,
        "non-UTF-8 body with one byte changed",
        check(sw, &sign_at(sw, &binary, now()), &binary_changed),
        Err(VerifyError::SignatureMismatch { .. })
    );
    case!(
        cases,
        "wrong secret",
        Verifier::new(scheme_of(sw), OTHER_STD_SECRET)
            .unwrap()
            .verify_at(&sign(sw), BODY, now()),
        Err(VerifyError::SignatureMismatch { .. })
    );
    let rotated = Verifier::builder(scheme_of(sw))
        .secret(OTHER_STD_SECRET)
        .secret_until(STD_SECRET, at(-1))
        .build()
        .unwrap();
    case!(cases, "expired rotation secret", rotated.verify_at(&sign(sw), BODY, now()),
        Err(VerifyError::SecretExpired { index: 1, expired_at }) if *expired_at == at(-1));
    let rotating = Verifier::builder(scheme_of(sw))
        .secret(OTHER_STD_SECRET)
        .secret_until(STD_SECRET, at(0))
        .build()
        .unwrap();
    case!(cases, "rotation secret at its last valid instant (control)",
        rotating.verify_at(&sign(sw), BODY, now()), Ok(v) if v.secret_index() == 1);

    // --- SendPilot, Stripe, GitHub, AutoSend, SendKit, Sent specifics -----------------------------
    let sp = sign(SendPilot);
    let sp_sig = get(&sp, "Webhook-Signature").to_owned();
    let sp_hex = sp_sig.rsplit("s=").next().unwrap().to_owned();
    case!(cases, "sendpilot: missing Webhook-Signature", check(SendPilot, &Vec::new(), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "webhook-signature"));
    case!(
        cases,
        "sendpilot: no t= part",
        check(
            SendPilot,
            &set(sp.clone(), "Webhook-Signature", &format!("v1,s={sp_hex}")),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader {
            problem: HeaderProblem::MissingTimestamp,
            ..
        })
    );
    case!(
        cases,
        "sendpilot: t= twice",
        check(
            SendPilot,
            &set(
                sp.clone(),
                "Webhook-Signature",
                &format!("t={NOW},t={NOW},s={sp_hex}")
            ),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader {
            problem: HeaderProblem::RepeatedTimestamp,
            ..
        })
    );
    case!(
        cases,
        "sendpilot: part without =",
        check(
            SendPilot,
            &set(
                sp.clone(),
                "Webhook-Signature",
                &format!("t={NOW},junk,s={sp_hex}")
            ),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader {
            problem: HeaderProblem::PartWithoutEquals,
            ..
        })
    );
    case!(
        cases,
        "sendpilot: a Svix signature list instead",
        check(
            SendPilot,
            &set(sp.clone(), "Webhook-Signature", &std_sig()),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader {
            problem: HeaderProblem::LooksLikeStandardWebhooks,
            ..
        })
    );
    case!(
        cases,
        "sendpilot: non-hex s=",
        check(
            SendPilot,
            &set(
                sp.clone(),
                "Webhook-Signature",
                &format!("t={NOW},s={}", "zz".repeat(32))
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::BadEncoding { encoding: "hex" },
            ..
        })
    );
    case!(
        cases,
        "sendpilot: truncated hex",
        check(
            SendPilot,
            &set(
                sp.clone(),
                "Webhook-Signature",
                &format!("t={NOW},s={}", &sp_hex[..62])
            ),
            BODY
        ),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::WrongLength {
                expected: 32,
                found: 31
            },
            ..
        })
    );
    case!(
        cases,
        "sendpilot: without the leading v1 (control)",
        check(
            SendPilot,
            &set(
                sp.clone(),
                "Webhook-Signature",
                &format!("t={NOW},s={sp_hex}")
            ),
            BODY
        ),
        Ok(_)
    );
    case!(
        cases,
        "sendpilot: second s= matches (control)",
        check(
            SendPilot,
            &set(
                sp.clone(),
                "Webhook-Signature",
                &format!("v1,t={NOW},s={},s={sp_hex}", "0".repeat(64))
            ),
            BODY
        ),
        Ok(_)
    );
    let stripe = sign(Stripe);
    let stripe_sig = get(&stripe, "Stripe-Signature").to_owned();
    case!(
        cases,
        "stripe: v0 only",
        check(
            Stripe,
            &set(
                stripe.clone(),
                "Stripe-Signature",
                &stripe_sig.replace("v1=", "v0=")
            ),
            BODY
        ),
        Err(VerifyError::NoSupportedSignature { .. })
    );
    case!(
        cases,
        "stripe: missing t=",
        check(
            Stripe,
            &set(
                stripe.clone(),
                "Stripe-Signature",
                &stripe_sig.replace(&format!("t={NOW},"), "")
            ),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader {
            problem: HeaderProblem::MissingTimestamp,
            ..
        })
    );
    case!(cases, "stripe: missing Stripe-Signature", check(Stripe, &Vec::new(), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "stripe-signature"));
    let gh = sign(GitHub);
    let gh_sig = get(&gh, "X-Hub-Signature-256").to_owned();
    case!(cases, "github: missing X-Hub-Signature-256", check(GitHub, &remove(gh.clone(), "X-Hub-Signature-256"), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "x-hub-signature-256"));
    case!(
        cases,
        "github: missing sha256= prefix",
        check(
            GitHub,
            &set(
                gh.clone(),
                "X-Hub-Signature-256",
                gh_sig.trim_start_matches("sha256=")
            ),
            BODY
        ),
        Err(VerifyError::MalformedSignatureHeader {
            problem: HeaderProblem::MissingPrefix { .. },
            ..
        })
    );
    case!(cases, "github: missing X-GitHub-Delivery", check(GitHub, &remove(gh.clone(), "X-GitHub-Delivery"), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "x-github-delivery"));
    case!(
        cases,
        "github: upper-case hex (control)",
        check(
            GitHub,
            &set(
                gh.clone(),
                "X-Hub-Signature-256",
                &format!("sha256={}", gh_sig[7..].to_uppercase())
            ),
            BODY
        ),
        Ok(_)
    );
    let au = sign(AutoSend);
    case!(cases, "autosend: missing X-Webhook-Timestamp", check(AutoSend, &remove(au.clone(), "X-Webhook-Timestamp"), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "x-webhook-timestamp"));
    case!(cases, "autosend: missing X-Webhook-Delivery-Id", check(AutoSend, &remove(au.clone(), "X-Webhook-Delivery-Id"), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "x-webhook-delivery-id"));
    case!(cases, "autosend: missing X-Webhook-Signature", check(AutoSend, &remove(au.clone(), "X-Webhook-Signature"), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "x-webhook-signature"));
    case!(
        cases,
        "autosend: hmac-sha256= prefix (control)",
        check(
            AutoSend,
            &set(
                au.clone(),
                "X-Webhook-Signature",
                &format!("hmac-sha256={}", get(&au, "X-Webhook-Signature"))
            ),
            BODY
        ),
        Ok(_)
    );
    let sk = sign(SendKit);
    case!(cases, "sendkit: missing X-Webhook-Signature", check(SendKit, &remove(sk.clone(), "X-Webhook-Signature"), BODY),
        Err(VerifyError::MissingHeader { name }) if name_is(name, "x-webhook-signature"));
    case!(cases, "sendkit: sha256= prefix (control)",
        check(SendKit, &set(sk.clone(), "X-Webhook-Signature", &format!("sha256={}", get(&sk, "X-Webhook-Signature"))), BODY),
        Ok(v) if v.timestamp().is_none());
    case!(
        cases,
        "sendkit: empty signature",
        check(SendKit, &set(sk.clone(), "X-Webhook-Signature", ""), BODY),
        Err(VerifyError::InvalidSignature {
            problem: SignatureProblem::Empty,
            ..
        })
    );
    let st = sign(Sent);
    for header in ["x-webhook-id", "x-webhook-timestamp", "x-webhook-signature"] {
        case!(cases, Box::leak(format!("sent: missing {header}").into_boxed_str()),
            check(Sent, &remove(st.clone(), header), BODY),
            Err(VerifyError::MissingHeader { name }) if name_is(name, header));
    }
    case!(
        cases,
        "sent: the endpoint id is signed (changing it fails)",
        check(
            Sent,
            &set(
                st.clone(),
                "x-webhook-id",
                "00000000-0000-0000-0000-000000000000"
            ),
            BODY
        ),
        Err(VerifyError::SignatureMismatch { .. })
    );

    // --- Secrets -------------------------------------------------------------------------------
    let secret_cases: [(&str, Provider, &str, SecretError); 9] = [
        ("secret: empty", sw, "", SecretError::Empty),
        (
            "secret: whsec_ prefix only",
            sw,
            "whsec_",
            SecretError::Empty,
        ),
        (
            "secret: too short after decoding",
            sw,
            "whsec_c2hvcnQ=",
            SecretError::TooShort { len: 5, min: 16 },
        ),
        (
            "secret: raw too short",
            Stripe,
            "whsec_short",
            SecretError::TooShort { len: 11, min: 16 },
        ),
        (
            "secret: bad base64",
            sw,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZI!2LaLaSw",
            SecretError::InvalidBase64 { position: 24 },
        ),
        (
            "secret: pasted with v1,",
            sw,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            SecretError::LooksLikeSignature,
        ),
        (
            "secret: trailing newline",
            sw,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",
            SecretError::SurroundingWhitespace,
        ),
        (
            "secret: leading space (raw)",
            GitHub,
            " It's a Secret to Everybody",
            SecretError::SurroundingWhitespace,
        ),
        (
            "secret: ed25519 signing key given to a verifier",
            sw,
            "whsk_AAAA",
            SecretError::SigningKeyGiven,
        ),
    ];
    let mut secret_failures = Vec::new();
    for (name, provider, secret, expected) in secret_cases {
        if secret_error(provider, secret) != Some(expected) {
            secret_failures.push(format!(
                "{name}: expected {expected:?}, got {:?}",
                secret_error(provider, secret)
            ));
        }
    }
    let custom = Scheme::custom("b64")
        .signature_header("x-sig")
        .key_encoding(SecretEncoding::Base64)
        .build()
        .unwrap();
    assert_eq!(
        Verifier::new(custom, "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=").unwrap_err(),
        BuildError::Secret {
            index: 0,
            source: SecretError::Ed25519NotSupported
        }
    );

    let total = cases.len() + secret_cases.len() + 1;
    let failures: Vec<String> = cases
        .iter()
        .filter(|case| !(case.expect)(&case.result))
        .map(|case| format!("{}: got {:?}", case.name, case.result))
        .chain(secret_failures)
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        total >= 40,
        "the matrix must keep at least 40 cases, has {total}"
    );
    // Every error case carries a message and a hint.
    for case in &cases {
        if let Err(err) = &case.result {
            assert!(
                !err.to_string().is_empty() && !err.hint().is_empty(),
                "{}",
                case.name
            );
        }
    }
}
