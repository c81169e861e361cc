//! `bantin serve`: builds into a private folder, serves it, and rebuilds what changed on every
//! save until Ctrl-C.

use crate::cmd::build::{fixed_build_time, BuildError, BuildOptions};
use crate::diagnostics::count;
use crate::serve::{serve_http, watch, Rebuilder, ServerState};
use crate::vi::VnDate;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::Duration;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    /// Also show articles dated after now.
    pub future: bool,
    /// Print how long each stage of each rebuild took.
    pub timings: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the site folder {path}: {reason}; run bantin serve in the folder of bantin.yaml, or give it with --root")]
    Root { path: String, reason: String },
    #[error("cannot listen on {address}: {reason}; {help}")]
    Listen {
        address: String,
        reason: String,
        help: &'static str,
    },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

enum Message {
    Changed(Vec<PathBuf>),
    Stop,
}

/// Runs until Ctrl-C; the private output folder is removed on the way out.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    // Resolved once, so the watcher's paths and the rebuilder's folders are spelled alike.
    let root = std::fs::canonicalize(&options.root).map_err(|e| ServeError::Root {
        path: options.root.display().to_string(),
        reason: e.to_string(),
    })?;
    let address = format!("{}:{}", options.bind, options.port);
    let server = std::net::TcpListener::bind(&address).map_err(|e| ServeError::Listen {
        address: address.clone(),
        reason: e.to_string(),
        help: match e.kind() {
            std::io::ErrorKind::AddrNotAvailable => {
                "give --bind an address of this machine (127.0.0.1, or 0.0.0.0 for every one)"
            }
            _ => "choose another port with --port",
        },
    })?;
    let port = server.local_addr().map_or(options.port, |a| a.port());
    // Links must work from every browser that can reach the server: with an "any address"
    // bind, that is this machine's address on its network (loopback when it has none).
    let host = if options.bind.is_unspecified() {
        network_address(options.bind).to_string()
    } else {
        options.bind.to_string()
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    let output = std::env::temp_dir().join(format!("bantin-serve-{}", std::process::id()));
    if output.exists() {
        std::fs::remove_dir_all(&output)?;
    }
    std::fs::create_dir_all(&output)?;
    let mut rebuilder = Rebuilder::new(BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        drafts: options.drafts,
        future: options.future,
        base_url: Some(format!("http://{host}:{port}/")),
        now: None,
    });
    let state = ServerState::new(&output)?;
    // Watching starts before the first build: a file saved while it runs, or the moment the
    // site appears, is rebuilt too.
    let (messages, inbox) = channel();
    // Ctrl-C stops serving once the build under way is done; a second one at once. Either
    // way the served folder is removed.
    let stop = messages.clone();
    let served = output.clone();
    let _ = ctrlc::set_handler(move || {
        if stop.send(Message::Stop).is_err() || crate::stop::request_stop() {
            let _ = std::fs::remove_dir_all(&served);
            std::process::exit(130);
        }
    });
    let (changes, changed) = channel();
    let _watcher = watch(&root, changes)?;
    let first = rebuilder.rebuild(&[]);
    let mut next_due = first.as_ref().ok().and_then(|done| done.next_due);
    let mut built = report(first, &state, options.timings, false);
    update_search(&mut rebuilder, options.timings);
    let serving = std::sync::Arc::clone(&state);
    std::thread::spawn(move || serve_http(server, serving));
    println!("Serving http://{host}:{port}/ (Ctrl-C to stop)");

    let forward = messages.clone();
    std::thread::spawn(move || {
        for paths in changed {
            if forward.send(Message::Changed(paths)).is_err() {
                return;
            }
        }
    });
    drop(messages);
    // A scheduled article is shown when its moment comes, saved file or not.
    let clock_runs = fixed_build_time().is_none() && !options.future;
    loop {
        let wait = next_due
            .filter(|_| clock_runs)
            .map(|due| wait_until(due, VnDate::now()));
        let message = match wait {
            Some(wait) => match inbox.recv_timeout(wait) {
                Err(RecvTimeoutError::Timeout) => Message::Changed(Vec::new()),
                received => received.unwrap_or(Message::Stop),
            },
            None => inbox.recv().unwrap_or(Message::Stop),
        };
        match message {
            Message::Changed(paths) => {
                let result = rebuilder.rebuild(&paths);
                if let Ok(done) = &result {
                    next_due = done.next_due;
                }
                built = report(result, &state, options.timings, built);
                update_search(&mut rebuilder, options.timings);
            }
            Message::Stop => break,
        }
    }
    std::fs::remove_dir_all(&output)?;
    println!("Stopped.");
    Ok(())
}

