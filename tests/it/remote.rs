//! A fake Mastodon on loopback, shared by the tests that need the site to
//! talk to another server: one user, `alice`, with her own RSA key, found
//! by WebFinger (`acct:alice@127.0.0.1:<port>`), with an avatar (a real PNG)
//! and optional `attributionDomains`; an inbox that verifies our signatures
//! strictly and records what it got; and a `post` helper that sends signed
//! activities to the site.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use affiche::federation::signatures::{self, SigningKey};
use http::Method;
use serde_json::{Value, json};

use crate::apache::Apache;
use crate::harness::{Site, http};

/// What the fake server's inbox received: the body and the signature check.
#[derive(Debug, Clone)]
pub struct Received {
    pub body: Value,
    pub verified: Result<(), String>,
}

/// The server's state, shared with its thread.
#[derive(Default)]
struct State {
    /// Actor documents by user name (`alice`, and any a test adds).
    actors: BTreeMap<String, Value>,
    /// Other documents (notes, `replies` collections) by path.
    objects: BTreeMap<String, Value>,
    inbox: Vec<Received>,
    /// Every request, as `METHOD /path?query`.
    requests: Vec<String>,
    /// The site's public key, which the inbox checks our signatures with.
    our_key: String,
}

/// A fake Mastodon: one user, `alice`, with her own RSA key.
pub struct Remote {
    pub base: String,
    pub key: SigningKey,
    state: Arc<Mutex<State>>,
    _server: Arc<tiny_http::Server>,
}

/// The avatar alice's actor points at: a small real PNG, a gradient.
pub fn avatar_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 64, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, ((x + y) * 2) as u8])
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

fn respond(request: tiny_http::Request, status: u16, content_type: &str, body: Vec<u8>) {
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    response.add_header(tiny_http::Header::from_bytes("Content-Type", content_type).unwrap());
    let _ = request.respond(response);
}

