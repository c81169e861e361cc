//! Search index: built from the assembled site (not from its HTML) and written as small gzip
//! files under `/tim-kiem/chi-muc/`, which the theme's script fetches as a reader types.
//!
//! Words are matched in folded form (`Đảng ủy` → `dang uy`) and every list keeps the spellings
//! apart, so the browser can put the reader's exact diacritics first; pairs of adjacent
//! syllables carry word positions, so phrases and full names match as phrases.

mod files;
mod huffman;
mod postings;
mod text;

use crate::assemble::Site;
use crate::diagnostics::Diagnostic;
use crate::hash::hash_of;
use crate::load::SiteDirs;
use ahash::AHashMap;
use files::{chunk_file, shard_file, Gzip, Shown, ARTICLES_PER_CHUNK};
use postings::Postings;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;
use text::{plain_text, Field, Syllables};

/// Where the index goes in the output.
pub const INDEX_DIR: &str = "tim-kiem/chi-muc";

/// The page script that reads the index, as the site's `static/` or its theme's gives it.
const SCRIPT: &str = "tim-kiem/engine.js";

/// A warning when the site's search script is missing or reads another layout of the index
/// than this build writes (a theme made from an older default theme, say): its search page
/// would find nothing.
pub fn script_problem(dirs: &SiteDirs) -> Option<Diagnostic> {
    let declared = format!("INDEX_VERSION = {};", files::INDEX_VERSION);
    // As written, or minified (`INDEX_VERSION=2,`).
    let declares = |text: &str| {
        let text: String = text.split_whitespace().collect();
        let written = format!("INDEX_VERSION={}", files::INDEX_VERSION);
        text.match_indices(&written).any(|(at, _)| {
            let next = text[at + written.len()..].chars().next();
            !next.is_some_and(|c| c.is_ascii_digit())
        })
    };
    let script = [&dirs.statics, &dirs.theme_static]
        .map(|folder| folder.join(SCRIPT))
        .into_iter()
        .find(|path| path.is_file());
    let help = "copy static/tim-kiem/ from the default theme (`bantin init NEW_FOLDER` writes it), or set `search: false` in bantin.yaml";
    let message = match &script {
        None => format!("search is on, but neither static/ nor the theme has {SCRIPT}: the search page cannot work"),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) if declares(&text) => return None,
            _ => format!(
                "this search script reads another version of the search index than this bantin writes ({declared}): the search page would find nothing"
            ),
        },
    };
    let file = script.unwrap_or_else(|| dirs.theme_static.join(SCRIPT));
    let file = file.strip_prefix(&dirs.root).unwrap_or(&file);
    Some(Diagnostic::warning(file, 1, 1, message).with_help(help))
}

/// Articles prepared in parallel before their words go into the lists, one batch at a time,
/// so the text of the whole archive is never held at once.
const BATCH: usize = 1024;

/// Articles one thread prepares at a time: they share the cache of spellings already seen.
const TASK: usize = 64 * ARTICLES_PER_CHUNK;

/// Gzip level of the text (libdeflate's fastest: text still shrinks to a fourth). Lists are
/// varints that LZ77 matching barely shrinks: `huffman::gzip` packs them.
const TEXT_LEVEL: i32 = 1;

/// Where index files go: `write(file, bytes, hash)`, `file` relative to the output root.
pub type Sink<'a> = &'a (dyn Fn(&str, &[u8], u64) -> std::io::Result<()> + Sync);

/// Writes the index files of every article of `site`; `summary(i)` is what lists show of
/// article `i`.
pub fn build<'s>(
    site: &'s Site,
    summary: impl Fn(usize) -> &'s str + Sync,
    write: Sink,
) -> std::io::Result<()> {
    index(site, &summary, None, write).map(|_| ())
}

/// What `serve` keeps between updates of the index: the words of unchanged articles, the
/// shards already packed, and a hash of every index file written.
#[derive(Default)]
pub struct SearchCache {
    tasks: AHashMap<u64, Arc<Prepared>>,
    /// Hash of a shard's number and content → hash of its gzip file.
    shards: AHashMap<u64, u64>,
    files: AHashMap<String, u64>,
}

