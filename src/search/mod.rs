//! Search index: built from the assembled site (not from its HTML) and written as small gzip
//! files under `/tim-kiem/chi-muc/`, which the theme's script fetches as a reader types.
//!
//! Words are matched in folded form (`Đảng ủy` → `dang uy`) and every list keeps the spellings
//! apart, so the browser can put the reader's exact diacritics first; pairs of adjacent
//! syllables carry word positions, so phrases and full names match as phrases.

mod files;
mod postings;
mod text;

use crate::assemble::Site;
use crate::render::Output;
use files::{Shown, ARTICLES_PER_CHUNK};
use postings::Postings;
use rayon::prelude::*;
use text::{plain_text, Field, Syllables};

/// Where the index goes in the output.
pub const INDEX_DIR: &str = "tim-kiem/chi-muc";

/// Articles prepared in parallel before their words go into the lists, one batch at a time,
/// so the text of the whole archive is never held at once.
const BATCH: usize = 64 * ARTICLES_PER_CHUNK;

/// The index files of every article of `site`; `summary(i)` is what lists show of article `i`.
pub fn build<'s>(site: &'s Site, summary: impl Fn(usize) -> &'s str + Sync) -> Vec<Output> {
    let mut postings = Postings::default();
    let mut chunks = Vec::with_capacity(site.articles.len() / ARTICLES_PER_CHUNK + 1);
    let indexes: Vec<usize> = (0..site.articles.len()).collect();
    for batch in indexes.chunks(BATCH) {
        let prepared: Vec<(Vec<Vec<(Field, String)>>, Vec<u8>)> = batch
            .par_chunks(ARTICLES_PER_CHUNK)
            .map(|chunk| {
                let mut syllables = Syllables::default();
                let (values, shown): (Vec<_>, Vec<_>) = chunk
                    .iter()
                    .map(|&i| article_words(site, i, summary(i), &mut syllables))
                    .unzip();
                (values, files::gzip(&files::chunk(&shown)))
            })
            .collect();
        let mut article = batch[0] as u32;
        for (values, chunk) in prepared {
            for fields in values {
                postings.add_article(article, &fields);
                article += 1;
            }
            chunks.push(chunk);
        }
    }
    let (shards, first_keys) = files::shards(&postings);
    drop(postings);
    let shards: Vec<Vec<u8>> = shards.par_iter().map(|s| files::gzip(s)).collect();
    let stamp = files::stamp(&shards) ^ files::stamp(&chunks).rotate_left(1);
    let directory = files::directory(site.articles.len(), &first_keys, stamp);
    let output = |name: String, bytes: Vec<u8>| Output {
        file: format!("{INDEX_DIR}/{name}"),
        bytes,
    };
    let mut outputs = vec![output("meta.bin".to_string(), files::gzip(&directory))];
    outputs.extend(
        shards
            .into_iter()
            .enumerate()
            .map(|(i, bytes)| output(format!("k{i}.bin"), bytes)),
    );
    outputs.extend(
        chunks
            .into_iter()
            .enumerate()
            .map(|(i, bytes)| output(format!("d{i}.bin"), bytes)),
    );
    outputs
}

/// An article's searchable words by field, and what its result shows.
fn article_words(
    site: &Site,
    index: usize,
    summary: &str,
    syllables: &mut Syllables,
) -> (Vec<(Field, String)>, Shown) {
    let article = &site.articles[index];
    let matter = &article.source.matter;
    let body = plain_text(&article.source.body);
    let names = matter.tags.iter().chain(&matter.agencies).chain(&matter.authors);
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
    let words = values
        .into_iter()
        .map(|(field, text)| {
            let mut forms = String::new();
            syllables.push(text, &mut forms);
            (field, forms)
        })
        .collect();
    let section = &site.sections[article.section];
    let shown = Shown {
        path: article.path.trim_start_matches('/').to_string(),
        title: matter.title.clone(),
        section: if section.key.is_empty() {
            String::new()
        } else {
            section.title.clone()
        },
        date: matter.date.format(&site.config.date_formats.short),
        summary: summary.to_string(),
        text: body,
    };
    (words, shown)
}
