//! Assemble stage: turn loaded files into a site — sections, URLs, photos, taxonomies — and
//! find the problems only visible across files (two articles with one URL).

pub mod archive;
pub mod paginate;
pub mod related;
pub mod taxonomy;
pub mod thumbnails;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::photos::{unpublished_file_problem, unpublished_folder};
use crate::load::{
    FailedBody, FoundPhoto, Loaded, LoadedArticle, LoadedSection, PhotoSource, SourceFile,
};
use crate::vi::{collation_key, slugify, VnDate};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub use taxonomy::{Taxonomy, Term};
pub use thumbnails::Thumbnail;
use thumbnails::{MEDIUM_WIDTH, THUMBNAIL_WIDTH};

/// A photo ready for a page: absolute URL, caption, credit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Photo {
    pub url: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// File size in bytes, when the file is local.
    pub bytes: Option<u64>,
    /// The smaller copy lists show, for a lead photo much wider than lists show it. Left out
    /// of templates' maps when there is none: a key more costs a map of the lead photo in
    /// every list item twice the memory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<Thumbnail>,
    /// The copy article pages offer phones (`srcset`), for a photo much wider than that.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<Thumbnail>,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// `thoi-su/trong-nuoc`; empty for the home page.
    pub key: String,
    /// Site path: `/thoi-su/trong-nuoc/`.
    pub path: String,
    /// Its folder below `content/`, in NFC like every path bantin keeps (a folder copied from
    /// a Mac is NFD on disk).
    pub dir: PathBuf,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub page_size: usize,
    /// List articles by title (Vietnamese order) instead of newest first.
    pub sort_by_title: bool,
    pub parent: Option<usize>,
    pub body: String,
    pub body_line: usize,
    pub file: Option<SourceFile>,
    /// Its own and its subsections' articles (indexes into `Site::articles`), in list order.
    pub articles: Vec<usize>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub source: std::sync::Arc<LoadedArticle>,
    /// Site path: `/thoi-su/2024/04/ky-ket/`.
    pub path: String,
    pub section: usize,
    /// Front matter photos; the first is the lead photo.
    pub photos: Vec<Photo>,
}

/// A file copied to the output as is.
#[derive(Debug, Clone)]
pub struct OutputAsset {
    pub from: PathBuf,
    /// Site path of the copy.
    pub to: String,
    /// The copy is a smaller copy of the photo this many pixels wide (a list thumbnail, an
    /// article page's medium copy: see `thumbnails`), not the file as it is.
    pub scaled_to: Option<u32>,
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Index 0 is the home page.
    pub sections: Vec<Section>,
    /// Newest first.
    pub articles: Vec<Article>,
    pub taxonomies: Vec<Taxonomy>,
    /// Years, newest first, with their months.
    pub archive: Vec<archive::ArchiveYear>,
    /// Per article, up to five related articles.
    pub related: Vec<Vec<usize>>,
    pub assets: Vec<OutputAsset>,
    /// Content-relative Markdown path (`thoi-su/2024/04/bai.md`) → site path; empty for
    /// files that failed to load (already reported).
    pub links: HashMap<String, String>,
    /// Article bundle folders (content-relative, NFC) → the site path their files are
    /// published under: the article's own.
    pub bundles: HashMap<PathBuf, String>,
    /// The bodies of articles left out for errors in their front matter: only checked.
    pub failed_bodies: Vec<Arc<FailedBody>>,
    /// Articles dated after the build's moment, in no page yet; their bodies are checked.
    pub scheduled: Vec<Arc<LoadedArticle>>,
    /// The bundle folders of drafts and scheduled articles, whose files are not published.
    pub unpublished_bundles: Vec<String>,
}

impl Site {
    /// Top-level sections in menu order (weight, then Vietnamese order of titles).
    pub fn menu(&self) -> Vec<usize> {
        let mut menu: Vec<usize> = (1..self.sections.len())
            .filter(|&i| self.sections[i].parent == Some(0))
            .collect();
        menu.sort_by_cached_key(|&i| {
            (
                self.sections[i].weight,
                collation_key(&self.sections[i].title),
            )
        });
        menu
    }

