//! Feeds, sitemaps, page metadata and aliases, checked with real parsers and validators.

mod common;

use bantin::cmd::build::{build, BuildOptions};
use bantin::vi::parse_date;
use common::{snapshot, Fixture, CONFIG, PNG};
use std::path::Path;
use std::process::Command;

fn news_site(config: &str) -> Fixture {
    let site = Fixture::new(config);
    site.write(
        "content/dan-toc/_index.md",
        "---\ntitle: \"Công tác dân tộc\"\n---\n",
    );
    site.article(
        "content/dan-toc/2024/04/ky-ket/index.md",
        "Ký kết chương trình phối hợp",
        "2024-04-10T09:30:00+07:00",
        "updated: 2024-04-10T15:00:00+07:00\nauthors: [\"Thái Phương\", \"Việt Dũng\"]\nsummary: \"Ngày 10-4, hai đơn vị ký kết.\"\ntags: [\"công tác dân tộc\", \"dân vận\"]\nphotos:\n  - src: \"ky-ket.png\"\n    caption: \"Ký kết\"\n    credit: \"Việt Dũng\"\naliases: [\"/tin-cu/ky-ket.html\", \"/tin-cu/ky-ket-2024\"]\n",
        "Nội dung **đầy đủ**.\n",
    );
    site.write_bytes("content/dan-toc/2024/04/ky-ket/ky-ket.png", PNG);
    for day in 1..=4 {
        site.article(
            &format!("content/thoi-su/2024/03/tin-{day}.md"),
            &format!("Tin {day}"),
            &format!("2024-03-0{day} 08:00"),
            "tags: [\"dân vận\"]\n",
            "Nội dung.\n",
        );
    }
    site
}

fn build_at(site: &Fixture, now: &str) {
    build(&BuildOptions {
        root: site.root().to_path_buf(),
        now: Some(parse_date(now).unwrap()),
        ..BuildOptions::default()
    })
    .unwrap_or_else(|e| panic!("build failed: {e:?}"));
}

