//! The request context: what some schemes sign besides headers and body (the HTTP method and
//! the URL the sender addressed), and the canonical form of a form body's fields.

use std::fmt;

use crate::headers::{HeaderKey, HeaderLookup, Headers};

/// The pseudo-header the method travels as.
pub(crate) const METHOD: &str = ":method";
/// The pseudo-header the URL travels as.
pub(crate) const URL: &str = ":url";

/// A request's headers together with its method and the URL the sender addressed: what
/// Twilio, Square and HubSpot v3 sign besides the body.
///
/// It implements [`Headers`], so every verifying call takes it where it takes headers. The
/// method and URL answer the pseudo-header names `:method` and `:url`, which no HTTP header can
/// have; schemes that sign neither ignore them. Web adapters build one from their public URL
/// setting ([`Verifiers::public_url`](crate::Verifiers::public_url)).
///
/// ```
/// use hookverify::{RequestContext, Scheme, Verifier};
///
/// // Square's Python SDK test vector: HMAC-SHA256 of the notification URL and the body.
/// let body = r#"{"data":{"type":"webhooks","id":">id<"}}"#;
/// let headers = [("x-square-hmacsha256-signature", "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=")];
/// let verifier = Verifier::builder(Scheme::square()).secret("signature-key").min_secret_len(8).build()?;
///
/// let request = RequestContext::new(&headers).url("https://webhook.site/webhooks");
/// assert!(verifier.verify(&request, body.as_bytes()).is_ok());
///
/// // The same request addressed to another URL does not verify.
/// let elsewhere = RequestContext::new(&headers).url("https://webhook.site/other");
/// assert!(verifier.verify(&elsewhere, body.as_bytes()).is_err());
/// # Ok::<(), hookverify::BuildError>(())
/// ```
#[derive(Clone, Copy)]
pub struct RequestContext<'a, H: ?Sized> {
    headers: &'a H,
    method: Option<&'a str>,
    url: Option<&'a str>,
}

impl<H: ?Sized> fmt::Debug for RequestContext<'_, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("method", &self.method)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl<'a, H: Headers + ?Sized> RequestContext<'a, H> {
    /// The headers alone; add the method and URL with [`method`](Self::method) and
    /// [`url`](Self::url).
    pub fn new(headers: &'a H) -> Self {
        RequestContext {
            headers,
            method: None,
            url: None,
        }
    }

    /// The HTTP method, as sent (`POST`).
    #[must_use]
    pub fn method(mut self, method: &'a str) -> Self {
        self.method = Some(method);
        self
    }

    /// The full URL the sender addressed: scheme, host, port when not the default, path and
    /// query (`https://example.com/hooks/twilio?account=1`). Behind a proxy or a tunnel this is
    /// the public URL, not the one the server sees.
    #[must_use]
    pub fn url(mut self, url: &'a str) -> Self {
        self.url = Some(url);
        self
    }

    fn pseudo(&self, name: &str) -> Option<HeaderLookup<'a>> {
        let value = match name {
            METHOD => self.method,
            URL => self.url,
            _ => return None,
        };
        Some(value.map_or(HeaderLookup::Missing, |v| HeaderLookup::One(v.as_bytes())))
    }
}

impl<H: Headers + ?Sized> Headers for RequestContext<'_, H> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        match self.pseudo(name) {
            Some(found) => found,
            None => self.headers.lookup(name),
        }
    }

    fn lookup_key(&self, key: &HeaderKey) -> HeaderLookup<'_> {
        match self.pseudo(key.as_str()) {
            Some(found) => found,
            None => self.headers.lookup_key(key),
        }
    }

    fn lookup_many<'s>(&'s self, keys: &[HeaderKey], out: &mut [HeaderLookup<'s>]) {
        self.headers.lookup_many(keys, out);
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            if let Some(found) = self.pseudo(key.as_str()) {
                *slot = found;
            }
        }
    }
}

