//! `bantin serve` end to end: live reload after an edit, the error page while the front matter
//! is broken (the last good article still served), recovery, no file outside the site, and
//! HTTP as browsers use it (connections kept open, HEAD, other methods refused).

mod common;

use common::server::{get, start};
use common::{Fixture, CONFIG};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// The event names of the live reload stream, as they arrive.
fn events(port: u16) -> Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__bantin/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (send, receive) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(name) = line.strip_prefix("event: ") {
                if send.send(name.to_string()).is_err() {
                    return;
                }
            }
        }
    });
    receive
}

/// Waits for the event `name`; a save can come as several bursts of file events, so other
/// events before it are skipped.
fn wait_for(events: &Receiver<String>, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) if event == name => return,
            Ok(_) => {}
            Err(_) => panic!("no `{name}` event from serve"),
        }
    }
}

/// Polls `path` until its text satisfies `wanted`: a save may come as several bursts of file
/// events, and the test must not race the last rebuild.
fn eventually(port: u16, path: &str, wanted: impl Fn(u16, &str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some((status, text)) = get(port, path) {
            if wanted(status, &text) {
                return text;
            }
        }
        assert!(Instant::now() < deadline, "{path} never showed the change");
        std::thread::sleep(Duration::from_millis(50));
    }
}

const ARTICLE: &str = "content/thoi-su/2024/04/tin.md";

#[test]
fn edits_reload_tabs_errors_show_and_the_site_never_leaks() {
    let site = Fixture::new(CONFIG);
    site.article(
        ARTICLE,
        "Tin ban đầu",
        "2024-04-01",
        "",
        "Nội dung ban đầu.\n",
    );
    let server = start(site.root());
    let (status, page) = get(server.port, "/thoi-su/2024/04/tin/").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("Nội dung ban đầu."));
    assert!(
        page.contains("new EventSource(\"/__bantin/events\")"),
        "the reload script is injected"
    );
    let stream = events(server.port);
    std::thread::sleep(Duration::from_millis(300));

    // An edit: saved through a temporary file and a rename, as many editors do.
    let temporary = site.root().join("content/thoi-su/2024/04/.tin.md.swp");
    std::fs::write(
        &temporary,
        "---\ntitle: \"Tin đã sửa\"\ndate: 2024-04-01\n---\nNội dung mới.\n",
    )
    .unwrap();
    std::fs::rename(&temporary, site.root().join(ARTICLE)).unwrap();
    wait_for(&stream, "reload");
    eventually(server.port, "/thoi-su/2024/04/tin/", |_, page| {
        page.contains("Nội dung mới.") && page.contains("Tin đã sửa")
    });
    eventually(server.port, "/", |_, page| page.contains("Tin đã sửa"));

    // Broken front matter: an error event, the error in every page, the old article served.
    site.write(
        ARTICLE,
        "---\ntitle: \"Tin đã sửa\"\ndate: 2024-04-01\nautors: [\"A\"]\n---\nNội dung hỏng.\n",
    );
    wait_for(&stream, "problem");
    let page = eventually(server.port, "/thoi-su/2024/04/tin/", |status, page| {
        status == 200 && page.contains("did you mean")
    });
    assert!(
        page.contains("Nội dung mới."),
        "the last good article is still served"
    );
    assert!(
        page.contains("content/thoi-su/2024/04/tin.md:4:1"),
        "the overlay names file:line"
    );
    assert!(page.contains("did you mean `authors`?"));

    // Fixed: recovery without a restart.
    site.write(ARTICLE, "---\ntitle: \"Tin đã sửa\"\ndate: 2024-04-01\nauthors: [\"A\"]\n---\nNội dung đã sửa lỗi.\n");
    wait_for(&stream, "reload");
    let page = eventually(server.port, "/thoi-su/2024/04/tin/", |_, page| {
        page.contains("Nội dung đã sửa lỗi.")
    });
    assert!(!page.contains("did you mean"), "no overlay once fixed");

    // Only the body changes: the fast path that keeps the site's structure.
    site.write(
        ARTICLE,
        "---\ntitle: \"Tin đã sửa\"\ndate: 2024-04-01\nauthors: [\"A\"]\n---\nChỉ sửa thân bài.\n",
    );
    wait_for(&stream, "reload");
    eventually(server.port, "/thoi-su/2024/04/tin/", |_, page| {
        page.contains("Chỉ sửa thân bài.")
    });
    eventually(server.port, "/", |_, page| {
        page.contains("Chỉ sửa thân bài.")
    });

    // A new article appears in its section; a removed one disappears.
    site.article(
        "content/thoi-su/2024/04/moi.md",
        "Tin mới thêm",
        "2024-04-02",
        "",
        "X\n",
    );
    wait_for(&stream, "reload");
    eventually(server.port, "/thoi-su/", |_, page| {
        page.contains("Tin mới thêm")
    });
    site.remove("content/thoi-su/2024/04/moi.md");
    wait_for(&stream, "reload");
    eventually(server.port, "/thoi-su/2024/04/moi/", |status, _| {
        status == 404
    });
    eventually(server.port, "/thoi-su/", |_, page| {
        !page.contains("Tin mới thêm")
    });

    // Nothing outside the site, however the path is written.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2E%2E/bantin.yaml",
        "/..%2f..%2fbantin.yaml",
    ] {
        let (status, text) = get(server.port, path).unwrap();
        assert_eq!(status, 404, "{path}");
        assert!(
            !text.contains("[package]") && !text.contains("base_url"),
            "{path}"
        );
    }
}

