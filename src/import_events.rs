//! `affiche event import`: events from iCalendar files (what Google
//! Calendar, Nextcloud, Facebook and most calendar applications export) and
//! from Markdown files with TOML front matter, as `article import` reads
//! articles. A run is all or nothing: one bad file, and nothing is stored.
//! Each event keeps the UID its calendar gave it (in the article's
//! idempotency key, `form_key`, which is unique), so importing the same
//! calendar again adds nothing.
//!
//! Times: `TZID` names are looked up in jiff's bundled database (the
//! file's VTIMEZONE blocks are not used: the IANA rules are the reference,
//! and the common Windows names Outlook writes are mapped to IANA ones);
//! UTC times (`Z`) are instants; floating times are in the site's zone;
//! `VALUE=DATE` events are all-day, their DTEND the day after the last.
//! A repeating event (RRULE) is imported as its first occurrence only.

use std::collections::BTreeSet;
use std::io::BufReader;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use ical::parser::ical::component::IcalEvent;
use ical::property::Property;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use serde::Deserialize;
use sha2::Digest as _;

use crate::config::Config;
use crate::context::Context;
use crate::events as times;
use crate::render::{atomic, markdown, month_of, slugify};
use crate::store::{
    ArticleAuthor, ArticleTag, EventFields, EventStatus, JoinMode, NewArticle, Status,
};
use crate::{actions, import};

/// What `form_key` holds for an imported event: this prefix and its UID.
const UID_KEY: &str = "import-uid:";

/// The command line's options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The organizer's handle (`@alice@example.org`): the events' author.
    pub organizer: Option<String>,
    /// Store them as drafts rather than publish them.
    pub draft: bool,
}

/// One event read from a file, not yet stored.
#[derive(Debug, Clone)]
pub struct ImportedEvent {
    /// The file and the event, for messages.
    pub origin: String,
    pub uid: String,
    pub article: NewArticle,
    pub fields: EventFields,
}

/// Every event of a run, and what the reader wants the user to know
/// (an RRULE taken as one occurrence, a modified occurrence left out).
#[derive(Debug, Default)]
pub struct Read {
    pub events: Vec<ImportedEvent>,
    pub notes: Vec<String>,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub imported: usize,
    /// Already imported (same UID): left as they are.
    pub skipped: usize,
    pub files: usize,
    /// The ids of the events stored.
    pub ids: Vec<i64>,
}

/// Expands files and folders (their `*.ics` and `*.md` files, sorted).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "ics" || e == "md"))
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    Ok(files)
}

