//! `bantin build`: load → assemble → render → write, into a staging folder swapped in at the end.

use crate::assemble::{assemble, OutputAsset, Site};
use crate::config::Config;
use crate::diagnostics::{sort, Diagnostic, Severity};
use crate::load::{load, SiteDirs};
use crate::render::{convert_bodies, templates, Bodies, Output, Renderer};
use crate::stop::stop_requested;
use crate::vi::VnDate;
use crate::write::{make_copies, prune_thumbnails, Staging};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `public/` in the root.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Also publish articles dated after the build's moment (scheduled ones).
    pub future: bool,
    pub base_url: Option<String>,
    /// The moment of the build (default: `SOURCE_DATE_EPOCH`, else now); it chooses the
    /// articles of the news sitemap, and leaves out those dated after it.
    pub now: Option<VnDate>,
}

impl BuildOptions {
    /// The moment after which articles are scheduled, not published; none with `future`.
    pub fn publish_until(&self) -> Option<VnDate> {
        (!self.future).then(|| self.now.unwrap_or_else(build_time))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    pub files_copied: usize,
    /// List thumbnails written (made, or taken from the cache).
    pub thumbnails: usize,
    pub seconds: f64,
    pub output: PathBuf,
    /// Editorial warnings (`bantin check` lists them).
    pub warnings: usize,
    /// The articles dated after the build, left out until then: file and date, soonest first.
    pub scheduled: Vec<(PathBuf, VnDate)>,
    pub timings: Timings,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the site's files, all of them, sorted.
    #[error("{} in the site's files", crate::diagnostics::count(.0.len(), "problem", "problems"))]
    Site(Vec<Diagnostic>),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    /// The user stopped the build (Ctrl-C); the staging folder was removed.
    #[error("the build was stopped")]
    Stopped,
}

/// How long each stage took, for `--timings`.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, f64)>,
}

impl Timings {
    pub fn lap(&mut self, stage: &'static str, since: &mut Instant) {
        self.stages.push((stage, since.elapsed().as_secs_f64()));
        *since = Instant::now();
    }
}

/// A site read, checked and converted: everything a build needs before rendering pages.
pub struct Prepared {
    pub dirs: SiteDirs,
    pub site: Site,
    pub bodies: Bodies,
    pub tera: tera::Tera,
    /// Editorial warnings found on the way (they do not fail a build).
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

/// Runs load, assemble and the Markdown conversion, collecting every problem of every stage
/// (sorted, when there are errors). Stops between stages once a stop was asked for (Ctrl-C),
/// with no problems.
pub fn prepare(options: &BuildOptions) -> Result<Prepared, Vec<Diagnostic>> {
    let mut timings = Timings::default();
    let mut lap = Instant::now();
    let root = &options.root;
    let mut config = load_config(options)?;
    if let Some(base_url) = &options.base_url {
        config = config.with_base_url(base_url);
    }
    if config.base_url == "/" {
        let message = "bantin.yaml gives no `base_url`: feeds, sitemaps and links shared on social networks need the site's full address";
        let help = "write base_url: \"https://tin.example.gov.vn/\" in bantin.yaml (or build with --base-url)";
        let file = Path::new(crate::config::CONFIG_FILE);
        let (line, column) = Config::key_position(root, "base_url");
        let problem = Diagnostic::error(file, line, column, message).with_help(help);
        return Err(with_content_problems(
            root,
            &config.theme,
            options,
            vec![problem],
        ));
    }
    let dirs = SiteDirs::new(root, &config.theme);
    let tera = templates::load(&dirs, &config);
    let (loaded, mut problems) = load(&dirs, options.drafts, options.publish_until());
    if config.search {
        problems.extend(crate::search::script_problem(&dirs));
    }
    timings.lap("load", &mut lap);
    // Stopped (Ctrl-C): what is left of the site is not worth checking; `build` says stopped.
    if stop_requested() {
        return Err(Vec::new());
    }
    let (site, found) = assemble(config, loaded);
    problems.extend(found);
    timings.lap("assemble", &mut lap);
    if stop_requested() {
        return Err(Vec::new());
    }
    let (bodies, found) = convert_bodies(&site, &dirs);
    problems.extend(found);
    timings.lap("markdown", &mut lap);
    let (warnings, mut errors): (Vec<Diagnostic>, Vec<Diagnostic>) = problems
        .into_iter()
        .partition(|d| d.severity == Severity::Warning);
    match tera {
        Ok(tera) if errors.is_empty() => Ok(Prepared {
            dirs,
            site,
            bodies,
            tera,
            warnings,
            timings,
        }),
        Ok(_) => Err(sorted(errors)),
        Err(found) => {
            errors.extend(found);
            Err(sorted(errors))
        }
    }
}

/// Reads bantin.yaml. When it has mistakes, the errors of the content's files come with them,
/// read with the theme it names as far as it can be read.
pub fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let root = &options.root;
    Config::load(root)
        .map_err(|found| with_content_problems(root, &Config::theme_hint(root), options, found))
}

