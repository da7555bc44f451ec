//! The inbox: a signed activity in, 202 out, fast. Cheap checks first
//! (type, JSON, shape), then the signature with the sender's key (cached,
//! refetched once when it no longer verifies: keys rotate), then the raw
//! activity is stored before it is acted on, so that a failure later loses
//! nothing: the queue worker processes what is left.

use http::{Request, Response, StatusCode, header};
use serde_json::{Value, json};

use super::activity::{self, Incoming, Reaction};
use super::documents::Endpoints;
use super::fetch::{Fetcher, SignRequest};
use super::outbox;
use super::signatures::{self, SignatureError};
use crate::context::Context;
use crate::render::plan;
use crate::store::RemoteActor;

/// Marks a response whose request queued deliveries: the CGI then starts
/// the worker once it has answered.
#[derive(Debug, Clone, Copy)]
pub struct QueuedWork;

/// The path and query the client asked for, as signed (CGI `REQUEST_URI`).
#[derive(Debug, Clone, Default)]
pub struct RequestTarget(pub String);

fn answer(status: StatusCode, body: Value) -> Response<Vec<u8>> {
    let mut response = Response::new(body.to_string().into_bytes());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn refuse(status: StatusCode, why: impl std::fmt::Display) -> Response<Vec<u8>> {
    answer(status, json!({ "error": why.to_string() }))
}

/// Whether a Content-Type is one an ActivityPub sender uses.
fn is_activity_content_type(value: &str) -> bool {
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/activity+json" | "application/ld+json" | "application/json"
    )
}

/// Reads a remote actor document into what we keep of it. The key must be
/// the one named `key_id` (when given) and be owned by the document itself.
pub fn remote_actor(
    document: &Value,
    key_id: Option<&str>,
    now: i64,
) -> Result<RemoteActor, String> {
    let id = document
        .get("id")
        .and_then(Value::as_str)
        .ok_or("the actor document has no id")?;
    let keys: Vec<&Value> = match document.get("publicKey") {
        Some(Value::Array(keys)) => keys.iter().collect(),
        Some(key @ Value::Object(_)) => vec![key],
        _ => Vec::new(),
    };
    let key = keys
        .into_iter()
        .find(|k| key_id.is_none_or(|wanted| k.get("id").and_then(Value::as_str) == Some(wanted)))
        .ok_or("the actor document does not list that key")?;
    if key.get("owner").and_then(Value::as_str) != Some(id) {
        return Err("the key's owner is not the actor that lists it".into());
    }
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let host = activity::origin(id)
        .and_then(|o| o.split_once("://").map(|(_, h)| h.to_string()))
        .unwrap_or_default();
    let username = text(document.get("preferredUsername"));
    Ok(RemoteActor {
        id: id.to_string(),
        key_id: text(key.get("id")),
        public_key: text(key.get("publicKeyPem")),
        inbox: text(document.get("inbox")),
        shared_inbox: text(document.get("endpoints").and_then(|e| e.get("sharedInbox"))),
        handle: if username.is_empty() {
            String::new()
        } else {
            format!("{username}@{host}")
        },
        name: text(document.get("name")),
        icon: document
            .get("icon")
            .and_then(|i| i.get("url").or(Some(i)))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        url: document
            .get("url")
            .and_then(activity::id_of)
            .unwrap_or_default()
            .to_string(),
        fetched_at: now,
    })
}

/// Fetches the actor that owns `key_id` and caches it.
fn fetch_key_owner(
    ctx: &Context,
    fetcher: &Fetcher,
    signer: &dyn SignRequest,
    key_id: &str,
    now: i64,
) -> Result<RemoteActor, String> {
    let document = fetcher
        .fetch_object(key_id, signer)
        .map_err(|e| e.to_string())?;
    let actor = remote_actor(&document, Some(key_id), now)?;
    ctx.store
        .save_remote_actor(&actor)
        .map_err(|e| format!("{e:#}"))?;
    Ok(actor)
}

