//! Imported Markdown files with TOML front matter: `import::parse` never
//! panics, whatever the text, and an article it accepts has a title and a slug.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use affiche::config::Config;
use libfuzzer_sys::fuzz_target;

/// Parsing reads only the config: the folder is never written.
fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::default_for_test(&PathBuf::from("/nonexistent/affiche-fuzz-front-matter"))
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(article) = affiche::import::parse(&text, "fuzz.md", config(), 0) {
        assert!(
            !article.title.trim().is_empty(),
            "an article without a title from {text:?}"
        );
        assert!(
            !article.slug.is_empty(),
            "an article without a slug from {text:?}"
        );
    }
});