/// `problems` of the settings, with the errors of the content's files, read without them (the
/// theme's photos looked up in `theme`): a build names every problem it can find at once.
fn with_content_problems(
    root: &Path,
    theme: &str,
    options: &BuildOptions,
    mut problems: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    // Not a site at all (run in the wrong folder): its files are none of bantin's business.
    if root.join(crate::config::CONFIG_FILE).is_file() {
        let (_, found) = load(
            &SiteDirs::new(root, theme),
            options.drafts,
            options.publish_until(),
        );
        problems.extend(found.into_iter().filter(|p| p.severity == Severity::Error));
    }
    sorted(problems)
}

/// Builds the site in `options.root`. On any error the previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with_progress(options, &|_, _, _| {})
}

/// What a build counts as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// List thumbnails made or taken from the cache: the first build of a site with many
    /// large photos spends minutes there.
    Thumbnails,
    Pages,
}

/// Where a build tells how far it is: `(stage, done, total)`.
pub type Progress<'a> = &'a (dyn Fn(Stage, usize, usize) + Sync);

/// Builds, calling `progress(stage, done, total)` as thumbnails and pages are written.
pub fn build_with_progress(
    options: &BuildOptions,
    progress: Progress,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let output = through_link(output);
    check_output_dir(&options.root, &output)?;
    let Prepared {
        dirs,
        site,
        bodies,
        tera,
        warnings,
        mut timings,
    } = match prepare(options) {
        // Stopped while loading: the problems of a half-read site are not worth a word.
        _ if stop_requested() => return Err(BuildError::Stopped),
        prepared => prepared.map_err(BuildError::Site)?,
    };
    let mut lap = Instant::now();
    let renderer = Renderer::new(&site, tera, bodies, options.now.unwrap_or_else(build_time));
    timings.lap("list items and sitemap", &mut lap);
    if stop_requested() {
        return Err(BuildError::Stopped);
    }
    if !renderer.template_problems().is_empty() {
        return Err(fail(renderer.template_problems().to_vec()));
    }
    let staging = Staging::create(&output)?;
    let written = write_site(&site, &dirs, &renderer, &staging, progress);
    if stop_requested() {
        staging.abandon();
        return Err(BuildError::Stopped);
    }
    let foreign = match written {
        Ok(_) => staging.foreign_files(),
        Err(_) => Vec::new(),
    };
    match written {
        Ok(_) if !foreign.is_empty() => {
            staging.abandon();
            let message = format!(
                "the output folder {} holds files no build wrote ({}), and a build replaces the whole folder",
                output.display(),
                name_some(&foreign)
            );
            let help = "put files the site needs (CNAME, say) in static/, which every build copies; keep other files (a deploy's .git) out of the output folder";
            let problem = Diagnostic::about(&output, message).with_help(help);
            Err(BuildError::Site(vec![problem]))
        }
        Ok(written) => {
            staging.commit()?;
            timings.lap("render and write", &mut lap);
            if let Some(seconds) = written.index_seconds {
                timings.stages.push(("  of which search index", seconds));
            }
            let report = BuildReport {
                articles: site.articles.len(),
                pages: written.pages,
                files_copied: written.files_copied,
                thumbnails: written.thumbnails,
                seconds: started.elapsed().as_secs_f64(),
                output,
                warnings: warnings.len(),
                scheduled: scheduled(&site),
                timings,
            };
            let_go((renderer.into_owned(), site));
            Ok(report)
        }
        Err(error) => {
            staging.abandon();
            Err(error)
        }
    }
}

