//! The site configuration, `bantin.yaml`.

use crate::diagnostics::Diagnostic;
use crate::vi::DateFormats;
use crate::yaml::{join, key, YamlDoc};
use serde_yaml::Mapping;
use std::path::Path;

pub const CONFIG_FILE: &str = "bantin.yaml";

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "banner",
    "logo",
    "theme",
    "permalink",
    "page_size",
    "publisher",
    "date_formats",
    "default_author",
    "taxonomies",
    "archive_path",
    "paginate_path",
    "feeds",
    "news_days",
    "summary_max_chars",
    "search",
    "search_path",
    "thumbnails",
    "extra",
];
const FEED_KEYS: &[&str] = &["limit", "full_content", "sections", "taxonomies"];
const TAXONOMY_KEYS: &[&str] = &["tags", "authors", "agencies"];
const TAXONOMY_FIELDS: &[&str] = &["title", "path", "page_size"];
const PUBLISHER_KEYS: &[&str] = &[
    "agency",
    "responsible",
    "address",
    "phone",
    "email",
    "license",
];
const DATE_FORMAT_KEYS: &[&str] = &["full", "short", "text"];
const PERMALINK_PLACEHOLDERS: &[&str] = &[":section", ":year", ":month", ":day", ":slug"];

/// The publishing agency's legal details, shown in the footer of every page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Publisher {
    /// Cơ quan chủ quản.
    pub agency: Option<String>,
    /// Người chịu trách nhiệm nội dung.
    pub responsible: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Giấy phép.
    pub license: Option<String>,
}

/// Which front matter list a taxonomy groups articles by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyField {
    Tags,
    Authors,
    Agencies,
}

impl TaxonomyField {
    /// The front matter key, also the taxonomy's name in templates.
    pub fn key(self) -> &'static str {
        match self {
            TaxonomyField::Tags => "tags",
            TaxonomyField::Authors => "authors",
            TaxonomyField::Agencies => "agencies",
        }
    }
}

/// A taxonomy's settings (`taxonomies:` in bantin.yaml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyConfig {
    pub field: TaxonomyField,
    /// Shown to readers: `Chủ đề`.
    pub title: String,
    /// `/chu-de/`.
    pub path: String,
    /// Line and column of `path:` in bantin.yaml (1:1 when it is not written there).
    pub path_at: (usize, usize),
    pub page_size: usize,
}

/// Which RSS and Atom feeds are written (`feeds:` in bantin.yaml). The site feed always is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedConfig {
    /// The newest N articles of each feed.
    pub limit: usize,
    /// Put whole articles in feeds, not only their summaries.
    pub full_content: bool,
    /// A feed per section.
    pub sections: bool,
    /// A feed per term of these taxonomies.
    pub taxonomies: Vec<TaxonomyField>,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            limit: 50,
            full_content: false,
            sections: true,
            taxonomies: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending with `/` (`https://example.gov.vn/bantin/`).
    pub base_url: String,
    pub banner: Option<String>,
    pub logo: Option<String>,
    pub theme: String,
    pub permalink: String,
    pub page_size: usize,
    pub publisher: Publisher,
    pub date_formats: DateFormats,
    pub default_author: Option<String>,
    /// In the order of the template context; a taxonomy set to `false` is left out.
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Date archives: `/luu-tru/`.
    pub archive_path: String,
    /// Line and column of `archive_path:` in bantin.yaml (1:1 when it is not written there).
    pub archive_path_at: (usize, usize),
    /// The URL word of a list's later pages: `trang` → `/thoi-su/trang/2/`.
    pub paginate_path: String,
    pub feeds: FeedConfig,
    /// The Google News sitemap lists the articles of the last N days before the build.
    pub news_days: u32,
    /// `bantin check` warns about summaries longer than this.
    pub summary_max_chars: usize,
    /// Write the search index and the search page.
    pub search: bool,
    /// Make smaller copies of wide photos: list thumbnails of lead photos, medium copies for
    /// article pages (a theme that shows neither can do without).
    pub thumbnails: bool,
    /// The search page: `/tim-kiem/`. Its scripts and index stay under `/tim-kiem/` (the
    /// theme's `static/tim-kiem/`), wherever the page is.
    pub search_path: String,
    /// Line and column of `search_path:` in bantin.yaml (1:1 when it is not written there).
    pub search_path_at: (usize, usize),
    pub extra: serde_json::Value,
}

