//! Sitemaps for search engines (sitemaps.org 0.9, split past 50,000 URLs or 50 MB), the Google
//! News sitemap, and `robots.txt`.

use super::xml::text as x;
use super::{Output, Renderer};
use crate::assemble::archive::{month_path, year_path};
use std::fmt::Write;

const MAX_URLS: usize = 50_000;
const MAX_BYTES: usize = 50 * 1024 * 1024;
const MAX_NEWS: usize = 1_000;
const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// One `<url>` entry, already written.
pub struct SitemapEntry(String);

impl Renderer<'_> {
    /// Every canonical page with its last change: home, sections, articles, taxonomies, archives.
    pub(super) fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let newest = |list: &[usize]| list.iter().map(|&i| self.changed(i)).max();
        let mut entries = Vec::with_capacity(site.articles.len() + site.sections.len() + 64);
        let mut push = |path: &str, lastmod: Option<String>| {
            let mut entry = format!("<url><loc>{}</loc>", x(&self.absolute(path)));
            if let Some(lastmod) = lastmod {
                let _ = write!(entry, "<lastmod>{lastmod}</lastmod>");
            }
            entry.push_str("</url>\n");
            entries.push(SitemapEntry(entry));
        };
        for section in &site.sections {
            push(
                &section.path,
                newest(&section.articles).map(|d| d.rfc3339()),
            );
        }
        for (index, article) in site.articles.iter().enumerate() {
            push(&article.path, Some(self.changed(index).rfc3339()));
        }
        for taxonomy in &site.taxonomies {
            push(&taxonomy.path, None);
            for term in &taxonomy.terms {
                push(&term.path, newest(&term.articles).map(|d| d.rfc3339()));
            }
        }
        let base = &site.config.archive_path;
        push(base, None);
        for year in &site.archive {
            push(&year_path(base, year.year), None);
            for month in &year.months {
                push(
                    &month_path(base, month.year, month.month),
                    newest(&month.articles).map(|d| d.rfc3339()),
                );
            }
        }
        entries
    }

    /// Cuts the entries into sitemap files of at most 50,000 URLs and 50 MB.
    pub(super) fn sitemap_parts(entries: &[SitemapEntry]) -> Vec<std::ops::Range<usize>> {
        let mut parts = Vec::new();
        let mut start = 0;
        let mut bytes = URLSET_OPEN.len() + URLSET_CLOSE.len();
        for (i, entry) in entries.iter().enumerate() {
            if i - start == MAX_URLS || bytes + entry.0.len() > MAX_BYTES {
                parts.push(start..i);
                start = i;
                bytes = URLSET_OPEN.len() + URLSET_CLOSE.len();
            }
            bytes += entry.0.len();
        }
        parts.push(start..entries.len());
        parts
    }

    /// `sitemap.xml` when one file holds everything, else `sitemap-N.xml` (N from 1).
    pub(super) fn sitemap_part(&self, part: usize) -> Output {
        let range = self.sitemap_ranges[part].clone();
        let mut out = String::from(URLSET_OPEN);
        for entry in &self.sitemap_entries[range] {
            out.push_str(&entry.0);
        }
        out.push_str(URLSET_CLOSE);
        let file = if self.sitemap_ranges.len() == 1 {
            "sitemap.xml".to_string()
        } else {
            format!("sitemap-{}.xml", part + 1)
        };
        Output {
            file,
            bytes: out.into_bytes(),
        }
    }

    /// `sitemap.xml` as an index of the parts, when there are several.
    pub(super) fn sitemap_index(&self) -> Output {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        let lastmod = self
            .site
            .articles
            .iter()
            .enumerate()
            .map(|(i, _)| self.changed(i))
            .max()
            .unwrap_or(self.build_time);
        for part in 0..self.sitemap_ranges.len() {
            let _ = writeln!(
                out,
                "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>",
                x(&self.absolute(&format!("/sitemap-{}.xml", part + 1))),
                lastmod.rfc3339()
            );
        }
        out.push_str("</sitemapindex>\n");
        Output {
            file: "sitemap.xml".to_string(),
            bytes: out.into_bytes(),
        }
    }

    /// The articles of the Google News sitemap: those of the last `news_days` days before the
    /// build.
    pub(super) fn news(&self) -> impl Iterator<Item = &crate::assemble::Article> {
        let now = self.build_time.timestamp();
        let oldest = now - i64::from(self.site.config.news_days) * 86_400;
        self.site
            .articles
            .iter()
            .filter(move |a| (oldest..=now).contains(&a.source.matter.date.timestamp()))
            .take(MAX_NEWS)
    }

    /// The Google News sitemap, written only when `news` has articles: a sitemap without
    /// any is invalid.
    pub(super) fn news_sitemap(&self) -> Output {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
        for article in self.news() {
            let matter = &article.source.matter;
            let _ = writeln!(
                out,
                "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>vi</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>",
                x(&self.absolute(&article.path)),
                x(&self.site.config.title),
                matter.date.rfc3339(),
                x(&matter.title)
            );
        }
        out.push_str(URLSET_CLOSE);
        Output {
            file: "sitemap-news.xml".to_string(),
            bytes: out.into_bytes(),
        }
    }

    pub(super) fn robots(&self) -> Output {
        let mut text = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            self.absolute("/sitemap.xml")
        );
        if self.news().next().is_some() {
            let _ = writeln!(text, "Sitemap: {}", self.absolute("/sitemap-news.xml"));
        }
        Output {
            file: "robots.txt".to_string(),
            bytes: text.into_bytes(),
        }
    }

    /// When an article last changed.
    fn changed(&self, index: usize) -> crate::vi::VnDate {
        let matter = &self.site.articles[index].source.matter;
        matter.updated.unwrap_or(matter.date).max(matter.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(count: usize, size: usize) -> Vec<SitemapEntry> {
        (0..count).map(|_| SitemapEntry("x".repeat(size))).collect()
    }

    #[test]
    fn parts_hold_at_most_50000_urls() {
        let parts = Renderer::sitemap_parts(&entries(120_001, 10));
        assert_eq!(parts, vec![0..50_000, 50_000..100_000, 100_000..120_001]);
        assert_eq!(
            Renderer::sitemap_parts(&entries(50_000, 10)),
            vec![0..50_000]
        );
        assert_eq!(Renderer::sitemap_parts(&[]), vec![0..0]);
    }

    #[test]
    fn parts_hold_at_most_50_megabytes() {
        let parts = Renderer::sitemap_parts(&entries(30, 2 * 1024 * 1024));
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], 0..24, "24 entries of 2 MiB fit beside the header");
    }
}
