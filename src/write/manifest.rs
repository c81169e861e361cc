//! What the last build wrote, kept beside the output (`.public.manifest` for `public/`): for
//! every file its size, time stamp and inode, with a hash of its bytes (pages) or the size,
//! time stamp and inode of the file it was copied from (photos, static files). A rebuild
//! trusts a file of the earlier output that still matches its entry, so it links the file
//! without reading it, as `rsync` trusts size and time. As git does with its index, it does
//! not trust a file stamped in the same clock tick as the manifest itself: an edit made in
//! that tick would keep the stamp.

use ahash::AHashMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// First line of the file: a manifest of another format is not read.
const HEADER: &str = "bantin manifest 1";

/// What identifies one state of a file: a file edited in place gets a new time stamp, a file
/// replaced gets a new inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub length: u64,
    /// Nanoseconds since 1970.
    pub modified: i64,
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata; none where the system has no inodes.
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        stamp_of(meta)
    }
}

#[cfg(unix)]
fn stamp_of(meta: &fs::Metadata) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    Some(Stamp {
        length: meta.len(),
        modified: meta
            .mtime()
            .checked_mul(1_000_000_000)?
            .checked_add(meta.mtime_nsec())?,
        inode: meta.ino(),
    })
}

#[cfg(not(unix))]
fn stamp_of(_: &fs::Metadata) -> Option<Stamp> {
    None
}

/// How a file of the output was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Written from bytes with this hash.
    Written(u64),
    /// Copied from a file in this state.
    Copied(Stamp),
}

/// One file of the output: its state after the build, and how it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub file: Stamp,
    pub made: Made,
}

/// Entries by file, relative to the output and `/`-separated.
#[derive(Debug, Default, PartialEq)]
pub struct Manifest {
    entries: AHashMap<Box<str>, Entry>,
    /// When the manifest was written (its own time stamp), in nanoseconds since 1970.
    written: i64,
}

impl Manifest {
    /// Where the manifest of `output` is kept: beside it, so it is never deployed with the
    /// site.
    pub fn path_for(output: &Path) -> PathBuf {
        super::beside(output, "manifest")
    }

    /// The manifest at `path`; empty when there is none or it cannot be read, and without
    /// the lines it cannot understand: a rebuild then compares those files byte for byte.
    pub fn read(path: &Path) -> Manifest {
        let text = fs::read_to_string(path).unwrap_or_default();
        let written = fs::metadata(path).ok().as_ref().and_then(Stamp::of);
        let mut lines = text.lines();
        match (lines.next(), written) {
            (Some(HEADER), Some(written)) => Manifest {
                entries: lines.filter_map(parse_line).collect(),
                written: written.modified,
            },
            _ => Manifest::default(),
        }
    }

    /// Whether `file`, now in state `stamp`, is what the manifest says, made as `made`.
    pub fn describes(&self, file: &str, stamp: Stamp, made: Made) -> bool {
        self.entries.get(file).is_some_and(|entry| {
            entry.file == stamp && entry.made == made && stamp.modified < self.written
        })
    }

    /// Records `file`; a later entry for the same file replaces the earlier.
    pub fn insert(&mut self, file: &str, entry: Entry) {
        self.entries.insert(file.into(), entry);
    }

    /// Writes the manifest at `path`, in file order, through a temporary file so a reader
    /// never sees half of it.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut files: Vec<(&str, &Entry)> = self
            .entries
            .iter()
            .filter(|(file, _)| !file.contains(['\n', '\r']))
            .map(|(file, entry)| (&**file, entry))
            .collect();
        files.sort_unstable_by_key(|&(file, _)| file);
        let mut text = String::with_capacity(files.len() * 96);
        text.push_str(HEADER);
        text.push('\n');
        for (file, entry) in files {
            let Stamp {
                length,
                modified,
                inode,
            } = entry.file;
            let _ = match entry.made {
                Made::Written(hash) => write!(text, "w {hash:016x}"),
                Made::Copied(from) => {
                    write!(text, "c {} {} {}", from.length, from.modified, from.inode)
                }
            };
            let _ = writeln!(text, " {length} {modified} {inode} {file}");
        }
        let temporary = path.with_extension("manifest-new");
        fs::write(&temporary, text)?;
        fs::rename(&temporary, path)
    }
}

/// `w HASH LENGTH MODIFIED INODE FILE` or `c LENGTH MODIFIED INODE LENGTH MODIFIED INODE FILE`
/// (the source's stamp, then the file's).
fn parse_line(line: &str) -> Option<(Box<str>, Entry)> {
    let (kind, rest) = line.split_once(' ')?;
    let (made, rest) = match kind {
        "w" => {
            let (hash, rest) = rest.split_once(' ')?;
            (Made::Written(u64::from_str_radix(hash, 16).ok()?), rest)
        }
        "c" => {
            let (from, rest) = parse_stamp(rest)?;
            (Made::Copied(from), rest)
        }
        _ => return None,
    };
    let (file, file_name) = parse_stamp(rest)?;
    if file_name.is_empty() {
        return None;
    }
    Some((file_name.into(), Entry { file, made }))
}

/// Three numbers and what follows them.
fn parse_stamp(text: &str) -> Option<(Stamp, &str)> {
    let mut parts = text.splitn(4, ' ');
    let stamp = Stamp {
        length: parts.next()?.parse().ok()?,
        modified: parts.next()?.parse().ok()?,
        inode: parts.next()?.parse().ok()?,
    };
    Some((stamp, parts.next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64) -> Stamp {
        Stamp {
            length: n,
            modified: -(n as i64) * 1_000_000_007,
            inode: n + 1,
        }
    }

    #[test]
    fn manifests_round_trip_and_skip_what_they_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = Manifest::path_for(&dir.path().join("public"));
        assert_eq!(path, dir.path().join(".public.manifest"));
        assert_eq!(Manifest::read(&path), Manifest::default(), "none yet");

        let mut manifest = Manifest::default();
        let page = Entry {
            file: stamp(7),
            made: Made::Written(u64::MAX - 3),
        };
        let photo = Entry {
            file: stamp(9),
            made: Made::Copied(stamp(9)),
        };
        manifest.insert("thoi-su/a b/index.html", page);
        manifest.insert("thoi-su/ảnh 1.jpg", photo);
        manifest.insert("x\ny.html", page);
        manifest.write(&path).unwrap();
        let read = Manifest::read(&path);
        assert_eq!(read.entries.get("thoi-su/a b/index.html"), Some(&page));
        assert_eq!(read.entries.get("thoi-su/ảnh 1.jpg"), Some(&photo));
        assert_eq!(
            read.entries.len(),
            2,
            "a name with a line break is left out"
        );

        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}w zz 1 2 3 bad.html\nc 1 2\n")).unwrap();
        assert_eq!(Manifest::read(&path).entries.len(), 2);
        fs::write(&path, text.replace(HEADER, "bantin manifest 0")).unwrap();
        assert_eq!(Manifest::read(&path), Manifest::default());
    }
}