impl Config {
    /// Reads `bantin.yaml` in `root`; every problem is returned, located in the file.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let display = Path::new(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => crate::vi::clean(text),
                Err(_) => {
                    return Err(vec![Diagnostic::error(display, 1, 1, "bantin.yaml is not UTF-8 text")
                        .with_help("save the file as UTF-8 in your editor")])
                }
            },
            Err(error) => {
                return Err(vec![Diagnostic::error(
                    display,
                    1,
                    1,
                    format!("cannot read {}: {error}", path.display()),
                )
                .with_help("run bantin in the site's folder, pass --root DIR, or create a site with `bantin init DIR`")])
            }
        };
        Config::parse(display, &text)
    }

    pub fn parse(display: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let (mut doc, map) = YamlDoc::parse(display, text, text, 1);
        let Some(map) = map else {
            return Err(doc.diagnostics);
        };
        let config = read(&mut doc, &map);
        if doc.diagnostics.is_empty() {
            Ok(config)
        } else {
            crate::diagnostics::sort(&mut doc.diagnostics);
            Err(doc.diagnostics)
        }
    }

    /// The theme a bantin.yaml with mistakes names, as far as it can be read (else the default
    /// theme): where a build that failed on the settings looks up the content's photos.
    pub fn theme_hint(root: &Path) -> String {
        let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
        serde_yaml::from_str::<serde_yaml::Value>(&text)
            .ok()
            .and_then(|yaml| yaml.get("theme")?.as_str().map(str::to_string))
            .unwrap_or_else(|| "default".to_string())
    }

    /// Where a top-level key is written in the site's bantin.yaml (1:1 when it is not), for
    /// problems found after the settings were read (a theme or logo that does not exist).
    pub fn key_position(root: &Path, name: &str) -> (usize, usize) {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let (doc, _) = YamlDoc::parse(&path, &text, &text, 1);
        doc.position(&[key(name)])
    }

    /// The same configuration served from another address (`--base-url`, `serve`).
    pub fn with_base_url(mut self, base_url: &str) -> Config {
        self.base_url = normalize_base_url(base_url);
        self
    }

    /// The absolute URL of a site path (`/thoi-su/` → `https://example.gov.vn/bantin/thoi-su/`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The path part of `base_url`, from its first `/` after the host (`/`, `/bantin/`).
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |at| &after_scheme[at..])
    }
}

