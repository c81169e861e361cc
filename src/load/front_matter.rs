//! Front matter: the YAML block atop each Markdown file, split off and checked field by field.

use crate::diagnostics::Diagnostic;
use crate::vi::{slugify, VnDate};
use crate::yaml::{join, key, Seg, YamlDoc};
use serde_yaml::{Mapping, Value};
use std::path::Path;

const ARTICLE_KEYS: &[&str] = &[
    "title", "date", "updated", "authors", "author", "summary", "tags", "agencies", "photos",
    "source", "location", "slug", "aliases", "draft", "extra",
];
const PHOTO_KEYS: &[&str] = &["src", "caption", "credit", "alt"];
const SOURCE_KEYS: &[&str] = &["name", "url", "date"];
const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "page_size",
    "sort_by",
    "extra",
];

/// A Markdown file cut in two: its YAML and its body, with the file line each starts on.
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Cuts the `---` front matter block off the top of `text`; `None` if the file has none.
pub fn split(text: &str) -> Result<Option<Split<'_>>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first_end) = text.find('\n') else {
        return Ok(None);
    };
    if text[..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    for (line, raw) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if matches!(raw.trim_end(), "---" | "...") {
            let body_start = offset + raw.len();
            return Ok(Some(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            }));
        }
        offset += raw.len();
    }
    Err(
        Diagnostic::error(Path::new(""), 1, 1, "the front matter is never closed")
            .with_help("add a line with only `---` after the last front matter key"),
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct PhotoMatter {
    pub src: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub alt: Option<String>,
    /// File position of `src`, for "photo does not exist" errors.
    pub line: usize,
    pub column: usize,
}

/// An old address of an article, where a redirect page is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// Site path (`/tin-cu/bai/`, `/tin-cu/bai.html`).
    pub path: String,
    /// File position of the entry, for clashes found once every URL is known.
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize)]
pub struct SourceMatter {
    pub name: String,
    pub url: Option<String>,
    pub date: Option<VnDate>,
}

/// An article's front matter, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleMatter {
    pub title: String,
    pub date: VnDate,
    pub updated: Option<VnDate>,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub agencies: Vec<String>,
    pub photos: Vec<PhotoMatter>,
    pub source: Option<SourceMatter>,
    pub location: Option<String>,
    pub slug: Option<String>,
    pub aliases: Vec<Alias>,
    pub draft: bool,
    pub extra: serde_json::Value,
}

/// The line and column of the first of `keys` that the front matter of the file at `path`
/// has; 1:1 (its `---`) without. Read again from the file: only the few articles a problem
/// found after loading is about need it, so loading keeps no positions.
pub fn key_position(path: &Path, keys: &[&str]) -> (usize, usize) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return (1, 1);
    };
    let text = crate::vi::clean(text);
    let Ok(Some(split)) = split(&text) else {
        return (1, 1);
    };
    let (doc, map) = YamlDoc::parse(path, &text, split.yaml, split.yaml_line);
    let present = keys
        .iter()
        .find(|name| map.as_ref().is_some_and(|m| m.contains_key(**name)));
    present.map_or((1, 1), |name| doc.position(&[key(name)]))
}

/// A section's (or the home page's) `_index.md` front matter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SectionMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: i64,
    pub page_size: Option<usize>,
    pub sort_by_title: bool,
    pub extra: serde_json::Value,
}

