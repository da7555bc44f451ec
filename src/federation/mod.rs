//! ActivityPub: the documents that describe the site, HTTP signatures,
//! remote fetches under a URL policy, and (to come) the inbox and the
//! delivery queue.

pub mod documents;
