//! Failed builds: every problem reported at its file:line:column with a fix, and the previous
//! output left byte-identical.

mod common;

use bantin::diagnostics::Diagnostic;
use common::{snapshot, Fixture, CONFIG};
use std::path::Path;

fn good_site() -> Fixture {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/04/tot.md",
        "Bài tốt",
        "2024-04-01",
        "",
        "Nội dung.\n",
    );
    site.build_ok();
    site
}

/// Writes the default theme's list item with `printed` for its title; returns the template's
/// path and its text before.
fn item_title_as(site: &Fixture, printed: &str) -> (&'static str, String) {
    let item = "themes/default/templates/partials/article_item.html";
    let text = std::fs::read_to_string(site.root().join(item)).unwrap();
    site.write(item, &text.replace("{{ item.title }}", printed));
    (item, text)
}

/// Builds with these article.html and term.html; returns the problems.
fn build_with_templates(site: &Fixture, article: &str, term: &str) -> Vec<Diagnostic> {
    site.write("themes/default/templates/article.html", article);
    site.write("themes/default/templates/term.html", term);
    site.build_err()
}

/// What `bantin check` reports for `site` now.
fn checked(site: &Fixture) -> bantin::cmd::check::CheckReport {
    let options = bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    bantin::cmd::check::check(&options, bantin::vi::VnDate::now())
}

fn find<'a>(problems: &'a [Diagnostic], file: &str, text: &str) -> &'a Diagnostic {
    problems
        .iter()
        .find(|p| p.file == Path::new(file) && p.message.contains(text))
        .unwrap_or_else(|| panic!("no problem `{text}` in {file}: {problems:#?}"))
}

