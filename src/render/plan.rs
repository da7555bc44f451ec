//! Which files a change touches. Publishing one article re-renders its page,
//! the home page, the feeds, its month, its tags and author (the newest
//! chunks only) and the small sitemaps: never the whole site, so the cost of
//! a write does not grow with the site.

use std::collections::BTreeSet;

use anyhow::Result;

use crate::store::{Article, Filter, Kind, Status, Store};

use super::event_view::event_month;

/// One output of the renderer: a page, a feed or a sitemap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Article(String),
    Home,
    Feed,
    ArchiveIndex,
    Archive(String),
    Tag(String),
    TagPage(String, usize),
    TagFeed(String),
    Author(String),
    AuthorPage(String, usize),
    SitemapIndex,
    SitemapPages,
    Sitemap(String),
    Robots,
    NotFound,
    Assets,
    /// `actor.json`: the site actor, with its public key.
    Actor,
    /// host-meta and the NodeInfo links: they change with the config only.
    Discovery,
    /// NodeInfo itself: it counts articles and authors.
    NodeInfo,
    /// `rules/index.html`: the owner's rules, from the config.
    Rules,
    /// The followers and following collections (their sizes).
    Followers,
    /// The outbox collection, and its pages counted from the oldest.
    Outbox,
    OutboxPage(usize),
    /// An event's page, twin and `event.ics` (at `events/<slug>/`).
    Event(String),
    /// `events/index.html` (upcoming) and `events/past/index.html`.
    Events,
    /// `events/<yyyy>/<mm>/`: the events starting that month in their zone.
    EventMonth(String),
    /// `events/calendar.ics`: upcoming events and those of the last 30 days.
    EventCalendar,
    /// `events/feed.atom`: events by publication date.
    EventFeed,
    /// `events/tags/<tag>/`: its page and `calendar.ics`.
    EventTag(String),
}

/// Number of chunk pages for `total` articles (none when one page holds all).
pub fn chunk_count(total: usize, size: usize) -> usize {
    if total <= size {
        0
    } else {
        total.div_ceil(size)
    }
}

/// The targets that show the article `slug` in the store's current state.
/// Call it before and after a change and render the union: what the article
/// left and what it joined.
pub fn touched_by(store: &Store, slug: &str, page_size: usize) -> Result<BTreeSet<Target>> {
    let mut targets = BTreeSet::new();
    let Some(article) = store.article_by_slug(slug)? else {
        return Ok(targets);
    };
    if article.kind == Kind::Event {
        return event_targets(store, &article);
    }
    targets.insert(Target::Article(article.slug.clone()));
    if article.status != Status::Published {
        return Ok(targets);
    }
    targets.extend([
        Target::Home,
        Target::Feed,
        Target::ArchiveIndex,
        Target::SitemapIndex,
        Target::SitemapPages,
        Target::NodeInfo,
        Target::Outbox,
    ]);
    if let Some(month) = &article.month {
        targets.insert(Target::Archive(month.clone()));
        targets.insert(Target::Sitemap(month.clone()));
    }
    for tag in &article.tags {
        targets.insert(Target::Tag(tag.slug.clone()));
        targets.insert(Target::TagFeed(tag.slug.clone()));
        let filter = Filter::Tag(&tag.slug);
        for chunk in chunks_from(store, filter, &article, page_size)? {
            targets.insert(Target::TagPage(tag.slug.clone(), chunk));
        }
    }
    for page in chunks_from(store, Filter::All, &article, page_size)? {
        targets.insert(Target::OutboxPage(page));
    }
    targets.insert(Target::Author(article.author.handle.clone()));
    let filter = Filter::Author(&article.author.handle);
    for chunk in chunks_from(store, filter, &article, page_size)? {
        targets.insert(Target::AuthorPage(article.author.handle.clone(), chunk));
    }
    Ok(targets)
}

/// What shows an event: its own files and, while published, the event
/// lists, calendars and feed, its month and its tags, and the home page
/// while it has not ended (the home shows the next ones). Never an
/// article list: those hold articles only.
fn event_targets(store: &Store, article: &Article) -> Result<BTreeSet<Target>> {
    let mut targets = BTreeSet::from([Target::Event(article.slug.clone())]);
    if article.status != Status::Published {
        return Ok(targets);
    }
    targets.extend([
        Target::Events,
        Target::EventCalendar,
        Target::EventFeed,
        Target::SitemapPages,
    ]);
    if let Some(event) = store.event(article.id)? {
        targets.insert(Target::EventMonth(event_month(&event.fields)));
        if event.fields.ends_at >= jiff::Timestamp::now().as_second() {
            targets.insert(Target::Home);
        }
    }
    for tag in &article.tags {
        targets.insert(Target::EventTag(tag.slug.clone()));
    }
    Ok(targets)
}

