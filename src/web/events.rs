//! The event editor: the article editor's form (title, description, tags,
//! language, cover) plus when and where, who may join and how many. An
//! event is an article of kind 'event', so saving, publishing, withdrawing
//! and announcing are the article's (see `publish::*_event`); only the
//! author of an event sees or changes it. Every bad field is listed at
//! once, in words, and nothing is stored until all are right.

use http::{Request, StatusCode, header};
use jiff::civil::Date;
use minijinja::context;
use serde::Serialize;

use crate::config::Workflow;
use crate::context::Context;
use crate::events as times;
use crate::i18n::{Arg, I18n, Lang, Messages};
use crate::publish::{self, Change};
use crate::store::{
    Article, ArticleEdit, Author, EventFields, EventRow, EventStatus, JoinMode, Kind, Status,
};
use crate::web::editor;
use crate::web::forms::{Form, redirect};
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

/// Zones offered in the time zone field's list; any other IANA name may
/// be typed.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Luxembourg",
    "Europe/Berlin",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/Rome",
    "Europe/Madrid",
    "Europe/Prague",
    "Europe/Warsaw",
    "Europe/Copenhagen",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Bucharest",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Casablanca",
    "Africa/Dakar",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "America/St_Johns",
    "America/Halifax",
    "America/Montreal",
    "America/Toronto",
    "America/New_York",
    "America/Chicago",
    "America/Mexico_City",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/Sao_Paulo",
    "Asia/Jerusalem",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
];

const MAX_FIELD: usize = 200;

/// The form's fields as typed, to show them again.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EventForm {
    pub title: String,
    /// The description, in Markdown.
    pub body: String,
    pub tags: String,
    pub lang: String,
    pub cover: String,
    pub start_date: String,
    pub start_time: String,
    pub end_date: String,
    pub end_time: String,
    pub time_zone: String,
    pub all_day: bool,
    pub place_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub latitude: String,
    pub longitude: String,
    pub online_url: String,
    pub capacity: String,
    /// `confirmed`, `tentative`, or `cancelled` (set by its own button).
    pub status: String,
    pub category: String,
    /// `free`, `restricted` (approval) or `external`.
    pub join_mode: String,
    pub external_url: String,
}

impl EventForm {
    fn from_form(form: &Form) -> EventForm {
        let line = |name: &str| form.text(name).trim().to_string();
        EventForm {
            title: form.text("title"),
            body: form.text("body").replace("\r\n", "\n"),
            tags: form.text("tags"),
            lang: line("lang"),
            cover: editor::cover_field(form),
            start_date: line("start_date"),
            start_time: line("start_time"),
            end_date: line("end_date"),
            end_time: line("end_time"),
            time_zone: line("time_zone"),
            all_day: form.get("all_day").is_some_and(|v| !v.is_empty()),
            place_name: line("place_name"),
            street: line("street"),
            postal_code: line("postal_code"),
            city: line("city"),
            region: line("region"),
            country: line("country"),
            latitude: line("latitude"),
            longitude: line("longitude"),
            online_url: line("online_url"),
            capacity: line("capacity"),
            status: line("status"),
            category: line("category"),
            join_mode: line("join_mode"),
            external_url: line("external_url"),
        }
    }

