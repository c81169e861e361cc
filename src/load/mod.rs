//! Load stage: walk `content/`, read every file (NFC), split and check front matter, find photos.

mod body;
mod front_matter;
pub mod photos;

pub use body::Body;
pub use front_matter::key_position;
pub use front_matter::split as split_front_matter;

pub use front_matter::{Alias, ArticleMatter, PhotoMatter, SectionMatter, SourceMatter};
pub use photos::{FoundPhoto, PhotoRoots, PhotoSource};

use crate::diagnostics::{line_column, Diagnostic};
use crate::stop::stop_requested;
use crate::vi::{nfc, VnDate};
use crate::yaml::YamlDoc;
use ahash::AHashSet;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file of the site: where it is and how to name it in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Relative to the site root, e.g. `content/thoi-su/2024/04/bai.md`.
    pub display: PathBuf,
}

impl SourceFile {
    /// Its path below `content/` as links name it: `/`-separated, in NFC (the file on disk
    /// may be named in NFD).
    pub fn content_relative(&self) -> String {
        self.display
            .strip_prefix("content")
            .map(|relative| nfc(&photos::slash(relative)))
            .unwrap_or_default()
    }
}

/// A section folder (one with `_index.md`), or the home page (`dir` empty).
#[derive(Debug, Clone)]
pub struct LoadedSection {
    /// Folder relative to `content/`, NFC.
    pub dir: PathBuf,
    pub file: Option<SourceFile>,
    pub matter: SectionMatter,
    pub body: String,
    pub body_line: usize,
}

/// A photo of the front matter, found on disk.
#[derive(Debug, Clone)]
pub struct LoadedPhoto {
    pub matter: PhotoMatter,
    pub found: FoundPhoto,
}

#[derive(Debug, Clone)]
pub struct LoadedArticle {
    pub file: SourceFile,
    /// The folder relative to `content/` that relative photo and link paths start from.
    pub dir: PathBuf,
    /// The article is `index.md` of a bundle folder: files beside it are its own.
    pub bundle: bool,
    /// The URL word: front matter `slug`, else the file (or bundle folder) name.
    pub slug: String,
    /// A hash of the file's text: tells `serve` whether pages showing it must change.
    pub text_hash: u64,
    pub matter: ArticleMatter,
    pub photos: Vec<LoadedPhoto>,
    /// Read it with `body_text`.
    pub body: Body,
    pub body_line: usize,
}

impl LoadedArticle {
    /// The Markdown body: as loaded, or read from the file again if the build let it go.
    pub fn body_text(&self) -> Result<Arc<str>, Diagnostic> {
        if let Some(text) = self.body.read() {
            return Ok(text);
        }
        let changed = || {
            Diagnostic::error(
                &self.file.display,
                1,
                1,
                "the file changed while the site was being built",
            )
            .with_help("build again")
        };
        let text = read_text(&self.file)
            .map_err(|found| found.into_iter().next().unwrap_or_else(changed))?;
        if hash_text(&text) != self.text_hash {
            return Err(changed());
        }
        match front_matter::split(&text) {
            Ok(Some(split)) => Ok(split.body.into()),
            _ => Err(changed()),
        }
    }
}

/// A file under `content/` that is not Markdown, copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: PathBuf,
    /// Relative to `content/`, NFC, with `/` separators.
    pub relative: String,
}

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub sections: Vec<LoadedSection>,
    /// Shared, so that `serve` can keep unchanged articles between rebuilds.
    pub articles: Vec<Arc<LoadedArticle>>,
    pub assets: Vec<Asset>,
    /// Content-relative paths of Markdown files that have errors: links to them are not
    /// reported again as broken.
    pub failed: Vec<String>,
    /// The bodies of articles left out for errors in their front matter.
    pub failed_bodies: Vec<Arc<FailedBody>>,
    /// Articles dated after the build's moment: left out until a build after their date.
    pub scheduled: Vec<Arc<LoadedArticle>>,
    /// The bundle folders of drafts and scheduled articles (content-relative, `/`-separated,
    /// sorted): their files are not published either.
    pub unpublished_bundles: Vec<String>,
}

/// The body of an article left out for errors in its front matter (or its photos): its links
/// and photos are checked all the same, so one build names every problem of the file.
#[derive(Debug, Clone)]
pub struct FailedBody {
    pub file: SourceFile,
    /// The folder relative to `content/` that relative photo and link paths start from.
    pub dir: PathBuf,
    pub bundle: bool,
    pub text: Arc<str>,
    pub line: usize,
}