    /// The top-level section a section belongs to (itself if top-level; `None` for home).
    pub fn top_section(&self, mut index: usize) -> Option<usize> {
        while let Some(parent) = self.sections[index].parent {
            if parent == 0 {
                return Some(index);
            }
            index = parent;
        }
        None
    }
}

/// The output file of a site path: `/thoi-su/` → `thoi-su/index.html`, `/404.html` → `404.html`.
pub fn output_file(path: &str) -> String {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}

/// What `serve` keeps between rebuilds to skip work whose inputs did not change.
#[derive(Default)]
pub struct AssembleCache {
    /// Related articles, and a hash of what they were computed from.
    related: Option<(u64, Vec<Vec<usize>>)>,
}

/// Builds the site, with every problem found across files.
pub fn assemble(config: Config, loaded: Loaded) -> (Site, Vec<Diagnostic>) {
    assemble_cached(config, loaded, &mut AssembleCache::default())
}

/// Like `assemble`, reusing from `cache` what the site's changes did not touch.
pub fn assemble_cached(
    config: Config,
    loaded: Loaded,
    cache: &mut AssembleCache,
) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let sections = build_sections(&config, loaded.sections, &mut diagnostics);
    let section_of_dir: HashMap<PathBuf, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    let mut sources = loaded.articles;
    sources.sort_by(|a, b| newest_first(a, b));
    let place = |source: Arc<LoadedArticle>| {
        let section = owning_section(&source.dir, source.bundle, &section_of_dir);
        let key = &sections[section].key;
        let path = permalink(&config.permalink, key, source.matter.date, &source.slug);
        Article {
            photos: Vec::new(),
            source,
            path,
            section,
        }
    };
    // The steps over every article or file run in parallel: assembling is otherwise the
    // longest stretch of a build with one core idle (0.7 s at 50,000 articles).
    let mut articles: Vec<Article> = sources.into_par_iter().map(place).collect();
    check_unique_paths(&config, &articles, &sections, &mut diagnostics);
    let scheduled: Vec<Article> = loaded.scheduled.iter().cloned().map(place).collect();
    let once_published = problems_once_published(&config, &articles, scheduled, &sections);
    let bundles = bundle_paths(&articles);
    let mut assets = output_assets(&loaded.assets, &bundles);
    let copied: HashSet<&str> = assets.iter().map(|a| a.to.as_str()).collect();
    let smaller_copies: Vec<OutputAsset> = articles
        .par_iter_mut()
        .flat_map_iter(|article| {
            let (photos, copies) = article_photos(&config, &bundles, &copied, article);
            article.photos = photos;
            copies
        })
        .collect();
    drop(copied);
    diagnostics.extend(unpublished_photos(&articles, &loaded.unpublished_bundles));
    let mut sections = sections;
    fill_section_lists(&mut sections, &articles);
    let mut taxonomies = taxonomy::from_config(&config);
    let taxonomy_problems: Vec<Vec<Diagnostic>> = taxonomies
        .par_iter_mut()
        .map(|taxonomy| {
            let mut problems = Vec::new();
            taxonomy::build(taxonomy, &articles, &mut problems);
            problems
        })
        .collect();
    diagnostics.extend(taxonomy_problems.into_iter().flatten());
    let mut planned = HashSet::new();
    // Articles sharing a photo share its copies.
    assets.extend(
        smaller_copies
            .into_iter()
            .filter(|t| planned.insert(t.to.clone())),
    );
    let (mut links, related) = rayon::join(
        || link_map(&articles, &sections),
        || cached_related(&articles, &taxonomies, cache),
    );
    for failed in loaded.failed {
        links.entry(failed).or_default();
    }
    for problem in once_published {
        if !diagnostics.contains(&problem) {
            diagnostics.push(problem);
        }
    }
    let site = Site {
        bundles,
        config,
        sections,
        archive: archive::build(&articles),
        related,
        articles,
        taxonomies,
        assets,
        links,
        failed_bodies: loaded.failed_bodies,
        scheduled: loaded.scheduled,
        unpublished_bundles: loaded.unpublished_bundles,
    };
    (site, diagnostics)
}

