//! `bantin check`: every validation of a build, template errors included, without writing
//! anything, plus editorial checks: photos without alt text or of unreadable size, articles
//! outside any section or without text, long summaries, future dates, updates dated before
//! the article, repeated titles, empty sections, sign-offs naming someone not in `authors:`,
//! a publisher logo that is missing.

use super::build::{prepare, BuildOptions, Prepared};
use crate::assemble::{Article, Site};
use crate::diagnostics::{count, sort, Diagnostic, Severity};
use crate::load::photos::HEAVY_PHOTO_HELP;
use crate::load::{key_position, LoadedArticle};
use crate::render::{Bodies, Renderer};
use crate::vi::{compare_key, VnDate};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Every problem found, errors and warnings, sorted by file and line.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    pub errors: usize,
    pub warnings: usize,
    pub problems: Vec<Diagnostic>,
}

/// Checks the site as a build would, at the moment `now`.
pub fn check(options: &BuildOptions, now: VnDate) -> CheckReport {
    let options = BuildOptions {
        now: options.now.or(Some(now)),
        ..options.clone()
    };
    let mut problems = match prepare(&options) {
        Err(errors) => errors,
        Ok(Prepared {
            dirs,
            site,
            bodies,
            tera,
            warnings: mut problems,
            ..
        }) => {
            problems.extend(editorial_warnings(&site, &bodies));
            problems.extend(sign_off_warnings(&site, &bodies));
            problems.extend(missing_logo(&site, &dirs));
            let renderer = Renderer::new(&site, tera, bodies, now);
            let jobs = renderer.jobs();
            problems.extend(renderer.alias_clashes(&jobs));
            problems.extend_from_slice(renderer.template_problems());
            let template_errors: Vec<Diagnostic> = jobs
                .par_iter()
                .filter_map(|job| renderer.render(job).err())
                .collect();
            problems.extend(crate::render::merge_repeated(template_errors));
            problems
        }
    };
    sort(&mut problems);
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    CheckReport {
        errors,
        warnings: problems.len() - errors,
        problems,
    }
}

fn editorial_warnings(site: &Site, bodies: &Bodies) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (index, article) in site.articles.iter().enumerate() {
        warnings.extend(photo_warnings(
            &article.source.file.display,
            &article.source.photos,
            bodies.front_matter_shown(index),
        ));
        warnings.extend(article_warnings(site, article));
    }
    for article in &site.scheduled {
        warnings.extend(photo_warnings(&article.file.display, &article.photos, &[]));
        warnings.extend(text_warnings(site, article));
        warnings.push(scheduled_warning(article));
    }
    warnings.extend(repeated_titles(site));
    warnings.extend(empty_sections(site));
    warnings
}

/// Photos without credit, alt text or caption, whose size cannot be read, or heavy ones. A
/// photo the text shows (`in_text`: indexes of `photos`) is shown there only, with the credit
/// the text gives it: the text's figure is checked for one.
fn photo_warnings(
    file: &Path,
    photos: &[crate::load::LoadedPhoto],
    in_text: &[usize],
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (index, photo) in photos.iter().enumerate() {
        let at = (photo.matter.line, photo.matter.column);
        if photo.matter.credit.is_none() && !in_text.contains(&index) {
            warnings.push(
                Diagnostic::warning(
                    file,
                    at.0,
                    at.1,
                    format!("photo `{}` has no credit", photo.matter.src),
                )
                .with_help("add credit: \"Tên tác giả ảnh\" below its src"),
            );
        }
        let is_file = !matches!(photo.found.source, crate::load::PhotoSource::External(_));
        if is_file && photo.found.size.is_none() {
            warnings.push(
                Diagnostic::warning(
                    file,
                    at.0,
                    at.1,
                    format!(
                        "`{}` does not look like a photo: bantin cannot read its size",
                        photo.matter.src
                    ),
                )
                .with_help(
                    "give a JPEG, PNG, WebP, GIF or AVIF file; readers would see a broken image",
                ),
            );
        }
        if let Some(heavy) = photo.found.heaviness() {
            let message = format!("photo `{}` is {heavy}", photo.matter.src);
            warnings
                .push(Diagnostic::warning(file, at.0, at.1, message).with_help(HEAVY_PHOTO_HELP));
        }
        if photo.matter.alt.is_none() && photo.matter.caption.is_none() {
            warnings.push(Diagnostic::warning(file, at.0, at.1, format!("photo `{}` has no alt text or caption", photo.matter.src)).with_help("add caption: \"…\" (or alt: \"…\") so that readers who cannot see it know what it shows"));
        }
    }
    warnings
}

