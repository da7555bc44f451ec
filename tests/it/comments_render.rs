//! Replies from the fediverse on the static page and in its AS2 twin: the
//! comments are put in the database directly (the inbox has tests of its
//! own), then the article is rendered again through the public API.

use std::path::Path;

use affiche::context::Context;
use affiche::render::Target;
use affiche::store::{Attachment, CommentState, NewComment, Store};
use serde_json::Value;

use crate::harness::{Site, changed, text};

const SLUG: &str = "hello";
const URL: &str = "https://example.org/articles/hello/";

fn site_with_article() -> Site {
    let site = Site::new();
    let file = site.article(
        SLUG,
        "title = \"Hello\"\nslug = \"hello\"\ndate = \"2024-03-01T10:00:00Z\"\nauthor = \"@alice@example.org\"\nauthor_name = \"Alice\"",
        "Some text.",
    );
    let output = site.import(&[file]);
    assert!(output.status.success(), "{}", text(&output));
    site
}

fn store(site: &Site) -> Store {
    let ctx = Context::open(&site.config).unwrap();
    Store::open(&ctx.config.database_path(), false).unwrap()
}

fn article_id(store: &Store) -> i64 {
    store.article_id_by_slug(SLUG).unwrap().unwrap()
}

fn reply(store: &Store, n: i64, in_reply_to: &str, published: i64) -> (i64, String) {
    let object_id = format!("https://m.example/users/u{n}/statuses/{n}");
    let id = store
        .insert_comment(&NewComment {
            object_id: object_id.clone(),
            article_id: article_id(store),
            in_reply_to: in_reply_to.to_string(),
            actor_id: format!("https://m.example/users/u{n}"),
            author_handle: format!("u{n}@m.example"),
            author_name: format!("User {n}"),
            author_url: format!("https://m.example/@u{n}"),
            author_avatar: String::new(),
            url: format!("https://m.example/@u{n}/{n}"),
            content: format!("<p>Reply number {n}</p>"),
            summary: String::new(),
            lang: "en".into(),
            attachments: Vec::new(),
            published,
            updated: None,
            state: CommentState::Visible,
            received_at: published,
        })
        .unwrap()
        .unwrap();
    (id, object_id)
}

/// Renders the article again as a write does.
fn render(site: &Site) {
    let ctx = Context::open(&site.config).unwrap();
    ctx.renderer
        .render_parallel(
            &ctx.store,
            &ctx.config.database_path(),
            &[Target::Article(SLUG.into())],
            1,
        )
        .unwrap();
}

fn page(site: &Site) -> String {
    site.read("articles/hello/index.html")
}

fn twin(site: &Site) -> Value {
    serde_json::from_str(&site.read("articles/hello/index.json")).unwrap()
}

