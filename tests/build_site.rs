//! End-to-end builds of fixture sites: URLs, Vietnamese text, figures, escaping, Markdown.

mod common;

use common::{element_text, snapshot, Fixture, CONFIG, PNG};
use std::fs;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

fn seed_like_site() -> Fixture {
    let site = Fixture::new(CONFIG);
    site.write("content/dan-toc/_index.md", "---\ntitle: \"Công tác dân tộc\"\ndescription: \"Tin công tác dân tộc\"\n---\nChuyên mục về **công tác dân tộc**.\n");
    site.article(
        "content/dan-toc/2024/04/ky-ket-phoi-hop/index.md",
        "Phối hợp chăm lo, nâng cao đời sống đồng bào dân tộc thiểu số",
        "2024-04-10T09:30:00+07:00",
        "authors: [\"Thái Phương\"]\nsummary: \"Ngày 10-4, Ban Dân vận Thành ủy TPHCM và Ban Dân tộc TPHCM ký kết chương trình phối hợp.\"\ntags: [\"công tác dân tộc\", \"Hoà Bình\"]\nagencies: [\"Ban Dân vận Thành ủy TPHCM\"]\nphotos:\n  - src: \"ky-ket.png\"\n    caption: \"Đại diện hai đơn vị ký kết.\"\n    credit: \"Việt Dũng\"\n",
        "Tham dự có các đồng chí lãnh đạo.\n\n![Đại diện hai đơn vị triển khai chương trình.](trien-khai.png \"Ảnh: Việt Dũng\")\n\n![Đại diện 2 đơn vị ký kết - Ảnh: VIỆT DŨNG](ky-ket-2.png)\n\n## Nội dung phối hợp\n\nXem [bài trước](../../03/giao-ban.md).\n\n**THÁI PHƯƠNG**\n",
    );
    for photo in ["ky-ket.png", "trien-khai.png", "ky-ket-2.png"] {
        site.write_bytes(
            &format!("content/dan-toc/2024/04/ky-ket-phoi-hop/{photo}"),
            PNG,
        );
    }
    site.article(
        "content/dan-toc/2024/03/giao-ban.md",
        "Giao ban công tác dân vận quý I",
        "\"2024-03-28 08:00\"",
        "author: \"THÁI PHƯƠNG\"\ntags: [\"Hòa Bình\"]\n",
        "Sáng 28-3, Ban Dân vận giao ban quý I.\n\nĐoạn thứ hai.\n",
    );
    site.article(
        "content/thoi-su/2024/04/hoi-nghi.md",
        "Hội nghị giao ban quý",
        "2024-04-02",
        "",
        "Nội dung hội nghị.\n",
    );
    site.article(
        "content/thoi-su/2024/04/hoi-nghi-2.md",
        "Hội nghị giao ban quý",
        "2024-04-20",
        "",
        "Hội nghị lần hai.\n",
    );
    site
}

#[test]
fn pages_are_at_the_urls_of_the_design() {
    let site = seed_like_site();
    let report = site.build_ok();
    assert_eq!(report.articles, 4);
    for path in [
        "/",
        "/404.html",
        "/style.css",
        "/thoi-su/",
        "/dan-toc/",
        "/dan-toc/2024/04/ky-ket-phoi-hop/",
        "/dan-toc/2024/04/ky-ket-phoi-hop/ky-ket.png",
        "/dan-toc/2024/03/giao-ban/",
        "/thoi-su/2024/04/hoi-nghi/",
        "/thoi-su/2024/04/hoi-nghi-2/",
        "/chu-de/",
        "/chu-de/cong-tac-dan-toc/",
        "/tac-gia/thai-phuong/",
        "/co-quan/ban-dan-van-thanh-uy-tphcm/",
    ] {
        assert!(site.exists(&common_file(path)), "missing {path}");
    }
    // Repeated titles in one month do not collide: the file name makes the slug.
    assert!(site
        .page("/thoi-su/2024/04/hoi-nghi-2/")
        .contains("Hội nghị lần hai."));
}

fn common_file(path: &str) -> String {
    if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn article_page_shows_what_a_reader_expects() {
    let site = seed_like_site();
    site.build_ok();
    let page = site.page("/dan-toc/2024/04/ky-ket-phoi-hop/");
    assert!(page.contains("<html lang=\"vi\">"));
    assert_eq!(
        element_text(&page, "<h1 class=\"article-title\""),
        "Phối hợp chăm lo, nâng cao đời sống đồng bào dân tộc thiểu số"
    );
    assert!(
        page.contains("Thứ Tư, 10/4/2024, 09:30 (GMT+7)"),
        "Vietnamese date"
    );
    assert!(page.contains("<time datetime=\"2024-04-10T09:30:00+07:00\">"));
    assert_eq!(
        element_text(&page, "<p class=\"sapo\""),
        "Ngày 10-4, Ban Dân vận Thành ủy TPHCM và Ban Dân tộc TPHCM ký kết chương trình phối hợp."
    );
    // Front matter photo, image title credit, and caption credit all become figures.
    assert!(page.contains("<figcaption>Đại diện hai đơn vị ký kết. <span class=\"credit\">Ảnh:&nbsp;Việt Dũng</span></figcaption>"));
    assert!(page.contains("<figcaption>Đại diện hai đơn vị triển khai chương trình. <span class=\"credit\">Ảnh:&nbsp;Việt Dũng</span></figcaption>"));
    // A caption split from its credit gets the full stop papers print before the credit.
    assert!(page.contains("<figcaption>Đại diện 2 đơn vị ký kết. <span class=\"credit\">Ảnh:&nbsp;VIỆT DŨNG</span></figcaption>"));
    assert!(
        page.contains("src=\"https://example.gov.vn/dan-toc/2024/04/ky-ket-phoi-hop/ky-ket.png\"")
    );
    assert!(
        page.contains("width=\"3\" height=\"2\""),
        "photo size read from the file"
    );
    // Links to other .md files become their URLs; headings get Vietnamese slugs.
    assert!(
        page.contains("<a href=\"https://example.gov.vn/dan-toc/2024/03/giao-ban/\">bài trước</a>")
    );
    assert!(page.contains("<h2 id=\"noi-dung-phoi-hop\">Nội dung phối hợp</h2>"));
    // Breadcrumb, the body's sign-off for a byline, tags, agencies.
    assert!(page.contains("<a href=\"https://example.gov.vn/dan-toc/\">Công tác dân tộc</a>"));
    assert!(page.contains("<p><strong>THÁI PHƯƠNG</strong></p>"));
    assert!(page.contains("<a href=\"https://example.gov.vn/chu-de/cong-tac-dan-toc/\" rel=\"tag\">công tác dân tộc</a>"));
    assert!(page.contains("https://example.gov.vn/co-quan/ban-dan-van-thanh-uy-tphcm/"));
}

/// Photos alone in a paragraph of a body go through the site's own `partials/figure.html`, as
/// lead photos do; with the default theme's partial bantin writes the same markup itself.
#[test]
fn body_photos_follow_the_sites_own_figure_partial() {
    let site = seed_like_site();
    site.write(
        "content/dan-toc/_index.md",
        "---\ntitle: \"Công tác dân tộc\"\n---\n![Toàn cảnh.](/toan-canh.png \"Ảnh: Minh Khôi\")\n",
    );
    site.write(
        "content/thoi-su/_index.md",
        "---\ntitle: \"Thời sự\"\n---\n![Hội trường.](/toan-canh.png)\n",
    );
    site.write_bytes("static/toan-canh.png", PNG);
    // A wide photo of the front matter that the text shows: its figure offers a medium copy.
    let bundle = "content/dan-toc/2024/04/ky-ket-phoi-hop";
    let text = fs::read_to_string(site.root().join(bundle).join("index.md")).unwrap();
    let text = text.replace("ky-ket-2.png", "ky-ket-2.jpg").replace(
        "    credit: \"Việt Dũng\"\n",
        "    credit: \"Việt Dũng\"\n  - src: \"ky-ket-2.jpg\"\n",
    );
    site.write(&format!("{bundle}/index.md"), &text);
    site.write_bytes(
        &format!("{bundle}/ky-ket-2.jpg"),
        &common::jpeg_photo(1200, 800, 40),
    );
    site.build_ok();
    let article = "/dan-toc/2024/04/ky-ket-phoi-hop/";
    let default_pages = [site.page(article), site.page("/dan-toc/")];
    assert!(
        default_pages[0].contains("ky-ket-2.800.jpg 800w"),
        "{}",
        default_pages[0]
    );

    // The default partial with a comment added: rendered by Tera, the same bytes.
    let partial = "themes/default/templates/partials/figure.html";
    let default_partial = std::fs::read_to_string(site.root().join(partial)).unwrap();
    site.write(
        "templates/partials/figure.html",
        &format!("{default_partial}{{# the site's copy #}}"),
    );
    site.build_ok();
    assert_eq!([site.page(article), site.page("/dan-toc/")], default_pages);

    site.write(
        "templates/partials/figure.html",
        "<figure class=\"anh-rieng\">{{ photo.caption }} / {{ photo.credit }}</figure>\n",
    );
    site.build_ok();
    let page = site.page(article);
    for shown in [
        "<figure class=\"anh-rieng\">Đại diện hai đơn vị ký kết. / Việt Dũng</figure>",
        "<figure class=\"anh-rieng\">Đại diện hai đơn vị triển khai chương trình. / Việt Dũng</figure>",
        "<figure class=\"anh-rieng\">Đại diện 2 đơn vị ký kết / VIỆT DŨNG</figure>",
    ] {
        assert!(page.contains(shown), "{shown} not in {page}");
    }
    assert!(!page.contains("<figure class=\"photo\">"), "{page}");
    let section = site.page("/dan-toc/");
    assert!(section.contains("<figure class=\"anh-rieng\">Toàn cảnh. / Minh Khôi</figure>"));

    // A mistake in it is named at its line, with the page whose text it failed in.
    site.write(
        "templates/partials/figure.html",
        "<figure>\n{{ photo.captoin }}</figure>\n",
    );
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let problem = &problems[0];
    assert_eq!(problem.file, Path::new("templates/partials/figure.html"));
    assert_eq!((problem.line, problem.column), (2, 10), "{problem:?}");
    // Two sections show a photo: one problem, naming the first and counting the other.
    assert!(
        problem
            .message
            .contains("a photo in the text of /dan-toc/ (and 1 more page)"),
        "{problem:?}"
    );
    assert!(
        problem.message.contains("`captoin` is not defined"),
        "{problem:?}"
    );
    // Without the sections' photos, the article's page meets it.
    for section in ["dan-toc", "thoi-su"] {
        site.write(
            &format!("content/{section}/_index.md"),
            "---\ntitle: \"Chuyên mục\"\n---\n",
        );
    }
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].line, 2, "{problems:#?}");
    assert!(
        problems[0]
            .message
            .contains(&format!("a photo in the text of {article}")),
        "{problems:#?}"
    );
}

