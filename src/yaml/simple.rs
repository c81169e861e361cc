//! A quick reader for YAML blocks of the shape editors write (`key: "text"`, `[lists]`,
//! `photos:` items), which hands anything else to the full YAML parser.
//!
//! The full parser took a third of the time a build spent loading articles (6% of all the
//! work of a 10,000-article build), for front matter that nearly always has this shape. Whatever this reader accepts it reads exactly as
//! the full parser does (the tests below compare the two on generated blocks); whatever it is
//! unsure of (comments after values, escapes, single quotes, several lines to a value, numbers
//! other than plain integers, YAML's anchors and tags, every mistake) goes to the full parser,
//! which also explains the mistakes.

use serde_yaml::{Mapping, Number, Value};

/// The mapping `yaml` holds, or `None` when the full parser must read it.
pub fn read(yaml: &str) -> Option<Mapping> {
    // A carriage return only ends a line (Windows' CRLF), as `str::lines` reads it.
    if !yaml
        .split("\r\n")
        .all(|part| part.chars().all(is_plain_char))
    {
        return None;
    }
    let mut lines = Lines::new(yaml);
    let mapping = match lines.peek() {
        None => Mapping::new(),
        Some(line) if line.indent == 0 && !is_item(line.text) => lines.mapping(0)?,
        Some(_) => return None,
    };
    lines.peek().is_none().then_some(mapping)
}

/// Characters YAML reads as they are: no tab (an indentation mistake, or a value's), no carriage
/// return outside CRLF, and only characters the YAML parser calls printable and not a line
/// break.
fn is_plain_char(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

struct Line<'a> {
    indent: usize,
    /// After the indentation.
    text: &'a str,
}

/// The lines that hold something, in order; empty lines and whole-line comments are left out.
struct Lines<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
}

impl<'a> Lines<'a> {
    fn new(yaml: &'a str) -> Lines<'a> {
        let lines = yaml
            .lines()
            .map(|line| {
                let text = line.trim_start_matches(' ');
                Line {
                    indent: line.len() - text.len(),
                    text,
                }
            })
            .filter(|line| !line.text.is_empty() && !line.text.starts_with('#'))
            .collect();
        Lines { lines, at: 0 }
    }

    fn peek(&self) -> Option<&Line<'a>> {
        self.lines.get(self.at)
    }

    /// `key: value` lines at `indent`.
    fn mapping(&mut self, indent: usize) -> Option<Mapping> {
        let mut mapping = Mapping::new();
        self.entries(indent, &mut mapping)?;
        Some(mapping)
    }

    /// Adds the `key: value` lines at `indent` to `mapping`.
    fn entries(&mut self, indent: usize, mapping: &mut Mapping) -> Option<()> {
        while let Some(line) = self.peek() {
            if line.indent != indent || is_item(line.text) {
                break;
            }
            let (key, rest) = key_and_rest(line.text)?;
            self.at += 1;
            let value = self.value_of(indent, rest)?;
            insert(mapping, key, value)?;
        }
        Some(())
    }

    /// The value of a key at `indent` whose line goes on with `rest`: on the line, or below it.
    fn value_of(&mut self, indent: usize, rest: &str) -> Option<Value> {
        if !rest.is_empty() {
            return inline_value(rest);
        }
        match self.peek() {
            Some(next) if next.indent > indent => match is_item(next.text) {
                true => self.sequence(next.indent),
                false => self.mapping(next.indent).map(Value::Mapping),
            },
            Some(next) if next.indent == indent && is_item(next.text) => self.sequence(indent),
            _ => Some(Value::Null),
        }
    }

    /// `- item` lines at `indent`: texts, lists on one line, or mappings.
    fn sequence(&mut self, indent: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent != indent || !is_item(line.text) {
                break;
            }
            let after_dash = &line.text[1..];
            let item = after_dash.trim_start_matches(' ');
            if item.is_empty() || is_item(item) {
                return None;
            }
            let column = indent + 1 + (after_dash.len() - item.len());
            self.at += 1;
            match key_and_rest(item) {
                // `- src: "a.jpg"`: a mapping whose first key is on the item's line.
                Some((key, rest)) => {
                    let mut mapping = Mapping::new();
                    let value = self.value_of(column, rest)?;
                    insert(&mut mapping, key, value)?;
                    self.entries(column, &mut mapping)?;
                    items.push(Value::Mapping(mapping));
                }
                None => items.push(inline_value(item)?),
            }
            if self.peek().is_some_and(|next| next.indent > indent) {
                return None;
            }
        }
        Some(Value::Sequence(items))
    }
}

