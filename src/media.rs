//! Uploaded images (article covers, copied avatars) turned into files that are
//! safe to put in the docroot.
//!
//! An upload is untrusted twice over: its bytes may be built to crash or
//! exhaust a decoder, and a valid photo still carries what its author may not
//! mean to publish (GPS position, camera serial, editing history). So every
//! image is decoded under limits and encoded afresh: nothing of the original
//! file but its pixels reaches the site.

use std::fmt;
use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use sha2::{Digest as _, Sha256};

/// The long side of a cover: wide enough for a full-width header on a large
/// screen, small enough that a page stays light.
pub const COVER_MAX_SIDE: u32 = 1600;

/// Avatars are shown at 48 px; 192 covers 4× screens and stays tiny.
pub const AVATAR_SIDE: u32 = 192;

/// Visually lossless for photos at about a tenth of the size of a PNG.
const JPEG_QUALITY: u8 = 85;

/// An image format Affiche accepts as input or writes as output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl Kind {
    /// The extension of the files Affiche writes in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Gif => "gif",
            Kind::Webp => "webp",
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Gif => "image/gif",
            Kind::Webp => "image/webp",
        }
    }

    /// The name an author knows the format by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Gif => "GIF",
            Kind::Webp => "WebP",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::Gif => ImageFormat::Gif,
            Kind::Webp => ImageFormat::WebP,
        }
    }
}

/// The format of `bytes` according to their magic numbers.
///
/// File names and the browser's Content-Type are chosen by the uploader, so
/// only the content decides; an SVG or HTML file named `.jpg` is `None`.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    match image::guess_format(bytes).ok()? {
        ImageFormat::Jpeg => Some(Kind::Jpeg),
        ImageFormat::Png => Some(Kind::Png),
        ImageFormat::Gif => Some(Kind::Gif),
        ImageFormat::WebP => Some(Kind::Webp),
        _ => None,
    }
}

/// What an upload may cost, checked before any pixel is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Size of the uploaded file.
    pub max_bytes: usize,
    /// Width × height: what bounds the memory of a decode, whatever the file
    /// size (a few kilobytes of PNG can claim gigapixels).
    pub max_pixels: u64,
    /// Either side; also keeps out absurd strips like 40 000 000 × 1.
    pub max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // A phone photo is 2–6 MB; 8 MB leaves room without letting one
            // request fill a shared host's memory or upload quota.
            max_bytes: 8 * 1024 * 1024,
            // 40 MP covers current phones (48 MP sensors save 12 MP images
            // by default) and decodes in about 160 MB at 8 bits per channel.
            max_pixels: 40_000_000,
            // JPEG allows 65 535, but no camera or screenshot is that long;
            // 16 384 still admits panoramas.
            max_side: 16_384,
        }
    }
}

/// What the image is for, which decides its output size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Long side at most [`COVER_MAX_SIDE`], aspect kept, never enlarged.
    Cover,
    /// Centre square, exactly [`AVATAR_SIDE`] on each side (enlarged when
    /// smaller, so every avatar on a page has the same sharpness budget).
    Avatar,
}

/// A freshly encoded image, ready to be written into the docroot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub bytes: Vec<u8>,
    /// The output format, which may differ from the upload's.
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    /// SHA-256 of `bytes`, lowercase hex.
    pub sha256_hex: String,
}

impl Processed {
    /// `<first 32 hex digits of the SHA-256>.<ext>`.
    ///
    /// Content-addressed: the same upload twice is one file, two uploads never
    /// overwrite each other, and the name says nothing the author typed, so it
    /// can neither escape its folder nor pass for an ActivityPub object path.
    /// 128 bits keep accidental collisions out of reach.
    pub fn file_name(&self) -> String {
        let prefix = self.sha256_hex.get(..32).unwrap_or(&self.sha256_hex);
        format!("{prefix}.{}", self.kind.extension())
    }
}

