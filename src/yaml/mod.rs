//! YAML documents (front matter, `bantin.yaml`) read field by field, each problem located at
//! the file line and column of its key.

use crate::diagnostics::{suggest, Diagnostic};
use crate::vi::{parse_date, VnDate};
use serde_yaml::{Mapping, Value};
use std::path::Path;

mod simple;

/// A step in a path to a value: a mapping key or a list position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// One key step of a path into a YAML block: `[key("source"), key("url")]`.
pub fn key(name: &str) -> Seg {
    Seg::Key(name.to_string())
}

/// One YAML block inside a file, with the problems found while reading it.
pub struct YamlDoc<'a> {
    file: &'a Path,
    file_text: &'a str,
    yaml: &'a str,
    /// File line (1-based) of the first YAML line.
    first_line: usize,
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
}

impl<'a> YamlDoc<'a> {
    /// Parses `yaml` (which starts at `first_line` of `file_text`) into a mapping.
    pub fn parse(
        file: &'a Path,
        file_text: &'a str,
        yaml: &'a str,
        first_line: usize,
    ) -> (YamlDoc<'a>, Option<Mapping>) {
        let mut doc = YamlDoc {
            file,
            file_text,
            yaml,
            first_line,
            diagnostics: Vec::new(),
        };
        if let Some(mapping) = simple::read(yaml) {
            return (doc, Some(mapping));
        }
        let mapping = match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(mapping)) => Some(mapping),
            Ok(Value::Null) => Some(Mapping::new()),
            Ok(_) => {
                doc.report(
                    &[],
                    "this YAML block is not a list of `key: value` lines",
                    "write one `key: value` per line, e.g. `title: \"…\"`",
                );
                None
            }
            Err(error) => {
                let at = error.location().map_or((1, 1), |l| (l.line(), l.column()));
                let mistake = explain(yaml, first_line, &error.to_string(), at);
                doc.push(mistake.line, mistake.column, mistake.message, &mistake.help);
                None
            }
        };
        (doc, mapping)
    }

    fn push(&mut self, yaml_line: usize, column: usize, message: String, help: &str) {
        let line = self.first_line + yaml_line.saturating_sub(1);
        let mut diagnostic =
            Diagnostic::error(self.file, line, column, message).with_source(self.file_text);
        if !help.is_empty() {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
    }

    /// Records an error at the key (or list item) that `path` names.
    pub fn report(&mut self, path: &[Seg], message: impl Into<String>, help: impl AsRef<str>) {
        let (line, column) = self.locate(path);
        self.push(line, column, message.into(), help.as_ref());
    }

    /// File line and column of the key at `path` (1-based).
    pub fn position(&self, path: &[Seg]) -> (usize, usize) {
        let (line, column) = self.locate(path);
        (self.first_line + line - 1, column)
    }

    /// YAML-relative line and column of the key at `path`. Block style is followed key by key;
    /// inside flow style (`{ … }`, `[ … ]`) the nearest enclosing key is given.
    fn locate(&self, path: &[Seg]) -> (usize, usize) {
        let lines: Vec<&str> = self.yaml.lines().collect();
        let mut range = 0..lines.len();
        let mut found = (1, 1);
        for seg in path {
            let Some(first) = range.clone().find(|&i| !is_blank(key_column(lines[i]).1)) else {
                break;
            };
            let block_column = key_column(lines[first]).0;
            let item_indent = indentation(lines[first]);
            let hit = match seg {
                Seg::Key(name) => range.clone().find(|&i| {
                    let (column, rest) = key_column(lines[i]);
                    column == block_column && key_name(rest) == Some(name.as_str())
                }),
                Seg::Index(n) => range
                    .clone()
                    .filter(|&i| is_item_at(lines[i], item_indent))
                    .nth(*n),
            };
            let Some(start) = hit else {
                break;
            };
            let column = match seg {
                Seg::Key(_) => key_column(lines[start]).0,
                Seg::Index(_) => indentation(lines[start]),
            };
            found = (start + 1, column + 1);
            let end = (start + 1..range.end)
                .find(|&i| ends_block(lines[i], seg, block_column, indentation(lines[start])))
                .unwrap_or(range.end);
            range = match seg {
                // An item's first key is on the dash line itself.
                Seg::Index(_) => start..end,
                Seg::Key(_) => start + 1..end,
            };
        }
        found
    }

    /// Reads an optional text field (numbers are accepted as text).
    pub fn text(&mut self, map: &Mapping, path: &[Seg], name: &str) -> Option<String> {
        let value = map.get(name)?;
        match scalar_text(value) {
            Some(text) => Some(text),
            None if value.is_null() => None,
            None => {
                self.report(
                    &join(path, name),
                    format!("`{name}` must be a text"),
                    format!("write it on one line in double quotes: {name}: \"…\""),
                );
                None
            }
        }
    }

    /// Reads a list of texts; a single text is accepted as a list of one.
    pub fn texts(&mut self, map: &Mapping, path: &[Seg], name: &str) -> Vec<String> {
        let Some(value) = map.get(name) else {
            return Vec::new();
        };
        let items: Vec<Option<String>> = match value {
            Value::Sequence(items) => items.iter().map(scalar_text).collect(),
            Value::Null => Vec::new(),
            // `tags: ""`: told as empty, as `author: ""` and `date:` are, not as an item.
            Value::String(text) if text.trim().is_empty() => {
                self.report(
                    &join(path, name),
                    format!("`{name}` is empty"),
                    format!("write a list, e.g. {name}: [\"một\", \"hai\"], or remove the line"),
                );
                Vec::new()
            }
            single => vec![scalar_text(single)],
        };
        let mut texts = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            match item {
                Some(text) if !text.trim().is_empty() => texts.push(text.trim().to_string()),
                Some(_) => self.report(
                    &join_index(path, name, index),
                    format!("item {} of `{name}` is empty", index + 1),
                    "write the text between its quotes, or remove the empty item and its comma",
                ),
                None => self.report(
                    &join_index(path, name, index),
                    format!("item {} of `{name}` is not a text", index + 1),
                    format!("write a list of texts, e.g. {name}: [\"một\", \"hai\"]"),
                ),
            }
        }
        texts
    }

    /// Reads a list of names (tags, authors, aliases): a single text with commas is a list
    /// written without brackets, and refused with the list it should be.
    pub fn names(&mut self, map: &Mapping, path: &[Seg], name: &str) -> Vec<String> {
        let Some(Value::String(single)) = map.get(name) else {
            return self.texts(map, path, name);
        };
        if !single.contains(',') {
            return self.texts(map, path, name);
        }
        let items: Vec<String> = single
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_string)
            .collect();
        let quoted: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
        self.report(
            &join(path, name),
            format!("`{name}` is one text with commas, not a list"),
            format!(
                "write a list in brackets: {name}: [{}] (or [\"{single}\"] if it is one name)",
                quoted.join(", ")
            ),
        );
        items
    }

    /// Reads an optional date.
    pub fn date(&mut self, map: &Mapping, path: &[Seg], name: &str) -> Option<VnDate> {
        let text = self.text(map, path, name)?;
        match parse_date(&text) {
            Ok(date) => Some(date),
            Err(error) => {
                self.report(
                    &join(path, name),
                    format!("`{name}`: {error}"),
                    "write the date as 2024-04-10T09:30:00+07:00, \"2024-04-10 09:30\" or 2024-04-10",
                );
                None
            }
        }
    }

    /// Reads an optional `true`/`false`.
    pub fn boolean(&mut self, map: &Mapping, path: &[Seg], name: &str) -> Option<bool> {
        match map.get(name)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.report(
                    &join(path, name),
                    format!("`{name}` must be true or false"),
                    format!("write {name}: true or {name}: false"),
                );
                None
            }
        }
    }

    /// Reads an optional whole number.
    pub fn number(&mut self, map: &Mapping, path: &[Seg], name: &str) -> Option<i64> {
        match map.get(name)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            _ => {
                self.report(
                    &join(path, name),
                    format!("`{name}` must be a whole number"),
                    format!("write e.g. {name}: 10"),
                );
                None
            }
        }
    }

    /// Reports every key of `map` that is not in `known`, with a suggestion.
    pub fn check_keys(&mut self, map: &Mapping, path: &[Seg], known: &[&str], what: &str) {
        for key in map.keys() {
            let name = scalar_text(key).unwrap_or_default();
            if known.contains(&name.as_str()) {
                continue;
            }
            // Only where an `extra:` is allowed (not in a photo, say).
            let free_form = match known.contains(&"extra") {
                true => "; free-form fields go under `extra:`",
                false => "",
            };
            let help = match suggest(&name, known).or_else(|| vietnamese_key(&name, known)) {
                Some(close) if free_form.is_empty() => format!("did you mean `{close}`?"),
                Some(close) => format!("did you mean `{close}`? (free-form fields go under `extra:`)"),
                // No key has a space: this is a line of text (`Hà Nội: hôm nay…`), as when
                // the article's text starts before the front matter is closed.
                None if name.contains(' ') => "if this line is text, close the front matter before it with a line of only ---; a value with `: ` goes inside double quotes".to_string(),
                None => format!("the keys {what} are: {}{free_form}", known.join(", ")),
            };
            self.report(
                &join(path, &name),
                format!("unknown key `{name}` {what}"),
                help,
            );
        }
    }
}

