//! Handles typed by people: `Handle::parse` and `import::parse_handle`
//! never panic, and what they accept reads back to itself.

#![no_main]

use affiche::federation::fetch::Handle;
use affiche::import::parse_handle;
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    if let Ok(handle) = Handle::parse(text) {
        if let Handle::Account { user, host } = &handle {
            assert!(!user.is_empty(), "empty user from {text:?}");
            assert!(!host.is_empty(), "empty host from {text:?}");
        }
        let shown = handle.to_string();
        match Handle::parse(&shown) {
            Ok(again) => assert_eq!(
                again, handle,
                "{text:?} parsed to {handle:?}, shown as {shown:?}, which parses to {again:?}"
            ),
            Err(err) => panic!(
                "{text:?} parsed to {handle:?}, but its display {shown:?} does not parse: {err}"
            ),
        }
    }
    if let Ok(handle) = parse_handle(text) {
        assert_eq!(
            handle.matches('@').count(),
            1,
            "{text:?} gave {handle:?}, not user@host"
        );
        assert_eq!(
            parse_handle(&handle).as_deref(),
            Ok(handle.as_str()),
            "{text:?} gave {handle:?}, which does not read back to itself"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
    check(&String::from_utf8_lossy(data));
});
