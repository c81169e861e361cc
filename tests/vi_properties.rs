//! Property tests of the Vietnamese text rules on arbitrary Unicode.

use bantin::vi::{collation_key, compare_key, fold, slugify};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn vietnamese_like() -> impl Strategy<Value = String> {
    // Mostly Vietnamese letters with marks and punctuation, plus some arbitrary Unicode.
    prop_oneof![
        "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậđĐèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵÐð .,–“”-]{0,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_panic_on_arbitrary_unicode(text in any::<String>()) {
        let _ = slugify(&text);
        let _ = compare_key(&text);
        let _ = fold(&text);
        let _ = collation_key(&text);
    }

    #[test]
    fn slug_is_idempotent(text in vietnamese_like()) {
        if let Ok(slug) = slugify(&text) {
            prop_assert_eq!(slugify(&slug).unwrap(), slug);
        }
    }

    #[test]
    fn nfc_and_nfd_agree(text in vietnamese_like()) {
        let nfd: String = text.nfd().collect();
        let nfc: String = text.nfc().collect();
        prop_assert_eq!(slugify(&nfd).ok(), slugify(&nfc).ok());
        prop_assert_eq!(compare_key(&nfd), compare_key(&nfc));
        prop_assert_eq!(fold(&nfd), fold(&nfc));
    }

    #[test]
    fn compare_key_is_idempotent(text in vietnamese_like()) {
        let key = compare_key(&text);
        prop_assert_eq!(compare_key(&key), key);
    }
}
