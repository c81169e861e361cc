//! `bantin init`, `new`, `import` and `check`, run from the command line as editors run them.

mod common;

use common::{Fixture, CONFIG};
use std::path::Path;
use std::process::{Command, Output};

fn bantin(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("run bantin")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("bantin-moi");
    let output = bantin(&["init", site.to_str().unwrap()], dir.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(site.join("themes/default/templates/article.html").is_file());
    assert!(
        std::fs::read_to_string(site.join("bantin.yaml"))
            .unwrap()
            .contains("# "),
        "the config has comments"
    );
    let build = bantin(&["build"], &site);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(stdout(&build).contains("Built 1 article,"));
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("Chào mừng đến với bản tin"));
    // What the build left beside the sources is what the site's .gitignore leaves out.
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    let mut made: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            ![".gitignore", "bantin.yaml", "content", "static", "themes"].contains(&name.as_str())
        })
        .collect();
    made.sort();
    assert_eq!(made, [".public.manifest", "public"]);
    assert!(made
        .iter()
        .all(|name| ignored.lines().any(|l| l.trim_matches('/') == name)));
    // A second init into the same, now full, folder is refused.
    let again = bantin(&["init", site.to_str().unwrap()], dir.path());
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
}

#[test]
fn new_writes_a_dated_article_and_never_overwrites() {
    let site = Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\ndefault_author: \"Ban Biên tập\"\n");
    let output = bantin(
        &[
            "new",
            "Hội nghị giao ban quý: “Dân vận khéo”",
            "--section",
            "thoi-su",
        ],
        site.root(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = stdout(&output).trim().to_string();
    let now = bantin::vi::VnDate::now();
    let expected = format!(
        "content/thoi-su/{:04}/{:02}/hoi-nghi-giao-ban-quy-dan-van-kheo.md",
        now.year(),
        now.month()
    );
    assert_eq!(path, expected);
    let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
    assert!(text.starts_with("---\ntitle: \"Hội nghị giao ban quý: “Dân vận khéo”\"\ndate: "));
    assert!(text.contains("+07:00\nauthors: [\"Ban Biên tập\"]\n"));
    assert!(text.contains("tags: []\nagencies: []\nphotos: []\ndraft: true\n"));
    assert!(String::from_utf8_lossy(&output.stderr).contains("remove the line `draft: true`"));
    // The article builds as written, unpublished until the editor removes `draft: true`.
    site.build_ok();
    let page = path.trim_start_matches("content").trim_end_matches(".md");
    assert!(!site.exists(&format!("{page}/")));
    std::fs::write(site.root().join(&path), text.replace("draft: true\n", "")).unwrap();
    site.build_ok();
    assert!(site.exists(&format!("{page}/")), "{page}");
    // The same title again: refused, and the first file is untouched.
    std::fs::write(
        site.root().join(&path),
        format!("{text}Đã viết nội dung.\n"),
    )
    .unwrap();
    let again = bantin(
        &[
            "new",
            "Hội nghị giao ban quý: “Dân vận khéo”",
            "--section",
            "thoi-su",
            "--bundle",
        ],
        site.root(),
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert!(std::fs::read_to_string(site.root().join(&path))
        .unwrap()
        .ends_with("Đã viết nội dung.\n"));
    // A bundle, with an author.
    let bundle = bantin(
        &[
            "new",
            "Ký kết phối hợp",
            "--bundle",
            "--author",
            "Thái Phương",
        ],
        site.root(),
    );
    let bundle_path = stdout(&bundle).trim().to_string();
    assert!(
        bundle_path.ends_with("/ky-ket-phoi-hop/index.md"),
        "{bundle_path}"
    );
    assert!(std::fs::read_to_string(site.root().join(&bundle_path))
        .unwrap()
        .contains("authors: [\"Thái Phương\"]"));
    // A blank author is no author: the site's default stands, and the file builds.
    let blank = bantin(&["new", "Tin chưa ký tên", "--author", "  "], site.root());
    let blank_path = stdout(&blank).trim().to_string();
    assert!(std::fs::read_to_string(site.root().join(&blank_path))
        .unwrap()
        .contains("authors: [\"Ban Biên tập\"]"));
    site.build_ok();
    // A base URL without its scheme would make every link relative: refused.
    let schemeless = bantin(&["build", "--base-url", "tin.example.gov.vn"], site.root());
    assert!(!schemeless.status.success());
    assert!(String::from_utf8_lossy(&schemeless.stderr).contains("https://tin.example.gov.vn/"));
    // An unknown section is named with the known ones.
    let wrong = bantin(&["new", "Tin", "--section", "the-thao"], site.root());
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("sections: thoi-su"));
}

/// With URLs without a date, the same title in another month would take an existing
/// article's URL: `new` refuses and names that article, as it does for an existing file.
/// The two seed articles, plain text as their papers published them, imported, given their
/// photos and published: the page shows the title, sapo, photos with credits and sign-off.
#[test]
fn import_makes_drafts_of_published_articles() {
    let site = Fixture::new(CONFIG);
    site.write(
        "content/dan-toc/_index.md",
        "---\ntitle: \"Công tác dân tộc\"\n---\n",
    );
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut files: Vec<String> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|entry| entry.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let mut args = vec![
        "import",
        "--section",
        "dan-toc",
        "--date",
        "2024-04-10 15:20",
    ];
    let seeds_folder = seeds.display().to_string();
    // A folder stands for its .txt files: given so, they come again below.
    let mut folder_args = args.clone();
    folder_args.push(&seeds_folder);
    args.extend(files.iter().map(String::as_str));
    let output = bantin(&args, site.root());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let paths: Vec<String> = stdout(&output).lines().map(String::from).collect();
    assert_eq!(
        paths,
        [
            "content/dan-toc/2024/04/phoi-hop-cham-lo-nang-cao-doi-song-dong-bao-dan-toc-thieu-so/index.md",
            "content/dan-toc/2024/04/ky-ket-chuong-trinh-phoi-hop-thuc-hien-cong-tac-dan-toc-giai-doan-2021-2025/index.md",
        ]
    );
    assert!(
        stderr.contains("put the photos anh-1.jpg, anh-2.jpg, anh-3.jpg in content/dan-toc/2024/04/phoi-hop-cham-lo-nang-cao-doi-song-dong-bao-dan-toc-thieu-so"),
        "{stderr}"
    );
    assert!(
        stderr.contains("put the photo anh-1.jpg in content/dan-toc/2024/04/ky-ket-chuong-trinh"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Left out as lines of the web page, not of the article: `Scroll to Top`.")
            && stderr.contains("`NHIỆT LIỆT CHÀO MỪNG KỶ NIỆM 20 NĂM THÀNH LẬP THÀNH PHỐ CẦN THƠ TRỰC THUỘC TRUNG ƯƠNG!`."),
        "{stderr}"
    );
    // Drafts: the site builds without them; once published, every photo must be there.
    site.build_ok();
    for path in &paths {
        let text = std::fs::read_to_string(site.root().join(path)).unwrap();
        std::fs::write(site.root().join(path), text.replace("draft: true\n", "")).unwrap();
    }
    let problems = site.build_err();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    let bundle = Path::new(&paths[0]).parent().unwrap();
    for photo in ["anh-1.jpg", "anh-2.jpg", "anh-3.jpg"] {
        site.write_bytes(&bundle.join(photo).display().to_string(), common::PNG);
    }
    // The other's lead photo: its caption, the line under the sapo, was printed without credit.
    let other_bundle = Path::new(&paths[1]).parent().unwrap();
    site.write_bytes(
        &other_bundle.join("anh-1.jpg").display().to_string(),
        common::PNG,
    );
    site.build_ok();
    let page =
        site.page("/dan-toc/2024/04/phoi-hop-cham-lo-nang-cao-doi-song-dong-bao-dan-toc-thieu-so/");
    assert_eq!(
        common::element_text(&page, "<h1 class=\"article-title\""),
        "Phối hợp chăm lo, nâng cao đời sống đồng bào dân tộc thiểu số"
    );
    assert!(common::element_text(&page, "<p class=\"sapo\"")
        .starts_with("Ngày 10-4, Ban Dân vận Thành ủy TPHCM"));
    assert_eq!(
        page.matches("<span class=\"credit\">Ảnh:&nbsp;VIỆT DŨNG</span>")
            .count(),
        3
    );
    assert!(page.contains("<p><strong>THÁI PHƯƠNG</strong></p>"));
    let author = site.page("/tac-gia/thai-phuong/");
    assert!(author.contains("Tác giả: Thái Phương"), "{author}");
    assert!(!page.contains("Scroll to Top"));
    let other = site.page("/dan-toc/2024/04/ky-ket-chuong-trinh-phoi-hop-thuc-hien-cong-tac-dan-toc-giai-doan-2021-2025/");
    assert!(
        !other.contains("NHIỆT LIỆT CHÀO MỪNG"),
        "the site's banner is left out"
    );
    assert!(other.contains("<p><strong>KKN</strong></p>"));
    assert!(
        other.contains(
            "<figcaption>Đại diện các cơ quan thực hiện ký kết Chương trình phối hợp</figcaption>"
        ),
        "{other}"
    );
    // Imported again, from their folder: both refused, the edited files untouched.
    let read = |path: &String| std::fs::read_to_string(site.root().join(path)).unwrap();
    let edited: Vec<String> = paths.iter().map(read).collect();
    let again = bantin(&folder_args, site.root());
    assert!(!again.status.success());
    let refused = String::from_utf8_lossy(&again.stderr);
    assert_eq!(refused.matches("already exists").count(), 2, "{refused}");
    assert_eq!(paths.iter().map(read).collect::<Vec<_>>(), edited);
    // Saved by Notepad: a byte order mark and CRLF line ends, which the article does not keep.
    site.write(
        "notepad.txt",
        "\u{feff}Tiêu đề từ Notepad\r\n\r\nSapo.\r\n\r\nThân bài.\r\n",
    );
    let output = bantin(
        &["import", "notepad.txt", "--section", "dan-toc"],
        site.root(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(site.root().join(stdout(&output).trim())).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Tiêu đề từ Notepad\"\n"),
        "{text}"
    );
    assert!(
        text.ends_with("---\n\nThân bài.\n") && !text.contains('\r'),
        "{text:?}"
    );
    // Saved as "Unicode" (UTF-16): refused at its file, with how to save it.
    site.write_bytes("unicode.txt", &[0xff, 0xfe, b'T', 0, b'i', 0]);
    let refused = bantin(&["import", "unicode.txt"], site.root());
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.starts_with("error: the file is not UTF-8 text\n  --> unicode.txt:1:1"),
        "{message}"
    );
}

#[test]
fn new_refuses_a_url_an_article_already_has() {
    let site = Fixture::new(
        "title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\npermalink: \"/:section/:slug/\"\n",
    );
    let older = "content/thoi-su/2023/01/ky-ket.md";
    site.article(older, "Ký kết", "2023-01-05", "", "Nội dung.\n");
    let refused = bantin(&["new", "Ký kết", "--section", "thoi-su"], site.root());
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains(older) && message.contains("already has the URL"),
        "{message}"
    );
    let month = site.root().join("content/thoi-su").join(format!(
        "{:04}/{:02}",
        bantin::vi::VnDate::now().year(),
        bantin::vi::VnDate::now().month()
    ));
    assert!(!month.join("ky-ket.md").exists());
    // Another title is free, and the site builds with it.
    let other = bantin(
        &["new", "Ký kết lần hai", "--section", "thoi-su"],
        site.root(),
    );
    assert!(other.status.success());
    site.build_ok();
    // A long headline names its file with its first words.
    let long = "Hội nghị tổng kết công tác dân tộc, tôn giáo năm 2025 và triển khai nhiệm vụ trọng tâm năm 2026 của thành phố";
    let named = bantin(&["new", long, "--section", "thoi-su"], site.root());
    let path = stdout(&named).trim().to_string();
    let stem = path.rsplit('/').next().unwrap().trim_end_matches(".md");
    assert!(
        stem.len() <= 100 && stem.starts_with("hoi-nghi-tong-ket"),
        "{path}"
    );
    assert!(!stem.ends_with('-'), "{path}");
    // Dated by the editor: filed under that month, with that date; a wrong one is named.
    let dated = bantin(
        &[
            "new",
            "Tin hẹn giờ",
            "--section",
            "thoi-su",
            "--date",
            "2024-04-10 09:30",
        ],
        site.root(),
    );
    assert_eq!(
        stdout(&dated).trim(),
        "content/thoi-su/2024/04/tin-hen-gio.md"
    );
    let text = std::fs::read_to_string(site.root().join("content/thoi-su/2024/04/tin-hen-gio.md"))
        .unwrap();
    assert!(
        text.contains("\ndate: 2024-04-10T09:30:00+07:00\n"),
        "{text}"
    );
    let wrong = bantin(
        &[
            "new",
            "Tin sai ngày",
            "--section",
            "thoi-su",
            "--date",
            "30/12/2024",
        ],
        site.root(),
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("error: --date:"));
}

