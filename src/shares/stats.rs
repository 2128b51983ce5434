//! A person's figures over all time: shares, clicks on their links,
//! potential reach and points, for many people at once.

use std::collections::HashMap;

use entity::{clicks, points_ledger, shares};
use sea_orm::{
    ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::{auth::Viewer, error::AppResult, tenant::Tenant};

/// A person's figures, all time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub shares: i64,
    pub clicks: i64,
    pub potential_reach: i64,
    pub points: i64,
}

/// The figures of each user, in three grouped statements.
pub async fn of_users(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    user_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Stats>> {
    let ids = || user_ids.iter().copied();
    let share_rows: Vec<(Uuid, i64, Option<i64>)> = Tenant::of(viewer)
        .find::<shares::Entity>()
        .filter(shares::Column::UserId.is_in(ids()))
        .select_only()
        .column(shares::Column::UserId)
        .column_as(shares::Column::Id.count(), "n")
        // SUM of a BIGINT is NUMERIC on PostgreSQL: cast it back.
        .column_as(
            Expr::col(shares::Column::PotentialReach)
                .sum()
                .cast_as("BIGINT"),
            "reach",
        )
        .group_by(shares::Column::UserId)
        .into_tuple()
        .all(conn)
        .await?;
    let click_rows: Vec<(Uuid, i64)> = Tenant::of(viewer)
        .find::<clicks::Entity>()
        .filter(clicks::Column::UserId.is_in(ids()))
        .select_only()
        .column(clicks::Column::UserId)
        .column_as(clicks::Column::Id.count(), "n")
        .group_by(clicks::Column::UserId)
        .into_tuple()
        .all(conn)
        .await?;
    let point_rows: Vec<(Uuid, Option<i64>)> = Tenant::of(viewer)
        .find::<points_ledger::Entity>()
        .filter(points_ledger::Column::UserId.is_in(ids()))
        .select_only()
        .column(points_ledger::Column::UserId)
        .column_as(points_ledger::Column::Points.sum(), "points")
        .group_by(points_ledger::Column::UserId)
        .into_tuple()
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Stats> = ids().map(|id| (id, Stats::default())).collect();
    for (id, n, reach) in share_rows {
        let s = out.entry(id).or_default();
        s.shares = n;
        s.potential_reach = reach.unwrap_or(0);
    }
    for (id, n) in click_rows {
        out.entry(id).or_default().clicks = n;
    }
    for (id, points) in point_rows {
        out.entry(id).or_default().points = points.unwrap_or(0);
    }
    Ok(out)
}
