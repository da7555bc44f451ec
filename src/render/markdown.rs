//! Markdown to safe HTML: pulldown-cmark with the extensions authors expect,
//! heading anchors, and ammonia over the result so raw HTML in Markdown can
//! never bring a script, a style or an event handler onto a page.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The sanitizer is built once per process: its allow-lists are constant.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["input"])
            .add_tag_attributes("input", ["checked", "disabled"])
            .set_tag_attribute_value("input", "type", "checkbox")
            .set_tag_attribute_value("input", "disabled", "")
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .add_generic_attributes(["id"])
            .add_allowed_classes("sup", ["footnote-reference"])
            .add_allowed_classes("div", ["footnote-definition"])
            .add_allowed_classes("span", ["footnote-definition-label"])
            .add_allowed_classes("code", LANGUAGE_CLASSES)
            .filter_style_properties(HashSet::from(["text-align"]))
            .link_rel(Some("noopener nofollow ugc"));
        builder
    })
}

/// Code block languages kept as classes for syntax-highlighting themes.
const LANGUAGE_CLASSES: &[&str] = &[
    "language-rust",
    "language-python",
    "language-js",
    "language-javascript",
    "language-ts",
    "language-typescript",
    "language-html",
    "language-css",
    "language-sh",
    "language-bash",
    "language-shell",
    "language-json",
    "language-toml",
    "language-yaml",
    "language-sql",
    "language-c",
    "language-cpp",
    "language-go",
    "language-java",
    "language-ruby",
    "language-php",
    "language-text",
    "language-diff",
    "language-xml",
];

/// Bumped whenever the HTML this module makes changes, so that bodies stored
/// by an older version are rendered again at the next rebuild.
pub const VERSION: i64 = 1;

/// Renders a body for storage: its HTML, this renderer's version, its words.
pub fn render_body(markdown: &str) -> crate::store::RenderedBody {
    crate::store::RenderedBody {
        html: to_html(markdown),
        version: VERSION,
        words: i64::try_from(word_count(markdown)).unwrap_or(i64::MAX),
    }
}

/// Renders Markdown to sanitized HTML.
pub fn to_html(markdown: &str) -> String {
    let events = with_heading_anchors(Parser::new_ext(markdown, options()).collect());
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer().clean(&html).to_string()
}

/// Gives every heading without an explicit id a unique, readable one.
fn with_heading_anchors(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[index] {
            let mut text = String::new();
            for event in &events[index + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = match crate::render::slugify(&text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            };
            let count = used.entry(base.clone()).or_insert(0);
            let anchor = if *count == 0 {
                base
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[index] {
                *id = Some(anchor.into());
            }
        }
        index += 1;
    }
    events
}

/// Plain text of the first paragraph, cut at a word boundary: the summary
/// when the author gave none.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    // Text inside a raw <script> or <style> is code, not prose.
    let mut in_raw_code = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            Event::InlineHtml(html) | Event::Html(html) => {
                let tag = html.trim_start().to_ascii_lowercase();
                if tag.starts_with("<script") || tag.starts_with("<style") {
                    in_raw_code = true;
                } else if tag.starts_with("</script") || tag.starts_with("</style") {
                    in_raw_code = false;
                }
            }
            Event::Text(t) | Event::Code(t) if in_paragraph && !in_raw_code => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    truncate_words(
        text.split_whitespace().collect::<Vec<_>>().join(" ").trim(),
        max_chars,
    )
}

fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(at) if at > max_chars / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Words in the Markdown source, for the reading time.
pub fn word_count(markdown: &str) -> usize {
    markdown
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_never_survive() {
        let md = "Hello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n\
                  <div onclick=\"evil()\"><style>body{}</style>ok</div>\n\n\
                  [click](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a>\n\n\
                  <iframe src=\"https://evil.example\"></iframe>";
        let html = to_html(md);
        for bad in [
            "<script",
            "onerror",
            "onclick",
            "<style",
            "javascript:",
            "<iframe",
            "alert(1)",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("ok"));
    }

    #[test]
    fn extensions_render() {
        let md = "# Intro\n\n## Intro\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n~~gone~~ note[^1]\n\n- [x] done\n- [ ] todo\n\n[^1]: The note.\n";
        let html = to_html(md);
        assert!(html.contains("<h1 id=\"intro\">"), "{html}");
        assert!(html.contains("<h2 id=\"intro-1\">"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("checked"), "{html}");
        assert!(
            html.contains("text-align: right") || html.contains("text-align:right"),
            "{html}"
        );
    }

    #[test]
    fn excerpt_takes_the_first_paragraph() {
        let md = "# Title\n\nFirst *para* with `code`\nand a break.\n\nSecond.";
        assert_eq!(excerpt(md, 200), "First para with code and a break.");
        assert_eq!(
            excerpt("Hi <script>alert(1)</script> there", 200),
            "Hi there"
        );
        let long = excerpt(&"word ".repeat(100), 30);
        assert!(long.ends_with('…') && long.chars().count() <= 31, "{long}");
    }
}
