//! `affiche export` and `affiche import`: a site with articles, a draft, a
//! deleted article, events, comments, reactions, participants, a follower
//! and a media file goes into a zip and comes back on a fresh site with the
//! same pages and the same key; a foreign or damaged zip changes nothing.
//! And `article import-wxr` on a hand-written WordPress export.

use std::path::Path;

use affiche::store::{CommentState, NewComment, Store};

use crate::harness::{Site, snapshot, text};

fn db(site: &Site) -> Store {
    Store::open(&site.root().join("affiche.sqlite"), false).unwrap()
}

fn populate(site: &Site) {
    let a = site.article(
        "first",
        "title = \"First & <b>bold</b>\"\nslug = \"first\"\ndate = 2024-03-05T10:00:00Z\ntags = [\"Rust\", \"Fediverse\"]\nlang = \"fr\"",
        "Hello *world*.\n\n+++\n\nA line of pluses above.",
    );
    let b = site.article(
        "second",
        "title = \"Second\"\ndate = 2024-04-01T08:30:00Z\nauthor = \"@alice@example.net\"\nauthor_name = \"Alice\"\nsummary = \"Mine\"",
        "Body two.",
    );
    let c = site.article("draft", "title = \"A draft\"\ndraft = true", "Not yet.");
    let d = site.article(
        "gone",
        "title = \"Gone soon\"\ndate = 2024-02-01T00:00:00Z",
        "Bye.",
    );
    let output = site.import(&[a, b, c, d]);
    assert!(output.status.success(), "{}", text(&output));
    site.ok(&["article", "delete", "gone-soon"]);
    let dir = site.dir.path().join("events");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("meetup.md"),
        "+++\ntitle = \"Meetup\"\nstart = \"2030-03-29 10:00\"\nend = \"2030-03-29 12:30\"\ntime_zone = \"Europe/Paris\"\nplace = \"Town hall\"\ncity = \"Lyon\"\ncapacity = 20\ntags = [\"Meet\"]\n+++\nCome.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("fair.md"),
        "+++\ntitle = \"Fair\"\nstart = \"2030-07-01\"\nend = \"2030-07-03\"\nall_day = true\njoin = \"restricted\"\n+++\nThree days.\n",
    )
    .unwrap();
    site.ok(&["event", "import", dir.to_str().unwrap()]);
    let store = db(site);
    let first = store.article_id_by_slug("first").unwrap().unwrap();
    let meetup = store.article_id_by_slug("meetup").unwrap().unwrap();
    let base = NewComment {
        object_id: "https://remote.example/notes/1".into(),
        article_id: first,
        in_reply_to: "https://example.org/first".into(),
        actor_id: "https://remote.example/users/bob".into(),
        author_handle: "bob@remote.example".into(),
        author_name: "Bob".into(),
        author_url: "https://remote.example/@bob".into(),
        author_avatar: String::new(),
        url: "https://remote.example/@bob/1".into(),
        content: "<p>Nice!</p>".into(),
        summary: String::new(),
        lang: "en".into(),
        attachments: Vec::new(),
        published: 1_710_000_000,
        updated: None,
        state: CommentState::Visible,
        received_at: 1_710_000_001,
    };
    store.insert_comment(&base).unwrap();
    store
        .insert_comment(&NewComment {
            object_id: "https://remote.example/notes/2".into(),
            in_reply_to: "https://remote.example/notes/1".into(),
            content: "<p>Reply to Bob</p>".into(),
            published: 1_710_000_100,
            ..base.clone()
        })
        .unwrap();
    store
        .insert_comment(&NewComment {
            object_id: "https://remote.example/notes/3".into(),
            content: "<p>held one</p>".into(),
            state: CommentState::Held,
            published: 1_710_000_200,
            ..base.clone()
        })
        .unwrap();
    store
        .add_reaction(
            "https://remote.example/likes/1",
            "like",
            "https://remote.example/users/bob",
            "https://example.org/first",
            first,
            1_710_000_300,
        )
        .unwrap();
    store
        .join_event(
            meetup,
            "https://remote.example/users/bob",
            "bob@remote.example",
            "Bob",
            "https://remote.example/joins/1",
            "fediverse",
            false,
            Some(20),
            1_710_000_400,
        )
        .unwrap();
    store
        .add_follower(
            "https://remote.example/users/carol",
            "https://remote.example/follows/1",
            1_710_000_500,
        )
        .unwrap();
    drop(store);
    std::fs::create_dir_all(site.docroot.join("media")).unwrap();
    std::fs::write(site.docroot.join("media/photo.jpg"), b"not really a jpeg").unwrap();
    site.ok(&["rebuild"]);
}

