//! The CLI commands: each wires the pipeline stages together; `check` also holds the
//! editorial rules that only it applies.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
