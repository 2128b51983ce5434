//! Sign-in, refresh-token rotation and sign-out.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use entity::{refresh_tokens, users};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, Set, TransactionTrait, sea_query::Expr};
use uuid::Uuid;

use super::{RoleSet, Viewer, random_token, sha256_hex};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    tenant::{
        Tenant,
        global::{self, FailuresOf},
    },
};

pub const REFRESH_FAMILY_DAYS: i64 = 30;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const MAX_FAILURES: u64 = 10;

const LOGIN_FAILED: &str = "email or password is incorrect";
const REFRESH_REFUSED: &str = "refresh token is invalid, expired or already used";

pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: users::Model,
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
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

    for who in [FailuresOf::Email(&email), FailuresOf::Client(&client_key)] {
        if global::count_failures_since(&state.db, who, window_start).await? >= MAX_FAILURES {
            let oldest = global::oldest_failure_since(&state.db, who, window_start)
                .await?
                .unwrap_or(now);
            let retry = (oldest + Duration::minutes(FAILURE_WINDOW_MINUTES) - now)
                .num_seconds()
                .max(1);
            return Err(AppError::RateLimited {
                retry_after_seconds: retry,
            });
        }
    }

    let found = global::user_by_email(&state.db, &email).await?;
    let stored = found.as_ref().and_then(|(_, u)| u.password_hash.clone());
    let ok = state.passwords.verify(password, stored).await?;
    let Some((tenant, user)) = found.filter(|_| ok) else {
        let txn = state.db.begin().await?;
        // Keep the table small: what is outside the window no longer counts.
        global::record_failure(&txn, &email, &client_key, now, window_start).await?;
        txn.commit().await?;
        return Err(AppError::Unauthenticated(LOGIN_FAILED));
    };
    global::forget_failures(&state.db, &email).await?;
    start_family(state, tenant, user).await
}

async fn start_family(state: &AppState, tenant: Tenant, user: users::Model) -> AppResult<Session> {
    let now = state.clock.now();
    let refresh_token = random_token(32);
    tenant
        .insert(refresh_tokens::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            family_id: Set(Uuid::now_v7()),
            token_hash: Set(sha256_hex(&refresh_token)),
            created_at: Set(now),
            expires_at: Set(now + Duration::days(REFRESH_FAMILY_DAYS)),
            retired_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(&state.db)
        .await?;
    session_for(state, user, refresh_token)
}

fn session_for(state: &AppState, user: users::Model, refresh_token: String) -> AppResult<Session> {
    let viewer = Viewer::new(
        user.id,
        user.organization_id,
        RoleSet::from_stored(&user.roles),
    );
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
    let Some((tenant, token)) = global::refresh_token_by_hash(&txn, &hash).await? else {
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    };
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    }
    // Retire it only if nobody else has: of two concurrent uses, one wins.
    let retired = tenant
        .update_many::<refresh_tokens::Entity>()
        .col_expr(refresh_tokens::Column::RetiredAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .filter(refresh_tokens::Column::RetiredAt.is_null())
        .exec(&txn)
        .await?;
    if retired.rows_affected != 1 {
        revoke_family(&txn, tenant, token.family_id, now).await?;
        txn.commit().await?;
        tracing::warn!(family = %token.family_id, "retired refresh token presented again; session family revoked");
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    }
    let Some(user) = tenant
        .find_by_id::<users::Entity>(token.user_id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthenticated(REFRESH_REFUSED));
    };
    let next = random_token(32);
    tenant
        .insert(refresh_tokens::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(token.user_id),
            family_id: Set(token.family_id),
            token_hash: Set(sha256_hex(&next)),
            created_at: Set(now),
            expires_at: Set(token.expires_at),
            retired_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    session_for(state, user, next)
}

async fn revoke_family(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    family: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    tenant
        .update_many::<refresh_tokens::Entity>()
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
    let Some((tenant, token)) =
        global::refresh_token_by_hash(&state.db, &sha256_hex(presented)).await?
    else {
        return Ok(false);
    };
    if token.revoked_at.is_some() {
        return Ok(false);
    }
    revoke_family(&state.db, tenant, token.family_id, now).await?;
    Ok(true)
}
