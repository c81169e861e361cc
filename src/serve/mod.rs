//! `serve`: builds, serves the site over HTTP, watches the sources and rebuilds what changed,
//! reloading open tabs and showing errors over the page.

mod http;
pub mod rebuild;
mod watch;

pub use http::{serve_http, ServerState, SharedState};
pub use rebuild::{RebuildReport, Rebuilder};
pub use watch::watch;