/// Checks the signature, with the cached key, or a fetched one, or a
/// refetched one when the cached key no longer verifies.
fn verify(
    ctx: &Context,
    fetcher: &Fetcher,
    signer: &dyn SignRequest,
    signed: &signatures::SignedRequest,
    now: i64,
) -> Result<RemoteActor, (StatusCode, String)> {
    let key_id = signed.key_id();
    let unauthorized = |why: String| (StatusCode::UNAUTHORIZED, why);
    if key_id.starts_with("acct:") {
        return Err(unauthorized(
            "keyId as an acct: URI is not supported; use the key's URL".into(),
        ));
    }
    let cached = ctx
        .store
        .remote_actor_by_key(key_id)
        .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, format!("{e:#}")))?;
    if let Some(actor) = cached {
        match signed.verify(&actor.public_key) {
            Ok(()) => return Ok(actor),
            Err(SignatureError::DoesNotVerify { .. } | SignatureError::Key { .. }) => {}
            Err(err) => return Err(unauthorized(err.to_string())),
        }
    }
    let actor = fetch_key_owner(ctx, fetcher, signer, key_id, now)
        .map_err(|why| unauthorized(format!("cannot get the key {key_id}: {why}")))?;
    signed
        .verify(&actor.public_key)
        .map_err(|e| unauthorized(e.to_string()))?;
    Ok(actor)
}

/// Handles one POST to the inbox.
pub fn receive(
    ctx: &Context,
    fetcher: &Fetcher,
    signer: &dyn SignRequest,
    request: &Request<Vec<u8>>,
    now: jiff::Timestamp,
) -> Response<Vec<u8>> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !is_activity_content_type(content_type) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send application/activity+json (or application/ld+json with the ActivityStreams profile)",
        );
    }
    let json: Value = match serde_json::from_slice(request.body()) {
        Ok(json) => json,
        Err(err) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {err}"),
            );
        }
    };
    let envelope = match activity::envelope(&json) {
        Ok(envelope) => envelope,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, why),
    };
    // Blocked instances and accounts cost nothing: no key fetch, no row.
    if ctx.config.federation.blocks(&envelope.actor, "") {
        return refuse(
            StatusCode::FORBIDDEN,
            "this site does not accept activities from this instance or account",
        );
    }
    let target = request
        .extensions()
        .get::<RequestTarget>()
        .map(|t| t.0.clone())
        .unwrap_or_else(|| request.uri().to_string());
    let signed = match signatures::check(request, &target, now) {
        Ok(signed) => signed,
        Err(err) => return refuse(StatusCode::UNAUTHORIZED, err),
    };
    let seconds = now.as_second();
    let sender = match verify(ctx, fetcher, signer, &signed, seconds) {
        Ok(sender) => sender,
        Err((status, why)) => return refuse(status, why),
    };
    if ctx.config.federation.blocks(&sender.id, &sender.handle) {
        return refuse(
            StatusCode::FORBIDDEN,
            "this site does not accept activities from this account",
        );
    }
    // The key vouches for its owner only: FEDERATION.md §9.
    if sender.id != envelope.actor {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "the signing key's owner is not the activity's actor",
        );
    }
    let headers = json!({ "signature-target": target }).to_string();
    let body = String::from_utf8_lossy(request.body());
    // Most traffic is for nobody here (a boost of someone else's post, a
    // delete of an unknown account): kept, but in one write.
    let ends = Endpoints::new(&ctx.config);
    // A forgery (a post credited to someone else, an object on another
    // origin) is refused, not stored.
    let to_do = match activity::classify(&json, &envelope, &ends.actor) {
        Ok(incoming) => !matches!(incoming, Incoming::Other { .. }),
        Err(why) => return refuse(StatusCode::BAD_REQUEST, why),
    };
    let stored = ctx.store.inbox_insert_as(
        envelope.id.as_deref(),
        &envelope.actor,
        &envelope.kind,
        &body,
        &headers,
        seconds,
        if to_do { "new" } else { "ignored" },
    );
    let row = match stored {
        Ok(Some(row)) => row,
        Ok(None) => {
            return answer(
                StatusCode::ACCEPTED,
                json!({ "status": "already received" }),
            );
        }
        Err(err) => {
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("cannot store the activity: {err:#}"),
            );
        }
    };
    if !to_do {
        return answer(StatusCode::ACCEPTED, json!({}));
    }
    match process(ctx, &json, &envelope, &sender, seconds) {
        Ok(state) => {
            let _ = ctx.store.inbox_set_state(row, state, "");
            let mut response = answer(StatusCode::ACCEPTED, json!({}));
            response.extensions_mut().insert(QueuedWork);
            response
        }
        Err(err) => {
            // Stored as received: the worker tries again, nothing is lost.
            eprintln!(
                "affiche: inbox: processing {} failed: {err:#}",
                envelope.id.as_deref().unwrap_or("an activity")
            );
            answer(StatusCode::ACCEPTED, json!({}))
        }
    }
}

