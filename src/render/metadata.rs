//! schema.org JSON-LD for search engines: `NewsArticle` on articles, `BreadcrumbList` on pages.
//!
//! The objects are typed structs written straight to text: building `serde_json::Value` maps
//! for them (keys allocated and sorted, the tree copied to join two) cost 3% of a build. Fields
//! are declared in name order, the order these objects have always been written in.

use super::context::Crumb;
use crate::assemble::Photo;
use serde::Serialize;

const SCHEMA_ORG: &str = "https://schema.org";

/// What `NewsArticle` says of an article.
pub struct NewsArticle<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    pub url: String,
    pub images: Vec<&'a Photo>,
    pub published: String,
    pub modified: String,
    /// (name, URL of the author page).
    pub authors: Vec<(&'a str, Option<String>)>,
    pub section: Option<&'a str>,
    pub keywords: Vec<&'a str>,
    pub publisher: &'a str,
    pub logo: Option<String>,
}

/// One JSON-LD object of a page.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Schema<'a> {
    NewsArticle(Box<ArticleSchema<'a>>),
    BreadcrumbList(BreadcrumbList<'a>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleSchema<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    author: Vec<Person<'a>>,
    date_modified: String,
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<&'a str>,
    in_language: &'static str,
    is_accessible_for_free: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    main_entity_of_page: Thing,
    publisher: Organization<'a>,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<Image>,
    name: &'a str,
}

#[derive(Serialize)]
struct Image {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

/// A thing named by its URL: the web page an article is the main entity of.
#[derive(Serialize)]
struct Thing {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    item_list_element: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: &'a str,
    name: &'a str,
    position: usize,
}

/// The `NewsArticle` object of an article; it keeps the article's own texts borrowed.
pub fn news_article(article: NewsArticle<'_>) -> Schema<'_> {
    let author = article
        .authors
        .into_iter()
        .map(|(name, url)| Person {
            kind: "Person",
            name,
            url,
        })
        .collect();
    let logo = article.logo.map(|url| Image {
        kind: "ImageObject",
        url,
    });
    Schema::NewsArticle(Box::new(ArticleSchema {
        context: SCHEMA_ORG,
        kind: "NewsArticle",
        article_section: article.section,
        author,
        date_modified: article.modified,
        date_published: article.published,
        description: article.description,
        headline: article.headline,
        image: article.images.iter().map(|p| p.url.as_str()).collect(),
        in_language: "vi",
        is_accessible_for_free: true,
        keywords: article.keywords,
        main_entity_of_page: Thing {
            id: article.url,
            kind: "WebPage",
        },
        publisher: Organization {
            kind: "Organization",
            logo,
            name: article.publisher,
        },
    }))
}

/// The trail of a page below the home page: none for the home page itself (or a page of no
/// place, the 404 page), since a trail of one item is no trail.
pub fn breadcrumb_list(crumbs: &[Crumb]) -> Option<Schema<'_>> {
    if crumbs.len() < 2 {
        return None;
    }
    let items = crumbs
        .iter()
        .enumerate()
        .map(|(i, crumb)| ListItem {
            kind: "ListItem",
            item: &crumb.url,
            name: &crumb.title,
            position: i + 1,
        })
        .collect();
    Some(Schema::BreadcrumbList(BreadcrumbList {
        context: SCHEMA_ORG,
        kind: "BreadcrumbList",
        item_list_element: items,
    }))
}

/// JSON that is safe inside `<script type="application/ld+json">`: no `<`, `>` or `&` that
/// could close the script or start markup.
/// Empty when there are no values.
pub fn script_json(values: &[Schema]) -> String {
    let json = match values {
        [] => return String::new(),
        [value] => serde_json::to_string(value),
        _ => serde_json::to_string(values),
    };
    // Only strings of our own structs: nothing here can fail to serialize.
    let json = json.unwrap_or_default();
    let mut safe = String::with_capacity(json.len() + 32);
    let mut copied = 0;
    for (at, byte) in json.bytes().enumerate() {
        let escaped = match byte {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        safe.push_str(&json[copied..at]);
        safe.push_str(escaped);
        copied = at + 1;
    }
    safe.push_str(&json[copied..]);
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let crumb = |title: &str| Crumb {
            title: title.to_string(),
            url: "https://x/?a=1&b=2".to_string(),
        };
        let crumbs = vec![crumb("</script><script>alert(1)</script>"), crumb("Tin")];
        let json = script_json(&Vec::from_iter(breadcrumb_list(&crumbs)));
        assert!(!json.contains("</script"));
        assert!(!json.contains('&'));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["itemListElement"][0]["name"],
            "</script><script>alert(1)</script>"
        );
        assert!(
            breadcrumb_list(&crumbs[..1]).is_none(),
            "a trail of one is none"
        );
        assert_eq!(script_json(&[]), "");
    }

    #[test]
    fn an_article_and_its_trail_are_one_array() {
        let article = NewsArticle {
            headline: "Ký kết",
            description: "Sáng 10-4…",
            url: "https://x/a/".to_string(),
            images: Vec::new(),
            published: "2024-04-10T09:30:00+07:00".to_string(),
            modified: "2024-04-10T09:30:00+07:00".to_string(),
            authors: vec![(
                "Minh Khôi",
                Some("https://x/tac-gia/minh-khoi/".to_string()),
            )],
            section: None,
            keywords: vec!["dân vận"],
            publisher: "Ban Dân tộc",
            logo: Some("https://x/logo.png".to_string()),
        };
        let crumbs =
            [("Trang chủ", "https://x/"), ("Ký kết", "https://x/a/")].map(|(t, u)| Crumb {
                title: t.to_string(),
                url: u.to_string(),
            });
        let values: Vec<Schema> = std::iter::once(news_article(article))
            .chain(breadcrumb_list(&crumbs))
            .collect();
        assert_eq!(
            script_json(&values),
            concat!(
                r#"[{"@context":"https://schema.org","@type":"NewsArticle","#,
                r#""author":[{"@type":"Person","name":"Minh Khôi","url":"https://x/tac-gia/minh-khoi/"}],"#,
                r#""dateModified":"2024-04-10T09:30:00+07:00","datePublished":"2024-04-10T09:30:00+07:00","#,
                r#""description":"Sáng 10-4…","headline":"Ký kết","inLanguage":"vi","isAccessibleForFree":true,"#,
                r#""keywords":["dân vận"],"mainEntityOfPage":{"@id":"https://x/a/","@type":"WebPage"},"#,
                r#""publisher":{"@type":"Organization","logo":{"@type":"ImageObject","url":"https://x/logo.png"},"name":"Ban Dân tộc"}},"#,
                r#"{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":["#,
                r#"{"@type":"ListItem","item":"https://x/","name":"Trang chủ","position":1},"#,
                r#"{"@type":"ListItem","item":"https://x/a/","name":"Ký kết","position":2}]}]"#
            )
        );
    }
}
