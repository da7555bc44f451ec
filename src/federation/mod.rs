//! ActivityPub: the documents that describe the site, incoming activities
//! and the inbox, what the site sends, HTTP signatures, the site's signer,
//! and remote fetches under a URL policy.

pub mod activity;
pub mod blocking;
pub mod documents;
pub mod fetch;
pub mod inbox;
pub mod note;
pub mod outbox;
pub mod signatures;
pub mod signer;