fn parse_feed(site: &Fixture, path: &str) -> feed_rs::model::Feed {
    let text = site.page(path);
    feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

#[test]
fn rss_and_atom_feeds_parse_and_carry_the_items() {
    let site = news_site("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\nfeeds: { limit: 3, full_content: true, taxonomies: [\"tags\"] }\n");
    build_at(&site, "2024-04-11 08:00");
    for path in ["/rss.xml", "/atom.xml"] {
        let feed = parse_feed(&site, path);
        assert_eq!(feed.entries.len(), 3, "{path}: the newest N");
        let first = &feed.entries[0];
        assert_eq!(
            first.title.as_ref().unwrap().content,
            "Ký kết chương trình phối hợp"
        );
        assert_eq!(
            first.links[0].href,
            "https://example.gov.vn/dan-toc/2024/04/ky-ket/"
        );
        let published = first.published.expect("published date");
        assert_eq!(
            published.to_rfc3339(),
            "2024-04-10T02:30:00+00:00",
            "{path}: +07:00 kept"
        );
        assert_eq!(
            first.summary.as_ref().unwrap().content,
            "Ngày 10-4, hai đơn vị ký kết."
        );
        assert!(first
            .categories
            .iter()
            .any(|c| c.term == "công tác dân tộc"));
        assert_eq!(first.authors.len(), 2);
        assert_eq!(feed.entries[1].title.as_ref().unwrap().content, "Tin 4");
    }
    let rss = site.page("/rss.xml");
    assert!(rss.contains("<pubDate>Wed, 10 Apr 2024 09:30:00 +0700</pubDate>"));
    assert!(rss.contains(
        "<guid isPermaLink=\"true\">https://example.gov.vn/dan-toc/2024/04/ky-ket/</guid>"
    ));
    assert!(rss.contains("<enclosure url=\"https://example.gov.vn/dan-toc/2024/04/ky-ket/ky-ket.png\" length=\"45\" type=\"image/png\"/>"));
    assert!(rss.contains(
        "<content:encoded>&lt;p&gt;Nội dung &lt;strong&gt;đầy đủ&lt;/strong&gt;.&lt;/p&gt;"
    ));
    let atom = site.page("/atom.xml");
    assert!(atom.contains("<published>2024-04-10T09:30:00+07:00</published>"));
    // RFC 4287: entries without an author of their own take the feed's.
    let feed_author = "<author><name>Bản tin</name></author>\n<entry>";
    assert!(atom.contains(feed_author), "{atom}");
    assert!(atom.contains("<updated>2024-04-10T15:00:00+07:00</updated>"));
    // Section and (configured) term feeds.
    assert_eq!(parse_feed(&site, "/thoi-su/rss.xml").entries.len(), 3);
    assert_eq!(parse_feed(&site, "/dan-toc/atom.xml").entries.len(), 1);
    assert_eq!(
        parse_feed(&site, "/chu-de/dan-van/rss.xml").entries.len(),
        3
    );
    assert!(
        !site.exists("/tac-gia/thai-phuong/rss.xml"),
        "author feeds are off by default"
    );
    // Every page links its feeds.
    let section = site.page("/thoi-su/");
    assert!(section.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Bản tin (RSS)\" href=\"https://example.gov.vn/rss.xml\">"));
    assert!(section.contains("href=\"https://example.gov.vn/thoi-su/atom.xml\""));
    assert!(site
        .page("/chu-de/dan-van/")
        .contains("href=\"https://example.gov.vn/chu-de/dan-van/rss.xml\""));
    // Ids are stable across rebuilds.
    let before = parse_feed(&site, "/atom.xml")
        .entries
        .iter()
        .map(|e| e.id.clone())
        .collect::<Vec<_>>();
    build_at(&site, "2024-04-12 08:00");
    let after = parse_feed(&site, "/atom.xml")
        .entries
        .iter()
        .map(|e| e.id.clone())
        .collect::<Vec<_>>();
    assert_eq!(before, after);
}

