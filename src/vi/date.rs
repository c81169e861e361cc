//! Dates in the newsroom's zone (+07:00, Asia/Ho_Chi_Minh): parsing front matter, formatting
//! in Vietnamese and for feeds.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use std::fmt::Write;

/// Vietnam has kept +07:00 since 1975; archives older than that are still shown at +07:00.
const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

const WEEKDAYS: [&str; 7] = [
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ Nhật",
];

/// A moment shown in Vietnam's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VnDate {
    instant: DateTime<FixedOffset>,
    /// Given as a day without a time (`date: 2024-04-14`): it starts the day, and is shown
    /// without a time (no "00:00").
    day_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date{}", .reason.as_deref().map_or(String::new(), |r| format!(": {r}")))]
pub struct DateError {
    pub text: String,
    /// What is wrong with it, when that can be told (`there is no month 13`).
    pub reason: Option<String>,
}

/// Parses `2024-04-10T09:30:00+07:00` (RFC 3339), `2024-04-10 09:30[:00]` and `2024-04-10`;
/// a time without an offset is in Vietnam (+07:00).
pub fn parse_date(text: &str) -> Result<VnDate, DateError> {
    let text = text.trim();
    let error = || DateError {
        text: text.to_string(),
        reason: why_not_a_date(text),
    };
    // Years 1–9999 only, in Vietnam: feeds and sitemaps cannot write others (RFC 2822 and
    // W3C dates have four-digit years).
    let in_range = |date: VnDate| (1..=9999).contains(&date.year()).then_some(date);
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return in_range(VnDate::from_instant(with_offset)).ok_or_else(error);
    }
    let with_time = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok());
    let day_only = with_time.is_none();
    let local = with_time
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .ok_or_else(error)?;
    vietnam()
        .from_local_datetime(&local)
        .single()
        .map(|instant| VnDate { instant, day_only })
        .and_then(in_range)
        .ok_or_else(error)
}

/// Why a text shaped like a date is none: a month or day out of range (`2024-02-30`), or the
/// day written first (`30/12/2024`, as Vietnamese dates are usually written by hand).
fn why_not_a_date(text: &str) -> Option<String> {
    let numbers = |part: &str, separators: &[char]| -> Option<[u32; 3]> {
        let numbers: Vec<u32> = part
            .split(separators)
            .map(|n| n.parse().ok())
            .collect::<Option<_>>()?;
        numbers.try_into().ok()
    };
    let day_part = text.split([' ', 'T']).next().unwrap_or(text);
    if let Some([year, month, day]) = numbers(day_part, &['-']).filter(|n| n[0] >= 1000) {
        if !(1..=12).contains(&month) {
            return Some(format!("there is no month {month}"));
        }
        let days = (28..=31)
            .rev()
            .find(|&d| NaiveDate::from_ymd_opt(year as i32, month, d).is_some())?;
        return (day == 0 || day > days)
            .then(|| format!("month {month} of {year} has {days} days"));
    }
    let [day, month, year] = numbers(day_part, &['/', '-', '.'])?;
    (year >= 1000 && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("write the year first: {year:04}-{month:02}-{day:02}"))
}

fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS).expect("+07:00 is a valid offset")
}

impl VnDate {
    /// The same instant, shown at +07:00.
    pub fn from_instant<Tz: TimeZone>(instant: DateTime<Tz>) -> VnDate {
        VnDate {
            instant: instant.with_timezone(&vietnam()),
            day_only: false,
        }
    }

    /// Now, in Vietnam.
    pub fn now() -> VnDate {
        VnDate::from_instant(chrono::Utc::now())
    }

    pub fn year(&self) -> i32 {
        self.instant.year()
    }

    pub fn month(&self) -> u32 {
        self.instant.month()
    }

    pub fn day(&self) -> u32 {
        self.instant.day()
    }

    /// Seconds since 1970, for sorting and comparisons.
    pub fn timestamp(&self) -> i64 {
        self.instant.timestamp()
    }

