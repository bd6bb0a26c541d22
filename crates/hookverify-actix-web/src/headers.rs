//! actix-web's header map (http 0.2 types) as the core's [`Headers`].

use actix_web::http::header::HeaderMap;
use hookverify::{HeaderKey, HeaderLookup, Headers};

/// Borrows actix-web's `HeaderMap` as [`Headers`], so any hookverify verifier reads it directly.
///
/// ```
/// use actix_web::test::TestRequest;
/// use hookverify::{HeaderLookup, Headers};
/// use hookverify_actix_web::ActixHeaders;
///
/// let request = TestRequest::default().insert_header(("Webhook-Id", "msg_1")).to_http_request();
/// assert_eq!(ActixHeaders(request.headers()).lookup("webhook-id"), HeaderLookup::One(b"msg_1"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ActixHeaders<'a>(pub &'a HeaderMap);

impl Headers for ActixHeaders<'_> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        HeaderLookup::from_values(self.0.get_all(name).map(|value| value.as_bytes()))
    }

    fn lookup_many<'a>(&'a self, keys: &[HeaderKey], out: &mut [HeaderLookup<'a>]) {
        // One pass over the request's headers (names are already lowercase) instead of a hashed
        // lookup per name.
        for slot in out.iter_mut() {
            *slot = HeaderLookup::Missing;
        }
        for (name, value) in self.0.iter() {
            let name = name.as_str();
            for (key, slot) in keys.iter().zip(out.iter_mut()) {
                if key.as_str() == name {
                    *slot = match slot {
                        HeaderLookup::Missing => HeaderLookup::One(value.as_bytes()),
                        _ => HeaderLookup::Repeated,
                    };
                }
            }
        }
    }
}