#[test]
fn spellings_of_one_name_are_one_term() {
    let site = seed_like_site();
    site.build_ok();
    // "Thái Phương" and "THÁI PHƯƠNG" are one author; "Hoà Bình" and "Hòa Bình" one tag.
    let author = site.page("/tac-gia/thai-phuong/");
    assert!(author.contains("2 bài viết"), "{author}");
    let tag = site.page("/chu-de/hoa-binh/");
    assert!(tag.contains("2 bài viết"));
    let tags = site.page("/chu-de/");
    assert_eq!(tags.matches("/chu-de/hoa-binh/").count(), 1);
    // Each is named as its page names it, on every article, in feeds and in JSON-LD.
    assert_eq!(element_text(&author, "<h1"), "Tác giả: Thái Phương");
    let shouted = site.page("/dan-toc/2024/03/giao-ban/");
    assert!(shouted.contains("rel=\"author\">Thái Phương</a>"), "byline");
    assert!(shouted.contains("\"name\":\"Thái Phương\""), "JSON-LD");
    assert!(!shouted.contains("THÁI PHƯƠNG</a>"));
    assert!(
        shouted.contains("rel=\"tag\">Hoà Bình</a>")
            || shouted.contains("rel=\"tag\">Hòa Bình</a>")
    );
    let tag_title = element_text(&tag, "<h1");
    let tag_name = tag_title.split(": ").last().unwrap();
    let both = [
        site.page("/dan-toc/2024/03/giao-ban/"),
        site.page("/dan-toc/2024/04/ky-ket-phoi-hop/"),
    ];
    for page in &both {
        assert!(
            page.contains(&format!("rel=\"tag\">{tag_name}</a>")),
            "{tag_name}"
        );
    }
    let feed = site.page("/rss.xml");
    assert!(!feed.contains("<dc:creator>THÁI PHƯƠNG</dc:creator>"));
    assert_eq!(
        feed.matches("<dc:creator>Thái Phương</dc:creator>").count(),
        2
    );
    assert_eq!(
        feed.matches(&format!("<category>{tag_name}</category>"))
            .count(),
        2
    );
}

#[test]
fn summary_defaults_to_the_first_paragraph() {
    let site = seed_like_site();
    site.build_ok();
    let section = site.page("/dan-toc/");
    assert!(section.contains("Sáng 28-3, Ban Dân vận giao ban quý I."));
    assert!(!section.contains("Đoạn thứ hai."));
    assert!(
        section.contains("Chuyên mục về <strong>công tác dân tộc</strong>."),
        "section body"
    );
}

#[test]
fn nfd_files_and_names_come_out_in_nfc() {
    let site = Fixture::new(CONFIG);
    let title: String = "Đồng bào Hoà Bình đón Tết".nfd().collect();
    let author: String = "Việt Dũng".nfd().collect();
    site.article(
        "content/thoi-su/2024/01/dong-bao.md",
        &title,
        "2024-01-20",
        &format!("authors: [\"{author}\"]\n"),
        &"Nội dung viết trên máy Mac.".nfd().collect::<String>(),
    );
    site.build_ok();
    let page = site.page("/thoi-su/2024/01/dong-bao/");
    assert!(page.contains("Đồng bào Hoà Bình đón Tết"));
    assert!(page.contains("Nội dung viết trên máy Mac."));
    assert!(site.exists("/tac-gia/viet-dung/index.html"));
}

#[test]
fn markup_from_editors_is_escaped_everywhere() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/05/xss/index.md",
        "</title><script>alert(1)</script>",
        "2024-05-01",
        "summary: \"\\\"><img src=x onerror=alert(2)>\"\ntags: [\"<script>tag</script>\"]\nphotos:\n  - src: \"a.png\"\n    caption: \"<script>alert(3)</script>\"\n    credit: \"\\\"><img onerror=alert(4)>\"\n",
        "Body <script>alert(5)</script>\n\n![<b>x</b>](a.png \"Ảnh: <i>y</i>\")\n",
    );
    site.write_bytes("content/thoi-su/2024/05/xss/a.png", PNG);
    site.build_ok();
    for (path, _) in snapshot(&site.output()) {
        let name = path.to_string_lossy().to_string();
        if !name.ends_with(".html") {
            continue;
        }
        let html = site.page(&format!("/{name}"));
        assert!(!html.contains("<script>alert"), "{name}");
        assert!(!html.contains("<img src=x"), "{name}");
        assert!(!html.contains("<img onerror"), "{name}");
        assert!(!html.contains("<script>tag"), "{name}");
    }
    let page = site.page("/thoi-su/2024/05/xss/");
    assert!(
        page.contains("&lt;&#x2f;title&gt;&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || page.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "title shown as text"
    );
    assert!(
        page.contains("<p>Body alert(5)</p>"),
        "raw HTML in Markdown is left out, its text kept"
    );
}

#[test]
fn markdown_tables_footnotes_and_strikethrough() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/06/bang.md",
        "Kết quả",
        "2024-06-01",
        "",
        "| Xã | Hộ |\n|---|---|\n| Tân Long | 120 |\n\nGiá ~~cũ~~ mới.[^nguon] Lần nữa.[^nguon] Ghi chú hai.[^2]\n\n[^nguon]: Theo báo cáo của UBND xã.\n[^2]: Số liệu tạm tính.\n",
    );
    site.article(
        "content/thoi-su/2024/06/bang-2.md",
        "Kết quả 2",
        "2024-06-02",
        "",
        "Khác.[^nguon]\n\n[^nguon]: Nguồn khác.\n",
    );
    site.build_ok();
    let page = site.page("/thoi-su/2024/06/bang/");
    assert!(page.contains("<table>") && page.contains("<td>Tân Long</td>"));
    assert!(page.contains("<del>cũ</del>"));
    assert!(page.contains(
        "<sup class=\"footnote-ref\" id=\"fnref-nguon\"><a href=\"#fn-nguon\">1</a></sup>"
    ));
    assert!(
        page.contains("id=\"fnref-nguon-2\""),
        "second reference gets its own id"
    );
    assert!(page.contains("<li id=\"fn-nguon\"><p>Theo báo cáo của UBND xã.</p>"));
    assert!(page.contains("<a href=\"#fn-2\">2</a>"));
    assert_eq!(
        page.matches("id=\"fn-nguon\"").count(),
        1,
        "ids unique within the article"
    );
}

