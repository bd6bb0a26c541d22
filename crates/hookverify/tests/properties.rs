//! Properties: for random bodies, ids, timestamps and secrets, what the signer produces verifies,
//! and changing any one byte of anything the scheme signs (body, id, timestamp, signature) fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use base64::Engine as _;
use hookverify::sign::{Message, Signer};
use hookverify::{
    Provider, RequestContext, Scheme, SecretEncoding, SignedPart, Timestamp, TimestampUnit,
    Verifier,
};
use proptest::prelude::*;

/// The header holding each signed field for a provider, or `None` where the scheme does not
/// sign it (AutoSend's timestamp, GitHub's delivery id).
struct Signed {
    signature: &'static str,
    id: Option<&'static str>,
    timestamp: Option<&'static str>,
    hex: bool,
}

fn signed_fields(provider: Provider) -> Signed {
    use Provider::*;
    match provider {
        StandardWebhooks => Signed {
            signature: "webhook-signature",
            id: Some("webhook-id"),
            timestamp: Some("webhook-timestamp"),
            hex: false,
        },
        Sendable => Signed {
            signature: "svix-signature",
            id: Some("svix-id"),
            timestamp: Some("svix-timestamp"),
            hex: false,
        },
        Sent => Signed {
            signature: "x-webhook-signature",
            id: Some("x-webhook-id"),
            timestamp: Some("x-webhook-timestamp"),
            hex: false,
        },
        SendPilot => Signed {
            signature: "webhook-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Stripe => Signed {
            signature: "stripe-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        AutoSend | SendKit => Signed {
            signature: "x-webhook-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        GitHub => Signed {
            signature: "x-hub-signature-256",
            id: None,
            timestamp: None,
            hex: true,
        },
        Slack => Signed {
            signature: "x-slack-signature",
            id: None,
            timestamp: Some("x-slack-request-timestamp"),
            hex: true,
        },
        Shopify => Signed {
            signature: "x-shopify-hmac-sha256",
            id: None,
            timestamp: None,
            hex: false,
        },
        Razorpay => Signed {
            signature: "x-razorpay-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        CoinbaseCommerce => Signed {
            signature: "x-cc-webhook-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Paddle => Signed {
            signature: "paddle-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Twitch => Signed {
            signature: "twitch-eventsub-message-signature",
            id: Some("twitch-eventsub-message-id"),
            timestamp: Some("twitch-eventsub-message-timestamp"),
            hex: true,
        },
        Intercom => Signed {
            signature: "x-hub-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Vercel => Signed {
            signature: "x-vercel-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Zoom => Signed {
            signature: "x-zm-signature",
            id: None,
            timestamp: Some("x-zm-request-timestamp"),
            hex: true,
        },
        Calendly => Signed {
            signature: "calendly-webhook-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Mux => Signed {
            signature: "mux-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Typeform => Signed {
            signature: "typeform-signature",
            id: None,
            timestamp: None,
            hex: false,
        },
        Linear => Signed {
            signature: "linear-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        LemonSqueezy => Signed {
            signature: "x-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Meta => Signed {
            signature: "x-hub-signature-256",
            id: None,
            timestamp: None,
            hex: true,
        },
        Sentry => Signed {
            signature: "sentry-hook-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        WooCommerce => Signed {
            signature: "x-wc-webhook-signature",
            id: None,
            timestamp: None,
            hex: false,
        },
        Xero => Signed {
            signature: "x-xero-signature",
            id: None,
            timestamp: None,
            hex: false,
        },
        Bitbucket => Signed {
            signature: "x-hub-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Jira => Signed {
            signature: "x-hub-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        Zendesk => Signed {
            signature: "x-zendesk-webhook-signature",
            id: None,
            timestamp: Some("x-zendesk-webhook-signature-timestamp"),
            hex: false,
        },
        Twilio => Signed {
            signature: "x-twilio-signature",
            id: None,
            timestamp: None,
            hex: false,
        },
        Square => Signed {
            signature: "x-square-hmacsha256-signature",
            id: None,
            timestamp: None,
            hex: false,
        },
        HubSpot => Signed {
            signature: "x-hubspot-signature-v3",
            id: None,
            timestamp: Some("x-hubspot-request-timestamp"),
            hex: false,
        },
        PagerDuty => Signed {
            signature: "x-pagerduty-signature",
            id: None,
            timestamp: None,
            hex: true,
        },
        GitLab => Signed {
            signature: "webhook-signature",
            id: Some("webhook-id"),
            timestamp: Some("webhook-timestamp"),
            hex: false,
        },
        Discord => Signed {
            signature: "x-signature-ed25519",
            id: None,
            timestamp: Some("x-signature-timestamp"),
            hex: true,
        },
        SendGrid => Signed {
            signature: "x-twilio-email-event-webhook-signature",
            id: None,
            timestamp: Some("x-twilio-email-event-webhook-timestamp"),
            hex: false,
        },
        BoxCom => Signed {
            signature: "box-signature-primary",
            id: None,
            timestamp: Some("box-delivery-timestamp"),
            hex: false,
        },
        // Fields of the body, not headers: `mailgun_every_change_to_a_signed_field_fails`,
        // `adyen_every_change_to_a_signed_field_fails`.
        Adyen => Signed {
            signature: "additionalData.hmacSignature",
            id: None,
            timestamp: None,
            hex: false,
        },
        Mailgun => Signed {
            signature: "signature",
            id: Some("token"),
            timestamp: Some("timestamp"),
            hex: true,
        },
        _ => unreachable!("new provider: add its signed fields"),
    }
}

