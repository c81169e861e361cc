//! Markdown → HTML for article and section bodies: figures with credits, links between
//! articles, Vietnamese heading ids, footnotes, and the first paragraph as a fallback summary.

use super::html::{escape, figure};
use crate::assemble::thumbnails::MEDIUM_WIDTH;
use crate::assemble::{photo_url, smaller_copy, OutputAsset, Photo, Thumbnail};
use crate::config::Config;
use crate::diagnostics::{line_column, Diagnostic};
use crate::load::photos::{
    clean, find, slash, unpublished_file_problem, unpublished_folder, unpublished_folder_of,
    PhotoRoots, HEAVY_PHOTO_HELP,
};
use crate::load::{FoundPhoto, LoadedArticle, LoadedPhoto};
use crate::vi::{credit_of, split_credit, VnDate};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Ids the default theme gives its own elements on every page.
const THEME_IDS: [&str; 3] = ["top", "noi-dung", "o-tim-kiem"];

/// What a body needs to know about the site to resolve its links and photos.
pub struct BodyContext<'a> {
    pub config: &'a Config,
    pub roots: &'a PhotoRoots<'a>,
    /// Content-relative Markdown path → site path.
    pub links: &'a HashMap<String, String>,
    /// Article bundle folders → the site path their files are published under.
    pub bundles: &'a HashMap<PathBuf, String>,
    /// Articles dated after the build, not published yet: links to them are broken for now.
    pub scheduled: &'a [Arc<LoadedArticle>],
    /// For the body of a scheduled article, its date: it may link to articles due no later.
    pub due: Option<VnDate>,
    /// The bundle folders of drafts and scheduled articles, whose files are not published.
    pub unpublished: &'a [String],
    /// Content-relative folder that relative paths start from.
    pub dir: &'a Path,
    pub bundle: bool,
    /// Site path of the page the body is shown on.
    pub page_path: &'a str,
    /// The front matter photos, found when the article was loaded: a body that shows one of
    /// them again does not look for its file again.
    pub photos: &'a [LoadedPhoto],
    /// The same photos as pages show them: one the body shows gets their medium copy.
    pub shown: &'a [Photo],
    /// Whether a wide photo only the body shows gets a medium copy: on an article page,
    /// whose column the figures' `sizes` describe, not in a section's text, shown wider.
    pub medium_copies: bool,
    /// The photos of this body found by an earlier conversion of it (`Body::photos`).
    pub found: &'a [(String, FoundPhoto)],
    /// For messages: the file, and the file line the body starts on.
    pub file: &'a Path,
    pub body_line: usize,
    /// The theme's own `partials/figure.html`, for photos alone in their paragraph; none:
    /// bantin's markup, which is the default theme's partial's.
    pub figure: Option<FigureTemplate<'a>>,
}

/// Renders a photo through a theme's figure partial.
pub type FigureTemplate<'a> = &'a (dyn Fn(&Photo) -> Result<String, Diagnostic> + Sync);

/// A converted body.
#[derive(Debug, Default)]
pub struct Body {
    pub html: String,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    /// Plain text of the last paragraph, when the body ends with one (the sign-off of a
    /// paper's article: `**THÁI PHƯƠNG**`).
    pub last_paragraph: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The first failure of the theme's figure partial (see `BodyContext::figure`).
    pub figure_problem: Option<Diagnostic>,
    /// The photos this conversion looked for on disk and found, by `src`: converting the body
    /// again (for its page and feeds) need not look for them again.
    pub photos: Vec<(String, FoundPhoto)>,
    /// The front matter photos (indexes into `BodyContext::photos`) that the body shows too:
    /// the article page does not show them a second time.
    pub front_matter_shown: Vec<usize>,
    /// The medium copies to make of the wide photos that only the text shows (a front matter
    /// photo has its own).
    pub copies: Vec<OutputAsset>,
}

