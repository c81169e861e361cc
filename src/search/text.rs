//! The words of an article a reader can search, field by field, as compare-form syllables.

use crate::vi::{compare_key, fold};
use ahash::AHashMap;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use unicode_normalization::char::is_combining_mark;

/// Where a word stands on the article page; search ranks matches in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title = 0,
    /// Tags, agencies and authors.
    Names = 1,
    Summary = 2,
    /// Captions and credits of the front matter photos.
    Captions = 3,
    Body = 4,
}

impl Field {
    /// The first word position of the field. Positions tell the browser the field of a phrase
    /// without a byte per word; the script in the theme keeps the same table.
    pub fn first_position(self) -> u32 {
        [0, 512, 1024, 2048, 4096][self as usize]
    }

    /// Positions past this are not indexed as phrases (an absurdly long title, say).
    pub fn position_limit(self) -> u32 {
        [512, 1024, 2048, 4096, u32::MAX][self as usize]
    }
}

/// The visible text of a Markdown body: paragraphs, headings, lists, tables, link texts and
/// photo descriptions and credits, one block a line; no URLs and no markup.
pub fn plain_text(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(markdown.len());
    let mut image_titles: Vec<CowStr> = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::Image { title, .. }) => image_titles.push(title),
            Event::End(TagEnd::Image) => {
                if let Some(title) = image_titles.pop() {
                    out.push(' ');
                    out.push_str(&title);
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition,
            ) => {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Turns text into compare-form syllables (`Hoà` → `hòa`), remembering the forms already seen.
#[derive(Default)]
pub struct Syllables {
    seen: AHashMap<Box<str>, Option<Box<str>>>,
}

impl Syllables {
    /// Appends the syllables of `text` to `out`, separated by spaces.
    pub fn push(&mut self, text: &str, out: &mut String) {
        for word in words(text) {
            let form = self.seen.entry(word.into()).or_insert_with(|| {
                let key = compare_key(word);
                // A run of stray marks has no letter to find.
                (!fold(&key).is_empty()).then(|| key.into())
            });
            if let Some(form) = form {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(form);
            }
        }
    }
}

/// Maximal runs of letters and digits: every other character separates syllables.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_what_readers_see() {
        let md = "# Tiêu đề\n\nĐoạn *một* với [liên kết](https://vd.vn/x).\n\n\
                  ![Toàn cảnh hội nghị](a.jpg \"Ảnh: VIỆT DŨNG\")\n\n- mục 1\n- mục 2\n";
        assert_eq!(
            plain_text(md),
            "Tiêu đề\nĐoạn một với liên kết.\nToàn cảnh hội nghị Ảnh: VIỆT DŨNG\nmục 1\nmục 2"
        );
    }

    #[test]
    fn syllables_are_in_compare_form() {
        let mut syllables = Syllables::default();
        let mut out = String::new();
        syllables.push("Hoà Bình – Bà Rịa, H'Mông 2024", &mut out);
        assert_eq!(out, "hòa bình bà rịa h mông 2024");
    }
}