#[test]
fn every_problem_is_reported_at_its_line_and_the_output_is_kept() {
    let site = good_site();
    let before = snapshot(&site.output());
    assert!(!before.is_empty());

    site.write(
        "content/thoi-su/2024/04/yaml.md",
        "---\ntitle: \"Tin\ndate: 2024-04-02\n---\nBody\n",
    );
    site.write(
        "content/thoi-su/2024/04/key.md",
        "---\ntitle: \"Tin\"\ndate: 2024-04-02\nautors: [\"Thái Phương\"]\n---\nBody\n",
    );
    site.write("content/thoi-su/2024/04/link.md", "---\ntitle: \"Liên kết\"\ndate: 2024-04-03\n---\nĐoạn một.\n\nXem [bài cũ](../03/khong-co.md) nhé.\n");
    site.write(
        "content/thoi-su/2024/04/no-date.md",
        "---\ntitle: \"Thiếu ngày\"\n---\n",
    );
    site.write(
        "content/thoi-su/2024/04/bad-date.md",
        "---\ntitle: \"Sai ngày\"\ndate: \"10/4/2024\"\n---\n",
    );
    site.write("content/thoi-su/2024/04/photo.md", "---\ntitle: \"Ảnh\"\ndate: 2024-04-04\nphotos:\n  - src: \"khong-co.jpg\"\n    credit: \"Việt Dũng\"\n  - src: \"Ky-Ket.PNG\"\n---\n");
    site.write_bytes("content/thoi-su/2024/04/ky-ket.png", common::PNG);
    site.write_bytes(
        "content/thoi-su/2024/04/latin1.md",
        b"---\ntitle: \"Tin\"\ndate: 2024-04-05\n---\nD\xe2n t\xf4c\n",
    );

    site.write("content/thoi-su/2024/04/script.md", "---\ntitle: \"Tin\"\ndate: 2024-04-06\nsource: { name: \"Báo\", url: \"javascript:alert(1)\" }\n---\n");
    site.write("content/thoi-su/2024/04/script-link.md", "---\ntitle: \"Tin\"\ndate: 2024-04-06\n---\nĐoạn một.\n\nXem [đây](javascript:alert(2)).\n");

    let problems = site.build_err();

    find(
        &problems,
        "content/thoi-su/2024/04/script.md",
        "not a web address",
    );
    let unsafe_link = find(
        &problems,
        "content/thoi-su/2024/04/script-link.md",
        "unsafe link",
    );
    assert_eq!(unsafe_link.line, 7);

    let yaml = find(&problems, "content/thoi-su/2024/04/yaml.md", "invalid YAML");
    assert_eq!(
        (yaml.line, yaml.column),
        (2, 8),
        "the quote opens on line 2: {yaml:?}"
    );
    assert!(yaml.message.contains("never closed"), "{yaml:?}");

    let key = find(
        &problems,
        "content/thoi-su/2024/04/key.md",
        "unknown key `autors`",
    );
    assert_eq!((key.line, key.column), (4, 1));
    assert_eq!(
        key.help.as_deref(),
        Some("did you mean `authors`? (free-form fields go under `extra:`)")
    );
    assert!(key
        .to_string()
        .contains("content/thoi-su/2024/04/key.md:4:1"));

    let link = find(&problems, "content/thoi-su/2024/04/link.md", "broken link");
    assert_eq!((link.line, link.column), (7, 5));

    find(&problems, "content/thoi-su/2024/04/no-date.md", "no `date`");
    let date = find(
        &problems,
        "content/thoi-su/2024/04/bad-date.md",
        "not a date",
    );
    assert_eq!(date.line, 3);
    let photo = find(
        &problems,
        "content/thoi-su/2024/04/photo.md",
        "does not exist",
    );
    assert_eq!((photo.line, photo.column), (5, 5));
    find(
        &problems,
        "content/thoi-su/2024/04/photo.md",
        "`Ky-Ket.PNG` does not exist: looked for content/thoi-su/2024/04/Ky-Ket.PNG (there is ky-ket.png: names are case-sensitive)",
    );
    let latin1 = find(&problems, "content/thoi-su/2024/04/latin1.md", "not UTF-8");
    assert_eq!((latin1.line, latin1.column), (5, 2));

    assert_eq!(
        snapshot(&site.output()),
        before,
        "a failed build must leave the output as it was"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder removed");
}

/// An article whose front matter has errors is left out of the site, but the problems of its
/// body are reported in the same build: an editor fixes the file once.
#[test]
fn the_body_of_an_article_with_front_matter_errors_is_checked_too() {
    let site = good_site();
    let body = "Đoạn một.\n\n![Lễ ký kết](ky-ket.jpg)\n\nXem [bài cũ](../03/khong-co.md).\n";
    site.write(
        "content/thoi-su/2024/04/sai-ngay.md",
        &format!("---\ntitle: \"Sai ngày\"\ndate: \"30/12/2024\"\n---\n{body}"),
    );
    site.write(
        "content/thoi-su/2024/04/thieu-anh/index.md",
        &format!("---\ntitle: \"Thiếu ảnh\"\ndate: 2024-04-02\nphotos:\n  - src: \"bia.jpg\"\n---\n{body}"),
    );
    let problems = site.build_err();
    for file in [
        "content/thoi-su/2024/04/sai-ngay.md",
        "content/thoi-su/2024/04/thieu-anh/index.md",
    ] {
        let body_line = if file.ends_with("index.md") { 7 } else { 5 };
        let from_body = problems
            .iter()
            .filter(|p| p.file == Path::new(file) && p.line >= body_line)
            .count();
        let photo = find(&problems, file, "`ky-ket.jpg` does not exist");
        let link = find(&problems, file, "broken link");
        assert!(link.message.contains("khong-co.md"), "{link:?}");
        assert_eq!(photo.line, body_line + 2, "{photo:?}");
        assert_eq!(link.line, body_line + 4, "{link:?}");
        assert_eq!(from_body, 2, "{problems:#?}");
    }
    find(
        &problems,
        "content/thoi-su/2024/04/sai-ngay.md",
        "not a date",
    );
    find(
        &problems,
        "content/thoi-su/2024/04/thieu-anh/index.md",
        "`bia.jpg` does not exist",
    );
}

#[test]
fn two_articles_with_one_url_are_both_named() {
    let site = good_site();
    let before = snapshot(&site.output());
    site.article(
        "content/thoi-su/2024/04/a.md",
        "Hội nghị",
        "2024-04-02",
        "slug: \"hoi-nghi\"\n",
        "A\n",
    );
    site.article(
        "content/thoi-su/2024/04/b.md",
        "Hội nghị",
        "2024-04-03",
        "slug: \"hoi-nghi\"\n",
        "B\n",
    );
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    // At the `slug:` line of the second.
    assert_eq!(problems[0].line, 4);
    let message = problems[0].to_string();
    assert!(message.contains("/thoi-su/2024/04/hoi-nghi/"), "{message}");
    assert!(
        message.contains("content/thoi-su/2024/04/a.md"),
        "{message}"
    );
    assert!(
        message.contains("content/thoi-su/2024/04/b.md"),
        "{message}"
    );
    assert_eq!(snapshot(&site.output()), before);
}

/// An article saved as `.MD`, `.markdown` or `.md.txt` (Notepad), or a bundle's `Index.md`,
/// would be published as it is, draft or not: each is refused with the name to give it.
#[test]
fn markdown_files_named_otherwise_are_refused() {
    let site = good_site();
    let before = snapshot(&site.output());
    let draft = "---\ntitle: \"Nháp\"\ndate: 2024-04-02\ndraft: true\n---\nBí mật.\n";
    site.write("content/thoi-su/2024/04/bai-hoa.MD", draft);
    site.write("content/thoi-su/2024/04/bai4.md.txt", draft);
    site.write("content/thoi-su/2024/04/goi/Index.md", draft);
    let problems = site.build_err();
    let hoa = find(
        &problems,
        "content/thoi-su/2024/04/bai-hoa.MD",
        "is not read as an article",
    );
    assert_eq!(hoa.help.as_deref(), Some("rename it to bai-hoa.md"));
    let txt = find(
        &problems,
        "content/thoi-su/2024/04/bai4.md.txt",
        "is not read",
    );
    assert_eq!(txt.help.as_deref(), Some("rename it to bai4.md"));
    let index = find(
        &problems,
        "content/thoi-su/2024/04/goi/Index.md",
        "is not read",
    );
    assert_eq!(index.help.as_deref(), Some("rename it to index.md"));
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert_eq!(snapshot(&site.output()), before);
}

/// Markdown below an article bundle would be published as it is (front matter, drafts and
/// all): it is refused, as is a site whose `content/index.md` makes everything such a file.
#[test]
fn markdown_inside_an_article_bundle_is_refused() {
    let site = good_site();
    let before = snapshot(&site.output());
    site.article(
        "content/thoi-su/2024/04/ky-ket/index.md",
        "Ký kết",
        "2024-04-02",
        "",
        "Nội dung.\n",
    );
    site.article(
        "content/thoi-su/2024/04/ky-ket/ghi-chu.md",
        "Ghi chú nội bộ",
        "2024-04-02",
        "draft: true\n",
        "Chưa đăng.\n",
    );
    let problems = site.build_err();
    let problem = find(
        &problems,
        "content/thoi-su/2024/04/ky-ket/ghi-chu.md",
        "inside content/thoi-su/2024/04/ky-ket/",
    );
    assert!(problem.to_string().contains("_index.md"), "{problem}");
    assert_eq!(snapshot(&site.output()), before);

    site.remove("content/thoi-su/2024/04/ky-ket/ghi-chu.md");
    site.article(
        "content/index.md",
        "Giới thiệu",
        "2024-01-01",
        "",
        "Trang.\n",
    );
    let problems = site.build_err();
    find(
        &problems,
        "content/thoi-su/2024/04/tot.md",
        "inside content/, the folder of the article content/index.md",
    );
    assert_eq!(snapshot(&site.output()), before);
}

/// Empty values an editor leaves behind are named at their line, and an alias cannot take
/// a page's file.
#[test]
fn empty_dates_and_authors_and_aliases_onto_pages_are_reported() {
    let site = good_site();
    site.write(
        "content/thoi-su/2024/04/trong.md",
        "---\ntitle: \"Tin\"\ndate:\nauthor: \"\"\n---\nNội dung.\n",
    );
    site.article(
        "content/thoi-su/2024/04/bi-danh.md",
        "Bí danh",
        "2024-04-03",
        "aliases:\n  - \"/tin-cu/\"\n  - \"/thoi-su/index.html\"\n",
        "Nội dung.\n",
    );
    let problems = site.build_err();
    let date = find(
        &problems,
        "content/thoi-su/2024/04/trong.md",
        "the date is empty",
    );
    assert_eq!(date.line, 3);
    let author = find(
        &problems,
        "content/thoi-su/2024/04/trong.md",
        "the author is empty",
    );
    assert_eq!(author.line, 4);
    let alias = find(
        &problems,
        "content/thoi-su/2024/04/bi-danh.md",
        "two pages have the URL /thoi-su/index.html",
    );
    assert_eq!((alias.line, alias.column), (6, 3));
}

/// A build replaces its whole output folder: one holding files bantin did not write (a
/// deploy checkout, someone's documents) is refused and left as it was.
#[test]
fn an_output_folder_with_files_bantin_did_not_write_is_refused() {
    let site = good_site();
    let docs = site.root().join("docs");
    std::fs::create_dir_all(docs.join(".git")).unwrap();
    std::fs::write(docs.join("CNAME"), "tin.example.gov.vn").unwrap();
    let built = bantin::cmd::build::build(&bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(docs.clone()),
        ..Default::default()
    });
    let Err(bantin::cmd::build::BuildError::Site(problems)) = built else {
        panic!("built into a folder of someone else's files");
    };
    assert!(
        problems[0]
            .message
            .contains("holds files bantin did not write (.git/, CNAME)"),
        "{problems:?}"
    );
    // The help must not tell them to empty a deploy checkout.
    assert!(!problems[0]
        .help
        .as_deref()
        .unwrap()
        .contains("empty this one"));
    assert_eq!(
        std::fs::read_to_string(docs.join("CNAME")).unwrap(),
        "tin.example.gov.vn"
    );
    assert!(docs.join(".git").is_dir());
    // A file named as the output is not replaced by a folder.
    let file = site.root().join("ra.txt");
    std::fs::write(&file, "giữ").unwrap();
    let built = bantin::cmd::build::build(&bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(file.clone()),
        ..Default::default()
    });
    let Err(bantin::cmd::build::BuildError::Site(problems)) = built else {
        panic!("built over a file");
    };
    assert!(problems[0].message.contains("is a file"), "{problems:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "giữ");
    // The site's own output, built before, is rebuilt as ever.
    site.build_ok();
}

