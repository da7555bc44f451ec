//! The site's key put to work: signs the GETs our fetches send (servers in
//! authorized-fetch mode require it) and the POSTs of deliveries.

use anyhow::{Context as _, Result};
use http::Method;

use super::documents::Endpoints;
use super::fetch::SignRequest;
use super::signatures::{self, SigningKey};
use crate::context::Context;
use crate::store::Store;

pub struct SiteSigner {
    key: SigningKey,
}

impl SiteSigner {
    pub fn new(ctx: &Context) -> Result<SiteSigner> {
        SiteSigner::from_store(&ctx.store, &Endpoints::new(&ctx.config))
    }

    pub fn from_store(store: &Store, ends: &Endpoints) -> Result<SiteSigner> {
        let key = store
            .site_key()?
            .context("the database has no site key; it was not made by `affiche init`")?;
        Ok(SiteSigner {
            key: SigningKey::from_pem(&ends.key_id, &key.private_pem)?,
        })
    }

    /// A signer that loads the key when it first signs: most inbox
    /// requests come from senders whose key is cached and fetch nothing,
    /// and loading (validating) an RSA key was 15% of such a request.
    pub fn lazy(ctx: &Context) -> LazySigner<'_> {
        LazySigner {
            ctx,
            signer: std::cell::OnceCell::new(),
        }
    }

    /// Headers for a signed POST of `body` to `url`.
    pub fn post_headers(&self, url: &str, body: &[u8]) -> Result<Vec<(String, String)>> {
        headers(signatures::sign(
            &self.key,
            &Method::POST,
            url,
            Some(body),
            jiff::Timestamp::now(),
        )?)
    }
}

/// See [`SiteSigner::lazy`].
pub struct LazySigner<'a> {
    ctx: &'a Context,
    signer: std::cell::OnceCell<SiteSigner>,
}

impl SignRequest for LazySigner<'_> {
    fn sign(&self, method: &str, url: &str) -> Result<Vec<(String, String)>> {
        let signer = match self.signer.get() {
            Some(signer) => signer,
            None => {
                let signer = SiteSigner::new(self.ctx)?;
                self.signer.get_or_init(|| signer)
            }
        };
        signer.sign(method, url)
    }
}

fn headers(map: http::HeaderMap) -> Result<Vec<(String, String)>> {
    map.iter()
        .map(|(name, value)| {
            Ok((
                name.as_str().to_string(),
                value
                    .to_str()
                    .context("a signed header is not text")?
                    .to_string(),
            ))
        })
        .collect()
}

impl SignRequest for SiteSigner {
    fn sign(&self, method: &str, url: &str) -> Result<Vec<(String, String)>> {
        let method = Method::from_bytes(method.as_bytes()).context("bad method to sign")?;
        headers(signatures::sign(
            &self.key,
            &method,
            url,
            None,
            jiff::Timestamp::now(),
        )?)
    }
}
