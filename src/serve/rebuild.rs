//! Incremental rebuilds for `serve`: the same stages as a build, but only changed files are
//! read again, only changed bodies converted, only pages whose fingerprint changed rendered,
//! and only files whose bytes changed written.

use crate::assemble::{assemble_cached, AssembleCache, OutputAsset};
use crate::cmd::build::{build_time, fail, load_config, BuildError, BuildOptions, Timings};
use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::Diagnostic;
use crate::load::photos::{slash, PhotoSource};
use crate::load::{
    bundle_dirs, is_hidden, load_file, merge, walk, FileResult, LoadedArticle, SiteDirs,
};
use crate::render::{convert_bodies_cached, templates, BodyCache, ItemCache, Renderer};
use crate::search::SearchCache;
use crate::vi::{nfc, VnDate};
use crate::write::{copy_file, files_below, make_copies, write_file};
use ahash::AHashMap as HashMap;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct RebuildReport {
    pub articles: usize,
    /// Articles dated later, not shown (`--future` shows them).
    pub scheduled: usize,
    /// The date of the first of them: the moment a rebuild would show it.
    pub next_due: Option<VnDate>,
    /// Pages rendered again (their fingerprint changed).
    pub rendered: usize,
    /// Files whose bytes changed, written or removed.
    pub written: usize,
    pub seconds: f64,
    pub timings: Timings,
}

/// A page rendered again: its job, the hash of its bytes, and the bytes when not yet written.
type Rendered = (usize, u64, Option<Vec<u8>>);

/// The state `serve` keeps between rebuilds.
pub struct Rebuilder {
    options: BuildOptions,
    output: PathBuf,
    config: Option<Config>,
    tera: Option<tera::Tera>,
    templates_key: u64,
    /// Every file of `content/` by its NFC relative path: real path and what it gave.
    files: BTreeMap<PathBuf, (PathBuf, FileResult)>,
    /// The folders of `content/` that are bundles.
    bundles: ahash::AHashSet<PathBuf>,
    assembled: AssembleCache,
    bodies: BodyCache,
    items: ItemCache,
    /// The site of the last successful rebuild.
    last_site: Option<crate::assemble::Site>,
    /// Output file → fingerprint of the page written there (`None`: always rendered again).
    fingerprints: HashMap<String, Option<u64>>,
    /// Output file → hash of its bytes.
    written: HashMap<String, u64>,
    /// Copied file → (size, modification time) of its source.
    copies: HashMap<String, (u64, Option<SystemTime>)>,
    /// The site paths of the medium copies that texts alone asked for at the last rebuild.
    body_copies: Vec<String>,
    /// What the articles of `last_site` show in lists, for the search index (empty when the
    /// site has no search).
    summaries: Vec<String>,
    search: SearchCache,
    /// The search index is not up to date with `last_site`.
    search_stale: bool,
}

