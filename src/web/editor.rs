//! The editor: an author's articles, a form that works without
//! JavaScript, preview, and the buttons that publish, update, unpublish
//! and delete. Only the author of an article sees or changes it.

use http::{Request, StatusCode};
use minijinja::context;
use serde::Serialize;

use crate::config::{Moderation, Workflow};
use crate::context::Context;
use crate::publish::{self, Change};
use crate::render::markdown;
use crate::store::{Article, ArticleEdit, ArticleTag, Author, CommentState, Kind, Status};
use crate::web::forms::{Form, redirect};
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

const MAX_TITLE: usize = 200;
const MAX_SUMMARY: usize = 500;
const MAX_BODY: usize = 200_000;
const MAX_TAGS: usize = 20;

/// The form's fields as typed, to show them again.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fields {
    pub title: String,
    pub body: String,
    pub summary: String,
    pub tags: String,
    pub lang: String,
    pub cover: String,
    /// The article's comments setting: empty (the site's), `open`, `held`
    /// or `closed`.
    pub comments: String,
}

impl Fields {
    fn from_form(form: &Form) -> Fields {
        Fields {
            title: form.text("title"),
            body: form.text("body").replace("\r\n", "\n"),
            summary: form.text("summary").replace("\r\n", "\n"),
            tags: form.text("tags"),
            lang: form.text("lang").trim().to_string(),
            cover: cover_field(form),
            comments: form.text("comments").trim().to_string(),
        }
    }

    fn from_article(ctx: &Context, article: &Article) -> anyhow::Result<Fields> {
        let body = ctx.store.body_markdown(article.id)?.unwrap_or_default();
        // A summary the site made from the text is not shown as typed: it
        // follows the text when the text changes.
        let summary = if article.summary == markdown::excerpt(&body, 240) {
            String::new()
        } else {
            article.summary.clone()
        };
        Ok(Fields {
            title: article.title.clone(),
            body,
            summary,
            tags: tag_list(article),
            lang: article.lang.clone(),
            cover: article.cover.clone(),
            comments: ctx
                .store
                .article_comments_setting(article.id)?
                .unwrap_or_default(),
        })
    }

