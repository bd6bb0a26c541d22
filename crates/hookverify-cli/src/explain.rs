//! `verify --explain`: when a request does not verify, try the usual mistakes and say which fits.
//!
//! Every hypothesis is tested for real: the request is re-verified under the changed assumption
//! (another serialization of the body, another key encoding, another provider, headers of one
//! set, the clock ignored), and only what then verifies is reported.

use base64::Engine as _;
use hookverify::{
    Provider, Scheme, Secret, SecretEncoding, Timestamp, Verified, Verifier, VerifyError, dangerous,
};

use crate::common::Sender;
use serde::Serialize;

/// One mistake that fits the request.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Diagnosis {
    /// A short name: `reserialized-body`, `secret-encoding`, `clock-skew`, `milliseconds`,
    /// `wrong-provider`, `mixed-headers`, `expired-secret`, `other-secret`.
    pub(crate) kind: &'static str,
    /// What was found, and what to do.
    pub(crate) message: String,
}

pub(crate) struct Request<'a> {
    pub(crate) sender: &'a Sender,
    pub(crate) secrets: &'a [String],
    pub(crate) other_secrets: &'a [String],
    pub(crate) min_secret_len: usize,
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: &'a [u8],
    pub(crate) now: Timestamp,
}

/// A verifier of `scheme` with the user's secrets; `None` when they do not parse for it.
fn verifier(scheme: Scheme, secrets: &[String], min_len: usize) -> Option<Verifier> {
    let mut builder = Verifier::builder(scheme).min_secret_len(min_len);
    for secret in secrets {
        builder = builder.secret(secret.as_str());
    }
    builder.build().ok()
}

