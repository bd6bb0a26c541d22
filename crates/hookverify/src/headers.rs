//! Read-only header lookup, independent of any HTTP library.

use std::borrow::Cow;

/// The result of looking up one header by name.
///
/// A header that appears more than once is reported as [`HeaderLookup::Repeated`] rather than
/// silently picking one of the values: for signature, id and timestamp headers an ambiguous request
/// is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderLookup<'a> {
    /// The header is absent.
    Missing,
    /// The header appears exactly once, with this raw value.
    One(&'a [u8]),
    /// The header appears more than once.
    Repeated,
}

impl<'a> HeaderLookup<'a> {
    /// Builds a lookup result from every value a map holds for one name.
    ///
    /// Only the first two values are inspected, so this is cheap whatever the map holds.
    pub fn from_values<I>(values: I) -> Self
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        let mut values = values.into_iter();
        match (values.next(), values.next()) {
            (None, _) => HeaderLookup::Missing,
            (Some(value), None) => HeaderLookup::One(value),
            (Some(_), Some(_)) => HeaderLookup::Repeated,
        }
    }

    /// Returns `true` unless the header is absent.
    pub fn is_present(&self) -> bool {
        !matches!(self, HeaderLookup::Missing)
    }
}

/// A read-only, case-insensitive view of request headers.
///
/// hookverify never needs more than this from an HTTP library, so the core does not depend on
/// one. Implementations exist for slices, arrays and vectors of `(name, value)` pairs, for
/// [`http::HeaderMap`] (feature `http`) and, in `hookverify-actix-web`, for actix-web's map.
///
/// ```
/// use hookverify::{HeaderLookup, Headers};
///
/// let headers = [("Webhook-Id", "msg_1"), ("webhook-timestamp", "1700000000")];
/// assert_eq!(headers.lookup("webhook-id"), HeaderLookup::One(b"msg_1"));
/// assert_eq!(headers.lookup("webhook-signature"), HeaderLookup::Missing);
/// ```
pub trait Headers {
    /// Looks up the header `name`, comparing names ASCII case-insensitively.
    ///
    /// hookverify always passes `name` in lowercase, which lets implementations backed by a map
    /// with normalised names (such as `http::HeaderMap`) look it up directly.
    fn lookup(&self, name: &str) -> HeaderLookup<'_>;

    /// Looks up a name prepared once at start-up. The default calls [`Headers::lookup`] with the
    /// key's lowercase name; implementations that can use a pre-parsed name override it (the
    /// `http::HeaderMap` impl skips re-parsing the name on every request).
    fn lookup_key(&self, key: &HeaderKey) -> HeaderLookup<'_> {
        self.lookup(key.as_str())
    }

    /// Looks up several keys at once, writing the result for `keys[i]` to `out[i]` (extra
    /// slots on either side are left alone). The default looks each key up in turn; a map that
    /// can answer all of them in one pass over its entries overrides it.
    fn lookup_many<'a>(&'a self, keys: &[HeaderKey], out: &mut [HeaderLookup<'a>]) {
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            *slot = self.lookup_key(key);
        }
    }
}

/// One pass over `(name, value)` pairs answering every key: cheaper than hashing each name
/// when a request has the usual dozen headers.
///
/// `lowercase_names` tells that the pairs' names are already lowercase (as in `http::HeaderMap`),
/// so an exact comparison suffices.
fn scan_pairs<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a [u8])>,
    keys: &[HeaderKey],
    out: &mut [HeaderLookup<'a>],
    lowercase_names: bool,
) {
    for slot in out.iter_mut() {
        *slot = HeaderLookup::Missing;
    }
    // The lengths of the keys' names as bits (63 and longer share the top bit): a header
    // whose name has none of them (most of a request's headers: content-type, user-agent, the
    // proxy's x-forwarded-*) costs one test instead of one per key.
    let length_bit = |len: usize| 1_u64.wrapping_shl(u32::try_from(len.min(63)).unwrap_or(63));
    let lengths = keys
        .iter()
        .fold(0_u64, |bits, key| bits | length_bit(key.as_str().len()));
    for (name, value) in pairs {
        if lengths & length_bit(name.len()) == 0 {
            continue;
        }
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            let key = key.as_str();
            let same = key.len() == name.len()
                && if lowercase_names {
                    key == name
                } else {
                    key.eq_ignore_ascii_case(name)
                };
            if same {
                *slot = match slot {
                    HeaderLookup::Missing => HeaderLookup::One(value),
                    _ => HeaderLookup::Repeated,
                };
            }
        }
    }
}

/// Above this many entries, a map is searched key by key (by hash) instead of scanned.
#[cfg(feature = "http")]
const SCAN_LIMIT: usize = 32;

/// A header name prepared once for repeated lookups: its lowercase form and, with the `http`
/// feature, a pre-parsed [`http::HeaderName`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderKey {
    lower: Cow<'static, str>,
    #[cfg(feature = "http")]
    http: Option<http::HeaderName>,
}