/// Reads and parses every file; every problem of every file is reported
/// at once, and any problem means nothing is imported.
pub fn read_all(files: &[PathBuf], config: &Config, options: &Options, now: i64) -> Result<Read> {
    let mut read = Read::default();
    let mut errors = Vec::new();
    let organizer = match &options.organizer {
        Some(handle) => Some(
            import::parse_handle(handle).map_err(|why| anyhow::anyhow!("--organizer: {why}"))?,
        ),
        None => None,
    };
    for file in files {
        let origin = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(err) => {
                errors.push(format!("{origin}: cannot read: {err}"));
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let is_markdown = file.extension().is_some_and(|e| e == "md") || text.starts_with("+++");
        let parsed = if is_markdown {
            parse_markdown(
                text,
                &origin,
                config,
                organizer.as_deref(),
                options.draft,
                now,
            )
            .map(|event| (vec![event], Vec::new()))
            .map_err(|e| vec![e])
        } else {
            parse_ics(
                text,
                &origin,
                config,
                organizer.as_deref(),
                options.draft,
                now,
            )
        };
        match parsed {
            Ok((events, notes)) => {
                read.events.extend(events);
                read.notes.extend(notes);
            }
            Err(found) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        bail!("nothing was imported:\n  {}", errors.join("\n  "));
    }
    Ok(read)
}

/// Stores the events not imported before, in one transaction, then renders
/// what they touch (their pages once published).
pub fn import(ctx: &Context, read: Read) -> Result<Outcome> {
    atomic::check_writable(ctx.renderer.docroot())?;
    let mut outcome = Outcome::default();
    let mut seen_uids = BTreeSet::new();
    let mut slugs_taken = BTreeSet::new();
    let mut fresh = Vec::new();
    for mut event in read.events {
        let key = format!("{UID_KEY}{}", event.uid);
        if !seen_uids.insert(key.clone()) || ctx.store.article_by_form_key(&key)?.is_some() {
            outcome.skipped += 1;
            continue;
        }
        event.article.form_key = Some(key);
        event.article.slug = free_slug(ctx, &event.article.slug, &slugs_taken)?;
        slugs_taken.insert(event.article.slug.clone());
        settle_identity(ctx, &mut event.article.author)?;
        fresh.push(event);
    }
    let ids = ctx.store.transaction(|store| {
        let mut ids = Vec::new();
        for event in &fresh {
            let id = store
                .insert_article(&event.article)
                .with_context(|| event.origin.clone())?;
            store
                .insert_event(id, &event.fields)
                .with_context(|| event.origin.clone())?;
            ids.push(id);
        }
        Ok(ids)
    })?;
    let slugs: Vec<String> = fresh.iter().map(|e| e.article.slug.clone()).collect();
    let targets = actions::touched(ctx, &slugs)?;
    outcome.files = actions::render_touched(ctx, &targets)?;
    outcome.imported = ids.len();
    outcome.ids = ids;
    Ok(outcome)
}

/// `base`, or `base-2`, `base-3`… when the site or this run has it.
fn free_slug(ctx: &Context, base: &str, batch: &BTreeSet<String>) -> Result<String> {
    let taken =
        |slug: &str| -> Result<bool> { Ok(batch.contains(slug) || ctx.store.slug_taken(slug)?) };
    if !taken(base)? {
        return Ok(base.to_string());
    }
    for n in 2..10_000 {
        let candidate = format!("{base}-{n}");
        if !taken(&candidate)? {
            return Ok(candidate);
        }
    }
    bail!("no free address for the event '{base}'")
}

/// An organizer the site knows (she logged in, or was imported before)
/// keeps her name, avatar and actor; no network lookup.
fn settle_identity(ctx: &Context, author: &mut ArticleAuthor) -> Result<()> {
    if let Some(known) = ctx.store.author(&author.handle)? {
        for (field, old) in [
            (&mut author.name, &known.name),
            (&mut author.avatar, &known.avatar),
            (&mut author.profile_url, &known.profile_url),
            (&mut author.actor_id, &known.actor_id),
        ] {
            if field.is_empty() {
                field.clone_from(old);
            }
        }
    }
    Ok(())
}

fn author_for(config: &Config, handle: Option<&str>) -> ArticleAuthor {
    match handle {
        Some(handle) => ArticleAuthor {
            handle: handle.to_string(),
            ..Default::default()
        },
        None => {
            let site_url = config.site_url();
            ArticleAuthor {
                handle: format!("{}@{}", config.actor_name, site_url.host),
                name: config.title.clone(),
                profile_url: format!("{}/", site_url.base),
                ..Default::default()
            }
        }
    }
}

/// The article half of an event.
#[allow(clippy::too_many_arguments)]
fn article_for(
    config: &Config,
    title: &str,
    slug: String,
    body: &str,
    lang: String,
    tags: Vec<ArticleTag>,
    author: ArticleAuthor,
    draft: bool,
    now: i64,
) -> NewArticle {
    let status = if draft {
        Status::Draft
    } else {
        Status::Published
    };
    let published = status == Status::Published;
    NewArticle {
        slug,
        title: title.to_string(),
        summary: markdown::excerpt(body, 240),
        body_md: body.to_string(),
        body: markdown::render_body(body),
        lang,
        status,
        author,
        tags,
        created_at: now,
        published_at: published.then_some(now),
        month: published.then(|| month_of(now, &config.tz())),
        cover: String::new(),
        form_key: None,
    }
}

fn tags_from(names: impl IntoIterator<Item = String>) -> Vec<ArticleTag> {
    let mut tags: Vec<ArticleTag> = Vec::new();
    for name in names {
        let name = name.trim().trim_start_matches('#').to_string();
        let slug = slugify(&name);
        if !slug.is_empty() && name.chars().count() <= 50 && !tags.iter().any(|t| t.slug == slug) {
            tags.push(ArticleTag { slug, name });
        }
    }
    tags
}

// ---------------------------------------------------------------- iCalendar

/// The events of one iCalendar file, or every problem found in it.
pub fn parse_ics(
    text: &str,
    origin: &str,
    config: &Config,
    organizer: Option<&str>,
    draft: bool,
    now: i64,
) -> std::result::Result<(Vec<ImportedEvent>, Vec<String>), Vec<String>> {
    let mut events = Vec::new();
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let mut count = 0;
    for calendar in ical::IcalParser::new(BufReader::new(text.as_bytes())) {
        let calendar = calendar.map_err(|err| {
            vec![format!(
                "{origin}: not a readable iCalendar file ({err}): it must start with BEGIN:VCALENDAR"
            )]
        })?;
        // Google writes the calendar's zone here; UTC times are shown in it.
        let calendar_zone = calendar
            .properties
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("X-WR-TIMEZONE"))
            .and_then(|p| p.value.as_deref())
            .and_then(|name| resolve_zone(name).ok());
        for vevent in &calendar.events {
            count += 1;
            let summary = text_value(vevent, "SUMMARY").unwrap_or_default();
            let label = if summary.trim().is_empty() {
                format!("{origin}: event {count}")
            } else {
                format!("{origin}: event {count} “{}”", summary.trim())
            };
            if property(vevent, "RECURRENCE-ID").is_some() {
                notes.push(format!(
                    "{label}: a changed occurrence of a repeating event (RECURRENCE-ID); left out, only the first occurrence is imported"
                ));
                continue;
            }
            match ics_event(
                vevent,
                &label,
                calendar_zone.as_ref(),
                config,
                organizer,
                draft,
                now,
            ) {
                Ok(event) => {
                    if property(vevent, "RRULE").is_some() {
                        notes.push(format!(
                            "{label}: repeats (RRULE); only its first occurrence is imported"
                        ));
                    }
                    events.push(event);
                }
                Err(why) => errors.extend(why.into_iter().map(|w| format!("{label}: {w}"))),
            }
        }
    }
    if count == 0 && errors.is_empty() {
        errors.push(format!(
            "{origin}: no event in this file (no BEGIN:VEVENT); is it an iCalendar file?"
        ));
    }
    if errors.is_empty() {
        Ok((events, notes))
    } else {
        Err(errors)
    }
}

fn property<'a>(event: &'a IcalEvent, name: &str) -> Option<&'a Property> {
    event
        .properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