/// Verifies the signature only (the clock ignored): is this the right key and the right bytes?
fn signature_ok(
    verifier: &Verifier,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<Verified> {
    dangerous::verify_ignoring_timestamp(verifier, headers, body).ok()
}

/// Runs every check that applies to `error`.
pub(crate) fn explain(request: &Request<'_>, error: &VerifyError) -> Vec<Diagnosis> {
    let mut found = Vec::new();
    let Some(verifier) = verifier(
        request.sender.scheme(),
        request.secrets,
        request.min_secret_len,
    ) else {
        return found;
    };
    match error {
        VerifyError::TimestampTooOld { .. } | VerifyError::TimestampTooNew { .. } => {
            clock(request, &verifier, &mut found);
        }
        VerifyError::MixedHeaderSets { .. } => mixed_headers(request, &verifier, &mut found),
        VerifyError::SecretExpired { index, expired_at } => found.push(Diagnosis {
            kind: "expired-secret",
            message: format!(
                "the request was signed with secret #{} (of those given), which expired at {expired_at}: the sender still signs with the rotated-out secret",
                index.saturating_add(1)
            ),
        }),
        _ => {}
    }
    if signature_ok(&verifier, request.headers, request.body).is_none() {
        other_secret(request, &mut found);
        reserialized_body(request, &verifier, &mut found);
        secret_encoding(request, &mut found);
        wrong_provider(request, &mut found);
    }
    found
}

/// Was the request signed with a secret configured elsewhere?
fn other_secret(request: &Request<'_>, found: &mut Vec<Diagnosis>) {
    for (index, other) in request.other_secrets.iter().enumerate() {
        let Some(verifier) = verifier(request.sender.scheme(), std::slice::from_ref(other), 1)
        else {
            continue;
        };
        if signature_ok(&verifier, request.headers, request.body).is_some() {
            found.push(Diagnosis {
                kind: "other-secret",
                message: format!(
                    "the request was signed with --other-secret #{}, not with the secret given: the sender uses that one (a rotation not finished, or another endpoint's secret)",
                    index.saturating_add(1)
                ),
            });
            return;
        }
    }
}

/// The signature is right and only the clock disagrees: by how much, and is it ms vs s?
fn clock(request: &Request<'_>, verifier: &Verifier, found: &mut Vec<Diagnosis>) {
    let Some(verified) = signature_ok(verifier, request.headers, request.body) else {
        return;
    };
    let Some(signed) = verified.timestamp() else {
        return;
    };
    let skew = request
        .now
        .unix_seconds()
        .saturating_sub(signed.unix_seconds());
    // A seconds scheme given 13 or more digits was sent milliseconds, whatever the clock says:
    // read as seconds it lands past the year 5000 (AutoSend tells the units apart by itself).
    if request.sender.scheme().timestamp_unit() == hookverify::TimestampUnit::Seconds
        && looks_like_millis(signed.unix_seconds())
    {
        found.push(Diagnosis {
            kind: "milliseconds",
            message: format!(
                "the signature is valid, but the timestamp {} is in milliseconds; {} timestamps are in seconds: the sender (or your test tool) writes the wrong unit. No --now makes this request valid: it must be signed again with a timestamp in seconds ({})",
                signed.unix_seconds(),
                request.sender,
                signed.unix_seconds() / 1000
            ),
        });
        return;
    }
    let (direction, amount) = if skew >= 0 {
        ("old", skew.unsigned_abs())
    } else {
        ("ahead of this clock", skew.unsigned_abs())
    };
    found.push(Diagnosis {
        kind: "clock-skew",
        message: format!(
            "the signature is valid; the timestamp is {amount} s {direction} (tolerance {} s): the clocks differ by {amount} s, or the request was delayed or replayed. Check NTP; a captured request verifies with --now {} (Unix seconds)",
            verifier.tolerance().map_or(0, |t| if skew >= 0 { t.past().as_secs() } else { t.future().as_secs() }),
            signed.unix_seconds()
        ),
    });
}

/// Whether a Unix time in seconds is really milliseconds: 13 or more digits (after the year 5138).
pub(crate) fn looks_like_millis(seconds: i64) -> bool {
    seconds >= 100_000_000_000
}

/// `svix-*` and `webhook-*` headers mixed: does it verify with the headers brought to one set?
fn mixed_headers(request: &Request<'_>, verifier: &Verifier, found: &mut Vec<Diagnosis>) {
    let svix: Vec<&str> = request
        .headers
        .iter()
        .filter(|(k, _)| k.to_ascii_lowercase().starts_with("svix-"))
        .map(|(k, _)| k.as_str())
        .collect();
    let webhook: Vec<&str> = request
        .headers
        .iter()
        .filter(|(k, _)| k.to_ascii_lowercase().starts_with("webhook-"))
        .map(|(k, _)| k.as_str())
        .collect();
    let mut normalized: Vec<(String, String)> = Vec::new();
    for (name, value) in request.headers {
        let lower = name.to_ascii_lowercase();
        let name = lower
            .strip_prefix("svix-")
            .map_or(lower.clone(), |rest| format!("webhook-{rest}"));
        if !normalized.iter().any(|(n, _)| *n == name) {
            normalized.push((name, value.clone()));
        }
    }
    let verifies = signature_ok(verifier, &normalized, request.body).is_some();
    found.push(Diagnosis {
        kind: "mixed-headers",
        message: format!(
            "the request mixes Svix header names ({}) with Standard Webhooks ones ({}); {}",
            svix.join(", "),
            webhook.join(", "),
            if verifies {
                "brought to one set it verifies: something between the sender and you renames or adds headers"
            } else {
                "even brought to one set it does not verify"
            }
        ),
    });
}

/// Serializations of the same JSON a framework commonly produces.
fn reserializations(body: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let mut forms: Vec<(&'static str, Vec<u8>)> = Vec::new();
    if let Ok(compact) = serde_json::to_vec(&value) {
        forms.push(("compact (no spaces)", compact.clone()));
        let mut newline = compact.clone();
        newline.push(b'\n');
        forms.push(("compact with a trailing newline", newline));
        forms.push((
            "compact with non-ASCII escaped as \\uXXXX",
            escape_non_ascii(&compact),
        ));
    }
    if let Ok(pretty) = serde_json::to_vec_pretty(&value) {
        forms.push(("pretty-printed (2-space indent)", pretty.clone()));
        let mut newline = pretty;
        newline.push(b'\n');
        forms.push(("pretty-printed with a trailing newline", newline));
    }
    let sorted = sort_keys(value);
    if let Ok(compact) = serde_json::to_vec(&sorted) {
        forms.push(("compact with keys sorted", compact));
    }
    if let Ok(pretty) = serde_json::to_vec_pretty(&sorted) {
        forms.push(("pretty-printed with keys sorted", pretty));
    }
    // Python's `json.dumps` default (`", "` and `": "`, key order kept, non-ASCII escaped), and
    // the same with `ensure_ascii=False`; re-spaced from the raw text so key order is kept.
    let python = respace(body, b", ", b": ");
    forms.push((
        "as Python's json.dumps writes it",
        escape_non_ascii(&python),
    ));
    forms.push((
        "as Python's json.dumps(ensure_ascii=False) writes it",
        python,
    ));
    forms.push((
        "compact in the original key order",
        respace(body, b",", b":"),
    ));
    let trimmed = body.trim_ascii();
    if trimmed.len() != body.len() {
        forms.push(("without the surrounding whitespace", trimmed.to_vec()));
    }
    forms.retain(|(_, form)| form.as_slice() != body);
    let mut seen: Vec<Vec<u8>> = Vec::new();
    forms.retain(|(_, form)| {
        let new = !seen.contains(form);
        seen.push(form.clone());
        new
    });
    forms
}

/// The JSON text with the whitespace between tokens removed and `comma`/`colon` written after
/// each separator; strings are copied as they are (escapes included).
fn respace(json: &[u8], comma: &[u8], colon: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len().saturating_add(json.len() / 4));
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        if in_string {
            out.push(byte);
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b',' => out.extend_from_slice(comma),
            b':' => out.extend_from_slice(colon),
            b'"' => {
                in_string = true;
                out.push(byte);
            }
            other => out.push(other),
        }
    }
    out
}