#[test]
fn lists_are_paginated_without_a_page_one_duplicate() {
    let site =
        Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\npage_size: 2\n");
    for day in 1..=5 {
        site.article(
            &format!("content/thoi-su/2024/07/tin-{day}.md"),
            &format!("Tin số {day}"),
            &format!("2024-07-0{day}"),
            "",
            "Nội dung.\n",
        );
    }
    site.build_ok();
    assert!(site.exists("/thoi-su/trang/2/index.html"));
    assert!(site.exists("/thoi-su/trang/3/index.html"));
    assert!(!site.exists("/thoi-su/trang/1/index.html"));
    assert!(!site.exists("/thoi-su/trang/4/index.html"));
    assert!(site.exists("/trang/3/index.html"));
    let last = site.page("/thoi-su/trang/3/");
    assert!(
        last.contains("Tin số 1") && !last.contains("Tin số 2"),
        "oldest on the last page"
    );
    let first = site.page("/thoi-su/");
    assert!(
        first.contains("Tin số 5") && first.contains("Tin số 4") && !first.contains("Tin số 3")
    );
    assert!(first.contains("https://example.gov.vn/thoi-su/trang/2/\" rel=\"next\""));
    // Another URL word for later pages, in bantin.yaml: every list follows it.
    site.write(
        "bantin.yaml",
        "title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\npage_size: 2\npaginate_path: \"page\"\n",
    );
    site.build_ok();
    for page in [
        "/thoi-su/page/3/",
        "/page/2/",
        "/luu-tru/2024/07/page/2/",
        "/thoi-su/page/2/",
    ] {
        assert!(site.exists(&format!("{page}index.html")), "{page}");
    }
    assert!(!site.exists("/thoi-su/trang/2/index.html"));
    let first = site.page("/thoi-su/");
    assert!(first.contains("https://example.gov.vn/thoi-su/page/2/\" rel=\"next\""));
    site.write(
        "bantin.yaml",
        "title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\npaginate_path: \"/Trang/\"\n",
    );
    let problems = site.build_err();
    let problem = problems
        .iter()
        .find(|p| {
            p.message
                .contains("`paginate_path` must be one URL word, not `/Trang/`")
        })
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert_eq!(problem.line, 3);
}

#[test]
fn drafts_are_published_only_on_request() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/08/nhap.md",
        "Bản nháp",
        "2024-08-01",
        "draft: true\n",
        "Chưa duyệt.\n",
    );
    site.build_ok();
    assert!(!site.exists("/thoi-su/2024/08/nhap/index.html"));
    bantin::cmd::build::build(&bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        drafts: true,
        ..Default::default()
    })
    .expect("build with drafts");
    assert!(site.exists("/thoi-su/2024/08/nhap/index.html"));
}

#[test]
fn static_files_and_sub_path_base_url() {
    let site = Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/bantin/\"\n");
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.article(
        "content/thoi-su/2024/08/tin.md",
        "Tin",
        "2024-08-01",
        "",
        "Xem [chủ đề](/chu-de/).\n",
    );
    site.build_ok();
    assert!(site.exists("/logo.svg"));
    let page = site.page("/thoi-su/2024/08/tin/");
    assert!(page.contains("href=\"https://example.gov.vn/bantin/style.css\""));
    assert!(page.contains("href=\"https://example.gov.vn/bantin/chu-de/\""));
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://example.gov.vn/bantin/thoi-su/2024/08/tin/\">"
    ));
}

/// A site's static file replaces the theme's of the same name, bytes and permissions.
#[cfg(unix)]
#[test]
fn a_site_static_file_replaces_the_themes_with_its_own_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let site = Fixture::new(CONFIG);
    let themes = site.root().join("themes/default/static/favicon.svg");
    std::fs::set_permissions(&themes, std::fs::Permissions::from_mode(0o755)).unwrap();
    let own = "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>riêng</title></svg>";
    site.write("static/favicon.svg", own);
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode();
    let wanted = mode(&site.root().join("static/favicon.svg"));
    assert_ne!(wanted & 0o777, 0o755);
    site.build_ok();
    let copy = site.output().join("favicon.svg");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), own);
    assert_eq!(mode(&copy) & 0o777, wanted & 0o777);
}

/// A draft bundle's photos stay unpublished with its text.
#[test]
fn the_photos_of_a_draft_bundle_are_not_published() {
    let site = Fixture::new(CONFIG);
    for (folder, draft) in [("nhap", "draft: true\n"), ("dang", "")] {
        site.article(
            &format!("content/thoi-su/2024/04/{folder}/index.md"),
            "Bài",
            "2024-04-02",
            &format!("slug: \"{folder}\"\n{draft}"),
            "![Ảnh](anh.png)\n",
        );
        site.write_bytes(&format!("content/thoi-su/2024/04/{folder}/anh.png"), PNG);
    }
    site.build_ok();
    assert!(site.exists("/thoi-su/2024/04/dang/anh.png"));
    assert!(!site.exists("/thoi-su/2024/04/nhap/"));
    assert!(!site.exists("/thoi-su/2024/04/nhap/anh.png"));
}

/// An output that is a link (to a web server's root) gets the site; the link stays.
#[cfg(unix)]
#[test]
fn an_output_link_is_built_through() {
    let site = seed_like_site();
    let web_root = site.root().join("www");
    std::fs::create_dir(&web_root).unwrap();
    let link = site.root().join("public");
    std::os::unix::fs::symlink(&web_root, &link).unwrap();
    site.build_ok();
    site.build_ok();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(web_root.join("index.html").is_file());
}

/// Every id on a page is unique: headings repeat, end in numbers, or share a name with the
/// theme's own elements (`noi-dung`, the skip link's target).
#[test]
fn heading_ids_never_repeat_on_a_page() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-01",
        "",
        "## Nội dung\n\nA[^Nguồn]\n\n## Kết quả\n\nB[^nguon]\n\n## Kết quả\n\nC\n\n## Kết quả 2\n\nD\n\n\
         [^Nguồn]: Báo Nhân Dân.\n\n[^nguon]: Thông tấn xã Việt Nam.\n",
    );
    site.build_ok();
    let page = site.page("/thoi-su/2024/04/tin/");
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(page.contains("<h2 id=\"noi-dung-2\">"), "{page}");
    assert!(page.contains("<main id=\"noi-dung\""), "{page}");
    // Each footnote reference leads to its own note, and back.
    for id in ["nguon", "nguon-2"] {
        assert!(page.contains(&format!("href=\"#fn-{id}\"")), "{page}");
        assert!(page.contains(&format!("href=\"#fnref-{id}\"")), "{page}");
    }
}

#[test]
fn every_job_knows_its_output_file_before_rendering() {
    let site = seed_like_site();
    site.write(
        "bantin.yaml",
        "title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\npage_size: 1\n",
    );
    let prepared = bantin::cmd::build::prepare(&bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|_| panic!("prepare failed"));
    let renderer = bantin::render::Renderer::new(
        &prepared.site,
        prepared.tera,
        prepared.bodies,
        bantin::vi::VnDate::now(),
    );
    for job in renderer.jobs() {
        let rendered = renderer.render(&job).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(renderer.output_of(&job), rendered.file, "{job:?}");
    }
}

