//! What the static pages were rendered with: the program's version, its
//! embedded templates, message catalogs and stylesheet, the site's
//! template overrides and the config values that appear on every page.
//! Replacing the binary (the whole update, on a shared host) or a template
//! changes it, and the next request sets a full re-render going in the
//! background worker.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::config::Config;

/// The file, in the data folder, that holds the fingerprint of the last
/// full render.
const FILE: &str = "rendered-with";

/// FNV-1a over the embedded templates, catalogs and assets, computed by
/// the compiler: the check runs in every request and must cost nothing. Not
/// a security hash, only "did this change".
const EMBEDDED: u64 = {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < super::templates::DEFAULTS.len() {
        hash = fnv(hash, super::templates::DEFAULTS[i].0.as_bytes());
        hash = fnv(hash, super::templates::DEFAULTS[i].1.as_bytes());
        i += 1;
    }
    let mut i = 0;
    while i < crate::i18n::CATALOGS.len() {
        hash = fnv(hash, crate::i18n::CATALOGS[i].0.as_bytes());
        hash = fnv(hash, crate::i18n::CATALOGS[i].1.as_bytes());
        i += 1;
    }
    let mut i = 0;
    while i < super::ASSETS.len() {
        hash = fnv(hash, super::ASSETS[i].0.as_bytes());
        hash = fnv(hash, super::ASSETS[i].1);
        i += 1;
    }
    hash
};

const fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    // A separator, so ("ab", "c") and ("a", "bc") differ.
    hash ^= 0xff;
    hash.wrapping_mul(0x0100_0000_01b3)
}

/// The fingerprint of what a full render would use now.
pub fn current(config: &Config) -> String {
    let mut text = format!(
        "affiche {} markdown {} embedded {EMBEDDED:016x}\n",
        crate::VERSION,
        super::markdown::VERSION
    );
    // The config values every page shows or is built from.
    for value in [
        &config.title,
        &config.description,
        &config.base_url,
        &config.language,
        &config.time_zone,
        &config.actor_name,
    ] {
        text.push_str(value);
        text.push('\n');
    }
    for value in [
        config.home_articles,
        config.home_events,
        config.page_size,
        config.feed_entries,
    ] {
        text.push_str(&value.to_string());
        text.push('\n');
    }
    // Whether every article and event page offers replies, or holds them
    // (the settings page changes it).
    text.push_str(super::rules::moderation_code(config.comments.moderation));
    text.push('\n');
    // Overrides by size and modification time: reading them all in every
    // request would cost more than the check is worth.
    let templates = config.templates_path();
    let assets = config.base_dir.join("assets");
    // Most sites have neither folder: two failed stats instead of one per
    // template.
    let overrides = (super::templates::DEFAULTS.iter())
        .filter(|_| templates.is_dir())
        .map(|(name, _)| super::templates::override_path(&templates, name))
        .chain(
            (super::ASSETS.iter())
                .filter(|_| assets.is_dir())
                .map(|(name, _)| assets.join(name)),
        );
    for file in overrides {
        if let Ok(meta) = std::fs::metadata(&file) {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            text.push_str(&format!("{} {} {modified}\n", file.display(), meta.len()));
        }
    }
    text
}

fn path(config: &Config) -> PathBuf {
    config.base_dir.join(&config.data_dir).join(FILE)
}

/// Whether the pages were rendered with something else than what this
/// program would use now. A site never fully rendered by this version of
/// Affiche (no file yet) counts as stale.
pub fn is_stale(config: &Config) -> bool {
    match std::fs::read_to_string(path(config)) {
        Ok(stored) => stored != current(config),
        Err(_) => true,
    }
}

/// Records that the whole site was just rendered with `fingerprint`.
pub fn record(config: &Config, fingerprint: &str) -> Result<()> {
    let file = path(config);
    super::atomic::write(&file, fingerprint.as_bytes()).with_context(|| {
        format!(
            "cannot record the render's fingerprint in {}",
            file.display()
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let text = Config::template("Site", "https://example.org", "public_html");
        let config = Config::parse(&text, "test", dir.path()).unwrap();
        (dir, config)
    }

    #[test]
    fn a_site_never_rendered_is_stale_until_recorded() {
        let (_dir, config) = site();
        assert!(is_stale(&config));
        record(&config, &current(&config)).unwrap();
        assert!(!is_stale(&config));
    }

    #[test]
    fn a_changed_title_or_template_override_makes_it_stale() {
        let (_dir, mut config) = site();
        record(&config, &current(&config)).unwrap();
        config.title = "Another name".into();
        assert!(is_stale(&config));
        config.title = "Site".into();
        assert!(!is_stale(&config));
        config.comments.moderation = crate::config::Moderation::Held;
        assert!(is_stale(&config));
        config.comments.moderation = crate::config::Moderation::Open;
        assert!(!is_stale(&config));
        config.home_events = 0;
        assert!(is_stale(&config));
        config.home_events = 3;
        assert!(!is_stale(&config));

        let templates = config.templates_path();
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(
            templates.join("base.html"),
            "{% block content %}{% endblock %}",
        )
        .unwrap();
        assert!(is_stale(&config));
    }

    #[test]
    fn the_embedded_part_depends_on_every_byte() {
        assert_ne!(fnv(0, b"ab"), fnv(0, b"ac"));
        assert_ne!(fnv(fnv(0, b"a"), b"bc"), fnv(fnv(0, b"ab"), b"c"));
        assert_ne!(EMBEDDED, 0xcbf2_9ce4_8422_2325);
    }
}
