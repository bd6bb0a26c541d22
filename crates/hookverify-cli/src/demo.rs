//! `hookverify demo`: the whole loop, locally. A receiver (axum adapter, memory idempotency) on
//! 127.0.0.1, and for every built-in provider: one valid delivery per documented event type,
//! then a tampered, a stale, a wrong-secret, an oversized and a duplicate delivery. Prints what
//! happened to each, and exits 0 only when every outcome is the expected one.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;
use hookverify::idempotency::MemoryStore;
use hookverify::sign::{Message, Signer};
use hookverify::{Provider, Timestamp, Verifier};
use hookverify_axum::IdempotencyLayer;

use crate::common::Usage;
use crate::receiver::{Record, Sink, TAG_HEADER, router};
use crate::style::{BAD, BOLD, DIM, OK, WARN, paint};

/// The demo's body limit; its oversized delivery is larger.
const LIMIT: usize = 64 * 1024;

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Print the table as JSON lines instead.
    #[arg(long)]
    json: bool,
    /// Print every request's row (default: one line per provider, and any unexpected row).
    #[arg(long, short)]
    verbose: bool,
}

/// The demo's secrets for `provider`, as its dashboard would show them (from hookverify-samples).
fn secrets(provider: Provider) -> Result<(String, String, String), Box<dyn std::error::Error>> {
    #[derive(serde::Deserialize)]
    struct Settings {
        secret: String,
        signing_secret: Option<String>,
        wrong_secret: String,
    }
    let json = hookverify_samples::provider_settings(provider.name())
        .ok_or_else(|| format!("hookverify-samples has no test settings for {provider}"))?;
    let settings: Settings = serde_json::from_str(json)?;
    let signing = settings
        .signing_secret
        .unwrap_or_else(|| settings.secret.clone());
    Ok((settings.secret, signing, settings.wrong_secret))
}

/// The key the demo's receiver verifies with (a public key for Discord and SendGrid).
fn secret(provider: Provider) -> String {
    secrets(provider)
        .map(|(secret, _, _)| secret)
        .unwrap_or_default()
}

/// The key the demo's sender signs with (the test private key for Discord and SendGrid).
fn signing_secret(provider: Provider) -> String {
    secrets(provider)
        .map(|(_, signing, _)| signing)
        .unwrap_or_default()
}

fn wrong_secret(provider: Provider) -> String {
    secrets(provider)
        .map(|(_, _, wrong)| wrong)
        .unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Processed,
    Duplicate,
    Rejected(u16),
}

type HeaderPairs = Vec<(String, String)>;

struct Case {
    provider: Provider,
    name: String,
    tag: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    expect: Expect,
}

#[derive(Clone)]
struct Row {
    provider: Provider,
    case: String,
    status: u16,
    outcome: String,
    reason: String,
    ok: bool,
}

/// The URL the demo's receiver is known by (as behind a proxy): what Twilio, Square and
/// HubSpot sign.
const DEMO_PUBLIC_URL: &str = "https://hooks.example.com";

/// The signed headers and the body to send (Mailgun's signature travels in the body).
fn sign(
    provider: Provider,
    body: &[u8],
    id: &str,
    at: Timestamp,
    secret: &str,
    event_type: &str,
) -> Result<(HeaderPairs, Vec<u8>), Usage> {
    let message = Message::new(body)
        .id(id)
        .timestamp(at)
        .event_type(event_type)
        .url(format!("{DEMO_PUBLIC_URL}/{}", provider.name()));
    let signed = Signer::new(&provider.scheme(), secret)?.sign(&message)?;
    let sent = signed.body().map_or_else(|| body.to_vec(), <[u8]>::to_vec);
    Ok((signed.into_vec(), sent))
}

/// One signed byte changed: the body's last letter or digit, or, for a scheme that signs
/// fields rather than the body whole, the first character of a signed field (Mailgun's token,
/// Adyen's `pspReference`).
fn tampered(provider: Provider, body: &[u8]) -> (&'static str, Vec<u8>) {
    let mut tampered = body.to_vec();
    let flip = |byte: &mut u8| *byte = if *byte == b'x' { b'y' } else { b'x' };
    if provider.scheme().signs_body() {
        if let Some(byte) = tampered
            .iter_mut()
            .rev()
            .find(|b| b.is_ascii_alphanumeric())
        {
            flip(byte);
        }
        return ("tampered body", tampered);
    }
    let (field, name) = match provider {
        Provider::Adyen => (
            &b"\"pspReference\":\""[..],
            "tampered pspReference (a signed field)",
        ),
        _ => (
            &b"\"token\":\""[..],
            "tampered token (the event itself is not signed)",
        ),
    };
    let at = tampered
        .windows(field.len())
        .position(|window| window == field)
        .map(|at| at.saturating_add(field.len()));
    if let Some(byte) = at.and_then(|at| tampered.get_mut(at)) {
        flip(byte);
    }
    (name, tampered)
}

