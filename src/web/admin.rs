//! The admin pages (`/admin`), for the handles of `[admin] handles`: the
//! review queue (approve, or reject with a message sent to the author),
//! replies held on every article, reports, every published article and
//! event (unpublish, delete), and the federation's health.
//!
//! Every page asks for a session whose author is an admin: a visitor who
//! is not logged in is sent to the login page, an author who is not an
//! admin gets a 403. Every POST carries the session's CSRF token.

use http::{Method, Request, StatusCode};
use minijinja::context;
use serde::Serialize;

use crate::config::{LoginDm, Workflow};
use crate::context::Context;
use crate::federation::documents::Endpoints;
use crate::federation::fetch::{FetchOptions, Fetcher};
use crate::federation::outbox;
use crate::federation::signer::SiteSigner;
use crate::publish::{self, Queued};
use crate::render::markdown::render_body;
use crate::store::{
    Article, ArticleEdit, Author, Comment, CommentState, Kind, RemoteActor, Status, url_host,
};
use crate::web::admin_tools;
use crate::web::forms::{Form, redirect};
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

/// Longest rejection message sent to an author.
const MAX_MESSAGE: usize = 2_000;
/// Longest text of a forwarded Flag (Mastodon keeps 5,000 characters).
const MAX_FORWARD: usize = 1_000;
/// Handled reports listed under the open ones.
const HANDLED_SHOWN: usize = 20;

/// Whether a path is one of the admin pages.
pub fn handles(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// Answers `/admin` and `/admin/...`; the bool says deliveries were queued.
pub fn route(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let path = request.uri().path().trim_end_matches('/');
    let get = matches!(*request.method(), Method::GET | Method::HEAD);
    let post = *request.method() == Method::POST;
    let admin = match admin_of(ctx, visitor) {
        Ok(admin) => admin,
        Err(answer) => return Ok((*answer, false)),
    };
    if crate::web::admin_settings::handles(path) {
        return crate::web::admin_settings::route(ctx, visitor, request, admin);
    }
    if post {
        let back = (admin_url(ctx, ""), ctx.words().t("admin-title"));
        let form = match posted_form(ctx, visitor, request, (&back.0, &back.1)) {
            Ok(form) => form,
            Err(answer) => return Ok((*answer, false)),
        };
        let id = form.text("id").trim().parse::<i64>().ok();
        let action = form.text("action");
        return match (path, id) {
            ("/admin/article", Some(id)) => article_action(ctx, visitor, &form, id, &action, now),
            ("/admin/comment", Some(id)) => comment_action(ctx, id, &action, now),
            ("/admin/flag", Some(id)) => flag_action(ctx, admin, &form, id, &action, now),
            ("/admin/doctor", _) => Ok((admin_tools::doctor(ctx, visitor, admin, true), false)),
            ("/admin/export", _) => Ok((admin_tools::export(ctx, admin)?, false)),
            _ => Ok((not_found(ctx), false)),
        };
    }
    if !get {
        return Ok((method_not_allowed(ctx), false));
    }
    match path {
        "/admin" => Ok((dashboard(ctx, visitor, admin, request)?, false)),
        "/admin/health" => Ok((health(ctx, visitor, admin, now)?, false)),
        "/admin/doctor" => Ok((admin_tools::doctor(ctx, visitor, admin, false), false)),
        "/admin/export" => Ok((admin_tools::export_page(ctx, visitor, admin), false)),
        _ => Ok((not_found(ctx), false)),
    }
}

/// A POST's form, checked: a form body carrying the session's CSRF
/// token; or the answer that refuses it, with a link back to `back` (an
/// admin page's address and name).
pub fn posted_form(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    back: (&str, &str),
) -> Result<Form, Box<Answer>> {
    let words = ctx.words();
    let form = Form::parse(request).map_err(|why| {
        Box::new(message(
            ctx,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &words.t("error-not-a-form"),
            &[&why],
            None,
            true,
        ))
    })?;
    if !visitor.csrf_ok(&form) {
        return Err(Box::new(message(
            ctx,
            StatusCode::FORBIDDEN,
            &words.t("nothing-changed-title"),
            &[&words.t("admin-expired")],
            Some(back),
            true,
        )));
    }
    Ok(form)
}

/// The answer to a method other than GET, HEAD or POST.
pub fn method_not_allowed(ctx: &Context) -> Answer {
    Answer::Response(crate::web::text(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "{}\n",
            ctx.words()
                .t_with("error-method", &[("allow", "GET, POST".into())])
        ),
    ))
}