impl Body {
    /// The HTML, unless the theme's figure partial failed in it.
    pub fn into_html(self) -> Result<String, Diagnostic> {
        match self.figure_problem {
            Some(problem) => Err(problem),
            None => Ok(self.html),
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Converts one Markdown body.
pub fn convert(markdown: &str, cx: &BodyContext) -> Body {
    let events: Vec<Spanned> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let mut converter = Converter::new(cx, markdown, Body::default());
    converter.out.reserve(events.len());
    converter.run(&events);
    converter.body.last_paragraph = last_paragraph(&events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, converter.out.into_iter());
    let mut body = converter.body;
    append_footnotes(&mut html, converter.footnotes, &converter.footnote_order);
    body.html = html;
    body
}

/// The plain text of the body's last block, when it is a paragraph (ending the events, it is
/// inside no other block).
fn last_paragraph(events: &[Spanned]) -> String {
    if !matches!(events.last(), Some((Event::End(TagEnd::Paragraph), _))) {
        return String::new();
    }
    let mut depth = 0usize;
    for (at, (event, _)) in events.iter().enumerate().rev() {
        match event {
            Event::End(_) => depth += 1,
            Event::Start(_) if depth == 1 => return plain_text(&events[at + 1..]),
            Event::Start(_) => depth -= 1,
            _ => {}
        }
    }
    String::new()
}

struct Footnote {
    label: String,
    html: String,
}

struct Converter<'c, 'a> {
    cx: &'c BodyContext<'c>,
    markdown: &'a str,
    out: Vec<Event<'a>>,
    body: Body,
    heading_ids: HashSet<String>,
    footnotes: Vec<Footnote>,
    /// Footnote labels in the order of their first reference, which numbers them.
    footnote_order: Vec<String>,
    /// Label → number of references so far.
    footnote_uses: HashMap<String, usize>,
    /// The line of the last raw HTML reported: one warning a line, however many tags it has.
    html_line: Option<usize>,
}

impl<'c, 'a> Converter<'c, 'a> {
    fn new(cx: &'c BodyContext<'c>, markdown: &'a str, body: Body) -> Self {
        Converter {
            cx,
            markdown,
            out: Vec::new(),
            body,
            heading_ids: HashSet::new(),
            footnotes: Vec::new(),
            footnote_order: Vec::new(),
            footnote_uses: HashMap::new(),
            html_line: None,
        }
    }

    fn run(&mut self, events: &[Spanned<'a>]) {
        let mut i = 0;
        while i < events.len() {
            i = self.step(events, i);
        }
    }

    /// Handles the event at `i` and returns the index of the next one.
    fn step(&mut self, events: &[Spanned<'a>], i: usize) -> usize {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Paragraph) => {
                if let Some(end) = lone_image(events, i) {
                    self.figure(&events[i + 1..end], range.start);
                    return end + 2;
                }
                if self.body.first_paragraph.is_empty() {
                    self.body.first_paragraph = plain_text(&events[i + 1..]);
                }
                self.out.push(event.clone());
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = self
                    .photo(dest_url, range.start)
                    .map_or_else(|| dest_url.clone(), |(p, _)| p.url.into());
                self.out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: url,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = self.link(dest_url, range.start);
                self.out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: url.into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => return self.heading(events, i, *level, classes, attrs),
            Event::FootnoteReference(label) => self.footnote_reference(label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                return self.footnote_definition(events, i, label);
            }
            Event::Start(Tag::HtmlBlock) => return self.html_block(events, i),
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, range.start),
            other => self.out.push(other.clone()),
        }
        i + 1
    }

    /// A heading with an id of its own, its links resolved; returns the index after its end.
    fn heading(
        &mut self,
        events: &[Spanned<'a>],
        i: usize,
        level: HeadingLevel,
        classes: &[CowStr<'a>],
        attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
    ) -> usize {
        let end = matching_end(events, i);
        let id = self.heading_id(&plain_text(&events[i + 1..]));
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes: classes.to_vec(),
            attrs: attrs.to_vec(),
        }));
        for j in i + 1..end {
            self.step_inline(events, j);
        }
        self.out.push(Event::End(TagEnd::Heading(level)));
        end + 1
    }

    /// A reference to a footnote, numbered in the order of first references.
    fn footnote_reference(&mut self, label: &str) {
        let number = match self.footnote_order.iter().position(|l| l == label) {
            Some(index) => index + 1,
            None => {
                self.footnote_order.push(label.to_string());
                self.footnote_order.len()
            }
        };
        let uses = self.footnote_uses.entry(label.to_string()).or_insert(0);
        *uses += 1;
        let id = footnote_ids(&self.footnote_order)[number - 1].clone();
        let ref_id = if *uses == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{uses}")
        };
        self.out.push(Event::InlineHtml(
            format!("<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#fn-{id}\">{number}</a></sup>").into(),
        ));
    }

    /// A footnote's text, converted apart and kept for the end of the body; returns the
    /// index after its end.
    fn footnote_definition(&mut self, events: &[Spanned<'a>], i: usize, label: &str) -> usize {
        let end = matching_end(events, i);
        // A first paragraph already set: a footnote's is never the article's summary.
        let body = Body {
            first_paragraph: "-".to_string(),
            ..Body::default()
        };
        let mut inner = Converter::new(self.cx, self.markdown, body);
        inner.run(&events[i + 1..end]);
        self.body.diagnostics.append(&mut inner.body.diagnostics);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, inner.out.into_iter());
        self.footnotes.push(Footnote {
            label: label.to_string(),
            html,
        });
        end + 1
    }

    /// An HTML block (a pasted embed or paragraph, a comment): its markup left out of the page
    /// (see `raw_html`), its text kept as a paragraph. Returns the index after its end.
    fn html_block(&mut self, events: &[Spanned<'a>], i: usize) -> usize {
        let end = (i + 1..events.len())
            .find(|&j| matches!(events[j].0, Event::End(TagEnd::HtmlBlock)))
            .unwrap_or(events.len());
        let html: String = events[i + 1..end]
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Html(html) => Some(html.as_ref()),
                _ => None,
            })
            .collect();
        let offset = events[i].1.start;
        if html.trim_start().starts_with("<!--") {
            self.comment_block(&html, offset);
            return end + 1;
        }
        self.raw_html(&html, offset);
        let text = text_of_html(&html);
        if !text.is_empty() {
            self.out.push(Event::Start(Tag::Paragraph));
            self.out.push(Event::Text(text.into()));
            self.out.push(Event::End(TagEnd::Paragraph));
        }
        end + 1
    }

