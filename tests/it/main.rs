//! Integration tests: the real `affiche` binary, driven as a person or a web
//! server would, on sites made in temporary folders.
#![allow(clippy::unwrap_used)]

mod harness;

mod apache;
mod browser;
mod cgi;
mod cli;
mod fediverse;
mod fetch;
mod render;
mod serve;
mod signatures;