/// The order of a site's articles: newest first, then by file.
fn newest_first(a: &LoadedArticle, b: &LoadedArticle) -> std::cmp::Ordering {
    b.matter
        .date
        .cmp(&a.matter.date)
        .then_with(|| a.file.display.cmp(&b.file.display))
}

/// The errors the site will have once its `scheduled` articles are published (a URL, or a
/// name of a taxonomy, two articles share), those it has already among them: the build that
/// publishes them may run on a timer with no editor watching, so they are told now.
fn problems_once_published(
    config: &Config,
    published: &[Article],
    scheduled: Vec<Article>,
    sections: &[Section],
) -> Vec<Diagnostic> {
    if scheduled.is_empty() {
        return Vec::new();
    }
    let mut all: Vec<Article> = published.iter().cloned().chain(scheduled).collect();
    all.sort_by(|a, b| newest_first(&a.source, &b.source));
    let mut then = Vec::new();
    check_unique_paths(config, &all, sections, &mut then);
    for taxonomy in &mut taxonomy::from_config(config) {
        taxonomy::build(taxonomy, &all, &mut then);
    }
    then.retain(|problem| problem.severity == Severity::Error);
    then
}

fn build_sections(
    config: &Config,
    mut loaded: Vec<LoadedSection>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    // Parents sort before children, and the home page (empty dir) first.
    loaded.sort_by(|a, b| a.dir.cmp(&b.dir));
    let mut sections: Vec<Section> = Vec::with_capacity(loaded.len());
    let mut index_of_dir: HashMap<PathBuf, usize> = HashMap::new();
    for section in loaded {
        let parent = section
            .dir
            .ancestors()
            .skip(1)
            .find_map(|dir| index_of_dir.get(dir).copied());
        let key = match section_key(&section.dir) {
            Ok(key) => key,
            Err(problem) => {
                let file = section
                    .file
                    .as_ref()
                    .map_or(PathBuf::from("content"), |f| f.display.clone());
                diagnostics.push(
                    Diagnostic::error(&file, 1, 1, problem)
                        .with_help("rename the folder with letters, digits and `-`"),
                );
                continue;
            }
        };
        let is_home = section.dir.as_os_str().is_empty();
        let fallback_title = if is_home {
            config.title.clone()
        } else {
            section
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        index_of_dir.insert(section.dir.clone(), sections.len());
        sections.push(Section {
            path: if is_home {
                "/".to_string()
            } else {
                format!("/{key}/")
            },
            key,
            dir: section.dir,
            title: section.matter.title.clone().unwrap_or(fallback_title),
            description: section.matter.description.clone(),
            weight: section.matter.weight,
            page_size: section.matter.page_size.unwrap_or(config.page_size),
            sort_by_title: section.matter.sort_by_title,
            parent: if is_home { None } else { parent.or(Some(0)) },
            body: section.body,
            body_line: section.body_line,
            file: section.file,
            articles: Vec::new(),
            extra: section.matter.extra,
        });
    }
    sections
}

fn section_key(dir: &Path) -> Result<String, String> {
    let mut words = Vec::new();
    for part in dir.components() {
        let name = part.as_os_str().to_string_lossy();
        words.push(slugify(&name).map_err(|e| format!("section folder: {e}"))?);
    }
    Ok(words.join("/"))
}

/// The nearest folder above the article that is a section.
fn owning_section(dir: &Path, bundle: bool, section_of_dir: &HashMap<PathBuf, usize>) -> usize {
    let start = if bundle {
        dir.parent().unwrap_or(Path::new(""))
    } else {
        dir
    };
    start
        .ancestors()
        .find_map(|d| section_of_dir.get(d).copied())
        .unwrap_or(0)
}

/// Whether `path` has the form of a list's later page below the URL `word`
/// (`/thoi-su/trang/2/`); an article named "Trang" (`/thoi-su/2024/04/trang/`) does not.
fn is_list_page(path: &str, word: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(2).any(|pair| {
        pair[0] == word && !pair[1].is_empty() && pair[1].bytes().all(|b| b.is_ascii_digit())
    })
}

/// Fills the permalink pattern: `/:section/:year/:month/:slug/` → `/thoi-su/2024/04/ky-ket/`.
pub fn permalink(pattern: &str, section_key: &str, date: VnDate, slug: &str) -> String {
    let path = pattern
        .replace(":section", section_key)
        .replace(":year", &format!("{:04}", date.year()))
        .replace(":month", &format!("{:02}", date.month()))
        .replace(":day", &format!("{:02}", date.day()))
        .replace(":slug", slug);
    crate::load::photos::single_slashes(&path)
}

/// Related lists change only when articles move, appear, go, or change terms or section.
fn cached_related(
    articles: &[Article],
    taxonomies: &[Taxonomy],
    cache: &mut AssembleCache,
) -> Vec<Vec<usize>> {
    use std::hash::{Hash, Hasher};
    let mut hasher = crate::hash::hasher();
    for (index, article) in articles.iter().enumerate() {
        (&article.path, article.section).hash(&mut hasher);
        for taxonomy in taxonomies {
            taxonomy.of_article[index].hash(&mut hasher);
        }
    }
    let key = hasher.finish();
    match &cache.related {
        Some((cached_key, related)) if *cached_key == key => related.clone(),
        _ => {
            let related = related::build(articles, taxonomies);
            cache.related = Some((key, related.clone()));
            related
        }
    }
}

/// Where a page comes from in its file: a known position, or the first of some front matter
/// keys, read again from the file only when the page is reported (rarely).
#[derive(Clone, Copy)]
enum Located<'a> {
    At(usize, usize),
    Key(&'a Path, &'static [&'static str]),
}

impl Located<'_> {
    fn position(self) -> (usize, usize) {
        match self {
            Located::At(line, column) => (line, column),
            Located::Key(file, keys) => crate::load::key_position(file, keys),
        }
    }
}

/// Two pages with one URL would overwrite each other: report both. Aliases count as pages.
fn check_unique_paths(
    config: &Config,
    articles: &[Article],
    sections: &[Section],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Each with what it is, where bantin.yaml sets it, and the key that does.
    let reserved: Vec<(&str, String, (usize, usize), &str)> = config
        .taxonomies
        .iter()
        .map(|t| {
            let what = format!("the {} pages under {}", t.field.key(), t.path);
            (t.path.as_str(), what, t.path_at, "path")
        })
        .chain([(
            config.archive_path.as_str(),
            format!("the date archive under {}", config.archive_path),
            config.archive_path_at,
            "archive_path",
        )])
        .chain(config.search.then(|| {
            let path = config.search_path.as_str();
            let what = format!("the search page {path}");
            (path, what, config.search_path_at, "search_path")
        }))
        .collect();
    // A list path of bantin.yaml over a section's folder is one mistake, in bantin.yaml, not
    // one for every article of the section.
    let (clashing, reserved): (Vec<_>, Vec<_>) = reserved.into_iter().partition(|(prefix, ..)| {
        sections
            .iter()
            .any(|s| s.path != "/" && s.path.starts_with(prefix))
    });
    for (prefix, what, (line, column), key) in clashing {
        let section = sections.iter().find(|s| s.path.starts_with(prefix));
        let message = format!(
            "{what} would take the URLs of the section {}",
            section.map_or(prefix, |s| s.path.as_str())
        );
        let help = format!("give it another `{key}:` in bantin.yaml (a path of URL words between slashes, e.g. \"/chu-de/\")");
        let file = Path::new(crate::config::CONFIG_FILE);
        diagnostics.push(Diagnostic::error(file, line, column, message).with_help(help));
    }
    let section_pages = sections.iter().map(|s| {
        let file = s
            .file
            .as_ref()
            .map_or(Path::new("content"), |f| f.display.as_path());
        (s.path.as_str(), file, Located::At(1, 1))
    });
    let article_pages = articles.iter().flat_map(|a| {
        let file = a.source.file.display.as_path();
        let aliases = a.source.matter.aliases.iter().map(move |alias| {
            (
                alias.path.as_str(),
                file,
                Located::At(alias.line, alias.column),
            )
        });
        let page = Located::Key(&a.source.file.path, &["slug", "title"]);
        std::iter::once((a.path.as_str(), file, page)).chain(aliases)
    });
    let mut owner: ahash::AHashMap<String, &Path> =
        ahash::AHashMap::with_capacity(articles.len() + sections.len());
    for (path, file, located) in section_pages.chain(article_pages) {
        // By output file: an alias may name a page's file (`/thoi-su/index.html`).
        let output = output_file(path);
        let clash = owner
            .get(&output)
            .map(|other| other.display().to_string())
            .or_else(|| {
                let reserved_by = reserved
                    .iter()
                    .find(|(prefix, ..)| path.starts_with(prefix));
                reserved_by.map(|(_, what, ..)| what.clone()).or_else(|| {
                    let word = &config.paginate_path;
                    is_list_page(path, word)
                        .then(|| format!("the numbered list pages (/{word}/N/)"))
                })
            });
        match clash {
            Some(other) => {
                let (line, column) = located.position();
                diagnostics.push(
                Diagnostic::error(
                    file,
                    line,
                    column,
                    format!(
                        "two pages have the URL {path}: {} and {other}",
                        file.display()
                    ),
                )
                .with_help(
                    "give one of them another `slug:`, or rename its file or folder; an alias that names a page must change",
                ),
            );
            }
            None => {
                owner.insert(output, file);
            }
        }
    }
}

/// The front matter photos of published articles that lie in a draft's or scheduled article's
/// bundle: their pages would show broken images.
fn unpublished_photos(articles: &[Article], unpublished: &[String]) -> Vec<Diagnostic> {
    if unpublished.is_empty() {
        return Vec::new();
    }
    let photos = articles.iter().flat_map(|article| {
        let file = &article.source.file.display;
        article.source.photos.iter().map(move |photo| (file, photo))
    });
    photos
        .filter_map(|(file, photo)| {
            let folder = unpublished_folder(&photo.found.source, unpublished)?;
            let subject = format!("photo `{}` is in", photo.matter.src);
            let (message, help) = unpublished_file_problem(&subject, folder);
            let (line, column) = (photo.matter.line, photo.matter.column);
            Some(Diagnostic::error(file, line, column, message).with_help(help))
        })
        .collect()
}

/// The photos of an article as pages show them, and the smaller copies to make of them: the
/// lead photo's list thumbnail, every photo's medium copy. `copied` are the site paths of the
/// content files the site publishes: a photo of `content/` gets copies only if it is one of
/// them (not one in a draft's bundle, which a page may name but the site does not publish),
/// and only where none of them is.
fn article_photos(
    config: &Config,
    bundles: &HashMap<PathBuf, String>,
    copied: &HashSet<&str>,
    article: &Article,
) -> (Vec<Photo>, Vec<OutputAsset>) {
    let mut assets = Vec::new();
    let photos = (article.source.photos.iter().enumerate())
        .map(|(index, photo)| {
            let url = photo_url(config, bundles, &article.path, &photo.found.source);
            let caption = photo.matter.caption.clone();
            let mut copy = |width: u32| {
                let published = Some(copied);
                let (copy, asset) = smaller_copy(
                    config,
                    bundles,
                    published,
                    &article.path,
                    &photo.found,
                    width,
                )?;
                assets.push(asset);
                Some(copy)
            };
            let thumbnail = (index == 0).then(|| copy(THUMBNAIL_WIDTH)).flatten();
            let medium = copy(MEDIUM_WIDTH);
            Photo {
                url,
                thumbnail,
                medium,
                alt: photo
                    .matter
                    .alt
                    .clone()
                    .or_else(|| caption.clone())
                    .unwrap_or_else(|| article.source.matter.title.clone()),
                caption,
                credit: photo.matter.credit.clone(),
                bytes: photo.found.bytes,
                width: photo.found.size.map(|s| s.0),
                height: photo.found.size.map(|s| s.1),
            }
        })
        .collect();
    (photos, assets)
}

/// The copy `width` pixels wide of a photo shown on the page at `page_path`, and the file to
/// make: none with `thumbnails: false`, for a photo of another site, or for one `plan` leaves
/// as it is. With `published` (the site paths of the content files the site publishes), a
/// photo of `content/` must be one of them, and the copy's path none of them.
pub fn smaller_copy(
    config: &Config,
    bundles: &HashMap<PathBuf, String>,
    published: Option<&HashSet<&str>>,
    page_path: &str,
    photo: &FoundPhoto,
    width: u32,
) -> Option<(Thumbnail, OutputAsset)> {
    if !config.thumbnails {
        return None;
    }
    let source = &photo.source;
    let path = published_photo(bundles, page_path, source)?;
    let in_content = !matches!(source, PhotoSource::Site(_));
    let unpublished = |path: &str| published.is_some_and(|files| !files.contains(path));
    if in_content && unpublished(&path) {
        return None;
    }
    let planned = thumbnails::plan(photo, &path, width, |path| config.absolute(&url_path(path)));
    let taken = |path: &str| published.is_some_and(|files| files.contains(path));
    planned.filter(|(_, asset)| !taken(&asset.to))
}

/// The absolute URL of a photo of the article at `article_path`.
pub fn photo_url(
    config: &Config,
    bundles: &HashMap<PathBuf, String>,
    article_path: &str,
    source: &PhotoSource,
) -> String {
    match (source, published_photo(bundles, article_path, source)) {
        (PhotoSource::External(url), _) => url.clone(),
        (_, published) => config.absolute(&url_path(&published.unwrap_or_default())),
    }
}

/// The site path of a photo of the article at `article_path` (`/tin/2024/04/bai/anh.jpg`);
/// none for a photo of another web site.
fn published_photo(
    bundles: &HashMap<PathBuf, String>,
    article_path: &str,
    source: &PhotoSource,
) -> Option<String> {
    match source {
        PhotoSource::Bundle(inside) => Some(format!("{article_path}{inside}")),
        PhotoSource::Content(relative) => Some(published_path(bundles, Path::new(relative))),
        PhotoSource::Site(path) => Some(path.clone()),
        PhotoSource::External(_) => None,
    }
}

fn fill_section_lists(sections: &mut [Section], articles: &[Article]) {
    for (index, article) in articles.iter().enumerate() {
        let mut section = Some(article.section);
        while let Some(s) = section {
            sections[s].articles.push(index);
            section = sections[s].parent;
        }
    }
    for section in sections.iter_mut().filter(|s| s.sort_by_title) {
        section
            .articles
            .sort_by_cached_key(|&i| collation_key(&articles[i].source.matter.title));
    }
}

/// A site path as it goes into a URL: bytes other than letters, digits and the marks URLs
/// allow in paths are percent-encoded (`ảnh hội nghị.jpg` → `%E1%BA%A3nh%20h%E1%BB%99i…`),
/// so that feeds, JSON-LD and Open Graph readers get a valid address. File names keep their
/// letters; servers decode the URL back to them.
pub fn url_path(path: &str) -> std::borrow::Cow<'_, str> {
    let kept = |byte: u8| byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
    if path.bytes().all(kept) {
        return path.into();
    }
    let mut encoded = String::with_capacity(path.len() * 3);
    for byte in path.bytes() {
        match kept(byte) {
            true => encoded.push(char::from(byte)),
            false => {
                let _ = write!(encoded, "%{byte:02X}");
            }
        }
    }
    encoded.into()
}

