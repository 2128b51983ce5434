//! The organization's invitations newest first (`Query.invitations`), read
//! by keyset on (`created_at`, `id`) from this index.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_invitations_org_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            NAME,
            Invitations::Table,
            &[
                Invitations::OrganizationId,
                Invitations::CreatedAt,
                Invitations::Id,
            ],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(Invitations::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Invitations {
    Table,
    OrganizationId,
    CreatedAt,
    Id,
}