    /// A comment on lines of its own, an editor's note: hidden, but Markdown hides with it
    /// everything below an unclosed `<!--`, and what follows `-->` on its last line.
    fn comment_block(&mut self, html: &str, offset: usize) {
        let (message, help) = match html.rfind("-->") {
            None => (
                "this comment is never closed: the text below it is hidden".to_string(),
                "end the note with --> (<!-- ghi chú -->)",
            ),
            Some(at) => {
                let after = html[at + 3..].trim();
                if after.is_empty() {
                    return;
                }
                let shown: String = after.chars().take(40).collect();
                (
                    format!(
                        "the text after --> on this line is hidden with the comment: `{shown}`"
                    ),
                    "start that text on a line of its own",
                )
            }
        };
        self.warn(offset, message, help);
    }

    /// Raw HTML is not published. A comment is an editor's note and goes without a word; other
    /// markup (`<iframe …>`, `<b>`) is reported: shown as text, readers would see the code, and
    /// passed on, an unclosed tag would break the page around it.
    fn raw_html(&mut self, html: &str, offset: usize) {
        let html = html.trim();
        if html.is_empty() || html.starts_with("<!--") {
            return;
        }
        let (line, _) = self.position(offset);
        if self.html_line == Some(line) {
            return;
        }
        self.html_line = Some(line);
        let first_line = html.lines().next().unwrap_or_default();
        let mut shown: String = first_line.chars().take(60).collect();
        if shown.len() < html.len() {
            shown.push('…');
        }
        let message = format!("HTML is left out of the page: `{shown}`");
        let help = "write it in Markdown (**đậm**, *nghiêng*, an empty line between paragraphs); link to a video or map instead of embedding it: [Xem video](https://…); <!-- … --> notes stay hidden";
        self.warn(offset, message, help);
    }