#[test]
fn check_lists_editorial_warnings_as_json_and_fails_only_on_errors() {
    let site = Fixture::new(&format!(
        "{CONFIG}summary_max_chars: 40\nlogo: \"/logo.png\"\n"
    ));
    site.write(
        "content/kinh-te/_index.md",
        "---\ntitle: \"Kinh tế\"\n---\n",
    );
    site.article(
        "content/thoi-su/2024/04/anh/index.md",
        "Hội nghị giao ban",
        "2024-04-01",
        "summary: \"Một đoạn tóm tắt dài hơn bốn mươi ký tự rất nhiều lần, không cần thiết.\"\nphotos:\n  - src: \"a.png\"\n  - src: \"b.png\"\n",
        "Đoạn đầu.\n\n![Không ghi tác giả](a.png)\n",
    );
    site.write_bytes("content/thoi-su/2024/04/anh/a.png", b"\x89PNG\r\n\x1a\n");
    site.write_bytes("content/thoi-su/2024/04/anh/b.png", b"\x89PNG\r\n\x1a\n");
    // A camera's photo: 6000 × 4000 pixels, 1.2 MB.
    let mut camera = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    camera.extend(6000u32.to_be_bytes());
    camera.extend(4000u32.to_be_bytes());
    camera.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    camera.resize(1_200_000, 0);
    site.write_bytes("content/thoi-su/2024/04/lon/may-anh.png", &camera);
    site.write_bytes("content/thoi-su/2024/04/lon/hoi-truong.png", &camera);
    site.article(
        "content/thoi-su/2024/04/lon/index.md",
        "Ảnh lớn",
        "2024-04-02",
        "photos:\n  - src: \"may-anh.png\"\n    caption: \"Toàn cảnh\"\n    credit: \"Minh Khôi\"\n",
        "Nội dung.\n\n![Hội trường.](hoi-truong.png \"Ảnh: Minh Khôi\")\n\n![Toàn cảnh.](may-anh.png \"Ảnh: Minh Khôi\")\n",
    );
    site.article(
        "content/thoi-su/2024/04/trung.md",
        "HỘI NGHỊ GIAO BAN",
        "2024-04-02",
        "",
        "X\n",
    );
    site.article(
        "content/thoi-su/2099/01/tuong-lai.md",
        "Tin tương lai",
        "2099-01-01",
        "",
        "X\n",
    );
    site.article(
        "content/the-thao/2024/04/bong-da.md",
        "Bóng đá",
        "2024-04-03",
        "",
        "X\n",
    );
    site.article(
        "content/thoi-su/2024/04/cap-nhat.md",
        "Cập nhật sai",
        "2024-04-03",
        "updated: 2020-01-01\n",
        "X\n",
    );
    site.article(
        "content/thoi-su/2024/04/rong.md",
        "Tin chưa viết",
        "2024-04-03",
        "",
        "\n  \n",
    );
    site.article(
        "content/thoi-su/2024/04/nhap.md",
        "Bản nháp chưa viết",
        "2024-04-03",
        "draft: true\n",
        "",
    );
    site.write(
        "content/thoi-su/2024/04/ngoac.md",
        "---\ntitle: “Đổi mới để phát triển”\ndate: 2024-04-03\nsummary: ‘Sapo gõ trong Word.’\n---\n\nNội dung.\n",
    );
    let output = bantin(&["check", "--format", "json"], site.root());
    assert!(
        output.status.success(),
        "warnings only: exit 0\n{}",
        stdout(&output)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(report["errors"], 0);
    let messages: Vec<String> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{} {}",
                p["file"].as_str().unwrap(),
                p["line"],
                p["message"].as_str().unwrap()
            )
        })
        .collect();
    let has = |text: &str| messages.iter().any(|m| m.contains(text));
    // A photo the text shows is shown there only: its figure is told, once (below).
    assert!(!has("photo `a.png` has no credit"), "{messages:#?}");
    assert!(
        has("anh/index.md:7 photo `b.png` has no credit"),
        "{messages:#?}"
    );
    assert!(has("photo `a.png` has no alt text or caption"));
    assert!(
        has("anh/index.md:6 `a.png` does not look like a photo"),
        "{messages:#?}"
    );
    assert!(has("anh/index.md:4 the summary has"));
    assert!(
        has("lon/index.md:5 photo `may-anh.png` is 1.2 MB, 6000 × 4000 pixels: many readers download all of it"),
        "{messages:#?}"
    );
    // In the text too, at its line; the lead photo shown again there is not told twice.
    assert!(
        has("lon/index.md:11 photo `hoi-truong.png` is 1.2 MB, 6000 × 4000 pixels"),
        "{messages:#?}"
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("`may-anh.png` is"))
            .count(),
        1
    );
    assert!(
        has("anh/index.md:11 this photo has no credit"),
        "{messages:#?}"
    );
    let credit_help = (report["problems"].as_array().unwrap().iter())
        .find(|p| p["message"] == "this photo has no credit")
        .and_then(|p| p["help"].as_str());
    assert_eq!(
        credit_help,
        Some("add credit: \"Tên tác giả\" below its src in the front matter, or give the title \"Ảnh: Tên tác giả\" here")
    );
    assert!(has("tuong-lai.md:3 the date 2099-01-01 is in the future"));
    assert!(has(
        "trung.md:2 the same title as content/thoi-su/2024/04/anh/index.md"
    ));
    assert!(has(
        "kinh-te/_index.md:1 the section `Kinh tế` has no articles"
    ));
    assert!(has("rong.md:5 the article has no text"), "{messages:#?}");
    assert!(has(
        "cap-nhat.md:4 the article is updated before it was published"
    ));
    assert!(
        has("bantin.yaml:5 the logo /logo.png is not a file of the site"),
        "{messages:#?}"
    );
    assert!(
        has("bong-da.md:1 the article is in content/the-thao/, which has no _index.md"),
        "{messages:#?}"
    );
    assert!(
        has("ngoac.md:2 the title is between curly quotes"),
        "{messages:#?}"
    );
    assert!(has("ngoac.md:4 the summary is between curly quotes"));
    assert!(!has("nhap.md"), "a draft may be empty: {messages:#?}");
    assert!(!site.exists("/index.html"), "check writes nothing");
    // An error makes it fail, with the error in the text report.
    site.write(
        "content/thoi-su/2024/04/loi.md",
        "---\ntitle: \"Lỗi\"\ndate: 2024-04-03\ntag: [\"x\"]\n---\n",
    );
    let failed = bantin(&["check"], site.root());
    assert!(!failed.status.success());
    let text = stdout(&failed);
    assert!(
        text.contains("content/thoi-su/2024/04/loi.md:4:1"),
        "{text}"
    );
    assert!(text.contains("did you mean `tags`?"));
    assert!(text.contains("1 error, "), "{text}");
}

