//! `--scheme-file`: a custom scheme (Slack's, in TOML) through `verify` (Slack's own SDK
//! known-answer vector), `sign`, `send` and `listen`, with the binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

mod common;

use common::{hookverify, listen, text};

const SLACK_TOML: &str = r#"
name = "slack"
signature_header = "X-Slack-Signature"
signature_prefix = "v0="
prefix_required = true
timestamp_header = "X-Slack-Request-Timestamp"
signed_content = ["v0:", "{timestamp}", ":", "{body}"]
idempotency = { body_fields = ["trigger_id"], then_body_hash = true }
"#;
// slackapi/python-slack-sdk, tests/slack_sdk/signature/test_signature_verifier.py.
const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

#[test]
fn a_scheme_file_works_for_verify_sign_send_and_listen() {
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("slack.toml");
    std::fs::write(&scheme, SLACK_TOML).unwrap();
    let scheme = scheme.to_str().unwrap();
    let body = dir.path().join("body.txt");
    std::fs::write(&body, BODY).unwrap();
    let body = body.to_str().unwrap();

    // Slack's SDK vector.
    let out = hookverify(&[
        "verify",
        "--scheme-file",
        scheme,
        "--secret",
        SECRET,
        "--header",
        "X-Slack-Request-Timestamp: 1531420618",
        "--header",
        "X-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "--body-file",
        body,
        "--now",
        "1531420618",
        "--parse",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["provider"], "slack");
    assert_eq!(report["event"]["type"], "/webhook-collect");
    assert_eq!(report["event"]["variant"], "Form");
    assert_eq!(
        report["event"]["idempotency_key"],
        "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    );
    // A wrong signature is invalid (1); both --provider and --scheme-file is a usage error (2).
    let out = hookverify(&[
        "verify",
        "--scheme-file",
        scheme,
        "--secret",
        SECRET,
        "--header",
        "X-Slack-Request-Timestamp: 1531420618",
        "--header",
        "X-Slack-Signature: v0=00",
        "--body-file",
        body,
        "--now",
        "1531420618",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = hookverify(&[
        "verify",
        "--scheme-file",
        scheme,
        "--provider",
        "stripe",
        "--secret",
        SECRET,
        "--body-file",
        body,
    ]);
    assert_eq!(out.status.code(), Some(2));
    // A scheme file with a mistake says where.
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        "name = \"x\"\nsignature_header = \"X-Sig\"\nencoding = \"octal\"\n",
    )
    .unwrap();
    let out = hookverify(&[
        "sign",
        "--scheme-file",
        broken.to_str().unwrap(),
        "--secret",
        SECRET,
        "--body-file",
        body,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("encoding `octal`"),
        "{}",
        text(&out.stderr)
    );

    // sign prints headers the verifier accepts.
    let out = hookverify(&[
        "sign",
        "--scheme-file",
        scheme,
        "--secret",
        SECRET,
        "--body-file",
        body,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("X-Slack-Signature: v0="),
        "{}",
        text(&out.stdout)
    );

    // listen + send with the same file.
    let (mut child, addr, mut lines) = listen(&["--scheme-file", scheme, "--secret", SECRET]);
    let url = format!("http://{addr}/");
    let out = hookverify(&[
        "send",
        "--scheme-file",
        scheme,
        "--secret",
        SECRET,
        "--url",
        &url,
        "--body-file",
        body,
        "--header",
        "Content-Type: application/x-www-form-urlencoded",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let line: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(line["outcome"], "processed", "{line}");
    assert_eq!(line["provider"], "slack");
    assert_eq!(line["event_type"], "/webhook-collect");
    // send needs a body for a custom scheme (there are no samples).
    let out = hookverify(&[
        "send",
        "--scheme-file",
        scheme,
        "--secret",
        SECRET,
        "--url",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(2));
    child.kill().unwrap();
    let _ = child.wait();
}

/// Adyen's scheme written as a scheme file (the signature inside the body, signed fields of
/// each item), checked against Adyen/adyen-php-api-library tests/Adyen/Util/HmacSignatureTest.php.
const ADYEN_TOML: &str = r#"
name = "adyen-like"
signature_in_body = "notificationItems/*/NotificationRequestItem"
signature_header = "additionalData.hmacSignature"
event_type_header = "eventCode"
encoding = "base64"
key_encoding = "hex"
signed_content = ["{field:pspReference}", ":", "{field:originalReference}", ":",
  "{field:merchantAccountCode}", ":", "{field:merchantReference}", ":", "{field:amount.value}", ":",
  "{field:amount.currency}", ":", "{field:eventCode}", ":", "{field:success}"]
idempotency = "body-hash"
"#;

#[test]
fn a_scheme_file_describes_a_signature_inside_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("adyen.toml");
    std::fs::write(&scheme, ADYEN_TOML).unwrap();
    let item = r#"{"pspReference":"7914073381342284","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true","additionalData":{"hmacSignature":"Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I="}}"#;
    let good =
        format!(r#"{{"live":"false","notificationItems":[{{"NotificationRequestItem":{item}}}]}}"#);
    for (body, expected) in [(good.clone(), 0), (good.replace("1130", "1131"), 1)] {
        let path = dir.path().join("body.json");
        std::fs::write(&path, &body).unwrap();
        let out = hookverify(&[
            "verify",
            "--scheme-file",
            scheme.to_str().unwrap(),
            "--secret",
            "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00",
            "--body-file",
            path.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
}

/// Twilio's scheme written as a scheme file (the URL and the sorted form fields, the URL with or
/// without its port), checked against twilio/twilio-python tests/unit/test_request_validator.py.
const TWILIO_TOML: &str = r#"
name = "twilio-like"
signature_header = "X-Twilio-Signature"
encoding = "base64"
hmac = "sha1"
signed_content = ["{url}", "{form}"]
body_hash_in_url = "bodySHA256"
url_port_variants = true
"#;

#[test]
fn a_scheme_file_describes_a_url_and_form_signing_sender() {
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("twilio.toml");
    std::fs::write(&scheme, TWILIO_TOML).unwrap();
    let body = dir.path().join("body.txt");
    std::fs::write(
        &body,
        "CallSid=CA1234567890ABCDE&Digits=1234&From=%2B14158675309&To=%2B18005551212&Caller=%2B14158675309",
    )
    .unwrap();
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let cases = [
        // test_validation, then test_validation_adds_port_on_https (signed with :443).
        ("RSOYDt4T1cUTdK1PDd93/VVr8B8=", url.to_owned(), 0),
        ("kvajT1Ptam85bY51eRf/AJRuM3w=", url.to_owned(), 0),
        // test_validation_removes_port_on_https, and the same signature for another path.
        (
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            url.replace(".com", ".com:1234"),
            0,
        ),
        (
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            url.replace("myapp", "other"),
            1,
        ),
    ];
    // `hookverify verify` with the scheme file as it is now: the exit code.
    let verify = |signature: &str, url: &str| {
        let out = hookverify(&[
            "verify",
            "--scheme-file",
            scheme.to_str().unwrap(),
            "--secret",
            "12345",
            "--min-secret-len",
            "5",
            "--header",
            &format!("X-Twilio-Signature: {signature}"),
            "--body-file",
            body.to_str().unwrap(),
            "--url",
            url,
        ]);
        (
            out.status.code(),
            format!("{url}: {}{}", text(&out.stdout), text(&out.stderr)),
        )
    };
    for (signature, url, expected) in cases {
        let (code, output) = verify(signature, &url);
        assert_eq!(code, Some(expected), "{output}");
    }
    // Without `url_port_variants`, the :443 signature does not verify the URL without a port.
    std::fs::write(&scheme, TWILIO_TOML.replace("url_port_variants = true", "")).unwrap();
    let (code, output) = verify("kvajT1Ptam85bY51eRf/AJRuM3w=", url);
    assert_eq!(code, Some(1), "{output}");
}

/// The README's example scheme file, as printed there, is a working description of Slack's
/// scheme: Slack's SDK vector verifies with it.
#[test]
fn the_readmes_scheme_file_verifies_slacks_vector() {
    let readme = include_str!("../README.md");
    let toml = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a toml block in the CLI README");
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("readme.toml");
    std::fs::write(&scheme, toml).unwrap();
    let body = dir.path().join("body.txt");
    std::fs::write(&body, BODY).unwrap();
    let out = hookverify(&[
        "verify",
        "--scheme-file",
        scheme.to_str().unwrap(),
        "--secret",
        SECRET,
        "--header",
        "X-Slack-Request-Timestamp: 1531420618",
        "--header",
        "X-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "--body-file",
        body.to_str().unwrap(),
        "--now",
        "1531420618",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{toml}\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}
