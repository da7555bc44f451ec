//! Remote fetches against real HTTP servers on loopback: the library's
//! `Fetcher` (not the binary), with the testing switch that allows
//! `http://127.0.0.1`.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use affiche::federation::fetch::{
    ACTIVITY_ACCEPT, FetchErrorKind, FetchOptions, Fetcher, Unsigned, UrlPolicy, WEBFINGER_ACCEPT,
    user_agent,
};
use serde_json::{Value, json};

/// What a test server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    url: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send a `Content-Length` whatever the size (tiny_http chunks bodies
    /// of 32 KiB and more otherwise).
    announce_length: bool,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            announce_length: false,
        }
    }

    fn activity(document: Value) -> Reply {
        Reply::new(200, "application/activity+json", document.to_string())
    }

    fn redirect(status: u16, location: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
            announce_length: false,
        }
    }
}

/// A tiny_http server on a free loopback port, answering with `handler`
/// (given the request and the server's base URL) until dropped.
struct TestServer {
    base: String,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    fn start(handler: impl Fn(&Seen, &str) -> Reply + Send + 'static) -> TestServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, seen, base) = (server.clone(), seen.clone(), base.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let request_seen = Seen {
                        url: request.url().to_string(),
                        headers: request
                            .headers()
                            .iter()
                            .map(|h| (h.field.to_string(), h.value.to_string()))
                            .collect(),
                    };
                    seen.lock().unwrap().push(request_seen.clone());
                    let reply = handler(&request_seen, &base);
                    let headers = reply
                        .headers
                        .iter()
                        .map(|(name, value)| {
                            tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
                                .unwrap()
                        })
                        .collect();
                    let length = reply.body.len();
                    let mut response = tiny_http::Response::new(
                        tiny_http::StatusCode(reply.status),
                        headers,
                        std::io::Cursor::new(reply.body),
                        Some(length),
                        None,
                    );
                    if reply.announce_length {
                        response = response.with_chunked_threshold(usize::MAX);
                    }
                    // The client may have given up (timeouts, size cap).
                    let _ = request.respond(response);
                }
            })
        };
        TestServer {
            base,
            server,
            thread: Some(thread),
            seen,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn options() -> FetchOptions {
    let mut options = FetchOptions::new(
        user_agent("https://blog.test"),
        UrlPolicy::dangerously_allowing_private_addresses_for_testing(),
    );
    // Loopback answers at once; a slow test means a hang, not a slow network.
    options.total_timeout = Duration::from_secs(5);
    options
}

fn fetcher() -> Fetcher {
    Fetcher::new(options())
}

fn actor(id: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "preferredUsername": "alice",
        "inbox": format!("{id}/inbox"),
    })
}

/// Serves Alice's actor at `/users/alice`, with its own URL as id.
fn alice_server() -> TestServer {
    TestServer::start(|request, base| match request.url.as_str() {
        "/users/alice" => Reply::activity(actor(&format!("{base}/users/alice"))),
        _ => Reply::new(404, "text/plain", "not found"),
    })
}

fn kind_of(result: Result<Value, affiche::federation::fetch::FetchError>) -> FetchErrorKind {
    match result {
        Ok(document) => panic!("fetched {document}"),
        Err(e) => {
            // Every error reads as one line naming what was fetched.
            let text = e.to_string();
            assert!(text.contains(e.target()) && !text.contains('\n'), "{text}");
            e.kind().clone()
        }
    }
}

#[test]
fn a_good_actor_is_fetched() {
    let server = alice_server();
    let url = server.url("/users/alice");
    let document = fetcher().fetch_object(&url, &Unsigned).unwrap();
    assert_eq!(document, actor(&url));

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("Accept"), Some(ACTIVITY_ACCEPT));
    assert_eq!(
        seen[0].header("User-Agent"),
        Some(format!("Affiche/{} (+https://blog.test)", affiche::VERSION).as_str())
    );
}