fn sort_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sort_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sort_keys).collect())
        }
        other => other,
    }
}

/// Non-ASCII characters (which in JSON text only occur inside strings) as `\uXXXX` escapes.
fn escape_non_ascii(json: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(json);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0_u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out.into_bytes()
}

fn reserialized_body(request: &Request<'_>, verifier: &Verifier, found: &mut Vec<Diagnosis>) {
    for (form, bytes) in reserializations(request.body) {
        if signature_ok(verifier, request.headers, &bytes).is_some() {
            found.push(Diagnosis {
                kind: "reserialized-body",
                message: format!(
                    "the sender signed the same JSON {form} ({} bytes); the body here is {} bytes: it was re-serialized (parsed and written again) before verification. Verify the raw bytes as received, before any JSON parsing",
                    bytes.len(),
                    request.body.len()
                ),
            });
            return;
        }
    }
}

/// Other ways the same secret string could have been turned into key bytes.
fn key_interpretations(secret: &str) -> Vec<(&'static str, Vec<u8>)> {
    let mut keys: Vec<(&'static str, Vec<u8>)> =
        vec![("the whole string as raw bytes", secret.as_bytes().to_vec())];
    if let Some(rest) = secret.strip_prefix("whsec_") {
        keys.push((
            "the string without `whsec_`, as raw bytes",
            rest.as_bytes().to_vec(),
        ));
    } else {
        keys.push((
            "the string with `whsec_` in front, as raw bytes",
            format!("whsec_{secret}").into_bytes(),
        ));
    }
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::STANDARD_NO_PAD,
    ];
    let stripped = secret.strip_prefix("whsec_").unwrap_or(secret);
    if let Some(decoded) = engines.iter().find_map(|e| e.decode(stripped).ok()) {
        keys.push(("base64-decoded after removing `whsec_`", decoded));
    }
    if let Some(decoded) = engines.iter().find_map(|e| e.decode(secret).ok()) {
        keys.push(("base64-decoded with `whsec_` kept", decoded));
    }
    if let Ok(decoded) = hex::decode(secret) {
        keys.push(("hex-decoded", decoded));
    }
    keys
}

fn secret_encoding(request: &Request<'_>, found: &mut Vec<Diagnosis>) {
    let scheme = request.sender.scheme();
    let expected = match scheme.secret_encoding() {
        SecretEncoding::Base64 => "base64-decodes the part after `whsec_`",
        _ => "uses the whole secret string, prefix included, as raw bytes",
    };
    for (index, secret) in request.secrets.iter().enumerate() {
        for (how, bytes) in key_interpretations(secret) {
            if bytes.is_empty() {
                continue;
            }
            let Ok(verifier) = Verifier::builder(scheme.clone())
                .key(Secret::from_bytes(bytes))
                .build()
            else {
                continue;
            };
            if signature_ok(&verifier, request.headers, request.body).is_some() {
                let message = if how.contains("with `whsec_` in front") {
                    format!(
                        "the request was signed with secret #{} with `whsec_` in front: the sender keys the HMAC with the whole string the dashboard shows, prefix included. Pass the secret whole (`whsec_...`); the `whsec_` is part of it",
                        index.saturating_add(1)
                    )
                } else {
                    format!(
                        "the request was signed with secret #{} taken as {how}; {} {expected}. The sender and this receiver encode the secret differently: check which string the provider shows and how your code turns it into a key",
                        index.saturating_add(1),
                        request.sender
                    )
                };
                found.push(Diagnosis {
                    kind: "secret-encoding",
                    message,
                });
                return;
            }
        }
    }
}

fn wrong_provider(request: &Request<'_>, found: &mut Vec<Diagnosis>) {
    for other in Provider::ALL
        .into_iter()
        .filter(|p| Some(*p) != request.sender.provider())
    {
        if let Some(verifier) = verifier(other.scheme(), request.secrets, request.min_secret_len)
            && signature_ok(&verifier, request.headers, request.body).is_some()
        {
            found.push(Diagnosis {
                kind: "wrong-provider",
                message: format!(
                    "the request verifies as a {other} webhook with this secret: use --provider {other}"
                ),
            });
            return;
        }
    }
}
