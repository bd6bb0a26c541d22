//! Verification keys: parsing per encoding, redacted `Debug`, zeroized on drop.

use std::fmt;

use base64::Engine as _;
use ed25519_dalek::VerifyingKey;
use zeroize::Zeroizing;

/// How a scheme turns the secret string a provider hands out into key bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretEncoding {
    /// Standard Webhooks: `whsec_` followed by base64; the key is the decoded bytes.
    /// The `whsec_` prefix is optional, as in the reference libraries. A `whpk_` value is an
    /// ed25519 public key (signature version `v1a`).
    Base64,
    /// The secret string's own UTF-8 bytes are the key, prefix and all (Stripe, GitHub,
    /// SendPilot, AutoSend, SendKit).
    Raw,
    /// An ed25519 public key in hex, 64 digits (Discord's application public key): signatures
    /// are ed25519, not HMAC.
    Ed25519Hex,
    /// A P-256 public key, base64 of its DER `SubjectPublicKeyInfo` (SendGrid's verification
    /// key): signatures are ECDSA P-256 with SHA-256, DER-encoded.
    EcdsaP256,
    /// Hexadecimal digits (either case); the key is the decoded bytes (Adyen's HMAC key).
    Hex,
}

/// Why a secret was refused. Never contains any part of the secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret is empty (or only a prefix such as `whsec_`).
    #[error("the secret is empty")]
    Empty,
    /// The secret starts or ends with whitespace, typically a copy-paste slip.
    #[error(
        "the secret starts or ends with whitespace (a copy-paste slip?); remove it: hookverify does not trim secrets"
    )]
    SurroundingWhitespace,
    /// The value looks like a signature (`v1,...`), not a signing secret.
    #[error(
        "the secret starts with `v1,`: that is the form of a signature header entry, not a signing secret; copy the secret (`whsec_...`) from the provider's dashboard"
    )]
    LooksLikeSignature,
    /// The base64 part does not decode.
    #[error(
        "the secret is not valid base64 (first bad character at byte {position} after the prefix)"
    )]
    InvalidBase64 {
        /// Byte offset of the problem within the part after the prefix.
        position: usize,
    },
    /// The secret is not hexadecimal (or has an odd number of digits).
    #[error(
        "the secret is not valid hex (at byte {position}); copy the key as the provider shows it"
    )]
    InvalidHex {
        /// Byte offset of the problem (the length for an odd number of digits).
        position: usize,
    },
    /// The key is shorter than the configured minimum.
    #[error("the secret is too short: {len} bytes of key, at least {min} required")]
    TooShort {
        /// Key length in bytes (after decoding, for base64 secrets).
        len: usize,
        /// The minimum in force.
        min: usize,
    },
    /// A `whpk_` value is not a valid 32-byte ed25519 public key.
    #[error("the `whpk_` value is not a valid ed25519 public key (32 bytes, base64)")]
    InvalidPublicKey,
    /// A `whsk_` signing key was given where a verifier needs the public key.
    #[error(
        "this is an ed25519 signing key (`whsk_`); a verifier needs the public key (`whpk_`), and the signing key should stay with the sender"
    )]
    SigningKeyGiven,
    /// The scheme has no asymmetric signatures, but an ed25519 key was given.
    #[error(
        "this scheme has no ed25519 signatures; `whpk_` keys are for Standard Webhooks, Sendable and Sent"
    )]
    Ed25519NotSupported,
    /// A P-256 public key for a scheme whose signatures are not ECDSA P-256.
    #[error("this scheme has no ECDSA P-256 signatures; P-256 public keys are for SendGrid")]
    EcdsaNotSupported,
}

/// The default minimum key length in bytes. Shorter keys are almost always truncated pastes.
pub const DEFAULT_MIN_SECRET_LEN: usize = 16;

pub(crate) enum KeyMaterial {
    Hmac(Zeroizing<Vec<u8>>),
    Ed25519(VerifyingKey),
    EcdsaP256(p256::ecdsa::VerifyingKey),
}