/// A YAML error told as an editor's mistake, where one is recognized: YAML's own words
/// ("found character that cannot start any token") say nothing to an editor.
struct Mistake {
    line: usize,
    column: usize,
    message: String,
    help: String,
}

/// What went wrong in `yaml` (whose first line is `first_line` of its file), given the
/// parser's `error` text and position (YAML lines, as the returned one).
fn explain(yaml: &str, first_line: usize, error: &str, (line, column): (usize, usize)) -> Mistake {
    let mistake = |line, column, message: &str, help: String| Mistake {
        line,
        column,
        message: message.to_string(),
        help,
    };
    let lines: Vec<&str> = yaml.lines().collect();
    // An unclosed quote is only noticed lines later: point at where it opens.
    let help =
        "end the text with a closing \" on the same line; a \" inside the text is written \\\"";
    if let Some((line, column)) = unclosed_quote(error) {
        let message = "invalid YAML: this quoted text is never closed";
        return mistake(line, column, message, help.into());
    }
    if let Some(name) = error
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.split('"').next())
    {
        let at: Vec<usize> = (0..lines.len())
            .filter(|&i| key_name(key_column(lines[i]).1) == Some(name))
            .collect();
        if let [first, second, ..] = at[..] {
            let message = format!(
                "`{name}` is written twice (lines {} and {})",
                first + first_line,
                second + first_line
            );
            let help = format!("keep one `{name}:` line and remove the other");
            return mistake(second + 1, 1, &message, help);
        }
    }
    if let Some(tab) = lines.iter().position(|l| {
        l.chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    }) {
        let help = "indent with spaces: YAML does not allow tabs at the start of a line";
        return mistake(tab + 1, 1, "this line is indented with a tab", help.into());
    }
    if let Some(text) = lines.get(line.wrapping_sub(1)) {
        let value = text.split_once(':').map_or("", |(_, value)| value.trim());
        if value.starts_with(['“', '”', '‘']) {
            let inner = value.trim_matches(['“', '”', '‘', '’']);
            let key = text.split(':').next().unwrap_or("");
            let help = format!(
                "write straight double quotes around it: {}",
                quoted_line(key, inner)
            );
            let message =
                "the text starts with a typographic quote (“), which YAML does not read as a quote";
            return mistake(line, column, message, help);
        }
    }
    // Text of the article before the front matter's closing `---`: a line that is neither a
    // key, a list item, a comment nor indented, after a blank line.
    let body_line = lines.windows(2).position(|pair| {
        let next = pair[1];
        pair[0].trim().is_empty()
            && !next.trim().is_empty()
            && !next.starts_with([' ', '-', '#'])
            && key_name(next).is_none_or(|name| name.is_empty() || name.contains(' '))
    });
    if let Some(before) = body_line.filter(|&b| b + 2 <= line) {
        let help = "put a line with only --- after the last front matter line, before the text";
        let message = "the front matter is not closed: this line looks like the article's text";
        return mistake(before + 2, 1, message, help.into());
    }
    // One left open runs on over the next lines to the next `"`, where the parser stumbles.
    let opened = lines
        .iter()
        .take(line.saturating_sub(1))
        .position(|l| opens_quote(l));
    if let Some(at) = opened {
        let column = lines[at].chars().take_while(|&c| c != '"').count() + 1;
        let message = "invalid YAML: this quoted text is not closed on its line";
        return mistake(at + 1, column, message, help.into());
    }
    if let Some(at) = stray_indent(&lines[..line.min(lines.len())]) {
        let message = "this line is indented, but the line above it opens no list or group";
        let help = "start it at the beginning of the line, as the other keys";
        return mistake(at + 1, 1, message, help.into());
    }
    // A list written in brackets and never closed: the parser stumbles on a later line.
    if error.starts_with("did not find expected ',' or ']'") {
        let opened = lines.iter().take(line).rposition(|l| {
            let value = l.split_once(':').map_or("", |(_, value)| value.trim());
            value.starts_with('[') && !value.contains(']')
        });
        if let Some(at) = opened {
            let column = lines[at]
                .find('[')
                .map_or(1, |byte| lines[at][..byte].chars().count() + 1);
            let key = key_name(lines[at].trim_start()).unwrap_or("tags");
            let help = format!("end it with ] on the same line: {key}: [\"…\", \"…\"]");
            return mistake(at + 1, column, "this list is not closed", help);
        }
    }
    if error.starts_with("mapping values are not allowed") {
        let text = lines.get(line.wrapping_sub(1)).copied().unwrap_or_default();
        let help = match text.split_once(": ") {
            Some((key, value)) => {
                format!("put the text in double quotes: {}", quoted_line(key, value))
            }
            None => "put text containing `: ` inside double quotes".to_string(),
        };
        let message = "invalid YAML: this text holds `: ` and is not in quotes";
        return mistake(line, column, message, help);
    }
    let short = error.split(" at line ").next().unwrap_or(error);
    let help = "check this line's indentation and quotes; put text containing `: `, `#`, `[` or quotes inside double quotes, e.g. title: \"Hội nghị: kết quả\"";
    mistake(line, column, &format!("invalid YAML: {short}"), help.into())
}

