//! Replies from the fediverse as comments, end to end: payloads captured
//! from Mastodon, Pleroma, Misskey, GoToSocial, Mitra and Smithereen
//! (tests/fixtures/activities/), moved onto the fake Mastodon of
//! `remote.rs` and aimed at an article of ours, are sent signed to the
//! site's inbox under a real Apache; what they did is read in the database,
//! on the article's page and in its ActivityPub twin. Then edits, deletions,
//! likes and boosts, reports, forgeries, moderation and hostile shapes.

use std::time::{Duration, Instant};

use affiche::federation::signatures::SigningKey;
use serde_json::{Value, json};

use crate::apache::Apache;
use crate::harness::{Site, http};
use crate::remote::{Remote, federating_site_with, our_public_key, with_db};

const SLUG: &str = "harbour-notes";
const PATH: &str = "/articles/harbour-notes/";
const ARTICLE: &str = "https://example.org/articles/harbour-notes/";

/// A site with one published article, its Apache and the fake remote.
struct Env {
    site: Site,
    apache: Apache,
    remote: Remote,
}

fn setup(edit: impl FnOnce(String) -> String) -> Env {
    let site = federating_site_with(edit);
    let file = site.article(
        SLUG,
        "title = \"Harbour notes\"\ntags = [\"Sea\"]",
        "The boats came in at dawn.",
    );
    let imported = site.import(&[file]);
    assert!(
        imported.status.success(),
        "{}",
        crate::harness::text(&imported)
    );
    let apache = Apache::start(&site);
    let remote = Remote::start(our_public_key(&apache));
    Env {
        site,
        apache,
        remote,
    }
}

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/activities")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn origin(url: &str) -> Option<String> {
    affiche::federation::activity::origin(url)
}

/// Moves a captured payload onto the fake server: its actor becomes
/// `actor`, every URL on the sender's own server(s) moves to the fake's
/// origin; every other field stays as captured.
fn adopt(captured: &Value, remote: &Remote, actor: &str) -> Value {
    let old_actor = captured["actor"]
        .as_str()
        .or_else(|| captured["attributedTo"].as_str())
        .unwrap()
        .to_string();
    let mut origins: Vec<String> = [
        Some(old_actor.as_str()),
        captured["id"].as_str(),
        captured["object"]["id"].as_str(),
    ]
    .into_iter()
    .flatten()
    .filter_map(origin)
    .collect();
    origins.sort();
    origins.dedup();
    let mut text = captured.to_string().replace(&old_actor, actor);
    for o in origins {
        text = text.replace(&o, &remote.base);
    }
    serde_json::from_str(&text).unwrap()
}

/// A captured reply, moved onto the fake and aimed at `in_reply_to`.
fn reply_from(name: &str, remote: &Remote, actor: &str, in_reply_to: &str) -> Value {
    let mut activity = adopt(&fixture(name), remote, actor);
    if activity["type"] != "Create" {
        // GoToSocial's fixture is the Note alone: wrapped as it sends it.
        activity = json!({
            "@context": activity["@context"].clone(),
            "id": format!("{}/activity", activity["id"].as_str().unwrap()),
            "type": "Create",
            "actor": actor,
            "to": activity["to"].clone(),
            "cc": activity["cc"].clone(),
            "object": activity,
        });
    }
    activity["object"]["inReplyTo"] = json!(in_reply_to);
    activity
}

/// Mastodon's reply (as captured from mastodon.madrid), as status `n` of
/// `user`, saying `text`, answering `in_reply_to`.
fn note(remote: &Remote, user: &str, n: u64, in_reply_to: &str, text: &str) -> Value {
    let actor = remote.actor_of(user);
    let mut activity = reply_from("mastodon-create-note-reply", remote, &actor, in_reply_to);
    let id = format!("{actor}/statuses/{n}");
    activity["id"] = json!(format!("{id}/activity"));
    let object = &mut activity["object"];
    object["id"] = json!(id);
    object["atomUri"] = json!(id);
    object["url"] = json!(format!("{}/@{user}/{n}", remote.base));
    object["content"] = json!(format!("<p>{text}</p>"));
    object["contentMap"] = json!({ "en": format!("<p>{text}</p>") });
    object["replies"]["id"] = json!(format!("{id}/replies"));
    object["replies"]["first"]["partOf"] = json!(format!("{id}/replies"));
    object["replies"]["first"]["next"] =
        json!(format!("{id}/replies?only_other_accounts=true&page=true"));
    activity
}