/// A verification key: HMAC key bytes, or an ed25519 public key.
///
/// `Debug` never shows the key, and the bytes are zeroized when the value is dropped.
///
/// ```
/// use hookverify::{Secret, SecretError};
///
/// let secret = Secret::standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// assert_eq!(secret.len(), 24);
/// assert_eq!(format!("{secret:?}"), "Secret(hmac, 24 bytes, redacted)");
///
/// assert_eq!(Secret::standard(" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_err(),
///            SecretError::SurroundingWhitespace);
/// # Ok::<(), SecretError>(())
/// ```
pub struct Secret {
    pub(crate) material: KeyMaterial,
}

impl Secret {
    /// Parses a Standard Webhooks secret: `whsec_` + base64 (prefix optional), or a `whpk_`
    /// ed25519 public key.
    ///
    /// # Errors
    ///
    /// Any [`SecretError`] other than `Ed25519NotSupported`; keys shorter than
    /// [`DEFAULT_MIN_SECRET_LEN`] bytes are refused.
    pub fn standard(secret: &str) -> Result<Self, SecretError> {
        Self::parse(secret, SecretEncoding::Base64, DEFAULT_MIN_SECRET_LEN)
    }

    /// Uses the string's own bytes as the HMAC key (Stripe, GitHub, SendPilot, AutoSend, SendKit).
    ///
    /// # Errors
    ///
    /// [`SecretError::Empty`], [`SecretError::SurroundingWhitespace`],
    /// [`SecretError::LooksLikeSignature`] or [`SecretError::TooShort`] (under
    /// [`DEFAULT_MIN_SECRET_LEN`] bytes).
    pub fn raw(secret: &str) -> Result<Self, SecretError> {
        Self::parse(secret, SecretEncoding::Raw, DEFAULT_MIN_SECRET_LEN)
    }

