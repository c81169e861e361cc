//! Write stage: pages and copies go to a staging folder beside the output, which replaces the
//! output only when the whole build succeeded, so a failed build leaves the last site intact.
//!
//! A file the last build already wrote with the same bytes is linked from the old output
//! instead of written again (see `earlier`): a rebuild after one new article writes only the
//! files that changed, and unchanged files keep their time stamps, so `rsync` and other deploy
//! tools send only what changed.

mod earlier;
mod manifest;
mod thumbnail;

use ahash::AHashSet;
use earlier::Earlier;
use manifest::{Entry, Made, Manifest, Recorder, Source, Stamp};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
pub use thumbnail::{make_copies, prune_thumbnails};

/// Creates `file` anew, for pages and copies alike: a file already there (a theme's, which
/// the site's own replaces) is removed first, so the new one never keeps the old one's
/// permissions. The common case, no such file, costs no extra system call.
fn create_new(file: &Path) -> io::Result<File> {
    let open = || File::options().write(true).create_new(true).open(file);
    match open() {
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(file)?;
            open()
        }
        opened => opened,
    }
}

/// Files copied whole by one read and one write up to this size (see `Staging::copy_bytes`).
const SMALL_COPY: u64 = 1 << 20;

/// A staging folder that becomes the output folder on `commit`.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The earlier build in `output`, whose unchanged files are linked.
    earlier: Option<Earlier>,
    /// Folders (relative) already made: most hold several files (a page and its photos), and
    /// asking the file system again costs two system calls per file.
    folders_made: Mutex<AHashSet<String>>,
    /// When the build started, by the file system's clock (nanoseconds since 1970): sources
    /// changed since are not trusted by the next rebuild.
    started: Option<i64>,
    /// Every file written, for the next rebuild.
    manifest: Mutex<Recorder>,
    /// What a new file's permissions are: a copy gets its source's only when they differ.
    new_file: fs::Permissions,
}

