//! The example end to end on the shipped sample request.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    Command::new(env!("CARGO_BIN_EXE_verify-and-parse"))
        .current_dir(root)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn prints_the_typed_event_of_the_sample_request() {
    let out = run(&[
        "sendable",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "crates/hookverify-samples/data/requests/sendable/headers.txt",
        "crates/hookverify-samples/data/requests/sendable/body.json",
        "1772447712",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("message.received [MessageReceived] key=msg_2tQ8KkV3lYyq0wXh6mZ1aBcDeF"),
        "{stdout}"
    );
    assert!(stdout.contains("Thanks! When will it arrive?"), "{stdout}");
}

#[test]
fn a_wrong_secret_is_rejected_as_401() {
    let out = run(&[
        "sendable",
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        "crates/hookverify-samples/data/requests/sendable/headers.txt",
        "crates/hookverify-samples/data/requests/sendable/body.json",
        "1772447712",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("rejected (answer 401): no signature matched")
    );
}