/// Acts on a verified activity; returns the state to record.
pub fn process(
    ctx: &Context,
    json: &Value,
    envelope: &activity::Envelope,
    sender: &RemoteActor,
    now: i64,
) -> anyhow::Result<&'static str> {
    let ends = Endpoints::new(&ctx.config);
    let incoming = match activity::classify(json, envelope, &ends.actor) {
        Ok(incoming) => incoming,
        Err(_) => return Ok("ignored"),
    };
    match incoming {
        Incoming::Follow { id, actor } => {
            let accept = outbox::accept_follow(&ends, &id, &actor);
            let accept_id = accept["id"].as_str().unwrap_or_default().to_string();
            let inbox = sender.personal_inbox();
            ctx.store.transaction(|store| {
                store.add_follower(&actor, &id, now)?;
                store.enqueue(&accept_id, &accept.to_string(), &[inbox], now)?;
                Ok(())
            })?;
            rerender_followers(ctx)?;
            Ok("done")
        }
        Incoming::Unfollow { actor, .. } => {
            if ctx.store.remove_follower(&actor)? {
                rerender_followers(ctx)?;
            }
            Ok("done")
        }
        Incoming::Post { actor, object } => {
            // A login code sent to the site proves the login it belongs
            // to, if any was started for this very actor.
            let content = object
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let mut proven = false;
            for code in crate::secrets::codes_in(content) {
                proven |= ctx
                    .store
                    .prove_login(&actor, &crate::secrets::hash(&code), now)?;
            }
            if proven {
                return Ok("done");
            }
            crate::comments::receive_post(ctx, sender, &object, now)
        }
        Incoming::Edit { object, .. } => crate::comments::receive_edit(ctx, sender, &object),
        Incoming::Delete { actor, object_id } => {
            if object_id == actor && ctx.store.remove_follower(&actor)? {
                rerender_followers(ctx)?;
            }
            crate::comments::receive_delete(ctx, &actor, &object_id, now)
        }
        Incoming::React {
            id,
            actor,
            kind,
            object_id,
        } => crate::comments::receive_reaction(ctx, id.as_deref(), &actor, kind, &object_id, now),
        Incoming::Unreact {
            actor,
            kind,
            activity_id,
            object_id,
        } => crate::comments::receive_unreaction(
            ctx,
            &actor,
            kind,
            activity_id.as_deref(),
            object_id.as_deref(),
        ),
        Incoming::UndoById { actor, id } => {
            let follows = ctx
                .store
                .follower(&actor)?
                .is_some_and(|f| f.follow_id == id);
            if follows {
                ctx.store.remove_follower(&actor)?;
                rerender_followers(ctx)?;
                return Ok("done");
            }
            for kind in [Reaction::Like, Reaction::Announce] {
                if crate::comments::receive_unreaction(ctx, &actor, kind, Some(&id), None)?
                    == "done"
                {
                    return Ok("done");
                }
            }
            if crate::participation::undo_by_id(ctx, &actor, &id)? {
                return Ok("done");
            }
            Ok("ignored")
        }
        Incoming::Join { id, object_id, .. } => {
            crate::participation::receive_join(ctx, sender, &id, &object_id, now)
        }
        Incoming::Leave { actor, object_id } => {
            crate::participation::receive_leave(ctx, &actor, &object_id)
        }
        Incoming::UndoJoin {
            actor,
            join_id,
            object_id,
        } => crate::participation::receive_undo_join(
            ctx,
            &actor,
            join_id.as_deref(),
            object_id.as_deref(),
        ),
        Incoming::Flag {
            id,
            actor,
            content,
            objects,
        } => {
            ctx.store
                .insert_flag(id.as_deref(), &actor, &content, &objects, now)?;
            Ok("done")
        }
        Incoming::Other { .. } => Ok("ignored"),
    }
}

