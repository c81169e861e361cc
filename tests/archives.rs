//! Taxonomies, date archives, related articles, nested sections and pagination, built from a
//! fixture with the names Vietnamese sites get wrong.

mod common;

use common::{Fixture, CONFIG};
use unicode_normalization::UnicodeNormalization;

/// The order of the Vietnamese text rules; a byte sort gives another.
const AUTHORS: [&str; 9] = [
    "Âu Thị Hồng",
    "Dương Văn Bình",
    "Đặng Thu Hà",
    "Ơn Văn Hải",
    "Thạch Kim Sơn",
    "Thái Phương",
    "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
    "Văn Hải",
    "Việt Dũng",
];

fn names_site() -> Fixture {
    let site = Fixture::new(CONFIG);
    // One article per author, a day apart, in reverse order so no list is sorted by accident.
    for (i, author) in AUTHORS.iter().rev().enumerate() {
        site.article(
            &format!("content/thoi-su/2024/05/bai-{i}.md"),
            &format!("Bài số {i}"),
            &format!("2024-05-{:02}", i + 1),
            &format!("authors: [\"{author}\"]\ntags: [\"dân vận\"]\n"),
            "Nội dung.\n",
        );
    }
    // Other spellings of existing names: NFD, old-style tone placement, upper case.
    let nfd: String = "Việt Dũng".nfd().collect();
    site.article(
        "content/thoi-su/2024/06/nfd.md",
        "Bản NFD",
        "2024-06-01",
        &format!("authors: [\"{nfd}\"]\ntags: [\"Hòa Bình\"]\n"),
        "A\n",
    );
    site.article(
        "content/thoi-su/2024/06/old-tone.md",
        "Cách bỏ dấu cũ",
        "2024-06-02",
        "authors: [\"Uỷ ban Mặt trận Tổ quốc Việt Nam thành phố\"]\ntags: [\"Hoà Bình\"]\n",
        "B\n",
    );
    site.article(
        "content/thoi-su/2024/06/new-tone.md",
        "Cách bỏ dấu mới",
        "2024-06-04",
        "authors: [\"Ủy ban Mặt trận Tổ quốc Việt Nam thành phố\"]\n",
        "D\n",
    );
    site.article(
        "content/thoi-su/2024/06/upper.md",
        "Chữ hoa",
        "2024-06-03",
        "authors: [\"THÁI PHƯƠNG\"]\ntags: [\"Hòa Bình\"]\n",
        "C\n",
    );
    site
}

