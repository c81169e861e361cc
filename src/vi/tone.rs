//! Compare keys: one spelling per word for grouping and search (`Hoà`, `hòa` and `HÒA` are one).

use super::letters::{has_shape_mark, is_vowel, split, Letter, Tone};
use super::normalize::nfc_cow;
use unicode_normalization::UnicodeNormalization;

/// The key under which spellings of one name are grouped: NFC, `ð` → `đ`, lower case, the tone
/// mark of every syllable on its canonical vowel (`hoà` → `hòa`, `thuỷ` → `thủy`, `qủa` → `quả`),
/// runs of white space collapsed to one space and trimmed.
pub fn compare_key(text: &str) -> String {
    let text = nfc_cow(text);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c) {
            word.push(c);
            continue;
        }
        flush_word(&mut word, &mut out);
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    flush_word(&mut word, &mut out);
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn flush_word(word: &mut String, out: &mut String) {
    if !word.is_empty() {
        let recomposed: String = word.nfc().collect();
        out.push_str(&canonical_tone(&recomposed));
        word.clear();
    }
}

/// Moves the tone mark of one lower-case NFC syllable to its canonical vowel. Words that are
/// not one Vietnamese syllable with one tone are returned unchanged.
fn canonical_tone(word: &str) -> String {
    let letters: Vec<Letter> = word.chars().map(split).collect();
    let mut toned = letters.iter().filter(|l| l.tone != Tone::Level);
    let (Some(tone), None) = (toned.next().map(|l| l.tone), toned.next()) else {
        return word.chars().map(super::letters::unify_eth).collect();
    };
    let shaped: Vec<char> = letters.iter().map(|l| l.shaped).collect();
    let Some(position) = tone_position(&shaped) else {
        return word.chars().map(super::letters::unify_eth).collect();
    };
    let mut out = String::with_capacity(word.len() + 2);
    for (i, c) in shaped.iter().enumerate() {
        out.push(*c);
        if i == position {
            out.extend(tone.mark());
        }
    }
    out.nfc().collect()
}

/// Index of the vowel that carries the tone in a toneless syllable, or `None` when the word
/// does not look like a single Vietnamese syllable.
fn tone_position(letters: &[char]) -> Option<usize> {
    let mut start = letters.iter().position(|&c| is_vowel(c))?;
    let next_is_vowel = letters.get(start + 1).is_some_and(|&c| is_vowel(c));
    let glide_of_initial = start > 0
        && next_is_vowel
        && matches!(
            (letters[start - 1], letters[start]),
            ('q', 'u') | ('g', 'i')
        );
    if glide_of_initial {
        start += 1;
    }
    let end = start
        + letters[start..]
            .iter()
            .take_while(|&&c| is_vowel(c))
            .count();
    if letters[end..].iter().any(|&c| is_vowel(c)) {
        return None;
    }
    let nucleus = &letters[start..end];
    if let Some(last_shaped) = nucleus.iter().rposition(|&c| has_shape_mark(c)) {
        return Some(start + last_shaped);
    }
    let has_final_consonant = end < letters.len();
    match (nucleus.len(), has_final_consonant) {
        (_, true) => Some(end - 1),
        (1 | 2, false) => Some(start),
        (3, false) => Some(start + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_word_share_a_key() {
        let pairs = [
            ("hoà", "hòa"),
            ("Thanh Hoá", "Thanh Hóa"),
            ("thuỷ", "thủy"),
            ("Uỷ ban", "Ủy ban"),
            ("khoẻ", "khỏe"),
            ("tuỳ", "tùy"),
            ("hoạ", "họa"),
            ("luỹ", "lũy"),
            ("xoè", "xòe"),
            ("Thuý", "Thúy"),
            ("Vie\u{323}\u{302}t", "Việt"),
            ("qủa", "quả"),
            ("Ðà Nẵng", "Đà Nẵng"),
            ("THÁI PHƯƠNG", "Thái Phương"),
            ("  Thái   Phương ", "Thái Phương"),
            ("gìa", "già"),
            ("qúy", "quý"),
        ];
        for (a, b) in pairs {
            assert_eq!(compare_key(a), compare_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn canonical_form_puts_the_mark_on_the_first_vowel_of_open_syllables() {
        assert_eq!(compare_key("Hoà Bình"), "hòa bình");
        assert_eq!(compare_key("thuỷ lợi"), "thủy lợi");
        assert_eq!(compare_key("Ðà Nẵng"), "đà nẵng");
    }

    #[test]
    fn syllables_with_a_final_consonant_keep_their_mark() {
        for word in [
            "toàn", "hoàng", "choàng", "quyết", "người", "khuỷu", "ngoài",
        ] {
            assert_eq!(compare_key(word), word);
        }
    }

    #[test]
    fn different_words_stay_different() {
        assert_ne!(compare_key("Tày"), compare_key("Tây"));
        assert_ne!(compare_key("Đặng"), compare_key("Đảng"));
        assert_ne!(compare_key("hoà"), compare_key("hoa"));
    }

    #[test]
    fn foreign_words_are_only_lower_cased() {
        assert_eq!(compare_key("COVID-19 và OCOP"), "covid-19 và ocop");
    }
}
