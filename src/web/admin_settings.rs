//! The admin settings page (`/admin/settings`): the owner's rules — who
//! may publish, the workflow, accepted languages, comment moderation, and
//! the blocks (domains, accounts, authors) — edited in `affiche.toml`
//! itself through [`crate::config_edit`], so the file stays the one truth
//! and keeps its comments. Also `POST /admin/settings/block-author`, the
//! "block this author" button of the review queue and article list.
//!
//! The caller ([`crate::web::admin::route`]) has checked that the visitor
//! is an admin; every POST here checks the session's CSRF token.

use http::{Method, Request, StatusCode};
use minijinja::context;
use serde::Serialize;

use crate::config::{AuthorPolicy, Config, Moderation, Workflow};
use crate::config_edit::{self, Edit, EditError};
use crate::context::Context;
use crate::render::plan::Target;
use crate::store::Author;
use crate::web::admin;
use crate::web::forms::{Form, redirect};
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

/// Whether a path is one of this module's.
pub fn handles(path: &str) -> bool {
    path == "/admin/settings" || path.starts_with("/admin/settings/")
}

/// Answers `/admin/settings` and `/admin/settings/block-author` for an
/// admin.
pub fn route(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    admin: &Author,
) -> anyhow::Result<(Answer, bool)> {
    let path = request.uri().path().trim_end_matches('/');
    let words = ctx.words();
    let get = matches!(*request.method(), Method::GET | Method::HEAD);
    let post = *request.method() == Method::POST;
    match (path, get, post) {
        ("/admin/settings", true, _) => {
            let notice = notice_text(ctx, crate::web::query_param(request, "notice").as_deref());
            Ok((
                page(
                    ctx,
                    visitor,
                    admin,
                    StatusCode::OK,
                    &Fields::of(&ctx.config),
                    &[],
                    &notice,
                ),
                false,
            ))
        }
        ("/admin/settings" | "/admin/settings/block-author", _, true) => {
            let back = (settings_url(ctx), words.t("settings-title"));
            let form = match admin::posted_form(ctx, visitor, request, (&back.0, &back.1)) {
                Ok(form) => form,
                Err(answer) => return Ok((*answer, false)),
            };
            if path == "/admin/settings" {
                save(ctx, visitor, admin, &form)
            } else {
                block_author(ctx, admin, &form)
            }
        }
        ("/admin/settings", _, _) | ("/admin/settings/block-author", _, _) => {
            Ok((admin::method_not_allowed(ctx), false))
        }
        _ => Ok((
            message(
                ctx,
                StatusCode::NOT_FOUND,
                &words.t("settings-not-found"),
                &[&words.t("settings-not-found-text")],
                Some((&settings_url(ctx), &words.t("settings-title"))),
                true,
            ),
            false,
        )),
    }
}

fn settings_url(ctx: &Context) -> String {
    format!("{}/admin/settings", ctx.renderer.site_url().root)
}

fn notice_text(ctx: &Context, code: Option<&str>) -> String {
    let id = match code {
        Some("saved") => "settings-saved",
        Some("unchanged") => "settings-unchanged",
        Some("author-blocked") => "settings-author-blocked",
        _ => return String::new(),
    };
    ctx.words().t(id)
}

/// The form's values, as the page shows them: lists one item a line.
#[derive(Debug, Serialize)]
struct Fields {
    policy: String,
    instances: String,
    handles: String,
    workflow: String,
    languages: String,
    moderation: String,
    blocked_domains: String,
    blocked_actors: String,
    blocked_authors: String,
}

impl Fields {
    fn of(config: &Config) -> Fields {
        Fields {
            policy: match config.authors.policy {
                AuthorPolicy::Open => "open",
                AuthorPolicy::Instances => "instances",
                AuthorPolicy::Handles => "handles",
                AuthorPolicy::Closed => "closed",
            }
            .into(),
            instances: config.authors.instances.join("\n"),
            handles: config.authors.handles.join("\n"),
            workflow: match config.authors.workflow {
                Workflow::Direct => "direct",
                Workflow::Review => "review",
            }
            .into(),
            languages: config.authors.languages.join(" "),
            moderation: match config.comments.moderation {
                Moderation::Open => "open",
                Moderation::Held => "held",
                Moderation::Closed => "closed",
            }
            .into(),
            blocked_domains: config.federation.blocked_domains.join("\n"),
            blocked_actors: config.federation.blocked_actors.join("\n"),
            blocked_authors: config.authors.blocked.join("\n"),
        }
    }

    fn from_form(form: &Form) -> Fields {
        Fields {
            policy: form.text("policy").trim().to_string(),
            instances: form.text("instances"),
            handles: form.text("handles"),
            workflow: form.text("workflow").trim().to_string(),
            languages: form.text("languages"),
            moderation: form.text("moderation").trim().to_string(),
            blocked_domains: form.text("blocked_domains"),
            blocked_actors: form.text("blocked_actors"),
            blocked_authors: form.text("blocked_authors"),
        }
    }

    /// The config edits these values make; unchanged keys change nothing.
    fn edits(&self) -> Vec<Edit> {
        vec![
            Edit::set("authors.policy", &self.policy),
            Edit::set_list("authors.instances", items(&self.instances)),
            Edit::set_list("authors.handles", items(&self.handles)),
            Edit::set("authors.workflow", &self.workflow),
            Edit::set_list("authors.languages", items(&self.languages)),
            Edit::set("comments.moderation", &self.moderation),
            Edit::set_list("federation.blocked_domains", items(&self.blocked_domains)),
            Edit::set_list("federation.blocked_actors", items(&self.blocked_actors)),
            Edit::set_list("authors.blocked", items(&self.blocked_authors)),
        ]
    }
}