/// The URL with the percent-escapes of `: / ? @ ! $ ' ( ) * , ;` decoded (either case), as
/// HubSpot decodes the URI before computing a v3 signature; every other byte as it is.
/// Borrowed when there is nothing to decode. (No decoded character is `%` or a hex digit, so
/// one pass decodes what HubSpot's escape-by-escape replacements do.)
pub(crate) fn decode_reserved_escapes(url: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const RESERVED: &[u8] = b":/?@!$'()*,;";
    let decoded_at = |rest: &[u8]| match rest {
        [b'%', high, low, ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
            let byte = hex_value(*high).wrapping_shl(4) | hex_value(*low);
            RESERVED.contains(&byte).then_some(byte)
        }
        _ => None,
    };
    if !url.windows(3).any(|window| decoded_at(window).is_some()) {
        return std::borrow::Cow::Borrowed(url);
    }
    let mut out = Vec::with_capacity(url.len());
    let mut rest = url;
    while let Some((&byte, tail)) = rest.split_first() {
        match decoded_at(rest) {
            Some(decoded) => {
                out.push(decoded);
                rest = tail.get(2..).unwrap_or_default();
            }
            None => {
                out.push(byte);
                rest = tail;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A `name=value` piece of a form or query split at its first `=` (no `=`: an empty value).
pub(crate) fn split_pair(piece: &[u8]) -> (&[u8], &[u8]) {
    match piece.iter().position(|&b| b == b'=') {
        Some(at) => {
            let (name, value) = piece.split_at(at);
            (name, value.get(1..).unwrap_or_default())
        }
        None => (piece, &[]),
    }
}

/// The value of query parameter `name` in `url` (compared as written, not decoded): `Ok(None)`
/// when absent, `Err(())` when it appears more than once.
pub(crate) fn query_param<'u>(url: &'u [u8], name: &str) -> Result<Option<&'u [u8]>, ()> {
    let Some(at) = url.iter().position(|&b| b == b'?') else {
        return Ok(None);
    };
    let query = url.get(at.saturating_add(1)..).unwrap_or_default();
    // A fragment is not part of the query.
    let query = query.split(|&b| b == b'#').next().unwrap_or_default();
    let mut found = None;
    for pair in query.split(|&b| b == b'&') {
        let (key, value) = split_pair(pair);
        if key == name.as_bytes() {
            if found.is_some() {
                return Err(());
            }
            found = Some(value);
        }
    }
    Ok(found)
}

/// The other spelling of `url`'s port, as Twilio's SDKs try it: with the port removed when the
/// URL has one (whatever its number), else with the scheme's default port added (`:443` for
/// `https`, `:80` for `http`). `None` when the URL has no `scheme://authority` or another
/// scheme, or an empty or non-numeric port. The path, query and any user info are kept as they
/// are. Only built after the URL as given has failed to verify.
pub(crate) fn url_port_variant(url: &[u8]) -> Option<Vec<u8>> {
    let scheme_end = url.windows(3).position(|w| w == b"://")?;
    let scheme = url.get(..scheme_end)?;
    let authority_start = scheme_end.checked_add(3)?;
    let rest = url.get(authority_start..)?;
    let authority_len = rest
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = rest.get(..authority_len)?;
    let tail = rest.get(authority_len..)?;
    // The host and port follow any user info; an IPv6 host is bracketed.
    let host_start = authority
        .iter()
        .rposition(|&b| b == b'@')
        .map_or(0, |at| at.saturating_add(1));
    let host_port = authority.get(host_start..)?;
    let search_from = host_port
        .iter()
        .rposition(|&b| b == b']')
        .map_or(0, |at| at.saturating_add(1));
    let colon = host_port
        .get(search_from..)?
        .iter()
        .position(|&b| b == b':')
        .map(|at| at.saturating_add(search_from));
    let mut out = Vec::with_capacity(url.len().saturating_add(4));
    out.extend_from_slice(url.get(..authority_start)?);
    match colon {
        Some(colon) => {
            let port = host_port.get(colon.saturating_add(1)..)?;
            if port.is_empty() || !port.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let without = host_start.checked_add(colon)?;
            out.extend_from_slice(authority.get(..without)?);
        }
        None => {
            let default: &[u8] = if scheme.eq_ignore_ascii_case(b"https") {
                b":443"
            } else if scheme.eq_ignore_ascii_case(b"http") {
                b":80"
            } else {
                return None;
            };
            out.extend_from_slice(authority);
            out.extend_from_slice(default);
        }
    }
    out.extend_from_slice(tail);
    Some(out)
}

/// The most form fields a signed form body may have: Twilio sends a few dozen.
pub(crate) const MAX_FORM_FIELDS: usize = 1024;

/// Why a form body has no canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FormError {
    /// More than [`MAX_FORM_FIELDS`] fields.
    TooManyFields,
    /// A name or value does not decode to UTF-8 text. Refused rather than replaced: two
    /// different bodies must never share a canonical form.
    NotUtf8,
}

/// The decoded bytes of one `application/x-www-form-urlencoded` name or value: `+` is a
/// space, `%XX` a byte; a `%` not followed by two hex digits stays as it is (as browsers and
/// Twilio's SDKs decode). Decoded on the fly: nothing is copied.
#[derive(Clone)]
struct Decoded<'a> {
    rest: &'a [u8],
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let (&byte, tail) = self.rest.split_first()?;
        self.rest = tail;
        Some(match byte {
            b'+' => b' ',
            b'%' => match tail {
                [high, low, after @ ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                    self.rest = after;
                    hex_value(*high).wrapping_shl(4) | hex_value(*low)
                }
                _ => b'%',
            },
            other => other,
        })
    }
}