/// Parses the page strictly: every element but the void ones closed, in
/// order. Returns the problems python's parser saw.
fn strict_parse(path: &Path) {
    let script = r#"
import sys
from html.parser import HTMLParser
VOID = {"area","base","br","col","embed","hr","img","input","link","meta","source","track","wbr"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
if p.stack:
    p.errors.append(f"unclosed: {p.stack}")
print("\n".join(p.errors))
sys.exit(1 if p.errors else 0)
"#;
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn replies_appear_nested_with_warnings_reactions_and_no_remote_images() {
    let site = site_with_article();
    let before = site.snapshot();
    let store = store(&site);
    let (_, first) = reply(&store, 1, URL, 1_700_000_000);
    let (_, second) = reply(&store, 2, &first, 1_700_000_100);
    let (hidden_id, hidden) = reply(&store, 3, URL, 1_700_000_200);
    let (_, late) = reply(&store, 4, URL, 1_700_000_300);
    store
        .set_comment_state(hidden_id, CommentState::Hidden)
        .unwrap();
    // A reply with a content warning, a remote image attachment and a
    // remote avatar that was never copied here.
    store
        .insert_comment(&NewComment {
            object_id: "https://p.example/objects/cw".into(),
            article_id: article_id(&store),
            in_reply_to: second.clone(),
            actor_id: "https://p.example/users/bob".into(),
            author_handle: "bob@p.example".into(),
            author_name: "Bob".into(),
            author_url: "https://p.example/bob".into(),
            author_avatar: "https://p.example/avatar.png".into(),
            url: String::new(),
            content: "<p>Behind the warning</p>".into(),
            summary: "Spoilers <b>ahead</b>".into(),
            lang: String::new(),
            attachments: vec![Attachment {
                url: "https://p.example/media/cat.jpg".into(),
                media_type: "image/jpeg".into(),
                name: String::new(),
            }],
            published: 1_700_000_150,
            updated: Some(1_700_000_500),
            state: CommentState::Visible,
            received_at: 1_700_000_150,
        })
        .unwrap()
        .unwrap();
    for (i, kind) in ["like", "like", "announce"].iter().enumerate() {
        store
            .add_reaction(
                &format!("https://m.example/activities/{i}"),
                kind,
                &format!("https://m.example/users/r{i}"),
                URL,
                article_id(&store),
                1_700_000_000,
            )
            .unwrap();
    }
    render(&site);

    // Only the article's page and twin changed.
    let touched = changed(&before, &site.snapshot());
    assert_eq!(
        touched,
        vec!["articles/hello/index.html", "articles/hello/index.json"]
    );

    let html = page(&site);
    assert!(html.contains("Replies from the fediverse"), "{html}");
    assert!(html.contains("(4)"), "the visible count");
    let reactions = &html[html.find("class=\"reactions").unwrap()..];
    let reactions = &reactions[..reactions.find("</p>").unwrap()];
    let words: String = reactions
        .split('<')
        .filter_map(|part| part.split_once('>').map(|(_, text)| text))
        .collect();
    assert_eq!(words, "1 boost · 2 favourites");
    // Thread order: 1, its reply 2, 2's reply (cw), then 4.
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("Reply number 1") < at("Reply number 2"));
    assert!(at("Reply number 2") < at("Behind the warning"));
    assert!(at("Behind the warning") < at("Reply number 4"));
    assert!(!html.contains("Reply number 3"), "hidden comment shown");
    // Nesting: 2 is inside 1's list item, in a nested list.
    let one = &html[at("Reply number 1")..at("Reply number 4")];
    assert!(one.contains("comment-list--replies"), "{one}");
    assert!(html.contains("comment--depth-2"), "{html}");
    // The warning hides the text; its markup is escaped, not run.
    let cw = &html[at("<details class=\"comment__cw\">")..];
    let cw = &cw[..cw.find("</details>").unwrap()];
    assert!(
        cw.contains("<summary>Spoilers &lt;b&gt;ahead&lt;/b&gt;</summary>"),
        "{cw}"
    );
    assert!(cw.contains("Behind the warning"), "{cw}");
    assert!(
        cw.contains("href=\"https://p.example/media/cat.jpg\""),
        "{cw}"
    );
    assert!(
        cw.contains("attachment</a> <span class=\"hint\">(image/jpeg)</span>"),
        "{cw}"
    );
    assert!(html.contains("edited"), "{html}");
    assert!(html.contains("@u1@m.example"));
    assert!(
        html.contains("href=\"https://m.example/@u1/1\""),
        "link to the original"
    );
    assert!(
        html.contains("href=\"https://p.example/objects/cw\""),
        "id when no url"
    );
    // The reply box, with the address to copy.
    assert!(html.contains("Reply from the fediverse"));
    assert!(
        html.contains(&format!("readonly value=\"{URL}\"")),
        "{html}"
    );
    // Nothing is loaded from another site, and no script runs.
    for (i, _) in html.match_indices("src=\"") {
        let value = &html[i + 5..];
        assert!(
            !value.starts_with("http") && !value.starts_with("//"),
            "remote src: {}",
            &value[..value.find('"').unwrap()]
        );
    }
    assert!(!html.contains("<script"), "{html}");
    assert_eq!(
        html.matches("<details").count(),
        html.matches("</details>").count()
    );
    strict_parse(&site.docroot.join("articles/hello/index.html"));

    // The twin lists the visible replies, oldest first.
    let json = twin(&site);
    let items = &json["replies"]["first"]["items"];
    assert_eq!(json["replies"]["totalItems"], 4);
    assert_eq!(items[0], first.as_str());
    assert_eq!(items[1], second.as_str());
    assert_eq!(items[2], "https://p.example/objects/cw");
    assert_eq!(items[3], late.as_str());
    assert!(!json.to_string().contains(&hidden));
    assert!(json["replies"]["first"].get("next").is_none());
}

#[test]
fn closed_replies_say_so_and_keep_the_visible_ones() {
    let site = site_with_article();
    let store = store(&site);
    reply(&store, 1, URL, 1_700_000_000);
    render(&site);
    assert!(page(&site).contains("reply-url"));
    assert!(!page(&site).contains("reactions"), "no counters when zero");

    store
        .set_article_comments_setting(article_id(&store), Some("closed"))
        .unwrap();
    render(&site);
    let html = page(&site);
    assert!(
        html.contains("Replies to this article are closed"),
        "{html}"
    );
    assert!(!html.contains("reply-url"), "{html}");
    assert!(html.contains("Reply number 1"), "{html}");
    strict_parse(&site.docroot.join("articles/hello/index.html"));

    // The site's setting applies when the article has none.
    store
        .set_article_comments_setting(article_id(&store), None)
        .unwrap();
    let config = std::fs::read_to_string(&site.config).unwrap();
    let config = config.replace("moderation = \"open\"", "moderation = \"closed\"");
    assert!(config.contains("moderation = \"closed\""));
    std::fs::write(&site.config, config).unwrap();
    render(&site);
    assert!(page(&site).contains("Replies to this article are closed"));
    // And the article's own setting wins over the site's.
    store
        .set_article_comments_setting(article_id(&store), Some("held"))
        .unwrap();
    render(&site);
    let html = page(&site);
    assert!(html.contains("reply-url"), "{html}");
    assert!(html.contains("once the author approves it"), "{html}");
}

#[test]
fn many_replies_are_paged_in_static_json_files_that_go_when_unneeded() {
    let site = site_with_article();
    let store = store(&site);
    let ids: Vec<(i64, String)> = (1..=45)
        .map(|n| reply(&store, n, URL, 1_700_000_000 + n))
        .collect();
    render(&site);
    let json = twin(&site);
    let first = &json["replies"]["first"];
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    assert_eq!(first["items"][0], ids[0].1.as_str());
    let next = first["next"].as_str().unwrap();
    assert_eq!(next, format!("{URL}replies/page/2.json"));
    // The id is the file's address: Apache serves it as it is.
    let relative = next.strip_prefix("https://example.org/").unwrap();
    let second: Value = serde_json::from_str(&site.read(relative)).unwrap();
    assert_eq!(second["id"], next);
    assert_eq!(second["items"][0], ids[20].1.as_str());
    let third: Value =
        serde_json::from_str(&site.read("articles/hello/replies/page/3.json")).unwrap();
    assert_eq!(second["next"], third["id"]);
    assert_eq!(third["items"].as_array().unwrap().len(), 5);
    assert!(third.get("next").is_none());
    assert!(page(&site).contains("(45)"));

    // Hidden down to 25: page 3 goes, page 2 stays.
    for (id, _) in &ids[25..] {
        store.set_comment_state(*id, CommentState::Hidden).unwrap();
    }
    render(&site);
    assert!(site.exists("articles/hello/replies/page/2.json"));
    assert!(!site.exists("articles/hello/replies/page/3.json"));
    let second: Value =
        serde_json::from_str(&site.read("articles/hello/replies/page/2.json")).unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 5);
    assert!(second.get("next").is_none());

    // Deleted: a gone page, and no page of replies stays.
    site.ok(&["article", "delete", SLUG]);
    assert!(!site.exists("articles/hello/replies/page/2.json"));
}
