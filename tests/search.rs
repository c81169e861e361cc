//! The search index as written by a build: the page and the header box, the files of the index
//! (drafts left out, article text in the display chunks), `search: false`, and `serve`
//! keeping the index up to date.

mod common;

use bantin::cmd::build::BuildOptions;
use common::server::{fetch, start};
use common::{Fixture, CONFIG};
use std::time::{Duration, Instant};

/// The content of a gzip file; lists are binary, so invalid UTF-8 is replaced.
fn unpack(bytes: &[u8]) -> String {
    // The last four bytes of a gzip file are the length of its content.
    let length = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().unwrap());
    let mut content = vec![0; length as usize];
    let size = libdeflater::Decompressor::new()
        .gzip_decompress(bytes, &mut content)
        .expect("a gzip file");
    String::from_utf8_lossy(&content[..size]).into_owned()
}

fn index_file(site: &Fixture, name: &str) -> String {
    let path = site.output().join("tim-kiem/chi-muc").join(name);
    unpack(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Every display chunk of the index, unpacked, in order.
fn chunks(site: &Fixture) -> Vec<serde_json::Value> {
    let meta: serde_json::Value = serde_json::from_str(&index_file(site, "meta.bin")).unwrap();
    let articles = meta["articles"].as_u64().unwrap() as usize;
    let per_chunk = meta["perChunk"].as_u64().unwrap() as usize;
    let per_folder = meta["perFolder"].as_u64().unwrap() as usize;
    (0..articles.div_ceil(per_chunk))
        .flat_map(|i| {
            let file = format!("d/{}/{i}.bin", i / per_folder);
            let chunk: serde_json::Value = serde_json::from_str(&index_file(site, &file)).unwrap();
            chunk.as_array().unwrap().clone()
        })
        .collect()
}

fn site() -> Fixture {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/dong-bao.md",
        "Chăm lo đồng bào dân tộc thiểu số",
        "2024-04-10T09:00:00+07:00",
        "tags: [\"dân tộc\"]\n",
        "Đồng bào **Khmer** đón Tết Chôl Chnăm Thmây.\n\n![Lễ hội](anh.png \"Ảnh: VIỆT DŨNG\")\n",
    );
    site.write_bytes("content/thoi-su/2024/04/anh.png", common::PNG);
    site.article(
        "content/thoi-su/2024/05/nhap.md",
        "Bản nháp chưa đăng",
        "2024-05-01",
        "draft: true\n",
        "Nội dung bí mật.\n",
    );
    site
}

#[test]
fn the_search_page_and_box_are_on_the_site() {
    let site = site();
    site.build_ok();
    let page = site.page("/tim-kiem/");
    assert!(page.contains("<form id=\"tim-kiem\" class=\"search-form\" role=\"search\""));
    // From the page's own origin, whichever name it was reached by: a module script from
    // another origin (`www.`, `http:`) is blocked.
    assert!(page.contains("<script type=\"module\" src=\"/tim-kiem/ui.js\">"));
    // Both scripts are asked for at once, not one after the other (a round trip each on 3G).
    assert!(page.contains("<link rel=\"modulepreload\" href=\"/tim-kiem/engine.js\">"));
    // Without JavaScript the page says so and links to the archives.
    let noscript = common::element_text(&page, "<noscript");
    assert!(noscript.contains("Tìm kiếm cần JavaScript"), "{noscript}");
    assert!(
        noscript.contains("href=\"https://example.gov.vn/luu-tru/\""),
        "{noscript}"
    );
    // Every other page has the box in its header, sending the query to the page.
    let home = site.page("/");
    assert!(home.contains("action=\"https://example.gov.vn/tim-kiem/\""));
    assert!(home.contains("name=\"q\""));
    for script in ["engine.js", "ui.js"] {
        assert!(site.exists(&format!("/tim-kiem/{script}")), "{script}");
    }
}

#[test]
fn the_index_holds_published_articles_and_their_text() {
    let site = site();
    site.build_ok();
    let articles = chunks(&site);
    assert_eq!(articles.len(), 1, "the draft is not indexed");
    let article = articles[0].as_array().unwrap();
    assert_eq!(article[0], "thoi-su/2024/04/dong-bao/");
    assert_eq!(article[1], "Chăm lo đồng bào dân tộc thiểu số");
    assert_eq!(article[2], "Thời sự");
    // The visible text: no Markdown, the photo's description and credit kept.
    assert_eq!(
        article[5],
        "Đồng bào Khmer đón Tết Chôl Chnăm Thmây.\nLễ hội Ảnh: VIỆT DŨNG"
    );
    assert_eq!(
        article[6], "dân tộc",
        "tags, agencies and authors are shown too"
    );
    let all = walkdir::WalkDir::new(site.output().join("tim-kiem/chi-muc"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| unpack(&std::fs::read(e.path()).unwrap()))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !all.contains("bí mật") && !all.contains("bi mat"),
        "draft words leaked"
    );
    // Lists are keyed by folded syllables and pairs; spellings are kept beside them.
    assert!(all.contains("dong bao") && all.contains("đồng bào"));
}

#[test]
fn search_false_leaves_out_the_index_the_page_and_the_box() {
    let site = site();
    site.write("bantin.yaml", &format!("{CONFIG}search: false\n"));
    site.build_ok();
    assert!(!site.exists("/tim-kiem/index.html"));
    assert!(!site.exists("/tim-kiem/chi-muc"));
    assert!(!site.page("/").contains("role=\"search\""));
}

#[test]
fn search_path_moves_the_page_and_every_link_to_it() {
    let site = site();
    site.write("bantin.yaml", &format!("{CONFIG}search_path: \"/tim/\"\n"));
    site.build_ok();
    let page = site.page("/tim/");
    assert!(page.contains("<form id=\"tim-kiem\" class=\"search-form\" role=\"search\" action=\"https://example.gov.vn/tim/\""));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.gov.vn/tim/\">"));
    assert!(!site.exists("/tim-kiem/index.html"));
    // The scripts and the index stay with the theme's scripts, which find the index beside
    // them.
    assert!(page.contains("<script type=\"module\" src=\"/tim-kiem/ui.js\">"));
    assert!(site.exists("/tim-kiem/chi-muc/meta.bin"));
    assert!(site
        .page("/")
        .contains("action=\"https://example.gov.vn/tim/\""));
    let not_found = site.page("/404.html");
    assert!(
        not_found.contains("href=\"https://example.gov.vn/tim/\""),
        "{not_found}"
    );

    // A section already there: one error, at the line that sets the path.
    site.write(
        "bantin.yaml",
        &format!("{CONFIG}search_path: \"/thoi-su/\"\n"),
    );
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let clash = &problems[0];
    assert_eq!(
        clash.message,
        "the search page /thoi-su/ would take the URLs of the section /thoi-su/"
    );
    assert_eq!(clash.line, CONFIG.lines().count() + 1);
    assert!(clash.help.as_deref().unwrap().contains("`search_path:`"));
    // Not a path of URL words.
    site.write(
        "bantin.yaml",
        &format!("{CONFIG}search_path: \"tìm kiếm\"\n"),
    );
    let problems = site.build_err();
    assert!(
        problems[0]
            .message
            .contains("`tìm kiếm` is not a site path of URL words"),
        "{problems:#?}"
    );
}

