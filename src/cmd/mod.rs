//! The CLI commands: each wires the pipeline stages together and does nothing else.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;
