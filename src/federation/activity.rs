//! Incoming activities: hostile JSON turned into the few shapes we act on,
//! with the origin checks of FEDERATION.md §9. Pure functions: no I/O.

use serde_json::Value;

/// Why an activity is refused (the inbox answers 400 with this text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

fn invalid(why: impl Into<String>) -> Invalid {
    Invalid(why.into())
}

/// The objects of a Flag kept: an account and some of its posts (Mastodon
/// sends a few); a hostile one naming thousands would make the admin
/// page look each up every time it is shown.
pub const MAX_FLAG_OBJECTS: usize = 50;

/// The id of a property that may be a string or an object with an `id`.
pub fn id_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s.as_str()),
        Value::Object(map) => map.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// The `type` of an object: a string, or the first string of an array.
pub fn type_of(value: &Value) -> Option<&str> {
    match value.get("type")? {
        Value::String(s) => Some(s.as_str()),
        Value::Array(items) => items.iter().find_map(Value::as_str),
        _ => None,
    }
}

/// `scheme://host[:port]` of an http(s) URL, lowercased; `None` for anything else.
pub fn origin(url: &str) -> Option<String> {
    let uri: http::Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = uri.authority()?;
    if authority.as_str().contains('@') {
        return None;
    }
    Some(format!(
        "{scheme}://{}",
        authority.as_str().to_ascii_lowercase()
    ))
}

/// What an activity asks of us, once its shape is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// Someone wants to follow the site actor.
    Follow { id: String, actor: String },
    /// Someone stops following (the Follow is embedded, or only its id).
    Unfollow {
        actor: String,
        follow_id: Option<String>,
    },
    /// A post (a `Create` of a Note or the like) by the activity's actor,
    /// embedded and on the actor's origin: a reply, or a login code.
    Post { actor: String, object: Value },
    /// An edit of a post by its author (`Update`).
    Edit { actor: String, object: Value },
    /// A deletion by its author, of a post or of the actor itself.
    Delete { actor: String, object_id: String },
    /// A like (favourite, Misskey or Pleroma emoji reaction) or a boost.
    React {
        id: Option<String>,
        actor: String,
        kind: Reaction,
        object_id: String,
    },
    /// A like or boost taken back: by the reaction's id, or its object.
    Unreact {
        actor: String,
        kind: Reaction,
        activity_id: Option<String>,
        object_id: Option<String>,
    },
    /// An `Undo` that names its activity by id only.
    UndoById { actor: String, id: String },
    /// Someone asks to take part in one of our events (Mobilizon's
    /// `Join`); `object_id` is the event's id or URL, on our origin.
    Join {
        id: String,
        actor: String,
        object_id: String,
    },
    /// Someone stops taking part (Mobilizon's `Leave` of the event).
    Leave { actor: String, object_id: String },
    /// A `Join` taken back by its actor: the Join was embedded; its id
    /// and its event, when it named them.
    UndoJoin {
        actor: String,
        join_id: Option<String>,
        object_id: Option<String>,
    },
    /// A report for the site's owner.
    Flag {
        id: Option<String>,
        actor: String,
        content: String,
        objects: Vec<String>,
    },
    /// Anything else, accepted and ignored: unknown types must not fail.
    Other { kind: String },
}

/// Reactions the site counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    Like,
    Announce,
}

impl Reaction {
    pub fn as_str(self) -> &'static str {
        match self {
            Reaction::Like => "like",
            Reaction::Announce => "announce",
        }
    }

    fn from_type(kind: &str) -> Option<Reaction> {
        match kind {
            // Misskey and Pleroma emoji reactions count as likes.
            "Like" | "EmojiReact" | "EmojiReaction" => Some(Reaction::Like),
            "Announce" => Some(Reaction::Announce),
            _ => None,
        }
    }
}

/// Objects a reply may be (Mastodon's native and converted types).
const POST_TYPES: [&str; 6] = [
    "Note",
    "Article",
    "Page",
    "Question",
    "ChatMessage",
    "Event",
];

/// An embedded post vouched for by the activity: its own actor's, on its
/// actor's origin (FEDERATION.md §9).
fn own_post<'a>(
    json: &'a Value,
    envelope: &Envelope,
    verb: &str,
) -> Result<Option<&'a Value>, Invalid> {
    let object = match json.get("object") {
        Some(object @ Value::Object(_)) => object,
        // A bare id would have to be fetched; nothing we act on arrives
        // that way from Mastodon, GoToSocial, Misskey or Pleroma.
        _ => return Ok(None),
    };
    let kind = type_of(object).unwrap_or("");
    if !POST_TYPES.contains(&kind) {
        return Ok(None);
    }
    let author = match object.get("attributedTo") {
        Some(Value::Array(items)) => items.iter().find_map(id_of),
        Some(other) => id_of(other),
        None => None,
    };
    if author != Some(envelope.actor.as_str()) {
        return Err(invalid(format!(
            "the {verb} post's attributedTo is not the activity's actor"
        )));
    }
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(format!("the {verb} post has no id")))?;
    if origin(id) != origin(&envelope.actor) {
        return Err(invalid(format!(
            "the {verb} post's id is not on the actor's origin"
        )));
    }
    Ok(Some(object))
}