/// Why a file was left out: its problems, and the body of an article, when it has one.
type Failure = (Vec<Diagnostic>, Option<Arc<FailedBody>>);

/// Where a site's files are.
#[derive(Clone)]
pub struct SiteDirs {
    pub root: PathBuf,
    pub content: PathBuf,
    pub statics: PathBuf,
    pub theme: PathBuf,
    /// The theme's `static/`.
    pub theme_static: PathBuf,
    /// The site's own `templates/`: a template there replaces the theme's of that name.
    pub templates: PathBuf,
    /// Where list thumbnails are kept from one build to the next.
    pub thumbnails: PathBuf,
}

impl SiteDirs {
    pub fn new(root: &Path, theme: &str) -> SiteDirs {
        let theme = root.join("themes").join(theme);
        SiteDirs {
            root: root.to_path_buf(),
            content: root.join("content"),
            statics: root.join("static"),
            theme_static: theme.join("static"),
            templates: root.join("templates"),
            thumbnails: root.join(".bantin-cache").join("thumbnails"),
            theme,
        }
    }

    /// Where photos are looked up: `content/`, then `static/` of the site and of the theme.
    pub fn photo_roots(&self) -> PhotoRoots<'_> {
        PhotoRoots {
            content: &self.content,
            statics: [&self.statics, &self.theme_static],
        }
    }

    /// Whether `path` lies in `static/` of the site or of the theme.
    pub fn is_static(&self, path: &Path) -> bool {
        path.starts_with(&self.statics) || path.starts_with(&self.theme_static)
    }

    fn display(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }
}

enum Kind {
    Section,
    Article {
        bundle: bool,
    },
    Asset,
    /// A Markdown file inside an article bundle (below the folder of an `index.md`): neither
    /// an article nor a file to publish as it is.
    InBundle(PathBuf),
    /// A Markdown file whose name bantin does not read as one (`bai.MD`, `bai.markdown`,
    /// `bai.md.txt`, `Index.md`), with the name it should have.
    Misnamed(String),
}

/// What one file of `content/` gave: a section, an article, an asset, nothing (a draft), or
/// its problems.
#[derive(Debug, Clone)]
pub enum FileResult {
    Section(LoadedSection),
    Article(Arc<LoadedArticle>),
    Asset(Asset),
    Draft,
    Failed(Vec<Diagnostic>, Option<Arc<FailedBody>>),
}

/// Reads the whole `content/` folder. Drafts are dropped unless `drafts` is set; articles dated
/// after `until` are scheduled (with `None`, none is). Every problem of every file is
/// returned, beside what could be read, so later stages can find more.
pub fn load(dirs: &SiteDirs, drafts: bool, until: Option<VnDate>) -> (Loaded, Vec<Diagnostic>) {
    with_readers(|| {
        let (files, mut diagnostics) = walk_files(dirs);
        let bundles = bundle_dirs(files.iter().map(|(rel, _)| rel.as_path()));
        // Ctrl-C: the files not read yet are left, and the build stops (see `crate::stop`).
        let results: Option<Vec<FileResult>> = files
            .par_iter()
            .map(|(rel, path)| {
                (!stop_requested()).then(|| load_file(dirs, rel, path, &bundles, drafts))
            })
            .collect();
        let Some(results) = results else {
            return (Loaded::default(), diagnostics);
        };
        let results = files.iter().map(|(rel, _)| rel.as_path()).zip(&results);
        let (loaded, found) = merge(results, until);
        diagnostics.extend(found);
        (loaded, diagnostics)
    })
}

/// Threads reading the site's files. Reading waits on the disk far more than it computes when
/// the files are not cached (a fresh checkout in CI, a cold cache): more reads in flight than
/// cores keep the disk busy.
const READERS: usize = 8;

/// Runs `work` with `READERS` threads for its parallel iterators.
fn with_readers<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new().num_threads(READERS).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// The folders that are article bundles (they hold an `index.md`).
pub fn bundle_dirs<'a>(files: impl Iterator<Item = &'a Path>) -> AHashSet<PathBuf> {
    files
        .filter(|rel| rel.file_name().is_some_and(|n| n == "index.md"))
        .filter_map(|rel| rel.parent().map(Path::to_path_buf))
        .collect()
}

