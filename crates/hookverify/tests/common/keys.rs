//! Signing and verifying keys for tests that loop over every provider: the shared secret for
//! HMAC schemes; for the public-key schemes (Discord's ed25519, SendGrid's ECDSA P-256) a test
//! private key derived from the secret, and its public key; for hex-keyed schemes (Adyen) the
//! secret's bytes in hex.

use hookverify::sign::Signer;
use hookverify::{Provider, SecretEncoding};

/// `(signing, verifying)` for `provider`, from an HMAC-style `secret`.
pub(crate) fn key_pair(provider: Provider, secret: &str) -> (String, String) {
    let scheme = provider.scheme();
    let signing = match scheme.secret_encoding() {
        SecretEncoding::Ed25519Hex | SecretEncoding::EcdsaP256 => {
            use sha2::Digest as _;
            hex::encode(sha2::Sha256::digest(secret.as_bytes()))
        }
        // Adyen's HMAC key is hex: the secret's bytes in hex.
        SecretEncoding::Hex => hex::encode(secret.as_bytes()),
        _ => secret.to_owned(),
    };
    let verifying = Signer::new(&scheme, &signing)
        .unwrap()
        .verifying_secret()
        .unwrap_or_else(|| signing.clone());
    (signing, verifying)
}