/// A rebuild into the same output links the files that did not change (same inode, old time
/// stamp: deploy tools skip them) and writes the ones that did, photos included.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let site = seed_like_site();
    site.build_ok();
    let inode = |file: &str| {
        std::fs::metadata(site.output().join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .ino()
    };
    let unchanged_page = "dan-toc/2024/03/giao-ban/index.html";
    let changed_page = "thoi-su/2024/04/hoi-nghi/index.html";
    let unchanged_photo = "dan-toc/2024/04/ky-ket-phoi-hop/ky-ket.png";
    let changed_photo = "dan-toc/2024/04/ky-ket-phoi-hop/trien-khai.png";
    let before: Vec<u64> = [unchanged_page, changed_page, unchanged_photo, changed_photo]
        .into_iter()
        .map(inode)
        .collect();

    site.article(
        "content/thoi-su/2024/04/hoi-nghi.md",
        "Hội nghị giao ban quý",
        "2024-04-02",
        "",
        "Nội dung hội nghị, đã sửa.\n",
    );
    // Same length, other bytes: only the content tells the photos apart.
    let other = common::png_of_width(4);
    site.write_bytes(
        "content/dan-toc/2024/04/ky-ket-phoi-hop/trien-khai.png",
        &other,
    );
    site.build_ok();

    assert_eq!(inode(unchanged_page), before[0], "unchanged page is linked");
    assert_eq!(
        inode(unchanged_photo),
        before[2],
        "unchanged photo is linked"
    );
    assert_ne!(inode(changed_page), before[1]);
    assert!(site.page("/thoi-su/2024/04/hoi-nghi/").contains("đã sửa"));
    assert_ne!(inode(changed_photo), before[3]);
    let copied = std::fs::read(site.output().join(changed_photo)).unwrap();
    assert_eq!(copied, other, "the changed photo is copied again");
    assert!(site
        .page("/dan-toc/2024/03/giao-ban/")
        .contains("Đoạn thứ hai."));

    // Same bytes, other permissions: the copy must get the new ones, so it is made again.
    use std::os::unix::fs::PermissionsExt;
    let source = site
        .root()
        .join("content/dan-toc/2024/04/ky-ket-phoi-hop/ky-ket.png");
    std::fs::set_permissions(&source, std::fs::Permissions::from_mode(0o640)).unwrap();
    site.build_ok();
    assert_ne!(inode(unchanged_photo), before[2]);
    let mode = std::fs::metadata(site.output().join(unchanged_photo))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    assert_eq!(inode(unchanged_page), before[0], "still linked");
}

/// The manifest beside the output lets a rebuild link files without reading them, but never
/// trusts one changed since: a page edited in place (same length) is written again.
#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_an_output_file_changed_behind_its_back() {
    let site = seed_like_site();
    site.build_ok();
    let manifest = site.root().join(".public.manifest");
    assert!(
        std::fs::read_to_string(&manifest)
            .is_ok_and(|m| m.contains("dan-toc/2024/03/giao-ban/index.html")),
        "the manifest is beside the output"
    );
    assert!(!site.output().join(".public.manifest").exists());
    let page = site.output().join("dan-toc/2024/03/giao-ban/index.html");
    let good = std::fs::read_to_string(&page).unwrap();
    assert!(good.contains("Đoạn thứ hai."));
    let spoiled = good.replace("Đoạn thứ hai.", "Đoạn thứ ba..");
    assert_eq!(spoiled.len(), good.len());
    std::fs::write(&page, &spoiled).unwrap();
    site.build_ok();
    assert_eq!(std::fs::read_to_string(&page).unwrap(), good);
}

/// A folder of the output replaced by a link to `content/` (someone's shortcut) is never linked
/// from: the new output must not share a file with the editors' sources.
#[cfg(unix)]
#[test]
fn a_rebuild_never_links_editors_files() {
    use std::os::unix::fs::MetadataExt;
    let site = seed_like_site();
    site.build_ok();
    let bundle = "dan-toc/2024/04/ky-ket-phoi-hop";
    let output_folder = site.output().join(bundle);
    std::fs::remove_dir_all(&output_folder).unwrap();
    std::os::unix::fs::symlink(site.root().join("content").join(bundle), &output_folder).unwrap();
    site.build_ok();
    let source = std::fs::metadata(site.root().join("content").join(bundle).join("ky-ket.png"));
    let copy = std::fs::metadata(site.output().join(bundle).join("ky-ket.png"));
    assert_ne!(copy.unwrap().ino(), source.unwrap().ino());
    assert!(!std::fs::symlink_metadata(site.output().join(bundle))
        .unwrap()
        .file_type()
        .is_symlink());
    // A folder above it linked there is no way in either.
    let section = site.output().join("dan-toc");
    std::fs::remove_dir_all(&section).unwrap();
    std::os::unix::fs::symlink(site.root().join("content/dan-toc"), &section).unwrap();
    site.build_ok();
    let source = std::fs::metadata(site.root().join("content").join(bundle).join("ky-ket.png"));
    let copy = std::fs::metadata(site.output().join(bundle).join("ky-ket.png"));
    assert_ne!(copy.unwrap().ino(), source.unwrap().ino());
}

/// A file of the output with another name elsewhere (a backup made with `cp -al`) is written
/// anew, never shared again: the backup must not change with the site.
#[cfg(unix)]
#[test]
fn a_rebuild_does_not_link_files_with_another_name() {
    use std::os::unix::fs::MetadataExt;
    let site = seed_like_site();
    site.build_ok();
    let page = site.output().join("dan-toc/2024/03/giao-ban/index.html");
    let backup = site.root().join("giao-ban-backup.html");
    std::fs::hard_link(&page, &backup).unwrap();
    site.build_ok();
    let rebuilt = std::fs::metadata(&page).unwrap();
    assert_ne!(rebuilt.ino(), std::fs::metadata(&backup).unwrap().ino());
    assert_eq!(
        std::fs::read(&page).unwrap(),
        std::fs::read(&backup).unwrap()
    );
}

/// A bundle folder and a photo named in NFD (copied from a Mac) are found from the NFC names
/// the editor typed, and come out in NFC.
/// A section folder copied from a Mac (NFD name) keeps its articles and its links.
#[test]
fn a_section_folder_named_in_nfd_keeps_its_articles() {
    let site = Fixture::new(CONFIG);
    let folder: String = "content/văn-hoá".nfd().collect();
    site.write(
        &format!("{folder}/_index.md"),
        "---\ntitle: \"Văn hoá\"\n---\n",
    );
    site.article(
        &format!("{folder}/le-hoi.md"),
        "Lễ hội đình làng",
        "2024-04-01",
        "",
        "Nội dung.\n",
    );
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-02",
        "",
        "Xem [lễ hội](../../../văn-hoá/le-hoi.md).\n",
    );
    site.build_ok();
    assert!(site.exists("/van-hoa/2024/04/le-hoi/index.html"));
    assert!(site.page("/van-hoa/").contains("Lễ hội đình làng"));
    let page = site.page("/thoi-su/2024/04/tin/");
    assert!(page.contains("/van-hoa/2024/04/le-hoi/\""), "{page}");
}

/// A photo taken from another article's bundle links to where that bundle is published.
#[test]
fn a_photo_from_another_bundle_links_to_its_published_file() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/hoà-bình/index.md",
        "Hòa Bình",
        "2024-04-01",
        "",
        "Nội dung.\n",
    );
    site.write_bytes("content/thoi-su/2024/04/hoà-bình/anh.png", PNG);
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-02",
        "photos:\n  - src: \"hoà-bình/anh.png\"\n",
        "![Lại ảnh ấy](hoà-bình/anh.png)\n",
    );
    site.build_ok();
    assert!(site.exists("/thoi-su/2024/04/hoa-binh/anh.png"));
    let page = site.page("/thoi-su/2024/04/tin/");
    let url = "https://example.gov.vn/thoi-su/2024/04/hoa-binh/anh.png";
    assert!(page.matches(url).count() >= 2, "{page}");
    assert!(!page.contains("hoà-bình/anh.png"), "{page}");
}

#[test]
fn photos_in_folders_named_in_nfd_are_found() {
    let site = Fixture::new(CONFIG);
    let folder: String = "content/thoi-su/2024/04/hoà-bình".nfd().collect();
    site.article(
        &format!("{folder}/index.md"),
        "Hòa Bình",
        "2024-04-01",
        "photos:\n  - src: \"ảnh.png\"\n    caption: \"Toàn cảnh\"\n",
        "Nội dung.\n\n![Ảnh hai](ảnh.png)\n",
    );
    let photo: String = format!("{folder}/ảnh.png").nfd().collect();
    site.write_bytes(&photo, PNG);
    site.build_ok();
    let page = site.page("/thoi-su/2024/04/hoa-binh/");
    assert!(page.contains("width=\"3\""), "{page}");
    assert!(site.exists("/thoi-su/2024/04/hoa-binh/ảnh.png"));
    // Its URL is percent-encoded (NFC), valid in feeds, JSON-LD and Open Graph alike.
    let url = "https://example.gov.vn/thoi-su/2024/04/hoa-binh/%E1%BA%A3nh.png";
    assert!(page.contains(&format!("src=\"{url}\"")), "{page}");
    assert!(page.contains(&format!("<meta property=\"og:image\" content=\"{url}\">")));
    assert!(site
        .page("/rss.xml")
        .contains(&format!("<enclosure url=\"{url}\"")));
}