#[test]
fn a_template_change_re_renders_without_reading_articles_again() {
    let site = Fixture::new(CONFIG);
    site.article(ARTICLE, "Tin", "2024-04-01", "", "Nội dung.\n");
    let server = start(site.root());
    let stream = events(server.port);
    std::thread::sleep(Duration::from_millis(300));
    let footer = site.root().join("themes/default/templates/404.html");
    let text = std::fs::read_to_string(&footer)
        .unwrap()
        .replace("Không tìm thấy trang</h1>", "Không tìm thấy trang này</h1>");
    std::fs::write(&footer, text).unwrap();
    wait_for(&stream, "reload");
    eventually(server.port, "/khong-co/", |status, page| {
        status == 404 && page.contains("Không tìm thấy trang này")
    });
    // The site's own templates/ (made while serving) replaces the theme's template.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Trang riêng của trang tin</h1>{% endblock content %}",
    );
    eventually(server.port, "/khong-co/", |status, page| {
        status == 404 && page.contains("Trang riêng của trang tin")
    });
}

/// Reads one response from a kept-alive connection: its head and, unless it answers a HEAD
/// request, a body of Content-Length bytes.
fn read_response(reader: &mut BufReader<TcpStream>, with_body: bool) -> (String, Vec<u8>) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a response line");
        head.push_str(&line);
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("Content-Length");
    let mut body = vec![0; if with_body { length } else { 0 }];
    reader.read_exact(&mut body).expect("the body");
    (head, body)
}

