//! The site actor's RSA key pair: made once at `init`, kept as PEM in the
//! database. Signing lives with federation; this only creates keys.

use anyhow::{Context as _, Result};
use rsa::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};

use crate::store::SiteKey;

/// RSA-2048: what every fediverse server verifies, and the cheapest to sign with.
pub const KEY_BITS: usize = 2048;

pub fn generate(now: i64) -> Result<SiteKey> {
    let mut rng = rsa::rand_core::OsRng;
    let private = rsa::RsaPrivateKey::new(&mut rng, KEY_BITS)
        .context("cannot generate the site's RSA key")?;
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .context("cannot encode the private key as PEM")?
        .to_string();
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .context("cannot encode the public key as PEM")?;
    Ok(SiteKey {
        private_pem,
        public_pem,
        created_at: now,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
    use rsa::traits::PublicKeyParts as _;

    #[test]
    fn generated_keys_round_trip_through_pem() {
        let key = super::generate(0).unwrap();
        let private = rsa::RsaPrivateKey::from_pkcs8_pem(&key.private_pem).unwrap();
        let public = rsa::RsaPublicKey::from_public_key_pem(&key.public_pem).unwrap();
        assert_eq!(private.to_public_key(), public);
        assert_eq!(public.size() * 8, super::KEY_BITS);
        assert!(key.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    }
}