#[test]
fn ld_json_with_the_activity_streams_profile_is_accepted() {
    let server = TestServer::start(|_, base| {
        Reply::new(
            200,
            "Application/LD+JSON; charset=UTF-8; profile=\"https://www.w3.org/ns/activitystreams\"",
            actor(&format!("{base}/actor")).to_string(),
        )
    });
    fetcher()
        .fetch_object(&server.url("/actor"), &Unsigned)
        .unwrap();
}

#[test]
fn a_wrong_content_type_is_refused() {
    for content_type in ["text/html", "application/json", "application/ld+json"] {
        let server = TestServer::start(move |_, base| {
            Reply::new(
                200,
                content_type,
                actor(&format!("{base}/actor")).to_string(),
            )
        });
        let kind = kind_of(fetcher().fetch_object(&server.url("/actor"), &Unsigned));
        assert_eq!(kind, FetchErrorKind::ContentType(content_type.into()));
    }
}

/// A document of exactly `size` bytes: an actor padded with spaces.
fn padded_actor(id: &str, size: usize) -> Vec<u8> {
    let mut body = actor(id).to_string().into_bytes();
    body.resize(size, b' ');
    body
}

#[test]
fn a_body_over_one_mebibyte_is_refused_chunked_or_announced() {
    for announce_length in [false, true] {
        let server = TestServer::start(move |_, base| {
            let body = padded_actor(&format!("{base}/actor"), 1024 * 1024 + 1);
            Reply {
                announce_length,
                ..Reply::new(200, "application/activity+json", body)
            }
        });
        let kind = kind_of(fetcher().fetch_object(&server.url("/actor"), &Unsigned));
        assert_eq!(
            kind,
            FetchErrorKind::TooLarge(1024 * 1024),
            "announced: {announce_length}"
        );
    }
}

#[test]
fn a_body_of_exactly_one_mebibyte_is_fine() {
    let server = TestServer::start(|_, base| {
        let body = padded_actor(&format!("{base}/actor"), 1024 * 1024);
        Reply::new(200, "application/activity+json", body)
    });
    fetcher()
        .fetch_object(&server.url("/actor"), &Unsigned)
        .unwrap();
}

#[test]
fn an_id_on_another_host_is_refused() {
    let server =
        TestServer::start(|_, _| Reply::activity(actor("https://victim.example/users/bob")));
    let kind = kind_of(fetcher().fetch_object(&server.url("/users/bob"), &Unsigned));
    assert_eq!(
        kind,
        FetchErrorKind::IdMismatch("https://victim.example/users/bob".into())
    );
    assert_eq!(
        server.seen().len(),
        1,
        "nothing is refetched from elsewhere"
    );
}

#[test]
fn an_id_on_the_same_host_is_refetched_once() {
    // Fetched by its profile URL, the actor names its canonical URL.
    let server = TestServer::start(|request, base| match request.url.as_str() {
        "/@alice" | "/users/alice" => Reply::activity(actor(&format!("{base}/users/alice"))),
        _ => Reply::new(404, "text/plain", "not found"),
    });
    let document = fetcher()
        .fetch_object(&server.url("/@alice"), &Unsigned)
        .unwrap();
    assert_eq!(document["id"], server.url("/users/alice"));
    let urls: Vec<String> = server.seen().into_iter().map(|s| s.url).collect();
    assert_eq!(urls, ["/@alice", "/users/alice"]);
}

#[test]
fn an_id_that_keeps_moving_is_refused_after_one_refetch() {
    let server = TestServer::start(|request, base| {
        Reply::activity(actor(&format!("{base}{}x", request.url)))
    });
    let kind = kind_of(fetcher().fetch_object(&server.url("/a"), &Unsigned));
    assert_eq!(kind, FetchErrorKind::IdMismatch(server.url("/axx")));
    assert_eq!(server.seen().len(), 2);
}