#[test]
fn connections_stay_open_and_idle_ones_never_hold_up_others() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let server = start(root);
    // Browsers keep connections open between requests: many idle ones must not keep a new
    // connection from being answered.
    let idle: Vec<TcpStream> = (0..12)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
        .collect();
    let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);

    // Two requests on one connection, the second a HEAD: same headers, no body.
    write!(writer, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (head, body) = read_response(&mut reader, true);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Type: text/css"), "{head}");
    assert!(head.contains("Connection: keep-alive"), "{head}");
    assert!(!body.is_empty());
    write!(writer, "HEAD /style.css HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (head, _) = read_response(&mut reader, false);
    let size = std::fs::metadata(root.join("themes/default/static/style.css"))
        .unwrap()
        .len();
    assert!(head.contains(&format!("Content-Length: {size}")), "{head}");
    // A folder without its slash is redirected with the query kept, and never to another
    // host (`//tim-kiem/` would be one).
    write!(
        writer,
        "GET //tim-kiem?q=d%C3%A2n+t%E1%BB%99c HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let (head, _) = read_response(&mut reader, true);
    assert!(head.starts_with("HTTP/1.1 301 "), "{head}");
    assert!(
        head.contains("Location: /tim-kiem/?q=d%C3%A2n+t%E1%BB%99c\r\n"),
        "{head}"
    );

    // Anything but GET and HEAD is refused, and the connection closed. (Had the HEAD answer
    // carried a body, these bytes would be CSS, not a status line.)
    write!(
        writer,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"
    )
    .unwrap();
    let (head, _) = read_response(&mut reader, true);
    assert!(head.starts_with("HTTP/1.1 405 "), "{head}");
    assert!(head.contains("Allow: GET, HEAD"), "{head}");
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).expect("closed");
    assert!(rest.is_empty());
    drop(idle);
}

/// The serve state of `site`, after its first build.
fn built_by_serve(site: &Fixture) -> bantin::serve::Rebuilder {
    let mut rebuilder = bantin::serve::Rebuilder::new(bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    rebuilder.rebuild(&[]).expect("first build");
    rebuilder
}

/// The first problem a rebuild after `changed` reports; it must report one.
fn first_problem(rebuilder: &mut bantin::serve::Rebuilder, changed: std::path::PathBuf) -> String {
    match rebuilder.rebuild(&[changed]) {
        Err(bantin::cmd::build::BuildError::Site(problems)) => problems[0].to_string(),
        other => panic!("the rebuild must report a problem: {:?}", other.is_ok()),
    }
}

/// Editing a bundle's `index.md` (an article with its photos beside it) shows the new text.
#[test]
fn serve_rebuilds_an_edited_bundle_article() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/ky-ket/index.md";
    site.article(
        article,
        "Ký kết",
        "2024-04-01",
        "photos:\n  - src: \"anh.png\"\n",
        "Nội dung cũ.\n",
    );
    site.write_bytes("content/thoi-su/2024/04/ky-ket/anh.png", common::PNG);
    let mut rebuilder = built_by_serve(&site);
    assert!(site
        .page("/thoi-su/2024/04/ky-ket/")
        .contains("Nội dung cũ."));
    site.article(
        article,
        "Ký kết",
        "2024-04-01",
        "photos:\n  - src: \"anh.png\"\n",
        "Nội dung mới.\n",
    );
    rebuilder
        .rebuild(&[site.root().join(article)])
        .expect("rebuild");
    assert!(site
        .page("/thoi-su/2024/04/ky-ket/")
        .contains("Nội dung mới."));
    // A photo added beside it, then shown in the body: saved in that order by the editor.
    let photo = "content/thoi-su/2024/04/ky-ket/hai.png";
    site.write_bytes(photo, common::PNG);
    rebuilder
        .rebuild(&[site.root().join(photo)])
        .expect("photo added");
    site.article(
        article,
        "Ký kết",
        "2024-04-01",
        "photos:\n  - src: \"anh.png\"\n",
        "Nội dung mới.\n\n![Ảnh hai](hai.png)\n",
    );
    rebuilder
        .rebuild(&[site.root().join(article)])
        .expect("photo shown");
    assert!(site.page("/thoi-su/2024/04/ky-ket/").contains("hai.png"));
    assert!(site.exists("/thoi-su/2024/04/ky-ket/hai.png"));
}

/// A tag edited in an article reaches the feeds, which show tags as categories.
#[test]
fn serve_updates_the_feeds_when_tags_change() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/tin.md";
    site.article(
        article,
        "Tin",
        "2024-04-01",
        "tags: [\"cũ\"]\n",
        "Nội dung.\n",
    );
    let mut rebuilder = built_by_serve(&site);
    assert!(site.page("/rss.xml").contains("<category>cũ</category>"));
    site.article(
        article,
        "Tin",
        "2024-04-01",
        "tags: [\"mới\"]\n",
        "Nội dung.\n",
    );
    rebuilder
        .rebuild(&[site.root().join(article)])
        .expect("rebuild");
    for feed in ["/rss.xml", "/atom.xml", "/thoi-su/rss.xml"] {
        let feed = site.page(feed);
        assert!(feed.contains("mới") && !feed.contains("cũ"), "{feed}");
    }
}

/// An alias added while serving may not replace a feed: the rebuild fails, as a build
/// would, and the feed stays.
#[test]
fn serve_refuses_an_alias_onto_a_feed() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/tin.md";
    site.article(article, "Tin", "2024-04-01", "", "Nội dung.\n");
    let mut rebuilder = built_by_serve(&site);
    site.article(
        article,
        "Tin",
        "2024-04-01",
        "aliases: [\"/rss.xml\"]\n",
        "Nội dung.\n",
    );
    let problem = first_problem(&mut rebuilder, site.root().join(article));
    assert!(
        problem.contains("the alias /rss.xml names a file the site writes itself"),
        "{problem}"
    );
    assert!(site.page("/rss.xml").contains("<rss"));
}

