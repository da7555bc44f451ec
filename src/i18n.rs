//! Interface languages: the message catalogs (Fluent, in `locales/`,
//! compiled into the binary), choosing a language (a page's own, the
//! site's, a browser's `Accept-Language`), and looking messages up with
//! their variables and plurals. A message missing from a catalog falls
//! back to English; nothing here panics.
//!
//! A catalog is parsed the first time a message of its language is asked
//! for, so a request that shows no words (the inbox) pays nothing.

use std::sync::{Arc, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use jiff::ZonedDateTime as Zoned;

/// A value given to a message: text or a number (numbers choose plurals).
pub use fluent_bundle::FluentValue as Arg;

/// The catalogs: a language code and its Fluent source. English first: it
/// is the fallback for every missing message.
pub const CATALOGS: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en.ftl")),
    ("fr", include_str!("../locales/fr.ftl")),
];

/// A language that has a catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(usize);

impl Lang {
    pub const ENGLISH: Lang = Lang(0);

    /// The catalog for a language tag, by its primary subtag: `fr-CH` and
    /// `FR` are French; `pt-BR` has none (yet).
    pub fn find(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        CATALOGS
            .iter()
            .position(|(code, _)| code.eq_ignore_ascii_case(primary))
            .map(Lang)
    }

    /// The first of these tags that has a catalog, else English.
    pub fn pick(tags: &[&str]) -> Lang {
        tags.iter()
            .find_map(|tag| Lang::find(tag))
            .unwrap_or(Lang::ENGLISH)
    }

    /// `en`, `fr`: what `<html lang>` says.
    pub fn code(self) -> &'static str {
        CATALOGS.get(self.0).map_or("en", |(code, _)| code)
    }

    /// Every language with a catalog.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..CATALOGS.len()).map(Lang)
    }
}

/// The language tags of an `Accept-Language` header, most wanted first
/// (`q=0` and `*` left out). Garbage gives nothing, never an error.
pub fn accepted_tags(header: &str) -> Vec<String> {
    let mut tags: Vec<(u32, String)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let valid = !tag.is_empty()
                && tag.len() <= 35
                && tag != "*"
                && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                return None;
            }
            let mut quality = 1000;
            for piece in pieces {
                if let Some(q) = piece.trim().strip_prefix("q=") {
                    quality = q
                        .trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))
                        .map_or(0, |q| (q * 1000.0).round() as u32);
                }
            }
            (quality > 0).then(|| (quality, tag.to_string()))
        })
        .collect();
    // Stable: equal weights keep the browser's order.
    tags.sort_by_key(|t| std::cmp::Reverse(t.0));
    tags.into_iter().map(|(_, tag)| tag).collect()
}

/// The language of a page people use (login, editor, admin): the first
/// the browser accepts that has a catalog, else the site's language when
/// it has one, else English: these pages are all interface, so `<html
/// lang>` (this tag) is the language of their words.
pub fn negotiate(accept_language: Option<&str>, site_language: &str) -> String {
    accept_language
        .map(accepted_tags)
        .unwrap_or_default()
        .iter()
        .find_map(|tag| Lang::find(tag))
        .map_or_else(
            || match Lang::find(site_language) {
                Some(_) => site_language.to_string(),
                None => Lang::ENGLISH.code().to_string(),
            },
            |lang| lang.code().to_string(),
        )
}

type Bundle = FluentBundle<FluentResource>;

/// The catalogs, each parsed on first use. One per site context, shared
/// with the template environment.
pub struct I18n {
    bundles: Vec<OnceLock<Bundle>>,
}

impl Default for I18n {
    fn default() -> Self {
        I18n::new()
    }
}