    /// `2024-04-10T09:30:00+07:00`: for `<time datetime>`, Atom, sitemaps, JSON-LD.
    pub fn rfc3339(&self) -> String {
        self.instant
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// `2024-04-10T09:30:00+07:00`, or `2024-04-14` for a day given without a time: what
    /// templates get, and how an editor writes it.
    pub fn as_written(&self) -> String {
        match self.day_only {
            true => self.instant.format("%Y-%m-%d").to_string(),
            false => self.rfc3339(),
        }
    }

    /// `Wed, 10 Apr 2024 09:30:00 +0700`: for RSS.
    pub fn rfc822(&self) -> String {
        self.instant.to_rfc2822()
    }

    /// The Vietnamese weekday: `Thứ Tư`, `Chủ Nhật`.
    pub fn weekday(&self) -> &'static str {
        WEEKDAYS[self.instant.weekday().num_days_from_monday() as usize]
    }

    /// Formats with a pattern of `DateFormats` (checked by `check_pattern`); a day given
    /// without a time with the pattern's day part only (see `day_part`).
    pub fn format(&self, pattern: &str) -> String {
        let pattern = match self.day_only {
            true => day_part(pattern),
            false => pattern,
        };
        let mut out = String::with_capacity(pattern.len() + 16);
        for (_, piece) in tokens(pattern) {
            let _ = match piece {
                Token::Text(text) => {
                    out.push_str(text);
                    Ok(())
                }
                Token::Weekday => write!(out, "{}", self.weekday()),
                Token::Day => write!(out, "{}", self.instant.day()),
                Token::Day2 => write!(out, "{:02}", self.instant.day()),
                Token::Month => write!(out, "{}", self.instant.month()),
                Token::Month2 => write!(out, "{:02}", self.instant.month()),
                Token::Year => write!(out, "{}", self.instant.year()),
                Token::Hour => write!(out, "{:02}", self.instant.hour()),
                Token::Minute => write!(out, "{:02}", self.instant.minute()),
                Token::Second => write!(out, "{:02}", self.instant.second()),
                Token::Percent => write!(out, "%"),
                Token::Unknown(_) => Ok(()),
            };
        }
        out
    }
}

/// Templates get `2024-04-10T09:30:00+07:00`, or `2024-04-14` for a day given without a time,
/// which the date filters read back as such.
impl serde::Serialize for VnDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_written())
    }
}

