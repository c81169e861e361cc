//! schema.org JSON-LD for search engines: `NewsArticle` on articles, `BreadcrumbList` on pages.

use super::context::Crumb;
use crate::assemble::Photo;
use serde_json::{json, Value};

/// What `NewsArticle` says of an article.
pub struct NewsArticle<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub images: Vec<&'a Photo>,
    pub published: String,
    pub modified: String,
    /// (name, URL of the author page).
    pub authors: Vec<(&'a str, Option<String>)>,
    pub section: Option<&'a str>,
    pub keywords: Vec<&'a str>,
    pub publisher: &'a str,
    pub logo: Option<&'a str>,
}

pub fn news_article(article: &NewsArticle) -> Value {
    let authors: Vec<Value> = article
        .authors
        .iter()
        .map(|(name, url)| {
            let mut person = json!({ "@type": "Person", "name": name });
            if let Some(url) = url {
                person["url"] = json!(url);
            }
            person
        })
        .collect();
    let mut publisher = json!({ "@type": "Organization", "name": article.publisher });
    if let Some(logo) = article.logo {
        publisher["logo"] = json!({ "@type": "ImageObject", "url": logo });
    }
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": { "@type": "WebPage", "@id": article.url },
        "headline": article.headline,
        "description": article.description,
        "datePublished": article.published,
        "dateModified": article.modified,
        "author": authors,
        "publisher": publisher,
        "inLanguage": "vi",
        "isAccessibleForFree": true,
    });
    if !article.images.is_empty() {
        let images: Vec<&str> = article.images.iter().map(|p| p.url.as_str()).collect();
        value["image"] = json!(images);
    }
    if let Some(section) = article.section {
        value["articleSection"] = json!(section);
    }
    if !article.keywords.is_empty() {
        value["keywords"] = json!(article.keywords);
    }
    value
}

/// The trail of a page below the home page: none for the home page itself (or a page of no
/// place, the 404 page), since a trail of one item is no trail.
pub fn breadcrumb_list(crumbs: &[Crumb]) -> Option<Value> {
    if crumbs.len() < 2 {
        return None;
    }
    let items: Vec<Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, c)| json!({ "@type": "ListItem", "position": i + 1, "name": c.title, "item": c.url }))
        .collect();
    Some(
        json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items }),
    )
}

/// JSON that is safe inside `<script type="application/ld+json">`: no `<`, `>` or `&` that
/// could close the script or start markup.
/// Empty when there are no values.
pub fn script_json(values: &[Value]) -> String {
    let json = match values {
        [] => return String::new(),
        [value] => value.to_string(),
        _ => Value::Array(values.to_vec()).to_string(),
    };
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
        let parsed: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["itemListElement"][0]["name"],
            "</script><script>alert(1)</script>"
        );
        assert_eq!(
            breadcrumb_list(&crumbs[..1]),
            None,
            "a trail of one is none"
        );
        assert_eq!(script_json(&[]), "");
    }
}