/// A list as typed: one a line, or separated by commas or spaces.
fn items(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn page(
    ctx: &Context,
    visitor: &Visitor,
    admin: &Author,
    status: StatusCode,
    fields: &Fields,
    errors: &[String],
    notice: &str,
) -> Answer {
    let root = &ctx.renderer.site_url().root;
    Answer::page(
        ctx,
        status,
        "admin_settings.html",
        &ctx.words().t("settings-title"),
        "admin/settings",
        context! {
            admin,
            csrf => &visitor.csrf,
            fields,
            errors,
            notice,
            rules_url => format!("{root}/rules/"),
            config_file => ctx.config.path.display().to_string(),
        },
    )
}

/// POST /admin/settings: every value at once; all problems listed, or
/// the file written and the public pages that show the rules re-rendered.
fn save(
    ctx: &Context,
    visitor: &Visitor,
    admin: &Author,
    form: &Form,
) -> anyhow::Result<(Answer, bool)> {
    let fields = Fields::from_form(form);
    match config_edit::edit_file(&ctx.config.path, &fields.edits()) {
        Ok(edited) => {
            if edited.changes.is_empty() {
                return Ok((
                    Answer::Response(redirect(&format!("{}?notice=unchanged", settings_url(ctx)))),
                    false,
                ));
            }
            log_changes(ctx, admin, &edited.changes);
            publish_rules(ctx, &edited.config);
            // A new comment moderation shows on every page: the worker the
            // answer starts sees the render fingerprint changed and renders
            // the whole site again, in the background.
            let everywhere = ctx.config.comments.moderation != edited.config.comments.moderation;
            Ok((
                Answer::Response(redirect(&format!("{}?notice=saved", settings_url(ctx)))),
                everywhere,
            ))
        }
        Err(err @ EditError::Invalid(_)) => Ok((
            page(
                ctx,
                visitor,
                admin,
                StatusCode::UNPROCESSABLE_ENTITY,
                &fields,
                &err.problems(&ctx.words()),
                "",
            ),
            false,
        )),
        Err(EditError::NotWritable(why)) => {
            log(&format!(
                "settings: @{} could not save: {why}",
                admin.handle
            ));
            Ok((
                page(
                    ctx,
                    visitor,
                    admin,
                    StatusCode::SERVICE_UNAVAILABLE,
                    &fields,
                    &[ctx.words().t_with(
                        "settings-not-writable",
                        &[("why", why.text(&ctx.words()).into())],
                    )],
                    "",
                ),
                false,
            ))
        }
        Err(EditError::Failed(err)) => Err(err.context("saving the settings")),
    }
}

/// POST /admin/settings/block-author: adds one handle to `[authors] blocked`.
fn block_author(ctx: &Context, admin: &Author, form: &Form) -> anyhow::Result<(Answer, bool)> {
    let handle = form.text("handle");
    let edits = [Edit::add("authors.blocked", handle.trim())];
    let words = ctx.words();
    let (back, back_text) = (settings_url(ctx), words.t("settings-title"));
    let heading = words.t("settings-expired-heading");
    let refused = |status, lines: &[&str]| {
        message(
            ctx,
            status,
            &heading,
            lines,
            Some((back.as_str(), back_text.as_str())),
            true,
        )
    };
    match config_edit::edit_file(&ctx.config.path, &edits) {
        Ok(edited) => {
            log_changes(ctx, admin, &edited.changes);
            if !edited.changes.is_empty() {
                publish_rules(ctx, &edited.config);
            }
            Ok((
                Answer::Response(redirect(&format!(
                    "{}?notice=author-blocked",
                    settings_url(ctx)
                ))),
                false,
            ))
        }
        Err(err @ EditError::Invalid(_)) => {
            let problems = err.problems(&words);
            let lines: Vec<&str> = problems.iter().map(String::as_str).collect();
            Ok((refused(StatusCode::UNPROCESSABLE_ENTITY, &lines), false))
        }
        Err(EditError::NotWritable(why)) => {
            log(&format!(
                "settings: @{} could not block {handle}: {why}",
                admin.handle
            ));
            Ok((
                refused(StatusCode::SERVICE_UNAVAILABLE, &[&why.text(&words)]),
                false,
            ))
        }
        Err(EditError::Failed(err)) => Err(err.context("blocking an author")),
    }
}

/// Who changed what, in the server's log: the owner's audit trail.
fn log_changes(ctx: &Context, admin: &Author, changes: &[config_edit::Change]) {
    for change in changes {
        log(&format!(
            "settings: @{} changed {change} in {}",
            admin.handle,
            ctx.config.path.display()
        ));
    }
}

/// The public pages that show the rules, rendered with the new config.
/// The file is written already: a failure here is logged, and the next
/// rebuild makes them.
fn publish_rules(ctx: &Context, config: &Config) {
    let rendered = crate::render::Renderer::new(config).and_then(|renderer| {
        let mut outputs = Vec::new();
        for target in [Target::Rules, Target::NodeInfo] {
            outputs.extend(renderer.render(&ctx.store, &target)?);
        }
        renderer.write(outputs)
    });
    if let Err(err) = rendered {
        log(&format!(
            "settings saved, but the rules page was not rendered: {err:#}"
        ));
    }
}

/// One line in the server's error log, written at once: Apache logs every
/// write to stderr as a line of its own, so `eprintln!`'s pieces would
/// come out cut.
fn log(line: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("affiche: {line}\n").as_bytes());
}
