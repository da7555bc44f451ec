//! `parse_signature_header` on any text: never panics, and what it accepts
//! has a key id, lowercase signed header names and a decoded signature.

#![no_main]

use affiche::federation::signatures::parse_signature_header;
use libfuzzer_sys::fuzz_target;

fn check(header: &str) {
    let Ok(params) = parse_signature_header(header) else {
        return;
    };
    let key_id = params.key_id();
    assert!(!key_id.is_empty(), "empty keyId accepted from {header:?}");
    assert_eq!(key_id, key_id.trim(), "keyId not trimmed from {header:?}");
    for name in params.headers() {
        assert!(!name.is_empty(), "empty header name from {header:?}");
        assert_eq!(
            *name,
            name.to_ascii_lowercase(),
            "header name not lowercased from {header:?}"
        );
        assert!(
            !name.contains(|c: char| c.is_ascii_whitespace()),
            "header name with spaces from {header:?}"
        );
    }
    // Reading the accessors must not panic either.
    let _ = (params.algorithm(), params.created(), params.expires());
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
    check(&String::from_utf8_lossy(data));
});
