//! The site among fediverse servers: the fake Mastodon of `remote.rs` on
//! loopback (an actor with its own key, an inbox that verifies our
//! signatures strictly and records what it got) sends signed activities
//! to the site's inbox under a real Apache.

use affiche::federation::signatures::SigningKey;
use serde_json::{Value, json};

use crate::apache::Apache;
use crate::harness::{Site, http};
use crate::remote::{Remote, federating_site, our_public_key};

fn followers(site: &Site) -> u64 {
    let collection: Value = serde_json::from_str(&site.read("followers.json")).unwrap();
    collection["totalItems"].as_u64().unwrap()
}

#[test]
fn a_follow_is_accepted_with_a_signed_accept_and_an_undo_removes_it() {
    let site = federating_site();
    let apache = Apache::start(&site);
    let remote = Remote::start(our_public_key(&apache));
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/1", remote.base), "type": "Follow",
        "actor": remote.actor(), "object": "https://example.org/actor",
    });
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &follow,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}\n{}", apache.error_log());
    assert_eq!(followers(&site), 1);
    assert!(site.read("index.html").contains("1 follower"));

    // The Accept is delivered by the worker the request started.
    let received = remote.wait_for(1);
    assert_eq!(
        received.len(),
        1,
        "no Accept arrived\n{}",
        apache.error_log()
    );
    let accept = &received[0];
    assert_eq!(accept.verified, Ok(()), "our signature did not verify");
    assert_eq!(accept.body["type"], "Accept");
    assert_eq!(accept.body["actor"], "https://example.org/actor");
    assert_eq!(accept.body["object"]["id"], follow["id"]);

    // The same Follow again is a duplicate: no second follower, no second Accept.
    let (status, _) = remote.post(
        &apache,
        "/inbox",
        &follow,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202);
    assert_eq!(followers(&site), 1);

    let undo = json!({
        "id": format!("{}/follows/1/undo", remote.base), "type": "Undo",
        "actor": remote.actor(), "object": follow,
    });
    let (status, response) = remote.post(
        &apache,
        "/actor/inbox",
        &undo,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}");
    assert_eq!(followers(&site), 0);
}

#[test]
fn forged_replayed_and_garbage_activities_are_refused() {
    let site = federating_site();
    let apache = Apache::start(&site);
    let remote = Remote::start(our_public_key(&apache));
    let follow = |n: u32| {
        json!({
            "id": format!("{}/follows/{n}", remote.base), "type": "Follow",
            "actor": remote.actor(), "object": "https://example.org/actor",
        })
    };
    // Signed with a key that is not alice's, under alice's key id.
    let impostor = affiche::keys::generate(0).unwrap();
    let forged_key = SigningKey::from_pem(
        &format!("{}#main-key", remote.actor()),
        &impostor.private_pem,
    )
    .unwrap();
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &follow(1),
        &forged_key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 401, "{response}");
    assert!(response.contains("does not verify"), "{response}");

    // A Date two hours old: a replay.
    let old = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2);
    let (status, response) = remote.post(&apache, "/inbox", &follow(2), &remote.key, old);
    assert_eq!(status, 401, "{response}");

    // Signed by alice, but claiming to be bob on the same server.
    let mut bob = follow(3);
    bob["actor"] = json!(format!("{}/users/bob", remote.base));
    bob["id"] = json!(format!("{}/follows/3", remote.base));
    let (status, response) =
        remote.post(&apache, "/inbox", &bob, &remote.key, jiff::Timestamp::now());
    assert_eq!(status, 401, "{response}");
    assert!(response.contains("owner"), "{response}");

    // An activity id on another origin than its actor.
    let mut elsewhere = follow(4);
    elsewhere["id"] = json!("https://evil.example/follows/4");
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &elsewhere,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 400, "{response}");

    // Not JSON; not an ActivityPub content type; unsigned.
    let (status, response) = http(
        &apache.address,
        "POST /inbox HTTP/1.0\r\nContent-Type: application/activity+json\r\nContent-Length: 5\r\n\r\n",
        b"{oops",
    );
    assert_eq!(status, 400, "{response}");
    let (status, _) = http(
        &apache.address,
        "POST /inbox HTTP/1.0\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n",
        b"{}",
    );
    assert_eq!(status, 415);
    let body = follow(5).to_string();
    let (status, response) = http(
        &apache.address,
        &format!(
            "POST /inbox HTTP/1.0\r\nContent-Type: application/activity+json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ),
        body.as_bytes(),
    );
    assert_eq!(status, 401, "{response}");

    // An unknown type, properly signed: accepted and ignored.
    let dance =
        json!({"id": format!("{}/d/1", remote.base), "type": "Dance", "actor": remote.actor()});
    let (status, _) = remote.post(
        &apache,
        "/inbox",
        &dance,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202);
    assert_eq!(
        followers(&site),
        0,
        "nothing refused may have had an effect"
    );
}

#[test]
fn a_rotated_key_is_fetched_again_once() {
    let site = federating_site();
    let apache = Apache::start(&site);
    let mut remote = Remote::start(our_public_key(&apache));
    let follow = json!({
        "id": format!("{}/follows/r", remote.base), "type": "Follow",
        "actor": remote.actor(), "object": "https://example.org/actor",
    });
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &follow,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}");
    assert_eq!(followers(&site), 1);
    // The site has alice's old key cached; she now signs with a new one.
    remote.rotate_key();
    let undo = json!({
        "id": format!("{}/follows/r/undo", remote.base), "type": "Undo",
        "actor": remote.actor(), "object": follow,
    });
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &undo,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "the new key was not fetched: {response}");
    assert_eq!(followers(&site), 0);
}
