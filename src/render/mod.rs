//! Render stage: Markdown bodies to HTML, then every page of the site through the theme.
//!
//! Pages are described by `Job`s and rendered one at a time, so a page's context holds only
//! what that page shows and pages can be rendered in parallel and streamed to disk.

mod bodies;
mod context;
mod feeds;
mod fingerprint;
pub mod html;
pub mod markdown;
pub mod metadata;
mod pages;
mod sitemap;
pub mod templates;
pub mod xml;

use crate::assemble::archive::{month_path, year_path};
use crate::assemble::paginate::{page_path, paginate, visible_numbers, Pager};
use crate::assemble::{OutputAsset, Photo, Site};
use crate::config::TaxonomyField;
use crate::diagnostics::Diagnostic;
use crate::vi::VnDate;
use bodies::ArticleBody;
pub use bodies::{convert_bodies, convert_bodies_cached, split_names, Bodies, BodyCache};
use context::*;
use markdown::FigureTemplate;
use rayon::prelude::*;
use std::sync::Arc;
use tera::{Context, Tera, Value};

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    /// A page of a section's list; section 0 is the home page.
    List {
        section: usize,
        page: usize,
    },
    Article(usize),
    Terms(usize),
    Term {
        taxonomy: usize,
        term: usize,
        page: usize,
    },
    /// `/luu-tru/`: every year.
    ArchiveYears,
    /// `/luu-tru/2024/`: the months of a year (index into `Site::archive`).
    ArchiveYear(usize),
    /// `/luu-tru/2024/04/`: a month's articles.
    ArchiveMonth {
        year: usize,
        month: usize,
        page: usize,
    },
    NotFound,
    /// `/tim-kiem/`: the search page.
    Search,
    /// `rss.xml` (or `atom.xml` when `atom`) of a scope.
    Feed {
        scope: FeedScope,
        atom: bool,
    },
    /// A part of the sitemap (the only one is `sitemap.xml` itself).
    SitemapPart(usize),
    /// `sitemap.xml` listing the parts, when there are several.
    SitemapIndex,
    NewsSitemap,
    Robots,
    /// A redirect from an old URL of an article (`aliases`).
    Alias {
        article: usize,
        alias: usize,
    },
}

/// A rendered file: where it goes in the output and its text.
pub struct Output {
    /// Relative to the output root: `thoi-su/index.html`.
    pub file: String,
    pub bytes: Vec<u8>,
}

pub use feeds::FeedScope;

pub struct Renderer<'s> {
    site: &'s Site,
    tera: Tera,
    bodies: Vec<Arc<ArticleBody>>,
    dirs: crate::load::SiteDirs,
    section_bodies: Vec<String>,
    /// Medium copies of the wide photos only bodies show, to make with the site's assets.
    body_copies: Vec<OutputAsset>,
    /// The list item of each article, built once and shared by every list that shows it.
    items: Vec<Value>,
    /// Position of each article in its own section's list, for previous/next links.
    section_position: Vec<usize>,
    /// The newest articles of the site ("Tin mới nhất" beside an article).
    latest: Value,
    /// The feed links of each section's pages and of its articles' (the site's feeds, and the
    /// section's own), made once rather than for every page.
    section_feeds: Vec<Value>,
    /// The moment of the build: it chooses the articles of the news sitemap.
    build_time: VnDate,
    sitemap_entries: Arc<Vec<sitemap::SitemapEntry>>,
    sitemap_ranges: Vec<std::ops::Range<usize>>,
    /// A hash of each article's list item, and of what every page shares (settings, menu,
    /// templates): `fingerprint` builds on them.
    item_keys: Vec<u64>,
    global_key: u64,
    /// What the templates rendered before any page met, merged: the list item
    /// (`ITEM_TEMPLATE`), and the theme's own figure partial in section bodies.
    template_problems: Vec<Diagnostic>,
    /// The theme's `FIGURE_TEMPLATE` is its own, not the default theme's: photos in bodies go
    /// through it (otherwise bantin writes the default markup itself, at no template's cost).
    own_figure: bool,
}

