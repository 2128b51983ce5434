//! Planning a report: which source covers each figure under the filter,
//! and how a range splits into whole months, weeks and days of the
//! rollups.
//!
//! Each figure comes from the smallest source that covers the filter:
//! `engagement_network_days` for daily figures without user or content
//! filters, `engagement_content_days` with a content or topic filter,
//! `engagement_user_days` with a group filter. Figures per person and per
//! item read the per-user and per-content rollups by month, week and day:
//! whole months and weeks first, so that a range reads at most six single
//! days on each side. A group filter combined with a content or topic filter
//! reads the raw rows by time range.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};

use super::EngagementFilter;
use crate::analytics::rollups::{month_of, week_of};

/// Where the figures per (day, network) come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DailySource {
    /// This per-day rollup table.
    Rollup(&'static str),
    /// The raw shares and clicks (a group with a content or topic filter).
    RawRows,
}

pub(super) fn daily_source(f: &EngagementFilter) -> DailySource {
    match (f.group_id.is_some(), has_content_filter(f)) {
        (false, false) => DailySource::Rollup("engagement_network_days"),
        (false, true) => DailySource::Rollup("engagement_content_days"),
        (true, false) => DailySource::Rollup("engagement_user_days"),
        (true, true) => DailySource::RawRows,
    }
}

/// Whether figures per person can come from their rollups (which know no
/// content), or need the raw rows.
pub(super) fn per_user_from_rollups(f: &EngagementFilter) -> bool {
    !has_content_filter(f)
}

/// Whether figures per item can come from their rollups (which know no
/// group), or need the raw rows.
pub(super) fn per_content_from_rollups(f: &EngagementFilter) -> bool {
    f.group_id.is_none()
}

pub(super) fn has_content_filter(f: &EngagementFilter) -> bool {
    f.content_id.is_some() || f.topic_id.is_some()
}

/// `[from 00:00, to + 1 00:00)` UTC: the report's range over raw rows.
pub(super) fn raw_bounds(f: &EngagementFilter) -> (DateTime<Utc>, DateTime<Utc>) {
    (day_start(f.from), day_start(f.to + Days::new(1)))
}

fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// A time bucket of the per-user and per-content rollups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Grain {
    Day,
    Week,
    Month,
}

impl Grain {
    /// The rollup table per `key` (`user` or `content`) and its bucket column.
    pub(super) fn source(self, key: &str) -> (String, &'static str) {
        match self {
            Grain::Day => (format!("engagement_{key}_days"), "day"),
            Grain::Week => (format!("engagement_{key}_weeks"), "week"),
            Grain::Month => (format!("engagement_{key}_months"), "month"),
        }
    }

    /// The end (exclusive) of the bucket that begins on `start`, if one does.
    fn bucket_end(self, start: NaiveDate) -> Option<NaiveDate> {
        let next_month = month_of(start).checked_add_months(Months::new(1))?;
        match self {
            Grain::Day => Some(start + Days::new(1)),
            Grain::Week => {
                (week_of(start) == start).then(|| (start + Days::new(7)).min(next_month))
            }
            Grain::Month => (start == month_of(start)).then_some(next_month),
        }
    }
}

/// `from..=to` as runs `[start, end)` of whole months, weeks and days, the
/// largest buckets that fit first, so that every day is read exactly once
/// and at most six days on each side are read day by day.
pub(super) fn runs(from: NaiveDate, to: NaiveDate) -> Vec<(Grain, NaiveDate, NaiveDate)> {
    let end = to + Days::new(1);
    let mut out: Vec<(Grain, NaiveDate, NaiveDate)> = Vec::new();
    let mut cursor = from;
    while cursor < end {
        let (grain, next) = [Grain::Month, Grain::Week, Grain::Day]
            .into_iter()
            .find_map(|g| g.bucket_end(cursor).filter(|e| *e <= end).map(|e| (g, e)))
            .unwrap_or((Grain::Day, end));
        match out.last_mut() {
            Some((g, _, run_end)) if *g == grain => *run_end = next,
            _ => out.push((grain, cursor, next)),
        }
        cursor = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_range_reads_whole_months_and_weeks_and_at_most_six_days_each_side() {
        use Grain::*;
        assert_eq!(
            runs(d("2026-01-01"), d("2026-01-31")),
            vec![(Month, d("2026-01-01"), d("2026-02-01"))]
        );
        assert_eq!(
            runs(d("2026-10-27"), d("2026-11-25")),
            vec![
                (Day, d("2026-10-27"), d("2026-10-29")),
                (Week, d("2026-10-29"), d("2026-11-22")),
                (Day, d("2026-11-22"), d("2026-11-26")),
            ]
        );
        assert_eq!(
            runs(d("2025-11-26"), d("2026-11-25")),
            vec![
                (Day, d("2025-11-26"), d("2025-11-29")),
                (Week, d("2025-11-29"), d("2025-12-01")),
                (Month, d("2025-12-01"), d("2026-11-01")),
                (Week, d("2026-11-01"), d("2026-11-22")),
                (Day, d("2026-11-22"), d("2026-11-26")),
            ]
        );
        // February's last week is 22–28 (or 29 in a leap year).
        assert_eq!(
            runs(d("2028-02-22"), d("2028-03-07")),
            vec![(Week, d("2028-02-22"), d("2028-03-08")),]
        );
        assert_eq!(
            runs(d("2026-03-05"), d("2026-03-05")),
            vec![(Day, d("2026-03-05"), d("2026-03-06"))]
        );
    }

    #[test]
    fn runs_cover_every_day_of_any_range_once_with_whole_buckets() {
        let start = d("2027-12-01");
        for offset in 0..500 {
            let from = start + Days::new(offset);
            for len in [0, 1, 5, 6, 7, 13, 27, 29, 30, 31, 59, 92, 180, 365, 366] {
                let to = from + Days::new(len);
                let runs = runs(from, to);
                let mut day = from;
                for (grain, a, b) in &runs {
                    assert_eq!(*a, day, "runs of {from}..={to} are contiguous");
                    let mut bucket = *a;
                    while bucket < *b {
                        let end = grain.bucket_end(bucket).expect("a run holds whole buckets");
                        assert!(end <= *b);
                        bucket = end;
                    }
                    day = *b;
                }
                assert_eq!(day, to + Days::new(1));
                let days: i64 = runs
                    .iter()
                    .filter(|(g, ..)| *g == Grain::Day)
                    .map(|(_, a, b)| (*b - *a).num_days())
                    .sum();
                assert!(days <= 12, "{from}..={to}: {days} single days");
            }
        }
    }
}
