//! `hookverify sign`: the headers a provider would send (for Mailgun, whose signature travels
//! in the body, the signed body itself).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use hookverify::Timestamp;
use hookverify::sign::{Message, Signer};

use crate::common::{SenderArgs, Usage, body_key_fields, event_type_of, read_body};

#[derive(Args)]
pub(crate) struct SignArgs {
    #[command(flatten)]
    sender: SenderArgs,
    /// The signing secret as the provider shows it (`whsec_...`, or `whsk_...` for ed25519).
    #[arg(long, env = "HOOKVERIFY_SECRET", hide_env_values = true)]
    secret: String,
    /// The body to sign, sent byte for byte.
    #[arg(long)]
    body_file: PathBuf,
    /// The message or delivery id (default: a random one in the provider's style). Providers
    /// keyed on a body field (stripe, sendpilot, sendkit, sent) take their idempotency key from
    /// the body, not from this.
    #[arg(long)]
    id: Option<String>,
    /// The signing time in Unix seconds (default: now).
    #[arg(long)]
    timestamp: Option<i64>,
    /// The event type header value, for providers that send one (default: the body's `type`,
    /// `eventType` or `event` field when it has one).
    #[arg(long)]
    event_type: Option<String>,
    /// The full URL the request goes to, for providers that sign it (Twilio, Square, HubSpot
    /// v3); default `https://webhooks.example.com/<provider>`.
    #[arg(long)]
    url: Option<String>,
    /// The HTTP method, for providers that sign it (default `POST`).
    #[arg(long)]
    method: Option<String>,
}

pub(crate) fn run(args: &SignArgs) -> Result<ExitCode, Usage> {
    let sender = args.sender.sender()?;
    let scheme = sender.scheme();
    let body = read_body(&args.body_file)?;
    let signer = Signer::new(&scheme, &args.secret)?;
    let mut message = Message::new(&body);
    if let Some(id) = &args.id {
        message = message.id(id.as_str());
        if let Some(fields) = body_key_fields(&scheme) {
            eprintln!(
                "note: {sender} takes the idempotency key from the body (`{}`), not from --id: --id sets only the delivery id header",
                fields.join("`/`")
            );
        }
    }
    if let Some(seconds) = args.timestamp {
        message = message.timestamp(Timestamp::from_unix_seconds(seconds));
    }
    let event_type = args.event_type.clone().or_else(|| event_type_of(&body));
    if let Some(event_type) = &event_type {
        message = message.event_type(event_type.as_str());
    }
    if let Some(url) = &args.url {
        message = message.url(url.as_str());
    }
    if let Some(method) = &args.method {
        message = message.method(method.as_str());
    }
    let signed = signer.sign(&message)?;
    if let Some(url) = signed.url().filter(|_| args.url.is_none()) {
        eprintln!("note: {sender} signs the URL; signed for {url} (set it with --url)");
    }
    print!("{signed}");
    // Mailgun: the signature travels in the body, and there are no headers: stdout is the
    // signed body, byte for byte (`> body.json`, then send that).
    if let Some(body) = signed.body() {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        out.write_all(body)
            .and_then(|()| out.flush())
            .map_err(|e| Usage(format!("cannot write the signed body: {e}")))?;
    }
    Ok(ExitCode::SUCCESS)
}
