//! Templates: the defaults are compiled into the binary, and a file of the
//! same name in the site's `templates/` folder wins, file by file, so a user
//! can restyle `base.html` and keep every other default.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use std::sync::Arc;

use fluent_bundle::FluentArgs;
use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, State};

use crate::i18n::{Arg, I18n, Lang};

/// Every template the renderer uses, with its embedded default.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "_summary.html",
        include_str!("../../templates/_summary.html"),
    ),
    (
        "_pagination.html",
        include_str!("../../templates/_pagination.html"),
    ),
    ("article.html", include_str!("../../templates/article.html")),
    (
        "_comments.html",
        include_str!("../../templates/_comments.html"),
    ),
    ("event.html", include_str!("../../templates/event.html")),
    (
        "_participation.html",
        include_str!("../../templates/_participation.html"),
    ),
    ("events.html", include_str!("../../templates/events.html")),
    (
        "_event_summary.html",
        include_str!("../../templates/_event_summary.html"),
    ),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "archive_index.html",
        include_str!("../../templates/archive_index.html"),
    ),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("author.html", include_str!("../../templates/author.html")),
    ("gone.html", include_str!("../../templates/gone.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("feed.atom", include_str!("../../templates/feed.atom")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "sitemap_index.xml",
        include_str!("../../templates/sitemap_index.xml"),
    ),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    (
        "_app_head.html",
        include_str!("../../templates/_app_head.html"),
    ),
    ("message.html", include_str!("../../templates/message.html")),
    ("report.html", include_str!("../../templates/report.html")),
    ("rules.html", include_str!("../../templates/rules.html")),
    (
        "_block_author.html",
        include_str!("../../templates/_block_author.html"),
    ),
    (
        "admin_settings.html",
        include_str!("../../templates/admin_settings.html"),
    ),
    ("admin.html", include_str!("../../templates/admin.html")),
    (
        "_admin_reply.html",
        include_str!("../../templates/_admin_reply.html"),
    ),
    (
        "admin_health.html",
        include_str!("../../templates/admin_health.html"),
    ),
    (
        "admin_delete.html",
        include_str!("../../templates/admin_delete.html"),
    ),
    (
        "admin_doctor.html",
        include_str!("../../templates/admin_doctor.html"),
    ),
    (
        "admin_export.html",
        include_str!("../../templates/admin_export.html"),
    ),
    ("login.html", include_str!("../../templates/login.html")),
    (
        "login_wait.html",
        include_str!("../../templates/login_wait.html"),
    ),
    (
        "login_link.html",
        include_str!("../../templates/login_link.html"),
    ),
    (
        "participate.html",
        include_str!("../../templates/participate.html"),
    ),
    (
        "participants.html",
        include_str!("../../templates/participants.html"),
    ),
    (
        "editor_list.html",
        include_str!("../../templates/editor_list.html"),
    ),
    ("editor.html", include_str!("../../templates/editor.html")),
    (
        "editor_delete.html",
        include_str!("../../templates/editor_delete.html"),
    ),
    (
        "event_editor.html",
        include_str!("../../templates/event_editor.html"),
    ),
    (
        "_editor_common.html",
        include_str!("../../templates/_editor_common.html"),
    ),
];

/// Builds the template environment and compiles every template once, so a
/// broken override is reported before anything is written.
pub fn environment(overrides: &Path) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".atom") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // minijinja's HTML escaping also escapes `/`, which makes every URL in
    // the output read `https:&#x2f;&#x2f;`; the five characters that matter
    // in text and quoted attributes are enough.
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == AutoEscape::Html
            && !value.is_safe()
            && value.kind() == minijinja::value::ValueKind::String
        {
            let text = value.as_str().unwrap_or_default();
            return out
                .write_str(&escape_html(text))
                .map_err(minijinja::Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_filter("cdata", cdata);
    let dir = overrides.to_path_buf();
    env.set_loader(move |name| load(&dir, name));
    // The built-in templates are tested; overrides are checked now, so a
    // broken one is reported before anything is written.
    for (name, _) in DEFAULTS {
        let file = override_path(overrides, name);
        if !file.is_file() {
            continue;
        }
        if let Err(err) = env.get_template(name) {
            bail!(
                "the override {} is broken: {}\n  fix the file, or delete it to use the default (`affiche templates dump DIR` writes the defaults)",
                file.display(),
                describe(&err)
            );
        }
    }
    Ok(env)
}

/// Registers `t`, the message function of every template:
/// `{{ t("nav-home") }}`, `{{ t("home-followers", count=n) }}`. The
/// language is the template's `ui_lang`, else `page.lang`, else
/// `site.language` (the first with a catalog), else English. An id ending
/// in `-html` is markup from our catalog: its variables are escaped
/// (unless already safe) and the result is not escaped again.
pub fn add_messages(env: &mut Environment<'static>, i18n: Arc<I18n>) {
    env.add_function(
        "t",
        move |state: &State, id: &str, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            let lang = template_lang(state);
            let html = id.ends_with("-html");
            let mut args = FluentArgs::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                args.set(name.to_string(), message_arg(&value, html));
            }
            let text = i18n.message(lang, id, Some(&args));
            Ok(if html {
                Value::from_safe_string(text)
            } else {
                Value::from(text)
            })
        },
    );
}

