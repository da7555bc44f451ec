//! Event files: each event's page, AS2 twin and `event.ics`; the upcoming
//! and past lists, the month and tag pages, the calendars and the feed.
//! Whether an event is upcoming depends on the clock, so the lists are
//! written with the time of writing, and [`refresh_event_lists`] rewrites
//! what an event's end changed once it has passed.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use minijinja::{Value, context};
use serde::Serialize;
use serde_json::json;

use super::event_view::{self, EventView, event_dir, event_month, event_month_dir, event_tag_dir};
use super::view::{self, ArticleView};
use super::{Output, Renderer, Target, calendar, documents, plan};
use crate::config::Moderation;
use crate::context::Context;
use crate::store::{Article, EventRow, Kind, Status, Store};

/// Past events listed on `events/past/`; older ones stay in the months.
const PAST_LIST: usize = 200;
/// Upcoming events listed on `events/`.
const UPCOMING_LIST: usize = 500;
/// How long an ended event stays in the calendar feeds.
const CALENDAR_PAST_SECONDS: i64 = 30 * 86_400;

/// One entry of an event list.
#[derive(Debug, Clone, Serialize)]
pub struct EventItem {
    pub article: ArticleView,
    pub event: EventView,
}

/// An AS2 object, its address, and the further pages of its replies.
type EventDocument = (serde_json::Value, String, Vec<(usize, serde_json::Value)>);

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Every published event, soonest first.
fn all_events(store: &Store) -> Result<Vec<EventRow>> {
    store.published_events(i64::MIN, true, usize::MAX)
}

fn moderation_option(moderation: Moderation) -> &'static str {
    match moderation {
        Moderation::Open => "allow_all",
        Moderation::Held => "moderated",
        Moderation::Closed => "closed",
    }
}

/// An event's article as templates see it, dates in the views' language.
fn event_article_view_in(
    views: &super::view::Views,
    article: &Article,
    body_html: Option<String>,
) -> ArticleView {
    let mut view = views.article(article, body_html);
    let relative = event_dir(&article.slug);
    view.path = views.path(&relative);
    view.url = views.absolute(&relative);
    // Its tags lead to the events with that tag.
    for (tag, shown) in article.tags.iter().zip(view.tags.iter_mut()) {
        shown.path = views.path(&event_tag_dir(&tag.slug));
    }
    view
}

impl Renderer {
    /// An event's article as templates see it: at its `events/` address.
    pub fn event_article_view(&self, article: &Article, body_html: Option<String>) -> ArticleView {
        event_article_view_in(&self.views, article, body_html)
    }

    fn event_item(&self, event: &EventRow, participants: i64, now: i64) -> EventItem {
        EventItem {
            article: self.event_article_view(&event.article, None),
            event: self.views.event(event, participants, now),
        }
    }

    /// An event as the fediverse sees it, and its page's address.
    pub fn event_object(&self, store: &Store, event: &EventRow) -> Result<EventDocument> {
        let url = self.views.absolute(&event_dir(&event.article.slug));
        let body = super::body_html(store, &event.article)?;
        let fields = &event.fields;
        let tz = event_view::zone_of(fields);
        let summary = event_view::summary_line(fields, &self.views.words);
        let start = event_view::rfc3339(fields.starts_at, &tz);
        let end = event_view::rfc3339(fields.ends_at, &tz);
        let moderation = self.comments_moderation(store, event.article.id)?;
        let words = self.messages(&event.article.lang);
        let extras = documents::EventExtras {
            words: &words,
            summary: &summary,
            start_time: &start,
            end_time: &end,
            timezone: tz.iana_name().unwrap_or("UTC"),
            participant_count: store.accepted_count(event.article.id)?,
            replies_moderation: moderation_option(moderation),
        };
        let mut object =
            documents::event_object(&self.config, event, &url, &body, &extras, |tag| {
                self.views.absolute(&event_tag_dir(tag))
            });
        let comments = store.comments_of(event.article.id, false)?;
        let (replies, pages) = super::replies_of(&url, &comments);
        object["replies"] = replies;
        Ok((object, url, pages))
    }

    /// Plain text for calendars: the summary, else the body's beginning.
    fn excerpt(&self, store: &Store, article: &Article) -> Result<String> {
        if !article.summary.trim().is_empty() {
            return Ok(article.summary.trim().to_string());
        }
        let markdown = store.body_markdown(article.id)?.unwrap_or_default();
        Ok(super::markdown::excerpt(&markdown, 300))
    }