fn read(doc: &mut YamlDoc, map: &Mapping) -> Config {
    doc.check_keys(map, &[], KEYS, "in bantin.yaml");
    let title = doc.text(map, &[], "title").unwrap_or_else(|| {
        doc.report(
            &[],
            "bantin.yaml has no `title`",
            "add a line: title: \"Tên trang tin\"",
        );
        String::new()
    });
    // "/" is as good as none (`serve` gives its own address): `build` asks for a full one.
    let base_url = match doc.text(map, &[], "base_url") {
        Some(url) if url != "/" && !is_absolute_address(&url) => {
            doc.report(
                &[key("base_url")],
                format!("`base_url` must be the site's full address, not `{url}`"),
                "write e.g. base_url: \"https://example.gov.vn/\"",
            );
            url
        }
        Some(url) => url,
        None => "/".to_string(),
    };
    let permalink = doc
        .text(map, &[], "permalink")
        .unwrap_or_else(|| "/:section/:year/:month/:slug/".to_string());
    if let Err(problem) = check_permalink(&permalink) {
        doc.report(&[key("permalink")], problem, "use placeholders :section, :year, :month, :day and :slug, e.g. \"/:section/:year/:month/:slug/\"");
    }
    let page_size = doc.number(map, &[], "page_size").unwrap_or(10);
    if !(1..=1000).contains(&page_size) {
        doc.report(
            &[key("page_size")],
            "`page_size` must be between 1 and 1000",
            "write e.g. page_size: 10",
        );
    }
    let taxonomies = read_taxonomies(doc, map, page_size.clamp(1, 1000) as usize);
    let archive_path = doc
        .text(map, &[], "archive_path")
        .unwrap_or_else(|| "/luu-tru/".to_string());
    check_list_path(doc, &[key("archive_path")], &archive_path);
    let archive_path_at = doc.position(&[key("archive_path")]);
    let search_path = doc
        .text(map, &[], "search_path")
        .unwrap_or_else(|| "/tim-kiem/".to_string());
    check_list_path(doc, &[key("search_path")], &search_path);
    let search_path_at = doc.position(&[key("search_path")]);
    let paginate_path = doc
        .text(map, &[], "paginate_path")
        .unwrap_or_else(|| "trang".to_string());
    if crate::vi::slugify(&paginate_path).as_deref() != Ok(paginate_path.as_str()) {
        doc.report(
            &[key("paginate_path")],
            format!("`paginate_path` must be one URL word, not `{paginate_path}`"),
            "write it like \"trang\": lower-case letters, digits and -, without slashes",
        );
    }
    Config {
        title,
        description: doc.text(map, &[], "description").unwrap_or_default(),
        base_url: normalize_base_url(&base_url),
        banner: doc.text(map, &[], "banner"),
        logo: doc.text(map, &[], "logo"),
        theme: doc
            .text(map, &[], "theme")
            .unwrap_or_else(|| "default".to_string()),
        permalink,
        page_size: page_size.clamp(1, 1000) as usize,
        publisher: read_publisher(doc, map),
        date_formats: read_date_formats(doc, map),
        default_author: doc.text(map, &[], "default_author"),
        taxonomies,
        archive_path,
        archive_path_at,
        paginate_path,
        feeds: read_feeds(doc, map),
        news_days: read_news_days(doc, map),
        summary_max_chars: doc
            .number(map, &[], "summary_max_chars")
            .unwrap_or(300)
            .max(1) as usize,
        search: doc.boolean(map, &[], "search").unwrap_or(true),
        thumbnails: doc.boolean(map, &[], "thumbnails").unwrap_or(true),
        search_path,
        search_path_at,
        extra: map
            .get("extra")
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(serde_json::Value::Null),
    }
}

fn sub_mapping<'m>(doc: &mut YamlDoc, map: &'m Mapping, name: &str) -> Option<&'m Mapping> {
    match map.get(name)? {
        serde_yaml::Value::Mapping(sub) => Some(sub),
        serde_yaml::Value::Null => None,
        _ => {
            doc.report(
                &[key(name)],
                format!("`{name}` must be a group of `key: value` lines"),
                format!("indent its keys under `{name}:` by two spaces"),
            );
            None
        }
    }
}

fn read_taxonomies(doc: &mut YamlDoc, map: &Mapping, page_size: usize) -> Vec<TaxonomyConfig> {
    let defaults = [
        (TaxonomyField::Tags, "Chủ đề", "/chu-de/"),
        (TaxonomyField::Authors, "Tác giả", "/tac-gia/"),
        (TaxonomyField::Agencies, "Cơ quan", "/co-quan/"),
    ];
    let configured = match map.get("taxonomies") {
        Some(serde_yaml::Value::Mapping(_)) => sub_mapping(doc, map, "taxonomies"),
        None | Some(serde_yaml::Value::Null) => None,
        Some(_) => sub_mapping(doc, map, "taxonomies"),
    };
    if let Some(sub) = configured {
        doc.check_keys(
            sub,
            &[key("taxonomies")],
            TAXONOMY_KEYS,
            "under `taxonomies`",
        );
    }
    let mut taxonomies = Vec::new();
    for (field, title, path) in defaults {
        let mut taxonomy = TaxonomyConfig {
            field,
            title: title.to_string(),
            path: path.to_string(),
            path_at: (1, 1),
            page_size,
        };
        let at = [key("taxonomies"), key(field.key())];
        match configured.and_then(|sub| sub.get(field.key())) {
            None | Some(serde_yaml::Value::Null) => {}
            Some(serde_yaml::Value::Bool(false)) => continue,
            Some(serde_yaml::Value::Mapping(settings)) => {
                doc.check_keys(settings, &at, TAXONOMY_FIELDS, &format!("under `taxonomies.{}`", field.key()));
                if let Some(title) = doc.text(settings, &at, "title") {
                    taxonomy.title = title;
                }
                if let Some(path) = doc.text(settings, &at, "path") {
                    check_list_path(doc, &join(&at, "path"), &path);
                    taxonomy.path = path;
                    taxonomy.path_at = doc.position(&join(&at, "path"));
                }
                if let Some(size) = doc.number(settings, &at, "page_size") {
                    taxonomy.page_size = size.clamp(1, 1000) as usize;
                }
            }
            Some(_) => doc.report(
                &at,
                format!("`taxonomies.{}` must be settings or `false`", field.key()),
                "write e.g.  tags: { title: \"Chủ đề\", path: \"/chu-de/\", page_size: 20 }  or  tags: false",
            ),
        }
        taxonomies.push(taxonomy);
    }
    taxonomies
}

