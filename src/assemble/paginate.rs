//! Pagination: page 1 at the list's own URL, page N at `<list>/trang/N/` (`trang` is
//! `paginate_path` in bantin.yaml).

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    /// Site path of the list (`/thoi-su/`).
    pub base: String,
    /// Positions of this page's items in the full list.
    pub range: std::ops::Range<usize>,
}

/// The site path of page `number` of the list at `base`, later pages below the URL `word`.
pub fn page_path(base: &str, number: usize, word: &str) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}{word}/{number}/")
    }
}

/// Cuts `count` items into pages of `size`; an empty list still has one (empty) page.
pub fn paginate(base: &str, count: usize, size: usize) -> Vec<Pager> {
    let size = size.max(1);
    let total = count.div_ceil(size).max(1);
    (1..=total)
        .map(|number| Pager {
            number,
            total,
            base: base.to_string(),
            range: (number - 1) * size..(number * size).min(count),
        })
        .collect()
}

/// The numbered links of a pager: first, last, and two around the current page, with
/// `None` for a gap ("…").
pub fn visible_numbers(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for n in 1..=total {
        let near = n.abs_diff(current) <= 2;
        if n == 1 || n == total || near {
            out.push(Some(n));
        } else if out.last() != Some(&None) {
            out.push(None);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_boundaries() {
        let pages = paginate("/thoi-su/", 21, 10);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].range, 0..10);
        assert_eq!(pages[2].range, 20..21);
        assert_eq!(page_path("/thoi-su/", 1, "trang"), "/thoi-su/");
        assert_eq!(page_path("/thoi-su/", 3, "trang"), "/thoi-su/trang/3/");
        assert_eq!(page_path("/", 2, "page"), "/page/2/");
        assert_eq!(paginate("/", 0, 10).len(), 1);
        assert_eq!(paginate("/", 20, 10).len(), 2);
    }

    #[test]
    fn gaps_in_long_pagers() {
        assert_eq!(
            visible_numbers(6, 20),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(20)
            ]
        );
        assert_eq!(visible_numbers(1, 3), vec![Some(1), Some(2), Some(3)]);
    }
}