/// Whether `part` decodes to itself (no `+`, no `%`): then it is fed and checked as it is.
fn plain(part: &[u8]) -> bool {
    !part.iter().any(|&b| b == b'+' || b == b'%')
}

/// Feeds the decoded bytes of `part` to `update` in chunks of a small stack buffer.
fn feed_decoded(part: &[u8], update: &mut impl FnMut(&[u8])) {
    if plain(part) {
        update(part);
        return;
    }
    let mut buffer = [0_u8; 128];
    let mut len = 0_usize;
    for byte in (Decoded { rest: part }) {
        if let Some(slot) = buffer.get_mut(len) {
            *slot = byte;
            len = len.saturating_add(1);
        } else {
            update(&buffer);
            if let Some(first) = buffer.first_mut() {
                *first = byte;
            }
            len = 1;
        }
    }
    update(buffer.get(..len).unwrap_or_default());
}

/// The decoded text of one form name or value, borrowed when it needs no decoding; `None`
/// when it does not decode to UTF-8.
pub(crate) fn decode_form_text(part: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    if plain(part) {
        return std::str::from_utf8(part)
            .ok()
            .map(std::borrow::Cow::Borrowed);
    }
    String::from_utf8((Decoded { rest: part }).collect())
        .ok()
        .map(std::borrow::Cow::Owned)
}

/// Whether `part` decodes to UTF-8 text, checked chunk by chunk (a sequence cut by a chunk's
/// end is carried over).
fn decodes_to_utf8(part: &[u8]) -> bool {
    if plain(part) {
        return std::str::from_utf8(part).is_ok();
    }
    let mut buffer = [0_u8; 128];
    let mut len = 0_usize;
    for byte in (Decoded { rest: part }) {
        if len == buffer.len() {
            let filled = buffer.get(..len).unwrap_or_default();
            match std::str::from_utf8(filled) {
                Ok(_) => len = 0,
                // An incomplete sequence at the end (at most 3 bytes): keep it for the next chunk.
                Err(err) if err.error_len().is_none() => {
                    let from = err.valid_up_to();
                    buffer.copy_within(from.., 0);
                    len = len.saturating_sub(from);
                }
                Err(_) => return false,
            }
        }
        if let Some(slot) = buffer.get_mut(len) {
            *slot = byte;
            len = len.saturating_add(1);
        }
    }
    std::str::from_utf8(buffer.get(..len).unwrap_or_default()).is_ok()
}

/// The fields of a form body in Twilio's canonical order: sorted by decoded name, then decoded
/// value, identical pairs once. It borrows the body: the decoded text is never stored, only
/// streamed into the MAC ([`FormFields::feed`]); the one allocation is the list of field
/// positions, bounded by [`MAX_FORM_FIELDS`] whatever the body's size.
pub(crate) struct FormFields<'a> {
    pairs: Vec<(&'a [u8], &'a [u8])>,
}

impl<'a> FormFields<'a> {
    /// Splits, checks and sorts the fields of `body`. Empty pieces between `&`s are skipped.
    pub(crate) fn parse(body: &'a [u8]) -> Result<Self, FormError> {
        let mut pairs: Vec<(&'a [u8], &'a [u8])> = Vec::new();
        for piece in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            if pairs.len() >= MAX_FORM_FIELDS {
                return Err(FormError::TooManyFields);
            }
            let (name, value) = split_pair(piece);
            if !decodes_to_utf8(name) || !decodes_to_utf8(value) {
                return Err(FormError::NotUtf8);
            }
            pairs.push((name, value));
        }
        // UTF-8's byte order is the code point order: the order of the decoded texts.
        let decoded = |part: &'a [u8]| Decoded { rest: part };
        let order = |a: &(&'a [u8], &'a [u8]), b: &(&'a [u8], &'a [u8])| {
            decoded(a.0)
                .cmp(decoded(b.0))
                .then_with(|| decoded(a.1).cmp(decoded(b.1)))
        };
        pairs.sort_unstable_by(order);
        pairs.dedup_by(|a, b| order(a, b).is_eq());
        Ok(FormFields { pairs })
    }

    /// Feeds the canonical form to `update`: each decoded name, then its decoded value.
    pub(crate) fn feed(&self, update: &mut impl FnMut(&[u8])) {
        for (name, value) in &self.pairs {
            feed_decoded(name, update);
            feed_decoded(value, update);
        }
    }
}

