//! The Markdown bodies of a site converted to HTML, in parallel, with a cache that `serve`
//! keeps between rebuilds so only changed articles are converted again.
//!
//! Only what lists and fingerprints need is kept (summary, a hash of the HTML, problems):
//! an article's HTML is made again when its page is rendered, so a build never holds the HTML
//! of the whole archive at once.

use super::markdown::{self, convert, BodyContext, FigureTemplate};
use crate::assemble::{Article, OutputAsset, Site};
use crate::diagnostics::Diagnostic;
use crate::hash::hash_of;
use crate::load::{FailedBody, FoundPhoto, PhotoRoots, SiteDirs};
use crate::vi::VnDate;
use ahash::AHashMap;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// What is kept of one converted article body.
pub struct ArticleBody {
    /// The front matter summary, else the first paragraph.
    pub summary: String,
    /// A hash of `html`, to tell whether pages showing it changed.
    pub html_hash: u64,
    /// The photos of the body, found on disk when it was converted.
    pub photos: Vec<(String, FoundPhoto)>,
    /// The front matter photos (by index) that the body shows too, sorted.
    pub front_matter_shown: Vec<usize>,
    /// Medium copies of the wide photos only the text shows, to make with the site's.
    pub copies: Vec<OutputAsset>,
    /// The body ends with its authors' names, as papers sign an article (`**THÁI PHƯƠNG**`).
    pub signed: bool,
    /// A sign-off (`MINH KHÔI`) that names other people than the article's authors: most
    /// likely a mistake in `authors:`, which `check` reports.
    pub other_sign_off: Option<String>,
}

/// Every Markdown body of the site converted to HTML.
pub struct Bodies {
    pub(super) articles: Vec<Arc<ArticleBody>>,
    pub(super) sections: Vec<String>,
    /// Medium copies of the wide photos only bodies show (articles' and sections'), each
    /// once and none the site's assets make already.
    pub(super) copies: Vec<OutputAsset>,
    /// Where photos are looked up, to convert article bodies again when rendering.
    pub(super) dirs: SiteDirs,
}

impl Bodies {
    /// The front matter photos (by index) that the text of article `index` shows itself.
    pub fn front_matter_shown(&self, index: usize) -> &[usize] {
        &self.articles[index].front_matter_shown
    }

    /// The sign-off article `index` ends with when it names other people than its authors.
    pub fn other_sign_off(&self, index: usize) -> Option<&str> {
        self.articles[index].other_sign_off.as_deref()
    }
}

/// Bodies converted by an earlier rebuild, by a hash of what they were made from.
#[derive(Default)]
pub struct BodyCache {
    entries: AHashMap<u64, CachedBody>,
}

struct CachedBody {
    body: Arc<ArticleBody>,
    diagnostics: Vec<Diagnostic>,
}