/// "Trang" is a given name and a word: an article or alias with it is not a list page.
#[test]
fn an_article_named_trang_is_not_a_list_page() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/trang.md",
        "Trang",
        "2024-04-01",
        "aliases: [\"/trang/gioi-thieu.html\"]\n",
        "Chị Trang kể chuyện.\n",
    );
    site.build_ok();
    assert!(site
        .page("/thoi-su/2024/04/trang/")
        .contains("Chị Trang kể chuyện."));
    assert!(site.exists("/trang/gioi-thieu.html"));
}

/// Two people whose names differ only in marks are two authors, each with a page: the name
/// published first keeps the plain URL, and check says which one got another.
#[test]
fn authors_whose_names_differ_in_marks_get_a_page_each() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/mot.md",
        "Tin một",
        "2024-04-01",
        "authors: [\"Lê Văn Hải\"]\n",
        "Một.\n",
    );
    site.article(
        "content/thoi-su/2024/05/hai.md",
        "Tin hai",
        "2024-05-01",
        "authors: [\"Lê Vân Hải\"]\n",
        "Hai.\n",
    );
    let report = site.build_ok();
    assert_eq!(report.warnings, 1);
    assert!(site.page("/tac-gia/le-van-hai/").contains("Tin một"));
    let second = site.page("/tac-gia/le-van-hai-2/");
    assert!(second.contains("Lê Vân Hải") && second.contains("Tin hai"));
    assert!(!second.contains("Tin một"));
}

#[test]
fn the_latest_block_of_an_article_lists_no_headline_the_page_shows_already() {
    let site = Fixture::new(CONFIG);
    for day in 1..=7 {
        // Days 3 and 7 share a tag: each is the other's related article.
        let tags = if day == 3 || day == 7 {
            "tags: [\"lũ\"]\n"
        } else {
            ""
        };
        site.article(
            &format!("content/thoi-su/2024/04/tin-{day}.md"),
            &format!("Tin ngày {day}"),
            &format!("2024-04-{day:02}T08:00:00+07:00"),
            tags,
            "Nội dung.\n",
        );
    }
    site.build_ok();
    let latest = |day: u32| {
        let page = site.page(&format!("/thoi-su/2024/04/tin-{day}/"));
        let block = element_text(&page, "<aside class=\"latest-block\"");
        (1..=7)
            .filter(|d| block.contains(&format!("Tin ngày {d}<")))
            .collect::<Vec<u32>>()
    };
    // Nor the previous and next articles, nor the related ones, which the page links already:
    // the newest (its previous is day 6, day 3 related) gets days 5, 4, 2 and 1; day 5
    // (between 4 and 6) the other four there are.
    assert_eq!(latest(7), [1, 2, 4, 5]);
    assert_eq!(latest(3), [1, 5, 6]);
    assert_eq!(latest(5), [1, 2, 3, 7]);
    assert_eq!(latest(4), [1, 2, 6, 7]);
    // An older one: the five newest but its next (day 2).
    assert_eq!(latest(1), [3, 4, 5, 6, 7]);
}

#[test]
fn a_day_given_without_a_time_is_shown_without_one() {
    let site = seed_like_site();
    site.build_ok();
    let page = site.page("/thoi-su/2024/04/hoi-nghi/");
    let meta = element_text(&page, "<p class=\"meta\"");
    assert!(
        meta.contains("<time datetime=\"2024-04-02T00:00:00+07:00\">Thứ Ba, 2/4/2024</time>"),
        "{meta}"
    );
    assert!(!page.contains("00:00 (GMT+7)"), "no midnight on the page");
    let list = site.page("/thoi-su/");
    assert!(
        list.contains(">02/04/2024</time>"),
        "lists show the day alone"
    );
    // A time of its own is shown, midnight too.
    let timed = site.page("/dan-toc/2024/04/ky-ket-phoi-hop/");
    assert!(timed.contains("Thứ Tư, 10/4/2024, 09:30 (GMT+7)"));
    site.article(
        "content/thoi-su/2024/04/nua-dem.md",
        "Tin lúc nửa đêm",
        "\"2024-04-03 00:00\"",
        "",
        "Nội dung.\n",
    );
    site.build_ok();
    let midnight = site.page("/thoi-su/2024/04/nua-dem/");
    assert!(midnight.contains("Thứ Tư, 3/4/2024, 00:00 (GMT+7)"));
}

#[test]
fn the_home_page_shows_its_introduction_and_one_name() {
    let site = Fixture::new(&CONFIG.replace("page_size: 10", "page_size: 2"));
    site.write(
        "content/_index.md",
        "---\ntitle: \"Trang tin khác tên\"\n---\nBản tin điện tử của Văn phòng Ban biên tập.\n",
    );
    for day in 1..=4 {
        site.article(
            &format!("content/thoi-su/2024/04/tin-{day}.md"),
            &format!("Tin ngày {day}"),
            &format!("2024-04-{day:02}T08:00:00+07:00"),
            "",
            "Nội dung.\n",
        );
    }
    // A section listed by title: its block still shows its newest articles.
    site.write(
        "content/van-ban/_index.md",
        "---\ntitle: \"Văn bản\"\nsort_by: title\n---\n",
    );
    for (n, letter) in ["A", "B", "C", "D", "E", "F"].iter().enumerate() {
        site.article(
            &format!("content/van-ban/2024/03/{letter}.md"),
            &format!("Văn bản {letter}"),
            &format!("2024-03-0{}", n + 1),
            "",
            "Nội dung.\n",
        );
    }
    site.build_ok();
    let home = site.page("/");
    let blocks = home
        .split("<section class=\"section-block\"")
        .nth(2)
        .unwrap();
    let shown: Vec<&str> = ["A", "B", "C", "D", "E", "F"]
        .into_iter()
        .filter(|l| blocks.contains(&format!(">Văn bản {l}</a>")))
        .collect();
    assert_eq!(shown, ["C", "D", "E", "F"]);
    // The browser tab and a link shared on Zalo or Facebook carry the same name.
    assert!(home.contains("<title>Bản tin thử</title>"));
    assert!(home.contains("<meta property=\"og:title\" content=\"Bản tin thử\">"));
    assert!(home.contains("<meta name=\"twitter:title\" content=\"Bản tin thử\">"));
    let intro = element_text(&home, "<section class=\"site-intro");
    assert!(
        intro.contains("Bản tin điện tử của Văn phòng Ban biên tập."),
        "{intro}"
    );
    assert!(element_text(&home, "<h2 class=\"block-title\"").contains("Tin mới nhất"));
    // A block per section, with its newest articles the page does not list already.
    let block = element_text(&home, "<section class=\"section-block\"");
    assert!(block.contains(">Thời sự</a></h2>"), "{block}");
    let titles: Vec<&str> = ["Tin ngày 1", "Tin ngày 2", "Tin ngày 3", "Tin ngày 4"]
        .into_iter()
        .filter(|t| block.contains(&format!(">{t}</a>")))
        .collect();
    assert_eq!(titles, ["Tin ngày 1", "Tin ngày 2"]);
    let second = site.page("/trang/2/");
    assert_eq!(
        element_text(&second, "<h2 class=\"block-title\""),
        "Tin cũ hơn – Trang 2"
    );
    assert!(
        !second.contains("site-intro"),
        "the introduction is on page 1 only"
    );
    assert!(
        !second.contains("section-block"),
        "so are the sections' blocks"
    );
}

#[test]
fn an_article_signed_in_its_body_gets_no_second_byline() {
    let site = seed_like_site();
    site.article(
        "content/thoi-su/2024/04/khong-ky.md",
        "Bài không ký tên cuối",
        "2024-04-05 08:00",
        "authors: [\"Minh Khôi\"]\n",
        "Nội dung.\n",
    );
    site.build_ok();
    // The body ends with "**THÁI PHƯƠNG**", the paper's sign-off: the name is shown once.
    let signed = site.page("/dan-toc/2024/04/ky-ket-phoi-hop/");
    assert!(signed.contains("<p><strong>THÁI PHƯƠNG</strong></p>"));
    assert!(!signed.contains("class=\"byline\""));
    // The author's page is still a tap away, beside the tags.
    let terms = element_text(&signed, "<footer class=\"article-terms\"");
    assert!(terms.contains("<span class=\"terms-label\">Tác giả:</span>"));
    assert!(terms.contains(
        "<a href=\"https://example.gov.vn/tac-gia/thai-phuong/\" rel=\"author\">Thái Phương</a>"
    ));
    let unsigned = site.page("/thoi-su/2024/04/khong-ky/");
    assert!(unsigned.contains("<p class=\"byline\"><a href=\"https://example.gov.vn/tac-gia/minh-khoi/\" rel=\"author\">Minh Khôi</a></p>"));
}

