//! `hookverify send` and `sign` through the binary: a body file with an event type and extra
//! headers, the sample list in `--help`, and `--id` for providers keyed on a body field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;

mod common;

use common::{hookverify, listen, text};

const SECRET: &str = "a-raw-secret-long-enough-to-pass";

/// Accepts one request on 127.0.0.1, answers 200, and returns its head (lowercased names).
fn capture_one() -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0_u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let head = text(&head).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .map_or(0, |v| v.trim().parse().unwrap());
        let mut body = vec![0_u8; length];
        stream.read_exact(&mut body).unwrap();
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
            .unwrap();
        head
    });
    (url, handle)
}

#[test]
fn a_body_file_goes_with_an_event_type_and_extra_headers() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("push.json");
    std::fs::write(&body, br#"{"ref":"refs/heads/main","after":"abc"}"#).unwrap();
    let (url, captured) = capture_one();
    let out = hookverify(&[
        "send",
        "--provider",
        "github",
        "--secret",
        SECRET,
        "--url",
        &url,
        "--body-file",
        body.to_str().unwrap(),
        "--event-type",
        "push",
        "--header",
        "X-Trace: t-1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let head = captured.join().unwrap();
    assert!(head.contains("x-github-event: push\r\n"), "{head}");
    assert!(head.contains("x-trace: t-1\r\n"), "{head}");
    assert!(head.contains("x-hub-signature-256: sha256="), "{head}");
}

#[test]
fn send_help_lists_the_sample_events_of_every_provider() {
    let out = hookverify(&["send", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(
        help.contains("Sample events (--event), per provider:"),
        "{help}"
    );
    for provider in hookverify::Provider::ALL {
        let first = hookverify_samples::for_provider(provider.name())
            .find(|s| !s.older_shape)
            .unwrap()
            .event_type;
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{provider}: ")) && l.contains(first)),
            "{provider}: {help}"
        );
    }
}

#[test]
fn each_id_is_a_new_event_for_providers_keyed_on_the_body() {
    let (mut child, addr, mut lines) = listen(&["--provider", "stripe", "--secret", SECRET]);
    let url = format!("http://{addr}/");
    for id in ["evt_cli_1", "evt_cli_2"] {
        let out = hookverify(&[
            "send",
            "--provider",
            "stripe",
            "--secret",
            SECRET,
            "--url",
            &url,
            "--id",
            id,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
        assert!(
            !text(&out.stdout).contains("already processed"),
            "{}",
            text(&out.stdout)
        );
        let line: serde_json::Value =
            serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        assert_eq!(line["outcome"], "processed", "{line}");
        assert_eq!(line["idempotency_key"], id, "{line}");
    }
    child.kill().unwrap();
    let _ = child.wait();

    // `sign` cannot change the body it is given: it says where the key comes from.
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("event.json");
    std::fs::write(&body, br#"{"id":"evt_file","type":"charge.succeeded"}"#).unwrap();
    let out = hookverify(&[
        "sign",
        "--provider",
        "stripe",
        "--secret",
        SECRET,
        "--body-file",
        body.to_str().unwrap(),
        "--id",
        "evt_x",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("takes the idempotency key from the body (`id`)"),
        "{}",
        text(&out.stderr)
    );
}