#[test]
fn check_warns_when_the_sign_off_names_other_people_than_the_authors() {
    let site = Fixture::new(CONFIG);
    let article = |file: &str, extra: &str, body: &str| {
        site.article(
            &format!("content/thoi-su/2024/04/{file}.md"),
            &format!("Bài {file}"),
            "2024-04-01",
            extra,
            body,
        );
    };
    article(
        "dung",
        "authors: [\"Thái Phương\"]\n",
        "Nội dung.\n\n**THÁI PHƯƠNG**\n",
    );
    article(
        "sai",
        "authors: [\"Thái Phương\"]\n",
        "Nội dung.\n\n**MINH KHÔI - VIỆT DŨNG**\n",
    );
    article("thieu", "", "Nội dung.\n\nMINH KHÔI\n");
    article(
        "nguon",
        "authors: [\"Thái Phương\"]\n",
        "Nội dung.\n\n**THEO TTXVN**\n",
    );
    // One of two authors signs: the other may have taken the photos.
    article(
        "mot-trong-hai",
        "authors: [\"Thái Phương\", \"Việt Dũng\"]\n",
        "Nội dung.\n\n**THÁI PHƯƠNG**\n",
    );
    let options = bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    let report = bantin::cmd::check::check(&options, bantin::vi::VnDate::now());
    let signed: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.message.contains("is signed"))
        .collect();
    assert_eq!(signed.len(), 2, "{signed:#?}");
    let wrong = signed.iter().find(|p| p.file.ends_with("sai.md")).unwrap();
    assert_eq!(
        wrong.message,
        "the article is signed “MINH KHÔI - VIỆT DŨNG”, but its authors are Thái Phương"
    );
    assert_eq!(
        wrong.help.as_deref(),
        Some("write authors: [\"Minh Khôi\", \"Việt Dũng\"] if they wrote it, or correct the sign-off")
    );
    assert_eq!((wrong.line, wrong.column), (4, 1), "at `authors:`");
    let missing = signed
        .iter()
        .find(|p| p.file.ends_with("thieu.md"))
        .unwrap();
    assert!(missing.message.ends_with("but names no authors"));
}