#[test]
fn list_items_carry_the_articles_extra_map() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/noi-bat.md",
        "Tin nổi bật",
        "2024-04-02",
        "extra: { noi_bat: true }\n",
        "Nội dung.\n",
    );
    site.article(
        "content/thoi-su/2024/04/thuong.md",
        "Tin thường",
        "2024-04-01",
        "",
        "Nội dung.\n",
    );
    site.write(
        "templates/partials/article_item.html",
        "<p>{{ item.title }}{% if item.extra.noi_bat %} (nổi bật){% endif %}</p>\n",
    );
    site.build_ok();
    let list = site.page("/thoi-su/");
    assert!(list.contains("<p>Tin nổi bật (nổi bật)</p>"), "{list}");
    assert!(list.contains("<p>Tin thường</p>"));
}

/// The list item template is rendered once per article, and every list that shows the article
/// prints it: its section, the home page, its tag, its month and another article's related
/// articles. It sees the item and the site.
#[test]
fn the_list_item_template_shows_in_every_list() {
    let site = Fixture::new(CONFIG);
    for (file, title, date) in [
        ("mot", "Hội nghị một", "2024-04-01"),
        ("hai", "Hội nghị hai", "2024-04-02"),
        ("ba", "Hội nghị ba", "2024-04-03"),
    ] {
        site.article(
            &format!("content/thoi-su/2024/04/{file}.md"),
            title,
            date,
            "tags: [\"Dân tộc\"]\n",
            "Nội dung.\n",
        );
    }
    site.write(
        "templates/partials/article_item.html",
        "<p class=\"mine\">{{ item.title }} · {{ site.title }}</p>\n",
    );
    site.build_ok();
    let first = "<p class=\"mine\">Hội nghị một · Bản tin thử</p>";
    for list in ["/thoi-su/", "/", "/chu-de/dan-toc/", "/luu-tru/2024/04/"] {
        assert!(
            site.page(list).contains(first),
            "{list}: {}",
            site.page(list)
        );
    }
    // "Hội nghị hai" is the previous article of "Hội nghị ba", linked above its related ones.
    let related = element_text(
        &site.page("/thoi-su/2024/04/ba/"),
        "<section class=\"related\"",
    );
    assert!(related.contains(first), "{related}");
    assert!(!related.contains("Hội nghị hai"), "{related}");
}

/// Themes whose lists do not print `item.html` build as they did: one made before it, whose
/// lists include the item partial, and one without that partial.
#[test]
fn themes_whose_lists_do_not_print_item_html_build() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/hop.md",
        "Họp giao ban",
        "2024-04-02",
        "",
        "Nội dung.\n",
    );
    let list = "themes/default/templates/partials/article_list.html";
    let item = "themes/default/templates/partials/article_item.html";
    site.write(
        list,
        "{% for item in articles %}{% include \"partials/article_item.html\" %}{% endfor %}\n",
    );
    site.write(item, "<p class=\"old\">{{ item.title }}</p>\n");
    site.build_ok();
    let page = site.page("/thoi-su/");
    assert!(page.contains("<p class=\"old\">Họp giao ban</p>"), "{page}");
    site.remove(item);
    site.write(
        list,
        "{% for item in articles %}<p class=\"own\">{{ item.title }}</p>{% endfor %}\n",
    );
    site.write(
        "themes/default/templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ article.title }}</h1>{% endblock content %}\n",
    );
    site.build_ok();
    let page = site.page("/thoi-su/");
    assert!(page.contains("<p class=\"own\">Họp giao ban</p>"), "{page}");
}

/// A body photo written as a browser address (`anh%20hop.png`, as copied from a page) names
/// the file with the space, as a link to a file does.
#[test]
fn a_body_photo_written_with_escapes_is_found() {
    let site = Fixture::new(CONFIG);
    site.write_bytes("content/thoi-su/2024/04/hop/anh hop.png", PNG);
    site.article(
        "content/thoi-su/2024/04/hop/index.md",
        "Họp giao ban",
        "2024-04-02",
        "",
        "Nội dung.\n\n![Toàn cảnh cuộc họp](anh%20hop.png)\n",
    );
    site.build_ok();
    let page = site.page("/thoi-su/2024/04/hop/");
    assert!(page.contains("<figcaption>Toàn cảnh cuộc họp"), "{page}");
    assert!(page.contains("width=\"3\" height=\"2\""), "{page}");
    assert!(site
        .output()
        .join("thoi-su/2024/04/hop/anh hop.png")
        .is_file());
}

/// Files tools leave in `static/` (`.gitkeep`) are not published; other hidden files are
/// (`.well-known/security.txt`).
#[test]
fn tool_files_in_static_are_not_published() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-02",
        "",
        "Nội dung.\n",
    );
    site.write("static/.gitkeep", "");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:a@b.vn\n",
    );
    site.build_ok();
    assert!(!site.output().join(".gitkeep").exists());
    assert!(site.output().join(".well-known/security.txt").is_file());
    // The only article is the home page's lead: no empty "latest news" block under it.
    let home = site.page("/");
    assert!(
        home.contains("Tin") && !home.contains("Chưa có bài viết"),
        "{home}"
    );
}

/// The files of the default theme's `static/`, which every build copies.
fn copied_static() -> usize {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    bantin::write::files_below(&folder).count()
}

#[test]
fn lists_show_a_thumbnail_of_a_wide_lead_photo_and_articles_the_photo() {
    let site = Fixture::new(CONFIG);
    let lead = "photos:\n  - src: \"hoi-nghi.jpg\"\n    caption: \"Quang cảnh hội nghị\"\n";
    site.article(
        "content/thoi-su/2024/04/hoi-nghi/index.md",
        "Hội nghị tổng kết",
        "2024-04-02",
        lead,
        "Nội dung.\n",
    );
    // Wider than lists show it, narrower than a medium copy's photo: a thumbnail only.
    let wide = common::jpeg_photo(1000, 625, 10);
    site.write_bytes("content/thoi-su/2024/04/hoi-nghi/hoi-nghi.jpg", &wide);
    site.article(
        "content/thoi-su/2024/04/nho/index.md",
        "Ảnh nhỏ",
        "2024-04-01",
        "photos:\n  - src: \"nho.jpg\"\n",
        "Nội dung.\n",
    );
    site.write_bytes(
        "content/thoi-su/2024/04/nho/nho.jpg",
        &common::jpeg_photo(400, 300, 10),
    );
    let report = site.build_ok();
    // The two photos are copied, and one thumbnail made.
    assert_eq!(
        (report.files_copied - copied_static(), report.thumbnails),
        (2, 1)
    );

    let folder = "https://example.gov.vn/thoi-su/2024/04/hoi-nghi";
    let listed = format!(
        "<img src=\"{folder}/hoi-nghi.360.jpg\" alt=\"\" width=\"360\" height=\"225\" loading=\"lazy\""
    );
    for list in ["/thoi-su/", "/luu-tru/2024/04/"] {
        assert!(
            site.page(list).contains(&listed),
            "{list}: {}",
            site.page(list)
        );
    }
    let thumbnail = site
        .output()
        .join("thoi-su/2024/04/hoi-nghi/hoi-nghi.360.jpg");
    assert_eq!(common::pixel_size(&thumbnail), (360, 225));
    assert!(fs::metadata(&thumbnail).unwrap().len() * 4 < wide.len() as u64);
    // The article page shows the photo itself, and shares it.
    let article = site.page("/thoi-su/2024/04/hoi-nghi/");
    assert!(
        article.contains(&format!("<img src=\"{folder}/hoi-nghi.jpg\"")),
        "{article}"
    );
    assert!(article.contains(&format!("og:image\" content=\"{folder}/hoi-nghi.jpg\"")));
    assert!(!article.contains("hoi-nghi.360.jpg"), "{article}");
    // A photo about as wide as the list shows it is listed as it is.
    assert!(site
        .page("/thoi-su/")
        .contains("/thoi-su/2024/04/nho/nho.jpg\" alt=\"\" width=\"400\""));
    assert!(!site.exists("/thoi-su/2024/04/nho/nho.360.jpg"));

    // The next build takes the thumbnail from the cache; a photo replaced gets a new one,
    // and the cache keeps only the thumbnails the site still needs.
    let cache = site.root().join(".bantin-cache/thumbnails");
    let cached = || -> Vec<PathBuf> {
        let files = fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path());
        files
            .filter(|f| f.extension().is_some_and(|e| e == "jpg"))
            .collect()
    };
    let first = cached();
    assert_eq!(first.len(), 1, "{first:?}");
    fs::write(&first[0], fs::read(&thumbnail).unwrap()).unwrap();
    site.build_ok();
    assert_eq!(fs::read(&thumbnail).unwrap(), fs::read(&first[0]).unwrap());
    site.write_bytes(
        "content/thoi-su/2024/04/hoi-nghi/hoi-nghi.jpg",
        &common::jpeg_photo(1000, 1000, 90),
    );
    site.build_ok();
    assert_eq!(common::pixel_size(&thumbnail), (360, 360));
    assert!(site
        .page("/thoi-su/")
        .contains("hoi-nghi.360.jpg\" alt=\"\" width=\"360\" height=\"360\""));
    let second = cached();
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(second, first);
}

