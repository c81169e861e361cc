//! Watching the site's sources with notify, and gathering bursts of events into one change.

use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long the files must stay quiet before a rebuild starts: editors write a file in several
/// steps (a temporary file, then a rename), and a save of many files comes as a burst.
const QUIET: Duration = Duration::from_millis(10);
/// A rebuild starts at the latest this long after the first event of a burst.
const LONGEST_WAIT: Duration = Duration::from_millis(300);

/// Watches `content/`, `themes/`, `static/` and `bantin.yaml` under `root`; sends each burst
/// of changed paths to `changes`. The watcher stops when the returned value is dropped.
pub fn watch(
    root: &Path,
    changes: Sender<Vec<PathBuf>>,
) -> notify::Result<notify::RecommendedWatcher> {
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
    for folder in ["content", "themes", "static"] {
        let path = root.join(folder);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    // bantin.yaml is watched through its folder: editors replace it rather than write it.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    let config = root.join(crate::config::CONFIG_FILE);
    let root = root.to_path_buf();
    std::thread::spawn(move || gather(bursts, changes, &root, &config));
    Ok(watcher)
}

fn gather(
    bursts: Receiver<Vec<PathBuf>>,
    changes: Sender<Vec<PathBuf>>,
    root: &Path,
    config: &Path,
) {
    let watched = ["content", "themes", "static"].map(|folder| root.join(folder));
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
    }
}
