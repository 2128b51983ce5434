//! The content version of each organization: bumped in the same transaction
//! as every write to its content, so every API server can tell with one
//! indexed read whether the feed catalogue it holds in memory is current.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContentVersions::Table)
                    // One row per organization, created by its first content
                    // write; no row reads as version 0.
                    .col(uuid(ContentVersions::OrganizationId).primary_key())
                    .col(big_integer(ContentVersions::Version).default(0))
                    .col(timestamp_with_time_zone(ContentVersions::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentVersions::Table, ContentVersions::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ContentVersions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum ContentVersions {
    Table,
    OrganizationId,
    Version,
    ChangedAt,
}
