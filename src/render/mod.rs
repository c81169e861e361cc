//! Render stage: Markdown bodies to HTML, then every page of the site through the theme.
//!
//! Pages are described by `Job`s and rendered one at a time, so a page's context holds only
//! what that page shows and pages can be rendered in parallel and streamed to disk.

mod context;
pub mod html;
pub mod markdown;
pub mod templates;

use crate::assemble::paginate::{page_path, paginate, visible_numbers, Pager};
use crate::assemble::Site;
use crate::diagnostics::Diagnostic;
use crate::load::{PhotoRoots, SiteDirs};
use crate::vi::{compare_key, first_letter};
use context::*;
use markdown::{convert, BodyContext};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use tera::{Context, Tera, Value};

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    NotFound,
}

/// A rendered page: where it goes in the output and its bytes.
pub struct Output {
    /// Relative to the output root: `thoi-su/index.html`.
    pub file: String,
    pub html: String,
}

/// Converted Markdown of one article.
struct ArticleBody {
    html: String,
    summary: String,
}

pub struct Renderer<'s> {
    site: &'s Site,
    tera: Tera,
    bodies: Vec<ArticleBody>,
    section_bodies: Vec<String>,
    /// The list item of each article, built once and shared by every list that shows it.
    items: Vec<Value>,
    /// Per taxonomy: compare key of a name → term index.
    term_index: Vec<HashMap<String, usize>>,
    /// Position of each article in its own section's list, for previous/next links.
    section_position: Vec<usize>,
}

/// Every Markdown body of the site converted to HTML.
pub struct Bodies {
    articles: Vec<ArticleBody>,
    sections: Vec<String>,
}

