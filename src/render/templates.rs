//! The theme's Tera templates and the filters bantin gives them.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::SiteDirs;
use crate::vi::{parse_date, slugify, DateFormats};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{Kwargs, State, Tera, TeraResult, Value};

/// Loads every template under `themes/<theme>/templates/`, then the site's own `templates/`
/// (a template there replaces the theme's of that name), named by their path there
/// (`article.html`, `partials/figure.html`), and registers the filters. Only `.html` and
/// `.xml` files are templates: an editor's swap and backup files (`.article.html.swp`,
/// `article.html~`), a `.DS_Store` or notes beside them are not.
pub fn load(dirs: &SiteDirs, config: &Config) -> Result<Tera, Vec<Diagnostic>> {
    let templates_dir = dirs.theme.join("templates");
    let display = |path: &Path| path.strip_prefix(&dirs.root).unwrap_or(path).to_path_buf();
    if !templates_dir.is_dir() {
        return Err(vec![missing_theme(dirs, config, &display(&templates_dir))]);
    }
    // By name, the site's files read last.
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for folder in [&templates_dir, &dirs.templates] {
        for (name, path) in template_files(folder) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(name, text);
                }
                Err(error) => diagnostics.push(Diagnostic::error(
                    &display(&path),
                    1,
                    1,
                    format!("cannot read the template: {error}"),
                )),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    register_filters(&mut tera, config);
    if let Err(error) =
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        // Tera stops at the first broken template: each is parsed alone to find them all.
        let syntax: Vec<tera::Error> = sources
            .iter()
            .filter_map(|(name, text)| Tera::new().add_raw_template(name, text).err())
            .filter(|e| matches!(e.kind(), tera::ErrorKind::SyntaxError(_)))
            .collect();
        let errors = if syntax.is_empty() {
            vec![error]
        } else {
            syntax
        };
        for error in errors {
            let (name, line, column) = match error_position(&error) {
                (None, ..) => {
                    let message = error.to_string();
                    position_in_report(&message)
                        .unwrap_or_else(|| named_in_message(&message, &sources))
                }
                (name, line, column) => (name, line, column),
            };
            let name = name.unwrap_or_default();
            let file = template_file(dirs, &name);
            let message = format!("template error:\n{}", report(&error));
            let mut problem = Diagnostic::error(&file, line, column, message);
            if let Some(help) = sources
                .get(&name)
                .and_then(|text| unclosed_help(text, line, column))
            {
                problem = problem.with_help(help);
            }
            diagnostics.push(problem);
        }
    }
    diagnostics.extend(item_html_without_partial(dirs, &sources));
    if diagnostics.is_empty() {
        Ok(tera)
    } else {
        Err(diagnostics)
    }
}

/// Each template printing `item.html` when there is no `ITEM_TEMPLATE` to make it, at its first
/// use: its lists would come out empty, since Tera prints an undefined value piped through
/// `safe` as nothing.
fn item_html_without_partial(
    dirs: &SiteDirs,
    sources: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    if sources.contains_key(super::ITEM_TEMPLATE) {
        return Vec::new();
    }
    let message = format!(
        "this template prints `item.html`, which bantin makes from {}, and the theme has no such template: every list would come out empty",
        super::ITEM_TEMPLATE
    );
    let help = format!("add templates/{} (copy it from the default theme), or print the item's own fields (`item.title`, `item.url`)", super::ITEM_TEMPLATE);
    let first_use = |text: &str| {
        text.match_indices("item.html")
            .map(|(at, _)| at)
            .find(|&at| {
                // Not the end of a name such as `partials/article_item.html`.
                !text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '/' | '.' | '-'))
            })
    };
    sources
        .iter()
        .filter_map(|(name, text)| {
            let (line, column) = crate::diagnostics::line_column(text, first_use(text)?);
            let file = template_file(dirs, name);
            Some(Diagnostic::error(&file, line, column, &message).with_help(&help))
        })
        .collect()
}

/// Whether the template `name` the site uses (its own, else its theme's) has another text than
/// `default`; a missing one does not.
pub fn differs(dirs: &SiteDirs, name: &str, default: &str) -> bool {
    let file = dirs.root.join(template_file(dirs, name));
    std::fs::read_to_string(file).is_ok_and(|text| text != default)
}

/// The file a template of this name comes from, relative to the site's folder: the site's own
/// `templates/` when it has one of that name, else the theme's.
pub fn template_file(dirs: &SiteDirs, name: &str) -> PathBuf {
    let own = dirs.templates.join(name);
    let file = match own.is_file() {
        true => own,
        false => dirs.theme.join("templates").join(name),
    };
    file.strip_prefix(&dirs.root)
        .map_or(file.clone(), Path::to_path_buf)
}

