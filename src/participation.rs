//! Taking part in events, Mobilizon-style: a `Join` from the fediverse or
//! a registration confirmed by direct message on the event's page puts
//! someone on the list, accepted at once (`free`) or once the organizer
//! approves (`restricted`), within the event's capacity. Every change is
//! answered (`Accept`, `Reject`, or a direct message for people who
//! registered on the page) and the event's page is re-rendered.
//!
//! Refusals of a Join: an event that is not ours, unknown or not published
//! is ignored (nothing is sent: a draft's existence is not revealed); a
//! published event that cannot be joined (cancelled, over, participation
//! elsewhere) or that is full gets a `Reject`.

use anyhow::Result;
use serde::Serialize;

use crate::config::LoginDm;
use crate::context::Context;
use crate::federation::documents::Endpoints;
use crate::federation::outbox;
use crate::store::{
    EventRow, EventStatus, JoinMode, JoinOutcome, Participant, ParticipantState, RemoteActor,
    Status, Store,
};

/// The folder of an event's page, under the site's root.
pub fn event_dir(slug: &str) -> String {
    format!("events/{slug}/")
}

/// The event's id on the fediverse (and its page's address).
pub fn event_url(ctx: &Context, slug: &str) -> String {
    format!("{}/{}", ctx.renderer.site_url().base, event_dir(slug))
}

/// The event an id or URL of ours names: `…/events/<slug>/` (or its
/// `index.json` twin, with or without the trailing slash), or the
/// `…/articles/<slug>/` address of the same publication.
pub fn event_by_url(ctx: &Context, url: &str) -> Result<Option<EventRow>> {
    let base = &ctx.renderer.site_url().base;
    let Some(path) = url.strip_prefix(base.as_str()) else {
        return Ok(None);
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path.trim_end_matches("index.json").trim_matches('/');
    let slug = match path.split_once('/') {
        Some(("events" | "articles", slug)) if !slug.contains('/') && !slug.is_empty() => slug,
        _ => return Ok(None),
    };
    let Some(article) = ctx.store.article_by_slug(slug)? else {
        return Ok(None);
    };
    ctx.store.event(article.id)
}

/// Why an event takes no one now, as a message id (`closed-...`); `None`
/// when it does.
pub fn closed_reason(event: &EventRow, now: i64) -> Option<&'static str> {
    if event.article.status != Status::Published {
        Some("closed-not-published")
    } else if event.fields.status == EventStatus::Cancelled {
        Some("closed-cancelled")
    } else if event.fields.ends_at <= now {
        Some("closed-over")
    } else if event.fields.join_mode == JoinMode::External {
        Some("closed-elsewhere")
    } else {
        None
    }
}

/// What the event's page shows of participation (the `participation`
/// variable of `_participation.html`).
#[derive(Debug, Clone, Serialize)]
pub struct ParticipationView {
    /// Accepted participants.
    pub count: i64,
    /// Waiting for the organizer's approval.
    pub pending: i64,
    pub capacity: Option<i64>,
    /// Places left, when there is a capacity.
    pub remaining: Option<i64>,
    pub full: bool,
    /// `free`, `restricted` or `external`.
    pub join_mode: &'static str,
    pub external_url: String,
    /// The page takes registrations now.
    pub open: bool,
    /// Why not, in words (empty when open).
    pub closed_reason: &'static str,
    /// Where the registration form posts, and the cancellation page.
    pub join_url: String,
    pub leave_url: String,
}

pub fn view(store: &Store, event: &EventRow, root: &str, now: i64) -> Result<ParticipationView> {
    let participants = store.participants(event.article.id)?;
    let count = participants
        .iter()
        .filter(|p| p.state == ParticipantState::Accepted)
        .count() as i64;
    let pending = participants
        .iter()
        .filter(|p| p.state == ParticipantState::Pending)
        .count() as i64;
    let remaining = event.fields.capacity.map(|c| (c - count).max(0));
    let full = remaining == Some(0);
    let reason = closed_reason(event, now);
    let dir = event_dir(&event.article.slug);
    Ok(ParticipationView {
        count,
        pending,
        capacity: event.fields.capacity,
        remaining,
        full,
        join_mode: event.fields.join_mode.as_str(),
        external_url: event.fields.external_url.clone(),
        open: reason.is_none() && !full,
        closed_reason: reason.unwrap_or(if full { "closed-full" } else { "" }),
        join_url: format!("{root}/{dir}join"),
        leave_url: format!("{root}/{dir}leave"),
    })
}

