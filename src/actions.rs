//! Changes to content, each followed by re-rendering exactly the files it
//! affects: what was shown before the change and what is shown after.

use std::collections::BTreeSet;

use anyhow::{Result, bail};

use crate::context::Context;
use crate::render::{self, Target, atomic, plan};
use crate::store::{NewArticle, Status};

/// Above this many articles at once, a full parallel rebuild is cheaper
/// than computing and rendering the union of their targets one by one.
const REBUILD_THRESHOLD: usize = 200;

/// What a change did, for the command line to report.
#[derive(Debug, Default)]
pub struct Outcome {
    pub articles: usize,
    pub files: usize,
    pub targets: BTreeSet<Target>,
}

pub(crate) fn touched(ctx: &Context, slugs: &[String]) -> Result<BTreeSet<Target>> {
    let mut targets = BTreeSet::new();
    for slug in slugs {
        targets.extend(plan::touched_by(
            &ctx.store,
            slug,
            ctx.renderer.page_size(),
        )?);
    }
    Ok(targets)
}

pub(crate) fn render_touched(ctx: &Context, targets: &BTreeSet<Target>) -> Result<usize> {
    let targets: Vec<Target> = targets.iter().cloned().collect();
    let database = ctx.config.database_path();
    ctx.renderer
        .render_parallel(&ctx.store, &database, &targets, crate::parallel::cores())
}

/// Stores new articles in one transaction, then renders what they touch.
pub fn import(ctx: &Context, mut articles: Vec<NewArticle>) -> Result<Outcome> {
    atomic::check_writable(ctx.renderer.docroot())?;
    let slugs: Vec<String> = articles.iter().map(|a| a.slug.clone()).collect();
    let renamed = settle_identities(ctx, &mut articles)?;
    ctx.store.transaction(|store| {
        for article in &articles {
            store.insert_article(article)?;
        }
        Ok(())
    })?;
    if slugs.len() > REBUILD_THRESHOLD {
        let files = render::rebuild(&ctx.config, &ctx.renderer, crate::parallel::cores(), false)?;
        return Ok(Outcome {
            articles: slugs.len(),
            files,
            targets: BTreeSet::new(),
        });
    }
    let mut targets = touched(ctx, &slugs)?;
    for handle in renamed {
        targets.extend(plan::author_pages(
            &ctx.store,
            &handle,
            ctx.renderer.page_size(),
        )?);
    }
    let files = render_touched(ctx, &targets)?;
    Ok(Outcome {
        articles: slugs.len(),
        files,
        targets,
    })
}

/// Fills an author's missing name, avatar and profile from what the site
/// already knows, and returns the handles whose identity this import changes
/// (their author pages all show the newest name, so all are re-rendered).
fn settle_identities(ctx: &Context, articles: &mut [NewArticle]) -> Result<BTreeSet<String>> {
    let mut changed = BTreeSet::new();
    for article in articles.iter_mut() {
        let Some(known) = ctx.store.author(&article.author.handle)? else {
            continue;
        };
        let author = &mut article.author;
        for (field, old) in [
            (&mut author.name, &known.name),
            (&mut author.avatar, &known.avatar),
            (&mut author.profile_url, &known.profile_url),
            (&mut author.actor_id, &known.actor_id),
        ] {
            if field.is_empty() {
                field.clone_from(old);
            } else if field != old {
                changed.insert(author.handle.clone());
            }
        }
    }
    Ok(changed)
}

/// Changes an article's status (unpublish, delete...) and re-renders.
pub fn set_status(ctx: &Context, slug: &str, status: Status, now: i64) -> Result<Outcome> {
    atomic::check_writable(ctx.renderer.docroot())?;
    if ctx.store.article_by_slug(slug)?.is_none() {
        bail!("no article has the slug '{slug}'; `affiche article list` shows them");
    }
    let slugs = [slug.to_string()];
    let mut targets = touched(ctx, &slugs)?;
    ctx.store
        .transaction(|store| store.set_article_status(slug, status, now))?;
    targets.extend(touched(ctx, &slugs)?);
    let files = render_touched(ctx, &targets)?;
    Ok(Outcome {
        articles: 1,
        files,
        targets,
    })
}
