//! Replies from the fediverse become comments: a reply to one of our
//! articles (or to a comment we show) is stored sanitized with its
//! author's identity, edits and deletions follow, likes and boosts are
//! counted, reports are kept; each change re-renders only its page.

use serde_json::Value;

use crate::config::Moderation;
use crate::context::Context;
use crate::federation::activity::Reaction;
use crate::federation::fetch::{FetchOptions, Fetcher};
use crate::federation::note::{self, Note};
use crate::media::{self, Purpose};
use crate::render::{Target, view};
use crate::store::{CommentState, NewComment, RemoteActor};

/// How deep the worker follows `replies` collections below a comment.
pub const MAX_WALK_DEPTH: i64 = 3;

/// The article a reply is about: ours by its page's URL (an article at
/// /articles/<slug>/, an event at /events/<slug>/), or the article of a
/// comment we hold. Only published articles and events take replies.
fn article_of(ctx: &Context, object_id: &str) -> anyhow::Result<Option<(i64, String)>> {
    use crate::store::Kind;
    let base = &ctx.renderer.site_url().base;
    let page = object_id.strip_prefix(base.as_str()).and_then(|rest| {
        rest.strip_prefix("/articles/")
            .map(|slug| (slug, Kind::Article))
            .or_else(|| {
                rest.strip_prefix("/events/")
                    .map(|slug| (slug, Kind::Event))
            })
    });
    let page = page
        .map(|(rest, kind)| (rest.trim_end_matches('/').to_string(), kind))
        .filter(|(slug, _)| !slug.is_empty() && !slug.contains('/'));
    if let Some((slug, kind)) = page {
        // An event's id is its events/ address only, and an article's its
        // articles/ one: the other is no object of ours.
        return Ok(ctx
            .store
            .article_by_slug(&slug)?
            .filter(|a| a.status == crate::store::Status::Published && a.kind == kind)
            .map(|a| (a.id, a.slug)));
    }
    let Some(comment) = ctx.store.comment_by_object(object_id)? else {
        return Ok(None);
    };
    Ok(ctx
        .store
        .article_by_id(comment.article_id)?
        .filter(|a| a.status == crate::store::Status::Published)
        .map(|a| (a.id, a.slug)))
}

fn slug_of(ctx: &Context, article_id: i64) -> anyhow::Result<Option<String>> {
    Ok(ctx.store.article_by_id(article_id)?.map(|a| a.slug))
}

/// Re-renders an article's page and twin: the only files a comment is in.
pub fn rerender(ctx: &Context, slugs: &[String]) -> anyhow::Result<()> {
    let targets: Vec<Target> = slugs.iter().map(|s| Target::Article(s.clone())).collect();
    ctx.renderer
        .render_parallel(&ctx.store, &ctx.config.database_path(), &targets, 1)?;
    Ok(())
}

/// Where comments stand for an article: its own setting, else the site's.
fn moderation(ctx: &Context, article_id: i64) -> anyhow::Result<Moderation> {
    Ok(
        match ctx.store.article_comments_setting(article_id)?.as_deref() {
            Some("open") => Moderation::Open,
            Some("held") => Moderation::Held,
            Some("closed") => Moderation::Closed,
            _ => ctx.config.comments.moderation,
        },
    )
}

/// A local copy of the author's avatar (once per picture), or empty.
fn avatar(ctx: &Context, actor: &RemoteActor) -> String {
    if actor.icon.is_empty() {
        return String::new();
    }
    let fetcher = Fetcher::new(FetchOptions::for_site(&ctx.config));
    let copied = fetcher
        .fetch_image(&actor.icon)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            media::process(&bytes, Purpose::Avatar, &media::Limits::default())
                .map_err(|e| e.to_string())
        })
        .and_then(|image| crate::authors::store_media(ctx, &image).map_err(|e| format!("{e:#}")));
    match copied {
        Ok(path) => path,
        Err(why) => {
            eprintln!("affiche: the avatar of {} was not copied: {why}", actor.id);
            String::new()
        }
    }
}

