//! The owner's blocks applied to what the site sends: no delivery to a
//! blocked domain or account. Checked when deliveries are queued, and again
//! when the worker sends them, since the config may have changed in
//! between (a blocked row is then dropped with its reason, not retried).
//! Fetches of a blocked domain are refused by the fetcher itself
//! ([`crate::federation::fetch::FetchOptions::for_site`]).

use anyhow::Result;

use crate::config::Federation;
use crate::store::{Delivery, Store, url_host};

/// The inboxes a publication goes to: every follower's (its shared inbox
/// when it has one), each once, leaving out blocked followers and inboxes
/// on a blocked domain.
pub fn follower_inboxes(federation: &Federation, store: &Store) -> Result<Vec<String>> {
    let mut inboxes: Vec<String> = Vec::new();
    for (actor_id, handle, inbox) in store.follower_routes()? {
        if federation.blocks(&actor_id, &handle) || federation.blocks_host(&url_host(&inbox)) {
            continue;
        }
        if inboxes.last() != Some(&inbox) {
            inboxes.push(inbox);
        }
    }
    inboxes.dedup();
    Ok(inboxes)
}

/// Whether one inbox may be sent to at all (its domain not blocked).
pub fn inbox_allowed(federation: &Federation, inbox: &str) -> bool {
    !federation.blocks_host(&url_host(inbox))
}

/// Why a queued delivery must not be sent, if it must not: its inbox is on
/// a blocked domain, or it is the own inbox of blocked accounts only.
pub fn why_not_send(
    federation: &Federation,
    store: &Store,
    delivery: &Delivery,
) -> Result<Option<String>> {
    let host = &delivery.host;
    if federation.blocks_host(host) {
        return Ok(Some(format!(
            "not sent: {host} is a blocked domain (federation.blocked_domains)"
        )));
    }
    if federation.blocked_actors.is_empty() {
        return Ok(None);
    }
    let owners = store.actors_with_inbox(&delivery.inbox)?;
    if !owners.is_empty()
        && owners
            .iter()
            .all(|(actor_id, handle)| federation.blocks(actor_id, handle))
    {
        return Ok(Some(format!(
            "not sent: {} is a blocked account (federation.blocked_actors)",
            owners[0].0
        )));
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::RemoteActor;

    fn follower(store: &Store, id: &str, handle: &str, inbox: &str, shared: &str) {
        store
            .save_remote_actor(&RemoteActor {
                id: id.into(),
                handle: handle.into(),
                inbox: inbox.into(),
                shared_inbox: shared.into(),
                ..RemoteActor::default()
            })
            .unwrap();
        store.add_follower(id, &format!("{id}/follow"), 0).unwrap();
    }

    fn delivery(inbox: &str) -> Delivery {
        Delivery {
            id: 1,
            activity_id: "https://example.org/a".into(),
            body: "{}".into(),
            inbox: inbox.into(),
            host: url_host(inbox),
            attempts: 0,
            created_at: 0,
        }
    }

    #[test]
    fn blocked_followers_and_domains_get_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), true).unwrap();
        let m = "https://m.example";
        follower(
            &store,
            &format!("{m}/users/ann"),
            "ann@m.example",
            &format!("{m}/users/ann/inbox"),
            &format!("{m}/inbox"),
        );
        follower(
            &store,
            &format!("{m}/users/troll"),
            "troll@m.example",
            &format!("{m}/users/troll/inbox"),
            "",
        );
        follower(
            &store,
            "https://sub.spam.example/u/x",
            "x@sub.spam.example",
            "https://sub.spam.example/u/x/inbox",
            "https://sub.spam.example/inbox",
        );
        let federation = Federation {
            blocked_domains: vec!["spam.example".into()],
            blocked_actors: vec!["@troll@m.example".into()],
            ..Federation::default()
        };
        assert_eq!(
            follower_inboxes(&federation, &store).unwrap(),
            [format!("{m}/inbox")]
        );
        assert_eq!(
            follower_inboxes(&Federation::default(), &store)
                .unwrap()
                .len(),
            3
        );
        let why = |inbox: &str| why_not_send(&federation, &store, &delivery(inbox)).unwrap();
        assert!(
            why("https://sub.spam.example/inbox")
                .unwrap()
                .contains("blocked domain")
        );
        assert!(
            why(&format!("{m}/users/troll/inbox"))
                .unwrap()
                .contains("blocked account")
        );
        assert_eq!(why(&format!("{m}/inbox")), None);
        assert_eq!(why(&format!("{m}/users/ann/inbox")), None);
        assert!(!inbox_allowed(
            &federation,
            "https://spam.example:8443/inbox"
        ));
    }
}
