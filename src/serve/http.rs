//! The HTTP side of `serve`: files of the built site (never anything outside it), the live
//! reload event stream, and the error overlay shown while the sources have a problem.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiny_http::{Header, Request, Response, StatusCode};

const EVENTS_PATH: &str = "/__bantin/events";

/// What the server shares with the rebuild loop.
pub struct ServerState {
    /// The built site (canonical path).
    root: PathBuf,
    /// The problems of the last rebuild, shown over every page until fixed.
    problem: Mutex<Option<String>>,
    /// Open event streams of browser tabs.
    clients: Mutex<Vec<Sender<String>>>,
}

pub type Broadcast = Arc<ServerState>;

impl ServerState {
    pub fn new(root: &Path) -> std::io::Result<Broadcast> {
        Ok(Arc::new(ServerState {
            root: root.canonicalize()?,
            problem: Mutex::new(None),
            clients: Mutex::new(Vec::new()),
        }))
    }

    /// Tells every open tab to reload: the site changed and has no problem.
    pub fn reload(&self) {
        *lock(&self.problem) = None;
        self.send("event: reload\ndata: {}\n\n".to_string());
    }

    /// Shows `text` over every open tab (and every page served until the next `reload`).
    pub fn problem(&self, text: &str) {
        *lock(&self.problem) = Some(text.to_string());
        let data = serde_json::to_string(text).unwrap_or_default();
        self.send(format!("event: problem\ndata: {data}\n\n"));
    }

    fn send(&self, message: String) {
        lock(&self.clients).retain(|client| client.send(message.clone()).is_ok());
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Answers requests until the server is dropped; each request gets its own thread, since event
/// streams stay open.
pub fn serve_http(server: tiny_http::Server, state: Broadcast) {
    for request in server.incoming_requests() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || answer(request, &state));
    }
}

fn answer(request: Request, state: &ServerState) {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == EVENTS_PATH {
        stream_events(request, state);
        return;
    }
    let response = match site_file(&state.root, &url) {
        Found::File(path) => file_response(&path, 200, state),
        Found::Redirect(location) => Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(header("Location", &location)),
        Found::Missing => file_response(&state.root.join("404.html"), 404, state),
    };
    let _ = request.respond(response);
}

enum Found {
    File(PathBuf),
    Redirect(String),
    Missing,
}

/// The file of the site a URL path names. `..` (also percent-encoded), backslashes, NUL and
/// symbolic links leading outside the site all give `Missing`.
fn site_file(root: &Path, url: &str) -> Found {
    let Some(decoded) = percent_decode(url) else {
        return Found::Missing;
    };
    if decoded.contains(['\\', '\0']) {
        return Found::Missing;
    }
    let mut relative = PathBuf::new();
    for part in decoded.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." {
            return Found::Missing;
        }
        relative.push(part);
    }
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Found::Missing;
    }
    let mut path = root.join(&relative);
    if path.is_dir() {
        if !decoded.ends_with('/') {
            return Found::Redirect(format!("{url}/"));
        }
        path.push("index.html");
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => Found::File(real),
        _ => Found::Missing,
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn file_response(
    path: &Path,
    status: u16,
    state: &ServerState,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let Ok(mut bytes) = std::fs::read(path) else {
        let page = with_reload_script(NO_SITE_YET.to_string(), state);
        return Response::from_data(page.into_bytes())
            .with_status_code(status)
            .with_header(header("Content-Type", "text/html; charset=utf-8"));
    };
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        bytes =
            with_reload_script(String::from_utf8_lossy(&bytes).into_owned(), state).into_bytes();
    }
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

const NO_SITE_YET: &str = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>bantin</title></head><body><p>Chưa dựng được trang: xem lỗi bên dưới và trong cửa sổ dòng lệnh.</p></body></html>";

/// Adds the live reload script (serve only), with the current problem shown at once.
fn with_reload_script(mut html: String, state: &ServerState) -> String {
    let problem = lock(&state.problem).clone();
    let initial = problem.map_or("null".to_string(), |p| {
        serde_json::to_string(&p).unwrap_or_default()
    });
    // JSON inside a script: keep `</script>` in a message from closing it.
    let script = RELOAD_SCRIPT.replace("INITIAL_PROBLEM", &initial.replace("</", "<\\/"));
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &script),
        None => html.push_str(&script),
    }
    html
}

const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  function show(text) {
    var box = document.getElementById("bantin-loi");
    if (!box) {
      box = document.createElement("div");
      box.id = "bantin-loi";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;background:rgba(30,0,0,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "Lỗi khi dựng trang — đang hiển thị bản dựng trước. Sửa tệp rồi lưu lại, trang sẽ tự tải lại.\n\n" + text;
  }
  var initial = INITIAL_PROBLEM;
  if (initial) show(initial);
  var events = new EventSource("/__bantin/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("problem", function (e) { show(JSON.parse(e.data)); });
})();
</script>
"#;

/// Streams events to one tab until it goes away.
fn stream_events(request: Request, state: &ServerState) {
    let (sender, receiver) = channel();
    lock(&state.clients).push(sender);
    // The first message is padded too, so the response headers leave at once.
    let pending = padded("retry: 500\n\n");
    let stream = EventStream {
        receiver,
        pending,
        at: 0,
    };
    let headers = vec![
        header("Content-Type", "text/event-stream; charset=utf-8"),
        header("Cache-Control", "no-store"),
    ];
    let _ = request.respond(Response::new(StatusCode(200), headers, stream, None, None));
}

/// The body of an event stream: messages from the rebuild loop, and a comment every 15 s so the
/// connection stays open.
struct EventStream {
    receiver: Receiver<String>,
    pending: Vec<u8>,
    at: usize,
}

/// tiny_http sends a chunked body in chunks of 8 KiB and only when a chunk is full, so every
/// message is followed by an 8 KiB comment (ignored by browsers) that pushes it out at once.
const FLUSH_PADDING: usize = 8192;

fn padded(message: &str) -> Vec<u8> {
    format!("{message}:{}\n\n", " ".repeat(FLUSH_PADDING)).into_bytes()
}

impl Read for EventStream {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.pending.len() {
            let message = match self.receiver.recv_timeout(Duration::from_secs(15)) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return Ok(0),
            };
            self.pending = padded(&message);
            self.at = 0;
        }
        let count = buffer.len().min(self.pending.len() - self.at);
        buffer[..count].copy_from_slice(&self.pending[self.at..self.at + count]);
        self.at += count;
        Ok(count)
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_outside_the_site_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("tin")).unwrap();
        std::fs::write(site.join("tin/index.html"), "tin").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let root = site.canonicalize().unwrap();
        for url in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/tin/../../secret.txt",
            "/..%2fsecret.txt",
            "/%5c..%5csecret.txt",
            "/%00",
        ] {
            assert!(matches!(site_file(&root, url), Found::Missing), "{url}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt"))
                .unwrap();
            assert!(matches!(site_file(&root, "/link.txt"), Found::Missing));
        }
        assert!(matches!(site_file(&root, "/tin/"), Found::File(_)));
        assert!(matches!(site_file(&root, "/tin"), Found::Redirect(_)));
        assert!(matches!(site_file(&root, "/t%69n/"), Found::File(_)));
    }
}