/// A URL path decoded (`bao%20cao.pdf` → `bao cao.pdf`); none when an escape is broken or
/// the bytes are not UTF-8.
pub fn url_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn bundle_paths(articles: &[Article]) -> HashMap<PathBuf, String> {
    articles
        .iter()
        .filter(|a| a.source.bundle)
        .map(|a| (a.source.dir.clone(), a.path.clone()))
        .collect()
}

/// Where a file below `content/` (`relative`, NFC) is published: in an article bundle, under
/// the article's URL (`…/hoà-bình/anh.jpg` → `/thoi-su/2024/04/hoa-binh/anh.jpg`); elsewhere
/// at its own path.
pub fn published_path(bundles: &HashMap<PathBuf, String>, relative: &Path) -> String {
    let bundle = relative
        .ancestors()
        .skip(1)
        .find_map(|dir| Some((dir, bundles.get(dir)?)));
    match bundle {
        Some((dir, article)) => {
            let inside = relative.strip_prefix(dir).unwrap_or(relative);
            format!("{article}{}", crate::load::photos::slash(inside))
        }
        None => format!("/{}", crate::load::photos::slash(relative)),
    }
}

fn output_assets(
    assets: &[crate::load::Asset],
    bundles: &HashMap<PathBuf, String>,
) -> Vec<OutputAsset> {
    assets
        .par_iter()
        .map(|asset| OutputAsset {
            from: asset.path.clone(),
            to: published_path(bundles, Path::new(&asset.relative)),
            scaled_to: None,
        })
        .collect()
}

