//! URL slugs: ASCII, lower case, Vietnamese marks removed, `đ` → `d`, words joined by `-`.

use super::letters::unify_eth;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Why a text gives no slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` has no letters or digits to make a URL from")]
pub struct SlugError {
    pub text: String,
}

/// Makes the URL word for `text`: `Ban Dân vận Thành ủy TPHCM` → `ban-dan-van-thanh-uy-tphcm`.
/// NFC and NFD spellings give the same slug; `slugify(slugify(x)) == slugify(x)`.
pub fn slugify(text: &str) -> Result<String, SlugError> {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfd().filter(|&c| !is_combining_mark(c)) {
        let c = match unify_eth(c) {
            'đ' | 'Đ' => 'd',
            other => other.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
        } else {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        return Err(SlugError {
            text: text.to_string(),
        });
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_titles() {
        let cases = [
            (
                "Phối hợp chăm lo Tết cho đồng bào dân tộc thiểu số",
                "phoi-hop-cham-lo-tet-cho-dong-bao-dan-toc-thieu-so",
            ),
            (
                "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI",
                "nhiet-liet-chao-mung-dai-hoi",
            ),
            ("Ban Dân vận Thành ủy TPHCM", "ban-dan-van-thanh-uy-tphcm"),
            ("TP.HCM", "tp-hcm"),
            ("“Hòa” – Hoà", "hoa-hoa"),
            ("Ngày 10-4", "ngay-10-4"),
            ("6.000 tỉ đồng", "6-000-ti-dong"),
            ("ƯỚC MƠ", "uoc-mo"),
            ("Ðà Nẵng", "da-nang"),
            (
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "uy-ban-mat-tran-to-quoc-viet-nam",
            ),
        ];
        for (title, slug) in cases {
            assert_eq!(slugify(title).as_deref(), Ok(slug), "{title}");
        }
    }

    #[test]
    fn nfd_input_gives_the_same_slug() {
        let nfd: String = "Đồng bào dân tộc thiểu số".nfd().collect();
        assert_eq!(
            slugify(&nfd).unwrap(),
            slugify("Đồng bào dân tộc thiểu số").unwrap()
        );
    }

    #[test]
    fn empty_or_punctuation_only_is_an_error() {
        assert!(slugify("").is_err());
        assert!(slugify(" – … “” ").is_err());
        assert!(slugify("中文").is_err());
    }
}