/// `bantin build` (or `check`, with `args`) as at `epoch` (`SOURCE_DATE_EPOCH`).
fn bantin_at(epoch: &str, args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch)
        .current_dir(root)
        .output()
        .expect("run bantin")
}

#[test]
fn an_article_dated_later_waits_for_the_first_build_after_its_date() {
    // 12:00 on 9 April 2024 and 07:00 on 10 April, Vietnam time.
    let (before, after) = ("1712638800", "1712707200");
    let site = Fixture::new(CONFIG);
    let today = "content/thoi-su/2024/04/hom-nay.md";
    let write_today = |body: &str| {
        site.article(today, "Tin hôm nay", "2024-04-09T08:00:00+07:00", "", body);
    };
    write_today("Nội dung.\n");
    site.article(
        "content/thoi-su/2024/04/cong-bo/index.md",
        "Thông cáo công bố lúc 6 giờ",
        "2024-04-10T06:00:00+07:00",
        "summary: \"“Thông cáo”\"\nphotos:\n  - src: \"anh.png\"\n    credit: \"TTXVN\"\n",
        "Nội dung thông cáo.\n",
    );
    site.write_bytes("content/thoi-su/2024/04/cong-bo/anh.png", common::PNG);
    let published = || site.exists("/thoi-su/2024/04/cong-bo/");

    let build = bantin_at(before, &["build"], site.root());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let said = stdout(&build);
    assert!(said.contains("Built 1 article,"), "{said}");
    assert!(
        said.contains("1 article is dated later and left out until a build after that date"),
        "{said}"
    );
    assert!(
        said.contains("2024-04-10T06:00:00+07:00  content/thoi-su/2024/04/cong-bo/index.md"),
        "{said}"
    );
    assert!(!published());
    assert!(!site.exists("/thoi-su/2024/04/cong-bo/anh.png"));
    for page in [
        "/thoi-su/",
        "/",
        "/sitemap.xml",
        "/rss.xml",
        "/luu-tru/2024/04/",
    ] {
        assert!(!site.page(page).contains("cong-bo"), "{page}");
    }
    let check = bantin_at(before, &["check"], site.root());
    assert!(check.status.success());
    let expected = "warning: the date 2024-04-10T06:00:00+07:00 is in the future: builds leave the article out until then\n  --> content/thoi-su/2024/04/cong-bo/index.md:3:";
    assert!(stdout(&check).contains(expected), "{}", stdout(&check));
    // Its file is checked as a published one's is.
    assert!(stdout(&check).contains("the summary is between curly quotes"));

    // Linking to it before it is out would publish a broken link.
    write_today("Xem [thông cáo](cong-bo/index.md).\n");
    let early = bantin_at(before, &["build"], site.root());
    assert!(!early.status.success());
    let problems = String::from_utf8_lossy(&early.stderr).to_string();
    assert!(problems.contains("hom-nay.md:5:5"), "{problems}");
    assert!(problems.contains("broken link: `cong-bo/index.md` is an article scheduled for 2024-04-10T06:00:00+07:00, not published yet"), "{problems}");

    // The build after its date publishes it, and the link; so does --future at once.
    let build = bantin_at(after, &["build"], site.root());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(!stdout(&build).contains("dated later"));
    assert!(published());
    assert!(site
        .page("/thoi-su/")
        .contains("Thông cáo công bố lúc 6 giờ"));
    assert!(site
        .page("/thoi-su/2024/04/hom-nay/")
        .contains("/thoi-su/2024/04/cong-bo/\""));
    let future = bantin_at(
        before,
        &["build", "--future", "--output", "som"],
        site.root(),
    );
    assert!(future.status.success());
    assert!(site
        .root()
        .join("som/thoi-su/2024/04/cong-bo/index.html")
        .is_file());
}

