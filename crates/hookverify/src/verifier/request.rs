//! The request's headers: one lookup pass, and the choice of the one header set it uses.

use std::borrow::Cow;

use crate::error::VerifyError;
use crate::headers::HeaderLookup;
use crate::scheme::{HeaderName, HeaderSet, Name, SchemeSpec};

/// The header values of one request, for the set the request uses.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct CoreHeaders<'h> {
    pub(super) signature: Option<&'h [u8]>,
    pub(super) signed_id: Option<&'h [u8]>,
    pub(super) timestamp: Option<&'h [u8]>,
}

impl CoreHeaders<'_> {
    fn any(&self) -> bool {
        self.signature.is_some() || self.signed_id.is_some() || self.timestamp.is_some()
    }
}

pub(super) fn missing(name: &HeaderName) -> VerifyError {
    VerifyError::MissingHeader {
        name: name.display.clone(),
    }
}

/// The looked-up value of one header, refusing repeats and over-long values.
pub(super) fn read<'h>(
    looked: &[HeaderLookup<'h>],
    name: &HeaderName,
    max_len: usize,
) -> Result<Option<&'h [u8]>, VerifyError> {
    match looked
        .get(name.slot)
        .copied()
        .unwrap_or(HeaderLookup::Missing)
    {
        HeaderLookup::Missing => Ok(None),
        HeaderLookup::Repeated => Err(VerifyError::RepeatedHeader {
            name: name.display.clone(),
        }),
        HeaderLookup::One(value) if value.len() > max_len => Err(VerifyError::HeaderTooLong {
            name: name.display.clone(),
            len: value.len(),
            max: max_len,
        }),
        HeaderLookup::One(value) => Ok(Some(value)),
    }
}

fn read_core<'h>(
    headers: &[HeaderLookup<'h>],
    set: &HeaderSet,
    max_len: usize,
) -> Result<CoreHeaders<'h>, VerifyError> {
    let optional = |name: &Option<HeaderName>| match name {
        Some(name) => read(headers, name, max_len),
        None => Ok(None),
    };
    Ok(CoreHeaders {
        signature: read(headers, &set.signature, max_len)?,
        signed_id: optional(&set.signed_id)?,
        timestamp: optional(&set.timestamp)?,
    })
}

/// The name of a header of `set` that `core` found, for error messages.
fn present_name(set: &HeaderSet, core: &CoreHeaders<'_>) -> Name {
    if core.signature.is_some() {
        return set.signature.display.clone();
    }
    fn pick<'n>(name: &'n Option<HeaderName>, value: Option<&[u8]>) -> Option<&'n HeaderName> {
        name.as_ref().filter(|_| value.is_some())
    }
    pick(&set.signed_id, core.signed_id)
        .or_else(|| pick(&set.timestamp, core.timestamp))
        .map_or_else(|| set.signature.display.clone(), |n| n.display.clone())
}

/// Picks the one header set the request uses, never combining values of two sets.
///
/// The set is the first, in the scheme's order, whose signature header is present; its id and
/// timestamp are read from the same set and any other set is ignored, so values are never
/// combined. When the chosen set is incomplete and another set supplies the missing piece, the
/// request is reported as a mix. The happy path costs one lookup per header of the chosen set
/// (plus one per earlier set whose signature is absent).
pub(super) fn select_header_set<'s, 'h>(
    spec: &'s SchemeSpec,
    headers: &[HeaderLookup<'h>],
    max_len: usize,
) -> Result<(&'s HeaderSet, CoreHeaders<'h>), VerifyError> {
    let optional = |name: &Option<HeaderName>| match name {
        Some(name) => read(headers, name, max_len),
        None => Ok(None),
    };
    let mut found: Option<(&'s HeaderSet, CoreHeaders<'h>)> = None;
    for set in &spec.header_sets {
        if let Some(signature) = read(headers, &set.signature, max_len)? {
            let core = CoreHeaders {
                signature: Some(signature),
                signed_id: optional(&set.signed_id)?,
                timestamp: optional(&set.timestamp)?,
            };
            found = Some((set, core));
            break;
        }
    }
    let Some((set, core)) = found else {
        // No signature at all: name the signature header of whichever set the request uses.
        for set in &spec.header_sets {
            if read_core(headers, set, max_len)?.any() {
                return Err(missing(&set.signature));
            }
        }
        return Err(spec.primary_set().map_or_else(
            || VerifyError::MissingHeader {
                name: Cow::Borrowed("signature"),
            },
            |primary| missing(&primary.signature),
        ));
    };
    let incomplete = (set.signed_id.is_some() && core.signed_id.is_none())
        || (set.timestamp.is_some() && core.timestamp.is_none());
    if incomplete && spec.header_sets.len() > 1 {
        for other in spec
            .header_sets
            .iter()
            .filter(|other| !std::ptr::eq(*other, set))
        {
            let other_core = read_core(headers, other, max_len)?;
            if other_core.any() {
                return Err(VerifyError::MixedHeaderSets {
                    first: present_name(set, &core),
                    second: present_name(other, &other_core),
                });
            }
        }
    }
    Ok((set, core))
}

/// The headers of one request that verification reads, from the one set it uses.
pub(super) struct Request<'s, 'h> {
    /// The chosen header set.
    pub(super) set: &'s HeaderSet,
    /// The signature header's value.
    pub(super) signature: &'h [u8],
    /// The signed id, for schemes that sign one.
    pub(super) signed_id: Option<&'h [u8]>,
    /// The timestamp header's value, for schemes that carry it in its own header.
    pub(super) timestamp: Option<&'h [u8]>,
    /// The delivery id, when the scheme has one and it was sent.
    pub(super) delivery_id: Option<&'h [u8]>,
    /// The event type header and its value, when sent.
    pub(super) event_type: Option<(&'s HeaderName, &'h [u8])>,
    /// The second signature header and its value, when the scheme has one and it was sent.
    pub(super) second_signature: Option<(&'s HeaderName, &'h [u8])>,
}

/// Reads every header verification needs from `looked` (the one-pass lookup of `spec.keys`).
///
/// # Errors
///
/// A missing required header, a repeated or over-long one, or a mix of header sets.
pub(super) fn read_request<'s, 'h>(
    spec: &'s SchemeSpec,
    looked: &[HeaderLookup<'h>],
    max_len: usize,
) -> Result<Request<'s, 'h>, VerifyError> {
    let (set, core) = select_header_set(spec, looked, max_len)?;
    let signature = core.signature.ok_or_else(|| missing(&set.signature))?;
    let signed_id = match &set.signed_id {
        Some(name) => Some(core.signed_id.ok_or_else(|| missing(name))?),
        None => None,
    };
    let delivery_id = match &set.delivery_id {
        Some((name, _)) if Some(name) == set.signed_id.as_ref() => signed_id,
        Some((name, required)) => match read(looked, name, max_len)? {
            Some(value) => Some(value),
            None if *required => return Err(missing(name)),
            None => None,
        },
        None => None,
    };
    let event_type = match &set.event_type {
        Some(name) => read(looked, name, max_len)?.map(|value| (name, value)),
        None => None,
    };
    let second_signature = match &set.second_signature {
        Some(name) => read(looked, name, max_len)?.map(|value| (name, value)),
        None => None,
    };
    Ok(Request {
        set,
        signature,
        signed_id,
        timestamp: core.timestamp,
        delivery_id,
        event_type,
        second_signature,
    })
}
