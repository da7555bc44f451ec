//! Authors, end to end: logging in with a fediverse handle (by a link sent
//! in a direct message, or by a code the author sends), the refusals
//! (rate limits, CSRF, policy, bad handles), and the editor's publish,
//! update and delete announced to the fediverse. Everything goes through
//! the real Apache and CGI; the fediverse is the fake Mastodon of
//! `remote.rs`, and the browser is [`Browser`], a cookie jar on top of the
//! harness's raw `http()`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::apache::Apache;
use crate::harness::{Site, http};
use crate::remote::{Received, Remote, federating_site_with, our_public_key, with_db};

/// The site's own actor (the harness's sites live at example.org).
const SITE_ACTOR: &str = "https://example.org/actor";

/// A browser without JavaScript: it keeps cookies, GETs pages and POSTs
/// forms, and follows nothing by itself.
pub struct Browser {
    address: String,
    pub cookies: BTreeMap<String, String>,
}

/// A response: status, head and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    }

    /// Where a redirect goes (empty when it is not one).
    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default()
    }

    /// The value of the first `name="…" value="…"` input of the page.
    pub fn field(&self, name: &str) -> String {
        let start = format!("name=\"{name}\" value=\"");
        let value = self
            .body
            .split_once(&start)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(value, _)| value)
            .unwrap_or_else(|| panic!("no field {name} in the page:\n{}", self.body));
        unescape(value)
    }

    /// The text inside the element with this id.
    pub fn by_id(&self, id: &str) -> String {
        let start = format!("id=\"{id}\"");
        let text = self
            .body
            .split_once(&start)
            .and_then(|(_, rest)| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split_once('<'))
            .map(|(text, _)| text)
            .unwrap_or_else(|| panic!("no #{id} in the page:\n{}", self.body));
        unescape(text.trim())
    }

    /// Whether the response sets this cookie to a non-empty value.
    pub fn sets_cookie(&self, name: &str) -> bool {
        self.head.lines().any(|l| {
            l.to_ascii_lowercase().starts_with("set-cookie:")
                && l.split_once(':').is_some_and(|(_, v)| {
                    v.trim().starts_with(&format!("{name}=")) && !v.contains("Max-Age=0")
                })
        })
    }
}

pub fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Browser {
    pub fn new(apache: &Apache) -> Browser {
        Browser::at(&apache.address)
    }

    /// A browser for any server on loopback (`affiche serve`, the demo).
    pub fn at(address: &str) -> Browser {
        Browser {
            address: address.to_string(),
            cookies: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, path: &str) -> Reply {
        self.request("GET", path, None)
    }

    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.request(
            "POST",
            path,
            Some((
                "application/x-www-form-urlencoded".into(),
                body.into_bytes(),
            )),
        )
    }

    /// A `multipart/form-data` POST, as a browser sends a file input.
    pub fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Reply {
        let boundary = "----affiche-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        let (name, filename, bytes) = file;
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.request(
            "POST",
            path,
            Some((format!("multipart/form-data; boundary={boundary}"), body)),
        )
    }

    fn request(&mut self, method: &str, path: &str, body: Option<(String, Vec<u8>)>) -> Reply {
        let mut head = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: affiche-test-browser\r\n"
        );
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            head.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        if let Some((content_type, body)) = &body {
            head.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        let (status, response) = http(
            &self.address,
            &head,
            body.as_ref().map(|(_, b)| b.as_slice()).unwrap_or_default(),
        );
        let (head, body) = response
            .split_once("\r\n\r\n")
            .map(|(h, b)| (h.to_string(), b.to_string()))
            .unwrap_or((response, String::new()));
        for line in head.lines() {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            if !name.trim().eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let pair = value.trim().split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || value.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        Reply { status, head, body }
    }
}

/// A site, its Apache and the fake remote; `edit` changes the config.
pub fn setup(edit: impl FnOnce(String) -> String) -> (Site, Apache, Remote) {
    let site = federating_site_with(edit);
    let apache = Apache::start(&site);
    let remote = Remote::start(our_public_key(&apache));
    (site, apache, remote)
}

/// How many deliveries were ever queued (done ones stay in the table).
fn deliveries(site: &Site) -> i64 {
    with_db(site, |db| {
        db.query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
            .unwrap()
    })
}

/// POSTs the login form for `handle` from `browser`, as the form's button.
fn ask(browser: &mut Browser, handle: &str, method: &str) -> Reply {
    let form = browser.get("/login");
    assert_eq!(form.status, 200, "{form:?}");
    let csrf = form.field("csrf");
    browser.post(
        "/login",
        &[("csrf", &csrf), ("handle", handle), ("method", method)],
    )
}

/// The token of the login link in a DM.
pub fn token_in(dm: &Received) -> String {
    let content = dm.body["object"]["content"].as_str().unwrap_or_default();
    let token: String = content
        .split_once("/login/link?token=")
        .unwrap_or_else(|| panic!("no login link in {content}"))
        .1
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43, "{content}");
    token
}

