//! Share counts and viewerHasShared of a feed page, read together per item
//! (`content_id`, then whose share it is), from the index alone: no table
//! row is visited to count them.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_shares_org_content_user";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            NAME,
            Shares::Table,
            &[Shares::OrganizationId, Shares::ContentId, Shares::UserId],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Shares::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Shares {
    Table,
    OrganizationId,
    ContentId,
    UserId,
}
