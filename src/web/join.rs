//! Taking part in an event from its page, and the organizer's list.
//!
//! A reader types her fediverse handle; the site looks it up (WebFinger,
//! then the actor, with the login's rate limits) and sends her a link by
//! direct message. The link opens a page with a button, never a change
//! (previews and scanners GET every link), and the button works only in
//! the browser that asked, or in another one that types that browser's
//! code: the same rules as the login link. Cancelling works the same way.
//!
//! Routes: `/events/<slug>/join` (GET form, POST ask), `…/join/wait`,
//! `…/join/confirm` (GET button, POST register), the same under
//! `…/leave`, `/events/<slug>/participation` (the form and the counts);
//! `/editor/events/<id>/participants` (GET list, POST approve, reject or
//! remove) and `…/participants.csv`.

use http::{Request, Response, StatusCode, header};
use minijinja::context;

use crate::authors::{self, Limit};
use crate::context::Context;
use crate::federation::fetch::Fetcher;
use crate::federation::inbox::QueuedWork;
use crate::federation::signer::SiteSigner;
use crate::participation::{self, Decided, Decision, Joined, html_escape};
use crate::secrets;
use crate::store::{EventRow, NewParticipationRequest, ParticipationRequest, RequestAction};
use crate::web::forms::{Form, client_network, cookie, redirect};
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

/// The cookie of a registration in progress (separate from a login's).
pub const JOIN_COOKIE: &str = "affiche_join";
/// How long a link works.
pub const LINK_SECONDS: i64 = 15 * 60;
/// Wrong codes before a link is spent for nothing.
const MAX_ATTEMPTS: i64 = 5;

/// The browser's secret and the code it shows, kept in the browser only.
struct Pending {
    secret: String,
    pair_code: String,
}

impl Pending {
    fn read(request: &Request<Vec<u8>>) -> Option<Pending> {
        let value = cookie(request, JOIN_COOKIE)?;
        let (secret, code) = value.split_once('.')?;
        let pair_code = secrets::normalize_code(code)?;
        (secret.len() == 43).then(|| Pending {
            secret: secret.to_string(),
            pair_code,
        })
    }

    fn value(&self) -> String {
        format!("{}.{}", self.secret, self.pair_code)
    }
}

/// Whether the program answers this path here (the router's test).
pub fn handles(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    if let Some(rest) = path.strip_prefix("/events/") {
        return matches!(
            rest.split_once('/').map(|(_, r)| r),
            Some(
                "join"
                    | "join/wait"
                    | "join/confirm"
                    | "leave"
                    | "leave/wait"
                    | "leave/confirm"
                    | "participation"
            )
        );
    }
    organizer_path(path).is_some()
}

/// `/editor/events/<id>/participants[.csv]` → (id, csv).
fn organizer_path(path: &str) -> Option<(i64, bool)> {
    let rest = path.strip_prefix("/editor/events/")?;
    let (id, tail) = rest.split_once('/')?;
    let id = id.parse::<i64>().ok()?;
    match tail {
        "participants" => Some((id, false)),
        "participants.csv" => Some((id, true)),
        _ => None,
    }
}