/// What became of an incoming post, for the inbox's record.
pub type Outcome = &'static str;

/// A post by `actor` (already verified): stored as a comment when it
/// replies to one of our articles or comments.
pub fn receive_post(
    ctx: &Context,
    actor: &RemoteActor,
    object: &Value,
    now: i64,
) -> anyhow::Result<Outcome> {
    let note = match note::parse(object) {
        Ok(note) => note,
        Err(why) => {
            eprintln!("affiche: a post from {} is not kept: {why}", actor.id);
            return Ok("rejected");
        }
    };
    let Some(in_reply_to) = note.in_reply_to.clone() else {
        return Ok("ignored");
    };
    let Some((article_id, slug)) = article_of(ctx, &in_reply_to)? else {
        return Ok("ignored");
    };
    store_reply(ctx, actor, &note, article_id, &slug, now)
}

/// Stores a reply to a known article and re-renders its page.
pub fn store_reply(
    ctx: &Context,
    actor: &RemoteActor,
    note: &Note,
    article_id: i64,
    slug: &str,
    now: i64,
) -> anyhow::Result<Outcome> {
    let state = match moderation(ctx, article_id)? {
        Moderation::Closed => return Ok("rejected"),
        Moderation::Held => CommentState::Held,
        Moderation::Open => CommentState::Visible,
    };
    if ctx.store.comment_by_object(&note.id)?.is_some() {
        return Ok("done");
    }
    let comment = NewComment {
        object_id: note.id.clone(),
        article_id,
        in_reply_to: note.in_reply_to.clone().unwrap_or_default(),
        actor_id: actor.id.clone(),
        author_handle: actor.handle.clone(),
        author_name: actor.name.chars().take(200).collect(),
        author_url: if actor.url.is_empty() {
            actor.id.clone()
        } else {
            actor.url.clone()
        },
        author_avatar: avatar(ctx, actor),
        url: note.url.clone(),
        content: note.content.clone(),
        summary: note.summary.clone(),
        lang: note.lang.clone(),
        attachments: note.attachments.clone(),
        published: note.published.unwrap_or(now).min(now),
        updated: note.updated,
        state,
        received_at: now,
    };
    let stored = ctx.store.transaction(|store| {
        let id = store.insert_comment(&comment)?;
        if id.is_some() {
            if let Some(replies) = &note.replies {
                let depth = store
                    .comment_by_object(&note.id)?
                    .map(|c| c.depth)
                    .unwrap_or(0);
                if depth < MAX_WALK_DEPTH {
                    // Read a little later: replies to a reply arrive after it.
                    store.queue_reply_walk(replies, article_id, depth + 1, now + 60)?;
                }
            }
        }
        Ok(id)
    })?;
    if stored.is_none() {
        return Ok("ignored");
    }
    if state == CommentState::Visible {
        rerender(ctx, &[slug.to_string()])?;
    }
    Ok("done")
}

/// An edit by the author of a comment we hold.
pub fn receive_edit(ctx: &Context, actor: &RemoteActor, object: &Value) -> anyhow::Result<Outcome> {
    let note = match note::parse(object) {
        Ok(note) => note,
        Err(_) => return Ok("rejected"),
    };
    // Mastodon sends an Update of a post only with `updated`; without it
    // there is nothing to order edits by.
    let Some(updated) = note.updated else {
        return Ok("ignored");
    };
    let changed = ctx.store.update_comment(
        &note.id,
        &actor.id,
        &note.content,
        &note.summary,
        &note.attachments,
        updated,
    )?;
    let Some(article_id) = changed else {
        return Ok("ignored");
    };
    if let Some(slug) = slug_of(ctx, article_id)? {
        rerender(ctx, &[slug])?;
    }
    Ok("done")
}

