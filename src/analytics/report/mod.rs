//! The engagement report: validation, privacy rules and the figures.
//!
//! [`report`] checks the caller and the filter, then `plan` picks the
//! source of each figure, `statements` reads them, and `assemble` puts the
//! report together; `csv` is its export.

mod assemble;
mod csv;
mod plan;
mod statements;

use chrono::NaiveDate;
use entity::{contents, groups, topics};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub use csv::daily_csv;

use crate::{
    auth::{Role, Viewer},
    domain::SocialNetwork,
    error::{AppError, AppResult},
    org::{groups as group_service, organizations as org_service},
    tenant::Tenant,
};

/// The longest range, in days after `from`.
pub const MAX_RANGE_DAYS: i64 = 366;

/// What the report covers. `group_id`, `network`, `content_id` and
/// `topic_id` combine (all must match).
#[derive(Clone, Debug)]
pub struct EngagementFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_id: Option<Uuid>,
    pub network: Option<SocialNetwork>,
    pub content_id: Option<Uuid>,
    pub topic_id: Option<Uuid>,
}

/// Shares, their potential reach and the clicks on their links.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub shares: i64,
    pub potential_reach: i64,
    pub clicks: i64,
}

impl Figures {
    fn add(&mut self, other: Figures) {
        self.shares += other.shares;
        self.potential_reach += other.potential_reach;
        self.clicks += other.clicks;
    }

    fn any(&self) -> bool {
        self.shares > 0 || self.clicks > 0
    }
}

#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub shares: i64,
    pub active_ambassadors: i64,
    pub enrolled_ambassadors: i64,
    pub participation_rate: f64,
    pub potential_reach: i64,
    pub clicks: i64,
    pub click_through_rate: f64,
    pub earned_media_value: f64,
    pub network_multiplier: f64,
}

#[derive(Clone, Debug)]
pub struct Day {
    pub date: NaiveDate,
    pub figures: Figures,
    /// Earned media value of the day's shares (for the CSV export).
    pub earned_media_value: f64,
}

#[derive(Clone, Debug)]
pub struct GroupFigures {
    pub group: groups::Model,
    pub shares: i64,
    pub active_ambassadors: i64,
    pub enrolled_ambassadors: i64,
    pub participation_rate: f64,
}

#[derive(Clone, Debug, Default)]
pub struct Funnel {
    pub employees: i64,
    pub invited: i64,
    pub active: i64,
    pub paused: i64,
    pub declined: i64,
    pub withdrawn: i64,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: Totals,
    pub daily: Vec<Day>,
    pub by_network: Vec<(SocialNetwork, Figures)>,
    pub by_group: Vec<GroupFigures>,
    /// Every item with a share or a click in the range, best first.
    pub top_content: Vec<(Uuid, Figures)>,
    /// Every person with a share or a click in the range, best first;
    /// empty when the organization does not allow naming people, and never
    /// a WITHDRAWN user.
    pub top_ambassadors: Vec<(Uuid, Figures)>,
    pub funnel: Funnel,
}

/// Checks the range: `from` not after `to`, at most 366 days apart.
pub fn validate_range(from: NaiveDate, to: NaiveDate) -> AppResult<()> {
    if from > to {
        return Err(AppError::bad_input("from must not be after to"));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(AppError::bad_input(format!(
            "to may be at most {MAX_RANGE_DAYS} days after from"
        )));
    }
    Ok(())
}

/// HR or ADMIN: the engagement report of the viewer's organization.
pub async fn report(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: &EngagementFilter,
) -> AppResult<Report> {
    viewer.require_any(&[Role::Hr])?;
    validate_range(filter.from, filter.to)?;
    let org = org_service::get(conn, viewer).await?;
    if let Some(group_id) = filter.group_id {
        Tenant::of(viewer)
            .get::<groups::Entity>(conn, group_id, "group")
            .await?;
        let members = group_service::member_counts(conn, viewer, &[group_id])
            .await?
            .get(&group_id)
            .copied()
            .unwrap_or(0);
        if members < i64::from(org.minimum_group_size) {
            return Err(AppError::Forbidden(
                "this group has fewer members than the organization's minimumGroupSize",
            ));
        }
    }
    if let Some(content_id) = filter.content_id {
        Tenant::of(viewer)
            .get::<contents::Entity>(conn, content_id, "content")
            .await?;
    }
    if let Some(topic_id) = filter.topic_id {
        Tenant::of(viewer)
            .get::<topics::Entity>(conn, topic_id, "topic")
            .await?;
    }
    let reads = statements::read(conn, viewer, &org, filter).await?;
    let others = statements::groups_of(conn, viewer, &assemble::sharers_outside(&reads)).await?;
    Ok(assemble::report(&org, filter, reads, others))
}

/// `numerator / denominator`, 0 when there is nothing to divide by.
fn ratio(numerator: i64, denominator: i64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_range_is_at_most_366_days_after_from() {
        assert!(validate_range(d("2024-01-01"), d("2025-01-01")).is_ok());
        assert!(validate_range(d("2024-01-01"), d("2025-01-02")).is_err());
        assert!(validate_range(d("2026-01-02"), d("2026-01-01")).is_err());
        assert!(validate_range(d("2026-01-01"), d("2026-01-01")).is_ok());
    }
}