/// Answers the paths of [`handles`]; `None` for any other.
pub fn route(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    now: i64,
) -> anyhow::Result<Option<(Answer, bool)>> {
    let path = request.uri().path().trim_end_matches('/');
    if !handles(path) {
        return Ok(None);
    }
    let get = matches!(*request.method(), http::Method::GET | http::Method::HEAD);
    let post = *request.method() == http::Method::POST;
    if let Some((id, csv)) = organizer_path(path) {
        return Ok(Some(match (csv, get, post) {
            (true, true, _) => (participants_csv(ctx, visitor, id)?, false),
            (false, true, _) => (
                participants_page(ctx, visitor, id, "", StatusCode::OK)?,
                false,
            ),
            (false, _, true) => {
                with_form(ctx, request, |form| decide(ctx, visitor, id, form, now))?
            }
            _ => (not_allowed(if csv { "GET" } else { "GET, POST" }), false),
        }));
    }
    let rest = path.strip_prefix("/events/").unwrap_or("");
    let (slug, step) = rest.split_once('/').unwrap_or((rest, ""));
    let Some(event) = published_event(ctx, slug)? else {
        return Ok(Some((no_event(ctx), false)));
    };
    let action = if step.starts_with("leave") {
        RequestAction::Leave
    } else {
        RequestAction::Join
    };
    Ok(Some(match (step, get, post) {
        ("join" | "leave" | "participation", true, _) => (
            form_page(ctx, visitor, &event, action, "", "", StatusCode::OK, now)?,
            false,
        ),
        ("join" | "leave", _, true) => with_form(ctx, request, |form| {
            start(ctx, visitor, request, &event, action, form, now)
        })?,
        ("join/wait" | "leave/wait", true, _) => {
            (wait(ctx, visitor, request, &event, action, now)?, false)
        }
        ("join/confirm" | "leave/confirm", true, _) => (
            confirm_page(ctx, visitor, request, &event, action, now)?,
            false,
        ),
        ("join/confirm" | "leave/confirm", _, true) => with_form(ctx, request, |form| {
            confirm(ctx, visitor, request, &event, action, form, now)
        })?,
        ("join" | "leave" | "join/confirm" | "leave/confirm", _, _) => {
            (not_allowed("GET, POST"), false)
        }
        _ => (not_allowed("GET"), false),
    }))
}

