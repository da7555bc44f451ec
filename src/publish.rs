//! What an author does to her articles from the editor, each followed by
//! re-rendering exactly what it touches and, for what readers can see,
//! telling the fediverse: Create on first publication, Update when a
//! published article changes, Delete when it is withdrawn. A second click
//! sends nothing: the article remembers which version was announced.

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use crate::actions;
use crate::config::Workflow;
use crate::context::Context;
use crate::federation::documents::Endpoints;
use crate::federation::outbox;
use crate::render::{atomic, month_of};
use crate::store::{
    Article, ArticleAuthor, ArticleEdit, Author, EventFields, NewArticle, Status, Store,
};

/// What a change did, for the page that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Saved,
    Unchanged,
    Published,
    /// Waiting for the site owner's approval (`workflow = "review"`).
    Pending,
    Updated,
    Unpublished,
    Deleted,
}

/// Deliveries were queued: the worker should run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queued(pub bool);

fn slug_for(ctx: &Context, title: &str) -> Result<String> {
    let base = crate::render::slugify(title);
    let base = if base.is_empty() {
        "article".to_string()
    } else {
        base.chars()
            .take(80)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string()
    };
    if !ctx.store.slug_taken(&base)? {
        return Ok(base);
    }
    for n in 2..10_000 {
        let candidate = format!("{base}-{n}");
        if !ctx.store.slug_taken(&candidate)? {
            return Ok(candidate);
        }
    }
    bail!("no free address for an article titled '{title}'")
}

/// The row of a new draft from the editor's fields; `form_key` makes a
/// form sent twice one article.
fn new_draft(
    ctx: &Context,
    author: &Author,
    edit: &ArticleEdit,
    form_key: &str,
    now: i64,
) -> Result<NewArticle> {
    Ok(NewArticle {
        slug: slug_for(ctx, &edit.title)?,
        title: edit.title.clone(),
        summary: edit.summary.clone(),
        body_md: edit.body_md.clone(),
        body: edit.body.clone(),
        lang: edit.lang.clone(),
        status: Status::Draft,
        author: ArticleAuthor {
            actor_id: author.actor_id.clone(),
            handle: author.handle.clone(),
            name: author.name.clone(),
            avatar: author.avatar.clone(),
            profile_url: author.profile_url.clone(),
        },
        tags: edit.tags.clone(),
        created_at: now,
        published_at: None,
        month: None,
        cover: edit.cover.clone(),
        form_key: Some(form_key.to_string()),
    })
}

/// Creates a draft from the editor's first save. The form's key makes a
/// form sent twice one article: the second send finds the first.
pub fn create_draft(
    ctx: &Context,
    author: &Author,
    edit: &ArticleEdit,
    form_key: &str,
    now: i64,
) -> Result<(Article, bool)> {
    if let Some(existing) = ctx.store.article_by_form_key(form_key)? {
        return Ok((existing, false));
    }
    let article = new_draft(ctx, author, edit, form_key, now)?;
    let id = ctx
        .store
        .transaction(|store| store.insert_article(&article))?;
    let stored = ctx
        .store
        .article_by_id(id)?
        .context("the new article vanished")?;
    Ok((stored, true))
}

/// Saves the editor's fields. A published article is re-rendered and its
/// Update sent; a draft or pending one is only stored.
pub fn save(
    ctx: &Context,
    article: &Article,
    edit: &ArticleEdit,
    now: i64,
) -> Result<(Change, Queued)> {
    save_with(ctx, article, now, &|store| {
        store.update_article(article.id, edit, now)
    })
}

/// Publishes (or sends for review) after saving the fields.
pub fn publish(
    ctx: &Context,
    article: &Article,
    edit: &ArticleEdit,
    now: i64,
) -> Result<(Change, Queued)> {
    publish_with(ctx, article, now, &|store| {
        store.update_article(article.id, edit, now)
    })
}

/// Stores the fields with `update` (true when anything changed); a
/// published article is then re-rendered and its Update sent.
fn save_with(
    ctx: &Context,
    article: &Article,
    now: i64,
    update: &dyn Fn(&Store) -> Result<bool>,
) -> Result<(Change, Queued)> {
    atomic::check_writable(ctx.renderer.docroot())?;
    let slugs = [article.slug.clone()];
    let before = actions::touched(ctx, &slugs)?;
    let changed = ctx.store.transaction(|store| update(store))?;
    if !changed {
        return Ok((Change::Unchanged, Queued(false)));
    }
    if article.status != Status::Published {
        return Ok((Change::Saved, Queued(false)));
    }
    let queued = render_and_announce(ctx, article, &slugs, before, now)?;
    Ok((Change::Updated, queued))
}

/// Publishes (or sends for review) in the transaction that stores the
/// fields with `update`; a published article is only saved again.
fn publish_with(
    ctx: &Context,
    article: &Article,
    now: i64,
    update: &dyn Fn(&Store) -> Result<bool>,
) -> Result<(Change, Queued)> {
    atomic::check_writable(ctx.renderer.docroot())?;
    if article.status == Status::Published {
        return save_with(ctx, article, now, update);
    }
    let slugs = [article.slug.clone()];
    let before = actions::touched(ctx, &slugs)?;
    let tz = ctx.config.tz();
    let review = ctx.config.authors.workflow == Workflow::Review;
    ctx.store.transaction(|store| {
        update(store)?;
        if review {
            store.set_status_by_id(article.id, Status::Pending, now)
        } else {
            store.publish_article(article.id, now, |at| month_of(at, &tz))
        }
    })?;
    if review {
        return Ok((Change::Pending, Queued(false)));
    }
    let queued = render_and_announce(ctx, article, &slugs, before, now)?;
    Ok((Change::Published, queued))
}

