//! The index as files: lists grouped by folded key into gzip shards of similar size, a
//! directory of the shards' first keys, and the articles' display data in small chunks.

use super::postings::{push_varint, List, Postings, Vocabulary};
use rayon::prelude::*;
use std::ops::Range;

/// A shard is closed once it holds about this many bytes (before gzip); a list bigger than that gets
/// a shard of its own. Small enough that a query fetches little beyond its own lists, large
/// enough that the directory stays a few kilobytes.
const SHARD_BYTES: usize = 16 * 1024;

/// The layout of the index files: the page script (`tim-kiem/engine.js`) reads only this one
/// and declares it as `INDEX_VERSION`. Raised whenever the layout changes.
pub const INDEX_VERSION: u32 = 3;

/// Articles per display chunk: a page of 10 results fetches at most 10 chunks.
pub const ARTICLES_PER_CHUNK: usize = 4;

/// Shards, and display chunks, per folder (`k/0/7.bin`, `d/12/800.bin`). Thousands of files in
/// one folder slow a build on disk down by far more than their writing costs: on ext4 they all
/// want inodes of the folder's group while the pages are made (10k articles: 0.5 s of a 3 s
/// build).
pub const FILES_PER_FOLDER: usize = 64;

/// The file of shard `number`, in the index folder.
pub fn shard_file(number: usize) -> String {
    format!("k/{}/{number}.bin", number / FILES_PER_FOLDER)
}

/// The file of display chunk `number`, in the index folder.
pub fn chunk_file(number: usize) -> String {
    format!("d/{}/{number}.bin", number / FILES_PER_FOLDER)
}

/// A list under its key, `dan` (one syllable) or `dan toc` (a pair): the keys' sort ranks and
/// the syllable numbers of its spelling (`NONE` second for a single syllable).
struct Entry<'p> {
    /// Whether the key is a pair, then the ranks of its folded syllables: every syllable sorts
    /// before every pair.
    key_rank: (bool, u32, u32),
    forms: (u32, u32),
    list: &'p List,
}

const NONE: u32 = u32::MAX;

/// Every list of the index in key order, cut into shards. A shard is encoded only when it is
/// written, so the whole index never sits in memory twice.
pub struct Shards<'p> {
    vocabulary: &'p Vocabulary,
    entries: Vec<Entry<'p>>,
    /// Per shard, its keys: each a range of `entries` (the spellings of one folded key).
    shards: Vec<Vec<Range<usize>>>,
    /// The first shard of pairs: the shards before it hold single syllables only, so the
    /// syllables that continue a prefix being typed (`hoa` → hoà, hoàn, hoạt) lie together.
    pub first_pair_shard: usize,
}