/// Why an upload was refused; `Display` is meant for the author.
#[derive(Debug)]
pub enum MediaError {
    Empty,
    TooLarge {
        size: usize,
        limit: usize,
    },
    /// `found` names another image format recognised by its magic bytes.
    NotAnImage {
        found: Option<&'static str>,
    },
    TooManyPixels {
        width: u32,
        height: u32,
        limit: u64,
    },
    /// Refused from the header alone, before the size was known to us.
    SideTooLong {
        limit: u32,
    },
    /// Truncated, corrupt, or a variant of the format the decoder lacks.
    Damaged {
        kind: Kind,
        source: ImageError,
    },
    /// Encoding our own pixels failed: a bug or an exhausted machine, not
    /// something the author can fix.
    Encode(ImageError),
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MediaError::Empty => write!(
                f,
                "the file is empty: choose the image again, and wait for it \
                 to finish uploading"
            ),
            MediaError::TooLarge { size, limit } => write!(
                f,
                "the image is {}; the limit is {}: export it smaller (a long \
                 side of {COVER_MAX_SIDE} pixels is plenty) and upload it again",
                megabytes_ceil(*size),
                megabytes_ceil(*limit)
            ),
            MediaError::NotAnImage { found: Some(other) } => write!(
                f,
                "the file is a {other} image, not a JPEG, PNG, GIF or WebP \
                 image: export it as JPEG or PNG and upload it again"
            ),
            MediaError::NotAnImage { found: None } => write!(
                f,
                "the file is not a JPEG, PNG, GIF or WebP image (its content \
                 counts, not its name; SVG is not accepted): export it as JPEG \
                 or PNG and upload it again"
            ),
            MediaError::TooManyPixels {
                width,
                height,
                limit,
            } => write!(
                f,
                "the image is {width} × {height} pixels ({}); the limit is {}: \
                 resize it (a long side of {COVER_MAX_SIDE} pixels is plenty) \
                 and upload it again",
                megapixels(u64::from(*width) * u64::from(*height)),
                megapixels(*limit)
            ),
            MediaError::SideTooLong { limit } => write!(
                f,
                "the image is more than {limit} pixels wide or tall: resize it \
                 (a long side of {COVER_MAX_SIDE} pixels is plenty) and upload \
                 it again"
            ),
            MediaError::Damaged { kind, .. } => write!(
                f,
                "the file looks like a {} image but cannot be read: it is \
                 incomplete or damaged. Open it in an image editor, export it \
                 again as JPEG or PNG and upload the new file",
                kind.name()
            ),
            MediaError::Encode(_) => write!(
                f,
                "the image was read but could not be saved again; this is a \
                 problem on the site, not with your file: try again later"
            ),
        }
    }
}

impl std::error::Error for MediaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MediaError::Damaged { source, .. } | MediaError::Encode(source) => Some(source),
            _ => None,
        }
    }
}

/// Rounded up, so a file a byte over an 8 MB limit never reads "8.0 MB".
fn megabytes_ceil(bytes: usize) -> String {
    const MB: u64 = 1024 * 1024;
    let tenths = (bytes as u64).saturating_mul(10).div_ceil(MB);
    format!("{} MB", one_decimal(tenths))
}

fn megapixels(pixels: u64) -> String {
    format!("{} megapixels", one_decimal(pixels.div_ceil(100_000)))
}

