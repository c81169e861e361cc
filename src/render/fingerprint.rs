//! Fingerprints of pages: a hash of everything a page shows, computed from hashes kept per
//! article, so `serve` re-renders only the pages whose fingerprint changed.

use super::context::SiteContext;
use super::{Job, Renderer};
use crate::assemble::paginate::paginate;
use crate::assemble::Site;
use crate::config::TaxonomyField;
use std::hash::{Hash, Hasher};

/// What every page shares: settings, menu, sections, taxonomies, templates.
pub(super) fn global_key(site: &Site, site_value: &SiteContext, templates_key: u64) -> u64 {
    let mut hasher = crate::hash::hasher();
    templates_key.hash(&mut hasher);
    format!("{:?}", site.config).hash(&mut hasher);
    serde_json::to_string(site_value)
        .unwrap_or_default()
        .hash(&mut hasher);
    for section in &site.sections {
        (
            &section.title,
            &section.path,
            &section.description,
            section.parent,
            section.articles.len(),
        )
            .hash(&mut hasher);
    }
    hasher.finish()
}

impl Renderer<'_> {
    /// A hash of what an article's list item shows.
    pub(super) fn item_key(&self, index: usize) -> u64 {
        let article = &self.site.articles[index];
        let matter = &article.source.matter;
        let section = &self.site.sections[article.section];
        let mut hasher = crate::hash::hasher();
        (
            &matter.title,
            matter.date,
            matter.updated,
            &self.bodies[index].summary,
        )
            .hash(&mut hasher);
        (
            &article.path,
            &section.title,
            &section.path,
            article.photos.first(),
            self.global_key,
        )
            .hash(&mut hasher);
        if !matter.extra.is_null() {
            matter.extra.to_string().hash(&mut hasher);
        }
        self.hash_terms(TaxonomyField::Authors, index, &mut hasher);
        hasher.finish()
    }

    /// A hash of what the sitemap lists: every page's path and last change.
    pub(super) fn sitemap_key(&self) -> u64 {
        let mut hasher = crate::hash::hasher();
        (self.global_key, &self.item_keys).hash(&mut hasher);
        for (index, article) in self.site.articles.iter().enumerate() {
            (article.source.matter.updated, index).hash(&mut hasher);
        }
        for taxonomy in &self.site.taxonomies {
            for term in &taxonomy.terms {
                (&term.path, &term.articles).hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    /// Hashes an article's names of one taxonomy with the pages they link to and the name
    /// those pages give them (the spelling most articles use: an edit elsewhere changes it).
    fn hash_terms(&self, field: TaxonomyField, index: usize, hasher: &mut impl Hasher) {
        crate::assemble::taxonomy::names(field, &self.site.articles[index].source).hash(hasher);
        if let Some(taxonomy) = self.site.taxonomies.iter().find(|t| t.field == field) {
            for term in taxonomy.of_article[index].iter().flatten() {
                let term = &taxonomy.terms[*term];
                (&term.path, &term.name).hash(hasher);
            }
        }
    }

    /// A hash of everything the page of `job` shows, or `None` for files that are always
    /// written again (sitemaps, robots.txt: cheap, and they depend on the build time).
    pub fn fingerprint(&self, job: &Job) -> Option<u64> {
        let site = self.site;
        let mut hasher = crate::hash::hasher();
        (self.global_key, job).hash(&mut hasher);
        let items = |hasher: &mut ahash::AHasher, list: &[usize]| {
            for &i in list {
                self.item_keys[i].hash(hasher);
            }
        };
        match *job {
            Job::List { section, page } => {
                let s = &site.sections[section];
                let pager = &paginate(&s.path, s.articles.len(), s.page_size)[page - 1];
                (pager.total, &self.section_bodies[section]).hash(&mut hasher);
                items(&mut hasher, &s.articles[pager.range.clone()]);
                if s.parent.is_none() && page == 1 {
                    for (block, articles) in self.home_blocks() {
                        block.hash(&mut hasher);
                        items(&mut hasher, &articles);
                    }
                }
            }
            Job::Article(index) => {
                let body = &self.bodies[index];
                (body.html_hash, &site.articles[index].photos).hash(&mut hasher);
                let (older, newer) = self.neighbours(index);
                let neighbours: Vec<usize> = older.into_iter().chain(newer).collect();
                items(&mut hasher, &[index]);
                items(&mut hasher, &neighbours);
                items(&mut hasher, &site.related[index]);
                items(&mut hasher, &self.latest_for(index));
                let matter = &site.articles[index].source.matter;
                // Its extra map is in its item's key, hashed above.
                (&matter.source, &matter.location, matter.summary.is_some()).hash(&mut hasher);
                for field in [TaxonomyField::Tags, TaxonomyField::Agencies] {
                    self.hash_terms(field, index, &mut hasher);
                }
            }
            Job::Terms(t) => {
                for term in &site.taxonomies[t].terms {
                    (&term.name, &term.path, term.articles.len()).hash(&mut hasher);
                }
            }
            Job::Term {
                taxonomy,
                term,
                page,
            } => {
                let t = &site.taxonomies[taxonomy];
                let term = &t.terms[term];
                let pager = &paginate(&term.path, term.articles.len(), t.page_size)[page - 1];
                (&term.name, pager.total).hash(&mut hasher);
                items(&mut hasher, &term.articles[pager.range.clone()]);
            }
            Job::ArchiveYears | Job::ArchiveYear(_) => {
                for year in &site.archive {
                    for month in &year.months {
                        (year.year, month.month, month.articles.len()).hash(&mut hasher);
                    }
                }
            }
            Job::ArchiveMonth { year, month, page } => {
                for y in &site.archive {
                    for m in &y.months {
                        (y.year, m.month).hash(&mut hasher);
                    }
                }
                let articles = &site.archive[year].months[month].articles;
                let pager = &paginate("", articles.len(), site.config.page_size)[page - 1];
                pager.total.hash(&mut hasher);
                items(&mut hasher, &articles[pager.range.clone()]);
            }
            Job::NotFound => items(&mut hasher, &self.newest().collect::<Vec<_>>()),
            Job::Search => {}
            Job::Feed { scope, .. } => {
                let (_, _, shown) = self.feed_source(scope);
                if shown.is_empty() {
                    return None;
                }
                items(&mut hasher, &shown);
                for &i in shown.iter() {
                    self.bodies[i].html_hash.hash(&mut hasher);
                    // Feeds show tags as categories; list items do not.
                    self.hash_terms(TaxonomyField::Tags, i, &mut hasher);
                }
            }
            Job::SitemapPart(_) | Job::SitemapIndex | Job::NewsSitemap | Job::Robots => {
                return None
            }
            Job::Alias { article, alias } => {
                (
                    &site.articles[article].path,
                    &site.articles[article].source.matter.aliases[alias].path,
                )
                    .hash(&mut hasher);
                items(&mut hasher, &[article]);
            }
        }
        Some(hasher.finish())
    }
}