    fn from_event(ctx: &Context, event: &EventRow) -> anyhow::Result<EventForm> {
        let article = &event.article;
        let f = &event.fields;
        let body = ctx.store.body_markdown(article.id)?.unwrap_or_default();
        let tz = times::zone(&f.time_zone).unwrap_or_else(|_| ctx.config.tz());
        let start = times::local(f.starts_at, &tz);
        let end = times::local(f.ends_at, &tz);
        let date = |z: &Option<jiff::ZonedDateTime>| z.as_ref().map(|z| z.date());
        let time = |z: &Option<jiff::ZonedDateTime>| {
            z.as_ref()
                .map(|z| z.strftime("%H:%M").to_string())
                .unwrap_or_default()
        };
        // An all-day event ends at the midnight after its last day.
        let last_day = if f.all_day {
            date(&end).and_then(|d| d.yesterday().ok())
        } else {
            date(&end)
        };
        let text = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        Ok(EventForm {
            title: article.title.clone(),
            body,
            tags: editor::tag_list(article),
            lang: article.lang.clone(),
            cover: article.cover.clone(),
            start_date: text(date(&start)),
            start_time: if f.all_day {
                String::new()
            } else {
                time(&start)
            },
            end_date: text(last_day),
            end_time: if f.all_day { String::new() } else { time(&end) },
            time_zone: f.time_zone.clone(),
            all_day: f.all_day,
            place_name: f.place_name.clone(),
            street: f.street.clone(),
            postal_code: f.postal_code.clone(),
            city: f.city.clone(),
            region: f.region.clone(),
            country: f.country.clone(),
            latitude: f.latitude.map(|v| v.to_string()).unwrap_or_default(),
            longitude: f.longitude.map(|v| v.to_string()).unwrap_or_default(),
            online_url: f.online_url.clone(),
            capacity: f.capacity.map(|v| v.to_string()).unwrap_or_default(),
            status: f.status.as_str().to_string(),
            category: f.category.clone(),
            join_mode: f.join_mode.as_str().to_string(),
            external_url: f.external_url.clone(),
        })
    }

    /// Checks every field and lists every problem at once.
    fn validate(
        &self,
        ctx: &Context,
        root: &str,
    ) -> Result<(ArticleEdit, EventFields), Vec<String>> {
        // The title, description, tags, language and cover are an article's:
        // the article editor's checks, in the event's words.
        let article = editor::Fields {
            title: self.title.clone(),
            body: self.body.clone(),
            summary: String::new(),
            tags: self.tags.clone(),
            lang: self.lang.clone(),
            cover: self.cover.clone(),
            comments: String::new(),
        }
        .validate(ctx, false, root, Kind::Event);
        let (edit, mut errors) = match article {
            Ok(edit) => (Some(edit), Vec::new()),
            Err(errors) => (None, errors),
        };
        let fields = self.event_fields(ctx, &mut errors);
        if let Some(fields) = &fields {
            errors.extend(problems_in(fields, &ctx.words()));
        }
        match (edit, fields) {
            (Some(edit), Some(fields)) if errors.is_empty() => Ok((edit, fields)),
            _ => Err(errors),
        }
    }

