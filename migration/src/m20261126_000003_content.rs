//! Content (with its topics, target groups and suggested texts), dismissals
//! from the feed, and the shares table that share counts read.

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
                    .table(Contents::Table)
                    .col(uuid(Contents::Id).primary_key())
                    .col(uuid(Contents::OrganizationId))
                    .col(string_len(Contents::Kind, 20))
                    .col(string_len(Contents::Title, 300))
                    .col(text_null(Contents::Summary))
                    .col(text_null(Contents::Body))
                    .col(string_len(Contents::Url, 2048))
                    .col(string_len_null(Contents::ImageUrl, 2048))
                    .col(string_len_null(Contents::Language, 35))
                    .col(boolean(Contents::Pinned).default(false))
                    // Whether target groups are set: lets the feed skip the
                    // group lookup for items aimed at everyone.
                    .col(boolean(Contents::Targeted).default(false))
                    .col(timestamp_with_time_zone_null(Contents::PublishAt))
                    .col(timestamp_with_time_zone_null(Contents::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Contents::ArchivedAt))
                    .col(uuid(Contents::CreatedBy))
                    .col(timestamp_with_time_zone(Contents::CreatedAt))
                    .col(timestamp_with_time_zone(Contents::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contents::Table, Contents::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The feed: read backwards in (pinned, publishAt, id) order within an
        // organization, stopping after one page; the other conditions are
        // checked on the rows met on the way.
        index(
            manager,
            "ix_contents_feed",
            Contents::Table,
            &[
                Contents::OrganizationId,
                Contents::Pinned,
                Contents::PublishAt,
                Contents::Id,
            ],
            false,
        )
        .await?;
        // The curators' list: newest first by createdAt, keyset on (createdAt, id).
        index(
            manager,
            "ix_contents_org_created",
            Contents::Table,
            &[Contents::OrganizationId, Contents::CreatedAt, Contents::Id],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContentTopics::Table)
                    .col(uuid(ContentTopics::OrganizationId))
                    .col(uuid(ContentTopics::ContentId))
                    .col(uuid(ContentTopics::TopicId))
                    .primary_key(
                        Index::create()
                            .col(ContentTopics::ContentId)
                            .col(ContentTopics::TopicId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentTopics::Table, ContentTopics::ContentId)
                            .to(Contents::Table, Contents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentTopics::Table, ContentTopics::TopicId)
                            .to(Topics::Table, Topics::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The feed's topic filter and Content.topics for a page of items.
        index(
            manager,
            "ix_content_topics_org_topic",
            ContentTopics::Table,
            &[
                ContentTopics::OrganizationId,
                ContentTopics::TopicId,
                ContentTopics::ContentId,
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_content_topics_org_content",
            ContentTopics::Table,
            &[ContentTopics::OrganizationId, ContentTopics::ContentId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContentGroups::Table)
                    .col(uuid(ContentGroups::OrganizationId))
                    .col(uuid(ContentGroups::ContentId))
                    .col(uuid(ContentGroups::GroupId))
                    .primary_key(
                        Index::create()
                            .col(ContentGroups::ContentId)
                            .col(ContentGroups::GroupId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentGroups::Table, ContentGroups::ContentId)
                            .to(Contents::Table, Contents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentGroups::Table, ContentGroups::GroupId)
                            .to(Groups::Table, Groups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Targeting: the items aimed at the viewer's groups, read by group
        // (Content.targetGroups reads by the primary key's content_id).
        index(
            manager,
            "ix_content_groups_org_group",
            ContentGroups::Table,
            &[
                ContentGroups::OrganizationId,
                ContentGroups::GroupId,
                ContentGroups::ContentId,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContentSuggestedTexts::Table)
                    .col(uuid(ContentSuggestedTexts::OrganizationId))
                    .col(uuid(ContentSuggestedTexts::ContentId))
                    .col(string_len(ContentSuggestedTexts::Network, 20))
                    .col(text(ContentSuggestedTexts::Text))
                    .primary_key(
                        Index::create()
                            .col(ContentSuggestedTexts::ContentId)
                            .col(ContentSuggestedTexts::Network),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ContentSuggestedTexts::Table,
                                ContentSuggestedTexts::ContentId,
                            )
                            .to(Contents::Table, Contents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_content_suggested_texts_org_content",
            ContentSuggestedTexts::Table,
            &[
                ContentSuggestedTexts::OrganizationId,
                ContentSuggestedTexts::ContentId,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContentDismissals::Table)
                    .col(uuid(ContentDismissals::OrganizationId))
                    .col(uuid(ContentDismissals::UserId))
                    .col(uuid(ContentDismissals::ContentId))
                    .col(timestamp_with_time_zone(ContentDismissals::DismissedAt))
                    .primary_key(
                        Index::create()
                            .col(ContentDismissals::UserId)
                            .col(ContentDismissals::ContentId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentDismissals::Table, ContentDismissals::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentDismissals::Table, ContentDismissals::ContentId)
                            .to(Contents::Table, Contents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The feed's "not dismissed by the viewer" probe.
        index(
            manager,
            "ix_content_dismissals_org_user_content",
            ContentDismissals::Table,
            &[
                ContentDismissals::OrganizationId,
                ContentDismissals::UserId,
                ContentDismissals::ContentId,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Shares::Table)
                    .col(uuid(Shares::Id).primary_key())
                    .col(uuid(Shares::OrganizationId))
                    .col(uuid(Shares::UserId))
                    .col(uuid(Shares::ContentId))
                    .col(string_len(Shares::Network, 20))
                    .col(text_null(Shares::Comment))
                    .col(timestamp_with_time_zone(Shares::SharedAt))
                    .col(big_integer(Shares::PotentialReach).default(0))
                    .col(string_len(Shares::IdempotencyKey, 255))
                    .col(string_len(Shares::RequestHash, 64))
                    .col(string_len(Shares::TrackingCode, 64))
                    .col(integer(Shares::PointsAwarded).default(0))
                    .col(timestamp_with_time_zone(Shares::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shares::Table, Shares::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shares::Table, Shares::ContentId)
                            .to(Contents::Table, Contents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_shares_org_user_idempotency",
            Shares::Table,
            &[
                Shares::OrganizationId,
                Shares::UserId,
                Shares::IdempotencyKey,
            ],
            true,
        )
        .await?;
        index(
            manager,
            "ux_shares_tracking_code",
            Shares::Table,
            &[Shares::TrackingCode],
            true,
        )
        .await?;
        // shareCount per item, and per-content engagement.
        index(
            manager,
            "ix_shares_org_content",
            Shares::Table,
            &[Shares::OrganizationId, Shares::ContentId],
            false,
        )
        .await?;
        // A person's shares newest first (myShares, viewerHasShared).
        index(
            manager,
            "ix_shares_org_user_shared",
            Shares::Table,
            &[Shares::OrganizationId, Shares::UserId, Shares::SharedAt],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Shares::Table.into_iden(),
            ContentDismissals::Table.into_iden(),
            ContentSuggestedTexts::Table.into_iden(),
            ContentGroups::Table.into_iden(),
            ContentTopics::Table.into_iden(),
            Contents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Topics {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contents {
    Table,
    Id,
    OrganizationId,
    Kind,
    Title,
    Summary,
    Body,
    Url,
    ImageUrl,
    Language,
    Pinned,
    Targeted,
    PublishAt,
    ExpiresAt,
    ArchivedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ContentTopics {
    Table,
    OrganizationId,
    ContentId,
    TopicId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ContentGroups {
    Table,
    OrganizationId,
    ContentId,
    GroupId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ContentSuggestedTexts {
    Table,
    OrganizationId,
    ContentId,
    Network,
    Text,
}

#[derive(DeriveIden, Clone, Copy)]
enum ContentDismissals {
    Table,
    OrganizationId,
    UserId,
    ContentId,
    DismissedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Shares {
    Table,
    Id,
    OrganizationId,
    UserId,
    ContentId,
    Network,
    Comment,
    SharedAt,
    PotentialReach,
    IdempotencyKey,
    RequestHash,
    TrackingCode,
    PointsAwarded,
    CreatedAt,
}