#[test]
fn a_missing_id_or_bad_json_is_refused() {
    let server = TestServer::start(|request, _| match request.url.as_str() {
        "/no-id" => Reply::activity(json!({"type": "Note"})),
        _ => Reply::new(200, "application/activity+json", "{not json"),
    });
    for path in ["/no-id", "/garbage"] {
        let kind = kind_of(fetcher().fetch_object(&server.url(path), &Unsigned));
        assert!(
            matches!(kind, FetchErrorKind::BadDocument(_)),
            "{path}: {kind}"
        );
    }
}

#[test]
fn a_redirect_chain_ends_at_the_document_whose_id_it_is() {
    let server = TestServer::start(|request, base| match request.url.as_str() {
        "/a" => Reply::redirect(301, "/b"),
        "/b" => Reply::redirect(302, &format!("{base}/users/alice")),
        "/users/alice" => Reply::activity(actor(&format!("{base}/users/alice"))),
        _ => Reply::new(404, "text/plain", "not found"),
    });
    let fetcher = fetcher();
    let document = fetcher.fetch_object(&server.url("/a"), &Unsigned).unwrap();
    assert_eq!(document["id"], server.url("/users/alice"));
    assert_eq!(fetcher.fetches_made(), 3);
}

#[test]
fn more_than_three_redirects_are_refused() {
    let server = TestServer::start(|request, _| {
        let n: u32 = request.url.trim_start_matches('/').parse().unwrap_or(0);
        Reply::redirect(307, &format!("/{}", n + 1))
    });
    let kind = kind_of(fetcher().fetch_object(&server.url("/0"), &Unsigned));
    assert_eq!(kind, FetchErrorKind::TooManyRedirects(3));
    assert_eq!(server.seen().len(), 4);
}

#[test]
fn redirect_targets_are_checked_before_they_are_requested() {
    for location in [
        "ftp://127.0.0.1/actor",
        "http://user:password@127.0.0.1/actor",
        "file:///etc/passwd",
    ] {
        let server = TestServer::start(move |_, _| Reply::redirect(302, location));
        let kind = kind_of(fetcher().fetch_object(&server.url("/actor"), &Unsigned));
        assert!(
            matches!(kind, FetchErrorKind::BadUrl(_)),
            "{location}: {kind}"
        );
    }
}

#[test]
fn a_redirect_to_a_private_address_is_refused_without_the_switch() {
    // The same check the fetch loop applies to every Location, with the
    // production policy (the loopback server itself is only reachable with
    // the switch on).
    let policy = UrlPolicy::public_https_only();
    let from = policy
        .check_url("https://social.example/users/alice")
        .unwrap();
    for location in [
        "https://127.0.0.1/",
        "https://10.0.0.1/actor",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/",
        "https://[fd00::1]/",
        "https://localhost/",
        "http://social.example/users/alice",
    ] {
        assert!(
            policy.check_redirect(&from, location).is_err(),
            "{location}"
        );
    }
    assert!(policy.check_redirect(&from, "/users/alice2").is_ok());
}

#[test]
fn the_production_policy_never_reaches_the_loopback_server() {
    let server = alice_server();
    let fetcher = Fetcher::new(FetchOptions {
        policy: UrlPolicy::public_https_only(),
        ..options()
    });
    let kind = kind_of(fetcher.fetch_object(&server.url("/users/alice"), &Unsigned));
    assert!(matches!(kind, FetchErrorKind::BadUrl(_)), "{kind}");
    let kind = kind_of(fetcher.fetch_object("https://127.0.0.1/users/alice", &Unsigned));
    assert!(matches!(kind, FetchErrorKind::Refused(_)), "{kind}");
    assert!(server.seen().is_empty());
}