impl<'p> Shards<'p> {
    /// Sorts the lists by key and cuts them into shards of about `SHARD_BYTES`.
    pub fn plan(postings: &'p Postings) -> Shards<'p> {
        let vocabulary = &postings.vocabulary;
        // Keys are sorted as strings, syllables apart from pairs; ranking folded syllables once
        // lets pairs sort as numbers, since a space sorts before every letter ("dan toc" <
        // "dana b").
        let mut order: Vec<u32> = (0..vocabulary.folded.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            vocabulary.folded[a as usize].cmp(&vocabulary.folded[b as usize])
        });
        let mut rank = vec![0u32; order.len()];
        for (position, &fold) in order.iter().enumerate() {
            rank[fold as usize] = position as u32;
        }
        let fold_rank = |form: u32| rank[vocabulary.fold_of[form as usize] as usize];
        let mut entries: Vec<Entry> = (0u32..)
            .zip(&postings.syllables)
            .filter(|(_, list)| list.articles > 0)
            .map(|(form, list)| Entry {
                key_rank: (false, fold_rank(form), 0),
                forms: (form, NONE),
                list,
            })
            .chain(postings.pairs.iter().map(|(&pair, list)| {
                let (first, second) = ((pair >> 32) as u32, pair as u32);
                Entry {
                    key_rank: (true, fold_rank(first), fold_rank(second)),
                    forms: (first, second),
                    list,
                }
            }))
            .collect();
        // Spellings of a key in the order their syllables were first seen: deterministic.
        entries.par_sort_unstable_by_key(|e| (e.key_rank, e.forms));
        let mut shards = vec![Vec::new()];
        let mut first_pair_shard = None;
        let mut bytes = 0;
        let mut start = 0;
        for group in entries.chunk_by(|a, b| a.key_rank == b.key_rank) {
            let first_pair = group[0].key_rank.0 && first_pair_shard.is_none();
            if bytes >= SHARD_BYTES || (first_pair && bytes > 0) {
                shards.push(Vec::new());
                bytes = 0;
            }
            if first_pair {
                first_pair_shard = Some(shards.len() - 1);
            }
            // About the encoded size: lists, spellings and their lengths.
            bytes += group.iter().map(|e| e.list.bytes.len() + 16).sum::<usize>();
            if let Some(keys) = shards.last_mut() {
                keys.push(start..start + group.len());
            }
            start += group.len();
        }
        shards.retain(|keys| !keys.is_empty());
        Shards {
            vocabulary,
            entries,
            first_pair_shard: first_pair_shard.unwrap_or(shards.len()),
            shards,
        }
    }

    pub fn len(&self) -> usize {
        self.shards.len()
    }

    /// The first key of every shard, for the directory.
    pub fn first_keys(&self) -> Vec<String> {
        let mut key = String::new();
        self.shards
            .iter()
            .map(|keys| {
                self.text(self.entries[keys[0].start].forms, true, &mut key);
                key.clone()
            })
            .collect()
    }

    /// Shard `i`: the number of its keys, then per key its folded text and spellings, each
    /// spelling with its list.
    pub fn encode(&self, i: usize) -> Vec<u8> {
        let keys = &self.shards[i];
        let (mut key, mut spelling) = (String::new(), String::new());
        let mut shard = Vec::with_capacity(SHARD_BYTES * 2);
        push_varint(&mut shard, keys.len() as u32);
        for range in keys {
            let group = &self.entries[range.clone()];
            self.text(group[0].forms, true, &mut key);
            push_str(&mut shard, &key);
            push_varint(&mut shard, group.len() as u32);
            for entry in group {
                self.text(entry.forms, false, &mut spelling);
                push_str(&mut shard, &spelling);
                push_varint(&mut shard, entry.list.articles);
                push_varint(&mut shard, entry.list.bytes.len() as u32);
                shard.extend_from_slice(&entry.list.bytes);
            }
        }
        shard
    }

    /// `dan toc` from the syllables' folded forms (or their spellings), into `out`.
    fn text(&self, (first, second): (u32, u32), folded: bool, out: &mut String) {
        let vocabulary = self.vocabulary;
        let name = |form: u32| match folded {
            true => &*vocabulary.folded[vocabulary.fold_of[form as usize] as usize],
            false => &*vocabulary.forms[form as usize],
        };
        out.clear();
        out.push_str(name(first));
        if second != NONE {
            out.push(' ');
            out.push_str(name(second));
        }
    }
}

fn push_str(out: &mut Vec<u8>, text: &str) {
    push_varint(out, text.len() as u32);
    out.extend_from_slice(text.as_bytes());
}

/// What a result shows of an article, borrowed from the site where it can be.
pub struct Shown<'s> {
    /// Relative to the site's root: `thoi-su/2024/04/ky-ket/`.
    pub path: &'s str,
    pub title: &'s str,
    pub section: &'s str,
    pub date: String,
    pub summary: &'s str,
    pub text: String,
    /// Tags, agencies, authors and photo captions, one a line: a result whose match is only
    /// there shows it.
    pub names: String,
}

