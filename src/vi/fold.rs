//! Search folding: the form in which queries and indexed text are matched regardless of marks.

use super::letters::unify_eth;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Folds `text` for matching: `Đồng bào dân tộc thiểu số` → `dong bao dan toc thieu so`.
/// Marks are removed, `đ`/`ð` become `d`, letters that Unicode does not decompose get their
/// ASCII spelling (`Ørsted` → `orsted`, `ß` → `ss`), everything is lower case, and anything
/// that is not a letter or digit separates words (one space between words). The search page's
/// script (`engine.js`, `fold`) folds queries the same way.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let letters = text
        .nfd()
        .map(unify_eth)
        .flat_map(char::to_lowercase)
        .filter(|&c| !is_combining_mark(c));
    for c in letters {
        if !c.is_alphanumeric() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        match c {
            'đ' => out.push('d'),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(
            fold("Đồng bào dân tộc thiểu số"),
            "dong bao dan toc thieu so"
        );
        assert_eq!(fold("Ðà Nẵng, TP.HCM"), "da nang tp hcm");
        assert_eq!(fold("ðồng"), "dong");
        assert_eq!(fold("Ørsted, Łódź, Straße"), "orsted lodz strasse");
    }

    #[test]
    fn nfd_folds_like_nfc() {
        let nfd: String = "Thủy lợi Hoà Bình".nfd().collect();
        assert_eq!(fold(&nfd), fold("Thủy lợi Hoà Bình"));
    }
}