/// Reads one file of `content/` (`rel` is its NFC path there, `path` the real one).
pub fn load_file(
    dirs: &SiteDirs,
    rel: &Path,
    path: &Path,
    bundles: &AHashSet<PathBuf>,
    drafts: bool,
) -> FileResult {
    let file = SourceFile {
        path: path.to_path_buf(),
        display: dirs.display(path),
    };
    let roots = dirs.photo_roots();
    let problems = |found| (found, None);
    let result: Result<FileResult, Failure> = match classify(rel, bundles) {
        Kind::Section => read_section(rel, file)
            .map(FileResult::Section)
            .map_err(problems),
        Kind::Article { bundle } => read_article(rel, file, bundle, &roots, drafts)
            .map(|a| a.map_or(FileResult::Draft, |a| FileResult::Article(Arc::new(a)))),
        Kind::InBundle(bundle) => Err(problems(vec![in_bundle_error(&file, &bundle)])),
        Kind::Misnamed(name) => Err(problems(vec![misnamed_error(&file, &name)])),
        Kind::Asset => Ok(FileResult::Asset(Asset {
            path: path.to_path_buf(),
            relative: photos::slash(rel),
        })),
    };
    result.unwrap_or_else(|(found, body)| FileResult::Failed(found, body))
}

/// Puts the files' results together, in the order given, each with its path relative to
/// `content/`, setting aside the articles dated after `until`; the home section is added if no
/// `content/_index.md` exists.
pub fn merge<'a>(
    results: impl Iterator<Item = (&'a Path, &'a FileResult)>,
    until: Option<VnDate>,
) -> (Loaded, Vec<Diagnostic>) {
    let results: Vec<(&Path, &FileResult)> = results.collect();
    let scheduled =
        |article: &LoadedArticle| until.is_some_and(|until| article.matter.date > until);
    // A draft's photos are as unpublished as its text, and so are a scheduled article's.
    let unpublished_bundles: AHashSet<&Path> = results
        .iter()
        .filter(|(rel, result)| {
            let unpublished = match result {
                FileResult::Draft => true,
                FileResult::Article(article) => scheduled(article),
                _ => false,
            };
            unpublished && rel.file_name().is_some_and(|n| n == "index.md")
        })
        .filter_map(|(rel, _)| rel.parent())
        .collect();
    let in_unpublished_bundle = |rel: &Path| {
        !unpublished_bundles.is_empty()
            && rel.ancestors().any(|dir| unpublished_bundles.contains(dir))
    };
    let mut loaded = Loaded::default();
    let mut diagnostics = Vec::new();
    for (rel, result) in results {
        match result {
            FileResult::Section(section) => loaded.sections.push(section.clone()),
            FileResult::Article(article) if scheduled(article) => {
                loaded.scheduled.push(Arc::clone(article));
            }
            FileResult::Article(article) => loaded.articles.push(Arc::clone(article)),
            FileResult::Asset(_) if in_unpublished_bundle(rel) => {}
            FileResult::Asset(asset) => loaded.assets.push(asset.clone()),
            FileResult::Draft => {}
            FileResult::Failed(found, body) => {
                diagnostics.extend(found.iter().cloned());
                loaded.failed.push(photos::slash(rel));
                loaded.failed_bodies.extend(body.iter().cloned());
            }
        }
    }
    loaded.unpublished_bundles = unpublished_bundles
        .iter()
        .map(|d| photos::slash(d))
        .collect();
    loaded.unpublished_bundles.sort();
    if !loaded.sections.iter().any(|s| s.dir.as_os_str().is_empty()) {
        loaded.sections.push(LoadedSection {
            dir: PathBuf::new(),
            file: None,
            matter: SectionMatter::default(),
            body: String::new(),
            body_line: 1,
        });
    }
    (loaded, diagnostics)
}

/// Reads only the sections (`_index.md` files), skipping those with errors: for commands
/// that need the site's structure without its articles.
pub fn load_sections(dirs: &SiteDirs) -> Vec<LoadedSection> {
    let (files, _) = walk(dirs);
    files
        .iter()
        .filter(|(rel, _)| rel.file_name().is_some_and(|n| n == "_index.md"))
        .filter_map(|(rel, path)| {
            let file = SourceFile {
                path: path.clone(),
                display: dirs.display(path),
            };
            read_section(rel, file).ok()
        })
        .collect()
}

/// Lists the files of `content/` (relative NFC path, real path), sorted, skipping hidden files.
pub fn walk(dirs: &SiteDirs) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
    with_readers(|| walk_files(dirs))
}

