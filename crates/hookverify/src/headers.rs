//! Read-only header lookup, independent of any HTTP library.

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
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        HeaderLookup::from_values(
            self.iter()
                .filter(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_ref()),
        )
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        (**self).lookup(name)
    }
}

#[cfg(feature = "http")]
impl Headers for http::HeaderMap {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        HeaderLookup::from_values(self.get_all(name).iter().map(http::HeaderValue::as_bytes))
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
