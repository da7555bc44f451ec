//! Secrets handed to browsers and authors: random tokens and codes, and the
//! hashes the database keeps instead of them (a leaked database opens no
//! session and spends no login link).

use anyhow::Result;
use sha2::{Digest as _, Sha256};

/// Letters and digits that cannot be mistaken for one another when read
/// aloud or typed from a phone: no 0/O, 1/I/L.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|err| anyhow::anyhow!("the system's random number generator failed: {err}"))?;
    Ok(bytes)
}

/// 256 random bits, URL-safe.
pub fn token() -> Result<String> {
    use base64::Engine as _;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// A short code people type: `XXXX-XXXX`, 39 bits.
pub fn code() -> Result<String> {
    let bytes = random_bytes::<8>()?;
    let mut out = String::with_capacity(9);
    for (i, b) in bytes.iter().enumerate() {
        if i == 4 {
            out.push('-');
        }
        // 256 is not a multiple of 31: the bias (at most 1/8 more likely
        // for some letters) costs less than a bit of the 39.
        out.push(char::from(
            CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()],
        ));
    }
    Ok(out)
}

/// A code as typed (`abcd efgh`, `ABCD-EFGH`, ` abcdefgh `) in its canonical
/// form, or None when it cannot be one.
pub fn normalize_code(typed: &str) -> Option<String> {
    let letters: Vec<u8> = typed
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'-' | b'\t'))
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if letters.len() != 8 || !letters.iter().all(|b| CODE_ALPHABET.contains(b)) {
        return None;
    }
    let text = String::from_utf8(letters).ok()?;
    Some(format!("{}-{}", &text[..4], &text[4..]))
}

/// Every code-shaped word of a message, canonical: the author may write
/// the code inside a sentence, after a mention, in any case.
pub fn codes_in(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter_map(normalize_code)
        .collect()
}

/// What the database keeps of a secret.
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_differ() {
        let a = token().unwrap();
        assert_eq!(a.len(), 43);
        assert_ne!(a, token().unwrap());
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn codes_are_read_back_however_they_are_typed() {
        let code = code().unwrap();
        assert_eq!(code.len(), 9);
        assert_eq!(normalize_code(&code.to_lowercase()), Some(code.clone()));
        assert_eq!(normalize_code(&code.replace('-', " ")), Some(code.clone()));
        assert_eq!(
            normalize_code("ABCD-EFG0"),
            None,
            "0 is not in the alphabet"
        );
        assert_eq!(normalize_code("ABCD-EFGHJ"), None);
        assert_eq!(normalize_code(""), None);
    }

    #[test]
    fn codes_are_found_inside_a_message() {
        let html = "<p><span class=\"h-card\"><a href=\"https://s.example/actor\">@site</a></span> here is my code: wxyz-2345, thanks</p>";
        assert_eq!(codes_in(html), vec!["WXYZ-2345".to_string()]);
        assert_eq!(codes_in("wxyz2345."), vec!["WXYZ-2345".to_string()]);
        assert!(codes_in("nothing here, h-card mention").is_empty());
        assert!(codes_in("é𝄞\u{0}").is_empty());
    }

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
