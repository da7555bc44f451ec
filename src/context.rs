//! The site context passed to every action: config, database, renderer.
//! No globals: whoever needs one of these gets it from here.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::Config;
use crate::i18n::Messages;
use crate::render::Renderer;
use crate::store::Store;

pub struct Context {
    pub config: Config,
    pub store: Store,
    pub renderer: Renderer,
    /// The language tag of the pages people use in this request (login,
    /// editor, admin): negotiated from `Accept-Language` by the web side,
    /// else the site's.
    pub lang: String,
}

impl Context {
    /// Loads the config, compiles the templates and opens the database, in
    /// that order, so that a bad template is reported before any write.
    pub fn open(config_path: &Path) -> Result<Context> {
        Context::from_config(Config::load(config_path)?)
    }

    /// As [`Context::open`], for a config already loaded.
    pub fn from_config(config: Config) -> Result<Context> {
        let renderer = Renderer::new(&config)?;
        let store = Store::open(&config.database_path(), false)?;
        Ok(Context {
            lang: config.language.clone(),
            config,
            store,
            renderer,
        })
    }

    /// The words of this request's pages (the visitor's language).
    pub fn words(&self) -> Messages {
        self.renderer.messages(&self.lang)
    }

    /// The words of what the site says to people elsewhere (DMs) and to
    /// every reader: the site's language.
    pub fn site_words(&self) -> Messages {
        self.renderer.site_messages()
    }
}

/// Where the config is when nobody says: `$AFFICHE_CONFIG`, then `./affiche.toml`.
pub fn default_config_path(env_value: Option<PathBuf>) -> PathBuf {
    env_value.unwrap_or_else(|| PathBuf::from("affiche.toml"))
}
