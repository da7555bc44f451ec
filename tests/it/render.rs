//! Static rendering: incremental writes, gone pages, sanitizing, overrides.

use crate::harness::{Site, changed, snapshot, text};

fn contents(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    site.snapshot()
        .into_iter()
        .map(|(k, (_, v))| (k, v))
        .collect()
}

/// A full rebuild must produce exactly what the incremental writes left.
fn assert_rebuild_changes_nothing(site: &Site) {
    let incremental = contents(site);
    site.ok(&["rebuild"]);
    let full = contents(site);
    let names =
        |m: &std::collections::BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&incremental),
        names(&full),
        "the incremental site has other files than a rebuild"
    );
    for (name, bytes) in &full {
        assert!(
            incremental[name] == *bytes,
            "{name} differs between incremental rendering and a full rebuild"
        );
    }
}

fn forty_five_articles(site: &Site) {
    some_articles(site, 45);
}

fn some_articles(site: &Site, count: usize) {
    let files: Vec<_> = (0..count)
        .map(|i| {
            let day = 1 + i % 28;
            let month = 1 + i / 28;
            site.article(
                &format!("a{i}"),
                &format!(
                    "title = \"Article {i}\"\nslug = \"a-{i}\"\ndate = \"2024-{month:02}-{day:02}T10:00:00Z\"\ntags = [\"Common\"]\nauthor = \"@alice@example.org\"\nauthor_name = \"Alice\""
                ),
                &format!("Body of article {i}.\n\n## Part\n\nMore text."),
            )
        })
        .collect();
    let output = site.import(&files);
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn publishing_rewrites_only_the_pages_that_show_the_article() {
    let site = Site::new();
    forty_five_articles(&site);
    let before = site.snapshot();
    let new = site.article(
        "new",
        "title = \"Fresh news\"\ndate = \"2025-06-01T12:00:00Z\"\ntags = [\"Common\", \"Fresh\"]\nauthor = \"@alice@example.org\"",
        "Just in.",
    );
    let output = site.import(&[new]);
    assert!(output.status.success(), "{}", text(&output));
    let after = site.snapshot();
    let alice = "authors/alice@example.org";
    let expected: Vec<String> = [
        "articles/fresh-news/index.html",
        "articles/fresh-news/index.json",
        "nodeinfo/2.1",
        "outbox.json",
        "outbox/page/3.json",
        "index.html",
        "feed.atom",
        "archive/index.html",
        "archive/2025/06/index.html",
        "sitemap.xml",
        "sitemaps/pages.xml",
        "sitemaps/2025-06.xml",
        "tags/common/index.html",
        "tags/common/feed.atom",
        "tags/common/page/3/index.html",
        "tags/fresh/index.html",
        "tags/fresh/feed.atom",
        &format!("{alice}/index.html"),
        &format!("{alice}/page/3/index.html"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(changed(&before, &after), expected);
    // The new chunk 3 links back to the tag index as "newer".
    assert!(
        site.read("tags/common/page/3/index.html")
            .contains("Fresh news")
    );
    assert!(site.read("index.html").contains("Fresh news"));
    // The outbox pages like the lists: its first page is the newest.
    let outbox: serde_json::Value = serde_json::from_str(&site.read("outbox.json")).unwrap();
    assert_eq!(outbox["totalItems"], 46);
    assert_eq!(outbox["first"], "https://example.org/outbox/page/3");
    let page: serde_json::Value = serde_json::from_str(&site.read("outbox/page/3.json")).unwrap();
    assert_eq!(
        page["orderedItems"][0]["object"]["id"],
        "https://example.org/articles/fresh-news/"
    );
    assert_eq!(page["next"], "https://example.org/outbox/page/2");
    // One article fits on the tag's index: no chunk pages for it.
    assert!(site.exists("tags/fresh/index.html") && !site.exists("tags/fresh/page/1/index.html"));
    assert_rebuild_changes_nothing(&site);
}

#[test]
fn an_article_that_opens_a_new_chunk_updates_the_one_before() {
    let site = Site::new();
    some_articles(&site, 40);
    let before = site.snapshot();
    let new = site.article(
        "new",
        "title = \"Forty-first\"\ndate = \"2025-06-01T12:00:00Z\"\ntags = [\"Common\"]\nauthor = \"@alice@example.org\"",
        "Opens page 3.",
    );
    assert!(site.import(&[new]).status.success());
    let changed = changed(&before, &site.snapshot());
    for page in [
        "tags/common/page/2/index.html",
        "tags/common/page/3/index.html",
    ] {
        assert!(
            changed.contains(&page.to_string()),
            "{page} not rewritten: {changed:?}"
        );
    }
    assert!(
        !changed.contains(&"tags/common/page/1/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        site.read("tags/common/page/2/index.html")
            .contains("/tags/common/page/3/")
    );
    assert_rebuild_changes_nothing(&site);
}

#[test]
fn a_deleted_article_leaves_a_gone_page_and_every_list_forgets_it() {
    let site = Site::new();
    forty_five_articles(&site);
    site.ok(&["article", "delete", "a-3"]);
    let gone = site.read("articles/a-3/index.html");
    assert!(gone.contains("410"), "{gone}");
    assert!(gone.contains("noindex"), "{gone}");
    for page in [
        "tags/common/page/1/index.html",
        "archive/2024/01/index.html",
        "authors/alice@example.org/page/1/index.html",
        "sitemaps/2024-01.xml",
    ] {
        assert!(
            !site.read(page).contains("/articles/a-3/"),
            "{page} still links the deleted article"
        );
    }
    assert!(!site.article_slugs().contains(&"a-3".to_string()));
    assert_rebuild_changes_nothing(&site);
    let output = site.run(&["article", "delete", "no-such-slug"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no article has the slug 'no-such-slug'")
    );
}

#[test]
fn a_script_in_markdown_never_reaches_a_page() {
    let site = Site::new();
    let file = site.article(
        "evil",
        "title = \"Evil\"\ntags = [\"x\"]",
        "Hi <script>alert('pwned')</script>\n\n<img src=x onerror=\"alert('pwned')\">\n\n[x](javascript:alert('pwned'))\n\n<a href=\"#\" onclick=\"alert('pwned')\">y</a>",
    );
    let output = site.import(&[file]);
    assert!(output.status.success(), "{}", text(&output));
    for (name, (_, bytes)) in site.snapshot() {
        let page = String::from_utf8_lossy(&bytes);
        assert!(
            !page.contains("pwned"),
            "{name} carries the payload:\n{page}"
        );
        assert!(
            !page.to_lowercase().contains("<script"),
            "{name} has a script tag"
        );
    }
    assert!(site.read("articles/evil/index.html").contains("Hi"));
}

#[test]
fn every_page_has_a_canonical_url_opengraph_and_a_language() {
    let site = Site::with_base_url("https://example.org/blog");
    let file = site.article(
        "p",
        "title = \"Bonjour\"\nlang = \"fr\"\ntags = [\"Été\"]\nauthor = \"@zoe@example.net\"",
        "Texte.",
    );
    assert!(site.import(&[file]).status.success());
    let page = site.read("articles/bonjour/index.html");
    assert!(page.contains("<html lang=\"fr\""), "{page}");
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://example.org/blog/articles/bonjour/\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("property=\"og:title\" content=\"Bonjour\""),
        "{page}"
    );
    assert!(page.contains("href=\"/blog/tags/été/\""), "{page}");
    assert!(page.contains("fediverse:creator"), "{page}");
    for html in [
        "index.html",
        "archive/index.html",
        "tags/été/index.html",
        "authors/zoe@example.net/index.html",
        "404.html",
    ] {
        let page = site.read(html);
        assert!(page.contains("rel=\"canonical\""), "{html}");
        assert!(page.contains("og:url"), "{html}");
        assert!(page.contains("<html lang=\""), "{html}");
        assert!(!page.contains("<script"), "{html} needs no JavaScript");
    }
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/blog/sitemap.xml")
    );
    assert!(
        site.read("sitemap.xml")
            .contains("https://example.org/blog/sitemaps/pages.xml")
    );
    let feed = site.read("feed.atom");
    assert!(
        feed.contains("<id>https://example.org/blog/articles/bonjour/</id>"),
        "{feed}"
    );
}

#[test]
fn a_template_override_restyles_every_page() {
    let site = Site::new();
    let defaults = site.dir.path().join("defaults");
    crate::harness::command()
        .args(["templates", "dump", defaults.to_str().unwrap()])
        .output()
        .unwrap();
    let base = std::fs::read_to_string(defaults.join("base.html")).unwrap();
    let templates = site.root().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("base.html"),
        base.replace("<body", "<!-- restyled --><body"),
    )
    .unwrap();
    let file = site.article("p", "title = \"Styled\"", "Text.");
    assert!(site.import(&[file]).status.success());
    assert!(
        site.read("articles/styled/index.html")
            .contains("<!-- restyled -->")
    );
    site.ok(&["rebuild"]);
    assert!(
        site.read("archive/index.html")
            .contains("<!-- restyled -->")
    );
}

#[test]
fn a_broken_override_is_named_and_leaves_the_site_untouched() {
    let site = Site::new();
    let file = site.article("p", "title = \"Before\"", "Text.");
    assert!(site.import(&[file]).status.success());
    let templates = site.root().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("article.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock %}\n",
    )
    .unwrap();
    let before = snapshot(&site.docroot);
    for args in [
        vec!["rebuild"],
        vec![
            "article",
            "import",
            site.article("q", "title = \"After\"", "x")
                .to_str()
                .unwrap(),
        ],
    ] {
        let output = site.run(&args);
        assert!(!output.status.success(), "{}", text(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("templates/article.html"), "{stderr}");
        assert!(stderr.contains("line 3"), "{stderr}");
        assert!(changed(&before, &snapshot(&site.docroot)).is_empty());
    }
    // The refused import did not reach the database either.
    assert_eq!(site_slugs_ignoring_templates(&site), ["before"]);
}

/// `article list` needs working templates too, so read the database directly.
fn site_slugs_ignoring_templates(site: &Site) -> Vec<String> {
    let templates = site.root().join("templates");
    let aside = site.root().join("templates.off");
    std::fs::rename(&templates, &aside).unwrap();
    let slugs = site.article_slugs();
    std::fs::rename(&aside, &templates).unwrap();
    slugs
}
