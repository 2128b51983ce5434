//! Clicks on tracking links and the points ledger.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Clicks::Table)
                    .col(uuid(Clicks::Id).primary_key())
                    .col(uuid(Clicks::OrganizationId))
                    .col(uuid(Clicks::ShareId))
                    // Copied from the share so reports filter clicks without a join.
                    .col(uuid(Clicks::ContentId))
                    .col(uuid(Clicks::UserId))
                    .col(string_len(Clicks::Network, 20))
                    .col(timestamp_with_time_zone(Clicks::ClickedAt))
                    // HMAC of address and user agent: no raw address is stored.
                    .col(string_len(Clicks::VisitorKey, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Clicks::Table, Clicks::ShareId)
                            .to(Shares::Table, Shares::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The 24-hour repeat rule looks up the visitor's latest click on a link.
        index(
            manager,
            "ix_clicks_share_visitor",
            Clicks::Table,
            &[Clicks::ShareId, Clicks::VisitorKey, Clicks::ClickedAt],
            false,
        )
        .await?;
        index(
            manager,
            "ix_clicks_org_share",
            Clicks::Table,
            &[Clicks::OrganizationId, Clicks::ShareId],
            false,
        )
        .await?;
        index(
            manager,
            "ix_clicks_org_clicked",
            Clicks::Table,
            &[Clicks::OrganizationId, Clicks::ClickedAt],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PointsLedger::Table)
                    .col(uuid(PointsLedger::Id).primary_key())
                    .col(uuid(PointsLedger::OrganizationId))
                    .col(uuid(PointsLedger::UserId))
                    .col(uuid(PointsLedger::ShareId))
                    .col(uuid(PointsLedger::ContentId))
                    .col(string_len(PointsLedger::Network, 20))
                    .col(integer(PointsLedger::Points))
                    .col(timestamp_with_time_zone(PointsLedger::AwardedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PointsLedger::Table, PointsLedger::ShareId)
                            .to(Shares::Table, Shares::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Points go to the first share of an item on a network by a person:
        // the constraint settles concurrent shares, not a check-then-insert.
        index(
            manager,
            "ux_points_first_share",
            PointsLedger::Table,
            &[
                PointsLedger::OrganizationId,
                PointsLedger::UserId,
                PointsLedger::ContentId,
                PointsLedger::Network,
            ],
            true,
        )
        .await?;
        index(
            manager,
            "ix_points_org_awarded",
            PointsLedger::Table,
            &[
                PointsLedger::OrganizationId,
                PointsLedger::AwardedAt,
                PointsLedger::UserId,
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PointsLedger::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Clicks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Shares {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Clicks {
    Table,
    Id,
    OrganizationId,
    ShareId,
    ContentId,
    UserId,
    Network,
    ClickedAt,
    VisitorKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum PointsLedger {
    Table,
    Id,
    OrganizationId,
    UserId,
    ShareId,
    ContentId,
    Network,
    Points,
    AwardedAt,
}