/// Converts every body (in parallel), with every problem found (broken links, missing photos).
pub fn convert_bodies(site: &Site, dirs: &SiteDirs) -> (Bodies, Vec<Diagnostic>) {
    let theme_static = dirs.theme.join("static");
    let roots = PhotoRoots {
        content: &dirs.content,
        statics: [&dirs.statics, &theme_static],
    };
    let converted: Vec<(ArticleBody, Vec<Diagnostic>)> = site
        .articles
        .par_iter()
        .map(|article| {
            let source = &article.source;
            let cx = BodyContext {
                config: &site.config,
                roots: &roots,
                links: &site.links,
                dir: &source.dir,
                bundle: source.bundle,
                page_path: &article.path,
                file: &source.file.display,
                body_line: source.body_line,
            };
            let body = convert(&source.body, &cx);
            let summary = source
                .matter
                .summary
                .clone()
                .unwrap_or(body.first_paragraph);
            (
                ArticleBody {
                    html: body.html,
                    summary,
                },
                body.diagnostics,
            )
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut articles = Vec::with_capacity(converted.len());
    for (body, found) in converted {
        articles.push(body);
        diagnostics.extend(found);
    }
    let sections = site
        .sections
        .iter()
        .map(|section| {
            let Some(file) = &section.file else {
                return String::new();
            };
            let dir = file
                .display
                .parent()
                .and_then(|p| p.strip_prefix("content").ok())
                .unwrap_or(Path::new(""));
            let cx = BodyContext {
                config: &site.config,
                roots: &roots,
                links: &site.links,
                dir,
                bundle: false,
                page_path: &section.path,
                file: &file.display,
                body_line: section.body_line,
            };
            let body = convert(&section.body, &cx);
            diagnostics.extend(body.diagnostics);
            body.html
        })
        .collect();
    (Bodies { articles, sections }, diagnostics)
}

impl<'s> Renderer<'s> {
    /// Prepares the templates and the list items every page shares.
    pub fn new(site: &'s Site, mut tera: Tera, bodies: Bodies) -> Renderer<'s> {
        tera.global_context().insert("site", &site_context(site));
        let term_index = site
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .enumerate()
                    .map(|(i, term)| (compare_key(&term.name), i))
                    .collect()
            })
            .collect();
        let mut renderer = Renderer {
            site,
            tera,
            bodies: bodies.articles,
            section_bodies: bodies.sections,
            items: Vec::new(),
            term_index,
            section_position: vec![0; site.articles.len()],
        };
        renderer.items = (0..site.articles.len())
            .map(|i| Value::from_serializable(&renderer.item(i)))
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
                for pager in paginate(&term.path, term.articles.len(), site.config.page_size) {
                    jobs.push(Job::Term {
                        taxonomy: t,
                        term: term_index,
                        page: pager.number,
                    });
                }
            }
        }
        jobs.push(Job::NotFound);
        jobs
    }

    /// Renders one page.
    pub fn render(&self, job: &Job) -> Result<Output, Diagnostic> {
        let (template, path, context) = match *job {
            Job::List { section, page } => self.list_page(section, page),
            Job::Article(index) => self.article_page(index),
            Job::Terms(taxonomy) => self.terms_page(taxonomy),
            Job::Term {
                taxonomy,
                term,
                page,
            } => self.term_page(taxonomy, term, page),
            Job::NotFound => self.not_found_page(),
        };
        let html = self.tera.render(template, &context).map_err(|error| {
            let (name, line, column) = templates::error_position(&error);
            let file = Path::new("themes")
                .join(&self.site.config.theme)
                .join("templates")
                .join(name.unwrap_or_else(|| template.to_string()));
            Diagnostic::error(
                &file,
                line,
                column,
                format!("while rendering {path}:\n{error}"),
            )
        })?;
        Ok(Output {
            file: output_file(&path),
            html,
        })
    }

    fn absolute(&self, path: &str) -> String {
        self.site.config.absolute(path)
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
            authors: self.term_links(1, &matter.authors),
            lead_photo: article.photos.first(),
        }
    }

    fn section_link(&self, section: usize) -> Option<SectionLink<'_>> {
        let section = &self.site.sections[section];
        (!section.key.is_empty()).then(|| SectionLink {
            title: &section.title,
            url: self.absolute(&section.path),
        })
    }

    fn term_links<'a>(&'a self, taxonomy: usize, names: &'a [String]) -> Vec<Link<'a>> {
        let terms = &self.site.taxonomies[taxonomy].terms;
        names
            .iter()
            .map(|name| Link {
                name,
                url: self.term_index[taxonomy]
                    .get(&compare_key(name))
                    .map(|&i| self.absolute(&terms[i].path))
                    .unwrap_or_default(),
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
        context.insert("breadcrumbs", &crumbs);
        context
    }

    fn home_crumb(&self) -> Crumb<'_> {
        Crumb {
            title: "Trang chủ",
            url: self.absolute("/"),
        }
    }

    /// Breadcrumbs from the home page down to `section` (included).
    fn section_crumbs(&self, section: usize) -> Vec<Crumb<'_>> {
        let mut chain = Vec::new();
        let mut current = Some(section);
        while let Some(index) = current {
            let s = &self.site.sections[index];
            if s.parent.is_some() {
                chain.push(Crumb {
                    title: &s.title,
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
        let url = |n: usize| self.absolute(&page_path(&pager.base, n));
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

    fn item_values(&self, indexes: &[usize]) -> Value {
        Value::from(
            indexes
                .iter()
                .map(|&i| self.items[i].clone())
                .collect::<Vec<Value>>(),
        )
    }

    fn list_page(&self, section_index: usize, page: usize) -> (&'static str, String, Context) {
        let site = self.site;
        let section = &site.sections[section_index];
        let pager = &paginate(&section.path, section.articles.len(), section.page_size)[page - 1];
        let path = page_path(&section.path, page);
        let slice = &section.articles[pager.range.clone()];
        let is_home = section.parent.is_none();
        let description = section
            .description
            .as_deref()
            .unwrap_or(&site.config.description);
        let top = site
            .top_section(section_index)
            .map(|i| site.sections[i].key.as_str());
        let crumbs = if is_home {
            Vec::new()
        } else {
            self.section_crumbs(section_index)
        };
        let mut context = self.base_context(
            if is_home { "home" } else { "section" },
            &section.title,
            description,
            &path,
            top,
            crumbs,
        );
        context.insert("paginator", &self.paginator(pager));
        if is_home {
            let (lead, rest) = match slice.split_first() {
                Some((lead, rest)) if page == 1 => (Some(*lead), rest),
                _ => (None, slice),
            };
            context.insert_value(
                "lead",
                lead.map_or(Value::none(), |i| self.items[i].clone()),
            );
            context.insert_value("articles", self.item_values(rest));
            return ("index.html", path, context);
        }
        context.insert(
            "section",
            &SectionContext {
                title: &section.title,
                description: section.description.as_deref(),
                content: &self.section_bodies[section_index],
                url: self.absolute(&section.path),
            },
        );
        context.insert_value("articles", self.item_values(slice));
        ("section.html", path, context)
    }

    fn article_page(&self, index: usize) -> (&'static str, String, Context) {
        let site = self.site;
        let article = &site.articles[index];
        let matter = &article.source.matter;
        let body = &self.bodies[index];
        let mut crumbs = self.section_crumbs(article.section);
        crumbs.push(Crumb {
            title: &matter.title,
            url: self.absolute(&article.path),
        });
        let top = site
            .top_section(article.section)
            .map(|i| site.sections[i].key.as_str());
        let mut context = self.base_context(
            "article",
            &matter.title,
            &body.summary,
            &article.path,
            top,
            crumbs,
        );
        let siblings = &site.sections[article.section].articles;
        let position = self.section_position[index];
        let neighbour = |p: Option<usize>| {
            p.and_then(|p| siblings.get(p))
                .map(|&i| self.items[i].clone())
        };
        context.insert(
            "article",
            &ArticleContext {
                title: &matter.title,
                url: self.absolute(&article.path),
                date: matter.date,
                updated: matter.updated,
                summary: matter.summary.as_deref(),
                content: &body.html,
                section: self.section_link(article.section),
                authors: self.term_links(1, &matter.authors),
                tags: self.term_links(0, &matter.tags),
                agencies: self.term_links(2, &matter.agencies),
                lead_photo: article.photos.first(),
                photos: article.photos.get(1..).unwrap_or_default(),
                source: matter.source.as_ref(),
                location: matter.location.as_deref(),
                extra: &matter.extra,
                prev: neighbour(Some(position + 1)),
                next: neighbour(position.checked_sub(1)),
            },
        );
        ("article.html", article.path.clone(), context)
    }

    fn taxonomy_context(&self, taxonomy: usize) -> TaxonomyContext<'_> {
        let t = &self.site.taxonomies[taxonomy];
        TaxonomyContext {
            key: t.key,
            title: t.title,
            url: self.absolute(&t.path),
        }
    }

    fn terms_page(&self, taxonomy: usize) -> (&'static str, String, Context) {
        let t = &self.site.taxonomies[taxonomy];
        let crumbs = vec![
            self.home_crumb(),
            Crumb {
                title: t.title,
                url: self.absolute(&t.path),
            },
        ];
        let mut context = self.base_context("terms", t.title, t.title, &t.path, None, crumbs);
        let mut groups: Vec<LetterGroup> = Vec::new();
        for term in &t.terms {
            let letter = first_letter(&term.name);
            let entry = TermContext {
                name: &term.name,
                url: self.absolute(&term.path),
                count: term.articles.len(),
            };
            match groups.last_mut() {
                Some(group) if group.letter == letter => group.terms.push(entry),
                _ => groups.push(LetterGroup {
                    letter,
                    terms: vec![entry],
                }),
            }
        }
        context.insert("taxonomy", &self.taxonomy_context(taxonomy));
        context.insert("groups", &groups);
        ("terms.html", t.path.clone(), context)
    }

    fn term_page(
        &self,
        taxonomy: usize,
        term_index: usize,
        page: usize,
    ) -> (&'static str, String, Context) {
        let t = &self.site.taxonomies[taxonomy];
        let term = &t.terms[term_index];
        let pager =
            &paginate(&term.path, term.articles.len(), self.site.config.page_size)[page - 1];
        let path = page_path(&term.path, page);
        let title = format!("{}: {}", t.title, term.name);
        let crumbs = vec![
            self.home_crumb(),
            Crumb {
                title: t.title,
                url: self.absolute(&t.path),
            },
            Crumb {
                title: &term.name,
                url: self.absolute(&term.path),
            },
        ];
        let mut context = self.base_context("term", &title, &title, &path, None, crumbs);
        context.insert("taxonomy", &self.taxonomy_context(taxonomy));
        context.insert(
            "term",
            &TermContext {
                name: &term.name,
                url: self.absolute(&term.path),
                count: term.articles.len(),
            },
        );
        context.insert("paginator", &self.paginator(pager));
        context.insert_value(
            "articles",
            self.item_values(&term.articles[pager.range.clone()]),
        );
        ("term.html", path, context)
    }

    fn not_found_page(&self) -> (&'static str, String, Context) {
        let title = "Không tìm thấy trang";
        let crumbs = vec![
            self.home_crumb(),
            Crumb {
                title,
                url: self.absolute("/404.html"),
            },
        ];
        let context = self.base_context("404", title, title, "/404.html", None, crumbs);
        ("404.html", "/404.html".to_string(), context)
    }
}

fn site_context(site: &Site) -> SiteContext<'_> {
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
        extra: &config.extra,
    }
}

/// `/thoi-su/` → `thoi-su/index.html`; `/404.html` → `404.html`.
pub fn output_file(path: &str) -> String {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}