/// A file linked from an article and added while serving, before or after the link, is
/// published, and the link then points to it.
#[test]
fn serve_publishes_a_linked_file_added_later() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/bao-cao.md";
    let body = "Xem [báo cáo](bao-cao.pdf).\n";
    site.article(article, "Báo cáo", "2024-04-01", "", body);
    site.write("content/thoi-su/2024/04/bao-cao.pdf", "%PDF-1.4\n");
    let mut rebuilder = built_by_serve(&site);
    // The link first, then the file.
    let body = "Xem [báo cáo](bao-cao.pdf) và [phụ lục](phu-luc.pdf).\n";
    site.article(article, "Báo cáo", "2024-04-01", "", body);
    let _ = rebuilder.rebuild(&[site.root().join(article)]);
    let pdf = "content/thoi-su/2024/04/phu-luc.pdf";
    site.write(pdf, "%PDF-1.4\n");
    rebuilder
        .rebuild(&[site.root().join(pdf)])
        .expect("file added");
    assert!(site.exists("/thoi-su/2024/04/phu-luc.pdf"));
    let page = site.page("/thoi-su/2024/04/bao-cao/");
    assert!(page.contains("/thoi-su/2024/04/phu-luc.pdf\""), "{page}");
}

/// A site given by a relative path (`bantin serve` runs with `--root .`) sees the changes
/// the watcher reports with absolute paths.
#[test]
fn serve_with_a_relative_root_sees_edits() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/tin.md";
    site.article(article, "Tin cũ", "2024-04-01", "", "Nội dung.\n");
    let here = std::env::current_dir().unwrap();
    let up = here.components().count() - 1;
    let root = std::iter::repeat_n("..", up)
        .collect::<std::path::PathBuf>()
        .join(site.root().strip_prefix("/").unwrap());
    assert!(root.is_relative());
    let mut rebuilder = bantin::serve::Rebuilder::new(bantin::cmd::build::BuildOptions {
        root,
        ..Default::default()
    });
    rebuilder.rebuild(&[]).expect("first build");
    site.article(article, "Tin mới", "2024-04-01", "", "Nội dung.\n");
    rebuilder
        .rebuild(&[site.root().join(article)])
        .expect("rebuild");
    assert!(site.page("/thoi-su/2024/04/tin/").contains("Tin mới"));
    // bantin.yaml broken: reported at every rebuild until it is mended, with the content's
    // own errors.
    site.write("bantin.yaml", "title: [\n");
    assert!(first_problem(&mut rebuilder, site.root().join("bantin.yaml")).contains("bantin.yaml"));
    site.write(
        article,
        "---\ntitle: \"Tin mới\"\ndate: \"30/12/2024\"\n---\nNội dung.\n",
    );
    match rebuilder.rebuild(&[site.root().join(article)]) {
        Err(bantin::cmd::build::BuildError::Site(problems)) => {
            assert_eq!(problems.len(), 2, "{problems:#?}");
            assert_eq!(problems[0].file, std::path::Path::new("bantin.yaml"));
            assert!(problems[1].message.contains("not a date"), "{problems:#?}");
        }
        other => panic!("the rebuild must report problems: {:?}", other.is_ok()),
    }
    site.article(article, "Tin mới", "2024-04-01", "", "Nội dung.\n");
    site.write("bantin.yaml", CONFIG);
    rebuilder
        .rebuild(&[site.root().join("bantin.yaml")])
        .expect("mended");
}

/// A photo replaced beside an article that did not change: the page shows its new size; a
/// photo removed: the article is reported, as a build would.
#[test]
fn serve_sees_a_changed_or_removed_photo_beside_an_unchanged_article() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/ky-ket/index.md";
    let photo = "content/thoi-su/2024/04/ky-ket/anh.png";
    site.article(
        article,
        "Ký kết",
        "2024-04-01",
        "photos:\n  - src: \"anh.png\"\n",
        "Nội dung.\n",
    );
    site.write_bytes(photo, common::PNG);
    let mut rebuilder = built_by_serve(&site);
    assert!(site
        .page("/thoi-su/2024/04/ky-ket/")
        .contains("width=\"3\""));
    site.write_bytes(photo, &common::png_of_width(5));
    rebuilder
        .rebuild(&[site.root().join(photo)])
        .expect("photo replaced");
    assert!(site
        .page("/thoi-su/2024/04/ky-ket/")
        .contains("width=\"5\""));
    site.remove(photo);
    let problem = first_problem(&mut rebuilder, site.root().join(photo));
    assert!(problem.contains("anh.png"), "{problem}");
}