/// Reads an article's fields; problems go to `doc.diagnostics`.
pub fn read_article(doc: &mut YamlDoc, map: &Mapping) -> Option<ArticleMatter> {
    doc.check_keys(map, &[], ARTICLE_KEYS, "in front matter");
    let title = doc.text(map, &[], "title").filter(|t| !t.trim().is_empty());
    if title.is_none() && !map.contains_key("title") {
        doc.report(
            &[],
            "the article has no `title`",
            "add a line to the front matter: title: \"Tiêu đề bài viết\"",
        );
    } else if title.is_none() {
        doc.report(
            &[key("title")],
            "the title is empty",
            "write the title in double quotes: title: \"Tiêu đề bài viết\"",
        );
    }
    let date = doc.date(map, &[], "date");
    if date.is_none() && !map.contains_key("date") {
        doc.report(
            &[],
            "the article has no `date`",
            "add a line to the front matter: date: 2024-04-10T09:30:00+07:00",
        );
    } else if map.get("date").is_some_and(Value::is_null) {
        doc.report(
            &[key("date")],
            "the date is empty",
            "write the date after `date:`, e.g. date: 2024-04-10T09:30:00+07:00",
        );
    }
    let mut authors = doc.names(map, &[], "authors");
    let both = "both `author` and `authors` are given";
    let keep_one = "keep one: authors: [\"Tên 1\", \"Tên 2\"]";
    if map.get("author").is_some_and(Value::is_sequence) {
        // `author: ["Thái Phương", "Minh Khôi"]`: several people, as `authors:` gives them.
        match authors.is_empty() {
            true => authors = doc.names(map, &[], "author"),
            false => doc.report(&[key("author")], both, keep_one),
        }
    } else if let Some(author) = doc.text(map, &[], "author") {
        if author.trim().is_empty() {
            doc.report(
                &[key("author")],
                "the author is empty",
                "write the name in double quotes: author: \"Tên tác giả\", or remove the line",
            );
        } else if author.contains(',') {
            let names: Vec<String> = author
                .split(',')
                .map(|name| format!("\"{}\"", name.trim()))
                .collect();
            doc.report(
                &[key("author")],
                "`author` names more than one person",
                format!("write them as a list: authors: [{}]", names.join(", ")),
            );
        } else if authors.is_empty() {
            authors.push(author.trim().to_string());
        } else {
            doc.report(&[key("author")], both, keep_one);
        }
    }
    let slug = doc.text(map, &[], "slug").and_then(|s| match slugify(&s) {
        Ok(slug) => Some(slug),
        Err(error) => {
            doc.report(
                &[key("slug")],
                format!("`slug`: {error}"),
                "write the URL word with letters or digits, e.g. slug: \"ky-ket-phoi-hop\"",
            );
            None
        }
    });
    let matter = ArticleMatter {
        title: title.unwrap_or_default().trim().to_string(),
        date: date.unwrap_or_else(VnDate::now),
        updated: doc.date(map, &[], "updated"),
        authors,
        summary: doc
            .text(map, &[], "summary")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        tags: doc.names(map, &[], "tags"),
        agencies: doc.texts(map, &[], "agencies"),
        photos: read_photos(doc, map),
        source: read_source(doc, map),
        location: doc.text(map, &[], "location"),
        slug,
        aliases: read_aliases(doc, map),
        draft: doc.boolean(map, &[], "draft").unwrap_or(false),
        extra: extra(map),
    };
    doc.diagnostics.is_empty().then_some(matter)
}

fn read_photos(doc: &mut YamlDoc, map: &Mapping) -> Vec<PhotoMatter> {
    let items = match map.get("photos") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(_) => {
            doc.report(&[key("photos")], "`photos` must be a list", "write each photo as a list item:\nphotos:\n  - src: \"anh.jpg\"\n    caption: \"…\"\n    credit: \"…\"");
            return Vec::new();
        }
    };
    let mut photos = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let path = vec![key("photos"), Seg::Index(index)];
        let photo = match item {
            Value::Mapping(photo) => photo,
            Value::String(src) => {
                let (line, column) = doc.position(&path);
                photos.push(PhotoMatter {
                    src: src.clone(),
                    caption: None,
                    credit: None,
                    alt: None,
                    line,
                    column,
                });
                continue;
            }
            _ => {
                doc.report(
                    &path,
                    format!("photo {} is not a `src:` / `caption:` group", index + 1),
                    "write - src: \"anh.jpg\" with caption: and credit: below it",
                );
                continue;
            }
        };
        doc.check_keys(photo, &path, PHOTO_KEYS, "in a photo");
        let Some(src) = doc.text(photo, &path, "src") else {
            doc.report(
                &path,
                format!("photo {} has no `src`", index + 1),
                "add src: \"ten-anh.jpg\" (the file beside the article)",
            );
            continue;
        };
        let (line, column) = doc.position(&join(&path, "src"));
        let caption = doc
            .text(photo, &path, "caption")
            .filter(|c| !c.trim().is_empty());
        let credit = doc
            .text(photo, &path, "credit")
            .and_then(|c| crate::vi::credit_of(&c))
            .filter(|c| !c.is_empty());
        // A caption copied as the paper printed it, credit and all, when `credit:` is not given.
        let (caption, credit) = match (caption, credit) {
            (Some(caption), None) => {
                let (caption, credit) = crate::vi::split_credit(&caption);
                ((!caption.is_empty()).then_some(caption), credit)
            }
            given => given,
        };
        photos.push(PhotoMatter {
            src,
            caption,
            credit,
            alt: doc
                .text(photo, &path, "alt")
                .filter(|c| !c.trim().is_empty()),
            line,
            column,
        });
    }
    photos
}