    /// Inline events inside a heading: links are resolved like elsewhere.
    fn step_inline(&mut self, events: &[Spanned<'a>], j: usize) {
        match &events[j].0 {
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::FootnoteReference(_)
            | Event::Html(_)
            | Event::InlineHtml(_) => {
                self.step(events, j);
            }
            other => self.out.push(other.clone()),
        }
    }

    fn figure(&mut self, image: &[Spanned<'a>], offset: usize) {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &image[0].0
        else {
            return;
        };
        let Some((mut photo, front_matter)) = self.photo(dest_url, offset) else {
            return;
        };
        // A photo of the front matter is shown here, not again: what the text leaves out
        // (its credit, mostly) comes from there.
        self.body.front_matter_shown.extend(&front_matter);
        let listed = front_matter
            .first()
            .map(|&index| &self.cx.photos[index].matter);
        let alt = plain_text(&image[1..]);
        let (caption, caption_credit) = split_credit(&alt);
        let credit = credit_of(title)
            .or(caption_credit)
            .or_else(|| listed?.credit.clone());
        let (caption, alt) = match listed {
            Some(listed) if alt.is_empty() => {
                let caption = listed.caption.clone().unwrap_or_default();
                let alt = listed.alt.clone().unwrap_or_else(|| caption.clone());
                (caption, alt)
            }
            _ => (caption, alt),
        };
        if credit.is_none() {
            let (line, column) = self.position(offset);
            let help = match listed {
                Some(_) => "add credit: \"Tên tác giả\" below its src in the front matter, or give the title \"Ảnh: Tên tác giả\" here",
                None => "end the caption with \"- Ảnh: Tên tác giả\" or give the title \"Ảnh: Tên tác giả\"",
            };
            self.body.diagnostics.push(
                Diagnostic::warning(self.cx.file, line, column, "this photo has no credit")
                    .with_help(help),
            );
        }
        photo.alt = if caption.is_empty() {
            alt.clone()
        } else {
            caption.clone()
        };
        photo.caption = (!caption.is_empty()).then_some(caption);
        photo.credit = credit;
        let html = match self.cx.figure {
            None => figure(&photo),
            Some(render) => render(&photo).unwrap_or_else(|problem| {
                self.body.figure_problem.get_or_insert(problem);
                String::new()
            }),
        };
        self.out.push(Event::Html(html.into()));
    }

    /// Finds a body photo, with the front matter photos of the same file (by index); a
    /// missing file is reported at its line.
    fn photo(&mut self, src: &str, offset: usize) -> Option<(Photo, Vec<usize>)> {
        let src = src.trim();
        let loaded = self.cx.photos.iter().find(|p| p.matter.src.trim() == src);
        let known = loaded
            .map(|photo| &photo.found)
            .or_else(|| self.cx.found.iter().find(|(s, _)| s == src).map(|(_, f)| f));
        let found = match known {
            Some(found) => Ok(found.clone()),
            None => self.find_photo(src).inspect(|found| {
                self.body.photos.push((src.to_string(), found.clone()));
            }),
        };
        // One file, however written: `anh.jpg` beside the article, `/thoi-su/…/anh.jpg`.
        let same_file = |a: &FoundPhoto, b: &FoundPhoto| match (&a.file, &b.file) {
            (Some(a), Some(b)) => a == b,
            _ => a.source == b.source,
        };
        let front_matter: Vec<usize> = match &found {
            Ok(found) => (self.cx.photos.iter().enumerate())
                .filter(|(_, p)| same_file(&p.found, found))
                .map(|(index, _)| index)
                .collect(),
            Err(_) => Vec::new(),
        };
        // A scheduled article may show a photo of another due with it: not told.
        let unpublished = found
            .as_ref()
            .ok()
            .filter(|_| self.cx.due.is_none())
            .and_then(|found| unpublished_folder(&found.source, self.cx.unpublished));
        if let Some(folder) = unpublished {
            let (message, help) = unpublished_file_problem(&format!("photo `{src}` is in"), folder);
            self.report(offset, message, help);
        }
        // Told once, where the body first shows it (a front matter photo is `check`'s).
        if let (None, Ok(Some(heavy))) = (known, found.as_ref().map(FoundPhoto::heaviness)) {
            self.warn(
                offset,
                format!("photo `{src}` is {heavy}"),
                HEAVY_PHOTO_HELP,
            );
        }
        match found {
            Ok(found) => Some((
                Photo {
                    url: photo_url(
                        self.cx.config,
                        self.cx.bundles,
                        self.cx.page_path,
                        &found.source,
                    ),
                    caption: None,
                    credit: None,
                    alt: String::new(),
                    bytes: found.bytes,
                    width: found.size.map(|s| s.0),
                    height: found.size.map(|s| s.1),
                    thumbnail: None,
                    medium: match front_matter.first() {
                        Some(&index) => self.cx.shown.get(index).and_then(|p| p.medium.clone()),
                        None => self.medium_copy(&found),
                    },
                },
                front_matter,
            )),
            Err(problem) => {
                self.report(offset, problem, "check the file name (names are case-sensitive) and put the photo beside the article");
                None
            }
        }
    }

    /// Looks a body photo up as written, else with its escapes decoded: `anh%20mot.jpg` names
    /// the file `anh mot.jpg`, as a browser reads it.
    fn find_photo(&self, src: &str) -> Result<FoundPhoto, String> {
        let cx = self.cx;
        find(src, cx.dir, cx.bundle, cx.roots).or_else(|problem| match crate::assemble::url_decode(
            src,
        ) {
            Some(decoded) if decoded != src => {
                let decoded = crate::vi::nfc(&decoded);
                find(&decoded, cx.dir, cx.bundle, cx.roots).map_err(|_| problem)
            }
            _ => Err(problem),
        })
    }

    /// The medium copy of a wide photo that only the text shows, the file to make of it
    /// kept in `Body::copies`.
    fn medium_copy(&mut self, found: &FoundPhoto) -> Option<Thumbnail> {
        if !self.cx.medium_copies {
            return None;
        }
        let (config, bundles, page) = (self.cx.config, self.cx.bundles, self.cx.page_path);
        let (medium, copy) = smaller_copy(config, bundles, None, page, found, MEDIUM_WIDTH)?;
        self.body.copies.push(copy);
        Some(medium)
    }

    /// The URL a link to a file of `content/` is published at, absolute so that it also
    /// works in feeds: a relative link (`bao-cao.pdf` beside the article), or a site path that
    /// names a file of `content/` and none of `static/` (`/thoi-su/2024/04/hop/bao-cao.pdf`,
    /// published beside that bundle's article, whose URL need not be its folder). None when
    /// no such file exists: the link is then left as written.
    fn file_link(&mut self, path: &str, offset: usize) -> Option<String> {
        // `bao%20cao.pdf` names the file `bao cao.pdf`, as a browser reads it.
        let decoded = crate::assemble::url_decode(path)?;
        let site_path = decoded.strip_prefix('/');
        let relative = match site_path {
            Some(site_path) => clean(Path::new(&crate::vi::nfc(site_path)))?,
            None => clean(&self.cx.dir.join(crate::vi::nfc(&decoded)))?,
        };
        let statics = self.cx.roots.statics;
        if site_path.is_some() && statics.iter().any(|s| s.join(&relative).is_file()) {
            return None;
        }
        let exists = self.cx.roots.content.join(&relative).is_file();
        let unpublished = unpublished_folder_of(&slash(&relative), self.cx.unpublished);
        if let Some(folder) = unpublished.filter(|_| exists && self.cx.due.is_none()) {
            let subject = format!("the link to `{decoded}` leads to");
            let (message, help) = unpublished_file_problem(&subject, folder);
            self.report(offset, message, help);
        }
        exists.then(|| {
            let published = crate::assemble::published_path(self.cx.bundles, &relative);
            self.cx.config.absolute(&published)
        })
    }

    /// Reports a relative link to a file (`bao-cao.pdf`: its name has an extension) that is
    /// not beside the article: readers would get a "page not found". A relative link to a
    /// folder (`../lien-he/`) is left to the reader's browser.
    fn missing_file(&mut self, path: &str, offset: usize) {
        let name = path.rsplit('/').next().unwrap_or("");
        let has_extension = name.rsplit_once('.').is_some_and(|(stem, extension)| {
            !stem.is_empty()
                && !extension.is_empty()
                && extension.chars().all(char::is_alphanumeric)
        });
        let Some(relative) = clean(&self.cx.dir.join(path)).filter(|_| has_extension) else {
            return;
        };
        // Browsers resolve the link against the page's URL: there it may name a static file.
        let page_folder = Path::new(self.cx.page_path.trim_start_matches('/'));
        let from_page = clean(&page_folder.join(path));
        let is_static = from_page.is_some_and(|site_path| {
            self.cx
                .roots
                .statics
                .iter()
                .any(|folder| folder.join(&site_path).is_file())
        });
        if is_static {
            return;
        }
        let looked = format!("content/{}", slash(&relative));
        // `www.vietnamplus.vn`: a web address without its `https://`.
        let help = match path.starts_with("www.") {
            true => "write the web address in full, starting with https://",
            false => "put the file beside the article, or fix its name (names are case-sensitive)",
        };
        // A warning: the file may be one the site makes (an old page kept by an alias).
        let message =
            format!("broken link: `{path}` is not a file of this site (looked for {looked})");
        self.warn(offset, message, help);
    }

    /// Rewrites a link: `../bai-khac.md` → the other article's URL; site paths get the base URL.
    fn link(&mut self, dest: &CowStr<'a>, offset: usize) -> String {
        let dest = dest.as_ref();
        let scheme = dest
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if dest.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data") {
            self.report(
                offset,
                format!("unsafe link `{dest}`: links may not run scripts"),
                "link to a web address (https://…) or to another article's .md file",
            );
            return "#".to_string();
        }
        // Any scheme (`https:`, `mailto:`, `tel:`, `zalo:`, `geo:`) is the reader's app's to open.
        let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        let is_external = has_scheme || dest.starts_with("//") || dest.starts_with('#');
        if is_external || dest.is_empty() {
            return dest.to_string();
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, format!("#{fragment}")),
            None => (dest, String::new()),
        };
        if !path.ends_with(".md") {
            return match path.strip_prefix('/') {
                Some(site_path) => match self.file_link(path, offset) {
                    Some(url) => format!("{url}{fragment}"),
                    None => format!("{}{fragment}", self.cx.config.absolute(site_path)),
                },
                None => match self.file_link(path, offset) {
                    Some(url) => format!("{url}{fragment}"),
                    None => {
                        self.missing_file(path, offset);
                        dest.to_string()
                    }
                },
            };
        }
        let target = match path.strip_prefix('/') {
            Some(from_content) => clean(Path::new(from_content)),
            None => clean(&self.cx.dir.join(path)),
        };
        let found = target.as_ref().and_then(|t| self.cx.links.get(&slash(t)));
        match found {
            Some(site_path) if site_path.is_empty() => dest.to_string(),
            Some(site_path) => format!("{}{fragment}", self.cx.config.absolute(site_path)),
            None => {
                let scheduled = target.as_ref().and_then(|target| {
                    let target = slash(target);
                    let mut scheduled = self.cx.scheduled.iter();
                    scheduled.find(|a| a.file.content_relative() == target)
                });
                match scheduled {
                    Some(article) if self.cx.due.is_some_and(|due| article.matter.date <= due) => {}
                    Some(article) => self.report(offset, format!("broken link: `{dest}` is an article scheduled for {}, not published yet", article.matter.date.as_written()), "add the link once that article is published (by the first build after its date), or remove it for now"),
                    None => {
                        let looked = target
                            .map_or_else(|| path.to_string(), |t| format!("content/{}", slash(&t)));
                        self.report(offset, format!("broken link: `{dest}` is not an article of this site (looked for {looked})"), "fix the path to the other article's .md file, relative to this file; a draft is not published unless you build with --drafts");
                    }
                }
                dest.to_string()
            }
        }
    }

