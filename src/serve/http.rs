//! The HTTP side of `serve`: files of the built site (never anything outside it), the live
//! reload event stream, and the error overlay shown while the sources have a problem.
//!
//! A small HTTP/1.1 server of its own, a thread per connection: GET and HEAD of files, kept
//! alive between requests, and one open response per tab for the event stream. (tiny_http,
//! used before, handed connections to a thread pool that could leave a new connection queued
//! while every worker sat on an idle keep-alive connection: a page or a search stalled.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// The state as the server threads and the rebuild loop hold it.
pub type SharedState = Arc<ServerState>;

impl ServerState {
    pub fn new(root: &Path) -> std::io::Result<SharedState> {
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

/// Answers connections until the listener fails; each connection gets its own thread, since
/// event streams stay open.
pub fn serve_http(listener: TcpListener, state: SharedState) {
    for stream in listener.incoming().flatten() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || serve_connection(stream, &state));
    }
}

/// A connection left idle this long is closed (browsers open a new one when they need it).
const IDLE: Duration = Duration::from_secs(30);

/// Longest request line and headers accepted: a browser's are a few hundred bytes.
const MAX_HEAD: u64 = 32 * 1024;

/// What a request asks for.
struct Request {
    method: String,
    target: String,
    /// The browser will send nothing more on this connection.
    close: bool,
    /// The `Range` header (`bytes=0-1023`): browsers play video a part at a time.
    range: Option<String>,
}

/// Answers the requests of one connection, one after the other.
fn serve_connection(stream: TcpStream, state: &ServerState) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        if !matches!(answer(&request, state, &mut out), Ok(true)) {
            return;
        }
    }
}

/// The request line and headers of the next request; none when the connection closed, stayed
/// idle or sent something that is not HTTP/1.
fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut head = reader.take(MAX_HEAD);
    let mut line = String::new();
    head.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    let mut close = version == "HTTP/1.0";
    let mut range = None;
    loop {
        let mut header = String::new();
        if head.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("connection") {
                let value = value.trim().to_ascii_lowercase();
                close = value.contains("close") || (close && !value.contains("keep-alive"));
            } else if name.trim().eq_ignore_ascii_case("range") {
                range = Some(value.trim().to_string());
            }
        }
    }
    Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        close,
        range,
    })
}

/// A response to send: status, headers besides the length, body.
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

/// Sends the response to `request`; true when the connection can carry another request.
fn answer(request: &Request, state: &ServerState, out: &mut TcpStream) -> std::io::Result<bool> {
    let url = request
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let response = match request.method.as_str() {
        "GET" | "HEAD" if url == EVENTS_PATH => return stream_events(out, state).map(|_| false),
        "GET" | "HEAD" => match site_file(&state.root, &url) {
            Found::File(path) => match &request.range {
                Some(range) => with_range(file_response(&path, 200, state), range),
                None => file_response(&path, 200, state),
            },
            Found::Redirect(location) => {
                // The query goes along: `/tim-kiem?q=dân tộc` keeps the reader's words.
                let query = request.target.split('#').next().unwrap_or("");
                let query = query.find('?').map_or("", |at| &query[at..]);
                Response {
                    status: 301,
                    headers: vec![("Location", format!("{location}{query}"))],
                    body: Vec::new(),
                }
            }
            Found::Missing => file_response(&state.root.join("404.html"), 404, state),
        },
        _ => Response {
            status: 405,
            headers: vec![("Allow", "GET, HEAD".to_string())],
            body: Vec::new(),
        },
    };
    // A request this server does not answer may have a body it did not read: close.
    let close = request.close || response.status == 405;
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        response.body.len(),
        if close { "close" } else { "keep-alive" },
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if request.method != "HEAD" {
        out.write_all(&response.body)?;
    }
    out.flush()?;
    Ok(!close)
}

/// The reason phrase of a status this server sends (HTTP allows an empty one).
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        _ => "",
    }
}

enum Found {
    File(PathBuf),
    Redirect(String),
    Missing,
}

/// The file of the site a URL path names. `..` (also percent-encoded), backslashes, NUL and
/// symbolic links leading outside the site all give `Missing`.
fn site_file(root: &Path, url: &str) -> Found {
    let Some(decoded) = crate::assemble::url_decode(url) else {
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
            // One leading slash: `//thoi-su/` would send the browser to the host `thoi-su`.
            return Found::Redirect(format!("/{}/", url.trim_start_matches('/')));
        }
        path.push("index.html");
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => Found::File(real),
        _ => Found::Missing,
    }
}