fn read_source(doc: &mut YamlDoc, map: &Mapping) -> Option<SourceMatter> {
    match map.get("source")? {
        Value::Mapping(source) => {
            let path = [key("source")];
            doc.check_keys(source, &path, SOURCE_KEYS, "in `source`");
            let name = doc.text(source, &path, "name");
            if name.is_none() {
                doc.report(
                    &path,
                    "`source` has no `name`",
                    "write source: { name: \"Báo SGGP\", url: \"https://…\" }",
                );
            }
            let url = doc.text(source, &path, "url");
            if let Some(url) = url.as_deref().filter(|u| !is_web_address(u)) {
                doc.report(
                    &join(&path, "url"),
                    format!("`{url}` is not a web address"),
                    "write the full address, starting with https://",
                );
            }
            Some(SourceMatter {
                name: name?,
                url,
                date: doc.date(source, &path, "date"),
            })
        }
        other => match crate::yaml::scalar_text(other) {
            Some(name) => Some(SourceMatter {
                name,
                url: None,
                date: None,
            }),
            None => {
                doc.report(
                    &[key("source")],
                    "`source` must be a name or a { name, url, date } group",
                    "write source: \"Báo SGGP\"",
                );
                None
            }
        },
    }
}

fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn read_aliases(doc: &mut YamlDoc, map: &Mapping) -> Vec<Alias> {
    let paths = doc.names(map, &[], "aliases");
    let mut aliases = Vec::with_capacity(paths.len());
    for (n, mut path) in paths.into_iter().enumerate() {
        let escapes = path.split(['/', '\\']).any(|part| part == "..");
        if !path.starts_with('/') || path.starts_with("//") || escapes {
            doc.report(
                &[key("aliases"), Seg::Index(n)],
                format!("alias `{path}` must be a path inside the site starting with `/`"),
                "write the old address without the domain, e.g. \"/tin-tuc/bai-cu.html\"",
            );
        }
        // Servers read `/tin-cu//bai.html` as `/tin-cu/bai.html`, and so does the file system
        // when the redirect is written: one spelling, so clashes with other files are seen.
        path = super::photos::single_slashes(&path);
        // `/tin-cu/bai` is a folder page, like `/tin-cu/bai/`; `/tin-cu/bai.html` a file.
        let last = path.rsplit('/').next().unwrap_or("");
        if !last.is_empty() && !last.contains('.') {
            path.push('/');
        }
        let (line, column) = doc.position(&[key("aliases"), Seg::Index(n)]);
        aliases.push(Alias { path, line, column });
    }
    aliases
}

