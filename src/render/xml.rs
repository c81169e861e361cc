//! Text for XML outputs (feeds, sitemaps): escaped, and without the characters XML 1.0 forbids.

/// Escapes `text` for XML content or attributes, dropping control characters that no XML
/// parser accepts even escaped.
pub fn text(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect();
    quick_xml::escape::escape(allowed.as_str()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_forbidden_characters() {
        assert_eq!(
            text("a & <b> \"c\" ]]>\u{0}\u{1b}"),
            "a &amp; &lt;b&gt; &quot;c&quot; ]]&gt;"
        );
        assert_eq!(text("Đồng bào\ttab"), "Đồng bào\ttab");
    }
}