/// A photo the article reaches from another folder (`../`) or from `static/`: when it is
/// replaced, the unchanged article's page shows its new size; when its folder goes, the
/// article is reported.
#[test]
fn serve_sees_a_changed_photo_from_another_folder_or_static() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/ky-ket.md";
    let shared = "content/anh-chung/hoi-truong.png";
    let logo = "static/anh/logo.png";
    site.article(
        article,
        "Ký kết",
        "2024-04-01",
        "photos:\n  - src: \"../../../anh-chung/hoi-truong.png\"\n  - src: \"/anh/logo.png\"\n",
        "Nội dung.\n",
    );
    site.write_bytes(shared, common::PNG);
    site.write_bytes(logo, common::PNG);
    let mut rebuilder = built_by_serve(&site);
    let page = || site.page("/thoi-su/2024/04/ky-ket/");
    assert_eq!(page().matches("width=\"3\"").count(), 2, "{}", page());
    for (photo, width) in [(shared, 5), (logo, 7)] {
        site.write_bytes(photo, &common::png_of_width(width));
        rebuilder
            .rebuild(&[site.root().join(photo)])
            .expect("photo replaced");
        assert!(page().contains(&format!("width=\"{width}\"")), "{photo}");
    }
    // The folder removed whole: one event, for the folder; the article lost its photo.
    let folder = site.root().join("content/anh-chung");
    std::fs::remove_dir_all(&folder).unwrap();
    let problem = first_problem(&mut rebuilder, folder);
    assert!(problem.contains("hoi-truong.png"), "{problem}");
}

/// Folders named in NFD (macOS) are known in NFC but read where they are: an edit shows; a
/// photo in a folder below the article is seen when it changes; an article that failed for a
/// missing photo builds once the photo comes.
#[test]
fn serve_follows_nfd_folders_photos_below_and_photos_that_come() {
    use unicode_normalization::UnicodeNormalization;
    let site = Fixture::new(CONFIG);
    let folder: String = "content/thoi-su/2024/04/hoà-bình".nfd().collect();
    let article = format!("{folder}/index.md");
    site.article(&article, "Hòa Bình", "2024-04-01", "", "Bản cũ.\n");
    let bundle = "content/thoi-su/2024/04/ky-ket";
    let photos = "photos:\n  - src: \"anh/mot.png\"\n";
    site.article(
        &format!("{bundle}/index.md"),
        "Ký kết",
        "2024-04-03",
        photos,
        "Nội dung.\n",
    );
    let photo = format!("{bundle}/anh/mot.png");
    site.write_bytes(&photo, common::PNG);
    let mut rebuilder = built_by_serve(&site);
    let page = "/thoi-su/2024/04/hoa-binh/";
    assert!(site.page(page).contains("Bản cũ."));
    site.article(&article, "Hòa Bình", "2024-04-01", "", "Bản mới.\n");
    rebuilder
        .rebuild(&[site.root().join(&article)])
        .expect("edit");
    assert!(site.page(page).contains("Bản mới."));

    assert!(site
        .page("/thoi-su/2024/04/ky-ket/")
        .contains("width=\"3\""));
    site.write_bytes(&photo, &common::png_of_width(7));
    rebuilder
        .rebuild(&[site.root().join(&photo)])
        .expect("photo below");
    assert!(site
        .page("/thoi-su/2024/04/ky-ket/")
        .contains("width=\"7\""));

    let second = "content/thoi-su/2024/04/tin.md";
    site.article(
        second,
        "Tin",
        "2024-04-02",
        "photos:\n  - src: \"tin.png\"\n",
        "Nội dung.\n",
    );
    assert!(rebuilder.rebuild(&[site.root().join(second)]).is_err());
    let missing = "content/thoi-su/2024/04/tin.png";
    site.write_bytes(missing, common::PNG);
    rebuilder
        .rebuild(&[site.root().join(missing)])
        .expect("the photo came");
    assert!(site.exists("/thoi-su/2024/04/tin/"));
}

