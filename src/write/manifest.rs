//! What the last build wrote, kept beside the output (`.public.manifest` for `public/`): for
//! every file its size, time stamp and inode, with a hash of its bytes (pages) or the state
//! of the file it was copied from (photos, static files). A rebuild trusts a file of the
//! earlier output that still matches its entry, so it links the file without reading it, as
//! `rsync` trusts size and time. As git does with its index, nothing stamped in the clock tick
//! a stamp was taken in is trusted: an edit made in that tick would keep the stamp. So an
//! output file must be older than the manifest, and a source older than the build that
//! copied it.

use crate::hash::hash_of;
use ahash::AHashMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
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
        modified: nanoseconds(meta.mtime(), meta.mtime_nsec())?,
        inode: meta.ino(),
    })
}

#[cfg(not(unix))]
fn stamp_of(_: &fs::Metadata) -> Option<Stamp> {
    None
}

/// A time given as seconds and nanoseconds since 1970, in nanoseconds (until 2262).
#[cfg(unix)]
fn nanoseconds(seconds: i64, nanoseconds: i64) -> Option<i64> {
    seconds.checked_mul(1_000_000_000)?.checked_add(nanoseconds)
}

/// The state of a file copied into the output: its stamp, and what a tool that puts the old
/// time stamp back on a file it rewrote (`cp -p`, `rsync -t`) cannot put back, the time of
/// that change and the file system it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub stamp: Stamp,
    /// Nanoseconds since 1970 (the inode's change time).
    pub changed: i64,
    pub device: u64,
}

impl Source {
    /// The state of a source file, if it settled before `started` (a stamp of the build's
    /// start): one changed in the tick the build started in may change again unseen.
    pub fn of(meta: &fs::Metadata, started: i64) -> Option<Source> {
        source_of(meta).filter(|s| s.stamp.modified < started && s.changed < started)
    }
}

#[cfg(unix)]
fn source_of(meta: &fs::Metadata) -> Option<Source> {
    use std::os::unix::fs::MetadataExt;
    Some(Source {
        stamp: stamp_of(meta)?,
        changed: nanoseconds(meta.ctime(), meta.ctime_nsec())?,
        device: meta.dev(),
    })
}

#[cfg(not(unix))]
fn source_of(_: &fs::Metadata) -> Option<Source> {
    None
}

/// How a file of the output was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Written from bytes with this hash.
    Written(u64),
    /// Copied from a file in this state.
    Copied(Source),
}

/// One file of the output: its state after the build, and how it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub stamp: Stamp,
    pub made: Made,
}

/// The entries of the last build, by a hash of the file's name (relative to the output,
/// `/`-separated). Two names with one hash cannot fool it: an entry must also match the
/// file's inode.
#[derive(Debug, Default)]
pub struct Manifest {
    entries: AHashMap<u64, Entry>,
    /// Hashes of the names of every file the build wrote, trusted or not (`n` lines): what
    /// a rebuild may remove.
    names: ahash::AHashSet<u64>,
    /// When the manifest was written (its own time stamp), in nanoseconds since 1970; 0
    /// where files have no stamps, and then no entry is trusted.
    written: i64,
    /// Whether a manifest of this format was read.
    read: bool,
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
        let Ok(file) = File::open(path) else {
            return Manifest::default();
        };
        let written = file.metadata().ok().as_ref().and_then(Stamp::of);
        let mut lines = BufReader::new(file).lines().map_while(Result::ok);
        match lines.next() {
            Some(header) if header == HEADER => {
                let mut manifest = Manifest {
                    written: written.map_or(0, |stamp| stamp.modified),
                    read: true,
                    ..Manifest::default()
                };
                for line in lines {
                    if let Some(name) = line.strip_prefix("n ") {
                        manifest.names.insert(hash_of(name));
                    } else if let Some((name, entry)) = parse_line(&line) {
                        let hash = hash_of(name);
                        manifest.names.insert(hash);
                        manifest.entries.insert(hash, entry);
                    }
                }
                manifest
            }
            _ => Manifest::default(),
        }
    }

    /// Whether the manifest was read: an empty one knows nothing of the earlier output.
    pub fn was_read(&self) -> bool {
        self.read
    }

    /// Whether the earlier build wrote `file` (relative, `/`-separated).
    pub fn lists(&self, file: &str) -> bool {
        self.names.contains(&hash_of(file))
    }

    /// Whether `file`, now in state `stamp`, is what the manifest says, made as `made`.
    pub fn describes(&self, file: &str, stamp: Stamp, made: Made) -> bool {
        self.entries.get(&hash_of(file)).is_some_and(|entry| {
            entry.stamp == stamp && entry.made == made && stamp.modified < self.written
        })
    }
}