/// An article outside any section, and the warnings of its file (`text_warnings`).
fn article_warnings(site: &Site, article: &Article) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let file = &article.source.file.display;
    if let Some(folder) = folder_without_section(site, article) {
        warnings.push(
            Diagnostic::warning(file, 1, 1, format!("the article is in content/{folder}/, which has no _index.md: it belongs to no section, and its URL is {}", article.path))
                .with_help(format!("add content/{folder}/_index.md with a title: line to make {folder} a section, or move the article into a section's folder")),
        );
    }
    warnings.extend(text_warnings(site, &article.source));
    warnings
}

/// The warnings of an article's own file, published or scheduled: no text, a long summary, a
/// title or summary in curly quotes, an update dated before the article.
fn text_warnings(site: &Site, source: &LoadedArticle) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let max_summary = site.config.summary_max_chars;
    let file = &source.file.display;
    let matter = &source.matter;
    let no_text = source.body_text().is_ok_and(|text| text.trim().is_empty());
    if no_text && !matter.draft {
        warnings.push(
            Diagnostic::warning(file, source.body_line, 1, "the article has no text")
                .with_help("write it below the front matter's closing ---, or mark it `draft: true` until it is written"),
        );
    }
    if let Some(summary) = &matter.summary {
        let length = summary.chars().count();
        if length > max_summary {
            let (line, column) = key_position(&source.file.path, &["summary"]);
            warnings.push(Diagnostic::warning(file, line, column, format!("the summary has {length} characters, more than {max_summary}")).with_help("keep the sapo to one or two sentences (summary_max_chars in bantin.yaml sets the limit)"));
        }
    }
    let quoted = [
        ("title", Some(&matter.title)),
        ("summary", matter.summary.as_ref()),
    ];
    for (key, text) in quoted {
        if text.is_some_and(|text| in_curly_quotes(text)) {
            let (line, column) = key_position(&source.file.path, &[key]);
            warnings.push(
                Diagnostic::warning(
                    file,
                    line,
                    column,
                    format!("the {key} is between curly quotes, which readers will see"),
                )
                .with_help(format!(
                    "put it between straight double quotes, which YAML takes away: {key}: \"…\""
                )),
            );
        }
    }
    if matter.updated.is_some_and(|updated| updated < matter.date) {
        let (line, column) = key_position(&source.file.path, &["updated"]);
        warnings.push(
            Diagnostic::warning(
                file,
                line,
                column,
                "the article is updated before it was published",
            )
            .with_help("check `updated:`: it is the date of the last change, after `date:`"),
        );
    }
    warnings
}

/// An article dated after now, which builds leave out until then: said in case the date is a
/// typo (`2052` for `2025`).
fn scheduled_warning(article: &LoadedArticle) -> Diagnostic {
    let (line, column) = key_position(&article.file.path, &["date"]);
    let message = format!(
        "the date {} is in the future: builds leave the article out until then",
        article.matter.date.as_written()
    );
    Diagnostic::warning(&article.file.display, line, column, message).with_help(
        "if the date is a typo, fix it; otherwise the first build after that moment publishes the article (bantin build --future publishes it now)",
    )
}

/// Whether `text` is wholly between one pair of curly quotes (`“Tiêu đề”`), as a word
/// processor types the straight quotes that YAML would have taken away.
fn in_curly_quotes(text: &str) -> bool {
    let text = text.trim();
    [('“', '”'), ('‘', '’')].iter().any(|&(open, close)| {
        text.starts_with(open)
            && text.ends_with(close)
            && text.matches(open).count() == 1
            && text.matches(close).count() == 1
    })
}

/// Articles with the same title, each told of the others.
fn repeated_titles(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, article) in site.articles.iter().enumerate() {
        by_title
            .entry(compare_key(&article.source.matter.title))
            .or_default()
            .push(index);
    }
    for same in by_title.values().filter(|v| v.len() > 1) {
        for &index in same {
            let others: Vec<String> = same
                .iter()
                .filter(|&&o| o != index)
                .map(|&o| site.articles[o].source.file.display.display().to_string())
                .collect();
            let (line, column) = key_position(&site.articles[index].source.file.path, &["title"]);
            warnings.push(Diagnostic::warning(&site.articles[index].source.file.display, line, column, format!("the same title as {}", others.join(", "))).with_help("readers and search engines tell articles apart by their titles: add the date, place or event"));
        }
    }
    warnings
}