/// Pages that show what other articles decide are drawn again when those change: the
/// spelling of a tag most articles use, the latest news on the 404 page.
#[test]
fn serve_redraws_pages_that_other_articles_change() {
    let site = Fixture::new(CONFIG);
    let tagged = |file: &str, title: &str, date: &str, tag: &str| {
        site.article(
            &format!("content/thoi-su/2024/04/{file}.md"),
            title,
            date,
            &format!("tags: [\"{tag}\"]\n"),
            "Nội dung.\n",
        );
    };
    tagged("mot", "Bài một", "2024-04-01", "Hòa Bình");
    tagged("hai", "Bài hai", "2024-04-02", "Hoà Bình");
    tagged("ba", "Bài ba", "2024-04-03", "Hòa Bình");
    let mut rebuilder = built_by_serve(&site);
    let tag_link = |page: &str| site.page(page).contains("rel=\"tag\">Hòa Bình</a>");
    assert!(tag_link("/thoi-su/2024/04/mot/"), "most write Hòa Bình");
    // Bài ba now writes it the other way: most write Hoà Bình, Bài một's page too.
    tagged("ba", "Bài ba", "2024-04-03", "Hoà Bình");
    let changed = site.root().join("content/thoi-su/2024/04/ba.md");
    rebuilder
        .rebuild(std::slice::from_ref(&changed))
        .expect("rebuild");
    let first = site.page("/thoi-su/2024/04/mot/");
    assert!(
        first.contains("rel=\"tag\">Hoà Bình</a>"),
        "the untouched article follows"
    );
    assert_eq!(
        site.page("/rss.xml")
            .matches("<category>Hoà Bình</category>")
            .count(),
        3
    );
    // A new title of the newest article reaches the 404 page's latest news.
    tagged("ba", "Bài ba mới", "2024-04-03", "Hoà Bình");
    rebuilder.rebuild(&[changed]).expect("rebuild");
    assert!(site.page("/404.html").contains("Bài ba mới"));
}

/// A mistake in one article is reported once, by `serve` as by `build`: links to it from
/// other articles are not reported as broken on top of it.
#[test]
fn serve_reports_a_broken_article_once_not_the_links_to_it() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/dich.md",
        "Bài đích",
        "2024-04-01",
        "",
        "Nội dung.\n",
    );
    site.article(
        "content/thoi-su/2024/04/nguon.md",
        "Bài nguồn",
        "2024-04-02",
        "",
        "Xem [bài kia](dich.md).\n",
    );
    let mut rebuilder = built_by_serve(&site);
    let broken = site.root().join("content/thoi-su/2024/04/dich.md");
    std::fs::write(
        &broken,
        "---\ntitle: \"Bài đích\"\ndate: 2024-04-01\nautors: [\"A\"]\n---\nNội dung.\n",
    )
    .unwrap();
    let problems = match rebuilder.rebuild(std::slice::from_ref(&broken)) {
        Err(bantin::cmd::build::BuildError::Site(problems)) => problems,
        other => panic!("the typo must be reported: {:?}", other.is_ok()),
    };
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(listed.iter().any(|p| p.contains("autors")), "{listed:#?}");
    assert!(
        !listed.iter().any(|p| p.contains("broken link")),
        "{listed:#?}"
    );
}

/// A template that fails on some pages leaves every served page as it was: lists do not
/// start showing a new title whose article page could not be made.
#[test]
fn a_template_error_in_serve_writes_no_page() {
    let site = Fixture::new(CONFIG);
    site.article(ARTICLE, "Giao ban quý một", "2024-04-01", "", "Nội dung.\n");
    let mut rebuilder = built_by_serve(&site);
    site.article(ARTICLE, "Giao ban quý hai", "2024-04-01", "", "Nội dung.\n");
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ khong_co.gi }}{% endblock content %}",
    );
    let changed = [
        site.root().join(ARTICLE),
        site.root().join("templates/article.html"),
    ];
    assert!(rebuilder.rebuild(&changed).is_err());
    let home = site.page("/");
    assert!(
        home.contains("Giao ban quý một") && !home.contains("Giao ban quý hai"),
        "{home}"
    );
}

