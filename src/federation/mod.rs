//! ActivityPub: the documents that describe the site, incoming activities,
//! what the site sends, HTTP signatures, remote fetches under a URL policy,
//! and (to come) the inbox and the delivery queue.

pub mod activity;
pub mod documents;
pub mod outbox;