impl Rebuilder {
    /// `options.output` is where the site is written (a folder of its own).
    pub fn new(mut options: BuildOptions) -> Rebuilder {
        // Changes come with absolute paths: a relative root (`--root .`) would match none.
        let root = &options.root;
        if let Ok(root) = std::fs::canonicalize(root).or_else(|_| std::path::absolute(root)) {
            options.root = root;
        }
        let output = options
            .output
            .clone()
            .unwrap_or_else(|| options.root.join("public"));
        Rebuilder {
            options,
            output,
            config: None,
            tera: None,
            templates_key: 0,
            files: BTreeMap::new(),
            bundles: Default::default(),
            assembled: AssembleCache::default(),
            bodies: BodyCache::default(),
            last_site: None,
            items: ItemCache::default(),
            fingerprints: HashMap::new(),
            written: HashMap::new(),
            copies: HashMap::new(),
            body_copies: Vec::new(),
            summaries: Vec::new(),
            search: SearchCache::default(),
            search_stale: false,
        }
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Rebuilds after `changed` paths (absolute) were created, modified or removed; an empty
    /// list on the first call builds everything. On error the output is left as it was.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<RebuildReport, BuildError> {
        let started = Instant::now();
        let mut timings = Timings::default();
        let mut lap = Instant::now();
        let root = self.options.root.clone();
        let config_changed =
            self.config.is_none() || changed.iter().any(|p| p == &root.join(CONFIG_FILE));
        if config_changed {
            // Until bantin.yaml loads again, every rebuild tries it again and reports why it
            // does not: the settings of before would quietly stay in use.
            self.reset().inspect_err(|_| self.config = None)?;
        }
        let config = self.config.clone().expect("reset loaded the configuration");
        let dirs = SiteDirs::new(&root, &config.theme);
        let templates_dir = dirs.theme.join("templates");
        let templates_changed = changed
            .iter()
            .any(|p| p.starts_with(&templates_dir) || p.starts_with(&dirs.templates));
        if !config_changed && templates_changed {
            self.reload_templates(&dirs, &config);
        }
        let content_changes: Vec<&PathBuf> = changed
            .iter()
            .filter(|p| p.starts_with(&dirs.content))
            .collect();
        let before: Vec<Option<FileResult>> = content_changes
            .iter()
            .map(|p| self.cached(&dirs, p))
            .collect();
        let file_count = self.files.len();
        // Photos are read with the articles that show them: one in `static/` may change too.
        let files_changed: Vec<&PathBuf> = changed
            .iter()
            .filter(|p| p.starts_with(&dirs.content) || dirs.is_static(p))
            .collect();
        if !config_changed && !files_changed.is_empty() {
            self.reload_content(&dirs, &content_changes, &files_changed);
        }
        timings.lap("read changed files", &mut lap);
        let is_hidden_file = |p: &PathBuf| p.file_name().is_some_and(is_hidden);
        let statics_changed = config_changed
            || changed
                .iter()
                .any(|p| !is_hidden_file(p) && dirs.is_static(p))
            || content_changes.iter().any(|p| {
                !is_hidden_file(p) && !p.is_dir() && p.extension().is_none_or(|e| e != "md")
            });
        if statics_changed {
            // Bodies keep the photos they found: one changed or went (in `static/` too).
            self.bodies.clear();
        }

        // Editors mostly change the text of an article: when no front matter changed, the
        // site's structure is the one of the last rebuild, and only bodies are new.
        let after: Vec<Option<FileResult>> = content_changes
            .iter()
            .map(|p| self.cached(&dirs, p))
            .collect();
        // An article whose date has come since is published by a whole rebuild.
        let due = |site: &crate::assemble::Site| {
            let until = self.options.publish_until();
            site.scheduled
                .iter()
                .any(|a| until.is_none_or(|until| a.matter.date <= until))
        };
        let bodies_only = !config_changed
            && !statics_changed
            && self.last_site.as_ref().is_some_and(|site| !due(site))
            && self.files.len() == file_count
            && content_changes.iter().all(|p| !p.is_dir())
            && same_structure(&before, &after);
        let mut problems = Vec::new();
        // The last site is let go before a new one is assembled.
        let site = self
            .last_site
            .take()
            .filter(|_| bodies_only)
            .map(|site| with_new_bodies(site, &after));
        let site = site.unwrap_or_else(|| {
            let files = self.files.iter();
            let results = files.map(|(relative, (_, result))| (relative.as_path(), result));
            let (loaded, found) = merge(results, self.options.publish_until());
            problems.extend(found);
            let (site, found) = assemble_cached(config, loaded, &mut self.assembled);
            problems.extend(found);
            site
        });
        timings.lap("assemble", &mut lap);
        let (bodies, found) = convert_bodies_cached(&site, &dirs, &mut self.bodies);
        problems.extend(found);
        timings.lap("markdown", &mut lap);
        problems.retain(|d| d.severity == crate::diagnostics::Severity::Error);
        let Some(tera) = self.tera.clone().filter(|_| problems.is_empty()) else {
            if self.tera.is_none() {
                problems.extend(
                    templates::load(&dirs, &site.config)
                        .err()
                        .unwrap_or_default(),
                );
            }
            return Err(fail(problems));
        };
        let now = self.options.now.unwrap_or_else(build_time);
        let renderer = Renderer::new_cached(
            &site,
            tera,
            bodies,
            now,
            &mut self.items,
            self.templates_key,
        );
        if !renderer.template_problems().is_empty() {
            return Err(fail(renderer.template_problems().to_vec()));
        }
        timings.lap("list items and sitemap", &mut lap);
        let (rendered, mut written) = self.write_pages(&renderer, &mut timings)?;
        lap = Instant::now();
        // A change of front matter may change what is copied: another photo, a thumbnail, the
        // bundle of an article published or taken back.
        // A text may now show another wide photo, which needs its medium copy.
        let body_copies: Vec<String> = renderer
            .body_copies()
            .iter()
            .map(|a| a.to.clone())
            .collect();
        if statics_changed || !bodies_only || body_copies != self.body_copies {
            written += self.copy_files(&site, renderer.body_copies(), &dirs)?;
            timings.lap("copy files", &mut lap);
        }
        self.body_copies = body_copies;
        // Only the index reads them: a site without search does not copy every summary.
        self.summaries = match site.config.search {
            true => (0..site.articles.len())
                .map(|i| renderer.summary(i).to_string())
                .collect(),
            false => Vec::new(),
        };
        self.search_stale = true;
        drop(renderer);
        let (articles, scheduled) = (site.articles.len(), site.scheduled.len());
        let next_due = site.scheduled.iter().map(|a| a.matter.date).min();
        self.last_site = Some(site);
        Ok(RebuildReport {
            articles,
            scheduled,
            next_due,
            rendered,
            written,
            seconds: started.elapsed().as_secs_f64(),
            timings,
        })
    }

