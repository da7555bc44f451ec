//! A new cover for an article, sent from the editor as
//! `multipart/form-data` (`POST /editor/{id}/cover`).
//!
//! The file's name and Content-Type are the uploader's words, so neither is
//! read: [`media::process`] decides from the bytes what the image is, and
//! the stored name comes from its hash.

use std::convert::Infallible;
use std::future::{Future, ready};
use std::pin::pin;
use std::task::{Context as TaskContext, Poll, Waker};

use http::{Request, StatusCode, header};

use crate::authors::store_media;
use crate::context::Context;
use crate::media::{self, Limits, Purpose};
use crate::publish::{self, Queued};
use crate::render::markdown::render_body;
use crate::store::{Article, ArticleEdit};
use crate::web::forms::{Form, redirect};
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

/// The form field that carries the image.
const FILE_FIELD: &str = "cover";

/// Changes an article's cover: checks the form's token, turns the upload
/// into a clean image, stores it and saves the article with it (which
/// re-renders and announces the change when the article is published).
/// Returns the answer and whether deliveries were queued. The caller has
/// checked that the visitor is logged in and owns the article.
pub fn cover(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    article: &Article,
    now: i64,
) -> anyhow::Result<(Answer, bool)> {
    let editor = format!("{}/editor/{}", ctx.renderer.site_url().root, article.id);
    let words = ctx.words();
    let back_text = words.t("cover-back");
    let back = Some((editor.as_str(), back_text.as_str()));
    let refuse = |status: StatusCode, heading: &str, line: &str| {
        Ok((message(ctx, status, heading, &[line], back, true), false))
    };
    let upload = match read_upload(request) {
        Ok(upload) => upload,
        Err(reason) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                &words.t("cover-not-changed"),
                &reason,
            );
        }
    };
    // Before the image is decoded: a forged request costs no decoding.
    if !visitor.csrf_ok(&upload.form) {
        return refuse(
            StatusCode::FORBIDDEN,
            &words.t("cover-not-changed"),
            &words.t("cover-expired"),
        );
    }
    // A browser sends the field with no file name and no bytes when no
    // file was chosen; an empty file that has a name is for media to judge.
    let Some(file) = upload.file.filter(|f| f.named || !f.bytes.is_empty()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            &words.t("cover-none"),
            &words.t("cover-none-text"),
        );
    };
    let limits = Limits {
        max_bytes: usize::try_from(ctx.config.limits.max_upload_bytes).unwrap_or(usize::MAX),
        ..Limits::default()
    };
    let processed = match media::process(&file.bytes, Purpose::Cover, &limits) {
        Ok(processed) => processed,
        Err(err) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                &words.t("cover-refused"),
                &sentence(&err.to_string()),
            );
        }
    };
    let path = store_media(ctx, &processed)?;
    let body_md = ctx.store.body_markdown(article.id)?.unwrap_or_default();
    let edit = ArticleEdit {
        title: article.title.clone(),
        summary: article.summary.clone(),
        body: render_body(&body_md),
        body_md,
        lang: article.lang.clone(),
        tags: article.tags.clone(),
        cover: path,
    };
    let (_, Queued(queued)) = publish::save(ctx, article, &edit, now)?;
    Ok((
        Answer::Response(redirect(&format!("{editor}?notice=cover"))),
        queued,
    ))
}

/// What the upload form sent: its text fields, and its first file field.
#[derive(Debug)]
struct Upload {
    form: Form,
    file: Option<FilePart>,
}

#[derive(Debug)]
struct FilePart {
    bytes: Vec<u8>,
    /// The browser gave a file name: a file was chosen, even if empty.
    named: bool,
}