/// Writes the manifest of a build as its files are written, a line each, so the build never
/// holds it; it replaces the last build's only when the build succeeds, and is removed
/// otherwise (also when the build stops on an error).
pub struct Recorder {
    path: PathBuf,
    /// None once a write failed: the manifest is then left out.
    out: Option<BufWriter<File>>,
    finished: bool,
}

impl Recorder {
    /// A new manifest at `path`, beside the output but not the manifest of the last build.
    pub fn create(path: PathBuf) -> Recorder {
        let out = File::create(&path).ok().map(BufWriter::new);
        let mut recorder = Recorder {
            path,
            out,
            finished: false,
        };
        recorder.write_line(format_args!("{HEADER}"));
        recorder
    }

    /// Adds `file`; a later line for the same file replaces an earlier one. Names holding a
    /// line break are left out (their files are compared byte for byte).
    pub fn record(&mut self, file: &str, entry: Entry) {
        if file.contains(['\n', '\r']) {
            return;
        }
        let Stamp {
            length,
            modified,
            inode,
        } = entry.stamp;
        match entry.made {
            Made::Written(hash) => self.write_line(format_args!(
                "w {hash:016x} {length} {modified} {inode} {file}"
            )),
            Made::Copied(Source {
                stamp: from,
                changed,
                device,
            }) => self.write_line(format_args!(
                "c {} {} {} {changed} {device} {length} {modified} {inode} {file}",
                from.length, from.modified, from.inode
            )),
        }
    }

    /// Records only that the build wrote `file`: a copy whose source may still change (its
    /// time stamp is not before the build's), so a rebuild compares it byte for byte.
    pub fn record_name(&mut self, file: &str) {
        if !file.contains(['\n', '\r']) {
            self.write_line(format_args!("n {file}"));
        }
    }

    fn write_line(&mut self, line: std::fmt::Arguments) {
        if let Some(out) = &mut self.out {
            if writeln!(out, "{line}").is_err() {
                self.out = None;
            }
        }
    }