#[test]
fn a_photo_of_a_drafts_bundle_is_not_shown_on_a_published_page() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/nhap/index.md",
        "Bản nháp",
        "2024-04-01",
        "draft: true\n",
        "Nội dung.\n",
    );
    let photo = common::jpeg_photo(1600, 1000, 10);
    site.write_bytes("content/thoi-su/2024/04/nhap/anh.jpg", &photo);
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-02",
        "photos:\n  - src: \"nhap/anh.jpg\"\n",
        "Nội dung.\n",
    );
    // The page would show a broken image: an error, in the front matter and in the text.
    let problems = site.build_err();
    let message = "photo `nhap/anh.jpg` is in content/thoi-su/2024/04/nhap/, the folder of an article not published";
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains(message) && p.line == 5),
        "{problems:?}"
    );
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-02",
        "",
        "Ảnh:\n\n![Hội nghị](nhap/anh.jpg)\n\nXem [báo cáo](nhap/bao-cao.pdf).\n",
    );
    site.write_bytes("content/thoi-su/2024/04/nhap/bao-cao.pdf", b"%PDF-1.4");
    let problems = site.build_err();
    let link = "the link to `nhap/bao-cao.pdf` leads to content/thoi-su/2024/04/nhap/";
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains(link) && p.line == 9),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains(message) && p.line == 7),
        "{problems:?}"
    );
    assert!(!site.output().exists());
    // Published, the draft's photo is the page's.
    site.article(
        "content/thoi-su/2024/04/nhap/index.md",
        "Bản nháp",
        "2024-04-01",
        "",
        "Nội dung.\n",
    );
    site.build_ok();
    assert!(site
        .page("/thoi-su/2024/04/tin/")
        .contains("/thoi-su/2024/04/nhap/anh.jpg"));
    assert!(site.exists("/thoi-su/2024/04/nhap/bao-cao.pdf"));
}

#[test]
fn a_site_can_do_without_thumbnails() {
    let site = Fixture::new(&format!("{CONFIG}thumbnails: false\n"));
    site.article(
        "content/thoi-su/2024/04/hoi-nghi/index.md",
        "Hội nghị",
        "2024-04-02",
        "photos:\n  - src: \"anh.jpg\"\n",
        "Nội dung.\n",
    );
    site.write_bytes(
        "content/thoi-su/2024/04/hoi-nghi/anh.jpg",
        &common::jpeg_photo(1600, 1000, 10),
    );
    site.build_ok();
    assert!(!site.exists("/thoi-su/2024/04/hoi-nghi/anh.360.jpg"));
    assert!(site
        .page("/thoi-su/")
        .contains("hoi-nghi/anh.jpg\" alt=\"\" width=\"1600\""));
    assert!(!site.root().join(".bantin-cache").exists());
}

/// Editors list photos in the front matter (for their credits) and place some in the text:
/// a reader sees each photo once, where the editor placed it.
#[test]
fn a_front_matter_photo_the_body_shows_is_not_shown_again() {
    let site = Fixture::new(CONFIG);
    for photo in ["toan-canh.png", "ky-ket.png", "trao-qua.png"] {
        site.write_bytes(&format!("content/thoi-su/2024/04/hop/{photo}"), PNG);
    }
    let photos = "photos:\n  - src: \"toan-canh.png\"\n    caption: \"Toàn cảnh hội nghị\"\n  - src: \"ky-ket.png\"\n    caption: \"Ký kết phối hợp\"\n    credit: \"Việt Dũng\"\n  - src: \"trao-qua.png\"\n    caption: \"Trao quà cho hộ nghèo\"\n";
    // The text names the photo another way and leaves its credit to the front matter.
    site.article(
        "content/thoi-su/2024/04/hop/index.md",
        "Họp giao ban",
        "2024-04-02",
        photos,
        "Đoạn đầu.\n\n![Ký kết phối hợp](./ky-ket.png)\n\nĐoạn sau.\n",
    );
    // A site path to the same file, and no caption: the front matter's.
    site.article(
        "content/thoi-su/2024/04/hop-2/index.md",
        "Họp giao ban lần hai",
        "2024-04-03",
        "photos:\n  - src: \"../hop/toan-canh.png\"\n    caption: \"Toàn cảnh hội nghị\"\n    credit: \"Thu Hường\"\n",
        "Đoạn đầu.\n\n![](/thoi-su/2024/04/hop/toan-canh.png)\n",
    );
    // Nor is a credit missing: the front matter gives it.
    assert_eq!(site.build_ok().warnings, 0);
    let page = site.page("/thoi-su/2024/04/hop/");
    let figures = |page: &str, photo: &str| {
        page.split("<figure")
            .skip(1)
            .filter(|figure| {
                figure
                    .split("</figure>")
                    .next()
                    .unwrap_or("")
                    .contains(photo)
            })
            .count()
    };
    for photo in ["toan-canh.png", "ky-ket.png", "trao-qua.png"] {
        assert_eq!(figures(&page, photo), 1, "{photo} in {page}");
    }
    let at = |text: &str| {
        page.find("<article class=\"article\"")
            .and_then(|start| page[start..].find(text))
            .unwrap_or_else(|| panic!("{text} in {page}"))
    };
    // The lead photo after the sapo, the placed one in the text, the last one after it.
    assert!(at("toan-canh.png") < at("Đoạn đầu."));
    assert!(at("Đoạn đầu.") < at("ky-ket.png") && at("ky-ket.png") < at("Đoạn sau."));
    assert!(at("Đoạn sau.") < at("trao-qua.png"));
    assert!(page.contains("Ảnh:&nbsp;Việt Dũng"), "{page}");
    // A lead photo the text shows is shown there only, and is still the page's photo.
    let second = site.page("/thoi-su/2024/04/hop-2/");
    assert_eq!(figures(&second, "toan-canh.png"), 1, "{second}");
    let in_text = second.find("<div class=\"content\">").expect("content");
    assert!(
        second.find("<figure").expect("figure") > in_text,
        "{second}"
    );
    assert!(second.contains("<meta property=\"og:image\" content=\"https://example.gov.vn/thoi-su/2024/04/hop/toan-canh.png\">"), "{second}");
    assert!(second.contains("alt=\"Toàn cảnh hội nghị\""), "{second}");
    assert!(
        second.contains(
            "<figcaption>Toàn cảnh hội nghị. <span class=\"credit\">Ảnh:&nbsp;Thu Hường</span>"
        ),
        "{second}"
    );
}

/// A first build of a site with many large photos spends long making thumbnails: it says how
/// far it is, as it does for pages.
#[test]
fn a_build_tells_how_far_it_is_with_thumbnails_and_pages() {
    use bantin::cmd::build::{build_with_progress, BuildOptions, Stage};
    use std::sync::Mutex;
    let site = Fixture::new(CONFIG);
    for n in 0..3 {
        let folder = format!("content/thoi-su/2024/04/hop-{n}");
        site.article(
            &format!("{folder}/index.md"),
            &format!("Hội nghị số {n}"),
            "2024-04-02",
            "photos:\n  - src: \"anh.jpg\"\n",
            "Nội dung.\n",
        );
        site.write_bytes(
            &format!("{folder}/anh.jpg"),
            &common::jpeg_photo(800, 500, n),
        );
    }
    let heard = Mutex::new(Vec::new());
    let progress = |stage: Stage, done: usize, total: usize| {
        heard.lock().expect("lock").push((stage, done, total));
    };
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let report = build_with_progress(&options, &progress).expect("build");
    let heard = heard.into_inner().expect("lock");
    let last = |stage: Stage| heard.iter().rev().find(|(s, _, _)| *s == stage).copied();
    assert_eq!(
        last(Stage::Thumbnails),
        Some((Stage::Thumbnails, 3, 3)),
        "{heard:?}"
    );
    assert_eq!(report.thumbnails, 3);
    let (_, done, total) = last(Stage::Pages).expect("pages told");
    assert_eq!(done, total);
    let thumbnails_end = heard.iter().rposition(|(s, _, _)| *s == Stage::Thumbnails);
    let pages_start = heard.iter().position(|(s, _, _)| *s == Stage::Pages);
    assert!(thumbnails_end < pages_start, "{heard:?}");
}