/// Renders what the article touched `before` and touches now, then tells
/// the fediverse.
fn render_and_announce(
    ctx: &Context,
    article: &Article,
    slugs: &[String],
    before: std::collections::BTreeSet<crate::render::Target>,
    now: i64,
) -> Result<Queued> {
    let mut targets = before;
    targets.extend(actions::touched(ctx, slugs)?);
    actions::render_touched(ctx, &targets)?;
    announce(ctx, article.id, now)
}

/// Takes a published article back to the drafts: its page becomes a gone
/// page, every list forgets it, and the fediverse is told it is deleted.
pub fn unpublish(ctx: &Context, article: &Article, now: i64) -> Result<(Change, Queued)> {
    withdraw(ctx, article, Status::Draft, now).map(|q| (Change::Unpublished, q))
}

/// Deletes an article, wherever it was.
pub fn delete(ctx: &Context, article: &Article, now: i64) -> Result<(Change, Queued)> {
    withdraw(ctx, article, Status::Deleted, now).map(|q| (Change::Deleted, q))
}

fn withdraw(ctx: &Context, article: &Article, status: Status, now: i64) -> Result<Queued> {
    atomic::check_writable(ctx.renderer.docroot())?;
    let slugs = [article.slug.clone()];
    let before = actions::touched(ctx, &slugs)?;
    ctx.store
        .transaction(|store| store.set_status_by_id(article.id, status, now))?;
    render_and_announce(ctx, article, &slugs, before, now)
}

/// Brings the fediverse up to date with an article: Create when it was
/// never announced, Update when a newer version is published, Delete when
/// an announced article is no longer published; nothing otherwise.
fn announce(ctx: &Context, id: i64, now: i64) -> Result<Queued> {
    let article = ctx
        .store
        .article_by_id(id)?
        .context("the article vanished")?;
    let ends = Endpoints::new(&ctx.config);
    let published = article.status == Status::Published;
    let announced = article.announced_version > 0;
    let (activity, version) = match (published, announced) {
        (true, false) => {
            let (object, _) = ctx.renderer.article_object(&ctx.store, &article)?;
            (outbox::announce_create(&ends, object), article.version)
        }
        (true, true) if article.version > article.announced_version => {
            let (mut object, _) = ctx.renderer.article_object(&ctx.store, &article)?;
            if object.get("updated").is_none() {
                object["updated"] = Value::from(
                    jiff::Timestamp::from_second(article.updated_at)
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                );
            }
            (
                outbox::announce_update(&ends, object, article.version),
                article.version,
            )
        }
        (false, true) => {
            let (object, url) = ctx.renderer.article_object(&ctx.store, &article)?;
            (outbox::announce_delete(&ends, &url, &object["cc"], now), 0)
        }
        _ => return Ok(Queued(false)),
    };
    let federation = &ctx.config.federation;
    let mut inboxes = crate::federation::blocking::follower_inboxes(federation, &ctx.store)?;
    if let Some(author) = ctx.store.author_by_actor(&article.author.actor_id)? {
        if !author.inbox.is_empty()
            && !inboxes.contains(&author.inbox)
            && crate::federation::blocking::inbox_allowed(federation, &author.inbox)
        {
            inboxes.push(author.inbox);
        }
    }
    let activity_id = activity["id"].as_str().unwrap_or_default().to_string();
    let body = activity.to_string();
    ctx.store.transaction(|store| {
        store.enqueue(&activity_id, &body, &inboxes, now)?;
        store.mark_announced(id, version, now)
    })?;
    Ok(Queued(!inboxes.is_empty()))
}

/// Creates a draft event: the article row and its event row in one
/// transaction, so a half-made event (an article without its times) never
/// exists. The form's key makes a form sent twice one event.
pub fn create_event_draft(
    ctx: &Context,
    author: &Author,
    edit: &ArticleEdit,
    fields: &EventFields,
    form_key: &str,
    now: i64,
) -> Result<(Article, bool)> {
    if let Some(existing) = ctx.store.article_by_form_key(form_key)? {
        return Ok((existing, false));
    }
    let article = new_draft(ctx, author, edit, form_key, now)?;
    let id = ctx.store.transaction(|store| {
        let id = store.insert_article(&article)?;
        store.insert_event(id, fields)?;
        Ok(id)
    })?;
    let stored = ctx
        .store
        .article_by_id(id)?
        .context("the new event vanished")?;
    Ok((stored, true))
}

/// Saves an event's article and event fields together. A published event
/// is re-rendered and its Update sent (a new time, a cancellation: the
/// version goes up, so followers and calendars hear of it).
pub fn save_event(
    ctx: &Context,
    article: &Article,
    edit: &ArticleEdit,
    fields: &EventFields,
    now: i64,
) -> Result<(Change, Queued)> {
    save_with(ctx, article, now, &|store| {
        update_event(store, article, edit, fields, now)
    })
}

/// Publishes an event (or sends it for review) with its fields saved in
/// the same transaction.
pub fn publish_event(
    ctx: &Context,
    article: &Article,
    edit: &ArticleEdit,
    fields: &EventFields,
    now: i64,
) -> Result<(Change, Queued)> {
    publish_with(ctx, article, now, &|store| {
        update_event(store, article, edit, fields, now)
    })
}

/// Stores an event's article and event fields: true when either changed.
fn update_event(
    store: &Store,
    article: &Article,
    edit: &ArticleEdit,
    fields: &EventFields,
    now: i64,
) -> Result<bool> {
    let text = store.update_article(article.id, edit, now)?;
    let event = store.update_event(article.id, fields, now)?;
    Ok(text || event)
}