    /// Brings the search index up to date with the last successful rebuild (or removes it
    /// when `search: false`). Returns how many files changed.
    pub fn update_search(&mut self) -> std::io::Result<usize> {
        let Some(site) = self.last_site.as_ref().filter(|_| self.search_stale) else {
            return Ok(0);
        };
        self.search_stale = false;
        if site.config.search {
            crate::search::update(site, &self.summaries, &mut self.search, &self.output)
        } else {
            Ok(crate::search::remove(&mut self.search, &self.output))
        }
    }

    /// What the cache holds for an absolute path of `content/`.
    fn cached(&self, dirs: &SiteDirs, path: &Path) -> Option<FileResult> {
        let relative = path.strip_prefix(&dirs.content).ok()?.to_str()?;
        self.files
            .get(Path::new(&nfc(relative)))
            .map(|(_, result)| result.clone())
    }

    /// Starts over: settings, templates and every file.
    fn reset(&mut self) -> Result<(), BuildError> {
        let mut config = load_config(&self.options).map_err(fail)?;
        if let Some(base_url) = &self.options.base_url {
            config = config.with_base_url(base_url);
        }
        let dirs = SiteDirs::new(&self.options.root, &config.theme);
        self.bodies.clear();
        self.items = ItemCache::default();
        self.fingerprints.clear();
        self.reload_templates(&dirs, &config);
        let (files, problems) = walk(&dirs);
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        let bundles = bundle_dirs(files.iter().map(|(rel, _)| rel.as_path()));
        self.bundles = bundles.clone();
        self.assembled = AssembleCache::default();
        self.last_site = None;
        let drafts = self.options.drafts;
        self.files = files
            .into_par_iter()
            .map(|(rel, path)| {
                let result = load_file(&dirs, &rel, &path, &bundles, drafts);
                (rel, (path, result))
            })
            .collect();
        self.config = Some(config);
        Ok(())
    }

    fn reload_templates(&mut self, dirs: &SiteDirs, config: &Config) {
        self.tera = templates::load(dirs, config).ok();
        self.templates_key += 1;
    }