fn with_form(
    ctx: &Context,
    request: &Request<Vec<u8>>,
    then: impl FnOnce(&Form) -> anyhow::Result<(Answer, bool)>,
) -> anyhow::Result<(Answer, bool)> {
    match Form::parse(request) {
        Ok(form) => then(&form),
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

fn not_allowed(allow: &'static str) -> Answer {
    let mut response = crate::web::text(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("Method not allowed: use {allow}.\n"),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static(allow));
    Answer::Response(response)
}

/// A published event by its slug.
fn published_event(ctx: &Context, slug: &str) -> anyhow::Result<Option<EventRow>> {
    let Some(article) = ctx.store.article_by_slug(slug)? else {
        return Ok(None);
    };
    Ok(ctx
        .store
        .event(article.id)?
        .filter(|e| e.article.status == crate::store::Status::Published))
}

fn no_event(ctx: &Context) -> Answer {
    message(
        ctx,
        StatusCode::NOT_FOUND,
        &ctx.words().t("join-no-event"),
        &[&ctx.words().t("join-no-event-text")],
        None,
        true,
    )
}

fn event_page(ctx: &Context, event: &EventRow) -> String {
    format!(
        "{}/{}",
        ctx.renderer.site_url().root,
        participation::event_dir(&event.article.slug)
    )
}

fn step_path(ctx: &Context, event: &EventRow, action: RequestAction, step: &str) -> String {
    let tail = if step.is_empty() {
        String::new()
    } else {
        format!("/{step}")
    };
    format!("{}{}{tail}", event_page(ctx, event), action.as_str())
}

/// The page of every step: `step` is `form`, `wait`, `confirm` or `done`.
#[allow(clippy::too_many_arguments)]
fn page(
    ctx: &Context,
    event: &EventRow,
    action: RequestAction,
    step: &str,
    status: StatusCode,
    extra: minijinja::Value,
    now: i64,
) -> anyhow::Result<Answer> {
    let root = &ctx.renderer.site_url().root;
    let view = participation::view(&ctx.store, event, root, now)?;
    let title = match action {
        RequestAction::Join => ctx.words().t_with(
            "join-title",
            &[("title", event.article.title.as_str().into())],
        ),
        RequestAction::Leave => ctx.words().t_with(
            "join-leave-title",
            &[("title", event.article.title.as_str().into())],
        ),
    };
    let base = context! {
        step,
        action => action.as_str(),
        event_title => &event.article.title,
        event_url => event_page(ctx, event),
        participation => view,
        form_action => step_path(ctx, event, action, ""),
        confirm_action => step_path(ctx, event, action, "confirm"),
        leave_action => step_path(ctx, event, RequestAction::Leave, ""),
    };
    let relative = format!(
        "{}{}",
        participation::event_dir(&event.article.slug),
        action.as_str()
    );
    Ok(Answer::page(
        ctx,
        status,
        "participate.html",
        &title,
        &relative,
        context! { ..base, ..extra },
    ))
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    ctx: &Context,
    visitor: &Visitor,
    event: &EventRow,
    action: RequestAction,
    handle: &str,
    error: &str,
    status: StatusCode,
    now: i64,
) -> anyhow::Result<Answer> {
    page(
        ctx,
        event,
        action,
        "form",
        status,
        context! { csrf => &visitor.csrf, handle, error },
        now,
    )
}

/// POST /events/<slug>/join (or leave): checks, looks the account up,
/// sends the link, and sends the browser to the waiting page.
fn start(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    event: &EventRow,
    action: RequestAction,
    form: &Form,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let typed = form.text("handle");
    let refuse = |why: &str, status| {
        Ok((
            form_page(ctx, visitor, event, action, &typed, why, status, now)?,
            false,
        ))
    };
    // The form on the (static) event page cannot carry this browser's
    // token: it lands here, and the button of this page sends it.
    if form.get("csrf").is_none() {
        return refuse("", StatusCode::OK);
    }
    if !visitor.csrf_ok(form) {
        return refuse(&ctx.words().t("error-form-expired"), StatusCode::FORBIDDEN);
    }
    if action == RequestAction::Join {
        let view = participation::view(&ctx.store, event, "", now)?;
        if !view.open {
            return refuse(&ctx.words().t(view.closed_reason), StatusCode::CONFLICT);
        }
    }
    if typed.trim().is_empty() {
        return refuse(
            &ctx.words().t("login-type-handle"),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let wait_path = step_path(ctx, event, action, "wait");
    // A double click: the request this browser made a moment ago stands.
    if let Some(previous) = Pending::read(request) {
        if let Some(asked) = ctx.store.pending_participation_request(
            &secrets::hash(&previous.secret),
            event.article.id,
            now,
        )? {
            if asked.handle == authors::normalize_handle(&typed)
                && asked.action == action
                && now - asked.created_at < 60
            {
                return Ok((Answer::Response(redirect(&wait_path)), false));
            }
        }
    }
    let address = client_network(request);
    let limits = &ctx.config.limits;
    ctx.store.prune_auth(now, now - 3600)?;
    ctx.store.prune_participation_requests(now - 3600)?;
    if let Err(minutes) = authors::take(&ctx.store, limits, Limit::PerAddress, &address, now)? {
        return refuse(
            &ctx.words()
                .t_with("join-too-many-network", &[("minutes", minutes.into())]),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    if !typed.contains("://") && crate::federation::fetch::Handle::parse(&typed).is_err() {
        return refuse(
            &ctx.words()
                .t_with("join-not-handle", &[("text", typed.trim().into())]),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let fetcher = Fetcher::new(crate::federation::fetch::FetchOptions::for_site(
        &ctx.config,
    ));
    let signer = SiteSigner::lazy(ctx);
    let found = match authors::look_up(&ctx.config, &fetcher, &signer, &typed, now, &ctx.words()) {
        Ok(found) => found,
        Err(why) => return refuse(&why, StatusCode::UNPROCESSABLE_ENTITY),
    };
    if ctx.config.federation.blocks(&found.actor.id, &found.handle) {
        return refuse(&ctx.words().t("join-blocked"), StatusCode::FORBIDDEN);
    }
    for (limit, key, who) in [
        (
            Limit::PerHandle,
            found.handle.as_str(),
            "join-too-many-account",
        ),
        (Limit::Site, "", "join-too-many-site"),
    ] {
        if let Err(minutes) = authors::take(&ctx.store, limits, limit, key, now)? {
            return refuse(
                &ctx.words().t_with(who, &[("minutes", minutes.into())]),
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
    }
    let pending = Pending {
        secret: secrets::token()?,
        pair_code: secrets::code()?,
    };
    let token = secrets::token()?;
    ctx.store.save_remote_actor(&found.actor)?;
    let link = format!(
        "{}/{}{}/confirm?token={token}",
        ctx.renderer.site_url().base,
        participation::event_dir(&event.article.slug),
        action.as_str()
    );
    let what = match action {
        RequestAction::Join => "dm-join-link-html",
        RequestAction::Leave => "dm-leave-link-html",
    };
    // The site's words: the DM goes to someone elsewhere.
    let text = ctx.site_words().t_with(
        what,
        &[
            ("title", html_escape(&event.article.title).into()),
            ("link", html_escape(&link).into()),
        ],
    );
    let queued = ctx.store.transaction(|store| {
        store.insert_participation_request(&NewParticipationRequest {
            event_id: event.article.id,
            action,
            actor_id: found.actor.id.clone(),
            handle: found.handle.clone(),
            name: found.actor.name.clone(),
            inbox: found.inbox.clone(),
            token_hash: secrets::hash(&token),
            browser_hash: secrets::hash(&pending.secret),
            pair_hash: secrets::hash(&pending.pair_code),
            client_ip: address.clone(),
            now,
            expires_at: now + LINK_SECONDS,
        })?;
        participation::send_dm(
            ctx,
            store,
            &found.actor.id,
            &found.handle,
            &found.inbox,
            &text,
            &token,
            now,
        )
    })?;
    let mut response = redirect(&wait_path);
    visitor
        .jar
        .set(&mut response, JOIN_COOKIE, &pending.value(), LINK_SECONDS);
    if queued {
        response.extensions_mut().insert(QueuedWork);
    }
    Ok((Answer::Response(response), queued))
}

/// GET …/wait: check your messages, and the code for another browser.
fn wait(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    event: &EventRow,
    action: RequestAction,
    now: i64,
) -> anyhow::Result<Answer> {
    let asked = match Pending::read(request) {
        Some(pending) => ctx
            .store
            .pending_participation_request(&secrets::hash(&pending.secret), event.article.id, now)?
            .filter(|r| r.action == action)
            .map(|r| (r, pending.pair_code)),
        None => None,
    };
    let Some((asked, pair_code)) = asked else {
        return form_page(
            ctx,
            visitor,
            event,
            action,
            "",
            &ctx.words().t("join-nothing-in-progress"),
            StatusCode::OK,
            now,
        );
    };
    page(
        ctx,
        event,
        action,
        "wait",
        StatusCode::OK,
        context! {
            handle => asked.handle,
            pair_code,
            minutes => (asked.expires_at - now + 59) / 60,
        },
        now,
    )
}

fn invalid_link(ctx: &Context, event: &EventRow, action: RequestAction) -> Answer {
    message(
        ctx,
        StatusCode::GONE,
        &ctx.words().t("join-bad-link"),
        &[&ctx.words().t("login-bad-link-text")],
        Some((
            &step_path(ctx, event, action, ""),
            &ctx.words().t("join-start-again"),
        )),
        true,
    )
}

/// The request a token names, if it is valid for this event and action.
fn valid_request(
    ctx: &Context,
    token: &str,
    event: &EventRow,
    action: RequestAction,
    now: i64,
) -> anyhow::Result<Option<ParticipationRequest>> {
    Ok(ctx
        .store
        .participation_request_by_token(&secrets::hash(token))?
        .filter(|r| {
            r.used_at.is_none()
                && r.expires_at > now
                && r.event_id == event.article.id
                && r.action == action
        }))
}

/// GET …/confirm?token=…: a page with a button, never a change.
fn confirm_page(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    event: &EventRow,
    action: RequestAction,
    now: i64,
) -> anyhow::Result<Answer> {
    let token = crate::web::query_param(request, "token").unwrap_or_default();
    let Some(asked) = valid_request(ctx, &token, event, action, now)? else {
        return Ok(invalid_link(ctx, event, action));
    };
    let same_browser =
        Pending::read(request).is_some_and(|p| secrets::hash(&p.secret) == asked.browser_hash);
    page(
        ctx,
        event,
        action,
        "confirm",
        StatusCode::OK,
        context! { csrf => &visitor.csrf, token, handle => asked.handle, needs_code => !same_browser, error => "" },
        now,
    )
}

/// POST …/confirm: the browser that asked (or one that knows its code)
/// spends the link; the registration is made or cancelled.
fn confirm(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    event: &EventRow,
    action: RequestAction,
    form: &Form,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let token = form.text("token");
    let Some(asked) = valid_request(ctx, &token, event, action, now)? else {
        return Ok((invalid_link(ctx, event, action), false));
    };
    let same_browser =
        Pending::read(request).is_some_and(|p| secrets::hash(&p.secret) == asked.browser_hash);
    let again = |error: &str, status| -> anyhow::Result<(Answer, bool)> {
        Ok((
            page(
                ctx,
                event,
                action,
                "confirm",
                status,
                context! { csrf => &visitor.csrf, token => &token, handle => &asked.handle, needs_code => !same_browser, error },
                now,
            )?,
            false,
        ))
    };
    if !visitor.csrf_ok(form) {
        return again(
            &ctx.words().t("error-page-expired-press"),
            StatusCode::FORBIDDEN,
        );
    }
    if !same_browser {
        let typed = form.get("pair").and_then(secrets::normalize_code);
        if typed.is_none_or(|code| secrets::hash(&code) != asked.pair_hash) {
            let attempts = ctx.store.count_participation_attempt(asked.id)?;
            if attempts >= MAX_ATTEMPTS {
                ctx.store.burn_participation_request(asked.id, now)?;
                return Ok((invalid_link(ctx, event, action), false));
            }
            return again(
                &ctx.words().t_with(
                    "join-wrong-code",
                    &[("tries", (MAX_ATTEMPTS - attempts).into())],
                ),
                StatusCode::FORBIDDEN,
            );
        }
    }
    if !ctx.store.use_participation_request(asked.id, now)? {
        return Ok((invalid_link(ctx, event, action), false));
    }
    let outcome = match action {
        RequestAction::Join => match participation::register_web(
            ctx,
            event,
            &asked.actor_id,
            &asked.handle,
            &asked.name,
            now,
        )? {
            Joined::Accepted => "accepted",
            Joined::Pending => "pending",
            Joined::Full => "full",
            Joined::Closed(_) => "closed",
        },
        RequestAction::Leave => {
            if participation::cancel_web(ctx, event, &asked.actor_id)? {
                "cancelled"
            } else {
                "not-registered"
            }
        }
    };
    let event = ctx
        .store
        .event(event.article.id)?
        .unwrap_or_else(|| event.clone());
    let status = match outcome {
        "full" | "closed" => StatusCode::CONFLICT,
        _ => StatusCode::OK,
    };
    let mut answer = page(
        ctx,
        &event,
        action,
        "done",
        status,
        context! { csrf => &visitor.csrf, handle => &asked.handle, outcome },
        now,
    )?
    .into_response();
    if same_browser {
        visitor.jar.clear(&mut answer, JOIN_COOKIE);
    }
    Ok((Answer::Response(answer), false))
}

/// The event at `/editor/events/<id>/…` if it is the visitor's.
fn organizer_event(
    ctx: &Context,
    visitor: &Visitor,
    id: i64,
) -> anyhow::Result<Result<EventRow, Answer>> {
    if visitor.session.is_none() || visitor.author.is_none() {
        return Ok(Err(crate::web::editor::login_redirect(ctx)));
    }
    if crate::web::editor::owned_article(ctx, visitor, id)?.is_none() {
        return Ok(Err(no_event(ctx)));
    }
    Ok(ctx.store.event(id)?.ok_or_else(|| no_event(ctx)))
}

/// GET /editor/events/<id>/participants
fn participants_page(
    ctx: &Context,
    visitor: &Visitor,
    id: i64,
    error: &str,
    status: StatusCode,
) -> anyhow::Result<Answer> {
    let event = match organizer_event(ctx, visitor, id)? {
        Ok(event) => event,
        Err(answer) => return Ok(answer),
    };
    let now = jiff::Timestamp::now().as_second();
    let root = &ctx.renderer.site_url().root;
    let people = ctx.store.participants(id)?;
    let view = participation::view(&ctx.store, &event, root, now)?;
    Ok(Answer::page(
        ctx,
        status,
        "participants.html",
        &ctx.words().t_with(
            "participants-page-title",
            &[("title", event.article.title.as_str().into())],
        ),
        &format!("editor/events/{id}/participants"),
        context! {
            csrf => &visitor.csrf,
            event_title => &event.article.title,
            event_url => event_page(ctx, &event),
            editor_url => format!("{root}/editor/{id}"),
            action => format!("{root}/editor/events/{id}/participants"),
            csv_url => format!("{root}/editor/events/{id}/participants.csv"),
            participation => view,
            participants => people,
            error,
        },
    ))
}

/// POST /editor/events/<id>/participants: approve, reject or remove.
fn decide(
    ctx: &Context,
    visitor: &Visitor,
    id: i64,
    form: &Form,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let event = match organizer_event(ctx, visitor, id)? {
        Ok(event) => event,
        Err(answer) => return Ok((answer, false)),
    };
    if !visitor.csrf_ok(form) {
        return Ok((
            participants_page(
                ctx,
                visitor,
                id,
                &ctx.words().t("participants-expired"),
                StatusCode::FORBIDDEN,
            )?,
            false,
        ));
    }
    let decision = match form.get("decision") {
        Some("approve") => Decision::Approve,
        Some("reject") => Decision::Reject,
        Some("remove") => Decision::Remove,
        _ => {
            return Ok((
                participants_page(
                    ctx,
                    visitor,
                    id,
                    &ctx.words().t("participants-choose"),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )?,
                false,
            ));
        }
    };
    let participant = form
        .get("participant")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0);
    match participation::decide(ctx, &event, participant, decision, now)? {
        Decided::Done { queued } => {
            let mut response = redirect(&format!(
                "{}/editor/events/{id}/participants",
                ctx.renderer.site_url().root
            ));
            if queued {
                response.extensions_mut().insert(QueuedWork);
            }
            Ok((Answer::Response(response), queued))
        }
        Decided::Full => Ok((
            participants_page(
                ctx,
                visitor,
                id,
                &ctx.words().t("participants-full"),
                StatusCode::CONFLICT,
            )?,
            false,
        )),
        Decided::Unknown => Ok((
            participants_page(
                ctx,
                visitor,
                id,
                &ctx.words().t("participants-gone"),
                StatusCode::NOT_FOUND,
            )?,
            false,
        )),
    }
}

/// GET /editor/events/<id>/participants.csv
fn participants_csv(ctx: &Context, visitor: &Visitor, id: i64) -> anyhow::Result<Answer> {
    let event = match organizer_event(ctx, visitor, id)? {
        Ok(event) => event,
        Err(answer) => return Ok(answer),
    };
    let body = participation::csv(&ctx.store.participants(id)?);
    let mut response = Response::new(body.into_bytes());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let name: String = event
        .article
        .slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if let Ok(value) =
        header::HeaderValue::from_str(&format!("attachment; filename=\"participants-{name}.csv\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(Answer::Response(response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_router_takes_only_its_paths() {
        for ours in [
            "/events/picnic/join",
            "/events/picnic/join/",
            "/events/picnic/join/wait",
            "/events/picnic/join/confirm",
            "/events/picnic/leave",
            "/events/picnic/leave/confirm",
            "/events/picnic/participation",
            "/editor/events/4/participants",
            "/editor/events/4/participants.csv",
        ] {
            assert!(handles(ours), "{ours}");
        }
        for theirs in [
            "/events/picnic/",
            "/events/picnic/index.json",
            "/events/",
            "/editor/events/4",
            "/editor/events/new",
            "/editor/events/x/participants",
            "/login",
        ] {
            assert!(!handles(theirs), "{theirs}");
        }
    }
}