/// What an earlier rebuild prepared for rendering: list items by a hash of what they show, and
/// the sitemap entries with a hash of what they list.
#[derive(Default)]
pub struct ItemCache {
    entries: ahash::AHashMap<u64, Value>,
    sitemap: Option<(u64, Arc<Vec<sitemap::SitemapEntry>>)>,
}

/// The theme's article in a list, rendered once per article: lists print its `item.html`.
pub const ITEM_TEMPLATE: &str = "partials/article_item.html";

/// One photo as `<figure>`: lead photos, galleries, and photos alone in a body's paragraph.
pub const FIGURE_TEMPLATE: &str = "partials/figure.html";

/// The default theme's figure partial, whose markup `html::figure` writes without Tera.
const DEFAULT_FIGURE: &str = include_str!("../../themes/default/templates/partials/figure.html");

/// How many articles the "Tin mới nhất" block shows.
const LATEST_COUNT: usize = 5;

impl<'s> Renderer<'s> {
    /// Prepares the templates and the list items every page shares.
    pub fn new(site: &'s Site, tera: Tera, bodies: Bodies, build_time: VnDate) -> Renderer<'s> {
        Renderer::new_cached(site, tera, bodies, build_time, &mut ItemCache::default(), 0)
    }

    /// Like `new`, reusing the list items of `cache` whose article did not change;
    /// `templates_key` identifies the templates' version.
    pub fn new_cached(
        site: &'s Site,
        mut tera: Tera,
        bodies: Bodies,
        build_time: VnDate,
        cache: &mut ItemCache,
        templates_key: u64,
    ) -> Renderer<'s> {
        let site_value = site_context(site, build_time);
        let global_key = fingerprint::global_key(site, &site_value, templates_key);
        tera.global_context().insert("site", &site_value);
        let own_figure = templates::differs(&bodies.dirs, FIGURE_TEMPLATE, DEFAULT_FIGURE);
        let mut renderer = Renderer {
            site,
            tera,
            bodies: bodies.articles,
            section_bodies: bodies.sections,
            body_copies: bodies.copies,
            dirs: bodies.dirs,
            items: Vec::new(),
            section_position: vec![0; site.articles.len()],
            latest: Value::none(),
            section_feeds: Vec::new(),
            build_time,
            sitemap_entries: Arc::new(Vec::new()),
            sitemap_ranges: Vec::new(),
            item_keys: Vec::new(),
            global_key,
            template_problems: Vec::new(),
            own_figure,
        };
        renderer.item_keys = (0..site.articles.len())
            .into_par_iter()
            .map(|i| renderer.item_key(i))
            .collect();
        let sitemap_key = renderer.sitemap_key();
        renderer.sitemap_entries = match &cache.sitemap {
            Some((key, entries)) if *key == sitemap_key => Arc::clone(entries),
            _ => Arc::new(renderer.sitemap_entries()),
        };
        cache.sitemap = Some((sitemap_key, Arc::clone(&renderer.sitemap_entries)));
        renderer.sitemap_ranges = Renderer::sitemap_parts(&renderer.sitemap_entries);
        let items: Vec<(Value, Option<Diagnostic>)> = (0..site.articles.len())
            .into_par_iter()
            .map(|i| match cache.entries.get(&renderer.item_keys[i]) {
                Some(value) => (value.clone(), None),
                None => renderer.item_value(i),
            })
            .collect();
        // An item whose template failed is not kept: the next rebuild tries it again, and
        // reports the problem again, instead of showing it without `html`.
        let mut fresh = ahash::AHashMap::with_capacity(items.len());
        let mut problems = Vec::new();
        renderer.items = (renderer.item_keys.iter().zip(items))
            .map(|(&key, (item, problem))| {
                match problem {
                    Some(problem) => problems.push(problem),
                    None => {
                        fresh.insert(key, item.clone());
                    }
                }
                item
            })
            .collect();
        cache.entries = fresh;
        renderer.template_problems = merge_counted(problems, ("article", "articles"));
        if renderer.own_figure {
            let figure_problems = merge_repeated(renderer.section_figures());
            renderer.template_problems.extend(figure_problems);
        }
        let newest: Vec<usize> = renderer.newest().collect();
        renderer.latest = renderer.item_values(&newest);
        renderer.section_feeds = (0..site.sections.len())
            .map(|i| Value::from_serializable(&renderer.page_feeds(FeedScope::Section(i))))
            .collect();
        for (index, section) in site.sections.iter().enumerate() {
            for (position, &article) in section.articles.iter().enumerate() {
                if site.articles[article].section == index {
                    renderer.section_position[article] = position;
                }
            }
        }
        renderer
    }