fn param<'a>(property: &'a Property, name: &str) -> Option<&'a str> {
    property
        .params
        .as_ref()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, values)| values.first())
        .map(String::as_str)
}

fn text_value(event: &IcalEvent, name: &str) -> Option<String> {
    property(event, name)
        .and_then(|p| p.value.as_deref())
        .map(unescape)
}

/// RFC 5545 TEXT: `\n`, `\,`, `\;` and `\\` back to what they stand for.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a TEXT list (CATEGORIES) on the commas that are not escaped.
fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            items.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    items.push(unescape(&current));
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Common Windows zone names (Outlook, Exchange) and their IANA zones.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Romance Standard Time", "Europe/Paris"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("UTC", "UTC"),
    ("Coordinated Universal Time", "UTC"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("India Standard Time", "Asia/Kolkata"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
];

/// A TZID as an IANA zone: the name itself, the end of a prefixed one
/// (`/mozilla.org/20070129_1/Europe/Paris`), or a common Windows name.
fn resolve_zone(tzid: &str) -> std::result::Result<TimeZone, String> {
    let name = tzid.trim().trim_matches('"');
    if let Ok(tz) = times::zone(name) {
        return Ok(tz);
    }
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    for take in [3, 2] {
        if parts.len() > take {
            if let Ok(tz) = times::zone(&parts[parts.len() - take..].join("/")) {
                return Ok(tz);
            }
        }
    }
    if let Some((_, iana)) = WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
    {
        return times::zone(iana);
    }
    Err(format!(
        "the time zone '{name}' is unknown: only IANA names (Europe/Paris) and the common Windows names (Romance Standard Time) are understood"
    ))
}

/// When a DTSTART or DTEND says.
enum When {
    Day(Date),
    /// UTC seconds, and the zone it was given in (None: UTC or floating).
    Instant(i64, Option<TimeZone>),
}

fn when(prop: &Property, name: &str, site: &TimeZone) -> std::result::Result<When, String> {
    let value = prop.value.as_deref().unwrap_or_default().trim();
    let is_date = param(prop, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        || (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()));
    if is_date {
        return Date::strptime("%Y%m%d", value)
            .map(When::Day)
            .map_err(|_| format!("{name} '{value}' is not a date (YYYYMMDD)"));
    }
    let (local, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(local) => (local, true),
        None => (value, false),
    };
    let local = DateTime::strptime("%Y%m%dT%H%M%S", local)
        .map_err(|_| format!("{name} '{value}' is not a date and time (YYYYMMDDTHHMMSS)"))?;
    if utc {
        let ts = TimeZone::UTC
            .to_ambiguous_zoned_datetime(local)
            .compatible()
            .map_err(|e| format!("{name} '{value}': {e}"))?;
        return Ok(When::Instant(ts.timestamp().as_second(), None));
    }
    let (tz, given) = match param(prop, "TZID") {
        Some(tzid) => (
            resolve_zone(tzid).map_err(|e| format!("{name}: {e}"))?,
            true,
        ),
        None => (site.clone(), false),
    };
    let at = times::instant(local.date(), local.time(), &tz).map_err(|e| format!("{name}: {e}"))?;
    Ok(When::Instant(at.as_second(), given.then_some(tz)))
}

fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().unwrap_or("UTC").to_string()
}

