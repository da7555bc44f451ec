//! The public rules page (`rules/index.html`): who may publish, how, in
//! which languages, how replies are moderated, which servers are blocked
//! and whom to contact — generated from the config, so it cannot say
//! something the site does not do. Like Mastodon's /about, the blocked
//! servers are listed by name; blocked accounts only counted.

use anyhow::Result;
use minijinja::context;
use serde::Serialize;

use crate::config::{AuthorPolicy, Config, Moderation, Workflow};

use super::{Output, Renderer};

/// What the rules template receives as `rules`.
#[derive(Debug, Serialize)]
pub struct RulesView {
    /// `open`, `instances`, `handles` or `closed`.
    pub policy: &'static str,
    pub instances: Vec<String>,
    pub handles: Vec<String>,
    /// `direct` or `review`.
    pub workflow: &'static str,
    /// Display names ("French (fr)"); empty means any language.
    pub languages: Vec<String>,
    /// `open`, `held` or `closed`.
    pub moderation: &'static str,
    pub blocked_domains: Vec<String>,
    /// Accounts blocked from federation and authors blocked, counted.
    pub blocked_accounts: usize,
    pub blocked_authors: usize,
    /// The admins' handles, `@user@host`.
    pub contacts: Vec<String>,
}

impl RulesView {
    pub fn of(config: &Config) -> RulesView {
        let at = |h: &String| format!("@{}", h.trim().trim_start_matches('@'));
        let mut blocked_domains: Vec<String> = config
            .federation
            .blocked_domains
            .iter()
            .map(|d| d.trim().trim_start_matches('.').to_ascii_lowercase())
            .collect();
        blocked_domains.sort();
        blocked_domains.dedup();
        RulesView {
            policy: policy_code(config.authors.policy),
            instances: config.authors.instances.clone(),
            handles: config.authors.handles.iter().map(at).collect(),
            workflow: match config.authors.workflow {
                Workflow::Direct => "direct",
                Workflow::Review => "review",
            },
            languages: config
                .authors
                .languages
                .iter()
                .map(|l| crate::languages::display_name(l))
                .collect(),
            moderation: moderation_code(config.comments.moderation),
            blocked_domains,
            blocked_accounts: config.federation.blocked_actors.len(),
            blocked_authors: config.authors.blocked.len(),
            contacts: config.admin.handles.iter().map(at).collect(),
        }
    }
}

pub fn policy_code(policy: AuthorPolicy) -> &'static str {
    match policy {
        AuthorPolicy::Open => "open",
        AuthorPolicy::Instances => "instances",
        AuthorPolicy::Handles => "handles",
        AuthorPolicy::Closed => "closed",
    }
}

pub fn moderation_code(moderation: Moderation) -> &'static str {
    match moderation {
        Moderation::Open => "open",
        Moderation::Held => "held",
        Moderation::Closed => "closed",
    }
}

impl Renderer {
    /// `rules/index.html`.
    pub(super) fn render_rules(&self) -> Result<Vec<Output>> {
        let words = &self.views.words;
        let page = self.page_view(
            &words.t("rules-page-title"),
            &words.t("rules-description"),
            "rules/",
            "website",
        );
        let rules = RulesView::of(&self.config);
        Ok(vec![Output::Write(
            "rules/index.html".into(),
            self.template("rules.html", page, context! { rules })?,
        )])
    }
}