/// Files put into the output after a build (a host's CNAME, a deploy's .git) are not
/// removed by the next build: it is refused, and says where such files belong. Folders the
/// earlier build wrote and this one does not (a section removed) go as ever.
#[test]
fn files_added_to_the_output_after_a_build_are_kept() {
    let site = good_site();
    site.article(
        "content/kinh-te/2024/04/gia.md",
        "Giá lúa",
        "2024-04-02",
        "",
        "Nội dung.\n",
    );
    site.write(
        "content/kinh-te/_index.md",
        "---\ntitle: \"Kinh tế\"\n---\n",
    );
    site.build_ok();
    let output = site.output();
    std::fs::write(output.join("CNAME"), "tin.example.gov.vn").unwrap();
    std::fs::create_dir_all(output.join(".git/refs")).unwrap();
    std::fs::write(output.join(".git/HEAD"), "ref: refs/heads/main").unwrap();
    let problems = site.build_err();
    assert!(
        problems[0]
            .message
            .contains("holds files no build wrote (.git/, CNAME)"),
        "{problems:#?}"
    );
    assert!(problems[0].help.as_deref().unwrap().contains("static/"));
    // Reported at the folder, which `bantin.yaml` does not name.
    let shown = problems[0].to_string();
    assert!(
        shown.ends_with(&format!("--> {}", output.display()))
            || shown.contains(&format!("--> {}\n", output.display())),
        "{shown}"
    );
    assert!(!shown.contains("bantin.yaml"), "{shown}");
    assert!(output.join(".git/HEAD").is_file() && output.join("CNAME").is_file());
    assert!(output.join("thoi-su/2024/04/tot/index.html").is_file());
    std::fs::remove_dir_all(output.join(".git")).unwrap();
    // Deeper, inside folders the site writes too: named by their path. An empty folder holds
    // nothing to lose.
    std::fs::create_dir_all(output.join("thoi-su/tai-lieu/trong")).unwrap();
    std::fs::write(output.join("thoi-su/tai-lieu/bao-cao.pdf"), "%PDF").unwrap();
    std::fs::write(output.join("thoi-su/2024/04/tot/ghi-chu.txt"), "x").unwrap();
    std::fs::create_dir_all(output.join("rong/rong")).unwrap();
    let problems = site.build_err();
    assert!(
        problems[0].message.contains(
            "holds files no build wrote (CNAME, thoi-su/2024/04/tot/ghi-chu.txt, thoi-su/tai-lieu/)"
        ),
        "{problems:#?}"
    );
    assert!(output.join("thoi-su/tai-lieu/bao-cao.pdf").is_file());
    std::fs::remove_dir_all(output.join("thoi-su/tai-lieu")).unwrap();
    std::fs::remove_file(output.join("thoi-su/2024/04/tot/ghi-chu.txt")).unwrap();
    // Moved where the help says, they are the site's own.
    std::fs::rename(output.join("CNAME"), site.root().join("CNAME")).unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::rename(site.root().join("CNAME"), site.root().join("static/CNAME")).unwrap();
    std::fs::remove_dir_all(site.root().join("content/kinh-te")).unwrap();
    site.build_ok();
    assert!(output.join("CNAME").is_file());
    assert!(!output.join("kinh-te").exists());
    // A static file stamped in the future (unpacked from another time zone) is the site's
    // own too, though its stamp cannot be trusted: removed from static/, it goes.
    let later = site.root().join("static/bang-gia.pdf");
    std::fs::write(&later, "%PDF-1.4\n").unwrap();
    let hours = std::time::Duration::from_secs(7 * 3600);
    let file = std::fs::File::options().write(true).open(&later).unwrap();
    file.set_modified(std::time::SystemTime::now() + hours)
        .unwrap();
    site.build_ok();
    assert!(output.join("bang-gia.pdf").is_file());
    std::fs::remove_file(&later).unwrap();
    site.build_ok();
    assert!(!output.join("bang-gia.pdf").exists());
    // A file the manifest cannot name (a Mac's folder icon, `Icon\r`) is still the site's.
    site.write_bytes("static/Icon\r", b"");
    site.build_ok();
    site.build_ok();
    assert!(output.join("Icon\r").is_file());
    // A link put into the output is someone's setup: named, not dropped.
    #[cfg(unix)]
    {
        let uploads = site.root().join("uploads");
        std::fs::create_dir_all(&uploads).unwrap();
        std::os::unix::fs::symlink(&uploads, output.join("tai-len")).unwrap();
        let problems = site.build_err();
        assert!(
            problems[0]
                .message
                .contains("holds files no build wrote (tai-len)"),
            "{problems:#?}"
        );
        std::fs::remove_file(output.join("tai-len")).unwrap();
    }
    // What a build stopped while removing the old output left is removed by the next one.
    let left = site.root().join(".public.old/thoi-su");
    std::fs::create_dir_all(&left).unwrap();
    std::fs::write(left.join("index.html"), "cũ").unwrap();
    site.build_ok();
    assert!(!site.root().join(".public.old").exists());
}

