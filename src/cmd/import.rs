//! `bantin import`: an article as a paper published it, plain text copied from its web page,
//! written as a draft article: title, sapo, photos with their credits, paragraphs, the
//! author's sign-off. Photo files are left for the editor to put beside it.

use super::new::{write_article, Contents, NewError, NewOptions, NewPhoto};
use crate::load::{read_text, SourceFile};
use crate::vi::{sign_off_words, split_credit, VnDate};
use std::path::{Path, PathBuf};

pub struct ImportOptions {
    pub root: PathBuf,
    /// The text file to read.
    pub file: PathBuf,
    pub section: Option<String>,
    /// When no sign-off names the author.
    pub author: Option<String>,
    /// The article's date (the text seldom gives its year).
    pub date: VnDate,
}

/// What an import wrote: the article, the photo files it expects beside it, and the lines of
/// the text it left out.
#[derive(Debug)]
pub struct Imported {
    pub path: PathBuf,
    pub photos: Vec<String>,
    pub left_out: Vec<String>,
}

/// The files to import: each path given, a folder standing for its `.txt` files in name
/// order (for a shell that does not expand `*.txt`).
pub fn text_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        let listed = std::fs::read_dir(path).ok().filter(|_| path.is_dir());
        let Some(listed) = listed else {
            files.push(path.clone());
            continue;
        };
        let mut texts: Vec<PathBuf> = listed
            .flatten()
            .map(|entry| entry.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")))
            .collect();
        texts.sort();
        files.extend(texts);
    }
    files
}

/// Reads `options.file` and writes it as a draft article.
pub fn import(options: &ImportOptions) -> Result<Imported, NewError> {
    let refused = |why: String| NewError::Refused(format!("{}: {why}", options.file.display()));
    let file = SourceFile {
        path: options.file.clone(),
        display: options.file.clone(),
    };
    let text = read_text(&file).map_err(NewError::Problems)?;
    // Notepad starts a UTF-8 file with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let published = read_published(text).map_err(refused)?;
    let new = NewOptions {
        root: options.root.clone(),
        title: published.title,
        section: options.section.clone(),
        author: options.author.clone(),
        // Photos go beside the article, in a folder of its own.
        bundle: !published.photos.is_empty(),
        now: options.date,
    };
    let path = write_article(&new, &published.contents)?;
    Ok(Imported {
        path,
        photos: published.photos,
        left_out: published.left_out,
    })
}

/// An article read from its published text.
#[derive(Debug)]
pub struct Published {
    pub title: String,
    pub contents: Contents,
    /// The files its photos are to have, the lead photo's first.
    pub photos: Vec<String>,
    /// Lines of the web page that are not the article's: a banner, `Scroll to Top`.
    pub left_out: Vec<String>,
}

/// Lines a web page adds around its articles.
const PAGE_CHROME: [&str; 6] = [
    "scroll to top",
    "lên đầu trang",
    "về đầu trang",
    "in bài viết",
    "chia sẻ",
    "bản in",
];

/// The title and the parts of a published article: its first paragraph is the title, the
/// next the sapo, a paragraph ending "Ảnh: NAME" a photo's caption (the first one the lead
/// photo), a last short paragraph in capitals the author's sign-off. A banner in capitals
/// before the title (`NHIỆT LIỆT CHÀO MỪNG …!`) and the page's own lines are left out.
pub fn read_published(text: &str) -> Result<Published, String> {
    let (mut paragraphs, left_out) = article_paragraphs(text);
    if paragraphs.is_empty() {
        return Err("the file has no text: its first line should be the article's title".into());
    }
    let title = paragraphs.remove(0);
    let mut contents = Contents::default();
    let sign_off = paragraphs.pop_if(|p| sign_off_words(p).is_some());
    if let Some(sign_off) = &sign_off {
        contents.authors = crate::render::split_names(sign_off)
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(name_as_written)
            .collect();
    }
    if paragraphs
        .first()
        .is_some_and(|p| photo_caption(p).is_none())
    {
        contents.summary = paragraphs.remove(0);
    }
    let photos = write_body(paragraphs, sign_off, &mut contents);
    Ok(Published {
        title,
        contents,
        photos,
        left_out,
    })
}

/// The paragraphs of the article, and the lines of the page around it that are left out.
fn article_paragraphs(text: &str) -> (Vec<String>, Vec<String>) {
    let (mut paragraphs, mut left_out): (Vec<String>, Vec<String>) = paragraphs(text)
        .into_iter()
        .partition(|p| !PAGE_CHROME.contains(&p.to_lowercase().as_str()));
    while paragraphs
        .first()
        .is_some_and(|p| crate::vi::is_capitals(p) && p.ends_with('!'))
    {
        left_out.insert(0, paragraphs.remove(0));
    }
    (paragraphs, left_out)
}

