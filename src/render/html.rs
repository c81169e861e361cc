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

/// The width the default theme's article column gives a photo, for `sizes`: the browser picks
/// the medium copy or the photo itself by it (style.css: main 48rem, padding 1rem each side).
const PHOTO_SIZES: &str = "(min-width: 48rem) 46rem, calc(100vw - 2rem)";

/// A photo as `<figure>` with its caption and "Ảnh: credit", the markup of the default theme's
/// `partials/figure.html` (a theme with its own partial gets it rendered instead).
pub fn figure(photo: &Photo) -> String {
    let mut out = format!(
        "<figure class=\"photo\">\n<img src=\"{}\"",
        escape(&photo.url)
    );
    if let (Some(medium), Some(width)) = (&photo.medium, photo.width) {
        out.push_str(&format!(
            " srcset=\"{} {}w, {} {width}w\" sizes=\"{PHOTO_SIZES}\"",
            escape(&medium.url),
            medium.width,
            escape(&photo.url),
        ));
    }
    out.push_str(&format!(" alt=\"{}\"", escape(&photo.alt)));
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

#[cfg(test)]
mod tests {
    use super::*;

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
            thumbnail: None,
            medium: None,
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