impl HeaderKey {
    /// A key for a static lowercase name.
    ///
    /// Meant for constants: with the `http` feature the name is pre-parsed by
    /// `http::HeaderName::from_static`, which rejects (at compile time, in a `const`) anything
    /// that is not a valid lowercase header name.
    pub const fn from_static(lower: &'static str) -> Self {
        HeaderKey {
            lower: Cow::Borrowed(lower),
            #[cfg(feature = "http")]
            http: Some(http::HeaderName::from_static(lower)),
        }
    }

    /// A key for a pseudo-header (`:url`), which no HTTP header map holds: only a
    /// [`RequestContext`](crate::RequestContext) answers it.
    pub(crate) const fn from_pseudo(name: &'static str) -> Self {
        HeaderKey {
            lower: Cow::Borrowed(name),
            #[cfg(feature = "http")]
            http: None,
        }
    }

    /// A key for a field of a body that carries its signature (`:body:token`), answered only
    /// by the verifier's view of that body; kept as written (JSON names are case-sensitive).
    pub(crate) fn from_body_field(field: &str) -> Self {
        HeaderKey {
            lower: Cow::Owned(format!("{}{field}", crate::embedded::PREFIX)),
            #[cfg(feature = "http")]
            http: None,
        }
    }

    /// A key for any name; it is lowercased here.
    pub fn new(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        HeaderKey {
            #[cfg(feature = "http")]
            http: http::HeaderName::from_bytes(lower.as_bytes()).ok(),
            lower: Cow::Owned(lower),
        }
    }

    /// The lowercase name.
    pub fn as_str(&self) -> &str {
        &self.lower
    }

    /// The pre-parsed `http` header name, when the name is valid for `http`.
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn http_name(&self) -> Option<&http::HeaderName> {
        self.http.as_ref()
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        HeaderLookup::from_values(
            self.iter()
                .filter(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_ref()),
        )
    }

    fn lookup_many<'a>(&'a self, keys: &[HeaderKey], out: &mut [HeaderLookup<'a>]) {
        scan_pairs(
            self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
            keys,
            out,
            false,
        );
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }

    fn lookup_many<'a>(&'a self, keys: &[HeaderKey], out: &mut [HeaderLookup<'a>]) {
        self.as_slice().lookup_many(keys, out);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }

    fn lookup_many<'a>(&'a self, keys: &[HeaderKey], out: &mut [HeaderLookup<'a>]) {
        self.as_slice().lookup_many(keys, out);
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        (**self).lookup(name)
    }

    fn lookup_key(&self, key: &HeaderKey) -> HeaderLookup<'_> {
        (**self).lookup_key(key)
    }

    fn lookup_many<'a>(&'a self, keys: &[HeaderKey], out: &mut [HeaderLookup<'a>]) {
        (**self).lookup_many(keys, out);
    }
}

#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
impl Headers for http::HeaderMap {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        HeaderLookup::from_values(self.get_all(name).iter().map(http::HeaderValue::as_bytes))
    }

    fn lookup_key(&self, key: &HeaderKey) -> HeaderLookup<'_> {
        match key.http_name() {
            Some(name) => HeaderLookup::from_values(
                self.get_all(name).iter().map(http::HeaderValue::as_bytes),
            ),
            None => self.lookup(key.as_str()),
        }
    }

    fn lookup_many<'a>(&'a self, keys: &[HeaderKey], out: &mut [HeaderLookup<'a>]) {
        if self.len() > SCAN_LIMIT {
            for (key, slot) in keys.iter().zip(out.iter_mut()) {
                *slot = self.lookup_key(key);
            }
        } else {
            scan_pairs(
                self.iter().map(|(k, v)| (k.as_str(), v.as_bytes())),
                keys,
                out,
                true,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_lookup_is_case_insensitive_and_reports_repeats() {
        let headers = vec![
            ("X-A".to_owned(), "1".to_owned()),
            ("x-b".to_owned(), "2".to_owned()),
            ("X-B".to_owned(), "3".to_owned()),
        ];
        assert_eq!(headers.lookup("x-a"), HeaderLookup::One(b"1"));
        assert_eq!(headers.lookup("x-b"), HeaderLookup::Repeated);
        assert_eq!(headers.lookup("x-c"), HeaderLookup::Missing);
    }

    #[cfg(feature = "http")]
    #[test]
    fn header_map_lookup() {
        let mut map = http::HeaderMap::new();
        map.insert("webhook-id", http::HeaderValue::from_static("msg"));
        map.append("x-twice", http::HeaderValue::from_static("a"));
        map.append("x-twice", http::HeaderValue::from_static("b"));
        assert_eq!(map.lookup("webhook-id"), HeaderLookup::One(b"msg"));
        assert_eq!(map.lookup("x-twice"), HeaderLookup::Repeated);
        assert_eq!(map.lookup("absent"), HeaderLookup::Missing);
    }
}