/// Adds `key: value` to `mapping`, unless `key` is there already (a mistake).
fn insert(mapping: &mut Mapping, key: &str, value: Value) -> Option<()> {
    let key = Value::String(key.to_string());
    (!mapping.contains_key(&key)).then(|| {
        mapping.insert(key, value);
    })
}

/// Whether a line (after its indentation) is a list item: `- …`, or a lone `-`.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key` and what follows `key:` (trimmed), for a key of lower-case ASCII letters, digits
/// and `_` that YAML reads as a text.
fn key_and_rest(text: &str) -> Option<(&str, &str)> {
    let end = text.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))?;
    let (key, rest) = text.split_at(end);
    let rest = rest.strip_prefix(':')?;
    let starts_well = key.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
    let is_text = !matches!(key, "true" | "false" | "null");
    if !starts_well || !is_text || !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest.trim_matches(' ')))
}

/// A value written on its key's line: `"text"`, `[a, "b"]`, `{ name: "…", url: "…" }` or a
/// plain word.
fn inline_value(text: &str) -> Option<Value> {
    if let Some(rest) = text.strip_prefix('"') {
        let (value, after) = quoted(rest)?;
        return after.trim_start_matches(' ').is_empty().then_some(value);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return flow_list(rest);
    }
    if let Some(rest) = text.strip_prefix('{') {
        return flow_mapping(rest);
    }
    if text.contains(" #") || text.contains(": ") || text.ends_with(':') {
        return None;
    }
    plain(text)
}

/// The text of a double-quoted value without escapes, whose opening quote was just read, and
/// what follows its closing quote.
fn quoted(text: &str) -> Option<(Value, &str)> {
    let end = text.find(['"', '\\'])?;
    (text.as_bytes()[end] == b'"')
        .then(|| (Value::String(text[..end].to_string()), &text[end + 1..]))
}

/// `a, "b c"]` after the opening bracket, to the end of the line.
fn flow_list(text: &str) -> Option<Value> {
    let mut items = Vec::new();
    flow_items(text, ']', |rest| {
        let (value, rest) = flow_value(rest, ']')?;
        items.push(value);
        Some(rest)
    })?;
    Some(Value::Sequence(items))
}

/// `name: "Báo Tin tức", date: 2024-04-10 }` after the opening brace, to the end of the line.
fn flow_mapping(text: &str) -> Option<Value> {
    let mut mapping = Mapping::new();
    flow_items(text, '}', |rest| {
        let (key, rest) = key_and_rest(rest)?;
        let (value, rest) = flow_value(rest, '}')?;
        insert(&mut mapping, key, value)?;
        Some(rest)
    })?;
    Some(Value::Mapping(mapping))
}

/// Reads the items of a list or mapping on one line, separated by commas, up to `close`
/// (nothing may follow it): `item` reads one and returns what follows it.
fn flow_items<'t>(
    text: &'t str,
    close: char,
    mut item: impl FnMut(&'t str) -> Option<&'t str>,
) -> Option<()> {
    let mut text = text.trim_start_matches(' ');
    if let Some(after) = text.strip_prefix(close) {
        return after.trim_start_matches(' ').is_empty().then_some(());
    }
    loop {
        let rest = item(text)?.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(close) {
            return after.trim_start_matches(' ').is_empty().then_some(());
        }
        text = rest.strip_prefix(',')?.trim_start_matches(' ');
        if text.starts_with(close) {
            return None;
        }
    }
}

/// A value inside a list or mapping written on one line (`"b, c"` or a plain word), and what
/// follows it.
fn flow_value(text: &str, close: char) -> Option<(Value, &str)> {
    if let Some(rest) = text.strip_prefix('"') {
        return quoted(rest);
    }
    let end = text.find([',', close])?;
    let word = text[..end].trim_end_matches(' ');
    if word.contains(['[', ']', '{', '}', '"', '\'', ':', '#']) {
        return None;
    }
    Some((plain(word)?, &text[end..]))
}

/// A plain (unquoted) value as YAML types it: `true`, `false`, `null`, an integer, a date
/// (a text), or a text that starts with a letter, `_`, a slash, a bracket or any character
/// beyond ASCII (`“Ngôi nhà”`). Others (`1.5`, `~`, `-x`) are left to the full parser.
fn plain(text: &str) -> Option<Value> {
    match text {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        "null" | "Null" | "NULL" => return Some(Value::Null),
        _ => {}
    }
    if let Some(number) = integer(text) {
        return Some(Value::Number(number));
    }
    let starts_text =
        |c: char| !c.is_ascii() || c.is_ascii_alphabetic() || matches!(c, '/' | '(' | '_');
    let is_text = text.starts_with(starts_text) || is_date(text);
    is_text.then(|| Value::String(text.to_string()))
}