fn cases() -> Result<Vec<Case>, Usage> {
    let now = Timestamp::now();
    let run = std::process::id();
    let mut cases = Vec::new();
    let mut push = |provider: Provider,
                    name: String,
                    headers: Vec<(String, String)>,
                    body: Vec<u8>,
                    expect: Expect| {
        let tag = format!("demo-{}", cases.len());
        cases.push(Case {
            provider,
            name,
            tag,
            headers,
            body,
            expect,
        });
    };
    for provider in Provider::ALL {
        let mut first: Option<(HeaderPairs, Vec<u8>)> = None;
        for (index, sample) in hookverify_samples::for_provider(provider.name()).enumerate() {
            let id = format!("dlv_{run}_{}_{index}", provider.name());
            let (headers, sent) = sign(
                provider,
                sample.body.as_bytes(),
                &id,
                now,
                &signing_secret(provider),
                sample.event_type,
            )?;
            let shape = if sample.older_shape {
                " (older envelope)"
            } else {
                ""
            };
            first.get_or_insert_with(|| (headers.clone(), sent.clone()));
            push(
                provider,
                format!("{}{shape}", sample.event_type),
                headers,
                sent,
                Expect::Processed,
            );
        }
        let Some((headers, sent)) = first else {
            continue;
        };
        // The sample as it was before signing: each case below signs it afresh.
        let Some(body) = hookverify_samples::for_provider(provider.name())
            .next()
            .map(|sample| sample.body.as_bytes().to_vec())
        else {
            continue;
        };
        let event_type = hookverify_samples::for_provider(provider.name())
            .next()
            .map_or("", |s| s.event_type);

        let fresh = |n: &str| format!("dlv_{run}_{}_{n}", provider.name());
        let (tamper_headers, to_tamper) = sign(
            provider,
            &body,
            &fresh("t"),
            now,
            &signing_secret(provider),
            event_type,
        )?;
        let (tamper_name, tampered) = tampered(provider, &to_tamper);
        push(
            provider,
            tamper_name.to_owned(),
            tamper_headers,
            tampered,
            Expect::Rejected(401),
        );
        if provider.scheme().default_tolerance().is_some() {
            // Ten minutes past the scheme's window (SendGrid's is 24 hours).
            let window = provider
                .scheme()
                .default_tolerance()
                .map_or(Duration::ZERO, |t| t.past());
            let stale = now.saturating_sub(window.saturating_add(Duration::from_secs(600)));
            let (headers, sent) = sign(
                provider,
                &body,
                &fresh("s"),
                stale,
                &signing_secret(provider),
                event_type,
            )?;
            push(
                provider,
                "stale (signed 10 min past its window)".to_owned(),
                headers,
                sent,
                Expect::Rejected(401),
            );
        }
        let (wrong_headers, wrong_body) = sign(
            provider,
            &body,
            &fresh("w"),
            now,
            &wrong_secret(provider),
            event_type,
        )?;
        push(
            provider,
            "wrong secret".to_owned(),
            wrong_headers,
            wrong_body,
            Expect::Rejected(401),
        );
        let mut big = body.clone();
        big.extend(std::iter::repeat_n(b' ', LIMIT));
        let (big_headers, mut big_body) = sign(
            provider,
            &big,
            &fresh("o"),
            now,
            &signing_secret(provider),
            event_type,
        )?;
        // Mailgun, Adyen: the signer re-serialized the JSON; the padding goes on after.
        if big_body.len() <= LIMIT {
            big_body.extend(std::iter::repeat_n(b' ', LIMIT));
        }
        push(
            provider,
            "oversized (> 64 KiB)".to_owned(),
            big_headers,
            big_body,
            Expect::Rejected(413),
        );
        push(
            provider,
            "duplicate delivery".to_owned(),
            headers,
            sent,
            Expect::Duplicate,
        );
    }
    Ok(cases)
}

/// The reason without the hint the receiver's log line carries, to keep the table narrow.
fn short(reason: &str) -> String {
    reason.split(" (hint: ").next().unwrap_or(reason).to_owned()
}