/// An alias cannot replace a feed, the sitemap, the theme's stylesheet or another file the
/// site writes or copies itself. Each is named at its own line, by `build` and `check` alike.
#[test]
fn aliases_onto_generated_files_are_reported() {
    let site = good_site();
    let before = snapshot(&site.output());
    site.article(
        "content/thoi-su/2024/04/bi-danh.md",
        "Bí danh",
        "2024-04-03",
        "aliases:\n  - \"/rss.xml\"\n  - \"/thoi-su/atom.xml\"\n  - \"/style.css\"\n  - \"/tin-cu.html\"\n  - \"/thoi-su//rss.xml\"\n",
        "Nội dung.\n",
    );
    let problems = site.build_err();
    let file = "content/thoi-su/2024/04/bi-danh.md";
    let rss = find(
        &problems,
        file,
        "the alias /rss.xml names a file the site writes itself",
    );
    assert_eq!((rss.line, rss.column), (5, 3));
    let atom = find(&problems, file, "the alias /thoi-su/atom.xml names a file");
    assert_eq!(atom.line, 6);
    let style = find(&problems, file, "the alias /style.css names a file");
    assert_eq!(style.line, 7);
    // Written with a double slash, it would still have replaced the section's feed.
    let doubled = find(&problems, file, "the alias /thoi-su/rss.xml names a file");
    assert_eq!(doubled.line, 9);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert_eq!(snapshot(&site.output()), before);
    let checked = checked(&site);
    assert_eq!(checked.errors, 4, "{:#?}", checked.problems);
    let style = find(&checked.problems, file, "the alias /style.css names a file");
    assert_eq!(style.line, 7);
}

