//! bantin: a static site generator for Vietnamese-language news bulletins.
//!
//! The build is one pipeline of stages, each a module:
//! `load` (files → articles) → `assemble` (articles → site) → `render` (site → pages) →
//! `write` (pages → output directory). `vi` holds the Vietnamese text rules every stage uses.

pub mod assemble;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod hash;
pub mod load;
pub mod render;
pub mod search;
pub mod serve;
pub mod stop;
pub mod vi;
pub mod write;
pub mod yaml;
