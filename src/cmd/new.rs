//! `bantin new`: a new article file with its front matter filled in, as a draft, never over
//! an existing one (`bantin import` writes its articles the same way).

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{load_sections, SiteDirs};
use crate::vi::{slugify, VnDate};
use std::path::{Path, PathBuf};

pub struct NewOptions {
    pub root: PathBuf,
    pub title: String,
    /// Section folder under `content/` (`thoi-su`, `thoi-su/trong-nuoc`); default: the first
    /// section of the menu.
    pub section: Option<String>,
    pub author: Option<String>,
    pub bundle: bool,
    pub now: VnDate,
}

/// What a new article holds beyond its title and date: nothing for `new`, the parts of a
/// published text for `import`.
#[derive(Debug, Default, PartialEq)]
pub struct Contents {
    pub summary: String,
    /// From the text's sign-off; none: `--author`, else bantin.yaml's `default_author`.
    pub authors: Vec<String>,
    pub photos: Vec<NewPhoto>,
    /// Markdown.
    pub body: String,
}

/// A photo of the front matter, its file still to be put beside the article.
#[derive(Debug, PartialEq)]
pub struct NewPhoto {
    pub src: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// Problems of bantin.yaml, or of the text to import.
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n\n"))]
    Problems(Vec<Diagnostic>),
    #[error("{0}")]
    Refused(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// How long the slug of a new article's file may be, in bytes.
const NEW_SLUG_BYTES: usize = 100;

/// Writes the article and returns its path (relative to the root).
pub fn new_article(options: &NewOptions) -> Result<PathBuf, NewError> {
    write_article(options, &Contents::default())
}

/// Writes an article holding `contents`, as a draft; returns its path (relative to the root).
pub fn write_article(options: &NewOptions, contents: &Contents) -> Result<PathBuf, NewError> {
    let config = Config::load(&options.root).map_err(NewError::Problems)?;
    let title = crate::vi::clean(options.title.trim().to_string());
    let slug = slugify(&title)
        .map_err(|e| NewError::Refused(format!("{e}: give the article a title with letters")))?;
    // A file named after a long headline's first words: its URL need not hold them all.
    let slug = crate::vi::shorten(&slug, NEW_SLUG_BYTES).to_string();
    let known = sections(&options.root, &config.theme);
    let section = match &options.section {
        Some(section) => section.trim_matches('/').to_string(),
        None => known.first().cloned().unwrap_or_default(),
    };
    let section_dir = options.root.join("content").join(&section);
    if !section.is_empty() && !known.contains(&section) {
        return Err(NewError::Refused(format!(
            "there is no section `{section}` (a folder of content/ with an _index.md); sections: {}",
            if known.is_empty() { "none yet".to_string() } else { known.join(", ") }
        )));
    }
    let folder = section_dir
        .join(format!("{:04}", options.now.year()))
        .join(format!("{:02}", options.now.month()));
    let file = if options.bundle {
        folder.join(&slug).join("index.md")
    } else {
        folder.join(format!("{slug}.md"))
    };
    let shown = file
        .strip_prefix(&options.root)
        .unwrap_or(&file)
        .to_path_buf();
    if file.exists()
        || (options.bundle && folder.join(format!("{slug}.md")).exists())
        || (!options.bundle && folder.join(&slug).join("index.md").exists())
    {
        return Err(NewError::Refused(format!(
            "{} already exists: bantin never overwrites an article; choose another title",
            shown.display()
        )));
    }
    if let Some(owner) = url_owner(&config, &options.root, &section, options.now, &slug) {
        return Err(NewError::Refused(format!(
            "{} already has the URL this article would get: choose another title",
            owner.display()
        )));
    }
    // A blank name (`--author ""`) is no author: `authors: [""]` would not build.
    let author = [&options.author, &config.default_author]
        .into_iter()
        .flatten()
        .map(|name| name.trim())
        .find(|name| !name.is_empty());
    let authors: Vec<&str> = match contents.authors.is_empty() {
        true => author.into_iter().collect(),
        false => contents.authors.iter().map(String::as_str).collect(),
    };
    let io = |source| NewError::Io {
        path: shown.display().to_string(),
        source,
    };
    std::fs::create_dir_all(file.parent().unwrap_or(Path::new("."))).map_err(io)?;
    let text = article_text(&title, options.now, &authors, contents);
    // `create_new` refuses to replace a file that appeared since the check above.
    let mut handle = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .map_err(io)?;
    std::io::Write::write_all(&mut handle, text.as_bytes()).map_err(io)?;
    Ok(shown)
}

/// The article (drafts too) whose URL or alias the new article would take: with a permalink
/// that has no date (`/:section/:slug/`), the same title in another month makes the same URL.
fn url_owner(
    config: &Config,
    root: &Path,
    section: &str,
    now: VnDate,
    slug: &str,
) -> Option<PathBuf> {
    let dirs = SiteDirs::new(root, &config.theme);
    let (loaded, _) = crate::load::load(&dirs, true, None);
    let (site, _) = crate::assemble::assemble(config.clone(), loaded);
    let section_key = site
        .sections
        .iter()
        .find(|s| crate::load::photos::slash(&s.dir) == section)
        .map_or("", |s| s.key.as_str());
    let path = crate::assemble::permalink(&config.permalink, section_key, now, slug);
    let wanted = crate::assemble::output_file(&path);
    site.articles
        .iter()
        .find(|article| {
            let matter = &article.source.matter;
            std::iter::once(&article.path)
                .chain(matter.aliases.iter().map(|alias| &alias.path))
                .any(|taken| crate::assemble::output_file(taken) == wanted)
        })
        .map(|article| article.source.file.display.clone())
}

/// The article's file: front matter, a draft's, then the body.
fn article_text(title: &str, now: VnDate, authors: &[&str], contents: &Contents) -> String {
    // JSON strings are valid YAML double-quoted strings, with every character escaped right.
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
    let authors: Vec<String> = authors.iter().map(|a| quote(a)).collect();
    let mut photos = String::new();
    for photo in &contents.photos {
        photos.push_str(&format!("\n  - src: {}", quote(&photo.src)));
        for (key, value) in [("caption", &photo.caption), ("credit", &photo.credit)] {
            if let Some(value) = value {
                photos.push_str(&format!("\n    {key}: {}", quote(value)));
            }
        }
    }
    if photos.is_empty() {
        photos.push_str(" []");
    }
    format!(
        "---\ntitle: {}\ndate: {}\nauthors: [{}]\nsummary: {}\ntags: []\nagencies: []\nphotos:{photos}\ndraft: true\n---\n\n{}",
        quote(title),
        now.rfc3339(),
        authors.join(", "),
        quote(&contents.summary),
        contents.body
    )
}

/// Section folders (with `_index.md`) relative to `content/`, the top-level ones first in menu
/// order (weight, then Vietnamese order of titles).
fn sections(root: &Path, theme: &str) -> Vec<String> {
    let mut found: Vec<(bool, i64, crate::vi::CollationKey, String)> =
        load_sections(&SiteDirs::new(root, theme))
            .into_iter()
            .filter(|s| !s.dir.as_os_str().is_empty())
            .map(|s| {
                let dir = crate::load::photos::slash(&s.dir);
                let title = s.matter.title.clone().unwrap_or_else(|| dir.clone());
                (
                    dir.contains('/'),
                    s.matter.weight,
                    crate::vi::collation_key(&title),
                    dir,
                )
            })
            .collect();
    found.sort();
    found.into_iter().map(|(_, _, _, dir)| dir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_quotes_titles_safely() {
        let now = crate::vi::parse_date("2024-04-10 09:30").unwrap();
        let text = article_text(
            "Hội nghị \"Dân vận khéo\": kết quả",
            now,
            &["Thái Phương"],
            &Contents::default(),
        );
        assert!(text.contains("title: \"Hội nghị \\\"Dân vận khéo\\\": kết quả\"\n"));
        assert!(text.contains("date: 2024-04-10T09:30:00+07:00\n"));
        assert!(text.contains("authors: [\"Thái Phương\"]\n"));
        // Not published until an editor says so.
        assert!(text.contains("\ndraft: true\n"));
        let yaml = text
            .trim_start_matches("---\n")
            .split("---\n")
            .next()
            .unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(
            value["title"].as_str(),
            Some("Hội nghị \"Dân vận khéo\": kết quả")
        );
    }
}