    /// Reads again the changed files of `content/` (and whatever a new or removed bundle
    /// changes the meaning of) and the articles showing a changed photo of `files`; forgets
    /// removed ones.
    fn reload_content(&mut self, dirs: &SiteDirs, changed: &[&PathBuf], files: &[&PathBuf]) {
        let mut to_read: Vec<(PathBuf, PathBuf)> = Vec::new();
        for path in changed {
            let Ok(relative) = path.strip_prefix(&dirs.content) else {
                continue;
            };
            let Some(relative) = relative.to_str().map(|r| PathBuf::from(nfc(r))) else {
                continue;
            };
            if relative.components().any(|c| is_hidden(c.as_os_str())) {
                continue;
            }
            // A bundle appearing or going changes what the files beside its index.md are: the
            // folder is read again whole. An index.md only edited is read again alone.
            let is_index = relative.file_name().is_some_and(|n| n == "index.md");
            let bundle_changed = is_index && self.files.contains_key(&relative) != path.is_file();
            // `scope` is the NFC path the cache knows, `real` the path on disk (NFD on macOS).
            let (scope, real) = match (bundle_changed, relative.parent(), path.parent()) {
                (true, Some(scope), Some(real)) => (scope.to_path_buf(), real.to_path_buf()),
                _ => (relative.clone(), path.to_path_buf()),
            };
            let inside: Vec<PathBuf> = self
                .files
                .range(scope.clone()..)
                .map(|(rel, _)| rel)
                .take_while(|rel| rel.starts_with(&scope))
                .cloned()
                .collect();
            if !bundle_changed && real.is_dir() && !inside.is_empty() {
                continue;
            }
            for rel in &inside {
                self.files.remove(rel);
            }
            let folder = real;
            // A folder's own events come with events for the files that changed in it: read a
            // folder whole only when it is new (created, or moved in).
            let known = !inside.is_empty();
            if folder.is_dir() && (!known || bundle_changed) {
                to_read.extend(
                    walkdir::WalkDir::new(&folder)
                        .into_iter()
                        .filter_map(Result::ok)
                        .filter(|e| e.file_type().is_file())
                        .filter_map(|e| {
                            let rel = e
                                .path()
                                .strip_prefix(&dirs.content)
                                .ok()?
                                .to_str()
                                .map(nfc)?;
                            let hidden = Path::new(&rel)
                                .components()
                                .any(|c| is_hidden(c.as_os_str()));
                            (!hidden).then(|| (PathBuf::from(rel), e.path().to_path_buf()))
                        }),
                );
            } else if folder.is_file() {
                to_read.push((relative, folder));
            }
        }
        to_read.extend(self.articles_near_photos(dirs, files));
        to_read.sort();
        to_read.dedup();
        if to_read
            .iter()
            .any(|(rel, _)| rel.extension().is_none_or(|e| e != "md"))
        {
            // Photos and files that bodies may point to changed: convert every body again.
            self.bodies.clear();
        }
        let bundles_changed = changed
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == "index.md") || !p.is_file());
        if bundles_changed {
            self.bundles = bundle_dirs(
                self.files
                    .keys()
                    .map(PathBuf::as_path)
                    .chain(to_read.iter().map(|(rel, _)| rel.as_path())),
            );
        }
        let bundles = &self.bundles;
        let drafts = self.options.drafts;
        let read: Vec<(PathBuf, (PathBuf, FileResult))> = to_read
            .into_par_iter()
            .map(|(rel, path)| {
                let result = load_file(dirs, &rel, &path, bundles, drafts);
                (rel, (path, result))
            })
            .collect();
        self.files.extend(read);
    }

    /// The articles that may show a photo of `changed` and keep what they found of it when they
    /// were read (its size, that it exists): those whose front matter photo is one of them or
    /// lies in a changed folder (beside it, elsewhere, in `static/`), those in a changed
    /// photo's folder and the folders above it (a photo that was missing may be there now),
    /// and those that failed.
    fn articles_near_photos(
        &self,
        dirs: &SiteDirs,
        changed: &[&PathBuf],
    ) -> Vec<(PathBuf, PathBuf)> {
        // Each change as a front matter photo finds it: `thoi-su/anh.png` under `content/`,
        // `/anh.png` under `static/` (or `content/`).
        let mut found_as = Vec::new();
        let mut folders = std::collections::BTreeSet::new();
        for path in changed {
            for root in [&dirs.content, &dirs.statics, &dirs.theme_static] {
                let Some(relative) = path.strip_prefix(root).ok() else {
                    continue;
                };
                let hidden = relative.components().any(|c| is_hidden(c.as_os_str()));
                if hidden || relative.extension().is_some_and(|e| e == "md") {
                    continue;
                }
                let relative = nfc(&slash(relative));
                found_as.push(format!("/{relative}"));
                if root == &dirs.content {
                    let above = Path::new(&relative).ancestors().skip(1);
                    folders.extend(above.map(Path::to_path_buf));
                    found_as.push(relative);
                }
            }
        }
        if found_as.is_empty() {
            return Vec::new();
        }
        let changed_photo = |photo: &str| {
            found_as.iter().any(|path| {
                photo
                    .strip_prefix(path.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        };
        let shows_one = |article: &LoadedArticle| {
            article
                .photos
                .iter()
                .any(|photo| match &photo.found.source {
                    PhotoSource::Bundle(inside) => changed_photo(&slash(&article.dir.join(inside))),
                    // A site path found in `content/` may be one of `static/` now.
                    PhotoSource::Content(path) => {
                        changed_photo(path) || changed_photo(&format!("/{path}"))
                    }
                    PhotoSource::Site(path) => changed_photo(path),
                    PhotoSource::External(_) => false,
                })
        };
        self.files
            .iter()
            .filter(|(rel, (path, result))| {
                let near = rel.parent().is_some_and(|folder| folders.contains(folder))
                    && rel.extension().is_some_and(|e| e == "md");
                let read_again = match result {
                    FileResult::Article(article) => near || shows_one(article),
                    FileResult::Failed(..) => true,
                    _ => near,
                };
                read_again && path.is_file()
            })
            .map(|(rel, (path, _))| (rel.clone(), path.clone()))
            .collect()
    }

    /// Renders the pages whose fingerprint changed and writes those whose bytes changed;
    /// removes pages that no longer exist. Returns (pages rendered, files changed).
    fn write_pages(
        &mut self,
        renderer: &Renderer,
        timings: &mut Timings,
    ) -> Result<(usize, usize), BuildError> {
        let mut lap = Instant::now();
        let jobs = renderer.jobs();
        let clashes = renderer.alias_clashes(&jobs);
        if !clashes.is_empty() {
            return Err(fail(clashes));
        }
        let planned: Vec<(String, Option<u64>)> = jobs
            .par_iter()
            .map(|job| (renderer.output_of(job), renderer.fingerprint(job)))
            .collect();
        timings.lap("fingerprints", &mut lap);
        let output = &self.output;
        let stale: Vec<usize> = (0..jobs.len())
            .filter(|&i| {
                let (file, fingerprint) = &planned[i];
                fingerprint.is_none() || self.fingerprints.get(file) != Some(fingerprint)
            })
            .collect();
        // The first build writes as it renders (there is no earlier site to keep); later ones
        // render everything first, so a template error leaves the served site as it was.
        let first = self.written.is_empty();
        let rendered: Vec<Result<Rendered, Diagnostic>> = stale
            .par_iter()
            .map(|&i| {
                let page = renderer.render(&jobs[i])?;
                let hash = crate::hash::hash_of(&page.bytes);
                if first {
                    write_file(&output.join(&planned[i].0), &page.bytes).map_err(|e| {
                        Diagnostic::error(
                            Path::new(&planned[i].0),
                            1,
                            1,
                            format!("cannot write: {e}"),
                        )
                    })?;
                    return Ok((i, hash, None));
                }
                Ok((i, hash, Some(page.bytes)))
            })
            .collect();
        timings.lap("render", &mut lap);
        let (pages, problems): (Vec<_>, Vec<_>) = rendered.into_iter().partition(Result::is_ok);
        if !problems.is_empty() {
            let problems = problems.into_iter().filter_map(Result::err).collect();
            return Err(fail(crate::render::merge_repeated(problems)));
        }
        let mut changed = 0;
        for (i, hash, html) in pages.into_iter().filter_map(Result::ok) {
            let file = &planned[i].0;
            match html {
                Some(_) if self.written.get(file) == Some(&hash) => {}
                Some(html) => {
                    write_file(&output.join(file), &html)?;
                    self.written.insert(file.clone(), hash);
                    changed += 1;
                }
                None => {
                    self.written.insert(file.clone(), hash);
                    changed += 1;
                }
            }
        }
        let planned: HashMap<String, Option<u64>> = planned.into_iter().collect();
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|f| !planned.contains_key(*f))
            .cloned()
            .collect();
        for file in gone {
            let _ = std::fs::remove_file(output.join(&file));
            self.written.remove(&file);
            changed += 1;
        }
        self.fingerprints = planned;
        timings.lap("write", &mut lap);
        Ok((stale.len(), changed))
    }

    /// Copies static files, content assets and the copies of photos only texts show
    /// (`body_copies`) whose source changed; removes those gone.
    fn copy_files(
        &mut self,
        site: &crate::assemble::Site,
        body_copies: &[OutputAsset],
        dirs: &SiteDirs,
    ) -> Result<usize, BuildError> {
        let mut wanted: Vec<(String, PathBuf, Option<u32>)> = Vec::new();
        for folder in [&dirs.theme_static, &dirs.statics] {
            let files = files_below(folder).filter_map(Result::ok);
            wanted.extend(files.map(|(to, from)| (to, from, None)));
        }
        wanted.extend(site.assets.iter().chain(body_copies).map(|a| {
            let to = a.to.trim_start_matches('/').to_string();
            (to, a.from.clone(), a.scaled_to)
        }));
        let mut now_copied = HashMap::with_capacity(wanted.len());
        let mut stale = Vec::new();
        for (to, from, scaled_to) in wanted {
            let meta = std::fs::metadata(&from)?;
            let stamp = (meta.len(), meta.modified().ok());
            if self.copies.get(&to) != Some(&stamp) || !self.output.join(&to).is_file() {
                stale.push((self.output.join(&to), from, scaled_to));
            }
            now_copied.insert(to, stamp);
        }
        stale
            .par_iter()
            .filter(|(_, _, scaled_to)| scaled_to.is_none())
            .try_for_each(|(copy, from, _)| copy_file(from, copy))?;
        // In parallel: smaller copies take a photo's decoding (a site's first `serve`), once
        // for all the copies of one photo.
        let copies = (stale.iter())
            .filter_map(|(copy, from, scaled_to)| Some((from.as_path(), (*scaled_to)?, copy)));
        make_copies(
            copies,
            &dirs.thumbnails,
            |copy, bytes| write_file(copy, bytes),
            |_| {},
        )?;
        let mut changed = stale.len();
        for old in self.copies.keys().filter(|k| !now_copied.contains_key(*k)) {
            let _ = std::fs::remove_file(self.output.join(old));
            changed += 1;
        }
        self.copies = now_copied;
        Ok(changed)
    }
}

/// The last site with the new text of the articles in `after`: what a rebuild needs when no
/// front matter changed.
fn with_new_bodies(
    mut site: crate::assemble::Site,
    after: &[Option<FileResult>],
) -> crate::assemble::Site {
    for result in after.iter().flatten() {
        if let FileResult::Article(new) = result {
            let same_file = |a: &&mut crate::assemble::Article| a.source.file.path == new.file.path;
            if let Some(article) = site.articles.iter_mut().find(same_file) {
                article.source = std::sync::Arc::clone(new);
            }
            let scheduled = site
                .scheduled
                .iter_mut()
                .find(|a| a.file.path == new.file.path);
            if let Some(scheduled) = scheduled {
                *scheduled = std::sync::Arc::clone(new);
            }
        }
    }
    site
}

/// Whether changed files kept everything but their bodies: each was and still is an article
/// with the same front matter, slug and photos.
fn same_structure(before: &[Option<FileResult>], after: &[Option<FileResult>]) -> bool {
    before.iter().zip(after).all(|pair| match pair {
        (Some(FileResult::Article(old)), Some(FileResult::Article(new))) => {
            old.matter == new.matter
                && old.slug == new.slug
                && old.dir == new.dir
                && old.bundle == new.bundle
                && old
                    .photos
                    .iter()
                    .map(|p| &p.found)
                    .eq(new.photos.iter().map(|p| &p.found))
        }
        (None, None) => true,
        _ => false,
    })
}