/// The articles `site` leaves out until their date, soonest first.
fn scheduled(site: &Site) -> Vec<(PathBuf, VnDate)> {
    let mut scheduled: Vec<(PathBuf, VnDate)> = site
        .scheduled
        .iter()
        .map(|article| (article.file.display.clone(), article.matter.date))
        .collect();
    scheduled.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    scheduled
}

/// Frees `data` on a thread of its own. A site's articles, list items and bodies are millions
/// of small allocations: freeing them took 0.3 s at 50,000 articles with one core working,
/// and a command-line build now exits without waiting for it.
fn let_go<T: Send + 'static>(data: T) {
    // Could no thread be made, the closure (and `data` with it) is dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(data));
}

/// Up to five names, and how many more there are.
fn name_some(names: &[String]) -> String {
    const SHOWN: usize = 5;
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", names[..SHOWN].join(", ")),
        _ => names.join(", "),
    }
}

/// The moment of the build: `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible builds.
pub fn build_time() -> VnDate {
    fixed_build_time().unwrap_or_else(VnDate::now)
}

/// The moment `SOURCE_DATE_EPOCH` fixes for every build, when it is set to one.
pub fn fixed_build_time() -> Option<VnDate> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map(VnDate::from_instant)
}

pub fn fail(diagnostics: Vec<Diagnostic>) -> BuildError {
    BuildError::Site(sorted(diagnostics))
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    sort(&mut diagnostics);
    diagnostics
}

/// Refuses output folders that would swallow the site's own files.
fn check_output_dir(root: &Path, output: &Path) -> Result<(), BuildError> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, output) = (absolute(root), absolute(output));
    let refuse = |problem: &str, help: &str| {
        let message = format!("the output folder {} {problem}", output.display());
        let problem = Diagnostic::about(&output, message).with_help(help);
        Err(BuildError::Site(vec![problem]))
    };
    let protected = ["content", "themes", "static", "templates"].map(|d| root.join(d));
    if root.starts_with(&output) || protected.iter().any(|p| output.starts_with(p)) {
        return refuse(
            "would replace the site's own files",
            "choose an output folder of its own, e.g. --output public",
        );
    }
    if output.exists() && !output.is_dir() {
        return refuse(
            "is a file, not a folder",
            "choose a folder for the site, e.g. --output public",
        );
    }
    // A build replaces the whole folder: one that holds someone else's files is refused.
    let mut held: Vec<String> = std::fs::read_dir(&output)
        .map(|entries| {
            let name = |entry: std::fs::DirEntry| {
                let slash = if entry.path().is_dir() { "/" } else { "" };
                format!("{}{slash}", entry.file_name().to_string_lossy())
            };
            entries.flatten().map(name).collect()
        })
        .unwrap_or_default();
    if !held.is_empty() && !crate::write::built_by_bantin(&output) {
        held.sort();
        return refuse(
            &format!("holds files bantin did not write ({}), and a build replaces the whole folder", name_some(&held)),
            "build into a new or empty folder (e.g. --output public) and copy the site from there; files the site needs (CNAME) go in static/",
        );
    }
    Ok(())
}

/// The folder a symbolic link points to (a web server's root, say), so that the build
/// replaces that folder's contents rather than the link.
fn through_link(output: PathBuf) -> PathBuf {
    let is_link = std::fs::symlink_metadata(&output).is_ok_and(|m| m.file_type().is_symlink());
    match is_link {
        true => std::fs::canonicalize(&output).unwrap_or(output),
        false => output,
    }
}

/// What `write_site` wrote.
struct Written {
    pages: usize,
    files_copied: usize,
    thumbnails: usize,
    /// How long the search index took (when the site has one).
    index_seconds: Option<f64>,
}