/// What a pattern shows of the day alone, for a date given without a time: up to the last day
/// placeholder before the time (`%A, %-d/%-m/%Y, %H:%M (GMT+7)` → `%A, %-d/%-m/%Y`), or from
/// the first one after it (`%H:%M, %d/%m/%Y` → `%d/%m/%Y`).
fn day_part(pattern: &str) -> &str {
    let mut pieces = Vec::new();
    let mut at = 0;
    for (raw, token) in tokens(pattern) {
        pieces.push((at..at + raw.len(), token));
        at += raw.len();
    }
    let is_time = |t: &Token| matches!(t, Token::Hour | Token::Minute | Token::Second);
    let is_day = |t: &Token| {
        matches!(
            t,
            Token::Weekday | Token::Day | Token::Day2 | Token::Month | Token::Month2 | Token::Year
        )
    };
    let Some(first_time) = pieces.iter().position(|(_, t)| is_time(t)) else {
        return pattern;
    };
    if let Some((range, _)) = pieces[..first_time].iter().rfind(|(_, t)| is_day(t)) {
        return &pattern[..range.end];
    }
    let last_time = pieces
        .iter()
        .rposition(|(_, t)| is_time(t))
        .unwrap_or(first_time);
    match pieces[last_time..].iter().find(|(_, t)| is_day(t)) {
        Some((range, _)) => &pattern[range.start..],
        None => pattern,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Text(&'a str),
    Weekday,
    Day,
    Day2,
    Month,
    Month2,
    Year,
    Hour,
    Minute,
    Second,
    Percent,
    Unknown(&'a str),
}

/// The pieces of a date pattern in order, text and placeholders, each with its text in the
/// pattern (without allocating: this runs for every date of every page).
fn tokens(pattern: &str) -> impl Iterator<Item = (&str, Token<'_>)> {
    let mut rest = pattern;
    std::iter::from_fn(move || {
        let text_len = match rest.find('%') {
            Some(0) => None,
            Some(at) => Some(at),
            None if rest.is_empty() => return None,
            None => Some(rest.len()),
        };
        if let Some(len) = text_len {
            let (text, after) = rest.split_at(len);
            rest = after;
            return Some((text, Token::Text(text)));
        }
        let spec_len = if rest[1..].starts_with('-') { 3 } else { 2 };
        let spec = rest.get(..spec_len).unwrap_or(rest);
        rest = &rest[spec.len()..];
        let token = match spec {
            "%A" => Token::Weekday,
            "%-d" => Token::Day,
            "%d" => Token::Day2,
            "%-m" => Token::Month,
            "%m" => Token::Month2,
            "%Y" => Token::Year,
            "%H" => Token::Hour,
            "%M" => Token::Minute,
            "%S" => Token::Second,
            "%%" => Token::Percent,
            _ => Token::Unknown(spec),
        };
        Some((spec, token))
    })
}

/// A date pattern with a placeholder bantin does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown placeholder `{placeholder}` in date format `{pattern}`; use %A (weekday), %d/%-d (day), %m/%-m (month), %Y, %H, %M, %S or %%")]
pub struct FormatError {
    pub pattern: String,
    pub placeholder: String,
}

/// The site's date styles, configurable in `bantin.yaml` under `date_formats`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DateFormats {
    /// `Thứ Tư, 10/4/2024, 09:30 (GMT+7)`: article pages.
    pub full: String,
    /// `10/04/2024 09:30`: lists.
    pub short: String,
    /// `ngày 10 tháng 4 năm 2024`: running text.
    pub text: String,
}

impl Default for DateFormats {
    fn default() -> Self {
        DateFormats {
            full: "%A, %-d/%-m/%Y, %H:%M (GMT+7)".to_string(),
            short: "%d/%m/%Y %H:%M".to_string(),
            text: "ngày %-d tháng %-m năm %Y".to_string(),
        }
    }
}

impl DateFormats {
    /// Checks every pattern, so a typo fails the build instead of vanishing from pages.
    pub fn check(&self) -> Result<(), FormatError> {
        for pattern in [&self.full, &self.short, &self.text] {
            if let Some((_, Token::Unknown(placeholder))) =
                tokens(pattern).find(|(_, t)| matches!(t, Token::Unknown(_)))
            {
                return Err(FormatError {
                    pattern: pattern.clone(),
                    placeholder: placeholder.to_string(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VnDate {
        parse_date("2024-04-10 09:30").unwrap()
    }

    #[test]
    fn accepted_forms_mean_the_same_moment() {
        assert_eq!(parse_date("2024-04-10T09:30:00+07:00").unwrap(), sample());
        assert_eq!(parse_date("2024-04-10 09:30:00").unwrap(), sample());
        assert_eq!(parse_date("2024-04-10T02:30:00Z").unwrap(), sample());
        assert_eq!(
            parse_date("2024-04-10").unwrap().rfc3339(),
            "2024-04-10T00:00:00+07:00"
        );
    }

    #[test]
    fn rejects_non_dates() {
        for bad in ["10/4/2024", "2024-13-01", "hôm qua", "", "2024-02-30"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        // What is wrong, when the text has a date's shape.
        let told = |text: &str| parse_date(text).unwrap_err().to_string();
        assert_eq!(
            told("2024-02-30"),
            "`2024-02-30` is not a date: month 2 of 2024 has 29 days"
        );
        assert_eq!(
            told("2023-02-29 09:30"),
            "`2023-02-29 09:30` is not a date: month 2 of 2023 has 28 days"
        );
        assert_eq!(
            told("2024-13-01"),
            "`2024-13-01` is not a date: there is no month 13"
        );
        assert_eq!(
            told("30/12/2024"),
            "`30/12/2024` is not a date: write the year first: 2024-12-30"
        );
        assert_eq!(
            told("10-4-2024 08:00"),
            "`10-4-2024 08:00` is not a date: write the year first: 2024-04-10"
        );
        assert_eq!(told("hôm qua"), "`hôm qua` is not a date");
        assert_eq!(told("12/30/2024"), "`12/30/2024` is not a date");
        // Years feeds and sitemaps cannot write are refused, not a panic later.
        for bad in [
            "-2024-04-10",
            "+20244-04-10",
            "0000-01-01",
            "9999-12-31T23:00:00-12:00",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        for date in ["0001-01-01", "9999-12-31", "9999-12-31T23:00:00+07:00"] {
            let date = parse_date(date).unwrap();
            assert!(!date.rfc822().is_empty());
        }
    }

    #[test]
    fn vietnamese_formats() {
        let d = sample();
        let f = DateFormats::default();
        assert_eq!(d.format(&f.full), "Thứ Tư, 10/4/2024, 09:30 (GMT+7)");
        assert_eq!(d.format(&f.short), "10/04/2024 09:30");
        assert_eq!(d.format(&f.text), "ngày 10 tháng 4 năm 2024");
    }

    #[test]
    fn a_day_without_a_time_is_shown_without_one() {
        let day = parse_date("2023-04-14").unwrap();
        let f = DateFormats::default();
        assert_eq!(day.format(&f.full), "Thứ Sáu, 14/4/2023");
        assert_eq!(day.format(&f.short), "14/04/2023");
        assert_eq!(day.format(&f.text), "ngày 14 tháng 4 năm 2023");
        assert_eq!(day.format("%H:%M, %d/%m/%Y"), "14/04/2023");
        assert_eq!(
            day.format("%H:%M"),
            "00:00",
            "a pattern of the time alone stays"
        );
        // It is the start of the day for feeds and sorting, and a day for templates.
        assert_eq!(day.rfc3339(), "2023-04-14T00:00:00+07:00");
        assert_eq!(serde_json::to_string(&day).unwrap(), "\"2023-04-14\"");
        let read_back = parse_date("2023-04-14").unwrap();
        assert_eq!(read_back.format(&f.full), "Thứ Sáu, 14/4/2023");
        let midnight = parse_date("2023-04-14 00:00").unwrap();
        assert_eq!(midnight.format(&f.short), "14/04/2023 00:00");
        assert_eq!(
            serde_json::to_string(&midnight).unwrap(),
            "\"2023-04-14T00:00:00+07:00\""
        );
    }

    #[test]
    fn patterns_mix_text_and_placeholders() {
        let d = sample();
        assert_eq!(d.format("%H giờ, 100%%, %-d/%-m"), "09 giờ, 100%, 10/4");
        let formats = DateFormats {
            text: "ngày %đ".to_string(),
            ..DateFormats::default()
        };
        assert_eq!(formats.check().unwrap_err().placeholder, "%đ");
    }

    #[test]
    fn feed_formats() {
        let d = sample();
        assert_eq!(d.rfc3339(), "2024-04-10T09:30:00+07:00");
        assert_eq!(d.rfc822(), "Wed, 10 Apr 2024 09:30:00 +0700");
    }

    #[test]
    fn every_weekday_in_vietnamese() {
        let names: Vec<&str> = (15..=21)
            .map(|day| parse_date(&format!("2024-04-{day}")).unwrap().weekday())
            .collect();
        assert_eq!(names, WEEKDAYS);
    }

    #[test]
    fn old_archives_stay_at_plus_seven() {
        assert_eq!(
            parse_date("1968-01-31 03:00").unwrap().rfc3339(),
            "1968-01-31T03:00:00+07:00"
        );
    }

    #[test]
    fn unknown_placeholders_are_reported() {
        let formats = DateFormats {
            full: "%A %Q".to_string(),
            ..DateFormats::default()
        };
        let error = formats.check().unwrap_err();
        assert_eq!(error.placeholder, "%Q");
        let trailing = DateFormats {
            short: "100%".to_string(),
            ..DateFormats::default()
        };
        assert!(trailing.check().is_err());
    }
}
