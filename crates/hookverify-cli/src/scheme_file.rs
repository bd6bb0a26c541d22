//! `--scheme-file`: a custom scheme described in TOML, mirroring `Scheme::custom`'s builder, so
//! every command works for a sender with no built-in scheme.
//!
//! ```toml
//! name = "slack"
//! signature_header = "X-Slack-Signature"
//! signature_prefix = "v0="          # one signature behind a prefix (the default format)
//! prefix_required = true
//! # versioned_list = "v1"           # or a Standard Webhooks style `v1,<sig>` list
//! # key_value = { timestamp = "t", signature = "v1" }   # or Stripe style `t=..,v1=..`
//! #   (add separator = ";" for Paddle style `ts=..;h1=..`)
//! encoding = "hex"                  # or "base64"
//! hmac = "sha256"                   # or "sha1", "sha512"
//! timestamp_header = "X-Slack-Request-Timestamp"
//! timestamp_unit = "seconds"        # "milliseconds", "auto", "rfc3339"
//! # id_header, delivery_id_header, optional_delivery_id_header, event_type_header
//! signed_content = ["v0:", "{timestamp}", ":", "{body}"]   # {id}, {timestamp}, {body},
//! #   {method}, {url}, {form} (the form body's fields, sorted: Twilio), {field:NAME} (a field
//! #   of the body's signed record), or text
//! # body_hash_in_url = "bodySHA256"  # a non-form body is signed through this URL parameter
//! # decode_url_escapes = true        # HubSpot v3: `%3A %2F ...` decoded before signing
//! # url_port_variants = true         # Twilio: the URL also verifies with/without its port
//! # signature_in_body = "signature"  # the signature is in the body (Mailgun): the header
//! #   names above are then fields of that record; `a/*/b` for every element of an array (Adyen)
//! key_encoding = "raw"              # or "base64" (`whsec_` + base64)
//! tolerance_seconds = 300
//! idempotency = { body_fields = ["event_id"], then_header = false, then_body_hash = true }
//! # idempotency = "delivery-id" | "body-hash"
//! ```

use std::path::Path;
use std::time::Duration;

use hookverify::{
    HeaderNames, IdempotencyRule, Scheme, SecretEncoding, SignedPart, TimestampUnit, Tolerance,
};
use serde::Deserialize;

