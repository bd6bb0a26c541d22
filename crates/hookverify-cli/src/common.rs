//! Argument parsing shared by the subcommands.

use std::fmt;
use std::path::Path;

use hookverify::{Provider, Timestamp};

/// An argument the command cannot use: reported on stderr with exit code 2.
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for Usage {
    fn from(err: E) -> Self {
        Usage(err.to_string())
    }
}

/// Parses `--provider` values; `--help` lists every provider of the registry (aliases accepted).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProviderParser;

impl clap::builder::TypedValueParser for ProviderParser {
    type Value = Provider;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Provider, clap::Error> {
        let text = value.to_string_lossy();
        text.parse::<Provider>().map_err(|err| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{err}\n")).with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(Provider::ALL.into_iter().map(|provider| {
            clap::builder::PossibleValue::new(provider.name())
                .aliases(provider.info().aliases.iter().copied())
        })))
    }
}

/// Parses `--now`: Unix seconds. A 13-digit value is milliseconds, refused with the value in
/// seconds, so no millisecond timestamp is ever "verified" by moving the clock to match it.
pub(crate) fn parse_now(value: &str) -> Result<i64, String> {
    let seconds: i64 = value
        .trim()
        .parse()
        .map_err(|e| format!("`{value}` is not a whole number of Unix seconds: {e}"))?;
    if crate::explain::looks_like_millis(seconds) {
        return Err(format!(
            "`{value}` looks like milliseconds; --now takes Unix seconds (`{}`)",
            seconds / 1000
        ));
    }
    Ok(seconds)
}

/// The event type a body declares, for the providers' usual envelopes.
pub(crate) fn event_type_of(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    ["type", "eventType", "event", "sub_type"]
        .iter()
        .find_map(|key| value.get(key).and_then(serde_json::Value::as_str))
        .map(str::to_owned)
}

/// `--provider` or `--scheme-file`: the sender's scheme, for `sign`, `verify`, `send`, `listen`.
#[derive(clap::Args)]
pub(crate) struct SenderArgs {
    /// The sender (`svix` is an alias of `standard-webhooks`).
    #[arg(
        long,
        value_parser = ProviderParser,
        required_unless_present = "scheme_file",
        conflicts_with = "scheme_file"
    )]
    provider: Option<Provider>,
    /// A custom scheme described in TOML instead of --provider (the fields mirror
    /// `Scheme::custom`; the CLI README has an example).
    #[arg(long)]
    scheme_file: Option<std::path::PathBuf>,
}

impl SenderArgs {
    /// The sender the arguments name.
    pub(crate) fn sender(&self) -> Result<Sender, Usage> {
        Sender::from_args(self.provider, self.scheme_file.as_deref())
    }
}

/// Who signs: a built-in provider (`--provider`), or a custom scheme (`--scheme-file`).
#[derive(Clone, Debug)]
pub(crate) enum Sender {
    Builtin(Provider),
    Custom(hookverify::Scheme),
}

impl Sender {
    /// The sender the arguments name (clap makes exactly one of the two present).
    pub(crate) fn from_args(
        provider: Option<Provider>,
        scheme_file: Option<&Path>,
    ) -> Result<Sender, Usage> {
        match (provider, scheme_file) {
            (Some(provider), None) => Ok(Sender::Builtin(provider)),
            (None, Some(path)) => Ok(Sender::Custom(crate::scheme_file::load(path)?)),
            _ => Err(Usage("give either --provider or --scheme-file".to_owned())),
        }
    }

    pub(crate) fn scheme(&self) -> hookverify::Scheme {
        match self {
            Sender::Builtin(provider) => provider.scheme(),
            Sender::Custom(scheme) => scheme.clone(),
        }
    }

    pub(crate) fn provider(&self) -> Option<Provider> {
        match self {
            Sender::Builtin(provider) => Some(*provider),
            Sender::Custom(_) => None,
        }
    }

    pub(crate) fn name(&self) -> String {
        match self {
            Sender::Builtin(provider) => provider.name().to_owned(),
            Sender::Custom(scheme) => scheme.name().to_owned(),
        }
    }
}

impl fmt::Display for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// The body fields `scheme` takes its idempotency key from, when it takes it from the body.
pub(crate) fn body_key_fields(scheme: &hookverify::Scheme) -> Option<&'static [&'static str]> {
    match scheme.idempotency_rule() {
        hookverify::IdempotencyRule::BodyField { fields, .. } => Some(fields),
        _ => None,
    }
}

/// Reads a file as raw bytes, exactly as they are on disk.
pub(crate) fn read_body(path: &Path) -> Result<Vec<u8>, Usage> {
    std::fs::read(path).map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))
}

/// Parses one `Name: value` header line. Leading and trailing whitespace of the value is dropped,
/// as HTTP does.
pub(crate) fn parse_header(line: &str) -> Result<(String, String), String> {
    let (name, value) = line
        .split_once(':')
        .ok_or_else(|| format!("header `{line}` is not in the form 'Name: value'"))?;
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!("header name in `{line}` is empty or has spaces"));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// Reads `Name: value` lines from a file (blank lines and lines starting with `#` skipped).
pub(crate) fn read_headers_file(path: &Path) -> Result<Vec<(String, String)>, Usage> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| parse_header(line).map_err(Usage))
        .collect()
}

/// A Unix time in seconds and, when representable, its RFC 3339 form.
pub(crate) fn describe_time(timestamp: Timestamp) -> String {
    let nanos = i128::from(timestamp.unix_millis()).saturating_mul(1_000_000);
    let rfc3339 = time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        });
    match rfc3339 {
        Some(text) => format!("{timestamp} ({text})"),
        None => timestamp.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines() {
        assert_eq!(
            parse_header("Webhook-Id:  msg_1 ").unwrap(),
            ("Webhook-Id".to_owned(), "msg_1".to_owned())
        );
        assert_eq!(
            parse_header("x: a:b").unwrap(),
            ("x".to_owned(), "a:b".to_owned())
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header(": value").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(
            describe_time(Timestamp::from_unix_seconds(1_649_367_553)),
            "1649367553 (2022-04-07T21:39:13Z)"
        );
    }
}
