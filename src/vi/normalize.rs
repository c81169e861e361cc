//! Unicode NFC normalization of editors' text (macOS gives NFD, Windows IMEs give mixtures).

use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Returns `text` in NFC, borrowing when it already is (the common case).
pub fn nfc_cow(text: &str) -> Cow<'_, str> {
    if is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Returns `text` in NFC.
pub fn nfc(text: &str) -> String {
    nfc_cow(text).into_owned()
}

/// Whether `text` is in NFC. Nearly all editors' text is ASCII, Latin letters, precomposed
/// Vietnamese letters and punctuation, none of which combines or decomposes: that is looked
/// for in the bytes first, an order of magnitude faster than the Unicode tables.
fn is_nfc(text: &str) -> bool {
    is_plain(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes
}

/// Whether every character of `text` is below U+0300, a Vietnamese letter (U+1EA0–U+1EF9)
/// or general punctuation (U+2002–U+206F).
fn is_plain(text: &str) -> bool {
    !any_byte(text, |byte, next, after| {
        let vietnamese = (byte == 0xE1)
            & (((next == 0xBA) & (after >= 0xA0)) | ((next == 0xBB) & (after <= 0xB9)));
        let punctuation = (byte == 0xE2)
            & (((next == 0x80) & (after >= 0x82)) | ((next == 0x81) & (after <= 0xAF)));
        // Leads of two-byte characters from U+0300 and of every longer one.
        (byte >= 0xCC) & !vietnamese & !punctuation
    })
}

/// Whether `found(byte, next, after)` holds at some byte of `text`. Past the end, `next` and
/// `after` read as 0: `text` never ends inside a character, so only a test of a character's
/// own bytes sees them. Sixteen bytes are tested at a time without a branch, which the
/// compiler turns into vector instructions: a quarter of Vietnamese text is multi-byte, and
/// a walk from character to character spent a branch on each (3% of a build).
fn any_byte(text: &str, found: impl Fn(u8, u8, u8) -> bool) -> bool {
    const LANES: usize = 16;
    let bytes = text.as_bytes();
    let mut windows = bytes.windows(LANES + 2).step_by(LANES);
    let whole = windows.len() * LANES;
    let in_windows = windows.any(|window| {
        // An array, so that no index needs a bounds check (every window is that long: the
        // fallback is never taken).
        let window: &[u8; LANES + 2] = window.try_into().unwrap_or(&[0; LANES + 2]);
        (0..LANES).fold(false, |hit, k| {
            hit | found(window[k], window[k + 1], window[k + 2])
        })
    });
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    in_windows || (whole..bytes.len()).any(|i| found(bytes[i], at(i + 1), at(i + 2)))
}

/// Removes control characters other than tab and line breaks: invisible leftovers of copy and
/// paste that HTML and XML readers reject.
pub fn strip_controls(text: &str) -> Cow<'_, str> {
    if has_stray_controls(text) {
        Cow::Owned(text.chars().filter(|&c| !is_stray(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

fn is_stray(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `text` holds a stray control character, looked for in its bytes: C0 controls and
/// DEL are single bytes, C1 controls (U+0080–U+009F) are 0xC2 then 0x80–0x9F.
fn has_stray_controls(text: &str) -> bool {
    any_byte(text, |byte, next, _| {
        let c0 = (byte < 0x20) & (byte != b'\t') & (byte != b'\n') & (byte != b'\r');
        c0 | (byte == 0x7F) | ((byte == 0xC2) & (next < 0xA0))
    })
}

/// Editors' text as bantin keeps it: NFC, without stray control characters. Text that needs
/// neither (nearly all) is returned as it is, not copied.
pub fn clean(text: String) -> String {
    // Controls first: one between a letter and its mark would keep them from composing.
    let text = changed_by(text, strip_controls);
    changed_by(text, nfc_cow)
}

/// What `change` makes of `text`: `text` itself, not copied, when it leaves it as it is.
fn changed_by(text: String, change: impl Fn(&str) -> Cow<'_, str>) -> String {
    let changed = match change(&text) {
        Cow::Owned(changed) => Some(changed),
        Cow::Borrowed(_) => None,
    };
    changed.unwrap_or(text)
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
        assert_eq!(
            clean("Tin\u{1} mới\u{7f}\tngày\u{85}\n".into()),
            "Tin mới\tngày\n"
        );
    }

    #[test]
    fn quick_tests_agree_with_unicode() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let text = format!("a{c}");
            let unicode = is_nfc_quick(text.chars()) == IsNormalized::Yes;
            assert_eq!(is_nfc(&text), unicode, "{c:?}");
            assert_eq!(has_stray_controls(&text), is_stray(c), "{c:?}");
        }
        assert!(is_plain("Đồng bào – “dân tộc” Hoà Bình… Ỹ"));
        let nfd: String = "Hoà Bình – “Đồng bào”".nfd().collect();
        assert!(!is_plain(&nfd));
        assert!(!is_nfc(&nfd));
        assert_eq!(clean(nfd), "Hoà Bình – “Đồng bào”");
        assert_eq!(clean("Vie\u{1}\u{302}\u{323}t".into()), "Việt");
    }

    #[test]
    fn byte_tests_agree_with_unicode_wherever_the_character_falls() {
        // Every offset in and across the 16-byte steps of `any_byte`, and its tail.
        let characters = [
            'a', '\t', '\n', '\u{1}', '\u{7f}', '\u{85}', '\u{a0}', 'đ', 'ộ', 'Ỹ', '\u{1e9e}',
            '\u{1efa}', '\u{300}', '\u{323}', '–', '“', '\u{2001}', '\u{2070}', '€', '😀', '가',
        ];
        for c in characters {
            for offset in 0..40 {
                let text = format!("{}{c}{}", "x".repeat(offset), "y".repeat(40 - offset));
                let nfc = is_nfc_quick(text.chars()) == IsNormalized::Yes;
                let plain = c < '\u{300}'
                    || ('\u{1ea0}'..='\u{1ef9}').contains(&c)
                    || ('\u{2002}'..='\u{206f}').contains(&c);
                assert_eq!(is_plain(&text), plain, "{c:?} at {offset}");
                assert_eq!(is_nfc(&text), nfc, "{c:?} at {offset}");
                assert_eq!(has_stray_controls(&text), is_stray(c), "{c:?} at {offset}");
            }
        }
    }

    #[test]
    fn wording_is_kept_beyond_nfc() {
        // Old-style tone placement is the editor's choice: NFC must not move it.
        assert_eq!(nfc("hoà thuỷ"), "hoà thuỷ");
    }
}