impl BodyCache {
    /// Forgets everything (photos or other files that bodies refer to changed).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Converts every body, with every problem found (broken links, missing photos).
pub fn convert_bodies(site: &Site, dirs: &SiteDirs) -> (Bodies, Vec<Diagnostic>) {
    convert_bodies_cached(site, dirs, &mut BodyCache::default())
}

/// Converts the bodies whose article, URL or site links changed since `cache` was filled.
pub fn convert_bodies_cached(
    site: &Site,
    dirs: &SiteDirs,
    cache: &mut BodyCache,
) -> (Bodies, Vec<Diagnostic>) {
    let roots = dirs.photo_roots();
    let context_key = links_key(site);
    let converted: Vec<(u64, CachedBody)> = site
        .articles
        .par_iter()
        .map(|article| {
            let source = &article.source;
            let key = hash_of(&(source.text_hash, &article.path, context_key));
            if let Some(hit) = cache.entries.get(&key) {
                let reused = CachedBody {
                    body: Arc::clone(&hit.body),
                    diagnostics: hit.diagnostics.clone(),
                };
                return (key, reused);
            }
            let converted = match source.body_text() {
                Ok(text) => convert(&text, &article_context(site, &roots, article, &[])),
                Err(problem) => markdown::Body {
                    diagnostics: vec![problem],
                    ..Default::default()
                },
            };
            let summary = source
                .matter
                .summary
                .clone()
                .unwrap_or(converted.first_paragraph);
            let html_hash = hash_of(&converted.html);
            let (signed, other_sign_off) =
                read_sign_off(converted.last_paragraph, &source.matter.authors);
            let mut front_matter_shown = converted.front_matter_shown;
            front_matter_shown.sort_unstable();
            front_matter_shown.dedup();
            let body = Arc::new(ArticleBody {
                summary,
                html_hash,
                photos: converted.photos,
                front_matter_shown,
                copies: converted.copies,
                signed,
                other_sign_off,
            });
            (
                key,
                CachedBody {
                    body,
                    diagnostics: converted.diagnostics,
                },
            )
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut articles = Vec::with_capacity(converted.len());
    cache.entries.clear();
    for (key, entry) in converted {
        articles.push(Arc::clone(&entry.body));
        diagnostics.extend(entry.diagnostics.iter().cloned());
        cache.entries.insert(key, entry);
    }
    let sections: Vec<markdown::Body> = (0..site.sections.len())
        .map(|index| convert_section(site, &roots, index, None))
        .collect();
    // Each copy once: two texts may show one photo, whose front matter copy the site may
    // make already.
    let mut planned: HashSet<&str> = site.assets.iter().map(|a| a.to.as_str()).collect();
    let copies = (articles.iter().flat_map(|a| &a.copies))
        .chain(sections.iter().flat_map(|s| &s.copies))
        .filter(|copy| planned.insert(&copy.to))
        .cloned()
        .collect();
    let sections = sections
        .into_iter()
        .map(|body| {
            diagnostics.extend(body.diagnostics);
            body.html
        })
        .collect();
    for failed in &site.failed_bodies {
        diagnostics.extend(check_unpublished_body(site, &roots, failed, None));
    }
    for article in &site.scheduled {
        let scheduled = article.body_text().map(|text| FailedBody {
            file: article.file.clone(),
            dir: article.dir.clone(),
            bundle: article.bundle,
            text,
            line: article.body_line,
        });
        match scheduled {
            Ok(body) => {
                let due = Some(article.matter.date);
                diagnostics.extend(check_unpublished_body(site, &roots, &body, due));
            }
            Err(problem) => diagnostics.push(problem),
        }
    }
    (
        Bodies {
            articles,
            sections,
            copies,
            dirs: dirs.clone(),
        },
        diagnostics,
    )
}

/// What the body's last paragraph says of the article's authors: whether it names exactly
/// them (`THÁI PHƯƠNG`, `Minh Khôi - Việt Dũng`, in any case and tone placement), and the
/// sign-off itself when it is one (`is_sign_off`) naming someone else, or the article has
/// no authors.
fn read_sign_off(paragraph: String, authors: &[String]) -> (bool, Option<String>) {
    // Names are short: a longer paragraph is text, and comparing it would cost more than the
    // rest of the body's conversion.
    let longest = authors.iter().map(String::len).sum::<usize>() + 8 * authors.len();
    if paragraph.is_empty() || paragraph.len() > (2 * longest).max(crate::vi::SIGN_OFF_BYTES) {
        return (false, None);
    }
    let mut named = names_in(&paragraph);
    let mut expected: Vec<String> = authors.iter().map(|a| crate::vi::compare_key(a)).collect();
    let others = named.iter().any(|name| !expected.contains(name));
    let other_sign_off = (others && is_sign_off(&paragraph)).then_some(paragraph);
    named.sort_unstable();
    expected.sort_unstable();
    let signed = !authors.is_empty() && named == expected;
    (signed, other_sign_off)
}

/// The names of a sign-off, as compare keys: `MINH KHÔI - VIỆT DŨNG` → `minh khôi`, `việt dũng`.
fn names_in(paragraph: &str) -> Vec<String> {
    split_names(&crate::vi::compare_key(paragraph))
        .map(String::from)
        .collect()
}

/// The names a sign-off joins with `-`, `,`, `&`, `/` or `và`, as written.
pub fn split_names(sign_off: &str) -> impl Iterator<Item = &str> {
    sign_off
        .split([',', '-', '–', '—', '&', '/'])
        .flat_map(|part| part.split(" và ").flat_map(|p| p.split(" VÀ ")))
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

/// Whether a paragraph reads as a paper's sign-off (`crate::vi::sign_off_words`) of two words
/// or more: a word alone in capitals (`TPHCM`) is not taken for someone else's name.
fn is_sign_off(paragraph: &str) -> bool {
    crate::vi::sign_off_words(paragraph).is_some_and(|words| words >= 2)
}

/// The HTML of one article's body, converted again (its problems were reported the first time,
/// its photos found: `body`), its photos through `figure` when the theme has its own.
pub(super) fn article_html(
    site: &Site,
    dirs: &SiteDirs,
    body: &ArticleBody,
    index: usize,
    figure: Option<FigureTemplate>,
) -> Result<String, Diagnostic> {
    let article = &site.articles[index];
    let text = article.source.body_text()?;
    let roots = dirs.photo_roots();
    let cx = BodyContext {
        figure,
        ..article_context(site, &roots, article, &body.photos)
    };
    convert(&text, &cx).into_html()
}

/// The HTML of the body of section `index` (its `_index.md`; empty without one), with its
/// problems.
fn convert_section(
    site: &Site,
    roots: &PhotoRoots,
    index: usize,
    figure: Option<FigureTemplate>,
) -> markdown::Body {
    let section = &site.sections[index];
    let Some(file) = &section.file else {
        return markdown::Body::default();
    };
    let cx = BodyContext {
        figure,
        ..body_context(
            site,
            roots,
            &section.dir,
            &section.path,
            &file.display,
            section.body_line,
        )
    };
    convert(&section.body, &cx)
}

/// The HTML of the body of section `index`, its photos through the theme's own `figure`.
pub(super) fn section_html(
    site: &Site,
    dirs: &SiteDirs,
    index: usize,
    figure: FigureTemplate,
) -> Result<String, Diagnostic> {
    convert_section(site, &dirs.photo_roots(), index, Some(figure)).into_html()
}

/// What converting an article's body needs to know about the site.
fn article_context<'a>(
    site: &'a Site,
    roots: &'a PhotoRoots<'a>,
    article: &'a Article,
    found: &'a [(String, FoundPhoto)],
) -> BodyContext<'a> {
    let source = &article.source;
    BodyContext {
        bundle: source.bundle,
        photos: &source.photos,
        shown: &article.photos,
        medium_copies: true,
        found,
        ..body_context(
            site,
            roots,
            &source.dir,
            &article.path,
            &source.file.display,
            source.body_line,
        )
    }
}

/// What a body in `dir` of `file`, shown at `page_path`, needs of the site.
fn body_context<'a>(
    site: &'a Site,
    roots: &'a PhotoRoots<'a>,
    dir: &'a Path,
    page_path: &'a str,
    file: &'a Path,
    body_line: usize,
) -> BodyContext<'a> {
    BodyContext {
        config: &site.config,
        roots,
        links: &site.links,
        bundles: &site.bundles,
        scheduled: &site.scheduled,
        due: None,
        unpublished: &site.unpublished_bundles,
        dir,
        bundle: false,
        page_path,
        photos: &[],
        shown: &[],
        medium_copies: false,
        found: &[],
        file,
        body_line,
        figure: None,
    }
}

