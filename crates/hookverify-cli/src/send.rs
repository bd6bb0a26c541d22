//! `hookverify send`: one correctly signed request, like a dashboard's "Send test event".

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use hookverify::sign::{Message, Signer};

use crate::common::{
    Sender, SenderArgs, Usage, body_key_fields, event_type_of, parse_header, read_body,
};
use crate::style::{BAD, DIM, OK, paint};

#[derive(Args)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    sender: SenderArgs,
    /// The signing secret (`whsk_...` for ed25519 with standard-webhooks, sendable, sent).
    #[arg(long, env = "HOOKVERIFY_SECRET", hide_env_values = true)]
    secret: String,
    /// Where to POST.
    #[arg(long)]
    url: String,
    /// The URL to sign, for providers that sign it (Twilio, Square, HubSpot v3) when the
    /// receiver knows itself by another (its public URL behind a proxy); default --url.
    #[arg(long)]
    signed_url: Option<String>,
    /// The event type whose sample body to send (default: the provider's first); `--help`
    /// lists the samples.
    #[arg(long, conflicts_with = "body_file")]
    event: Option<String>,
    /// Send this file's bytes as the body instead of a sample.
    #[arg(long)]
    body_file: Option<PathBuf>,
    /// The event type header value, for providers that send one (default: the sample's type, or
    /// the body's `type`, `eventType` or `event` field).
    #[arg(long)]
    event_type: Option<String>,
    /// An extra request header, as `Name: value`; repeat for more (sent unsigned, as is).
    #[arg(long = "header", value_parser = parse_header)]
    headers: Vec<(String, String)>,
    /// Send the same signed request this many times (a provider's retries).
    #[arg(long, default_value_t = 1)]
    repeat: u32,
    /// The message or delivery id (default: a random one). For providers keyed on a body field
    /// (stripe `id`, sendpilot `eventId`, sendkit `id`, sent `id`) the sample body's field is
    /// set to it too, so each --id is a new event.
    #[arg(long)]
    id: Option<String>,
}

/// Sets the body's idempotency field (the first of `fields` present, else the first) to `id`.
fn with_body_id(body: &[u8], fields: &[&str], id: &str) -> Result<Vec<u8>, Usage> {
    let mut value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| Usage(format!("--id needs a JSON body to set the id in: {e}")))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| Usage("--id needs a JSON object body to set the id in".to_owned()))?;
    let field = fields
        .iter()
        .find(|f| object.contains_key(**f))
        .or(fields.first())
        .ok_or_else(|| Usage("the provider names no id field".to_owned()))?;
    object.insert((*field).to_owned(), serde_json::Value::from(id));
    serde_json::to_vec_pretty(&value).map_err(|e| Usage(e.to_string()))
}

fn body(args: &SendArgs, sender: &Sender) -> Result<(Vec<u8>, Option<String>), Usage> {
    if let Some(path) = &args.body_file {
        let body = read_body(path)?;
        let event_type = event_type_of(&body);
        return Ok((body, event_type));
    }
    let Some(provider) = sender.provider() else {
        return Err(Usage(format!(
            "{sender} is a custom scheme: give the body with --body-file (samples exist for the built-in providers)"
        )));
    };
    let sample = match &args.event {
        Some(event) => hookverify_samples::for_provider(provider.name())
            .find(|s| s.event_type == event && !s.older_shape)
            .ok_or_else(|| {
                let known: Vec<&str> = hookverify_samples::for_provider(provider.name())
                    .filter(|s| !s.older_shape)
                    .map(|s| s.event_type)
                    .collect();
                Usage(format!(
                    "no sample for `{event}` of {provider}; known: {}",
                    known.join(", ")
                ))
            })?,
        None => hookverify_samples::for_provider(provider.name())
            .next()
            .ok_or_else(|| Usage(format!("no sample for {provider}")))?,
    };
    Ok((
        sample.body.as_bytes().to_vec(),
        Some(sample.event_type.to_owned()),
    ))
}

pub(crate) fn run(args: &SendArgs) -> Result<ExitCode, Usage> {
    let sender = args.sender.sender()?;
    let scheme = sender.scheme();
    let (mut body, sample_type) = body(args, &sender)?;
    let event_type = args.event_type.clone().or(sample_type);
    if let (Some(id), Some(fields), None) = (&args.id, body_key_fields(&scheme), &args.body_file) {
        body = with_body_id(&body, fields, id)?;
    } else if let (Some(_), Some(fields)) = (&args.id, body_key_fields(&scheme)) {
        eprintln!(
            "note: {sender} takes the idempotency key from the body (`{}`), not from --id: --id sets only the delivery id header",
            fields.join("`/`")
        );
    }
    let signer = Signer::new(&scheme, &args.secret)?;
    let mut message =
        Message::new(&body).url(args.signed_url.as_deref().unwrap_or(args.url.as_str()));
    if let Some(id) = &args.id {
        message = message.id(id.as_str());
    }
    if let Some(event_type) = &event_type {
        message = message.event_type(event_type.as_str());
    }
    let headers = signer.sign(&message)?;
    // Mailgun: the signature travels in the body the signer made.
    let body = headers.body().map_or(body.clone(), <[u8]>::to_vec);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Usage(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut all_ok = true;
        for attempt in 1..=args.repeat.max(1) {
            let mut request = client.post(&args.url).body(body.clone());
            if !args
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            {
                request = request.header("content-type", "application/json");
            }
            for (name, value) in headers.iter() {
                request = request.header(name, value);
            }
            for (name, value) in &args.headers {
                request = request.header(name, value);
            }
            let started = Instant::now();
            match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let elapsed = started.elapsed();
                    let text = response.text().await.unwrap_or_default();
                    let label = if status.is_success() {
                        paint(OK, status)
                    } else {
                        paint(BAD, status)
                    };
                    all_ok &= status.is_success();
                    anstream::println!(
                        "#{attempt} POST {} {label} in {:.1} ms {}",
                        args.url,
                        elapsed.as_secs_f64() * 1000.0,
                        paint(DIM, text.trim())
                    );
                }
                Err(err) => {
                    all_ok = false;
                    anstream::println!(
                        "#{attempt} POST {} {} {err}",
                        args.url,
                        paint(BAD, "failed")
                    );
                }
            }
        }
        Ok(if all_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}