/// The list item template is rendered once per article and kept between rebuilds: an edit
/// of it, or of what it shows of the site, redraws every list; a mistake in it is reported
/// and leaves the lists as they were.
#[test]
fn serve_redraws_the_lists_when_the_list_item_template_changes() {
    let site = Fixture::new(CONFIG);
    site.article(ARTICLE, "Giao ban quý một", "2024-04-01", "", "Nội dung.\n");
    let item = "templates/partials/article_item.html";
    site.write(
        item,
        "<p class=\"mine\">{{ item.title }} · {{ site.title }}</p>\n",
    );
    let mut rebuilder = built_by_serve(&site);
    assert!(site
        .page("/thoi-su/")
        .contains("<p class=\"mine\">Giao ban quý một · Bản tin thử</p>"));
    site.write(
        item,
        "<p class=\"moi\">{{ item.title }} · {{ site.title }}</p>\n",
    );
    rebuilder
        .rebuild(&[site.root().join(item)])
        .expect("rebuild");
    let list = site.page("/thoi-su/");
    assert!(
        list.contains("<p class=\"moi\">Giao ban quý một · Bản tin thử</p>"),
        "{list}"
    );
    site.write("bantin.yaml", &CONFIG.replace("Bản tin thử", "Bản tin mới"));
    rebuilder
        .rebuild(&[site.root().join("bantin.yaml")])
        .expect("rebuild");
    assert!(site
        .page("/thoi-su/")
        .contains("<p class=\"moi\">Giao ban quý một · Bản tin mới</p>"));
    site.write(item, "<p>\n{{ item.khong_co.gi }}</p>\n");
    let problem = first_problem(&mut rebuilder, site.root().join(item));
    assert!(
        problem.contains("templates/partials/article_item.html:2")
            && problem.contains("while rendering the list item of"),
        "{problem}"
    );
    assert!(site.page("/thoi-su/").contains("<p class=\"moi\">"));
    // Until it is fixed, every rebuild says so: a failed item is not kept as if it were done.
    site.write("static/ghi-chu.txt", "Ghi chú.\n");
    let again = first_problem(&mut rebuilder, site.root().join("static/ghi-chu.txt"));
    assert!(
        again.contains("while rendering the list item of"),
        "{again}"
    );
    assert!(site.page("/thoi-su/").contains("<p class=\"moi\">"));
}

/// A wide lead photo replaced while serving: its list thumbnail is made again.
#[test]
fn serve_makes_the_thumbnail_of_a_replaced_lead_photo_again() {
    let site = Fixture::new(CONFIG);
    let photo = "content/thoi-su/2024/04/ky-ket/anh.jpg";
    site.article(
        "content/thoi-su/2024/04/ky-ket/index.md",
        "Ký kết",
        "2024-04-01",
        "photos:\n  - src: \"anh.jpg\"\n",
        "Nội dung.\n",
    );
    site.write_bytes(photo, &common::jpeg_photo(1600, 1000, 10));
    let mut rebuilder = built_by_serve(&site);
    let thumbnail = site.output().join("thoi-su/2024/04/ky-ket/anh.360.jpg");
    assert_eq!(common::pixel_size(&thumbnail), (360, 225));
    site.write_bytes(photo, &common::jpeg_photo(1000, 1000, 90));
    rebuilder
        .rebuild(&[site.root().join(photo)])
        .expect("photo replaced");
    assert_eq!(common::pixel_size(&thumbnail), (360, 360));
    assert!(site
        .page("/thoi-su/")
        .contains("anh.360.jpg\" alt=\"\" width=\"360\" height=\"360\""));
    // The front matter names another photo beside it: its thumbnail is made, no file saved.
    let added = "content/thoi-su/2024/04/ky-ket/khac.jpg";
    site.write_bytes(added, &common::jpeg_photo(1200, 600, 50));
    rebuilder
        .rebuild(&[site.root().join(added)])
        .expect("photo added");
    let article = "content/thoi-su/2024/04/ky-ket/index.md";
    let other = "photos:\n  - src: \"khac.jpg\"\n";
    site.article(article, "Ký kết", "2024-04-01", other, "Nội dung.\n");
    rebuilder
        .rebuild(&[site.root().join(article)])
        .expect("lead photo changed");
    let thumbnail = site.output().join("thoi-su/2024/04/ky-ket/khac.360.jpg");
    assert_eq!(common::pixel_size(&thumbnail), (360, 180));
}

