//! Incoming activities and actor documents, from hostile JSON: the bytes
//! parsed as JSON, and the same bytes driving a small generator of JSON
//! shaped like ActivityPub (the keys and values the checks look at).
//! `envelope`, `classify` and `remote_actor` never panic, and what they
//! accept keeps the origin and key rules.

#![no_main]

use affiche::federation::activity::{self, Incoming};
use affiche::federation::inbox::remote_actor;
use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

const US: &str = "https://site.example/actor";
const KEY_ID: &str = "https://a.example/u#main-key";

const KEYS: &[&str] = &[
    "id",
    "type",
    "actor",
    "object",
    "publicKey",
    "owner",
    "publicKeyPem",
    "preferredUsername",
    "inbox",
    "endpoints",
    "sharedInbox",
    "icon",
    "url",
    "name",
    "@context",
];

const STRINGS: &[&str] = &[
    US,
    KEY_ID,
    "https://a.example/u",
    "https://A.example/u",
    "https://a.example:443/u",
    "http://a.example/u",
    "https://b.example/u",
    "https://a.example/follow/1",
    "https://user@a.example/u",
    "https://",
    "acct:u@a.example",
    "ftp://a.example/u",
    "/relative",
    "Follow",
    "Undo",
    "Create",
    "Person",
    "",
    "\u{0}",
    "https://[::1]/u",
    "https://a.example:99999/u",
];

fn string(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(3, 4)? {
        Ok((*u.choose(STRINGS)?).to_string())
    } else {
        u.arbitrary()
    }
}

fn key(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(7, 8)? {
        Ok((*u.choose(KEYS)?).to_string())
    } else {
        u.arbitrary()
    }
}

fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let leaf = depth >= 4 || u.is_empty();
    // The top level is an object: anything else is refused at once.
    let choice = if depth == 0 {
        6
    } else if leaf {
        u.int_in_range(0..=4)?
    } else {
        u.int_in_range(0..=6)?
    };
    Ok(match choice {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => match u.int_in_range(0..=2)? {
            0 => Value::from(u.arbitrary::<i64>()?),
            1 => Value::from(u.arbitrary::<u64>()?),
            _ => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        },
        3 | 4 => Value::String(string(u)?),
        5 => {
            let len = u.int_in_range(0..=4)?;
            let mut items = Vec::new();
            for _ in 0..len {
                items.push(value(u, depth + 1)?);
            }
            Value::Array(items)
        }
        _ => {
            let len = u.int_in_range(0..=6)?;
            let mut map = Map::new();
            for _ in 0..len {
                map.insert(key(u)?, value(u, depth + 1)?);
            }
            Value::Object(map)
        }
    })
}

fn check(json: &Value) {
    if let Ok(envelope) = activity::envelope(json) {
        let actor_origin = activity::origin(&envelope.actor);
        assert!(
            actor_origin.is_some(),
            "envelope accepted an actor without an http(s) origin: {json}"
        );
        if let Some(id) = &envelope.id {
            assert_eq!(
                activity::origin(id),
                actor_origin,
                "envelope accepted an id off the actor's origin: {json}"
            );
        }
        match activity::classify(json, &envelope, US) {
            Ok(Incoming::Follow { id, actor }) => {
                assert_eq!(Some(&id), envelope.id.as_ref(), "Follow id: {json}");
                assert_eq!(actor, envelope.actor, "Follow actor: {json}");
            }
            Ok(Incoming::Unfollow { actor, .. }) => {
                assert_eq!(actor, envelope.actor, "Unfollow actor: {json}");
            }
            Ok(Incoming::Other { .. }) | Err(_) => {}
        }
    }
    if let Ok(actor) = remote_actor(json, Some(KEY_ID), 0) {
        assert_eq!(actor.key_id, KEY_ID, "another key accepted: {json}");
        assert_eq!(
            Some(actor.id.as_str()),
            json.get("id").and_then(Value::as_str),
            "actor id: {json}"
        );
    }
    let _ = remote_actor(json, None, 0);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(json) = serde_json::from_slice::<Value>(data) {
        check(&json);
    }
    let mut u = Unstructured::new(data);
    if let Ok(json) = value(&mut u, 0) {
        check(&json);
    }
});