    /// A heading's id: its text as a slug, numbered from 2 when taken (by an earlier heading,
    /// or by an element every page of the default theme has: `noi-dung` is the skip link's
    /// target).
    fn heading_id(&mut self, text: &str) -> String {
        let base = crate::vi::slugify(text).unwrap_or_else(|_| "muc".to_string());
        let id = (1..)
            .map(|n| match n {
                1 => base.clone(),
                n => format!("{base}-{n}"),
            })
            .find(|id| !self.heading_ids.contains(id) && !THEME_IDS.contains(&id.as_str()))
            .unwrap_or_default();
        self.heading_ids.insert(id.clone());
        id
    }

    /// The file line and column of a byte offset in the body.
    fn position(&self, offset: usize) -> (usize, usize) {
        let (line, column) = line_column(self.markdown, offset);
        (line + self.cx.body_line - 1, column)
    }

    fn report(&mut self, offset: usize, message: String, help: &str) {
        let (line, column) = self.position(offset);
        let error = Diagnostic::error(self.cx.file, line, column, message).with_help(help);
        self.push_with_source(error, line);
    }

    fn warn(&mut self, offset: usize, message: String, help: &str) {
        let (line, column) = self.position(offset);
        let warning = Diagnostic::warning(self.cx.file, line, column, message).with_help(help);
        self.push_with_source(warning, line);
    }