fn xmllint_schema(schema: &str, file: &Path) {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/schemas")
        .join(schema);
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(file)
        .output()
        .expect("xmllint is needed (Debian: libxml2-utils; .ci/run installs it)");
    assert!(
        output.status.success(),
        "{} does not validate against {schema}:\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn sitemaps_validate_and_the_news_sitemap_lists_recent_articles() {
    let site = news_site(CONFIG);
    build_at(&site, "2024-04-11 08:00");
    xmllint_schema("sitemap.xsd", &site.output().join("sitemap.xml"));
    let sitemap = site.page("/sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://example.gov.vn/dan-toc/2024/04/ky-ket/</loc><lastmod>2024-04-10T15:00:00+07:00</lastmod></url>"));
    assert!(sitemap.contains("<loc>https://example.gov.vn/luu-tru/2024/03/</loc>"));
    assert!(!sitemap.contains("/trang/"), "only canonical first pages");
    let news = site.page("/sitemap-news.xml");
    check_well_formed("sitemap-news.xml", &news);
    assert!(news.contains("xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\""));
    assert_eq!(
        news.matches("<url>").count(),
        1,
        "only the last 2 days: {news}"
    );
    assert!(news.contains("<news:name>Bản tin thử</news:name><news:language>vi</news:language>"));
    assert!(news.contains("<news:publication_date>2024-04-10T09:30:00+07:00</news:publication_date><news:title>Ký kết chương trình phối hợp</news:title>"));
    let robots = site.page("/robots.txt");
    assert!(robots.contains("Sitemap: https://example.gov.vn/sitemap.xml\nSitemap: https://example.gov.vn/sitemap-news.xml"));
    // The footer's year is the build's.
    assert!(site.page("/").contains("© 2024 Bản tin thử."));
    // Nothing recent a month later: a news sitemap without articles is invalid, so there is
    // none, and robots.txt does not name it.
    build_at(&site, "2024-05-11 08:00");
    assert!(!site.exists("/sitemap-news.xml"));
    assert_eq!(
        site.page("/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.gov.vn/sitemap.xml\n"
    );
}

#[test]
fn articles_carry_open_graph_and_news_article_json_ld() {
    let site = news_site("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\nlogo: \"/logo.png\"\npublisher: { agency: \"Ban Dân tộc TPHCM\" }\n");
    site.write_bytes("static/logo.png", PNG);
    site.build_ok();
    let page = site.page("/dan-toc/2024/04/ky-ket/");
    for tag in [
        "<link rel=\"canonical\" href=\"https://example.gov.vn/dan-toc/2024/04/ky-ket/\">",
        "<meta property=\"og:locale\" content=\"vi_VN\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Ký kết chương trình phối hợp\">",
        "<meta property=\"og:description\" content=\"Ngày 10-4, hai đơn vị ký kết.\">",
        "<meta property=\"og:image\" content=\"https://example.gov.vn/dan-toc/2024/04/ky-ket/ky-ket.png\">",
        "<meta property=\"og:image:width\" content=\"3\">",
        "<meta property=\"og:url\" content=\"https://example.gov.vn/dan-toc/2024/04/ky-ket/\">",
        "<meta property=\"article:published_time\" content=\"2024-04-10T09:30:00+07:00\">",
        "<meta property=\"article:modified_time\" content=\"2024-04-10T15:00:00+07:00\">",
        "<meta property=\"article:section\" content=\"Công tác dân tộc\">",
        "<meta property=\"article:tag\" content=\"dân vận\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
    ] {
        assert!(page.contains(tag), "missing {tag}");
    }
    let json = json_ld(&page);
    let article = &json[0];
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Ký kết chương trình phối hợp");
    assert_eq!(
        article["image"][0],
        "https://example.gov.vn/dan-toc/2024/04/ky-ket/ky-ket.png"
    );
    assert_eq!(article["datePublished"], "2024-04-10T09:30:00+07:00");
    assert_eq!(article["dateModified"], "2024-04-10T15:00:00+07:00");
    assert_eq!(article["author"][0]["@type"], "Person");
    assert_eq!(article["author"][0]["name"], "Thái Phương");
    assert_eq!(
        article["author"][0]["url"],
        "https://example.gov.vn/tac-gia/thai-phuong/"
    );
    assert_eq!(article["publisher"]["name"], "Ban Dân tộc TPHCM");
    assert_eq!(
        article["publisher"]["logo"]["url"],
        "https://example.gov.vn/logo.png"
    );
    assert_eq!(article["inLanguage"], "vi");
    assert_eq!(article["isAccessibleForFree"], true);
    let crumbs = &json[1];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"][1]["name"], "Công tác dân tộc");
    assert_eq!(crumbs["itemListElement"][2]["position"], 3);
    // Nothing empty: an article without photos has no image list, the home page no trail
    // (search engines refuse both).
    let plain = json_ld(&site.page("/thoi-su/2024/03/tin-1/"));
    assert_eq!(plain[0]["@type"], "NewsArticle");
    assert!(plain[0].get("image").is_none(), "{plain}");
    let home = site.page("/");
    assert!(!home.contains("BreadcrumbList"));
}

#[test]
fn the_404_page_is_not_indexed_and_offers_the_latest_news() {
    let site = news_site(CONFIG);
    site.build_ok();
    let page = site.page("/404.html");
    // Served for every missing address: no canonical address, no trail of its own.
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!page.contains("rel=\"canonical\""));
    assert!(!page.contains("og:url"));
    assert!(!page.contains("class=\"breadcrumbs\""));
    assert!(!page.contains("application/ld+json"));
    let latest = common::element_text(&page, "<ul class=\"latest-list\"");
    assert!(
        latest.contains(">Ký kết chương trình phối hợp</a>"),
        "{latest}"
    );
    assert!(page.contains("<a href=\"https://example.gov.vn/tim-kiem/\">tìm bài viết</a>"));
}