/// The logged-in admin, or the answer for anyone else.
fn admin_of<'a>(ctx: &Context, visitor: &'a Visitor) -> Result<&'a Author, Box<Answer>> {
    let Some(author) = visitor.session.as_ref().and(visitor.author.as_ref()) else {
        return Err(Box::new(Answer::Response(redirect(&format!(
            "{}/login",
            ctx.renderer.site_url().root
        )))));
    };
    if !ctx.config.admin.is_admin(&author.handle) {
        return Err(Box::new(message(
            ctx,
            StatusCode::FORBIDDEN,
            &ctx.words().t("admin-only-title"),
            &[&ctx.words().t_with(
                "admin-only-text",
                &[("handle", format!("@{}", author.handle).into())],
            )],
            Some((
                &format!("{}/editor/", ctx.renderer.site_url().root),
                &ctx.words().t("editor-my-articles"),
            )),
            true,
        )));
    }
    Ok(author)
}

fn admin_url(ctx: &Context, rest: &str) -> String {
    format!("{}/admin/{rest}", ctx.renderer.site_url().root)
}

fn done(ctx: &Context, notice: &str, queued: bool) -> anyhow::Result<(Answer, bool)> {
    Ok((
        Answer::Response(redirect(&admin_url(ctx, &format!("?notice={notice}")))),
        queued,
    ))
}

/// A text the admin wrote is over `max` characters: `id` and `id-text`
/// in the catalogs say so; the link goes back to the admin page at `at`.
fn too_long(ctx: &Context, id: &str, max: usize, at: &str) -> Answer {
    let words = ctx.words();
    message(
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        &words.t(id),
        &[&words.t_with(&format!("{id}-text"), &[("max", max.into())])],
        Some((&admin_url(ctx, at), &words.t("admin-title"))),
        true,
    )
}

fn not_found(ctx: &Context) -> Answer {
    message(
        ctx,
        StatusCode::NOT_FOUND,
        &ctx.words().t("admin-not-found"),
        &[&ctx.words().t("admin-not-found-text")],
        Some((&admin_url(ctx, ""), &ctx.words().t("admin-title"))),
        true,
    )
}

