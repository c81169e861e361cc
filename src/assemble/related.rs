//! Related articles ("Tin liên quan"): the articles sharing the most tags, agencies and authors.
//!
//! Candidates come from the term lists of the article's own terms, and from each list only the
//! articles nearest in time, so the cost stays linear in (articles × terms per article) even for
//! a tag that thousands of articles carry.

use super::{Article, Taxonomy};
use crate::config::TaxonomyField;
use rayon::prelude::*;

/// How many related articles an article shows.
pub const RELATED_COUNT: usize = 5;
/// How many neighbours in time each shared term contributes as candidates, on each side.
const WINDOW: usize = 25;

fn weight(field: TaxonomyField) -> u32 {
    match field {
        TaxonomyField::Tags => 3,
        TaxonomyField::Agencies => 2,
        TaxonomyField::Authors => 1,
    }
}

/// For every article, up to five related ones: highest score first, then newer, then by URL.
/// Score: 3 per shared tag, 2 per shared agency, 1 per shared author, 1 for the same section.
pub fn build(articles: &[Article], taxonomies: &[Taxonomy]) -> Vec<Vec<usize>> {
    // Read for hundreds of candidates per article: one dense list, not the articles
    // themselves, which would miss the processor's cache on nearly every candidate.
    let sections: Vec<usize> = articles.iter().map(|a| a.section).collect();
    (0..articles.len())
        .into_par_iter()
        .map(|index| {
            let mut candidates: Vec<(usize, u32)> = Vec::new();
            for taxonomy in taxonomies {
                for term in taxonomy.of_article[index].iter().flatten() {
                    let list = &taxonomy.terms[*term].articles;
                    // Term lists are in article order, so the article's place is a binary search.
                    let Ok(at) = list.binary_search(&index) else {
                        continue;
                    };
                    let window = at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len());
                    let weight = weight(taxonomy.field);
                    candidates.extend(
                        list[window]
                            .iter()
                            .filter(|&&o| o != index)
                            .map(|&o| (o, weight)),
                    );
                }
            }
            candidates.sort_unstable_by_key(|&(other, _)| other);
            let mut ranked: Vec<(u32, usize)> = Vec::with_capacity(candidates.len());
            for (other, weight) in candidates {
                match ranked.last_mut() {
                    Some((score, last)) if *last == other => *score += weight,
                    _ => ranked.push((weight, other)),
                }
            }
            for (score, other) in &mut ranked {
                *score += u32::from(sections[*other] == sections[index]);
            }
            // Articles are sorted newest first, so a lower index is newer.
            let by_rank = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
            if ranked.len() > RELATED_COUNT {
                ranked.select_nth_unstable_by(RELATED_COUNT, by_rank);
                ranked.truncate(RELATED_COUNT);
            }
            ranked.sort_by(by_rank);
            // Collected from `iter()`, a vector of its own length: `into_iter()` would reuse the
            // candidates' allocation, and every article would keep room for all of them.
            ranked.iter().map(|&(_, other)| other).collect()
        })
        .collect()
}