fn json_ld(page: &str) -> serde_json::Value {
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end])
        .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}"))
}

#[test]
fn aliases_redirect_and_bad_aliases_are_errors() {
    let site = news_site(CONFIG);
    site.build_ok();
    for old in ["/tin-cu/ky-ket.html", "/tin-cu/ky-ket-2024/index.html"] {
        let page = site.page(old);
        assert!(page.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://example.gov.vn/dan-toc/2024/04/ky-ket/\">"), "{old}");
        assert!(page.contains(
            "<link rel=\"canonical\" href=\"https://example.gov.vn/dan-toc/2024/04/ky-ket/\">"
        ));
        assert!(page.contains("<a href=\"https://example.gov.vn/dan-toc/2024/04/ky-ket/\">Ký kết chương trình phối hợp</a>"));
    }
    let before = snapshot(&site.output());
    site.article(
        "content/thoi-su/2024/03/trung.md",
        "Trùng",
        "2024-03-09",
        "aliases: [\"/thoi-su/\"]\n",
        "X\n",
    );
    let shown: String = site.build_err().iter().map(|p| p.to_string()).collect();
    assert!(
        shown.contains("two pages have the URL /thoi-su/"),
        "{shown}"
    );
    site.article(
        "content/thoi-su/2024/03/trung.md",
        "Trùng",
        "2024-03-09",
        "aliases: [\"/../../etc/passwd\"]\n",
        "X\n",
    );
    let shown: String = site.build_err().iter().map(|p| p.to_string()).collect();
    assert!(
        shown.contains("alias `/../../etc/passwd` must be a path inside the site"),
        "{shown}"
    );
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn nothing_from_editors_becomes_live_markup_or_breaks_xml_or_json() {
    // YAML escapes: \\x01 and \\x07 become control characters in the front matter.
    let evil =
        "</script><script>alert(1)</script> \\\"><img src=x onerror=alert(2)> ]]> & \\x01 \\x07";
    let site = Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\nfeeds: { full_content: true, taxonomies: [\"tags\", \"authors\", \"agencies\"] }\n");
    site.article(
        "content/thoi-su/2024/05/doc/index.md",
        evil,
        "2024-05-01",
        &format!("summary: \"{evil}\"\nauthors: [\"{evil}x\"]\ntags: [\"{evil}y\"]\nagencies: [\"{evil}z\"]\nlocation: \"{evil}\"\nsource: {{ name: \"{evil}\", url: \"https://example.com/?q=\\\"><script>alert(3)</script>\" }}\nphotos:\n  - src: \"a.png\"\n    caption: \"{evil}\"\n    credit: \"{evil}\"\n"),
        "Thân bài <script>alert(4)</script>\n\n![</figcaption><script>alert(5)</script>](a.png \"Ảnh: <b onmouseover=alert(6)>x</b>\")\n",
    );
    site.write_bytes("content/thoi-su/2024/05/doc/a.png", PNG);
    build_at(&site, "2024-05-02 08:00");
    let files = snapshot(&site.output());
    let mut xml_files = 0;
    for (path, bytes) in &files {
        let name = path.to_string_lossy();
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        for live in [
            "<script>alert",
            "<img src=x",
            "onerror=alert(2)>",
            "<b onmouseover",
            "href=\"javascript:",
        ] {
            assert!(!text.contains(live), "{name} contains live markup {live}");
        }
        assert!(
            !text.contains('\u{1}') && !text.contains('\u{7}'),
            "{name} keeps control characters"
        );
        if name.ends_with(".xml") {
            xml_files += 1;
            check_well_formed(&name, text);
        }
        if name.ends_with("rss.xml") || name.ends_with("atom.xml") {
            feed_rs::parser::parse(text.as_bytes())
                .unwrap_or_else(|e| panic!("{name} does not parse as a feed: {e}"));
        }
        if name.ends_with(".html") && text.contains("application/ld+json") {
            json_ld(text);
        }
    }
    assert!(xml_files >= 8, "feeds and sitemaps were checked");
    xmllint_schema("sitemap.xsd", &site.output().join("sitemap.xml"));
    let title = parse_feed(&site, "/rss.xml").entries[0]
        .title
        .as_ref()
        .unwrap()
        .content
        .clone();
    assert_eq!(
        title.trim_end(),
        "</script><script>alert(1)</script> \"><img src=x onerror=alert(2)> ]]> &",
        "the title reaches feed readers as text"
    );
}

fn check_well_formed(name: &str, text: &str) {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
}

#[test]
fn a_sub_path_site_never_links_outside_its_path() {
    let site = news_site("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/bantin/\"\n");
    site.build_ok();
    let mut checked = 0;
    for (path, bytes) in snapshot(&site.output()) {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        for (at, _) in text.match_indices("https://example.gov.vn/") {
            let rest = &text[at + "https://example.gov.vn/".len()..];
            assert!(
                rest.starts_with("bantin/"),
                "{} links outside the sub-path: {}",
                path.display(),
                &text[at..(at + 60).min(text.len())]
            );
            checked += 1;
        }
        // Root-relative links (the search script's, which must come from the page's own
        // origin) stay under the sub-path too.
        for attribute in ["href=\"/", "src=\"/"] {
            for (at, _) in text.match_indices(attribute) {
                assert!(
                    text[at + attribute.len()..].starts_with("bantin/"),
                    "{} has a root-relative link outside the sub-path",
                    path.display()
                );
            }
        }
    }
    assert!(checked > 100);
}

#[test]
fn base_url_can_be_overridden_for_one_build() {
    let site = news_site(CONFIG);
    build(&BuildOptions {
        root: site.root().to_path_buf(),
        base_url: Some("http://127.0.0.1:8000".to_string()),
        ..BuildOptions::default()
    })
    .unwrap();
    let page = site.page("/thoi-su/");
    assert!(
        page.contains("href=\"http://127.0.0.1:8000/thoi-su/trang/2/\"")
            || page.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:8000/thoi-su/\">")
    );
    assert!(!page.contains("https://example.gov.vn/"));
}

/// A link to a file beside the article works wherever the body is shown: on its page and in
/// full-text feeds, which readers resolve against the feed's own address.
#[test]
fn links_to_files_beside_an_article_are_absolute() {
    let site = Fixture::new(
        "title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/bantin/\"\nfeeds: { full_content: true }\n",
    );
    site.article(
        "content/thoi-su/2024/04/ky-ket/index.md",
        "Ký kết",
        "2024-04-02",
        "",
        "Xem [báo cáo](bao-cao.pdf) và [trang ngoài](trang-khac/).\n",
    );
    site.write("content/thoi-su/2024/04/ky-ket/bao-cao.pdf", "%PDF");
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-01",
        "",
        "Tải [tài liệu](tai-lieu.pdf#trang-2).\n",
    );
    site.write("content/thoi-su/2024/04/tai-lieu.pdf", "%PDF");
    site.build_ok();
    let report = "https://example.gov.vn/bantin/thoi-su/2024/04/ky-ket/bao-cao.pdf";
    let document = "https://example.gov.vn/bantin/thoi-su/2024/04/tai-lieu.pdf#trang-2";
    assert!(site.exists("/thoi-su/2024/04/ky-ket/bao-cao.pdf"));
    assert!(site.exists("/thoi-su/2024/04/tai-lieu.pdf"));
    assert!(site.page("/thoi-su/2024/04/ky-ket/").contains(report));
    assert!(site.page("/thoi-su/2024/04/tin/").contains(document));
    let feed = site.page("/rss.xml");
    assert!(feed.contains(report) && feed.contains(document), "{feed}");
    // Not a file: left as written.
    assert!(feed.contains("href=&quot;trang-khac/&quot;"), "{feed}");
}