impl Staging {
    /// Creates an empty staging folder beside `output`.
    pub fn create(output: &Path) -> io::Result<Staging> {
        remove_abandoned(output);
        let staging = format!("staging-{}", std::process::id());
        let dir = beside(output, &staging);
        if dir.exists() {
            remove_tree(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        // A file made now tells the file system's time, and the permissions new files get.
        let probe = dir.join(".probe");
        fs::write(&probe, b"")?;
        let new_file = fs::metadata(&probe)?;
        fs::remove_file(&probe)?;
        let earlier = Earlier::find(output, new_file.permissions())?;
        let manifest = Recorder::create(beside(output, &format!("{staging}.manifest")));
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            earlier,
            folders_made: Mutex::default(),
            started: Stamp::of(&new_file).map(|stamp| stamp.modified),
            manifest: Mutex::new(manifest),
            new_file: new_file.permissions(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `file` (relative, `/`-separated) inside the staging folder.
    pub fn write(&self, file: &str, bytes: &[u8]) -> io::Result<()> {
        let to = self.place(file)?;
        let made = Made::Written(crate::hash::hash_of(bytes));
        let linked = match &self.earlier {
            Some(earlier) => earlier.link_page(file, &to, bytes, made)?,
            None => None,
        };
        let stamp = match linked {
            Some(linked) => linked.stamp,
            None => {
                let mut written = create_new(&to)?;
                written.write_all(bytes)?;
                Stamp::of(&written.metadata()?)
            }
        };
        self.record(file, stamp, made);
        Ok(())
    }

    /// Copies a file to `file` (relative, `/`-separated) inside the staging folder.
    pub fn copy(&self, from: &Path, file: &str) -> io::Result<()> {
        let to = self.place(file)?;
        let source = fs::metadata(from)?;
        let made = self
            .started
            .and_then(|started| Source::of(&source, started))
            .map(Made::Copied);
        let linked = match &self.earlier {
            Some(earlier) => earlier.link_copy(file, &to, from, &source, made)?,
            None => None,
        };
        let stamp = match linked {
            Some(linked) => linked.stamp,
            None => Stamp::of(&self.copy_bytes(from, &to, &source)?),
        };
        match made {
            Some(made) => self.record(file, stamp, made),
            None => self.record_name(file),
        }
        Ok(())
    }

    /// Copies `from` (described by `source`) to `to`, with its permissions; returns what the
    /// copy is on disk. Files up to `SMALL_COPY` (photos, mostly) take one read and one write:
    /// fewer system calls than `fs::copy` makes (an in-kernel copy attempt, permissions set
    /// whether or not they differ, the copy's path looked up again).
    fn copy_bytes(
        &self,
        from: &Path,
        to: &Path,
        source: &fs::Metadata,
    ) -> io::Result<fs::Metadata> {
        if source.len() > SMALL_COPY {
            fs::copy(from, to)?;
            return fs::metadata(to);
        }
        let bytes = fs::read(from)?;
        let mut copy = create_new(to)?;
        copy.write_all(&bytes)?;
        if source.permissions() != self.new_file {
            copy.set_permissions(source.permissions())?;
        }
        copy.metadata()
    }

    fn record(&self, file: &str, stamp: Option<Stamp>, made: Made) {
        match stamp {
            Some(stamp) => {
                let mut manifest = self.manifest.lock().unwrap_or_else(PoisonError::into_inner);
                manifest.record(file, Entry { stamp, made });
            }
            None => self.record_name(file),
        }
    }

    fn record_name(&self, file: &str) {
        let mut manifest = self.manifest.lock().unwrap_or_else(PoisonError::into_inner);
        manifest.record_name(file);
    }

    /// The path of `file` in the staging folder, its folder made. A file already there (the
    /// theme's, which the site's own replaces) is removed: it may be a link to the earlier
    /// output, which must never be written into.
    fn place(&self, file: &str) -> io::Result<PathBuf> {
        self.make_folder_of(file)?;
        let to = self.dir.join(file);
        if self.earlier.is_some() {
            match fs::remove_file(&to) {
                Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
                _ => {}
            }
        }
        Ok(to)
    }

    fn make_folder_of(&self, file: &str) -> io::Result<()> {
        let Some((folder, _)) = file.rsplit_once('/') else {
            return Ok(());
        };
        let made = || {
            self.folders_made
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if made().contains(folder) {
            return Ok(());
        }
        fs::create_dir_all(self.dir.join(folder))?;
        made().insert(folder.to_string());
        Ok(())
    }

    /// Copies a whole folder (a theme's or the site's `static/`) to the root of the output.
    pub fn copy_tree(&self, from: &Path) -> io::Result<usize> {
        let mut copied = 0;
        for file in files_below(from) {
            let (relative, path) = file?;
            self.copy(&path, &relative)?;
            copied += 1;
        }
        Ok(copied)
    }

    /// What the output folder holds that no build wrote and `commit` would remove (see
    /// `Earlier::foreign_files`).
    pub fn foreign_files(&self) -> Vec<String> {
        self.earlier
            .as_ref()
            .map_or_else(Vec::new, |earlier| earlier.foreign_files(&self.dir))
    }

    /// Replaces the output folder with the staging folder, and the manifest beside it.
    pub fn commit(self) -> io::Result<()> {
        let manifest = self.manifest.into_inner();
        let manifest = manifest.unwrap_or_else(PoisonError::into_inner);
        if !self.output.exists() {
            fs::rename(&self.dir, &self.output)?;
            manifest.finish(&Manifest::path_for(&self.output));
            return Ok(());
        }
        let old = self.dir.with_extension("old");
        // Left by a build stopped while removing it (Ctrl-C): bantin's own, and in the way.
        if fs::symlink_metadata(&old).is_ok() {
            remove_tree(&old)?;
        }
        fs::rename(&self.output, &old)?;
        if let Err(error) = fs::rename(&self.dir, &self.output) {
            fs::rename(&old, &self.output)?;
            return Err(error);
        }
        manifest.finish(&Manifest::path_for(&self.output));
        // The new site is in place: what could not be removed now, the next build removes.
        let _ = remove_tree(&old);
        Ok(())
    }

    /// Throws the staging folder away, and its manifest; the output folder is untouched.
    pub fn abandon(self) {
        let _ = remove_tree(&self.dir);
    }
}

/// Removes a folder and everything in it, its top entries in parallel: an output folder
/// holds tens of thousands of files, and one thread removing them took a third of a rebuild
/// (1.6 s of ~5 at 10,000 articles). A file is removed as such, and a link too, never what
/// it points to.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    if !fs::symlink_metadata(dir)?.is_dir() {
        return fs::remove_file(dir);
    }
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries
        .par_iter()
        .try_for_each(|entry| match entry.file_type()?.is_dir() {
            true => fs::remove_dir_all(entry.path()),
            false => fs::remove_file(entry.path()),
        })?;
    fs::remove_dir(dir)
}

/// Removes the staging folders (and manifests) beside `output` of builds that were killed:
/// their process is gone. Only where processes can be looked up (`/proc`).
fn remove_abandoned(output: &Path) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let pattern = beside(output, "staging-");
    let (Some(folder), Some(prefix)) = (pattern.parent(), pattern.file_name()) else {
        return;
    };
    let prefix = prefix.to_string_lossy();
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&*prefix) else {
            continue;
        };
        let pid = rest.split('.').next().unwrap_or_default();
        let abandoned = pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists()
        });
        if abandoned {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Whether `output` is a folder an earlier build wrote: its manifest is beside it.
pub fn built_by_bantin(output: &Path) -> bool {
    Manifest::path_for(output).is_file()
}

/// `output`'s sibling `.NAME.what` (`.public.manifest` for `public/`).
fn beside(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{what}"))
}

/// Writes a file of a site being served, creating its folder first. The bytes go to a
/// temporary file renamed over the old one, so a browser reading it meanwhile gets the old
/// file or the new one, never half of one.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_with(path, |temporary| fs::write(temporary, bytes))
}

