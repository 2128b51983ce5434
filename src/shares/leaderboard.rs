//! The leaderboard: ACTIVE ambassadors by points earned in a period, then
//! shares in that period, then name. Equal points and shares share a rank
//! (standard competition ranking: 1, 1, 3).

use std::collections::HashMap;

use chrono::Duration;
use entity::{points_ledger, shares, users};
use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::{
    auth::Viewer, domain::AmbassadorStatus, error::AppResult, pagination::First, state::AppState,
    tenant,
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
    state: &AppState,
    viewer: &Viewer,
    period: LeaderboardPeriod,
    first: First,
) -> AppResult<Vec<Entry>> {
    let since = period.length().map(|d| state.clock.now() - d);
    let people = tenant::scoped::<users::Entity>(viewer)
        .filter(users::Column::AmbassadorStatus.eq(AmbassadorStatus::Active.as_str()))
        .all(&state.db)
        .await?;
    let mut points_query = tenant::scoped::<points_ledger::Entity>(viewer)
        .select_only()
        .column(points_ledger::Column::UserId)
        .column_as(points_ledger::Column::Points.sum(), "points")
        .group_by(points_ledger::Column::UserId);
    let mut shares_query = tenant::scoped::<shares::Entity>(viewer)
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
        .all(&state.db)
        .await?
        .into_iter()
        .map(|(id, p)| (id, p.unwrap_or(0)))
        .collect();
    let share_counts: HashMap<Uuid, i64> = shares_query
        .into_tuple()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let mut scored: Vec<(i64, i64, users::Model)> = people
        .into_iter()
        .map(|u| {
            (
                points.get(&u.id).copied().unwrap_or(0),
                share_counts.get(&u.id).copied().unwrap_or(0),
                u,
            )
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then_with(|| a.2.display_name.cmp(&b.2.display_name))
            .then(a.2.id.cmp(&b.2.id))
    });
    Ok(ranked(scored)
        .into_iter()
        .take(first.get() as usize)
        .collect())
}

/// Standard competition ranking over rows sorted best first.
fn ranked(sorted: Vec<(i64, i64, users::Model)>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::with_capacity(sorted.len());
    for (i, (points, shares, user)) in sorted.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.points == points && prev.shares == shares => prev.rank,
            _ => i as i64 + 1,
        };
        out.push(Entry {
            rank,
            user,
            points,
            shares,
        });
    }
    out
}
