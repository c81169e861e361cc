//! `bantin import`: an article as a paper published it, plain text copied from its web page,
//! written as a draft article: title, sapo, photos with their credits, paragraphs, the
//! author's sign-off. Photo files are left for the editor to put beside it.

use super::new::{write_article, Contents, NewError, NewOptions, NewPhoto};
use crate::vi::{split_credit, VnDate};
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

/// What an import wrote: the article, and the photo files it expects beside it.
#[derive(Debug)]
pub struct Imported {
    pub path: PathBuf,
    pub photos: Vec<String>,
}

/// Reads `options.file` and writes it as a draft article.
pub fn import(options: &ImportOptions) -> Result<Imported, NewError> {
    let refused = |why: String| NewError::Refused(format!("{}: {why}", options.file.display()));
    let bytes = std::fs::read(&options.file).map_err(|error| refused(error.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        refused("the file is not UTF-8 text: save it as UTF-8 (Notepad: File › Save as › Encoding: UTF-8)".to_string())
    })?;
    // Notepad starts a UTF-8 file with a byte order mark.
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let published = read_published(&crate::vi::clean(text)).map_err(refused)?;
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
    })
}

/// An article read from its published text.
#[derive(Debug)]
pub struct Published {
    pub title: String,
    pub contents: Contents,
    /// The files its photos are to have, the lead photo's first.
    pub photos: Vec<String>,
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
    let mut paragraphs: Vec<String> = paragraphs(text)
        .into_iter()
        .filter(|p| !PAGE_CHROME.contains(&p.to_lowercase().as_str()))
        .collect();
    while paragraphs
        .first()
        .is_some_and(|p| is_capitals(p) && p.ends_with('!'))
    {
        paragraphs.remove(0);
    }
    if paragraphs.is_empty() {
        return Err("the file has no text: its first line should be the article's title".into());
    }
    let title = paragraphs.remove(0);
    let mut contents = Contents::default();
    let sign_off = paragraphs.last().filter(|p| is_sign_off(p)).cloned();
    if let Some(sign_off) = &sign_off {
        paragraphs.pop();
        contents.authors = crate::render::split_names(sign_off)
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(String::from)
            .collect();
    }
    if paragraphs
        .first()
        .is_some_and(|p| photo_caption(p).is_none())
    {
        contents.summary = paragraphs.remove(0);
    }
    let mut blocks = Vec::new();
    let mut photos = Vec::new();
    for paragraph in paragraphs {
        let Some((caption, credit)) = photo_caption(&paragraph) else {
            blocks.push(markdown_text(&paragraph));
            continue;
        };
        let src = format!("anh-{}.jpg", photos.len() + 1);
        if photos.is_empty() {
            contents.photos.push(NewPhoto {
                src: src.clone(),
                caption: (!caption.is_empty()).then_some(caption),
                credit: Some(credit),
            });
        } else {
            let credit = credit.replace('\\', "\\\\").replace('"', "\\\"");
            blocks.push(format!(
                "![{}]({src} \"Ảnh: {credit}\")",
                markdown_text(&caption)
            ));
        }
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
    Ok(Published {
        title,
        contents,
        photos,
    })
}

/// The text's paragraphs, split at empty lines, each on one line.
fn paragraphs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim();
        if !line.is_empty() {
            lines.push(line);
        } else if !lines.is_empty() {
            found.push(lines.join(" "));
            lines.clear();
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

/// Letters, none of them lower case.
fn is_capitals(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

/// A short line in capitals that is not a source: `THÁI PHƯƠNG`, `KKN`, `MINH KHÔI - VIỆT DŨNG`.
fn is_sign_off(paragraph: &str) -> bool {
    let folded = crate::vi::fold(paragraph);
    is_capitals(paragraph)
        && paragraph.split_whitespace().count() <= 8
        && !paragraph.ends_with(['.', '!', '?', ':'])
        && !["theo ", "nguon"].iter().any(|s| folded.starts_with(s))
}

/// Text as Markdown shows it as written: the characters Markdown reads as markup escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let starts_block = at == 0 && matches!(c, '#' | '>' | '+');
        if starts_block || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The photos `imported` expects beside it, as the message to the editor says them.
pub fn photos_note(imported: &Imported) -> String {
    let folder = imported.path.parent().unwrap_or(Path::new("."));
    match imported.photos.is_empty() {
        true => String::new(),
        false => format!(
            "put the photos {} in {}, ",
            imported.photos.join(", "),
            folder.display()
        ),
    }
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
            contents.summary,
            "Ngày 10-4, hai ban ký kết chương trình phối hợp."
        );
        assert_eq!(contents.authors, ["THÁI PHƯƠNG"]);
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
    fn sign_offs_are_short_capitals_and_not_sources() {
        assert!(is_sign_off("KKN"));
        assert!(is_sign_off("MINH KHÔI - VIỆT DŨNG"));
        assert!(!is_sign_off("THEO TTXVN"));
        assert!(!is_sign_off("Thái Phương"));
        assert!(!is_sign_off("HỘI NGHỊ ĐÃ KẾT THÚC."));
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(markdown_text("# 1 <b> [x]"), "\\# 1 \\<b> \\[x\\]");
        assert_eq!(markdown_text("a_b > c"), "a\\_b > c");
    }

    #[test]
    fn a_text_without_words_is_refused() {
        assert!(read_published("\n  \nScroll to Top\n").is_err());
    }
}