    /// Uses `bytes` as the HMAC key as they are, with no length policy: for keys that do not come
    /// as text. The caller is responsible for their strength.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        Secret {
            material: KeyMaterial::Hmac(Zeroizing::new(bytes.into())),
        }
    }

    /// Parses `secret` with an explicit encoding and minimum key length in bytes.
    ///
    /// # Errors
    ///
    /// A [`SecretError`] naming what is wrong; it never contains the secret.
    pub fn parse(
        secret: &str,
        encoding: SecretEncoding,
        min_len: usize,
    ) -> Result<Self, SecretError> {
        if secret.is_empty() {
            return Err(SecretError::Empty);
        }
        if secret.starts_with(char::is_whitespace) || secret.ends_with(char::is_whitespace) {
            return Err(SecretError::SurroundingWhitespace);
        }
        if secret.starts_with("v1,") || secret.starts_with("v1a,") {
            return Err(SecretError::LooksLikeSignature);
        }
        let bytes = match encoding {
            SecretEncoding::Ed25519Hex => return Self::ed25519_from_hex(secret),
            SecretEncoding::EcdsaP256 => return Self::ecdsa_p256_from_base64(secret),
            SecretEncoding::Raw => Zeroizing::new(secret.as_bytes().to_vec()),
            SecretEncoding::Hex => {
                Zeroizing::new(hex::decode(secret).map_err(|err| SecretError::InvalidHex {
                    position: match err {
                        hex::FromHexError::InvalidHexCharacter { index, .. } => index,
                        _ => secret.len(),
                    },
                })?)
            }
            SecretEncoding::Base64 => {
                if let Some(public) = secret.strip_prefix("whpk_") {
                    return Self::ed25519_from_base64(public);
                }
                if secret.starts_with("whsk_") {
                    return Err(SecretError::SigningKeyGiven);
                }
                let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
                decode_base64(encoded)?
            }
        };
        if bytes.is_empty() {
            return Err(SecretError::Empty);
        }
        if bytes.len() < min_len {
            return Err(SecretError::TooShort {
                len: bytes.len(),
                min: min_len,
            });
        }
        Ok(Secret {
            material: KeyMaterial::Hmac(bytes),
        })
    }

    /// Parses a `whpk_` ed25519 public key (the prefix is optional here).
    ///
    /// # Errors
    ///
    /// [`SecretError::InvalidPublicKey`] unless the value is base64 of a valid 32-byte key.
    pub fn ed25519_public_key(key: &str) -> Result<Self, SecretError> {
        Self::ed25519_from_base64(key.strip_prefix("whpk_").unwrap_or(key))
    }

    fn ed25519_from_hex(encoded: &str) -> Result<Self, SecretError> {
        let mut array = [0_u8; 32];
        hex::decode_to_slice(encoded, &mut array).map_err(|_| SecretError::InvalidPublicKey)?;
        let key = VerifyingKey::from_bytes(&array).map_err(|_| SecretError::InvalidPublicKey)?;
        Ok(Secret {
            material: KeyMaterial::Ed25519(key),
        })
    }

    fn ecdsa_p256_from_base64(encoded: &str) -> Result<Self, SecretError> {
        use p256::pkcs8::DecodePublicKey as _;
        let der = decode_base64(encoded).map_err(|_| SecretError::InvalidPublicKey)?;
        let key = p256::ecdsa::VerifyingKey::from_public_key_der(&der)
            .map_err(|_| SecretError::InvalidPublicKey)?;
        Ok(Secret {
            material: KeyMaterial::EcdsaP256(key),
        })
    }

    fn ed25519_from_base64(encoded: &str) -> Result<Self, SecretError> {
        let bytes = decode_base64(encoded).map_err(|_| SecretError::InvalidPublicKey)?;
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| SecretError::InvalidPublicKey)?;
        let key = VerifyingKey::from_bytes(&array).map_err(|_| SecretError::InvalidPublicKey)?;
        Ok(Secret {
            material: KeyMaterial::Ed25519(key),
        })
    }

    /// Key length in bytes (32 for an ed25519 public key, 33 for a compressed P-256 one).
    pub fn len(&self) -> usize {
        match &self.material {
            KeyMaterial::Hmac(bytes) => bytes.len(),
            KeyMaterial::Ed25519(_) => 32,
            KeyMaterial::EcdsaP256(_) => 33,
        }
    }

    /// Always `false`: empty secrets are refused at parse time. Present for API symmetry with
    /// [`Secret::len`].
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` for a public key (ed25519 or P-256), `false` for an HMAC key.
    pub fn is_public_key(&self) -> bool {
        !matches!(self.material, KeyMaterial::Hmac(_))
    }

    /// `true` for an ed25519 public key, `false` for an HMAC key.
    pub fn is_ed25519(&self) -> bool {
        matches!(self.material, KeyMaterial::Ed25519(_))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.material {
            KeyMaterial::Hmac(bytes) => write!(f, "Secret(hmac, {} bytes, redacted)", bytes.len()),
            KeyMaterial::Ed25519(_) => write!(f, "Secret(ed25519 public key)"),
            KeyMaterial::EcdsaP256(_) => write!(f, "Secret(P-256 public key)"),
        }
    }
}

/// The base64 engine for secrets and signatures: standard alphabet, padding optional.
pub(crate) const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

pub(crate) fn decode_base64(encoded: &str) -> Result<Zeroizing<Vec<u8>>, SecretError> {
    let mut out = Zeroizing::new(Vec::with_capacity(encoded.len()));
    match BASE64.decode_vec(encoded, &mut out) {
        Ok(()) => Ok(out),
        Err(err) => Err(SecretError::InvalidBase64 {
            position: base64_error_position(&err, encoded.len()),
        }),
    }
}

/// Where a base64 error is, without ever carrying the offending byte (part of a secret).
fn base64_error_position(err: &base64::DecodeError, len: usize) -> usize {
    match err {
        base64::DecodeError::InvalidByte(position, _)
        | base64::DecodeError::InvalidLastSymbol(position, _) => *position,
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_show_the_secret() {
        let err = Secret::standard("whsec_abc$defghijklmnopqrstuvwxyz").unwrap_err();
        assert_eq!(err, SecretError::InvalidBase64 { position: 3 });
        assert!(!err.to_string().contains('$'));
        let s = Secret::raw("a-raw-secret-of-some-length").unwrap();
        assert!(!format!("{s:?}").contains("raw-secret"));
    }

    #[test]
    fn whsec_prefix_is_optional_and_whpk_is_ed25519() {
        let a = Secret::standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let b = Secret::standard("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(a.len(), b.len());
        let pk = Secret::standard("whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=").unwrap();
        assert!(pk.is_ed25519());
        assert_eq!(
            Secret::standard("whpk_AAAA").unwrap_err(),
            SecretError::InvalidPublicKey
        );
        assert_eq!(
            Secret::standard("whsk_AAAA").unwrap_err(),
            SecretError::SigningKeyGiven
        );
        assert_eq!(Secret::standard("whsec_").unwrap_err(), SecretError::Empty);
    }
}