    /// The event's fields from the text typed; what cannot be read is an
    /// error in `errors` (the checks of the values are [`problems`]).
    fn event_fields(&self, ctx: &Context, errors: &mut Vec<String>) -> Option<EventFields> {
        let words = ctx.words();
        let which = |w: &'static str| ("which", Arg::from(w));
        let zone_name = if self.time_zone.is_empty() {
            ctx.config.time_zone.clone()
        } else {
            self.time_zone.clone()
        };
        let tz = times::zone(&zone_name)
            .map_err(|e| errors.push(format!("{e}.")))
            .ok();
        let date = |text: &str, kind: &'static str, errors: &mut Vec<String>| -> Option<Date> {
            if text.is_empty() {
                errors.push(words.t_with("check-date-empty", &[which(kind)]));
                return None;
            }
            // The parser's own words are English: the message says it all.
            times::parse_date(text)
                .map_err(|_| {
                    errors.push(
                        words.t_with("check-date", &[which(kind), ("text", text.trim().into())]),
                    )
                })
                .ok()
        };
        let start_date = date(&self.start_date, "start", errors);
        let end_date = if self.end_date.is_empty() {
            start_date
        } else {
            date(&self.end_date, "end", errors)
        };
        let span = if self.all_day {
            match (start_date, end_date, &tz) {
                (Some(first), Some(last), Some(tz)) => {
                    if last < first {
                        errors.push(words.t_with(
                            "check-last-day",
                            &[
                                ("last", last.to_string().into()),
                                ("first", first.to_string().into()),
                            ],
                        ));
                        None
                    } else {
                        times::all_day_span(first, last, tz)
                            .map_err(|e| errors.push(format!("{e}.")))
                            .ok()
                    }
                }
                _ => None,
            }
        } else {
            let time = |text: &str, kind: &'static str, errors: &mut Vec<String>| {
                if text.is_empty() {
                    errors.push(words.t_with("check-time-empty", &[which(kind)]));
                    return None;
                }
                times::parse_time(text)
                    .map_err(|_| {
                        errors.push(
                            words
                                .t_with("check-time", &[which(kind), ("text", text.trim().into())]),
                        )
                    })
                    .ok()
            };
            let start_time = time(&self.start_time, "start", errors);
            let end_time = if self.end_time.is_empty() {
                start_time
            } else {
                time(&self.end_time, "end", errors)
            };
            let at =
                |d: Option<Date>, t: Option<jiff::civil::Time>, errors: &mut Vec<String>| match (
                    d, t, &tz,
                ) {
                    (Some(d), Some(t), Some(tz)) => times::instant(d, t, tz)
                        .map_err(|e| errors.push(format!("{e}.")))
                        .ok()
                        .map(|ts| ts.as_second()),
                    _ => None,
                };
            let start = at(start_date, start_time, errors);
            let end = at(end_date, end_time, errors);
            start.zip(end)
        };
        let number =
            |text: &str, what: &'static str, errors: &mut Vec<String>| -> Option<Option<f64>> {
                if text.is_empty() {
                    return Some(None);
                }
                match text.replace(',', ".").parse::<f64>() {
                    Ok(v) if v.is_finite() => Some(Some(v)),
                    _ => {
                        errors.push(
                            words.t_with("check-degrees", &[which(what), ("text", text.into())]),
                        );
                        None
                    }
                }
            };
        let latitude = number(&self.latitude, "latitude", errors);
        let longitude = number(&self.longitude, "longitude", errors);
        let capacity = if self.capacity.is_empty() {
            Some(None)
        } else {
            match self.capacity.parse::<i64>() {
                Ok(n) => Some(Some(n)),
                Err(_) => {
                    errors.push(words.t_with(
                        "check-capacity-number",
                        &[("text", self.capacity.as_str().into())],
                    ));
                    None
                }
            }
        };
        let status = match self.status.as_str() {
            "" => Some(EventStatus::Confirmed),
            text => EventStatus::parse(text).or_else(|| {
                errors.push(words.t_with("check-status", &[("text", text.into())]));
                None
            }),
        };
        let join_mode = match self.join_mode.as_str() {
            "" => Some(JoinMode::Free),
            text => JoinMode::parse(text).or_else(|| {
                errors.push(words.t_with("check-join-mode", &[("text", text.into())]));
                None
            }),
        };
        let (starts_at, ends_at) = span?;
        Some(EventFields {
            starts_at,
            ends_at,
            time_zone: tz.as_ref()?.iana_name().unwrap_or(&zone_name).to_string(),
            all_day: self.all_day,
            place_name: self.place_name.clone(),
            street: self.street.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            country: self.country.clone(),
            latitude: latitude?,
            longitude: longitude?,
            online_url: self.online_url.clone(),
            capacity: capacity?,
            status: status?,
            category: self.category.clone(),
            join_mode: join_mode?,
            external_url: self.external_url.clone(),
        })
    }
}

/// What is wrong with an event's values, in English words: the
/// importer's checks (a command run by the owner), the same as the editor's.
pub fn problems(fields: &EventFields) -> Vec<String> {
    problems_in(
        fields,
        &Messages::new(std::sync::Arc::new(I18n::new()), Lang::ENGLISH),
    )
}

