//! Per-user and per-content engagement by week and by month, so that a
//! range reads whole months and weeks and only its first and last few days
//! day by day.
//!
//! A week here is a fixed part of its month: days 1–7, 8–14, 15–21, 22–28
//! and 29 to the end. Weeks then nest in months as days nest in weeks, and
//! any range splits into whole months, whole weeks and at most six single
//! days on each side. The new tables are filled from the per-day ones.
//!
//! The users index by status gains the user id, so that the report reads the
//! programme's people from the index alone. The per-month rollup per item is
//! also read by item: the feed's share counts.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const USERS_INDEX: &str = "ix_users_org_status_id";
const CONTENT_MONTHS_INDEX: &str = "ix_engagement_content_months_content";

/// (new table, its bucket column, its key column, the per-day source).
const TABLES: [(&str, &str, &str, &str); 3] = [
    (
        "engagement_user_weeks",
        "week",
        "user_id",
        "engagement_user_days",
    ),
    (
        "engagement_content_weeks",
        "week",
        "content_id",
        "engagement_content_days",
    ),
    (
        "engagement_content_months",
        "month",
        "content_id",
        "engagement_content_days",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sqlite = manager.get_database_backend() == DatabaseBackend::Sqlite;
        for (table, bucket, key, source) in TABLES {
            manager
                .create_table(
                    Table::create()
                        .table(Alias::new(table))
                        .col(uuid(Alias::new("organization_id")))
                        .col(date(Alias::new(bucket)))
                        .col(uuid(Alias::new(key)))
                        .col(string_len(Alias::new("network"), 20))
                        .col(big_integer(Alias::new("shares")).default(0))
                        .col(big_integer(Alias::new("potential_reach")).default(0))
                        .col(big_integer(Alias::new("clicks")).default(0))
                        .primary_key(
                            Index::create()
                                .col(Alias::new("organization_id"))
                                .col(Alias::new(bucket))
                                .col(Alias::new(key))
                                .col(Alias::new("network")),
                        )
                        .to_owned(),
                )
                .await?;
            let start = match (bucket, sqlite) {
                ("week", true) => {
                    "date(day, '-' || ((CAST(strftime('%d', day) AS INTEGER) - 1) % 7) || ' days')"
                }
                ("week", false) => "day - ((CAST(EXTRACT(DAY FROM day) AS INTEGER) - 1) % 7)",
                (_, true) => "strftime('%Y-%m-01', day)",
                (_, false) => "CAST(date_trunc('month', day) AS date)",
            };
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "INSERT INTO {table} (organization_id, {bucket}, {key}, network, shares, potential_reach, clicks) \
                     SELECT organization_id, {start} AS b, {key}, network, SUM(shares), SUM(potential_reach), SUM(clicks) \
                     FROM {source} GROUP BY organization_id, b, {key}, network \
                     ORDER BY organization_id, b, {key}, network"
                ))
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(CONTENT_MONTHS_INDEX)
                    .table(Alias::new("engagement_content_months"))
                    .col(Alias::new("organization_id"))
                    .col(Alias::new("content_id"))
                    .to_owned(),
            )
            .await?;
        // The programme's people and their groups, by status, from the index
        // alone (the report reads thousands of them).
        manager
            .create_index(
                Index::create()
                    .name(USERS_INDEX)
                    .table(Alias::new("users"))
                    .col(Alias::new("organization_id"))
                    .col(Alias::new("ambassador_status"))
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_users_org_status")
                    .table(Alias::new("users"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_users_org_status")
                    .table(Alias::new("users"))
                    .col(Alias::new("organization_id"))
                    .col(Alias::new("ambassador_status"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(USERS_INDEX)
                    .table(Alias::new("users"))
                    .to_owned(),
            )
            .await?;
        for (table, ..) in TABLES {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