/// Brings the index in `output` up to date with `site`: articles whose text did not change
/// are not read again, files whose bytes did not change are not written, files no longer
/// part of the index are removed. Returns how many files changed.
pub fn update(
    site: &Site,
    summaries: &[String],
    cache: &mut SearchCache,
    output: &Path,
) -> std::io::Result<usize> {
    let before = std::mem::take(&mut cache.files);
    let changed = std::sync::atomic::AtomicUsize::new(0);
    let write = |file: &str, bytes: &[u8], hash: u64| {
        if before.get(file) == Some(&hash) {
            return Ok(());
        }
        changed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        crate::write::write_file(&output.join(file), bytes)
    };
    let summary = |i: usize| summaries[i].as_str();
    let files = index(site, &summary, Some(cache), &write)?;
    let mut changed = changed.into_inner();
    let files: AHashMap<String, u64> = files.into_iter().collect();
    for gone in before.keys().filter(|f| !files.contains_key(*f)) {
        remove_index_file(output, gone);
        changed += 1;
    }
    cache.files = files;
    Ok(changed)
}

/// Removes every file of the index (the site switched search off) and forgets them all, so
/// a later update writes every file again. Returns how many.
pub fn remove(cache: &mut SearchCache, output: &Path) -> usize {
    for file in cache.files.keys() {
        remove_index_file(output, file);
    }
    std::mem::take(cache).files.len()
}

/// Removes `file` (relative to `output`) and the folders it leaves empty (`d/12/`, `d/`, the
/// index's own).
fn remove_index_file(output: &Path, file: &str) {
    let path = output.join(file);
    let _ = std::fs::remove_file(&path);
    for folder in path.ancestors().skip(1) {
        if folder == output || std::fs::remove_dir(folder).is_err() {
            break;
        }
    }
}

/// Builds the index. With a `cache` (`serve`), reuses its prepared articles and packed shards
/// and leaves there those of this site. Returns every file of the index with its hash.
fn index<'s>(
    site: &'s Site,
    summary: &(impl Fn(usize) -> &'s str + Sync),
    mut cache: Option<&mut SearchCache>,
    write: Sink,
) -> std::io::Result<Vec<(String, u64)>> {
    let remember = cache.is_some();
    let (tasks, known) = cache
        .as_deref_mut()
        .map(|c| (std::mem::take(&mut c.tasks), std::mem::take(&mut c.shards)))
        .unwrap_or_default();
    let mut postings = Postings::default();
    let indexes: Vec<usize> = (0..site.articles.len()).collect();
    let batches: Vec<&[usize]> = indexes.chunks(BATCH).collect();
    let mut files = Vec::new();
    let mut kept = AHashMap::new();
    let prepare_batch = |batch: &[usize]| -> Vec<std::io::Result<(Option<u64>, Arc<Prepared>)>> {
        batch
            .par_chunks(TASK)
            .map(|task| {
                let key = remember.then(|| task_key(site, task, summary));
                match key.and_then(|key| tasks.get(&key)) {
                    Some(done) => Ok((key, Arc::clone(done))),
                    None => Ok((key, Arc::new(prepare(site, task, summary, write)?))),
                }
            })
            .collect()
    };
    // The words of one batch go into the lists (one thread) while the next batch is read.
    let mut ready = batches.first().map_or_else(Vec::new, |b| prepare_batch(b));
    for (n, batch) in batches.iter().enumerate() {
        let (next, added) = rayon::join(
            || {
                batches
                    .get(n + 1)
                    .map_or_else(Vec::new, |b| prepare_batch(b))
            },
            || -> std::io::Result<()> {
                let mut article = batch[0] as u32;
                for task in std::mem::take(&mut ready) {
                    let (key, task) = task?;
                    files.extend(task.chunks.iter().cloned());
                    let numbering = postings.numbering(&task.forms);
                    for values in &task.articles {
                        postings.add_article(article, values, &numbering);
                        article += 1;
                    }
                    if let Some(key) = key {
                        kept.insert(key, task);
                    }
                }
                Ok(())
            },
        );
        added?;
        ready = next;
    }
    let shards = files::Shards::plan(&postings);
    let written: Vec<std::io::Result<(String, Option<u64>, u64)>> = (0..shards.len())
        .into_par_iter()
        .map(|i| {
            let shard = shards.encode(i);
            let file = format!("{INDEX_DIR}/{}", shard_file(i));
            let key = remember.then(|| hash_of(&(i, &shard)));
            if let Some(&hash) = key.and_then(|key| known.get(&key)) {
                return Ok((file, key, hash));
            }
            let bytes = huffman::gzip(&shard);
            let hash = hash_of(&bytes);
            write(&file, &bytes, hash)?;
            Ok((file, key, hash))
        })
        .collect();
    let first_keys = shards.first_keys();
    let first_pair_shard = shards.first_pair_shard;
    drop(shards);
    drop(postings);
    let mut packed = AHashMap::new();
    for file in written {
        let (file, key, hash) = file?;
        if let Some(key) = key {
            packed.insert(key, hash);
        }
        files.push((file, hash));
    }
    if let Some(cache) = cache {
        cache.tasks = kept;
        cache.shards = packed;
    }
    // A hash of every file, so a browser never mixes files of two builds.
    let stamp = files
        .iter()
        .fold(0u64, |sum, (_, hash)| sum.rotate_left(1) ^ hash);
    let directory = files::directory(site.articles.len(), &first_keys, first_pair_shard, stamp);
    let bytes = Gzip::new(TEXT_LEVEL).pack(&directory)?;
    let file = format!("{INDEX_DIR}/meta.bin");
    let hash = hash_of(&bytes);
    write(&file, &bytes, hash)?;
    files.push((file, hash));
    Ok(files)
}

