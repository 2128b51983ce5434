//! Employees HR may invite, most followers first.

use chrono::{DateTime, Utc};
use entity::{social_accounts, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, JoinType, Order, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
    sea_query::{Expr, Func},
};

use super::invitations::invitable;
use crate::{
    auth::{Role, Viewer},
    domain::SocialNetwork,
    error::AppResult,
    org::users::by_ids,
    pagination::First,
    tenant::Tenant,
};

use super::social;

pub struct Candidate {
    pub user: users::Model,
    pub total_followers: i64,
    pub networks: Vec<SocialNetwork>,
}

/// HR or ADMIN: employees who may be invited now (NONE, or DECLINED or
/// WITHDRAWN at least 90 days ago) with at least one social account,
/// ranked by total declared followers, then display name, then id.
pub async fn list(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    first: First,
) -> AppResult<Vec<Candidate>> {
    viewer.require_any(&[Role::Hr])?;
    // PostgreSQL sums BIGINT into NUMERIC; bring it back to BIGINT.
    let total = Expr::expr(Func::cast_as(
        Func::sum(Expr::col((
            social_accounts::Entity,
            social_accounts::Column::FollowerCount,
        ))),
        "BIGINT",
    ));
    let ranked: Vec<(uuid::Uuid, i64)> = Tenant::of(viewer)
        .find::<social_accounts::Entity>()
        .join(JoinType::InnerJoin, social_accounts::Relation::User.def())
        .filter(users::Column::OrganizationId.eq(viewer.org_id()))
        .filter(invitable(now))
        .select_only()
        .column(social_accounts::Column::UserId)
        .column_as(total.clone(), "total")
        .group_by(social_accounts::Column::UserId)
        .group_by(users::Column::DisplayName)
        .order_by(total, Order::Desc)
        .order_by_asc(users::Column::DisplayName)
        .order_by_asc(social_accounts::Column::UserId)
        .limit(first.get())
        .into_tuple()
        .all(conn)
        .await?;
    let ids: Vec<uuid::Uuid> = ranked.iter().map(|(id, _)| *id).collect();
    let mut people = by_ids(conn, viewer, &ids).await?;
    let mut accounts = social::of_users(conn, viewer, &ids).await?;
    Ok(ranked
        .into_iter()
        .filter_map(|(id, total_followers)| {
            Some(Candidate {
                user: people.remove(&id)?,
                total_followers,
                networks: accounts
                    .remove(&id)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| SocialNetwork::parse(&a.network))
                    .collect(),
            })
        })
        .collect())
}
