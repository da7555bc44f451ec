//! Interface languages: a French site's pages in French, an English
//! article on it in English, the app pages in the browser's language.

use affiche::context::Context;
use affiche::events::{instant, parse_date, parse_time, zone};
use affiche::publish;
use affiche::render::markdown;
use affiche::store::{ArticleEdit, Author, EventFields, EventStatus, JoinMode};

use crate::apache::Apache;
use crate::harness::{Site, text};

/// A site whose `language` is French.
fn french_site() -> Site {
    let site = Site::new();
    let config = std::fs::read_to_string(&site.config).unwrap();
    assert!(config.contains("language = \"en\""), "{config}");
    std::fs::write(
        &site.config,
        config.replace("language = \"en\"", "language = \"fr\""),
    )
    .unwrap();
    site
}

fn import(site: &Site, name: &str, front: &str) {
    let file = site.article(name, front, "Un texte.\n\nEt un autre paragraphe.");
    let output = site.import(&[file]);
    assert!(output.status.success(), "{}", text(&output));
}

fn author() -> Author {
    Author {
        actor_id: "https://m.example/users/alice".into(),
        handle: "alice@m.example".into(),
        name: "Alice Martin".into(),
        avatar: String::new(),
        profile_url: "https://m.example/@alice".into(),
        inbox: String::new(),
        credits_site: true,
        updated_at: 0,
    }
}

/// An event on Thursday 26 November 2026, 10:00–12:00 in Paris, in `lang`.
fn publish_event(ctx: &Context, title: &str, lang: &str) -> String {
    let md = "On se retrouve.".to_string();
    let edit = ArticleEdit {
        title: title.into(),
        summary: String::new(),
        body: markdown::render_body(&md),
        body_md: md,
        lang: lang.into(),
        tags: Vec::new(),
        cover: String::new(),
    };
    let tz = zone("Europe/Paris").unwrap();
    let day = parse_date("2026-11-26").unwrap();
    let at = |t: &str| {
        instant(day, parse_time(t).unwrap(), &tz)
            .unwrap()
            .as_second()
    };
    let fields = EventFields {
        starts_at: at("10:00"),
        ends_at: at("12:00"),
        time_zone: "Europe/Paris".into(),
        all_day: false,
        place_name: "Salle des fêtes".into(),
        street: String::new(),
        postal_code: "75002".into(),
        city: "Paris".into(),
        region: String::new(),
        country: String::new(),
        latitude: None,
        longitude: None,
        online_url: String::new(),
        capacity: Some(20),
        status: EventStatus::Confirmed,
        category: "MEETING".into(),
        join_mode: JoinMode::Free,
        external_url: String::new(),
    };
    let now = 1_790_000_000;
    let (draft, _) = publish::create_draft(ctx, &author(), &edit, title, now).unwrap();
    ctx.store.insert_event(draft.id, &fields).unwrap();
    publish::publish(ctx, &draft, &edit, now).unwrap();
    ctx.store.article_by_id(draft.id).unwrap().unwrap().slug
}

fn assert_has(page: &str, what: &[&str]) {
    for text in what {
        assert!(page.contains(text), "missing {text:?} in:\n{page}");
    }
}

fn assert_lacks(page: &str, what: &[&str]) {
    for text in what {
        assert!(!page.contains(text), "unexpected {text:?} in:\n{page}");
    }
}

#[test]
fn a_french_site_renders_its_pages_in_french() {
    let site = french_site();
    import(
        &site,
        "fr",
        "title = \"Bonjour\"\nslug = \"bonjour\"\ndate = \"2026-11-01T10:00:00Z\"\nauthor = \"@alice@example.org\"",
    );
    let home = site.read("index.html");
    assert_has(
        &home,
        &[
            "<html lang=\"fr\">",
            ">Accueil</a>",
            ">Événements</a>",
            "Publié avec Affiche",
            "depuis le fédivers",
            "1er novembre 2026",
        ],
    );
    assert_lacks(&home, &[">Home</a>", "Published with Affiche", "November"]);
    let article = site.read("articles/bonjour/index.html");
    assert_has(
        &article,
        &["<html lang=\"fr\">", ">Accueil</a>", "1er novembre 2026"],
    );
    assert_lacks(&article, &["Published with Affiche", "November"]);

    let ctx = Context::open(&site.config).unwrap();
    let slug = publish_event(&ctx, "Fête de quartier", "fr");
    let event = site.read(&format!("events/{slug}/index.html"));
    assert_has(
        &event,
        &[
            "<html lang=\"fr\">",
            "jeudi 26 novembre 2026 de 10:00 à 12:00 (Europe/Paris)",
        ],
    );
    assert_lacks(&event, &["Thursday", "November", "Published with Affiche"]);
}