/// An article's words as syllable numbers, field by field.
type FieldWords = Vec<(Field, Vec<u32>)>;

/// A few dozen articles read by one thread: their words as numbers, the compare form of each
/// number, and the display chunks written with the hash of their bytes.
struct Prepared {
    forms: Vec<Box<str>>,
    articles: Vec<FieldWords>,
    chunks: Vec<(String, u64)>,
}

/// What a task's files are made of: the articles' places, texts and what is shown of them.
fn task_key<'s>(site: &'s Site, task: &[usize], summary: &impl Fn(usize) -> &'s str) -> u64 {
    let mut hasher = crate::hash::hasher();
    site.config.date_formats.short.hash(&mut hasher);
    for &i in task {
        let article = &site.articles[i];
        (i, article.source.text_hash, &article.path, summary(i)).hash(&mut hasher);
        site.sections[article.section].title.hash(&mut hasher);
        for photo in &article.photos {
            (&photo.caption, &photo.credit).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Reads the words of `task`'s articles and writes their display chunks.
fn prepare<'s>(
    site: &'s Site,
    task: &[usize],
    summary: &(impl Fn(usize) -> &'s str + Sync),
    write: Sink,
) -> std::io::Result<Prepared> {
    let mut syllables = Syllables::default();
    let mut articles = Vec::with_capacity(task.len());
    let mut chunks = Vec::new();
    let mut gzip = Gzip::new(TEXT_LEVEL);
    for chunk in task.chunks(ARTICLES_PER_CHUNK) {
        let mut shown = Vec::with_capacity(chunk.len());
        for &i in chunk {
            let (words, article) = article_words(site, i, summary(i), &mut syllables)?;
            articles.push(words);
            shown.push(article);
        }
        let bytes = gzip.pack(&files::chunk(&shown))?;
        let hash = hash_of(&bytes);
        let file = format!("{INDEX_DIR}/{}", chunk_file(chunk[0] / ARTICLES_PER_CHUNK));
        write(&file, &bytes, hash)?;
        chunks.push((file, hash));
    }
    Ok(Prepared {
        forms: syllables.forms,
        articles,
        chunks,
    })
}

/// The syllable numbers of a field's value; the body's blocks (paragraphs, headings, list
/// items) stay apart, so no phrase runs from the end of a heading into the next paragraph.
fn syllables_of(syllables: &mut Syllables, field: Field, text: &str) -> Vec<u32> {
    match field {
        Field::Body => syllables.of_blocks(text),
        _ => syllables.of(text),
    }
}

/// An article's searchable words by field, and what its result shows.
fn article_words<'s>(
    site: &'s Site,
    index: usize,
    summary: &'s str,
    syllables: &mut Syllables,
) -> std::io::Result<(FieldWords, Shown<'s>)> {
    let article = &site.articles[index];
    let matter = &article.source.matter;
    let markdown = article
        .source
        .body_text()
        .map_err(|problem| std::io::Error::other(problem.to_string()))?;
    let body = plain_text(&markdown);
    let names = matter
        .tags
        .iter()
        .chain(&matter.agencies)
        .chain(&matter.authors);
    let captions = article
        .photos
        .iter()
        .flat_map(|p| p.caption.iter().chain(&p.credit));
    let values: Vec<(Field, &str)> = std::iter::once((Field::Title, matter.title.as_str()))
        .chain(names.map(|n| (Field::Names, n.as_str())))
        .chain(std::iter::once((Field::Summary, summary)))
        .chain(captions.map(|c| (Field::Captions, c.as_str())))
        .chain(std::iter::once((Field::Body, body.as_str())))
        .collect();
    let shown_names: Vec<&str> = values
        .iter()
        .filter(|(field, _)| matches!(field, Field::Names | Field::Captions))
        .map(|&(_, text)| text)
        .collect();
    let shown_names = shown_names.join("\n");
    let words = values
        .into_iter()
        .map(|(field, text)| (field, syllables_of(syllables, field, text)))
        .collect();
    let section = &site.sections[article.section];
    let shown = Shown {
        path: article.path.trim_start_matches('/'),
        title: &matter.title,
        section: if section.key.is_empty() {
            ""
        } else {
            &section.title
        },
        date: matter.date.format(&site.config.date_formats.short),
        summary,
        text: body,
        names: shown_names,
    };
    Ok((words, shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_script_reads_the_index_this_build_writes() {
        let script = include_str!("../../themes/default/static/tim-kiem/engine.js");
        let declared = format!("const INDEX_VERSION = {};", files::INDEX_VERSION);
        assert!(script.contains(&declared), "engine.js lacks `{declared}`");
    }

    #[test]
    fn phrases_do_not_run_across_blocks() {
        let body = plain_text("## Gỡ khó từ cơ sở\n\nTại hội nghị, cơ sở tại xã được nêu.\n");
        let mut syllables = Syllables::default();
        let values = vec![(
            Field::Body,
            syllables_of(&mut syllables, Field::Body, &body),
        )];
        let mut postings = Postings::default();
        let numbering = postings.numbering(&syllables.forms);
        postings.add_article(0, &values, &numbering);
        let number = |form: &str| {
            let local = syllables.forms.iter().position(|f| &**f == form).unwrap();
            u64::from(numbering[local])
        };
        let pair = |a: &str, b: &str| postings.pairs.contains_key(&(number(a) << 32 | number(b)));
        // "cơ sở" ends the heading, "Tại" starts the paragraph; "cơ sở tại" is in it.
        assert!(pair("cơ", "sở") && pair("sở", "tại"));
        let sở_tại = &postings.pairs[&(number("sở") << 32 | number("tại"))];
        assert_eq!(sở_tại.articles, 1);
        // One position only, the one inside the paragraph: the article's number, then one
        // two-byte varint without the "another follows" bit.
        assert_eq!(sở_tại.bytes.len(), 3, "{:?}", sở_tại.bytes);
        assert_eq!(sở_tại.bytes[1] & 1, 0);
    }
}