/// List paths are site paths of one or more words, each between slashes: `/chu-de/`.
fn check_list_path(doc: &mut YamlDoc, at: &[crate::yaml::Seg], path: &str) {
    let words: Vec<&str> = path.trim_matches('/').split('/').collect();
    let well_formed = path.starts_with('/')
        && path.ends_with('/')
        && words
            .iter()
            .all(|w| !w.is_empty() && crate::vi::slugify(w).as_deref() == Ok(*w));
    if !well_formed {
        doc.report(
            at,
            format!("`{path}` is not a site path of URL words"),
            "write it like \"/chu-de/\": lower-case words without marks, between slashes",
        );
    }
}

fn read_feeds(doc: &mut YamlDoc, map: &Mapping) -> FeedConfig {
    let mut feeds = FeedConfig::default();
    let Some(sub) = sub_mapping(doc, map, "feeds") else {
        return feeds;
    };
    let path = [key("feeds")];
    doc.check_keys(sub, &path, FEED_KEYS, "under `feeds`");
    if let Some(limit) = doc.number(sub, &path, "limit") {
        if !(1..=10_000).contains(&limit) {
            doc.report(
                &join(&path, "limit"),
                "`feeds.limit` must be between 1 and 10000",
                "write e.g. limit: 50",
            );
        }
        feeds.limit = limit.clamp(1, 10_000) as usize;
    }
    feeds.full_content = doc.boolean(sub, &path, "full_content").unwrap_or(false);
    feeds.sections = doc.boolean(sub, &path, "sections").unwrap_or(true);
    for name in doc.texts(sub, &path, "taxonomies") {
        match name.as_str() {
            "tags" => feeds.taxonomies.push(TaxonomyField::Tags),
            "authors" => feeds.taxonomies.push(TaxonomyField::Authors),
            "agencies" => feeds.taxonomies.push(TaxonomyField::Agencies),
            other => doc.report(
                &join(&path, "taxonomies"),
                format!("`{other}` is not a taxonomy"),
                "list some of: tags, authors, agencies",
            ),
        }
    }
    feeds
}

fn read_news_days(doc: &mut YamlDoc, map: &Mapping) -> u32 {
    let days = doc.number(map, &[], "news_days").unwrap_or(2);
    if !(1..=30).contains(&days) {
        doc.report(
            &[key("news_days")],
            "`news_days` must be between 1 and 30",
            "Google News reads articles of the last 2 days: news_days: 2",
        );
    }
    days.clamp(1, 30) as u32
}

fn read_publisher(doc: &mut YamlDoc, map: &Mapping) -> Publisher {
    let Some(sub) = sub_mapping(doc, map, "publisher") else {
        return Publisher::default();
    };
    let path = [key("publisher")];
    doc.check_keys(sub, &path, PUBLISHER_KEYS, "under `publisher`");
    Publisher {
        agency: doc.text(sub, &path, "agency"),
        responsible: doc.text(sub, &path, "responsible"),
        address: doc.text(sub, &path, "address"),
        phone: doc.text(sub, &path, "phone"),
        email: doc.text(sub, &path, "email"),
        license: doc.text(sub, &path, "license"),
    }
}

