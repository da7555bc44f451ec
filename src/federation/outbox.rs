//! Activities the site sends and the collections it shows, built with
//! serde from store rows. Pure functions: delivery is the queue's job.

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::documents::Endpoints;

const AS: &str = "https://www.w3.org/ns/activitystreams";

/// A short stable token from a remote id, for ids of our own activities.
fn token(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// `Accept` of a Follow. Mastodon matches it by the Follow's id, so the
/// Follow is embedded as received (id, actor, object).
pub fn accept_follow(ends: &Endpoints, follow_id: &str, follower: &str) -> Value {
    json!({
        "@context": AS,
        "id": format!("{}#accepts/{}", ends.actor, token(follow_id)),
        "type": "Accept",
        "actor": ends.actor,
        "to": [follower],
        "object": {
            "id": follow_id,
            "type": "Follow",
            "actor": follower,
            "object": ends.actor,
        },
    })
}

/// The followers collection: its size only, as Mastodon shows by default
/// (the list of who follows a site is theirs to reveal, not ours).
pub fn followers_collection(ends: &Endpoints, count: usize) -> Value {
    json!({
        "@context": AS,
        "id": ends.followers,
        "type": "OrderedCollection",
        "totalItems": count,
    })
}

/// The `following` collection: the site follows no one.
pub fn following_collection(ends: &Endpoints) -> Value {
    json!({
        "@context": AS,
        "id": ends.following,
        "type": "OrderedCollection",
        "totalItems": 0,
        "orderedItems": [],
    })
}

/// The outbox: its size, and the newest publications as `Create`s.
pub fn outbox_collection(ends: &Endpoints, total: usize, newest: Vec<Value>) -> Value {
    let items: Vec<Value> = newest
        .into_iter()
        .map(|object| {
            let id = object["id"].as_str().unwrap_or_default().to_string();
            json!({
                "id": format!("{id}#create"),
                "type": "Create",
                "actor": ends.actor,
                "published": object["published"].clone(),
                "to": object["to"].clone(),
                "cc": object["cc"].clone(),
                "object": object,
            })
        })
        .collect();
    json!({
        "@context": AS,
        "id": ends.outbox,
        "type": "OrderedCollection",
        "totalItems": total,
        "orderedItems": items,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ends() -> Endpoints {
        let url = crate::config::parse_base_url("https://site.example", false).unwrap();
        Endpoints::from_parts(&url, "site")
    }

    #[test]
    fn an_accept_embeds_the_follow_mastodon_sent() {
        let accept = accept_follow(
            &ends(),
            "https://m.example/f/1",
            "https://m.example/users/a",
        );
        assert_eq!(accept["type"], "Accept");
        assert_eq!(accept["actor"], "https://site.example/actor");
        assert_eq!(accept["object"]["id"], "https://m.example/f/1");
        assert_eq!(accept["object"]["actor"], "https://m.example/users/a");
        assert_eq!(accept["object"]["object"], "https://site.example/actor");
        assert!(
            accept["id"]
                .as_str()
                .unwrap()
                .starts_with("https://site.example/actor#accepts/")
        );
        let again = accept_follow(
            &ends(),
            "https://m.example/f/1",
            "https://m.example/users/a",
        );
        assert_eq!(
            accept["id"], again["id"],
            "the same Follow gets the same Accept id"
        );
    }
}
