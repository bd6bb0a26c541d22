//! Form-encoded bodies: a Slack scheme written with the public builder checked against the
//! known-answer vector of Slack's own SDK, then parsed as a [`Form`], a Slack interactivity
//! `payload=`, and a user's own struct from form fields.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use hookverify::sign::{Message, Signer};
use hookverify::{
    Form, IdempotencyRule, Json, ParseError, Scheme, SignedPart, Timestamp, Verifier,
    VerifyAndParseError, VerifyError,
};

// slackapi/python-slack-sdk, tests/slack_sdk/signature/test_signature_verifier.py (the example
// of Slack's "Verifying requests from Slack" documentation).
const SLACK_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const SLACK_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SLACK_TIMESTAMP: &str = "1531420618";
const SLACK_SIGNATURE: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

fn slack() -> Scheme {
    Scheme::custom("slack")
        .signature_header("X-Slack-Signature")
        .signature_prefix("v0=", true)
        .timestamp_header("X-Slack-Request-Timestamp")
        .signed_content([
            SignedPart::literal("v0:"),
            SignedPart::Timestamp,
            SignedPart::literal(":"),
            SignedPart::Body,
        ])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["event_id", "trigger_id"],
            then_header: false,
            then_body_hash: true,
        })
        .build()
        .unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(slack(), SLACK_SECRET).unwrap()
}

fn now() -> Timestamp {
    Timestamp::from_unix_seconds(1_531_420_618)
}

#[test]
fn slacks_sdk_vector_verifies_and_parses_as_a_form() {
    let headers = [
        ("X-Slack-Request-Timestamp", SLACK_TIMESTAMP),
        ("X-Slack-Signature", SLACK_SIGNATURE),
    ];
    let parsed = verifier()
        .verify_and_parse_at::<Form>(&headers, SLACK_BODY.as_bytes(), now())
        .unwrap();
    assert_eq!(parsed.event_type(), "/webhook-collect");
    assert_eq!(parsed.event.get("user_name"), Some("roadrunner"));
    assert_eq!(
        parsed.event.get("response_url"),
        Some("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN")
    );
    assert_eq!(parsed.event.get("text"), Some(""));
    assert_eq!(
        parsed.idempotency_key(),
        "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    );

    // The SDK's negative cases: a changed body, and the same request outside the window.
    let tampered = format!("{SLACK_BODY}------");
    assert!(matches!(
        verifier().verify_at(&headers, tampered.as_bytes(), now()),
        Err(VerifyError::SignatureMismatch { .. })
    ));
    assert!(matches!(
        verifier().verify(&headers, SLACK_BODY.as_bytes()),
        Err(VerifyError::TimestampTooOld { .. })
    ));
}

#[test]
fn an_interactivity_payload_is_decoded_and_names_the_type() {
    let payload = r#"{"type":"block_actions","trigger_id":"tr_1","user":{"id":"U1"}}"#;
    let body = serde_urlencoded::to_string([("payload", payload)]).unwrap();
    let headers = Signer::new(&slack(), SLACK_SECRET)
        .unwrap()
        .sign(&Message::new(body.as_bytes()).timestamp(now()))
        .unwrap();
    let parsed = verifier()
        .verify_and_parse_at::<Form>(&headers, body, now())
        .unwrap();
    assert_eq!(parsed.event_type(), "block_actions");
    assert_eq!(parsed.event.payload.as_ref().unwrap()["user"]["id"], "U1");
    assert_eq!(parsed.idempotency_key(), "tr_1");
}

#[test]
fn a_users_own_struct_reads_form_fields_and_json_is_not_a_form() {
    #[derive(serde::Deserialize)]
    struct SlashCommand {
        command: String,
        user_id: String,
    }
    let headers = [
        ("X-Slack-Request-Timestamp", SLACK_TIMESTAMP),
        ("X-Slack-Signature", SLACK_SIGNATURE),
    ];
    let parsed = verifier()
        .verify_and_parse_at::<Json<SlashCommand>>(&headers, SLACK_BODY, now())
        .unwrap();
    assert_eq!(parsed.event.command, "/webhook-collect");
    assert_eq!(parsed.event.user_id, "U2CERLKJA");
    assert_eq!(parsed.event_type(), "/webhook-collect");

    let json: &[u8] = br#"{"type":"event_callback"}"#;
    let headers = Signer::new(&slack(), SLACK_SECRET)
        .unwrap()
        .sign(&Message::new(json).timestamp(now()))
        .unwrap();
    assert!(matches!(
        verifier().verify_and_parse_at::<Form>(&headers, json, now()),
        Err(VerifyAndParseError::Parse(ParseError::NotForm))
    ));
}