/// The problems of the body of an article kept out of the site, by its front matter's mistakes
/// or until its date (`due`): the build that publishes it, perhaps run by a timer with no
/// editor watching, must find none.
fn check_unpublished_body(
    site: &Site,
    roots: &PhotoRoots,
    failed: &FailedBody,
    due: Option<VnDate>,
) -> Vec<Diagnostic> {
    // Its URL may be unknown (its date or slug may be what failed): relative links are read
    // from its folder's, as for most articles of a section.
    let page_path = match crate::load::photos::slash(&failed.dir) {
        dir if dir.is_empty() => "/".to_string(),
        dir => format!("/{dir}/"),
    };
    let cx = BodyContext {
        bundle: failed.bundle,
        due,
        ..body_context(
            site,
            roots,
            &failed.dir,
            &page_path,
            &failed.file.display,
            failed.line,
        )
    };
    convert(&failed.text, &cx).diagnostics
}

/// A hash of everything a body's HTML depends on beyond its own text: the site's URLs, and
/// which bundles are not published.
fn links_key(site: &Site) -> u64 {
    // Summed per entry, so the map's order does not matter.
    let links = site
        .links
        .iter()
        .fold(0u64, |sum, entry| sum.wrapping_add(hash_of(&entry)));
    hash_of(&(links, &site.config.base_url, &site.unpublished_bundles))
}