/// The value of each byte as a hex digit, or `0xFF`.
const HEX_VALUES: [u8; 256] = {
    let mut table = [0xFF_u8; 256];
    let mut byte = 0_usize;
    #[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)] // const: `byte` < 256
    while byte < 256 {
        table[byte] = match byte as u8 {
            digit @ b'0'..=b'9' => digit - b'0',
            letter @ b'a'..=b'f' => letter - b'a' + 10,
            letter @ b'A'..=b'F' => letter - b'A' + 10,
            _ => 0xFF,
        };
        byte += 1;
    }
    table
};

/// The value of hex digit `digit` (either case), `0xFF` for any other byte: one table lookup.
pub(crate) fn hex_value(digit: u8) -> u8 {
    HEX_VALUES.get(usize::from(digit)).copied().unwrap_or(0xFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The canonical form as one buffer (the verifier streams it instead).
    fn canonical_form(body: &[u8]) -> Result<Vec<u8>, FormError> {
        let fields = FormFields::parse(body)?;
        let mut out = Vec::new();
        fields.feed(&mut |chunk: &[u8]| out.extend_from_slice(chunk));
        Ok(out)
    }

    #[test]
    fn canonical_form_sorts_decodes_and_dedups() {
        let body = b"To=%2B18005551212&Digits=5678&Digits=1234&A=x+y&A=x+y";
        assert_eq!(
            canonical_form(body).as_deref(),
            Ok(&b"Ax yDigits1234Digits5678To+18005551212"[..])
        );
        assert_eq!(canonical_form(b"").as_deref(), Ok(&b""[..]));
        assert_eq!(
            canonical_form(b"a=100%&b&&c=%4").as_deref(),
            Ok(&b"a100%bc%4"[..])
        );
        assert_eq!(canonical_form(b"a=%FF"), Err(FormError::NotUtf8));
        assert_eq!(canonical_form(b"a=\xff"), Err(FormError::NotUtf8));
        // Longer than the decoding buffer, with a multi-byte character across its edge.
        let long = format!("a={}%C3%A9{}", "x".repeat(127), "%41".repeat(300));
        let expected = format!("a{}é{}", "x".repeat(127), "A".repeat(300));
        assert_eq!(canonical_form(long.as_bytes()), Ok(expected.into_bytes()));
        let cut = format!("a={}%C3", "%41".repeat(127));
        assert_eq!(canonical_form(cut.as_bytes()), Err(FormError::NotUtf8));
        let many = "a=1&".repeat(MAX_FORM_FIELDS + 1);
        assert_eq!(
            canonical_form(many.as_bytes()),
            Err(FormError::TooManyFields)
        );
    }

    #[test]
    fn reserved_escapes_are_decoded_as_hubspot_does() {
        let decoded = |url: &str| {
            String::from_utf8(decode_reserved_escapes(url.as_bytes()).into_owned()).unwrap()
        };
        assert_eq!(
            decoded(
                "https://example.com/hook?next=https%3A%2F%2Fa.example%2Fb%3fc%3Dd&e=%40%21%24%27%28%29%2a%2C%3B"
            ),
            "https://example.com/hook?next=https://a.example/b?c%3Dd&e=@!$'()*,;"
        );
        // Not reserved, not an escape, or cut short: as they are.
        assert_eq!(decoded("/a%20b%25%3Gc%3"), "/a%20b%25%3Gc%3");
        assert!(matches!(
            decode_reserved_escapes(b"/plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn url_port_variants_remove_a_port_or_add_the_default_one() {
        let variant = |url: &str| url_port_variant(url.as_bytes()).map(String::from_utf8);
        let cases = [
            // Twilio's SDK tests: a port (any number) removed, the default one added.
            (
                "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
                Some("https://mycompany.com/myapp.php?foo=1&bar=2"),
            ),
            (
                "https://mycompany.com/myapp.php?foo=1&bar=2",
                Some("https://mycompany.com:443/myapp.php?foo=1&bar=2"),
            ),
            (
                "http://mycompany.com/myapp.php",
                Some("http://mycompany.com:80/myapp.php"),
            ),
            ("HTTPS://a.example?x=1", Some("HTTPS://a.example:443?x=1")),
            ("https://a.example", Some("https://a.example:443")),
            ("https://a.example:443#f", Some("https://a.example#f")),
            // User info and IPv6 hosts keep their colons.
            (
                "https://user:pw@a.example/p",
                Some("https://user:pw@a.example:443/p"),
            ),
            (
                "https://user:pw@a.example:8443/p",
                Some("https://user:pw@a.example/p"),
            ),
            ("https://[::1]/p", Some("https://[::1]:443/p")),
            ("https://[::1]:8443/p", Some("https://[::1]/p")),
            // A colon in the path or query is not a port.
            (
                "https://a.example/p:1?q=a:b",
                Some("https://a.example:443/p:1?q=a:b"),
            ),
            // Nothing to vary.
            ("ftp://a.example/p", None),
            ("/relative/path", None),
            ("https://a.example:/p", None),
            ("https://a.example:44x3/p", None),
            ("", None),
        ];
        for (url, expected) in cases {
            assert_eq!(variant(url), expected.map(|e| Ok(e.to_owned())), "{url}");
        }
    }

    proptest::proptest! {
        /// Any bytes: no panic, and a variant keeps everything but the authority's port: the
        /// scheme separator and what follows the authority are unchanged, and for a URL with no
        /// port or the default one, varying twice gives the URL back.
        #[test]
        fn url_port_variants_change_only_the_port(
            host in "[a-z0-9.@:\\[\\]-]{0,12}",
            port in proptest::option::of("(443|80|8443|[0-9]{0,3}|x)"),
            tail in "[/?#][a-z0-9:/?#@&=.-]{0,12}|",
            https in proptest::bool::ANY,
            noise in proptest::collection::vec(proptest::num::u8::ANY, 0..24),
        ) {
            let _ = url_port_variant(&noise);
            let scheme = if https { "https" } else { "http" };
            let url = match &port {
                Some(port) => format!("{scheme}://{host}:{port}{tail}"),
                None => format!("{scheme}://{host}{tail}"),
            };
            if let Some(variant) = url_port_variant(url.as_bytes()) {
                let variant = String::from_utf8(variant).unwrap_or_default();
                let prefix = format!("{scheme}://");
                proptest::prop_assert!(variant.starts_with(&prefix));
                proptest::prop_assert!(variant.ends_with(&tail));
                let default = if https { "443" } else { "80" };
                let plain_host = !host.contains([':', '@', '[', ']']);
                if plain_host && port.as_deref().is_none_or(|p| p == default) {
                    let back = url_port_variant(variant.as_bytes()).map(String::from_utf8);
                    proptest::prop_assert_eq!(back, Some(Ok(url.clone())));
                }
            }
        }
    }

    #[test]
    fn query_parameters_are_found_as_written() {
        let url = b"https://a.example/p?x=1&bodySHA256=ab&y=2#bodySHA256=cd";
        assert_eq!(query_param(url, "bodySHA256"), Ok(Some(&b"ab"[..])));
        assert_eq!(query_param(url, "z"), Ok(None));
        assert_eq!(query_param(b"https://a.example/p", "x"), Ok(None));
        assert_eq!(query_param(b"/p?x=1&x=2", "x"), Err(()));
        assert_eq!(query_param(b"/p?x", "x"), Ok(Some(&b""[..])));
    }

    #[test]
    fn context_answers_pseudo_headers_only() {
        let headers = [("X-A", "1")];
        let context = RequestContext::new(&headers).method("POST");
        assert_eq!(context.lookup(":method"), HeaderLookup::One(b"POST"));
        assert_eq!(context.lookup(":url"), HeaderLookup::Missing);
        assert_eq!(context.lookup("x-a"), HeaderLookup::One(b"1"));
        let keys = [HeaderKey::new("x-a"), HeaderKey::from_pseudo(METHOD)];
        let mut out = [HeaderLookup::Missing; 2];
        context.lookup_many(&keys, &mut out);
        assert_eq!(out, [HeaderLookup::One(b"1"), HeaderLookup::One(b"POST")]);
    }
}
