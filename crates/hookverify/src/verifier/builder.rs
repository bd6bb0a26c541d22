//! [`VerifierBuilder`]: secrets, rotation windows, tolerance and limits, checked once.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::matching::{Key, KeyEntry, TOKEN_CONTENT};
use super::{Inner, Verifier};
use crate::error::BuildError;
use crate::message::HmacKey;
use crate::message::{Fields, SignedMessage};
use crate::scheme::Scheme;
use crate::scheme::SigFormat;
use crate::secret::{KeyMaterial, Secret, SecretError};
use crate::timestamp::{Timestamp, Tolerance};

/// The most secrets one verifier holds (current, previous, and room for overlapping rotations).
pub const MAX_SECRETS: usize = 8;
/// Default cap on candidate signatures in one header.
pub const DEFAULT_MAX_SIGNATURES: usize = 16;
/// The highest value [`VerifierBuilder::max_signatures`] accepts.
pub const MAX_SIGNATURES_LIMIT: usize = 1024;
/// Default cap on the length of any header the verifier reads, in bytes.
pub const DEFAULT_MAX_HEADER_LEN: usize = 8 * 1024;
/// The highest value [`VerifierBuilder::max_header_len`] accepts.
pub const MAX_HEADER_LEN_LIMIT: usize = 1024 * 1024;

pub(super) enum PendingKey {
    Text(Zeroizing<String>),
    Parsed(Secret),
}

/// Configures a [`Verifier`]. Secrets are parsed in [`VerifierBuilder::build`], with the
/// scheme's encoding and the minimum length in force then.
#[must_use = "a builder does nothing until `build` is called"]
pub struct VerifierBuilder {
    pub(super) scheme: Scheme,
    pub(super) keys: Vec<(PendingKey, Option<Timestamp>)>,
    pub(super) tolerance: Option<Tolerance>,
    pub(super) max_signatures: usize,
    pub(super) max_header_len: usize,
    pub(super) min_secret_len: usize,
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("scheme", &self.scheme.name())
            .field("secrets", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl VerifierBuilder {
    /// Adds a secret as the provider hands it out (parsed with the scheme's encoding).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.keys
            .push((PendingKey::Text(Zeroizing::new(secret.into())), None));
        self
    }

    /// Adds a secret that stops verifying after `expires_at`: the previous secret during a
    /// rotation (SendPilot keeps it valid for 24 hours).
    pub fn secret_until(mut self, secret: impl Into<String>, expires_at: Timestamp) -> Self {
        self.keys.push((
            PendingKey::Text(Zeroizing::new(secret.into())),
            Some(expires_at),
        ));
        self
    }

    /// Adds an already parsed key (no minimum length is applied to it).
    pub fn key(mut self, secret: Secret) -> Self {
        self.keys.push((PendingKey::Parsed(secret), None));
        self
    }

    /// Adds an already parsed key that stops verifying after `expires_at`.
    pub fn key_until(mut self, secret: Secret, expires_at: Timestamp) -> Self {
        self.keys
            .push((PendingKey::Parsed(secret), Some(expires_at)));
        self
    }

    /// Overrides the scheme's default timestamp tolerance.
    pub fn tolerance(mut self, tolerance: Tolerance) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// The most candidate signatures one header may carry (default 16; 1 to 1024). More is an
    /// error, so the work per request stays bounded.
    pub fn max_signatures(mut self, max: usize) -> Self {
        self.max_signatures = max;
        self
    }

    /// The longest header value the verifier reads, in bytes (default 8 KiB; up to 1 MiB).
    pub fn max_header_len(mut self, max: usize) -> Self {
        self.max_header_len = max;
        self
    }

    /// The minimum key length in bytes for secrets added as text (default 16). Lower it only
    /// for a sender whose secrets really are that short.
    pub fn min_secret_len(mut self, min: usize) -> Self {
        self.min_secret_len = min;
        self
    }

    /// Parses the secrets and builds the verifier.
    ///
    /// # Errors
    ///
    /// [`BuildError::NoSecrets`], [`BuildError::TooManySecrets`], [`BuildError::Limit`] for a
    /// limit out of range, or [`BuildError::Secret`] with the position and reason of the first
    /// secret that does not parse (including an ed25519 key for a scheme without ed25519).
    pub fn build(self) -> Result<Verifier, BuildError> {
        if self.keys.is_empty() {
            return Err(BuildError::NoSecrets);
        }
        if self.keys.len() > MAX_SECRETS {
            return Err(BuildError::TooManySecrets { max: MAX_SECRETS });
        }
        if !(1..=MAX_SIGNATURES_LIMIT).contains(&self.max_signatures) {
            return Err(BuildError::Limit {
                what: "max_signatures",
                max: MAX_SIGNATURES_LIMIT,
            });
        }
        if !(1..=MAX_HEADER_LEN_LIMIT).contains(&self.max_header_len) {
            return Err(BuildError::Limit {
                what: "max_header_len",
                max: MAX_HEADER_LEN_LIMIT,
            });
        }
        let spec = &self.scheme.spec;
        let mut keys = Vec::with_capacity(self.keys.len());
        for (index, (pending, expires_at)) in self.keys.into_iter().enumerate() {
            let secret = match pending {
                PendingKey::Text(text) => {
                    Secret::parse(&text, spec.key_encoding, self.min_secret_len)
                }
                PendingKey::Parsed(secret) => Ok(secret),
            }
            .map_err(|source| BuildError::Secret { index, source })?;
            let key = match &secret.material {
                KeyMaterial::Hmac(bytes) => {
                    Key::Hmac(HmacKey::new(spec.hmac, bytes).ok_or(BuildError::Secret {
                        index,
                        source: SecretError::Empty,
                    })?)
                }
                KeyMaterial::Ed25519(public) if spec.ed25519 => Key::Ed25519(*public),
                KeyMaterial::Ed25519(_) => {
                    return Err(BuildError::Secret {
                        index,
                        source: SecretError::Ed25519NotSupported,
                    });
                }
                KeyMaterial::EcdsaP256(public)
                    if spec.key_encoding == crate::SecretEncoding::EcdsaP256 =>
                {
                    Key::EcdsaP256(*public)
                }
                KeyMaterial::EcdsaP256(_) => {
                    return Err(BuildError::Secret {
                        index,
                        source: SecretError::EcdsaNotSupported,
                    });
                }
            };
            // Token schemes: the secret's MAC under itself, the one value a token is checked
            // against.
            let token = match (&spec.signature, &key, &secret.material) {
                (SigFormat::Token, Key::Hmac(state), KeyMaterial::Hmac(bytes)) => Some(
                    SignedMessage::new(
                        TOKEN_CONTENT,
                        Fields {
                            body: bytes,
                            ..Fields::default()
                        },
                    )
                    .mac(state),
                ),
                _ => None,
            };
            keys.push(KeyEntry {
                key,
                expires_at,
                token,
            });
        }
        let has_hmac = keys.iter().any(|k| matches!(k.key, Key::Hmac(_)));
        let has_ed25519 = keys.iter().any(|k| matches!(k.key, Key::Ed25519(_)));
        Ok(Verifier {
            inner: Arc::new(Inner {
                tolerance: self.tolerance.or(spec.tolerance),
                scheme: self.scheme,
                keys,
                max_signatures: self.max_signatures,
                max_header_len: self.max_header_len,
                has_hmac,
                has_ed25519,
            }),
        })
    }
}
