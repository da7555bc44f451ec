//! The readers' report form (`/report?url=…`): a reader reports one of our
//! pages or one comment on it, with a reason, a few words and, if she
//! wants an answer, a way to reach her. Pages are static, so the CGI
//! serves the form, guarded by the double-submit CSRF cookie of visitors
//! without a session, and rate limited per address and for the whole site.
//! Reports join the Flags received from the fediverse in the admin's list.

use http::{Method, Request, StatusCode};
use minijinja::context;
use serde::Serialize;

use crate::authors::{self, Limit};
use crate::context::Context;
use crate::i18n::Messages;
use crate::store::{Article, Comment, CommentState, Kind, NewReport, Status};
use crate::web::forms::{Form, client_network};
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

/// Longest text a reader may write.
pub const MAX_TEXT: usize = 2_000;
/// Longest contact (an e-mail address, a handle).
pub const MAX_CONTACT: usize = 200;
/// Longest address taken in the `url` field.
const MAX_URL: usize = 2_000;

/// The reasons offered, as stored; their words are `report-reason-<code>`
/// in the catalogs.
pub const REASONS: &[&str] = &["spam", "illegal", "harassment", "other"];

/// The words of a stored reason (the code itself when unknown).
pub fn reason_words(words: &Messages, code: &str) -> String {
    if REASONS.contains(&code) {
        words.t(&format!("report-reason-{code}"))
    } else {
        code.to_string()
    }
}

pub fn handles(path: &str) -> bool {
    path == "/report"
}

/// What a report is about: one of our published pages, or one comment
/// shown on it.
pub enum Reported {
    Article(Article),
    Comment(Article, Box<Comment>),
}

impl Reported {
    pub fn article(&self) -> &Article {
        match self {
            Reported::Article(a) | Reported::Comment(a, _) => a,
        }
    }
}

/// The article (under `articles/`) or event (under `events/`) an address
/// of this site names, whatever its status, and the address's fragment.
/// Another site, another folder, or a slug under the other kind's folder
/// is `None`.
pub fn page_at<'u>(
    ctx: &Context,
    url: &'u str,
) -> anyhow::Result<Option<(Article, Option<&'u str>)>> {
    let base = &ctx.renderer.site_url().base;
    let Some(rest) = url.trim().strip_prefix(base.as_str()) else {
        return Ok(None);
    };
    let Some(rest) = rest.strip_prefix('/') else {
        return Ok(None);
    };
    let (path, fragment) = match rest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (rest, None),
    };
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let path = path.trim_end_matches('/');
    let (kind, slug) = match path.split_once('/') {
        Some(("articles", slug)) => (Kind::Article, slug),
        Some(("events", slug)) => (Kind::Event, slug),
        _ => return Ok(None),
    };
    if slug.is_empty() || slug.contains(['/', '?']) {
        return Ok(None);
    }
    Ok(ctx
        .store
        .article_by_slug(slug)?
        .filter(|a| a.kind == kind)
        .map(|a| (a, fragment)))
}

