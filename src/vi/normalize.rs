//! Unicode NFC normalization of editors' text (macOS gives NFD, Windows IMEs give mixtures).

use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Returns `text` in NFC, borrowing when it already is (the common case).
pub fn nfc_cow(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Returns `text` in NFC.
pub fn nfc(text: &str) -> String {
    nfc_cow(text).into_owned()
}

/// Removes control characters other than tab and line breaks: invisible leftovers of copy and
/// paste that HTML and XML readers reject.
pub fn strip_controls(text: &str) -> Cow<'_, str> {
    let is_stray = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if text.chars().any(is_stray) {
        Cow::Owned(text.chars().filter(|&c| !is_stray(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Editors' text as bantin keeps it: NFC, without stray control characters.
pub fn clean(text: &str) -> String {
    strip_controls(&nfc_cow(text)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_becomes_nfc() {
        let nfd: String = "Việt Nam".nfd().collect();
        assert_ne!(nfd, "Việt Nam");
        assert_eq!(nfc(&nfd), "Việt Nam");
    }

    #[test]
    fn nfc_text_is_borrowed_unchanged() {
        assert!(matches!(nfc_cow("Đồng bào"), Cow::Borrowed("Đồng bào")));
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(clean("Tin\u{1} mới\u{7f}\tngày\n"), "Tin mới\tngày\n");
    }

    #[test]
    fn wording_is_kept_beyond_nfc() {
        // Old-style tone placement is the editor's choice: NFC must not move it.
        assert_eq!(nfc("hoà thuỷ"), "hoà thuỷ");
    }
}
