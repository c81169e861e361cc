//! `bantin serve` started on a free port for a test, and stopped with it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    /// Stops it as Ctrl-C does, so that it removes its folder under /tmp (killed, it leaves
    /// one per test run); killed if it has not stopped within 10 s.
    fn drop(&mut self) {
        let interrupted = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        while interrupted && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves the site in `root` and waits until it answers.
pub fn start(root: &Path) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start bantin serve");
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(server.port, "/").is_none() {
        assert!(Instant::now() < deadline, "serve did not answer");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// A raw GET, so the path reaches the server exactly as written (no client normalization):
/// the status and the whole response as text.
pub fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let (status, head, body) = fetch(port, path)?;
    Some((status, head + &String::from_utf8_lossy(&body)))
}

/// A raw GET: the status, the head (status line and headers) and the body's bytes.
pub fn fetch(port: u16, path: &str) -> Option<(u16, String, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head, response[split..].to_vec()))
}
