//! `affiche.toml`: the schema, its defaults, and validation whose errors name
//! the file, the key and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Deserialize;

/// The site configuration, read from `affiche.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in every page header and feed.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Public address of the site, e.g. `https://example.org` or `https://example.org/blog`.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// IANA time zone used to show dates and to file articles by month.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// The folder Apache serves, relative to this file's folder.
    #[serde(default = "default_docroot")]
    pub docroot: PathBuf,
    /// Where `affiche.sqlite` lives, relative to this file's folder.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The site actor's user name: `@<actor_name>@<host>`.
    #[serde(default = "default_actor_name")]
    pub actor_name: String,
    #[serde(default = "default_home_articles")]
    pub home_articles: usize,
    /// Upcoming events on the home page; 0 hides the block.
    #[serde(default = "default_home_events")]
    pub home_events: usize,
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    #[serde(default = "default_feed_entries")]
    pub feed_entries: usize,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub authors: Authors,
    #[serde(default)]
    pub comments: Comments,
    #[serde(default)]
    pub federation: Federation,
    #[serde(default)]
    pub admin: Admin,
    /// The folder the file was read from; relative paths are resolved against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file itself, for the admin settings page that edits it; empty
    /// when the config did not come from a file.
    #[serde(skip)]
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest request body the CGI accepts before answering 413.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: u64,
    /// Largest image an author may upload (the editor's requests only).
    #[serde(default = "default_max_upload_bytes")]
    pub max_upload_bytes: u64,
    /// Login messages sent to one handle in an hour.
    #[serde(default = "default_logins_per_handle")]
    pub logins_per_handle_per_hour: usize,
    /// Login attempts from one network address in an hour.
    #[serde(default = "default_logins_per_address")]
    pub logins_per_address_per_hour: usize,
    /// Login messages the site sends in an hour, all handles together.
    #[serde(default = "default_logins_per_hour")]
    pub logins_per_hour: usize,
    /// Reports sent with the site's report form from one network address
    /// in an hour.
    #[serde(default = "default_reports_per_address")]
    pub reports_per_address_per_hour: usize,
    /// Reports the form takes in an hour, all readers together.
    #[serde(default = "default_reports_per_hour")]
    pub reports_per_hour: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: default_max_body_bytes(),
            max_upload_bytes: default_max_upload_bytes(),
            logins_per_handle_per_hour: default_logins_per_handle(),
            logins_per_address_per_hour: default_logins_per_address(),
            logins_per_hour: default_logins_per_hour(),
            reports_per_address_per_hour: default_reports_per_address(),
            reports_per_hour: default_reports_per_hour(),
        }
    }
}