#[cfg(test)]
mod tests {
    use super::{is_sign_off, read_sign_off};

    fn signs(paragraph: &str, authors: &[String]) -> bool {
        read_sign_off(paragraph.to_string(), authors).0
    }

    fn names_others(sign_off: &str, authors: &[String]) -> bool {
        read_sign_off(sign_off.to_string(), authors).1.is_some()
    }

    #[test]
    fn sign_offs_are_short_lines_of_names_in_capitals() {
        assert!(is_sign_off("THÁI PHƯƠNG"));
        assert!(is_sign_off("MINH KHÔI - VIỆT DŨNG"));
        assert!(!is_sign_off("THEO TTXVN"), "a source");
        assert!(!is_sign_off("NGUỒN: BÁO NHÂN DÂN"));
        assert!(!is_sign_off("Thái Phương"), "not in capitals");
        assert!(!is_sign_off("TPHCM"), "one word");
        assert!(!is_sign_off("XIN CHÚC MỪNG NĂM MỚI."));
    }

    #[test]
    fn a_sign_off_names_exactly_the_authors() {
        let authors = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(signs("THÁI PHƯƠNG", &authors(&["Thái Phương"])));
        assert!(signs(
            "Minh Khôi - VIỆT DŨNG",
            &authors(&["Việt Dũng", "Minh Khôi"])
        ));
        assert!(signs(
            "MINH KHÔI VÀ VIỆT DŨNG",
            &authors(&["Minh Khôi", "Việt Dũng"])
        ));
        assert!(
            signs("THUỶ TIÊN", &authors(&["Thủy Tiên"])),
            "tone placement"
        );
        assert!(
            !signs("THÁI PHƯƠNG", &authors(&["Thái Phương", "Việt Dũng"])),
            "one of two"
        );
        assert!(!signs("Ảnh: THÁI PHƯƠNG", &authors(&["Thái Phương"])));
        assert!(!signs(
            "Tham dự có đồng chí Thái Phương.",
            &authors(&["Thái Phương"])
        ));
        assert!(!signs("THÁI PHƯƠNG", &[]));
    }

    #[test]
    fn a_sign_off_may_name_some_of_the_authors_but_no_one_else() {
        let authors = ["Thái Phương".to_string(), "Việt Dũng".to_string()];
        assert!(!names_others("THÁI PHƯƠNG", &authors), "one of two");
        assert!(names_others("MINH KHÔI", &authors));
        assert!(names_others("THÁI PHƯƠNG - MINH KHÔI", &authors));
        assert!(names_others("MINH KHÔI", &[]));
    }
}