/// A Delete: of the actor itself (all its traces go), or of one post.
pub fn receive_delete(
    ctx: &Context,
    actor_id: &str,
    object_id: &str,
    now: i64,
) -> anyhow::Result<Outcome> {
    let articles = if object_id == actor_id {
        ctx.store
            .transaction(|store| store.delete_actor_traces(actor_id))?
    } else {
        ctx.store
            .transaction(|store| store.delete_comment(object_id, actor_id, now))?
            .into_iter()
            .collect()
    };
    let mut slugs = Vec::new();
    for id in articles {
        if let Some(slug) = slug_of(ctx, id)? {
            slugs.push(slug);
        }
    }
    if slugs.is_empty() {
        return Ok("ignored");
    }
    rerender(ctx, &slugs)?;
    Ok("done")
}

/// A like or a boost of one of our articles or comments.
pub fn receive_reaction(
    ctx: &Context,
    id: Option<&str>,
    actor_id: &str,
    kind: Reaction,
    object_id: &str,
    now: i64,
) -> anyhow::Result<Outcome> {
    let Some((article_id, slug)) = article_of(ctx, object_id)? else {
        return Ok("ignored");
    };
    // Without an id (some servers), one reaction per actor and object.
    let fallback = format!("{actor_id} {} {object_id}", kind.as_str());
    let activity_id = id.unwrap_or(&fallback);
    let added = ctx.store.add_reaction(
        activity_id,
        kind.as_str(),
        actor_id,
        object_id,
        article_id,
        now,
    )?;
    if added {
        rerender(ctx, &[slug])?;
        Ok("done")
    } else {
        Ok("ignored")
    }
}

/// A like or boost taken back.
pub fn receive_unreaction(
    ctx: &Context,
    actor_id: &str,
    kind: Reaction,
    activity_id: Option<&str>,
    object_id: Option<&str>,
) -> anyhow::Result<Outcome> {
    let removed = ctx
        .store
        .remove_reaction(activity_id, kind.as_str(), actor_id, object_id)?;
    match removed.map(|id| slug_of(ctx, id)).transpose()?.flatten() {
        Some(slug) => {
            rerender(ctx, &[slug])?;
            Ok("done")
        }
        None => Ok("ignored"),
    }
}

/// The page address of an article, as its object id.
pub fn article_url(ctx: &Context, slug: &str) -> String {
    format!(
        "{}/{}",
        ctx.renderer.site_url().base,
        view::article_dir(slug)
    )
}

/// Most collections (and pages of one) read per worker run, and items
/// looked at in each: the walk finds replies that were never delivered to
/// us without letting one thread take the worker's whole budget.
const WALKS_PER_RUN: usize = 10;
const PAGES_PER_COLLECTION: usize = 3;
const ITEMS_PER_COLLECTION: usize = 50;

/// Reads the `replies` collections queued by stored comments, and stores
/// the replies found there that answer something we hold. Returns how many
/// comments it added.
pub fn walk_replies(ctx: &Context, now: i64) -> anyhow::Result<usize> {
    let due = ctx.store.due_reply_walks(now, WALKS_PER_RUN)?;
    let signer = crate::federation::signer::SiteSigner::lazy(ctx);
    let mut added = 0;
    for (url, article_id, _depth, attempts) in due {
        // A fetcher per collection: its fetch budget bounds each walk.
        let fetcher = Fetcher::new(FetchOptions::for_site(&ctx.config));
        match collection_items(&fetcher, &signer, &url) {
            Ok(items) => {
                for item in items {
                    match fetch_reply(ctx, &fetcher, &signer, &item, article_id, now) {
                        Ok(true) => added += 1,
                        Ok(false) => {}
                        Err(why) => eprintln!("affiche: reply {item} skipped: {why}"),
                    }
                }
                ctx.store.finish_reply_walk(&url, None)?;
            }
            Err(why) => {
                eprintln!("affiche: replies collection {url} not read: {why}");
                let delay = 600_i64.saturating_mul(1 << attempts.clamp(0, 10));
                ctx.store.finish_reply_walk(&url, Some(now + delay))?;
            }
        }
    }
    Ok(added)
}

