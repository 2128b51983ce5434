//! The engagement rollups, kept consistent with the raw rows: call
//! [`on_share`] and [`on_click`] inside the same transaction that inserts the
//! share or the click, so that a rolled-back write leaves no trace either.
//!
//! Seven tables, each adding shares, potential reach and clicks:
//! `engagement_network_days` (organization, day, network),
//! `engagement_content_{days,weeks,months}` (organization, first day of the
//! bucket, content, network) and `engagement_user_{days,weeks,months}`
//! (… user, network).
//!
//! A week is a fixed part of its month ([`week_of`]), so weeks nest in months.

use chrono::{Datelike, Days, NaiveDate};
use entity::{
    clicks, engagement_content_days, engagement_content_months, engagement_content_weeks,
    engagement_network_days, engagement_user_days, engagement_user_months, engagement_user_weeks,
    shares,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    EntityName, IntoActiveModel,
};
use uuid::Uuid;

use crate::{
    error::AppResult,
    tenant::{Sql, Tenant, TenantEntity},
};

/// Adds one share (on the UTC day of `shared_at`) to every rollup.
pub async fn on_share(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    share: &shares::Model,
) -> AppResult<()> {
    let delta = Delta {
        day: share.shared_at.date_naive(),
        content: share.content_id,
        user: share.user_id,
        network: &share.network,
        shares: 1,
        reach: share.potential_reach,
        clicks: 0,
    };
    delta.apply(conn, tenant).await
}

/// Adds one counted click (on the UTC day of `clicked_at`) to every rollup,
/// on the row of the share's content, sharer and network.
pub async fn on_click(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    click: &clicks::Model,
) -> AppResult<()> {
    let delta = Delta {
        day: click.clicked_at.date_naive(),
        content: click.content_id,
        user: click.user_id,
        network: &click.network,
        shares: 0,
        reach: 0,
        clicks: 1,
    };
    delta.apply(conn, tenant).await
}

/// Inserts share rows of `tenant` and their rollups in one transaction,
/// exactly as the write path does (for tests and demo data).
pub async fn insert_shares(
    db: &DatabaseConnection,
    tenant: Tenant,
    rows: &[shares::Model],
) -> AppResult<()> {
    insert_with_rollups(db, tenant, rows, async |txn, row| {
        on_share(txn, tenant, row).await
    })
    .await
}

/// Inserts click rows of `tenant` and their rollups in one transaction,
/// exactly as the write path does (for tests and demo data).
pub async fn insert_clicks(
    db: &DatabaseConnection,
    tenant: Tenant,
    rows: &[clicks::Model],
) -> AppResult<()> {
    insert_with_rollups(db, tenant, rows, async |txn, row| {
        on_click(txn, tenant, row).await
    })
    .await
}

async fn insert_with_rollups<M, A>(
    db: &DatabaseConnection,
    tenant: Tenant,
    rows: &[M],
    add: impl AsyncFn(&DatabaseTransaction, &M) -> AppResult<()>,
) -> AppResult<()>
where
    M: Clone + IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
    A::Entity: TenantEntity,
{
    let txn = crate::db::begin_write(db).await?;
    for chunk in rows.chunks(200) {
        tenant
            .insert_many(
                chunk
                    .iter()
                    .cloned()
                    .map(IntoActiveModel::into_active_model),
            )
            .exec(&txn)
            .await?;
    }
    for row in rows {
        add(&txn, row).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The first day of the month of `day`.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The first day of the week of `day`: weeks are days 1–7, 8–14, 15–21,
/// 22–28 and 29 to the end of the month, so that they nest in months.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from((day.day() - 1) % 7))
}

struct Delta<'a> {
    day: NaiveDate,
    content: Uuid,
    user: Uuid,
    network: &'a str,
    shares: i64,
    reach: i64,
    clicks: i64,
}

/// One rollup row to add to: (table, bucket column, bucket start, key).
type Target = (
    &'static str,
    &'static str,
    NaiveDate,
    Option<(&'static str, Uuid)>,
);

impl Delta<'_> {
    async fn apply(&self, conn: &impl ConnectionTrait, tenant: Tenant) -> AppResult<()> {
        let (day, week, month) = (self.day, week_of(self.day), month_of(self.day));
        let content = Some(("content_id", self.content));
        let user = Some(("user_id", self.user));
        let targets: [Target; 7] = [
            (
                engagement_network_days::Entity.table_name(),
                "day",
                day,
                None,
            ),
            (
                engagement_content_days::Entity.table_name(),
                "day",
                day,
                content,
            ),
            (
                engagement_content_weeks::Entity.table_name(),
                "week",
                week,
                content,
            ),
            (
                engagement_content_months::Entity.table_name(),
                "month",
                month,
                content,
            ),
            (engagement_user_days::Entity.table_name(), "day", day, user),
            (
                engagement_user_weeks::Entity.table_name(),
                "week",
                week,
                user,
            ),
            (
                engagement_user_months::Entity.table_name(),
                "month",
                month,
                user,
            ),
        ];
        if conn.get_database_backend() == DbBackend::Postgres {
            // All seven in one statement: one round trip and one plan on the
            // write path of every share and click.
            let mut sql = tenant.sql();
            let mut upserts: Vec<String> = targets
                .into_iter()
                .map(|target| self.upsert(&mut sql, target))
                .collect();
            let last = upserts.pop().unwrap_or_default();
            let with: Vec<String> = upserts
                .into_iter()
                .enumerate()
                .map(|(i, upsert)| format!("r{i} AS ({upsert})"))
                .collect();
            sql.push(&format!("WITH {} {last}", with.join(", ")));
            sql.execute(conn).await?;
        } else {
            // SQLite has no INSERT inside WITH; it writes in-process anyway.
            for target in targets {
                let mut sql = tenant.sql();
                let upsert = self.upsert(&mut sql, target);
                sql.push(&upsert);
                sql.execute(conn).await?;
            }
        }
        Ok(())
    }

    /// `INSERT … ON CONFLICT DO UPDATE` adding to the row, so that concurrent
    /// writers never lose an increment; its values are bound in `sql`.
    fn upsert(&self, sql: &mut Sql, (table, bucket, start, key): Target) -> String {
        let b = sql.bind(start);
        let (key_col, key_val) = match key {
            Some((col, id)) => (format!("{col}, "), format!("{}, ", sql.bind(id))),
            None => (String::new(), String::new()),
        };
        let n = sql.bind(self.network.to_owned());
        let s = sql.bind(self.shares);
        let r = sql.bind(self.reach);
        let c = sql.bind(self.clicks);
        format!(
            "INSERT INTO {table} (organization_id, {bucket}, {key_col}network, shares, potential_reach, clicks) \
             VALUES ($1, {b}, {key_val}{n}, {s}, {r}, {c}) \
             ON CONFLICT (organization_id, {bucket}, {key_col}network) DO UPDATE SET \
             shares = {table}.shares + excluded.shares, \
             potential_reach = {table}.potential_reach + excluded.potential_reach, \
             clicks = {table}.clicks + excluded.clicks"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_are_fixed_parts_of_their_month() {
        for (day, week) in [
            ("2026-01-01", "2026-01-01"),
            ("2026-01-07", "2026-01-01"),
            ("2026-01-08", "2026-01-08"),
            ("2026-01-28", "2026-01-22"),
            ("2026-01-29", "2026-01-29"),
            ("2026-01-31", "2026-01-29"),
            ("2026-02-28", "2026-02-22"),
            ("2028-02-29", "2028-02-29"),
        ] {
            assert_eq!(week_of(d(day)), d(week), "{day}");
        }
    }
}