/// Finds the page (and the comment, from a `#comment-N` fragment) an
/// address names on this site. Anything else (another site, a page that
/// is not published, a comment not shown) is `None`.
pub fn resolve(ctx: &Context, url: &str) -> anyhow::Result<Option<Reported>> {
    let Some((article, fragment)) =
        page_at(ctx, url)?.filter(|(a, _)| a.status == Status::Published)
    else {
        return Ok(None);
    };
    let Some(fragment) = fragment.filter(|f| !f.is_empty() && *f != "comments") else {
        return Ok(Some(Reported::Article(article)));
    };
    let Some(id) = fragment
        .strip_prefix("comment-")
        .and_then(|n| n.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    Ok(ctx
        .store
        .comment_by_id(id)?
        .filter(|c| c.article_id == article.id && c.state == CommentState::Visible)
        .map(|c| Reported::Comment(article, Box::new(c))))
}

#[derive(Serialize)]
struct What {
    /// `article`, `event` or `comment`.
    kind: &'static str,
    title: String,
    page: String,
    /// For a comment: who wrote it, and its first words.
    author: String,
    excerpt: String,
}

/// The address of an article's page, or of an event's (under `events/`).
pub fn page_url(ctx: &Context, article: &Article) -> String {
    let dir = match article.kind {
        Kind::Event => crate::render::event_view::event_dir(&article.slug),
        Kind::Article => crate::render::view::article_dir(&article.slug),
    };
    format!("{}/{dir}", ctx.renderer.site_url().base)
}

fn what(ctx: &Context, reported: &Reported) -> What {
    let article = reported.article();
    let page = page_url(ctx, article);
    match reported {
        Reported::Article(_) => What {
            kind: match article.kind {
                Kind::Event => "event",
                Kind::Article => "article",
            },
            title: article.title.clone(),
            page,
            author: String::new(),
            excerpt: String::new(),
        },
        Reported::Comment(_, comment) => What {
            kind: "comment",
            title: article.title.clone(),
            page: format!("{page}#comment-{}", comment.id),
            author: author_of(comment),
            excerpt: excerpt(&comment.content, 200),
        },
    }
}

/// Who wrote a reply, as a moderator names her: `@user@host`, or her
/// actor id when the handle is not known.
pub fn author_of(comment: &Comment) -> String {
    if comment.author_handle.is_empty() {
        comment.actor_id.clone()
    } else {
        format!("@{}", comment.author_handle)
    }
}

/// The first words of sanitized HTML, as text.
fn excerpt(html: &str, limit: usize) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() > limit {
        let cut: String = words.chars().take(limit).collect();
        format!("{cut}…")
    } else {
        words
    }
}

/// What the form shows again after a refusal.
#[derive(Default, Serialize)]
struct Typed {
    reason: String,
    text: String,
    contact: String,
}

fn form_page(
    ctx: &Context,
    visitor: &Visitor,
    reported: &Reported,
    url: &str,
    typed: &Typed,
    error: &str,
    status: StatusCode,
) -> Answer {
    let words = ctx.words();
    let reasons: Vec<_> = REASONS
        .iter()
        .map(|code| context! { code, label => reason_words(&words, code) })
        .collect();
    Answer::page(
        ctx,
        status,
        "report.html",
        &words.t("report-page-title"),
        "report",
        context! {
            csrf => &visitor.csrf,
            url,
            what => what(ctx, reported),
            reasons,
            typed,
            error,
            max_text => MAX_TEXT,
            max_contact => MAX_CONTACT,
        },
    )
}

fn not_ours(ctx: &Context) -> Answer {
    let words = ctx.words();
    message(
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        &words.t("report-not-ours-title"),
        &[&words.t("report-not-ours")],
        Some((
            &format!("{}/", ctx.renderer.site_url().root),
            &words.t("report-home"),
        )),
        true,
    )
}

/// GET and POST `/report`; the bool says deliveries were queued (never).
pub fn route(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let answer = match *request.method() {
        Method::GET | Method::HEAD => {
            let url = crate::web::query_param(request, "url").unwrap_or_default();
            match resolve(ctx, &url)? {
                Some(reported) => form_page(
                    ctx,
                    visitor,
                    &reported,
                    &url,
                    &Typed::default(),
                    "",
                    StatusCode::OK,
                ),
                None => not_ours(ctx),
            }
        }
        Method::POST => match Form::parse(request) {
            Ok(form) => submit(ctx, visitor, request, &form, now)?,
            Err(why) => message(
                ctx,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &ctx.words().t("report-not-a-form"),
                &[&why],
                None,
                true,
            ),
        },
        _ => {
            let mut response = crate::web::text(
                StatusCode::METHOD_NOT_ALLOWED,
                &format!("{}\n", ctx.words().t("report-method")),
            );
            response.headers_mut().insert(
                http::header::ALLOW,
                http::HeaderValue::from_static("GET, POST"),
            );
            Answer::Response(response)
        }
    };
    Ok((answer, false))
}