fn link_map(articles: &[Article], sections: &[Section]) -> HashMap<String, String> {
    let mut links: HashMap<String, String> = articles
        .iter()
        .map(|a| (a.source.file.content_relative(), a.path.clone()))
        .collect();
    for section in sections {
        if let Some(file) = &section.file {
            links.insert(file.content_relative(), section.path.clone());
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_are_percent_encoded_beyond_ascii_and_spaces() {
        assert_eq!(
            url_path("/thoi-su/2024/04/ky-ket/anh-1.jpg"),
            "/thoi-su/2024/04/ky-ket/anh-1.jpg"
        );
        assert_eq!(
            url_path("/a/ảnh hội.jpg"),
            "/a/%E1%BA%A3nh%20h%E1%BB%99i.jpg"
        );
        assert_eq!(url_path("/a/100%.png"), "/a/100%25.png");
    }

    #[test]
    fn only_numbered_pages_are_list_pages() {
        assert!(is_list_page("/thoi-su/trang/2/", "trang"));
        assert!(is_list_page("/trang/12/index.html", "trang"));
        assert!(!is_list_page("/thoi-su/2026/11/trang/", "trang"));
        assert!(!is_list_page("/trang/gioi-thieu.html", "trang"));
        assert!(!is_list_page("/thoi-su/trang-chu/2/", "trang"));
    }

    #[test]
    fn permalink_placeholders() {
        let date = crate::vi::parse_date("2024-04-05 08:00").unwrap();
        let slug = "hoi-nghi-giao-ban-quy-2";
        assert_eq!(
            permalink("/:section/:year/:month/:slug/", "thoi-su", date, slug),
            "/thoi-su/2024/04/hoi-nghi-giao-ban-quy-2/"
        );
        assert_eq!(
            permalink("/:section/:year/:month/:day/:slug/", "", date, slug),
            "/2024/04/05/hoi-nghi-giao-ban-quy-2/"
        );
        assert_eq!(
            permalink("/:slug/", "thoi-su", date, slug),
            "/hoi-nghi-giao-ban-quy-2/"
        );
    }
}