/// Parses the multipart body; the error is a sentence for the author.
fn read_upload(request: &Request<Vec<u8>>) -> Result<Upload, String> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type).map_err(|_| {
        format!(
            "This address takes a file sent by the editor's cover form \
             (multipart/form-data with a boundary), not '{content_type}'. \
             Go back to the editor and upload the image from there."
        )
    })?;
    let malformed = |err: Option<multer::Error>| {
        let detail = err.map(|e| format!(" ({e})")).unwrap_or_default();
        format!(
            "The upload arrived incomplete or malformed{detail}. \
             Choose the image again and press the button once more."
        )
    };
    // The whole body is already in memory, so the async parser is fed it
    // as a single chunk and never has to wait for more.
    let body = request.body().clone();
    let stream = futures_util::stream::once(ready(Ok::<_, Infallible>(body)));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut pairs = Vec::new();
    let mut file = None;
    loop {
        let field = match run_ready(multipart.next_field()) {
            Some(Ok(Some(field))) => field,
            Some(Ok(None)) => break,
            Some(Err(err)) => return Err(malformed(Some(err))),
            None => return Err(malformed(None)),
        };
        let name = field.name().unwrap_or_default().to_string();
        let named = field.file_name().is_some_and(|n| !n.is_empty());
        let is_file = field.file_name().is_some();
        // `bytes` rather than `text`: text would decode by the declared
        // charset through encoding_rs, bringing its tables into the binary.
        let data = match run_ready(field.bytes()) {
            Some(Ok(data)) => data,
            Some(Err(err)) => return Err(malformed(Some(err))),
            None => return Err(malformed(None)),
        };
        if name == FILE_FIELD {
            if file.is_none() {
                file = Some(FilePart {
                    bytes: data.to_vec(),
                    named,
                });
            }
        } else if !is_file {
            // A field that is not UTF-8 is no token nor anything we read.
            if let Ok(text) = String::from_utf8(data.to_vec()) {
                pairs.push((name, text));
            }
        }
    }
    Ok(Upload {
        form: Form::from_pairs(pairs),
        file,
    })
}

/// Polls a future over an in-memory body until it is ready.
///
/// With all the input already buffered the parser completes at once; an
/// executor that parks the thread (futures-executor's `block_on`) would
/// hang forever if it ever answered `Pending` without waking, so this one
/// retries a bounded number of times and then gives up (`None`).
fn run_ready<F: Future>(future: F) -> Option<F::Output> {
    const MAX_POLLS: usize = 1_000;
    let mut future = pin!(future);
    let mut cx = TaskContext::from_waker(Waker::noop());
    for _ in 0..MAX_POLLS {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return Some(output);
        }
    }
    None
}