    fn ics(&self, store: &Store, name: Option<&str>, events: &[&EventRow]) -> Result<Vec<u8>> {
        let mut components = Vec::with_capacity(events.len());
        for event in events {
            let url = self.views.absolute(&event_dir(&event.article.slug));
            let excerpt = self.excerpt(store, &event.article)?;
            components.push(calendar::vevent(&calendar::Entry {
                event,
                url: &url,
                excerpt: &excerpt,
            }));
        }
        Ok(calendar::calendar(name, components).into_bytes())
    }

    /// schema.org's Event, for search engines: `<script type="application/ld+json">`.
    fn event_json_ld(&self, item: &EventItem, event: &EventRow) -> String {
        let fields = &event.fields;
        let (start, end) = if fields.all_day {
            (item.event.start_date.clone(), item.event.end_date.clone())
        } else {
            (item.event.starts.clone(), item.event.ends.clone())
        };
        let mut locations = Vec::new();
        if !item.event.place.lines.is_empty() {
            let place = &item.event.place;
            let mut value = json!({
                "@type": "Place",
                "name": if place.name.is_empty() { place.lines.join(", ") } else { place.name.clone() },
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": place.street,
                    "postalCode": place.postal_code,
                    "addressLocality": place.city,
                    "addressRegion": place.region,
                    "addressCountry": place.country,
                },
            });
            if let (Some(lat), Some(lon)) = (place.latitude, place.longitude) {
                value["geo"] =
                    json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon });
            }
            locations.push(value);
        }
        if !item.event.online_url.is_empty() {
            locations.push(json!({ "@type": "VirtualLocation", "url": item.event.online_url }));
        }
        let mode = match (item.event.place.lines.is_empty(), item.event.online) {
            (false, true) => "https://schema.org/MixedEventAttendanceMode",
            (true, true) => "https://schema.org/OnlineEventAttendanceMode",
            _ => "https://schema.org/OfflineEventAttendanceMode",
        };
        let author = &item.article.author;
        let mut value = json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": item.article.title,
            "description": if item.article.summary.is_empty() { item.event.summary_line.clone() } else { item.article.summary.clone() },
            "startDate": start,
            "endDate": end,
            "eventStatus": if item.event.cancelled { "https://schema.org/EventCancelled" } else { "https://schema.org/EventScheduled" },
            "eventAttendanceMode": mode,
            "location": locations,
            "url": item.article.url,
            "organizer": {
                "@type": "Person",
                "name": if author.name.is_empty() { author.handle.clone() } else { author.name.clone() },
                "url": if author.profile_url.is_empty() { self.views.absolute(&view::author_dir(author.handle.trim_start_matches('@'))) } else { author.profile_url.clone() },
            },
        });
        if !item.article.cover.is_empty() {
            value["image"] = json!([item.article.cover]);
        }
        if let Some(capacity) = item.event.capacity {
            value["maximumAttendeeCapacity"] = json!(capacity);
            value["remainingAttendeeCapacity"] = json!(item.event.remaining.unwrap_or(0));
        }
        event_view::script_json(&value)
    }

    /// An event's page, twin and calendar file; a gone page and a
    /// Tombstone once withdrawn; nothing for a draft never published.
    pub(super) fn render_event(&self, store: &Store, slug: &str) -> Result<Vec<Output>> {
        let relative = event_dir(slug);
        let html = PathBuf::from(format!("{relative}index.html"));
        let json = PathBuf::from(format!("{relative}index.json"));
        let ics = PathBuf::from(format!("{relative}event.ics"));
        let stale_pages = |keep: usize| {
            self.replies_pages_on_disk(&relative)
                .into_iter()
                .filter(move |n| *n < 2 || *n > keep)
                .map(|n| {
                    Output::Remove(PathBuf::from(format!(
                        "{relative}{}",
                        documents::replies_page_path(n)
                    )))
                })
        };
        let mut out = Vec::new();
        // An event never has a page at articles/<slug>/ (one written when
        // it was still an article goes).
        let article_dir = view::article_dir(slug);
        for name in ["index.html", "index.json"] {
            if self.docroot.join(&article_dir).join(name).exists() {
                out.push(Output::Remove(PathBuf::from(format!(
                    "{article_dir}{name}"
                ))));
            }
        }
        let found = match store.article_by_slug(slug)? {
            Some(article) if article.kind == Kind::Event => store.event(article.id)?,
            _ => None,
        };
        let Some(event) = found else {
            out.extend([
                Output::Remove(html),
                Output::Remove(json),
                Output::Remove(ics),
            ]);
            out.extend(stale_pages(0));
            return Ok(out);
        };
        let article = &event.article;
        let url = self.views.absolute(&relative);
        if article.status == Status::Published {
            let body = super::body_html(store, article)?;
            let (object, _, pages) = self.event_object(store, &event)?;
            let participants = store.accepted_count(article.id)?;
            let now = now();
            let (lang, views) = self.own_language(&article.lang);
            let item = EventItem {
                article: event_article_view_in(&views, article, Some(body)),
                event: views.event(&event, participants, now),
            };
            let json_ld = self.event_json_ld(&item, &event);
            let comments = store.comments_of(article.id, false)?;
            let moderation = self.comments_moderation(store, article.id)?;
            let description = if article.summary.trim().is_empty() {
                item.event.summary_line.clone()
            } else {
                format!("{} — {}", item.event.summary_line, article.summary.trim())
            };
            let extra = context! {
                article => &item.article,
                event => &item.event,
                json_ld,
                events_path => self.views.path("events/"),
                comment_count => comments.len(),
                comments => views.threads(&comments),
                reactions => store.article_reactions(article.id, &url)?,
                comments_open => moderation != Moderation::Closed,
                comments_held => moderation == Moderation::Held,
            };
            let mut page = self.page_view(&article.title, &description, &relative, "website");
            page.lang = lang;
            let page = self.template("event.html", page, extra)?;
            let last = pages.last().map_or(0, |(n, _)| *n);
            out.push(Output::Write(html, page));
            out.push(Output::Write(json, object.to_string().into_bytes()));
            out.push(Output::Write(ics, self.ics(store, None, &[&event])?));
            out.extend(pages.into_iter().map(|(n, page)| {
                Output::Write(
                    PathBuf::from(format!("{relative}{}", documents::replies_page_path(n))),
                    page.to_string().into_bytes(),
                )
            }));
            out.extend(stale_pages(last));
        } else if article.published_at.is_some() {
            let page = self.page_view(&self.views.words.t("gone-title"), "", &relative, "website");
            let page = self.template("gone.html", page, context! { title => article.title })?;
            let tombstone = documents::tombstone_of(&url, article.updated_at, "Event");
            out.push(Output::Write(html, page));
            out.push(Output::Write(json, tombstone.to_string().into_bytes()));
            out.push(Output::Remove(ics));
            out.extend(stale_pages(0));
        } else {
            out.extend([
                Output::Remove(html),
                Output::Remove(json),
                Output::Remove(ics),
            ]);
            out.extend(stale_pages(0));
        }
        Ok(out)
    }

    fn list_page(&self, relative: &str, title: &str, extra: Value) -> Result<Output> {
        let page = self.page_view(title, "", relative, "website");
        let common = context! {
            upcoming_path => self.views.path("events/"),
            past_path => self.views.path("events/past/"),
            feed_path => self.views.path("events/feed.atom"),
        };
        Ok(Output::Write(
            PathBuf::from(format!("{relative}index.html")),
            self.template("events.html", page, context! { ..extra, ..common })?,
        ))
    }

    fn calendar_links(&self, relative: &str) -> Value {
        let ics = format!("{relative}calendar.ics");
        let absolute = self.views.absolute(&ics);
        context! {
            calendar_path => self.views.path(&ics),
            calendar_url => absolute.clone(),
            // webcal:// asks calendar applications to subscribe.
            calendar_subscribe => absolute
                .strip_prefix("https://")
                .or_else(|| absolute.strip_prefix("http://"))
                .map(|rest| format!("webcal://{rest}"))
                .unwrap_or(absolute),
        }
    }

    /// The home page's events: the next `home_events` upcoming ones,
    /// soonest first (cancelled ones too, marked), and the links to the
    /// list and the calendar. None when `home_events` is 0.
    pub(super) fn home_events(&self, store: &Store) -> Result<Value> {
        let now = now();
        let events = if self.home_events == 0 {
            Vec::new()
        } else {
            store
                .published_events(now, true, self.home_events)?
                .iter()
                .map(|e| Ok(self.event_item(e, store.accepted_count(e.article.id)?, now)))
                .collect::<Result<Vec<EventItem>>>()?
        };
        Ok(context! {
            events,
            events_path => self.views.path("events/"),
            ..self.calendar_links("events/")
        })
    }

    /// Months with events, newest first, for the past list.
    fn event_months(&self, events: &[EventRow]) -> Vec<Value> {
        let months: BTreeSet<String> = events.iter().map(|e| event_month(&e.fields)).collect();
        months
            .into_iter()
            .rev()
            .map(|m| {
                context! {
                    name => self.views.month_name(&m),
                    path => self.views.path(&event_month_dir(&m)),
                }
            })
            .collect()
    }

    pub(super) fn render_event_target(
        &self,
        store: &Store,
        target: &Target,
    ) -> Result<Vec<Output>> {
        let now = now();
        match target {
            Target::Event(slug) => self.render_event(store, slug),
            Target::Events => {
                let upcoming = store.published_events(now, true, UPCOMING_LIST)?;
                let past = store.published_events(now, false, PAST_LIST)?;
                let items = |rows: &[EventRow]| -> Result<Vec<EventItem>> {
                    rows.iter()
                        .map(|e| Ok(self.event_item(e, store.accepted_count(e.article.id)?, now)))
                        .collect()
                };
                let months = self.event_months(&all_events(store)?);
                let links = self.calendar_links("events/");
                let words = &self.views.words;
                Ok(vec![
                    self.list_page(
                        "events/",
                        &words.t("events-title"),
                        context! { list => "upcoming", heading => words.t("events-upcoming"), events => items(&upcoming)?, months => &months, ..links.clone() },
                    )?,
                    self.list_page(
                        "events/past/",
                        &words.t("events-past"),
                        context! { list => "past", heading => words.t("events-past"), events => items(&past)?, months => &months, ..links },
                    )?,
                ])
            }
            Target::EventMonth(month) => {
                let dir = event_month_dir(month);
                let rows: Vec<EventRow> = all_events(store)?
                    .into_iter()
                    .filter(|e| &event_month(&e.fields) == month)
                    .collect();
                if rows.is_empty() {
                    return Ok(vec![Output::Remove(PathBuf::from(format!(
                        "{dir}index.html"
                    )))]);
                }
                let items: Vec<EventItem> =
                    rows.iter().map(|e| self.event_item(e, 0, now)).collect();
                let name = self.views.month_name(month);
                let links = self.calendar_links("events/");
                let heading = self
                    .views
                    .words
                    .t_with("events-in-month", &[("month", name.as_str().into())]);
                Ok(vec![self.list_page(
                    &dir,
                    &heading,
                    context! { list => "month", heading => &heading, name, events => items, ..links },
                )?])
            }
            Target::EventTag(tag) => {
                let dir = event_tag_dir(tag);
                let html = PathBuf::from(format!("{dir}index.html"));
                let ics = PathBuf::from(format!("{dir}calendar.ics"));
                let rows: Vec<EventRow> = all_events(store)?
                    .into_iter()
                    .filter(|e| e.article.tags.iter().any(|t| &t.slug == tag))
                    .collect();
                if rows.is_empty() {
                    return Ok(vec![Output::Remove(html), Output::Remove(ics)]);
                }
                let name = store.tag_name(tag)?.unwrap_or_else(|| tag.clone());
                let (upcoming, mut past): (Vec<&EventRow>, Vec<&EventRow>) =
                    rows.iter().partition(|e| e.fields.ends_at >= now);
                past.reverse();
                let in_calendar: Vec<&EventRow> = rows
                    .iter()
                    .filter(|e| e.fields.ends_at >= now - CALENDAR_PAST_SECONDS)
                    .collect();
                let calendar = self.ics(
                    store,
                    Some(&format!("{} — {name}", self.site.title)),
                    &in_calendar,
                )?;
                let items = |rows: &[&EventRow]| -> Vec<EventItem> {
                    rows.iter().map(|e| self.event_item(e, 0, now)).collect()
                };
                let links = self.calendar_links(&dir);
                let heading = self
                    .views
                    .words
                    .t_with("events-tagged", &[("tag", name.as_str().into())]);
                let page = self.list_page(
                    &dir,
                    &heading,
                    context! {
                        list => "tag",
                        heading => &heading,
                        tag => context! { name => &name, path => self.views.path(&dir), articles_path => self.views.path(&view::tag_dir(tag)) },
                        events => items(&upcoming),
                        past_events => items(&past),
                        ..links
                    },
                )?;
                Ok(vec![page, Output::Write(ics, calendar)])
            }
            Target::EventCalendar => {
                let rows = store.published_events(now - CALENDAR_PAST_SECONDS, true, usize::MAX)?;
                let refs: Vec<&EventRow> = rows.iter().collect();
                Ok(vec![Output::Write(
                    "events/calendar.ics".into(),
                    self.ics(store, Some(&self.site.title), &refs)?,
                )])
            }
            Target::EventFeed => {
                let mut rows = all_events(store)?;
                rows.sort_by_key(|e| std::cmp::Reverse((e.article.published_at, e.article.id)));
                rows.truncate(self.feed_entries);
                let entries = rows
                    .iter()
                    .map(|e| {
                        let body = super::body_html(store, &e.article)?;
                        let mut view = self.event_article_view(&e.article, Some(body));
                        let line = event_view::summary_line(&e.fields, &self.views.words);
                        view.summary = if view.summary.is_empty() {
                            line
                        } else {
                            format!("{line} — {}", view.summary)
                        };
                        Ok(view)
                    })
                    .collect::<Result<Vec<ArticleView>>>()?;
                let title = self.views.words.t_with(
                    "events-feed-title",
                    &[("site", self.site.title.as_str().into())],
                );
                let feed = self.feed_view(&title, "events/", "events/feed.atom", &entries);
                let page = self.page_view(&title, "", "events/", "website");
                Ok(vec![Output::Write(
                    "events/feed.atom".into(),
                    self.template("feed.atom", page, context! { feed, entries })?,
                )])
            }
            _ => Ok(Vec::new()),
        }
    }
}