#[test]
fn a_blocked_domain_is_never_asked_for_anything() {
    let server = alice_server();
    let fetcher = Fetcher::new(FetchOptions {
        blocked_domains: vec!["127.0.0.1".into()],
        ..options()
    });
    let kind = kind_of(fetcher.fetch_object(&server.url("/users/alice"), &Unsigned));
    assert!(
        matches!(kind, FetchErrorKind::BadUrl(ref why) if why.contains("blocks")),
        "{kind}"
    );
    let host = server.base.trim_start_matches("http://");
    let found = fetcher.webfinger(&format!("@alice@{host}"), &Unsigned);
    assert!(found.is_err(), "{found:?}");
    assert!(server.seen().is_empty());
}

#[test]
fn a_status_other_than_200_is_an_error() {
    let server = alice_server();
    let kind = kind_of(fetcher().fetch_object(&server.url("/users/nobody"), &Unsigned));
    assert_eq!(kind, FetchErrorKind::Status(404));
    assert!(kind.to_string().contains("404 Not Found"), "{kind}");
}

#[test]
fn a_slow_server_hits_the_timeout() {
    // The server holds the request until the test lets go: no sleeping.
    let (release, held) = mpsc::channel::<()>();
    let held = Mutex::new(held);
    let server = TestServer::start(move |_, base| {
        let _ = held.lock().unwrap().recv_timeout(Duration::from_secs(10));
        Reply::activity(actor(&format!("{base}/actor")))
    });
    let fetcher = Fetcher::new(FetchOptions {
        total_timeout: Duration::from_millis(300),
        ..options()
    });
    let started = Instant::now();
    let kind = kind_of(fetcher.fetch_object(&server.url("/actor"), &Unsigned));
    let took = started.elapsed();
    assert_eq!(kind, FetchErrorKind::Timeout);
    assert!(took < Duration::from_secs(3), "took {took:?}");
    drop(release);
}

#[test]
fn a_server_that_stalls_mid_body_hits_the_timeout() {
    // Headers and a first few bytes, then nothing: the deadline covers the
    // body too, not only the wait for the answer.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/actor", listener.local_addr().unwrap());
    let (release, held) = mpsc::channel::<()>();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = std::io::Read::read(&mut stream, &mut request);
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\n\
                    Content-Length: 1000\r\n\r\n{\"id\":";
        std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
        let _ = held.recv_timeout(Duration::from_secs(10));
    });
    let fetcher = Fetcher::new(FetchOptions {
        total_timeout: Duration::from_millis(300),
        ..options()
    });
    let started = Instant::now();
    let kind = kind_of(fetcher.fetch_object(&url, &Unsigned));
    let took = started.elapsed();
    assert_eq!(kind, FetchErrorKind::Timeout);
    assert!(took < Duration::from_secs(3), "took {took:?}");
    drop(release);
    server.join().unwrap();
}

#[test]
fn the_fetch_limit_stops_a_storm() {
    let server = alice_server();
    let fetcher = Fetcher::new(FetchOptions {
        max_fetches: 2,
        ..options()
    });
    let url = server.url("/users/alice");
    fetcher.fetch_object(&url, &Unsigned).unwrap();
    fetcher.fetch_object(&url, &Unsigned).unwrap();
    let kind = kind_of(fetcher.fetch_object(&url, &Unsigned));
    assert_eq!(kind, FetchErrorKind::TooManyFetches(2));
    assert_eq!(server.seen().len(), 2);
}

#[test]
fn a_signer_adds_headers_to_every_request_it_signs() {
    let server = TestServer::start(|request, base| match request.url.as_str() {
        "/a" => Reply::redirect(302, "/users/alice"),
        _ => Reply::activity(actor(&format!("{base}/users/alice"))),
    });
    let signed = Mutex::new(Vec::new());
    let signer = |method: &str, url: &str| -> anyhow::Result<Vec<(String, String)>> {
        signed.lock().unwrap().push(format!("{method} {url}"));
        Ok(vec![("Signature".into(), format!("test for {url}"))])
    };
    fetcher().fetch_object(&server.url("/a"), &signer).unwrap();
    assert_eq!(
        *signed.lock().unwrap(),
        [
            format!("GET {}", server.url("/a")),
            format!("GET {}", server.url("/users/alice"))
        ]
    );
    let seen = server.seen();
    let expected = format!("test for {}", server.url("/users/alice"));
    assert_eq!(seen[1].header("Signature"), Some(expected.as_str()));

    let failing = |_: &str, _: &str| -> anyhow::Result<Vec<(String, String)>> {
        Err(anyhow::anyhow!("no site key yet"))
    };
    let kind = kind_of(fetcher().fetch_object(&server.url("/a"), &failing));
    assert_eq!(kind, FetchErrorKind::Signing("no site key yet".into()));
}