/// Media errors are written to follow "the upload failed:"; on their own
/// line they need a capital and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.is_empty() && !out.ends_with('.') {
        out.push('.');
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Cursor;
    use std::path::Path;

    use super::*;
    use crate::store::Author;

    const BOUNDARY: &str = "----AfficheTestBoundary7MA4YWxkTrZu0gW";
    const TOKEN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    fn png() -> Vec<u8> {
        let image = image::RgbImage::from_pixel(4, 3, image::Rgb([200, 40, 10]));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// A body as a browser builds it: CRLF line ends, the file last.
    fn body(csrf: Option<&str>, file: Option<(&str, &[u8])>) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(csrf) = csrf {
            out.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, bytes)) = file {
            out.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"{name}\"\r\n\
                     Content-Type: image/jpeg\r\n\r\n"
                )
                .as_bytes(),
            );
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    fn request(content_type: &str, body: Vec<u8>) -> Request<Vec<u8>> {
        Request::post("/editor/1/cover")
            .header("content-type", content_type)
            .header("cookie", format!("affiche_csrf={TOKEN}"))
            .body(body)
            .unwrap()
    }

    fn multipart(body: Vec<u8>) -> Request<Vec<u8>> {
        request(&format!("multipart/form-data; boundary={BOUNDARY}"), body)
    }

    struct Site {
        _dir: tempfile::TempDir,
        ctx: Context,
        article: Article,
    }

    fn site() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::cli::init(
            &dir.path().join("site"),
            "T",
            "https://site.example",
            Path::new("public_html"),
        )
        .unwrap();
        let ctx = Context::open(&path).unwrap();
        let author = Author {
            actor_id: "https://m.example/users/alice".into(),
            handle: "alice@m.example".into(),
            ..Default::default()
        };
        let body_md = "Some *words*.".to_string();
        let edit = ArticleEdit {
            title: "Hello".into(),
            summary: "A summary".into(),
            body: render_body(&body_md),
            body_md,
            lang: "en".into(),
            ..Default::default()
        };
        let (article, _) = publish::create_draft(&ctx, &author, &edit, "key", 1_000).unwrap();
        Site {
            _dir: dir,
            ctx,
            article,
        }
    }

    fn send(site: &Site, request: &Request<Vec<u8>>) -> (http::Response<Vec<u8>>, bool) {
        let visitor = Visitor::read(&site.ctx, request, 2_000).unwrap();
        let (answer, queued) = cover(&site.ctx, &visitor, request, &site.article, 2_000).unwrap();
        (answer.into_response(), queued)
    }

    fn text(response: &http::Response<Vec<u8>>) -> String {
        String::from_utf8_lossy(response.body()).into_owned()
    }

    #[test]
    fn a_browser_body_is_parsed_into_fields_and_file() {
        let image = png();
        let upload = read_upload(&multipart(body(Some(TOKEN), Some(("me.jpg", &image))))).unwrap();
        assert_eq!(upload.form.get("csrf"), Some(TOKEN));
        let file = upload.file.unwrap();
        assert_eq!(file.bytes, image);
        assert!(file.named);
    }

    #[test]
    fn a_cover_is_stored_and_saved_with_the_article() {
        let site = site();
        let (response, queued) = send(
            &site,
            &multipart(body(Some(TOKEN), Some(("x.gif", &png())))),
        );
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let id = site.article.id;
        assert_eq!(
            response.headers()["location"],
            format!(
                "{}/editor/{id}?notice=cover",
                site.ctx.renderer.site_url().root
            )
            .as_str()
        );
        assert!(!queued, "a draft announces nothing");
        let saved = site.ctx.store.article_by_id(id).unwrap().unwrap();
        let name = saved.cover.rsplit('/').next().unwrap();
        assert!(saved.cover.contains("/media/"), "{}", saved.cover);
        // Opaque pixels come out as JPEG, whatever the name said.
        assert!(name.ends_with(".jpg"), "{name}");
        let stored = site.ctx.renderer.docroot().join("media").join(name);
        assert!(media::sniff(&std::fs::read(stored).unwrap()) == Some(media::Kind::Jpeg));
        assert_eq!(saved.title, "Hello");
        assert_eq!(saved.summary, "A summary");
        assert_eq!(
            site.ctx.store.body_markdown(id).unwrap().as_deref(),
            Some("Some *words*.")
        );
    }

    #[test]
    fn a_wrong_token_is_refused_and_changes_nothing() {
        let site = site();
        let wrong = "Z".repeat(43);
        let (response, _) = send(
            &site,
            &multipart(body(Some(&wrong), Some(("a.png", &png())))),
        );
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(text(&response).contains("expired"), "{}", text(&response));
        let (response, _) = send(&site, &multipart(body(None, Some(("a.png", &png())))));
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let saved = site
            .ctx
            .store
            .article_by_id(site.article.id)
            .unwrap()
            .unwrap();
        assert_eq!(saved.cover, "");
    }

    #[test]
    fn requests_that_are_not_uploads_say_so() {
        let site = site();
        for content_type in [
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "",
        ] {
            let (response, _) = send(&site, &request(content_type, body(Some(TOKEN), None)));
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{content_type}");
            assert!(
                text(&response).contains("multipart/form-data"),
                "{}",
                text(&response)
            );
        }
        let mut cut = body(Some(TOKEN), Some(("a.png", &png())));
        cut.truncate(cut.len() - 30);
        let (response, _) = send(&site, &multipart(cut));
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(
            text(&response).contains("incomplete"),
            "{}",
            text(&response)
        );
        let (response, _) = send(&site, &multipart(b"garbage without a boundary".to_vec()));
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn a_missing_or_unchosen_file_asks_for_one() {
        let site = site();
        for body in [body(Some(TOKEN), None), body(Some(TOKEN), Some(("", b"")))] {
            let (response, _) = send(&site, &multipart(body));
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
            assert!(
                text(&response).contains("Choose an image"),
                "{}",
                text(&response)
            );
        }
    }

    #[test]
    fn what_is_not_an_image_is_explained() {
        let site = site();
        for (bytes, words) in [
            (
                &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
                "not a JPEG",
            ),
            (&b""[..], "The file is empty"),
        ] {
            let (response, _) = send(&site, &multipart(body(Some(TOKEN), Some(("a.png", bytes)))));
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(text(&response).contains(words), "{}", text(&response));
        }
        let saved = site
            .ctx
            .store
            .article_by_id(site.article.id)
            .unwrap()
            .unwrap();
        assert_eq!(saved.cover, "");
    }

    #[test]
    fn media_errors_read_as_sentences() {
        assert_eq!(sentence("the file is empty"), "The file is empty.");
        assert_eq!(sentence("done."), "Done.");
        assert_eq!(sentence(""), "");
    }
}