/// The ids in a collection: its own items, then its pages' (first, next…).
fn collection_items(
    fetcher: &Fetcher,
    signer: &dyn crate::federation::fetch::SignRequest,
    url: &str,
) -> Result<Vec<String>, String> {
    let collection = fetcher
        .fetch_object(url, signer)
        .map_err(|e| e.to_string())?;
    let mut ids = Vec::new();
    let take = |page: &Value, ids: &mut Vec<String>| {
        for key in ["items", "orderedItems"] {
            if let Some(Value::Array(items)) = page.get(key) {
                ids.extend(
                    items
                        .iter()
                        .filter_map(crate::federation::activity::id_of)
                        .map(str::to_string),
                );
            }
        }
    };
    take(&collection, &mut ids);
    let mut next = collection.get("first").cloned();
    let mut pages = 0;
    while let Some(page) = next.take() {
        if pages >= PAGES_PER_COLLECTION || ids.len() >= ITEMS_PER_COLLECTION {
            break;
        }
        pages += 1;
        let page = match page {
            Value::String(page_url) => fetcher
                .fetch_object(&page_url, signer)
                .map_err(|e| e.to_string())?,
            embedded @ Value::Object(_) => embedded,
            _ => break,
        };
        take(&page, &mut ids);
        next = page.get("next").cloned();
    }
    ids.sort();
    ids.dedup();
    ids.truncate(ITEMS_PER_COLLECTION);
    Ok(ids)
}

/// Fetches one reply from its own server (an embedded copy proves
/// nothing), checks it is its author's, and stores it when it answers
/// something of this article. True when it was added.
fn fetch_reply(
    ctx: &Context,
    fetcher: &Fetcher,
    signer: &dyn crate::federation::fetch::SignRequest,
    id: &str,
    article_id: i64,
    now: i64,
) -> Result<bool, String> {
    if ctx
        .store
        .comment_by_object(id)
        .map_err(|e| e.to_string())?
        .is_some()
        || ctx.store.is_tombstoned(id).map_err(|e| e.to_string())?
    {
        return Ok(false);
    }
    let object = fetcher
        .fetch_object(id, signer)
        .map_err(|e| e.to_string())?;
    let author = object
        .get("attributedTo")
        .and_then(|a| match a {
            Value::Array(items) => items.iter().find_map(crate::federation::activity::id_of),
            other => crate::federation::activity::id_of(other),
        })
        .ok_or("the reply has no author")?
        .to_string();
    let origin = crate::federation::activity::origin;
    if origin(&author) != origin(id) {
        return Err("the reply's author is on another origin than the reply".into());
    }
    if ctx.config.federation.blocks(&author, "") {
        return Ok(false);
    }
    let note = note::parse(&object).map_err(|e| e.to_string())?;
    let Some(in_reply_to) = &note.in_reply_to else {
        return Ok(false);
    };
    let belongs = match article_of(ctx, in_reply_to).map_err(|e| e.to_string())? {
        Some((found, _)) => found == article_id,
        None => false,
    };
    if !belongs {
        return Ok(false);
    }
    let actor = match ctx.store.remote_actor(&author).map_err(|e| e.to_string())? {
        Some(actor) => actor,
        None => {
            let document = fetcher
                .fetch_object(&author, signer)
                .map_err(|e| e.to_string())?;
            let actor = crate::federation::inbox::remote_actor(&document, None, now)?;
            ctx.store
                .save_remote_actor(&actor)
                .map_err(|e| e.to_string())?;
            actor
        }
    };
    if ctx.config.federation.blocks(&actor.id, &actor.handle) {
        return Ok(false);
    }
    let slug = slug_of(ctx, article_id)
        .map_err(|e| e.to_string())?
        .ok_or("the article is gone")?;
    let outcome =
        store_reply(ctx, &actor, &note, article_id, &slug, now).map_err(|e| format!("{e:#}"))?;
    Ok(outcome == "done")
}
