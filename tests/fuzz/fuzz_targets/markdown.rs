//! Markdown from authors (and from the fediverse, later): `to_html` never
//! panics and its output never carries a `<script` or an `on…` event
//! handler attribute; `excerpt` never panics and respects its length.

#![no_main]

use affiche::render::markdown::{excerpt, to_html};
use libfuzzer_sys::fuzz_target;

/// The attribute names of every tag in serialized HTML. Values are skipped
/// with their quotes, so text such as `title="go on"` is not mistaken for
/// an attribute.
fn attribute_names(html: &str) -> Vec<String> {
    let bytes = html.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // The tag name.
        i += 1;
        while i < bytes.len()
            && !matches!(
                bytes[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
            )
        {
            i += 1;
        }
        // Attributes up to the closing `>`.
        loop {
            while i < bytes.len()
                && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')
            {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < bytes.len()
                && !matches!(
                    bytes[i],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
                )
            {
                i += 1;
            }
            names.push(String::from_utf8_lossy(&bytes[start..i]).to_ascii_lowercase());
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        i += 1;
                        while i < bytes.len() && bytes[i] != quote {
                            i += 1;
                        }
                        i += 1;
                    }
                    _ => {
                        while i < bytes.len()
                            && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>')
                        {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
    names
}

fn check(markdown: &str) {
    let html = to_html(markdown);
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "<script in the HTML of {markdown:?}: {html}"
    );
    for name in attribute_names(&html) {
        assert!(
            !name.starts_with("on"),
            "event handler attribute {name:?} in the HTML of {markdown:?}: {html}"
        );
    }
    let summary = excerpt(markdown, 200);
    assert!(
        summary.chars().count() <= 201,
        "excerpt of {} chars for {markdown:?}",
        summary.chars().count()
    );
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    } else {
        check(&String::from_utf8_lossy(data));
    }
});
