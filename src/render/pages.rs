//! The pages of a site: for each kind, the template and the context it gets.

use super::context::*;
use super::feeds::FeedScope;
use super::{metadata, Output, Renderer};
use crate::assemble::archive::{month_path, year_path};
use crate::assemble::paginate::paginate;
use crate::config::TaxonomyField;
use crate::diagnostics::Diagnostic;
use crate::vi::first_letter;
use tera::{Context, Value};

/// A title inside a sentence: its first letter in lower case, the rest as written
/// (`Chủ đề TPHCM` → `chủ đề TPHCM`).
fn lower_first(title: &str) -> String {
    let mut chars = title.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// Articles of each section block on the home page.
const SECTION_BLOCK_ITEMS: usize = 4;

/// A page ready to render: template name, site path, context.
pub type PageSpec = (&'static str, String, Context);

impl Renderer<'_> {
    pub(super) fn list_page(
        &self,
        section_index: usize,
        page: usize,
    ) -> (&'static str, String, Context) {
        let site = self.site;
        let section = &site.sections[section_index];
        let pager = &paginate(&section.path, section.articles.len(), section.page_size)[page - 1];
        let path = self.page_path(&section.path, page);
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
        context.insert_value("feeds", self.section_feeds[section_index].clone());
        context.insert("paginator", &self.paginator(pager));
        context.insert(
            "section",
            &SectionContext {
                title: &section.title,
                description: section.description.as_deref(),
                content: &self.section_bodies[section_index],
                url: self.absolute(&section.path),
                subsections: self.subsections(section_index),
            },
        );
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
            context.insert("sections", &self.section_blocks(page));
            return ("index.html", path, context);
        }
        context.insert_value("articles", self.item_values(slice));
        ("section.html", path, context)
    }

    /// The blocks of the home page's first page: each top-level section, in menu order, with
    /// its newest `SECTION_BLOCK_ITEMS` articles (by date, whatever order its own pages use)
    /// that the page does not list already (those sections with any).
    pub(super) fn home_blocks(&self) -> Vec<(usize, Vec<usize>)> {
        let site = self.site;
        let home = &site.sections[0];
        let listed = &home.articles[..home.articles.len().min(home.page_size)];
        let mut blocks: Vec<(usize, Vec<usize>)> =
            site.menu().into_iter().map(|i| (i, Vec::new())).collect();
        // Articles are newest first: one pass, until every block is full.
        for article in (0..site.articles.len()).filter(|a| !listed.contains(a)) {
            let top = site.top_section(site.articles[article].section);
            if let Some((_, block)) = blocks.iter_mut().find(|(i, _)| Some(*i) == top) {
                if block.len() < SECTION_BLOCK_ITEMS {
                    block.push(article);
                }
            }
            if blocks.iter().all(|(_, b)| b.len() == SECTION_BLOCK_ITEMS) {
                break;
            }
        }
        blocks.retain(|(_, articles)| !articles.is_empty());
        blocks
    }

    fn section_blocks(&self, page: usize) -> Vec<SectionBlock<'_>> {
        if page > 1 {
            return Vec::new();
        }
        self.home_blocks()
            .into_iter()
            .map(|(i, articles)| {
                let section = &self.site.sections[i];
                SectionBlock {
                    title: &section.title,
                    url: self.absolute(&section.path),
                    key: &section.key,
                    articles: self.item_values(&articles),
                }
            })
            .collect()
    }

    pub(super) fn article_page(
        &self,
        index: usize,
    ) -> Result<(&'static str, String, Context), Diagnostic> {
        let site = self.site;
        let article = &site.articles[index];
        let matter = &article.source.matter;
        let body = &self.bodies[index];
        let html = self.article_html(index)?;
        let mut crumbs = self.section_crumbs(article.section);
        crumbs.push(Crumb {
            title: matter.title.clone(),
            url: self.absolute(&article.path),
        });
        let top = site
            .top_section(article.section)
            .map(|i| site.sections[i].key.as_str());
        let schemas =
            std::iter::once(self.news_article(index)).chain(metadata::breadcrumb_list(&crumbs));
        let json_ld = metadata::script_json(&schemas.collect::<Vec<_>>());
        let mut context = self.base_context(
            "article",
            &matter.title,
            &body.summary,
            &article.path,
            top,
            crumbs,
        );
        context.insert("json_ld", &json_ld);
        context.insert_value("feeds", self.section_feeds[article.section].clone());
        let (older, newer) = self.neighbours(index);
        let mut not_in_body = (article.photos.iter().enumerate())
            .filter(|(i, _)| body.front_matter_shown.binary_search(i).is_err())
            .peekable();
        let neighbour = |i: Option<usize>| i.map(|i| self.items[i].clone());
        context.insert(
            "article",
            &ArticleContext {
                title: &matter.title,
                url: self.absolute(&article.path),
                date: matter.date,
                updated: matter.updated,
                summary: matter.summary.as_deref(),
                content: &html,
                signed: body.signed,
                section: self.section_link(article.section),
                authors: self.term_links(TaxonomyField::Authors, index),
                tags: self.term_links(TaxonomyField::Tags, index),
                agencies: self.term_links(TaxonomyField::Agencies, index),
                archive_url: self.absolute(&month_path(
                    &site.config.archive_path,
                    matter.date.year(),
                    matter.date.month(),
                )),
                lead_photo: article.photos.first(),
                top_photo: not_in_body.next_if(|(i, _)| *i == 0).map(|(_, p)| p),
                photos: not_in_body.map(|(_, p)| p).collect(),
                source: matter.source.as_ref(),
                location: matter.location.as_deref(),
                extra: &matter.extra,
                prev: neighbour(older),
                next: neighbour(newer),
            },
        );
        context.insert_value("related", self.item_values(&self.related_for(index)));
        context.insert_value("latest", self.latest_values(index));
        Ok(("article.html", article.path.clone(), context))
    }

    fn taxonomy_context(&self, taxonomy: usize) -> TaxonomyContext<'_> {
        let t = &self.site.taxonomies[taxonomy];
        TaxonomyContext {
            key: t.key,
            title: &t.title,
            url: self.absolute(&t.path),
        }
    }

    pub(super) fn terms_page(&self, taxonomy: usize) -> (&'static str, String, Context) {
        let t = &self.site.taxonomies[taxonomy];
        let crumbs = vec![
            self.home_crumb(),
            Crumb {
                title: t.title.clone(),
                url: self.absolute(&t.path),
            },
        ];
        let description = format!(
            "Tất cả {} trên {}, theo thứ tự chữ cái.",
            lower_first(&t.title),
            self.site.config.title
        );
        let mut context = self.base_context("terms", &t.title, &description, &t.path, None, crumbs);
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

    pub(super) fn term_page(
        &self,
        taxonomy: usize,
        term_index: usize,
        page: usize,
    ) -> (&'static str, String, Context) {
        let t = &self.site.taxonomies[taxonomy];
        let term = &t.terms[term_index];
        let pager = &paginate(&term.path, term.articles.len(), t.page_size)[page - 1];
        let path = self.page_path(&term.path, page);
        let title = format!("{}: {}", t.title, term.name);
        let crumbs = vec![
            self.home_crumb(),
            Crumb {
                title: t.title.clone(),
                url: self.absolute(&t.path),
            },
            Crumb {
                title: term.name.clone(),
                url: self.absolute(&term.path),
            },
        ];
        let site_title = &self.site.config.title;
        let description = match t.field {
            TaxonomyField::Authors => {
                format!("Các bài viết của tác giả {} trên {site_title}.", term.name)
            }
            TaxonomyField::Agencies => {
                format!(
                    "Các bài viết liên quan đến {} trên {site_title}.",
                    term.name
                )
            }
            TaxonomyField::Tags => format!(
                "Các bài viết về {} “{}” trên {site_title}.",
                lower_first(&t.title),
                term.name
            ),
        };
        let mut context = self.base_context("term", &title, &description, &path, None, crumbs);
        context.insert("taxonomy", &self.taxonomy_context(taxonomy));
        context.insert(
            "term",
            &TermContext {
                name: &term.name,
                url: self.absolute(&term.path),
                count: term.articles.len(),
            },
        );
        context.insert(
            "feeds",
            &self.page_feeds(FeedScope::Term {
                taxonomy,
                term: term_index,
            }),
        );
        context.insert("paginator", &self.paginator(pager));
        context.insert_value(
            "articles",
            self.item_values(&term.articles[pager.range.clone()]),
        );
        ("term.html", path, context)
    }

    pub(super) fn not_found_page(&self) -> (&'static str, String, Context) {
        let title = "Không tìm thấy trang";
        // Served at any address that has no page: no trail, and the latest news to go on with.
        let mut context = self.base_context("404", title, title, "/404.html", None, Vec::new());
        context.insert_value("latest", self.latest.clone());
        ("404.html", "/404.html".to_string(), context)
    }

    pub(super) fn search_page(&self) -> PageSpec {
        let title = "Tìm kiếm";
        let path = &self.site.config.search_path;
        let crumbs = vec![
            self.home_crumb(),
            Crumb {
                title: title.to_string(),
                url: self.absolute(path),
            },
        ];
        let description = "Tìm bài viết theo tiêu đề, nội dung, tác giả, chủ đề, cơ quan";
        let context = self.base_context("search", title, description, path, None, crumbs);
        ("search.html", path.clone(), context)
    }

    fn subsections(&self, parent: usize) -> Vec<SectionLink<'_>> {
        let site = self.site;
        let mut children: Vec<usize> = (0..site.sections.len())
            .filter(|&i| site.sections[i].parent == Some(parent))
            .collect();
        children.sort_by_cached_key(|&i| {
            (
                site.sections[i].weight,
                crate::vi::collation_key(&site.sections[i].title),
            )
        });
        children
            .into_iter()
            .filter_map(|i| self.section_link(i))
            .collect()
    }

    fn archive_period(&self, year: usize, month: Option<usize>) -> ArchivePeriod {
        let y = &self.site.archive[year];
        let base = &self.site.config.archive_path;
        match month {
            None => ArchivePeriod {
                year: y.year,
                month: None,
                title: format!("Năm {}", y.year),
                url: self.absolute(&year_path(base, y.year)),
                count: y.count(),
            },
            Some(m) => {
                let m = &y.months[m];
                ArchivePeriod {
                    year: y.year,
                    month: Some(m.month),
                    title: format!("Tháng {}/{}", m.month, y.year),
                    url: self.absolute(&month_path(base, y.year, m.month)),
                    count: m.articles.len(),
                }
            }
        }
    }

    fn archive_crumbs(&self, year: Option<usize>, month: Option<usize>) -> Vec<Crumb> {
        let mut crumbs = vec![
            self.home_crumb(),
            Crumb {
                title: "Lưu trữ".to_string(),
                url: self.absolute(&self.site.config.archive_path),
            },
        ];
        if let Some(y) = year {
            let period = self.archive_period(y, None);
            crumbs.push(Crumb {
                title: period.title,
                url: period.url,
            });
            if let Some(m) = month {
                let period = self.archive_period(y, Some(m));
                crumbs.push(Crumb {
                    title: period.title,
                    url: period.url,
                });
            }
        }
        crumbs
    }

    pub(super) fn archive_years_page(&self) -> PageSpec {
        let path = self.site.config.archive_path.clone();
        let title = "Lưu trữ";
        let description = format!("Các bài viết trên {}, theo năm.", self.site.config.title);
        let mut context = self.base_context(
            "archive",
            title,
            &description,
            &path,
            None,
            self.archive_crumbs(None, None),
        );
        let years: Vec<ArchivePeriod> = (0..self.site.archive.len())
            .map(|y| self.archive_period(y, None))
            .collect();
        context.insert("years", &years);
        ("archive.html", path, context)
    }

    /// `Các bài viết năm 2024 trên <site>.`
    fn period_description(&self, period: &ArchivePeriod) -> String {
        let title = &self.site.config.title;
        format!("Các bài viết {} trên {title}.", lower_first(&period.title))
    }

    pub(super) fn archive_year_page(&self, year: usize) -> PageSpec {
        let period = self.archive_period(year, None);
        let path = year_path(&self.site.config.archive_path, period.year);
        let description = self.period_description(&period);
        let mut context = self.base_context(
            "archive_year",
            &period.title,
            &description,
            &path,
            None,
            self.archive_crumbs(Some(year), None),
        );
        let months: Vec<ArchivePeriod> = (0..self.site.archive[year].months.len())
            .map(|m| self.archive_period(year, Some(m)))
            .collect();
        // Years run newest first: the "previous" year is the next one in the list.
        let older =
            (year + 1 < self.site.archive.len()).then(|| self.archive_period(year + 1, None));
        let newer = year.checked_sub(1).map(|y| self.archive_period(y, None));
        context.insert("year", &period);
        context.insert("months", &months);
        context.insert("prev_year", &older);
        context.insert("next_year", &newer);
        ("archive_year.html", path, context)
    }

    pub(super) fn archive_month_page(&self, year: usize, month: usize, page: usize) -> PageSpec {
        let period = self.archive_period(year, Some(month));
        let base = month_path(
            &self.site.config.archive_path,
            period.year,
            period.month.unwrap_or(1),
        );
        let articles = &self.site.archive[year].months[month].articles;
        let pager = &paginate(&base, articles.len(), self.site.config.page_size)[page - 1];
        let path = self.page_path(&base, page);
        let description = self.period_description(&period);
        let mut context = self.base_context(
            "archive_month",
            &period.title,
            &description,
            &path,
            None,
            self.archive_crumbs(Some(year), Some(month)),
        );
        // Months run newest first across years: the "previous" month is the next one in the list.
        let flat: Vec<(usize, usize)> = self
            .site
            .archive
            .iter()
            .enumerate()
            .flat_map(|(y, ys)| (0..ys.months.len()).map(move |m| (y, m)))
            .collect();
        let here = flat.iter().position(|&p| p == (year, month)).unwrap_or(0);
        let older = flat
            .get(here + 1)
            .map(|&(y, m)| self.archive_period(y, Some(m)));
        let newer = here
            .checked_sub(1)
            .and_then(|i| flat.get(i))
            .map(|&(y, m)| self.archive_period(y, Some(m)));
        context.insert("month", &period);
        context.insert("prev_month", &older);
        context.insert("next_month", &newer);
        context.insert("paginator", &self.paginator(pager));
        context.insert_value("articles", self.item_values(&articles[pager.range.clone()]));
        ("archive_month.html", path, context)
    }

    fn news_article(&self, index: usize) -> metadata::Schema<'_> {
        let site = self.site;
        let article = &site.articles[index];
        let matter = &article.source.matter;
        let url = self.absolute(&article.path);
        let logo = site.config.logo.as_ref().map(|logo| {
            if logo.contains("://") {
                logo.clone()
            } else {
                self.absolute(logo)
            }
        });
        let section = &site.sections[article.section];
        metadata::news_article(metadata::NewsArticle {
            headline: &matter.title,
            description: &self.bodies[index].summary,
            url,
            images: article.photos.iter().collect(),
            published: matter.date.rfc3339(),
            modified: matter
                .updated
                .unwrap_or(matter.date)
                .max(matter.date)
                .rfc3339(),
            authors: self
                .term_links(TaxonomyField::Authors, index)
                .into_iter()
                .map(|l| (l.name, l.url))
                .collect(),
            section: section.parent.is_some().then_some(section.title.as_str()),
            keywords: matter.tags.iter().map(String::as_str).collect(),
            publisher: site
                .config
                .publisher
                .agency
                .as_deref()
                .unwrap_or(&site.config.title),
            logo,
        })
    }

    /// A redirect page at an article's old address.
    pub(super) fn alias_page(&self, index: usize, alias: usize) -> Output {
        let article = &self.site.articles[index];
        let old_path = &article.source.matter.aliases[alias].path;
        let url = super::html::escape(&self.absolute(&article.path));
        let title = super::html::escape(&article.source.matter.title);
        let html = format!(
            "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p>Bài viết đã chuyển sang địa chỉ mới: <a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n"
        );
        Output {
            file: crate::assemble::output_file(old_path),
            bytes: html.into_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::lower_first;

    #[test]
    fn titles_in_sentences_keep_their_acronyms() {
        assert_eq!(lower_first("Chủ đề TPHCM"), "chủ đề TPHCM");
        assert_eq!(lower_first("Đơn vị"), "đơn vị");
        assert_eq!(lower_first(""), "");
    }
}
