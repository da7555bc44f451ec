//! Affiche: a federated publisher for basic shared web hosts.
//!
//! Static reads, CGI writes: everything a reader fetches is a file written
//! ahead of time by [`render`]; only writes run the binary, through [`cgi`]
//! and [`web`]. See `DESIGN.md` in the steering notes and the README.

pub mod actions;
pub mod authors;
pub mod cgi;
pub mod cli;
pub mod comments;
pub mod config;
pub mod config_edit;
pub mod context;
pub mod demo;
pub mod doctor;
pub mod events;
pub mod export;
pub mod federation;
pub mod i18n;
pub mod import;
pub mod import_events;
pub mod import_wxr;
pub mod jobs;
pub mod keys;
pub mod languages;
pub mod media;
pub mod parallel;
pub mod participation;
pub mod publish;
pub mod render;
pub mod secrets;
pub mod serve;
pub mod store;
pub mod web;

/// The version string shown by `--version`, the health route and generator tags.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
