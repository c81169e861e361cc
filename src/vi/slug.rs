//! URL slugs: ASCII, lower case, Vietnamese marks removed, `đ` → `d`, words joined by `-`.

use super::letters::unify_eth;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Why a text gives no slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` has no letters or digits to make a URL from")]
pub struct SlugError {
    pub text: String,
}

/// Slugs are cut to this many bytes, at a `-`: a folder's name may not be longer. Shorter
/// slugs would move the URLs of articles already published.
const MAX_SLUG: usize = 255;

/// Makes the URL word for `text`: `Ban Dân vận Thành ủy TPHCM` → `ban-dan-van-thanh-uy-tphcm`.
/// NFC and NFD spellings give the same slug; `slugify(slugify(x)) == slugify(x)`.
pub fn slugify(text: &str) -> Result<String, SlugError> {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfd().filter(|&c| !is_combining_mark(c)) {
        let mut buffer = [0u8; 4];
        let piece = match unify_eth(c) {
            'đ' | 'Đ' => "d",
            // Latin letters that Unicode does not decompose into a letter and a mark.
            'ø' | 'Ø' => "o",
            'ł' | 'Ł' => "l",
            'ß' => "ss",
            'æ' | 'Æ' => "ae",
            'œ' | 'Œ' => "oe",
            'þ' | 'Þ' => "th",
            'ı' => "i",
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase().encode_utf8(&mut buffer),
            _ => {
                pending_dash = true;
                continue;
            }
        };
        if pending_dash && !slug.is_empty() {
            slug.push('-');
        }
        pending_dash = false;
        slug.push_str(piece);
    }
    if slug.is_empty() {
        return Err(SlugError {
            text: text.to_string(),
        });
    }
    let length = shorten(&slug, MAX_SLUG).len();
    slug.truncate(length);
    Ok(slug)
}

/// `slug` cut to at most `max` bytes at its last `-` that fits (mid-word for one endless
/// word): `bantin new` names files of long headlines with their first words.
pub fn shorten(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let cut = slug[..=max].rfind('-').filter(|&at| at > 0).unwrap_or(max);
    &slug[..cut]
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
            (
                "Ørsted rút khỏi dự án; Łódź, Straße",
                "orsted-rut-khoi-du-an-lodz-strasse",
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
    fn slugs_too_long_for_a_folder_name_are_cut_at_a_dash() {
        let title = "Hội nghị ".repeat(40);
        let slug = slugify(&title).unwrap();
        assert!(
            slug.len() <= MAX_SLUG && slug.len() > MAX_SLUG - 10,
            "{slug}"
        );
        // Cut where a dash was: a whole word ends it.
        let whole = "hoi-nghi-".repeat(40);
        assert!(
            whole.starts_with(&slug) && whole.as_bytes()[slug.len()] == b'-',
            "{slug}"
        );
        assert_eq!(slugify(&slug).unwrap(), slug);
        let word = "a".repeat(300);
        assert_eq!(slugify(&word).unwrap().len(), MAX_SLUG);
        // A long headline of today keeps its whole slug: its URL must not move.
        let headline = "Hội nghị tổng kết công tác dân tộc, tôn giáo năm 2025 và triển khai nhiệm vụ trọng tâm năm 2026 của thành phố";
        assert!(slugify(headline).unwrap().ends_with("cua-thanh-pho"));
        assert_eq!(shorten("ky-ket-phoi-hop", 9), "ky-ket");
        assert_eq!(shorten("ky-ket", 9), "ky-ket");
    }

    #[test]
    fn empty_or_punctuation_only_is_an_error() {
        assert!(slugify("").is_err());
        assert!(slugify(" – … “” ").is_err());
        assert!(slugify("中文").is_err());
    }
}
