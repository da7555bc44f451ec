//! Who may write here, and who she is: the author policy, the rate limits
//! of login messages and of readers' reports, looking a handle up on the
//! fediverse, and copying her avatar so reader pages load nothing from
//! elsewhere.

use std::path::PathBuf;

use serde_json::Value;

use crate::config::{AuthorPolicy, Config, Limits};
use crate::context::Context;
use crate::federation::fetch::{FetchErrorKind, Fetcher, Handle, SignRequest};
use crate::federation::inbox::remote_actor;
use crate::i18n::{Arg, Messages};
use crate::media::{self, Purpose};
use crate::render::atomic;
use crate::store::{Author, RemoteActor, Store};

/// An account as typed, in the form policies and rate limits compare:
/// `user@host`, lowercase.
pub fn normalize_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_ascii_lowercase()
}

/// Whether the site lets this account log in, and if not, why (in words
/// for the person who typed it). Checked before anything is sent.
pub fn check_policy(config: &Config, handle: &str, words: &Messages) -> Result<(), String> {
    let handle = normalize_handle(handle);
    let host = handle.split_once('@').map(|(_, h)| h).unwrap_or("");
    let at_handle = || ("handle", Arg::from(format!("@{handle}")));
    if config.authors.is_blocked(&handle) {
        return Err(words.t_with("settings-account-blocked-text", &[at_handle()]));
    }
    match config.authors.policy {
        AuthorPolicy::Open => Ok(()),
        AuthorPolicy::Closed => Err(words.t("policy-closed")),
        AuthorPolicy::Instances => {
            if config
                .authors
                .instances
                .iter()
                .any(|i| i.eq_ignore_ascii_case(host))
            {
                Ok(())
            } else {
                Err(words.t_with(
                    "policy-instances",
                    &[
                        ("instances", config.authors.instances.join(", ").into()),
                        at_handle(),
                        ("host", host.into()),
                    ],
                ))
            }
        }
        AuthorPolicy::Handles => {
            if config
                .authors
                .handles
                .iter()
                .any(|h| normalize_handle(h) == handle)
            {
                Ok(())
            } else {
                Err(words.t_with("policy-handles", &[at_handle()]))
            }
        }
    }
}

/// What a blocked author is told, at login and in the editor.
pub fn blocked_message(handle: &str) -> String {
    format!(
        "@{} is blocked on this site: its owner no longer lets this account log in, save or publish here.",
        normalize_handle(handle)
    )
}

/// A rate limit: which events count, and how many an hour.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    PerHandle,
    PerAddress,
    Site,
    /// Readers' reports from one network address.
    ReportsPerAddress,
    /// Readers' reports, the whole site together.
    Reports,
}

impl Limit {
    fn kind(self) -> &'static str {
        match self {
            Limit::PerHandle => "login-handle",
            Limit::PerAddress => "login-address",
            Limit::Site => "login-site",
            Limit::ReportsPerAddress => "report-address",
            Limit::Reports => "report-site",
        }
    }

    fn allowed(self, limits: &Limits) -> usize {
        match self {
            Limit::PerHandle => limits.logins_per_handle_per_hour,
            Limit::PerAddress => limits.logins_per_address_per_hour,
            Limit::Site => limits.logins_per_hour,
            Limit::ReportsPerAddress => limits.reports_per_address_per_hour,
            Limit::Reports => limits.reports_per_hour,
        }
    }
}

const HOUR: i64 = 3600;

/// `Err(minutes)` to wait when the limit is reached; otherwise counts one
/// more event.
pub fn take(
    store: &Store,
    limits: &Limits,
    limit: Limit,
    key: &str,
    now: i64,
) -> anyhow::Result<Result<(), i64>> {
    let (count, oldest) = store.rate_events(limit.kind(), key, now - HOUR)?;
    if count >= limit.allowed(limits) {
        let free_at = oldest.unwrap_or(now) + HOUR;
        let minutes = ((free_at - now).max(1) + 59) / 60;
        return Ok(Err(minutes));
    }
    store.record_rate_event(limit.kind(), key, now)?;
    Ok(Ok(()))
}

/// An account found on the fediverse, as much as a login needs.
#[derive(Debug, Clone)]
pub struct Found {
    pub actor: RemoteActor,
    /// `user@host` as the author is known (WebFinger's account).
    pub handle: String,
    pub credits_site: bool,
    /// Where direct messages to her go: her own inbox.
    pub inbox: String,
}

