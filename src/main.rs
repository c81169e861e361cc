//! The `bantin` command line: parses arguments and runs one command.

use bantin::cmd::build::{build_with_progress, BuildError, BuildOptions, BuildReport, Stage};
use bantin::cmd::check::{check, to_text};
use bantin::cmd::import::{import, next_steps, text_files, ImportOptions};
use bantin::cmd::init::init;
use bantin::cmd::new::{new_article, NewError, NewOptions};
use bantin::diagnostics::count;
use bantin::vi::VnDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// A build makes millions of small short-lived allocations on every thread (template
/// contexts, strings) and lets the archive's text go while rendering: with glibc's allocator
/// a 10k build took 20% longer and the freed text stayed in other threads' arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where transparent huge pages are on for every process (`always`, as on this benchmark
/// machine), the allocator's regions fill 2 MiB at a time: a 10k build then peaked 30 MiB
/// higher (200 → 230 MiB), and ran no faster.
fn refuse_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::{c_int, c_ulong};
        const PR_SET_THP_DISABLE: c_int = 41;
        extern "C" {
            fn prctl(option: c_int, ...) -> c_int;
        }
        let (on, unused): (c_ulong, c_ulong) = (1, 0);
        // SAFETY: this prctl only sets a flag of this process; on a kernel without it the call
        // fails and huge pages stay as they were.
        unsafe {
            prctl(PR_SET_THP_DISABLE, on, unused, unused, unused);
        }
    }
}

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
        /// Also publish articles dated after now (scheduled ones).
        #[arg(long)]
        future: bool,
        /// Serve the site from this address instead of bantin.yaml's base_url.
        #[arg(long, value_parser = absolute_address)]
        base_url: Option<String>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Build, serve on http://127.0.0.1:1111/ and rebuild on every save, reloading open tabs.
    Serve {
        /// The site's folder (the one with bantin.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to serve on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 shows the site to other machines (its links then
        /// use this machine's network address).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also show articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also show articles dated after now (scheduled ones).
        #[arg(long)]
        future: bool,
        /// Print how long each stage of each rebuild took.
        #[arg(long)]
        timings: bool,
    },
    /// Check every article as a build would, and for editorial problems; write nothing.
    Check {
        /// The site's folder (the one with bantin.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also check articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// `text` for people, `json` for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write a new article with its front matter filled in.
    New {
        /// The article's title.
        title: String,
        /// The section folder under content/ (default: the first section of the menu).
        #[arg(long)]
        section: Option<String>,
        /// The author (default: default_author in bantin.yaml).
        #[arg(long)]
        author: Option<String>,
        /// Make a folder (bundle) so photos can sit beside the article.
        #[arg(long)]
        bundle: bool,
        /// The article's date, e.g. "2024-04-10 09:30" (default: now).
        #[arg(long)]
        date: Option<String>,
        /// The site's folder (the one with bantin.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write articles copied from a paper's web page (plain text) as draft articles.
    ///
    /// The first line is the title, the next paragraph the sapo, a paragraph ending with
    /// "Ảnh: NAME" a photo's caption, a last short line in capitals the author's sign-off.
    Import {
        /// Text files, one article each, or folders of them (their .txt files).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The section folder under content/ (default: the first section of the menu).
        #[arg(long)]
        section: Option<String>,
        /// The author, when the text ends with no sign-off (default: default_author).
        #[arg(long)]
        author: Option<String>,
        /// The articles' date, e.g. "2024-04-10 09:30" (default: now).
        #[arg(long)]
        date: Option<String>,
        /// The site's folder (the one with bantin.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site in DIR that builds at once.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
    },
}

/// A problem of `new` or `import`; those of files print their own "error:".
fn print_new_error(error: &NewError) {
    match error {
        NewError::Problems(_) => eprintln!("{error}"),
        _ => eprintln!("error: {error}"),
    }
}

/// `--date` as given, else the present moment; none (the problem printed) when it is no date.
fn date_or_now(date: Option<&str>) -> Option<VnDate> {
    match date.map(bantin::vi::parse_date) {
        None => Some(VnDate::now()),
        Some(Ok(date)) => Some(date),
        Some(Err(error)) => {
            eprintln!("error: --date: {error}; write it as year-month-day, e.g. --date \"2024-12-30 09:30\"");
            None
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    refuse_huge_pages();
    match Cli::parse().command {
        Command::Build {
            root,
            output,
            drafts,
            future,
            base_url,
            timings,
        } => {
            let options = BuildOptions {
                root,
                output,
                drafts,
                future,
                base_url,
                now: None,
            };
            run_build(&options, timings)
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            future,
            timings,
        } => {
            match bantin::cmd::serve::serve(bantin::cmd::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                future,
                timings,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            root,
            drafts,
            format,
        } => {
            let options = BuildOptions {
                root,
                drafts,
                ..BuildOptions::default()
            };
            let report = check(&options, bantin::cmd::build::build_time());
            match format {
                Format::Text => print!("{}", to_text(&report)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                ),
            }
            if report.errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::New {
            title,
            section,
            author,
            bundle,
            date,
            root,
        } => {
            let Some(now) = date_or_now(date.as_deref()) else {
                return ExitCode::FAILURE;
            };
            let options = NewOptions {
                root,
                title,
                section,
                author,
                bundle,
                now,
            };
            match new_article(&options) {
                Ok(path) => {
                    println!("{}", path.display());
                    eprintln!(
                        "It is a draft: write it, then remove the line `draft: true` to publish it."
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    print_new_error(&error);
                    ExitCode::FAILURE
                }
            }
        }
        Command::Import {
            files,
            section,
            author,
            date,
            root,
        } => {
            let Some(date) = date_or_now(date.as_deref()) else {
                return ExitCode::FAILURE;
            };
            let mut failed = false;
            for file in text_files(&files) {
                let options = ImportOptions {
                    root: root.clone(),
                    file,
                    section: section.clone(),
                    author: author.clone(),
                    date,
                };
                match import(&options) {
                    Ok(imported) => {
                        println!("{}", imported.path.display());
                        eprintln!("{}", next_steps(&imported));
                    }
                    Err(error) => {
                        print_new_error(&error);
                        failed = true;
                    }
                }
            }
            match failed {
                true => ExitCode::FAILURE,
                false => ExitCode::SUCCESS,
            }
        }
        Command::Init { dir } => match init(&dir, VnDate::now()) {
            Ok(files) => {
                println!(
                    "Created a site in {} ({} files). Next:",
                    dir.display(),
                    files.len()
                );
                println!("  cd {}\n  bantin serve", dir.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
    }
}

fn run_build(options: &BuildOptions, timings: bool) -> ExitCode {
    // Ctrl-C stops the build and removes its staging folder; a second one stops at once.
    let _ = ctrlc::set_handler(|| {
        if bantin::stop::request_stop() {
            std::process::exit(130);
        }
    });
    // A progress bar only for people watching a terminal; logs and CI stay quiet.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |stage: Stage, done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_message(match stage {
                Stage::Thumbnails => "thumbnails (made once, then kept in .bantin-cache/)",
                Stage::Pages => "pages",
            });
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let result = build_with_progress(options, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            print_report(&report, timings);
            ExitCode::SUCCESS
        }
        Err(BuildError::Stopped) => {
            eprintln!("Build stopped. The previous output was left unchanged.");
            ExitCode::from(130)
        }
        Err(error) => {
            report_failure(&error);
            ExitCode::FAILURE
        }
    }
}

fn print_report(report: &BuildReport, timings: bool) {
    if timings {
        for (stage, seconds) in &report.timings.stages {
            println!("  {stage:<24} {seconds:>7.3} s");
        }
    }
    let warnings = if report.warnings > 0 {
        let warnings = count(report.warnings, "warning", "warnings");
        format!(" ({warnings}: run `bantin check`)")
    } else {
        String::new()
    };
    let copied = count(report.files_copied, "copied file", "copied files");
    let files = match report.thumbnails {
        0 => format!(" and {copied}"),
        n => format!(", {copied} and {}", count(n, "thumbnail", "thumbnails")),
    };
    println!(
        "Built {}, {}{files} in {:.2} s into {}{warnings}",
        count(report.articles, "article", "articles"),
        count(report.pages, "page", "pages"),
        report.seconds,
        report.output.display()
    );
    if !report.scheduled.is_empty() {
        let scheduled = count(report.scheduled.len(), "article is", "articles are");
        println!("{scheduled} dated later and left out until a build after that date (--future publishes them now):");
        for (file, date) in &report.scheduled {
            println!("  {}  {}", date.as_written(), file.display());
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
                "Build failed: {}. The previous output was left unchanged.",
                count(diagnostics.len(), "problem", "problems")
            );
        }
        BuildError::Output(_) | BuildError::Stopped => eprintln!("error: {error}"),
    }
}

/// `--base-url` as `bantin.yaml`'s `base_url` must be: a full address.
fn absolute_address(url: &str) -> Result<String, String> {
    match bantin::config::is_absolute_address(url) {
        true => Ok(url.to_string()),
        false if url.starts_with('/') => Err(format!(
            "`{url}` is not a full address: write the site's, e.g. https://tin.example.gov.vn/"
        )),
        false => Err(format!(
            "`{url}` is not a full address: write it with its scheme, e.g. https://{url}/"
        )),
    }
}
