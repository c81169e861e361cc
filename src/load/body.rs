//! An article's Markdown body, held from load until the reads a build planned are done.
//!
//! The archive's text is the largest thing a build holds (a fourth of its peak at 50,000
//! articles); its page, the feeds that carry it and the search index read each body once
//! while rendering, so a build lets it go after those reads. `serve` keeps every body for the next rebuild.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub struct Body {
    held: Mutex<Held>,
}

struct Held {
    text: Option<Arc<str>>,
    /// Reads still planned before the text is let go; none: held for good.
    reads_left: Option<u32>,
}

impl Body {
    pub fn new(text: &str) -> Body {
        Body::holding(Some(text.into()))
    }

    fn holding(text: Option<Arc<str>>) -> Body {
        let held = Held {
            text,
            reads_left: None,
        };
        Body {
            held: Mutex::new(held),
        }
    }

    /// Lets the text go once it has been read `reads` more times (at once for 0).
    pub fn release_after(&self, reads: u32) {
        let mut held = self.lock();
        held.reads_left = Some(reads);
        if reads == 0 {
            held.text = None;
        }
    }

    /// The text, unless it was let go; counts as one of the planned reads.
    pub fn read(&self) -> Option<Arc<str>> {
        let mut held = self.lock();
        let text = held.text.clone();
        if let Some(left) = held.reads_left.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                held.text = None;
            }
        }
        text
    }

    fn lock(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A copy holds what the original holds, for good.
impl Clone for Body {
    fn clone(&self) -> Body {
        Body::holding(self.lock().text.clone())
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.lock().text {
            Some(text) => write!(f, "Body({} bytes)", text.len()),
            None => f.write_str("Body(let go)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_held_until_its_planned_reads_are_done() {
        let body = Body::new("Nội dung");
        assert_eq!(body.read().as_deref(), Some("Nội dung"));
        body.release_after(2);
        assert_eq!(body.read().as_deref(), Some("Nội dung"));
        assert_eq!(body.read().as_deref(), Some("Nội dung"));
        assert_eq!(body.read(), None);
    }

    #[test]
    fn a_body_never_read_again_is_let_go_at_once_and_copies_keep_theirs() {
        let body = Body::new("Nội dung");
        let copy = body.clone();
        body.release_after(0);
        assert_eq!(body.read(), None);
        copy.release_after(1);
        assert!(copy.read().is_some());
        assert_eq!(copy.read(), None);
    }
}