/// `walk`, in the thread pool it runs in.
fn walk_files(dirs: &SiteDirs) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
    // Sections and years first, then the folders below them in parallel: on a cold cache
    // every folder read waits on the disk.
    let mut top = walk_below(dirs, &dirs.content, Some(PARALLEL_DEPTH));
    let below: Vec<Walked> = top
        .folders
        .par_iter()
        .map(|folder| walk_below(dirs, folder, None))
        .collect();
    for walked in below {
        top.files.extend(walked.files);
        top.diagnostics.extend(walked.diagnostics);
    }
    // Component by component, as a depth-first walk sorted by name would list them.
    top.files.sort_by(|a, b| a.1.cmp(&b.1));
    (top.files, top.diagnostics)
}

/// How deep the walk goes before the folders below are walked in parallel.
const PARALLEL_DEPTH: usize = 2;

/// What a walk of part of `content/` found.
struct Walked {
    files: Vec<(PathBuf, PathBuf)>,
    diagnostics: Vec<Diagnostic>,
    /// Folders at the depth limit, not walked.
    folders: Vec<PathBuf>,
}

/// The files below `from`, and the folders at `depth_limit` when there is one.
fn walk_below(dirs: &SiteDirs, from: &Path, depth_limit: Option<usize>) -> Walked {
    let mut walked = Walked {
        files: Vec::new(),
        diagnostics: Vec::new(),
        folders: Vec::new(),
    };
    let walker = walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .max_depth(depth_limit.unwrap_or(usize::MAX))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(from).to_path_buf();
                walked.diagnostics.push(Diagnostic::error(
                    &dirs.display(&path),
                    1,
                    1,
                    format!("cannot read: {error}"),
                ));
                continue;
            }
        };
        if entry.file_type().is_dir() && Some(entry.depth()) == depth_limit {
            walked.folders.push(entry.into_path());
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(&dirs.content)
            .unwrap_or(entry.path());
        match relative.to_str() {
            Some(name) => walked
                .files
                .push((PathBuf::from(nfc(name)), entry.path().to_path_buf())),
            None => walked.diagnostics.push(
                Diagnostic::error(
                    &dirs.display(entry.path()),
                    1,
                    1,
                    "the file name is not valid UTF-8",
                )
                .with_help("rename the file using letters, digits and `-` only"),
            ),
        }
    }
    walked
}

/// Editors' backup and swap files, and hidden files: never part of the site.
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    let emacs_autosave = name.starts_with('#') && name.ends_with('#');
    // Vim writes and removes a file named 4913 to test that it may write the folder.
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || emacs_autosave
        || name == "4913"
}

fn classify(rel: &Path, bundle_dirs: &AHashSet<PathBuf>) -> Kind {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some(proper) = markdown_name(name) {
        return Kind::Misnamed(proper);
    }
    if !name.ends_with(".md") {
        return Kind::Asset;
    }
    // A bundle's own `index.md` is in its folder; any other Markdown file below it is not.
    let own_folders = if name == "index.md" { 2 } else { 1 };
    let bundle = rel
        .ancestors()
        .skip(own_folders)
        .find(|dir| bundle_dirs.contains(*dir));
    match (name, bundle) {
        (_, Some(bundle)) => Kind::InBundle(bundle.to_path_buf()),
        ("_index.md", None) => Kind::Section,
        ("index.md", None) => Kind::Article { bundle: true },
        (_, None) => Kind::Article { bundle: false },
    }
}

/// The name a Markdown file should have, when its own would have it published as it is
/// (`bai.MD`, `bai.markdown`, `bai.md.txt` saved by Notepad) or as an article named "index".
fn markdown_name(name: &str) -> Option<String> {
    let stem = [".md.txt", ".markdown", ".mdown", ".md"]
        .iter()
        .find_map(|extension| {
            let at = name.len().checked_sub(extension.len())?;
            let tail = name.get(at..)?;
            tail.eq_ignore_ascii_case(extension).then(|| &name[..at])
        })?;
    let proper = match stem.to_lowercase().as_str() {
        "index" | "_index" => format!("{}.md", stem.to_lowercase()),
        _ => format!("{stem}.md"),
    };
    (proper != name).then_some(proper)
}

fn misnamed_error(file: &SourceFile, proper: &str) -> Diagnostic {
    let name = file
        .display
        .file_name()
        .unwrap_or_default()
        .to_string_lossy();
    Diagnostic::error(
        &file.display,
        1,
        1,
        format!(
            "`{name}` is not read as an article: bantin reads Markdown files named *.md \
             (and index.md, _index.md in lower case), and would publish this one as it is"
        ),
    )
    .with_help(format!("rename it to {proper}"))
}