use crate::common::Usage;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyValue {
    timestamp: String,
    signature: String,
    #[serde(default)]
    leading_version: Option<String>,
    #[serde(default)]
    separator: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Idempotency {
    Named(String),
    BodyFields {
        body_fields: Vec<String>,
        #[serde(default)]
        then_header: bool,
        #[serde(default)]
        then_body_hash: bool,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    signature_header: String,
    #[serde(default)]
    signature_prefix: Option<String>,
    #[serde(default)]
    prefix_required: bool,
    #[serde(default)]
    versioned_list: Option<String>,
    #[serde(default)]
    ed25519_version: Option<String>,
    #[serde(default)]
    key_value: Option<KeyValue>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    hmac: Option<String>,
    #[serde(default)]
    id_header: Option<String>,
    #[serde(default)]
    timestamp_header: Option<String>,
    #[serde(default)]
    timestamp_unit: Option<String>,
    #[serde(default)]
    delivery_id_header: Option<String>,
    #[serde(default)]
    optional_delivery_id_header: Option<String>,
    #[serde(default)]
    event_type_header: Option<String>,
    #[serde(default)]
    signed_content: Option<Vec<String>>,
    #[serde(default)]
    key_encoding: Option<String>,
    #[serde(default)]
    tolerance_seconds: Option<u64>,
    #[serde(default)]
    idempotency: Option<Idempotency>,
    #[serde(default)]
    signature_in_body: Option<String>,
    #[serde(default)]
    body_hash_in_url: Option<String>,
    #[serde(default)]
    decode_url_escapes: bool,
    #[serde(default)]
    url_port_variants: bool,
}

fn part(text: &str) -> SignedPart {
    match text {
        "{id}" => SignedPart::Id,
        "{timestamp}" => SignedPart::Timestamp,
        "{body}" => SignedPart::Body,
        "{method}" => SignedPart::Method,
        "{url}" => SignedPart::Url,
        "{form}" => SignedPart::FormParams,
        field if field.starts_with("{field:") && field.ends_with('}') => SignedPart::Field(
            field
                .trim_start_matches("{field:")
                .trim_end_matches('}')
                .to_owned()
                .into(),
        ),
        // The builder takes `'static` text; a scheme file is read once per process.
        other => SignedPart::literal(Box::leak(other.to_owned().into_boxed_str())),
    }
}

fn bad(path: &Path, what: impl std::fmt::Display) -> Usage {
    Usage(format!("{}: {what}", path.display()))
}

/// Reads and builds the scheme described in `path`.
pub(crate) fn load(path: &Path) -> Result<Scheme, Usage> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
    let file: File = toml::from_str(&text).map_err(|e| bad(path, e))?;
    let mut names = HeaderNames::new(file.signature_header);
    if let Some(name) = file.id_header {
        names = names.id(name);
    }
    if let Some(name) = file.timestamp_header {
        names = names.timestamp(name);
    }
    if let Some(name) = file.delivery_id_header {
        names = names.delivery_id(name);
    }
    if let Some(name) = file.optional_delivery_id_header {
        names = names.optional_delivery_id(name);
    }
    if let Some(name) = file.event_type_header {
        names = names.event_type(name);
    }
    let mut builder = Scheme::custom(file.name).header_names(names);
    if let Some(path) = file.signature_in_body {
        builder = builder.signature_in_body(path);
    }
    if let Some(param) = file.body_hash_in_url {
        builder = builder.body_hash_in_url(param);
    }
    if file.decode_url_escapes {
        builder = builder.decode_url_escapes();
    }
    if file.url_port_variants {
        builder = builder.url_port_variants();
    }
    builder = match (file.signature_prefix, file.versioned_list, file.key_value) {
        (Some(prefix), None, None) => builder.signature_prefix(prefix, file.prefix_required),
        (None, Some(version), None) => {
            let builder = builder.versioned_list(version);
            match file.ed25519_version {
                Some(version) => builder.ed25519_version(version),
                None => builder,
            }
        }
        (None, None, Some(kv)) => {
            let builder = builder.key_value(kv.timestamp, kv.signature);
            let builder = match kv.separator.as_deref() {
                None | Some(",") => builder,
                Some(";") => builder.semicolon_separated(),
                Some(other) => {
                    return Err(bad(path, format!("key_value separator `{other}`: , or ;")));
                }
            };
            match kv.leading_version {
                Some(version) => builder.leading_version(version),
                None => builder,
            }
        }
        (None, None, None) => builder,
        _ => {
            return Err(bad(
                path,
                "name one signature format: signature_prefix, versioned_list or key_value",
            ));
        }
    };
    builder = match file.encoding.as_deref() {
        None | Some("hex") => builder.hex(),
        Some("base64") => builder.base64(),
        Some(other) => return Err(bad(path, format!("encoding `{other}`: hex or base64"))),
    };
    if let Some(hmac) = &file.hmac {
        builder = builder.hmac(hmac.parse().map_err(|e| bad(path, format!("hmac: {e}")))?);
    }
    builder = builder.timestamp_unit(match file.timestamp_unit.as_deref() {
        None | Some("seconds") => TimestampUnit::Seconds,
        Some("milliseconds") => TimestampUnit::Milliseconds,
        Some("auto") => TimestampUnit::Auto,
        Some("rfc3339") => TimestampUnit::Rfc3339,
        Some(other) => {
            return Err(bad(
                path,
                format!("timestamp_unit `{other}`: seconds, milliseconds, auto or rfc3339"),
            ));
        }
    });
    builder = builder.key_encoding(match file.key_encoding.as_deref() {
        None | Some("raw") => SecretEncoding::Raw,
        Some("base64") => SecretEncoding::Base64,
        Some("hex") => SecretEncoding::Hex,
        Some(other) => {
            return Err(bad(
                path,
                format!("key_encoding `{other}`: raw, base64 or hex"),
            ));
        }
    });
    if let Some(parts) = file.signed_content {
        builder = builder.signed_content(parts.iter().map(|p| part(p)));
    }
    if let Some(seconds) = file.tolerance_seconds {
        builder = builder.tolerance(Tolerance::symmetric(Duration::from_secs(seconds)));
    }
    if let Some(rule) = file.idempotency {
        builder = builder.idempotency(match rule {
            Idempotency::Named(name) if name == "delivery-id" => {
                IdempotencyRule::DeliveryIdHeader
            }
            Idempotency::Named(name) if name == "body-hash" => IdempotencyRule::BodyHash,
            Idempotency::Named(other) => {
                return Err(bad(
                    path,
                    format!(
                        "idempotency `{other}`: \"delivery-id\", \"body-hash\" or {{ body_fields = [...] }}"
                    ),
                ));
            }
            Idempotency::BodyFields {
                body_fields,
                then_header,
                then_body_hash,
            } => {
                let fields: Vec<&'static str> = body_fields
                    .into_iter()
                    .map(|f| &*Box::leak(f.into_boxed_str()))
                    .collect();
                IdempotencyRule::BodyField {
                    fields: Box::leak(fields.into_boxed_slice()),
                    then_header,
                    then_body_hash,
                }
            }
        });
    }
    builder.build().map_err(|e| bad(path, e))
}