#[test]
fn template_errors_name_the_template_and_keep_the_output() {
    let site = good_site();
    let before = snapshot(&site.output());
    site.write("themes/default/templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ article.title | no_such_filter }}\n{% endblock content %}\n");
    let problems = site.build_err();
    let shown: String = problems.iter().map(|p| p.to_string()).collect();
    assert!(shown.contains("article.html"), "{shown}");
    assert_eq!(snapshot(&site.output()), before);
    // Two broken templates: both are named, each at its line.
    let problems = build_with_templates(
        &site,
        "{% extends \"base.html\" %}\n{% blok content %}\n{% endblock content %}\n",
        "{% extends \"base.html\" %}\n\n{% block content %}{% if %}{% endblock content %}\n",
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    let article = find(
        &problems,
        "themes/default/templates/article.html",
        "Unknown tag",
    );
    assert_eq!(article.line, 2);
    find(
        &problems,
        "themes/default/templates/term.html",
        "template error",
    );
    // A missing {% endif %}: Tera calls the next closing tag unknown; the help names the if.
    let problems = build_with_templates(&site, "{% extends \"base.html\" %}\n{% block content %}\n{% if article.summary %}<p>{{ article.summary }}</p>\n<h1>{{ article.title }}</h1>\n{% endblock content %}\n", "{% extends \"base.html\" %}\n");
    let unclosed = find(
        &problems,
        "themes/default/templates/article.html",
        "Unknown tag",
    );
    assert_eq!(unclosed.line, 5);
    assert_eq!(
        unclosed.help.as_deref(),
        Some("the {% if %} of line 3 may lack its {% endif %} before this line")
    );
    // A parent that does not exist is named in the template that extends it.
    let problems = build_with_templates(
        &site,
        "\n{% extends \"nen.html\" %}\n",
        "{% extends \"base.html\" %}\n",
    );
    let parent = find(
        &problems,
        "themes/default/templates/article.html",
        "nen.html",
    );
    assert_eq!(parent.line, 2);
}

/// `{{ article.contnet | safe }}` would print nothing with Tera's own `safe`: a misspelled
/// field fails the build at its place, as it does without the filter.
#[test]
fn a_misspelled_field_piped_through_safe_is_an_error() {
    let site = good_site();
    let before = snapshot(&site.output());
    let problems = build_with_templates(
        &site,
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.title | safe }}</h1>\n<div>{{ article.contnet | safe }}</div>\n{% endblock content %}\n",
        "{% extends \"base.html\" %}\n",
    );
    let safe = find(
        &problems,
        "themes/default/templates/article.html",
        "`safe` was given a value that is not defined",
    );
    assert_eq!(safe.line, 4, "{safe:#?}");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(snapshot(&site.output()), before);
}

/// Names that make one URL, or none, are reported at the line of their list.
#[test]
fn clashing_tags_are_reported_at_their_line() {
    let site = good_site();
    site.article(
        "content/thoi-su/2024/04/a.md",
        "Tin một",
        "2024-04-02",
        "summary: \"Tóm tắt\"\ntags: [\"dân vận\"]\n",
        "A\n",
    );
    site.article(
        "content/thoi-su/2024/04/b.md",
        "Tin hai",
        "2024-04-03",
        "tags: [\"Dan van\"]\nauthor: \"—\"\n",
        "B\n",
    );
    let problems = site.build_err();
    let clash = problems
        .iter()
        .find(|p| p.message.contains("are different names with one URL"))
        .unwrap_or_else(|| panic!("{problems:#?}"));
    let line = match clash.file.to_string_lossy().ends_with("a.md") {
        true => 5,
        false => 4,
    };
    assert_eq!(clash.line, line, "{clash:?}");
    let empty = find(
        &problems,
        "content/thoi-su/2024/04/b.md",
        "has no letters or digits",
    );
    assert_eq!(empty.line, 5);
}

/// A relative link to a file that is not there is a warning at its line (the file may be
/// one the site makes); a link to a folder, to an app (`geo:`), or to a static file as the
/// browser resolves it from the page's URL, is not.
/// Raw HTML never reaches readers: a pasted embed is left out with a warning at its line (shown
/// as text, readers would see the code), a pasted paragraph keeps its text, and a comment, an
/// editor's note, stays hidden; one that hides more than itself is reported.
#[test]
fn raw_html_is_left_out_and_reported_but_comments_stay_hidden() {
    let site = good_site();
    site.article(
        "content/thoi-su/2024/04/video.md",
        "Video",
        "2024-04-02",
        "",
        "Đoạn một.\n\n<iframe width=\"560\" src=\"https://www.youtube.com/embed/abc\"></iframe>\n\n<!-- Ghi chú: chờ\nduyệt ảnh -->\n\nChữ <b>đậm</b> và <br> <!-- nội bộ --> hết.\n\n<p>Đoạn dán từ <i>Word</i>.</p>\n\n<!-- ghi chú --> Câu bị ẩn.\n\nCuối bài.\n\n<!-- chưa đóng\n\nĐoạn bị ẩn.\n",
    );
    assert_eq!(site.build_ok().warnings, 5);
    let page = site.page("/thoi-su/2024/04/video/");
    let words: Vec<&str> = page.split_whitespace().collect();
    let words = words.join(" ");
    for shown in [
        "<p>Chữ đậm và hết.</p>",
        "<p>Đoạn dán từ Word.</p>",
        "<p>Cuối bài.</p>",
    ] {
        assert!(words.contains(shown), "{shown} not in {page}");
    }
    for hidden in ["iframe", "Ghi chú", "nội bộ", "<b>", "&lt;", "bị ẩn"] {
        assert!(!page.contains(hidden), "{hidden} in the page");
    }
    let problems = checked(&site).problems;
    let file = "content/thoi-su/2024/04/video.md";
    let embed = find(
        &problems,
        file,
        "HTML is left out of the page: `<iframe width=",
    );
    assert_eq!((embed.line, embed.column), (7, 1));
    let bold = find(&problems, file, "HTML is left out of the page: `<b>`");
    assert_eq!((bold.line, bold.column), (12, 5));
    assert!(
        bold.help.as_deref().unwrap().contains("**đậm**"),
        "{bold:?}"
    );
    let pasted = find(
        &problems,
        file,
        "HTML is left out of the page: `<p>Đoạn dán",
    );
    assert_eq!(pasted.line, 14);
    let after = find(&problems, file, "the text after --> on this line is hidden");
    assert!(after.message.contains("`Câu bị ẩn.`"), "{after:?}");
    assert_eq!(after.line, 16);
    let unclosed = find(&problems, file, "this comment is never closed");
    assert_eq!((unclosed.line, unclosed.column), (20, 1));
    assert_eq!(problems.len(), 5, "{problems:#?}");
}

