//! The leaderboard: ACTIVE ambassadors by points earned in a period, then
//! shares in that period, then name. Equal points and shares share a rank
//! (standard competition ranking: 1, 1, 3).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::{points_ledger, shares, users};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::{
    auth::Viewer, domain::AmbassadorStatus, error::AppResult, pagination::First, tenant::Tenant,
};

/// The window points and shares are counted in.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaderboardPeriod {
    /// The last 7 days.
    Week,
    /// The last 30 days.
    Month,
    /// Since the programme started.
    AllTime,
}

impl LeaderboardPeriod {
    fn length(self) -> Option<Duration> {
        match self {
            Self::Week => Some(Duration::days(7)),
            Self::Month => Some(Duration::days(30)),
            Self::AllTime => None,
        }
    }
}

/// One line of the leaderboard.
#[derive(Clone, Debug)]
pub struct Entry {
    pub rank: i64,
    pub user: users::Model,
    pub points: i64,
    pub shares: i64,
}

/// The top `first` entries. Withdrawn, paused and other non-ACTIVE people
/// are never listed; their points still exist in the ledger.
pub async fn leaderboard(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    period: LeaderboardPeriod,
    first: First,
) -> AppResult<Vec<Entry>> {
    let since = period.length().map(|d| now - d);
    // Only ids and names to rank; full rows for the entries returned.
    let people: Vec<(Uuid, String)> = Tenant::of(viewer)
        .find::<users::Entity>()
        .filter(users::Column::AmbassadorStatus.eq(AmbassadorStatus::Active.as_str()))
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::DisplayName)
        .into_tuple()
        .all(conn)
        .await?;
    let mut points_query = Tenant::of(viewer)
        .find::<points_ledger::Entity>()
        .select_only()
        .column(points_ledger::Column::UserId)
        .column_as(points_ledger::Column::Points.sum(), "points")
        .group_by(points_ledger::Column::UserId);
    let mut shares_query = Tenant::of(viewer)
        .find::<shares::Entity>()
        .select_only()
        .column(shares::Column::UserId)
        .column_as(shares::Column::Id.count(), "n")
        .group_by(shares::Column::UserId);
    if let Some(since) = since {
        points_query = points_query.filter(points_ledger::Column::AwardedAt.gt(since));
        shares_query = shares_query.filter(shares::Column::SharedAt.gt(since));
    }
    let points: HashMap<Uuid, i64> = points_query
        .into_tuple::<(Uuid, Option<i64>)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.unwrap_or(0)))
        .collect();
    let share_counts: HashMap<Uuid, i64> = shares_query
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut scored: Vec<Scored> = people
        .into_iter()
        .map(|(id, name)| Scored {
            points: points.get(&id).copied().unwrap_or(0),
            shares: share_counts.get(&id).copied().unwrap_or(0),
            name,
            id,
        })
        .collect();
    sort_best_first(&mut scored);
    let top: Vec<(i64, Scored)> = ranks(&scored)
        .into_iter()
        .zip(scored)
        .take(first.get() as usize)
        .collect();
    let mut rows = crate::org::users::by_ids(
        conn,
        viewer,
        &top.iter().map(|(_, s)| s.id).collect::<Vec<_>>(),
    )
    .await?;
    Ok(top
        .into_iter()
        .filter_map(|(rank, s)| {
            rows.remove(&s.id).map(|user| Entry {
                rank,
                user,
                points: s.points,
                shares: s.shares,
            })
        })
        .collect())
}

/// A person's standing in the period.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Scored {
    points: i64,
    shares: i64,
    name: String,
    id: Uuid,
}

/// Points, then shares (both descending), then name, then id.
fn sort_best_first(rows: &mut [Scored]) {
    rows.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.shares.cmp(&a.shares))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
}

/// Standard competition ranking over rows sorted best first: equal points
/// and shares share a rank, and the next rank skips (1, 1, 3).
fn ranks(sorted: &[Scored]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::with_capacity(sorted.len());
    for (i, row) in sorted.iter().enumerate() {
        let rank = match (i.checked_sub(1).map(|p| &sorted[p]), out.last()) {
            (Some(prev), Some(&r)) if prev.points == row.points && prev.shares == row.shares => r,
            _ => i as i64 + 1,
        };
        out.push(rank);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(points: i64, shares: i64, name: &str) -> Scored {
        Scored {
            points,
            shares,
            name: name.to_owned(),
            id: Uuid::nil(),
        }
    }

    #[test]
    fn ties_on_points_and_shares_share_a_rank_and_the_next_rank_skips() {
        let mut rows = vec![
            row(10, 1, "Cat"),
            row(10, 2, "Bob"),
            row(20, 2, "Zoe"),
            row(10, 2, "Ann"),
            row(0, 0, "Dan"),
            row(0, 0, "Eve"),
        ];
        sort_best_first(&mut rows);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Zoe", "Ann", "Bob", "Cat", "Dan", "Eve"]);
        assert_eq!(ranks(&rows), [1, 2, 2, 4, 5, 5]);
        assert!(ranks(&[]).is_empty());
    }
}