/// "8" rather than "8.0", which reads as more precise than it is.
fn one_decimal(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Decodes an untrusted upload under `limits` and encodes it afresh for
/// `purpose`.
///
/// The output is JPEG for opaque images and PNG for images with any
/// transparent pixel: JPEG is a tenth of the size for photos, and PNG is the
/// only lossless format everyone reads that keeps alpha (image 0.25 writes
/// WebP lossless only, which is larger than JPEG for photos). Animated GIF and
/// WebP keep their first frame: a cover or an avatar is a still. The EXIF
/// orientation is applied to the pixels; then EXIF, XMP, ICC profiles and
/// comments are all left behind because the encoders are given pixels only.
pub fn process(bytes: &[u8], purpose: Purpose, limits: &Limits) -> Result<Processed, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let Some(kind) = sniff(bytes) else {
        let found = image::guess_format(bytes)
            .ok()
            .and_then(|f| f.extensions_str().first().copied())
            .map(|ext| match ext {
                "tif" | "tiff" => "TIFF",
                "bmp" => "BMP",
                "avif" => "AVIF",
                "ico" => "ICO",
                "qoi" => "QOI",
                "exr" => "OpenEXR",
                "hdr" => "Radiance HDR",
                "dds" => "DDS",
                "ff" => "Farbfeld",
                _ => "different",
            });
        return Err(MediaError::NotAnImage { found });
    };
    let (image, orientation) = decode(bytes, kind, limits)?;
    let mut image = fit(image, purpose);
    // After resizing, not before: rotating the full-size decode would copy
    // up to max_pixels again, while both fits are symmetric (the long side
    // and the centre square are the same whichever way up the image is).
    image.apply_orientation(orientation);
    encode(&image)
}

fn decode(
    bytes: &[u8],
    kind: Kind,
    limits: &Limits,
) -> Result<(DynamicImage, image::metadata::Orientation), MediaError> {
    let damaged = |source| MediaError::Damaged { kind, source };
    if kind == Kind::Jpeg && !jpeg_has_end(bytes) {
        return Err(damaged(ImageError::Decoding(
            image::error::DecodingError::new(
                ImageFormat::Jpeg.into(),
                "no end-of-image marker after the scan data: the file is truncated",
            ),
        )));
    }
    let mut bounds = image::Limits::default();
    bounds.max_image_width = Some(limits.max_side);
    bounds.max_image_height = Some(limits.max_side);
    // 8 bytes a pixel is the widest these formats decode to (16-bit RGBA
    // PNG), so this never refuses what max_pixels admits, and stops the
    // decoders' own buffers from growing past it.
    bounds.max_alloc = Some(limits.max_pixels.saturating_mul(8));

    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    reader.limits(bounds);
    // Reads the header only; the dimension limits are checked here, before
    // any pixel buffer exists.
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        ImageError::Limits(_) => MediaError::SideTooLong {
            limit: limits.max_side,
        },
        other => damaged(other),
    })?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    // An unreadable EXIF block is no reason to refuse a photo: it is dropped
    // anyway, and the worst outcome is a sideways picture the author sees.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        ImageError::Limits(_) => MediaError::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        },
        other => damaged(other),
    })?;
    Ok((image, orientation))
}

/// The JPEG decoder runs in lenient mode and paints a truncated photo's
/// missing part grey rather than failing, which would publish half a picture
/// without a word. Inside scan data a 0xFF byte is always followed by 0x00 or
/// a restart marker, so an FF D9 after the first SOS is the end of image (or
/// lies in data appended after it, as motion photos do, which is fine).
fn jpeg_has_end(bytes: &[u8]) -> bool {
    let Some(scan) = bytes.windows(2).position(|w| w == [0xff, 0xda]) else {
        return false;
    };
    bytes[scan..].windows(2).any(|w| w == [0xff, 0xd9])
}

fn fit(image: DynamicImage, purpose: Purpose) -> DynamicImage {
    let (width, height) = (image.width(), image.height());
    match purpose {
        Purpose::Cover if width.max(height) <= COVER_MAX_SIDE => image,
        // CatmullRom: as sharp as Lanczos3 to the eye when shrinking, with
        // fewer taps, which matters for a 40 MP photo in a CGI request.
        Purpose::Cover => image.resize(COVER_MAX_SIDE, COVER_MAX_SIDE, FilterType::CatmullRom),
        Purpose::Avatar => {
            let side = width.min(height);
            let square = image.crop_imm((width - side) / 2, (height - side) / 2, side, side);
            if side == AVATAR_SIDE {
                square
            } else {
                square.resize_exact(AVATAR_SIDE, AVATAR_SIDE, FilterType::CatmullRom)
            }
        }
    }
}