fn judge(case: &Case, status: u16, record: Option<&Record>) -> Row {
    let (outcome, reason, ok) = match (record, case.expect) {
        (
            Some(Record::Processed {
                variant,
                idempotency_key,
                ..
            }),
            Expect::Processed,
        ) => (
            format!("processed → {variant}"),
            format!("key {idempotency_key}"),
            status == 200,
        ),
        (
            Some(Record::Rejected {
                status: 200,
                reason,
                ..
            }),
            Expect::Duplicate,
        ) => (
            "duplicate: handler not called".to_owned(),
            short(reason),
            status == 200,
        ),
        (
            Some(Record::Rejected {
                status: seen,
                reason,
                ..
            }),
            Expect::Rejected(expected),
        ) => {
            let what = if *seen == 413 { "refused" } else { "rejected" };
            (
                what.to_owned(),
                short(reason),
                status == expected && *seen == expected,
            )
        }
        (Some(Record::Processed { variant, .. }), _) => (
            format!("processed → {variant}"),
            "should not have been processed".to_owned(),
            false,
        ),
        (Some(Record::Rejected { reason, .. }), _) => ("rejected".to_owned(), short(reason), false),
        // A body over the limit may be refused before the handler sees anything.
        (None, Expect::Rejected(413)) if status == 413 => (
            "refused".to_owned(),
            format!("body over the {LIMIT}-byte limit"),
            true,
        ),
        (None, _) => (
            "no answer from the receiver".to_owned(),
            String::new(),
            false,
        ),
    };
    Row {
        provider: case.provider,
        case: case.name.clone(),
        status,
        outcome,
        reason,
        ok,
    }
}

async fn start(records: Arc<Mutex<HashMap<String, Record>>>) -> Result<SocketAddr, Usage> {
    let sink: Sink = Arc::new(move |record: Record| {
        let tag = match &record {
            Record::Processed { tag, .. } | Record::Rejected { tag, .. } => tag.clone(),
        };
        if let (Some(tag), Ok(mut records)) = (tag, records.lock()) {
            records.insert(tag, record);
        }
    });
    let routes = Provider::ALL
        .into_iter()
        .map(|p| {
            Ok((
                format!("/{}", p.name()),
                crate::common::Sender::Builtin(p),
                Verifier::new(p.scheme(), secret(p))?,
            ))
        })
        .collect::<Result<Vec<_>, Usage>>()?;
    let app = router(
        routes,
        LIMIT,
        Some(DEMO_PUBLIC_URL),
        IdempotencyLayer::new(MemoryStore::new()),
        sink,
    );
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(|e| Usage(format!("cannot listen on 127.0.0.1: {e}")))?;
    let addr = listener.local_addr().map_err(|e| Usage(e.to_string()))?;
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            anstream::eprintln!("receiver stopped: {err}");
        }
    });
    Ok(addr)
}

/// One line per provider with its counts, then every row whose outcome was unexpected.
fn print_summary(rows: &[Row]) {
    let width = Provider::ALL
        .iter()
        .map(|p| p.name().len())
        .max()
        .unwrap_or(8);
    for provider in Provider::ALL {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.provider == provider).collect();
        let count = |f: &dyn Fn(&Row) -> bool| mine.iter().filter(|r| f(r)).count();
        let processed = count(&|r| r.outcome.starts_with("processed"));
        let duplicates = count(&|r| r.outcome.starts_with("duplicate"));
        let refused = count(&|r| r.outcome == "rejected" || r.outcome == "refused");
        let unexpected = count(&|r| !r.ok);
        let mark = if unexpected == 0 {
            paint(OK, "✓")
        } else {
            paint(BAD, "✗")
        };
        let verdict = if unexpected == 0 {
            paint(DIM, "as expected")
        } else {
            paint(BAD, format!("{unexpected} unexpected"))
        };
        anstream::println!(
            "{mark}  {:<width$}  {:>2} requests: {processed} processed, {duplicates} duplicate skipped, {refused} rejected or refused — {verdict}",
            provider.name(),
            mine.len(),
        );
    }
    let unexpected: Vec<Row> = rows.iter().filter(|r| !r.ok).cloned().collect();
    if !unexpected.is_empty() {
        anstream::println!();
        print_table(&unexpected);
    }
}

