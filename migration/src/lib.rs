//! Schema migrations, run at start-up and by `advocacy migrate`.
//!
//! Each migration is one file, never edited once it has landed: its SHA-256
//! is recorded in `migration/checksums.txt` and a test compares. Every table
//! carries `organization_id` so the database can later be sharded by tenant;
//! the only exception is `login_failures`, written before anyone is known.

#![allow(
    clippy::disallowed_methods,
    reason = "migrations move every organization's rows at once"
)]

pub use sea_orm_migration::prelude::*;

#[cfg(test)]
mod checksums;

mod m20261126_000001_foundation;
mod m20261126_000002_programme;
mod m20261126_000003_content;
mod m20261126_000004_tracking;
mod m20261126_000005_analytics;
mod m20261126_000007_feed_catalogue;
mod m20261126_000008_share_stats_index;
mod m20261126_000009_engagement_weeks_months;
mod m20261201_000030_invitation_list;
mod m20261201_000080_audit_entries;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_foundation::Migration),
            Box::new(m20261126_000002_programme::Migration),
            Box::new(m20261126_000003_content::Migration),
            Box::new(m20261126_000004_tracking::Migration),
            Box::new(m20261126_000005_analytics::Migration),
            Box::new(m20261126_000007_feed_catalogue::Migration),
            Box::new(m20261126_000008_share_stats_index::Migration),
            Box::new(m20261126_000009_engagement_weeks_months::Migration),
            Box::new(m20261201_000030_invitation_list::Migration),
            Box::new(m20261201_000080_audit_entries::Migration),
        ]
    }
}

/// Creates a named index: every list and aggregate the API serves has one.
pub(crate) async fn index<T: IntoIden + Clone + 'static, C: IntoIden + Clone + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[C],
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(col.clone());
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt.to_owned()).await
}
