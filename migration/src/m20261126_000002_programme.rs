//! The volunteer ambassador programme: social accounts, consent records,
//! invitations, push tokens and the notifications outbox.

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
                    .table(SocialAccounts::Table)
                    .col(uuid(SocialAccounts::OrganizationId))
                    .col(uuid(SocialAccounts::UserId))
                    .col(string_len(SocialAccounts::Network, 20))
                    .col(string_len(SocialAccounts::Handle, 100))
                    .col(big_integer(SocialAccounts::FollowerCount))
                    .col(timestamp_with_time_zone(SocialAccounts::UpdatedAt))
                    // One account per network per user.
                    .primary_key(
                        Index::create()
                            .col(SocialAccounts::UserId)
                            .col(SocialAccounts::Network),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SocialAccounts::Table, SocialAccounts::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // User.socialAccounts, candidates (sum per user) and reach figures.
        index(
            manager,
            "ix_social_accounts_org_user",
            SocialAccounts::Table,
            &[SocialAccounts::OrganizationId, SocialAccounts::UserId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ConsentRecords::Table)
                    .col(uuid(ConsentRecords::Id).primary_key())
                    .col(uuid(ConsentRecords::OrganizationId))
                    .col(uuid(ConsentRecords::UserId))
                    .col(string_len(ConsentRecords::Action, 20))
                    .col(string_len(ConsentRecords::CharterVersion, 50))
                    .col(timestamp_with_time_zone(ConsentRecords::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConsentRecords::Table, ConsentRecords::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A user's record, oldest first.
        index(
            manager,
            "ix_consent_records_org_user",
            ConsentRecords::Table,
            &[
                ConsentRecords::OrganizationId,
                ConsentRecords::UserId,
                ConsentRecords::CreatedAt,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(uuid(Invitations::Id).primary_key())
                    .col(uuid(Invitations::OrganizationId))
                    .col(uuid(Invitations::UserId))
                    .col(uuid(Invitations::InvitedBy))
                    .col(text_null(Invitations::Message))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_invitations_org_user",
            Invitations::Table,
            &[
                Invitations::OrganizationId,
                Invitations::UserId,
                Invitations::CreatedAt,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(NotificationsOutbox::Table)
                    .col(uuid(NotificationsOutbox::Id).primary_key())
                    .col(uuid(NotificationsOutbox::OrganizationId))
                    .col(uuid(NotificationsOutbox::RecipientId))
                    .col(string_len(NotificationsOutbox::Kind, 50))
                    .col(json(NotificationsOutbox::Payload))
                    .col(timestamp_with_time_zone(NotificationsOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        NotificationsOutbox::DeliveredAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NotificationsOutbox::Table, NotificationsOutbox::RecipientId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The delivery worker's queue: undelivered first, oldest first.
        index(
            manager,
            "ix_notifications_outbox_pending",
            NotificationsOutbox::Table,
            &[
                NotificationsOutbox::DeliveredAt,
                NotificationsOutbox::CreatedAt,
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_notifications_outbox_org_recipient",
            NotificationsOutbox::Table,
            &[
                NotificationsOutbox::OrganizationId,
                NotificationsOutbox::RecipientId,
                NotificationsOutbox::CreatedAt,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DeviceTokens::Table)
                    .col(uuid(DeviceTokens::Id).primary_key())
                    .col(uuid(DeviceTokens::OrganizationId))
                    .col(uuid(DeviceTokens::UserId))
                    .col(string_len(DeviceTokens::Platform, 10))
                    .col(text(DeviceTokens::Token))
                    // SHA-256 of the token: a token may be 4096 characters,
                    // too long for a B-tree index entry.
                    .col(string_len(DeviceTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(DeviceTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DeviceTokens::Table, DeviceTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A token belongs to one user of an organization at a time.
        index(
            manager,
            "ux_device_tokens_org_hash",
            DeviceTokens::Table,
            &[DeviceTokens::OrganizationId, DeviceTokens::TokenHash],
            true,
        )
        .await?;
        // A user's tokens, oldest first (the cap of 10 drops the oldest).
        index(
            manager,
            "ix_device_tokens_org_user",
            DeviceTokens::Table,
            &[
                DeviceTokens::OrganizationId,
                DeviceTokens::UserId,
                DeviceTokens::CreatedAt,
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DeviceTokens::Table.into_iden(),
            NotificationsOutbox::Table.into_iden(),
            Invitations::Table.into_iden(),
            ConsentRecords::Table.into_iden(),
            SocialAccounts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum SocialAccounts {
    Table,
    OrganizationId,
    UserId,
    Network,
    Handle,
    FollowerCount,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ConsentRecords {
    Table,
    Id,
    OrganizationId,
    UserId,
    Action,
    CharterVersion,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Invitations {
    Table,
    Id,
    OrganizationId,
    UserId,
    InvitedBy,
    Message,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum NotificationsOutbox {
    Table,
    Id,
    OrganizationId,
    RecipientId,
    Kind,
    Payload,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DeviceTokens {
    Table,
    Id,
    OrganizationId,
    UserId,
    Platform,
    Token,
    TokenHash,
    CreatedAt,
}