fn print_table(rows: &[Row]) {
    let width =
        |f: &dyn Fn(&Row) -> usize, min: usize| rows.iter().map(f).max().unwrap_or(0).max(min);
    let (w_provider, w_case, w_outcome) = (
        width(&|r| r.provider.name().len(), 8),
        width(&|r| r.case.chars().count(), 4),
        width(&|r| r.outcome.chars().count(), 7),
    );
    anstream::println!(
        "{}",
        paint(
            BOLD,
            format!(
                "   {:<w_provider$}  {:<w_case$}  {}  {:<w_outcome$}  {}",
                "provider", "case", "HTTP", "outcome", "reason"
            )
        )
    );
    for row in rows {
        let status = if row.ok {
            paint(OK, format!("{:<4}", row.status))
        } else {
            paint(BAD, format!("{:<4}", row.status))
        };
        let outcome = format!("{:<w_outcome$}", row.outcome);
        let outcome = if row.ok { outcome } else { paint(BAD, outcome) };
        let mark = if row.ok {
            paint(OK, "✓")
        } else {
            paint(BAD, "✗")
        };
        anstream::println!(
            "{mark}  {:<w_provider$}  {:<w_case$}  {status}  {outcome}  {}",
            row.provider.name(),
            row.case,
            paint(DIM, &row.reason)
        );
    }
}

pub(crate) fn run(args: &DemoArgs) -> Result<ExitCode, Usage> {
    let cases = cases()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Usage(format!("cannot start the runtime: {e}")))?;
    let rows = runtime.block_on(async {
        let records = Arc::new(Mutex::new(HashMap::new()));
        let addr = start(Arc::clone(&records)).await?;
        if !args.json {
            anstream::println!(
                "{}",
                paint(DIM, format!("receiver (axum adapter, memory idempotency, 64 KiB limit) on http://{addr}/<provider>"))
            );
        }
        let client = reqwest::Client::new();
        // The receiver closes a connection whose request announces too large a body; those
        // requests get a client of their own so the next request does not reuse that connection.
        let no_reuse = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| Usage(e.to_string()))?;
        let progress = indicatif::ProgressBar::new(u64::try_from(cases.len()).unwrap_or(0));
        progress.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let mut rows = Vec::with_capacity(cases.len());
        for case in &cases {
            progress.set_message(format!("{} {}", case.provider, case.name));
            let client = if case.expect == Expect::Rejected(413) { &no_reuse } else { &client };
            let mut request = client
                .post(format!("http://{addr}/{}", case.provider.name()))
                .header(TAG_HEADER, case.tag.as_str())
                .header("content-type", "application/json")
                .body(case.body.clone());
            for (name, value) in &case.headers {
                request = request.header(name, value);
            }
            let sent = request.send().await;
            let record = records.lock().ok().and_then(|r| r.get(&case.tag).cloned());
            let status = match (sent, &record) {
                (Ok(response), _) => response.status().as_u16(),
                // The receiver answers 413 as soon as the headers announce too large a body and
                // closes the connection; the client, still sending, may see only the close.
                (Err(_), Some(Record::Rejected { status: 413, .. })) => 413,
                (Err(_), _) => 0,
            };
            rows.push(judge(case, status, record.as_ref()));
            progress.inc(1);
        }
        progress.finish_and_clear();
        Ok::<_, Usage>(rows)
    })?;

    let unexpected = rows.iter().filter(|r| !r.ok).count();
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| r.ok && f(r)).count();
    let processed = count(&|r| r.outcome.starts_with("processed"));
    let duplicates = count(&|r| r.outcome.starts_with("duplicate"));
    let rejected = count(&|r| r.outcome == "rejected" || r.outcome == "refused");
    if args.json {
        for row in &rows {
            anstream::println!(
                "{}",
                serde_json::json!({"provider": row.provider.name(), "case": row.case, "status": row.status, "outcome": row.outcome, "reason": row.reason, "as_expected": row.ok})
            );
        }
    } else if args.verbose {
        print_table(&rows);
        anstream::println!();
    } else {
        print_summary(&rows);
        anstream::println!();
    }
    let summary = format!(
        "{} requests to {} providers: {processed} processed, {duplicates} duplicates skipped, {rejected} rejected or refused",
        rows.len(),
        Provider::ALL.len()
    );
    if unexpected == 0 {
        anstream::println!("{} {summary} — every outcome as expected", paint(OK, "✓"));
        Ok(ExitCode::SUCCESS)
    } else {
        anstream::println!(
            "{} {summary} — {} unexpected",
            paint(BAD, "✗"),
            paint(WARN, unexpected)
        );
        Ok(ExitCode::from(1))
    }
}