/// Re-renders what shows the event's participation: its page.
pub fn rerender(ctx: &Context, slug: &str) -> Result<()> {
    let targets = [crate::render::plan::Target::Event(slug.to_string())];
    ctx.renderer
        .render_parallel(&ctx.store, &ctx.config.database_path(), &targets, 1)?;
    Ok(())
}

/// Where activities for an actor go: her own inbox, else her server's.
fn inbox_of(actor: &RemoteActor) -> String {
    if actor.inbox.is_empty() {
        actor.shared_inbox.clone()
    } else {
        actor.inbox.clone()
    }
}

/// Queues an `Accept` or `Reject` of a Join; false when there is nowhere
/// to send it.
#[allow(clippy::too_many_arguments)]
fn queue_answer(
    ctx: &Context,
    store: &Store,
    accept: bool,
    join_id: &str,
    actor: &str,
    inbox: &str,
    event_id: &str,
    now: i64,
) -> Result<bool> {
    if inbox.is_empty() || join_id.is_empty() {
        return Ok(false);
    }
    let ends = Endpoints::new(&ctx.config);
    let answer = outbox::answer_join(&ends, accept, join_id, actor, event_id, now);
    let id = answer["id"].as_str().unwrap_or_default().to_string();
    store.enqueue(&id, &answer.to_string(), &[inbox.to_string()], now)?;
    Ok(true)
}

/// A direct message to someone who registered on the page (or the
/// server's log with the `console` transport); true when one is queued.
#[allow(clippy::too_many_arguments)]
pub fn send_dm(
    ctx: &Context,
    store: &Store,
    actor_id: &str,
    handle: &str,
    inbox: &str,
    text_html: &str,
    nonce: &str,
    now: i64,
) -> Result<bool> {
    match ctx.config.authors.login_dm {
        LoginDm::Console => {
            eprintln!(
                "affiche: message for @{handle} (console transport, nothing sent): {text_html}"
            );
            Ok(false)
        }
        LoginDm::ActivityPub => {
            if inbox.is_empty() {
                return Ok(false);
            }
            let ends = Endpoints::new(&ctx.config);
            let dm = outbox::direct_message(&ends, actor_id, handle, text_html, now, nonce);
            let id = dm["id"].as_str().unwrap_or_default().to_string();
            store.enqueue(&id, &dm.to_string(), &[inbox.to_string()], now)?;
            Ok(true)
        }
    }
}

pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What happened to a request to take part, for the page or the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    Accepted,
    Pending,
    Full,
    Closed(&'static str),
}

/// A `Join` from the fediverse. Returns the inbox state to record.
pub fn receive_join(
    ctx: &Context,
    sender: &RemoteActor,
    join_id: &str,
    object_id: &str,
    now: i64,
) -> Result<&'static str> {
    let Some(event) = event_by_url(ctx, object_id)? else {
        return Ok("ignored");
    };
    if event.article.status != Status::Published {
        return Ok("ignored");
    }
    let url = event_url(ctx, &event.article.slug);
    let inbox = inbox_of(sender);
    let event_id = event.article.id;
    let changed = ctx.store.transaction(|store| {
        if closed_reason(&event, now).is_some() {
            queue_answer(ctx, store, false, join_id, &sender.id, &inbox, &url, now)?;
            return Ok(false);
        }
        let outcome = store.join_event(
            event_id,
            &sender.id,
            &sender.handle,
            &sender.name,
            join_id,
            "fediverse",
            event.fields.join_mode == JoinMode::Restricted,
            event.fields.capacity,
            now,
        )?;
        Ok(match outcome {
            JoinOutcome::Accepted => {
                queue_answer(ctx, store, true, join_id, &sender.id, &inbox, &url, now)?;
                true
            }
            JoinOutcome::Pending => true,
            JoinOutcome::Full => {
                queue_answer(ctx, store, false, join_id, &sender.id, &inbox, &url, now)?;
                false
            }
            // Asked again: the answer is the current state, counted once.
            JoinOutcome::AlreadyThere(ParticipantState::Accepted) => {
                queue_answer(ctx, store, true, join_id, &sender.id, &inbox, &url, now)?;
                false
            }
            JoinOutcome::AlreadyThere(_) => false,
        })
    })?;
    if changed {
        rerender(ctx, &event.article.slug)?;
    }
    Ok("done")
}