/// Looks an account up: WebFinger, then the actor document. Each failure
/// is a sentence for the person who typed the handle.
pub fn look_up(
    config: &Config,
    fetcher: &Fetcher,
    signer: &dyn SignRequest,
    typed: &str,
    now: i64,
    words: &Messages,
) -> Result<Found, String> {
    let parsed = Handle::parse(typed).map_err(|e| describe(typed, e.kind(), words))?;
    let actor_id = fetcher
        .webfinger(typed, signer)
        .map_err(|e| describe(typed, e.kind(), words))?;
    let document = fetcher
        .fetch_object(&actor_id, signer)
        .map_err(|e| describe(typed, e.kind(), words))?;
    let typed_arg = || ("typed", Arg::from(typed));
    let kind = document.get("type").and_then(Value::as_str).unwrap_or("");
    if !matches!(
        kind,
        "Person" | "Service" | "Application" | "Organization" | "Group"
    ) {
        return Err(words.t_with("lookup-not-account", &[typed_arg(), ("kind", kind.into())]));
    }
    let actor = remote_actor(&document, None, now).map_err(|why| {
        words.t_with(
            "lookup-unusable",
            &[typed_arg(), ("why", why.to_string().into())],
        )
    })?;
    let inbox = if actor.inbox.is_empty() {
        actor.shared_inbox.clone()
    } else {
        actor.inbox.clone()
    };
    if inbox.is_empty() {
        return Err(words.t_with("lookup-no-inbox", &[typed_arg()]));
    }
    let handle = match parsed {
        Handle::Account { user, host } => {
            // The account must be the one the handle names: the same user
            // name, and an actor on another host only when that host's own
            // WebFinger vouches for it (Mastodon's round trip).
            let (username, actor_host) = actor.handle.split_once('@').unwrap_or(("", ""));
            if !username.eq_ignore_ascii_case(&user) {
                return Err(words.t_with(
                    "lookup-other-account",
                    &[typed_arg(), ("actor", actor.handle.as_str().into())],
                ));
            }
            if !actor_host.eq_ignore_ascii_case(&host) {
                let vouched = fetcher
                    .webfinger(&actor.handle, signer)
                    .is_ok_and(|id| id == actor.id);
                if !vouched {
                    return Err(words.t_with(
                        "lookup-unconfirmed",
                        &[typed_arg(), ("host", actor_host.into())],
                    ));
                }
            }
            format!("{user}@{host}").to_ascii_lowercase()
        }
        Handle::ProfileUrl(_) => actor.handle.to_ascii_lowercase(),
    };
    if handle.is_empty() {
        return Err(words.t_with("lookup-no-name", &[typed_arg()]));
    }
    Ok(Found {
        credits_site: credits(config, &document),
        actor,
        handle,
        inbox,
    })
}

/// Whether the actor's `attributionDomains` include this site's domain or
/// a parent of it: then Mastodon credits her in this site's link previews.
fn credits(config: &Config, document: &Value) -> bool {
    let site = config.site_url().host.to_ascii_lowercase();
    let site = site.split(':').next().unwrap_or("").to_string();
    document
        .get("attributionDomains")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_ascii_lowercase)
        .any(|d| !d.is_empty() && (site == d || site.ends_with(&format!(".{d}"))))
}

fn describe(typed: &str, kind: &FetchErrorKind, words: &Messages) -> String {
    let (id, why) = match kind {
        FetchErrorKind::BadHandle(why) => ("lookup-bad-handle", why.to_string()),
        other => ("lookup-not-found", other.to_string()),
    };
    words.t_with(id, &[("typed", typed.into()), ("why", why.into())])
}

/// Saves what the site shows of an author, with her avatar copied here.
/// An avatar that cannot be fetched or read is left out, not an error: the
/// byline works without it.
pub fn save_author(
    ctx: &Context,
    fetcher: &Fetcher,
    found: &Found,
    now: i64,
) -> anyhow::Result<Author> {
    let avatar = if found.actor.icon.is_empty() {
        String::new()
    } else {
        match copy_avatar(ctx, fetcher, &found.actor.icon) {
            Ok(path) => path,
            Err(why) => {
                eprintln!(
                    "affiche: the avatar of {} was not copied: {why}",
                    found.handle
                );
                String::new()
            }
        }
    };
    let author = Author {
        actor_id: found.actor.id.clone(),
        handle: found.handle.clone(),
        name: found.actor.name.clone(),
        avatar,
        profile_url: if found.actor.url.is_empty() {
            found.actor.id.clone()
        } else {
            found.actor.url.clone()
        },
        inbox: found.inbox.clone(),
        credits_site: found.credits_site,
        updated_at: now,
    };
    ctx.store.save_author(&author)?;
    Ok(author)
}

