//! Watching the site's sources with notify, and gathering bursts of events into one change.

use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long the files must stay quiet before a rebuild starts: editors write a file in several
/// steps (a temporary file, then a rename), and a save of many files comes as a burst.
const QUIET: Duration = Duration::from_millis(10);
/// A rebuild starts at the latest this long after the first event of a burst.
const LONGEST_WAIT: Duration = Duration::from_millis(300);

/// The folders of a site that are watched, below its root.
const WATCHED: [&str; 4] = ["content", "themes", "static", "templates"];

/// Watches `content/`, `themes/`, `static/`, `templates/` and `bantin.yaml` under `root` (a folder made while
/// serving is watched from then on); sends each burst of changed paths to `changes`. The
/// watcher stops when the returned value is dropped.
pub fn watch(
    root: &Path,
    changes: Sender<Vec<PathBuf>>,
) -> notify::Result<Arc<Mutex<notify::RecommendedWatcher>>> {
    // The watcher reports absolute paths: a relative root (`--root .`, the default) would
    // match none of them.
    let root = &std::path::absolute(root)?;
    let (events, bursts) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reads (our own, while rebuilding) are not changes.
        match event {
            Ok(event) if !matches!(event.kind, notify::EventKind::Access(_)) => {
                let _ = events.send(event.paths);
            }
            _ => {}
        }
    })?;
    let mut folders = BTreeSet::new();
    for folder in WATCHED.map(|folder| root.join(folder)) {
        if folder.is_dir() {
            watcher.watch(&folder, RecursiveMode::Recursive)?;
            folders.insert(folder);
        }
    }
    // bantin.yaml, and the folders above when they appear, are seen through the root:
    // editors replace bantin.yaml rather than write it.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    let watcher = Arc::new(Mutex::new(watcher));
    let config = root.join(crate::config::CONFIG_FILE);
    let root = root.to_path_buf();
    let watching = Arc::clone(&watcher);
    std::thread::spawn(move || gather(bursts, changes, &root, &config, &watching, folders));
    Ok(watcher)
}

fn gather(
    bursts: Receiver<Vec<PathBuf>>,
    changes: Sender<Vec<PathBuf>>,
    root: &Path,
    config: &Path,
    watcher: &Mutex<notify::RecommendedWatcher>,
    mut folders: BTreeSet<PathBuf>,
) {
    let watched = WATCHED.map(|folder| root.join(folder));
    let relevant = |path: &PathBuf| path == config || watched.iter().any(|w| path.starts_with(w));
    while let Ok(first) = bursts.recv() {
        let started = Instant::now();
        let mut paths: BTreeSet<PathBuf> = first.into_iter().filter(relevant).collect();
        loop {
            let left = LONGEST_WAIT.saturating_sub(started.elapsed());
            match bursts.recv_timeout(QUIET.min(left)) {
                Ok(more) => paths.extend(more.into_iter().filter(relevant)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() >= LONGEST_WAIT {
                break;
            }
        }
        // A watched folder made (or removed and made again) since: its files are seen from now on.
        for folder in watched.iter().filter(|f| paths.contains(*f)) {
            if !folder.is_dir() {
                folders.remove(folder);
            } else if !folders.contains(folder) {
                let mut watcher = watcher.lock().unwrap_or_else(PoisonError::into_inner);
                if watcher.watch(folder, RecursiveMode::Recursive).is_ok() {
                    folders.insert(folder.clone());
                }
            }
        }
        if !paths.is_empty() && changes.send(paths.into_iter().collect()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_root_sees_changes() {
        let dir = tempfile::Builder::new()
            .prefix("watch-")
            .tempdir_in("target")
            .unwrap();
        let here = std::env::current_dir().unwrap();
        let root = dir.path().strip_prefix(&here).unwrap();
        assert!(root.is_relative());
        std::fs::create_dir(root.join("content")).unwrap();
        let (changes, changed) = channel();
        let _watcher = watch(root, changes).unwrap();
        std::fs::write(root.join("content/tin.md"), "---\n").unwrap();
        let paths = changed.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(
            paths.iter().any(|p| p.ends_with("content/tin.md")),
            "{paths:?}"
        );
        // static/ did not exist when watching began: made later, its files are seen.
        std::fs::create_dir(root.join("static")).unwrap();
        let made = changed.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(made.iter().any(|p| p.ends_with("static")), "{made:?}");
        std::fs::write(root.join("static/CNAME"), "tin.example.gov.vn").unwrap();
        let paths = changed.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(
            paths.iter().any(|p| p.ends_with("static/CNAME")),
            "{paths:?}"
        );
    }
}