fn ics_event(
    event: &IcalEvent,
    label: &str,
    calendar_zone: Option<&TimeZone>,
    config: &Config,
    organizer: Option<&str>,
    draft: bool,
    now: i64,
) -> std::result::Result<ImportedEvent, Vec<String>> {
    let mut errors = Vec::new();
    let site = config.tz();
    let title = text_value(event, "SUMMARY")
        .unwrap_or_default()
        .trim()
        .to_string();
    if title.is_empty() {
        errors.push("it has no SUMMARY (its title)".to_string());
    }
    let start = match property(event, "DTSTART") {
        Some(p) => when(p, "DTSTART", &site).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push("it has no DTSTART (when it starts)".to_string());
            None
        }
    };
    let end = property(event, "DTEND")
        .map(|p| when(p, "DTEND", &site))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let duration = property(event, "DURATION")
        .and_then(|p| p.value.as_deref())
        .map(|v| {
            v.trim()
                .parse::<jiff::Span>()
                .map_err(|_| format!("DURATION '{v}' is not a duration such as PT2H"))
        })
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    // The zone the event is shown in: its own TZID, else the calendar's,
    // else the site's.
    let shown = calendar_zone.cloned().unwrap_or_else(|| site.clone());
    let span = match (start, end) {
        (Some(When::Day(first)), end) => {
            let last = match end {
                // DTEND of an all-day event is the day after the last.
                Some(When::Day(after)) if after > first => after.yesterday().ok(),
                Some(When::Day(_)) | None => Some(first),
                Some(When::Instant(..)) => {
                    errors.push("DTSTART is a date but DTEND a date and time".into());
                    None
                }
            };
            let last = match (last, duration) {
                (Some(last), Some(span)) if end.is_none() => first
                    .checked_add(span)
                    .ok()
                    .and_then(|after| after.yesterday().ok())
                    .filter(|d| *d >= first)
                    .or(Some(last)),
                (last, _) => last,
            };
            last.and_then(|last| {
                times::all_day_span(first, last, &shown)
                    .map_err(|e| errors.push(e))
                    .ok()
                    .map(|(s, e)| (s, e, true, zone_name(&shown)))
            })
        }
        (Some(When::Instant(starts, tz)), end) => {
            let zone = tz.unwrap_or_else(|| shown.clone());
            let ends = match (end, duration) {
                (Some(When::Instant(ends, _)), _) => Some(ends),
                (Some(When::Day(_)), _) => {
                    errors.push("DTSTART is a date and time but DTEND a date".into());
                    None
                }
                (None, Some(span)) => times::local(starts, &zone)
                    .and_then(|z| z.checked_add(span).ok())
                    .map(|z| z.timestamp().as_second()),
                (None, None) => Some(starts),
            };
            ends.map(|ends| (starts, ends, false, zone_name(&zone)))
        }
        (None, _) => None,
    };
    let mut body = text_value(event, "DESCRIPTION").unwrap_or_default();
    let location = text_value(event, "LOCATION").unwrap_or_default();
    let url = text_value(event, "URL")
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut online_url = String::new();
    if !url.is_empty() {
        if !crate::web::events::is_web_address(&url) {
            errors.push(format!("URL '{url}' is not a web address"));
        } else if location.trim().is_empty() {
            // No place: the link is where the event happens.
            online_url = url.clone();
        } else if !body.contains(&url) {
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(&format!("<{url}>"));
        }
    }
    let (latitude, longitude) = match property(event, "GEO").and_then(|p| p.value.as_deref()) {
        Some(geo) => {
            let parsed = geo.split_once([';', ',']).and_then(|(a, b)| {
                Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?))
            });
            match parsed {
                Some((lat, lon)) => (Some(lat), Some(lon)),
                None => {
                    errors.push(format!("GEO '{geo}' is not latitude;longitude"));
                    (None, None)
                }
            }
        }
        None => (None, None),
    };
    let status = match property(event, "STATUS")
        .and_then(|p| p.value.as_deref())
        .map(|s| s.trim().to_ascii_uppercase())
        .as_deref()
    {
        Some("CANCELLED") => EventStatus::Cancelled,
        Some("TENTATIVE") => EventStatus::Tentative,
        _ => EventStatus::Confirmed,
    };
    let categories: Vec<String> = event
        .properties
        .iter()
        .filter(|p| p.name.eq_ignore_ascii_case("CATEGORIES"))
        .filter_map(|p| p.value.as_deref())
        .flat_map(split_list)
        .collect();
    let place = place_from(&location);
    let Some((starts_at, ends_at, all_day, time_zone)) = span else {
        return Err(errors);
    };
    let fields = EventFields {
        starts_at,
        ends_at,
        time_zone,
        all_day,
        place_name: place.name,
        street: place.street,
        postal_code: place.postal_code,
        city: place.city,
        region: String::new(),
        country: place.country,
        latitude,
        longitude,
        online_url,
        capacity: None,
        status,
        category: String::new(),
        join_mode: JoinMode::Free,
        external_url: String::new(),
    };
    errors.extend(crate::web::events::problems(&fields));
    let slug = slugify(&title)
        .chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    if !title.is_empty() && slug.is_empty() {
        errors.push("its SUMMARY has no letters or digits to make an address from".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let uid = match text_value(event, "UID").map(|u| u.trim().to_string()) {
        Some(uid) if !uid.is_empty() => uid,
        // No UID: the same title at the same time is the same event.
        _ => {
            let digest = sha2::Sha256::digest(format!("{title}\n{starts_at}").as_bytes());
            format!(
                "sha256-{}",
                digest
                    .iter()
                    .take(16)
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            )
        }
    };
    let article = article_for(
        config,
        &title,
        slug,
        &body,
        config.language.clone(),
        tags_from(categories),
        author_for(config, organizer),
        draft,
        now,
    );
    Ok(ImportedEvent {
        origin: label.to_string(),
        uid,
        article,
        fields,
    })
}

/// An address read from a LOCATION line, best effort.
#[derive(Debug, Default, PartialEq)]
struct Place {
    name: String,
    street: String,
    postal_code: String,
    city: String,
    country: String,
}

/// `Le Local, 12 rue de la Paix, 75002 Paris, France`: the first part is
/// the place; a part starting with a number is the street; a postal code
/// and a city go together; a last part without digits, after them, is the
/// country. A single part is only a place name.
fn place_from(location: &str) -> Place {
    let parts: Vec<&str> = location
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut place = Place::default();
    let Some((first, rest)) = parts.split_first() else {
        return place;
    };
    place.name = (*first).to_string();
    let last = rest.len().saturating_sub(1);
    for (i, part) in rest.iter().enumerate() {
        let digits = part.chars().take_while(char::is_ascii_digit).count();
        let (code, town) = part.split_at(part.find(' ').unwrap_or(part.len()));
        let postal = (4..=6).contains(&code.len())
            && code.chars().any(|c| c.is_ascii_digit())
            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !town.trim().is_empty()
            && !place.street.is_empty();
        if postal && place.city.is_empty() {
            place.postal_code = code.to_string();
            place.city = town.trim().to_string();
        } else if digits > 0 && place.street.is_empty() {
            place.street = (*part).to_string();
        } else if i == last && i > 0 && !part.chars().any(|c| c.is_ascii_digit()) {
            if place.city.is_empty() {
                place.city = (*part).to_string();
            } else {
                place.country = (*part).to_string();
            }
        } else if place.city.is_empty() && !place.street.is_empty() {
            place.city = (*part).to_string();
        } else if place.street.is_empty() {
            place.street = (*part).to_string();
        } else {
            place.country = (*part).to_string();
        }
    }
    place
}

// ----------------------------------------------------------------- Markdown

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    start: toml::Value,
    #[serde(default)]
    end: Option<toml::Value>,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    all_day: bool,
    #[serde(default, alias = "place_name")]
    place: Option<String>,
    #[serde(default)]
    street: Option<String>,
    #[serde(default)]
    postal_code: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    latitude: Option<f64>,
    #[serde(default)]
    longitude: Option<f64>,
    #[serde(default)]
    online_url: Option<String>,
    #[serde(default)]
    capacity: Option<i64>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default, alias = "join_mode")]
    join: Option<String>,
    #[serde(default)]
    external_url: Option<String>,
    #[serde(default, alias = "author")]
    organizer: Option<String>,
    #[serde(default)]
    uid: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
}