/// Fetches an image and writes it, re-encoded and square, under media/.
fn copy_avatar(ctx: &Context, fetcher: &Fetcher, url: &str) -> Result<String, String> {
    let bytes = fetcher.fetch_image(url).map_err(|e| e.to_string())?;
    let processed = media::process(&bytes, Purpose::Avatar, &media::Limits::default())
        .map_err(|e| e.to_string())?;
    store_media(ctx, &processed).map_err(|e| format!("{e:#}"))
}

/// Writes a processed image into the docroot's media folder and returns
/// its path as pages link to it (`/media/…`, under the site's root).
pub fn store_media(ctx: &Context, processed: &media::Processed) -> anyhow::Result<String> {
    let name = processed.file_name();
    let relative = PathBuf::from("media").join(&name);
    let path = atomic::resolve(ctx.renderer.docroot(), &relative)?;
    if !path.exists() {
        atomic::write(&path, &processed.bytes)?;
    }
    Ok(format!("{}/media/{name}", ctx.renderer.site_url().root))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn english() -> Messages {
        Messages::new(
            std::sync::Arc::new(crate::i18n::I18n::new()),
            crate::i18n::Lang::ENGLISH,
        )
    }

    fn config(policy: &str, extra: &str) -> Config {
        let text = format!(
            "title = \"T\"\nbase_url = \"https://blog.example.org\"\n[authors]\npolicy = \"{policy}\"\n{extra}"
        );
        Config::parse(&text, "test", std::path::Path::new(".")).unwrap()
    }

    #[test]
    fn policies_decide_before_anything_is_sent() {
        assert!(check_policy(&config("open", ""), "@anyone@any.where", &english()).is_ok());
        let closed = check_policy(&config("closed", ""), "@a@b.c", &english()).unwrap_err();
        assert!(closed.contains("closed"), "{closed}");
        let instances = config("instances", "instances = [\"Mastodon.Social\"]");
        assert!(check_policy(&instances, "@Alice@mastodon.social", &english()).is_ok());
        let refused = check_policy(&instances, "@alice@evil.example", &english()).unwrap_err();
        assert!(
            refused.contains("Mastodon.Social") && refused.contains("evil.example"),
            "{refused}"
        );
        let handles = config("handles", "handles = [\"@Alice@m.example\"]");
        assert!(check_policy(&handles, "alice@M.example", &english()).is_ok());
        assert!(check_policy(&handles, "@bob@m.example", &english()).is_err());
    }

    #[test]
    fn attribution_counts_the_domain_and_its_parents() {
        let config = config("open", "");
        let doc = |domains: Value| serde_json::json!({ "attributionDomains": domains });
        assert!(credits(
            &config,
            &doc(serde_json::json!(["blog.example.org"]))
        ));
        assert!(credits(
            &config,
            &doc(serde_json::json!(["other.net", "example.org"]))
        ));
        assert!(!credits(&config, &doc(serde_json::json!(["ample.org"]))));
        assert!(!credits(&config, &doc(serde_json::json!("example.org"))));
        assert!(!credits(&config, &serde_json::json!({})));
    }

    #[test]
    fn rate_limits_say_how_long_to_wait() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite"), true).unwrap();
        let limits = Limits {
            logins_per_handle_per_hour: 2,
            ..Limits::default()
        };
        let t = 1_000_000;
        assert_eq!(
            take(&store, &limits, Limit::PerHandle, "a@b", t).unwrap(),
            Ok(())
        );
        assert_eq!(
            take(&store, &limits, Limit::PerHandle, "a@b", t + 600).unwrap(),
            Ok(())
        );
        assert_eq!(
            take(&store, &limits, Limit::PerHandle, "a@b", t + 1200).unwrap(),
            Err(40)
        );
        assert_eq!(
            take(&store, &limits, Limit::PerHandle, "c@d", t + 1200).unwrap(),
            Ok(()),
            "another handle"
        );
        assert_eq!(
            take(&store, &limits, Limit::PerHandle, "a@b", t + 3601).unwrap(),
            Ok(()),
            "an hour later"
        );
    }
}
