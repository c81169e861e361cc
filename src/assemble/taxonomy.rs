//! Taxonomies (tags, authors, agencies): terms grouped by compare key, shown in one spelling.

use super::Article;
use crate::config::{Config, TaxonomyField};
use crate::diagnostics::Diagnostic;
use crate::load::LoadedArticle;
use crate::vi::{collation_key, compare_key, slugify, CollationKey};
use std::collections::{BTreeMap, HashMap};

/// The names an article lists for a taxonomy.
pub fn names(field: TaxonomyField, article: &LoadedArticle) -> &[String] {
    match field {
        TaxonomyField::Tags => &article.matter.tags,
        TaxonomyField::Authors => &article.matter.authors,
        TaxonomyField::Agencies => &article.matter.agencies,
    }
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// `tags`, `authors`, `agencies`.
    pub key: &'static str,
    /// Shown to readers: `Chủ đề`.
    pub title: String,
    /// `/chu-de/`.
    pub path: String,
    pub field: TaxonomyField,
    pub page_size: usize,
    /// Sorted in Vietnamese order.
    pub terms: Vec<Term>,
    /// Compare key of a name → index in `terms`.
    by_key: HashMap<String, usize>,
}

impl Taxonomy {
    /// The index of the term a name (in any of its spellings) belongs to.
    pub fn term_of(&self, name: &str) -> Option<usize> {
        self.by_key.get(&compare_key(name)).copied()
    }
}

#[derive(Debug, Clone)]
pub struct Term {
    /// The most frequent spelling (ties: first in Vietnamese order).
    pub name: String,
    pub path: String,
    /// Indexes into `Site::articles`, newest first.
    pub articles: Vec<usize>,
}

/// The taxonomies of the configuration, still without terms.
pub fn from_config(config: &Config) -> Vec<Taxonomy> {
    config
        .taxonomies
        .iter()
        .map(|t| Taxonomy {
            key: t.field.key(),
            title: t.title.clone(),
            path: t.path.clone(),
            field: t.field,
            page_size: t.page_size,
            terms: Vec::new(),
            by_key: HashMap::new(),
        })
        .collect()
}

#[derive(Default)]
struct Group {
    spellings: HashMap<String, usize>,
    articles: Vec<usize>,
}

/// Groups the names of `field` over `articles` (already sorted newest first) into terms.
pub fn build(taxonomy: &mut Taxonomy, articles: &[Article], diagnostics: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (index, article) in articles.iter().enumerate() {
        for name in names(taxonomy.field, &article.source) {
            let group = groups.entry(compare_key(name)).or_default();
            *group.spellings.entry(name.clone()).or_default() += 1;
            if group.articles.last() != Some(&index) {
                group.articles.push(index);
            }
        }
    }
    let mut by_slug: HashMap<String, (String, usize)> = HashMap::new();
    let mut terms: Vec<(CollationKey, Term)> = Vec::with_capacity(groups.len());
    for group in groups.into_values() {
        let name = shown_spelling(&group.spellings);
        let first_article = &articles[group.articles[0]].source;
        let slug = match slugify(&name) {
            Ok(slug) => slug,
            Err(_) => {
                diagnostics.push(
                    Diagnostic::error(
                        &first_article.file.display,
                        1,
                        1,
                        format!(
                            "the {} name `{name}` has no letters or digits to make a URL from",
                            taxonomy.key
                        ),
                    )
                    .with_help("write the name with letters, or remove it"),
                );
                continue;
            }
        };
        if let Some((other, other_article)) = by_slug.get(&slug) {
            diagnostics.push(
                Diagnostic::error(
                    &first_article.file.display,
                    1,
                    1,
                    format!(
                        "{} `{name}` and `{other}` (in {}) are different names with one URL {}{slug}/",
                        taxonomy.key,
                        articles[*other_article].source.file.display.display(),
                        taxonomy.path
                    ),
                )
                .with_help("spell the two names the same way if they are one, or make them differ in letters"),
            );
            continue;
        }
        by_slug.insert(slug.clone(), (name.clone(), group.articles[0]));
        terms.push((
            collation_key(&name),
            Term {
                path: format!("{}{slug}/", taxonomy.path),
                name,
                articles: group.articles,
            },
        ));
    }
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    taxonomy.terms = terms.into_iter().map(|(_, term)| term).collect();
    taxonomy.by_key = taxonomy
        .terms
        .iter()
        .enumerate()
        .map(|(index, term)| (compare_key(&term.name), index))
        .collect();
}

fn shown_spelling(spellings: &HashMap<String, usize>) -> String {
    spellings
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then_with(|| collation_key(b.0).cmp(&collation_key(a.0)))
        })
        .map(|(name, _)| name.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_frequent_spelling_wins_ties_by_collation() {
        let mut spellings = HashMap::new();
        spellings.insert("THÁI PHƯƠNG".to_string(), 1);
        spellings.insert("Thái Phương".to_string(), 3);
        assert_eq!(shown_spelling(&spellings), "Thái Phương");
        let mut tie = HashMap::new();
        tie.insert("Hoà Bình".to_string(), 2);
        tie.insert("Hòa Bình".to_string(), 2);
        assert_eq!(shown_spelling(&tie), shown_spelling(&tie.clone()));
        // "Hoà" sorts before "Hòa": at the second letter, no tone comes before the grave tone.
        assert_eq!(shown_spelling(&tie), "Hoà Bình");
    }
}