impl Remote {
    /// Starts the server; `our_public_key` is the site's public key, which
    /// its inbox uses to check our signatures, as Mastodon would after
    /// fetching our actor.
    pub fn start(our_public_key: String) -> Remote {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let pair = affiche::keys::generate(0).unwrap();
        let actor_id = format!("{base}/users/alice");
        let key = SigningKey::from_pem(&format!("{actor_id}#main-key"), &pair.private_pem).unwrap();
        let document = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor_id, "type": "Person", "preferredUsername": "alice", "name": "Alice",
            "url": format!("{base}/@alice"),
            "inbox": format!("{actor_id}/inbox"),
            "endpoints": { "sharedInbox": format!("{base}/inbox") },
            "icon": { "type": "Image", "mediaType": "image/png", "url": format!("{base}/avatar.png") },
            "publicKey": { "id": format!("{actor_id}#main-key"), "owner": actor_id, "publicKeyPem": pair.public_pem },
        });
        let state = Arc::new(Mutex::new(State {
            our_key: our_public_key,
            ..State::default()
        }));
        state
            .lock()
            .unwrap()
            .actors
            .insert("alice".into(), document);
        let (server_ref, state_ref, host) = (
            Arc::clone(&server),
            Arc::clone(&state),
            format!("127.0.0.1:{port}"),
        );
        let avatar = avatar_png();
        std::thread::spawn(move || {
            for mut request in server_ref.incoming_requests() {
                let url = request.url().to_string();
                let method = request.method().clone();
                state_ref
                    .lock()
                    .unwrap()
                    .requests
                    .push(format!("{method} {url}"));
                let path = url.split('?').next().unwrap_or_default().to_string();
                if method == tiny_http::Method::Get && path == "/.well-known/webfinger" {
                    let resource = url
                        .split_once("resource=")
                        .map(|(_, r)| r.split('&').next().unwrap_or_default().to_string())
                        .unwrap_or_default()
                        .replace("%3A", ":")
                        .replace("%40", "@");
                    let user = resource
                        .strip_prefix("acct:")
                        .and_then(|r| r.strip_suffix(&format!("@{host}")))
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let known = state_ref.lock().unwrap().actors.contains_key(&user);
                    if known {
                        let jrd = json!({
                            "subject": format!("acct:{user}@{host}"),
                            "links": [{
                                "rel": "self", "type": "application/activity+json",
                                "href": format!("http://{host}/users/{user}"),
                            }],
                        });
                        respond(
                            request,
                            200,
                            "application/jrd+json",
                            jrd.to_string().into_bytes(),
                        );
                    } else {
                        respond(request, 404, "text/plain", b"no such account".to_vec());
                    }
                } else if let Some(object) = (method == tiny_http::Method::Get)
                    .then(|| state_ref.lock().unwrap().objects.get(&path).cloned())
                    .flatten()
                {
                    respond(
                        request,
                        200,
                        "application/activity+json",
                        object.to_string().into_bytes(),
                    );
                } else if method == tiny_http::Method::Get && path == "/avatar.png" {
                    respond(request, 200, "image/png", avatar.clone());
                } else if method == tiny_http::Method::Get && path.starts_with("/users/") {
                    let user = path.trim_start_matches("/users/").to_string();
                    let document = state_ref.lock().unwrap().actors.get(&user).cloned();
                    match document {
                        Some(document) => respond(
                            request,
                            200,
                            "application/activity+json",
                            document.to_string().into_bytes(),
                        ),
                        None => respond(request, 404, "text/plain", Vec::new()),
                    }
                } else if method == tiny_http::Method::Post && path.ends_with("inbox") {
                    let mut body = Vec::new();
                    let _ = std::io::Read::read_to_end(request.as_reader(), &mut body);
                    let mut builder = http::Request::post(url.as_str());
                    for h in request.headers() {
                        builder = builder.header(h.field.as_str().as_str(), h.value.as_str());
                    }
                    let parsed = builder.body(body.clone()).unwrap();
                    let verified = signatures::check(&parsed, &url, jiff::Timestamp::now())
                        .and_then(|signed| {
                            let key = state_ref.lock().unwrap().our_key.clone();
                            signed.verify(&key)
                        })
                        .map_err(|e| e.to_string());
                    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    state_ref
                        .lock()
                        .unwrap()
                        .inbox
                        .push(Received { body, verified });
                    respond(request, 202, "text/plain", Vec::new());
                } else {
                    respond(request, 404, "text/plain", Vec::new());
                }
            }
        });
        Remote {
            base,
            key,
            state,
            _server: server,
        }
    }

    pub fn actor(&self) -> String {
        format!("{}/users/alice", self.base)
    }

    /// `127.0.0.1:<port>`
    pub fn host(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    /// `@alice@127.0.0.1:<port>`, as an author types it.
    pub fn handle(&self) -> String {
        format!("@alice@{}", self.host())
    }

    /// Alice's actor document as served now.
    pub fn document(&self) -> Value {
        self.state.lock().unwrap().actors["alice"].clone()
    }

    /// Changes alice's actor document.
    pub fn edit(&self, change: impl FnOnce(&mut Value)) {
        change(self.state.lock().unwrap().actors.get_mut("alice").unwrap());
    }

    /// Alice lets these domains credit her in link previews ("Websites
    /// allowed to credit you").
    pub fn set_attribution_domains(&self, domains: &[&str]) {
        self.edit(|doc| doc["attributionDomains"] = json!(domains));
    }

    /// Serves another account, found by WebFinger as `user@<host>` and
    /// fetched at `/users/<user>`, with whatever document the test gives.
    pub fn serve_actor(&self, user: &str, document: Value) {
        self.state
            .lock()
            .unwrap()
            .actors
            .insert(user.to_string(), document);
    }

    /// Serves a document (a note, a `replies` collection) at its id, which
    /// must be on this server.
    pub fn serve_object(&self, id: &str, document: Value) {
        let path = id
            .strip_prefix(&self.base)
            .unwrap_or_else(|| panic!("{id} is not on {}", self.base))
            .split('?')
            .next()
            .unwrap()
            .to_string();
        self.state.lock().unwrap().objects.insert(path, document);
    }

    /// The actor id of `user` on this server.
    pub fn actor_of(&self, user: &str) -> String {
        format!("{}/users/{user}", self.base)
    }

    /// Checks our signatures with this key from now on: for a site whose
    /// key is made after the fake started (the setup page makes it).
    pub fn trust(&self, our_public_key: String) {
        self.state.lock().unwrap().our_key = our_public_key;
    }

    /// Adds an account with its own RSA key, served like alice's (without
    /// an avatar); returns the key it signs with.
    pub fn add_user(&self, user: &str) -> SigningKey {
        let pair = affiche::keys::generate(0).unwrap();
        let actor_id = self.actor_of(user);
        let key = SigningKey::from_pem(&format!("{actor_id}#main-key"), &pair.private_pem).unwrap();
        self.serve_actor(
            user,
            json!({
                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                "id": actor_id, "type": "Person", "preferredUsername": user, "name": user.to_uppercase(),
                "url": format!("{}/@{user}", self.base),
                "inbox": format!("{actor_id}/inbox"),
                "endpoints": { "sharedInbox": format!("{}/inbox", self.base) },
                "publicKey": { "id": format!("{actor_id}#main-key"), "owner": actor_id, "publicKeyPem": pair.public_pem },
            }),
        );
        key
    }

    /// Replaces alice's key, as an admin rotating keys would: her actor
    /// document now lists the new one.
    pub fn rotate_key(&mut self) {
        let pair = affiche::keys::generate(0).unwrap();
        self.key =
            SigningKey::from_pem(&format!("{}#main-key", self.actor()), &pair.private_pem).unwrap();
        self.edit(|doc| doc["publicKey"]["publicKeyPem"] = json!(pair.public_pem));
    }

    /// POSTs an activity to the site, signed with `key`, at time `now`;
    /// returns the status and response.
    pub fn post(
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

    /// What the inbox holds now.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().inbox.clone()
    }

    /// Every request the server got so far (`GET /users/alice`, ...).
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Waits (polling, at most 20 s) until the inbox holds `count` activities.
    pub fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.received();
            if got.len() >= count || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// A site that may talk to loopback servers over plain http, with `edit`
/// applied to its configuration text.
pub fn federating_site_with(edit: impl FnOnce(String) -> String) -> Site {
    let site = Site::new();
    let config = std::fs::read_to_string(&site.config).unwrap();
    let config = config.replace(
        "allow_private_addresses_for_testing = false",
        "allow_private_addresses_for_testing = true",
    );
    std::fs::write(&site.config, edit(config)).unwrap();
    site
}

pub fn federating_site() -> Site {
    federating_site_with(|config| config)
}

/// The site actor's public key, as the fake remote would fetch it.
pub fn our_public_key(apache: &Apache) -> String {
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

/// Opens the site's database directly (to age a login, to count queued
/// deliveries), then gives the files back to the user Apache runs as.
pub fn with_db<T>(site: &Site, work: impl FnOnce(&rusqlite::Connection) -> T) -> T {
    let path = site.root().join("affiche.sqlite");
    let out = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        work(&conn)
    };
    crate::harness::give_to_apache(site);
    out
}
