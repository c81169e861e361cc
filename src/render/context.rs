//! What templates see: plain structs serialized into Tera values (documented in themes/README.md).

use crate::assemble::Photo;
use crate::config::Publisher;
use crate::load::SourceMatter;
use crate::vi::VnDate;
use serde::Serialize;

#[derive(Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'static str,
    pub banner: Option<&'a str>,
    pub logo: Option<String>,
    pub publisher: &'a Publisher,
    pub menu: Vec<MenuItem<'a>>,
    /// The index pages of the taxonomies: `{ key, title, url }`.
    pub taxonomies: Vec<TaxonomyContext<'a>>,
    /// The date archive: `/luu-tru/`.
    pub archive_url: String,
    /// The search page (`search_path`, `/tim-kiem/` by default), null when `search: false`.
    pub search_url: Option<String>,
    pub extra: &'a serde_json::Value,
    /// The year of the build in Vietnam (`© 2024` in a footer); it changes the pages once a
    /// year only.
    pub year: i32,
}

#[derive(Serialize)]
pub struct MenuItem<'a> {
    pub title: &'a str,
    pub url: String,
    pub key: &'a str,
}

#[derive(Serialize)]
pub struct PageContext<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub section_key: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct Link<'a> {
    pub name: &'a str,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: String,
}

/// An article as shown in lists.
#[derive(Serialize)]
pub struct ArticleItem<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: VnDate,
    pub updated: Option<VnDate>,
    pub summary: &'a str,
    pub section: Option<SectionLink<'a>>,
    pub authors: Vec<Link<'a>>,
    /// The month archive of its date: `/luu-tru/2024/04/`.
    pub archive_url: String,
    pub lead_photo: Option<&'a Photo>,
    /// The article's free `extra:` map (null when it has none): `item.extra.noi_bat`.
    pub extra: &'a serde_json::Value,
}

/// An article on its own page.
#[derive(Serialize)]
pub struct ArticleContext<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: VnDate,
    pub updated: Option<VnDate>,
    /// The sapo given in front matter (not the first paragraph, which the body shows).
    pub summary: Option<&'a str>,
    pub content: &'a str,
    /// The body ends with the authors' names, as papers sign an article: a byline would
    /// repeat them.
    pub signed: bool,
    pub section: Option<SectionLink<'a>>,
    pub authors: Vec<Link<'a>>,
    pub tags: Vec<Link<'a>>,
    pub agencies: Vec<Link<'a>>,
    pub archive_url: String,
    pub lead_photo: Option<&'a Photo>,
    /// The lead photo, shown after the sapo, unless the body shows it where the editor put it.
    pub top_photo: Option<&'a Photo>,
    /// The other front matter photos that the body does not show, for after the body.
    pub photos: Vec<&'a Photo>,
    pub source: Option<&'a SourceMatter>,
    pub location: Option<&'a str>,
    pub extra: &'a serde_json::Value,
    pub prev: Option<tera::Value>,
    pub next: Option<tera::Value>,
}

#[derive(Serialize)]
pub struct SectionContext<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub content: &'a str,
    pub url: String,
    /// Sections nested in this one, in menu order.
    pub subsections: Vec<SectionLink<'a>>,
}

/// A top-level section on the home page, with its newest articles.
#[derive(Serialize)]
pub struct SectionBlock<'a> {
    pub title: &'a str,
    pub url: String,
    pub key: &'a str,
    pub articles: tera::Value,
}

#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PagerLink>,
}

#[derive(Serialize)]
pub struct PagerLink {
    pub number: Option<usize>,
    pub url: Option<String>,
    pub current: bool,
    pub gap: bool,
}

#[derive(Serialize)]
pub struct TaxonomyContext<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct TermContext<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct LetterGroup<'a> {
    pub letter: String,
    pub terms: Vec<TermContext<'a>>,
}

/// A year of the date archive, or a month of a year.
#[derive(Serialize)]
pub struct ArchivePeriod {
    pub year: i32,
    /// Null for a year.
    pub month: Option<u32>,
    /// Shown to readers: `Năm 2024`, `Tháng 4/2024`.
    pub title: String,
    pub url: String,
    pub count: usize,
}