/// Display chunks of `ARTICLES_PER_CHUNK` articles each, as JSON arrays of arrays.
pub fn chunk(articles: &[Shown]) -> Vec<u8> {
    let rows: Vec<[&str; 7]> = articles
        .iter()
        .map(|a| {
            [
                a.path, a.title, a.section, &a.date, a.summary, &a.text, &a.names,
            ]
        })
        .collect();
    serde_json::to_vec(&rows).unwrap_or_default()
}

/// The directory the script reads first: the first key of every shard, syllables first,
/// and the number of the first shard of pairs.
pub fn directory(
    articles: usize,
    first_keys: &[String],
    pair_shards: usize,
    stamp: u64,
) -> Vec<u8> {
    let directory = serde_json::json!({
        "version": INDEX_VERSION,
        "articles": articles,
        "perChunk": ARTICLES_PER_CHUNK,
        "perFolder": FILES_PER_FOLDER,
        "stamp": format!("{stamp:016x}"),
        "shards": first_keys,
        "pairShards": pair_shards,
    });
    directory.to_string().into_bytes()
}

/// A gzip writer kept for many small files: setting up a compressor costs more than
/// compressing a few kilobytes.
pub struct Gzip {
    compressor: libdeflater::Compressor,
}

impl Gzip {
    /// `level` 1–12 (libdeflate's levels; 1 is fast and still compresses text three to one).
    pub fn new(level: i32) -> Gzip {
        let level = libdeflater::CompressionLvl::new(level).unwrap_or_default();
        Gzip {
            compressor: libdeflater::Compressor::new(level),
        }
    }

    /// `bytes` as a gzip file (RFC 1952).
    pub fn pack(&mut self, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = vec![0; self.compressor.gzip_compress_bound(bytes.len())];
        let size = self
            .compressor
            .gzip_compress(bytes, &mut out)
            .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        out.truncate(size);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::{Field, Syllables};
    use super::*;

    #[test]
    fn syllables_have_shards_of_their_own_before_the_pairs() {
        let mut syllables = Syllables::default();
        let text = "hoà bình hoạt động hoàn thành hòa hợp hoa ban";
        let values = vec![(Field::Body, syllables.of(text))];
        let mut postings = Postings::default();
        let numbering = postings.numbering(&syllables.forms);
        postings.add_article(0, &values, &numbering);
        let shards = Shards::plan(&postings);
        let keys = shards.first_keys();
        // One shard of syllables (small), then one of pairs, though both would fit in one.
        assert_eq!(shards.len(), 2);
        assert_eq!(shards.first_pair_shard, 1);
        assert_eq!(keys, ["ban", "binh hoat"]);
        // Every syllable that continues `hoa` is in the first shard, in key order, and no pair.
        let first = shards.encode(0);
        let at = |key: &str| {
            let mut written = vec![key.len() as u8];
            written.extend_from_slice(key.as_bytes());
            first.windows(written.len()).position(|w| w == written)
        };
        let [hoa, hoan, hoat] = ["hoa", "hoan", "hoat"].map(|k| at(k).expect(k));
        assert!(hoa < hoan && hoan < hoat);
        assert_eq!(at("hoa binh"), None);
        let directory: serde_json::Value =
            serde_json::from_slice(&directory(1, &keys, shards.first_pair_shard, 0)).unwrap();
        assert_eq!(directory["pairShards"], 1);
    }

    #[test]
    fn gzip_files_unpack() {
        let mut gzip = Gzip::new(1);
        let mut unpacker = libdeflater::Decompressor::new();
        for text in ["", "đồng bào dân tộc thiểu số ", &"dân tộc ".repeat(5000)] {
            let packed = gzip.pack(text.as_bytes()).unwrap();
            assert_eq!(&packed[..2], [0x1f, 0x8b]);
            let mut unpacked = vec![0; text.len()];
            let size = unpacker.gzip_decompress(&packed, &mut unpacked).unwrap();
            assert_eq!(&unpacked[..size], text.as_bytes());
        }
    }
}