#[path = "common/keys.rs"]
mod keys;

fn secret_text(provider: Provider, key: &[u8]) -> String {
    match provider.scheme().secret_encoding() {
        SecretEncoding::Base64 => format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(key)
        ),
        _ => key.iter().map(|b| char::from(b'a' + b % 26)).collect(),
    }
}

/// Replaces the byte at `at` with a different character of the same alphabet, so the change is
/// a real change of value (never a hex case flip, which decodes to the same bytes).
fn mutate_char(value: &str, at: usize, hex: bool, pick: u8) -> String {
    let alphabet: &[u8] = if hex {
        b"0123456789abcdef"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut bytes = value.as_bytes().to_vec();
    let original = bytes[at].to_ascii_lowercase();
    let mut replacement = alphabet[usize::from(pick) % alphabet.len()];
    if replacement.to_ascii_lowercase() == original || (hex && !original.is_ascii_hexdigit()) {
        replacement = alphabet[(usize::from(pick) + 1) % alphabet.len()];
    }
    bytes[at] = replacement;
    String::from_utf8(bytes).unwrap()
}

/// Byte range of the signature value inside the header (after `v1,`, `s=`, `sha256=`, ...).
fn signature_range(provider: Provider, value: &str) -> std::ops::Range<usize> {
    let start = match provider {
        Provider::SendPilot => value.rfind("s=").unwrap() + 2,
        Provider::Stripe => value.rfind("v1=").unwrap() + 3,
        Provider::Paddle => value.rfind("h1=").unwrap() + 3,
        Provider::GitHub => "sha256=".len(),
        Provider::Slack => "v0=".len(),
        Provider::Twitch => "sha256=".len(),
        Provider::AutoSend
        | Provider::SendKit
        | Provider::Shopify
        | Provider::Razorpay
        | Provider::CoinbaseCommerce => 0,
        Provider::Intercom => "sha1=".len(),
        Provider::Vercel => 0,
        Provider::Zoom => "v0=".len(),
        Provider::Calendly => value.rfind("v1=").unwrap() + 3,
        Provider::Mux => value.rfind("v1=").unwrap() + 3,
        Provider::Typeform => "sha256=".len(),
        Provider::Linear => 0,
        Provider::LemonSqueezy => 0,
        Provider::Meta => "sha256=".len(),
        Provider::Sentry => 0,
        Provider::WooCommerce => 0,
        Provider::Xero => 0,
        Provider::Bitbucket => "sha256=".len(),
        Provider::Jira => "sha256=".len(),
        Provider::Zendesk | Provider::Twilio | Provider::Square | Provider::HubSpot => 0,
        Provider::PagerDuty => value.rfind("v1=").unwrap() + 3,
        Provider::Discord | Provider::SendGrid | Provider::BoxCom => 0,
        _ => value.find(',').unwrap() + 1,
    };
    // Leave base64 padding alone: '=' is not a value character.
    let end = value.trim_end_matches('=').len();
    start..end
}

fn set(headers: &mut [(String, String)], name: &str, value: String) {
    for (k, v) in headers.iter_mut() {
        if k.eq_ignore_ascii_case(name) {
            *v = value.clone();
        }
    }
}

fn get<'h>(headers: &'h [(String, String)], name: &str) -> &'h str {
    &headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .unwrap()
        .1
}