/// The first key (a one-word name: `date:`) indented under a line that opens nothing: the
/// first line, or one at the margin with its value (`title: "…"`) rather than a group.
fn stray_indent(lines: &[&str]) -> Option<usize> {
    let mut above: Option<&str> = None;
    for (at, line) in lines.iter().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indented = indentation(line) > 0 && !line.trim_start().starts_with('-');
        let one_word_key = key_name(line.trim_start()).is_some_and(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let opens_nothing = above.is_none_or(|above| {
            let value = above.split_once(':').map_or("", |(_, value)| value.trim());
            indentation(above) == 0
                && !above.starts_with('-')
                && !value.is_empty()
                && !value.starts_with(['[', '{', '|', '>', '\''])
                && !opens_quote(above)
        });
        if indented && one_word_key && opens_nothing {
            return Some(at);
        }
        above = Some(line);
    }
    None
}

/// `key: "value"`, the value's own double quotes written `\"`.
fn quoted_line(key: &str, value: &str) -> String {
    format!("{}: \"{}\"", key.trim(), value.trim().replace('"', "\\\""))
}

/// Whether a line's value starts with a double quote it leaves open: an odd number of `"`
/// not written `\"`.
fn opens_quote(line: &str) -> bool {
    let value = line.trim_start().trim_start_matches("- ");
    let value = value.split_once(": ").map_or(value, |(_, value)| value);
    if !value.trim_start().starts_with('"') {
        return false;
    }
    let mut quotes = 0;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => quotes += 1,
            _ => {}
        }
    }
    quotes % 2 == 1
}

