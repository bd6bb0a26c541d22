//! [`HeaderNames`]: the header names of one naming convention.

use super::{HeaderName, HeaderSet, SchemeError};

/// The header names of one naming convention: a signature header, and optionally an id, a
/// timestamp, a delivery id and an event type header.
///
/// A scheme has one set, or several when the sender uses more than one convention (Standard
/// Webhooks accepts `webhook-*` and `svix-*`); a request must use one set whole, never a mix.
///
/// ```
/// use hookverify::{HeaderNames, Scheme};
///
/// let svix = HeaderNames::new("svix-signature").id("svix-id").timestamp("svix-timestamp");
/// let scheme = Scheme::custom("my-svix")
///     .header_names(HeaderNames::new("webhook-signature").id("webhook-id").timestamp("webhook-timestamp"))
///     .alternate_header_names(svix)
///     .versioned_list("v1")
///     .base64()
///     .build()?;
/// assert_eq!(scheme.name(), "my-svix");
/// # Ok::<(), hookverify::SchemeError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct HeaderNames {
    signature: Option<String>,
    id: Option<String>,
    timestamp: Option<String>,
    delivery_id: Option<(String, bool)>,
    event_type: Option<String>,
    second_signature: Option<String>,
}

impl HeaderNames {
    /// A set whose signature is in the header `signature`.
    pub fn new(signature: impl Into<String>) -> Self {
        HeaderNames {
            signature: Some(signature.into()),
            ..HeaderNames::default()
        }
    }

    /// Replaces the signature header's name.
    pub(super) fn signature(mut self, name: impl Into<String>) -> Self {
        self.signature = Some(name.into());
        self
    }

    /// The header holding the message id (signed when the content includes
    /// [`SignedPart::Id`](crate::SignedPart::Id)); it is also the delivery id unless another is named.
    pub fn id(mut self, name: impl Into<String>) -> Self {
        self.id = Some(name.into());
        self
    }

    /// The header holding the timestamp.
    pub fn timestamp(mut self, name: impl Into<String>) -> Self {
        self.timestamp = Some(name.into());
        self
    }

    /// A header holding a per-delivery id, required on every request, when it differs from
    /// the id header (or when the scheme has no id header).
    pub fn delivery_id(mut self, name: impl Into<String>) -> Self {
        self.delivery_id = Some((name.into(), true));
        self
    }

    /// Like [`delivery_id`](Self::delivery_id), but a request without it still verifies.
    pub fn optional_delivery_id(mut self, name: impl Into<String>) -> Self {
        self.delivery_id = Some((name.into(), false));
        self
    }

    /// A second signature header, tried when the first matches no key: Box sends a signature
    /// by its primary key in `BOX-SIGNATURE-PRIMARY` and one by its secondary key in
    /// `BOX-SIGNATURE-SECONDARY`, so either key may be rotated. Every configured key is tried
    /// against both (a match of any key on the signed bytes is as authentic as Box's pairing);
    /// a request may lack the second header.
    pub fn second_signature(mut self, name: impl Into<String>) -> Self {
        self.second_signature = Some(name.into());
        self
    }

    /// The header holding the event type.
    pub fn event_type(mut self, name: impl Into<String>) -> Self {
        self.event_type = Some(name.into());
        self
    }

    pub(super) fn build(&self) -> Result<HeaderSet, SchemeError> {
        let optional = |name: &Option<String>| name.as_deref().map(HeaderName::parse).transpose();
        let signature = HeaderName::parse(
            self.signature
                .as_deref()
                .ok_or(SchemeError::MissingSignatureHeader)?,
        )?;
        let signed_id = optional(&self.id)?;
        let delivery_id = match &self.delivery_id {
            Some((name, required)) => Some((HeaderName::parse(name)?, *required)),
            None => signed_id.clone().map(|name| (name, true)),
        };
        Ok(HeaderSet {
            signature,
            signed_id,
            timestamp: optional(&self.timestamp)?,
            delivery_id,
            event_type: optional(&self.event_type)?,
            second_signature: optional(&self.second_signature)?,
        })
    }
}