    /// The large things the renderer owns (list items, converted bodies, templates), without
    /// its borrow of the site, for a build to let go on another thread.
    pub fn into_owned(self) -> impl Send + 'static {
        (
            self.items,
            self.bodies,
            self.tera,
            self.latest,
            self.sitemap_entries,
        )
    }

    /// The medium copies of the wide photos that only bodies show (articles' and sections'):
    /// made with the site's assets, by `build` and `serve` alike.
    pub fn body_copies(&self) -> &[OutputAsset] {
        &self.body_copies
    }

    /// What the templates rendered before any page met (the list item, the theme's own figure
    /// partial in section texts), one problem per place in them: a build stops there, since the
    /// lists would miss those items.
    pub fn template_problems(&self) -> &[Diagnostic] {
        &self.template_problems
    }

    /// Every page of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs = Vec::new();
        for (index, section) in site.sections.iter().enumerate() {
            for pager in paginate(&section.path, section.articles.len(), section.page_size) {
                jobs.push(Job::List {
                    section: index,
                    page: pager.number,
                });
            }
        }
        jobs.extend((0..site.articles.len()).map(Job::Article));
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            jobs.push(Job::Terms(t));
            for (term_index, term) in taxonomy.terms.iter().enumerate() {
                for pager in paginate(&term.path, term.articles.len(), taxonomy.page_size) {
                    jobs.push(Job::Term {
                        taxonomy: t,
                        term: term_index,
                        page: pager.number,
                    });
                }
            }
        }
        jobs.push(Job::ArchiveYears);
        for (y, year) in site.archive.iter().enumerate() {
            jobs.push(Job::ArchiveYear(y));
            for (m, month) in year.months.iter().enumerate() {
                for pager in paginate("", month.articles.len(), site.config.page_size) {
                    jobs.push(Job::ArchiveMonth {
                        year: y,
                        month: m,
                        page: pager.number,
                    });
                }
            }
        }
        jobs.push(Job::NotFound);
        if site.config.search {
            jobs.push(Job::Search);
        }
        for scope in self.feed_scopes() {
            jobs.push(Job::Feed { scope, atom: false });
            jobs.push(Job::Feed { scope, atom: true });
        }
        jobs.extend((0..self.sitemap_ranges.len()).map(Job::SitemapPart));
        if self.sitemap_ranges.len() > 1 {
            jobs.push(Job::SitemapIndex);
        }
        if self.news().next().is_some() {
            jobs.push(Job::NewsSitemap);
        }
        jobs.push(Job::Robots);
        for (article, a) in site.articles.iter().enumerate() {
            jobs.extend(
                (0..a.source.matter.aliases.len()).map(|alias| Job::Alias { article, alias }),
            );
        }
        jobs
    }

    /// The output file of a job (relative, `/`-separated), known without rendering it.
    pub fn output_of(&self, job: &Job) -> String {
        let site = self.site;
        let path = match *job {
            Job::List { section, page } => self.page_path(&site.sections[section].path, page),
            Job::Article(index) => site.articles[index].path.clone(),
            Job::Terms(t) => site.taxonomies[t].path.clone(),
            Job::Term {
                taxonomy,
                term,
                page,
            } => self.page_path(&site.taxonomies[taxonomy].terms[term].path, page),
            Job::ArchiveYears => site.config.archive_path.clone(),
            Job::ArchiveYear(y) => year_path(&site.config.archive_path, site.archive[y].year),
            Job::ArchiveMonth { year, month, page } => {
                let m = &site.archive[year].months[month];
                self.page_path(
                    &month_path(&site.config.archive_path, m.year, m.month),
                    page,
                )
            }
            Job::NotFound => "/404.html".to_string(),
            Job::Search => site.config.search_path.clone(),
            Job::Feed { scope, atom } => {
                let (_, base, _) = self.feed_source(scope);
                format!("{base}{}", if atom { "atom.xml" } else { "rss.xml" })
            }
            Job::SitemapPart(part) if self.sitemap_ranges.len() > 1 => {
                format!("/sitemap-{}.xml", part + 1)
            }
            Job::SitemapPart(_) | Job::SitemapIndex => "/sitemap.xml".to_string(),
            Job::NewsSitemap => "/sitemap-news.xml".to_string(),
            Job::Robots => "/robots.txt".to_string(),
            Job::Alias { article, alias } => site.articles[article].source.matter.aliases[alias]
                .path
                .clone(),
        };
        crate::assemble::output_file(&path)
    }

    /// Aliases that name a file the site writes itself (`/rss.xml`, `/sitemap.xml`, a feed of
    /// a section) or copies (`/style.css`, a photo): the redirect would silently replace it.
    pub fn alias_clashes(&self, jobs: &[Job]) -> Vec<Diagnostic> {
        let (site, dirs) = (self.site, &self.dirs);
        let statics = [&dirs.theme_static, &dirs.statics].map(|folder| {
            crate::write::files_below(folder)
                .filter_map(|file| file.ok().map(|(relative, _)| relative))
        });
        let copies = (site.assets.iter().chain(&self.body_copies))
            .map(|asset| asset.to.trim_start_matches('/').to_string());
        let mut written: ahash::AHashSet<String> =
            statics.into_iter().flatten().chain(copies).collect();
        let mut clashes = Vec::new();
        // Aliases come last among the jobs: every file they could replace is known by then.
        for job in jobs {
            let output = self.output_of(job);
            match *job {
                Job::Alias { article, alias } if written.contains(&output) => {
                    let source = &site.articles[article].source;
                    let alias = &source.matter.aliases[alias];
                    let message = format!(
                        "the alias {} names a file the site writes itself ({output})",
                        alias.path
                    );
                    let (file, line, column) = (&source.file.display, alias.line, alias.column);
                    clashes.push(Diagnostic::error(file, line, column, message).with_help(
                        "remove it from `aliases`, or give the old address it really had",
                    ));
                }
                _ => {
                    written.insert(output);
                }
            }
        }
        clashes
    }

    /// How many times rendering `jobs` reads each article's body.
    pub fn body_reads(&self, jobs: &[Job]) -> Vec<u32> {
        let mut reads = vec![0; self.site.articles.len()];
        for job in jobs {
            match *job {
                Job::Article(index) => reads[index] += 1,
                Job::Feed { scope, .. } if self.site.config.feeds.full_content => {
                    for &index in self.feed_source(scope).2.iter() {
                        reads[index] += 1;
                    }
                }
                _ => {}
            }
        }
        reads
    }

    /// Renders one page.
    pub fn render(&self, job: &Job) -> Result<Output, Diagnostic> {
        let (template, path, context) = match *job {
            Job::List { section, page } => self.list_page(section, page),
            Job::Article(index) => self.article_page(index)?,
            Job::Terms(taxonomy) => self.terms_page(taxonomy),
            Job::Term {
                taxonomy,
                term,
                page,
            } => self.term_page(taxonomy, term, page),
            Job::ArchiveYears => self.archive_years_page(),
            Job::ArchiveYear(year) => self.archive_year_page(year),
            Job::ArchiveMonth { year, month, page } => self.archive_month_page(year, month, page),
            Job::NotFound => self.not_found_page(),
            Job::Search => self.search_page(),
            Job::Feed { scope, atom: false } => return self.rss(scope),
            Job::Feed { scope, atom: true } => return self.atom(scope),
            Job::SitemapPart(part) => return Ok(self.sitemap_part(part)),
            Job::SitemapIndex => return Ok(self.sitemap_index()),
            Job::NewsSitemap => return Ok(self.news_sitemap()),
            Job::Robots => return Ok(self.robots()),
            Job::Alias { article, alias } => return Ok(self.alias_page(article, alias)),
        };
        // Rendered straight into bytes: they go to a file, no need for a checked String.
        let mut bytes = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(template, &context, &mut bytes)
            .map_err(|error| self.template_error(template, &path, &error))?;
        Ok(Output {
            file: crate::assemble::output_file(&path),
            bytes,
        })
    }

    /// `error` of `template`, met while rendering `what` (a page's path), at its place in the
    /// template file.
    fn template_error(&self, template: &str, what: &str, error: &tera::Error) -> Diagnostic {
        let (name, line, column) = templates::error_position(error);
        let name = name.unwrap_or_else(|| template.to_string());
        let file = templates::template_file(&self.dirs, &name);
        Diagnostic::error(
            &file,
            line,
            column,
            format!("{RENDERING}{what}:\n{}", templates::report(error)),
        )
    }

    /// What lists show of an article: its summary, else its first paragraph.
    pub fn summary(&self, index: usize) -> &str {
        &self.bodies[index].summary
    }

    /// The HTML of an article's body, made when a page needs it.
    fn article_html(&self, index: usize) -> Result<String, Diagnostic> {
        let page = &self.site.articles[index].path;
        let render = |photo: &Photo| self.figure_html(photo, page);
        let figure: Option<FigureTemplate> = match self.own_figure {
            true => Some(&render),
            false => None,
        };
        bodies::article_html(self.site, &self.dirs, &self.bodies[index], index, figure)
    }

    /// A photo of the body of the page at `page`, through the theme's own figure partial.
    fn figure_html(&self, photo: &Photo, page: &str) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert("photo", photo);
        self.tera
            .render(FIGURE_TEMPLATE, &context)
            .map_err(|error| {
                let what = format!("a photo in the text of {page}");
                self.template_error(FIGURE_TEMPLATE, &what, &error)
            })
    }

    /// Converts the sections' bodies again with the theme's own figure partial; returns what
    /// it met.
    fn section_figures(&mut self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for index in 0..self.site.sections.len() {
            let page = &self.site.sections[index].path;
            let render = |photo: &Photo| self.figure_html(photo, page);
            match bodies::section_html(self.site, &self.dirs, index, &render) {
                Ok(html) => self.section_bodies[index] = html,
                Err(problem) => problems.push(problem),
            }
        }
        problems
    }

    fn absolute(&self, path: &str) -> String {
        self.site.config.absolute(path)
    }

    /// The site path of page `number` of the list at `base`.
    fn page_path(&self, base: &str, number: usize) -> String {
        page_path(base, number, &self.site.config.paginate_path)
    }

    fn item(&self, index: usize) -> ArticleItem<'_> {
        let article = &self.site.articles[index];
        let matter = &article.source.matter;
        ArticleItem {
            title: &matter.title,
            url: self.absolute(&article.path),
            date: matter.date,
            updated: matter.updated,
            summary: &self.bodies[index].summary,
            section: self.section_link(article.section),
            authors: self.term_links(TaxonomyField::Authors, index),
            archive_url: self.absolute(&month_path(
                &self.site.config.archive_path,
                matter.date.year(),
                matter.date.month(),
            )),
            lead_photo: article.photos.first(),
            extra: &matter.extra,
        }
    }

    /// The list item of an article as templates see it, with `html`: the theme's
    /// `ITEM_TEMPLATE` rendered for it once, since the item shows in many lists (its section,
    /// the home page, its terms, its month, related articles). Without `html` when that
    /// template failed, with the problem.
    fn item_value(&self, index: usize) -> (Value, Option<Diagnostic>) {
        let value = Value::from_serializable(&self.item(index));
        if !self.tera.contains_template(ITEM_TEMPLATE) {
            return (value, None);
        }
        let mut context = Context::new();
        context.insert_value("item", value.clone());
        let rendered = self.tera.render(ITEM_TEMPLATE, &context);
        // Let go of the context's share, so the map is taken over, not copied.
        drop(context);
        match rendered {
            Ok(html) => {
                let mut item = value.into_map().unwrap_or_default();
                item.insert("html".into(), Value::normal_string(&html));
                (Value::from(item), None)
            }
            Err(error) => (value, Some(self.item_error(index, &error))),
        }
    }

    /// `error` of the list item template, met rendering the item of article `index`.
    fn item_error(&self, index: usize, error: &tera::Error) -> Diagnostic {
        let what = format!("the list item of {}", self.site.articles[index].path);
        let problem = self.template_error(ITEM_TEMPLATE, &what, error);
        // Tera's words for a variable that is not there: `page`, say, which an include saw.
        match problem.message.contains("Available variables") {
            true => problem.with_help(format!("{ITEM_TEMPLATE} is rendered once per article and sees only `item` and `site`, not the page that lists it; a list that needs more can include a partial of its own")),
            false => problem,
        }
    }

    fn section_link(&self, section: usize) -> Option<SectionLink<'_>> {
        let section = &self.site.sections[section];
        (!section.key.is_empty()).then(|| SectionLink {
            title: &section.title,
            url: self.absolute(&section.path),
        })
    }

    /// An article's names of a taxonomy, each as its term's page shows it (`THÁI PHƯƠNG` and
    /// `Thái Phương` are one person, named one way everywhere) with the page's URL.
    fn term_links(&self, field: TaxonomyField, article: usize) -> Vec<Link<'_>> {
        let names = crate::assemble::taxonomy::names(field, &self.site.articles[article].source);
        let taxonomy = self.site.taxonomies.iter().find(|t| t.field == field);
        names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let term = taxonomy.and_then(|t| {
                    let term = t.of_article[article].get(k).copied().flatten()?;
                    Some(&t.terms[term])
                });
                Link {
                    name: term.map_or(name, |term| &term.name),
                    url: term.map(|term| self.absolute(&term.path)),
                }
            })
            .collect()
    }

    fn base_context(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        path: &str,
        section_key: Option<&str>,
        crumbs: Vec<Crumb>,
    ) -> Context {
        let mut context = Context::new();
        context.insert(
            "page",
            &PageContext {
                kind,
                title,
                description,
                url: self.absolute(path),
                section_key,
            },
        );
        context.insert(
            "json_ld",
            &metadata::script_json(&Vec::from_iter(metadata::breadcrumb_list(&crumbs))),
        );
        context.insert("breadcrumbs", &crumbs);
        context.insert("feeds", &self.feed_links(FeedScope::Site));
        context
    }

    fn home_crumb(&self) -> Crumb {
        Crumb {
            title: "Trang chủ".to_string(),
            url: self.absolute("/"),
        }
    }

    /// Breadcrumbs from the home page down to `section` (included).
    fn section_crumbs(&self, section: usize) -> Vec<Crumb> {
        let mut chain = Vec::new();
        let mut current = Some(section);
        while let Some(index) = current {
            let s = &self.site.sections[index];
            if s.parent.is_some() {
                chain.push(Crumb {
                    title: s.title.clone(),
                    url: self.absolute(&s.path),
                });
            }
            current = s.parent;
        }
        chain.push(self.home_crumb());
        chain.reverse();
        chain
    }

    fn paginator(&self, pager: &Pager) -> Paginator {
        let url = |n: usize| self.absolute(&self.page_path(&pager.base, n));
        Paginator {
            current: pager.number,
            total: pager.total,
            prev_url: (pager.number > 1).then(|| url(pager.number - 1)),
            next_url: (pager.number < pager.total).then(|| url(pager.number + 1)),
            pages: visible_numbers(pager.number, pager.total)
                .into_iter()
                .map(|n| PagerLink {
                    number: n,
                    url: n.map(url),
                    current: n == Some(pager.number),
                    gap: n.is_none(),
                })
                .collect(),
        }
    }

    /// The `LATEST_COUNT` newest articles of the site ("Tin mới nhất"; articles are newest
    /// first).
    fn newest(&self) -> std::ops::Range<usize> {
        0..self.site.articles.len().min(LATEST_COUNT)
    }

    /// The previous (older) and next (newer) article of `article`'s section.
    fn neighbours(&self, article: usize) -> (Option<usize>, Option<usize>) {
        let siblings = &self.site.sections[self.site.articles[article].section].articles;
        let position = self.section_position[article];
        let older = siblings.get(position + 1).copied();
        let newer = position
            .checked_sub(1)
            .and_then(|p| siblings.get(p))
            .copied();
        (older, newer)
    }

    /// The related articles of `article` its page shows: not its previous and next, linked
    /// just above them.
    fn related_for(&self, article: usize) -> Vec<usize> {
        let (older, newer) = self.neighbours(article);
        self.site.related[article]
            .iter()
            .copied()
            .filter(|&r| Some(r) != older && Some(r) != newer)
            .collect()
    }

    /// The newest articles of the site but `article` and those its page shows already
    /// (previous and next, related): a reader is not offered the same headline twice.
    fn latest_for(&self, article: usize) -> Vec<usize> {
        let (older, newer) = self.neighbours(article);
        let related = &self.site.related[article];
        let shown = |i: &usize| *i == article || Some(*i) == older || Some(*i) == newer;
        (0..self.site.articles.len())
            .filter(|i| !shown(i) && !related.contains(i))
            .take(LATEST_COUNT)
            .collect()
    }

    /// `latest_for` as template values: most pages share one list.
    fn latest_values(&self, article: usize) -> Value {
        let newest = self.latest_for(article);
        match newest.iter().copied().eq(self.newest()) {
            true => self.latest.clone(),
            false => self.item_values(&newest),
        }
    }

    fn item_values(&self, indexes: &[usize]) -> Value {
        Value::from(
            indexes
                .iter()
                .map(|&i| self.items[i].clone())
                .collect::<Vec<Value>>(),
        )
    }
}