/// A `Leave` of an event, or an `Undo` of a Join that names its event.
pub fn receive_leave(ctx: &Context, actor: &str, object_id: &str) -> Result<&'static str> {
    let Some(event) = event_by_url(ctx, object_id)? else {
        return Ok("ignored");
    };
    let removed = ctx
        .store
        .transaction(|store| store.remove_participant(event.article.id, actor))?;
    if removed.is_none() {
        return Ok("ignored");
    }
    rerender(ctx, &event.article.slug)?;
    Ok("done")
}

/// An `Undo` of a Join: found by the Join's id (it must be the same
/// actor's), else by the event it named.
pub fn receive_undo_join(
    ctx: &Context,
    actor: &str,
    join_id: Option<&str>,
    object_id: Option<&str>,
) -> Result<&'static str> {
    if let Some(id) = join_id {
        if undo_by_id(ctx, actor, id)? {
            return Ok("done");
        }
    }
    match object_id {
        Some(object_id) => receive_leave(ctx, actor, object_id),
        None => Ok("ignored"),
    }
}

/// An `Undo` that names a Join by its id only; true when it was one.
pub fn undo_by_id(ctx: &Context, actor: &str, join_id: &str) -> Result<bool> {
    let Some(participant) = ctx.store.participant_by_join(join_id)? else {
        return Ok(false);
    };
    if participant.actor_id != actor {
        return Ok(false);
    }
    ctx.store
        .transaction(|store| store.remove_participant(participant.event_id, actor))?;
    if let Some(article) = ctx.store.article_by_id(participant.event_id)? {
        rerender(ctx, &article.slug)?;
    }
    Ok(true)
}

/// Tells a participant what the organizer decided: an `Accept` or a
/// `Reject` for a Join, a direct message for a registration on the page.
fn tell(
    ctx: &Context,
    store: &Store,
    event: &EventRow,
    participant: &Participant,
    accepted: bool,
    now: i64,
) -> Result<bool> {
    let inbox = store
        .remote_actor(&participant.actor_id)?
        .map(|a| inbox_of(&a))
        .unwrap_or_default();
    if participant.via == "fediverse" {
        let url = event_url(ctx, &event.article.slug);
        return queue_answer(
            ctx,
            store,
            accepted,
            &participant.join_id,
            &participant.actor_id,
            &inbox,
            &url,
            now,
        );
    }
    let url = event_url(ctx, &event.article.slug);
    let title = html_escape(&event.article.title);
    // The site's words: the DM goes to someone elsewhere.
    let text = ctx.site_words().t_with(
        if accepted {
            "dm-registration-accepted-html"
        } else {
            "dm-registration-declined-html"
        },
        &[("url", html_escape(&url).into()), ("title", title.into())],
    );
    let nonce = format!(
        "participation/{}/{}/{}/{now}",
        participant.id,
        if accepted { "accepted" } else { "rejected" },
        participant.actor_id
    );
    send_dm(
        ctx,
        store,
        &participant.actor_id,
        &participant.handle,
        &inbox,
        &text,
        &nonce,
        now,
    )
}

/// What the organizer may do to a participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    Remove,
}

/// What came of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// Done; deliveries were queued (or not).
    Done { queued: bool },
    /// No place left to approve one more.
    Full,
    /// Not a participant of this event (any more).
    Unknown,
}

/// The organizer approves, rejects or removes a participant.
pub fn decide(
    ctx: &Context,
    event: &EventRow,
    participant_id: i64,
    decision: Decision,
    now: i64,
) -> Result<Decided> {
    let outcome = ctx.store.transaction(|store| {
        let Some(participant) = store
            .participant(participant_id)?
            .filter(|p| p.event_id == event.article.id)
        else {
            return Ok(Decided::Unknown);
        };
        let queued = match decision {
            Decision::Approve => {
                if participant.state == ParticipantState::Accepted {
                    return Ok(Decided::Done { queued: false });
                }
                let full = event
                    .fields
                    .capacity
                    .is_some_and(|c| store.accepted_count(event.article.id).is_ok_and(|n| n >= c));
                if full {
                    return Ok(Decided::Full);
                }
                store.set_participant_state(participant.id, ParticipantState::Accepted, now)?;
                tell(ctx, store, event, &participant, true, now)?
            }
            Decision::Reject => {
                if participant.state == ParticipantState::Rejected {
                    return Ok(Decided::Done { queued: false });
                }
                store.set_participant_state(participant.id, ParticipantState::Rejected, now)?;
                tell(ctx, store, event, &participant, false, now)?
            }
            Decision::Remove => {
                store.remove_participant(event.article.id, &participant.actor_id)?;
                // A Join is answered with a Reject; someone who registered
                // on the page is not written to.
                participant.via == "fediverse"
                    && participant.state != ParticipantState::Rejected
                    && tell(ctx, store, event, &participant, false, now)?
            }
        };
        Ok(Decided::Done { queued })
    })?;
    if matches!(outcome, Decided::Done { .. }) {
        rerender(ctx, &event.article.slug)?;
    }
    Ok(outcome)
}