/// Writes the article's text after its sapo into `contents`: its lead photo in the front
/// matter, the other photos as figures where they stood, the sign-off last. Returns the photo
/// files, the lead photo's first.
fn write_body(
    mut paragraphs: Vec<String>,
    sign_off: Option<String>,
    contents: &mut Contents,
) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut photos = Vec::new();
    // Under the sapo, a short line that ends no sentence is the lead photo's caption, printed
    // without a credit (`Đại diện các cơ quan thực hiện ký kết Chương trình phối hợp`).
    if !contents.summary.is_empty() && paragraphs.first().is_some_and(|p| is_bare_caption(p)) {
        let caption = paragraphs.remove(0);
        contents.photos.push(lead_photo(Some(caption), None));
        photos.push(contents.photos[0].src.clone());
    }
    for paragraph in paragraphs {
        let Some((caption, credit)) = photo_caption(&paragraph) else {
            blocks.push(markdown_text(&paragraph));
            continue;
        };
        if photos.is_empty() {
            let caption = (!caption.is_empty()).then_some(caption);
            contents.photos.push(lead_photo(caption, Some(credit)));
            photos.push(contents.photos[0].src.clone());
            continue;
        }
        let src = format!("anh-{}.jpg", photos.len() + 1);
        let credit = credit.replace('\\', "\\\\").replace('"', "\\\"");
        blocks.push(format!(
            "![{}]({src} \"Ảnh: {credit}\")",
            markdown_text(&caption)
        ));
        photos.push(src);
    }
    if let Some(sign_off) = sign_off {
        blocks.push(format!("**{}**", markdown_text(&sign_off)));
    }
    contents.body = blocks
        .iter()
        .map(|b| format!("{b}\n"))
        .collect::<Vec<_>>()
        .join("\n");
    photos
}

/// The article's first photo, its file to be named `anh-1.jpg`.
fn lead_photo(caption: Option<String>, credit: Option<String>) -> NewPhoto {
    NewPhoto {
        src: "anh-1.jpg".to_string(),
        caption,
        credit,
    }
}

/// The text's paragraphs, each on one line: split at empty lines, or at every line in a text
/// without any (copied from a word processor). The first line stands alone: the title.
fn paragraphs(text: &str) -> Vec<String> {
    let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines().map(str::trim) {
        match groups.last_mut() {
            Some(group) if !line.is_empty() => group.push(line),
            Some(group) if !group.is_empty() => groups.push(Vec::new()),
            _ => {}
        }
    }
    groups.retain(|group| !group.is_empty());
    if groups.len() == 1 {
        return groups[0].iter().map(|line| line.to_string()).collect();
    }
    let mut found = Vec::new();
    for (n, group) in groups.iter().enumerate() {
        match group.split_first() {
            Some((first, rest)) if n == 0 && !rest.is_empty() => {
                found.push(first.to_string());
                found.push(rest.join(" "));
            }
            _ => found.push(group.join(" ")),
        }
    }
    found
}

/// A caption and its credit, when the paragraph ends with one (`… năm 2024. Ảnh: VIỆT DŨNG`).
fn photo_caption(paragraph: &str) -> Option<(String, String)> {
    match split_credit(paragraph) {
        (caption, Some(credit)) => Some((caption, credit)),
        _ => None,
    }
}

/// A name as `authors:` writes it: `THÁI PHƯƠNG` → `Thái Phương`, as the sample site and most
/// papers' bylines do; one word (`KKN`, initials) stays as signed.
fn name_as_written(name: &str) -> String {
    match name.split_whitespace().count() {
        0 | 1 => name.to_string(),
        _ => crate::vi::title_case(name),
    }
}

/// A line that reads as a caption: short, not in capitals, ending no sentence.
fn is_bare_caption(paragraph: &str) -> bool {
    paragraph.split_whitespace().count() <= 25
        && !crate::vi::is_capitals(paragraph)
        && !paragraph.ends_with(['.', '!', '?', ':', ';', '…', '"', '”', ')'])
        && photo_caption(paragraph).is_none()
}

