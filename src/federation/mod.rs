//! ActivityPub: the documents that describe the site, incoming activities,
//! what the site sends, HTTP signatures and remote fetches under a URL
//! policy; (to come) the inbox and the delivery queue.

pub mod activity;
pub mod documents;
pub mod fetch;
pub mod outbox;
pub mod signatures;
