//! The site among fediverse servers: a fake remote server of our own on
//! loopback plays Mastodon (WebFinger-less actor with its own key, an inbox
//! that verifies our signatures strictly and records what it got) and
//! sends signed activities to the site's inbox under a real Apache.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use affiche::federation::signatures::{self, SigningKey};
use http::Method;
use serde_json::{Value, json};

use crate::apache::Apache;
use crate::harness::{Site, http};

/// What the fake server's inbox received: (headers, body, signature check).
#[derive(Debug, Clone)]
struct Received {
    body: Value,
    verified: Result<(), String>,
}

/// A fake Mastodon: one user, `alice`, with her own RSA key.
struct Remote {
    base: String,
    key: SigningKey,
    document: Arc<Mutex<Value>>,
    inbox: Arc<Mutex<Vec<Received>>>,
    _server: Arc<tiny_http::Server>,
}

impl Remote {
    fn actor(&self) -> String {
        format!("{}/users/alice", self.base)
    }

    /// Starts the server; `our_key` is the site's public key, which its
    /// inbox uses to check our signatures, as Mastodon would after fetching
    /// our actor.
    fn start(our_public_key: String) -> Remote {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let pair = affiche::keys::generate(0).unwrap();
        let actor_id = format!("{base}/users/alice");
        let key = SigningKey::from_pem(&format!("{actor_id}#main-key"), &pair.private_pem).unwrap();
        let document = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor_id, "type": "Person", "preferredUsername": "alice", "name": "Alice",
            "inbox": format!("{actor_id}/inbox"),
            "endpoints": { "sharedInbox": format!("{base}/inbox") },
            "publicKey": { "id": format!("{actor_id}#main-key"), "owner": actor_id, "publicKeyPem": pair.public_pem },
        });
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let document = Arc::new(Mutex::new(document));
        let (server_ref, inbox_ref, document_ref) = (
            Arc::clone(&server),
            Arc::clone(&inbox),
            Arc::clone(&document),
        );
        std::thread::spawn(move || {
            for mut request in server_ref.incoming_requests() {
                let url = request.url().to_string();
                if request.method() == &tiny_http::Method::Get && url == "/users/alice" {
                    let body = document_ref.lock().unwrap().to_string();
                    let mut response = tiny_http::Response::from_string(body);
                    response.add_header(
                        tiny_http::Header::from_bytes("Content-Type", "application/activity+json")
                            .unwrap(),
                    );
                    let _ = request.respond(response);
                } else if request.method() == &tiny_http::Method::Post && url.ends_with("inbox") {
                    let mut body = Vec::new();
                    let _ = std::io::Read::read_to_end(request.as_reader(), &mut body);
                    let mut builder = http::Request::post(url.as_str());
                    for h in request.headers() {
                        builder = builder.header(h.field.as_str().as_str(), h.value.as_str());
                    }
                    let parsed = builder.body(body.clone()).unwrap();
                    let verified = signatures::check(&parsed, &url, jiff::Timestamp::now())
                        .and_then(|signed| signed.verify(&our_public_key))
                        .map_err(|e| e.to_string());
                    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    inbox_ref.lock().unwrap().push(Received { body, verified });
                    let _ = request.respond(tiny_http::Response::empty(202));
                } else {
                    let _ = request.respond(tiny_http::Response::empty(404));
                }
            }
        });
        Remote {
            base,
            key,
            document,
            inbox,
            _server: server,
        }
    }

    /// Replaces alice's key, as an admin rotating keys would: her actor
    /// document now lists the new one.
    fn rotate_key(&mut self) {
        let pair = affiche::keys::generate(0).unwrap();
        self.key =
            SigningKey::from_pem(&format!("{}#main-key", self.actor()), &pair.private_pem).unwrap();
        self.document.lock().unwrap()["publicKey"]["publicKeyPem"] = json!(pair.public_pem);
    }

    /// POSTs an activity to the site, signed with alice's key (or `key`),
    /// at time `now`; returns the status and response.
    fn post(
        &self,
        apache: &Apache,
        path: &str,
        activity: &Value,
        key: &SigningKey,
        now: jiff::Timestamp,
    ) -> (u16, String) {
        let body = activity.to_string();
        let url = format!("http://{}{path}", apache.address);
        let headers =
            signatures::sign(key, &Method::POST, &url, Some(body.as_bytes()), now).unwrap();
        let mut head = format!("POST {path} HTTP/1.0\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in &headers {
            head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
        }
        head.push_str("\r\n");
        http(&apache.address, &head, body.as_bytes())
    }

    /// Waits (polling, at most 20 s) until the inbox holds `count` activities.
    fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.inbox.lock().unwrap().clone();
            if got.len() >= count || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

fn federating_site() -> Site {
    let site = Site::new();
    let config = std::fs::read_to_string(&site.config).unwrap();
    std::fs::write(
        &site.config,
        config.replace(
            "allow_private_addresses_for_testing = false",
            "allow_private_addresses_for_testing = true",
        ),
    )
    .unwrap();
    site
}

fn our_public_key(apache: &Apache) -> String {
    let (status, response) = http(
        &apache.address,
        "GET /actor HTTP/1.0\r\nAccept: application/activity+json\r\n\r\n",
        b"",
    );
    assert_eq!(status, 200, "{response}");
    let body = response.split_once("\r\n\r\n").unwrap().1;
    let actor: Value = serde_json::from_str(body).unwrap();
    actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .to_string()
}

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