/// Asks for a login link from `browser`: returns the DM that arrived and
/// the pairing code the waiting page shows.
pub fn ask_for_link(apache: &Apache, remote: &Remote, browser: &mut Browser) -> (Received, String) {
    let before = remote.received().len();
    let asked = ask(browser, &remote.handle(), "link");
    assert_eq!(asked.status, 303, "{asked:?}\n{}", apache.error_log());
    assert_eq!(asked.location(), "/login/wait");
    assert!(browser.cookies.contains_key("affiche_login"));
    let wait = browser.get("/login/wait");
    assert_eq!(wait.status, 200, "{wait:?}");
    let pair = wait.by_id("pair-code");
    let got = remote.wait_for(before + 1);
    assert_eq!(
        got.len(),
        before + 1,
        "the login DM did not arrive\n{}",
        apache.error_log()
    );
    (got[before].clone(), pair)
}

/// A browser logged in as alice, through the link she was sent.
pub fn log_in(apache: &Apache, remote: &Remote) -> Browser {
    let mut browser = Browser::new(apache);
    let (dm, _) = ask_for_link(apache, remote, &mut browser);
    let token = token_in(&dm);
    let page = browser.get(&format!("/login/link?token={token}"));
    assert_eq!(page.status, 200, "{page:?}");
    let csrf = page.field("csrf");
    let done = browser.post("/login/link", &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(done.status, 303, "{done:?}\n{}", apache.error_log());
    assert_eq!(done.location(), "/editor/");
    assert!(browser.cookies.contains_key("affiche_session"));
    browser
}

fn is_mention_of(tag: &Value, actor: &str) -> bool {
    tag.as_array()
        .into_iter()
        .flatten()
        .any(|t| t["type"] == "Mention" && t["href"] == actor)
}

#[test]
fn a_login_link_sent_by_dm_is_bound_to_the_browser_and_works_once() {
    let (site, apache, remote) = setup(|c| c);
    let mut first = Browser::new(&apache);
    let (dm, pair) = ask_for_link(&apache, &remote, &mut first);

    // The DM: signed by us, a Create of a Note to alice only, mentioning her.
    assert_eq!(dm.verified, Ok(()), "our signature did not verify");
    assert_eq!(dm.body["type"], "Create");
    assert_eq!(dm.body["actor"], SITE_ACTOR);
    let note = &dm.body["object"];
    assert_eq!(note["type"], "Note");
    assert_eq!(note["to"], json!([remote.actor()]), "{note}");
    assert_eq!(note["cc"], json!([]), "{note}");
    assert_eq!(dm.body["to"], json!([remote.actor()]));
    assert_eq!(dm.body["cc"], json!([]));
    assert!(is_mention_of(&note["tag"], &remote.actor()), "{note}");
    assert!(
        !note.to_string().contains("as#Public"),
        "the DM is public: {note}"
    );
    let token = token_in(&dm);
    assert!(
        note["content"]
            .as_str()
            .unwrap()
            .contains(&format!("https://example.org/login/link?token={token}"))
    );
    assert_eq!(pair.len(), 9, "pair code {pair:?}");

    // A GET (a link preview, a scanner, the author opening the link) only
    // shows a button: no session, and the token is not spent.
    for _ in 0..2 {
        let preview = Browser::new(&apache).get(&format!("/login/link?token={token}"));
        assert_eq!(preview.status, 200, "{preview:?}");
        assert!(!preview.sets_cookie("affiche_session"), "{preview:?}");
        assert!(
            preview.body.contains("name=\"pair\""),
            "another browser must give the code"
        );
    }
    let page = first.get(&format!("/login/link?token={token}"));
    assert_eq!(page.status, 200);
    assert!(!page.sets_cookie("affiche_session"));
    assert!(
        !page.body.contains("name=\"pair\""),
        "the same browser needs no code"
    );
    assert!(!first.cookies.contains_key("affiche_session"));
    let editor = first.get("/editor/");
    assert_eq!(editor.status, 303, "a GET logged in: {editor:?}");
    assert_eq!(editor.location(), "/login");

    // The POST from the browser that asked logs in.
    let csrf = page.field("csrf");
    let done = first.post("/login/link", &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(done.status, 303, "{done:?}\n{}", apache.error_log());
    assert_eq!(done.location(), "/editor/");
    assert!(done.sets_cookie("affiche_session"), "{done:?}");
    let editor = first.get("/editor/");
    assert_eq!(editor.status, 200, "{editor:?}");
    assert!(editor.body.contains("My articles"));
    assert!(editor.body.contains(&format!("@alice@{}", remote.host())));

    // Once only.
    let again = first.post("/login/link", &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(again.status, 410, "{again:?}");
    let again = Browser::new(&apache).get(&format!("/login/link?token={token}"));
    assert_eq!(again.status, 410);

    // Another browser (no pending-login cookie) needs the code shown where
    // the login was asked.
    let mut asker = Browser::new(&apache);
    let (dm, pair) = ask_for_link(&apache, &remote, &mut asker);
    let token = token_in(&dm);
    let mut other = Browser::new(&apache);
    let page = other.get(&format!("/login/link?token={token}"));
    assert_eq!(page.status, 200);
    let csrf = page.field("csrf");
    let refused = other.post("/login/link", &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(!other.cookies.contains_key("affiche_session"));
    let refused = other.post(
        "/login/link",
        &[("csrf", &csrf), ("token", &token), ("pair", "ABCD-EFGH")],
    );
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(refused.body.contains("tries left"), "{}", refused.body);
    // Typed in lower case without the dash: still the code.
    let typed = pair.replace('-', "").to_lowercase();
    let done = other.post(
        "/login/link",
        &[("csrf", &csrf), ("token", &token), ("pair", &typed)],
    );
    assert_eq!(done.status, 303, "{done:?}");
    assert_eq!(done.location(), "/editor/");
    assert_eq!(other.get("/editor/").status, 200);
    // The asking browser did not get a session from someone else's click.
    assert_eq!(asker.get("/editor/").status, 303);

    // Five wrong codes spend the link, even for the right code after.
    // (Each login is asked from a new browser: the same browser asking
    // again within a minute is a double click, and gets its first login.)
    let mut asker = Browser::new(&apache);
    let (dm, pair) = ask_for_link(&apache, &remote, &mut asker);
    let token = token_in(&dm);
    let mut guesser = Browser::new(&apache);
    let csrf = guesser
        .get(&format!("/login/link?token={token}"))
        .field("csrf");
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let wrong = if pair == "ABCD-EFGH" {
            "HGFE-DCBA"
        } else {
            "ABCD-EFGH"
        };
        let reply = guesser.post(
            "/login/link",
            &[("csrf", &csrf), ("token", &token), ("pair", wrong)],
        );
        statuses.push(reply.status);
    }
    assert_eq!(statuses, [403, 403, 403, 403, 410]);
    let late = guesser.post(
        "/login/link",
        &[("csrf", &csrf), ("token", &token), ("pair", &pair)],
    );
    assert_eq!(late.status, 410, "{late:?}");
    let late = asker.post("/login/link", &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(
        late.status, 410,
        "the burnt link still works in the asking browser"
    );

    // An expired link (15 minutes) no longer works.
    let mut asker = Browser::new(&apache);
    let (dm, _) = ask_for_link(&apache, &remote, &mut asker);
    let token = token_in(&dm);
    let csrf = asker
        .get(&format!("/login/link?token={token}"))
        .field("csrf");
    with_db(&site, |db| {
        db.execute("UPDATE login_requests SET expires_at = 0", [])
            .unwrap()
    });
    let expired = asker.get(&format!("/login/link?token={token}"));
    assert_eq!(expired.status, 410, "{expired:?}");
    let expired = asker.post("/login/link", &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(expired.status, 410, "{expired:?}");
    assert!(!asker.cookies.contains_key("affiche_session"));
}

#[test]
fn a_code_sent_to_the_site_by_the_author_logs_the_waiting_browser_in() {
    let (site, apache, remote) = setup(|c| c);
    let mut browser = Browser::new(&apache);
    let asked = ask(&mut browser, &remote.handle(), "code");
    assert_eq!(asked.status, 303, "{asked:?}\n{}", apache.error_log());
    assert_eq!(asked.location(), "/login/wait");
    let wait = browser.get("/login/wait");
    assert_eq!(wait.status, 200, "{wait:?}");
    let code = wait.by_id("dm-code");
    assert_eq!(code.len(), 9, "{code:?}");
    // It waits without a timed refresh (tests/it/a11y.rs sees it move on).
    assert!(!wait.body.contains("http-equiv=\"refresh\""));
    assert!(wait.body.contains("fetch(location.href"));
    assert_eq!(deliveries(&site), 0, "the code method sends nothing");

    let note = |n: u32, text: &str| {
        let id = format!("{}/users/alice/statuses/{n}", remote.base);
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{id}/activity"), "type": "Create", "actor": remote.actor(),
            "to": [SITE_ACTOR], "cc": [],
            "object": {
                "id": id, "type": "Note", "attributedTo": remote.actor(),
                "to": [SITE_ACTOR], "cc": [],
                "content": format!("<p><span class=\"h-card\"><a href=\"{SITE_ACTOR}\" class=\"u-url mention\">@<span>site</span></a></span> {text}</p>"),
                "tag": [{"type": "Mention", "href": SITE_ACTOR, "name": "@site@example.org"}],
            },
        })
    };
    // A wrong code proves nothing.
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &note(1, "my code is ZZZZ-ZZZZ"),
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}\n{}", apache.error_log());
    let still = browser.get("/login/wait");
    assert_eq!(still.status, 200, "{still:?}");
    assert!(!browser.cookies.contains_key("affiche_session"));

    // The right code, in lower case inside a sentence, as people type it.
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &note(2, &format!("here it is: {}", code.to_lowercase())),
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}\n{}", apache.error_log());
    let done = browser.get("/login/wait");
    assert_eq!(done.status, 303, "{done:?}\n{}", apache.error_log());
    assert_eq!(done.location(), "/editor/");
    assert!(done.sets_cookie("affiche_session"));
    let editor = browser.get("/editor/");
    assert_eq!(editor.status, 200, "{editor:?}");
    assert!(editor.body.contains("My articles"));
    // The login is spent.
    let after = Browser::new(&apache).get("/login/wait");
    assert_eq!(after.status, 200);
    assert!(!after.sets_cookie("affiche_session"));
}

#[test]
fn login_messages_are_rate_limited_per_handle() {
    let (site, apache, remote) = setup(|c| {
        c.replace(
            "logins_per_handle_per_hour = 5",
            "logins_per_handle_per_hour = 2",
        )
    });
    // Two browsers (a phone, a laptop) each ask for a link.
    for _ in 0..2 {
        let asked = ask(&mut Browser::new(&apache), &remote.handle(), "link");
        assert_eq!(asked.status, 303, "{asked:?}\n{}", apache.error_log());
    }
    let refused = ask(&mut Browser::new(&apache), &remote.handle(), "link");
    assert_eq!(refused.status, 429, "{refused:?}");
    let minutes: u32 = refused
        .body
        .split_once("Try again in ")
        .and_then(|(_, rest)| rest.split_once(" minutes"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no 'Try again in N minutes': {}", refused.body));
    assert!((1..=60).contains(&minutes), "{minutes}");
    // The same handle written otherwise is the same account.
    let shouting = format!("@ALICE@{}", remote.host());
    assert_eq!(
        ask(&mut Browser::new(&apache), &shouting, "link").status,
        429
    );
    assert_eq!(deliveries(&site), 2, "a refused login queued a message");
    assert_eq!(remote.wait_for(2).len(), 2);
    // Sending us a code sends nothing, so it is not limited per handle.
    assert_eq!(
        ask(&mut Browser::new(&apache), &remote.handle(), "code").status,
        303
    );
}

/// A double click on "Send me a login link" sends one message, and only
/// that message counts against the hourly limit of messages.
#[test]
fn a_double_click_sends_one_login_message_and_counts_once() {
    let (site, apache, remote) = setup(|c| {
        c.replace(
            "logins_per_handle_per_hour = 5",
            "logins_per_handle_per_hour = 2",
        )
    });
    let mut browser = Browser::new(&apache);
    let first = ask(&mut browser, &remote.handle(), "link");
    assert_eq!(first.status, 303, "{first:?}");
    let cookie = browser.cookies["affiche_login"].clone();
    let second = ask(&mut browser, &remote.handle(), "link");
    assert_eq!(second.status, 303, "{second:?}");
    assert_eq!(second.location(), "/login/wait");
    assert_eq!(
        browser.cookies["affiche_login"], cookie,
        "a second login started"
    );
    assert_eq!(deliveries(&site), 1, "the double click sent two messages");
    // One message was sent: another browser may still ask for the second.
    let other = ask(&mut Browser::new(&apache), &remote.handle(), "link");
    assert_eq!(
        other.status, 303,
        "the double click used up the hourly limit although it sent nothing: {}",
        other.body
    );
    assert_eq!(remote.wait_for(2).len(), 2);
}

#[test]
fn login_forms_without_the_csrf_token_are_refused() {
    let (site, apache, remote) = setup(|c| c);
    let mut browser = Browser::new(&apache);
    let form = browser.get("/login");
    let csrf = form.field("csrf");
    assert_eq!(csrf.len(), 43);
    assert_eq!(browser.cookies.get("affiche_csrf"), Some(&csrf));
    let handle = remote.handle();
    let wrong = "A".repeat(43);
    for fields in [
        vec![("handle", handle.as_str()), ("method", "link")],
        vec![
            ("handle", handle.as_str()),
            ("method", "link"),
            ("csrf", wrong.as_str()),
        ],
        vec![
            ("handle", handle.as_str()),
            ("method", "code"),
            ("csrf", ""),
        ],
    ] {
        let refused = browser.post("/login", &fields);
        assert_eq!(refused.status, 403, "{fields:?}: {refused:?}");
        assert!(refused.body.contains("expired"), "{}", refused.body);
    }
    // The right token from a browser without the cookie: a forged form.
    let mut forger = Browser::new(&apache);
    let forged = forger.post(
        "/login",
        &[("handle", &handle), ("method", "link"), ("csrf", &csrf)],
    );
    assert_eq!(forged.status, 403, "{forged:?}");
    assert!(
        remote.requests().is_empty(),
        "the site looked the handle up: {:?}",
        remote.requests()
    );
    assert_eq!(deliveries(&site), 0);
    let count: i64 = with_db(&site, |db| {
        db.query_row("SELECT count(*) FROM login_requests", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(count, 0);
}

#[test]
fn handles_outside_the_author_policy_are_refused_before_any_lookup() {
    let (site, apache, remote) = setup(|c| {
        c.replace(
            "policy = \"open\"\ninstances = []\nhandles = []",
            "policy = \"handles\"\ninstances = []\nhandles = [\"@bob@example.social\"]",
        )
    });
    let mut browser = Browser::new(&apache);
    let refused = ask(&mut browser, &remote.handle(), "link");
    assert!(
        refused.status == 403 || refused.status == 422,
        "{refused:?}"
    );
    assert!(
        unescape(&refused.body).contains("is not on this site's list of authors"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(&format!("alice@{}", remote.host())));
    assert!(
        remote.requests().is_empty(),
        "the fake remote was asked: {:?}",
        remote.requests()
    );
    assert_eq!(deliveries(&site), 0);
    assert!(remote.received().is_empty());
}

#[test]
fn bad_handles_are_refused_with_a_clear_message_and_nothing_is_sent() {
    let (site, apache, remote) = setup(|c| c);
    remote.serve_actor(
        "mute",
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/users/mute", remote.base), "type": "Person",
            "preferredUsername": "mute",
            "publicKey": {
                "id": format!("{}/users/mute#main-key", remote.base),
                "owner": format!("{}/users/mute", remote.base),
                "publicKeyPem": remote.document()["publicKey"]["publicKeyPem"],
            },
        }),
    );
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let host = remote.host();
    let cases = [
        (format!("@alice @{host}"), "not a fediverse handle"),
        (format!("@alicé@{host}"), "not a fediverse handle"),
        (format!("@alice@{host}."), "not a fediverse handle"),
        ("alice".to_string(), "not a fediverse handle"),
        (format!("@alice@127.0.0.1:{closed}"), "Could not find"),
        (format!("@mute@{host}"), "inbox"),
    ];
    let mut browser = Browser::new(&apache);
    let mut failures = Vec::new();
    for (handle, expected) in &cases {
        let reply = ask(&mut browser, handle, "link");
        let message = unescape(
            reply
                .body
                .split_once("id=\"login-error\">")
                .and_then(|(_, rest)| rest.split_once('<'))
                .map(|(m, _)| m)
                .unwrap_or_default(),
        );
        if reply.status != 422 || !message.contains(expected) {
            failures.push(format!(
                "{handle:?}: {} {message:?} (expected 422 and {expected:?})",
                reply.status
            ));
        }
        // The form comes back with what was typed, to correct it.
        assert!(
            reply.body.contains("name=\"handle\""),
            "{handle:?}: {reply:?}"
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(deliveries(&site), 0);
    assert!(remote.received().is_empty());
    assert!(!browser.cookies.contains_key("affiche_login"));
}

/// Alice's announcements of one article, by type, as the fake received them.
fn announcements(remote: &Remote, object_id: &str, kind: &str) -> Vec<Received> {
    remote
        .received()
        .into_iter()
        .filter(|r| r.body["type"] == kind)
        .filter(|r| r.body["object"] == object_id || r.body["object"]["id"] == object_id)
        .collect()
}

/// Waits until the fake holds an announcement of this type for the object.
fn wait_announcement(remote: &Remote, object_id: &str, kind: &str) -> Received {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(found) = announcements(remote, object_id, kind).pop() {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {kind} of {object_id} arrived: {:#?}",
            remote.received()
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

#[test]
fn publishing_updating_and_deleting_are_announced_mentioning_the_author() {
    let (site, apache, remote) = setup(|c| c);
    let mut alice = log_in(&apache, &remote);
    // No attributionDomains: the editor explains how to allow the credit.
    let list = alice.get("/editor/");
    assert!(list.body.contains("Websites allowed to credit you"));
    let form = alice.get("/editor/new");
    assert_eq!(form.status, 200, "{form:?}");
    let (csrf, key) = (form.field("csrf"), form.field("form_key"));
    let published = alice.post(
        "/editor/new",
        &[
            ("csrf", &csrf),
            ("form_key", &key),
            ("title", "Notes from the harbour"),
            ("body", "The boats came in at *dawn*."),
            ("summary", ""),
            ("tags", "Sea, Boats"),
            ("lang", "en"),
            ("action", "publish"),
        ],
    );
    assert_eq!(
        published.status,
        303,
        "{published:?}\n{}",
        apache.error_log()
    );
    let edit_path = published.location();
    assert!(
        edit_path.starts_with("/editor/") && edit_path.ends_with("?notice=published"),
        "{edit_path}"
    );
    let edit_path = edit_path.split('?').next().unwrap().to_string();

    let url = "https://example.org/articles/notes-from-the-harbour/";
    let (status, page) = apache.get("/articles/notes-from-the-harbour/");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("The boats came in at <em>dawn</em>."),
        "{page}"
    );
    let (_, home) = apache.get("/");
    assert!(home.contains("Notes from the harbour"));

    let create = wait_announcement(&remote, url, "Create");
    assert_eq!(create.verified, Ok(()));
    assert_eq!(create.body["actor"], SITE_ACTOR);
    let object = &create.body["object"];
    assert_eq!(object["type"], "Note", "{object}");
    assert!(is_mention_of(&object["tag"], &remote.actor()), "{object}");
    for cc in [&object["cc"], &create.body["cc"]] {
        assert!(
            cc.as_array().unwrap().contains(&json!(remote.actor())),
            "the author is not in cc: {cc}"
        );
    }
    assert!(
        object["to"]
            .as_array()
            .unwrap()
            .contains(&json!("https://www.w3.org/ns/activitystreams#Public")),
        "{object}"
    );

    // An update: the page changes, an Update follows.
    let form = alice.get(&edit_path);
    assert_eq!(form.status, 200);
    let updated = alice.post(
        &edit_path,
        &[
            ("csrf", &form.field("csrf")),
            ("form_key", ""),
            ("title", "Notes from the harbour"),
            ("body", "The boats came in at noon, late."),
            ("summary", ""),
            ("tags", "Sea, Boats"),
            ("lang", "en"),
            ("action", "save"),
        ],
    );
    assert_eq!(updated.status, 303, "{updated:?}");
    assert!(
        updated.location().ends_with("?notice=updated"),
        "{updated:?}"
    );
    let (_, page) = apache.get("/articles/notes-from-the-harbour/");
    assert!(page.contains("The boats came in at noon, late."), "{page}");
    assert!(!page.contains("dawn"));
    let update = wait_announcement(&remote, url, "Update");
    assert_eq!(update.verified, Ok(()));
    assert_eq!(update.body["object"]["id"], url);
    assert_eq!(announcements(&remote, url, "Create").len(), 1);

    // Delete: a confirmation first, then a gone page, a Tombstone, out of
    // every list, and a Delete.
    let confirm = alice.post(edit_path.as_str(), &[("csrf", &csrf), ("action", "delete")]);
    assert_eq!(confirm.status, 200, "{confirm:?}");
    assert!(confirm.body.contains("value=\"delete-confirmed\""));
    let (_, page) = apache.get("/articles/notes-from-the-harbour/");
    assert!(page.contains("noon"), "asking for confirmation deleted it");
    let deleted = alice.post(
        edit_path.as_str(),
        &[
            ("csrf", &confirm.field("csrf")),
            ("action", "delete-confirmed"),
        ],
    );
    assert_eq!(deleted.status, 303, "{deleted:?}");
    assert_eq!(deleted.location(), "/editor/?notice=deleted");
    let (_, page) = apache.get("/articles/notes-from-the-harbour/");
    assert!(page.contains("Article removed"), "{page}");
    assert!(!page.contains("noon"));
    let (status, twin) = http(
        &apache.address,
        "GET /articles/notes-from-the-harbour/ HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/activity+json\r\n\r\n",
        b"",
    );
    assert_eq!(status, 200, "{twin}");
    let twin: Value = serde_json::from_str(twin.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(twin["type"], "Tombstone", "{twin}");
    assert_eq!(twin["id"], url);
    for path in ["/", "/feed.atom", "/articles/"] {
        let (_, list) = apache.get(path);
        assert!(
            !list.contains("Notes from the harbour") && !list.contains("notes-from-the-harbour"),
            "{path} still lists the deleted article:\n{list}"
        );
    }
    let delete = wait_announcement(&remote, url, "Delete");
    assert_eq!(delete.verified, Ok(()));
    let list = alice.get("/editor/");
    assert!(
        !list.body.contains("Notes from the harbour"),
        "{}",
        list.body
    );
    assert_eq!(alice.get(&edit_path).status, 404);
    assert!(site.exists("articles/notes-from-the-harbour/index.html"));
}

#[test]
fn the_editor_makes_one_article_per_form_sanitizes_it_and_uses_the_copied_avatar() {
    let (site, apache, remote) = setup(|c| c);
    // Her profile lets example.org credit her in link previews.
    remote.set_attribution_domains(&["other.example", "example.org"]);
    let mut alice = log_in(&apache, &remote);
    let list = alice.get("/editor/");
    assert!(
        list.body.contains("Your profile lets this site credit you"),
        "{}",
        list.body
    );
    let form = alice.get("/editor/new");
    let (csrf, key) = (form.field("csrf"), form.field("form_key"));
    let body = "Safe text.\n\n<script>alert('owned')</script>\n\n\
                <img src=\"x\" onerror=\"alert(2)\">\n\n[click](javascript:alert(3))\n\n\
                <a href=\"https://example.net/\" onclick=\"alert(4)\">fine link</a>";
    let fields = [
        ("csrf", csrf.as_str()),
        ("form_key", key.as_str()),
        ("title", "Twice sent"),
        ("body", body),
        ("summary", "A summary."),
        ("tags", ""),
        ("lang", "en"),
        ("action", "publish"),
    ];
    // A double click on Publish: the same form twice.
    let first = alice.post("/editor/new", &fields);
    let second = alice.post("/editor/new", &fields);
    assert_eq!(first.status, 303, "{first:?}\n{}", apache.error_log());
    assert_eq!(second.status, 303, "{second:?}");
    let id = |r: &Reply| r.location().split('?').next().unwrap().to_string();
    assert_eq!(id(&first), id(&second), "two articles from one form");
    let count: i64 = with_db(&site, |db| {
        db.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(count, 1);
    let url = "https://example.org/articles/twice-sent/";
    wait_announcement(&remote, url, "Create");

    let (status, page) = apache.get("/articles/twice-sent/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Safe text."));
    assert!(page.contains("fine link"));
    for bad in ["<script", "onerror", "onclick", "javascript:", "alert("] {
        assert!(!page.contains(bad), "{bad} survived in the page:\n{page}");
    }
    let (_, twin) = http(
        &apache.address,
        "GET /articles/twice-sent/ HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/activity+json\r\n\r\n",
        b"",
    );
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!twin.contains(bad), "{bad} survived in the twin:\n{twin}");
    }

    // The avatar is a copy under /media/, and the byline uses it.
    let avatar: String = with_db(&site, |db| {
        db.query_row("SELECT avatar FROM authors", [], |r| r.get(0))
            .unwrap()
    });
    assert!(avatar.starts_with("/media/"), "{avatar:?}");
    assert!(
        page.contains(&format!("class=\"u-photo avatar\" src=\"{avatar}\"")),
        "the byline does not use the copied avatar {avatar}:\n{page}"
    );
    let copy = std::fs::read(site.docroot.join(avatar.trim_start_matches('/'))).unwrap();
    let decoded = image::load_from_memory(&copy).unwrap();
    assert!(decoded.width() > 0);
    let (status, served) = apache.get(&avatar);
    assert_eq!(status, 200, "{served}");
    assert!(
        remote.requests().iter().any(|r| r == "GET /avatar.png"),
        "{:?}",
        remote.requests()
    );
    // Readers load nothing from alice's server (her profile is only a link).
    for attribute in ["src=\"", "srcset=\"", "href=\""] {
        for part in page.split(attribute).skip(1) {
            let value = part.split('"').next().unwrap_or_default();
            let loads =
                attribute != "href=\"" || value.ends_with(".css") || value.ends_with(".png");
            assert!(
                !(loads && value.starts_with(&remote.base)),
                "the page loads {value} from the remote"
            );
        }
    }
    assert!(!page.contains(&format!("{}/avatar.png", remote.base)));
}
