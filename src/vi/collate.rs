//! Vietnamese collation: alphabet a ă â b c d đ e ê … ơ … ư …, then tones in CLDR order.

use super::letters::{split, Tone};
use super::normalize::nfc_cow;
use std::cmp::Ordering;

/// Latin letters in Vietnamese alphabetical order; f, j, w, z sit where the Latin alphabet has them.
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

const SPACE_WEIGHT: u32 = 1;
const DIGIT_BASE: u32 = 10;
const LETTER_BASE: u32 = 100;
const OTHER_BASE: u32 = 1000;

/// A sort key: compare keys instead of strings to sort many names quickly.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CollationKey {
    primary: Vec<u32>,
    tones: Vec<Tone>,
    upper: Vec<bool>,
    text: String,
}

/// Builds the sort key of `text`: letters first (`cam` < `căm` < `câm`), then tones
/// (`ca` < `cà` < `cả` < `cã` < `cá` < `cạ`), then case; punctuation is ignored.
pub fn collation_key(text: &str) -> CollationKey {
    let text = nfc_cow(text);
    let mut key = CollationKey {
        primary: Vec::with_capacity(text.len()),
        tones: Vec::new(),
        upper: Vec::new(),
        text: text.to_string(),
    };
    for c in text.chars() {
        if c.is_whitespace() {
            if key.primary.last().is_some_and(|&w| w != SPACE_WEIGHT) {
                key.primary.push(SPACE_WEIGHT);
            }
            continue;
        }
        let letter = split(c);
        let lower = letter.shaped.to_lowercase().next().unwrap_or(letter.shaped);
        let Some(weight) = primary_weight(lower) else {
            continue;
        };
        key.primary.push(weight);
        key.tones.push(letter.tone);
        key.upper.push(lower != letter.shaped);
    }
    if key.primary.last() == Some(&SPACE_WEIGHT) {
        key.primary.pop();
    }
    key
}

fn primary_weight(lower: char) -> Option<u32> {
    if let Some(digit) = lower.to_digit(10) {
        return Some(DIGIT_BASE + digit);
    }
    if let Some(index) = ALPHABET.iter().position(|&a| a == lower) {
        return Some(LETTER_BASE + index as u32);
    }
    lower.is_alphanumeric().then(|| OTHER_BASE + lower as u32)
}

/// Compares two texts in Vietnamese order.
pub fn compare(a: &str, b: &str) -> Ordering {
    collation_key(a).cmp(&collation_key(b))
}

/// The heading a name is listed under on an index page: `Âu` → `Â`, `Đặng` → `Đ`, `ủy` → `U`
/// (tones are not letters), digits → `0–9`, anything else → `#`.
pub fn first_letter(text: &str) -> String {
    let text = nfc_cow(text);
    for c in text.chars() {
        if c.is_ascii_digit() {
            return "0–9".to_string();
        }
        let lower_shaped = split(c).shaped.to_lowercase().next().unwrap_or(c);
        if primary_weight(lower_shaped).is_some() {
            return lower_shaped.to_uppercase().collect();
        }
    }
    "#".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(items: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        v.sort_by_cached_key(|s| collation_key(s));
        v
    }

    #[test]
    fn tones_and_letters_in_cldr_order() {
        let expected = [
            "ca", "cà", "cả", "cã", "cá", "cạ", "các", "cách", "cam", "căm", "câm",
        ];
        let mut shuffled = expected;
        shuffled.reverse();
        shuffled.swap(2, 7);
        assert_eq!(sorted(&shuffled), expected);
    }

    #[test]
    fn names_in_vietnamese_order() {
        let expected = [
            "Âu Thị Hồng",
            "Dương Văn Bình",
            "Đặng Thu Hà",
            "Ơn Văn Hải",
            "Thạch Kim Sơn",
            "Thái Phương",
            "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
            "Văn Hải",
            "Việt Dũng",
        ];
        let mut bytes = expected;
        bytes.sort();
        assert_ne!(bytes, expected, "a byte sort must differ");
        assert_eq!(sorted(&bytes), expected);
    }

    #[test]
    fn nfd_sorts_like_nfc() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Đặng".nfd().collect();
        assert_eq!(compare(&nfd, "Đặng"), Ordering::Equal);
    }

    #[test]
    fn first_letters() {
        assert_eq!(first_letter("Âu Thị Hồng"), "Â");
        assert_eq!(first_letter("ăn"), "Ă");
        assert_eq!(first_letter("đặng"), "Đ");
        assert_eq!(first_letter("Ðà Nẵng"), "Đ");
        assert_eq!(first_letter("Ủy ban"), "U");
        assert_eq!(first_letter("Ơn"), "Ơ");
        assert_eq!(first_letter("“Hòa”"), "H");
        assert_eq!(first_letter("136-KH/TU"), "0–9");
        assert_eq!(first_letter("…"), "#");
    }
}