/// Why a Markdown file below an article bundle is refused: its bundle would have published
/// it as it is, front matter, drafts and all.
fn in_bundle_error(file: &SourceFile, bundle: &Path) -> Diagnostic {
    let folder = Path::new("content").join(bundle);
    let folder = format!("{}/", photos::slash(&folder));
    Diagnostic::error(
        &file.display,
        1,
        1,
        format!(
            "this Markdown file is inside {folder}, the folder of the article {folder}index.md, \
             whose files are that article's photos and attachments"
        ),
    )
    .with_help(format!(
        "move it out of {folder}; if {folder} is meant to be a section, rename its index.md to _index.md"
    ))
}

/// Reads a file as NFC text; a non-UTF-8 file is an error at its first bad byte.
pub fn read_text(file: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(&file.path).map_err(|error| {
        vec![Diagnostic::error(
            &file.display,
            1,
            1,
            format!("cannot read the file: {error}"),
        )]
    })?;
    // Vietnamese text is a quarter multi-byte: std's check takes its slow path on nearly every
    // letter, simdutf8's checks 32 bytes at a time. Copying the checked text costs less than
    // std checking it again.
    match simdutf8::compat::from_utf8(&bytes) {
        Ok(text) => Ok(crate::vi::clean(text.to_owned())),
        Err(error) => {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            let (line, column) = line_column(valid, valid.len());
            Err(vec![Diagnostic::error(
                &file.display,
                line,
                column,
                "the file is not UTF-8 text",
            )
            .with_help(
                "save it as UTF-8 in your editor (Notepad: File › Save as › Encoding: UTF-8)",
            )])
        }
    }
}

fn front_matter_error(file: &SourceFile, error: Diagnostic) -> Vec<Diagnostic> {
    vec![Diagnostic {
        file: file.display.clone(),
        ..error
    }]
}

fn read_section(rel: &Path, file: SourceFile) -> Result<LoadedSection, Vec<Diagnostic>> {
    let text = read_text(&file)?;
    let dir = rel.parent().map(Path::to_path_buf).unwrap_or_default();
    let split = front_matter::split(&text).map_err(|e| front_matter_error(&file, e))?;
    let Some(split) = split else {
        return Ok(LoadedSection {
            dir,
            file: Some(file),
            matter: SectionMatter::default(),
            body: text.clone(),
            body_line: 1,
        });
    };
    let (mut doc, map) = YamlDoc::parse(&file.display, &text, split.yaml, split.yaml_line);
    let matter = map.map(|m| front_matter::read_section(&mut doc, &m));
    if !doc.diagnostics.is_empty() {
        return Err(doc.diagnostics);
    }
    Ok(LoadedSection {
        dir,
        matter: matter.unwrap_or_default(),
        body: split.body.to_string(),
        body_line: split.body_line,
        file: Some(file),
    })
}