impl I18n {
    pub fn new() -> I18n {
        I18n {
            bundles: CATALOGS.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    fn bundle(&self, lang: Lang) -> Option<&Bundle> {
        let (code, source) = CATALOGS.get(lang.0)?;
        Some(
            self.bundles
                .get(lang.0)?
                .get_or_init(|| parse(code, source)),
        )
    }

    /// A message in `lang`, else in English, else its id (a test makes
    /// sure every id used exists in English).
    pub fn message(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        for candidate in [lang, Lang::ENGLISH] {
            let Some(bundle) = self.bundle(candidate) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            // A missing variable is left as `{$name}` in the text: better
            // a visible slip than no page.
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned();
        }
        id.to_string()
    }

    /// Whether the catalog of `lang` itself has this message.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).is_some_and(|b| b.has_message(id))
    }
}

fn parse(code: &str, source: &'static str) -> Bundle {
    // A syntax error loses only the entries it touches (the catalogs are
    // checked by tests); the rest still works.
    let resource =
        FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    let locale = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // Unicode isolation marks around every variable would end up in
    // HTML attributes, e-mails and DMs: our variables are names and
    // numbers, not right-to-left text.
    bundle.set_use_isolating(false);
    bundle.add_resource_overriding(resource);
    bundle
}

/// The messages of one language: what Rust code asks for its words.
/// Cheap to clone.
#[derive(Clone)]
pub struct Messages {
    i18n: Arc<I18n>,
    lang: Lang,
}

impl Messages {
    pub fn new(i18n: Arc<I18n>, lang: Lang) -> Messages {
        Messages { i18n, lang }
    }

    /// The messages for a language tag, else for `fallback`, else English.
    pub fn for_tag(i18n: Arc<I18n>, tag: &str, fallback: &str) -> Messages {
        Messages::new(i18n, Lang::pick(&[tag, fallback]))
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// A message without variables.
    pub fn t(&self, id: &str) -> String {
        self.i18n.message(self.lang, id, None)
    }

    /// A message with variables: `t_with("home-followers", &[("count", 3.into())])`.
    pub fn t_with(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.i18n.message(self.lang, id, Some(&fluent))
    }

    fn day_month_year(&self, id: &str, at: &Zoned, weekday: bool) -> String {
        let mut args = vec![
            ("day", Arg::from(at.day())),
            ("month", Arg::from(self.month(at.month()))),
            ("year", Arg::from(at.year().to_string())),
        ];
        if weekday {
            args.push(("weekday", Arg::from(self.weekday(at, false))));
        }
        self.t_with(id, &args)
    }

    /// `26 November 2026`, `26 novembre 2026`.
    pub fn date(&self, at: &Zoned) -> String {
        self.day_month_year("date-long", at, false)
    }

    /// `Thursday 26 November 2026`, `jeudi 26 novembre 2026`.
    pub fn date_weekday(&self, at: &Zoned) -> String {
        self.day_month_year("date-weekday", at, true)
    }

    /// `26 November 2026, 10:00`, `26 novembre 2026 à 10:00`.
    pub fn date_time(&self, at: &Zoned) -> String {
        self.t_with(
            "date-time",
            &[
                ("date", Arg::from(self.date(at))),
                ("time", Arg::from(time(at))),
            ],
        )
    }

    /// `November`, `novembre` for 1 to 12.
    pub fn month(&self, number: i8) -> String {
        self.t(&format!("month-{}", number.clamp(1, 12)))
    }

    /// `Nov`, `nov.`
    pub fn month_short(&self, number: i8) -> String {
        self.t(&format!("month-short-{}", number.clamp(1, 12)))
    }

    /// `Thursday`, `jeudi` (or `Thu`, `jeu.` when `short`).
    pub fn weekday(&self, at: &Zoned, short: bool) -> String {
        let number = at.weekday().to_monday_one_offset();
        let kind = if short { "weekday-short" } else { "weekday" };
        self.t(&format!("{kind}-{number}"))
    }

    /// `November 2026` for `2026-11`.
    pub fn month_year(&self, month: &str) -> String {
        let (year, number) = month.split_once('-').unwrap_or((month, "01"));
        let number = number.parse::<i8>().unwrap_or(1);
        self.t_with(
            "month-year",
            &[
                ("month", Arg::from(self.month(number))),
                ("year", Arg::from(year.to_string())),
            ],
        )
    }
}

/// `10:00`: 24-hour clock in both shipped languages.
pub fn time(at: &Zoned) -> String {
    at.strftime("%H:%M").to_string()
}

/// Every message id of a catalog with the variables it uses, sorted: for
/// the tests that keep catalogs in step.
pub fn catalog_ids(lang: Lang) -> Vec<(String, Vec<String>)> {
    use fluent_syntax::ast;
    let Some((_, source)) = CATALOGS.get(lang.0) else {
        return Vec::new();
    };
    let resource = match fluent_syntax::parser::parse(*source) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let mut ids = Vec::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut vars = Vec::new();
            if let Some(pattern) = &message.value {
                pattern_variables(pattern, &mut vars);
            }
            vars.sort();
            vars.dedup();
            ids.push((message.id.name.to_string(), vars));
        }
    }
    ids.sort();
    ids
}

