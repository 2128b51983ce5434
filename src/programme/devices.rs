//! Push tokens of the employees' phones, for a future delivery worker.

use entity::{device_tokens, users};
use sea_orm::{
    ColumnTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use super::DevicePlatform;
use crate::{
    auth::{Viewer, sha256_hex},
    error::{AppError, AppResult, is_unique_violation},
    state::AppState,
    tenant::Tenant,
};

pub const MAX_TOKEN_CHARS: usize = 4096;
/// A user keeps at most this many tokens; registering one more drops the oldest.
pub const MAX_DEVICES_PER_USER: usize = 10;

/// Stores a push token for the viewer. The same token again changes
/// nothing; a token another user of the organization registered moves to
/// the viewer (the phone changed hands).
pub async fn register(
    state: &AppState,
    viewer: &Viewer,
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
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    // One registration per user at a time, so the cap holds under
    // concurrent calls (a row lock on PostgreSQL; SQLite serializes writers).
    Tenant::of(viewer)
        .find::<users::Entity>()
        .filter(users::Column::Id.eq(viewer.user_id()))
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let existing = Tenant::of(viewer)
        .find::<device_tokens::Entity>()
        .filter(device_tokens::Column::TokenHash.eq(&hash))
        .one(&txn)
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
                .exec(&txn)
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
                .exec_without_returning(&txn)
                .await;
            match inserted {
                Ok(_) => {}
                // A concurrent registration of the same token won the race.
                Err(e) if is_unique_violation(&e) => return Ok(()),
                Err(e) => return Err(e.into()),
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
        .all(&txn)
        .await?;
    let surplus: Vec<Uuid> = ids.into_iter().skip(MAX_DEVICES_PER_USER).collect();
    if !surplus.is_empty() {
        Tenant::of(viewer)
            .delete_many::<device_tokens::Entity>()
            .filter(device_tokens::Column::Id.is_in(surplus))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}