/// Copies static files and assets, then renders and writes every page in parallel, and the
/// search index beside them.
fn write_site(
    site: &Site,
    dirs: &SiteDirs,
    renderer: &Renderer,
    staging: &Staging,
    progress: Progress,
) -> Result<Written, BuildError> {
    let jobs = renderer.jobs();
    let clashes = renderer.alias_clashes(&jobs);
    if !clashes.is_empty() {
        return Err(fail(clashes));
    }
    let mut copied = staging.copy_tree(&dirs.theme_static)?;
    copied += staging.copy_tree(&dirs.statics)?;
    let (mut scaled, plain): (Vec<&OutputAsset>, Vec<&OutputAsset>) =
        site.assets.iter().partition(|a| a.scaled_to.is_some());
    plain
        .par_iter()
        .try_for_each(|asset| staging.copy(&asset.from, asset.to.trim_start_matches('/')))?;
    scaled.extend(renderer.body_copies());
    let thumbnails = scaled.len();
    let thumbnails_done = AtomicUsize::new(0);
    let copies = scaled.iter().filter_map(|asset| {
        let to = asset.to.trim_start_matches('/');
        Some((asset.from.as_path(), asset.scaled_to?, to))
    });
    let write = |to: &&str, bytes: &[u8]| staging.write(to, bytes);
    let made = |n: usize| {
        let before = thumbnails_done.fetch_add(n, Relaxed);
        let done = before + n;
        if before / 16 != done / 16 || done == thumbnails {
            progress(Stage::Thumbnails, done, thumbnails);
        }
    };
    let cached = make_copies(copies, &dirs.thumbnails, write, made)?;
    if stop_requested() {
        return Err(BuildError::Stopped);
    }
    prune_thumbnails(&dirs.thumbnails, &cached.into_iter().collect());
    copied += plain.len();
    // Each body is let go once its page, its feeds and the index have read it.
    let index_reads = u32::from(site.config.search);
    for (article, reads) in site.articles.iter().zip(renderer.body_reads(&jobs)) {
        article.source.body.release_after(reads + index_reads);
    }
    let done = AtomicUsize::new(0);
    let write = |page: &Output| {
        staging.write(&page.file, &page.bytes).map_err(|e| {
            Diagnostic::error(Path::new(&page.file), 1, 1, format!("cannot write: {e}"))
        })
    };
    // The search index is built beside the pages: mostly one thread's work, while rendering
    // takes every thread it can get.
    let (results, index_written) = rayon::join(
        || -> Vec<Result<(), Diagnostic>> {
            // Small pieces: otherwise rayon may leave one thread a long run of pages at the
            // end while the other, done with the index, has nothing to take (0.3 s at 10k).
            jobs.par_iter()
                .with_max_len(16)
                .map(|job| {
                    if stop_requested() {
                        return Ok(());
                    }
                    let page = renderer.render(job)?;
                    let finished = done.fetch_add(1, Relaxed) + 1;
                    if finished.is_multiple_of(256) || finished == jobs.len() {
                        progress(Stage::Pages, finished, jobs.len());
                    }
                    write(&page)
                })
                .collect()
        },
        || -> Result<Option<f64>, Diagnostic> {
            if !site.config.search {
                return Ok(None);
            }
            let started = Instant::now();
            crate::search::build(site, |i| renderer.summary(i), &|file, bytes, _| {
                // Writes come every few articles: a stopped build stops the index there.
                match stop_requested() {
                    true => Err(std::io::Error::other("the build was stopped")),
                    false => staging.write(file, bytes),
                }
            })
            .map_err(|e| {
                let dir = Path::new(crate::search::INDEX_DIR);
                Diagnostic::error(dir, 1, 1, format!("cannot write the search index: {e}"))
            })?;
            Ok(Some(started.elapsed().as_secs_f64()))
        },
    );
    let mut problems: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    let index_seconds = index_written.as_ref().ok().copied().flatten();
    problems.extend(index_written.err());
    if !problems.is_empty() {
        return Err(fail(crate::render::merge_repeated(problems)));
    }
    Ok(Written {
        pages: jobs.len(),
        files_copied: copied,
        thumbnails,
        index_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::name_some;

    #[test]
    fn long_lists_of_names_are_cut_short() {
        let names: Vec<String> = (1..=7).map(|n| format!("f{n}")).collect();
        assert_eq!(name_some(&names[..2]), "f1, f2");
        assert_eq!(name_some(&names[..5]), "f1, f2, f3, f4, f5");
        assert_eq!(name_some(&names), "f1, f2, f3, f4, f5 and 2 more");
    }
}