#[test]
fn a_search_script_for_another_index_version_is_reported() {
    let site = site();
    let warnings = || {
        let options = BuildOptions {
            root: site.root().to_path_buf(),
            ..Default::default()
        };
        let now = bantin::vi::VnDate::now();
        let report = bantin::cmd::check::check(&options, now);
        let problems = report.problems.into_iter();
        problems
            .filter(|p| p.message.contains("search"))
            .collect::<Vec<_>>()
    };
    assert_eq!(warnings(), vec![], "the default theme's script matches");
    // A theme made from an older default theme, its script given by the site's static/.
    let old = "const INDEX_VERSION = 1;\nexport function search() {}\n";
    site.write("static/tim-kiem/engine.js", old);
    let found = warnings();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].file,
        std::path::Path::new("static/tim-kiem/engine.js")
    );
    assert!(
        found[0].message.contains("INDEX_VERSION = "),
        "{}",
        found[0].message
    );
    assert_eq!(site.build_ok().warnings, 1, "a build counts it too");
    // A minified script of this version is fine; one of this version with a digit more is not.
    let script = include_str!("../themes/default/static/tim-kiem/engine.js");
    let version = script
        .split_once("const INDEX_VERSION = ")
        .and_then(|(_, rest)| rest.split_once(';'))
        .map(|(version, _)| version)
        .expect("the default script declares its version");
    site.write(
        "static/tim-kiem/engine.js",
        &format!("const A=1,INDEX_VERSION={version},B=3;export function search(){{}}"),
    );
    assert_eq!(warnings(), vec![]);
    site.write(
        "static/tim-kiem/engine.js",
        &format!("const INDEX_VERSION={version}0;"),
    );
    assert_eq!(warnings().len(), 1);
}

#[test]
fn serve_updates_the_index_after_an_edit() {
    let site = site();
    let server = start(site.root());
    let first_chunk = || {
        let (status, _, body) = fetch(server.port, "/tim-kiem/chi-muc/d/0/0.bin")?;
        (status == 200).then(|| unpack(&body))
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while first_chunk().is_none_or(|text| !text.contains("Khmer")) {
        assert!(Instant::now() < deadline, "serve wrote no index");
        std::thread::sleep(Duration::from_millis(100));
    }
    site.article(
        "content/thoi-su/2024/04/dong-bao.md",
        "Chăm lo đồng bào dân tộc thiểu số",
        "2024-04-10T09:00:00+07:00",
        "tags: [\"dân tộc\"]\n",
        "Đồng bào tập võ vovinam.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while first_chunk().is_none_or(|text| !text.contains("vovinam")) {
        assert!(Instant::now() < deadline, "the index never showed the edit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_writes_the_index_again_when_search_is_switched_back_on() {
    let site = site();
    let server = start(site.root());
    let shard = || fetch(server.port, "/tim-kiem/chi-muc/k/0/0.bin").map(|(status, ..)| status);
    let deadline = Instant::now() + Duration::from_secs(20);
    let wait_for = |wanted: u16, what: &str| {
        while shard() != Some(wanted) {
            assert!(Instant::now() < deadline, "{what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for(200, "serve wrote no index");
    site.write("bantin.yaml", &format!("{CONFIG}search: false\n"));
    wait_for(404, "the index stayed after `search: false`");
    site.write("bantin.yaml", CONFIG);
    wait_for(200, "the index did not come back with search on again");
}