fn scheme_signs_form(provider: Provider) -> bool {
    provider == Provider::Twilio
}

/// The headers with the signed method and URL, for schemes that sign them.
fn with_target<'a>(
    headers: &'a Vec<(String, String)>,
    method: Option<&'a str>,
    url: Option<&'a str>,
) -> RequestContext<'a, Vec<(String, String)>> {
    let mut context = RequestContext::new(headers);
    if let Some(method) = method {
        context = context.method(method);
    }
    if let Some(url) = url {
        context = context.url(url);
    }
    context
}

/// Every provider whose signature travels in headers (Mailgun's, in the body, has its own
/// property below).
fn provider_strategy() -> impl Strategy<Value = Provider> {
    let in_headers: Vec<Provider> = Provider::ALL
        .into_iter()
        .filter(|p| !p.scheme().signature_in_body())
        .collect();
    (0..in_headers.len()).prop_map(move |i| in_headers[i])
}

/// The byte range of `field`'s value in Mailgun's signed body (JSON or form).
fn mailgun_field(body: &str, field: &str, json: bool) -> std::ops::Range<usize> {
    let (opening, end) = if json {
        (format!("\"{field}\":\""), '"')
    } else {
        (format!("&{field}="), '&')
    };
    let start = body.find(&opening).unwrap() + opening.len();
    let len = body[start..].find(end).unwrap_or(body.len() - start);
    start..start + len
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_and_every_single_change_fails(
        provider in provider_strategy(),
        body in proptest::collection::vec(any::<u8>(), 1..2048),
        id in "[A-Za-z0-9_]{1,40}",
        ts in 1_000_000_000_i64..4_000_000_000,
        key in proptest::collection::vec(any::<u8>(), 16..64),
        which in 0_u8..4,
        position in any::<usize>(),
        pick in any::<u8>(),
        flip in 1_u8..=255,
    ) {
        let secret = secret_text(provider, &key);
        let scheme = provider.scheme();
        let now = Timestamp::from_unix_seconds(ts);
        // A scheme that signs form fields signs their decoded text: the body is a form whose
        // value is the bytes in hex, so every one-byte change changes the text (or makes it
        // undecodable). `+` and ` `, or `%41` and `A`, are one text, by the scheme's design.
        let body = if scheme_signs_form(provider) {
            format!("Body={}", hex::encode(&body)).into_bytes()
        } else {
            body
        };
        let (secret, verifying) = keys::key_pair(provider, &secret);
        let signed = Signer::new(&scheme, &secret).unwrap()
            .sign(&Message::new(&body).id(id.as_str()).timestamp(now)).unwrap();
        let (method, url) = (signed.method().map(str::to_owned), signed.url().map(str::to_owned));
        let headers = signed.into_vec();
        let verifier = Verifier::new(scheme, verifying.as_str()).unwrap();
        let verified = verifier.verify_at(&with_target(&headers, method.as_deref(), url.as_deref()), &body, now);
        prop_assert!(verified.is_ok(), "{provider}: {:?}", verified);

        let fields = signed_fields(provider);
        let mut headers = headers;
        let mut body = body;
        match which {
            // Twilio's form (`Body=<hex>`): another hex digit, so the form keeps its shape
            // (`&`, `=`, `+`, `%` can make equal texts by the scheme's design).
            0 if scheme_signs_form(provider) => {
                let at = 5 + position % (body.len() - 5);
                body[at] = if body[at] == b'0' { b'1' } else { b'0' };
            }
            0 => {
                let at = position % body.len();
                body[at] ^= flip;
            }
            1 if fields.id.is_some() => {
                let name = fields.id.unwrap();
                let value = get(&headers, name).to_owned();
                let at = position % value.len();
                set(&mut headers, name, mutate_char(&value, at, false, pick));
            }
            2 if fields.timestamp.is_some() => {
                let name = fields.timestamp.unwrap();
                let value = get(&headers, name).to_owned();
                // A digit of the timestamp (an RFC 3339 one has separators too).
                let digits: Vec<usize> = value
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| b.is_ascii_digit())
                    .map(|(i, _)| i)
                    .collect();
                let at = digits[position % digits.len()];
                let digit = value.as_bytes()[at];
                let other = b'0' + (digit - b'0' + 1 + pick % 9) % 10;
                let mut bytes = value.into_bytes();
                bytes[at] = other;
                set(&mut headers, name, String::from_utf8(bytes).unwrap());
            }
            _ => {
                let value = get(&headers, fields.signature).to_owned();
                let range = signature_range(provider, &value);
                let at = range.start + position % range.len();
                set(&mut headers, fields.signature, mutate_char(&value, at, fields.hex, pick));
            }
        }
        let result = verifier.verify_at(&with_target(&headers, method.as_deref(), url.as_deref()), &body, now);
        prop_assert!(result.is_err(), "{provider}: a one-byte change (kind {which}) still verified");
    }

    /// Mailgun: sign an event (JSON or form), verify it, then change one character of one
    /// signed field in the body: it fails. The event itself is not signed (by Mailgun's design).
    #[test]
    fn mailgun_every_change_to_a_signed_field_fails(
        event in "[ -~]{0,200}",
        token in "[A-Za-z0-9]{1,50}",
        ts in 1_000_000_000_i64..4_000_000_000,
        key in proptest::collection::vec(any::<u8>(), 16..64),
        json in any::<bool>(),
        which in 0_usize..3,
        position in any::<usize>(),
        pick in any::<u8>(),
    ) {
        let provider = Provider::Mailgun;
        let secret = secret_text(provider, &key);
        let event = if json {
            serde_json::to_vec(&serde_json::json!({"event-data": {"event": event}})).unwrap()
        } else {
            format!("event={}", hex::encode(event)).into_bytes()
        };
        let now = Timestamp::from_unix_seconds(ts);
        let signed = Signer::new(&provider.scheme(), &secret).unwrap()
            .sign(&Message::new(&event).id(token.as_str()).timestamp(now)).unwrap();
        let sent = String::from_utf8(signed.body().unwrap().to_vec()).unwrap();
        let verifier = Verifier::new(provider.scheme(), secret.as_str()).unwrap();
        let none: [(&str, &str); 0] = [];
        let verified = verifier.verify_at(&none, sent.as_bytes(), now);
        prop_assert_eq!(verified.as_ref().ok().and_then(|v| v.id()), Some(token.as_str()), "{:?}", verified);

        let (field, alphabet_hex) = [("timestamp", false), ("token", false), ("signature", true)][which];
        let range = mailgun_field(&sent, field, json);
        let at = range.start + position % range.len();
        let mut changed = mutate_char(&sent, at, alphabet_hex, pick);
        if field == "timestamp" {
            // Another digit: still a timestamp.
            let digit = sent.as_bytes()[at];
            let mut bytes = sent.clone().into_bytes();
            bytes[at] = b'0' + (digit - b'0' + 1 + pick % 9) % 10;
            changed = String::from_utf8(bytes).unwrap();
        }
        let result = verifier.verify_at(&none, changed.as_bytes(), now);
        prop_assert!(result.is_err(), "a change of {field} still verified");
    }

    /// Adyen: sign items with arbitrary field values, verify, then change one character of one
    /// signed field of one item: it fails.
    #[test]
    fn adyen_every_change_to_a_signed_field_fails(
        psp in "[A-Z0-9]{1,16}",
        reference in "[ -~]{0,40}",
        value in 0_u64..10_000_000,
        success in any::<bool>(),
        items in 1_usize..4,
        key in proptest::collection::vec(any::<u8>(), 32),
        which in 0_usize..3,
        item in any::<usize>(),
        position in any::<usize>(),
    ) {
        let secret = hex::encode(&key);
        let record = serde_json::json!({"NotificationRequestItem": {
            "pspReference": psp, "merchantAccountCode": "M", "merchantReference": reference,
            "amount": {"value": value, "currency": "EUR"}, "eventCode": "AUTHORISATION",
            "success": success.to_string(),
        }});
        let body = serde_json::to_vec(&serde_json::json!({"live": "false", "notificationItems": vec![record; items]})).unwrap();
        let signed = Signer::new(&Scheme::adyen(), &secret).unwrap().sign(&Message::new(&body)).unwrap();
        let verifier = Verifier::new(Scheme::adyen(), secret.as_str()).unwrap();
        let none: [(&str, &str); 0] = [];
        let now = Timestamp::from_unix_seconds(1_700_000_000);
        let sent = signed.body().unwrap().to_vec();
        prop_assert!(verifier.verify_at(&none, &sent, now).is_ok());

        let mut value: serde_json::Value = serde_json::from_slice(&sent).unwrap();
        let target = &mut value["notificationItems"][item % items]["NotificationRequestItem"];
        match which {
            0 => {
                let text = target["pspReference"].as_str().unwrap().to_owned();
                target["pspReference"] = mutate_char(&text, position % text.len(), false, 7).into();
            }
            1 => {
                let text = format!("{}x", target["merchantReference"].as_str().unwrap());
                target["merchantReference"] = text.into();
            }
            _ => {
                let amount = target["amount"]["value"].as_u64().unwrap();
                target["amount"]["value"] = (amount + 1).into();
            }
        }
        let changed = serde_json::to_vec(&value).unwrap();
        prop_assert!(verifier.verify_at(&none, &changed, now).is_err(), "a change of kind {which} verified");
    }

    #[test]
    fn stripe_and_sendpilot_timestamps_are_signed(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        ts in 1_000_000_000_i64..4_000_000_000,
        shift in 1_i64..=300,
        provider in prop_oneof![Just(Provider::Stripe), Just(Provider::SendPilot)],
    ) {
        let secret = "a-raw-secret-long-enough-to-pass";
        let now = Timestamp::from_unix_seconds(ts);
        let headers = Signer::new(&provider.scheme(), secret).unwrap()
            .sign(&Message::new(&body).timestamp(now)).unwrap().into_vec();
        let name = signed_fields(provider).signature;
        let value = get(&headers, name).replace(&format!("t={ts}"), &format!("t={}", ts - shift));
        let mut headers = headers;
        set(&mut headers, name, value);
        // Still inside the window, so only the signature can catch it.
        prop_assert!(Verifier::new(provider.scheme(), secret).unwrap().verify_at(&headers, &body, now).is_err());
    }

    #[test]
    fn custom_scheme_round_trip(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        ts in 1_000_000_000_000_i64..4_000_000_000_000,
        base64 in any::<bool>(),
    ) {
        let builder = Scheme::custom("acme")
            .signature_header("X-Acme-Signature")
            .signature_prefix("sha256=", true)
            .timestamp_header("X-Acme-Timestamp")
            .timestamp_unit(TimestampUnit::Milliseconds)
            .id_header("X-Acme-Id")
            .signed_content([SignedPart::Timestamp, SignedPart::DOT, SignedPart::Id, SignedPart::DOT, SignedPart::Body]);
        let scheme = if base64 { builder.base64() } else { builder.hex() }.build().unwrap();
        let now = Timestamp::from_unix_millis(ts);
        let secret = "acme-secret-0123456789";
        let headers = Signer::new(&scheme, secret).unwrap().sign(&Message::new(&body).id("d1").timestamp(now)).unwrap();
        let verifier = Verifier::new(scheme, secret).unwrap();
        let verified = verifier.verify_at(&headers, &body, now).unwrap();
        prop_assert_eq!(verified.id(), Some("d1"));
        prop_assert_eq!(verified.timestamp(), Some(now));
        let mut tampered = body.clone();
        tampered.push(b' ');
        prop_assert!(verifier.verify_at(&headers, &tampered, now).is_err());
    }
}