fn extra(map: &Mapping) -> serde_json::Value {
    map.get("extra")
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// Reads an `_index.md`'s fields; problems go to `doc.diagnostics`.
pub fn read_section(doc: &mut YamlDoc, map: &Mapping) -> SectionMatter {
    doc.check_keys(map, &[], SECTION_KEYS, "in a section's _index.md");
    let page_size = doc.number(map, &[], "page_size");
    if page_size.is_some_and(|n| !(1..=1000).contains(&n)) {
        doc.report(
            &[key("page_size")],
            "`page_size` must be between 1 and 1000",
            "write e.g. page_size: 10",
        );
    }
    let sort_by = doc.text(map, &[], "sort_by");
    if sort_by
        .as_deref()
        .is_some_and(|s| s != "date" && s != "title")
    {
        doc.report(
            &[key("sort_by")],
            "`sort_by` must be `date` or `title`",
            "write sort_by: date (newest first) or sort_by: title",
        );
    }
    SectionMatter {
        title: doc.text(map, &[], "title"),
        description: doc.text(map, &[], "description"),
        weight: doc.number(map, &[], "weight").unwrap_or(0),
        page_size: page_size.map(|n| n.clamp(1, 1000) as usize),
        sort_by_title: sort_by.as_deref() == Some("title"),
        extra: extra(map),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let text = "---\ntitle: \"A\"\ndate: 2024-04-10\n---\nBody\n";
        let split = split(text).unwrap().unwrap();
        assert_eq!(split.yaml, "title: \"A\"\ndate: 2024-04-10\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = "\u{feff}---\r\ntitle: \"A\"\r\n---\r\nBody";
        let split = split(text).unwrap().unwrap();
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\n").is_err());
        assert!(split("No front matter\n").unwrap().is_none());
    }

    #[test]
    fn several_people_under_author_are_the_authors() {
        let (matter, errors) =
            article("title: \"A\"\ndate: 2024-04-10\nauthor: [\"Thái Phương\", \"Minh Khôi\"]\n");
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(matter.unwrap().authors, ["Thái Phương", "Minh Khôi"]);
        let (_, errors) = article(
            "title: \"A\"\ndate: 2024-04-10\nauthors: [\"B\"]\nauthor: [\"Thái Phương\"]\n",
        );
        assert!(
            errors[0].message.contains("both `author` and `authors`"),
            "{errors:#?}"
        );
    }

    #[test]
    fn a_photo_key_typo_is_not_sent_to_extra() {
        let (_, errors) = article(
            "title: \"A\"\ndate: 2024-04-10\nphotos:\n  - src: a.jpg\n    captoin: \"B\"\n",
        );
        let help = errors[0].help.as_deref().unwrap_or_default();
        assert_eq!(help, "did you mean `caption`?", "{errors:#?}");
        let (_, errors) = article("title: \"A\"\ndate: 2024-04-10\nautors: [\"B\"]\n");
        let help = errors[0].help.as_deref().unwrap_or_default();
        assert!(
            help.contains("`authors`") && help.contains("`extra:`"),
            "{help}"
        );
    }

    fn article(yaml: &str) -> (Option<ArticleMatter>, Vec<Diagnostic>) {
        let file = format!("---\n{yaml}---\n");
        let (mut doc, map) = YamlDoc::parse(Path::new("a.md"), &file, yaml, 2);
        let matter = map.and_then(|m| read_article(&mut doc, &m));
        (matter, doc.diagnostics)
    }

    #[test]
    fn reads_every_field() {
        let (matter, errors) = article("title: \"Ký kết\"\ndate: \"2024-04-10 09:30\"\nauthor: \"Thái Phương\"\ntags: [\"dân vận\"]\nphotos:\n  - src: \"a.jpg\"\n    credit: \"Việt Dũng\"\nsource: { name: \"SGGP\", url: \"https://sggp.org.vn\" }\nextra: { anything: 1 }\n");
        assert!(errors.is_empty(), "{errors:#?}");
        let matter = matter.unwrap();
        assert_eq!(matter.authors, ["Thái Phương"]);
        assert_eq!(matter.photos[0].line, 7);
        assert_eq!(matter.source.unwrap().name, "SGGP");
        assert_eq!(matter.date.rfc3339(), "2024-04-10T09:30:00+07:00");
    }

    #[test]
    fn a_line_of_text_among_the_keys_is_told_as_text() {
        let (_, errors) =
            article("title: \"Tin\"\ndate: 2024-04-10\n\nHà Nội: hôm nay khai mạc.\n");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].line, 5);
        let help = errors[0].help.as_deref().unwrap();
        assert!(help.contains("close the front matter"), "{help}");
    }

    #[test]
    fn a_caption_copied_with_its_credit_is_split_unless_credit_is_given() {
        let (matter, errors) = article("title: \"Tin\"\ndate: 2024-04-10\nphotos:\n  - src: \"a.jpg\"\n    caption: \"Đại diện hai đơn vị ký kết - Ảnh: VIỆT DŨNG\"\n  - src: \"b.jpg\"\n    caption: \"Lễ ký kết - Ảnh: VIỆT DŨNG\"\n    credit: \"TTXVN\"\n  - src: \"c.jpg\"\n    caption: \"Ảnh: MINH KHÔI\"\n");
        assert!(errors.is_empty(), "{errors:#?}");
        let photos: Vec<(Option<String>, Option<String>)> = matter
            .unwrap()
            .photos
            .into_iter()
            .map(|p| (p.caption, p.credit))
            .collect();
        let some = |text: &str| Some(text.to_string());
        assert_eq!(
            photos,
            [
                (some("Đại diện hai đơn vị ký kết"), some("VIỆT DŨNG")),
                (some("Lễ ký kết - Ảnh: VIỆT DŨNG"), some("TTXVN")),
                (None, some("MINH KHÔI")),
            ]
        );
    }

    #[test]
    fn credits_lose_the_label_themes_print() {
        let (matter, errors) = article("title: \"Tin\"\ndate: 2024-04-10\nphotos:\n  - src: \"a.jpg\"\n    credit: \"ẢNH:  Việt Dũng\"\n  - src: \"b.jpg\"\n    credit: \"Ảnh:\"\n  - src: \"c.jpg\"\n    credit: \"Ảnh Việt Dũng\"\n");
        assert!(errors.is_empty(), "{errors:#?}");
        let credits: Vec<Option<String>> = matter
            .unwrap()
            .photos
            .into_iter()
            .map(|p| p.credit)
            .collect();
        assert_eq!(
            credits,
            [
                Some("Việt Dũng".to_string()),
                None,
                Some("Ảnh Việt Dũng".to_string())
            ]
        );
    }

    #[test]
    fn lists_written_as_one_text_with_commas_are_refused() {
        let (_, errors) = article(
            "title: \"Tin\"\ndate: 2024-04-10\ntags: dân vận, Dân vận khéo\nauthor: \"Minh Khôi, Thái Phương\"\nagencies: \"Bộ Văn hóa, Thể thao và Du lịch\"\naliases: \"/a.html, /b.html\"\n",
        );
        let mut found: Vec<(usize, &str, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str(), e.help.as_deref().unwrap_or("")))
            .collect();
        found.sort();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].0, 4);
        assert!(found[0].2.contains("tags: [\"dân vận\", \"Dân vận khéo\"]"));
        assert_eq!(found[1].0, 5);
        assert!(found[1]
            .2
            .contains("authors: [\"Minh Khôi\", \"Thái Phương\"]"));
        assert_eq!(found[2].0, 7);
        // An agency's name may hold a comma: one text is one agency.
        let (matter, errors) = article(
            "title: \"Tin\"\ndate: 2024-04-10\nagencies: \"Bộ Văn hóa, Thể thao và Du lịch\"\ntags: [\"Văn hóa, Thể thao\"]\n",
        );
        assert!(errors.is_empty(), "{errors:#?}");
        let matter = matter.unwrap();
        assert_eq!(matter.agencies, ["Bộ Văn hóa, Thể thao và Du lịch"]);
        assert_eq!(matter.tags, ["Văn hóa, Thể thao"]);
    }

    #[test]
    fn collects_every_problem_with_its_line() {
        let (matter, errors) =
            article("title: \"\"\nautors: [\"A\"]\ndate: \"10/4/2024\"\ndraft: \"no\"\n");
        assert!(matter.is_none());
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(errors
            .iter()
            .any(|e| e.line == 3 && e.help.as_deref().unwrap_or("").contains("`authors`")));
        assert!(errors
            .iter()
            .any(|e| e.line == 4 && e.message.contains("not a date")));
        assert!(errors
            .iter()
            .any(|e| e.line == 5 && e.message.contains("true or false")));
        assert!(errors
            .iter()
            .any(|e| e.line == 2 && e.message.contains("empty")));
    }
}
