//! RSS 2.0 and Atom 1.0 feeds of the site, its sections and (if configured) taxonomy terms.

use super::xml::text as x;
use super::{Output, Renderer};
use crate::assemble::{Photo, Section};
use crate::diagnostics::Diagnostic;
use crate::vi::VnDate;
use std::borrow::Cow;
use std::fmt::Write;

/// Whose articles a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedScope {
    Site,
    Section(usize),
    Term { taxonomy: usize, term: usize },
}

/// A feed link for `<link rel="alternate">`.
#[derive(serde::Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
    #[serde(rename = "type")]
    pub mime: &'static str,
}

impl Renderer<'_> {
    /// Every feed the configuration asks for.
    pub(super) fn feed_scopes(&self) -> Vec<FeedScope> {
        let site = self.site;
        let mut scopes = vec![FeedScope::Site];
        if site.config.feeds.sections {
            scopes.extend((1..site.sections.len()).map(FeedScope::Section));
        }
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            if site.config.feeds.taxonomies.contains(&taxonomy.field) {
                scopes.extend(
                    (0..taxonomy.terms.len()).map(|term| FeedScope::Term { taxonomy: t, term }),
                );
            }
        }
        scopes
    }

    /// Title, page path and articles (newest first, at most `feeds.limit`) of a feed.
    pub(super) fn feed_source(&self, scope: FeedScope) -> (String, &str, Cow<'_, [usize]>) {
        let site = self.site;
        let (title, path, articles): (String, &str, Cow<[usize]>) = match scope {
            FeedScope::Site => (
                site.config.title.clone(),
                "/",
                newest_first(&site.sections[0]),
            ),
            FeedScope::Section(s) => {
                let section = &site.sections[s];
                (
                    format!("{} – {}", section.title, site.config.title),
                    &section.path,
                    newest_first(section),
                )
            }
            FeedScope::Term { taxonomy, term } => {
                let t = &site.taxonomies[taxonomy];
                let term = &t.terms[term];
                (
                    format!("{}: {} – {}", t.title, term.name, site.config.title),
                    &term.path,
                    Cow::Borrowed(term.articles.as_slice()),
                )
            }
        };
        let mut articles = articles;
        let shown = articles.len().min(site.config.feeds.limit);
        match &mut articles {
            Cow::Borrowed(list) => *list = &list[..shown],
            Cow::Owned(list) => list.truncate(shown),
        }
        (title, path, articles)
    }

    /// The RSS and Atom links of a feed scope, for page heads.
    pub(super) fn feed_links(&self, scope: FeedScope) -> [FeedLink; 2] {
        let (title, path, _) = self.feed_source(scope);
        [
            FeedLink {
                title: format!("{title} (RSS)"),
                url: self.absolute(&format!("{path}rss.xml")),
                mime: "application/rss+xml",
            },
            FeedLink {
                title: format!("{title} (Atom)"),
                url: self.absolute(&format!("{path}atom.xml")),
                mime: "application/atom+xml",
            },
        ]
    }

    /// The feeds a page links: the site's, and its section's or term's when it has them.
    pub(super) fn page_feeds(&self, scope: FeedScope) -> Vec<FeedLink> {
        let mut links: Vec<FeedLink> = self.feed_links(FeedScope::Site).into();
        let own = !matches!(scope, FeedScope::Site | FeedScope::Section(0));
        if own && self.has_feed(scope) {
            links.extend(self.feed_links(scope));
        }
        links
    }

    /// Whether a scope has feeds at all.
    pub(super) fn has_feed(&self, scope: FeedScope) -> bool {
        let feeds = &self.site.config.feeds;
        match scope {
            FeedScope::Site => true,
            FeedScope::Section(_) => feeds.sections,
            FeedScope::Term { taxonomy, .. } => feeds
                .taxonomies
                .contains(&self.site.taxonomies[taxonomy].field),
        }
    }

    pub(super) fn rss(&self, scope: FeedScope) -> Result<Output, Diagnostic> {
        let (title, path, items) = self.feed_source(scope);
        let items = &*items;
        let mut out = String::with_capacity(2048 + items.len() * 1024);
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>vi</language>\n<lastBuildDate>{}</lastBuildDate>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
            x(&title),
            x(&self.absolute(path)),
            x(&self.site.config.description),
            self.feed_updated(items).rfc822(),
            x(&self.absolute(&format!("{path}rss.xml"))),
        );
        for &index in items {
            let article = &self.site.articles[index];
            let matter = &article.source.matter;
            let url = x(&self.absolute(&article.path));
            let _ = write!(out, "<item>\n<title>{}</title>\n<link>{url}</link>\n<guid isPermaLink=\"true\">{url}</guid>\n<pubDate>{}</pubDate>\n", x(&matter.title), matter.date.rfc822());
            for author in self.term_links(crate::config::TaxonomyField::Authors, index) {
                let _ = writeln!(out, "<dc:creator>{}</dc:creator>", x(author.name));
            }
            for tag in self.term_links(crate::config::TaxonomyField::Tags, index) {
                let _ = writeln!(out, "<category>{}</category>", x(tag.name));
            }
            let _ = writeln!(
                out,
                "<description>{}</description>",
                x(&self.bodies[index].summary)
            );
            if self.site.config.feeds.full_content {
                let _ = writeln!(
                    out,
                    "<content:encoded>{}</content:encoded>",
                    x(&self.article_html(index)?)
                );
            }
            if let Some(photo) = article.photos.first() {
                let _ = writeln!(
                    out,
                    "<enclosure url=\"{}\" length=\"{}\" type=\"{}\"/>",
                    x(&photo.url),
                    photo.bytes.unwrap_or(0),
                    image_type(photo)
                );
                let _ = write!(
                    out,
                    "<media:content url=\"{}\" medium=\"image\" type=\"{}\"",
                    x(&photo.url),
                    image_type(photo)
                );
                if let (Some(w), Some(h)) = (photo.width, photo.height) {
                    let _ = write!(out, " width=\"{w}\" height=\"{h}\"");
                }
                out.push_str("/>\n");
            }
            out.push_str("</item>\n");
        }
        out.push_str("</channel>\n</rss>\n");
        Ok(Output {
            file: format!("{}rss.xml", path.trim_start_matches('/')),
            bytes: out.into_bytes(),
        })
    }

    pub(super) fn atom(&self, scope: FeedScope) -> Result<Output, Diagnostic> {
        let (title, path, items) = self.feed_source(scope);
        let items = &*items;
        let feed_url = self.absolute(&format!("{path}atom.xml"));
        let mut out = String::with_capacity(2048 + items.len() * 1024);
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n<title>{}</title>\n<subtitle>{}</subtitle>\n<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n<link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n<id>{}</id>\n<updated>{}</updated>\n",
            x(&title),
            x(&self.site.config.description),
            x(&self.absolute(path)),
            x(&feed_url),
            x(&feed_url),
            self.feed_updated(items).rfc3339(),
        );
        // Atom wants an author for every entry: the feed's stands for entries without one.
        let config = &self.site.config;
        let publisher = config.publisher.agency.as_deref().unwrap_or(&config.title);
        let _ = writeln!(out, "<author><name>{}</name></author>", x(publisher));
        for &index in items {
            let article = &self.site.articles[index];
            let matter = &article.source.matter;
            let url = x(&self.absolute(&article.path));
            let _ = write!(
                out,
                "<entry>\n<title>{}</title>\n<link href=\"{url}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{url}</id>\n<published>{}</published>\n<updated>{}</updated>\n",
                x(&matter.title),
                matter.date.rfc3339(),
                matter.updated.unwrap_or(matter.date).rfc3339()
            );
            for author in self.term_links(crate::config::TaxonomyField::Authors, index) {
                let _ = write!(out, "<author><name>{}</name>", x(author.name));
                if let Some(uri) = author.url {
                    let _ = write!(out, "<uri>{}</uri>", x(&uri));
                }
                out.push_str("</author>\n");
            }
            for tag in &matter.tags {
                let _ = writeln!(out, "<category term=\"{0}\" label=\"{0}\"/>", x(tag));
            }
            let _ = writeln!(
                out,
                "<summary type=\"text\">{}</summary>",
                x(&self.bodies[index].summary)
            );
            if self.site.config.feeds.full_content {
                let _ = writeln!(
                    out,
                    "<content type=\"html\">{}</content>",
                    x(&self.article_html(index)?)
                );
            }
            if let Some(photo) = article.photos.first() {
                let _ = write!(
                    out,
                    "<link rel=\"enclosure\" href=\"{}\" type=\"{}\"",
                    x(&photo.url),
                    image_type(photo)
                );
                if let Some(bytes) = photo.bytes {
                    let _ = write!(out, " length=\"{bytes}\"");
                }
                out.push_str("/>\n");
            }
            out.push_str("</entry>\n");
        }
        out.push_str("</feed>\n");
        Ok(Output {
            file: format!("{}atom.xml", path.trim_start_matches('/')),
            bytes: out.into_bytes(),
        })
    }

    /// The newest change among the items; an empty feed takes the build time.
    fn feed_updated(&self, items: &[usize]) -> VnDate {
        items
            .iter()
            .map(|&i| {
                let matter = &self.site.articles[i].source.matter;
                matter.updated.unwrap_or(matter.date).max(matter.date)
            })
            .max()
            .unwrap_or(self.build_time)
    }
}

fn image_type(photo: &Photo) -> &'static str {
    let extension = photo
        .url
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    }
}

/// A section's articles newest first, as feeds show them. A section listed by title is
/// sorted back: article numbers follow dates, newest first.
fn newest_first(section: &Section) -> Cow<'_, [usize]> {
    match section.sort_by_title {
        true => {
            let mut articles = section.articles.clone();
            articles.sort_unstable();
            Cow::Owned(articles)
        }
        false => Cow::Borrowed(&section.articles),
    }
}