/// The parts every activity must have: a type and an actor whose origin the
/// signature will be checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub id: Option<String>,
    pub kind: String,
    pub actor: String,
}

/// Checks the envelope of an activity: a JSON object with a type, an actor
/// URL, and an id (when given) on the actor's origin.
pub fn envelope(json: &Value) -> Result<Envelope, Invalid> {
    if !json.is_object() {
        return Err(invalid("the activity must be a JSON object"));
    }
    let kind = type_of(json).ok_or_else(|| invalid("the activity has no type"))?;
    let actor = json
        .get("actor")
        .and_then(id_of)
        .ok_or_else(|| invalid("the activity has no actor"))?;
    let actor_origin = origin(actor).ok_or_else(|| invalid("the actor is not an http(s) URL"))?;
    let id = match json.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => {
            if origin(id).as_deref() != Some(actor_origin.as_str()) {
                return Err(invalid("the activity id is not on the actor's origin"));
            }
            Some(id.clone())
        }
        Some(_) => return Err(invalid("the activity id must be a string")),
    };
    Ok(Envelope {
        id,
        kind: kind.to_string(),
        actor: actor.to_string(),
    })
}

/// Reads what an activity (already signed by `envelope.actor`) asks of the
/// site actor `us`.
pub fn classify(json: &Value, envelope: &Envelope, us: &str) -> Result<Incoming, Invalid> {
    match envelope.kind.as_str() {
        "Follow" => {
            let object = json
                .get("object")
                .and_then(id_of)
                .ok_or_else(|| invalid("the Follow has no object"))?;
            if object != us {
                return Ok(Incoming::Other {
                    kind: "Follow of someone else".into(),
                });
            }
            let id = envelope
                .id
                .clone()
                .ok_or_else(|| invalid("the Follow has no id: it could not be accepted"))?;
            Ok(Incoming::Follow {
                id,
                actor: envelope.actor.clone(),
            })
        }
        "Undo" => {
            let object = json
                .get("object")
                .ok_or_else(|| invalid("the Undo has no object"))?;
            match object {
                Value::Object(_) => {
                    // An embedded activity is trusted only from its own actor.
                    let inner_actor = object.get("actor").and_then(id_of);
                    if inner_actor.is_some_and(|a| a != envelope.actor) {
                        return Err(invalid(format!(
                            "the undone {} belongs to another actor",
                            type_of(object).unwrap_or("activity")
                        )));
                    }
                    if let Some(kind) = type_of(object).and_then(Reaction::from_type) {
                        return Ok(Incoming::Unreact {
                            actor: envelope.actor.clone(),
                            kind,
                            activity_id: object
                                .get("id")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            object_id: object.get("object").and_then(id_of).map(str::to_string),
                        });
                    }
                    if type_of(object) == Some("Join") {
                        return Ok(Incoming::UndoJoin {
                            actor: envelope.actor.clone(),
                            join_id: object.get("id").and_then(Value::as_str).map(str::to_string),
                            object_id: object.get("object").and_then(id_of).map(str::to_string),
                        });
                    }
                    if type_of(object) != Some("Follow") {
                        return Ok(Incoming::Other {
                            kind: format!("Undo {}", type_of(object).unwrap_or("?")),
                        });
                    }
                    if object
                        .get("object")
                        .and_then(id_of)
                        .is_some_and(|o| o != us)
                    {
                        return Ok(Incoming::Other {
                            kind: "Undo Follow of someone else".into(),
                        });
                    }
                    Ok(Incoming::Unfollow {
                        actor: envelope.actor.clone(),
                        follow_id: object.get("id").and_then(Value::as_str).map(str::to_string),
                    })
                }
                Value::String(undone) => {
                    if origin(undone) != origin(&envelope.actor) {
                        return Err(invalid("the undone activity is not on the actor's origin"));
                    }
                    // Only its id: a follow or a reaction, whichever of
                    // that actor's has this id.
                    Ok(Incoming::UndoById {
                        actor: envelope.actor.clone(),
                        id: undone.clone(),
                    })
                }
                _ => Err(invalid("the Undo's object must be an activity or its id")),
            }
        }
        "Create" => Ok(match own_post(json, envelope, "created")? {
            Some(object) => Incoming::Post {
                actor: envelope.actor.clone(),
                object: object.clone(),
            },
            None => Incoming::Other {
                kind: "Create of something else than a post".into(),
            },
        }),
        "Update" => Ok(match own_post(json, envelope, "updated")? {
            Some(object) => Incoming::Edit {
                actor: envelope.actor.clone(),
                object: object.clone(),
            },
            None => Incoming::Other {
                kind: "Update of something else than a post".into(),
            },
        }),
        "Delete" => {
            let object_id = json
                .get("object")
                .and_then(id_of)
                .ok_or_else(|| invalid("the Delete has no object"))?;
            if origin(object_id) != origin(&envelope.actor) {
                return Err(invalid("the deleted object is not on the actor's origin"));
            }
            Ok(Incoming::Delete {
                actor: envelope.actor.clone(),
                object_id: object_id.to_string(),
            })
        }
        kind if Reaction::from_type(kind).is_some() => {
            let reaction = Reaction::from_type(kind).unwrap_or(Reaction::Like);
            if let Some(id) = &envelope.id {
                if origin(id) != origin(&envelope.actor) {
                    return Err(invalid("the activity id is not on the actor's origin"));
                }
            }
            let object_id = json
                .get("object")
                .and_then(id_of)
                .ok_or_else(|| invalid(format!("the {kind} has no object")))?;
            Ok(Incoming::React {
                id: envelope.id.clone(),
                actor: envelope.actor.clone(),
                kind: reaction,
                object_id: object_id.to_string(),
            })
        }
        "Join" | "Leave" => {
            let kind = envelope.kind.as_str();
            // An embedded event is trusted for its id only.
            let object_id = json
                .get("object")
                .and_then(id_of)
                .ok_or_else(|| invalid(format!("the {kind} has no object")))?;
            if origin(object_id).is_none() || origin(object_id) != origin(us) {
                return Ok(Incoming::Other {
                    kind: format!("{kind} of something elsewhere"),
                });
            }
            if kind == "Leave" {
                return Ok(Incoming::Leave {
                    actor: envelope.actor.clone(),
                    object_id: object_id.to_string(),
                });
            }
            let id = envelope
                .id
                .clone()
                .ok_or_else(|| invalid("the Join has no id: it could not be answered"))?;
            Ok(Incoming::Join {
                id,
                actor: envelope.actor.clone(),
                object_id: object_id.to_string(),
            })
        }
        "Flag" => {
            let objects: Vec<String> = match json.get("object") {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(id_of)
                    .take(MAX_FLAG_OBJECTS)
                    .map(str::to_string)
                    .collect(),
                Some(one) => id_of(one).map(str::to_string).into_iter().collect(),
                None => Vec::new(),
            };
            let content = json
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .chars()
                .take(5000)
                .collect();
            Ok(Incoming::Flag {
                id: envelope.id.clone(),
                actor: envelope.actor.clone(),
                content,
                objects,
            })
        }
        other => Ok(Incoming::Other {
            kind: other.to_string(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    const US: &str = "https://site.example/actor";

    fn read(json: Value) -> Result<Incoming, Invalid> {
        let envelope = envelope(&json)?;
        classify(&json, &envelope, US)
    }

    #[test]
    fn a_mastodon_follow_and_its_undo() {
        let follow = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://m.example/0b5d-follow", "type": "Follow",
            "actor": "https://m.example/users/alice", "object": US
        });
        assert_eq!(
            read(follow.clone()).unwrap(),
            Incoming::Follow {
                id: "https://m.example/0b5d-follow".into(),
                actor: "https://m.example/users/alice".into()
            }
        );
        let undo = json!({
            "id": "https://m.example/users/alice#follows/1/undo", "type": "Undo",
            "actor": "https://m.example/users/alice", "object": follow
        });
        assert_eq!(
            read(undo).unwrap(),
            Incoming::Unfollow {
                actor: "https://m.example/users/alice".into(),
                follow_id: Some("https://m.example/0b5d-follow".into())
            }
        );
    }

    #[test]
    fn a_flag_keeps_a_bounded_number_of_objects() {
        let objects: Vec<String> = (0..10_000)
            .map(|n| format!("https://m.example/notes/{n}"))
            .collect();
        let flag = json!({
            "id": "https://m.example/flags/1", "type": "Flag",
            "actor": "https://m.example/actor", "content": "spam", "object": objects,
        });
        match read(flag).unwrap() {
            Incoming::Flag { objects, .. } => {
                assert_eq!(objects.len(), MAX_FLAG_OBJECTS);
                assert_eq!(objects[0], "https://m.example/notes/0");
            }
            other => panic!("not a Flag: {other:?}"),
        }
    }

    #[test]
    fn forgeries_and_garbage_are_refused() {
        let cases = [
            (json!([1, 2]), "JSON object"),
            (json!({"type": "Follow"}), "no actor"),
            (json!({"actor": "https://m.example/u"}), "no type"),
            (
                json!({"type": "Follow", "actor": "javascript:alert(1)", "object": US}),
                "not an http(s) URL",
            ),
            (
                json!({"type": "Follow", "actor": {"no": "id"}, "object": US}),
                "no actor",
            ),
            (
                json!({"id": "https://evil.example/1", "type": "Follow", "actor": "https://m.example/u", "object": US}),
                "not on the actor's origin",
            ),
            (
                json!({"id": 5, "type": "Follow", "actor": "https://m.example/u", "object": US}),
                "must be a string",
            ),
            (
                json!({"type": "Follow", "actor": "https://m.example/u", "object": US}),
                "no id",
            ),
            (
                json!({"id": "https://m.example/2", "type": "Undo", "actor": "https://m.example/u",
                    "object": {"type": "Follow", "actor": "https://m.example/someone-else", "object": US}}),
                "another actor",
            ),
            (
                json!({"id": "https://m.example/3", "type": "Undo", "actor": "https://m.example/u",
                    "object": "https://evil.example/follow"}),
                "not on the actor's origin",
            ),
            (
                json!({"id": "https://m.example/4", "type": "Undo", "actor": "https://m.example/u", "object": 7}),
                "must be an activity",
            ),
        ];
        for (json, expected) in cases {
            let err = read(json.clone()).unwrap_err();
            assert!(err.0.contains(expected), "{json}: {err}");
        }
    }

    #[test]
    fn mobilizon_joins_leaves_and_undos() {
        let event = "https://site.example/events/picnic/";
        let join = json!({
            "id": "https://mbz.example/join/1", "type": "Join",
            "actor": "https://mbz.example/@bob", "object": event,
            "participationMessage": "hello"
        });
        assert_eq!(
            read(join.clone()).unwrap(),
            Incoming::Join {
                id: "https://mbz.example/join/1".into(),
                actor: "https://mbz.example/@bob".into(),
                object_id: event.into(),
            }
        );
        // An embedded event: only its id counts.
        let embedded = json!({
            "id": "https://mbz.example/join/2", "type": "Join",
            "actor": "https://mbz.example/@bob",
            "object": {"id": event, "type": "Event", "name": "anything"}
        });
        assert!(
            matches!(read(embedded).unwrap(), Incoming::Join { object_id, .. } if object_id == event)
        );
        let elsewhere = json!({
            "id": "https://mbz.example/join/3", "type": "Join",
            "actor": "https://mbz.example/@bob", "object": "https://mbz.example/events/x"
        });
        assert!(matches!(read(elsewhere).unwrap(), Incoming::Other { .. }));
        let no_id = json!({"type": "Join", "actor": "https://mbz.example/@bob", "object": event});
        assert!(read(no_id).unwrap_err().0.contains("no id"));
        let leave = json!({
            "id": "https://mbz.example/leave/1", "type": "Leave",
            "actor": "https://mbz.example/@bob", "object": event
        });
        assert_eq!(
            read(leave).unwrap(),
            Incoming::Leave {
                actor: "https://mbz.example/@bob".into(),
                object_id: event.into()
            }
        );
        let undo = json!({
            "id": "https://mbz.example/undo/1", "type": "Undo",
            "actor": "https://mbz.example/@bob", "object": join
        });
        assert_eq!(
            read(undo).unwrap(),
            Incoming::UndoJoin {
                actor: "https://mbz.example/@bob".into(),
                join_id: Some("https://mbz.example/join/1".into()),
                object_id: Some(event.into()),
            }
        );
        let forged = json!({
            "id": "https://mbz.example/undo/2", "type": "Undo",
            "actor": "https://mbz.example/@bob",
            "object": {"id": "https://mbz.example/join/9", "type": "Join", "actor": "https://mbz.example/@carol", "object": event}
        });
        assert!(read(forged).unwrap_err().0.contains("another actor"));
    }

    #[test]
    fn unknown_and_odd_shapes_are_ignored_not_refused() {
        let like = json!({"id": "https://m.example/l", "type": ["Like", "x:Extra"], "actor": {"id": "https://m.example/u"}, "object": "https://site.example/a/"});
        assert_eq!(
            read(like).unwrap(),
            Incoming::React {
                id: Some("https://m.example/l".into()),
                actor: "https://m.example/u".into(),
                kind: Reaction::Like,
                object_id: "https://site.example/a/".into(),
            }
        );
        let question = json!({"id": "https://m.example/q", "type": "Create", "actor": "https://m.example/u", "object": {"type": "Person", "id": "https://m.example/p"}});
        assert!(matches!(read(question).unwrap(), Incoming::Other { .. }));
        let other_follow = json!({"id": "https://m.example/f", "type": "Follow", "actor": "https://m.example/u", "object": "https://elsewhere.example/bob"});
        assert!(matches!(
            read(other_follow).unwrap(),
            Incoming::Other { .. }
        ));
    }
}