/// Text as Markdown shows it as written: the characters Markdown reads as markup escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let starts_block = at == 0 && matches!(c, '#' | '>' | '+' | '-' | '=' | '|');
        if starts_block || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. Mục tiêu` would start a numbered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// What the editor is told of an imported article: what is left to do, and what was left out.
pub fn next_steps(imported: &Imported) -> String {
    let folder = imported.path.parent().unwrap_or(Path::new("."));
    let photos = match imported.photos.len() {
        0 => String::new(),
        count => format!(
            "put the {} {} in {}, ",
            if count == 1 { "photo" } else { "photos" },
            imported.photos.join(", "),
            folder.display()
        ),
    };
    let mut steps = format!("It is a draft: {photos}check its summary, tags and date, then remove the line `draft: true` to publish it.");
    if !imported.left_out.is_empty() {
        let lines: Vec<String> = imported.left_out.iter().map(|l| format!("`{l}`")).collect();
        steps.push_str(&format!(
            "\nLeft out as lines of the web page, not of the article: {}.",
            lines.join(", ")
        ));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: &str = "NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI!\n\nPhối hợp chăm lo đồng bào\n\nNgày 10-4, hai ban ký kết chương trình phối hợp.\n\nĐại diện hai ban ký kết. Ảnh: VIỆT DŨNG\n\nTham dự có các đồng chí lãnh đạo *thành phố*.\n\nTriển khai chương trình. Ảnh: VIỆT DŨNG\n\nTHÁI PHƯƠNG\n\nScroll to Top\n";

    #[test]
    fn a_published_article_is_read_into_its_parts() {
        let published = read_published(PUBLISHED).unwrap();
        let contents = &published.contents;
        assert_eq!(published.title, "Phối hợp chăm lo đồng bào");
        assert_eq!(
            published.left_out,
            ["NHIỆT LIỆT CHÀO MỪNG ĐẠI HỘI!", "Scroll to Top"]
        );
        assert_eq!(
            contents.summary,
            "Ngày 10-4, hai ban ký kết chương trình phối hợp."
        );
        assert_eq!(contents.authors, ["Thái Phương"]);
        assert_eq!(
            contents.photos,
            [NewPhoto {
                src: "anh-1.jpg".to_string(),
                caption: Some("Đại diện hai ban ký kết.".to_string()),
                credit: Some("VIỆT DŨNG".to_string()),
            }]
        );
        assert_eq!(
            contents.body,
            "Tham dự có các đồng chí lãnh đạo \\*thành phố\\*.\n\n![Triển khai chương trình.](anh-2.jpg \"Ảnh: VIỆT DŨNG\")\n\n**THÁI PHƯƠNG**\n"
        );
        assert_eq!(published.photos, ["anh-1.jpg", "anh-2.jpg"]);
    }

    #[test]
    fn signed_names_are_written_as_bylines_are() {
        assert_eq!(name_as_written("NGUYỄN VĂN ĐỨC"), "Nguyễn Văn Đức");
        assert_eq!(name_as_written("KKN"), "KKN");
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(markdown_text("# 1 <b> [x]"), "\\# 1 \\<b> \\[x\\]");
        assert_eq!(markdown_text("a_b > c"), "a\\_b > c");
        assert_eq!(markdown_text("- Đồng chí A"), "\\- Đồng chí A");
        assert_eq!(markdown_text("1. Mục tiêu"), "1\\. Mục tiêu");
        assert_eq!(markdown_text("2024 là năm"), "2024 là năm");
        assert_eq!(markdown_text("---"), "\\---");
    }

    #[test]
    fn a_text_without_empty_lines_has_a_paragraph_a_line() {
        let published =
            read_published("Tiêu đề\nSapo.\nĐoạn một.\nĐoạn hai. Ảnh: TTXVN\nKKN\n").unwrap();
        assert_eq!(published.title, "Tiêu đề");
        assert_eq!(published.contents.summary, "Sapo.");
        assert_eq!(published.photos, ["anh-1.jpg"]);
        assert_eq!(published.contents.authors, ["KKN"]);
        // With empty lines, a title line with the sapo under it stands alone all the same.
        let published = read_published("Tiêu đề\nSapo dòng một\ndòng hai.\n\nĐoạn một.\n").unwrap();
        assert_eq!(published.title, "Tiêu đề");
        assert_eq!(published.contents.summary, "Sapo dòng một dòng hai.");
        assert_eq!(published.contents.body, "Đoạn một.\n");
    }

    #[test]
    fn a_caption_without_credit_under_the_sapo_is_the_lead_photos() {
        let text = "Tiêu đề\n\nSapo.\n\nĐại diện các cơ quan ký kết\n\nĐoạn một.\n\nKết quả chính\n\nĐoạn hai.\n";
        let published = read_published(text).unwrap();
        assert_eq!(
            published.contents.photos,
            [NewPhoto {
                src: "anh-1.jpg".to_string(),
                caption: Some("Đại diện các cơ quan ký kết".to_string()),
                credit: None,
            }]
        );
        // Further down, such a line stays text (a heading, most likely).
        assert_eq!(
            published.contents.body,
            "Đoạn một.\n\nKết quả chính\n\nĐoạn hai.\n"
        );
        assert_eq!(
            read_published("Tiêu đề\n\nSapo.\n\nĐoạn một đủ câu.\n")
                .unwrap()
                .photos
                .len(),
            0
        );
    }

    #[test]
    fn a_text_without_words_is_refused() {
        assert!(read_published("\n  \nScroll to Top\n").is_err());
    }
}