#[test]
fn links_to_missing_files_are_reported() {
    let site = good_site();
    site.article(
        "content/thoi-su/2024/04/bao-cao.md",
        "Báo cáo",
        "2024-04-02",
        "",
        "Xem [liên hệ](../../../lien-he/).\n\nTải [báo cáo](Bao-cao.PDF).\n\nĐọc [báo](www.vietnamplus.vn).\n\n[Bản đồ](geo:10.77,106.70), [Zalo](zalo:0901234567), [phụ lục](phu%20luc.pdf), [bảng giá](../../../../files/bang-gia.pdf).\n",
    );
    site.write("content/thoi-su/2024/04/bao-cao.pdf", "%PDF-1.4\n");
    site.write("content/thoi-su/2024/04/phu luc.pdf", "%PDF-1.4\n");
    site.write("static/files/bang-gia.pdf", "%PDF-1.4\n");
    assert_eq!(site.build_ok().warnings, 2);
    let problems = checked(&site).problems;
    let link = find(
        &problems,
        "content/thoi-su/2024/04/bao-cao.md",
        "broken link: `Bao-cao.PDF` is not a file of this site (looked for content/thoi-su/2024/04/Bao-cao.PDF)",
    );
    assert_eq!(link.line, 7);
    let web = find(
        &problems,
        "content/thoi-su/2024/04/bao-cao.md",
        "`www.vietnamplus.vn`",
    );
    assert!(web.help.as_deref().unwrap().contains("https://"), "{web:?}");
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

/// A mistake that breaks every article page is reported once, not once a page.
#[test]
fn a_template_error_on_every_page_is_reported_once() {
    let site = good_site();
    site.article(
        "content/thoi-su/2024/04/khac.md",
        "Bài khác",
        "2024-04-02",
        "",
        "Nội dung.\n",
    );
    site.write("themes/default/templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ article.titel.dai }}\n{% endblock content %}\n");
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].line, 3);
    assert!(
        problems[0].message.contains("(and 1 more page):"),
        "{}",
        problems[0].message
    );
    // A partial included by every kind of list page: still one problem.
    site.write(
        "themes/default/templates/article.html",
        "{% extends \"base.html\" %}\n",
    );
    let (item, _) = item_title_as(&site, "{{ item.titel | upper }}");
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].file, Path::new(item));
}

/// A rebuild links the earlier output's unchanged files: one that fails while writing pages must
/// still leave every earlier file as it was, even the theme's favicon it linked and then
/// replaced with the site's own.
#[test]
fn a_failed_rebuild_leaves_the_files_it_linked_untouched() {
    let site = good_site();
    let before = snapshot(&site.output());
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    site.write("themes/default/templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ no_such_value.title }}\n{% endblock content %}\n");
    let problems = site.build_err();
    let shown: String = problems.iter().map(|p| p.to_string()).collect();
    assert!(shown.contains("article.html"), "{shown}");
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn config_errors_are_located_in_bantin_yaml() {
    let site =
        Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\npage_sise: 5\n");
    let problems = site.build_err();
    let typo = find(&problems, "bantin.yaml", "unknown key `page_sise`");
    assert_eq!(typo.line, 3);
    assert!(typo.help.as_deref().unwrap_or("").contains("`page_size`"));
    // A list path over a section's folder: one error, in bantin.yaml, however many articles.
    site.write(
        "bantin.yaml",
        &format!("{CONFIG}taxonomies:\n  tags: {{ title: \"Chủ đề\", path: \"/thoi-su/\" }}\n"),
    );
    for n in 1..=3 {
        site.article(
            &format!("content/thoi-su/2024/04/tin-{n}.md"),
            &format!("Tin {n}"),
            "2024-04-01",
            "",
            "Nội dung.\n",
        );
    }
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let clash = find(
        &problems,
        "bantin.yaml",
        "the tags pages under /thoi-su/ would take the URLs of the section /thoi-su/",
    );
    assert!(clash.help.as_deref().unwrap().contains("path:"));
    // At the line that sets the path (`tags:`, as it is written in flow style).
    assert_eq!(clash.line, CONFIG.lines().count() + 2, "{clash:#?}");
    // Without base_url, feeds and sitemaps would hold relative addresses: refused, unless
    // the build is given one.
    site.write("bantin.yaml", "title: \"Bản tin\"\n");
    let problems = site.build_err();
    find(&problems, "bantin.yaml", "gives no `base_url`");
    // "/" is no address either: reported at its line.
    site.write("bantin.yaml", "title: \"Bản tin\"\nbase_url: \"/\"\n");
    let problems = site.build_err();
    assert_eq!(
        find(&problems, "bantin.yaml", "gives no `base_url`").line,
        2
    );
    let built = bantin::cmd::build::build(&bantin::cmd::build::BuildOptions {
        root: site.root().to_path_buf(),
        base_url: Some("https://example.gov.vn/".to_string()),
        ..Default::default()
    });
    assert!(built.is_ok());
    assert!(site
        .page("/sitemap.xml")
        .contains("<loc>https://example.gov.vn/</loc>"));
}

/// A mistake in bantin.yaml does not hide the content's: one build names both.
#[test]
fn config_errors_come_with_the_contents_errors() {
    let site = good_site();
    site.write(
        "content/thoi-su/2024/04/sai-ngay.md",
        "---\ntitle: \"Sai ngày\"\ndate: \"30/12/2024\"\n---\nNội dung.\n",
    );
    for config in [
        format!("{CONFIG}page_sise: 5\n"),
        "title: \"Bản tin\"\n".to_string(),
    ] {
        site.write("bantin.yaml", &config);
        let problems = site.build_err();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!(problems[0].file, Path::new("bantin.yaml"), "{problems:#?}");
        let date = find(
            &problems,
            "content/thoi-su/2024/04/sai-ngay.md",
            "not a date",
        );
        assert_eq!(date.line, 3);
    }
    // The content's photos are looked up in the theme bantin.yaml names, mistakes and all.
    site.write("themes/rieng/static/anh-chung.png", "png");
    site.write(
        "content/thoi-su/2024/04/anh-chung.md",
        "---\ntitle: \"Ảnh chung\"\ndate: 2024-04-03\nphotos:\n  - src: \"/anh-chung.png\"\n---\n",
    );
    site.write(
        "bantin.yaml",
        &format!("{CONFIG}theme: \"rieng\"\npage_sise: 5\n"),
    );
    let problems = site.build_err();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    find(&problems, "bantin.yaml", "unknown key `page_sise`");
    // Run outside a site, bantin reads nothing but says where it looked.
    std::fs::remove_file(site.root().join("bantin.yaml")).unwrap();
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].message.contains("cannot read"), "{problems:#?}");
}