#[test]
fn a_scheduled_articles_text_is_checked_before_its_date() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/cong-bo.md",
        "Thông cáo",
        "2024-04-10T06:00:00+07:00",
        "",
        "Xem [bài cũ](khong-co.md) và ![ảnh](thieu.jpg).\n",
    );
    let build = bantin_at("1712638800", &["build"], site.root());
    assert!(!build.status.success());
    let problems = String::from_utf8_lossy(&build.stderr).to_string();
    assert!(problems.contains("cong-bo.md:5:"), "{problems}");
    assert!(
        problems.contains("`khong-co.md` is not an article of this site"),
        "{problems}"
    );
    assert!(
        problems.contains("photo `thieu.jpg` does not exist"),
        "{problems}"
    );

    // A URL it will share with a published article is told now, not by the build that
    // publishes it, which may run with no one watching.
    site.article(
        "content/thoi-su/2024/04/cong-bo.md",
        "Thông cáo",
        "2024-04-10T06:00:00+07:00",
        "slug: \"hop-bao\"\n",
        "Nội dung.\n",
    );
    site.article(
        "content/thoi-su/2024/04/hop-bao.md",
        "Họp báo",
        "2024-04-09T08:00:00+07:00",
        "",
        "Nội dung.\n",
    );
    let build = bantin_at("1712638800", &["build"], site.root());
    let problems = String::from_utf8_lossy(&build.stderr).to_string();
    assert!(!build.status.success(), "{problems}");
    assert!(
        problems.contains("two pages have the URL /thoi-su/2024/04/hop-bao/"),
        "{problems}"
    );
    assert!(
        problems.contains("hop-bao.md and content/thoi-su/2024/04/cong-bo.md"),
        "{problems}"
    );
}