/// How login messages reach authors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoginDm {
    /// A direct message from the site actor (the real thing).
    ActivityPub,
    /// Written to the server's error log (the console under `affiche
    /// demo`): to try the whole flow offline.
    Console,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthorPolicy {
    Open,
    Instances,
    Handles,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Workflow {
    Direct,
    Review,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authors {
    #[serde(default = "default_policy")]
    pub policy: AuthorPolicy,
    /// Instances whose users may publish when `policy = "instances"`.
    #[serde(default)]
    pub instances: Vec<String>,
    /// Handles that may publish when `policy = "handles"`.
    #[serde(default)]
    pub handles: Vec<String>,
    #[serde(default = "default_workflow")]
    pub workflow: Workflow,
    /// Accepted article languages; empty means any.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default = "default_login_dm")]
    pub login_dm: LoginDm,
    /// Authors who may no longer log in, publish nor save (`@user@host`),
    /// whatever the policy says.
    #[serde(default)]
    pub blocked: Vec<String>,
}

impl Default for Authors {
    fn default() -> Self {
        Authors {
            policy: default_policy(),
            instances: Vec::new(),
            handles: Vec::new(),
            workflow: default_workflow(),
            languages: Vec::new(),
            login_dm: default_login_dm(),
            blocked: Vec::new(),
        }
    }
}

impl Authors {
    /// Whether the admin blocked this author (`user@host`, with or without `@`).
    pub fn is_blocked(&self, handle: &str) -> bool {
        let wanted = handle.trim().trim_start_matches('@').to_ascii_lowercase();
        !wanted.is_empty()
            && self
                .blocked
                .iter()
                .any(|h| h.trim().trim_start_matches('@').to_ascii_lowercase() == wanted)
    }
}

/// Who runs the site: fediverse handles that log in like authors and get
/// the admin pages.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admin {
    #[serde(default)]
    pub handles: Vec<String>,
}

impl Admin {
    /// Whether `handle` (`user@host`, with or without `@`) is an admin.
    pub fn is_admin(&self, handle: &str) -> bool {
        let wanted = handle.trim().trim_start_matches('@').to_ascii_lowercase();
        !wanted.is_empty()
            && self
                .handles
                .iter()
                .any(|h| h.trim().trim_start_matches('@').to_ascii_lowercase() == wanted)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Moderation {
    Open,
    Held,
    Closed,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comments {
    #[serde(default = "default_moderation")]
    pub moderation: Moderation,
}

impl Default for Comments {
    fn default() -> Self {
        Comments {
            moderation: default_moderation(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnounceAs {
    Note,
    Article,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Federation {
    /// How publications are announced: a `Note` reads well everywhere; an
    /// `Article` loses its body on Mastodon.
    #[serde(default = "default_announce_as")]
    pub announce_as: AnnounceAs,
    /// DANGER, tests only: lets the site talk to loopback and private
    /// addresses over plain http. Never enable on a public site.
    #[serde(default)]
    pub allow_private_addresses_for_testing: bool,
    /// Instances whose activities are refused (403), subdomains included,
    /// before any work: no key fetch, nothing stored.
    #[serde(default)]
    pub blocked_domains: Vec<String>,
    /// Accounts refused the same way (`@user@host`).
    #[serde(default)]
    pub blocked_actors: Vec<String>,
}

impl Default for Federation {
    fn default() -> Self {
        Federation {
            announce_as: default_announce_as(),
            allow_private_addresses_for_testing: false,
            blocked_domains: Vec::new(),
            blocked_actors: Vec::new(),
        }
    }
}

impl Federation {
    /// Whether a host (`example.org`, with or without `:port`) is one of
    /// the blocked domains or under one of them.
    pub fn blocks_host(&self, host: &str) -> bool {
        host_in_domains(&self.blocked_domains, host)
    }

    /// Whether an actor (by its id, and handle when known) is blocked.
    pub fn blocks(&self, actor_id: &str, handle: &str) -> bool {
        let host = crate::federation::activity::origin(actor_id)
            .and_then(|o| o.split_once("://").map(|(_, h)| h.to_string()))
            .unwrap_or_default();
        let domain_blocked = self.blocks_host(&host);
        let handle = handle.trim_start_matches('@').to_ascii_lowercase();
        // The handle's domain may differ from the actor's (WebFinger
        // delegation): either one blocked is enough.
        let handle_domain_blocked = handle
            .split_once('@')
            .is_some_and(|(_, host)| self.blocks_host(host));
        domain_blocked
            || handle_domain_blocked
            || self.blocked_actors.iter().any(|a| {
                let a = a.trim().trim_start_matches('@').to_ascii_lowercase();
                a == actor_id.to_ascii_lowercase() || (!handle.is_empty() && a == handle)
            })
    }
}

/// Whether a host (with or without `:port`) is one of `domains` or a
/// subdomain of one.
pub fn host_in_domains(domains: &[String], host: &str) -> bool {
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    !host.is_empty()
        && domains.iter().any(|d| {
            let d = d.trim().trim_start_matches('.').to_ascii_lowercase();
            !d.is_empty() && (host == d || host.ends_with(&format!(".{d}")))
        })
}

fn default_language() -> String {
    "en".into()
}
fn default_time_zone() -> String {
    "UTC".into()
}
fn default_docroot() -> PathBuf {
    "public_html".into()
}
fn default_data_dir() -> PathBuf {
    ".".into()
}
fn default_actor_name() -> String {
    "site".into()
}
fn default_home_articles() -> usize {
    10
}
fn default_home_events() -> usize {
    3
}
fn default_page_size() -> usize {
    20
}
fn default_feed_entries() -> usize {
    20
}
fn default_max_body_bytes() -> u64 {
    1024 * 1024
}
fn default_max_upload_bytes() -> u64 {
    8 * 1024 * 1024
}
fn default_logins_per_handle() -> usize {
    5
}
fn default_logins_per_address() -> usize {
    20
}
fn default_logins_per_hour() -> usize {
    200
}
fn default_reports_per_address() -> usize {
    5
}
fn default_reports_per_hour() -> usize {
    60
}
fn default_login_dm() -> LoginDm {
    LoginDm::ActivityPub
}
fn default_policy() -> AuthorPolicy {
    AuthorPolicy::Open
}
fn default_workflow() -> Workflow {
    Workflow::Direct
}
fn default_moderation() -> Moderation {
    Moderation::Open
}
fn default_announce_as() -> AnnounceAs {
    AnnounceAs::Note
}

/// One invalid key: which, what was expected, what was found.
#[derive(Debug)]
pub struct KeyError {
    pub origin: String,
    pub key: &'static str,
    pub message: String,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.origin, self.key, self.message)
    }
}

impl std::error::Error for KeyError {}

/// The parts of `base_url` the rest of the program needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    /// `https://example.org/blog`, never with a trailing slash.
    pub base: String,
    /// `example.org` (with `:port` when not the default).
    pub host: String,
    /// `/blog` or the empty string.
    pub root: String,
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the config file {}; create one with `affiche init DIR`, or pass --config PATH",
                path.display()
            )
        })?;
        let base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let base_dir = if base_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            base_dir
        };
        let mut config = Config::parse(&text, &path.display().to_string(), &base_dir)?;
        config.path = path.to_path_buf();
        Ok(config)
    }

    /// Parses config text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str, base_dir: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text)
            .map_err(|err| anyhow::anyhow!("{origin}: {}", err.to_string().trim_end()))?;
        config.base_dir = base_dir.to_path_buf();
        config.validate(origin)?;
        Ok(config)
    }

    /// A valid configuration for unit tests, rooted at `dir`.
    pub fn default_for_test(dir: &Path) -> Config {
        let text = "title = \"Test site\"\nbase_url = \"https://example.org\"\n";
        let mut config: Config = match toml::from_str(text) {
            Ok(config) => config,
            Err(err) => panic!("the built-in test config must parse: {err}"),
        };
        config.base_dir = dir.to_path_buf();
        config.path = dir.join("affiche.toml");
        config
    }

    fn validate(&self, origin: &str) -> Result<()> {
        let fail = |key: &'static str, message: String| -> Result<()> {
            Err(KeyError {
                origin: origin.to_string(),
                key,
                message,
            }
            .into())
        };
        if self.title.trim().is_empty() {
            fail("title", "must not be empty".into())?;
        }
        if let Err(message) = parse_base_url(
            &self.base_url,
            self.federation.allow_private_addresses_for_testing,
        ) {
            fail("base_url", message)?;
        }
        if !is_language_tag(&self.language) {
            fail(
                "language",
                format!(
                    "expected a language tag such as \"en\" or \"pt-BR\", got '{}'",
                    self.language
                ),
            )?;
        }
        if jiff::tz::db().get(&self.time_zone).is_err() {
            fail(
                "time_zone",
                format!(
                    "expected an IANA time zone such as \"Europe/Paris\" or \"UTC\", got '{}'",
                    self.time_zone
                ),
            )?;
        }
        let name_ok = !self.actor_name.is_empty()
            && self.actor_name.len() <= 30
            && self
                .actor_name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            fail(
                "actor_name",
                format!(
                    "expected 1 to 30 characters among a-z, 0-9 and _, got '{}'",
                    self.actor_name
                ),
            )?;
        }
        for (key, value) in [
            ("home_articles", self.home_articles),
            ("page_size", self.page_size),
            ("feed_entries", self.feed_entries),
        ] {
            if !(1..=1000).contains(&value) {
                fail(
                    key,
                    format!("expected a number from 1 to 1000, got {value}"),
                )?;
            }
        }
        if self.home_events > 100 {
            fail(
                "home_events",
                format!(
                    "expected a number from 0 (no events on the home page) to 100, got {}",
                    self.home_events
                ),
            )?;
        }
        if self.limits.max_body_bytes < 1024 {
            fail(
                "limits.max_body_bytes",
                format!(
                    "expected at least 1024 bytes, got {}",
                    self.limits.max_body_bytes
                ),
            )?;
        }
        if self.limits.max_upload_bytes < self.limits.max_body_bytes {
            fail(
                "limits.max_upload_bytes",
                format!(
                    "expected at least max_body_bytes ({}), got {}",
                    self.limits.max_body_bytes, self.limits.max_upload_bytes
                ),
            )?;
        }
        for (key, value) in [
            (
                "limits.logins_per_handle_per_hour",
                self.limits.logins_per_handle_per_hour,
            ),
            (
                "limits.logins_per_address_per_hour",
                self.limits.logins_per_address_per_hour,
            ),
            ("limits.logins_per_hour", self.limits.logins_per_hour),
            (
                "limits.reports_per_address_per_hour",
                self.limits.reports_per_address_per_hour,
            ),
            ("limits.reports_per_hour", self.limits.reports_per_hour),
        ] {
            if !(1..=100_000).contains(&value) {
                fail(
                    key,
                    format!("expected a number from 1 to 100000, got {value}"),
                )?;
            }
        }
        for handle in &self.authors.handles {
            if crate::federation::fetch::Handle::parse(handle).is_err() || handle.contains("://") {
                fail(
                    "authors.handles",
                    format!("expected handles such as \"@alice@example.social\", got '{handle}'"),
                )?;
            }
        }
        for handle in &self.authors.blocked {
            if crate::federation::fetch::Handle::parse(handle).is_err() || handle.contains("://") {
                fail(
                    "authors.blocked",
                    format!("expected handles such as \"@bob@example.social\", got '{handle}'"),
                )?;
            }
        }
        for handle in &self.admin.handles {
            if crate::federation::fetch::Handle::parse(handle).is_err() || handle.contains("://") {
                fail(
                    "admin.handles",
                    format!("expected handles such as \"@you@example.social\", got '{handle}'"),
                )?;
            }
        }
        for instance in &self.authors.instances {
            let ok = !instance.is_empty()
                && instance
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
            if !ok {
                fail(
                    "authors.instances",
                    format!("expected domain names such as \"mastodon.social\", got '{instance}'"),
                )?;
            }
        }
        for lang in &self.authors.languages {
            if !is_language_tag(lang) {
                fail(
                    "authors.languages",
                    format!("expected language tags such as \"en\", got '{lang}'"),
                )?;
            }
        }
        Ok(())
    }

    /// The parsed `base_url`; validated at load, so this cannot fail afterwards.
    pub fn site_url(&self) -> SiteUrl {
        parse_base_url(&self.base_url, true).unwrap_or_else(|_| SiteUrl {
            base: self.base_url.trim_end_matches('/').to_string(),
            host: String::new(),
            root: String::new(),
        })
    }

    pub fn docroot_path(&self) -> PathBuf {
        self.base_dir.join(&self.docroot)
    }

    pub fn database_path(&self) -> PathBuf {
        self.base_dir.join(&self.data_dir).join("affiche.sqlite")
    }

    /// The folder whose files override the embedded templates.
    pub fn templates_path(&self) -> PathBuf {
        self.base_dir.join("templates")
    }

    /// The site's time zone; validated at load.
    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::db()
            .get(&self.time_zone)
            .unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The commented config file `affiche init` writes.
    pub fn template(title: &str, base_url: &str, docroot: &str) -> String {
        let title = toml_string(title);
        let base_url = toml_string(base_url);
        let docroot = toml_string(docroot);
        format!(
            r#"# Affiche configuration. Every key is documented in the README
# ("Configuration reference"). Paths are relative to this file's folder.

# The site's name, shown in every page and feed.
title = {title}
description = "A site published with Affiche."
# The public address of the site: https://, no trailing slash needed.
# A subfolder works too: "https://example.org/blog".
base_url = {base_url}
# Language of the site's own texts (a BCP 47 tag: en, fr, pt-BR...).
language = "en"
# IANA time zone for dates shown on pages and the monthly archive.
time_zone = "UTC"
# The folder your web host serves (the "docroot"), and where the database lives.
docroot = {docroot}
data_dir = "."
# The site's fediverse account is @<actor_name>@<your domain>.
actor_name = "site"
# How many articles the home page, list pages and feeds show.
home_articles = 10
page_size = 20
feed_entries = 20
# The next upcoming events shown on the home page (0: none).
home_events = 3

[limits]
# Request bodies larger than this are refused with 413 (the editor's
# uploads have their own limit).
max_body_bytes = 1048576
max_upload_bytes = 8388608
# Login messages: per handle, per network address, and for the whole site,
# in an hour. They stop the site from being used to flood people with DMs.
logins_per_handle_per_hour = 5
logins_per_address_per_hour = 20
logins_per_hour = 200
# Readers' reports (the Report links on every page): per network address,
# and for the whole site, in an hour.
reports_per_address_per_hour = 5
reports_per_hour = 60

[authors]
# Who may publish: "open" (any fediverse account), "instances" (accounts on
# the instances listed below), "handles" (only the handles below), "closed".
policy = "open"
instances = []
handles = []
# "direct": published at once; "review": an admin approves first.
workflow = "direct"
# Accepted article languages; empty means any.
languages = []
# Authors who may no longer log in, publish nor save ("@bob@example.org").
blocked = []
# How login links reach authors: "activitypub" (a direct message from the
# site's account) or "console" (written to the server's error log, to try
# the site without sending anything).
login_dm = "activitypub"

[comments]
# Replies from the fediverse: "open", "held" (approved first) or "closed".
moderation = "open"

[federation]
# How publications are announced: "note" (full text everywhere) or "article".
announce_as = "note"
# Instances (subdomains included) and accounts whose activities are
# refused: no follows, no replies, nothing stored.
blocked_domains = []
blocked_actors = []
# DANGER: tests only. Allows plain http and private addresses.
allow_private_addresses_for_testing = false

[admin]
# The site's admins: fediverse handles that log in like authors and get
# the admin pages (policy, review, moderation, reports, deliveries).
handles = []
"#
        )
    }
}

fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let Some(first) = parts.next() else {
        return false;
    };
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Checks `base_url` and splits it. Plain http is accepted only for a
/// loopback host (local preview) or when private addresses are allowed.
pub fn parse_base_url(raw: &str, allow_http: bool) -> std::result::Result<SiteUrl, String> {
    let expected = |why: &str| {
        format!(
            "expected an absolute https:// URL such as \"https://example.org\" ({why}), got '{raw}'"
        )
    };
    let uri: http::Uri = raw.parse().map_err(|_| expected("not a URL"))?;
    let scheme = uri.scheme_str().ok_or_else(|| expected("no scheme"))?;
    let authority = uri.authority().ok_or_else(|| expected("no host"))?;
    if authority.as_str().contains('@') {
        return Err(expected("user names are not allowed"));
    }
    let host = authority.host();
    let loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    match scheme {
        "https" => {}
        "http" if loopback || allow_http => {}
        "http" => {
            return Err(expected(
                "plain http is only for a local preview on localhost or 127.0.0.1",
            ));
        }
        _ => return Err(expected("the scheme must be https")),
    }
    if uri.query().is_some() || raw.contains('#') {
        return Err(expected("no query or fragment"));
    }
    let root = uri.path().trim_end_matches('/').to_string();
    Ok(SiteUrl {
        base: format!(
            "{scheme}://{}{root}",
            authority.as_str().to_ascii_lowercase()
        ),
        host: authority.as_str().to_ascii_lowercase(),
        root,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, "affiche.toml", Path::new("/site"))
    }

    #[test]
    fn the_init_template_is_valid() {
        let config = parse(&Config::template(
            "My \"site\"",
            "https://example.org/blog/",
            "../public_html",
        ))
        .unwrap();
        assert_eq!(config.title, "My \"site\"");
        let url = config.site_url();
        assert_eq!(url.base, "https://example.org/blog");
        assert_eq!(url.root, "/blog");
        assert_eq!(url.host, "example.org");
        assert_eq!(config.docroot_path(), Path::new("/site/../public_html"));
    }

    #[test]
    fn base_url_without_scheme_names_the_key() {
        let err = parse("title = \"t\"\nbase_url = \"example.org\"\n").unwrap_err();
        let text = format!("{err:#}");
        assert!(
            text.starts_with("affiche.toml: base_url: expected an absolute https:// URL"),
            "{text}"
        );
        assert!(text.contains("got 'example.org'"), "{text}");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(parse("title = \"t\"\nbase_url = \"http://example.org\"\n").is_err());
        let ok = parse("title = \"t\"\nbase_url = \"http://127.0.0.1:8080\"\n").unwrap();
        assert_eq!(ok.site_url().host, "127.0.0.1:8080");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        let err =
            parse("title = \"t\"\nbase_url = \"https://a.org\"\ntitel = \"x\"\n").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("titel"), "{text}");
        assert!(text.starts_with("affiche.toml:"), "{text}");
        let err = parse(
            "title = \"t\"\nbase_url = \"https://a.org\"\n[authors]\npolicy = \"everyone\"\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("everyone"));
    }

    #[test]
    fn time_zone_and_language_are_checked() {
        let err =
            parse("title = \"t\"\nbase_url = \"https://a.org\"\ntime_zone = \"Mars/Olympus\"\n")
                .unwrap_err();
        assert!(format!("{err:#}").contains("time_zone: expected an IANA time zone"));
        let err =
            parse("title = \"t\"\nbase_url = \"https://a.org\"\nlanguage = \"english please\"\n")
                .unwrap_err();
        assert!(format!("{err:#}").contains("language:"));
        let ok = parse(
            "title = \"t\"\nbase_url = \"https://a.org\"\nlanguage = \"pt-BR\"\ntime_zone = \"America/Sao_Paulo\"\n",
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn paths_are_relative_to_the_config_file() {
        let config = parse("title = \"t\"\nbase_url = \"https://a.org\"\n").unwrap();
        assert_eq!(config.docroot_path(), Path::new("/site/public_html"));
        assert_eq!(config.database_path(), Path::new("/site/./affiche.sqlite"));
    }
}