fn date(ctx: &Context, seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| {
            t.to_zoned_datetime(ctx.config.tz())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// The message id of a notice (admin.html shows `t(notice)`).
fn notice_text(code: Option<&str>) -> &'static str {
    match code {
        Some("approved") => "admin-notice-approved",
        Some("rejected") => "admin-notice-rejected",
        Some("unpublished") => "admin-notice-unpublished",
        Some("deleted") => "admin-notice-deleted",
        Some("comment-approved") => "notice-comment-approved",
        Some("comment-hidden") => "notice-comment-hidden",
        Some("comment-shown") => "notice-comment-shown",
        Some("comment-deleted") => "admin-notice-comment-deleted",
        Some("flag-dismissed") => "admin-notice-flag-dismissed",
        Some("flag-unpublished") => "admin-notice-flag-unpublished",
        Some("flag-forwarded") => "admin-notice-flag-forwarded",
        Some("flag-blocked") => "admin-notice-flag-blocked",
        _ => "",
    }
}

#[derive(Serialize)]
struct Listed {
    id: i64,
    title: String,
    kind: &'static str,
    author: String,
    date: String,
    url: String,
}

fn listed(ctx: &Context, article: &Article) -> Listed {
    Listed {
        id: article.id,
        title: article.title.clone(),
        kind: match article.kind {
            Kind::Article => "article",
            Kind::Event => "event",
        },
        author: article.author.handle.clone(),
        date: date(ctx, article.updated_at),
        url: if article.status == Status::Published {
            crate::web::report::page_url(ctx, article)
        } else {
            String::new()
        },
    }
}

#[derive(Serialize)]
struct HeldReply {
    id: i64,
    author: String,
    url: String,
    content: String,
    summary: String,
    date: String,
    state: &'static str,
    article: String,
    article_url: String,
}

fn reply(ctx: &Context, comment: &Comment) -> anyhow::Result<HeldReply> {
    let article = ctx.store.article_by_id(comment.article_id)?;
    Ok(HeldReply {
        id: comment.id,
        author: crate::web::report::author_of(comment),
        url: if comment.url.is_empty() {
            comment.object_id.clone()
        } else {
            comment.url.clone()
        },
        content: comment.content.clone(),
        summary: comment.summary.clone(),
        date: date(ctx, comment.published),
        state: comment.state.as_str(),
        article: article
            .as_ref()
            .map(|a| a.title.clone())
            .unwrap_or_default(),
        article_url: article
            .filter(|a| a.status == Status::Published)
            .map(|a| crate::web::report::page_url(ctx, &a))
            .unwrap_or_default(),
    })
}

#[derive(Serialize)]
struct ReportedPage {
    id: i64,
    title: String,
    url: String,
    published: bool,
}

#[derive(Serialize)]
struct Report {
    id: i64,
    /// `web` (the site's report form) or `activitypub` (a Flag).
    source: String,
    reporter: String,
    reporter_domain: String,
    /// A reader's reason, in words (empty for a Flag).
    reason: String,
    content: String,
    /// How the reader may be reached: for the admin only.
    contact: String,
    date: String,
    /// Reported replies shown here, with their buttons.
    replies: Vec<HeldReply>,
    /// Reported pages of this site.
    pages: Vec<ReportedPage>,
    /// Reported objects that are neither (actors, unknown notes).
    others: Vec<Other>,
    /// The config lines a block would take: the reporter's server, and the
    /// authors' of the reported replies.
    block_lines: Vec<String>,
    /// What the admin may block in one click (the config is edited).
    blocks: Vec<BlockChoice>,
    /// Whether a Flag can be forwarded to a reported reply's server.
    forwardable: bool,
    forwarded: String,
    /// What a forwarded Flag says by default: the reason and the words.
    forward_text: String,
    outcome: String,
    handled: String,
}

/// The article or event an object id names, when it is the address of
/// one of ours (an event's under `events/`, an article's under
/// `articles/`): a Flag's objects are whatever its sender wrote.
fn our_page(ctx: &Context, object: &str) -> anyhow::Result<Option<Article>> {
    Ok(crate::web::report::page_at(ctx, object)?
        .filter(|(_, fragment)| fragment.is_none())
        .map(|(article, _)| article))
}

/// A reported object that is neither a reply nor a page of ours: a link
/// only when it is a web address.
#[derive(Serialize)]
struct Other {
    text: String,
    /// Empty for anything but http(s): a `javascript:` address from a
    /// hostile Flag would run with the admin's session if followed.
    href: String,
}

impl Other {
    fn of(object: &str) -> Other {
        let web = object
            .parse::<http::Uri>()
            .ok()
            .is_some_and(|uri| matches!(uri.scheme_str(), Some("http" | "https")));
        Other {
            text: object.to_string(),
            href: if web {
                object.to_string()
            } else {
                String::new()
            },
        }
    }
}

fn report(ctx: &Context, flag: &crate::store::Flag) -> anyhow::Result<Report> {
    let mut replies = Vec::new();
    let mut pages = Vec::new();
    let mut others = Vec::new();
    let mut authors: Vec<String> = Vec::new();
    for object in &flag.objects {
        if let Some(comment) = ctx.store.comment_by_object(object)? {
            authors.push(comment.actor_id.clone());
            replies.push(reply(ctx, &comment)?);
        } else if let Some(article) = our_page(ctx, object)? {
            pages.push(ReportedPage {
                id: article.id,
                title: article.title.clone(),
                url: object.clone(),
                published: article.status == Status::Published,
            });
        } else {
            others.push(Other::of(object));
        }
    }
    let reporter_domain = url_host(&flag.actor_id);
    let mut block_lines = Vec::new();
    for actor in &authors {
        let domain = url_host(actor);
        let line =
            format!("blocked_actors = [\"{actor}\"]   # or blocked_domains = [\"{domain}\"]");
        if !block_lines.contains(&line) {
            block_lines.push(line);
        }
    }
    if !reporter_domain.is_empty() {
        block_lines.push(format!(
            "blocked_domains = [\"{reporter_domain}\"]   # the reporter's server"
        ));
    }
    let web = flag.source == "web";
    let reason = if web {
        crate::web::report::reason_words(&ctx.words(), &flag.reason)
    } else {
        String::new()
    };
    Ok(Report {
        id: flag.id,
        source: flag.source.clone(),
        reporter: flag.actor_id.clone(),
        reporter_domain,
        forward_text: forward_text(ctx, flag),
        reason,
        content: flag.content.clone(),
        contact: flag.contact.clone(),
        date: date(ctx, flag.received_at),
        blocks: block_choices(ctx, flag)?,
        forwardable: !replies.is_empty(),
        replies,
        pages,
        others,
        block_lines,
        forwarded: flag.forwarded_at.map(|t| date(ctx, t)).unwrap_or_default(),
        outcome: flag.outcome.clone(),
        handled: flag.handled_at.map(|t| date(ctx, t)).unwrap_or_default(),
    })
}

/// An account or a server a report concerns, for a block button.
#[derive(Serialize, PartialEq)]
struct BlockChoice {
    /// `actor` or `domain`.
    key: &'static str,
    /// A handle (`@user@host`) or an actor id; a domain.
    value: String,
    /// `author` (of a reported reply) or `reporter` (a Flag's server).
    whose: &'static str,
    /// Already blocked by the config.
    blocked: bool,
}

/// The authors of the reported replies and their servers, and the server
/// a Flag came from.
fn block_choices(ctx: &Context, flag: &crate::store::Flag) -> anyhow::Result<Vec<BlockChoice>> {
    let federation = &ctx.config.federation;
    let mut choices: Vec<BlockChoice> = Vec::new();
    let mut add = |choice: BlockChoice| {
        if !choice.value.is_empty()
            && !choices
                .iter()
                .any(|c| c.key == choice.key && c.value == choice.value)
        {
            choices.push(choice);
        }
    };
    for object in &flag.objects {
        let Some(comment) = ctx.store.comment_by_object(object)? else {
            continue;
        };
        add(BlockChoice {
            key: "actor",
            value: crate::web::report::author_of(&comment),
            whose: "author",
            blocked: federation.blocks(&comment.actor_id, &comment.author_handle),
        });
        let domain = bare_host(&comment.actor_id);
        add(BlockChoice {
            blocked: federation.blocks_host(&domain),
            key: "domain",
            value: domain,
            whose: "author",
        });
    }
    if flag.source != "web" {
        let domain = bare_host(&flag.actor_id);
        add(BlockChoice {
            blocked: federation.blocks_host(&domain),
            key: "domain",
            value: domain,
            whose: "reporter",
        });
    }
    Ok(choices)
}

/// The host of an actor id without its port: what `blocked_domains` lists.
fn bare_host(url: &str) -> String {
    let host = url_host(url);
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name.to_string(),
        _ => host,
    }
}

