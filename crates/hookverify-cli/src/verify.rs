//! `hookverify verify`: check a captured request and explain the result.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use hookverify::{
    DEFAULT_MIN_SECRET_LEN, HeaderLookup, Headers as _, Provider, RequestContext, Scheme,
    Timestamp, Verified, Verifier,
};
use serde::Serialize;

use crate::events::{EventSummary, summarize};
use crate::explain::{Diagnosis, Request, explain};
use crate::style::{BAD, WARN, paint};

use crate::common::{
    SenderArgs, Usage, describe_time, parse_header, parse_now, read_body, read_headers_file,
};

#[derive(Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    sender: SenderArgs,
    /// A signing secret; repeat for rotation (any one matching passes). `whpk_...` is an ed25519
    /// public key for standard-webhooks, sendable and sent.
    #[arg(
        long = "secret",
        required = true,
        env = "HOOKVERIFY_SECRET",
        hide_env_values = true
    )]
    secrets: Vec<String>,
    /// A request header, as `Name: value`; repeat for each header.
    #[arg(long = "header", value_parser = parse_header)]
    headers: Vec<(String, String)>,
    /// A file of `Name: value` lines, added to any --header.
    #[arg(long)]
    headers_file: Option<PathBuf>,
    /// The exact raw body received.
    #[arg(long)]
    body_file: PathBuf,
    /// The verifier's clock in Unix seconds (default: the system clock). Milliseconds (13 or
    /// more digits) are refused.
    #[arg(long, value_parser = parse_now)]
    now: Option<i64>,
    /// The HTTP method of the request, for providers that sign it (HubSpot v3).
    #[arg(long, default_value = "POST")]
    method: String,
    /// The full URL the sender signed (scheme, host, port, path, query), for providers that
    /// sign it: Twilio, Square, HubSpot v3. Twilio's form fields come from the body.
    #[arg(long)]
    url: Option<String>,
    /// Print the result as one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// The minimum secret length in bytes; lower it only for a sender whose secrets are shorter.
    #[arg(long, default_value_t = DEFAULT_MIN_SECRET_LEN)]
    min_secret_len: usize,
    /// After verifying, parse the body into the provider's typed event and print its type,
    /// variant and idempotency key.
    #[arg(long)]
    parse: bool,
    /// On failure, try the usual mistakes and say which fits (the default; kept for scripts).
    #[arg(long, conflicts_with = "no_explain")]
    explain: bool,
    /// On failure, print only the reason.
    #[arg(long)]
    no_explain: bool,
    /// A secret configured elsewhere (the one before a rotation, another endpoint's): not
    /// accepted, only checked on failure, to tell whether the request was signed with it.
    #[arg(long = "other-secret")]
    other_secrets: Vec<String>,
}

#[derive(Serialize)]
struct Report<'a> {
    valid: bool,
    provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idempotency_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<EventSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diagnoses: Vec<Diagnosis>,
}

/// The sender's scheme for this request: HubSpot's legacy v1/v2 requests say so in
/// `X-HubSpot-Signature-Version` (and carry no v3 signature).
fn scheme_for_request(sender: &crate::common::Sender, headers: &[(String, String)]) -> Scheme {
    let header = |name: &str| match headers.lookup(name) {
        HeaderLookup::One(value) => std::str::from_utf8(value).ok().map(str::trim),
        _ => None,
    };
    if let crate::common::Sender::Builtin(Provider::HubSpot) = sender
        && header("x-hubspot-signature-v3").is_none()
        && let Some(scheme) =
            header("x-hubspot-signature-version").and_then(hookverify::hubspot::scheme_for_version)
    {
        return scheme;
    }
    if let crate::common::Sender::Builtin(Provider::GitLab) = sender {
        return hookverify::gitlab::scheme_for(headers);
    }
    sender.scheme()
}