const KEYS: &str = "title, start, end, time_zone, all_day, place, street, postal_code, city, region, country, latitude, longitude, online_url, capacity, status, category, tags, lang, join, external_url, organizer, uid, slug, draft";

/// A start or end: a date (all-day), an instant with an offset, or a local
/// date and time in the event's zone.
fn front_time(
    value: &toml::Value,
    all_day: bool,
    tz: &TimeZone,
) -> std::result::Result<When, String> {
    let text = match value {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            return Err(format!(
                "expected a date such as \"2026-03-29 10:00\", got {other}"
            ));
        }
    };
    if all_day {
        let day = text.get(..10).unwrap_or(&text);
        return times::parse_date(day).map(When::Day);
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(When::Instant(ts.as_second(), None));
    }
    let local = text.replacen(' ', "T", 1);
    let local = local.parse::<DateTime>().map_err(|_| {
        format!("'{text}' is not a date and time: write it as \"2026-03-29 10:00\"")
    })?;
    times::instant(local.date(), local.time(), tz).map(|ts| When::Instant(ts.as_second(), None))
}

/// One event from a Markdown file with `+++` TOML front matter.
pub fn parse_markdown(
    text: &str,
    origin: &str,
    config: &Config,
    organizer: Option<&str>,
    draft: bool,
    now: i64,
) -> std::result::Result<ImportedEvent, String> {
    let (front, body) =
        crate::import::split_front_matter(text, "`title = \"...\"` and `start = \"...\"`")
            .map_err(|why| format!("{origin}: {why}"))?;
    let front: FrontMatter = toml::from_str(front).map_err(|err| {
        format!(
            "{origin}: front matter: {} (known keys: {KEYS})",
            err.to_string().trim_end()
        )
    })?;
    let fail = |key: &str, why: String| format!("{origin}: front matter: {key}: {why}");
    let title = front.title.trim().to_string();
    if title.is_empty() {
        return Err(fail("title", "must not be empty".into()));
    }
    let zone = front
        .time_zone
        .clone()
        .unwrap_or_else(|| config.time_zone.clone());
    let tz = times::zone(&zone).map_err(|e| fail("time_zone", e))?;
    let start = front_time(&front.start, front.all_day, &tz).map_err(|e| fail("start", e))?;
    let end = front
        .end
        .as_ref()
        .map(|v| front_time(v, front.all_day, &tz))
        .transpose()
        .map_err(|e| fail("end", e))?;
    let (starts_at, ends_at) = match (start, end) {
        (When::Day(first), last) => {
            let last = match last {
                Some(When::Day(last)) => last,
                _ => first,
            };
            times::all_day_span(first, last, &tz).map_err(|e| fail("end", e))?
        }
        (When::Instant(s, _), Some(When::Instant(e, _))) => (s, e),
        (When::Instant(s, _), _) => (s, s),
    };
    let status = match front.status.as_deref().map(str::trim) {
        None | Some("") => EventStatus::Confirmed,
        Some(s) => EventStatus::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
            fail(
                "status",
                format!("expected confirmed, tentative or cancelled, got '{s}'"),
            )
        })?,
    };
    let join_mode = match front.join.as_deref().map(str::trim) {
        None | Some("") => JoinMode::Free,
        Some("approval") => JoinMode::Restricted,
        Some(s) => JoinMode::parse(s).ok_or_else(|| {
            fail(
                "join",
                format!("expected free, restricted (approval) or external, got '{s}'"),
            )
        })?,
    };
    let text_of = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_string();
    let fields = EventFields {
        starts_at,
        ends_at,
        time_zone: tz.iana_name().unwrap_or(&zone).to_string(),
        all_day: front.all_day,
        place_name: text_of(&front.place),
        street: text_of(&front.street),
        postal_code: text_of(&front.postal_code),
        city: text_of(&front.city),
        region: text_of(&front.region),
        country: text_of(&front.country),
        latitude: front.latitude,
        longitude: front.longitude,
        online_url: text_of(&front.online_url),
        capacity: front.capacity,
        status,
        category: text_of(&front.category),
        join_mode,
        external_url: text_of(&front.external_url),
    };
    let problems = crate::web::events::problems(&fields);
    if !problems.is_empty() {
        return Err(format!("{origin}: {}", problems.join(" ")));
    }
    let lang = front
        .lang
        .clone()
        .unwrap_or_else(|| config.language.clone());
    if !crate::config::is_language_tag(&lang) {
        return Err(fail(
            "lang",
            format!("expected a language tag such as \"en\", got '{lang}'"),
        ));
    }
    let slug = slugify(front.slug.as_deref().unwrap_or(&title));
    if slug.is_empty() {
        return Err(fail(
            "title",
            "has no letters or digits to make a URL from; add `slug = \"...\"`".into(),
        ));
    }
    let organizer = match &front.organizer {
        Some(handle) => Some(import::parse_handle(handle).map_err(|e| fail("organizer", e))?),
        None => organizer.map(str::to_string),
    };
    let uid = front
        .uid
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| format!("markdown:{slug}"));
    let article = article_for(
        config,
        &title,
        slug,
        body,
        lang,
        tags_from(front.tags.clone()),
        author_for(config, organizer.as_deref()),
        front.draft || draft,
        now,
    );
    Ok(ImportedEvent {
        origin: origin.to_string(),
        uid,
        article,
        fields,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        let mut config = Config::default_for_test(Path::new("/site"));
        config.time_zone = "Europe/Paris".into();
        config
    }

    fn ics(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    }

    fn one(text: &str) -> ImportedEvent {
        let (mut events, _) = parse_ics(text, "t.ics", &config(), None, false, 0).unwrap();
        assert_eq!(events.len(), 1);
        events.remove(0)
    }

    #[test]
    fn times_in_zones_utc_floating_and_all_day() {
        let e = one(&ics(
            "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Paris\r\nDTSTART;TZID=Europe/Paris:20260329T100000\r\nDTEND;TZID=Europe/Paris:20260329T120000\r\nEND:VEVENT\r\n",
        ));
        assert_eq!(e.fields.starts_at, 1_774_771_200); // 2026-03-29T08:00:00Z
        assert_eq!(e.fields.ends_at - e.fields.starts_at, 7_200);
        assert_eq!(e.fields.time_zone, "Europe/Paris");
        let e = one(&ics(
            "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Utc\r\nDTSTART:20260329T080000Z\r\nDURATION:PT1H30M\r\nEND:VEVENT\r\n",
        ));
        assert_eq!(e.fields.starts_at, 1_774_771_200);
        assert_eq!(e.fields.ends_at - e.fields.starts_at, 5_400);
        let e = one(&ics(
            "BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:Floating\r\nDTSTART:20260329T100000\r\nEND:VEVENT\r\n",
        ));
        assert_eq!(e.fields.starts_at, 1_774_771_200);
        let e = one(&ics(
            "BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:Days\r\nDTSTART;VALUE=DATE:20260328\r\nDTEND;VALUE=DATE:20260330\r\nEND:VEVENT\r\n",
        ));
        assert!(e.fields.all_day);
        // Two days, the second 23 hours long (clocks go forward).
        assert_eq!(e.fields.ends_at - e.fields.starts_at, 47 * 3600);
        let e = one(&ics(
            "BEGIN:VEVENT\r\nUID:e\r\nSUMMARY:Windows\r\nDTSTART;TZID=\"Romance Standard Time\":20260329T100000\r\nEND:VEVENT\r\n",
        ));
        assert_eq!(e.fields.starts_at, 1_774_771_200);
    }

    #[test]
    fn text_is_unescaped_and_places_are_split() {
        assert_eq!(unescape(r"a\, b\; c\nd\\e"), "a, b; c\nd\\e");
        assert_eq!(
            split_list(r"Music,Jazz\, live, Free"),
            ["Music", "Jazz, live", "Free"]
        );
        let p = place_from("Le Local, 12 rue de la Paix, 75002 Paris, France");
        assert_eq!(
            p,
            Place {
                name: "Le Local".into(),
                street: "12 rue de la Paix".into(),
                postal_code: "75002".into(),
                city: "Paris".into(),
                country: "France".into(),
            }
        );
        assert_eq!(place_from("Online").name, "Online");
    }

    #[test]
    fn errors_name_the_file_the_event_and_the_problem() {
        let err = parse_ics(
            &ics("BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Gap\r\nDTSTART;TZID=Europe/Paris:20260329T023000\r\nEND:VEVENT\r\n"),
            "t.ics",
            &config(),
            None,
            false,
            0,
        )
        .unwrap_err();
        assert!(
            err[0].starts_with("t.ics: event 1 “Gap”: DTSTART:"),
            "{err:?}"
        );
        assert!(err[0].contains("does not exist"), "{err:?}");
        let err = parse_ics(
            &ics("BEGIN:VEVENT\r\nSUMMARY:Zone\r\nDTSTART;TZID=Mars/Olympus:20260329T100000\r\nEND:VEVENT\r\n"),
            "t.ics",
            &config(),
            None,
            false,
            0,
        )
        .unwrap_err();
        assert!(err[0].contains("'Mars/Olympus' is unknown"), "{err:?}");
        let err = parse_ics("hello", "t.ics", &config(), None, false, 0).unwrap_err();
        assert!(err[0].contains("not a readable iCalendar"), "{err:?}");
    }

    #[test]
    fn markdown_events() {
        let doc = "+++\ntitle = \"Atelier\"\nstart = \"2026-03-29 10:00\"\nend = \"2026-03-29 12:00\"\ntime_zone = \"Europe/Paris\"\nplace = \"Le Local\"\ncity = \"Paris\"\ncapacity = 12\njoin = \"approval\"\n+++\nBring a laptop.\n";
        let e = parse_markdown(doc, "a.md", &config(), None, false, 0).unwrap();
        assert_eq!(e.fields.starts_at, 1_774_771_200);
        assert_eq!(e.fields.join_mode, JoinMode::Restricted);
        assert_eq!(e.uid, "markdown:atelier");
        let bad = doc.replace("capacity = 12", "capacity = 0");
        let err = parse_markdown(&bad, "a.md", &config(), None, false, 0).unwrap_err();
        assert!(err.contains("capacity of 0"), "{err}");
        let bad = doc.replace("10:00", "02:30");
        let err = parse_markdown(&bad, "a.md", &config(), None, false, 0).unwrap_err();
        assert!(err.starts_with("a.md: front matter: start:"), "{err}");
    }
}