    /// Keeps a problem at `line`, with that line of the body to show.
    fn push_with_source(&mut self, mut diagnostic: Diagnostic, line: usize) {
        diagnostic.source_line = self
            .markdown
            .lines()
            .nth(line - self.cx.body_line)
            .map(str::to_string);
        self.body.diagnostics.push(diagnostic);
    }
}

/// Elements a browser shows apart from the text around them.
const BREAKING_TAGS: [&str; 20] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "center",
    "section",
    "article",
];

/// What a reader saw of an HTML block: its text without tags, comments, scripts and styles,
/// the common entities decoded, spaces collapsed.
fn text_of_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let tag = &rest[open..];
        let name: String = tag[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // Blocks and line breaks part words; `<b>`, `<a>` and the like do not.
        if BREAKING_TAGS.contains(&name.as_str()) {
            text.push(' ');
        }
        let hidden_element = ["script", "style"].into_iter().find(|name| {
            tag.get(1..=name.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(name))
        });
        let skipped = match hidden_element {
            _ if tag.starts_with("<!--") => tag.find("-->").map(|at| at + 3),
            Some(name) => {
                let close = format!("</{name}");
                let lower = tag.to_ascii_lowercase();
                lower
                    .find(&close)
                    .and_then(|at| tag[at..].find('>').map(|end| at + end + 1))
            }
            None => tag.find('>').map(|at| at + 1),
        };
        rest = skipped.map_or("", |at| &tag[at..]);
    }
    text.push_str(rest);
    let text = [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text, |text, (entity, plain)| text.replace(entity, plain));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// If the paragraph opening at `i` holds one image and nothing else, the index of the image's end.