/// What is wrong with an event's values, in the words of a language.
pub fn problems_in(fields: &EventFields, words: &Messages) -> Vec<String> {
    let mut errors = Vec::new();
    if fields.ends_at < fields.starts_at {
        errors.push(words.t("check-ends-before"));
    }
    if let Some(n) = fields.capacity {
        if n <= 0 {
            errors.push(words.t_with("check-capacity", &[("count", n.into())]));
        }
    }
    for (label, value) in [
        ("field-place-name", &fields.place_name),
        ("field-street", &fields.street),
        ("field-postal-code", &fields.postal_code),
        ("field-city", &fields.city),
        ("field-region", &fields.region),
        ("field-country", &fields.country),
        ("field-category", &fields.category),
    ] {
        let field = || ("field", Arg::from(words.t(label)));
        if value.contains(['<', '>']) {
            errors.push(words.t_with("check-markup", &[field()]));
        } else if value.chars().count() > MAX_FIELD {
            errors.push(words.t_with("check-field-long", &[field(), ("max", MAX_FIELD.into())]));
        }
    }
    match (fields.latitude, fields.longitude) {
        (Some(_), None) | (None, Some(_)) => errors.push(words.t("check-lat-lon")),
        _ => {}
    }
    if let Some(v) = fields.latitude {
        if !(-90.0..=90.0).contains(&v) {
            errors.push(words.t_with("check-latitude", &[("value", v.to_string().into())]));
        }
    }
    if let Some(v) = fields.longitude {
        if !(-180.0..=180.0).contains(&v) {
            errors.push(words.t_with("check-longitude", &[("value", v.to_string().into())]));
        }
    }
    for (label, value) in [
        ("field-online-link", &fields.online_url),
        ("field-external-link", &fields.external_url),
    ] {
        if !value.is_empty() && !is_web_address(value) {
            errors.push(words.t_with(
                "check-web-address",
                &[
                    ("field", words.t(label).into()),
                    ("value", value.as_str().into()),
                ],
            ));
        }
    }
    if fields.join_mode == JoinMode::External && fields.external_url.is_empty() {
        errors.push(words.t("check-external-missing"));
    }
    errors
}

/// An absolute http(s) address with a host, and nothing that could break
/// out of an attribute.
pub fn is_web_address(text: &str) -> bool {
    if text.len() > 2000 || text.contains(|c: char| c.is_whitespace() || "<>\"'`".contains(c)) {
        return false;
    }
    text.parse::<http::Uri>().is_ok_and(|uri| {
        matches!(uri.scheme_str(), Some("http" | "https"))
            && uri.host().is_some_and(|h| !h.is_empty())
    })
}

/// An event as the editor's list shows it.
#[derive(Debug, Serialize)]
pub struct ListedEvent {
    pub id: i64,
    pub title: String,
    /// When it starts, in its own zone.
    pub date: String,
    pub status: String,
    pub cancelled: bool,
    pub url: String,
}

/// The author's events (deleted ones aside), soonest first, for the
/// editor's list.
pub fn listed(ctx: &Context, author: &Author) -> anyhow::Result<Vec<ListedEvent>> {
    let base = &ctx.renderer.site_url().base;
    let mut events = Vec::new();
    for article in ctx.store.articles_by_actor(&author.actor_id)? {
        if article.kind != Kind::Event {
            continue;
        }
        let Some(event) = ctx.store.event(article.id)? else {
            continue;
        };
        let f = &event.fields;
        let tz = times::zone(&f.time_zone).unwrap_or_else(|_| ctx.config.tz());
        let date = times::local(f.starts_at, &tz)
            .map(|z| {
                if f.all_day {
                    z.strftime("%Y-%m-%d").to_string()
                } else {
                    z.strftime("%Y-%m-%d %H:%M %Z").to_string()
                }
            })
            .unwrap_or_default();
        events.push((
            f.starts_at,
            ListedEvent {
                id: article.id,
                title: article.title.clone(),
                date,
                status: editor::status_text(article.status).to_string(),
                cancelled: f.status == EventStatus::Cancelled,
                url: page_url(base, &article),
            },
        ));
    }
    events.sort_by_key(|(at, e)| (*at, e.id));
    Ok(events.into_iter().map(|(_, e)| e).collect())
}

/// The public page of a published event.
fn page_url(base: &str, article: &Article) -> String {
    if article.status == Status::Published {
        format!(
            "{base}/{}",
            crate::render::event_view::event_dir(&article.slug)
        )
    } else {
        String::new()
    }
}

/// The message id of a notice (the template shows `t(notice)`).
fn notice_text(code: Option<&str>) -> &'static str {
    match code {
        Some("published") => "notice-event-published",
        Some("postponed") => "notice-event-postponed",
        Some("cancelled") => "notice-event-cancelled",
        Some("reinstated") => "notice-event-reinstated",
        // No "deleted": a deleted event goes back to the list.
        Some("deleted") => "",
        code => editor::common_notice(code),
    }
}