impl Env {
    fn send_as(&self, key: &SigningKey, activity: &Value) -> (u16, String) {
        self.remote.post(
            &self.apache,
            "/inbox",
            activity,
            key,
            jiff::Timestamp::now(),
        )
    }

    /// Sends as alice and expects 202.
    fn accepted(&self, activity: &Value) {
        self.accepted_as(&self.remote.key, activity);
    }

    fn accepted_as(&self, key: &SigningKey, activity: &Value) {
        let (status, response) = self.send_as(key, activity);
        assert_eq!(
            status,
            202,
            "{}: {response}\n{}",
            activity["id"],
            self.apache.error_log()
        );
    }

    fn comments(&self) -> Vec<Row> {
        with_db(&self.site, |db| {
            let mut stmt = db
                .prepare(
                    "SELECT object_id, content, summary, attachments, depth, parent_id, state,
                        updated, actor_id, id FROM comments ORDER BY id",
                )
                .unwrap();
            stmt.query_map([], |r| {
                Ok(Row {
                    object_id: r.get(0)?,
                    content: r.get(1)?,
                    summary: r.get(2)?,
                    attachments: serde_json::from_str(&r.get::<_, String>(3)?).unwrap(),
                    depth: r.get(4)?,
                    parent_id: r.get(5)?,
                    state: r.get(6)?,
                    updated: r.get(7)?,
                    actor_id: r.get(8)?,
                    id: r.get(9)?,
                })
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
        })
    }

    fn comment(&self, object_id: &str) -> Option<Row> {
        self.comments()
            .into_iter()
            .find(|c| c.object_id == object_id)
    }

    fn count(&self, sql: &str) -> i64 {
        with_db(&self.site, |db| {
            db.query_row(sql, [], |r| r.get(0)).unwrap()
        })
    }

    fn reactions(&self, kind: &str) -> i64 {
        self.count(&format!(
            "SELECT count(*) FROM reactions WHERE kind = '{kind}' AND object_id = '{ARTICLE}'"
        ))
    }

    /// The article's page, as a browser gets it.
    fn page(&self) -> String {
        let (status, page) = self.apache.get(PATH);
        assert_eq!(status, 200, "{page}");
        page
    }

    /// The article's ActivityPub twin.
    fn twin(&self) -> Value {
        let (status, response) = http(
            &self.apache.address,
            &format!(
                "GET {PATH} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/activity+json\r\n\r\n"
            ),
            b"",
        );
        assert_eq!(status, 200, "{response}");
        serde_json::from_str(response.split_once("\r\n\r\n").unwrap().1).unwrap()
    }

    /// The ids the twin's `replies` collection lists on its first page.
    fn twin_replies(&self) -> Vec<String> {
        let twin = self.twin();
        twin["replies"]["first"]["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no replies in the twin: {twin}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    /// Runs the CLI on the site, then gives its files back to Apache.
    fn cli(&self, args: &[&str]) -> String {
        let output = self.site.run(args);
        crate::harness::give_to_apache(&self.site);
        assert!(output.status.success(), "{}", crate::harness::text(&output));
        crate::harness::text(&output)
    }
}

#[derive(Debug, Clone)]
struct Row {
    object_id: String,
    content: String,
    summary: String,
    attachments: Vec<Value>,
    depth: i64,
    parent_id: Option<i64>,
    state: String,
    updated: Option<i64>,
    actor_id: String,
    id: i64,
}

/// The comments part of a page, from its section to the end of it.
fn comments_section(page: &str) -> &str {
    let start = page
        .find("<section class=\"comments\"")
        .unwrap_or_else(|| panic!("no comments section:\n{page}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap() + "</section>".len()]
}

/// The number the comments title shows.
fn shown_count(page: &str) -> usize {
    let section = comments_section(page);
    section
        .split_once("comments__count\">(")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(n, _)| n.parse().unwrap())
        .unwrap()
}

/// Every tag that opens in the comments section closes in it, in order.
fn assert_balanced(page: &str) {
    let section = comments_section(page);
    let mut stack: Vec<String> = Vec::new();
    let void = ["br", "img", "input", "hr", "meta", "link"];
    let mut rest = section;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop();
            assert_eq!(open.as_deref(), Some(name.trim()), "in:\n{section}");
        } else if !tag.starts_with('!') && !tag.ends_with('/') {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if !void.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?} in:\n{section}");
}

fn poll<T>(what: &str, seconds: u64, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "{what}: not after {seconds} s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn replies_shaped_like_real_software_become_sanitized_comments() {
    let env = setup(|c| c);
    let alice = env.remote.actor();
    let cases = [
        // (fixture, a piece of its text as the page shows it)
        (
            "mastodon-create-note-reply",
            "i have never been disappointed by a thinkpad",
        ),
        ("mastodon-create-note-cw-replies", "@<span>lain</span>"),
        (
            "mastodon-create-note-attachment",
            "mastodon.example.org/media/hw4",
        ),
        ("pleroma-create-note-reply", "</a></span> test"),
        (
            "misskey-create-note-reply",
            "いやそういうことじゃなくて、連合先と自インスタンスで状態が狂う",
        ),
        (
            "gotosocial-note-reply-mention",
            "</a></span> welcome to the instance!",
        ),
        ("mitra-create-note", "Remote post 5"),
        ("smithereen-create-note-reply", "So does this federate now?"),
    ];
    let mut ids = Vec::new();
    for (name, text) in cases {
        let activity = reply_from(name, &env.remote, &alice, ARTICLE);
        let id = activity["object"]["id"].as_str().unwrap().to_string();
        assert!(
            id.starts_with(&env.remote.base),
            "{name}: {id} was not moved"
        );
        env.accepted(&activity);
        let stored = env
            .comment(&id)
            .unwrap_or_else(|| panic!("{name}: not stored\n{}", env.apache.error_log()));
        assert_eq!(stored.state, "visible", "{name}");
        assert_eq!(stored.depth, 0, "{name}");
        assert_eq!(stored.actor_id, alice, "{name}");
        for banned in ["<script", "<style", "<img", "target=", "data-user"] {
            assert!(
                !stored.content.contains(banned),
                "{name}: {banned} kept: {}",
                stored.content
            );
        }
        let page = env.page();
        let section = comments_section(&page);
        assert!(
            section.contains(text),
            "{name}: {text:?} not on the page:\n{section}"
        );
        ids.push(id);
    }
    // Mastodon's content warning is kept, and shown as one.
    let cw = env.comment(&ids[1]).unwrap();
    assert_eq!(cw.summary, "cw");
    let page = env.page();
    assert!(
        comments_section(&page).contains("<summary>cw</summary>"),
        "{page}"
    );
    // Pleroma's "summary": "" is no warning.
    assert_eq!(env.comment(&ids[3]).unwrap().summary, "");
    // The attachment is a link, its image is not shown.
    let attached = env.comment(&ids[2]).unwrap();
    let url = format!(
        "{}/system/media_attachments/files/000/000/002/original/334ce029e7bfb920.jpg",
        env.remote.base
    );
    assert_eq!(attached.attachments.len(), 1, "{:?}", attached.attachments);
    assert_eq!(attached.attachments[0]["url"], url.as_str());
    assert!(comments_section(&page).contains(&format!("<a href=\"{url}\"")));
    assert!(!comments_section(&page).contains(&format!("src=\"{url}\"")));
    // No image from another site on the page (avatars are local copies).
    assert!(
        !comments_section(&page).contains(&format!("src=\"{}", env.remote.base)),
        "{page}"
    );
    assert_eq!(shown_count(&page), cases.len());
    assert_balanced(&page);
    let mut listed = env.twin_replies();
    listed.sort();
    ids.sort();
    assert_eq!(listed, ids, "the twin's replies collection");
    assert_eq!(env.twin()["replies"]["totalItems"], cases.len());
}

#[test]
fn an_edit_replaces_the_text_a_deletion_removes_it_and_a_deleted_account_takes_its_replies() {
    let env = setup(|c| c);
    let alice = env.remote.actor();
    let create = note(&env.remote, "alice", 1, ARTICLE, "First thoughts.");
    env.accepted(&create);
    let id = create["object"]["id"].as_str().unwrap().to_string();
    assert!(env.comment(&id).is_some(), "{}", env.apache.error_log());
    assert!(env.page().contains("First thoughts."));

    // Mastodon's Update: the whole Note again, with `updated`.
    let mut object = create["object"].clone();
    object["content"] = json!("<p>Second thoughts.</p>");
    object["contentMap"] = json!({"en": "<p>Second thoughts.</p>"});
    object["updated"] = json!("2026-01-01T10:00:00Z");
    let update = json!({
        "@context": create["@context"].clone(),
        "id": format!("{id}#updates/1"), "type": "Update", "actor": alice,
        "to": create["to"].clone(), "cc": create["cc"].clone(), "object": object,
    });
    env.accepted(&update);
    let edited = env.comment(&id).unwrap();
    assert_eq!(edited.content, "<p>Second thoughts.</p>");
    assert!(edited.updated.is_some());
    let page = env.page();
    assert!(page.contains("Second thoughts.") && !page.contains("First thoughts."));

    // Without `updated` there is nothing to order it by: ignored.
    let mut stale = update.clone();
    stale["id"] = json!(format!("{id}#updates/2"));
    stale["object"]["content"] = json!("<p>Unordered thoughts.</p>");
    stale["object"]["contentMap"] = json!({"en": "<p>Unordered thoughts.</p>"});
    stale["object"].as_object_mut().unwrap().remove("updated");
    env.accepted(&stale);
    assert_eq!(env.comment(&id).unwrap().content, "<p>Second thoughts.</p>");
    // An older edit arriving late changes nothing either.
    let mut older = update.clone();
    older["id"] = json!(format!("{id}#updates/0"));
    older["object"]["content"] = json!("<p>Older thoughts.</p>");
    older["object"]["updated"] = json!("2025-06-01T10:00:00Z");
    env.accepted(&older);
    assert_eq!(env.comment(&id).unwrap().content, "<p>Second thoughts.</p>");

    // Mastodon's Delete (a Tombstone embedded).
    let mut delete = adopt(&fixture("mastodon-delete-note"), &env.remote, &alice);
    delete["id"] = json!(format!("{id}#delete"));
    delete["object"]["id"] = json!(id);
    delete["object"]["atomUri"] = json!(id);
    env.accepted(&delete);
    assert!(env.comment(&id).is_none());
    let page = env.page();
    assert!(!page.contains("Second thoughts."), "{page}");
    assert_eq!(shown_count(&page), 0);
    assert!(env.twin_replies().is_empty());

    // A Delete that overtakes its Create: the Create is ignored after it.
    let early = note(&env.remote, "alice", 2, ARTICLE, "Gone before it came.");
    let early_id = early["object"]["id"].as_str().unwrap().to_string();
    let mut delete = adopt(&fixture("mastodon-delete-note"), &env.remote, &alice);
    delete["id"] = json!(format!("{early_id}#delete"));
    delete["object"]["id"] = json!(early_id);
    env.accepted(&delete);
    env.accepted(&early);
    assert!(env.comment(&early_id).is_none());
    assert!(!env.page().contains("Gone before it came."));

    // A deleted account (Mastodon's Delete of the actor) takes all its
    // replies and reactions with it, and nobody else's.
    let carol_key = env.remote.add_user("carol");
    let carol = env.remote.actor_of("carol");
    env.accepted(&note(&env.remote, "alice", 3, ARTICLE, "Alice stays."));
    for n in 10..12 {
        env.accepted_as(
            &carol_key,
            &note(
                &env.remote,
                "carol",
                n,
                ARTICLE,
                &format!("Carol says {n}."),
            ),
        );
    }
    let mut like = adopt(&fixture("mastodon-like"), &env.remote, &carol);
    like["object"] = json!(ARTICLE);
    env.accepted_as(&carol_key, &like);
    assert_eq!(env.reactions("like"), 1);
    assert_eq!(shown_count(&env.page()), 3);
    let mut gone = adopt(&fixture("mastodon-delete-actor"), &env.remote, &carol);
    assert_eq!(gone["object"]["id"], carol.as_str());
    gone["id"] = json!(format!("{carol}#delete"));
    env.accepted_as(&carol_key, &gone);
    let left: Vec<String> = env.comments().into_iter().map(|c| c.actor_id).collect();
    assert_eq!(left, std::slice::from_ref(&alice));
    assert_eq!(env.reactions("like"), 0);
    let page = env.page();
    assert!(!page.contains("Carol says") && page.contains("Alice stays."));
    assert_eq!(shown_count(&page), 1);
}

#[test]
fn likes_boosts_and_emoji_reactions_count_once_and_undos_uncount() {
    let env = setup(|c| c);
    let alice = env.remote.actor();
    // Alice follows the site: an Undo of her like must not unfollow her.
    let follow = json!({
        "id": format!("{}/follows/1", env.remote.base), "type": "Follow",
        "actor": alice, "object": "https://example.org/actor",
    });
    env.accepted(&follow);
    let followers = || {
        let collection: Value = serde_json::from_str(&env.site.read("followers.json")).unwrap();
        collection["totalItems"].as_u64().unwrap()
    };
    assert_eq!(followers(), 1);

    // Mastodon's Like.
    let mut like = adopt(&fixture("mastodon-like"), &env.remote, &alice);
    like["object"] = json!(ARTICLE);
    env.accepted(&like);
    assert_eq!(env.reactions("like"), 1, "{}", env.apache.error_log());
    assert!(env.page().contains("1 favourite"), "{}", env.page());
    // The same Like again, and another Like of the same article by her.
    env.accepted(&like);
    let mut again = like.clone();
    again["id"] = json!(format!("{alice}#likes/999"));
    env.accepted(&again);
    assert_eq!(env.reactions("like"), 1, "a duplicate like counted twice");

    // Mastodon's Undo of a Like, the Like embedded.
    let mut undo = adopt(&fixture("mastodon-undo-like"), &env.remote, &alice);
    undo["object"]["id"] = like["id"].clone();
    undo["object"]["object"] = json!(ARTICLE);
    env.accepted(&undo);
    assert_eq!(env.reactions("like"), 0);
    assert!(!env.page().contains("favourite"));

    // Mastodon's Announce, then its Undo (the Announce embedded, as 2018
    // Mastodon sent it: http:// Public).
    let mut undo_boost = adopt(&fixture("mastodon-undo-announce"), &env.remote, &alice);
    undo_boost["object"]["object"] = json!(ARTICLE);
    let boost = undo_boost["object"].clone();
    env.accepted(&boost);
    assert_eq!(env.reactions("announce"), 1);
    assert!(env.page().contains("1 boost"), "{}", env.page());
    // Today's Mastodon Announce shape by someone else counts too.
    let dave_key = env.remote.add_user("dave");
    let mut other_boost = adopt(
        &fixture("mastodon-announce"),
        &env.remote,
        &env.remote.actor_of("dave"),
    );
    other_boost["object"] = json!(ARTICLE);
    env.accepted_as(&dave_key, &other_boost);
    assert_eq!(env.reactions("announce"), 2);
    assert!(env.page().contains("2 boosts"));
    env.accepted(&undo_boost);
    assert_eq!(env.reactions("announce"), 1);

    // An Undo by the bare id of a Like: the like goes, the follow stays.
    let mut like2 = like.clone();
    like2["id"] = json!(format!("{alice}#likes/2"));
    env.accepted(&like2);
    assert_eq!(env.reactions("like"), 1);
    let bare = json!({
        "id": format!("{alice}#likes/2/undo"), "type": "Undo",
        "actor": alice, "object": like2["id"].clone(),
    });
    env.accepted(&bare);
    assert_eq!(env.reactions("like"), 0);
    assert_eq!(followers(), 1, "an Undo of a like removed a follower");

    // Misskey's legacy reaction (a Like with _misskey_reaction) and
    // Pleroma's EmojiReact count as likes.
    let mk_key = env.remote.add_user("mk");
    let mut reaction = adopt(
        &fixture("misskey-like-legacy-reaction"),
        &env.remote,
        &env.remote.actor_of("mk"),
    );
    reaction["object"] = json!(ARTICLE);
    assert_eq!(reaction["_misskey_reaction"], "pudding");
    env.accepted_as(&mk_key, &reaction);
    let pl_key = env.remote.add_user("pl");
    let mut emoji = adopt(
        &fixture("pleroma-emojireact"),
        &env.remote,
        &env.remote.actor_of("pl"),
    );
    emoji["object"] = json!(ARTICLE);
    env.accepted_as(&pl_key, &emoji);
    assert_eq!(env.reactions("like"), 2);
    let page = env.page();
    assert!(page.contains("2 favourites"), "{page}");
    assert!(page.contains("1 boost"), "{page}");

    // A report, in Mastodon's shape: kept for the owner.
    let mut flag = adopt(&fixture("mastodon-flag"), &env.remote, &alice);
    flag["object"] = json!(["https://example.org/actor", ARTICLE]);
    flag["to"] = json!("https://example.org/actor");
    env.accepted(&flag);
    let (content, objects): (String, String) = with_db(&env.site, |db| {
        db.query_row("SELECT content, objects FROM flags", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    });
    assert_eq!(content, "Please take a look at this user and their posts");
    assert!(objects.contains(ARTICLE), "{objects}");
}

#[test]
fn a_reply_to_a_reply_delivered_to_us_nests_under_it() {
    let env = setup(|c| c);
    let bob_key = env.remote.add_user("bob");
    let a = note(&env.remote, "alice", 1, ARTICLE, "A, on the article.");
    let a_id = a["object"]["id"].as_str().unwrap().to_string();
    env.accepted(&a);
    let b = note(&env.remote, "bob", 2, &a_id, "B, answering A.");
    let b_id = b["object"]["id"].as_str().unwrap().to_string();
    env.accepted_as(&bob_key, &b);
    let (a_row, b_row) = (env.comment(&a_id).unwrap(), env.comment(&b_id).unwrap());
    assert_eq!((a_row.depth, a_row.parent_id), (0, None));
    assert_eq!((b_row.depth, b_row.parent_id), (1, Some(a_row.id)));
    let page = env.page();
    let section = comments_section(&page);
    let nested = section
        .split_once(&format!("id=\"comment-{}\"", a_row.id))
        .unwrap()
        .1;
    assert!(
        nested.contains("comment-list--replies")
            && nested.contains(&format!("id=\"comment-{}\"", b_row.id)),
        "B is not under A:\n{section}"
    );
    assert!(section.contains("comment--depth-1"));
    assert_balanced(&page);
}

#[test]
fn a_reply_to_a_reply_never_sent_to_us_is_found_by_walking_replies() {
    let env = setup(|c| c);
    let bob_key = env.remote.add_user("bob");
    let a = note(&env.remote, "alice", 1, ARTICLE, "A, on the article.");
    let a_id = a["object"]["id"].as_str().unwrap().to_string();
    env.accepted(&a);
    let b = note(&env.remote, "bob", 2, &a_id, "B, answering A.");
    let b_id = b["object"]["id"].as_str().unwrap().to_string();
    env.accepted_as(&bob_key, &b);
    let b_row = env.comment(&b_id).unwrap();

    // C answers B and was never sent to us: B's `replies` collection lists
    // it (as Mastodon serves one: the first page embedded).
    let c = note(&env.remote, "alice", 3, &b_id, "C, found by walking.");
    let c_id = c["object"]["id"].as_str().unwrap().to_string();
    env.remote.serve_object(&c_id, c["object"].clone());
    env.remote.serve_object(
        &format!("{b_id}/replies"),
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{b_id}/replies"), "type": "Collection",
            "first": {
                "type": "CollectionPage", "partOf": format!("{b_id}/replies"),
                "items": [c_id],
            },
        }),
    );
    // A's and B's collections were queued to read a minute later: now due.
    let queued = env.count("SELECT count(*) FROM reply_walks WHERE done = 0");
    assert!(queued >= 2, "{queued} replies collections queued");
    with_db(&env.site, |db| {
        db.execute("UPDATE reply_walks SET next_at = 0", [])
            .unwrap()
    });
    let found = poll("C, found by the worker's walk", 20, || {
        env.cli(&["queue", "run", "--budget", "10"]);
        env.comment(&c_id)
    });
    assert_eq!(found.depth, 2);
    assert_eq!(found.parent_id, Some(b_row.id));
    let page = env.page();
    assert!(page.contains("C, found by walking."));
    assert!(
        env.remote
            .requests()
            .iter()
            .any(|r| r.starts_with("GET /users/bob/statuses/2/replies"))
    );
}

#[test]
fn a_reply_credited_to_someone_else_than_its_sender_is_refused_with_400() {
    let env = setup(|c| c);
    let bob_key = env.remote.add_user("bob");
    let bob = env.remote.actor_of("bob");
    // Signed by bob, the note credited to alice.
    let mut forged = note(&env.remote, "alice", 1, ARTICLE, "Not by alice.");
    forged["actor"] = json!(bob);
    forged["id"] = json!(format!("{bob}/statuses/1/activity"));
    let (status, response) = env.send_as(&bob_key, &forged);
    assert!(env.comments().is_empty(), "a forgery was stored");
    assert!(!env.page().contains("Not by alice."));
    assert_eq!(status, 400, "attributedTo is not the actor: {response}");
}

#[test]
fn a_reply_whose_id_is_on_another_server_than_its_actor_is_refused_with_400() {
    let env = setup(|c| c);
    let elsewhere = Remote::start(our_public_key(&env.apache));
    let mut foreign = note(&env.remote, "alice", 2, ARTICLE, "Someone else's note.");
    foreign["object"]["id"] = json!(format!("{}/users/alice/statuses/2", elsewhere.base));
    let (status, response) = env.send_as(&env.remote.key, &foreign);
    assert!(env.comments().is_empty(), "a forgery was stored");
    assert_eq!(status, 400, "a note id on another origin: {response}");
}

#[test]
fn deletions_and_edits_of_someone_elses_reply_change_nothing() {
    let env = setup(|c| c);
    let bob_key = env.remote.add_user("bob");
    let bob = env.remote.actor_of("bob");
    let elsewhere = Remote::start(our_public_key(&env.apache));
    let real = note(&env.remote, "alice", 3, ARTICLE, "The real reply.");
    let id = real["object"]["id"].as_str().unwrap().to_string();
    env.accepted(&real);
    assert!(env.comment(&id).is_some());

    // Bob (same server) deletes it: not his, it stays.
    let mut delete = adopt(&fixture("mastodon-delete-note"), &env.remote, &bob);
    delete["id"] = json!(format!("{bob}/statuses/3#delete"));
    delete["object"]["id"] = json!(id);
    env.accepted_as(&bob_key, &delete);
    assert!(env.comment(&id).is_some(), "bob deleted alice's reply");
    // Someone on another server deletes it: refused (or ignored).
    let mut delete = adopt(
        &fixture("mastodon-delete-note"),
        &elsewhere,
        &elsewhere.actor(),
    );
    delete["object"]["id"] = json!(id);
    let (status, _) = elsewhere.post(
        &env.apache,
        "/inbox",
        &delete,
        &elsewhere.key,
        jiff::Timestamp::now(),
    );
    assert!(status == 400 || status == 202, "{status}");
    assert!(env.comment(&id).is_some(), "another server deleted it");

    // Bob edits it, crediting alice or himself: unchanged.
    let mut edit = real.clone();
    edit["type"] = json!("Update");
    edit["id"] = json!(format!("{bob}/statuses/3#updates/1"));
    edit["actor"] = json!(bob);
    edit["object"]["content"] = json!("<p>Bob's words in alice's mouth.</p>");
    edit["object"]["updated"] = json!("2026-02-02T10:00:00Z");
    let (status, _) = env.send_as(&bob_key, &edit);
    assert!(status == 400 || status == 202, "{status}");
    edit["id"] = json!(format!("{bob}/statuses/3#updates/2"));
    edit["object"]["attributedTo"] = json!(bob);
    env.accepted_as(&bob_key, &edit);
    assert_eq!(env.comment(&id).unwrap().content, "<p>The real reply.</p>");
    assert!(!env.page().contains("alice's mouth"));
    assert!(env.page().contains("The real reply."));
}

#[test]
fn a_delete_of_someone_elses_reply_before_it_arrives_does_not_keep_it_out() {
    let env = setup(|c| c);
    let bob_key = env.remote.add_user("bob");
    let bob = env.remote.actor_of("bob");
    let later = note(&env.remote, "alice", 4, ARTICLE, "Late but mine.");
    let later_id = later["object"]["id"].as_str().unwrap().to_string();
    let mut delete = adopt(&fixture("mastodon-delete-note"), &env.remote, &bob);
    delete["id"] = json!(format!("{bob}/statuses/4#delete"));
    delete["object"]["id"] = json!(later_id);
    env.accepted_as(&bob_key, &delete);
    env.accepted(&later);
    assert!(
        env.comment(&later_id).is_some(),
        "bob's Delete of alice's future reply kept it out: a tombstone recorded for a note that is not his"
    );
    assert!(env.page().contains("Late but mine."));
}

#[test]
fn hostile_html_is_sanitized_on_the_page() {
    let env = setup(|c| c);
    let alice = env.remote.actor();
    let mut reply = reply_from("mastodon-create-note-reply", &env.remote, &alice, ARTICLE);
    let hostile = "<p>Hi <script>alert('x')</script><style>body{display:none}</style>\
        <a href=\"javascript:alert(1)\">click</a> <a href=\"https://ok.example/\" onclick=\"x()\">fine</a>\
        <img src=\"https://tracker.example/p.gif\" onerror=\"x()\"><iframe src=\"https://evil.example/\"></iframe></p>";
    reply["object"]["content"] = json!(hostile);
    reply["object"]["contentMap"] = json!({ "en": hostile });
    reply["object"]["summary"] = json!("<b onmouseover=\"x()\">spoilers</b>");
    env.accepted(&reply);
    let id = reply["object"]["id"].as_str().unwrap();
    let stored = env.comment(id).unwrap();
    let page = env.page();
    let section = comments_section(&page);
    for banned in [
        "<script",
        "alert(",
        "<style",
        "display:none",
        "javascript:",
        "onclick",
        "tracker.example",
        "<iframe",
        "evil.example",
        "onmouseover",
    ] {
        assert!(
            !stored.content.contains(banned),
            "{banned}: {}",
            stored.content
        );
        assert!(
            !section.contains(banned),
            "{banned} on the page:\n{section}"
        );
    }
    assert!(
        section.contains("href=\"https://ok.example/\""),
        "{section}"
    );
    assert!(section.contains("<summary>spoilers</summary>"), "{section}");
    assert_balanced(&page);
}

#[test]
fn oversized_replies_are_refused_at_the_door_or_not_kept() {
    let env = setup(|c| c);
    // 5 MB: over the CGI's body cap.
    let huge = note(&env.remote, "alice", 1, ARTICLE, &"a".repeat(5_000_000));
    let (status, response) = env.send_as(&env.remote.key, &huge);
    assert_eq!(status, 413, "{}", &response[..response.len().min(300)]);
    // 150 KB: through the door, but no comment is a book.
    let big = note(&env.remote, "alice", 2, ARTICLE, &"b ".repeat(75_000));
    env.accepted(&big);
    assert!(env.comments().is_empty());
    let state: String = with_db(&env.site, |db| {
        db.query_row(
            "SELECT state FROM inbox WHERE activity_id = ?1",
            [big["id"].as_str().unwrap()],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(state, "rejected");
    assert_eq!(shown_count(&env.page()), 0);
}

#[test]
fn a_blocked_domain_is_refused_without_fetching_its_key() {
    let env = setup(|c| c.replace("blocked_domains = []", "blocked_domains = [\"127.0.0.1\"]"));
    let (status, response) = env.send_as(
        &env.remote.key,
        &note(&env.remote, "alice", 1, ARTICLE, "From a blocked place."),
    );
    assert_eq!(status, 403, "{response}");
    assert!(
        !env.remote.requests().iter().any(|r| r.contains("/users/")),
        "the key was fetched: {:?}",
        env.remote.requests()
    );
    assert!(env.comments().is_empty());
    assert_eq!(env.count("SELECT count(*) FROM inbox"), 0);
}

#[test]
fn held_replies_wait_hidden_and_closed_articles_take_none() {
    let held = setup(|c| c.replace("moderation = \"open\"", "moderation = \"held\""));
    let reply = note(&held.remote, "alice", 1, ARTICLE, "Waiting for approval.");
    held.accepted(&reply);
    let stored = held.comment(reply["object"]["id"].as_str().unwrap());
    assert_eq!(stored.map(|c| c.state).as_deref(), Some("held"));
    let page = held.page();
    assert!(!page.contains("Waiting for approval."), "{page}");
    assert_eq!(shown_count(&page), 0);
    assert!(held.twin_replies().is_empty());

    let closed = setup(|c| c.replace("moderation = \"open\"", "moderation = \"closed\""));
    closed.accepted(&note(&closed.remote, "alice", 1, ARTICLE, "Too late."));
    assert!(closed.comments().is_empty());
    let page = closed.page();
    assert!(!page.contains("Too late."));
    assert!(
        page.contains("Replies to this article are closed"),
        "{page}"
    );
}

#[test]
fn unknown_targets_deep_chains_and_loops_do_no_harm() {
    let env = setup(|c| c);
    // A reply to something that is not ours.
    env.accepted(&note(
        &env.remote,
        "alice",
        1,
        "https://mamot.fr/users/retiolus/statuses/107224244380204526",
        "Not for you.",
    ));
    env.accepted(&note(
        &env.remote,
        "alice",
        2,
        "https://example.org/articles/no-such-article/",
        "Nor this.",
    ));
    assert!(env.comments().is_empty());

    // A note replying to itself: nothing of ours to hang on, and no hang.
    let own = format!("{}/statuses/3", env.remote.actor());
    let started = Instant::now();
    env.accepted(&note(&env.remote, "alice", 3, &own, "Myself."));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        env.comments().iter().all(|c| c.depth == 0),
        "{:?}",
        env.comments()
    );

    // A chain of 20 replies, each to the one before.
    let mut parent = ARTICLE.to_string();
    let mut ids = Vec::new();
    for n in 100..120 {
        let reply = note(&env.remote, "alice", n, &parent, &format!("Link {n}."));
        env.accepted(&reply);
        parent = reply["object"]["id"].as_str().unwrap().to_string();
        ids.push(parent.clone());
    }
    let depths: Vec<i64> = ids
        .iter()
        .map(|id| env.comment(id).unwrap().depth)
        .collect();
    assert_eq!(depths[..9], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert!(depths[9..].iter().all(|d| *d == 8), "{depths:?}");
    let page = env.page();
    assert_eq!(shown_count(&page), 20);
    for n in 100..120 {
        assert!(page.contains(&format!("Link {n}.")), "link {n} missing");
    }
    assert!(!page.contains("comment--depth-9"));
    assert_balanced(&page);
}
