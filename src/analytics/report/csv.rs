//! The CSV export of the report: one row per day of the range,
//! organization-wide.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::{EngagementFilter, report, statements::daily_active_ambassadors};
use crate::{auth::Viewer, error::AppResult};

pub async fn daily_csv(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<String> {
    let filter = EngagementFilter {
        from,
        to,
        group_id: None,
        network: None,
        content_id: None,
        topic_id: None,
    };
    let report = report(conn, viewer, &filter).await?;
    let active = daily_active_ambassadors(conn, viewer, from, to).await?;
    let mut out =
        String::from("date,shares,clicks,potential_reach,earned_media_value,active_ambassadors\n");
    for day in &report.daily {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            day.date.format("%Y-%m-%d"),
            day.figures.shares,
            day.figures.clicks,
            day.figures.potential_reach,
            day.earned_media_value,
            active.get(&day.date).copied().unwrap_or(0),
        ));
    }
    Ok(out)
}