struct EventPage<'a> {
    id: Option<i64>,
    article: Option<&'a Article>,
    fields: EventForm,
    /// The status stored (the form may say otherwise until saved).
    stored_status: Option<EventStatus>,
    form_key: String,
    errors: Vec<String>,
    preview: Option<String>,
    notice: &'static str,
}

fn event_page(ctx: &Context, visitor: &Visitor, page: EventPage<'_>, status: StatusCode) -> Answer {
    let root = &ctx.renderer.site_url().root;
    let base = &ctx.renderer.site_url().base;
    let action = match page.id {
        Some(id) => format!("{root}/editor/events/{id}"),
        None => format!("{root}/editor/events/new"),
    };
    let title = if page.fields.title.trim().is_empty() {
        ctx.words().t("editor-new-event")
    } else {
        page.fields.title.clone()
    };
    Answer::page(
        ctx,
        status,
        "event_editor.html",
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
            status => page.article.map(|a| a.status.as_str()).unwrap_or("draft"),
            status_text => page.article.map(|a| editor::status_text(a.status)).unwrap_or(""),
            cancelled => page.stored_status == Some(EventStatus::Cancelled),
            page_url => page.article.map(|a| page_url(base, a)).unwrap_or_default(),
            csrf => &visitor.csrf,
            languages => &ctx.config.authors.languages,
            review => ctx.config.authors.workflow == Workflow::Review,
            zones => ZONES,
            site_zone => &ctx.config.time_zone,
        },
    )
}

/// The event `id` if it is the visitor's.
fn owned(ctx: &Context, visitor: &Visitor, id: i64) -> anyhow::Result<Option<EventRow>> {
    let Some(article) = editor::owned_article(ctx, visitor, id)? else {
        return Ok(None);
    };
    if article.kind != Kind::Event {
        return Ok(None);
    }
    ctx.store.event(id)
}

fn not_found(ctx: &Context) -> Answer {
    let words = ctx.words();
    editor::no_such(
        ctx,
        &words.t("event-editor-no-event"),
        &words.t("event-editor-no-event-text"),
        &words.t("editor-my-articles"),
    )
}

/// Routes `/editor/events/new` and `/editor/events/{id}` (GET and POST).
pub fn route(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let path = request.uri().path().trim_end_matches('/');
    let rest = path.strip_prefix("/editor/events").unwrap_or("");
    let get = matches!(*request.method(), http::Method::GET | http::Method::HEAD);
    let post = *request.method() == http::Method::POST;
    let target = match rest.strip_prefix('/') {
        None if rest.is_empty() => {
            // The list of events is the editor's list.
            let root = &ctx.renderer.site_url().root;
            return Ok((
                Answer::Response(redirect(&format!("{root}/editor/"))),
                false,
            ));
        }
        Some("new") => None,
        Some(id) => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return Ok((not_found(ctx), false)),
        },
        None => return Ok((not_found(ctx), false)),
    };
    if get {
        return Ok((
            match target {
                None => new(ctx, visitor)?,
                Some(id) => edit(ctx, visitor, request, id)?,
            },
            false,
        ));
    }
    if !post {
        let mut response = crate::web::text(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!(
                "{}\n",
                ctx.words()
                    .t_with("error-method", &[("allow", "GET, POST".into())])
            ),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("GET, POST"));
        return Ok((Answer::Response(response), false));
    }
    match Form::parse(request) {
        Ok(form) => submit(ctx, visitor, &form, target, now),
        Err(why) => Ok((
            message(
                ctx,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &ctx.words().t("error-not-a-form"),
                &[&why],
                None,
                true,
            ),
            false,
        )),
    }
}

