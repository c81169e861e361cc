//! The earlier build's output, whose files a rebuild links instead of writing again when their
//! bytes and permissions are what the rebuild would write. A file that still matches the
//! earlier build's manifest is linked without being read.

use super::manifest::{Made, Manifest, Stamp};
use ahash::AHashMap;
use rayon::prelude::*;
use std::fs::{self, File, Permissions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// A file linked from the earlier output, with its stamp (where the system has them).
pub struct Linked {
    pub stamp: Option<Stamp>,
}

pub struct Earlier {
    output: PathBuf,
    /// The permissions a file this build writes gets: a linked page must have them too.
    new_file: Permissions,
    /// Set once a link failed for a reason that holds for every file (another file system,
    /// one without hard links): nothing more is compared.
    off: AtomicBool,
    /// Folders (relative) already checked, and whether they are really inside `output`: a
    /// folder that is a symbolic link (to `content/`, say) is never linked from.
    checked: Mutex<AHashMap<String, bool>>,
    /// What the earlier build wrote.
    manifest: Manifest,
}

impl Earlier {
    /// The earlier build in `output`, if there is one; `new_file` are the permissions a file
    /// this build writes gets.
    pub fn find(output: &Path, new_file: Permissions) -> io::Result<Option<Earlier>> {
        if !output.is_dir() {
            return Ok(None);
        }
        Ok(Some(Earlier {
            output: output.to_path_buf(),
            new_file,
            off: AtomicBool::new(false),
            checked: Mutex::default(),
            manifest: Manifest::read(&Manifest::path_for(output)),
        }))
    }

    /// The files of the output that neither the earlier build nor this one (`staged`) wrote,
    /// which the new output would leave out (`CNAME`, a report put in `thoi-su/`, a link to
    /// `/srv/uploads`), named from the output's top; a folder holding none of the builds'
    /// files is named once, with a `/` (`.git/`). Empty folders hold nothing to lose.
    pub fn foreign_files(&self, staged: &Path) -> Vec<String> {
        if !self.manifest.was_read() {
            return Vec::new();
        }
        let Ok(entries) = fs::read_dir(&self.output) else {
            return Vec::new();
        };
        let entries: Vec<fs::DirEntry> = entries.flatten().collect();
        let mut foreign: Vec<String> = entries
            .par_iter()
            .flat_map_iter(|entry| {
                let mut found = Vec::new();
                self.foreign_below(entry, "", staged, &mut found);
                found
            })
            .collect();
        foreign.sort();
        foreign
    }

    /// Adds to `found` the foreign files of `entry` (in folder `folder` of the output, `""`
    /// for its top, else ending in `/`); returns whether `entry` is, or holds, a file of the
    /// builds. Links are files here: their targets are not searched.
    fn foreign_below(
        &self,
        entry: &fs::DirEntry,
        folder: &str,
        staged: &Path,
        found: &mut Vec<String>,
    ) -> bool {
        let name = format!("{folder}{}", entry.file_name().to_string_lossy());
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            // A name the manifest cannot hold (one with a line break) is still in `staged`.
            let path = entry.path();
            let relative = path.strip_prefix(&self.output).unwrap_or(&path);
            let own =
                self.manifest.lists(&name) || fs::symlink_metadata(staged.join(relative)).is_ok();
            if !own {
                found.push(name);
            }
            return own;
        }
        let Ok(entries) = fs::read_dir(entry.path()) else {
            return true;
        };
        let folder = format!("{name}/");
        let (mut own, mut below) = (false, Vec::new());
        for entry in entries.flatten() {
            own |= self.foreign_below(&entry, &folder, staged, &mut below);
        }
        if own {
            found.append(&mut below);
        } else if !below.is_empty() {
            found.push(folder);
        }
        own
    }

    /// Links `to` to the earlier output's `file` when it holds `bytes` (`made` says their
    /// hash). Whether the file holds them is read from the link, not before it: the file
    /// compared is then the file linked, even if another build replaced the output between.
    pub fn link_page(
        &self,
        file: &str,
        to: &Path,
        bytes: &[u8],
        made: Made,
    ) -> io::Result<Option<Linked>> {
        self.link_if(
            file,
            to,
            bytes.len() as u64,
            &self.new_file,
            Some(made),
            |linked| same_bytes(linked, bytes),
        )
    }

    /// Links `to` to the earlier output's `file` when it is a copy of `source` as it is now
    /// (`meta`; `made` says its stamp).
    pub fn link_copy(
        &self,
        file: &str,
        to: &Path,
        source: &Path,
        meta: &fs::Metadata,
        made: Option<Made>,
    ) -> io::Result<Option<Linked>> {
        self.link_if(file, to, meta.len(), &meta.permissions(), made, |linked| {
            File::open(source).is_ok_and(|source| same_bytes(linked, source))
        })
    }

    fn link_if(
        &self,
        file: &str,
        to: &Path,
        length: u64,
        permissions: &Permissions,
        made: Option<Made>,
        same: impl FnOnce(File) -> bool,
    ) -> io::Result<Option<Linked>> {
        let from = self.output.join(file);
        // A cheap look first, so a changed file is rarely linked only to be removed again.
        let earlier = plain_file(&from, length, permissions).filter(single_name);
        if self.off.load(Ordering::Relaxed) || earlier.is_none() || !self.inside(file) {
            return Ok(None);
        }
        if let Err(error) = fs::hard_link(&from, to) {
            match error.kind() {
                io::ErrorKind::NotFound => {}
                // Another writer's file: replaced, never written into.
                io::ErrorKind::AlreadyExists => fs::remove_file(to)?,
                _ => self.off.store(true, Ordering::Relaxed),
            }
            return Ok(None);
        }
        if let Some(linked) = plain_file(to, length, permissions) {
            let stamp = Stamp::of(&linked);
            // The file linked is the one the manifest describes: nothing changed it since.
            let trusted = stamp
                .zip(made)
                .is_some_and(|(stamp, made)| self.manifest.describes(file, stamp, made));
            if trusted || File::open(to).is_ok_and(same) {
                return Ok(Some(Linked { stamp }));
            }
        }
        fs::remove_file(to)?;
        Ok(None)
    }

    /// Whether the folder of `file` in the earlier output is really inside it.
    fn inside(&self, file: &str) -> bool {
        let folder = file.rsplit_once('/').map_or("", |(folder, _)| folder);
        self.folder_inside(folder)
    }

    /// Whether `folder` (relative) of the earlier output is a real folder below `output`:
    /// none of its parts is a symbolic link. Each part is looked at once, through its parent,
    /// so a rebuild does not resolve the whole path of every article's folder.
    fn folder_inside(&self, folder: &str) -> bool {
        if folder.is_empty() {
            return true;
        }
        let checked = || self.checked.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&inside) = checked().get(folder) {
            return inside;
        }
        let parent = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        let inside = self.folder_inside(parent)
            && fs::symlink_metadata(self.output.join(folder)).is_ok_and(|meta| meta.is_dir());
        checked().insert(folder.to_string(), inside);
        inside
    }
}

