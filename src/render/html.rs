//! Small HTML helpers for markup bantin writes itself (figures in article bodies).

use crate::assemble::Photo;

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A photo as `<figure>` with its caption and "Ảnh: credit", the markup of the theme's
/// `partials/figure.html`.
pub fn figure(photo: &Photo) -> String {
    let mut out = format!(
        "<figure class=\"photo\">\n<img src=\"{}\" alt=\"{}\"",
        escape(&photo.url),
        escape(&photo.alt)
    );
    if let (Some(width), Some(height)) = (photo.width, photo.height) {
        out.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    }
    out.push_str(" loading=\"lazy\" decoding=\"async\">\n");
    if photo.caption.is_some() || photo.credit.is_some() {
        out.push_str("<figcaption>");
        match (&photo.caption, &photo.credit) {
            (Some(caption), Some(_)) => {
                out.push_str(&escape(&sentence(caption)));
                out.push(' ');
            }
            (Some(caption), None) => out.push_str(&escape(caption)),
            _ => {}
        }
        if let Some(credit) = &photo.credit {
            out.push_str(&format!(
                "<span class=\"credit\">Ảnh:&nbsp;{}</span>",
                escape(credit)
            ));
        }
        out.push_str("</figcaption>\n");
    }
    out.push_str("</figure>\n");
    out
}

/// A text ended as a sentence: a caption before its credit gets the full stop papers print
/// there (`… ký kết chương trình phối hợp. Ảnh: VIỆT DŨNG`), unless it ends with one already.
pub fn sentence(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.trim_end();
    match text.ends_with(['.', '!', '?', '…', ':', ')', '"', '”', '»']) {
        true => text.into(),
        false => format!("{text}.").into(),
    }
}

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
    let credit = after.trim().trim_end_matches(')').trim();
    if !separated || credit.is_empty() {
        return (caption.trim().to_string(), None);
    }
    let caption = before_trimmed
        .trim_end_matches(['-', '–', '—', '(', '|', ','])
        .trim_end()
        .to_string();
    (caption, Some(credit.to_string()))
}

/// The credit in an image title: `Ảnh: Việt Dũng` → `Việt Dũng`.
pub fn title_credit(title: &str) -> Option<String> {
    let title = title.trim();
    if title.is_empty() {
        return None;
    }
    let (_, credit) = split_credit(title);
    Some(credit.unwrap_or_else(|| title.to_string()))
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
        assert_eq!(title_credit("Ảnh: Việt Dũng").as_deref(), Some("Việt Dũng"));
        assert_eq!(title_credit("TTXVN").as_deref(), Some("TTXVN"));
    }

    #[test]
    fn figures_escape_everything() {
        let photo = Photo {
            url: "https://x/a.jpg".to_string(),
            caption: Some("</figcaption><script>alert(1)</script>".to_string()),
            credit: Some("\"><img onerror=x>".to_string()),
            alt: "a\"b".to_string(),
            width: Some(800),
            height: Some(533),
            bytes: None,
        };
        let html = figure(&photo);
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<img onerror"));
        assert!(html.contains("alt=\"a&quot;b\""));
        assert!(html.contains("width=\"800\" height=\"533\""));
        assert!(html
            .contains("<span class=\"credit\">Ảnh:&nbsp;&quot;&gt;&lt;img onerror=x&gt;</span>"));
    }
}