/// `0`, `42` or `-7`: no sign `+`, no leading zero, no other base, at most 18 digits.
fn integer(text: &str) -> Option<Number> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let well_formed = (1..=18).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !well_formed || text == "-0" {
        return None;
    }
    match text.starts_with('-') {
        true => text.parse::<i64>().ok().map(Number::from),
        false => text.parse::<u64>().ok().map(Number::from),
    }
}

/// `2024-04-10…`: four digits and a dash make a text to YAML, never a number.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() > 4 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;

    fn full(yaml: &str) -> Option<Mapping> {
        match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(mapping)) => Some(mapping),
            Ok(Value::Null) => Some(Mapping::new()),
            _ => None,
        }
    }

    /// What this reader reads, the full parser reads the same way.
    fn agrees(yaml: &str) -> Result<(), TestCaseError> {
        if let Some(mapping) = read(yaml) {
            prop_assert_eq!(Some(mapping), full(yaml), "{}", yaml);
        }
        Ok(())
    }

    #[test]
    fn front_matter_as_editors_write_it_is_read_here() {
        let yaml = r#"title: "Ký kết chương trình phối hợp: giai đoạn 2018 – 2022"
date: 2019-03-18T13:05:00+07:00
authors: ["Đỗ Quỳnh Như", Thái Phương]
summary: "Chiều ngày 18/3, # không phải chú thích"
tags: []
photos:
  - src: "tham-quan.jpg"
    caption: "Đoàn công tác tham quan mô hình."
    credit: Phạm Hữu Quốc
  -   src: b.jpg
draft: false
weight: -3
source:
  name: Báo Tin tức
  url: "https://baotintuc.vn/a.htm"

# ghi chú của biên tập viên
extra:
aliases:
- /cu/bai-viet/
"#;
        let mapping = read(yaml).expect("read here, not by the full parser");
        assert_eq!(Some(&mapping), full(yaml).as_ref());
        assert_eq!(read(&yaml.replace('\n', "\r\n")).as_ref(), Some(&mapping));
        let photos = mapping["photos"].as_sequence().unwrap();
        assert_eq!(photos[1]["src"], Value::from("b.jpg"));
        assert_eq!(mapping["extra"], Value::Null);
        assert_eq!(read(""), Some(Mapping::new()));
    }

    #[test]
    fn the_sample_sites_front_matter_is_read_here() {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut read_here = 0;
        for entry in walkdir::WalkDir::new(content).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            let split = crate::load::split_front_matter(&text).unwrap().unwrap();
            let mapping = read(split.yaml);
            assert!(
                mapping.is_some(),
                "{} is left to the full parser",
                path.display()
            );
            assert_eq!(mapping, full(split.yaml), "{}", path.display());
            read_here += 1;
        }
        assert!(read_here > 20, "{read_here} files");
    }

    #[test]
    fn anything_unusual_goes_to_the_full_parser() {
        for yaml in [
            "title: 'đơn'",
            "title: \"có \\\"ngoặc\\\"\"",
            "title: \"a\" # chú thích",
            "title: a: b",
            "title: \"mở\n  tiếp\"",
            "title: Một\n  dòng nữa",
            "tags: [a, b",
            "tags: [a, ]",
            "tags: [[a]]",
            "  title: thụt lề",
            "title: x\ntitle: y",
            "photos:\n  - src: a\n    src: b",
            "weight: 007",
            "weight: 1.5",
            "weight: +3",
            "title: ~",
            "title:\t\"tab\"",
            "title: \"a\"\r",
            "title: \"a\rb\"",
            "tiêu đề: \"x\"",
            "Title: x",
            "true: x",
            "- a",
            "x: &a b",
            "x: |\n  khối",
            "---",
        ] {
            assert_eq!(read(yaml), None, "{yaml}");
        }
    }

    fn keys() -> impl Strategy<Value = String> {
        prop_oneof![
            12 => "[a-z_][a-z0-9_]{0,5}",
            1 => prop::sample::select(vec!["true", "null", "Title", "a-b", "tiêu đề", "0", ""]).prop_map(String::from),
        ]
    }

    fn values() -> impl Strategy<Value = &'static str> {
        let usual = vec![
            "\"Ký kết\"",
            "\"a: b\"",
            "\"#1\"",
            "\"\"",
            "Ký kết",
            "a#b",
            "true",
            "False",
            "null",
            "2024-04-10",
            "2024-04-10 09:30",
            "2024-04-10T09:30:00+07:00",
            "10",
            "-5",
            "0",
            "[]",
            "[ ]",
            "[\"a\", \"b\"]",
            "[a, b]",
            "[a, \"b, c\"]",
            "[a b, c]",
            "[true, 3]",
            "Đặng Văn Dũng",
            "/a/b/",
            "(a)",
            "“Ngôi nhà”",
            "\u{a0}x",
            "inf",
            "nan",
            "a, b",
            "[/a, (b)]",
            "ª",
            "no",
            "2024-4-1",
        ];
        let unusual = vec![
            "",
            "\"có \\\"ngoặc\\\"\"",
            "Ký: kết",
            "a #b",
            "\"x\" # c",
            "\"x\" y",
            "tRUE",
            "~",
            "-0",
            "007",
            "1e5",
            "1.5",
            ".inf",
            "+3",
            "0x1F",
            "[a,]",
            "[a",
            "'đơn'",
            "|",
            ">",
            "{a: 1}",
            "&a x",
            "*a",
            "!t x",
            "-",
            "- a",
            "\"\u{85}\"",
            "[\"a\"] x",
            "ä:",
            "a:b",
            "@x",
            "-x",
            "[a, [b]]",
            "\"a",
            "a\tb",
        ];
        prop_oneof![20 => prop::sample::select(usual), 1 => prop::sample::select(unusual)]
    }

    /// Spaces, mostly as editors indent (two), sometimes not.
    fn indent() -> impl Strategy<Value = usize> {
        prop_oneof![6 => Just(2), 1 => Just(0), 1 => Just(1), 1 => Just(3), 1 => Just(4)]
    }

    /// A `key: value` line, a key with a list of items below it, or a key with a mapping
    /// below it, at `margin` spaces.
    fn entry(margin: usize) -> impl Strategy<Value = String> {
        let pad = move |n: usize| " ".repeat(n);
        let inline = (keys(), values())
            .prop_map(move |(k, v)| format!("{}{k}: {v}", pad(margin)).trim_end().to_string());
        let item = (
            indent(),
            prop_oneof![4 => Just(1), 1 => Just(2)],
            keys(),
            values(),
            prop::collection::vec(
                (
                    prop_oneof![6 => Just(0isize), 1 => Just(-1), 1 => Just(1)],
                    keys(),
                    values(),
                ),
                0..3,
            ),
            prop::bool::weighted(0.2),
        );
        let list = (keys(), prop::collection::vec(item, 1..4)).prop_map(move |(key, items)| {
            let mut out = format!("{}{key}:", pad(margin));
            for (at, spaces, k, v, rest, bare) in items {
                let dash = margin + at;
                match bare {
                    true => out += &format!("\n{}-{}{v}", pad(dash), pad(spaces)),
                    false => out += &format!("\n{}-{}{k}: {v}", pad(dash), pad(spaces)),
                }
                for (shift, k, v) in rest {
                    let column = (dash + 1 + spaces) as isize + shift;
                    out += &format!("\n{}{k}: {v}", pad(column.max(0) as usize));
                }
            }
            out
        });
        let nested = (
            keys(),
            indent(),
            prop::collection::vec((keys(), values()), 1..3),
        )
            .prop_map(move |(key, at, lines)| {
                let mut out = format!("{}{key}:", pad(margin));
                for (k, v) in lines {
                    out += &format!("\n{}{k}: {v}", pad(margin + at));
                }
                out
            });
        prop_oneof![6 => inline, 2 => list, 1 => nested, 1 => Just("# ghi chú".to_string()), 1 => Just(String::new())]
    }

    /// Random lines, usual and unusual: what no structure above makes.
    fn line() -> impl Strategy<Value = String> {
        let dashes = prop::sample::select(vec!["", "", "- ", "-  ", "-", "# ", "\t"]);
        (
            indent(),
            dashes,
            keys(),
            prop::bool::weighted(0.8),
            values(),
        )
            .prop_map(|(indent, dash, key, keyed, value)| match keyed {
                true => format!("{}{dash}{key}: {value}", " ".repeat(indent))
                    .trim_end()
                    .to_string(),
                false => format!("{}{dash}{value}", " ".repeat(indent)),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn reads_blocks_as_the_full_parser_does(entries in prop::collection::vec(entry(0), 0..8), crlf: bool) {
            let yaml = entries.join("\n");
            agrees(&yaml)?;
            // As saved on Windows.
            if crlf {
                agrees(&yaml.replace('\n', "\r\n"))?;
            }
        }

        #[test]
        fn any_text_is_read_or_handed_on_without_a_panic(text in "[-:#\\[\\]{},\"' \n\ta-zđ0-9]{0,60}") {
            agrees(&text)?;
        }

        #[test]
        fn reads_any_lines_as_the_full_parser_does(lines in prop::collection::vec(line(), 0..8)) {
            agrees(&lines.join("\n"))?;
        }
    }
}