/// The names in a taxonomy index page, in page order.
fn listed_names(page: &str) -> Vec<String> {
    page.split("<ul class=\"term-list\">")
        .skip(1)
        .flat_map(|group| {
            group
                .split("</ul>")
                .next()
                .unwrap_or("")
                .split("<li>")
                .skip(1)
                .map(|li| {
                    let start = li.find("\">").unwrap() + 2;
                    let end = li.find("</a>").unwrap();
                    li[start..end].to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn authors_are_listed_in_vietnamese_order_with_counts_and_merged_spellings() {
    let site = names_site();
    site.build_ok();
    let page = site.page("/tac-gia/");
    assert_eq!(listed_names(&page), AUTHORS);
    // Letter groups in alphabet order.
    let letters: Vec<&str> = page
        .split("<h2 class=\"letter\"")
        .skip(1)
        .map(|h| &h[h.find('>').unwrap() + 1..h.find("</h2>").unwrap()])
        .collect();
    assert_eq!(letters, ["Â", "D", "Đ", "Ơ", "T", "U", "V"]);
    // Counts: the NFD, old-tone and upper-case spellings joined their names.
    assert!(page.contains("Việt Dũng</a> <span class=\"count\">(2 bài)</span>"));
    assert!(page.contains("Thái Phương</a> <span class=\"count\">(2 bài)</span>"));
    assert!(
        page.contains(
            "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố</a> <span class=\"count\">(3 bài)</span>"
        ),
        "the most frequent spelling is shown"
    );
    assert!(page.contains("Dương Văn Bình</a> <span class=\"count\">(1 bài)</span>"));
    // The most frequent spelling is shown on the term page and on articles.
    let upper = site.page("/thoi-su/2024/06/upper/");
    assert!(upper.contains("<a href=\"https://example.gov.vn/tac-gia/thai-phuong/\" rel=\"author\">Thái Phương</a>"), "an article shows its author as the author's page does");
    let term = site.page("/tac-gia/thai-phuong/");
    assert!(term.contains("Tác giả: Thái Phương"));
    assert!(term.contains("<meta name=\"description\" content=\"Các bài viết của tác giả Thái Phương trên Bản tin thử.\">"));
    // Tags: "Hòa Bình" twice, "Hoà Bình" once → one term shown "Hòa Bình".
    let tags = site.page("/chu-de/");
    assert!(
        tags.contains(">Hòa Bình</a> <span class=\"count\">(3 bài)</span>"),
        "{tags}"
    );
    assert!(!tags.contains(">Hoà Bình<"));
}

#[test]
fn term_pages_are_paginated_with_exact_boundaries() {
    let site = Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\ntaxonomies:\n  tags: { page_size: 3 }\n");
    for day in 1..=7 {
        site.article(
            &format!("content/thoi-su/2024/07/tin-{day}.md"),
            &format!("Tin {day}"),
            &format!("2024-07-{day:02}"),
            "tags: [\"công tác dân tộc\"]\n",
            "X\n",
        );
    }
    site.build_ok();
    let count = |page: &str| page.matches("<article class=\"item").count();
    assert_eq!(count(&site.page("/chu-de/cong-tac-dan-toc/")), 3);
    assert_eq!(count(&site.page("/chu-de/cong-tac-dan-toc/trang/2/")), 3);
    let last = site.page("/chu-de/cong-tac-dan-toc/trang/3/");
    assert_eq!(count(&last), 1);
    assert!(
        last.contains("Tin 1<"),
        "the oldest is alone on the last page"
    );
    assert!(!last.contains("rel=\"next\""));
    assert!(!site.exists("/chu-de/cong-tac-dan-toc/trang/4/index.html"));
    assert!(!site.exists("/chu-de/cong-tac-dan-toc/trang/1/index.html"));
    // No agencies anywhere: the index page exists and says so.
    let agencies = site.page("/co-quan/");
    assert!(agencies.contains("Chưa có mục nào."));
}

#[test]
fn taxonomies_can_be_renamed_moved_or_switched_off() {
    let site = Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\ntaxonomies:\n  tags: { title: \"Từ khóa\", path: \"/tu-khoa/\" }\n  agencies: false\n");
    site.article(
        "content/thoi-su/2024/07/tin.md",
        "Tin",
        "2024-07-01",
        "tags: [\"dân vận\"]\nagencies: [\"Ban Dân tộc\"]\n",
        "X\n",
    );
    site.build_ok();
    assert!(site.page("/tu-khoa/dan-van/").contains("Từ khóa: dân vận"));
    assert!(!site.exists("/chu-de/index.html"));
    assert!(!site.exists("/co-quan/index.html"));
    let article = site.page("/thoi-su/2024/07/tin/");
    assert!(
        article.contains("<li>Ban Dân tộc</li>"),
        "an agency without pages is plain text"
    );
}

#[test]
fn different_names_with_one_url_are_an_error_naming_both() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/thoi-su/2024/07/a.md",
        "A",
        "2024-07-01",
        "tags: [\"dân tộc Tày\"]\n",
        "X\n",
    );
    site.article(
        "content/thoi-su/2024/07/b.md",
        "B",
        "2024-07-02",
        "tags: [\"dân tộc Tây\"]\n",
        "X\n",
    );
    let problems = site.build_err();
    let shown: String = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        shown.contains("dân tộc Tày") && shown.contains("dân tộc Tây"),
        "{shown}"
    );
    assert!(shown.contains("/chu-de/dan-toc-tay/"), "{shown}");
}

#[test]
fn date_archives_list_years_months_and_link_neighbour_months() {
    let site =
        Fixture::new("title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\npage_size: 2\n");
    let dates = [
        "2023-12-05",
        "2024-02-10",
        "2024-04-01",
        "2024-04-15",
        "2024-04-20",
        "2024-07-01",
    ];
    for (i, date) in dates.iter().enumerate() {
        site.article(
            &format!("content/thoi-su/{}/tin-{i}.md", &date[..4]),
            &format!("Tin {i}"),
            date,
            "",
            "X\n",
        );
    }
    site.build_ok();
    let years = site.page("/luu-tru/");
    let y2024 = years.find("Năm 2024").expect("2024 listed");
    let y2023 = years.find("Năm 2023").expect("2023 listed");
    assert!(y2024 < y2023, "newest year first");
    assert!(years.contains("Năm 2024</a> <span class=\"count\">(5 bài)</span>"));
    let year = site.page("/luu-tru/2024/");
    assert!(year.contains("Tháng 4/2024</a> <span class=\"count\">(3 bài)</span>"));
    assert!(year.find("Tháng 7/2024").unwrap() < year.find("Tháng 2/2024").unwrap());
    assert!(
        !year.contains("Tháng 3/2024"),
        "months without articles are not listed"
    );
    // The year before, and none after the newest.
    assert!(year.contains("href=\"https://example.gov.vn/luu-tru/2023/\" rel=\"prev\""));
    assert!(!year.contains("rel=\"next\""));
    // A description of its own, not the title again.
    assert!(year
        .contains("<meta name=\"description\" content=\"Các bài viết năm 2024 trên Bản tin.\">"));
    let older = site.page("/luu-tru/2023/");
    assert!(older.contains("href=\"https://example.gov.vn/luu-tru/2024/\" rel=\"next\""));
    let april = site.page("/luu-tru/2024/04/");
    assert_eq!(april.matches("<article class=\"item").count(), 2);
    assert!(
        april.contains("href=\"https://example.gov.vn/luu-tru/2024/02/\" rel=\"prev\""),
        "older month with articles"
    );
    assert!(april.contains("href=\"https://example.gov.vn/luu-tru/2024/07/\" rel=\"next\""));
    assert_eq!(
        site.page("/luu-tru/2024/04/trang/2/")
            .matches("<article class=\"item")
            .count(),
        1
    );
    let december = site.page("/luu-tru/2023/12/");
    assert!(
        december.contains("https://example.gov.vn/luu-tru/2024/02/\" rel=\"next\""),
        "across years"
    );
    assert!(!december.contains("rel=\"prev\""), "no older month");
    // An article's date links to its month.
    let article = site.page("/thoi-su/2024/04/tin-3/");
    assert!(article
        .contains("<a class=\"date-link\" href=\"https://example.gov.vn/luu-tru/2024/04/\">"));
}

#[test]
fn related_articles_share_the_most_terms_newer_first() {
    let site = Fixture::new(CONFIG);
    site.write(
        "content/kinh-te/_index.md",
        "---\ntitle: \"Kinh tế\"\n---\n",
    );
    let base = "tags: [\"dân vận\", \"Tết\"]\nagencies: [\"Ban Dân tộc\"]\n";
    site.article(
        "content/thoi-su/2024/01/goc.md",
        "Bài gốc",
        "2024-01-10",
        base,
        "X\n",
    );
    site.article(
        "content/kinh-te/2024/01/hai-tag.md",
        "Hai chủ đề",
        "2024-01-01",
        "tags: [\"dân vận\", \"Tết\"]\n",
        "X\n",
    );
    site.article(
        "content/thoi-su/2024/01/co-quan.md",
        "Cùng cơ quan và chuyên mục",
        "2024-01-02",
        "agencies: [\"Ban Dân tộc\"]\n",
        "X\n",
    );
    site.article(
        "content/kinh-te/2024/01/mot-tag-cu.md",
        "Một chủ đề cũ",
        "2024-01-03",
        "tags: [\"Tết\"]\n",
        "X\n",
    );
    site.article(
        "content/kinh-te/2024/01/mot-tag-moi.md",
        "Một chủ đề mới",
        "2024-01-04",
        "tags: [\"dân vận\"]\n",
        "X\n",
    );
    site.article(
        "content/thoi-su/2024/01/khong-lien-quan.md",
        "Không liên quan",
        "2024-01-05",
        "tags: [\"thể thao\"]\n",
        "X\n",
    );
    site.build_ok();
    let page = site.page("/thoi-su/2024/01/goc/");
    let related = &page[page.find("Tin liên quan").expect("related block")..];
    let related = &related[..related.find("</section>").unwrap()];
    let titles: Vec<&str> = related
        .split("<h3 class=\"item-title\"><a href=\"")
        .skip(1)
        .map(|s| &s[s.find("\">").unwrap() + 2..s.find("</a>").unwrap()])
        .collect();
    // 6 (two tags), then three with 3 (one tag, or agency + same section): newer first.
    assert_eq!(
        titles,
        [
            "Hai chủ đề",
            "Một chủ đề mới",
            "Một chủ đề cũ",
            "Cùng cơ quan và chuyên mục"
        ]
    );
    assert!(!related.contains("Bài gốc") && !related.contains("Không liên quan"));
    // "Không liên quan" shares its section with "Cùng cơ quan…", but is its next article,
    // linked above the block already.
    let page = site.page("/thoi-su/2024/01/co-quan/");
    let related = &page[page.find("Tin liên quan").expect("related block")..];
    let related = &related[..related.find("</section>").unwrap()];
    assert!(related.contains(">Bài gốc</a>"));
    assert!(!related.contains(">Không liên quan</a>"));
    assert!(page.contains("rel=\"next\"><span class=\"label\">Bài sau ›</span> <span class=\"title\">Không liên quan</span>"));
}

#[test]
fn nested_sections_list_their_children_and_keep_their_own_settings() {
    let site = Fixture::new(CONFIG);
    site.write(
        "content/thoi-su/trong-nuoc/_index.md",
        "---\ntitle: \"Trong nước\"\npage_size: 1\nsort_by: title\n---\n",
    );
    site.article(
        "content/thoi-su/trong-nuoc/2024/02/b.md",
        "Bình Dương",
        "2024-02-01",
        "",
        "X\n",
    );
    site.article(
        "content/thoi-su/trong-nuoc/2024/02/a.md",
        "An Giang",
        "2024-02-02",
        "",
        "X\n",
    );
    site.article(
        "content/thoi-su/2024/02/c.md",
        "Cần Thơ",
        "2024-02-03",
        "",
        "X\n",
    );
    site.build_ok();
    assert!(site.exists("/thoi-su/trong-nuoc/2024/02/b/index.html"));
    let parent = site.page("/thoi-su/");
    assert!(
        parent.contains("Bình Dương") && parent.contains("An Giang") && parent.contains("Cần Thơ")
    );
    assert!(
        parent.contains("<a href=\"https://example.gov.vn/thoi-su/trong-nuoc/\">Trong nước</a>"),
        "subsection link"
    );
    let child = site.page("/thoi-su/trong-nuoc/");
    assert!(
        child.contains("An Giang") && !child.contains("Bình Dương"),
        "sorted by title, one per page"
    );
    assert!(site
        .page("/thoi-su/trong-nuoc/trang/2/")
        .contains("Bình Dương"));
    let crumbs = site.page("/thoi-su/trong-nuoc/2024/02/a/");
    let nav = &crumbs[crumbs.find("aria-label=\"Đường dẫn\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.find("Thời sự").unwrap() < nav.find("Trong nước").unwrap());
}

/// A section listed by title still has its feeds newest first.
#[test]
fn feeds_of_a_section_listed_by_title_are_newest_first() {
    let site = Fixture::new(
        "title: \"Bản tin\"\nbase_url: \"https://example.gov.vn/\"\nfeeds: { limit: 1 }\n",
    );
    site.write(
        "content/dia-phuong/_index.md",
        "---\ntitle: \"Địa phương\"\nsort_by: title\n---\n",
    );
    site.article(
        "content/dia-phuong/an-giang.md",
        "An Giang",
        "2020-01-01",
        "",
        "X\n",
    );
    site.article(
        "content/dia-phuong/yen-bai.md",
        "Yên Bái",
        "2026-01-01",
        "",
        "X\n",
    );
    site.build_ok();
    let list = site.page("/dia-phuong/");
    assert!(
        list.find("An Giang") < list.find("Yên Bái"),
        "listed by title"
    );
    for feed in ["/dia-phuong/rss.xml", "/dia-phuong/atom.xml"] {
        let feed = site.page(feed);
        assert!(
            feed.contains("Yên Bái") && !feed.contains("An Giang"),
            "{feed}"
        );
    }
}