/// For a closing tag that closes something else (`{% endblock %}` while an `{% if %}` is
/// open), which Tera calls an unknown tag: the tag left open, and its line.
fn unclosed_help(text: &str, line: usize, column: usize) -> Option<String> {
    let source_line = text.lines().nth(line.checked_sub(1)?)?;
    let upto = source_line
        .char_indices()
        .nth(column + 1)
        .map_or(source_line.len(), |(at, _)| at);
    let tag_start = source_line[..upto].rfind("{%")?;
    let word = tag_name(&source_line[tag_start + 2..]);
    let (open, opened) = unclosed_before(text, line)?;
    (word.starts_with("end") && word != format!("end{open}")).then(|| {
        format!(
            "the {{% {open} %}} of line {opened} may lack its {{% end{open} %}} before this line"
        )
    })
}

/// The name of a tag from the text after its `{%`: `- endif %}` → `endif`.
fn tag_name(tag: &str) -> &str {
    tag.trim_start_matches(|c: char| c == '-' || c.is_whitespace())
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("")
}

/// The innermost block tag (`if`, `for`, `block` …) opened before `line` and not closed by
/// then, with its line: a missing `{% endif %}` makes Tera call the next closing tag unknown.
fn unclosed_before(text: &str, line: usize) -> Option<(String, usize)> {
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut at = 0;
    while let Some(start) = text[at..].find("{%").map(|s| at + s) {
        let Some(end) = text[start..].find("%}").map(|e| start + e) else {
            break;
        };
        let tag_line = text[..start].matches('\n').count() + 1;
        if tag_line >= line {
            break;
        }
        // Tags inside a comment do not count.
        let in_comment = text[..start].rfind("{#") > text[..start].rfind("#}");
        let word = tag_name(&text[start + 2..end]);
        match word {
            _ if in_comment => {}
            "if" | "for" | "block" | "filter" | "raw" | "component" => {
                open.push((word.to_string(), tag_line))
            }
            w if w.starts_with("end") => {
                open.pop();
            }
            _ => {}
        }
        at = end + 2;
    }
    open.pop()
}

/// The templates in `folder` (none when it does not exist), by name, skipping hidden files and
/// folders.
fn template_files(folder: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_template(e.path()))
        .map(|e| {
            let name =
                crate::load::photos::slash(e.path().strip_prefix(folder).unwrap_or(e.path()));
            (name, e.into_path())
        })
        .collect()
}

/// The error for a theme without templates, at `theme:` in bantin.yaml, naming the themes
/// the site has.
fn missing_theme(dirs: &SiteDirs, config: &Config, templates_dir: &Path) -> Diagnostic {
    let mut themes: Vec<String> = std::fs::read_dir(dirs.root.join("themes"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("templates").is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    themes.sort();
    let (line, column) = Config::key_position(&dirs.root, "theme");
    let message = format!(
        "there is no theme `{}`: {} does not exist",
        config.theme,
        templates_dir.display()
    );
    let help = match themes.as_slice() {
        [] => "the site has no theme: copy one into themes/ (`bantin init NEW_FOLDER` writes the default theme)".to_string(),
        _ => format!("themes of this site: {}; set `theme:` to one of them", themes.join(", ")),
    };
    Diagnostic::error(Path::new(crate::config::CONFIG_FILE), line, column, message).with_help(help)
}

fn is_template(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "html" || extension == "xml")
}

/// The first position a report in an error's text shows (` --> partials/item.html:8:65`):
/// Tera checks every template's filters, tests, functions and includes at once and gives
/// their reports as one message.
fn position_in_report(message: &str) -> Option<(Option<String>, usize, usize)> {
    let place = message
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((Some(parts.next()?.to_string()), line, column))
}

/// Where an error without a position points (`Template 'term.html' is inheriting from
/// 'nen.html', which doesn't exist`): the first template it names, at the line naming the
/// second.
fn named_in_message(
    message: &str,
    sources: &BTreeMap<String, String>,
) -> (Option<String>, usize, usize) {
    let quoted: Vec<&str> = message.split('\'').skip(1).step_by(2).collect();
    let Some((name, text)) = quoted.iter().find_map(|q| sources.get_key_value(*q)) else {
        return (None, 1, 1);
    };
    let line = quoted
        .iter()
        .filter(|q| *q != name)
        .find_map(|other| text.lines().position(|line| line.contains(*other)))
        .map_or(1, |at| at + 1);
    (Some(name.clone()), line, 1)
}

/// Tera's report of an error, without its own `error: ` (the problem is printed after one).
pub fn report(error: &tera::Error) -> String {
    let text = error.to_string();
    match text.strip_prefix("error: ") {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Where a Tera error points, when it points somewhere.
pub fn error_position(error: &tera::Error) -> (Option<String>, usize, usize) {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => (
            Some(report.filename().to_string()),
            report.span().start_line,
            report.span().start_col + 1,
        ),
        _ => (None, 1, 1),
    }
}

fn register_filters(tera: &mut Tera, config: &Config) {
    // Tera's own `safe` prints nothing for a field that is not there (`page.contnet | safe`),
    // where the same field without the filter is an error: this one is an error too.
    tera.register_filter(
        "safe",
        |value: &Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            match value.as_str() {
                Some(text) => Ok(Value::safe_string(text)),
                None if value.is_undefined() => Err(tera::Error::message(
                    "`safe` was given a value that is not defined: is the field's name misspelled?",
                )),
                None => Ok(Value::safe_string(&value.to_string())),
            }
        },
    );
    let formats: DateFormats = config.date_formats.clone();
    tera.register_filter(
        "vi_date",
        move |date: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            only_arguments("vi_date", &kwargs, &["style"])?;
            let style: Option<&str> = kwargs.get("style")?;
            let pattern = match style.unwrap_or("full") {
                "full" => &formats.full,
                "short" => &formats.short,
                "text" => &formats.text,
                other => {
                    return Err(tera::Error::message(format!(
                        "vi_date: unknown style `{other}`; use full, short or text"
                    )))
                }
            };
            Ok(date_arg(date)?.format(pattern))
        },
    );
    tera.register_filter(
        "iso_date",
        |date: &str, _: Kwargs, _: &State| -> TeraResult<String> { Ok(date_arg(date)?.rfc3339()) },
    );
    tera.register_filter(
        "rfc822_date",
        |date: &str, _: Kwargs, _: &State| -> TeraResult<String> { Ok(date_arg(date)?.rfc822()) },
    );
    tera.register_filter(
        "slugify",
        |text: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            slugify(text).map_err(tera::Error::message)
        },
    );
    tera.register_filter("sentence", |text: &str, _: Kwargs, _: &State| -> String {
        super::html::sentence(text).into_owned()
    });
    let base_url = config.base_url.clone();
    tera.register_filter(
        "abs_url",
        move |path: &str, _: Kwargs, _: &State| -> String { under(&base_url, path) },
    );
    let base_path = config.base_path().to_string();
    tera.register_filter(
        "root_url",
        move |path: &str, _: Kwargs, _: &State| -> String { under(&base_path, path) },
    );
}