/// A server with WebFinger for alice and her actor.
fn webfinger_server() -> TestServer {
    TestServer::start(|request, base| {
        let host = base.trim_start_matches("http://");
        let resource = format!("/.well-known/webfinger?resource=acct:alice@{host}");
        if request.url == resource {
            let jrd = json!({
                "subject": format!("acct:alice@{host}"),
                "links": [
                    {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
                     "href": format!("{base}/@alice")},
                    {"rel": "self", "type": "application/activity+json",
                     "href": format!("{base}/users/alice")},
                ],
            });
            return Reply::new(200, "application/jrd+json", jrd.to_string());
        }
        match request.url.as_str() {
            "/@alice" | "/users/alice" => Reply::activity(actor(&format!("{base}/users/alice"))),
            _ => Reply::new(404, "text/plain", "not found"),
        }
    })
}

#[test]
fn webfinger_round_trip() {
    let server = webfinger_server();
    let host = server.base.trim_start_matches("http://").to_string();
    let fetcher = fetcher();
    for handle in [
        format!("@alice@{host}"),
        format!("alice@{host}"),
        format!("acct:alice@{host}"),
    ] {
        let id = fetcher.webfinger(&handle, &Unsigned).unwrap();
        assert_eq!(id, server.url("/users/alice"), "{handle}");
    }
    let seen = server.seen();
    assert_eq!(seen[0].header("Accept"), Some(WEBFINGER_ACCEPT));

    // ... and the actor it names is fetched and matches.
    let id = fetcher
        .webfinger(&format!("alice@{host}"), &Unsigned)
        .unwrap();
    let document = fetcher.fetch_object(&id, &Unsigned).unwrap();
    assert_eq!(document["id"], id);
}

#[test]
fn webfinger_of_a_profile_url_gives_the_actor_id() {
    let server = webfinger_server();
    let id = fetcher()
        .webfinger(&server.url("/@alice"), &Unsigned)
        .unwrap();
    assert_eq!(id, server.url("/users/alice"));
}

#[test]
fn webfinger_failures_say_why() {
    let server = TestServer::start(|request, _| {
        if request.url.contains("acct:nolink@") {
            let jrd = json!({"subject": "acct:nolink@x", "links": [
                {"rel": "self", "type": "text/html", "href": "https://x.example/"}]});
            Reply::new(200, "application/jrd+json", jrd.to_string())
        } else if request.url.contains("acct:gone@") {
            Reply::new(410, "text/plain", "gone")
        } else {
            Reply::new(404, "text/plain", "not found")
        }
    });
    let host = server.base.trim_start_matches("http://").to_string();
    let fetcher = fetcher();
    let kind_for = |user: &str| {
        fetcher
            .webfinger(&format!("{user}@{host}"), &Unsigned)
            .unwrap_err()
            .kind()
            .clone()
    };
    assert_eq!(kind_for("nolink"), FetchErrorKind::NoActorLink);
    assert_eq!(kind_for("gone"), FetchErrorKind::Status(410));
    assert_eq!(kind_for("nobody"), FetchErrorKind::Status(404));
    let e = fetcher.webfinger("not a handle", &Unsigned).unwrap_err();
    assert!(matches!(e.kind(), FetchErrorKind::BadHandle(_)), "{e}");
}