/// `file`'s metadata if it is a plain file (not a symbolic link) of `length` bytes and
/// `permissions`.
fn plain_file(file: &Path, length: u64, permissions: &Permissions) -> Option<fs::Metadata> {
    fs::symlink_metadata(file)
        .ok()
        .filter(|m| m.is_file() && m.len() == length && &m.permissions() == permissions)
}

/// Whether a file of the earlier output has no other name: one that has (a link someone made
/// to a file of `content/`, a backup made with `cp -al`) is never shared with the new output.
#[cfg(unix)]
fn single_name(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1
}

#[cfg(not(unix))]
fn single_name(_: &fs::Metadata) -> bool {
    true
}

/// Whether `file` goes on with the bytes `other` gives and ends where it does, read a piece at
/// a time (photos and videos can be large).
fn same_bytes(mut file: File, mut other: impl Read) -> bool {
    let mut mine = vec![0; 64 * 1024];
    let mut theirs = vec![0; 64 * 1024];
    loop {
        let (Ok(read), Ok(expected)) = (
            read_up_to(&mut file, &mut mine),
            read_up_to(&mut other, &mut theirs),
        ) else {
            return false;
        };
        if read != expected || mine[..read] != theirs[..read] {
            return false;
        }
        if read == 0 {
            return true;
        }
    }
}

/// Fills `buffer` unless the reader ends first; returns how much it read.
fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::manifest::{Entry, Recorder};

    /// A file the manifest describes is trusted, not read; one changed since is read.
    #[cfg(unix)]
    #[test]
    fn files_the_manifest_describes_are_linked_unread() {
        let dir = tempfile::tempdir().unwrap();
        let (output, staging) = (dir.path().join("public"), dir.path().join("staging"));
        fs::create_dir_all(&output).unwrap();
        fs::create_dir_all(&staging).unwrap();
        let page = output.join("a.html");
        fs::write(&page, "old!").unwrap();
        let set_time = |seconds_from_now: i64| {
            let now = std::time::SystemTime::now();
            let shift = std::time::Duration::from_secs(seconds_from_now.unsigned_abs());
            let time = if seconds_from_now < 0 {
                now - shift
            } else {
                now + shift
            };
            let file = File::options().write(true).open(&page).unwrap();
            file.set_modified(time).unwrap();
        };
        set_time(-60);
        // The manifest says the file holds "new!": a rebuild writing "new!" believes it.
        let made = Made::Written(crate::hash::hash_of(&b"new!"[..]));
        let file = Stamp::of(&fs::metadata(&page).unwrap()).unwrap();
        let mut manifest = Recorder::create(dir.path().join("new"));
        manifest.record("a.html", Entry { stamp: file, made });
        manifest.finish(&Manifest::path_for(&output));
        fs::write(staging.join("probe"), "").unwrap();
        let new_file = fs::metadata(staging.join("probe")).unwrap().permissions();
        let earlier = Earlier::find(&output, new_file).unwrap().unwrap();
        let to = staging.join("a.html");
        let linked = earlier.link_page("a.html", &to, b"new!", made).unwrap();
        assert_eq!(linked.map(|l| l.stamp), Some(Some(file)));
        assert_eq!(fs::read(&to).unwrap(), b"old!", "linked, not read");
        fs::remove_file(&to).unwrap();

        // Touched since: the stamp no longer matches, so the bytes are compared.
        set_time(-30);
        let linked = earlier.link_page("a.html", &to, b"new!", made).unwrap();
        assert!(linked.is_none());
        assert!(!to.exists());
        let same = Made::Written(crate::hash::hash_of(&b"old!"[..]));
        assert!(earlier
            .link_page("a.html", &to, b"old!", same)
            .unwrap()
            .is_some());
    }

    #[test]
    fn bytes_are_compared_to_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        let long: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&file, &long).unwrap();
        let open = || File::open(&file).unwrap();
        assert!(same_bytes(open(), &long[..]));
        assert!(!same_bytes(open(), &long[..long.len() - 1]));
        let mut changed = long.clone();
        changed[150_000] ^= 1;
        assert!(!same_bytes(open(), &changed[..]));
        changed[150_000] ^= 1;
        changed.push(0);
        assert!(!same_bytes(open(), &changed[..]));
    }
}