/// `path` under `base`, unless it is an address of its own already (`https://…`, `//cdn…`,
/// `mailto:…`): every URL the context gives is absolute, and themes pass them through.
fn under(base: &str, path: &str) -> String {
    let scheme = path.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if scheme || path.starts_with("//") {
        return path.to_string();
    }
    format!("{base}{}", path.trim_start_matches('/'))
}

/// Refuses keyword arguments a filter does not know (`vi_date(format="short")` would
/// otherwise be ignored without a word).
fn only_arguments(filter: &str, kwargs: &Kwargs, known: &[&str]) -> TeraResult<()> {
    for (key, _) in kwargs.iter() {
        let key = key.to_string();
        if !known.contains(&key.as_str()) {
            return Err(tera::Error::message(format!(
                "{filter}: unknown argument `{key}`; it takes {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

fn date_arg(date: &str) -> TeraResult<crate::vi::VnDate> {
    parse_date(date).map_err(tera::Error::message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_closing_tag_of_another_block_gets_help() {
        let missing = "{% block content %}\n{% if a %}x\n  {% endblock content %}\n";
        let help = unclosed_help(missing, 3, 3).unwrap();
        assert_eq!(
            help,
            "the {% if %} of line 2 may lack its {% endif %} before this line"
        );
        let typo = "{% block content %}\n{% iff a %}x{% endif %}\n{% endblock content %}\n";
        assert_eq!(unclosed_help(typo, 2, 3), None);
    }

    #[test]
    fn an_unclosed_block_is_found() {
        let text = "{% block content %}\n{% if a %}x{% endif %}\n{% for b in c %}\n{# {% if %} #}\n{% if d -%}\ny\n{% endblock content %}\n";
        assert_eq!(unclosed_before(text, 7), Some(("if".to_string(), 5)));
        assert_eq!(unclosed_before(text, 5), Some(("for".to_string(), 3)));
        assert_eq!(
            unclosed_before("{% if a %}{% endif %}\n{% endif %}", 2),
            None
        );
    }

    #[test]
    fn reports_give_their_position() {
        let message = "error: Unknown filter `vi_dat`\n --> partials/article_item.html:8:65\n  |\n";
        assert_eq!(
            position_in_report(message),
            Some((Some("partials/article_item.html".to_string()), 8, 65))
        );
        assert_eq!(position_in_report("Template 'a.html' not found"), None);
    }

    #[test]
    fn addresses_of_their_own_are_kept() {
        let base = "https://tin.example.gov.vn/";
        assert_eq!(
            under(base, "/style.css"),
            "https://tin.example.gov.vn/style.css"
        );
        assert_eq!(
            under(base, "anh/a.jpg"),
            "https://tin.example.gov.vn/anh/a.jpg"
        );
        for own in [
            "https://cdn.example.com/x.css",
            "//cdn.example.com/x.css",
            "mailto:a@b.vn",
            "tel:+84123",
        ] {
            assert_eq!(under(base, own), own);
        }
        assert_eq!(
            under("/", "2024:04/x"),
            "/2024:04/x",
            "a scheme starts with a letter"
        );
    }
}
