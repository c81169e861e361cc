//! The `bantin` command line: parses arguments and runs one command.

use bantin::cmd::build::{build, BuildError, BuildOptions};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "bantin",
    version,
    about = "A static site generator for Vietnamese news bulletins"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build {
        /// The site's folder (the one with bantin.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Also publish articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Serve the site from this address instead of bantin.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
        } => {
            let options = BuildOptions {
                root,
                output,
                drafts,
                base_url,
                now: None,
            };
            match build(&options) {
                Ok(report) => {
                    println!(
                        "Built {} articles, {} pages and {} copied files in {:.2} s into {}",
                        report.articles,
                        report.pages,
                        report.files_copied,
                        report.seconds,
                        report.output.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    report_failure(&error);
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn report_failure(error: &BuildError) {
    match error {
        BuildError::Site(diagnostics) => {
            for diagnostic in diagnostics {
                eprintln!("{diagnostic}\n");
            }
            eprintln!(
                "Build failed: {} problem(s). The previous output was left unchanged.",
                diagnostics.len()
            );
        }
        BuildError::Output(io) => eprintln!("error: {error}\n  ({io})"),
    }
}