/// Registers someone who proved her handle on the event's page.
pub fn register_web(
    ctx: &Context,
    event: &EventRow,
    actor_id: &str,
    handle: &str,
    name: &str,
    now: i64,
) -> Result<Joined> {
    if let Some(reason) = closed_reason(event, now) {
        return Ok(Joined::Closed(reason));
    }
    let outcome = ctx.store.transaction(|store| {
        store.join_event(
            event.article.id,
            actor_id,
            handle,
            name,
            "",
            "web",
            event.fields.join_mode == JoinMode::Restricted,
            event.fields.capacity,
            now,
        )
    })?;
    let joined = match outcome {
        JoinOutcome::Accepted | JoinOutcome::AlreadyThere(ParticipantState::Accepted) => {
            Joined::Accepted
        }
        JoinOutcome::Pending | JoinOutcome::AlreadyThere(_) => Joined::Pending,
        JoinOutcome::Full => Joined::Full,
    };
    if matches!(outcome, JoinOutcome::Accepted | JoinOutcome::Pending) {
        rerender(ctx, &event.article.slug)?;
    }
    Ok(joined)
}

/// Cancels a registration proven on the page; true when there was one.
pub fn cancel_web(ctx: &Context, event: &EventRow, actor_id: &str) -> Result<bool> {
    let removed = ctx
        .store
        .transaction(|store| store.remove_participant(event.article.id, actor_id))?;
    if removed.is_some() {
        rerender(ctx, &event.article.slug)?;
    }
    Ok(removed.is_some())
}

/// The participant list as CSV (RFC 4180): a header row, then one line
/// each, every field quoted.
pub fn csv(participants: &[Participant]) -> String {
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut out =
        String::from("\"handle\",\"name\",\"actor\",\"state\",\"via\",\"registered\"\r\n");
    for p in participants {
        let handle = if p.handle.is_empty() {
            String::new()
        } else {
            format!("@{}", p.handle)
        };
        let when = jiff::Timestamp::from_second(p.created_at)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let fields = [
            quote(&handle),
            quote(&neutralize(&p.name)),
            quote(&p.actor_id),
            quote(p.state.as_str()),
            quote(&p.via),
            quote(&when),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A field a spreadsheet would run as a formula is prefixed with `'`.
fn neutralize(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn participant(handle: &str, name: &str, state: ParticipantState) -> Participant {
        Participant {
            id: 1,
            event_id: 1,
            actor_id: format!("https://m.example/users/{handle}"),
            handle: format!("{handle}@m.example"),
            name: name.into(),
            join_id: String::new(),
            via: "web".into(),
            state,
            created_at: 0,
        }
    }

    #[test]
    fn csv_quotes_every_field_and_defuses_formulas() {
        let text = csv(&[
            participant(
                "ann",
                "Ann \"the\" Organizer, Jr.",
                ParticipantState::Accepted,
            ),
            participant("bob", "=HYPERLINK(\"x\")", ParticipantState::Pending),
        ]);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "\"handle\",\"name\",\"actor\",\"state\",\"via\",\"registered\""
        );
        assert_eq!(
            lines[1],
            "\"@ann@m.example\",\"Ann \"\"the\"\" Organizer, Jr.\",\"https://m.example/users/ann\",\"accepted\",\"web\",\"1970-01-01T00:00:00Z\""
        );
        assert!(
            lines[2].starts_with("\"@bob@m.example\",\"'=HYPERLINK(\"\"x\"\")\""),
            "{}",
            lines[2]
        );
        assert_eq!(lines[3], "");
    }
}