/// A rate limit reached: the minutes to wait.
#[derive(Debug)]
struct Limited(i64);

impl std::fmt::Display for Limited {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rate limit reached for {} minutes", self.0)
    }
}

impl std::error::Error for Limited {}

/// POST /report: checks everything, then counts against the limits, then
/// stores the report; any refusal stores nothing.
fn submit(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    form: &Form,
    now: i64,
) -> anyhow::Result<Answer> {
    let url = form.text("url");
    if url.chars().count() > MAX_URL {
        return Ok(not_ours(ctx));
    }
    let typed = Typed {
        reason: form.text("reason"),
        text: form.text("text").trim().replace("\r\n", "\n"),
        contact: form.text("contact").trim().to_string(),
    };
    let Some(reported) = resolve(ctx, &url)? else {
        return Ok(not_ours(ctx));
    };
    let words = ctx.words();
    let refuse = |why: &str, status| {
        Ok(form_page(
            ctx, visitor, &reported, &url, &typed, why, status,
        ))
    };
    if !visitor.csrf_ok(form) {
        return refuse(&words.t("report-expired"), StatusCode::FORBIDDEN);
    }
    if !REASONS.contains(&typed.reason.as_str()) {
        return refuse(
            &words.t("report-choose-reason"),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    if typed.reason == "other" && typed.text.is_empty() {
        return refuse(
            &words.t("report-say-what"),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    if typed.text.chars().count() > MAX_TEXT {
        return refuse(
            &words.t_with("report-text-long", &[("max", MAX_TEXT.into())]),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    if typed.contact.chars().count() > MAX_CONTACT || typed.contact.contains(['\n', '\r']) {
        return refuse(
            &words.t_with("report-contact-long", &[("max", MAX_CONTACT.into())]),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let address = client_network(request);
    let limits = &ctx.config.limits;
    ctx.store.prune_auth(now, now - 3600)?;
    let stored = ctx.store.transaction(|store| {
        for (limit, key) in [
            (Limit::ReportsPerAddress, address.as_str()),
            (Limit::Reports, ""),
        ] {
            if let Err(minutes) = authors::take(store, limits, limit, key, now)? {
                // An error, so that the other limit's count is rolled back.
                return Err(Limited(minutes).into());
            }
        }
        let object = match &reported {
            Reported::Comment(_, comment) => comment.object_id.clone(),
            Reported::Article(_) => what(ctx, &reported).page,
        };
        store.insert_web_report(
            &NewReport {
                reason: typed.reason.clone(),
                text: typed.text.clone(),
                contact: typed.contact.clone(),
                url: url.clone(),
                object,
            },
            now,
        )
    });
    match stored {
        Ok(_) => {}
        Err(err) => match err.downcast_ref::<Limited>() {
            Some(Limited(minutes)) => {
                return refuse(
                    &words.t_with("report-too-many", &[("minutes", (*minutes).into())]),
                    StatusCode::TOO_MANY_REQUESTS,
                );
            }
            None => return Err(err),
        },
    }
    let page = what(ctx, &reported).page;
    Ok(message(
        ctx,
        StatusCode::OK,
        &words.t("report-thanks-title"),
        &[&words.t("report-thanks")],
        Some((&page, &words.t("report-back"))),
        false,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_text_cut_at_a_limit() {
        assert_eq!(
            excerpt("<p>Buy <b>cheap</b> nets &amp; more.</p>", 100),
            "Buy cheap nets & more."
        );
        assert_eq!(excerpt("<p>abcdef</p>", 3), "abc…");
    }

    #[test]
    fn reasons_have_words() {
        let words = crate::i18n::Messages::for_tag(
            std::sync::Arc::new(crate::i18n::I18n::new()),
            "fr",
            "en",
        );
        assert_eq!(reason_words(&words, "spam"), "Spam ou publicité");
        assert_eq!(reason_words(&words, "weird"), "weird");
    }
}
