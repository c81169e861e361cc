//! The words of an article a reader can search, field by field, as compare-form syllables.

use crate::vi::{compare_key, fold};
use ahash::AHashMap;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;
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
            ) if !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Turns text into compare-form syllables (`Hoà` → `hòa`), numbered in order of first sight.
/// One is kept per thread for a few dozen articles: most words repeat, and the numbers are
/// made global later, once per distinct word instead of once per word of text.
#[derive(Default)]
pub struct Syllables {
    /// Number of each word as written (`Hoà`, `hòa`) of up to 16 bytes, by `short_key`:
    /// nearly every word, looked up without reading a string elsewhere in memory.
    seen_short: AHashMap<u128, u32>,
    /// Number of each longer word as written.
    seen_long: AHashMap<Box<str>, u32>,
    /// Number of each compare form (`hòa`).
    numbers: AHashMap<Box<str>, u32>,
    /// Compare form of each number.
    pub forms: Vec<Box<str>>,
}

/// The number of a word that holds no letter (a run of stray marks): it is skipped.
const NO_SYLLABLE: u32 = u32::MAX;

/// Stands between two blocks of a text (see `Syllables::of_blocks`): no phrase runs across it.
pub const BLOCK_BREAK: u32 = u32::MAX - 1;

impl Syllables {
    /// The numbers of the syllables of `text`.
    pub fn of(&mut self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 4);
        self.push_words(text, &mut out);
        out
    }

    /// The numbers of the syllables of a text of blocks, one a line (paragraphs, headings),
    /// with a `BLOCK_BREAK` between blocks: the last word of a heading and the first of the
    /// next paragraph are not a phrase.
    pub fn of_blocks(&mut self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 4);
        for (n, block) in text.lines().enumerate() {
            if n > 0 {
                out.push(BLOCK_BREAK);
            }
            self.push_words(block, &mut out);
        }
        out
    }

    fn push_words(&mut self, text: &str, out: &mut Vec<u32>) {
        for range in word_ranges(text) {
            let key = short_key(text.as_bytes(), range.clone());
            let word = &text[range];
            let known = match key {
                Some(key) => self.seen_short.get(&key),
                None => self.seen_long.get(word),
            };
            let number = match known {
                Some(&number) => number,
                None => {
                    let number = self.number_of(word);
                    match key {
                        Some(key) => self.seen_short.insert(key, number),
                        None => self.seen_long.insert(word.into(), number),
                    };
                    number
                }
            };
            if number != NO_SYLLABLE {
                out.push(number);
            }
        }
    }

    /// The number of the compare form of a word not seen before.
    fn number_of(&mut self, word: &str) -> u32 {
        let Some(form) = compare_form(word) else {
            return NO_SYLLABLE;
        };
        let next = self.forms.len() as u32;
        let number = *self.numbers.entry(Box::clone(&form)).or_insert(next);
        if number == next {
            self.forms.push(form);
        }
        number
    }
}

/// The word at `range` of `text`, if at most 16 bytes, as one number: its bytes, then zeros
/// (no word holds a zero byte, so the padding cannot make two words equal). Read as 16 bytes
/// at once and masked where the text goes on, since copying a few bytes into a buffer and
/// reading it back stalls the processor.
fn short_key(text: &[u8], range: Range<usize>) -> Option<u128> {
    let length = range.len();
    if length > 16 {
        return None;
    }
    let key = match text.get(range.start..range.start + 16) {
        Some(window) => u128::from_le_bytes(window.try_into().ok()?),
        None => {
            let mut key = [0u8; 16];
            key[..length].copy_from_slice(&text[range]);
            return Some(u128::from_le_bytes(key));
        }
    };
    Some(match length {
        16 => key,
        _ => key & ((1u128 << (8 * length)) - 1),
    })
}

thread_local! {
    /// Compare forms of the words a thread has seen, for every task it runs.
    static FORMS: std::cell::RefCell<AHashMap<Box<str>, Option<Box<str>>>> =
        std::cell::RefCell::new(AHashMap::new());
}

/// The compare form of a word (`Hoà` → `hòa`); none for a run of stray marks.
fn compare_form(word: &str) -> Option<Box<str>> {
    FORMS.with_borrow_mut(|forms| {
        if let Some(form) = forms.get(word) {
            return form.clone();
        }
        let key = compare_key(word);
        let form: Option<Box<str>> = (!fold(&key).is_empty()).then(|| key.into());
        forms.insert(word.into(), form.clone());
        form
    })
}

/// Maximal runs of letters and digits: every other character separates syllables.
fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|&(_, c)| is_word_char(c))?;
        let mut end = text.len();
        while let Some(&(at, c)) = chars.peek() {
            if !is_word_char(c) {
                end = at;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        c if c.is_ascii() => false,
        // Latin-1 letters, Latin Extended-A and B, Vietnamese letters: the common case, without
        // the slow table lookup (× and ÷ are the only non-letters there).
        '\u{C0}'..='\u{24F}' | '\u{1EA0}'..='\u{1EFF}' => c != '×' && c != '÷',
        c => c.is_alphanumeric() || is_combining_mark(c),
    }
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
        let numbers = syllables.of("Hoà Bình – Bà Rịa, H'Mông 2024 × hòa");
        let forms: Vec<&str> = numbers
            .iter()
            .map(|&n| &*syllables.forms[n as usize])
            .collect();
        assert_eq!(
            forms,
            ["hòa", "bình", "bà", "rịa", "h", "mông", "2024", "hòa"]
        );
        assert_eq!(numbers[0], numbers[7]);
    }

    #[test]
    fn short_keys_do_not_depend_on_what_follows() {
        let text = "hòa bình hòa";
        let end = text.len();
        let middle = short_key(text.as_bytes(), 0..4);
        assert_eq!(middle, short_key(text.as_bytes(), end - 4..end));
        assert_eq!(middle, short_key("hòa".as_bytes(), 0..4));
        assert_ne!(middle, short_key(text.as_bytes(), 5..10));
        let long = "Nghiêngnghiêngnghiêng";
        assert_eq!(short_key(long.as_bytes(), 0..long.len()), None);
        let ranges: Vec<&str> = word_ranges("– Hoà, Bình!")
            .map(|r| &"– Hoà, Bình!"[r])
            .collect();
        assert_eq!(ranges, ["Hoà", "Bình"]);
    }

    #[test]
    fn word_characters_agree_with_unicode() {
        for c in (0..0x2000u32).filter_map(char::from_u32) {
            let unicode = c.is_alphanumeric() || is_combining_mark(c);
            assert_eq!(is_word_char(c), unicode, "{c:?}");
        }
    }
}
