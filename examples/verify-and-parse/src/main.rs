//! Verify a captured webhook request and print the typed event: the whole pipeline of
//! `hookverify` without a web framework.
//!
//! ```sh
//! cargo run -p verify-and-parse -- sendable whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw \
//!     crates/hookverify-samples/data/requests/sendable/headers.txt crates/hookverify-samples/data/requests/sendable/body.json 1772447712
//! ```
//!
//! Arguments: provider, secret, headers file (`Name: value` lines, `#` comments), body file,
//! and optionally the clock in Unix seconds (default: now).

use std::process::ExitCode;

use hookverify::{
    Parsed, Provider, Timestamp, Verifier, VerifyAndParseError, autosend, sendable, sendkit,
    sendpilot, sent,
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [provider, secret, headers_file, body_file, rest @ ..] = args.as_slice() else {
        return Err(
            "usage: verify-and-parse PROVIDER SECRET HEADERS_FILE BODY_FILE [NOW_UNIX_SECONDS]"
                .to_owned(),
        );
    };
    let provider: Provider = provider.parse().map_err(|e| format!("{e}"))?;
    let now = match rest.first() {
        Some(seconds) => {
            Timestamp::from_unix_seconds(seconds.parse().map_err(|_| "NOW must be Unix seconds")?)
        }
        None => Timestamp::now(),
    };
    let headers = read_headers(headers_file)?;
    let body = std::fs::read(body_file).map_err(|e| format!("cannot read {body_file}: {e}"))?;
    let verifier = Verifier::new(provider.scheme(), secret.as_str()).map_err(|e| e.to_string())?;

    // Verify first, then parse exactly the verified bytes into the provider's typed event.
    let describe = |err: VerifyAndParseError| match err {
        VerifyAndParseError::Verify(err) => {
            format!("rejected (answer 401): {err}\nhint: {}", err.hint())
        }
        VerifyAndParseError::Parse(err) => {
            format!("verified, but not parseable (answer 422): {err}")
        }
        other => other.to_string(),
    };
    let line = match provider {
        Provider::Sendable => {
            let parsed = verifier
                .verify_and_parse_at::<sendable::Event>(&headers, body, now)
                .map_err(describe)?;
            let detail = match &parsed.event {
                sendable::Event::MessageReceived(m)
                | sendable::Event::PersonalMessageReceived(m) => format!(
                    "from {} in chat {}: {:?}",
                    m.from.as_deref().unwrap_or("?"),
                    m.chat_id.as_deref().unwrap_or("?"),
                    m.text
                        .as_ref()
                        .map(|t| t.content.as_str())
                        .unwrap_or_default()
                ),
                other => format!("{other:?}"),
            };
            format!(
                "{} [{}] key={} {detail}",
                parsed.event_type(),
                parsed.event.variant(),
                parsed.idempotency_key()
            )
        }
        Provider::SendPilot => {
            let parsed = verifier
                .verify_and_parse_at::<sendpilot::Event>(&headers, body, now)
                .map_err(describe)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::AutoSend => {
            let parsed = verifier
                .verify_and_parse_at::<autosend::Event>(&headers, body, now)
                .map_err(describe)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::SendKit => {
            let parsed = verifier
                .verify_and_parse_at::<sendkit::Event>(&headers, body, now)
                .map_err(describe)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::Sent => {
            let parsed = verifier
                .verify_and_parse_at::<sent::Event>(&headers, body, now)
                .map_err(describe)?;
            summary(&parsed, parsed.event.variant())
        }
        _ => {
            // Standard Webhooks, Stripe, GitHub: any serde type; here plain JSON.
            let parsed = verifier
                .verify_and_parse_at::<hookverify::Json<serde_json::Value>>(&headers, body, now)
                .map_err(describe)?;
            format!(
                "{} key={} {}",
                parsed.event_type(),
                parsed.idempotency_key(),
                parsed.raw()
            )
        }
    };
    println!("{line}");
    Ok(())
}

/// One line for a typed event: its type, enum variant, idempotency key and fields.
fn summary<E: std::fmt::Debug>(parsed: &Parsed<E>, variant: &str) -> String {
    format!(
        "{} [{variant}] key={} {:?}",
        parsed.event_type(),
        parsed.idempotency_key(),
        parsed.event
    )
}

fn read_headers(path: &str) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.split_once(':')
                .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
                .ok_or_else(|| format!("not a `Name: value` line: {line}"))
        })
        .collect()
}
