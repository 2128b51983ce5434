//! Engagement rollups: per-day (and per-month) sums of shares, potential
//! reach and clicks, kept in the same transaction as each share and click,
//! so that the HR report reads thousands of rows instead of millions.
//!
//! Shares count on the UTC day of `sharedAt`; clicks on the UTC day of the
//! click, on the row of the share's content, sharer and network.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One rollup table: the organization, a time bucket, an optional key column
/// (content or user), the network, and the three sums.
async fn rollup(
    manager: &SchemaManager<'_>,
    table: &'static str,
    bucket: &'static str,
    key: Option<&'static str>,
) -> Result<(), DbErr> {
    let t = Alias::new(table);
    let mut create = Table::create();
    create
        .table(t.clone())
        .col(uuid(Alias::new("organization_id")))
        .col(date(Alias::new(bucket)));
    let mut pk = Index::create();
    pk.col(Alias::new("organization_id"))
        .col(Alias::new(bucket));
    if let Some(key) = key {
        create.col(uuid(Alias::new(key)));
        pk.col(Alias::new(key));
    }
    pk.col(Alias::new("network"));
    create
        .col(string_len(Alias::new("network"), 20))
        .col(big_integer(Alias::new("shares")).default(0))
        .col(big_integer(Alias::new("potential_reach")).default(0))
        .col(big_integer(Alias::new("clicks")).default(0))
        .primary_key(&mut pk);
    manager.create_table(create.to_owned()).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Totals, daily and per-network figures without user or content filters.
        rollup(manager, "engagement_network_days", "day", None).await?;
        // Content and topic filters, and the top content.
        rollup(
            manager,
            "engagement_content_days",
            "day",
            Some("content_id"),
        )
        .await?;
        // Group filters, distinct active ambassadors, per-group figures and the top ambassadors.
        rollup(manager, "engagement_user_days", "day", Some("user_id")).await?;
        // The same per calendar month (first day of the month), for long ranges.
        rollup(manager, "engagement_user_months", "month", Some("user_id")).await?;
        // Ranges are read per content and per user as well as per day.
        index(
            manager,
            "ix_engagement_content_days_content",
            Alias::new("engagement_content_days"),
            &[
                Alias::new("organization_id"),
                Alias::new("content_id"),
                Alias::new("day"),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_engagement_user_days_user",
            Alias::new("engagement_user_days"),
            &[
                Alias::new("organization_id"),
                Alias::new("user_id"),
                Alias::new("day"),
            ],
            false,
        )
        .await?;
        // Group sizes (minimumGroupSize) without reading every membership row.
        index(
            manager,
            "ix_group_members_org_group",
            Alias::new("group_members"),
            &[Alias::new("organization_id"), Alias::new("group_id")],
            false,
        )
        .await?;
        // Reports that no rollup covers (a group together with a content or
        // topic) read the raw rows by time range.
        index(
            manager,
            "ix_shares_org_shared",
            Alias::new("shares"),
            &[Alias::new("organization_id"), Alias::new("shared_at")],
            false,
        )
        .await?;
        index(
            manager,
            "ix_clicks_org_content_clicked",
            Alias::new("clicks"),
            &[
                Alias::new("organization_id"),
                Alias::new("content_id"),
                Alias::new("clicked_at"),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_clicks_org_user_clicked",
            Alias::new("clicks"),
            &[
                Alias::new("organization_id"),
                Alias::new("user_id"),
                Alias::new("clicked_at"),
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_group_members_org_group", "group_members"),
            ("ix_clicks_org_user_clicked", "clicks"),
            ("ix_clicks_org_content_clicked", "clicks"),
            ("ix_shares_org_shared", "shares"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        for table in [
            "engagement_user_months",
            "engagement_user_days",
            "engagement_content_days",
            "engagement_network_days",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