/// A photo of, or a link to a file of, another article's bundle written as a site path
/// (`/thoi-su/…/hop/anh.png`, the folder in `content/`) leads where that bundle's files are
/// published: beside its article's page, whose URL comes from the slug, not the folder; and
/// is an error while that article is a draft.
#[test]
fn a_site_path_into_another_bundle_leads_to_its_published_file() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/hop/index.md",
        "Họp giao ban",
        "2024-04-01",
        "slug: \"hop-giao-ban\"\n",
        "Nội dung.\n",
    );
    site.write_bytes("content/thoi-su/2024/04/hop/anh.png", PNG);
    site.article(
        "content/thoi-su/2024/04/tin.md",
        "Tin",
        "2024-04-02",
        "photos:\n  - src: \"/thoi-su/2024/04/hop/anh.png\"\n",
        "Nội dung.\n\n![Lại ảnh ấy](/thoi-su/2024/04/hop/anh.png)\n\nXem [báo cáo](/thoi-su/2024/04/hop/bao-cao.pdf).\n",
    );
    site.write_bytes("content/thoi-su/2024/04/hop/bao-cao.pdf", b"%PDF-1.4");
    site.build_ok();
    let page = site.page("/thoi-su/2024/04/tin/");
    let url = "https://example.gov.vn/thoi-su/2024/04/hop-giao-ban/anh.png";
    assert!(page.contains(&format!("<img src=\"{url}\"")), "{page}");
    assert!(!page.contains("/2024/04/hop/"), "{page}");
    assert!(site.exists("/thoi-su/2024/04/hop-giao-ban/anh.png"));
    let report = "https://example.gov.vn/thoi-su/2024/04/hop-giao-ban/bao-cao.pdf";
    assert!(page.contains(&format!("<a href=\"{report}\">")), "{page}");
    assert!(site.exists("/thoi-su/2024/04/hop-giao-ban/bao-cao.pdf"));
    // The bundle's article a draft again: its photo would be a broken image.
    site.article(
        "content/thoi-su/2024/04/hop/index.md",
        "Họp giao ban",
        "2024-04-01",
        "slug: \"hop-giao-ban\"\ndraft: true\n",
        "Nội dung.\n",
    );
    let problems = site.build_err();
    let message = "photo `/thoi-su/2024/04/hop/anh.png` is in content/thoi-su/2024/04/hop/, the folder of an article not published";
    for line in [5, 9] {
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains(message) && p.line == line),
            "line {line}: {problems:?}"
        );
    }
    let link =
        "the link to `/thoi-su/2024/04/hop/bao-cao.pdf` leads to content/thoi-su/2024/04/hop/";
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains(link) && p.line == 11),
        "{problems:?}"
    );
}

/// A photo much wider than the article column gets a copy 800 pixels wide, which the page
/// offers phones through `srcset`: where it stands after the sapo, in the text, in the
/// gallery. Lists keep their thumbnail; a narrower photo is offered as it is.
#[test]
fn wide_photos_of_an_article_page_are_offered_to_phones_smaller() {
    let site = Fixture::new(CONFIG);
    let folder = "content/thoi-su/2024/04/hop";
    site.article(
        &format!("{folder}/index.md"),
        "Họp giao ban",
        "2024-04-02",
        "photos:\n  - src: \"toan-canh.jpg\"\n    caption: \"Toàn cảnh\"\n  - src: \"ky-ket.jpg\"\n    caption: \"Ký kết\"\n  - src: \"nho.jpg\"\n    caption: \"Ảnh nhỏ\"\n",
        "Đoạn đầu.\n\n![Ký kết](ky-ket.jpg \"Ảnh: Việt Dũng\")\n\n![Hội trường](hoi-truong.jpg \"Ảnh: Minh Khôi\")\n",
    );
    // `hoi-truong.jpg`: only the text shows it.
    for (name, width, height) in [
        ("hoi-truong.jpg", 1200, 900),
        ("toan-canh.jpg", 1600, 1000),
        ("ky-ket.jpg", 2000, 1500),
        ("nho.jpg", 1000, 600),
    ] {
        let photo = common::jpeg_photo(width, height, (width / 40) as u8);
        site.write_bytes(&format!("{folder}/{name}"), &photo);
    }
    let report = site.build_ok();
    // The lead's thumbnail, and medium copies of the three wide photos.
    assert_eq!(report.thumbnails, 4);
    let url = |name: &str| format!("https://example.gov.vn/thoi-su/2024/04/hop/{name}");
    let page = site.page("/thoi-su/2024/04/hop/");
    let sizes = "sizes=\"(min-width: 48rem) 46rem, calc(100vw - 2rem)\"";
    for (name, medium, width, height) in [
        ("toan-canh.jpg", "toan-canh.800.jpg", 1600, 500),
        ("ky-ket.jpg", "ky-ket.800.jpg", 2000, 600),
        ("hoi-truong.jpg", "hoi-truong.800.jpg", 1200, 600),
    ] {
        let srcset = format!(
            "srcset=\"{} 800w, {} {width}w\" {sizes}",
            url(medium),
            url(name)
        );
        assert_eq!(page.matches(&srcset).count(), 1, "{srcset} in {page}");
        let file = site.output().join("thoi-su/2024/04/hop").join(medium);
        assert_eq!(common::pixel_size(&file), (800, height));
    }
    // The body's figure and the page's own are the same markup.
    assert!(
        page.contains(&format!("<img src=\"{}\" srcset=", url("ky-ket.jpg"))),
        "{page}"
    );
    assert!(
        page.contains(&format!("<img src=\"{}\" alt=\"Ảnh nhỏ\"", url("nho.jpg"))),
        "{page}"
    );
    assert!(!site.exists("/thoi-su/2024/04/hop/nho.800.jpg"));
    let list = site.page("/thoi-su/");
    assert!(list.contains(&url("toan-canh.360.jpg")), "{list}");
    assert!(!list.contains(".800.jpg"), "{list}");
    // The home page's lead story shows its photo large: it is offered smaller too.
    let home = site.page("/");
    let lead = format!(
        "srcset=\"{} 800w, {} 1600w\"",
        url("toan-canh.800.jpg"),
        url("toan-canh.jpg")
    );
    assert!(home.contains(&lead), "{home}");
}

/// Where a page shows a photo otherwise than in an article's column, no medium copy is
/// offered: a section's text (shown wider) and a panorama cropped into the home page's lead.
#[test]
fn photos_shown_wider_than_the_article_column_are_offered_whole() {
    let site = Fixture::new(CONFIG);
    site.write(
        "content/thoi-su/_index.md",
        "---\ntitle: \"Thời sự\"\n---\n![Toàn cảnh.](toan-canh.jpg \"Ảnh: Minh Khôi\")\n",
    );
    site.write_bytes(
        "content/thoi-su/toan-canh.jpg",
        &common::jpeg_photo(1600, 1000, 10),
    );
    site.article(
        "content/thoi-su/2024/04/hop/index.md",
        "Họp",
        "2024-04-02",
        "photos:\n  - src: \"panorama.jpg\"\n",
        "Nội dung.\n",
    );
    site.write_bytes(
        "content/thoi-su/2024/04/hop/panorama.jpg",
        &common::jpeg_photo(2400, 800, 20),
    );
    site.build_ok();
    let section = site.page("/thoi-su/");
    assert!(
        section.contains("thoi-su/toan-canh.jpg\" alt="),
        "{section}"
    );
    assert!(!site.exists("/thoi-su/toan-canh.800.jpg"));
    // The article offers the panorama's copy; the home page's lead, a 3:2 crop, does not.
    assert!(site
        .page("/thoi-su/2024/04/hop/")
        .contains("panorama.800.jpg 800w"));
    let home = site.page("/");
    assert!(home.contains("hop/panorama.jpg\" alt=\"\""), "{home}");
    assert!(!home.contains("srcset"), "{home}");
}
