//! Inverted lists: for every syllable and every pair of adjacent syllables, in each spelling,
//! the articles that hold it, in which fields, and (for pairs) at which word positions.

use super::text::{Field, BLOCK_BREAK};
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
/// article's number, then what the kind of list records (see `Postings`). Articles arrive
/// in order and a list grows as their words are read, so nothing is sorted.
#[derive(Default)]
pub struct List {
    pub articles: u32,
    last_article: u32,
    /// Position of the article's last occurrence, and where its varint starts.
    last_position: u32,
    last_start: u32,
    pub bytes: Vec<u8>,
}

impl List {
    fn is_at(&self, article: u32) -> bool {
        self.articles > 0 && self.last_article == article
    }

    fn start(&mut self, article: u32) {
        push_varint(&mut self.bytes, article - self.last_article);
        self.last_article = article;
        self.articles += 1;
    }

    /// A syllable list: per article one byte, fields in bits 0–4 and the count up to 7 above.
    fn add_field(&mut self, article: u32, field: Field) {
        if self.is_at(article) {
            let byte = &mut self.bytes[self.last_start as usize];
            let count = (*byte >> 5).saturating_add(1).min(7);
            *byte = (*byte & 0x1f) | (1 << field as u8) | (count << 5);
        } else {
            self.start(article);
            self.last_start = self.bytes.len() as u32;
            self.bytes.push((1 << field as u8) | (1 << 5));
        }
    }

    /// A pair list: per article its positions, each the gap from the one before (from 0 for
    /// the first) shifted left once, with the low bit set when another position follows.
    fn add_position(&mut self, article: u32, position: u32) {
        let gap = if self.is_at(article) {
            // The low bit of a varint is in its first byte.
            self.bytes[self.last_start as usize] |= 1;
            position - self.last_position
        } else {
            self.start(article);
            position
        };
        self.last_position = position;
        self.last_start = self.bytes.len() as u32;
        push_varint(&mut self.bytes, gap << 1);
    }
}

/// Every list of the site, built article by article, newest first.
#[derive(Default)]
pub struct Postings {
    pub vocabulary: Vocabulary,
    /// By syllable number (numbers are dense, so a vector).
    pub syllables: Vec<List>,
    /// By pair of syllables (first << 32 | second).
    pub pairs: AHashMap<u64, List>,
}

impl Postings {
    /// Maps the numbers of a thread's `Syllables` to the site's.
    pub fn numbering(&mut self, forms: &[Box<str>]) -> Vec<u32> {
        let numbering = forms.iter().map(|f| self.vocabulary.intern(f)).collect();
        self.syllables
            .resize_with(self.vocabulary.forms.len(), List::default);
        numbering
    }

    /// Adds the next article: its field values as syllable numbers, through `numbering`.
    pub fn add_article(&mut self, article: u32, values: &[(Field, Vec<u32>)], numbering: &[u32]) {
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
        for (field, numbers) in values {
            let limit = field.position_limit();
            let mut position = next[*field as usize];
            let mut previous = None;
            for &local in numbers {
                if local == BLOCK_BREAK {
                    // A gap, as between two values.
                    previous = None;
                    position = position.saturating_add(1);
                    continue;
                }
                let id = numbering[local as usize];
                self.syllables[id as usize].add_field(article, *field);
                if let Some(before) = previous {
                    if position < limit {
                        let pair = (u64::from(before) << 32) | u64::from(id);
                        self.pairs
                            .entry(pair)
                            .or_default()
                            .add_position(article, position - 1);
                    }
                }
                previous = Some(id);
                position = position.saturating_add(1);
            }
            // A gap: no phrase runs from one value into the next.
            next[*field as usize] = position.saturating_add(1);
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
        let mut syllables = super::super::text::Syllables::default();
        let values: Vec<(Field, Vec<u32>)> = [
            (Field::Title, "dân tộc"),
            (Field::Names, "dân"),
            (Field::Names, "tộc người"),
            (Field::Body, "đồng bào dân tộc thiểu số dân tộc"),
        ]
        .into_iter()
        .map(|(field, text)| (field, syllables.of(text)))
        .collect();
        let mut postings = Postings::default();
        let numbering = postings.numbering(&syllables.forms);
        postings.add_article(3, &values, &numbering);
        let id = |f: &str| postings.vocabulary.ids[f];
        let pair = (u64::from(id("dân")) << 32) | u64::from(id("tộc"));
        let list = &postings.pairs[&pair];
        assert_eq!(list.articles, 1);
        // Article 3; positions 0 (title), 4096 + 2 and 4096 + 6 (body), each but the last
        // with the "more" bit.
        let mut expected = vec![3, 1];
        push_varint(&mut expected, (4098 << 1) | 1);
        expected.push(4 << 1);
        assert_eq!(list.bytes, expected);
        let dan = &postings.syllables[id("dân") as usize];
        // Title, names and body; four times in all.
        assert_eq!(dan.bytes, vec![3, 0b10011 | (4 << 5)]);
        // "tộc người" is a pair; "dân" + "tộc" across two names is not.
        assert!(postings
            .pairs
            .contains_key(&((u64::from(id("tộc")) << 32) | u64::from(id("người")))));
        assert_eq!(postings.pairs.len(), 7);
    }
}