fn pages(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .map(|(name, (_, bytes))| (name, bytes))
        .collect()
}

#[test]
fn an_exported_site_comes_back_with_the_same_pages_and_key() {
    let a = Site::new();
    populate(&a);
    let zip = a.dir.path().join("site.zip");
    let out = a.ok(&["export", zip.to_str().unwrap()]);
    assert!(out.contains("SECRET"), "{out}");
    // No overwrite without --force.
    let again = a.run(&["export", zip.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(text(&again).contains("--force"), "{}", text(&again));
    a.ok(&["export", zip.to_str().unwrap(), "--force"]);
    let leftovers: Vec<_> = std::fs::read_dir(a.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    let b = Site::new();
    let out = b.ok(&["import", zip.to_str().unwrap()]);
    assert!(out.contains("key pair was restored"), "{out}");
    b.ok(&["rebuild"]);
    a.ok(&["rebuild"]);
    let (pa, pb) = (pages(&a.docroot), pages(&b.docroot));
    let names_a: Vec<_> = pa.keys().collect();
    let names_b: Vec<_> = pb.keys().collect();
    assert_eq!(names_a, names_b);
    let differ: Vec<_> = pa
        .iter()
        .filter(|(name, bytes)| pb.get(*name) != Some(bytes))
        .map(|(name, _)| name.clone())
        .collect();
    assert!(differ.is_empty(), "pages differ: {differ:?}");
    assert!(pb.contains_key("media/photo.jpg"));
    let (ka, kb) = (
        db(&a).site_key().unwrap().unwrap(),
        db(&b).site_key().unwrap().unwrap(),
    );
    assert_eq!(ka.private_pem, kb.private_pem);
    assert_eq!(ka.public_pem, kb.public_pem);
    assert_eq!(db(&b).follower_count().unwrap(), 1);
    let draft = db(&b).article_by_slug("a-draft").unwrap().unwrap();
    assert_eq!(draft.status.as_str(), "draft");
    let held = db(&b)
        .comment_by_object("https://remote.example/notes/3")
        .unwrap()
        .unwrap();
    assert_eq!(held.state, CommentState::Held);

    // Importing again into a site with articles is refused.
    let refused = b.run(&["import", zip.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("--merge"), "{}", text(&refused));
}

#[test]
fn a_foreign_or_damaged_zip_changes_nothing() {
    let a = Site::new();
    populate(&a);
    let zip = a.dir.path().join("site.zip");
    a.ok(&["export", zip.to_str().unwrap()]);
    let b = Site::new();
    let before = snapshot(&b.docroot);
    let key_before = db(&b).site_key().unwrap().unwrap().private_pem;

    let garbage = b.dir.path().join("garbage.zip");
    std::fs::write(&garbage, b"PK\x03\x04 this is not a zip").unwrap();
    let out = b.run(&["import", garbage.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("not a readable zip"), "{}", text(&out));

    let foreign = b.dir.path().join("foreign.zip");
    {
        let file = std::fs::File::create(&foreign).unwrap();
        let mut writer = zip::ZipWriter::new(file);
        writer
            .start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, b"hi").unwrap();
        writer.finish().unwrap();
    }
    let out = b.run(&["import", foreign.to_str().unwrap()]);
    assert!(
        text(&out).contains("not an Affiche site export"),
        "{}",
        text(&out)
    );

    // Flipped bytes inside an entry's data: a CRC or deflate error. (In
    // the middle of the file they could land in a local header, whose
    // name nothing reads: the import then rightly succeeded.)
    let mut bytes = std::fs::read(&zip).unwrap();
    let (start, size) = {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let entry = archive.by_name("articles/first.json").unwrap();
        (
            entry.data_start() as usize,
            entry.compressed_size() as usize,
        )
    };
    assert!(size > 32, "{size}");
    let middle = start + size / 2;
    for byte in &mut bytes[middle - 8..middle + 8] {
        *byte ^= 0x5a;
    }
    let damaged = b.dir.path().join("damaged.zip");
    std::fs::write(&damaged, bytes).unwrap();
    let out = b.run(&["import", damaged.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));

    assert!(db(&b).article_by_slug("second").unwrap().is_none());
    assert_eq!(db(&b).site_key().unwrap().unwrap().private_pem, key_before);
    let after = snapshot(&b.docroot);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
}

fn wxr() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wxr/wordpress-export.xml")
        .display()
        .to_string()
}

#[test]
fn a_wordpress_export_imports_its_posts_and_none_of_its_hostile_html() {
    let site = Site::new();
    let out = site.ok(&["article", "import-wxr", &wxr()]);
    assert!(
        out.contains("Imported 3 post(s), 1 of them as drafts"),
        "{out}"
    );
    assert!(
        out.contains("1 attachment") && out.contains("1 page") && out.contains("1 post (trash)"),
        "{out}"
    );
    let store = db(&site);
    let train = store
        .article_by_slug("night-train-to-vienna")
        .unwrap()
        .unwrap();
    assert_eq!(train.status.as_str(), "published");
    assert_eq!(train.published_at, Some(1_709_632_800)); // 2024-03-05 10:00 GMT
    assert_eq!(train.summary, "Paris to Vienna by night.");
    assert_eq!(train.author.name, "Jane Doe");
    assert_eq!(train.author.handle, "site@example.org");
    let tags: Vec<_> = train.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Trains", "Travel"]);
    let cafe = store.article_by_slug("cafe-bikes").unwrap().unwrap();
    assert_eq!(cafe.title, "Café & bikes");
    assert_eq!(cafe.author.name, "Guest Writer");
    assert_eq!(cafe.summary, "A short one, written in the classic editor.");
    let tags: Vec<_> = cafe.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Bikes"]);
    let draft = store
        .article_by_slug("unfinished-thoughts")
        .unwrap()
        .unwrap();
    assert_eq!(draft.status.as_str(), "draft");
    assert!(store.article_by_slug("about").unwrap().is_none());
    assert!(store.article_by_slug("old-post-trashed").unwrap().is_none());
    drop(store);

    let page = site.read("articles/night-train-to-vienna/index.html");
    assert!(page.contains("<strong>night train</strong>"), "{page}");
    assert!(page.contains("https://www.oebb.at/"), "{page}");
    site.ok(&["rebuild"]);
    for (name, bytes) in pages(&site.docroot) {
        let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
        for hostile in [
            "evil",
            "alert(",
            "onerror",
            "onclick",
            "<iframe",
            "javascript:",
        ] {
            assert!(!text.contains(hostile), "{name} contains {hostile}");
        }
    }

    // The same file again: refused, nothing doubled.
    let again = site.run(&["article", "import-wxr", &wxr()]);
    assert!(!again.status.success());
    assert!(
        text(&again).contains("already has articles at"),
        "{}",
        text(&again)
    );

    // An author given on the command line signs every post.
    let other = Site::new();
    other.ok(&[
        "article",
        "import-wxr",
        &wxr(),
        "--author",
        "@jane@social.example",
    ]);
    let cafe = db(&other).article_by_slug("cafe-bikes").unwrap().unwrap();
    assert_eq!(cafe.author.handle, "jane@social.example");
    assert_eq!(cafe.author.name, "Guest Writer");
}

#[test]
fn a_file_that_is_not_a_wordpress_export_is_refused() {
    let site = Site::new();
    let path = site.dir.path().join("feed.xml");
    std::fs::write(
        &path,
        "<rss><channel><item><title>x</title></item></channel></rss>",
    )
    .unwrap();
    let out = site.run(&["article", "import-wxr", path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("not a WordPress export"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_writefreely_export_imports_its_posts() {
    let site = Site::new();
    let path = site.dir.path().join("writefreely.json");
    std::fs::write(
        &path,
        r#"{"username": "matt", "posts": [{"slug": "loose", "body": "A draft.", "created": "2024-01-02T03:04:05Z"}],
            "collections": [{"alias": "blog", "posts": [
              {"title": "Hello", "slug": "hello", "body": "Hi <script>alert('evil')</script> *there*.",
               "created": "2024-03-05T10:00:00Z", "tags": ["Notes"]}]}]}"#,
    )
    .unwrap();
    let out = site.ok(&["article", "import-writefreely", path.to_str().unwrap()]);
    assert!(
        out.contains("Imported 2 post(s), 1 of them as drafts"),
        "{out}"
    );
    let page = site.read("articles/hello/index.html");
    assert!(page.contains("<em>there</em>"), "{page}");
    assert!(!page.contains("evil"), "{page}");
    let store = db(&site);
    assert_eq!(
        store
            .article_by_slug("loose")
            .unwrap()
            .unwrap()
            .status
            .as_str(),
        "draft"
    );
}