/// A text edited to show a wide photo of its bundle that the front matter does not list: the
/// photo's medium copy is made, though no file changed but the text.
#[test]
fn serve_makes_the_medium_copy_of_a_photo_a_text_now_shows() {
    let site = Fixture::new(CONFIG);
    let article = "content/thoi-su/2024/04/hop/index.md";
    site.article(article, "Họp", "2024-04-01", "", "Nội dung.\n");
    site.write_bytes(
        "content/thoi-su/2024/04/hop/hoi-truong.jpg",
        &common::jpeg_photo(1600, 1000, 10),
    );
    let mut rebuilder = built_by_serve(&site);
    let medium = site.output().join("thoi-su/2024/04/hop/hoi-truong.800.jpg");
    assert!(!medium.exists());
    let text = "Nội dung.\n\n![Hội trường](hoi-truong.jpg \"Ảnh: Minh Khôi\")\n";
    site.article(article, "Họp", "2024-04-01", "", text);
    rebuilder
        .rebuild(&[site.root().join(article)])
        .expect("text edited");
    assert_eq!(common::pixel_size(&medium), (800, 500));
    assert!(site
        .page("/thoi-su/2024/04/hop/")
        .contains("hop/hoi-truong.800.jpg 800w"));
}

/// An article dated later is not shown while serving (as in a build), and the rebuild says so.
#[test]
fn serve_leaves_out_an_article_dated_later_and_says_so() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/ky-ket.md",
        "Ký kết",
        "2024-04-01",
        "",
        "Nội dung.\n",
    );
    let mut rebuilder = built_by_serve(&site);
    let later = "content/thoi-su/2099/01/cong-bo.md";
    site.article(
        later,
        "Công bố",
        "2099-01-01T06:00:00+07:00",
        "",
        "Nội dung.\n",
    );
    let report = rebuilder
        .rebuild(&[site.root().join(later)])
        .expect("article added");
    assert_eq!((report.articles, report.scheduled), (1, 1));
    assert!(!site.exists("/thoi-su/2099/01/cong-bo/"));
    assert!(!site.page("/thoi-su/").contains("Công bố"));
    // Its text is checked as it is edited.
    let date = "2099-01-01T06:00:00+07:00";
    site.article(later, "Công bố", date, "", "Xem [bài](khong-co.md).\n");
    let problem = first_problem(&mut rebuilder, site.root().join(later));
    assert!(problem.contains("khong-co.md"), "{problem}");
    site.article(later, "Công bố", date, "", "Đã sửa.\n");
    rebuilder
        .rebuild(&[site.root().join(later)])
        .expect("link fixed");
}

/// A scheduled article whose moment comes while serving is shown by the next rebuild, even one
/// that no saved file started (`serve` starts one at that moment).
#[test]
fn serve_shows_a_scheduled_article_once_its_moment_has_come() {
    let site = Fixture::new(CONFIG);
    let zone = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    let soon = chrono::Utc::now().with_timezone(&zone) + chrono::Duration::seconds(2);
    let date = soon.format("%Y-%m-%dT%H:%M:%S+07:00").to_string();
    let path = format!("/thoi-su/{}/cong-bo/", soon.format("%Y/%m"));
    site.article(
        &format!("content/thoi-su/{}/cong-bo.md", soon.format("%Y/%m")),
        "Công bố",
        &date,
        "",
        "Nội dung.\n",
    );
    let mut rebuilder = bantin::serve::Rebuilder::new(bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    let first = rebuilder.rebuild(&[]).expect("first build");
    assert_eq!(first.scheduled, 1);
    assert_eq!(first.next_due.map(|d| d.as_written()), Some(date.clone()));
    assert!(!site.exists(&path));
    std::thread::sleep(std::time::Duration::from_secs(3));
    let later = rebuilder.rebuild(&[]).expect("rebuild at its moment");
    assert_eq!((later.articles, later.scheduled), (1, 0));
    assert!(site.exists(&path));
}