/// Copies a file into a site being served, like `write_file`.
pub fn copy_file(from: &Path, to: &Path) -> io::Result<()> {
    replace_with(to, |temporary| fs::copy(from, temporary).map(|_| ()))
}

fn replace_with(path: &Path, make: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".bantin-tmp");
    let temporary = path.with_file_name(name);
    make(&temporary)
        .and_then(|()| fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
}

/// Files that tools leave in folders, never meant for readers: not copied to the site.
/// (Other hidden files are: `.well-known/security.txt`, say.)
const TOOL_FILES: &[&str] = &[".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"];

/// The files below `folder` (none when it does not exist), in name order, without the files
/// tools leave: the path relative to it (`/`-separated) and the full path.
pub fn files_below(folder: &Path) -> impl Iterator<Item = io::Result<(String, PathBuf)>> + '_ {
    let walk = folder
        .is_dir()
        .then(|| walkdir::WalkDir::new(folder).sort_by_file_name());
    let is_tool_file =
        |entry: &walkdir::DirEntry| TOOL_FILES.iter().any(|name| entry.file_name() == *name);
    walk.into_iter()
        .flatten()
        .filter_map(move |entry| match entry {
            Ok(entry) if is_tool_file(&entry) => None,
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
                Some(Ok((
                    crate::load::photos::slash(relative),
                    entry.path().to_path_buf(),
                )))
            }
            Ok(_) => None,
            Err(error) => Some(Err(io::Error::other(error))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn staging_folders_of_killed_builds_are_removed_and_others_kept() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        // No process has this number (Linux numbers stay below 2^22); process 1 always runs.
        let dead = root.path().join(".public.staging-999999999");
        let alive = root.path().join(".public.staging-1");
        for folder in [&dead, &alive] {
            fs::create_dir_all(folder.join("thoi-su")).unwrap();
            fs::write(folder.join("thoi-su/index.html"), "<p>").unwrap();
        }
        let dead_manifest = root.path().join(".public.staging-999999999.manifest");
        fs::write(&dead_manifest, "").unwrap();
        let other_site = root.path().join(".khac.staging-999999999");
        fs::create_dir(&other_site).unwrap();
        remove_abandoned(&output);
        assert!(!dead.exists() && !dead_manifest.exists());
        assert!(alive.join("thoi-su/index.html").is_file());
        assert!(
            other_site.exists(),
            "another output's folder is not this build's business"
        );
    }

    #[test]
    fn remove_tree_removes_nested_folders_but_not_what_links_point_to() {
        let root = tempfile::tempdir().unwrap();
        let kept = root.path().join("kept");
        fs::create_dir(&kept).unwrap();
        fs::write(kept.join("a.txt"), "a").unwrap();
        let tree = root.path().join("old");
        for folder in ["x/y/z", "x/w", "v"] {
            fs::create_dir_all(tree.join(folder)).unwrap();
            fs::write(tree.join(folder).join("index.html"), "<p>").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, tree.join("x/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(fs::read_to_string(kept.join("a.txt")).unwrap(), "a");
        #[cfg(unix)]
        {
            let link = root.path().join("link");
            std::os::unix::fs::symlink(&kept, &link).unwrap();
            remove_tree(&link).unwrap();
            assert!(fs::symlink_metadata(&link).is_err());
            assert!(kept.join("a.txt").is_file());
        }
    }

    #[test]
    fn commit_replaces_and_abandon_keeps() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        let beside = || {
            let mut names: Vec<String> = fs::read_dir(root.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let staging = Staging::create(&output).unwrap();
        staging.write("old.html", b"old").unwrap();
        staging.commit().unwrap();
        let manifest = fs::read_to_string(root.path().join(".public.manifest")).unwrap();
        assert!(manifest.contains(" old.html\n"));

        let staging = Staging::create(&output).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        staging.abandon();
        assert_eq!(fs::read_to_string(output.join("old.html")).unwrap(), "old");
        let kept = fs::read_to_string(root.path().join(".public.manifest")).unwrap();
        assert_eq!(kept, manifest, "a failed build leaves the manifest too");
        assert_eq!(beside(), [".public.manifest", "public"]);

        let staging = Staging::create(&output).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert!(!output.join("old.html").exists());
        assert_eq!(
            fs::read_to_string(output.join("a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            beside(),
            [".public.manifest", "public"],
            "no staging leftovers"
        );
    }
}
