//! People's names as papers print them: bylines (`MINH KHÔI` → `Minh Khôi`) and the sign-off
//! that ends an article (`THÁI PHƯƠNG`).

use super::fold;

/// Sign-offs are at most this long.
pub const SIGN_OFF_BYTES: usize = 160;

/// Letters, none of them in lower case (`THÁI PHƯƠNG`, `NHIỆT LIỆT CHÀO MỪNG …!`).
pub fn is_capitals(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

/// How many words a paragraph has, when it reads as a paper's sign-off: a short line of names
/// in capitals (`THÁI PHƯƠNG`, `MINH KHÔI - VIỆT DŨNG`, `KKN`), not a sentence and not a
/// source (`THEO TTXVN`, `NGUỒN: …`, `ẢNH: …`).
pub fn sign_off_words(paragraph: &str) -> Option<usize> {
    if paragraph.len() > SIGN_OFF_BYTES
        || paragraph.ends_with(['.', '!', '?', ':'])
        || !is_capitals(paragraph)
    {
        return None;
    }
    let words = paragraph.split_whitespace().count();
    let folded = fold(paragraph);
    let source = ["theo ", "nguon", "anh:", "anh "]
        .iter()
        .any(|source| folded.starts_with(source));
    ((1..=12).contains(&words) && !source).then_some(words)
}

/// Each word of `name` with a capital first letter and the rest in lower case.
pub fn title_case(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::{sign_off_words, title_case};

    #[test]
    fn names_in_capitals_are_written_as_bylines() {
        assert_eq!(title_case("NGUYỄN VĂN ĐỨC"), "Nguyễn Văn Đức");
        assert_eq!(title_case("ÁI  VÂN"), "Ái Vân");
        assert_eq!(title_case("minh khôi"), "Minh Khôi");
    }

    #[test]
    fn sign_offs_are_short_capitals_and_not_sources() {
        let is_sign_off = |p: &str| sign_off_words(p).is_some();
        assert!(is_sign_off("KKN"));
        assert!(is_sign_off("MINH KHÔI - VIỆT DŨNG"));
        assert!(!is_sign_off("THEO TTXVN"));
        assert!(!is_sign_off("Thái Phương"));
        assert!(!is_sign_off("HỘI NGHỊ ĐÃ KẾT THÚC."));
    }
}