/// GET /editor/events/new
pub fn new(ctx: &Context, visitor: &Visitor) -> anyhow::Result<Answer> {
    if editor::author_of(visitor).is_none() {
        return Ok(editor::login_redirect(ctx));
    }
    let fields = EventForm {
        lang: editor::default_lang(ctx),
        time_zone: ctx.config.time_zone.clone(),
        status: "confirmed".into(),
        join_mode: "free".into(),
        ..EventForm::default()
    };
    Ok(event_page(
        ctx,
        visitor,
        EventPage {
            id: None,
            article: None,
            fields,
            stored_status: None,
            form_key: crate::secrets::token()?,
            errors: Vec::new(),
            preview: None,
            notice: "",
        },
        StatusCode::OK,
    ))
}

/// GET /editor/events/{id}
pub fn edit(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    id: i64,
) -> anyhow::Result<Answer> {
    if editor::author_of(visitor).is_none() {
        return Ok(editor::login_redirect(ctx));
    }
    let Some(event) = owned(ctx, visitor, id)? else {
        return Ok(not_found(ctx));
    };
    let fields = EventForm::from_event(ctx, &event)?;
    let notice = notice_text(crate::web::query_param(request, "notice").as_deref());
    Ok(event_page(
        ctx,
        visitor,
        EventPage {
            id: Some(id),
            article: Some(&event.article),
            fields,
            stored_status: Some(event.fields.status),
            form_key: String::new(),
            errors: Vec::new(),
            preview: None,
            notice,
        },
        StatusCode::OK,
    ))
}