pub(crate) fn run(args: &VerifyArgs) -> Result<ExitCode, Usage> {
    let body = read_body(&args.body_file)?;
    let mut headers = args.headers.clone();
    if let Some(path) = &args.headers_file {
        headers.extend(read_headers_file(path)?);
    }
    let sender = args.sender.sender()?;
    let scheme = scheme_for_request(&sender, &headers);
    if scheme.signs_request_target() && args.url.is_none() {
        return Err(Usage(format!(
            "`{}` signs the URL it calls: give it with --url (the full URL the sender addressed)",
            scheme.name()
        )));
    }
    let mut builder = Verifier::builder(scheme).min_secret_len(args.min_secret_len);
    for secret in &args.secrets {
        builder = builder.secret(secret.as_str());
    }
    let verifier = builder.build()?;
    let now = args
        .now
        .map_or_else(Timestamp::now, Timestamp::from_unix_seconds);
    let mut context = RequestContext::new(&headers).method(&args.method);
    if let Some(url) = &args.url {
        context = context.url(url);
    }
    let result = verifier.verify_at(&context, &body, now);
    let name = sender.name();
    let provider = name.as_str();
    let verified = match result {
        Ok(verified) => verified,
        Err(err) => {
            let diagnoses = if args.no_explain {
                Vec::new()
            } else {
                let request = Request {
                    sender: &sender,
                    secrets: &args.secrets,
                    other_secrets: &args.other_secrets,
                    min_secret_len: args.min_secret_len,
                    headers: &headers,
                    body: &body,
                    now,
                };
                explain(&request, &err)
            };
            if args.json {
                let mut report = report_err(provider, &err.to_string(), err.hint());
                report.diagnoses = diagnoses;
                print_json(&report)?;
            } else {
                anstream::eprintln!("{} {err}", paint(BAD, "invalid:"));
                anstream::eprintln!("hint: {}", err.hint());
                for diagnosis in &diagnoses {
                    anstream::eprintln!(
                        "{} {}",
                        paint(WARN, format!("explain ({}):", diagnosis.kind)),
                        diagnosis.message
                    );
                }
                if diagnoses.is_empty() && !args.no_explain {
                    anstream::eprintln!(
                        "{} none of the usual mistakes fits (re-serialized body, secret encoding, clock skew, milliseconds, wrong provider, mixed headers). What is left cannot be told apart from here: another secret than the one given (pass a candidate with --other-secret to check it), a body changed in another way, or a forged request",
                        paint(WARN, "explain:")
                    );
                }
            }
            return Ok(ExitCode::from(1));
        }
    };
    let summary = if args.parse {
        match summarize(&sender, &body, &verified) {
            Ok(summary) => Some(summary),
            Err(err) => {
                let message = format!("the signature verified, but the body does not parse: {err}");
                let hint = "the body is not this provider's event format; check the provider, or read it with --json and without --parse";
                if args.json {
                    print_json(&report_err(provider, &message, hint))?;
                } else {
                    eprintln!("invalid: {message}");
                    eprintln!("hint: {hint}");
                }
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        None
    };
    if args.json {
        let mut report = report_ok(provider, &verified);
        report.event = summary;
        print_json(&report)?;
    } else {
        print_text(provider, &verified, verifier.secret_count());
        if let Some(summary) = summary {
            println!(
                "  event:            {} ({})",
                summary.event_type, summary.variant
            );
            if let Some(at) = &summary.occurred_at {
                println!("  occurred at:      {at}");
            }
            println!(
                "  idempotency key:  {} (from the parsed event)",
                summary.idempotency_key
            );
            if let Some(misfit) = &summary.misfit {
                println!("  misfit:           {misfit}");
                println!(
                    "  (a known type whose payload does not fit its struct: handlers receive it as Misfit, with the raw body)"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report_ok<'a>(provider: &'a str, verified: &'a Verified) -> Report<'a> {
    Report {
        valid: true,
        provider,
        id: verified.id(),
        timestamp: verified.timestamp().map(Timestamp::unix_seconds),
        secret_index: Some(verified.secret_index()),
        event_type: verified.event_type(),
        idempotency_key: verified.idempotency_key_from_headers(),
        event: None,
        error: None,
        hint: None,
        diagnoses: Vec::new(),
    }
}

fn report_err<'a>(provider: &'a str, error: &str, hint: &'a str) -> Report<'a> {
    Report {
        valid: false,
        provider,
        id: None,
        timestamp: None,
        secret_index: None,
        event_type: None,
        idempotency_key: None,
        event: None,
        error: Some(error.to_owned()),
        hint: Some(hint),
        diagnoses: Vec::new(),
    }
}

fn print_json(report: &Report<'_>) -> Result<(), Usage> {
    println!("{}", serde_json::to_string(report)?);
    Ok(())
}

/// `1st`, `2nd`, `3rd`, `4th`, ...
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn print_text(provider: &str, verified: &Verified, secrets: usize) {
    println!("valid: {provider} signature verified");
    if let Some(id) = verified.id() {
        println!("  id:               {id}");
    }
    if let Some(timestamp) = verified.timestamp() {
        println!("  timestamp:        {}", describe_time(timestamp));
    }
    println!(
        "  matched secret:   index {} (the {} given, of {secrets})",
        verified.secret_index(),
        ordinal(verified.secret_index().saturating_add(1))
    );
    if let Some(event_type) = verified.event_type() {
        println!("  event type:       {event_type}");
    }
    match verified.idempotency_key_from_headers() {
        Some(key) => println!("  idempotency key:  {key}"),
        None => println!(
            "  idempotency key:  {} (add --parse to read it)",
            verified.idempotency_rule()
        ),
    }
}