fn site_context(site: &Site, build_time: VnDate) -> SiteContext<'_> {
    let config = &site.config;
    SiteContext {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        language: "vi",
        banner: config.banner.as_deref(),
        logo: config.logo.as_ref().map(|logo| {
            if logo.contains("://") {
                logo.clone()
            } else {
                config.absolute(logo)
            }
        }),
        publisher: &config.publisher,
        menu: site
            .menu()
            .into_iter()
            .map(|i| {
                let s = &site.sections[i];
                MenuItem {
                    title: &s.title,
                    url: config.absolute(&s.path),
                    key: &s.key,
                }
            })
            .collect(),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| TaxonomyContext {
                key: t.key,
                title: &t.title,
                url: config.absolute(&t.path),
            })
            .collect(),
        archive_url: config.absolute(&config.archive_path),
        search_url: config.search.then(|| config.absolute(&config.search_path)),
        extra: &config.extra,
        year: build_time.year(),
    }
}

/// How a template error names the page it broke.
const RENDERING: &str = "while rendering ";

/// One problem for each place in a template, however many pages it broke (a typo in
/// `article.html` breaks every article), whichever templates included it: the first page is
/// named, with how many more.
pub fn merge_repeated(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    merge_counted(problems, ("page", "pages"))
}

/// `merge_repeated`, counting what was rendered as `unit` (singular, plural).
fn merge_counted(problems: Vec<Diagnostic>, unit: (&str, &str)) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, usize)> = Vec::new();
    let mut seen: ahash::AHashMap<(std::path::PathBuf, usize, usize, String), usize> =
        Default::default();
    for problem in problems {
        let error = match problem.message.strip_prefix(RENDERING) {
            Some(rest) => rest.split_once('\n').map_or(rest, |(_, error)| error),
            None => problem.message.as_str(),
        };
        // Without the chain of includes that led to the place.
        let error = error.split("\nnote: called from").next().unwrap_or(error);
        let key = (
            problem.file.clone(),
            problem.line,
            problem.column,
            error.to_string(),
        );
        match seen.get(&key) {
            Some(&at) => merged[at].1 += 1,
            None => {
                seen.insert(key, merged.len());
                merged.push((problem, 0));
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut problem, more)| {
            if more > 0 {
                if let Some((page, error)) = problem.message.split_once(":\n") {
                    let pages = if more == 1 { unit.0 } else { unit.1 };
                    problem.message = format!("{page} (and {more} more {pages}):\n{error}");
                }
            }
            problem
        })
        .collect()
}