/// The targets that change when time passes an event's end: it moves
/// from the upcoming list to the past one, its page says it is over, and
/// it leaves the calendars 30 days later.
pub fn touched_by_time(event: &crate::store::EventRow) -> BTreeSet<Target> {
    let mut targets = BTreeSet::from([
        Target::Event(event.article.slug.clone()),
        Target::Events,
        Target::EventCalendar,
        Target::EventMonth(event_month(&event.fields)),
    ]);
    for tag in &event.article.tags {
        targets.insert(Target::EventTag(tag.slug.clone()));
    }
    targets
}

/// The chunks whose content or links depend on the article: its own and
/// every later one (they shift when it comes or goes), and the one before
/// when the article opens its chunk (that chunk's "newer" link changes).
/// For a newly published article that is one page, two when it starts one.
fn chunks_from(
    store: &Store,
    filter: Filter<'_>,
    article: &crate::store::Article,
    size: usize,
) -> Result<Vec<usize>> {
    let total = store.count_published(filter)?;
    let last = chunk_count(total, size);
    if last == 0 {
        // Chunk 1 and 2 may exist from before the list shrank: have them removed.
        return Ok(vec![1, 2]);
    }
    let position = store.position(filter, article)?;
    let own = position / size + 1;
    let first = if position % size == 0 {
        own.saturating_sub(1).max(1)
    } else {
        own
    };
    Ok((first..=last.max(own)).collect())
}

/// What a new, edited, deleted or moderated comment (or a like or boost of
/// the article) changes: the article's page and its twin, nothing else. No
/// list, feed or count elsewhere shows comments, so a thread under one
/// article costs one page per reply whatever the site's size.
pub fn touched_by_comments(slug: &str) -> BTreeSet<Target> {
    BTreeSet::from([Target::Article(slug.to_string())])
}

/// What a new or lost follower changes: the collection and the home page,
/// which shows the count.
pub fn touched_by_followers() -> BTreeSet<Target> {
    BTreeSet::from([Target::Followers, Target::Home])
}

/// Every page of an author's list: after the author's name or avatar changed.
pub fn author_pages(store: &Store, handle: &str, page_size: usize) -> Result<Vec<Target>> {
    let total = store.count_published(Filter::Author(handle))?;
    let mut targets = vec![Target::Author(handle.to_string())];
    targets.extend(
        (1..=chunk_count(total, page_size)).map(|n| Target::AuthorPage(handle.to_string(), n)),
    );
    Ok(targets)
}

/// Every target of the site, for a full rebuild.
pub fn everything(store: &Store, page_size: usize) -> Result<Vec<Target>> {
    let mut targets = vec![
        Target::Assets,
        Target::Home,
        Target::Feed,
        Target::ArchiveIndex,
        Target::SitemapIndex,
        Target::SitemapPages,
        Target::Robots,
        Target::NotFound,
        Target::Actor,
        Target::Discovery,
        Target::NodeInfo,
        Target::Rules,
        Target::Followers,
        Target::Outbox,
    ];
    let pages = chunk_count(store.count_published(Filter::All)?, page_size);
    targets.extend((1..=pages).map(Target::OutboxPage));
    for (month, _, _) in store.months()? {
        targets.push(Target::Archive(month.clone()));
        targets.push(Target::Sitemap(month));
    }
    for tag in store.tags()? {
        let total = store.count_published(Filter::Tag(&tag.slug))?;
        targets.push(Target::Tag(tag.slug.clone()));
        targets.push(Target::TagFeed(tag.slug.clone()));
        for chunk in 1..=chunk_count(total, page_size) {
            targets.push(Target::TagPage(tag.slug.clone(), chunk));
        }
    }
    for handle in store.author_handles()? {
        targets.extend(author_pages(store, &handle, page_size)?);
    }
    targets.extend([Target::Events, Target::EventCalendar, Target::EventFeed]);
    let events = store.published_events(i64::MIN, true, usize::MAX)?;
    let mut months = BTreeSet::new();
    let mut tags = BTreeSet::new();
    for event in &events {
        months.insert(event_month(&event.fields));
        tags.extend(event.article.tags.iter().map(|t| t.slug.clone()));
    }
    targets.extend(months.into_iter().map(Target::EventMonth));
    targets.extend(tags.into_iter().map(Target::EventTag));
    // Events among these (published or gone) are rendered at
    // events/<slug>/ whatever their target: the renderer asks their kind.
    targets.extend(store.page_slugs()?.into_iter().map(Target::Article));
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_exist_only_when_one_page_is_not_enough() {
        assert_eq!(chunk_count(0, 20), 0);
        assert_eq!(chunk_count(20, 20), 0);
        assert_eq!(chunk_count(21, 20), 2);
        assert_eq!(chunk_count(40, 20), 2);
        assert_eq!(chunk_count(41, 20), 3);
    }
}