/// Where a quoted scalar that never closes starts, read from libyaml's message
/// ("…, while scanning a quoted scalar at line L column C").
fn unclosed_quote(message: &str) -> Option<(usize, usize)> {
    let context = message
        .split(", while scanning a quoted scalar at line ")
        .nth(1)?;
    let (line, column) = context.split_once(" column ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// Editors sometimes name keys in Vietnamese; point them to the English key.
fn vietnamese_key<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let wanted = match crate::vi::slugify(name).ok()?.as_str() {
        "tieu-de" | "ten" => "title",
        "ngay" | "ngay-dang" => "date",
        "tac-gia" | "but-danh" => "authors",
        "chu-de" | "the" | "tu-khoa" => "tags",
        "co-quan" | "don-vi" => "agencies",
        "anh" | "hinh-anh" => "photos",
        "tom-tat" | "sapo" => "summary",
        "nguon" => "source",
        "mo-ta" => "description",
        _ => return None,
    };
    known.iter().copied().find(|&k| k == wanted)
}

/// A YAML scalar as text (strings, numbers, booleans), or `None` for lists, maps and null.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(crate::vi::strip_controls(s).into_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn join(path: &[Seg], name: &str) -> Vec<Seg> {
    let mut joined = path.to_vec();
    joined.push(key(name));
    joined
}