fn file_response(path: &Path, status: u16, state: &ServerState) -> Response {
    let Ok(mut bytes) = std::fs::read(path) else {
        let page = with_reload_script(NO_SITE_YET.to_string(), state);
        return Response {
            status,
            headers: vec![("Content-Type", "text/html; charset=utf-8".to_string())],
            body: page.into_bytes(),
        };
    };
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        bytes =
            with_reload_script(String::from_utf8_lossy(&bytes).into_owned(), state).into_bytes();
    }
    Response {
        status,
        headers: vec![
            ("Content-Type", kind.to_string()),
            ("Cache-Control", "no-store".to_string()),
            ("Accept-Ranges", "bytes".to_string()),
        ],
        body: bytes,
    }
}

/// The part of `response` that a single byte range asks for (206), or 416 when the range
/// lies outside the file; other forms of range (several parts) get the whole file.
fn with_range(mut response: Response, range: &str) -> Response {
    let length = response.body.len();
    let Some((start, end)) = range
        .strip_prefix("bytes=")
        .filter(|spec| !spec.contains(','))
        .and_then(|spec| spec.split_once('-'))
    else {
        return response;
    };
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => match suffix.parse::<usize>() {
            Ok(n) if n > 0 => (length.saturating_sub(n), length.saturating_sub(1)),
            _ => return response,
        },
        (start, "") => match start.parse::<usize>() {
            Ok(start) => (start, length.saturating_sub(1)),
            Err(_) => return response,
        },
        (start, end) => match (start.parse::<usize>(), end.parse::<usize>()) {
            (Ok(start), Ok(end)) if start <= end => (start, end.min(length.saturating_sub(1))),
            _ => return response,
        },
    };
    if start >= length {
        response.status = 416;
        response
            .headers
            .push(("Content-Range", format!("bytes */{length}")));
        response.body.clear();
        return response;
    }
    response.status = 206;
    response
        .headers
        .push(("Content-Range", format!("bytes {start}-{end}/{length}")));
    response.body = response.body[start..=end].to_vec();
    response
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

/// Streams events to one tab until it goes away. The body ends when the connection closes, so
/// each message leaves as soon as it is written.
fn stream_events(out: &mut TcpStream, state: &ServerState) -> std::io::Result<()> {
    let (sender, receiver) = channel();
    lock(&state.clients).push(sender);
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
          Cache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    out.flush()?;
    loop {
        // A comment every 15 s keeps the connection open and finds tabs that went away.
        let message = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        out.write_all(message.as_bytes())?;
        out.flush()?;
    }
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
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mjs" => "text/javascript; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" => "audio/ogg",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_and_fonts_have_their_types() {
        for (name, kind) in [
            ("a.mp4", "video/mp4"),
            ("a.MP3", "audio/mpeg"),
            ("a.woff", "font/woff"),
            ("a.mjs", "text/javascript; charset=utf-8"),
            ("site.webmanifest", "application/manifest+json"),
            ("k0.bin", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind, "{name}");
        }
    }

    #[test]
    fn single_byte_ranges_are_answered() {
        let whole = || Response {
            status: 200,
            headers: Vec::new(),
            body: b"0123456789".to_vec(),
        };
        let part = |range: &str| {
            let response = with_range(whole(), range);
            let content_range = response
                .headers
                .iter()
                .find(|(name, _)| *name == "Content-Range")
                .map(|(_, value)| value.clone());
            (response.status, response.body, content_range)
        };
        let text = |s: &str| s.as_bytes().to_vec();
        let range = |s: &str| Some(s.to_string());
        assert_eq!(part("bytes=2-4"), (206, text("234"), range("bytes 2-4/10")));
        assert_eq!(part("bytes=7-"), (206, text("789"), range("bytes 7-9/10")));
        assert_eq!(part("bytes=-2"), (206, text("89"), range("bytes 8-9/10")));
        assert_eq!(
            part("bytes=5-99"),
            (206, text("56789"), range("bytes 5-9/10"))
        );
        assert_eq!(part("bytes=10-"), (416, Vec::new(), range("bytes */10")));
        assert_eq!(part("bytes=0-1,4-5").0, 200);
        assert_eq!(part("bytes=4-2").0, 200);
        assert_eq!(part("items=0-1").0, 200);
    }

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
        assert!(matches!(site_file(&root, "/tin"), Found::Redirect(to) if to == "/tin/"));
        assert!(matches!(site_file(&root, "//tin"), Found::Redirect(to) if to == "/tin/"));
        assert!(matches!(site_file(&root, "/t%69n/"), Found::File(_)));
    }
}