    /// Makes the manifest the one at `to`, written last, after every file of the build. One
    /// that could not be written is removed, and the one at `to` with it: the next rebuild
    /// then compares bytes.
    pub fn finish(mut self, to: &Path) {
        let flushed = self.out.take().is_some_and(|out| out.into_inner().is_ok());
        if flushed && fs::rename(&self.path, to).is_ok() {
            self.finished = true;
        } else {
            let _ = fs::remove_file(to);
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if !self.finished {
            self.out = None;
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// `w HASH LENGTH MODIFIED INODE FILE`, or `c` and the source (`LENGTH MODIFIED INODE
/// CHANGED DEVICE`) in place of the hash.
fn parse_line(line: &str) -> Option<(&str, Entry)> {
    let (kind, rest) = line.split_once(' ')?;
    let (made, rest) = match kind {
        "w" => {
            let (hash, rest) = rest.split_once(' ')?;
            (Made::Written(u64::from_str_radix(hash, 16).ok()?), rest)
        }
        "c" => {
            let (stamp, rest) = parse_stamp(rest)?;
            let (changed, rest) = number(rest)?;
            let (device, rest) = number(rest)?;
            let source = Source {
                stamp,
                changed,
                device,
            };
            (Made::Copied(source), rest)
        }
        _ => return None,
    };
    let (stamp, file) = parse_stamp(rest)?;
    if file.is_empty() {
        return None;
    }
    Some((file, Entry { stamp, made }))
}

/// Three numbers and what follows them.
fn parse_stamp(text: &str) -> Option<(Stamp, &str)> {
    let (length, text) = number(text)?;
    let (modified, text) = number(text)?;
    let (inode, text) = number(text)?;
    let stamp = Stamp {
        length,
        modified,
        inode,
    };
    Some((stamp, text))
}

/// The number `text` starts with, and what follows the space after it.
fn number<T: std::str::FromStr>(text: &str) -> Option<(T, &str)> {
    let (number, rest) = text.split_once(' ')?;
    Some((number.parse().ok()?, rest))
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

    fn copied(n: u64) -> Made {
        Made::Copied(Source {
            stamp: stamp(n),
            changed: n as i64 * 3,
            device: n + 5,
        })
    }

    #[test]
    fn manifests_round_trip_and_skip_what_they_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = Manifest::path_for(&dir.path().join("public"));
        assert_eq!(path, dir.path().join(".public.manifest"));
        let page = Entry {
            stamp: stamp(7),
            made: Made::Written(u64::MAX - 3),
        };
        let photo = Entry {
            stamp: stamp(9),
            made: copied(9),
        };
        let record = |lines: &[(&str, Entry)], extra: &str| {
            let new = dir.path().join("new");
            let mut recorder = Recorder::create(new.clone());
            for &(file, entry) in lines {
                recorder.record(file, entry);
            }
            recorder.finish(&path);
            if !extra.is_empty() {
                let text = fs::read_to_string(&path).unwrap();
                fs::write(&path, format!("{text}{extra}")).unwrap();
            }
            assert!(!new.exists());
            Manifest::read(&path)
        };
        let read = record(
            &[
                ("thoi-su/a b/index.html", photo),
                ("thoi-su/a b/index.html", page),
                ("thoi-su/ảnh 1.jpg", photo),
                ("x\ny.html", page),
            ],
            "w zz 1 2 3 bad.html\nc 1 2\nn static/bang gia.pdf\n",
        );
        assert_eq!(
            read.entries.len(),
            2,
            "bad lines and a name with a line break left out"
        );
        assert!(
            read.describes("thoi-su/a b/index.html", page.stamp, page.made),
            "the last line wins"
        );
        assert!(read.describes("thoi-su/ảnh 1.jpg", stamp(9), copied(9)));
        assert!(!read.describes("thoi-su/ảnh 1.jpg", stamp(9), copied(8)));
        let Made::Copied(source) = copied(9) else {
            unreachable!()
        };
        let touched = Made::Copied(Source {
            changed: source.changed + 1,
            ..source
        });
        assert!(!read.describes("thoi-su/ảnh 1.jpg", stamp(9), touched));
        assert!(!read.describes("thoi-su/ảnh 1.jpg", stamp(8), copied(9)));
        assert!(!read.describes("thoi-su/ảnh 2.jpg", stamp(9), copied(9)));
        // Named only: written by the build, never trusted.
        assert!(read.lists("static/bang gia.pdf") && read.lists("thoi-su/ảnh 1.jpg"));
        assert!(!read.lists("thoi-su/ảnh 2.jpg"));
        assert!(!read.describes("static/bang gia.pdf", stamp(9), copied(9)));

        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace(HEADER, "bantin manifest 0")).unwrap();
        assert!(Manifest::read(&path).entries.is_empty(), "another format");

        // Stamped in the tick the manifest was written, or later: an edit may hide there.
        let entry = Entry {
            stamp: Stamp {
                modified: 100,
                ..stamp(9)
            },
            made: page.made,
        };
        let at = |written| Manifest {
            entries: [(hash_of("a.html"), entry)].into_iter().collect(),
            written,
            ..Manifest::default()
        };
        assert!(at(101).describes("a.html", entry.stamp, entry.made));
        assert!(!at(100).describes("a.html", entry.stamp, entry.made));
    }

    #[cfg(unix)]
    #[test]
    fn sources_that_changed_once_the_build_started_are_not_described() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("anh.png");
        fs::write(&file, "x").unwrap();
        let meta = fs::metadata(&file).unwrap();
        let modified = Stamp::of(&meta).unwrap().modified;
        assert!(
            Source::of(&meta, modified).is_none(),
            "in the build's first tick"
        );
        assert!(Source::of(&meta, i64::MAX).is_some());
    }

    #[test]
    fn an_unfinished_manifest_leaves_the_last_one() {
        let dir = tempfile::tempdir().unwrap();
        let (last, new) = (dir.path().join("last"), dir.path().join("new"));
        fs::write(&last, "kept").unwrap();
        let mut recorder = Recorder::create(new.clone());
        recorder.record(
            "a.html",
            Entry {
                stamp: stamp(1),
                made: Made::Written(1),
            },
        );
        drop(recorder);
        assert!(!new.exists());
        assert_eq!(fs::read_to_string(&last).unwrap(), "kept");
    }
}