#[test]
fn the_cli_exits_non_zero_and_prints_file_line_column() {
    let site = good_site();
    site.write(
        "content/thoi-su/2024/04/key.md",
        "---\ntitle: \"Tin\"\ndate: 2024-04-02\ntagz: [\"a\"]\n---\n",
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .expect("run bantin");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/thoi-su/2024/04/key.md:4:1"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `tags`?"), "{stderr}");
    assert!(
        stderr.contains("previous output was left unchanged"),
        "{stderr}"
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let outputs = tempfile::tempdir().unwrap();
    for threads in ["1", "2"] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["build", "--root"])
            .arg(sample)
            .arg("--output")
            .arg(outputs.path().join(threads))
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .expect("run bantin");
        assert!(status.success());
    }
    let one = snapshot(&outputs.path().join("1"));
    assert!(one.len() > 50);
    assert!(
        one == snapshot(&outputs.path().join("2")),
        "outputs differ between 1 and 2 threads"
    );
}

#[test]
fn files_beside_the_templates_that_are_not_templates_are_left_alone() {
    let site = good_site();
    // Vim's swap file of an open template, a Finder's folder file, emacs' backup, notes.
    let templates = "themes/default/templates";
    site.write_bytes(
        &format!("{templates}/.article.html.swp"),
        b"b0VIM 9.0\x00\xff\xfe",
    );
    site.write_bytes(
        &format!("{templates}/partials/.DS_Store"),
        b"\x00\x00\x00\x01Bud1\xff",
    );
    site.write(&format!("{templates}/article.html~"), "{{ broken");
    site.write(&format!("{templates}/NOTES.txt"), "{% if %} to do");
    site.build_ok();
    assert!(site.page("/thoi-su/2024/04/tot/").contains("Bài tốt"));
}

#[test]
fn filters_refuse_unknown_arguments_and_keep_absolute_urls() {
    let site = good_site();
    let article = "themes/default/templates/article.html";
    site.write(
        article,
        "{% extends \"base.html\" %}\n{% block content %}\n<p id=\"a\">{{ page.url | abs_url }}|{{ \"//cdn.example.com/x.css\" | abs_url }}|{{ \"mailto:toa-soan@example.gov.vn\" | root_url }}|{{ \"/anh/logo.png\" | abs_url }}</p>\n{% endblock content %}\n",
    );
    site.build_ok();
    let page = site.page("/thoi-su/2024/04/tot/");
    assert!(
        page.contains("<p id=\"a\">https://example.gov.vn/thoi-su/2024/04/tot/|//cdn.example.com/x.css|mailto:toa-soan@example.gov.vn|https://example.gov.vn/anh/logo.png</p>"),
        "{}",
        common::element_text(&page, "<p id=\"a\"")
    );
    site.write(
        article,
        "{% extends \"base.html\" %}\n{% block content %}\n{{ article.date | vi_date(format=\"short\") }}\n{% endblock content %}\n",
    );
    let problems = site.build_err();
    let wrong = find(&problems, article, "vi_date: unknown argument `format`");
    assert_eq!(wrong.line, 3);
    assert!(
        wrong.message.contains("it takes style"),
        "{}",
        wrong.message
    );
    // A filter no one registered, in a partial: at its own line, not the templates folder.
    site.write(article, "{% extends \"base.html\" %}\n");
    let (item, text) = item_title_as(&site, "{{ item.title | vi_dat }}");
    let problems = site.build_err();
    let unknown = find(&problems, item, "Unknown filter `vi_dat`");
    let line = text
        .lines()
        .position(|l| l.contains("{{ item.title }}"))
        .unwrap()
        + 1;
    assert_eq!(unknown.line, line);
}

