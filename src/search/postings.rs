//! Inverted lists: for every syllable and every pair of adjacent syllables, in each spelling,
//! the articles that hold it, in which fields, and (for pairs) at which word positions.

use super::text::Field;
use ahash::AHashMap;

/// Syllables interned to numbers, with their folded form (`đảng` → `dang`).
#[derive(Default)]
pub struct Vocabulary {
    ids: AHashMap<Box<str>, u32>,
    /// Compare form of each syllable.
    pub forms: Vec<Box<str>>,
    /// Folded form of each syllable, as an index into `folded`.
    pub fold_of: Vec<u32>,
    folded_ids: AHashMap<Box<str>, u32>,
    pub folded: Vec<Box<str>>,
}

impl Vocabulary {
    fn intern(&mut self, form: &str) -> u32 {
        if let Some(&id) = self.ids.get(form) {
            return id;
        }
        let folded = crate::vi::fold(form);
        let next_fold = self.folded.len() as u32;
        let fold_id = *self
            .folded_ids
            .entry(folded.as_str().into())
            .or_insert(next_fold);
        if fold_id == next_fold {
            self.folded.push(folded.into());
        }
        let id = self.forms.len() as u32;
        self.forms.push(form.into());
        self.fold_of.push(fold_id);
        self.ids.insert(form.into(), id);
        id
    }
}

/// The articles holding one spelling, as bytes: per article the gap from the previous
/// article's number, then what the kind of list records (see `Postings::add_article`).
#[derive(Default)]
pub struct List {
    pub articles: u32,
    last: u32,
    pub bytes: Vec<u8>,
}

impl List {
    fn start(&mut self, article: u32) {
        push_varint(&mut self.bytes, article - self.last);
        self.last = article;
        self.articles += 1;
    }
}

/// Every list of the site, built article by article, newest first.
#[derive(Default)]
pub struct Postings {
    pub vocabulary: Vocabulary,
    /// By syllable: per article one byte, the fields (bits 0–4) and the count up to 7 (bits 5–7).
    pub syllables: AHashMap<u32, List>,
    /// By pair of syllables (first << 32 | second): per article the positions of the pair.
    pub pairs: AHashMap<u64, List>,
    scratch_syllables: Vec<(u32, u8)>,
    scratch_pairs: Vec<(u64, u32)>,
}

impl Postings {
    /// Adds the next article: its field values as compare-form syllables separated by spaces.
    pub fn add_article(&mut self, article: u32, values: &[(Field, String)]) {
        let mut next = [0u32; 5];
        for field in [
            Field::Title,
            Field::Names,
            Field::Summary,
            Field::Captions,
            Field::Body,
        ] {
            next[field as usize] = field.first_position();
        }
        self.scratch_syllables.clear();
        self.scratch_pairs.clear();
        for (field, text) in values {
            let limit = field.position_limit();
            let mut position = next[*field as usize];
            let mut previous = None;
            for form in text.split(' ').filter(|f| !f.is_empty()) {
                let id = self.vocabulary.intern(form);
                self.scratch_syllables.push((id, *field as u8));
                if let Some(before) = previous {
                    if position < limit {
                        let pair = (u64::from(before) << 32) | u64::from(id);
                        self.scratch_pairs.push((pair, position - 1));
                    }
                }
                previous = Some(id);
                position = position.saturating_add(1);
            }
            // A gap: no phrase runs from one value into the next.
            next[*field as usize] = position.saturating_add(1);
        }
        self.flush_syllables(article);
        self.flush_pairs(article);
    }

    fn flush_syllables(&mut self, article: u32) {
        let scratch = &mut self.scratch_syllables;
        scratch.sort_unstable();
        for group in scratch.chunk_by(|a, b| a.0 == b.0) {
            let fields = group.iter().fold(0u8, |mask, &(_, f)| mask | (1 << f));
            let count = group.len().min(7) as u8;
            let list = self.syllables.entry(group[0].0).or_default();
            list.start(article);
            list.bytes.push(fields | (count << 5));
        }
    }

    fn flush_pairs(&mut self, article: u32) {
        let scratch = &mut self.scratch_pairs;
        scratch.sort_unstable();
        for group in scratch.chunk_by(|a, b| a.0 == b.0) {
            let list = self.pairs.entry(group[0].0).or_default();
            list.start(article);
            push_varint(&mut list.bytes, group.len() as u32);
            let mut last = 0;
            for &(_, position) in group {
                push_varint(&mut list.bytes, position - last);
                last = position;
            }
        }
    }
}

/// LEB128: seven bits a byte, low bits first.
pub fn push_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_sizes() {
        let mut out = Vec::new();
        push_varint(&mut out, 0);
        push_varint(&mut out, 127);
        push_varint(&mut out, 128);
        push_varint(&mut out, 4096 + 3);
        assert_eq!(out, [0, 127, 0x80, 1, 0x83, 0x20]);
    }

    #[test]
    fn pairs_record_positions_and_never_span_values() {
        let mut postings = Postings::default();
        postings.add_article(
            0,
            &[
                (Field::Title, "dân tộc".into()),
                (Field::Names, "dân".into()),
                (Field::Names, "tộc người".into()),
                (Field::Body, "đồng bào dân tộc thiểu số dân tộc".into()),
            ],
        );
        let id = |f: &str| postings.vocabulary.ids[f];
        let pair = (u64::from(id("dân")) << 32) | u64::from(id("tộc"));
        let list = &postings.pairs[&pair];
        assert_eq!(list.articles, 1);
        // Article gap 0, three positions: title 0, body 4096 + 2 and 4096 + 6.
        let mut expected = vec![0, 3, 0];
        push_varint(&mut expected, 4098);
        expected.push(4);
        assert_eq!(list.bytes, expected);
        let dan = &postings.syllables[&id("dân")];
        // Title, names and body; three times in the body and once each elsewhere.
        assert_eq!(dan.bytes, vec![0, 0b10011 | (4 << 5)]);
    }
}