/// True when some pixel is not fully opaque; an alpha channel that is all
/// 255 (common in PNG exports and in every decoded GIF) does not count.
fn has_transparency(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageLumaA8(buffer) => buffer.pixels().any(|p| p.0[1] != u8::MAX),
        DynamicImage::ImageRgba8(buffer) => buffer.pixels().any(|p| p.0[3] != u8::MAX),
        DynamicImage::ImageLumaA16(buffer) => buffer.pixels().any(|p| p.0[1] != u16::MAX),
        DynamicImage::ImageRgba16(buffer) => buffer.pixels().any(|p| p.0[3] != u16::MAX),
        other if other.color().has_alpha() => other.to_rgba8().pixels().any(|p| p.0[3] != u8::MAX),
        _ => false,
    }
}

fn encode(image: &DynamicImage) -> Result<Processed, MediaError> {
    let gray = !image.color().has_color();
    let mut bytes = Vec::new();
    let kind = if has_transparency(image) {
        let pixels = if gray {
            DynamicImage::ImageLumaA8(image.to_luma_alpha8())
        } else {
            DynamicImage::ImageRgba8(image.to_rgba8())
        };
        pixels
            .write_with_encoder(PngEncoder::new_with_quality(
                &mut bytes,
                CompressionType::Default,
                PngFilter::Adaptive,
            ))
            .map_err(MediaError::Encode)?;
        Kind::Png
    } else {
        // JPEG has no alpha; the image is opaque, so dropping it loses nothing.
        let pixels = if gray {
            DynamicImage::ImageLuma8(image.to_luma8())
        } else {
            DynamicImage::ImageRgb8(image.to_rgb8())
        };
        pixels
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
            .map_err(MediaError::Encode)?;
        Kind::Jpeg
    };
    let sha256_hex = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Processed {
        bytes,
        kind,
        width: image.width(),
        height: image.height(),
        sha256_hex,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use image::codecs::gif::GifEncoder;
    use image::codecs::webp::WebPEncoder;
    use image::{Delay, Frame, Rgb, RgbImage, Rgba, RgbaImage};

    /// Searched for in the output to prove the EXIF block is gone.
    const CAMERA: &[u8] = b"AfficheTestCam";

    fn gradient(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        })
    }

    fn jpeg(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(image)
            .unwrap();
        out
    }

    fn png(image: &DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// A little-endian TIFF block with Make, Orientation and a GPS IFD
    /// holding a latitude: what a phone writes, minus the rest.
    fn exif_block(orientation: u16) -> Vec<u8> {
        fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            out.extend_from_slice(&value);
        }
        const ASCII: u16 = 2;
        const SHORT: u16 = 3;
        const LONG: u16 = 4;
        const RATIONAL: u16 = 5;
        // Offsets from the TIFF header: IFD0 at 8 (3 entries, ends at 50),
        // the Make string at 50, the GPS IFD at 66 (2 entries, ends at 96),
        // the latitude's three rationals at 96.
        let mut make = CAMERA.to_vec();
        make.push(0);
        let mut t = b"II\x2a\x00".to_vec();
        t.extend_from_slice(&8u32.to_le_bytes());
        t.extend_from_slice(&3u16.to_le_bytes());
        entry(
            &mut t,
            0x010f,
            ASCII,
            make.len() as u32,
            50u32.to_le_bytes(),
        );
        let mut value = [0u8; 4];
        value[..2].copy_from_slice(&orientation.to_le_bytes());
        entry(&mut t, 0x0112, SHORT, 1, value);
        entry(&mut t, 0x8825, LONG, 1, 66u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(t.len(), 50);
        t.extend_from_slice(&make);
        t.push(0);
        assert_eq!(t.len(), 66);
        t.extend_from_slice(&2u16.to_le_bytes());
        entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
        entry(&mut t, 0x0002, RATIONAL, 3, 96u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(t.len(), 96);
        for (num, den) in [(48u32, 1u32), (51, 1), (2400, 100)] {
            t.extend_from_slice(&num.to_le_bytes());
            t.extend_from_slice(&den.to_le_bytes());
        }
        t
    }

    /// Splices an APP1 Exif segment right after SOI, where cameras put it.
    fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&exif_block(orientation));
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xff, 0xe1]);
        out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    /// The markers of a JPEG's segments up to the start of scan.
    fn jpeg_markers(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
        assert_eq!(&bytes[..2], [0xff, 0xd8]);
        let mut at = 2;
        let mut markers = Vec::new();
        while at + 4 <= bytes.len() && bytes[at] == 0xff {
            let marker = bytes[at + 1];
            let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
            markers.push((marker, bytes[at + 4..at + 2 + len].to_vec()));
            if marker == 0xda {
                break;
            }
            at += 2 + len;
        }
        markers
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A PNG whose header claims `width` × `height` with a valid CRC, and
    /// one small compressed row of data: a decompression bomb's opening.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |name: &[u8], data: &[u8]| {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut body = name.to_vec();
            body.extend_from_slice(data);
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32(&body).to_be_bytes());
        };
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        chunk(b"IEND", &[]);
        out
    }

    fn half_transparent() -> DynamicImage {
        DynamicImage::ImageRgba8(RgbaImage::from_fn(30, 20, |x, _| {
            Rgba([200, 40, 40, if x < 15 { 0 } else { 255 }])
        }))
    }

    fn animated_gif() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = GifEncoder::new(&mut out);
            for color in [[255, 0, 0, 255], [0, 0, 255, 255]] {
                let frame = Frame::from_parts(
                    RgbaImage::from_pixel(16, 16, Rgba(color)),
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                );
                encoder.encode_frame(frame).unwrap();
            }
        }
        out
    }

    fn gif() -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(gradient(40, 20))
            .write_to(&mut out, ImageFormat::Gif)
            .unwrap();
        out.into_inner()
    }

    fn webp() -> Vec<u8> {
        let mut out = Vec::new();
        WebPEncoder::new_lossless(&mut out)
            .encode(
                half_transparent().as_bytes(),
                30,
                20,
                image::ExtendedColorType::Rgba8,
            )
            .unwrap();
        out
    }

    fn exif_jpeg() -> Vec<u8> {
        with_exif(&jpeg(&gradient(40, 20)), 6)
    }

    #[test]
    fn sniff_reads_magic_bytes_only() {
        assert_eq!(sniff(&jpeg(&gradient(8, 8))), Some(Kind::Jpeg));
        assert_eq!(sniff(&png(&half_transparent())), Some(Kind::Png));
        assert_eq!(sniff(&animated_gif()), Some(Kind::Gif));
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn exif_is_dropped_and_orientation_applied() {
        let input = exif_jpeg();
        assert!(contains(&input, CAMERA));
        assert!(
            jpeg_markers(&input)
                .iter()
                .any(|(m, d)| *m == 0xe1 && d.starts_with(b"Exif"))
        );

        let out = process(&input, Purpose::Cover, &Limits::default()).unwrap();
        assert_eq!(out.kind, Kind::Jpeg);
        // Orientation 6: the camera was turned a quarter clockwise.
        assert_eq!((out.width, out.height), (20, 40));
        let decoded = image::load_from_memory(&out.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (20, 40));
        assert!(!contains(&out.bytes, CAMERA));
        assert!(!contains(&out.bytes, b"Exif"));
        assert!(!contains(&out.bytes, b"http://ns.adobe.com/xap"));
        for (marker, _) in jpeg_markers(&out.bytes) {
            // APP1 (EXIF, XMP), APP2 (ICC), COM: none may survive.
            assert!(![0xe1, 0xe2, 0xfe].contains(&marker), "marker {marker:#x}");
        }
    }

    #[test]
    fn orientation_rotates_the_right_way() {
        // Left half black, right half white; orientation 6 turns it a quarter
        // clockwise, so the top becomes black and the bottom white.
        let halves = RgbImage::from_fn(40, 20, |x, _| {
            if x < 20 {
                Rgb([0, 0, 0])
            } else {
                Rgb([255, 255, 255])
            }
        });
        let out = process(
            &with_exif(&jpeg(&halves), 6),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap();
        let decoded = image::load_from_memory(&out.bytes).unwrap().to_luma8();
        assert!(decoded.get_pixel(10, 5).0[0] < 40);
        assert!(decoded.get_pixel(10, 35).0[0] > 215);
    }

    #[test]
    fn transparency_keeps_png_and_opaque_becomes_jpeg() {
        let out = process(
            &png(&half_transparent()),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(out.kind, Kind::Png);
        assert!(out.file_name().ends_with(".png"));
        let decoded = image::load_from_memory(&out.bytes).unwrap().to_rgba8();
        assert_eq!(decoded.get_pixel(2, 2).0[3], 0);
        assert_eq!(decoded.get_pixel(28, 2).0[3], 255);

        // An alpha channel that is all opaque is not transparency.
        let opaque = DynamicImage::ImageRgba8(RgbaImage::from_pixel(10, 10, Rgba([1, 2, 3, 255])));
        let out = process(&png(&opaque), Purpose::Cover, &Limits::default()).unwrap();
        assert_eq!(out.kind, Kind::Jpeg);
    }

    #[test]
    fn animated_gif_keeps_its_first_frame() {
        let out = process(&animated_gif(), Purpose::Cover, &Limits::default()).unwrap();
        assert_eq!(out.kind, Kind::Jpeg);
        let pixel = image::load_from_memory(&out.bytes)
            .unwrap()
            .to_rgb8()
            .get_pixel(8, 8)
            .0;
        assert!(pixel[0] > 200 && pixel[2] < 60, "{pixel:?}");
    }

    #[test]
    fn webp_is_accepted() {
        let webp = webp();
        assert_eq!(sniff(&webp), Some(Kind::Webp));
        let out = process(&webp, Purpose::Avatar, &Limits::default()).unwrap();
        assert_eq!((out.kind, out.width, out.height), (Kind::Png, 192, 192));
    }

    #[test]
    fn fake_images_are_refused() {
        for fake in [
            &b"Just some notes, saved as photo.jpg"[..],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            b"<html><body><img src=x onerror=alert(1)></body></html>",
            b"<?xml version=\"1.0\"?><svg/>",
        ] {
            let err = process(fake, Purpose::Cover, &Limits::default()).unwrap_err();
            assert!(
                matches!(err, MediaError::NotAnImage { found: None }),
                "{err:?}"
            );
            assert!(
                err.to_string()
                    .contains("not a JPEG, PNG, GIF or WebP image")
            );
        }
        let tiff = b"II*\0\x08\0\0\0\0\0\0\0";
        let err = process(tiff, Purpose::Cover, &Limits::default()).unwrap_err();
        assert!(
            err.to_string().starts_with("the file is a TIFF image"),
            "{err}"
        );
    }

    #[test]
    fn too_large_is_refused_with_both_sizes() {
        let limits = Limits::default();
        let mut big = jpeg(&gradient(8, 8));
        big.resize(12_890_000, 0);
        let err = process(&big, Purpose::Cover, &limits).unwrap_err();
        assert!(matches!(err, MediaError::TooLarge { .. }));
        assert_eq!(
            err.to_string().split(':').next().unwrap(),
            "the image is 12.3 MB; the limit is 8 MB"
        );
        // One byte over must not read as "8 MB; the limit is 8 MB".
        big.truncate(limits.max_bytes + 1);
        let message = process(&big, Purpose::Cover, &limits)
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("the image is 8.1 MB;"), "{message}");
    }

    #[test]
    fn empty_is_refused() {
        let err = process(b"", Purpose::Avatar, &Limits::default()).unwrap_err();
        assert!(matches!(err, MediaError::Empty));
    }

    #[test]
    fn too_many_pixels_is_refused_before_decoding() {
        let limits = Limits {
            max_pixels: 1_000_000,
            ..Limits::default()
        };
        let err = process(&png_claiming(2000, 1000), Purpose::Cover, &limits).unwrap_err();
        assert!(matches!(
            err,
            MediaError::TooManyPixels {
                width: 2000,
                height: 1000,
                ..
            }
        ));
        assert!(
            err.to_string()
                .contains("2000 × 1000 pixels (2 megapixels); the limit is 1 megapixels")
        );

        let err = process(
            &png_claiming(100_000, 100_000),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap_err();
        assert!(matches!(err, MediaError::SideTooLong { .. }), "{err:?}");
        let err = process(
            &png_claiming(16_000, 16_000),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap_err();
        assert!(matches!(err, MediaError::TooManyPixels { .. }), "{err:?}");
    }

    #[test]
    fn cover_is_reduced_but_never_enlarged() {
        let out = process(
            &jpeg(&gradient(2400, 1200)),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!((out.width, out.height), (1600, 800));
        let tall = process(
            &png(&DynamicImage::ImageRgb8(gradient(300, 3200))),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!((tall.width, tall.height), (150, 1600));
        let small = process(
            &jpeg(&gradient(640, 480)),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!((small.width, small.height), (640, 480));
        // An extreme strip still keeps at least a pixel on its short side.
        let strip = process(
            &png(&DynamicImage::ImageRgb8(gradient(4000, 1))),
            Purpose::Cover,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!((strip.width, strip.height), (1600, 1));
    }

    #[test]
    fn avatar_is_a_centred_square() {
        // Red in the middle, blue on the far left and right.
        let wide = RgbImage::from_fn(600, 300, |x, _| {
            if (150..450).contains(&x) {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        });
        let out = process(&jpeg(&wide), Purpose::Avatar, &Limits::default()).unwrap();
        assert_eq!((out.width, out.height), (192, 192));
        let decoded = image::load_from_memory(&out.bytes).unwrap().to_rgb8();
        for x in [2, 96, 189] {
            let p = decoded.get_pixel(x, 96).0;
            assert!(p[0] > 200 && p[2] < 60, "x={x}: {p:?}");
        }
        let tiny = process(&jpeg(&gradient(1, 1)), Purpose::Avatar, &Limits::default()).unwrap();
        assert_eq!((tiny.width, tiny.height), (192, 192));
    }

    #[test]
    fn same_bytes_same_name() {
        let input = exif_jpeg();
        let a = process(&input, Purpose::Cover, &Limits::default()).unwrap();
        let b = process(&input, Purpose::Cover, &Limits::default()).unwrap();
        assert_eq!(a.file_name(), b.file_name());
        let name = a.file_name();
        let (stem, ext) = name.split_once('.').unwrap();
        assert_eq!(ext, "jpg");
        assert_eq!(stem.len(), 32);
        assert!(
            stem.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert!(a.sha256_hex.starts_with(stem));
        let other = process(&input, Purpose::Avatar, &Limits::default()).unwrap();
        assert_ne!(other.file_name(), name);
    }

    #[test]
    fn hostile_input_is_an_error_never_a_panic() {
        let limits = Limits::default();
        // One-frame GIF: with two, a cut in the second leaves the kept first
        // frame whole, which is rightly accepted.
        let valid = [exif_jpeg(), png(&half_transparent()), gif(), webp()];
        for bytes in &valid {
            assert!(process(bytes, Purpose::Cover, &limits).is_ok());
            // Every prefix up to the header's end, then a spread of longer ones.
            let step = (bytes.len() / 200).max(1);
            // A PNG cut inside its final IEND chunk has every pixel and
            // decodes whole, which is right.
            let whole = match sniff(bytes) {
                Some(Kind::Png) => bytes.len() - 12,
                // Likewise a GIF missing only its one-byte trailer.
                Some(Kind::Gif) => bytes.len() - 1,
                _ => bytes.len(),
            };
            for len in (0..64.min(whole)).chain((64..whole).step_by(step)) {
                let cut = &bytes[..len];
                assert!(
                    process(cut, Purpose::Cover, &limits).is_err(),
                    "prefix of {len} of {} bytes ({:?}) was accepted",
                    bytes.len(),
                    sniff(bytes)
                );
            }
        }

        // A fixed xorshift: reproducible noise, with and without real magic
        // bytes in front, so the decoders themselves get fed garbage.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut noise = |len: usize| -> Vec<u8> {
            (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect()
        };
        let magics: [&[u8]; 5] = [
            b"",
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"GIF89a",
            b"RIFF\0\0\0\0WEBPVP8 ",
        ];
        for magic in magics {
            for len in [1, 7, 100, 5000] {
                let mut bytes = magic.to_vec();
                bytes.extend(noise(len));
                assert!(process(&bytes, Purpose::Avatar, &limits).is_err());
            }
        }
        // Valid images with a corrupted middle.
        for bytes in &valid {
            let mut broken = bytes.clone();
            let middle = broken.len() / 2;
            broken.splice(middle.., noise(bytes.len() - middle));
            let _ = process(&broken, Purpose::Cover, &limits);
        }

        for (w, h) in [(100_000, 100_000), (u32::MAX, 1), (0, 0), (1, u32::MAX)] {
            assert!(
                process(&png_claiming(w, h), Purpose::Cover, &limits).is_err(),
                "{w}×{h}"
            );
        }
    }

    #[test]
    fn errors_have_a_source_when_useful() {
        use std::error::Error as _;
        let mut cut = png(&half_transparent());
        cut.truncate(cut.len() - 20);
        let err = process(&cut, Purpose::Cover, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                err,
                MediaError::Damaged {
                    kind: Kind::Png,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.source().is_some());
        assert!(
            err.to_string()
                .contains("looks like a PNG image but cannot be read")
        );
    }

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/images");

    /// Rewrites tests/fixtures/images from the generators above; see the
    /// README.txt there.
    #[test]
    #[ignore = "writes into the source tree; run by hand to refresh fixtures"]
    fn write_fixtures() {
        let dir = std::path::Path::new(FIXTURES);
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("exif-orientation6-gps.jpg"), exif_jpeg()).unwrap();
        std::fs::write(dir.join("transparent.png"), png(&half_transparent())).unwrap();
        std::fs::write(dir.join("animated.gif"), animated_gif()).unwrap();
        std::fs::write(
            dir.join("bomb-100000x100000.png"),
            png_claiming(100_000, 100_000),
        )
        .unwrap();
    }

    #[test]
    fn committed_fixtures() {
        let limits = Limits::default();
        let exif = include_bytes!("../tests/fixtures/images/exif-orientation6-gps.jpg");
        assert!(contains(exif, CAMERA));
        let out = process(exif, Purpose::Cover, &limits).unwrap();
        assert_eq!((out.kind, out.width, out.height), (Kind::Jpeg, 20, 40));
        assert!(!contains(&out.bytes, CAMERA));

        let png = include_bytes!("../tests/fixtures/images/transparent.png");
        assert_eq!(
            process(png, Purpose::Cover, &limits).unwrap().kind,
            Kind::Png
        );
        let gif = include_bytes!("../tests/fixtures/images/animated.gif");
        assert_eq!(process(gif, Purpose::Avatar, &limits).unwrap().width, 192);
        let bomb = include_bytes!("../tests/fixtures/images/bomb-100000x100000.png");
        assert!(process(bomb, Purpose::Cover, &limits).is_err());
    }
}
