//! Vietnamese text rules: normalization, compare keys, slugs, dates, collation, photo credits,
//! names and search folding.
//!
//! This module depends on nothing else in the crate; every stage uses it, so there is exactly
//! one slug function, one date parser and one sort order in bantin.

mod collate;
mod credit;
mod date;
mod fold;
mod letters;
mod names;
mod normalize;
mod slug;
mod tone;

pub use collate::{collation_key, compare, first_letter, CollationKey};
pub use credit::{credit_of, split_credit};
pub use date::{parse_date, DateError, DateFormats, FormatError, VnDate};
pub use fold::fold;
pub use names::{is_capitals, sign_off_words, title_case, SIGN_OFF_BYTES};
pub use normalize::{clean, nfc, nfc_cow, strip_controls};
pub use slug::{shorten, slugify, SlugError};
pub use tone::compare_key;