fn read_date_formats(doc: &mut YamlDoc, map: &Mapping) -> DateFormats {
    let defaults = DateFormats::default();
    let Some(sub) = sub_mapping(doc, map, "date_formats") else {
        return defaults;
    };
    let path = [key("date_formats")];
    doc.check_keys(sub, &path, DATE_FORMAT_KEYS, "under `date_formats`");
    let formats = DateFormats {
        full: doc.text(sub, &path, "full").unwrap_or(defaults.full),
        short: doc.text(sub, &path, "short").unwrap_or(defaults.short),
        text: doc.text(sub, &path, "text").unwrap_or(defaults.text),
    };
    if let Err(error) = formats.check() {
        let which = DATE_FORMAT_KEYS
            .iter()
            .find(|k| sub.get(**k).and_then(|v| v.as_str()) == Some(error.pattern.as_str()))
            .copied()
            .unwrap_or("full");
        doc.report(&join(&path, which), error.to_string(), "");
    }
    formats
}

/// Whether `url` is a full web address, as feeds, sitemaps and shared links need.
pub fn is_absolute_address(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

fn check_permalink(pattern: &str) -> Result<(), String> {
    if !pattern.starts_with('/') || !pattern.ends_with('/') {
        return Err(format!(
            "`permalink` must start and end with `/`, not `{pattern}`"
        ));
    }
    if !pattern.contains(":slug") {
        return Err("`permalink` must contain :slug, or articles would share one URL".to_string());
    }
    for word in pattern.split('/').filter(|w| w.starts_with(':')) {
        if !PERMALINK_PLACEHOLDERS.contains(&word) {
            return Err(format!("unknown placeholder `{word}` in `permalink`"));
        }
    }
    Ok(())
}

fn normalize_base_url(url: &str) -> String {
    let trimmed = url.trim();
    if trimmed.ends_with('/') {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_url() {
        let config = Config::parse(
            Path::new("bantin.yaml"),
            "title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/bantin\"\n",
        )
        .unwrap();
        assert_eq!(config.base_url, "https://example.gov.vn/bantin/");
        assert_eq!(
            config.absolute("/thoi-su/"),
            "https://example.gov.vn/bantin/thoi-su/"
        );
        assert_eq!(config.base_path(), "/bantin/");
        assert_eq!(
            config
                .clone()
                .with_base_url("http://127.0.0.1:1111")
                .base_path(),
            "/"
        );
        assert_eq!(config.permalink, "/:section/:year/:month/:slug/");
        assert_eq!(config.page_size, 10);
    }

    #[test]
    fn a_base_url_that_is_no_full_address_is_reported_at_its_line() {
        for url in ["tin.example.gov.vn", "/tin/"] {
            let text = format!("title: \"Bản tin\"\nbase_url: \"{url}\"\n");
            let errors = Config::parse(Path::new("bantin.yaml"), &text).unwrap_err();
            assert_eq!(errors[0].line, 2, "{errors:#?}");
            assert!(errors[0].message.contains("full address"), "{errors:#?}");
        }
        assert!(is_absolute_address("https://tin.example.gov.vn/"));
        assert!(!is_absolute_address("/"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_all_reported() {
        let text = "title: \"Bản tin\"\npermalnk: \"/:slug/\"\npublisher:\n  agensy: \"Ban\"\npage_size: 0\n";
        let errors = Config::parse(Path::new("bantin.yaml"), text).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4, 5], "{errors:#?}");
        assert_eq!(
            errors[0].help.as_deref().map(|h| h.contains("`permalink`")),
            Some(true)
        );
        assert_eq!(
            errors[1].help.as_deref().map(|h| h.contains("`agency`")),
            Some(true)
        );
    }

    #[test]
    fn permalink_patterns() {
        assert!(check_permalink("/:section/:year/:month/:day/:slug/").is_ok());
        assert!(check_permalink("/:slug/").is_ok());
        assert!(check_permalink("/:section/:year/").is_err());
        assert!(check_permalink("/:section/:nam/:slug/").is_err());
        assert!(check_permalink(":slug").is_err());
    }
}
