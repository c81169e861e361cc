//! The search page in a real browser: the sample site served by `bantin serve`, a reader
//! typing without diacritics in headless Chromium, results highlighted, `?q=` in the address
//! and the back button returning to the previous search.

mod common;

use bantin::vi::fold;
use common::chromium::Browser;
use common::server::start;
use serde_json::Value;
use std::path::Path;

/// Titles, links and highlighted words of the results on the page.
const RESULTS: &str = "[...document.querySelectorAll('#tim-kiem-ket-qua li')].map(li => ({
    title: li.querySelector('h2').textContent,
    url: li.querySelector('a').getAttribute('href'),
    marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
}))";

fn search(browser: &mut Browser, query: &str) -> Vec<Value> {
    browser.eval("{ const q = document.getElementById('tim-kiem-q'); q.value = ''; q.focus(); }");
    browser.type_text(query);
    let settled =
        format!("document.getElementById('tim-kiem-trang-thai').textContent.includes('“{query}”')");
    browser.wait_until(&settled, &format!("results for {query}"));
    browser
        .eval(RESULTS)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn titles(results: &[Value]) -> Vec<&str> {
    results.iter().filter_map(|r| r["title"].as_str()).collect()
}

/// Every result shows each syllable of the query highlighted, whatever its diacritics.
fn assert_highlighted(results: &[Value], query: &str) {
    for result in results {
        let marked: Vec<String> = result["marks"]
            .as_array()
            .expect("marks")
            .iter()
            .filter_map(|m| m.as_str())
            .map(fold)
            .collect();
        for syllable in query.split(' ') {
            assert!(
                marked.iter().any(|m| m == syllable),
                "{syllable} is not highlighted in {result}"
            );
        }
    }
}

#[test]
fn readers_find_articles_typing_without_diacritics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let server = start(root);
    let mut browser = Browser::launch();
    browser.goto(&format!("http://127.0.0.1:{}/tim-kiem/", server.port));

    let results = search(&mut browser, "dan toc");
    let found = titles(&results);
    for expected in [
        "Phối hợp chăm lo, nâng cao đời sống đồng bào dân tộc thiểu số",
        "Cần Thơ ký kết chương trình phối hợp thực hiện công tác dân tộc giai đoạn 2021 - 2025",
        "TPHCM tổng kết công tác dân tộc, tôn giáo năm 2025",
    ] {
        assert!(found.contains(&expected), "{expected} not in {found:?}");
    }
    assert_highlighted(&results, "dan toc");
    assert_eq!(browser.eval("location.search"), "?q=dan+toc");
    let status = browser.eval("document.getElementById('tim-kiem-trang-thai').textContent");
    assert!(
        status.as_str().unwrap().starts_with("Tìm thấy "),
        "{status}"
    );

    let results = search(&mut browser, "dong bao");
    let found = titles(&results);
    for expected in [
        "Thăm, chúc Tết Chôl Chnăm Thmây đồng bào Khmer tại TPHCM",
        "Hơn 2.500 phần quà Tết đến với đồng bào dân tộc thiểu số khó khăn",
    ] {
        assert!(found.contains(&expected), "{expected} not in {found:?}");
    }
    assert_highlighted(&results, "dong bao");
    // Results link to the articles themselves.
    let first = results[0]["url"].as_str().unwrap().to_string();
    assert!(first.starts_with(&format!("http://127.0.0.1:{}/", server.port)));
    assert!(!first.contains("/tim-kiem/"), "{first}");

    // The back button returns to the earlier search, results and all.
    browser.eval("history.back()");
    browser.wait_until(
        "document.getElementById('tim-kiem-q').value === 'dan toc' && document.getElementById('tim-kiem-trang-thai').textContent.includes('“dan toc”')",
        "the earlier search after going back",
    );

    // Words that no article holds side by side: no result, and a link that looks them up
    // apart, which finds them.
    let results = search(&mut browser, "Can Tho Khmer");
    assert!(results.is_empty(), "{results:?}");
    assert_eq!(
        browser.eval("document.getElementById('tim-kiem-them').hidden"),
        true
    );
    // Hidden on the screen too: the theme's button style must not show it.
    assert_eq!(
        browser.eval("getComputedStyle(document.getElementById('tim-kiem-them')).display"),
        "none"
    );
    let status = browser.eval("document.getElementById('tim-kiem-trang-thai').textContent");
    let status = status.as_str().unwrap();
    assert!(
        status.contains("Không có bài viết nào chứa đúng cụm từ")
            && status.contains("Tìm các từ riêng rẽ: “Can Tho, Khmer”"),
        "{status}"
    );
    browser.eval("document.querySelector('#tim-kiem-trang-thai a').click()");
    browser.wait_until(
        "document.getElementById('tim-kiem-trang-thai').textContent.startsWith('Tìm thấy') && location.search === '?q=Can+Tho%2C+Khmer'",
        "results for the words apart",
    );
    let found = titles(
        &browser
            .eval(RESULTS)
            .as_array()
            .cloned()
            .unwrap_or_default(),
    )
    .iter()
    .map(|t| t.to_string())
    .collect::<Vec<_>>();
    assert!(found.iter().any(|t| t.contains("Khmer")), "{found:?}");
}
