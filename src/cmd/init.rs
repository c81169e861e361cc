//! `bantin init DIR`: a new site skeleton (settings, one section, one article, the default
//! theme) that builds at once.

use crate::vi::VnDate;
use std::path::{Path, PathBuf};

/// The default theme, built into the binary so `init` works anywhere.
macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)) as &[u8])),*]
    };
}

pub const DEFAULT_THEME: &[(&str, &[u8])] = theme_files![
    "static/favicon.svg",
    "static/style.css",
    "static/tim-kiem/engine.js",
    "static/tim-kiem/ui.js",
    "templates/404.html",
    "templates/archive.html",
    "templates/archive_month.html",
    "templates/archive_year.html",
    "templates/article.html",
    "templates/base.html",
    "templates/index.html",
    "templates/partials/article_item.html",
    "templates/partials/article_list.html",
    "templates/partials/breadcrumbs.html",
    "templates/partials/figure.html",
    "templates/partials/latest.html",
    "templates/partials/listing.html",
    "templates/partials/pagination.html",
    "templates/partials/period_nav.html",
    "templates/partials/title_list.html",
    "templates/search.html",
    "templates/section.html",
    "templates/term.html",
    "templates/terms.html",
];

/// What a build writes beside the sources: the site, its staging folder while building, the
/// manifest of what it wrote and the thumbnails it keeps. None of it belongs in the editors'
/// repository.
const GITIGNORE: &str = "/public/\n/.public.staging-*\n/.public.manifest\n/.bantin-cache/\n";

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} is not empty: bantin init only writes into a new or empty folder")]
    NotEmpty(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Writes the skeleton into `dir`, which must be new or empty. Returns the files written.
pub fn init(dir: &Path, now: VnDate) -> Result<Vec<PathBuf>, InitError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() && std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(InitError::NotEmpty(dir.display().to_string()));
    }
    let article = format!(
        "content/thoi-su/{:04}/{:02}/chao-mung.md",
        now.year(),
        now.month()
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("bantin.yaml".to_string(), CONFIG.as_bytes().to_vec()),
        ("content/_index.md".to_string(), HOME.as_bytes().to_vec()),
        (
            "content/thoi-su/_index.md".to_string(),
            SECTION.as_bytes().to_vec(),
        ),
        (article, first_article(now).into_bytes()),
        ("static/.gitkeep".to_string(), Vec::new()),
        (".gitignore".to_string(), GITIGNORE.as_bytes().to_vec()),
    ];
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| (format!("themes/default/{path}"), bytes.to_vec())),
    );
    let mut written = Vec::with_capacity(files.len());
    for (relative, bytes) in files {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
        written.push(PathBuf::from(relative));
    }
    Ok(written)
}

const CONFIG: &str = r#"# Settings of the site. `title` and `base_url` are required; every key is explained in bantin's README.
title: "Bản tin"
description: "Tin tức, hoạt động của cơ quan."
# The address the site is published at; every link is made absolute under it.
base_url: "https://example.gov.vn/"
# An optional strip of text atop every page.
banner: ""
# Article addresses; placeholders :section, :year, :month, :day, :slug.
permalink: "/:section/:year/:month/:slug/"
# Articles per list page.
page_size: 10
# The footer of every page.
publisher:
  agency: "Tên cơ quan chủ quản"
  responsible: "Người chịu trách nhiệm nội dung"
  address: "Địa chỉ"
  phone: "Điện thoại"
  email: "email@example.gov.vn"
# Written as author by `bantin new` when --author is not given.
default_author: "Ban Biên tập"
"#;

const HOME: &str =
    "---\ntitle: \"Trang chủ\"\ndescription: \"Tin tức, hoạt động của cơ quan.\"\n---\n";

const SECTION: &str =
    "---\ntitle: \"Thời sự\"\ndescription: \"Tin thời sự trong ngày.\"\nweight: 1\n---\n";

fn first_article(now: VnDate) -> String {
    format!(
        "---\ntitle: \"Chào mừng đến với bản tin\"\ndate: {}\nauthors: [\"Ban Biên tập\"]\nsummary: \"Trang tin điện tử của cơ quan chính thức đi vào hoạt động.\"\ntags: [\"thông báo\"]\n---\n\nĐây là bài viết đầu tiên. Mỗi bài viết là một tệp Markdown trong thư mục `content/`; lệnh `bantin new \"Tiêu đề\"` tạo bài mới.\n",
        now.rfc3339()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_file_is_built_in() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&theme)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::load::photos::slash(e.path().strip_prefix(&theme).unwrap()))
            .collect();
        on_disk.sort();
        let built_in: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            built_in, on_disk,
            "list every file of themes/default in DEFAULT_THEME"
        );
    }
}
