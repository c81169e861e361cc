//! Taxonomies (tags, authors, agencies): terms grouped by compare key, shown in one spelling.

use super::Article;
use crate::config::{Config, TaxonomyField};
use crate::diagnostics::Diagnostic;
use crate::load::LoadedArticle;
use crate::vi::{collation_key, compare_key, slugify, CollationKey};
use std::collections::HashMap;

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
    /// For each article, the term of each of its names (in front matter order; `None` for a
    /// name that made no term).
    pub of_article: Vec<Vec<Option<usize>>>,
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
            of_article: Vec::new(),
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
    let (groups, article_groups) = group_names(taxonomy.field, articles);
    let group_count = groups.len();
    let mut by_slug: HashMap<String, (String, usize)> = HashMap::new();
    let mut terms: Vec<(CollationKey, usize, Term)> = Vec::with_capacity(group_count);
    // URLs are given oldest name first (the last article of a group is its oldest): a new
    // article never moves the URL of a name already published.
    let mut groups: Vec<(usize, Group)> = groups.into_iter().enumerate().collect();
    groups
        .sort_by_key(|(index, group)| (std::cmp::Reverse(group.articles.last().copied()), *index));
    for (group_index, group) in groups {
        let name = shown_spelling(&group.spellings);
        let first_article = group.articles[0];
        let Some(slug) = free_slug(
            taxonomy,
            &name,
            first_article,
            articles,
            &by_slug,
            diagnostics,
        ) else {
            continue;
        };
        by_slug.insert(slug.clone(), (name.clone(), first_article));
        terms.push((
            collation_key(&name),
            group_index,
            Term {
                path: format!("{}{slug}/", taxonomy.path),
                name,
                articles: group.articles,
            },
        ));
    }
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    // Group index → term index, for the articles' own lists.
    let mut term_of_group: Vec<Option<usize>> = vec![None; group_count];
    for (term_index, (_, group_index, _)) in terms.iter().enumerate() {
        term_of_group[*group_index] = Some(term_index);
    }
    taxonomy.of_article = article_groups
        .into_iter()
        .map(|groups| groups.into_iter().map(|g| term_of_group[g]).collect())
        .collect();
    taxonomy.terms = terms.into_iter().map(|(_, _, term)| term).collect();
}

/// The names of `field` grouped by compare key (`Hoà Bình` and `Hòa Bình` are one group),
/// and the groups of each article, in its order.
fn group_names(field: TaxonomyField, articles: &[Article]) -> (Vec<Group>, Vec<Vec<usize>>) {
    // Names repeat across thousands of articles: compute each spelling's compare key once.
    let mut group_of_spelling: ahash::AHashMap<&str, usize> = ahash::AHashMap::new();
    let mut group_of_key: ahash::AHashMap<String, usize> = ahash::AHashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut article_groups: Vec<Vec<usize>> = Vec::with_capacity(articles.len());
    for (index, article) in articles.iter().enumerate() {
        let names = names(field, &article.source);
        let mut own = Vec::with_capacity(names.len());
        for name in names {
            let group = *group_of_spelling.entry(name.as_str()).or_insert_with(|| {
                let key = compare_key(name);
                *group_of_key.entry(key).or_insert_with(|| {
                    groups.push(Group::default());
                    groups.len() - 1
                })
            });
            let entry = &mut groups[group];
            *entry.spellings.entry(name.clone()).or_default() += 1;
            if entry.articles.last() != Some(&index) {
                entry.articles.push(index);
            }
            own.push(group);
        }
        article_groups.push(own);
    }
    (groups, article_groups)
}

/// The slug of the term `name` (first written in article `first_article`) that no term in
/// `by_slug` has; none, with the problem reported, when the name has no letters or takes
/// another name's URL.
fn free_slug(
    taxonomy: &Taxonomy,
    name: &str,
    first_article: usize,
    articles: &[Article],
    by_slug: &HashMap<String, (String, usize)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let first_article = &articles[first_article].source;
    // `author:` is the one-name spelling of `authors:`. Read again only for a problem.
    let line = || crate::load::key_position(&first_article.file.path, &[taxonomy.key, "author"]).0;
    let Ok(slug) = slugify(name) else {
        diagnostics.push(
            Diagnostic::error(
                &first_article.file.display,
                line(),
                1,
                format!(
                    "the {} name `{name}` has no letters or digits to make a URL from",
                    taxonomy.key
                ),
            )
            .with_help("write the name with letters, or remove it"),
        );
        return None;
    };
    let slug = match by_slug.get(&slug) {
        // Two people whose names differ only in marks (Lê Văn Hải, Lê Vân Hải) are two
        // authors: the later one gets the next free URL.
        Some((other, other_article)) if taxonomy.field == TaxonomyField::Authors => {
            let free = (2..)
                .map(|n| format!("{slug}-{n}"))
                .find(|candidate| !by_slug.contains_key(candidate))
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::warning(
                    &first_article.file.display,
                    line(),
                    1,
                    format!(
                        "the authors `{name}` and `{other}` (in {}) would have one URL {}{slug}/: `{name}` gets {}{free}/",
                        articles[*other_article].source.file.display.display(),
                        taxonomy.path,
                        taxonomy.path
                    ),
                )
                .with_help("if they are one person, spell the name the same way in both"),
            );
            free
        }
        _ => slug,
    };
    if let Some((other, other_article)) = by_slug.get(&slug) {
        diagnostics.push(
            Diagnostic::error(
                &first_article.file.display,
                line(),
                1,
                format!(
                    "{} `{name}` and `{other}` (in {}) are different names with one URL {}{slug}/",
                    taxonomy.key,
                    articles[*other_article].source.file.display.display(),
                    taxonomy.path
                ),
            )
            .with_help(
                "spell the two names the same way if they are one, or make them differ in letters",
            ),
        );
        return None;
    }
    Some(slug)
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
