//! Organizations, users, roles, groups, topics, sessions and login throttling.

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
                    .table(Organizations::Table)
                    .col(uuid(Organizations::Id).primary_key())
                    .col(string_len(Organizations::Name, 200))
                    .col(string_len_uniq(Organizations::Slug, 100))
                    .col(boolean(Organizations::IndividualAnalytics).default(false))
                    .col(integer(Organizations::MinimumGroupSize).default(5))
                    .col(integer(Organizations::PointsPerShare).default(10))
                    .col(string_len(Organizations::CharterVersion, 50).default("1"))
                    .col(json(Organizations::Cpm))
                    .col(json(Organizations::CompanyFollowers))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::Id).primary_key())
                    .col(uuid(Users::OrganizationId))
                    .col(string_len(Users::Email, 254))
                    .col(string_len(Users::DisplayName, 200))
                    .col(string_len(Users::Language, 35))
                    .col(string_len_null(Users::PasswordHash, 200))
                    .col(string_len(Users::Roles, 100))
                    .col(string_len(Users::AmbassadorStatus, 20).default("NONE"))
                    .col(timestamp_with_time_zone_null(Users::EnrolledAt))
                    .col(timestamp_with_time_zone_null(Users::StatusChangedAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Sign-in is by email alone, so an email names one user across the deployment.
        index(manager, "ux_users_email", Users::Table, &[Users::Email], true).await?;
        // The users list: by name within an organization, keyset on (name, id).
        index(
            manager,
            "ix_users_org_name",
            Users::Table,
            &[Users::OrganizationId, Users::DisplayName, Users::Id],
            false,
        )
        .await?;
        index(
            manager,
            "ix_users_org_status",
            Users::Table,
            &[Users::OrganizationId, Users::AmbassadorStatus],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Groups::Table)
                    .col(uuid(Groups::Id).primary_key())
                    .col(uuid(Groups::OrganizationId))
                    .col(string_len(Groups::Name, 200))
                    .col(timestamp_with_time_zone(Groups::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Groups::Table, Groups::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_groups_org_name",
            Groups::Table,
            &[Groups::OrganizationId, Groups::Name],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(GroupMembers::Table)
                    .col(uuid(GroupMembers::OrganizationId))
                    .col(uuid(GroupMembers::GroupId))
                    .col(uuid(GroupMembers::UserId))
                    .primary_key(
                        Index::create()
                            .col(GroupMembers::GroupId)
                            .col(GroupMembers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GroupMembers::Table, GroupMembers::GroupId)
                            .to(Groups::Table, Groups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GroupMembers::Table, GroupMembers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A user's groups (feed targeting, User.groups) and the members filter.
        index(
            manager,
            "ix_group_members_user",
            GroupMembers::Table,
            &[
                GroupMembers::OrganizationId,
                GroupMembers::UserId,
                GroupMembers::GroupId,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Topics::Table)
                    .col(uuid(Topics::Id).primary_key())
                    .col(uuid(Topics::OrganizationId))
                    .col(string_len(Topics::Name, 100))
                    .col(timestamp_with_time_zone(Topics::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Topics::Table, Topics::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_topics_org_name",
            Topics::Table,
            &[Topics::OrganizationId, Topics::Name],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TopicFollows::Table)
                    .col(uuid(TopicFollows::OrganizationId))
                    .col(uuid(TopicFollows::UserId))
                    .col(uuid(TopicFollows::TopicId))
                    .col(timestamp_with_time_zone(TopicFollows::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TopicFollows::UserId)
                            .col(TopicFollows::TopicId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TopicFollows::Table, TopicFollows::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TopicFollows::Table, TopicFollows::TopicId)
                            .to(Topics::Table, Topics::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::Id).primary_key())
                    .col(uuid(RefreshTokens::OrganizationId))
                    .col(uuid(RefreshTokens::UserId))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(string_len(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RetiredAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshTokens::Table, RefreshTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_refresh_tokens_hash",
            RefreshTokens::Table,
            &[RefreshTokens::TokenHash],
            true,
        )
        .await?;
        index(
            manager,
            "ix_refresh_tokens_family",
            RefreshTokens::Table,
            &[RefreshTokens::FamilyId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(uuid(LoginFailures::Id).primary_key())
                    .col(string_len(LoginFailures::Email, 254))
                    .col(string_len(LoginFailures::ClientKey, 64))
                    .col(timestamp_with_time_zone(LoginFailures::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_login_failures_email",
            LoginFailures::Table,
            &[LoginFailures::Email, LoginFailures::CreatedAt],
            false,
        )
        .await?;
        index(
            manager,
            "ix_login_failures_client",
            LoginFailures::Table,
            &[LoginFailures::ClientKey, LoginFailures::CreatedAt],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LoginFailures::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            TopicFollows::Table.into_iden(),
            Topics::Table.into_iden(),
            GroupMembers::Table.into_iden(),
            Groups::Table.into_iden(),
            Users::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Organizations {
    Table,
    Id,
    Name,
    Slug,
    IndividualAnalytics,
    MinimumGroupSize,
    PointsPerShare,
    CharterVersion,
    Cpm,
    CompanyFollowers,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    Id,
    OrganizationId,
    Email,
    DisplayName,
    Language,
    PasswordHash,
    Roles,
    AmbassadorStatus,
    EnrolledAt,
    StatusChangedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Groups {
    Table,
    Id,
    OrganizationId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum GroupMembers {
    Table,
    OrganizationId,
    GroupId,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Topics {
    Table,
    Id,
    OrganizationId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum TopicFollows {
    Table,
    OrganizationId,
    UserId,
    TopicId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum RefreshTokens {
    Table,
    Id,
    OrganizationId,
    UserId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RetiredAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum LoginFailures {
    Table,
    Id,
    Email,
    ClientKey,
    CreatedAt,
}
