//! The social accounts an employee declares: one per network.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use entity::social_accounts;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, Set, sea_query::OnConflict};
use uuid::Uuid;

use crate::{
    auth::Viewer,
    domain::SocialNetwork,
    error::{AppError, AppResult},
    tenant::Tenant,
};

pub const MAX_HANDLE_CHARS: usize = 100;
pub const MAX_FOLLOWERS: i64 = 1_000_000_000;

/// A handle as declared: trimmed, 1..=100 characters, no whitespace inside.
pub fn parse_handle(handle: &str) -> AppResult<String> {
    let handle = handle.trim();
    if handle.is_empty() || handle.chars().count() > MAX_HANDLE_CHARS {
        return Err(AppError::bad_input(format!(
            "handle must be 1 to {MAX_HANDLE_CHARS} characters"
        )));
    }
    if handle.chars().any(char::is_whitespace) {
        return Err(AppError::bad_input("handle must not contain spaces"));
    }
    Ok(handle.to_owned())
}

pub fn check_followers(count: i64) -> AppResult<i64> {
    if !(0..=MAX_FOLLOWERS).contains(&count) {
        return Err(AppError::bad_input(format!(
            "followerCount must be between 0 and {MAX_FOLLOWERS}"
        )));
    }
    Ok(count)
}

/// Adds or replaces the viewer's account on `network`.
pub async fn set(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    network: SocialNetwork,
    handle: &str,
    follower_count: i64,
) -> AppResult<social_accounts::Model> {
    let model = social_accounts::Model {
        organization_id: viewer.org_id(),
        user_id: viewer.user_id(),
        network: network.as_str().to_owned(),
        handle: parse_handle(handle)?,
        follower_count: check_followers(follower_count)?,
        updated_at: now,
    };
    Tenant::of(viewer)
        .insert(social_accounts::ActiveModel {
            user_id: Set(model.user_id),
            network: Set(model.network.clone()),
            handle: Set(model.handle.clone()),
            follower_count: Set(model.follower_count),
            updated_at: Set(model.updated_at),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                social_accounts::Column::UserId,
                social_accounts::Column::Network,
            ])
            .update_columns([
                social_accounts::Column::Handle,
                social_accounts::Column::FollowerCount,
                social_accounts::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(model)
}

/// Removes the viewer's account on `network`; NOT_FOUND when none is set.
pub async fn remove(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    network: SocialNetwork,
) -> AppResult<()> {
    let deleted = Tenant::of(viewer)
        .delete_many::<social_accounts::Entity>()
        .filter(social_accounts::Column::UserId.eq(viewer.user_id()))
        .filter(social_accounts::Column::Network.eq(network.as_str()))
        .exec(conn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound("social account"));
    }
    Ok(())
}

/// Each user's accounts, in the order of `SocialNetwork` (for loaders).
pub async fn of_users(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    user_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<social_accounts::Model>>> {
    let rows = Tenant::of(viewer)
        .find::<social_accounts::Entity>()
        .filter(social_accounts::Column::UserId.is_in(user_ids.iter().copied()))
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<social_accounts::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.user_id).or_default().push(row);
    }
    for list in out.values_mut() {
        list.sort_by_key(|a| SocialNetwork::parse(&a.network));
    }
    Ok(out)
}
