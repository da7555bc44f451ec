//! Integration tests: the real `affiche` binary, driven as a person or a web
//! server would, on sites made in temporary folders.
#![allow(clippy::unwrap_used)]

mod harness;

mod a11y;
mod admin;
mod admin_settings;
mod apache;
mod authors;
mod browser;
mod cdp;
mod cgi;
mod cli;
mod comments;
mod comments_render;
mod covers;
mod demo;
mod doctor;
mod editor_browser;
mod events_editor;
mod events_import;
mod events_render;
mod export;
mod fediverse;
mod fetch;
mod home_events;
mod i18n;
mod participation;
mod remote;
mod render;
mod reports;
mod serve;
mod setup;
mod signatures;
mod updates;
