//! The signed message: which bytes a scheme signs, in order, and the MAC over them.
//!
//! The one definition both sides use: the [verifier](crate::Verifier) feeds a request's parts
//! to the MAC, the [signer](crate::sign::Signer) feeds a test message's, and neither builds a
//! joined copy of the body.

use arrayvec::ArrayVec;
use hmac::{Hmac, KeyInit as _};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use crate::request::FormFields;
use crate::scheme::{HmacAlgorithm, MAX_PARTS, SignedPart};

/// The longest tag of the supported HMACs (HMAC-SHA512's 64 bytes).
pub(crate) const MAX_MAC_LEN: usize = 64;

/// A MAC tag in a fixed buffer: the first `len` bytes are the tag, the rest are zero, so two
/// tags of one algorithm compare as whole buffers.
#[derive(Clone, Copy)]
pub(crate) struct Tag {
    bytes: [u8; MAX_MAC_LEN],
    len: usize,
}

impl Tag {
    pub(crate) const ZERO: Tag = Tag {
        bytes: [0; MAX_MAC_LEN],
        len: 0,
    };

    /// A zeroed tag of `len` bytes to decode into.
    pub(crate) fn zeroed(len: usize) -> Tag {
        Tag {
            bytes: [0; MAX_MAC_LEN],
            len: len.min(MAX_MAC_LEN),
        }
    }

    fn from_slice(tag: &[u8]) -> Tag {
        let mut out = Tag::zeroed(tag.len());
        if let Some(slot) = out.bytes.get_mut(..out.len) {
            slot.copy_from_slice(tag.get(..slot.len()).unwrap_or_default());
        }
        out
    }

    /// The tag's bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    /// The tag's bytes, to decode into.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        self.bytes.get_mut(..self.len).unwrap_or_default()
    }

    /// The whole buffer (tag and zero padding).
    pub(crate) fn buffer(&self) -> &[u8; MAX_MAC_LEN] {
        &self.bytes
    }
}

/// A pre-keyed HMAC state of the scheme's algorithm, cloned per message (never re-keyed).
#[derive(Clone)]
pub(crate) enum HmacKey {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
    /// A SHA-256 state that has absorbed the secret (HubSpot v1/v2).
    PrefixedSha256(Sha256),
}

impl HmacKey {
    /// Keys `algorithm` with `key`; `None` only for an empty key.
    pub(crate) fn new(algorithm: HmacAlgorithm, key: &[u8]) -> Option<HmacKey> {
        if key.is_empty() {
            return None;
        }
        Some(match algorithm {
            HmacAlgorithm::Sha1 => HmacKey::Sha1(Hmac::new_from_slice(key).ok()?),
            HmacAlgorithm::Sha256 => HmacKey::Sha256(Hmac::new_from_slice(key).ok()?),
            HmacAlgorithm::Sha512 => HmacKey::Sha512(Hmac::new_from_slice(key).ok()?),
            HmacAlgorithm::PrefixedSha256 => {
                use sha2::Digest as _;
                let mut state = Sha256::new();
                state.update(key);
                HmacKey::PrefixedSha256(state)
            }
        })
    }
}

/// The signed parts of one message, in the scheme's order, borrowed from the request: the
/// scheme's content and the request's values, resolved part by part as they are fed (nothing
/// laid out in advance).
pub(crate) struct SignedMessage<'a> {
    content: &'a [SignedPart],
    fields: Fields<'a>,
}

/// The values a message's parts are taken from, borrowed from the request.
#[derive(Clone, Copy, Default)]
pub(crate) struct Fields<'a> {
    pub(crate) id: &'a [u8],
    /// Raw bytes, as sent.
    pub(crate) timestamp: &'a [u8],
    pub(crate) body: &'a [u8],
    pub(crate) method: &'a [u8],
    pub(crate) url: &'a [u8],
    /// The form fields, when signed.
    pub(crate) form: Option<&'a FormFields<'a>>,
    /// The text of each [`SignedPart::Field`], in content order (absent ones empty).
    pub(crate) named: &'a [&'a [u8]],
}

impl<'a> SignedMessage<'a> {
    /// The message `content` describes, with the request's values.
    pub(crate) fn new(content: &'a [SignedPart], fields: Fields<'a>) -> Self {
        SignedMessage { content, fields }
    }

    /// Each part in order (at most [`MAX_PARTS`]) with its value; the form fields' part has
    /// an empty value (they are streamed by [`feed`](Self::feed)).
    fn each(&self, mut visit: impl FnMut(&SignedPart, &'a [u8])) {
        let fields = &self.fields;
        let mut named = fields.named.iter();
        for part in self.content.iter().take(MAX_PARTS) {
            let value = match part {
                SignedPart::Id => fields.id,
                SignedPart::Timestamp => fields.timestamp,
                SignedPart::Body => fields.body,
                SignedPart::Method => fields.method,
                SignedPart::Url => fields.url,
                SignedPart::FormParams => &[],
                SignedPart::Field(_) => named.next().copied().unwrap_or_default(),
                SignedPart::Literal(bytes) => bytes,
            };
            visit(part, value);
        }
    }

    /// The parts in order, for signatures that take them as slices (ed25519). A scheme that
    /// signs form fields has none of those: the builder refuses the combination.
    pub(crate) fn parts(&self) -> ArrayVec<&'a [u8], MAX_PARTS> {
        let mut parts = ArrayVec::new();
        // At most MAX_PARTS parts (`each` takes no more): never full here.
        self.each(|_, value| {
            let _ = parts.try_push(value);
        });
        parts
    }

    /// Feeds the message to `update`, part by part, the form fields streamed in their place.
    fn feed(&self, mut update: impl FnMut(&[u8])) {
        let form = self.fields.form;
        self.each(|part, value| match (part, form) {
            (SignedPart::FormParams, Some(fields)) => fields.feed(&mut update),
            _ => update(value),
        });
    }

    /// The MAC of the message under a pre-keyed state (the state is cloned, not re-keyed).
    pub(crate) fn mac(&self, keyed: &HmacKey) -> Tag {
        fn run<M: hmac::Mac + Clone>(keyed: &M, message: &SignedMessage<'_>) -> Tag {
            let mut state = keyed.clone();
            message.feed(|bytes| state.update(bytes));
            Tag::from_slice(&state.finalize().into_bytes())
        }
        match keyed {
            HmacKey::Sha1(state) => run(state, self),
            HmacKey::Sha256(state) => run(state, self),
            HmacKey::Sha512(state) => run(state, self),
            HmacKey::PrefixedSha256(state) => {
                use sha2::Digest as _;
                let mut state = state.clone();
                self.feed(|bytes| state.update(bytes));
                Tag::from_slice(&state.finalize())
            }
        }
    }
}