fn read_article(
    rel: &Path,
    file: SourceFile,
    bundle: bool,
    roots: &PhotoRoots,
    drafts: bool,
) -> Result<Option<LoadedArticle>, Failure> {
    let text = read_text(&file).map_err(|found| (found, None))?;
    let split = front_matter::split(&text).map_err(|e| (front_matter_error(&file, e), None))?;
    let Some(split) = split else {
        // Empty lines above the opening --- hide it: it must be the file's first line.
        let first_written = text.lines().position(|line| !line.trim().is_empty());
        let opening =
            first_written.filter(|&at| text.lines().nth(at).map(str::trim_end) == Some("---"));
        let problem = match opening {
            Some(at) => Diagnostic::error(
                &file.display,
                at + 1,
                1,
                "the front matter's opening --- is not on the first line",
            )
            .with_help("remove the empty lines above it"),
            None => Diagnostic::error(&file.display, 1, 1, "the article has no front matter")
                .with_help("start the file with:\n---\ntitle: \"Tiêu đề bài viết\"\ndate: 2024-04-10T09:30:00+07:00\n---"),
        };
        return Err((vec![problem], None));
    };
    let dir = rel.parent().map(Path::to_path_buf).unwrap_or_default();
    let failed = |diagnostics: Vec<Diagnostic>| {
        let body = FailedBody {
            file: file.clone(),
            dir: dir.clone(),
            bundle,
            text: split.body.into(),
            line: split.body_line,
        };
        (diagnostics, Some(Arc::new(body)))
    };
    let (mut doc, map) = YamlDoc::parse(&file.display, &text, split.yaml, split.yaml_line);
    let matter = map.and_then(|m| front_matter::read_article(&mut doc, &m));
    let mut diagnostics = doc.diagnostics;
    let Some(matter) = matter else {
        return Err(failed(diagnostics));
    };
    if matter.draft && !drafts {
        return Ok(None);
    }
    let mut photos = Vec::with_capacity(matter.photos.len());
    for photo in &matter.photos {
        match photos::find(&photo.src, &dir, bundle, roots) {
            Ok(found) => photos.push(LoadedPhoto {
                matter: photo.clone(),
                found,
            }),
            Err(problem) => diagnostics.push(
                Diagnostic::error(&file.display, photo.line, photo.column, problem)
                    .with_source(&text)
                    .with_help("check the file name (names are case-sensitive) and put the photo beside the article"),
            ),
        }
    }
    let slug = match file_slug(rel, &matter) {
        Ok(slug) => slug,
        Err(problem) => {
            diagnostics.push(Diagnostic::error(&file.display, 1, 1, problem).with_help(
                "rename the file with letters and digits, or add slug: \"…\" to the front matter",
            ));
            String::new()
        }
    };
    if !diagnostics.is_empty() {
        return Err(failed(diagnostics));
    }
    Ok(Some(LoadedArticle {
        text_hash: hash_text(&text),
        file,
        dir,
        bundle,
        slug,
        photos,
        body: Body::new(split.body),
        body_line: split.body_line,
        matter,
    }))
}

fn hash_text(text: &str) -> u64 {
    crate::hash::hash_of(text)
}

/// The slug of an article: front matter `slug`, else its file name (the folder name for a
/// bundle). File names are unique within a folder, so articles with one title never collide.
fn file_slug(rel: &Path, matter: &ArticleMatter) -> Result<String, String> {
    if let Some(slug) = &matter.slug {
        return Ok(slug.clone());
    }
    let name = if rel.file_name().is_some_and(|n| n == "index.md") {
        rel.parent().and_then(Path::file_name)
    } else {
        rel.file_stem()
    };
    let name = name.and_then(|n| n.to_str()).unwrap_or("");
    crate::vi::slugify(name)
        .or_else(|_| crate::vi::slugify(&matter.title))
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn markdown_files_with_other_names_are_named_right() {
        let cases = [
            ("bai-hoa.MD", Some("bai-hoa.md")),
            ("bai.markdown", Some("bai.md")),
            ("bai4.md.txt", Some("bai4.md")),
            ("Index.md", Some("index.md")),
            ("_INDEX.MD", Some("_index.md")),
            ("Bài Hòa.Md", Some("Bài Hòa.md")),
            ("bai.md", None),
            ("index.md", None),
            ("_index.md", None),
            ("bao-cao.pdf", None),
            ("md", None),
            ("ảnh.txt", None),
        ];
        for (name, proper) in cases {
            assert_eq!(markdown_name(name).as_deref(), proper, "{name}");
        }
    }

    #[test]
    fn editors_leftovers_are_hidden() {
        for name in [
            ".tin.md.swp",
            "tin.md~",
            "#index.md#",
            "4913",
            ".DS_Store",
            "a.tmp",
        ] {
            assert!(is_hidden(OsStr::new(name)), "{name}");
        }
        for name in ["index.md", "anh-4913.jpg", "tin#1.md"] {
            assert!(!is_hidden(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn a_body_let_go_is_read_again_from_its_file_unless_the_file_changed() {
        let root = tempfile::tempdir().unwrap();
        let dirs = SiteDirs::new(root.path(), "mac-dinh");
        let path = dirs.content.join("tin.md");
        std::fs::create_dir_all(&dirs.content).unwrap();
        let front = "---\ntitle: \"Tin\"\ndate: 2024-04-10\n---\n";
        std::fs::write(&path, format!("{front}Thân bài.\n")).unwrap();
        let loaded = load_file(&dirs, Path::new("tin.md"), &path, &AHashSet::new(), false);
        let FileResult::Article(article) = loaded else {
            panic!("not an article");
        };
        article.body.release_after(0);
        assert_eq!(&*article.body_text().unwrap(), "Thân bài.\n");
        std::fs::write(&path, format!("{front}Đã sửa.\n")).unwrap();
        let problem = article.body_text().unwrap_err();
        assert!(problem.message.contains("changed while"), "{problem}");
    }
}