#[test]
fn ed25519_round_trip_and_rotation_index() {
    let seed = [0x9d_u8; 32];
    let signing = format!(
        "whsk_{}",
        base64::engine::general_purpose::STANDARD.encode(seed)
    );
    let public = ed25519_dalek_public(&seed);
    let scheme = Scheme::standard_webhooks();
    let now = Timestamp::from_unix_seconds(1_700_000_000);
    let body = b"{\"ok\":true}";
    let headers = Signer::new(&scheme, &signing)
        .unwrap()
        .sign(&Message::new(body).id("msg_ed").timestamp(now))
        .unwrap();
    assert!(
        headers
            .get("webhook-signature")
            .unwrap()
            .starts_with("v1a,")
    );
    let verifier = Verifier::builder(scheme)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .secret(public)
        .build()
        .unwrap();
    let verified = verifier.verify_at(&headers, body, now).unwrap();
    assert_eq!(verified.secret_index(), 1);
    assert!(
        verifier
            .verify_at(&headers, b"{\"ok\":false}", now)
            .is_err()
    );
}

fn ed25519_dalek_public(seed: &[u8; 32]) -> String {
    let key = ed25519_dalek::SigningKey::from_bytes(seed);
    format!(
        "whpk_{}",
        base64::engine::general_purpose::STANDARD.encode(key.verifying_key().to_bytes())
    )
}