/// Where the time of the last [`refresh_event_lists`] is kept: next to the
/// database, a dot file (the docroot's `.htaccess` refuses dot files, should
/// the private folder be inside it).
fn refresh_marker(ctx: &Context) -> PathBuf {
    let database = ctx.config.database_path();
    database
        .parent()
        .map(|dir| dir.join(".affiche-events-refreshed"))
        .unwrap_or_else(|| PathBuf::from(".affiche-events-refreshed"))
}

/// Rewrites what time changed since the last call: the pages, lists,
/// months and tags of events that ended since, and the calendars that
/// events ended more than 30 days ago leave. For the queue worker: when
/// nothing ended it costs one query and no write. The first call (no
/// record yet) refreshes every ended event once. Returns the files written.
pub fn refresh_event_lists(ctx: &Context, now: i64) -> Result<usize> {
    let marker = refresh_marker(ctx);
    let last = std::fs::read_to_string(&marker)
        .ok()
        .and_then(|t| t.trim().parse::<i64>().ok());
    if last.is_some_and(|last| last >= now) {
        return Ok(0);
    }
    let since = last.map_or(i64::MIN, |l| l - CALENDAR_PAST_SECONDS);
    let mut targets = BTreeSet::new();
    for event in ctx.store.published_events(since, true, usize::MAX)? {
        let ends = event.fields.ends_at;
        if ends < now && last.is_none_or(|l| ends >= l) {
            targets.extend(plan::touched_by_time(&event));
        }
        let leaves = ends + CALENDAR_PAST_SECONDS;
        if leaves < now && last.is_none_or(|l| leaves >= l) {
            targets.insert(Target::EventCalendar);
            targets.extend(
                event
                    .article
                    .tags
                    .iter()
                    .map(|t| Target::EventTag(t.slug.clone())),
            );
        }
    }
    if home_changed(ctx, last, now, !targets.is_empty())? {
        targets.insert(Target::Home);
    }
    let written = if targets.is_empty() {
        0
    } else {
        crate::actions::render_touched(ctx, &targets)?
    };
    super::atomic::write(&marker, now.to_string().as_bytes())
        .with_context(|| format!("cannot record the event refresh in {}", marker.display()))?;
    Ok(written)
}

/// Whether time changed the home page's upcoming events since the last
/// refresh: the next `home_events` then and now differ. (The home was
/// rendered with a set equal to the one at `last`, or this would have
/// rendered it again then.) On the first refresh, whenever an event ended.
fn home_changed(ctx: &Context, last: Option<i64>, now: i64, any_ended: bool) -> Result<bool> {
    let shown = ctx.config.home_events;
    if shown == 0 {
        return Ok(false);
    }
    let Some(last) = last else {
        return Ok(any_ended);
    };
    let next = |at: i64| -> Result<Vec<i64>> {
        Ok(ctx
            .store
            .published_events(at, true, shown)?
            .iter()
            .map(|e| e.article.id)
            .collect())
    };
    Ok(next(last)? != next(now)?)
}
