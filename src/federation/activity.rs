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
    /// A post (a `Create` of a Note or the like) by the activity's actor:
    /// a login code sent to the site, later replies.
    Post {
        actor: String,
        id: String,
        content: String,
    },
    /// Anything else, accepted and ignored: unknown types must not fail.
    Other { kind: String },
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
                    if type_of(object) != Some("Follow") {
                        return Ok(Incoming::Other {
                            kind: format!("Undo {}", type_of(object).unwrap_or("?")),
                        });
                    }
                    // An embedded activity is trusted only from its own actor.
                    let inner_actor = object.get("actor").and_then(id_of);
                    if inner_actor.is_some_and(|a| a != envelope.actor) {
                        return Err(invalid("the undone Follow belongs to another actor"));
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
                Value::String(follow_id) => {
                    if origin(follow_id) != origin(&envelope.actor) {
                        return Err(invalid("the undone activity is not on the actor's origin"));
                    }
                    Ok(Incoming::Unfollow {
                        actor: envelope.actor.clone(),
                        follow_id: Some(follow_id.clone()),
                    })
                }
                _ => Err(invalid("the Undo's object must be an activity or its id")),
            }
        }
        "Create" => {
            let object = match json.get("object") {
                Some(object @ Value::Object(_)) => object,
                // A bare id would have to be fetched; nothing we act on
                // arrives that way.
                _ => {
                    return Ok(Incoming::Other {
                        kind: "Create without an embedded object".into(),
                    });
                }
            };
            let kind = type_of(object).unwrap_or("");
            if !matches!(
                kind,
                "Note" | "Article" | "Page" | "Question" | "ChatMessage"
            ) {
                return Ok(Incoming::Other {
                    kind: format!("Create {kind}"),
                });
            }
            // The post is vouched for by the signed activity only when it
            // is the actor's own, on the actor's origin (FEDERATION.md §9).
            let author = object.get("attributedTo").and_then(id_of);
            if author != Some(envelope.actor.as_str()) {
                return Err(invalid(
                    "the post's attributedTo is not the activity's actor",
                ));
            }
            let id = object
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("the post has no id"))?;
            if origin(id) != origin(&envelope.actor) {
                return Err(invalid("the post's id is not on the actor's origin"));
            }
            let content = match object.get("content") {
                Some(Value::String(text)) => text.clone(),
                _ => String::new(),
            };
            Ok(Incoming::Post {
                actor: envelope.actor.clone(),
                id: id.to_string(),
                content,
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
    fn unknown_and_odd_shapes_are_ignored_not_refused() {
        let like = json!({"id": "https://m.example/l", "type": ["Like", "x:Extra"], "actor": {"id": "https://m.example/u"}, "object": "https://site.example/a/"});
        assert_eq!(
            read(like).unwrap(),
            Incoming::Other {
                kind: "Like".into()
            }
        );
        let other_follow = json!({"id": "https://m.example/f", "type": "Follow", "actor": "https://m.example/u", "object": "https://elsewhere.example/bob"});
        assert!(matches!(
            read(other_follow).unwrap(),
            Incoming::Other { .. }
        ));
    }
}