fn join_index(path: &[Seg], name: &str, index: usize) -> Vec<Seg> {
    let mut joined = join(path, name);
    joined.push(Seg::Index(index));
    joined
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The column where a line's key starts, after indentation and list dashes, and the rest.
fn key_column(line: &str) -> (usize, &str) {
    let mut column = indentation(line);
    let mut rest = &line[column..];
    while let Some(after) = rest
        .strip_prefix("- ")
        .or_else(|| rest.strip_prefix('-').filter(|r| r.is_empty()))
    {
        let trimmed = after.trim_start_matches(' ');
        column += rest.len() - trimmed.len();
        rest = trimmed;
    }
    (column, rest)
}

fn is_blank(rest: &str) -> bool {
    rest.trim().is_empty() || rest.starts_with('#')
}

fn is_item_at(line: &str, indent: usize) -> bool {
    let rest = line.trim_start_matches(' ');
    (rest.starts_with("- ") || rest == "-") && indentation(line) == indent
}

fn key_name(rest: &str) -> Option<&str> {
    let (name, _) = rest.split_once(':')?;
    Some(name.trim().trim_matches(|c| c == '"' || c == '\''))
}

/// Does `line` close the block that began with `seg` (at `block_column`, indented `start_indent`)?
fn ends_block(line: &str, seg: &Seg, block_column: usize, start_indent: usize) -> bool {
    let (column, rest) = key_column(line);
    if is_blank(rest) && !line.trim_start().starts_with('-') {
        return false;
    }
    let indent = indentation(line);
    match seg {
        Seg::Key(_) => {
            let is_item = line.trim_start().starts_with('-');
            indent < block_column || (indent == block_column && !is_item) || column < block_column
        }
        Seg::Index(_) => indent <= start_indent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "title: \"Tin\"\nphotos:\n  - src: a.jpg\n    caption: \"A\"\n  - src: b.jpg\n    credit: \"B\"\nsource:\n  name: \"SGGP\"\n  url: \"https://x\"\ntags: [\"a\"]\n";

    fn locate(path: &[Seg]) -> (usize, usize) {
        let (doc, map) = YamlDoc::parse(Path::new("a.md"), YAML, YAML, 2);
        assert!(map.is_some());
        doc.position(path)
    }

    /// The first problem of a YAML block that starts at line 2 of its file.
    fn first_problem(yaml: &str) -> Diagnostic {
        let (doc, map) = YamlDoc::parse(Path::new("a.md"), yaml, yaml, 2);
        assert!(map.is_none(), "{yaml}");
        doc.diagnostics[0].clone()
    }

    #[test]
    fn editors_yaml_mistakes_are_told_in_their_words() {
        let twice = first_problem("title: \"A\"\ntags: [\"a\"]\nsummary: \"x\"\ntags: [\"b\"]\n");
        assert_eq!(twice.line, 5);
        assert_eq!(twice.message, "`tags` is written twice (lines 3 and 5)");
        let tab = first_problem("title: \"A\"\ntags:\n\t- \"x\"\n");
        assert_eq!(
            (tab.line, tab.message.as_str()),
            (4, "this line is indented with a tab")
        );
        let curly = first_problem("title: “Hà Nội: khai mạc”\n");
        assert_eq!(curly.line, 2);
        assert!(curly.message.contains("typographic quote"));
        assert_eq!(
            curly.help.as_deref(),
            Some("write straight double quotes around it: title: \"Hà Nội: khai mạc\"")
        );
        let unclosed = first_problem("title: \"A\"\ndate: 2024-04-01\n\nĐoạn một.\n\n");
        assert_eq!(unclosed.line, 5);
        assert!(unclosed.message.contains("front matter is not closed"));
        let colon = first_problem("title: Hội nghị: giao ban quý III\n");
        assert_eq!(colon.line, 2);
        assert!(colon.message.contains("holds `: `"), "{colon:?}");
        assert_eq!(
            colon.help.as_deref(),
            Some("put the text in double quotes: title: \"Hội nghị: giao ban quý III\"")
        );
        // Closed lines later by the next text in quotes: found where it opens.
        let open = first_problem(
            "title: \"Hội nghị giao ban quý III\ndate: 2024-04-10\nauthors: [\"Thái Phương\"]\n",
        );
        assert_eq!((open.line, open.column), (2, 8), "{open:?}");
        assert!(open.message.contains("not closed on its line"), "{open:?}");
        let other = first_problem("title: {\"A\"\n");
        assert!(other.message.starts_with("invalid YAML"), "{other:?}");
        let list = first_problem("title: \"A\"\ntags: [dân tộc\ndate: 2024-04-10\n");
        assert_eq!((list.line, list.column), (3, 7), "{list:?}");
        assert_eq!(list.message, "this list is not closed");
        assert_eq!(
            list.help.as_deref(),
            Some("end it with ] on the same line: tags: [\"…\", \"…\"]")
        );
        // A key indented by mistake, first or under a key with its value.
        for (yaml, line) in [
            (" title: \"A\"\ndate: 2024-04-10\n", 2),
            ("title: \"A\"\n  date: 2024-04-10\n", 3),
        ] {
            let indented = first_problem(yaml);
            assert_eq!(indented.line, line, "{yaml}: {indented:?}");
            assert_eq!(
                indented.message,
                "this line is indented, but the line above it opens no list or group"
            );
        }
    }

    #[test]
    fn locates_nested_keys() {
        assert_eq!(locate(&[key("title")]), (2, 1));
        assert_eq!(locate(&[key("tags")]), (11, 1));
        assert_eq!(locate(&[key("photos"), Seg::Index(1)]), (6, 3));
        assert_eq!(
            locate(&[key("photos"), Seg::Index(1), key("credit")]),
            (7, 5)
        );
        assert_eq!(locate(&[key("photos"), Seg::Index(0), key("src")]), (4, 5));
        assert_eq!(locate(&[key("source"), key("url")]), (10, 3));
    }

    #[test]
    fn dashes_at_the_key_column_are_items() {
        let yaml = "photos:\n- src: a.jpg\n- src: b.jpg\ntitle: x\n";
        let (doc, _) = YamlDoc::parse(Path::new("a.md"), yaml, yaml, 1);
        assert_eq!(
            doc.position(&[key("photos"), Seg::Index(1), key("src")]),
            (3, 3)
        );
        assert_eq!(doc.position(&[key("title")]), (4, 1));
    }

    #[test]
    fn list_items_that_are_empty_or_not_texts_are_told_apart() {
        let yaml = "tags: [\"dân vận\", \"\", [\"x\"]]\n";
        let (mut doc, map) = YamlDoc::parse(Path::new("a.md"), yaml, yaml, 2);
        let tags = doc.texts(&map.unwrap(), &[], "tags");
        assert_eq!(tags, ["dân vận"]);
        let messages: Vec<&str> = doc.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "item 2 of `tags` is empty",
                "item 3 of `tags` is not a text"
            ]
        );
        assert_eq!(doc.diagnostics[0].line, 2);
        let yaml = "tags: \"\"\n";
        let (mut doc, map) = YamlDoc::parse(Path::new("a.md"), yaml, yaml, 2);
        assert!(doc.texts(&map.unwrap(), &[], "tags").is_empty());
        let messages: Vec<&str> = doc.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["`tags` is empty"]);
        assert_eq!(doc.diagnostics[0].line, 2);
    }

    #[test]
    fn syntax_errors_carry_the_file_line() {
        let file_text = "---\ntitle: \"Tin\nmore\n---\n";
        let yaml = "title: \"Tin\nmore\n";
        let (doc, map) = YamlDoc::parse(Path::new("a.md"), file_text, yaml, 2);
        assert!(map.is_none());
        assert_eq!(doc.diagnostics.len(), 1);
        assert!(doc.diagnostics[0].line >= 2, "{:?}", doc.diagnostics[0]);
    }
}
