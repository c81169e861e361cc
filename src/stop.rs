//! Ctrl-C during a build: one flag that loading, rendering and the search index check as they
//! go, so the build stops within moments and leaves the last output as it was.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

static STOP: AtomicBool = AtomicBool::new(false);

/// Asks a running build to stop: no more files are read or pages written, and the staging
/// folder is removed rather than left beside the output (gigabytes at 50,000 articles).
/// Returns whether it had been asked already.
pub fn request_stop() -> bool {
    STOP.swap(true, Relaxed)
}

/// Whether the build was asked to stop.
pub fn stop_requested() -> bool {
    STOP.load(Relaxed)
}