/// POST /admin/flag with `block-actor` or `block-domain`: adds one of the
/// report's accounts or servers to `[federation]` in the config file
/// (written in place, the owner's comments kept). The report stays open:
/// blocking stops what comes next, hiding the reply is another button.
fn block(
    ctx: &Context,
    admin: &Author,
    flag: &crate::store::Flag,
    action: &str,
    value: &str,
) -> anyhow::Result<(Answer, bool)> {
    let key = if action == "block-actor" {
        "actor"
    } else {
        "domain"
    };
    let known = block_choices(ctx, flag)?
        .into_iter()
        .any(|c| c.key == key && c.value == value);
    if !known {
        return Ok((not_found(ctx), false));
    }
    let config_key = if key == "actor" {
        "federation.blocked_actors"
    } else {
        "federation.blocked_domains"
    };
    let words = ctx.words();
    let refused = |status, lines: &[&str]| {
        message(
            ctx,
            status,
            &words.t("admin-block-failed"),
            lines,
            Some((&admin_url(ctx, "#reports"), &words.t("tools-admin"))),
            true,
        )
    };
    match crate::config_edit::edit_file(
        &ctx.config.path,
        &[crate::config_edit::Edit::add(config_key, value)],
    ) {
        Ok(edited) => {
            for change in &edited.changes {
                eprintln!(
                    "affiche: @{} blocked from report {}: {change}",
                    admin.handle, flag.id
                );
            }
            done(ctx, "flag-blocked", false)
        }
        Err(err @ crate::config_edit::EditError::Invalid(_)) => {
            let problems = err.problems(&words);
            let lines: Vec<&str> = problems.iter().map(String::as_str).collect();
            Ok((refused(StatusCode::UNPROCESSABLE_ENTITY, &lines), false))
        }
        Err(crate::config_edit::EditError::NotWritable(why)) => {
            eprintln!("affiche: @{} could not block {value}: {why}", admin.handle);
            Ok((
                refused(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &[&why.text(&words), &words.t("admin-block-by-hand")],
                ),
                false,
            ))
        }
        Err(crate::config_edit::EditError::Failed(err)) => Err(err),
    }
}

