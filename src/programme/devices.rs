//! Push tokens of the employees' phones, for a future delivery worker.

use chrono::{DateTime, Utc};
use entity::{device_tokens, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Set, TryInsertResult,
    sea_query::Expr,
};
use uuid::Uuid;

use super::DevicePlatform;
use crate::{
    auth::{Viewer, sha256_hex},
    error::{AppError, AppResult},
    tenant::Tenant,
};

pub const MAX_TOKEN_CHARS: usize = 4096;
/// A user keeps at most this many tokens; registering one more drops the oldest.
pub const MAX_DEVICES_PER_USER: usize = 10;

/// Stores a push token for the viewer, in the caller's transaction. The
/// same token again changes nothing; a token another user of the
/// organization registered moves to the viewer (the phone changed hands).
pub async fn register(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    platform: DevicePlatform,
    token: &str,
) -> AppResult<()> {
    if token.is_empty() || token.chars().count() > MAX_TOKEN_CHARS {
        return Err(AppError::bad_input(format!(
            "token must be 1 to {MAX_TOKEN_CHARS} characters"
        )));
    }
    if token.trim().is_empty() {
        return Err(AppError::bad_input("token must not be blank"));
    }
    let hash = sha256_hex(token);
    // One registration per user at a time, so the cap holds under
    // concurrent calls (a row lock on PostgreSQL; SQLite serializes writers).
    Tenant::of(viewer)
        .find::<users::Entity>()
        .filter(users::Column::Id.eq(viewer.user_id()))
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let existing = Tenant::of(viewer)
        .find::<device_tokens::Entity>()
        .filter(device_tokens::Column::TokenHash.eq(&hash))
        .one(conn)
        .await?;
    match existing {
        Some(row) if row.user_id == viewer.user_id() => return Ok(()),
        Some(row) => {
            Tenant::of(viewer)
                .update_many::<device_tokens::Entity>()
                .col_expr(device_tokens::Column::UserId, Expr::value(viewer.user_id()))
                .col_expr(
                    device_tokens::Column::Platform,
                    Expr::value(platform.as_str()),
                )
                .col_expr(device_tokens::Column::CreatedAt, Expr::value(now))
                .filter(device_tokens::Column::Id.eq(row.id))
                .exec(conn)
                .await?;
        }
        None => {
            let inserted = Tenant::of(viewer)
                .insert(device_tokens::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    user_id: Set(viewer.user_id()),
                    platform: Set(platform.as_str().to_owned()),
                    token: Set(token.to_owned()),
                    token_hash: Set(hash),
                    created_at: Set(now),
                    ..Default::default()
                })
                .on_conflict_do_nothing_on([
                    device_tokens::Column::OrganizationId,
                    device_tokens::Column::TokenHash,
                ])
                .exec_without_returning(conn)
                .await?;
            if !matches!(inserted, TryInsertResult::Inserted(_)) {
                // A concurrent registration of the same token won the race.
                return Ok(());
            }
        }
    }
    // Keep the newest MAX_DEVICES_PER_USER.
    let ids: Vec<Uuid> = Tenant::of(viewer)
        .find::<device_tokens::Entity>()
        .filter(device_tokens::Column::UserId.eq(viewer.user_id()))
        .order_by_desc(device_tokens::Column::CreatedAt)
        .order_by_desc(device_tokens::Column::Id)
        .select_only()
        .column(device_tokens::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let surplus: Vec<Uuid> = ids.into_iter().skip(MAX_DEVICES_PER_USER).collect();
    if !surplus.is_empty() {
        Tenant::of(viewer)
            .delete_many::<device_tokens::Entity>()
            .filter(device_tokens::Column::Id.is_in(surplus))
            .exec(conn)
            .await?;
    }
    Ok(())
}
