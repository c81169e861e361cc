//! Photo credits as Vietnamese papers print them: `Ký kết - Ảnh: VIỆT DŨNG`.

/// Splits a caption that ends with its credit: `Ký kết chương trình - Ảnh: VIỆT DŨNG` →
/// (`Ký kết chương trình`, `VIỆT DŨNG`).
pub fn split_credit(caption: &str) -> (String, Option<String>) {
    // Only a colon can end the marker: every caption has a few at most, and looking at each
    // letter instead cost more than the rest of the body's conversion.
    let marker = |(colon, _): (usize, &str)| {
        let mut word = caption[..colon].chars().rev();
        let [h, n, a] = [word.next(), word.next(), word.next()];
        let is = |c: Option<char>, lower: char, upper: char| c == Some(lower) || c == Some(upper);
        (is(h, 'h', 'H') && is(n, 'n', 'N') && is(a, 'ả', 'Ả')).then(|| colon - 'ả'.len_utf8() - 2)
    };
    let Some(at) = caption.match_indices(':').rev().find_map(marker) else {
        return (caption.trim().to_string(), None);
    };
    let before = &caption[..at];
    let after: String = caption[at..].chars().skip(4).collect();
    let before_trimmed = before.trim_end();
    let separated = before_trimmed.is_empty()
        || before_trimmed.ends_with(['-', '–', '—', '.', '(', '|', ':', ',']);
    // `(Ảnh: TTXVN)` closes its bracket; `Ảnh: Việt Dũng (TTXVN)` keeps it.
    let credit = after.trim();
    let credit = match before_trimmed.ends_with('(') {
        true => credit.strip_suffix(')').unwrap_or(credit).trim_end(),
        false => credit,
    };
    if !separated || credit.is_empty() {
        return (caption.trim().to_string(), None);
    }
    let caption = before_trimmed
        .trim_end_matches(['-', '–', '—', '(', '|', ','])
        .trim_end()
        .to_string();
    (caption, Some(credit.to_string()))
}

/// A credit as written, without the "Ảnh:" that editors copy along with it (themes print
/// the label): `Ảnh: Việt Dũng` → `Việt Dũng`; none for an empty text.
pub fn credit_of(text: &str) -> Option<String> {
    let text = text.trim();
    match split_credit(text) {
        (_, Some(credit)) => Some(credit),
        // The label alone (`Ảnh:`) names nobody.
        _ if text.is_empty() || text.to_lowercase() == "ảnh:" => None,
        _ => Some(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_at_the_end_of_captions() {
        assert_eq!(
            split_credit("Đại diện 2 đơn vị ký kết - Ảnh: VIỆT DŨNG"),
            (
                "Đại diện 2 đơn vị ký kết".to_string(),
                Some("VIỆT DŨNG".to_string())
            )
        );
        assert_eq!(
            split_credit("Đại diện hai đơn vị ký kết. Ảnh: VIỆT DŨNG"),
            (
                "Đại diện hai đơn vị ký kết.".to_string(),
                Some("VIỆT DŨNG".to_string())
            )
        );
        assert_eq!(
            split_credit("Triển lãm ảnh: 50 năm"),
            ("Triển lãm ảnh: 50 năm".to_string(), None)
        );
        assert_eq!(
            split_credit("Lễ ký kết: hai bên trao văn bản (ẢNH: TTXVN)"),
            (
                "Lễ ký kết: hai bên trao văn bản".to_string(),
                Some("TTXVN".to_string())
            )
        );
        assert_eq!(split_credit(" Ảnh: "), ("Ảnh:".to_string(), None));
        assert_eq!(credit_of("Ảnh: Việt Dũng").as_deref(), Some("Việt Dũng"));
        assert_eq!(credit_of("TTXVN").as_deref(), Some("TTXVN"));
    }

    #[test]
    fn credits_lose_their_label() {
        assert_eq!(credit_of(" ẢNH: TTXVN ").as_deref(), Some("TTXVN"));
        assert_eq!(credit_of("ảnh:Việt Dũng").as_deref(), Some("Việt Dũng"));
        assert_eq!(credit_of("Ảnh tư liệu").as_deref(), Some("Ảnh tư liệu"));
        assert_eq!(credit_of("  "), None);
        assert_eq!(credit_of("ẢNH:"), None);
        assert_eq!(
            credit_of("Ảnh: Việt Dũng (TTXVN)").as_deref(),
            Some("Việt Dũng (TTXVN)")
        );
        assert_eq!(
            split_credit("Lễ ký kết (Ảnh: Việt Dũng (TTXVN))"),
            (
                "Lễ ký kết".to_string(),
                Some("Việt Dũng (TTXVN)".to_string())
            )
        );
    }
}