/// A request processes what it receives; what it could not (it was killed,
/// the disk was full) is left as received, and the queue worker finishes it
/// here. Only activities older than a minute: younger ones may still be in
/// the hands of their request.
pub fn process_leftovers(ctx: &Context, now: i64) -> anyhow::Result<usize> {
    let leftovers = ctx.store.inbox_unprocessed(now - 60, 100)?;
    for entry in &leftovers {
        let outcome = serde_json::from_str::<Value>(&entry.body)
            .map_err(|e| anyhow::anyhow!("not JSON: {e}"))
            .and_then(|json| {
                let envelope = activity::envelope(&json)?;
                let sender = ctx
                    .store
                    .remote_actor(&envelope.actor)?
                    .ok_or_else(|| anyhow::anyhow!("the sender {} is not known", envelope.actor))?;
                process(ctx, &json, &envelope, &sender, now)
            });
        match outcome {
            Ok(state) => ctx.store.inbox_set_state(entry.id, state, "")?,
            Err(err) => ctx
                .store
                .inbox_set_state(entry.id, "failed", &format!("{err:#}"))?,
        }
    }
    Ok(leftovers.len())
}

fn rerender_followers(ctx: &Context) -> anyhow::Result<()> {
    let targets: Vec<_> = plan::touched_by_followers().into_iter().collect();
    ctx.renderer
        .render_parallel(&ctx.store, &ctx.config.database_path(), &targets, 1)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_key_must_belong_to_the_actor_that_lists_it() {
        let doc = json!({
            "id": "https://m.example/users/a", "type": "Person", "preferredUsername": "a",
            "inbox": "https://m.example/users/a/inbox", "endpoints": {"sharedInbox": "https://m.example/inbox"},
            "publicKey": {"id": "https://m.example/users/a#main-key", "owner": "https://m.example/users/a", "publicKeyPem": "PEM"}
        });
        let actor = remote_actor(&doc, Some("https://m.example/users/a#main-key"), 5).unwrap();
        assert_eq!(actor.handle, "a@m.example");
        assert_eq!(actor.shared_inbox, "https://m.example/inbox");
        assert!(remote_actor(&doc, Some("https://m.example/users/a#other"), 5).is_err());
        let mut stolen = doc.clone();
        stolen["publicKey"]["owner"] = json!("https://m.example/users/b");
        assert!(remote_actor(&stolen, Some("https://m.example/users/a#main-key"), 5).is_err());
    }

    #[test]
    fn what_a_request_could_not_process_the_worker_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let config_path = crate::cli::init(
            &dir.path().join("site"),
            "T",
            "https://site.example",
            std::path::Path::new("public_html"),
        )
        .unwrap();
        let ctx = Context::open(&config_path).unwrap();
        let alice = "https://m.example/users/alice";
        ctx.store
            .save_remote_actor(&RemoteActor {
                id: alice.into(),
                inbox: format!("{alice}/inbox"),
                fetched_at: 0,
                ..Default::default()
            })
            .unwrap();
        let follow = json!({"id": "https://m.example/f/9", "type": "Follow", "actor": alice, "object": "https://site.example/actor"});
        let body = follow.to_string();
        ctx.store
            .inbox_insert(
                Some("https://m.example/f/9"),
                alice,
                "Follow",
                &body,
                "{}",
                1000,
            )
            .unwrap()
            .unwrap();
        ctx.store
            .inbox_insert(
                Some("https://m.example/g"),
                alice,
                "Follow",
                "{not json",
                "{}",
                1000,
            )
            .unwrap();
        // Too young: its request may still be processing it.
        assert_eq!(process_leftovers(&ctx, 1030).unwrap(), 0);
        assert_eq!(process_leftovers(&ctx, 1100).unwrap(), 2);
        assert!(ctx.store.follower(alice).unwrap().is_some());
        assert_eq!(
            ctx.store.queue_status(1100).unwrap().pending,
            1,
            "the Accept is queued"
        );
        assert!(ctx.store.inbox_unprocessed(2000, 10).unwrap().is_empty());
        let followers: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("site/public_html/followers.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(followers["totalItems"], 1);
    }

    #[test]
    fn content_types_senders_use() {
        for ok in [
            "application/activity+json",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
            "Application/JSON; charset=utf-8",
        ] {
            assert!(is_activity_content_type(ok), "{ok}");
        }
        for no in ["text/html", "", "application/x-www-form-urlencoded"] {
            assert!(!is_activity_content_type(no), "{no}");
        }
    }
}