/// `check` reports a mistake of the list item template and one of another template together,
/// the item's counted in articles.
#[test]
fn check_reports_the_list_item_template_beside_the_other_templates() {
    let site = good_site();
    site.article(
        "content/thoi-su/2024/04/hai.md",
        "Bài hai",
        "2024-04-02",
        "",
        "Nội dung.\n",
    );
    site.write(
        "templates/partials/article_item.html",
        "{{ item.khong_co.gi }}\n",
    );
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}\n{{ article.khong_co.gi }}{% endblock content %}",
    );
    let problems = checked(&site).problems;
    let item = find(
        &problems,
        "templates/partials/article_item.html",
        "(and 1 more article):",
    );
    assert_eq!(item.line, 1);
    let article = find(&problems, "templates/article.html", "while rendering");
    assert_eq!(article.line, 2);
}

/// A theme that prints `item.html` without the template that makes it is stopped at that line:
/// its lists would come out empty.
#[test]
fn printing_item_html_without_the_item_template_is_an_error() {
    let site = good_site();
    site.remove("themes/default/templates/partials/article_item.html");
    let problems = site.build_err();
    let list = find(
        &problems,
        "themes/default/templates/partials/article_list.html",
        "prints `item.html`",
    );
    let text = std::fs::read_to_string(
        site.root()
            .join("themes/default/templates/partials/article_list.html"),
    )
    .unwrap();
    let line = text.lines().position(|l| l.contains("item.html")).unwrap() + 1;
    assert_eq!(list.line, line);
    assert!(list
        .help
        .as_deref()
        .unwrap()
        .contains("copy it from the default theme"));
}

/// Builds with the site's own list item template `text`; returns its problem holding `message`.
fn item_problem(site: &Fixture, text: &str, message: &str) -> Diagnostic {
    site.write("templates/partials/article_item.html", text);
    let problems = site.build_err();
    find(&problems, "templates/partials/article_item.html", message).clone()
}

#[test]
fn a_site_template_replaces_the_themes_and_a_missing_theme_is_named() {
    let site = good_site();
    site.write(
        "templates/partials/article_item.html",
        "<p class=\"mine\">{{ item.title }}</p>\n",
    );
    site.build_ok();
    assert!(site
        .page("/thoi-su/")
        .contains("<p class=\"mine\">Bài tốt</p>"));
    // A mistake in the site's template is reported in that file, not the theme's.
    item_problem(&site, "{{ item.title | vi_dat }}\n", "Unknown filter");
    // So is a mistake found while rendering.
    let render = item_problem(
        &site,
        "<p>\n{{ item.nope.title }}</p>\n",
        "while rendering the list item of /thoi-su/",
    );
    assert_eq!(render.line, 2);
    assert!(render.help.is_none(), "{render:?}");
    // It sees the article, not the page listing it: a maintainer used to includes is told.
    let page = item_problem(
        &site,
        "{% if page.kind == \"section\" %}{{ item.title }}{% endif %}\n",
        "while rendering the list item of",
    );
    assert!(
        page.help
            .as_deref()
            .is_some_and(|help| help.contains("sees only `item` and `site`")),
        "{page:?}"
    );
    site.remove("templates/partials/article_item.html");
    // A theme name with a typo: at its line in bantin.yaml, naming the themes there are.
    site.write("bantin.yaml", &format!("{CONFIG}theme: \"defualt\"\n"));
    let problems = site.build_err();
    let theme = find(&problems, "bantin.yaml", "there is no theme `defualt`");
    assert_eq!(theme.line, CONFIG.lines().count() + 1);
    assert_eq!(
        theme.help.as_deref(),
        Some("themes of this site: default; set `theme:` to one of them")
    );
}

/// Ctrl-C during a build leaves the last output as it was and nothing beside it: the staging
/// folder (gigabytes for a large archive) is removed.
#[cfg(unix)]
#[test]
fn a_build_stopped_with_ctrl_c_leaves_the_output_and_no_staging_folder() {
    let site = good_site();
    site.build_ok();
    let home_before = site.page("/");
    for n in 0..1500 {
        site.article(
            &format!("content/thoi-su/2024/05/tin-{n}.md"),
            &format!("Tin số {n} trong tháng năm"),
            "2024-05-02",
            "tags: [\"Hòa Bình\"]\n",
            "Đoạn một của bài.\n\nĐoạn hai của bài.\n",
        );
    }
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["build", "--root"])
        .arg(site.root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run bantin");
    let staging = site.root().join(format!(".public.staging-{}", build.id()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !staging.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the build never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let signal = std::process::Command::new("kill")
        .args(["-INT", &build.id().to_string()])
        .status()
        .expect("run kill");
    assert!(signal.success());
    let output = build.wait_with_output().expect("wait for bantin");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Build stopped"), "{stderr}");
    assert!(!staging.exists());
    assert_eq!(site.page("/"), home_before);
}

/// An empty line above the opening `---` (pasted text) is named as such, at the `---`.
#[test]
fn an_empty_line_above_the_front_matter_is_named() {
    let site = good_site();
    site.write(
        "content/thoi-su/2024/04/trong.md",
        "\n---\ntitle: \"Tin\"\ndate: 2024-04-02\n---\nNội dung.\n",
    );
    let problems = site.build_err();
    let problem = find(
        &problems,
        "content/thoi-su/2024/04/trong.md",
        "opening --- is not on the first line",
    );
    assert_eq!(problem.line, 2);
    assert!(problem
        .help
        .as_deref()
        .unwrap()
        .contains("remove the empty lines"));
}