#[test]
fn scheduled_articles_may_link_to_those_due_no_later() {
    let site = Fixture::new(CONFIG);
    let scheduled = |file: &str, title: &str, date: &str, body: &str| {
        site.article(
            &format!("content/thoi-su/2024/04/{file}"),
            title,
            date,
            "",
            body,
        );
    };
    scheduled(
        "cong-bo.md",
        "Thông cáo",
        "2024-04-10T06:00:00+07:00",
        "Nội dung.\n",
    );
    scheduled(
        "phan-tich.md",
        "Phân tích",
        "2024-04-10T06:00:00+07:00",
        "Xem [thông cáo](cong-bo.md).\n",
    );
    scheduled(
        "sau-do.md",
        "Sau đó",
        "2024-04-11T06:00:00+07:00",
        "Xem [thông cáo](cong-bo.md).\n",
    );
    let build = bantin_at("1712638800", &["build"], site.root());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    scheduled(
        "truoc-do.md",
        "Trước đó",
        "2024-04-10T05:00:00+07:00",
        "Xem [thông cáo](cong-bo.md).\n",
    );
    let build = bantin_at("1712638800", &["build"], site.root());
    let problems = String::from_utf8_lossy(&build.stderr).to_string();
    assert!(!build.status.success());
    assert!(problems.contains("truoc-do.md:5:"), "{problems}");
    assert_eq!(
        problems.matches("is an article scheduled for").count(),
        1,
        "{problems}"
    );
}