fn pattern_variables(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::PatternElement;
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &fluent_syntax::ast::Expression<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression};
    let inline = |e: &InlineExpression<&str>, out: &mut Vec<String>| match e {
        InlineExpression::VariableReference { id } => out.push(id.name.to_string()),
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    };
    match expression {
        Expression::Inline(e) => inline(e, out),
        Expression::Select { selector, variants } => {
            inline(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
    }
}

/// Syntax errors of every catalog, for a test: `(code, error)`.
pub fn catalog_errors() -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    for (code, source) in CATALOGS {
        if let Err((_, found)) = FluentResource::try_new(source.to_string()) {
            errors.extend(found.into_iter().map(|e| (*code, format!("{e:?}"))));
        }
    }
    errors
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn messages(code: &str) -> Messages {
        Messages::new(Arc::new(I18n::new()), Lang::find(code).unwrap())
    }

    fn zoned(text: &str) -> Zoned {
        text.parse().unwrap()
    }

    #[test]
    fn catalogs_parse_without_errors() {
        assert_eq!(catalog_errors(), Vec::new());
    }

    #[test]
    fn every_message_exists_in_every_language_with_the_same_variables() {
        let english = catalog_ids(Lang::ENGLISH);
        assert!(english.len() > 50, "{}", english.len());
        for lang in Lang::all().skip(1) {
            let other = catalog_ids(lang);
            let missing: Vec<_> = english.iter().filter(|e| !other.contains(e)).collect();
            let extra: Vec<_> = other.iter().filter(|o| !english.contains(o)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing or different {missing:?}; not in English {extra:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let en = messages("en");
        let fr = messages("fr");
        let count = |m: &Messages, n: i64| m.t_with("home-followers", &[("count", n.into())]);
        assert_eq!(count(&en, 1), "1 follower");
        assert_eq!(count(&en, 0), "0 followers");
        assert_eq!(count(&en, 2), "2 followers");
        // French counts 0 and 1 as singular.
        assert_eq!(count(&fr, 0), "0 abonné");
        assert_eq!(count(&fr, 1), "1 abonné");
        assert_eq!(count(&fr, 1200), "1200 abonnés");
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let at = zoned("2026-11-26T10:00:00[Europe/Paris]");
        let en = messages("en");
        let fr = messages("fr");
        assert_eq!(en.date(&at), "26 November 2026");
        assert_eq!(en.date_weekday(&at), "Thursday 26 November 2026");
        assert_eq!(en.date_time(&at), "26 November 2026, 10:00");
        assert_eq!(fr.date(&at), "26 novembre 2026");
        assert_eq!(fr.date_weekday(&at), "jeudi 26 novembre 2026");
        assert_eq!(fr.date_time(&at), "26 novembre 2026 à 10:00");
        let first = zoned("2026-11-01T00:00:00[UTC]");
        assert_eq!(fr.date_weekday(&first), "dimanche 1er novembre 2026");
        assert_eq!(en.date(&first), "1 November 2026");
        assert_eq!(en.month_year("2026-11"), "November 2026");
        assert_eq!(fr.month_year("2026-08"), "août 2026");
        assert_eq!(en.month_short(5), "May");
        assert_eq!(en.weekday(&at, true), "Thu");
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_id() {
        let i18n = I18n::new();
        // Only English has it: the test catalogs are in step, so ask
        // for an id French lacks through the lookup itself.
        assert!(!i18n.has(Lang::find("fr").unwrap(), "no-such-message"));
        let fr = messages("fr");
        assert_eq!(fr.t("no-such-message"), "no-such-message");
        // A missing variable leaves a visible mark, never a panic.
        assert_eq!(messages("en").t("home-followers"), "{$count} followers");
    }

    #[test]
    fn language_tags_find_their_catalog() {
        assert_eq!(Lang::find("fr-CH").map(Lang::code), Some("fr"));
        assert_eq!(Lang::find("FR").map(Lang::code), Some("fr"));
        assert_eq!(Lang::find("en_GB").map(Lang::code), Some("en"));
        assert_eq!(Lang::find("pt-BR"), None);
        assert_eq!(Lang::find(""), None);
        assert_eq!(Lang::pick(&["de", "fr"]).code(), "fr");
        assert_eq!(Lang::pick(&["de", "pt"]).code(), "en");
    }

    #[test]
    fn accept_language_is_negotiated_and_garbage_is_ignored() {
        assert_eq!(
            accepted_tags("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"),
            ["fr-CH", "fr", "en", "de"]
        );
        assert_eq!(accepted_tags("en;q=0.1, fr"), ["fr", "en"]);
        assert_eq!(accepted_tags("fr;q=0, en"), ["en"]);
        assert_eq!(negotiate(Some("fr-CH, fr;q=0.9, en;q=0.8"), "en"), "fr");
        assert_eq!(negotiate(Some("de, en;q=0.5"), "fr"), "en");
        assert_eq!(negotiate(Some("de"), "fr"), "fr");
        assert_eq!(negotiate(None, "fr-CA"), "fr-CA");
        // No catalog for the site's language: the words, and so the
        // page's language, are English.
        assert_eq!(negotiate(None, "pt-BR"), "en");
        for garbage in [
            "",
            ";;;",
            "q=1",
            "\u{0}\u{1}",
            "fr;q=abc",
            "<script>",
            ",,,",
        ] {
            let tags = accepted_tags(garbage);
            assert!(tags.iter().all(|t| t == "fr"), "{garbage:?}: {tags:?}");
        }
        assert_eq!(negotiate(Some("@@@, ;q=2"), "fr"), "fr");
    }

    /// The files of a folder of the crate, recursively, with an extension.
    fn files(dir: &str, extensions: &[&str]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| extensions.iter().any(|x| e == *x))
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push((path.display().to_string(), text));
                }
            }
        }
        out
    }

    /// The ids in `t("id"` and `t_with("id"` calls; an id ending in `-`
    /// is a prefix completed at run time (`t("state-" ~ s)`).
    fn ids_used(text: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for call in ["t(\"", "t_with(\""] {
            for (at, _) in text.match_indices(call) {
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &text[at + call.len()..];
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                if !id.is_empty() && rest[id.len()..].starts_with('"') {
                    ids.push(id);
                }
            }
        }
        ids
    }

    #[test]
    fn every_message_used_in_templates_and_code_is_in_the_english_catalog() {
        let english: Vec<String> = catalog_ids(Lang::ENGLISH)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut sources = files("templates", &["html", "atom", "xml", "txt"]);
        sources.extend(files("src", &["rs"]));
        let mut used = 0;
        let mut missing = Vec::new();
        // This file's own examples and tests are not messages.
        sources.retain(|(path, _)| !path.ends_with("src/i18n.rs"));
        for (path, text) in &sources {
            for id in ids_used(text) {
                used += 1;
                let found = if id.ends_with('-') {
                    english.iter().any(|e| e.starts_with(&id))
                } else {
                    english.contains(&id)
                };
                if !found {
                    missing.push(format!("{path}: {id}"));
                }
            }
        }
        assert!(used > 100, "only {used} messages used?");
        assert!(
            missing.is_empty(),
            "not in locales/en.ftl:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn message_ids_chosen_at_run_time_are_in_the_english_catalog() {
        // Ids kept in variables (notices, statuses, reasons) are literals
        // with these prefixes, then shown with `t(...)`.
        const PREFIXES: &[&str] = &[
            "notice-",
            "admin-notice-",
            "status-",
            "closed-",
            "field-",
            "check-",
            "summary-",
            "dm-",
            "login-too-many-",
            "join-too-many-",
            "event-editor-postpone-",
            "settings-problem-",
        ];
        let english: Vec<String> = catalog_ids(Lang::ENGLISH)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut checked = 0;
        let mut missing = Vec::new();
        for (path, text) in files("src", &["rs"]) {
            if path.ends_with("src/i18n.rs") {
                continue;
            }
            for literal in text.split('"').skip(1).step_by(2) {
                let kebab = !literal.is_empty()
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if kebab && PREFIXES.iter().any(|p| literal.starts_with(p)) {
                    checked += 1;
                    if !english.iter().any(|e| e == literal) {
                        missing.push(format!("{path}: {literal}"));
                    }
                }
            }
        }
        assert!(checked > 30, "only {checked} ids checked?");
        assert!(
            missing.is_empty(),
            "not in locales/en.ftl:\n{}",
            missing.join("\n")
        );
    }

    /// Interface text written in a template instead of the catalog: the
    /// text between tags and the words of alt, title, aria-label and
    /// placeholder attributes, once template tags are removed.
    fn english_left(template: &str) -> Vec<String> {
        // What may stay: examples typed in fields, and symbols.
        const ALLOWED: &[&str] = &[
            "@alice@mastodon.social",
            "alice@mastodon.social",
            "ABCD-EFGH",
            "Europe/Paris",
            "Markdown",
            "https://",
            "CSV",
            "Affiche",
            "XXXX-XXXX-XXXX-XXXX",
            "@you@example.social",
            "/.affiche/affiche.sqlite",
            "410 Gone",
            ".ics",
        ];
        let mut text = template.to_string();
        for (open, close) in [("{#", "#}"), ("{%", "%}"), ("{{", "}}")] {
            while let Some(start) = text.find(open) {
                let end = text[start..]
                    .find(close)
                    .map_or(text.len(), |e| start + e + 2);
                text.replace_range(start..end, " ");
            }
        }
        for tag in ["script", "style"] {
            while let Some(start) = text.find(&format!("<{tag}")) {
                let close = format!("</{tag}>");
                let end = text[start..]
                    .find(&close)
                    .map_or(text.len(), |e| start + e + close.len());
                text.replace_range(start..end, " ");
            }
        }
        let mut pieces = Vec::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('<') {
            pieces.push(rest[..open].to_string());
            let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
            let tag = &rest[open..close];
            for attr in ["alt=\"", "title=\"", "aria-label=\"", "placeholder=\""] {
                if let Some(at) = tag.find(attr) {
                    let value = &tag[at + attr.len()..];
                    pieces.push(value[..value.find('"').unwrap_or(value.len())].to_string());
                }
            }
            rest = &rest[close..];
        }
        pieces.push(rest.to_string());
        pieces
            .into_iter()
            .map(|p| {
                let mut p = p.replace("&nbsp;", " ");
                for allowed in ALLOWED {
                    p = p.replace(allowed, " ");
                }
                p
            })
            .filter(|p| {
                p.split(|c: char| !c.is_alphabetic())
                    .any(|word| word.chars().count() >= 2)
            })
            .map(|p| p.trim().to_string())
            // A language tag as a field's example.
            .filter(|p| p != "en")
            .collect()
    }

    #[test]
    fn templates_have_no_interface_text_of_their_own() {
        // Machine-read files, not shown to people as text.
        const SKIP: &[&str] = &[
            "robots.txt",
            "sitemap.xml",
            "sitemap_index.xml",
            "feed.atom",
        ];
        let mut found = Vec::new();
        for (path, text) in files("templates", &["html"]) {
            let name = path.rsplit('/').next().unwrap_or_default();
            if SKIP.contains(&name) {
                continue;
            }
            for piece in english_left(&text) {
                found.push(format!("{path}: {piece:?}"));
            }
        }
        assert!(
            found.is_empty(),
            "text to move into locales/*.ftl (use {{{{ t(\"id\") }}}}):\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_scan_finds_text_and_leaves_template_code() {
        let found = english_left(
            "{# A comment #}<p class=\"x\">{{ t(\"a\") }} Hello</p><img alt=\"Photo\" src=\"{{ a }}\">{% if x %}<b>{{ y }}</b>{% endif %}<input placeholder=\"@alice@mastodon.social\">",
        );
        assert_eq!(found, ["Hello", "Photo"]);
    }

    #[test]
    fn loading_a_catalog_is_cheap_and_happens_once() {
        // The cost the first message of a language adds to a request;
        // printed for the record (`cargo test --lib i18n -- --nocapture`).
        let start = std::time::Instant::now();
        let i18n = I18n::new();
        let made = start.elapsed();
        let start = std::time::Instant::now();
        let first = i18n.message(Lang::ENGLISH, "nav-home", None);
        let parse = start.elapsed();
        let start = std::time::Instant::now();
        for _ in 0..1000 {
            let _ = i18n.message(Lang::ENGLISH, "nav-home", None);
        }
        let each = start.elapsed() / 1000;
        assert_eq!(first, "Home");
        println!(
            "i18n: I18n::new {made:?}; first message (parses en.ftl, {} bytes) {parse:?}; then {each:?} a message",
            CATALOGS[0].1.len()
        );
    }
}