fn lone_image(events: &[Spanned], i: usize) -> Option<usize> {
    if !matches!(events.get(i + 1)?.0, Event::Start(Tag::Image { .. })) {
        return None;
    }
    let end = matching_end(events, i + 1);
    matches!(events.get(end + 1)?.0, Event::End(TagEnd::Paragraph)).then_some(end)
}

/// Index of the end event that closes the start event at `i`.
fn matching_end(events: &[Spanned], i: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(i) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// The text of the events up to the end of the element they are in.
fn plain_text(events: &[Spanned]) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// The ids of footnotes in the order they are numbered: each label as a slug (`[^nguon]` →
/// `nguon`), else its number; numbered too when an earlier label gave the same slug
/// (`[^Nguồn]` and `[^nguon]`). A footnote's id does not depend on those after it.
fn footnote_ids<'l>(labels: impl IntoIterator<Item = &'l String>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (index, label) in labels.into_iter().enumerate() {
        let number = index + 1;
        let slug = crate::vi::slugify(label).unwrap_or_else(|_| number.to_string());
        let id = match ids.contains(&slug) {
            true => format!("{slug}-{number}"),
            false => slug,
        };
        ids.push(id);
    }
    ids
}

/// Appends the footnotes in the order of their first reference; unreferenced ones last.
fn append_footnotes(html: &mut String, mut footnotes: Vec<Footnote>, order: &[String]) {
    if footnotes.is_empty() {
        return;
    }
    footnotes.sort_by_key(|note| {
        order
            .iter()
            .position(|l| *l == note.label)
            .unwrap_or(usize::MAX)
    });
    html.push_str("<section class=\"footnotes\" aria-label=\"Chú thích\">\n<ol>\n");
    let ids = footnote_ids(footnotes.iter().map(|note| &note.label));
    for (note, id) in footnotes.iter().zip(&ids) {
        let id = escape(id);
        html.push_str(&format!(
            "<li id=\"fn-{id}\">{body}<a href=\"#fnref-{id}\" class=\"footnote-back\" aria-label=\"Quay lại nội dung\">↩</a></li>\n",
            body = note.html.trim_end()
        ));
    }
    html.push_str("</ol>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::text_of_html;

    #[test]
    fn html_blocks_keep_what_readers_saw_of_them() {
        assert_eq!(
            text_of_html("<p>Đoạn văn dán từ <b>Word</b>.</p>\n"),
            "Đoạn văn dán từ Word."
        );
        assert_eq!(text_of_html("<center>\nKHAI MẠC\n</center>"), "KHAI MẠC");
        assert_eq!(text_of_html("<p>Một</p><p>Hai<br>Ba</p>"), "Một Hai Ba");
        assert_eq!(
            text_of_html("<div><!-- ghi chú --><SCRIPT>alert(1)</script><style>p{}</style>Tôm &amp; cá&nbsp;&lt;3</div>"),
            "Tôm & cá <3"
        );
        assert_eq!(
            text_of_html("<iframe src=\"https://www.youtube.com/embed/abc\"></iframe>"),
            ""
        );
        assert_eq!(text_of_html("<p>Không đóng <b"), "Không đóng");
    }
}
