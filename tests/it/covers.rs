//! Cover images through the real Apache: uploaded from the editor as a
//! browser sends a file, checked by their bytes, re-encoded without their
//! metadata, served from media/ with types that cannot be sniffed.

use std::io::Cursor;

use crate::authors::{log_in, setup};

/// A real JPEG of `w`×`h` with an EXIF block that names a camera.
fn photo_with_exif(w: u32, h: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    // APP1 "Exif" right after SOI: what phones write, camera make included.
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend_from_slice(b"SecretCam 3000 GPS 48.8584N 2.2945E");
    let length = u16::try_from(exif.len() + 2).unwrap().to_be_bytes();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, length[0], length[1]]);
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn a_cover_is_uploaded_cleaned_and_shown_and_fakes_are_refused() {
    let (site, apache, remote) = setup(|c| c);
    let mut alice = log_in(&apache, &remote);
    let form = alice.get("/editor/new");
    let (csrf, key) = (form.field("csrf"), form.field("form_key"));
    let published = alice.post(
        "/editor/new",
        &[
            ("csrf", &csrf),
            ("form_key", &key),
            ("title", "With a cover"),
            ("body", "Text."),
            ("lang", "en"),
            ("action", "publish"),
        ],
    );
    assert_eq!(published.status, 303, "{published:?}");
    let edit = published.location().split('?').next().unwrap().to_string();
    let cover_path = format!("{edit}/cover");

    // A photo with its camera and place in EXIF: stored without them.
    let photo = photo_with_exif(2400, 1200);
    assert!(photo.windows(9).any(|w| w == b"SecretCam"));
    let upload = alice.post_file(
        &cover_path,
        &[("csrf", &csrf)],
        ("cover", "holiday.jpg", &photo),
    );
    assert_eq!(upload.status, 303, "{upload:?}\n{}", apache.error_log());
    assert!(upload.location().ends_with("?notice=cover"), "{upload:?}");
    let (_, page) = apache.get("/articles/with-a-cover/");
    let src = page
        .split("article__cover\" src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no cover on the page: {page}"))
        .to_string();
    let path = src.trim_start_matches("https://example.org");
    assert!(
        path.starts_with("/media/") && path.ends_with(".jpg"),
        "{src}"
    );
    assert!(
        page.contains(&format!("og:image\" content=\"{src}\"")),
        "{page}"
    );
    let stored = std::fs::read(
        site.root()
            .join("public_html")
            .join(path.trim_start_matches('/')),
    )
    .unwrap();
    assert!(
        !stored.windows(9).any(|w| w == b"SecretCam"),
        "the EXIF block survived"
    );
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (1600, 800),
        "resized to 1600 px"
    );
    // Served as the image it is, never sniffed into something else.
    let (status, served) = apache.get(path);
    assert_eq!(status, 200);
    let head = served
        .split("\r\n\r\n")
        .next()
        .unwrap()
        .to_ascii_lowercase();
    assert!(head.contains("content-type: image/jpeg"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    // The announcement of the change carries the image.
    let (_, twin) = apache.get(&format!("{}index.json", "/articles/with-a-cover/"));
    assert!(twin.contains(path), "{twin}");

    // A page of HTML named .jpg, and an image too big for the limit.
    let fake = b"<html><script>alert(1)</script></html>";
    let refused = alice.post_file(&cover_path, &[("csrf", &csrf)], ("cover", "cat.jpg", fake));
    assert_eq!(refused.status, 422, "{refused:?}");
    assert!(
        refused.body.contains("JPEG, PNG, GIF or WebP"),
        "{}",
        refused.body
    );
    let without_token = alice.post_file(
        &cover_path,
        &[("csrf", "forged")],
        ("cover", "a.jpg", &photo),
    );
    assert_eq!(without_token.status, 403, "{without_token:?}");
    let huge = vec![0u8; 9 * 1024 * 1024];
    let too_big = alice.post_file(&cover_path, &[("csrf", &csrf)], ("cover", "big.jpg", &huge));
    assert_eq!(too_big.status, 413, "{too_big:?}");
    // Nothing of that changed the page.
    let (_, again) = apache.get("/articles/with-a-cover/");
    assert!(again.contains(&src));
}