/// The catalog a template's words come from.
fn template_lang(state: &State) -> Lang {
    let text = |value: Option<Value>| value.and_then(|v| v.as_str().map(str::to_string));
    let attr =
        |name: &str, attr: &str| text(state.lookup(name).and_then(|v| v.get_attr(attr).ok()));
    let candidates = [
        text(state.lookup("ui_lang")),
        attr("page", "lang"),
        attr("site", "language"),
    ];
    let tags: Vec<&str> = candidates.iter().flatten().map(String::as_str).collect();
    Lang::pick(&tags)
}

/// A template value as a message variable: numbers stay numbers (they
/// choose plurals); text is escaped for `-html` messages unless safe.
fn message_arg(value: &Value, html: bool) -> Arg<'static> {
    if let Some(number) = value.as_i64() {
        return Arg::from(number);
    }
    if value.kind() == minijinja::value::ValueKind::Number {
        if let Ok(number) = f64::try_from(value.clone()) {
            return Arg::from(number);
        }
    }
    if value.is_undefined() || value.is_none() {
        return Arg::from(String::new());
    }
    let text = value.to_string();
    if html && !value.is_safe() {
        Arg::from(escape_html(&text))
    } else {
        Arg::from(text)
    }
}

/// `{{ html|cdata }}`: text as an XML CDATA section, for HTML inside a feed.
/// Cheaper than escaping every `<` of a whole article, and as valid.
fn cdata(text: &str) -> minijinja::Value {
    let inner = if text.contains("]]>") {
        std::borrow::Cow::Owned(text.replace("]]>", "]]]]><![CDATA[>"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    minijinja::Value::from_safe_string(format!("<![CDATA[{inner}]]>"))
}

/// Escapes text for HTML and XML content and double- or single-quoted
/// attributes. Runs of plain text are copied whole: feeds escape whole
/// article bodies, so this is on the publish path.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `at` is always a char boundary.
        out.push_str(&text[plain..at]);
        out.push_str(entity);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out
}

pub(super) fn override_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn load(dir: &Path, name: &str) -> Result<Option<String>, minijinja::Error> {
    if name.contains("..") || name.starts_with('/') || name.contains('\\') {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "template name '{name}' is refused: it must not contain '..' or start with '/'"
            ),
        ));
    }
    let file = override_path(dir, name);
    match std::fs::read_to_string(&file) {
        Ok(text) => return Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("cannot read {}: {err}", file.display()),
            ));
        }
    }
    Ok(DEFAULTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| (*text).to_string()))
}

/// One line that names the template, the line and the problem.
pub fn describe(err: &minijinja::Error) -> String {
    let mut text = err.to_string();
    if let (Some(name), Some(line)) = (err.name(), err.line()) {
        text = format!("{name}, line {line}: {}", err.detail().unwrap_or(&text));
    }
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// Writes the default templates into `dir` for the user to edit.
pub fn dump(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, _) in DEFAULTS {
        let path = dir.join(name);
        if path.exists() {
            bail!(
                "{} already exists; dump into an empty folder so no edit is overwritten",
                path.display()
            );
        }
        written.push(path);
    }
    for ((_, text), path) in DEFAULTS.iter().zip(&written) {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(written)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_compiles() {
        let dir = tempfile::tempdir().unwrap();
        let env = environment(dir.path()).unwrap();
        for (name, _) in DEFAULTS {
            if let Err(err) = env.get_template(name) {
                panic!("{}", describe(&err));
            }
        }
    }

    #[test]
    fn an_override_wins_file_by_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("robots.txt"), "custom {{ sitemap_url }}").unwrap();
        let env = environment(dir.path()).unwrap();
        let out = env
            .get_template("robots.txt")
            .unwrap()
            .render(minijinja::context! { sitemap_url => "S" })
            .unwrap();
        assert_eq!(out, "custom S");
        let home = env.get_template("404.html").unwrap();
        assert!(home.source().contains("extends"));
    }

    #[test]
    fn a_broken_override_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("article.html"), "ok\nok\n{% if %}\n").unwrap();
        let err = environment(dir.path()).err().unwrap().to_string();
        assert!(err.contains("article.html"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("delete it to use the default"), "{err}");
    }

    #[test]
    fn urls_stay_readable_and_markup_is_escaped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("404.html"), "{{ a }}|{{ b|safe }}").unwrap();
        let env = environment(dir.path()).unwrap();
        let out = env
            .get_template("404.html")
            .unwrap()
            .render(minijinja::context! { a => "https://x.org/?a=1&b=\"<'>", b => "<b>" })
            .unwrap();
        assert_eq!(out, "https://x.org/?a=1&amp;b=&quot;&lt;&#39;&gt;|<b>");
    }

    #[test]
    fn cdata_sections_cannot_be_closed_early() {
        let value = cdata("<p>a]]>b</p>");
        assert_eq!(value.to_string(), "<![CDATA[<p>a]]]]><![CDATA[>b</p>]]>");
        assert!(value.is_safe());
    }

    #[test]
    fn names_with_dot_dot_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let env = environment(dir.path()).unwrap();
        let err = env.get_template("../affiche.toml").err().unwrap();
        assert!(describe(&err).contains("refused"), "{}", describe(&err));
    }
}