    /// Checks the fields; `publishing` also asks for a body. Every problem
    /// is listed at once, in words. The event editor checks its article
    /// fields with it too.
    pub(crate) fn validate(
        &self,
        ctx: &Context,
        publishing: bool,
        root: &str,
        kind: Kind,
    ) -> Result<ArticleEdit, Vec<String>> {
        let config = &ctx.config;
        // The checks name what is edited: an article or an event.
        let kind = || {
            let name = match kind {
                Kind::Article => "article",
                Kind::Event => "event",
            };
            ("kind", crate::i18n::Arg::from(name))
        };
        let words = ctx.words();
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(words.t_with("check-title-empty", &[kind()]));
        } else if title.chars().count() > MAX_TITLE {
            errors.push(words.t_with("check-title-long", &[("max", MAX_TITLE.into())]));
        }
        if publishing && self.body.trim().is_empty() {
            errors.push(words.t("check-body-empty"));
        }
        if self.body.len() > MAX_BODY {
            errors.push(words.t_with(
                "check-body-long",
                &[
                    ("size", (self.body.len() / 1000).into()),
                    ("max", (MAX_BODY / 1000).into()),
                    kind(),
                ],
            ));
        }
        if self.summary.chars().count() > MAX_SUMMARY {
            errors.push(words.t_with("check-summary-long", &[("max", MAX_SUMMARY.into())]));
        }
        let lang = if self.lang.is_empty() {
            config.language.clone()
        } else {
            self.lang.clone()
        };
        let accepted = &config.authors.languages;
        if !crate::config::is_language_tag(&lang) {
            errors.push(words.t_with("check-lang-tag", &[("lang", lang.as_str().into())]));
        } else if !accepted.is_empty() && !accepted.iter().any(|l| l.eq_ignore_ascii_case(&lang)) {
            errors.push(words.t_with(
                "check-lang-refused",
                &[
                    ("accepted", accepted.join(", ").into()),
                    ("lang", lang.as_str().into()),
                ],
            ));
        }
        let mut tags: Vec<ArticleTag> = Vec::new();
        for name in self
            .tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let slug = crate::render::slugify(name);
            if slug.is_empty() || name.chars().count() > 50 {
                errors.push(words.t_with("check-tag", &[("tag", name.into())]));
            } else if !tags.iter().any(|t| t.slug == slug) {
                tags.push(ArticleTag {
                    slug,
                    name: name.to_string(),
                });
            }
        }
        if tags.len() > MAX_TAGS {
            errors.push(words.t_with(
                "check-tags-many",
                &[("count", tags.len().into()), ("max", MAX_TAGS.into())],
            ));
        }
        // A cover is only ever a file of our media folder, whatever the
        // form says.
        let cover_ok = self.cover.is_empty()
            || (self.cover.starts_with(&format!("{root}/media/"))
                && !self.cover.contains("..")
                && self
                    .cover
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_')));
        if !cover_ok {
            errors.push(words.t("check-cover"));
        }
        if comments_setting(&self.comments).is_err() {
            errors.push(words.t_with(
                "check-comments",
                &[("value", self.comments.as_str().into())],
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let summary = if self.summary.trim().is_empty() {
            markdown::excerpt(&self.body, 240)
        } else {
            self.summary.trim().to_string()
        };
        Ok(ArticleEdit {
            title: title.to_string(),
            summary,
            body_md: self.body.clone(),
            body: markdown::render_body(&self.body),
            lang,
            tags,
            cover: self.cover.clone(),
        })
    }
}

/// The cover field as sent: empty when "remove" is ticked.
pub(crate) fn cover_field(form: &Form) -> String {
    if form.get("remove_cover").is_some() {
        String::new()
    } else {
        form.text("cover")
    }
}

/// An article's tags as the form shows them.
pub(crate) fn tag_list(article: &Article) -> String {
    article
        .tags
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The stored form of a comments setting (`None`: the site's).
fn comments_setting(text: &str) -> Result<Option<&'static str>, ()> {
    match text {
        "" | "site" => Ok(None),
        "open" => Ok(Some("open")),
        "held" => Ok(Some("held")),
        "closed" => Ok(Some("closed")),
        _ => Err(()),
    }
}

/// A reply as the editor lists it: what the page shows, and its state.
#[derive(Serialize)]
struct Moderated {
    comment: crate::render::view::CommentView,
    state: &'static str,
}

#[derive(Serialize)]
struct Listed {
    id: i64,
    title: String,
    date: String,
    url: String,
}

fn login_first(ctx: &Context) -> Answer {
    Answer::Response(redirect(&format!("{}/login", ctx.renderer.site_url().root)))
}

/// The visitor's author, when she is logged in.
pub(crate) fn author_of(visitor: &Visitor) -> Option<&Author> {
    visitor.session.as_ref().and(visitor.author.as_ref())
}

/// GET /editor/
pub fn list(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
) -> anyhow::Result<Answer> {
    let Some(author) = author_of(visitor) else {
        return Ok(login_first(ctx));
    };
    let articles = ctx.store.articles_by_actor(&author.actor_id)?;
    let base = &ctx.renderer.site_url().base;
    let listed = |status: Status| -> Vec<Listed> {
        articles
            .iter()
            // Events are listed on their own, with their dates.
            .filter(|a| a.status == status && a.kind == crate::store::Kind::Article)
            .map(|a| Listed {
                id: a.id,
                title: a.title.clone(),
                date: jiff::Timestamp::from_second(a.updated_at)
                    .map(|t| {
                        t.to_zoned_datetime(ctx.config.tz())
                            .strftime("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default(),
                url: if status == Status::Published {
                    format!("{base}/{}", crate::render::view::article_dir(&a.slug))
                } else {
                    String::new()
                },
            })
            .collect()
    };
    let words = ctx.words();
    let groups = vec![
        context! { title => words.t("editor-drafts"), articles => listed(Status::Draft), empty => words.t("editor-no-drafts") },
        context! { title => words.t("status-pending"), articles => listed(Status::Pending), empty => words.t("admin-nothing-review") },
        context! { title => words.t("status-published"), articles => listed(Status::Published), empty => words.t("home-empty") },
    ];
    let events = crate::web::events::listed(ctx, author)?;
    let notice = notice_text(crate::web::query_param(request, "notice").as_deref());
    let host = &ctx.renderer.site_url().host;
    let site_domain = host.split(':').next().unwrap_or(host).to_string();
    Ok(Answer::page(
        ctx,
        StatusCode::OK,
        "editor_list.html",
        &words.t("editor-my-articles"),
        "editor/",
        context! { author, groups, events, csrf => &visitor.csrf, notice, site_domain, admin => ctx.config.admin.is_admin(&author.handle) },
    ))
}

/// The message id of a notice (templates show `t(notice)`).
fn notice_text(code: Option<&str>) -> &'static str {
    match code {
        Some("published") => "notice-published",
        Some("deleted") => "notice-deleted",
        Some("comment-hidden") => "notice-comment-hidden",
        Some("comment-shown") => "notice-comment-shown",
        Some("comment-approved") => "notice-comment-approved",
        code => common_notice(code),
    }
}

/// The notices the article and event editors share: message ids.
pub(crate) fn common_notice(code: Option<&str>) -> &'static str {
    match code {
        Some("saved") => "notice-saved",
        Some("unchanged") => "notice-unchanged",
        Some("pending") => "notice-pending",
        Some("updated") => "notice-updated",
        Some("unpublished") => "notice-unpublished",
        Some("cover") => "notice-cover",
        _ => "",
    }
}

/// The notice code of what a change did.
pub(crate) fn change_notice(change: Change) -> &'static str {
    match change {
        Change::Saved => "saved",
        Change::Unchanged => "unchanged",
        Change::Published => "published",
        Change::Pending => "pending",
        Change::Updated => "updated",
        Change::Unpublished => "unpublished",
        Change::Deleted => "deleted",
    }
}

/// To `url` (an editor page), with a notice.
pub(crate) fn to_notice(url: &str, notice: &str) -> Answer {
    Answer::Response(redirect(&format!("{url}?notice={notice}")))
}

/// The words of a page sent with an expired CSRF token.
pub(crate) fn expired(ctx: &Context) -> Vec<String> {
    vec![ctx.words().t("editor-expired")]
}

/// The words of an action no button sends.
pub(crate) fn unknown_action(ctx: &Context, action: &str) -> Vec<String> {
    vec![
        ctx.words()
            .t_with("editor-unknown-action", &[("action", action.into())]),
    ]
}

/// The words of a new form sent without its key.
pub(crate) fn incomplete(ctx: &Context) -> Vec<String> {
    vec![ctx.words().t("editor-incomplete")]
}

/// The language a new form starts with: the site's first accepted one.
pub(crate) fn default_lang(ctx: &Context) -> String {
    ctx.config
        .authors
        .languages
        .first()
        .cloned()
        .unwrap_or_else(|| ctx.config.language.clone())
}

/// How the editor names an article's status: a message id (templates
/// show `t(status_text)`).
pub(crate) fn status_text(status: Status) -> &'static str {
    match status {
        Status::Published => "status-published",
        Status::Pending => "status-pending",
        Status::Draft => "status-draft",
        Status::Deleted => "status-deleted",
    }
}

/// The buttons that withdraw an article or event, at `{root}/{path}/{id}`:
/// delete (a confirmation page), delete-confirmed and unpublish. `None`
/// for any other action, or with no article.
pub(crate) fn withdrawal(
    ctx: &Context,
    visitor: &Visitor,
    action: &str,
    article: Option<&Article>,
    path: &str,
    now: i64,
) -> anyhow::Result<Option<(Answer, bool)>> {
    let root = &ctx.renderer.site_url().root;
    let Some(article) = article else {
        return Ok(None);
    };
    let url = format!("{root}/{path}/{}", article.id);
    Ok(Some(match action {
        "delete" => (
            Answer::page(
                ctx,
                StatusCode::OK,
                "editor_delete.html",
                &ctx.words().t("editor-delete"),
                "editor/",
                context! {
                    title => &article.title,
                    published => article.status == Status::Published,
                    action => url,
                    csrf => &visitor.csrf,
                },
            ),
            false,
        ),
        "delete-confirmed" => {
            let (_, queued) = publish::delete(ctx, article, now)?;
            (to_notice(&format!("{root}/editor/"), "deleted"), queued.0)
        }
        "unpublish" => {
            let (_, queued) = publish::unpublish(ctx, article, now)?;
            (to_notice(&url, "unpublished"), queued.0)
        }
        _ => return Ok(None),
    }))
}

/// The page for an article or event that is not the visitor's.
pub(crate) fn no_such(ctx: &Context, title: &str, text: &str, back: &str) -> Answer {
    let root = &ctx.renderer.site_url().root;
    message(
        ctx,
        StatusCode::NOT_FOUND,
        title,
        &[text],
        Some((&format!("{root}/editor/"), back)),
        true,
    )
}

struct EditorPage<'a> {
    id: Option<i64>,
    article: Option<&'a Article>,
    fields: Fields,
    form_key: String,
    errors: Vec<String>,
    preview: Option<String>,
    notice: &'static str,
}

fn editor_page(
    ctx: &Context,
    visitor: &Visitor,
    page: EditorPage<'_>,
    status: StatusCode,
) -> Answer {
    let root = &ctx.renderer.site_url().root;
    let base = &ctx.renderer.site_url().base;
    let action = match page.id {
        Some(id) => format!("{root}/editor/{id}"),
        None => format!("{root}/editor/new"),
    };
    let article_status = page.article.map(|a| a.status.as_str()).unwrap_or("draft");
    // `owned` never gives a deleted article.
    let status_text = page.article.map(|a| status_text(a.status)).unwrap_or("");
    let page_url = page
        .article
        .filter(|a| a.status == Status::Published)
        .map(|a| format!("{base}/{}", crate::render::view::article_dir(&a.slug)))
        .unwrap_or_default();
    let title = if page.fields.title.is_empty() {
        ctx.words().t("editor-new-article")
    } else {
        page.fields.title.clone()
    };
    let comments: Vec<Moderated> = match page.article {
        Some(article) => match ctx.store.comments_of(article.id, true) {
            Ok(comments) => ctx
                .renderer
                .comment_views_in(&comments, &ctx.lang)
                .into_iter()
                .zip(&comments)
                .map(|(comment, c)| Moderated {
                    comment,
                    state: c.state.as_str(),
                })
                .collect(),
            Err(err) => {
                eprintln!(
                    "affiche: cannot list the replies of {}: {err:#}",
                    article.id
                );
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let waiting = comments.iter().filter(|c| c.state == "held").count();
    let site_comments = match ctx.config.comments.moderation {
        Moderation::Open => "open",
        Moderation::Held => "held",
        Moderation::Closed => "closed",
    };
    Answer::page(
        ctx,
        status,
        "editor.html",
        &title,
        "editor/",
        context! {
            id => page.id,
            action,
            fields => page.fields,
            form_key => page.form_key,
            errors => page.errors,
            preview => page.preview,
            notice => page.notice,
            status => article_status,
            status_text,
            page_url,
            csrf => &visitor.csrf,
            languages => &ctx.config.authors.languages,
            review => ctx.config.authors.workflow == Workflow::Review,
            comments,
            waiting,
            site_comments,
        },
    )
}

/// GET /editor/new
pub fn new(ctx: &Context, visitor: &Visitor) -> anyhow::Result<Answer> {
    if author_of(visitor).is_none() {
        return Ok(login_first(ctx));
    }
    let fields = Fields {
        lang: default_lang(ctx),
        ..Fields::default()
    };
    Ok(editor_page(
        ctx,
        visitor,
        EditorPage {
            id: None,
            article: None,
            fields,
            form_key: crate::secrets::token()?,
            errors: Vec::new(),
            preview: None,
            notice: "",
        },
        StatusCode::OK,
    ))
}

/// The article `id` if it is the visitor's.
fn owned(ctx: &Context, visitor: &Visitor, id: i64) -> anyhow::Result<Option<Article>> {
    let Some(author) = author_of(visitor) else {
        return Ok(None);
    };
    Ok(ctx
        .store
        .article_by_id(id)?
        .filter(|a| a.author.actor_id == author.actor_id && a.status != Status::Deleted))
}

fn not_found(ctx: &Context) -> Answer {
    let words = ctx.words();
    no_such(
        ctx,
        &words.t("editor-no-article"),
        &words.t("editor-no-article-text"),
        &words.t("editor-my-articles"),
    )
}

/// GET /editor/{id}
pub fn edit(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    id: i64,
) -> anyhow::Result<Answer> {
    if author_of(visitor).is_none() {
        return Ok(login_first(ctx));
    }
    let Some(article) = owned(ctx, visitor, id)? else {
        return Ok(not_found(ctx));
    };
    if article.kind == crate::store::Kind::Event {
        // An event has its own editor (the cover upload comes back here).
        let query = request
            .uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        return Ok(Answer::Response(redirect(&format!(
            "{}/editor/events/{id}{query}",
            ctx.renderer.site_url().root
        ))));
    }
    let fields = Fields::from_article(ctx, &article)?;
    let notice = notice_text(crate::web::query_param(request, "notice").as_deref());
    Ok(editor_page(
        ctx,
        visitor,
        EditorPage {
            id: Some(id),
            article: Some(&article),
            fields,
            form_key: String::new(),
            errors: Vec::new(),
            preview: None,
            notice,
        },
        StatusCode::OK,
    ))
}

/// POST /editor/new and /editor/{id}: the buttons of the form.
pub fn submit(
    ctx: &Context,
    visitor: &Visitor,
    form: &Form,
    id: Option<i64>,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let Some(author) = author_of(visitor) else {
        return Ok((login_first(ctx), false));
    };
    let root = ctx.renderer.site_url().root.clone();
    let article = match id {
        Some(id) => match owned(ctx, visitor, id)? {
            Some(article) => Some(article),
            None => return Ok((not_found(ctx), false)),
        },
        None => None,
    };
    let action = form.get("action").unwrap_or("save");
    let fields = Fields::from_form(form);
    let again = |errors: Vec<String>, preview: Option<String>, status| {
        editor_page(
            ctx,
            visitor,
            EditorPage {
                id,
                article: article.as_ref(),
                fields: fields.clone(),
                form_key: form.text("form_key"),
                errors,
                preview,
                notice: "",
            },
            status,
        )
    };
    if !visitor.csrf_ok(form) {
        return Ok((again(expired(ctx), None, StatusCode::FORBIDDEN), false));
    }
    if let (Some(state), Some(article)) = (comment_action(action), &article) {
        return moderate(ctx, form, article, action, state);
    }
    if let Some(done) = withdrawal(ctx, visitor, action, article.as_ref(), "editor", now)? {
        return Ok(done);
    }
    if !matches!(action, "preview" | "save" | "publish") {
        return Ok((
            again(unknown_action(ctx, action), None, StatusCode::BAD_REQUEST),
            false,
        ));
    }
    let publishing = action == "publish";
    let edit = match fields.validate(ctx, publishing, &root, Kind::Article) {
        Ok(edit) => edit,
        Err(errors) => return Ok((again(errors, None, StatusCode::UNPROCESSABLE_ENTITY), false)),
    };
    if action == "preview" {
        return Ok((
            again(Vec::new(), Some(edit.body.html.clone()), StatusCode::OK),
            false,
        ));
    }
    let article = match article {
        Some(article) => article,
        None => {
            let key = form.text("form_key");
            if key.len() < 20 {
                return Ok((again(incomplete(ctx), None, StatusCode::BAD_REQUEST), false));
            }
            let (created, fresh) = publish::create_draft(ctx, author, &edit, &key, now)?;
            if !fresh && !publishing {
                // The same form sent twice: the first send made the article.
                return Ok((
                    to_notice(&format!("{root}/editor/{}", created.id), "saved"),
                    false,
                ));
            }
            created
        }
    };
    // Stored before the article is rendered, so its page says whether it
    // takes replies; checked by `validate`.
    let setting = comments_setting(&fields.comments).unwrap_or(None);
    let setting_changed = ctx.store.article_comments_setting(article.id)?.as_deref() != setting;
    if setting_changed {
        ctx.store
            .set_article_comments_setting(article.id, setting)?;
    }
    let (change, queued) = if publishing {
        publish::publish(ctx, &article, &edit, now)?
    } else {
        publish::save(ctx, &article, &edit, now)?
    };
    let change = match change {
        Change::Unchanged if setting_changed => {
            crate::actions::render_touched(
                ctx,
                &crate::render::plan::touched_by_comments(&article.slug),
            )?;
            Change::Saved
        }
        change => change,
    };
    Ok((
        to_notice(
            &format!("{root}/editor/{}", article.id),
            change_notice(change),
        ),
        queued.0,
    ))
}

/// The state a moderation button asks for.
fn comment_action(action: &str) -> Option<CommentState> {
    match action {
        "comment-hide" => Some(CommentState::Hidden),
        "comment-show" | "comment-approve" => Some(CommentState::Visible),
        _ => None,
    }
}

/// Hides, shows or approves a reply to the author's article, then renders
/// the article's page again (and its twin, which lists the replies).
fn moderate(
    ctx: &Context,
    form: &Form,
    article: &Article,
    action: &str,
    state: CommentState,
) -> anyhow::Result<(Answer, bool)> {
    let root = &ctx.renderer.site_url().root;
    let comment = form
        .text("comment")
        .trim()
        .parse::<i64>()
        .ok()
        .map(|id| ctx.store.comment_by_id(id))
        .transpose()?
        .flatten()
        .filter(|c| c.article_id == article.id);
    let Some(comment) = comment else {
        return Ok((
            message(
                ctx,
                StatusCode::NOT_FOUND,
                &ctx.words().t("editor-no-reply"),
                &[&ctx.words().t("editor-no-reply-text")],
                Some((
                    &format!("{root}/editor/{}#comments", article.id),
                    &ctx.words().t("editor-back-to-article"),
                )),
                true,
            ),
            false,
        ));
    };
    if comment.state != state {
        ctx.store.set_comment_state(comment.id, state)?;
        crate::actions::render_touched(
            ctx,
            &crate::render::plan::touched_by_comments(&article.slug),
        )?;
    }
    let notice = match action {
        "comment-hide" => "comment-hidden",
        "comment-approve" => "comment-approved",
        _ => "comment-shown",
    };
    Ok((
        Answer::Response(redirect(&format!(
            "{root}/editor/{}?notice={notice}#comment-{}",
            article.id, comment.id
        ))),
        false,
    ))
}

/// To the login page, for the router.
pub fn login_redirect(ctx: &Context) -> Answer {
    login_first(ctx)
}

/// The page for an article that is not there (or not hers).
pub fn missing(ctx: &Context) -> Answer {
    not_found(ctx)
}

/// The article of `/editor/{id}` paths, for the router.
pub fn owned_article(ctx: &Context, visitor: &Visitor, id: i64) -> anyhow::Result<Option<Article>> {
    owned(ctx, visitor, id)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::render::markdown::render_body;
    use crate::store::NewComment;

    struct Site {
        _dir: tempfile::TempDir,
        ctx: Context,
        article: Article,
        cookie: String,
        csrf: String,
    }

    const ALICE: &str = "https://m.example/users/alice";

    fn site() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::cli::init(
            &dir.path().join("site"),
            "T",
            "https://site.example",
            Path::new("public_html"),
        )
        .unwrap();
        let ctx = Context::open(&path).unwrap();
        let author = Author {
            actor_id: ALICE.into(),
            handle: "alice@m.example".into(),
            ..Default::default()
        };
        ctx.store.save_author(&author).unwrap();
        let body_md = "Some *words*.".to_string();
        let edit = ArticleEdit {
            title: "Hello".into(),
            summary: "A summary".into(),
            body: render_body(&body_md),
            body_md,
            lang: "en".into(),
            ..Default::default()
        };
        let (draft, _) = publish::create_draft(&ctx, &author, &edit, "key", 1_000).unwrap();
        publish::publish(&ctx, &draft, &edit, 1_000).unwrap();
        let article = ctx.store.article_by_id(draft.id).unwrap().unwrap();
        let id = crate::secrets::token().unwrap();
        let csrf = crate::secrets::token().unwrap();
        ctx.store
            .insert_session(
                &crate::secrets::hash(&id),
                ALICE,
                &csrf,
                1_000,
                1_000_000,
                "test",
            )
            .unwrap();
        Site {
            _dir: dir,
            ctx,
            article,
            cookie: format!("{}={id}", crate::web::session::SESSION_COOKIE),
            csrf,
        }
    }

    fn comment(site: &Site, n: i64, state: CommentState) -> i64 {
        site.ctx
            .store
            .insert_comment(&NewComment {
                object_id: format!("https://m.example/statuses/{n}"),
                article_id: site.article.id,
                in_reply_to: String::new(),
                actor_id: format!("https://m.example/users/u{n}"),
                author_handle: format!("u{n}@m.example"),
                author_name: String::new(),
                author_url: String::new(),
                author_avatar: String::new(),
                url: String::new(),
                content: format!("<p>Reply {n}</p>"),
                summary: String::new(),
                lang: String::new(),
                attachments: Vec::new(),
                published: 1_000 + n,
                updated: None,
                state,
                received_at: 1_000 + n,
            })
            .unwrap()
            .unwrap()
    }

    fn request(site: &Site, method: &str, body: &str) -> Request<Vec<u8>> {
        Request::builder()
            .method(method)
            .uri(format!("/editor/{}", site.article.id))
            .header("cookie", &site.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    fn post(site: &Site, fields: &str) -> http::Response<Vec<u8>> {
        let request = request(site, "POST", &format!("csrf={}&{fields}", site.csrf));
        let visitor = Visitor::read(&site.ctx, &request, 2_000).unwrap();
        let form = Form::parse(&request).unwrap();
        let (answer, _) = submit(&site.ctx, &visitor, &form, Some(site.article.id), 2_000).unwrap();
        answer.into_response()
    }

    fn edit_page(site: &Site) -> String {
        let request = request(site, "GET", "");
        let visitor = Visitor::read(&site.ctx, &request, 2_000).unwrap();
        let answer = edit(&site.ctx, &visitor, &request, site.article.id).unwrap();
        String::from_utf8(answer.into_response().into_body()).unwrap()
    }

    fn page(site: &Site) -> String {
        std::fs::read_to_string(
            site.ctx
                .renderer
                .docroot()
                .join("articles/hello/index.html"),
        )
        .unwrap()
    }

    #[test]
    fn the_author_hides_shows_and_approves_replies_and_the_page_follows() {
        let site = site();
        let shown = comment(&site, 1, CommentState::Visible);
        let held = comment(&site, 2, CommentState::Held);
        let editor = edit_page(&site);
        assert!(editor.contains("2, 1 waiting"), "{editor}");
        assert!(editor.contains("value=\"comment-approve\""), "{editor}");
        assert!(editor.contains("waiting for approval"), "{editor}");

        let response = post(&site, &format!("action=comment-hide&comment={shown}"));
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let state = |id| site.ctx.store.comment_by_id(id).unwrap().unwrap().state;
        assert_eq!(state(shown), CommentState::Hidden);
        assert!(!page(&site).contains("Reply 1"));

        post(&site, &format!("action=comment-approve&comment={held}"));
        assert_eq!(state(held), CommentState::Visible);
        assert!(page(&site).contains("Reply 2"));

        post(&site, &format!("action=comment-show&comment={shown}"));
        assert_eq!(state(shown), CommentState::Visible);
        assert!(page(&site).contains("Reply 1"));

        // A reply that is not this article's.
        let response = post(&site, "action=comment-hide&comment=999");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        // No token, no change.
        let request = request(
            &site,
            "POST",
            &format!("action=comment-hide&comment={shown}"),
        );
        let visitor = Visitor::read(&site.ctx, &request, 2_000).unwrap();
        let form = Form::parse(&request).unwrap();
        let (answer, _) = submit(&site.ctx, &visitor, &form, Some(site.article.id), 2_000).unwrap();
        assert_eq!(answer.into_response().status(), StatusCode::FORBIDDEN);
        assert_eq!(state(shown), CommentState::Visible);
    }

    #[test]
    fn the_comments_setting_is_saved_with_the_article_and_closes_the_page() {
        let site = site();
        assert!(page(&site).contains("reply-url"));
        let fields = "action=save&title=Hello&body=Some+*words*.&summary=A+summary&lang=en&tags=";
        let response = post(&site, &format!("{fields}&comments=closed"));
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            site.ctx
                .store
                .article_comments_setting(site.article.id)
                .unwrap()
                .as_deref(),
            Some("closed")
        );
        assert!(page(&site).contains("Replies to this article are closed"));
        assert!(edit_page(&site).contains("<option value=\"closed\" selected>"));

        let response = post(&site, &format!("{fields}&comments=sometimes"));
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

        post(&site, &format!("{fields}&comments="));
        assert_eq!(
            site.ctx
                .store
                .article_comments_setting(site.article.id)
                .unwrap(),
            None
        );
        assert!(page(&site).contains("reply-url"));
    }
}