#[test]
fn an_english_article_on_a_french_site_has_english_words_on_its_own_page() {
    let site = french_site();
    import(
        &site,
        "en",
        "title = \"Hello\"\nslug = \"hello\"\nlang = \"en\"\ndate = \"2026-11-26T10:00:00Z\"\nauthor = \"@alice@example.org\"",
    );
    import(
        &site,
        "de",
        "title = \"Hallo\"\nslug = \"hallo\"\nlang = \"de\"\ndate = \"2026-11-26T10:00:00Z\"\nauthor = \"@alice@example.org\"",
    );
    let english = site.read("articles/hello/index.html");
    assert_has(
        &english,
        &["<html lang=\"en\">", ">Home</a>", "26 November 2026"],
    );
    assert_lacks(&english, &["Accueil", "novembre"]);
    // No German catalog: the site's French around a German article.
    let german = site.read("articles/hallo/index.html");
    assert_has(
        &german,
        &[
            "<html lang=\"fr\">",
            "lang=\"de\"",
            ">Accueil</a>",
            "26 novembre 2026",
        ],
    );
    // Site-wide pages keep the site's language whatever the articles'.
    let home = site.read("index.html");
    assert_has(&home, &["<html lang=\"fr\">", "26 novembre 2026"]);
    assert_lacks(&home, &[">Home</a>", "November"]);
}

/// GET /login through Apache with an `Accept-Language` header.
fn login_page(apache: &Apache, accept: Option<&str>) -> String {
    let header = accept.map_or(String::new(), |a| format!("Accept-Language: {a}\r\n"));
    let (status, page) = crate::harness::http(
        &apache.address,
        &format!(
            "GET /login HTTP/1.0\r\nHost: {}\r\n{header}\r\n",
            apache.address
        ),
        b"",
    );
    assert_eq!(status, 200, "{page}\n{}", apache.error_log());
    page
}

#[test]
fn app_pages_speak_the_browser_language_through_apache() {
    let site = Site::new();
    let apache = Apache::start(&site);
    let french = login_page(&apache, Some("fr-CH, fr;q=0.9, en;q=0.8"));
    assert_has(
        &french,
        &[
            "<html lang=\"fr\">",
            "Écrire sur Test site",
            "Votre identifiant du fédivers",
            "M’envoyer un lien de connexion",
            ">Accueil</a>",
        ],
    );
    // Nothing left in the site's English.
    assert_lacks(
        &french,
        &[
            "Send me a login link",
            "Your fediverse handle",
            ">Home</a>",
            "Write on",
        ],
    );
    // The site's language when the browser asks for nothing we have, or
    // for nonsense; never an error.
    for accept in [
        None,
        Some("de-DE, ja;q=0.5"),
        Some(";;;, q=2, *;q=abc, @@"),
        Some(""),
    ] {
        let page = login_page(&apache, accept);
        assert_has(&page, &["<html lang=\"en\">", "Send me a login link"]);
        assert_lacks(&page, &["Accueil"]);
    }
}

#[test]
fn a_french_site_answers_in_french_unless_the_browser_prefers_english() {
    let site = french_site();
    let apache = Apache::start(&site);
    let page = login_page(&apache, Some("xx, zz;q=0.1"));
    assert_has(
        &page,
        &["<html lang=\"fr\">", "M’envoyer un lien de connexion"],
    );
    let page = login_page(&apache, Some("en-GB,en;q=0.9"));
    assert_has(&page, &["<html lang=\"en\">", "Send me a login link"]);
    // An error made by the program itself, in the visitor's language.
    let (status, refused) = crate::harness::http(
        &apache.address,
        &format!(
            "POST /login HTTP/1.0\r\nHost: {}\r\nAccept-Language: fr\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\n",
            apache.address
        ),
        b"x",
    );
    assert_eq!(status, 415, "{refused}");
    assert_has(&refused, &["Pas un formulaire", "<html lang=\"fr\">"]);
}