/// What a forwarded Flag says unless the admin writes otherwise: a
/// reader's reason and words, or the received Flag's words. Never the
/// reader's contact.
fn forward_text(ctx: &Context, flag: &crate::store::Flag) -> String {
    if flag.source != "web" {
        return flag.content.clone();
    }
    // Read by another server's moderators: in the site's language, as
    // everything the site says elsewhere.
    let reason = crate::web::report::reason_words(&ctx.site_words(), &flag.reason);
    if flag.content.is_empty() {
        reason.to_string()
    } else {
        format!("{reason}: {}", flag.content)
    }
}

/// GET /admin/: what waits for an admin, and the published pages.
fn dashboard(
    ctx: &Context,
    visitor: &Visitor,
    admin: &Author,
    request: &Request<Vec<u8>>,
) -> anyhow::Result<Answer> {
    let pending: Vec<Listed> = ctx
        .store
        .articles_with_status(Status::Pending)?
        .iter()
        .map(|a| listed(ctx, a))
        .collect();
    let published: Vec<Listed> = ctx
        .store
        .articles_with_status(Status::Published)?
        .iter()
        .map(|a| listed(ctx, a))
        .collect();
    let held = ctx
        .store
        .held_comments()?
        .iter()
        .map(|c| reply(ctx, c))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let reports = ctx
        .store
        .flags()?
        .iter()
        .map(|f| report(ctx, f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let handled_reports = ctx
        .store
        .handled_flags(HANDLED_SHOWN)?
        .iter()
        .map(|f| report(ctx, f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let notice = notice_text(crate::web::query_param(request, "notice").as_deref());
    Ok(Answer::page(
        ctx,
        StatusCode::OK,
        "admin.html",
        &ctx.words().t("admin-title"),
        "admin/",
        context! {
            admin,
            csrf => &visitor.csrf,
            notice,
            review => ctx.config.authors.workflow == Workflow::Review,
            pending,
            published,
            held,
            reports,
            handled_reports,
        },
    ))
}

#[derive(Serialize)]
struct FailingHost {
    host: String,
    failures: i64,
    skip_until: String,
    error: String,
}

#[derive(Serialize)]
struct DeliveryError {
    inbox: String,
    attempts: i64,
    error: String,
}

#[derive(Serialize)]
struct InboxError {
    kind: String,
    actor: String,
    state: String,
    error: String,
    date: String,
}

/// GET /admin/health: followers, deliveries, errors, versions.
fn health(ctx: &Context, visitor: &Visitor, admin: &Author, now: i64) -> anyhow::Result<Answer> {
    let followers: Vec<_> = ctx
        .store
        .follower_list()?
        .into_iter()
        .map(|(actor, at)| context! { actor, date => date(ctx, at) })
        .collect();
    let queue = ctx.store.queue_status(now)?;
    let failing_hosts: Vec<FailingHost> = queue
        .failing_hosts
        .iter()
        .map(|(host, failures, until, error)| FailingHost {
            host: host.clone(),
            failures: *failures,
            skip_until: if *until > now {
                date(ctx, *until)
            } else {
                String::new()
            },
            error: error.clone(),
        })
        .collect();
    let delivery_errors: Vec<DeliveryError> = queue
        .recent_errors
        .iter()
        .map(|(inbox, attempts, error)| DeliveryError {
            inbox: inbox.clone(),
            attempts: *attempts,
            error: error.clone(),
        })
        .collect();
    let inbox_errors: Vec<InboxError> = ctx
        .store
        .inbox_failures(20)?
        .into_iter()
        .map(|f| InboxError {
            kind: f.kind,
            actor: f.actor,
            state: f.state,
            error: f.error,
            date: date(ctx, f.received_at),
        })
        .collect();
    Ok(Answer::page(
        ctx,
        StatusCode::OK,
        "admin_health.html",
        &ctx.words().t("health-title"),
        "admin/health",
        context! {
            admin,
            csrf => &visitor.csrf,
            follower_count => followers.len(),
            followers,
            queue => context! {
                pending => queue.pending,
                due => queue.due,
                done => queue.done,
                dropped => queue.dropped,
            },
            failing_hosts,
            delivery_errors,
            inbox_errors,
            version => crate::VERSION,
            schema => ctx.store.version()?,
        },
    ))
}

/// POST /admin/article: approve, reject, unpublish, delete.
fn article_action(
    ctx: &Context,
    visitor: &Visitor,
    form: &Form,
    id: i64,
    action: &str,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let Some(article) = ctx
        .store
        .article_by_id(id)?
        .filter(|a| a.status != Status::Deleted)
    else {
        return Ok((not_found(ctx), false));
    };
    match (action, article.status) {
        ("approve", Status::Pending) => {
            let Queued(queued) = approve(ctx, &article, now)?;
            done(ctx, "approved", queued)
        }
        ("reject", Status::Pending) => {
            let text = form.text("message").trim().replace("\r\n", "\n");
            if text.chars().count() > MAX_MESSAGE {
                return Ok((too_long(ctx, "admin-message-long", MAX_MESSAGE, ""), false));
            }
            ctx.store
                .transaction(|store| store.set_status_by_id(article.id, Status::Draft, now))?;
            let queued = tell_author(ctx, &article, &text, now)?;
            done(ctx, "rejected", queued)
        }
        ("unpublish", Status::Published) => {
            let (_, Queued(queued)) = publish::unpublish(ctx, &article, now)?;
            done(ctx, "unpublished", queued)
        }
        ("delete", _) => Ok((
            Answer::page(
                ctx,
                StatusCode::OK,
                "admin_delete.html",
                &ctx.words().t("editor-delete"),
                "admin/",
                context! {
                    title => &article.title,
                    author => &article.author.handle,
                    published => article.status == Status::Published,
                    action => admin_url(ctx, "article"),
                    back => admin_url(ctx, ""),
                    id => article.id,
                    csrf => &visitor.csrf,
                },
            ),
            false,
        )),
        ("delete-confirmed", _) => {
            let (_, Queued(queued)) = publish::delete(ctx, &article, now)?;
            done(ctx, "deleted", queued)
        }
        _ => Ok((not_found(ctx), false)),
    }
}

/// Publishes a pending article or event as it is stored: the publishing
/// code runs with the direct workflow, so it publishes instead of sending
/// for review again, then renders and announces.
fn approve(ctx: &Context, article: &Article, now: i64) -> anyhow::Result<Queued> {
    let mut config = ctx.config.clone();
    config.authors.workflow = Workflow::Direct;
    let direct = Context::from_config(config)?;
    let body_md = direct.store.body_markdown(article.id)?.unwrap_or_default();
    let edit = ArticleEdit {
        title: article.title.clone(),
        summary: article.summary.clone(),
        body: render_body(&body_md),
        body_md,
        lang: article.lang.clone(),
        tags: article.tags.clone(),
        cover: article.cover.clone(),
    };
    let (_, queued) = match (article.kind, direct.store.event_fields(article.id)?) {
        (Kind::Event, Some((fields, _))) => {
            publish::publish_event(&direct, article, &edit, &fields, now)?
        }
        _ => publish::publish(&direct, article, &edit, now)?,
    };
    Ok(queued)
}

/// Tells an author her article was sent back, with the admin's message:
/// a direct message from the site actor, or a line in the server's log
/// with `login_dm = "console"`. Returns whether a delivery was queued.
fn tell_author(ctx: &Context, article: &Article, text: &str, now: i64) -> anyhow::Result<bool> {
    let what = match article.kind {
        Kind::Event => "event",
        Kind::Article => "article",
    };
    // The site's words: the DM goes to someone elsewhere.
    let site_words = ctx.site_words();
    let mut words = site_words.t_with(
        "dm-sent-back",
        &[
            ("kind", what.into()),
            ("title", article.title.as_str().into()),
            ("site", ctx.config.title.as_str().into()),
        ],
    );
    if !text.is_empty() {
        words.push(' ');
        words.push_str(&site_words.t_with("dm-sent-back-says", &[("text", text.into())]));
    }
    let author = ctx.store.author_by_actor(&article.author.actor_id)?;
    let inbox = author.map(|a| a.inbox).unwrap_or_default();
    if ctx.config.authors.login_dm == LoginDm::Console || inbox.is_empty() {
        eprintln!(
            "affiche: message for @{} (not sent by DM): {words}",
            article.author.handle
        );
        return Ok(false);
    }
    let ends = Endpoints::new(&ctx.config);
    let nonce = crate::secrets::token()?;
    let dm = outbox::direct_message(
        &ends,
        &article.author.actor_id,
        &article.author.handle,
        &crate::participation::html_escape(&words).replace('\n', "<br>"),
        now,
        &nonce,
    );
    let id = dm["id"].as_str().unwrap_or_default().to_string();
    ctx.store
        .enqueue(&id, &dm.to_string(), std::slice::from_ref(&inbox), now)?;
    Ok(true)
}

/// Changes a reply's state (or deletes it) and renders its article again.
fn set_reply(ctx: &Context, comment: &Comment, action: &str) -> anyhow::Result<bool> {
    let changed = match action {
        "approve" | "show" => {
            comment.state != CommentState::Visible
                && ctx
                    .store
                    .set_comment_state(comment.id, CommentState::Visible)?
                    .is_some()
        }
        "hide" => {
            comment.state != CommentState::Hidden
                && ctx
                    .store
                    .set_comment_state(comment.id, CommentState::Hidden)?
                    .is_some()
        }
        "delete" => ctx.store.remove_comment(comment.id)?.is_some(),
        _ => return Ok(false),
    };
    if changed {
        if let Some(article) = ctx.store.article_by_id(comment.article_id)? {
            crate::actions::render_touched(
                ctx,
                &crate::render::plan::touched_by_comments(&article.slug),
            )?;
        }
    }
    Ok(true)
}

/// POST /admin/comment: approve, show, hide or delete a reply.
fn comment_action(
    ctx: &Context,
    id: i64,
    action: &str,
    _now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let Some(comment) = ctx.store.comment_by_id(id)? else {
        return Ok((not_found(ctx), false));
    };
    if !set_reply(ctx, &comment, action)? {
        return Ok((not_found(ctx), false));
    }
    let notice = match action {
        "approve" => "comment-approved",
        "show" => "comment-shown",
        "hide" => "comment-hidden",
        _ => "comment-deleted",
    };
    done(ctx, notice, false)
}

/// POST /admin/flag: act on what a report is about (hide or delete a
/// reply, unpublish a page), close the report, or forward a Flag to the
/// server of a reported reply. Acting closes the report; forwarding does
/// not (the admin may still act here).
fn flag_action(
    ctx: &Context,
    admin: &Author,
    form: &Form,
    id: i64,
    action: &str,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let Some(flag) = ctx.store.flag(id)?.filter(|f| f.handled_at.is_none()) else {
        return Ok((not_found(ctx), false));
    };
    let mut queued = false;
    let (outcome, notice) = match action {
        "dismiss" => ("dismissed", "flag-dismissed"),
        "hide" | "delete" => {
            let mut replies = Vec::new();
            for object in &flag.objects {
                if let Some(comment) = ctx.store.comment_by_object(object)? {
                    replies.push(comment);
                }
            }
            // A report about no reply of ours stays open: closing it as
            // "hidden" would say something was done.
            if replies.is_empty() {
                return Ok((not_found(ctx), false));
            }
            for comment in &replies {
                set_reply(ctx, comment, action)?;
            }
            if action == "hide" {
                ("hidden", "comment-hidden")
            } else {
                ("deleted", "comment-deleted")
            }
        }
        "unpublish" => {
            let mut pages = Vec::new();
            for object in &flag.objects {
                if let Some(article) =
                    our_page(ctx, object)?.filter(|a| a.status == Status::Published)
                {
                    pages.push(article);
                }
            }
            if pages.is_empty() {
                return Ok((not_found(ctx), false));
            }
            for article in &pages {
                let (_, Queued(q)) = publish::unpublish(ctx, article, now)?;
                queued |= q;
            }
            ("unpublished", "flag-unpublished")
        }
        "forward" if flag.forwarded_at.is_some() => {
            return Ok((already_forwarded(ctx, flag.forwarded_at), false));
        }
        "forward" => return forward(ctx, form, &flag, now),
        "block-actor" | "block-domain" => {
            return block(ctx, admin, &flag, action, form.text("value").trim());
        }
        _ => return Ok((not_found(ctx), false)),
    };
    ctx.store.close_flag(flag.id, outcome, now)?;
    done(ctx, notice, queued)
}

/// Forwards a report to the servers of the reported replies' authors, as
/// Mastodon does: a `Flag` from the site actor (the reader stays unknown),
/// `object` the account then the replies, `content` the reason; one per
/// account, to its server's shared inbox when known, through the signed
/// delivery queue. The reader's contact never leaves the site.
fn forward(
    ctx: &Context,
    form: &Form,
    flag: &crate::store::Flag,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let text = form.text("content").trim().replace("\r\n", "\n");
    if text.chars().count() > MAX_FORWARD {
        return Ok((
            too_long(ctx, "admin-forward-long", MAX_FORWARD, "#reports"),
            false,
        ));
    }
    let mut by_actor: Vec<(String, Vec<String>)> = Vec::new();
    for object in &flag.objects {
        if let Some(comment) = ctx.store.comment_by_object(object)? {
            match by_actor.iter_mut().find(|(a, _)| *a == comment.actor_id) {
                Some((_, notes)) => notes.push(comment.object_id),
                None => by_actor.push((comment.actor_id.clone(), vec![comment.object_id])),
            }
        }
    }
    if by_actor.is_empty() {
        return Ok((not_found(ctx), false));
    }
    // The worker would drop a Flag to a blocked server unsent, while the
    // admin read that it had gone: refused here, with the reason.
    let federation = &ctx.config.federation;
    let blocked: Vec<&str> = by_actor
        .iter()
        .map(|(actor_id, _)| actor_id.as_str())
        .filter(|actor_id| federation.blocks_host(&url_host(actor_id)))
        .collect();
    if !blocked.is_empty() {
        return Ok((
            not_forwarded(
                ctx,
                StatusCode::CONFLICT,
                "admin-not-forwarded-blocked",
                &blocked,
            ),
            false,
        ));
    }
    let ends = Endpoints::new(&ctx.config);
    let fetcher = Fetcher::new(FetchOptions::for_site(&ctx.config));
    let signer = SiteSigner::lazy(ctx);
    let mut unreachable = Vec::new();
    let mut blocked = Vec::new();
    let mut sent = Vec::new();
    for (actor_id, notes) in by_actor {
        let actor = match ctx.store.remote_actor(&actor_id)? {
            Some(actor) => Some(actor),
            None => fetcher
                .fetch_object(&actor_id, &signer)
                .ok()
                .and_then(|doc| crate::federation::inbox::remote_actor(&doc, None, now).ok())
                .filter(|a| a.id == actor_id),
        };
        let inbox = actor
            .as_ref()
            .map(RemoteActor::server_inbox)
            .unwrap_or_default();
        if inbox.is_empty() {
            unreachable.push(actor_id);
            continue;
        }
        if !crate::federation::blocking::inbox_allowed(federation, &inbox) {
            blocked.push(actor_id);
            continue;
        }
        if let Some(actor) = &actor {
            ctx.store.save_remote_actor(actor)?;
        }
        let activity = outbox::flag(&ends, &actor_id, &notes, &text, flag.id, now);
        sent.push((activity, inbox));
    }
    if !blocked.is_empty() {
        return Ok((
            not_forwarded(
                ctx,
                StatusCode::CONFLICT,
                "admin-not-forwarded-blocked",
                &blocked,
            ),
            false,
        ));
    }
    if !unreachable.is_empty() {
        return Ok((
            not_forwarded(
                ctx,
                StatusCode::BAD_GATEWAY,
                "admin-not-forwarded-text",
                &unreachable,
            ),
            false,
        ));
    }
    // Marked first: of two requests at once, only one queues the Flags.
    let marked = ctx.store.transaction(|store| {
        if !store.mark_flag_forwarded(flag.id, now)? {
            return Ok(false);
        }
        for (activity, inbox) in &sent {
            let id = activity["id"].as_str().unwrap_or_default();
            store.enqueue(id, &activity.to_string(), std::slice::from_ref(inbox), now)?;
        }
        Ok(true)
    })?;
    if !marked {
        let at = ctx.store.flag(flag.id)?.and_then(|f| f.forwarded_at);
        return Ok((already_forwarded(ctx, at), false));
    }
    done(ctx, "flag-forwarded", true)
}

/// A report forwarded already (a double click, or another admin): one
/// Flag is enough.
fn already_forwarded(ctx: &Context, at: Option<i64>) -> Answer {
    let words = ctx.words();
    let on = at.map(|t| date(ctx, t)).unwrap_or_default();
    message(
        ctx,
        StatusCode::CONFLICT,
        &words.t("admin-not-forwarded"),
        &[&words.t_with("admin-forwarded-on", &[("date", on.into())])],
        Some((&admin_url(ctx, "#reports"), &words.t("admin-title"))),
        true,
    )
}

/// Nothing forwarded, and why: `why` is a message with `$accounts`.
fn not_forwarded<S: AsRef<str>>(
    ctx: &Context,
    status: StatusCode,
    why: &str,
    accounts: &[S],
) -> Answer {
    let words = ctx.words();
    let accounts: Vec<&str> = accounts.iter().map(AsRef::as_ref).collect();
    message(
        ctx,
        status,
        &words.t("admin-not-forwarded"),
        &[&words.t_with(why, &[("accounts", accounts.join(", ").into())])],
        Some((&admin_url(ctx, "#reports"), &words.t("admin-title"))),
        true,
    )
}