/// Sections without articles.
fn empty_sections(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for section in site
        .sections
        .iter()
        .filter(|s| s.parent.is_some() && s.articles.is_empty())
    {
        if let Some(file) = &section.file {
            warnings.push(
                Diagnostic::warning(
                    &file.display,
                    1,
                    1,
                    format!("the section `{}` has no articles", section.title),
                )
                .with_help("add articles to its folder, or remove the folder"),
            );
        }
    }
    warnings
}

/// Articles that end with a sign-off naming other people than their authors (`MINH KHÔI`
/// under `authors: ["Thái Phương"]`, or no authors at all): the author pages and the byline
/// would credit the wrong person, or nobody.
fn sign_off_warnings(site: &Site, bodies: &crate::render::Bodies) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (index, article) in site.articles.iter().enumerate() {
        let Some(sign_off) = bodies.other_sign_off(index) else {
            continue;
        };
        let source = &article.source;
        let authors = &source.matter.authors;
        let message = match authors.is_empty() {
            true => format!("the article is signed “{sign_off}”, but names no authors"),
            false => format!(
                "the article is signed “{sign_off}”, but its authors are {}",
                authors.join(", ")
            ),
        };
        let names: Vec<String> = crate::render::split_names(sign_off)
            .map(|name| format!("\"{}\"", crate::vi::title_case(name)))
            .collect();
        let help = format!(
            "write authors: [{}] if they wrote it, or correct the sign-off",
            names.join(", ")
        );
        let (line, column) = key_position(&source.file.path, &["authors", "author", "title"]);
        warnings
            .push(Diagnostic::warning(&source.file.display, line, column, message).with_help(help));
    }
    warnings
}

/// The logo named in bantin.yaml, when no static folder has it: every page would show a
/// broken image in its header.
fn missing_logo(site: &Site, dirs: &crate::load::SiteDirs) -> Option<Diagnostic> {
    let logo = site.config.logo.as_deref()?;
    if logo.contains("://") {
        return None;
    }
    let relative = logo.trim_start_matches('/');
    let found = [&dirs.statics, &dirs.theme_static, &dirs.content]
        .iter()
        .any(|folder| folder.join(relative).is_file());
    if found {
        return None;
    }
    let (line, column) = crate::config::Config::key_position(&dirs.root, "logo");
    let message =
        format!("the logo {logo} is not a file of the site (looked for static/{relative})");
    let help = "put the logo in static/, or fix `logo:`";
    let file = Path::new(crate::config::CONFIG_FILE);
    Some(Diagnostic::warning(file, line, column, message).with_help(help))
}

/// The top folder of an article of no section, when that folder looks like a section without
/// its `_index.md` (a site may keep articles of no section in year folders: `content/2024/`).
fn folder_without_section(site: &Site, article: &Article) -> Option<String> {
    if !site.sections[article.section].key.is_empty() {
        return None;
    }
    let top = article.source.dir.components().next()?;
    let top = top.as_os_str().to_string_lossy();
    let is_year = top.bytes().all(|b| b.is_ascii_digit());
    (!is_year).then(|| top.into_owned())
}

/// The report as text, like a build prints problems.
pub fn to_text(report: &CheckReport) -> String {
    let mut out: String = report.problems.iter().map(|p| format!("{p}\n\n")).collect();
    out.push_str(&format!(
        "{}, {}\n",
        count(report.errors, "error", "errors"),
        count(report.warnings, "warning", "warnings")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_quotes_around_the_whole_text_only() {
        assert!(in_curly_quotes("“Đổi mới để phát triển”"));
        assert!(in_curly_quotes(" ‘Sapo’ "));
        assert!(!in_curly_quotes("“Ngôi nhà chung” của đồng bào"));
        assert!(!in_curly_quotes("Phát động “Tết vì người nghèo”"));
        assert!(!in_curly_quotes("“Một” và “hai”"));
        assert!(!in_curly_quotes("Tiêu đề"));
    }
}
