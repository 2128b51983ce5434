//! Sign-in, refresh-token rotation and sign-out.

use std::net::IpAddr;

use chrono::Duration;
use entity::{login_failures, refresh_tokens, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
    sea_query::{Condition, Expr},
};
use uuid::Uuid;

use super::{RoleSet, Viewer, random_token, sha256_hex};
use crate::{
    error::{AppError, AppResult, AuthFailure},
    state::AppState,
};

pub const REFRESH_FAMILY_DAYS: i64 = 30;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const MAX_FAILURES: u64 = 10;

const LOGIN_FAILED: AuthFailure = AuthFailure::InvalidCredentials;
const REFRESH_REFUSED: AuthFailure = AuthFailure::RefreshTokenInvalid;

pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: users::Model,
}

pub fn normalize_email(email: &str) -> String {
    crate::domain::Email::normalize(email)
}

pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    client: IpAddr,
) -> AppResult<Session> {
    let email = normalize_email(email);
    let client_key = state.keyed_hash(&client.to_string());
    let now = state.clock.now();
    let window_start = now - Duration::minutes(FAILURE_WINDOW_MINUTES);

    let recent = |cond: Condition| {
        login_failures::Entity::find()
            .filter(cond)
            .filter(login_failures::Column::CreatedAt.gt(window_start))
            .order_by_asc(login_failures::Column::CreatedAt)
    };
    for cond in [
        Condition::all().add(login_failures::Column::Email.eq(email.clone())),
        Condition::all().add(login_failures::Column::ClientKey.eq(client_key.clone())),
    ] {
        if recent(cond.clone()).count(&state.db).await? >= MAX_FAILURES {
            let oldest = recent(cond)
                .one(&state.db)
                .await?
                .map_or(now, |f| f.created_at);
            let retry = (oldest + Duration::minutes(FAILURE_WINDOW_MINUTES) - now)
                .num_seconds()
                .max(1);
            return Err(AppError::RateLimited {
                retry_after_seconds: retry,
            });
        }
    }

    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email.clone()))
        .one(&state.db)
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = state.passwords.verify(password, stored).await?;
    let Some(user) = user.filter(|_| ok) else {
        let txn = state.db.begin().await?;
        login_failures::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(email.clone()),
            client_key: Set(client_key),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        // Keep the table small: what is outside the window no longer counts.
        login_failures::Entity::delete_many()
            .filter(login_failures::Column::Email.eq(email))
            .filter(login_failures::Column::CreatedAt.lte(window_start))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Err(AppError::Unauthenticated(LOGIN_FAILED));
    };
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Email.eq(email))
        .exec(&state.db)
        .await?;
    start_family(state, user).await
}

async fn start_family(state: &AppState, user: users::Model) -> AppResult<Session> {
    let now = state.clock.now();
    let refresh_token = random_token(32);
    refresh_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(user.organization_id),
        user_id: Set(user.id),
        family_id: Set(Uuid::now_v7()),
        token_hash: Set(sha256_hex(&refresh_token)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(REFRESH_FAMILY_DAYS)),
        retired_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&state.db)
    .await?;
    session_for(state, user, refresh_token)
}

fn session_for(state: &AppState, user: users::Model, refresh_token: String) -> AppResult<Session> {
    let viewer = Viewer {
        user_id: user.id,
        org_id: user.organization_id,
        roles: RoleSet::from_stored(&user.roles),
    };
    let ttl = state.settings.access_token_ttl;
    let access_token = state
        .jwt
        .issue(&viewer, state.clock.now().timestamp(), ttl)?;
    Ok(Session {
        access_token,
        refresh_token,
        expires_in: ttl,
        user,
    })
}

/// Rotates a refresh token. A token presented after it was retired is taken
/// as stolen: its whole family is revoked.
pub async fn refresh(state: &AppState, presented: &str) -> AppResult<Session> {
    let now = state.clock.now();
    let hash = sha256_hex(presented);
    let txn = state.db.begin().await?;
    let Some(token) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    };
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    }
    // Retire it only if nobody else has: of two concurrent uses, one wins.
    let retired = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RetiredAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .filter(refresh_tokens::Column::RetiredAt.is_null())
        .exec(&txn)
        .await?;
    if retired.rows_affected != 1 {
        revoke_family(&txn, token.family_id, now).await?;
        txn.commit().await?;
        tracing::warn!(family = %token.family_id, "retired refresh token presented again; session family revoked");
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    }
    let Some(user) = users::Entity::find_by_id(token.user_id)
        .filter(users::Column::OrganizationId.eq(token.organization_id))
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    };
    let next = random_token(32);
    refresh_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(token.organization_id),
        user_id: Set(token.user_id),
        family_id: Set(token.family_id),
        token_hash: Set(sha256_hex(&next)),
        created_at: Set(now),
        expires_at: Set(token.expires_at),
        retired_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    session_for(state, user, next)
}

async fn revoke_family<C: sea_orm::ConnectionTrait>(
    conn: &C,
    family: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .filter(refresh_tokens::Column::FamilyId.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends the session the token belongs to. Returns whether one was ended.
pub async fn logout(state: &AppState, presented: &str) -> AppResult<bool> {
    let now = state.clock.now();
    let Some(token) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(sha256_hex(presented)))
        .one(&state.db)
        .await?
    else {
        return Ok(false);
    };
    if token.revoked_at.is_some() {
        return Ok(false);
    }
    revoke_family(&state.db, token.family_id, now).await?;
    Ok(true)
}
