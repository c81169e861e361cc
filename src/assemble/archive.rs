//! Date archives: years, months, and the articles of each month, newest first.

use super::Article;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveYear {
    pub year: i32,
    /// Newest first.
    pub months: Vec<ArchiveMonth>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveMonth {
    pub year: i32,
    pub month: u32,
    /// Indexes into `Site::articles`, newest first.
    pub articles: Vec<usize>,
}

impl ArchiveYear {
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.articles.len()).sum()
    }
}

/// Site path of a year's archive: `/luu-tru/2024/`.
pub fn year_path(base: &str, year: i32) -> String {
    format!("{base}{year:04}/")
}

/// Site path of a month's archive: `/luu-tru/2024/04/`.
pub fn month_path(base: &str, year: i32, month: u32) -> String {
    format!("{base}{year:04}/{month:02}/")
}

/// Groups articles (sorted newest first) by year and month, in one pass.
pub fn build(articles: &[Article]) -> Vec<ArchiveYear> {
    let mut years: Vec<ArchiveYear> = Vec::new();
    for (index, article) in articles.iter().enumerate() {
        let date = article.source.matter.date;
        let (year, month) = (date.year(), date.month());
        if years.last().is_none_or(|y| y.year != year) {
            years.push(ArchiveYear {
                year,
                months: Vec::new(),
            });
        }
        let current = years.last_mut().expect("pushed above");
        if current.months.last().is_none_or(|m| m.month != month) {
            current.months.push(ArchiveMonth {
                year,
                month,
                articles: Vec::new(),
            });
        }
        current
            .months
            .last_mut()
            .expect("pushed above")
            .articles
            .push(index);
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(year_path("/luu-tru/", 2024), "/luu-tru/2024/");
        assert_eq!(month_path("/luu-tru/", 2024, 4), "/luu-tru/2024/04/");
    }
}