/// POST /editor/events/new and /editor/events/{id}: the form's buttons.
pub fn submit(
    ctx: &Context,
    visitor: &Visitor,
    form: &Form,
    id: Option<i64>,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let Some(author) = editor::author_of(visitor) else {
        return Ok((editor::login_redirect(ctx), false));
    };
    let root = ctx.renderer.site_url().root.clone();
    let event = match id {
        Some(id) => match owned(ctx, visitor, id)? {
            Some(event) => Some(event),
            None => return Ok((not_found(ctx), false)),
        },
        None => None,
    };
    let article = event.as_ref().map(|e| &e.article);
    let action = form.get("action").unwrap_or("save");
    let fields = EventForm::from_form(form);
    let again = |errors: Vec<String>, preview: Option<String>, status| {
        event_page(
            ctx,
            visitor,
            EventPage {
                id,
                article,
                fields: fields.clone(),
                stored_status: event.as_ref().map(|e| e.fields.status),
                form_key: form.text("form_key"),
                errors,
                preview,
                notice: "",
            },
            status,
        )
    };
    if !visitor.csrf_ok(form) {
        return Ok((
            again(editor::expired(ctx), None, StatusCode::FORBIDDEN),
            false,
        ));
    }
    if let Some(done) = editor::withdrawal(ctx, visitor, action, article, "editor/events", now)? {
        return Ok(done);
    }
    match (action, article) {
        ("preview" | "save" | "publish", _) | ("postpone" | "cancel" | "reinstate", Some(_)) => {}
        (other, _) => {
            return Ok((
                again(
                    editor::unknown_action(ctx, other),
                    None,
                    StatusCode::BAD_REQUEST,
                ),
                false,
            ));
        }
    }
    let (edit, mut event_fields) = match fields.validate(ctx, &root) {
        Ok(valid) => valid,
        Err(errors) => return Ok((again(errors, None, StatusCode::UNPROCESSABLE_ENTITY), false)),
    };
    match action {
        "preview" => {
            return Ok((
                again(Vec::new(), Some(edit.body.html.clone()), StatusCode::OK),
                false,
            ));
        }
        "postpone" => {
            let published = article.is_some_and(|a| a.status == Status::Published);
            let moved = event.as_ref().is_some_and(|e| {
                e.fields.starts_at != event_fields.starts_at
                    || e.fields.ends_at != event_fields.ends_at
            });
            let why = if !published {
                Some("event-editor-postpone-draft")
            } else if !moved {
                Some("event-editor-postpone-same")
            } else {
                None
            };
            if let Some(why) = why {
                return Ok((
                    again(
                        vec![ctx.words().t(why)],
                        None,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    ),
                    false,
                ));
            }
            // A postponed event is on at its new time, even if it had been
            // called off.
            if event_fields.status == EventStatus::Cancelled {
                event_fields.status = EventStatus::Confirmed;
            }
        }
        "cancel" => event_fields.status = EventStatus::Cancelled,
        "reinstate" => event_fields.status = EventStatus::Confirmed,
        _ => {}
    }
    let publishing = action == "publish";
    let (article, fresh) = match article {
        Some(article) => (article.clone(), false),
        None => {
            let key = form.text("form_key");
            if key.len() < 20 {
                return Ok((
                    again(editor::incomplete(ctx), None, StatusCode::BAD_REQUEST),
                    false,
                ));
            }
            let (created, fresh) =
                publish::create_event_draft(ctx, author, &edit, &event_fields, &key, now)?;
            if !fresh && !publishing {
                // The same form sent twice: the first send made the event.
                return Ok((
                    editor::to_notice(&format!("{root}/editor/events/{}", created.id), "saved"),
                    false,
                ));
            }
            (created, fresh)
        }
    };
    let (change, queued) = if publishing {
        publish::publish_event(ctx, &article, &edit, &event_fields, now)?
    } else {
        publish::save_event(ctx, &article, &edit, &event_fields, now)?
    };
    let notice = match (action, change) {
        (_, Change::Unchanged) if fresh => "saved",
        ("postpone", Change::Updated) => "postponed",
        ("cancel", Change::Updated | Change::Saved) => "cancelled",
        ("reinstate", Change::Updated | Change::Saved) => "reinstated",
        (_, change) => editor::change_notice(change),
    };
    Ok((
        editor::to_notice(&format!("{root}/editor/events/{}", article.id), notice),
        queued.0,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn fields() -> EventFields {
        EventFields {
            starts_at: 1_000,
            ends_at: 2_000,
            time_zone: "Europe/Paris".into(),
            all_day: false,
            place_name: "Le Local".into(),
            street: String::new(),
            postal_code: String::new(),
            city: String::new(),
            region: String::new(),
            country: String::new(),
            latitude: None,
            longitude: None,
            online_url: String::new(),
            capacity: None,
            status: EventStatus::Confirmed,
            category: String::new(),
            join_mode: JoinMode::Free,
            external_url: String::new(),
        }
    }

    #[test]
    fn good_fields_have_no_problem() {
        assert!(problems(&fields()).is_empty());
        let mut f = fields();
        f.latitude = Some(48.85);
        f.longitude = Some(2.35);
        f.capacity = Some(30);
        f.online_url = "https://meet.example/room".into();
        assert!(problems(&f).is_empty(), "{:?}", problems(&f));
    }

    #[test]
    fn bad_fields_are_named() {
        let check = |change: &dyn Fn(&mut EventFields), expected: &str| {
            let mut f = fields();
            change(&mut f);
            let found = problems(&f);
            assert!(
                found.iter().any(|e| e.contains(expected)),
                "{expected}: {found:?}"
            );
        };
        check(&|f| f.ends_at = 500, "ends before it starts");
        check(&|f| f.capacity = Some(0), "capacity of 0");
        check(&|f| f.capacity = Some(-4), "capacity of -4");
        check(
            &|f| f.street = "<b>rue</b>".into(),
            "street contains < or >",
        );
        check(&|f| f.city = "a > b".into(), "city contains");
        check(
            &|f| {
                f.latitude = Some(91.0);
                f.longitude = Some(0.0);
            },
            "latitude 91 is out of range",
        );
        check(
            &|f| {
                f.latitude = Some(0.0);
                f.longitude = Some(-181.0);
            },
            "longitude -181 is out of range",
        );
        check(&|f| f.latitude = Some(1.0), "both the latitude");
        check(
            &|f| f.online_url = "javascript:alert(1)".into(),
            "not a web address",
        );
        check(
            &|f| f.online_url = "ftp://files.example/x".into(),
            "not a web address",
        );
        check(&|f| f.join_mode = JoinMode::External, "needs that link");
    }

    #[test]
    fn web_addresses() {
        assert!(is_web_address("https://example.org/a?b=c"));
        assert!(is_web_address("http://example.org"));
        assert!(!is_web_address("https://"));
        assert!(!is_web_address("example.org"));
        assert!(!is_web_address("https://example.org/\"onload=x"));
    }
}