/// How long to wait from `now` for the moment `due`: at least a second (a rebuild at the
/// moment itself could still see it as later), at most an hour (a clock set again meanwhile).
fn wait_until(due: VnDate, now: VnDate) -> Duration {
    let seconds = due.timestamp().saturating_sub(now.timestamp()) + 1;
    Duration::from_secs(seconds.clamp(1, 3600).unsigned_abs())
}

/// The address other machines reach this one by: the one the system would send from to the
/// outside (no packet is sent); loopback when there is no network.
fn network_address(unspecified: IpAddr) -> IpAddr {
    let (any, outside) = match unspecified {
        IpAddr::V4(_) => ("0.0.0.0:0", "192.0.2.1:80"),
        IpAddr::V6(_) => ("[::]:0", "[2001:db8::1]:80"),
    };
    let found = std::net::UdpSocket::bind(any)
        .and_then(|socket| socket.connect(outside).map(|()| socket))
        .and_then(|socket| socket.local_addr())
        .map(|address| address.ip());
    match found {
        Ok(address) if !address.is_unspecified() => address,
        _ if unspecified.is_ipv4() => IpAddr::from([127, 0, 0, 1]),
        _ => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
    }
}

/// Updates the search index after the pages: the browser reloads the edited page without
/// waiting for it.
fn update_search(rebuilder: &mut Rebuilder, timings: bool) {
    let started = std::time::Instant::now();
    match rebuilder.update_search() {
        Ok(changed) if timings => println!(
            "  search index         {:>7.1} ms, {} changed",
            started.elapsed().as_secs_f64() * 1000.0,
            count(changed, "file", "files")
        ),
        Ok(_) => {}
        Err(error) => eprintln!("cannot update the search index: {error}"),
    }
}

/// Prints what a rebuild did and tells the open tabs. Returns whether a site is being served
/// (this rebuild's, or the last good one when `built` before).
fn report(
    result: Result<crate::serve::RebuildReport, BuildError>,
    state: &ServerState,
    timings: bool,
    built: bool,
) -> bool {
    let serving = match built {
        true => "still serving the last good build",
        false => "nothing to serve until they are fixed",
    };
    match result {
        Ok(done) => {
            if timings {
                for (stage, seconds) in &done.timings.stages {
                    println!("  {stage:<20} {:>7.1} ms", seconds * 1000.0);
                }
            }
            let scheduled = match done.scheduled {
                0 => String::new(),
                n => format!(
                    " ({} dated later not shown: --future shows {})",
                    count(n, "article", "articles"),
                    if n == 1 { "it" } else { "them" }
                ),
            };
            println!(
                "Rebuilt in {:.0} ms: {}, {} rendered, {} changed{scheduled}",
                done.seconds * 1000.0,
                count(done.articles, "article", "articles"),
                count(done.rendered, "page", "pages"),
                count(done.written, "file", "files")
            );
            state.reload();
            true
        }
        Err(BuildError::Site(problems)) => {
            let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            let text = text.join("\n\n");
            let problems = count(problems.len(), "problem", "problems");
            eprintln!("{text}\n\n{problems}; {serving}.");
            state.problem(&text);
            built
        }
        Err(error) => {
            eprintln!("error: {error}; {serving}.");
            state.problem(&error.to_string());
            built
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_any_address_bind_links_to_a_reachable_address() {
        for any in [
            IpAddr::from([0, 0, 0, 0]),
            IpAddr::from(std::net::Ipv6Addr::UNSPECIFIED),
        ] {
            let address = network_address(any);
            assert!(!address.is_unspecified(), "{address}");
            assert_eq!(address.is_ipv4(), any.is_ipv4());
        }
    }

    #[test]
    fn serve_wakes_up_just_after_the_next_scheduled_article_is_due() {
        let date = |text: &str| crate::vi::parse_date(text).unwrap();
        let now = date("2024-04-10T05:59:30+07:00");
        let at = |text: &str| wait_until(date(text), now);
        assert_eq!(at("2024-04-10T06:00:00+07:00"), Duration::from_secs(31));
        assert_eq!(at("2024-04-10T05:00:00+07:00"), Duration::from_secs(1));
        assert_eq!(at("2024-04-11T06:00:00+07:00"), Duration::from_secs(3600));
    }
}
