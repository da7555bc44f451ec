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

/// `Accept` (`accept` true) or `Reject` of a Join, as Mobilizon sends
/// them: from the site actor, the Join embedded with its id (Mobilizon
/// finds the participation by it), and an id derived from the Join's, so
/// the same Join always gets the same answer.
pub fn answer_join(
    ends: &Endpoints,
    accept: bool,
    join_id: &str,
    participant: &str,
    event_id: &str,
    at: i64,
) -> Value {
    let (kind, path) = if accept {
        ("Accept", "accepts")
    } else {
        ("Reject", "rejects")
    };
    json!({
        "@context": AS,
        // One id per answer, not per Join: an organizer who rejects then
        // approves sends a second answer, which the queue must not take
        // for a duplicate of the first.
        "id": format!("{}#{path}/join/{}/{at}", ends.actor, token(join_id)),
        "type": kind,
        "actor": ends.actor,
        "to": [participant],
        "cc": [],
        "object": {
            "id": join_id,
            "type": "Join",
            "actor": participant,
            "object": event_id,
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

/// A publication as its `Create` activity, for the outbox.
fn create(ends: &Endpoints, object: Value) -> Value {
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
}

/// The `Create` that announces a publication to followers and its author.
pub fn announce_create(ends: &Endpoints, object: Value) -> Value {
    let mut activity = create(ends, object);
    activity["@context"] = json!(AS);
    activity
}

/// The `Update` of a publication: Mastodon replaces the post when the
/// object carries `updated`. One id per version.
pub fn announce_update(ends: &Endpoints, object: Value, version: i64) -> Value {
    let id = object["id"].as_str().unwrap_or_default().to_string();
    json!({
        "@context": AS,
        "id": format!("{id}#update-{version}"),
        "type": "Update",
        "actor": ends.actor,
        "to": object["to"].clone(),
        "cc": object["cc"].clone(),
        "object": object,
    })
}

/// The `Delete` of a publication, with a `Tombstone` as Mastodon sends.
pub fn announce_delete(ends: &Endpoints, object_id: &str, to_cc: &Value, now: i64) -> Value {
    json!({
        "@context": AS,
        "id": format!("{object_id}#delete-{now}"),
        "type": "Delete",
        "actor": ends.actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": to_cc.clone(),
        "object": { "id": object_id, "type": "Tombstone" },
    })
}

/// A direct message from the site actor to one person: addressed to her
/// alone and mentioning her, which is what makes it a private mention on
/// Mastodon (FEDERATION.md §4). `text_html` follows the mention.
pub fn direct_message(
    ends: &Endpoints,
    recipient: &str,
    handle: &str,
    text_html: &str,
    now: i64,
    nonce: &str,
) -> Value {
    let published = jiff::Timestamp::from_second(now)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let note_id = format!("{}/dm/{}", ends.actor, token(nonce));
    let user = handle.split('@').next().unwrap_or(handle);
    let content = format!(
        "<p><span class=\"h-card\" translate=\"no\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span> {text_html}</p>",
        escape(recipient),
        escape(user)
    );
    json!({
        "@context": AS,
        "id": format!("{note_id}#create"),
        "type": "Create",
        "actor": ends.actor,
        "published": published,
        "to": [recipient],
        "cc": [],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": ends.actor,
            "published": published,
            "to": [recipient],
            "cc": [],
            "content": content,
            "tag": [{ "type": "Mention", "href": recipient, "name": format!("@{handle}") }],
        },
    })
}

/// A report forwarded to a remote server, in Mastodon's shape
/// (`ActivityPub::FlagSerializer`): from the site actor, so the reader who
/// reported stays unknown; `object` the reported account, then its posts;
/// `content` the reason, as plain text. Not wrapped in a Create. The id is
/// new for each forward of our report `report_id`.
pub fn flag(
    ends: &Endpoints,
    account: &str,
    posts: &[String],
    content: &str,
    report_id: i64,
    now: i64,
) -> Value {
    let mut object = vec![Value::from(account)];
    object.extend(posts.iter().map(|p| Value::from(p.as_str())));
    json!({
        "@context": AS,
        "id": format!("{}#flags/{report_id}/{}/{now}", ends.actor, token(account)),
        "type": "Flag",
        "actor": ends.actor,
        "content": content,
        "object": object,
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The outbox: its size, and either every publication (while they fit on
/// one page) or links to its first (newest) and last pages.
pub fn outbox_collection(
    ends: &Endpoints,
    total: usize,
    objects: Vec<Value>,
    first_and_last: Option<(String, String)>,
) -> Value {
    let mut collection = json!({
        "@context": AS,
        "id": ends.outbox,
        "type": "OrderedCollection",
        "totalItems": total,
    });
    match first_and_last {
        Some((first, last)) => {
            collection["first"] = Value::from(first);
            collection["last"] = Value::from(last);
        }
        None => {
            let items: Vec<Value> = objects.into_iter().map(|o| create(ends, o)).collect();
            collection["orderedItems"] = Value::from(items);
        }
    }
    collection
}

/// One page of the outbox, newest first; `next` goes to older items.
pub fn outbox_page(
    ends: &Endpoints,
    id: &str,
    objects: Vec<Value>,
    older: Option<String>,
    newer: Option<String>,
) -> Value {
    let items: Vec<Value> = objects.into_iter().map(|o| create(ends, o)).collect();
    let mut page = json!({
        "@context": AS,
        "id": id,
        "type": "OrderedCollectionPage",
        "partOf": ends.outbox,
        "orderedItems": items,
    });
    if let Some(older) = older {
        page["next"] = Value::from(older);
    }
    if let Some(newer) = newer {
        page["prev"] = Value::from(newer);
    }
    page
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

    #[test]
    fn answers_to_a_join_embed_it_and_keep_their_ids() {
        let join = "https://mbz.example/join/1";
        let bob = "https://mbz.example/@bob";
        let event = "https://site.example/events/picnic/";
        let accept = answer_join(&ends(), true, join, bob, event, 100);
        assert_eq!(accept["type"], "Accept");
        assert_eq!(accept["actor"], "https://site.example/actor");
        assert_eq!(accept["to"][0], bob);
        assert_eq!(accept["object"]["id"], join);
        assert_eq!(accept["object"]["type"], "Join");
        assert_eq!(accept["object"]["actor"], bob);
        assert_eq!(accept["object"]["object"], event);
        let reject = answer_join(&ends(), false, join, bob, event, 100);
        assert_eq!(reject["type"], "Reject");
        assert_ne!(accept["id"], reject["id"]);
        assert_eq!(
            accept["id"],
            answer_join(&ends(), true, join, bob, event, 100)["id"]
        );
        // An approval after a rejection is a new answer, not a duplicate.
        assert_ne!(
            accept["id"],
            answer_join(&ends(), true, join, bob, event, 200)["id"]
        );
        assert_ne!(
            accept["id"],
            answer_join(&ends(), true, "https://mbz.example/join/2", bob, event, 100)["id"]
        );
    }
}
