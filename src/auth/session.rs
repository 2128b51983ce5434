//! Sign-in, refresh-token rotation and sign-out.

use chrono::{DateTime, Duration, Utc};
use entity::{refresh_tokens, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, QueryFilter, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::{RoleSet, Viewer, jwt::JwtKeys, password::Passwords, random_token, sha256_hex};
use crate::{
    error::{AppError, AppResult, AuthFailure},
    tenant::{
        Tenant,
        global::{self, FailuresOf},
    },
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

/// Issues access tokens: the server's keys and their lifetime.
#[derive(Clone, Copy)]
pub struct AccessTokens<'a> {
    pub keys: &'a JwtKeys,
    pub ttl_seconds: i64,
}

/// Signs in by email and password from the client whose address hashes to
/// `client_key` (see `AddressKey`). The same error, and about the same
/// time, for an unknown email and a wrong password.
pub async fn login(
    db: &DatabaseConnection,
    passwords: &Passwords,
    tokens: AccessTokens<'_>,
    now: DateTime<Utc>,
    email: &str,
    password: String,
    client_key: &str,
) -> AppResult<Session> {
    let email = normalize_email(email);
    let window_start = now - Duration::minutes(FAILURE_WINDOW_MINUTES);

    for who in [FailuresOf::Email(&email), FailuresOf::Client(client_key)] {
        if global::count_failures_since(db, who, window_start).await? >= MAX_FAILURES {
            let oldest = global::oldest_failure_since(db, who, window_start)
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

    let found = global::user_by_email(db, &email).await?;
    let stored = found.as_ref().and_then(|(_, u)| u.password_hash.clone());
    let ok = passwords.verify(password, stored).await?;
    let Some((tenant, user)) = found.filter(|_| ok) else {
        // Keep the table small: what is outside the window no longer counts.
        crate::db::write(db, async |txn| {
            Ok(global::record_failure(txn, &email, client_key, now, window_start).await?)
        })
        .await?;
        return Err(AppError::Unauthenticated(LOGIN_FAILED));
    };
    global::forget_failures(db, &email).await?;
    start_family(db, tokens, now, tenant, user).await
}

async fn start_family(
    db: &DatabaseConnection,
    tokens: AccessTokens<'_>,
    now: DateTime<Utc>,
    tenant: Tenant,
    user: users::Model,
) -> AppResult<Session> {
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
        .exec_without_returning(db)
        .await?;
    session_for(tokens, now, user, refresh_token)
}

fn session_for(
    tokens: AccessTokens<'_>,
    now: DateTime<Utc>,
    user: users::Model,
    refresh_token: String,
) -> AppResult<Session> {
    let viewer = Viewer::new(
        user.id,
        user.organization_id,
        RoleSet::from_stored(&user.roles),
    );
    let ttl = tokens.ttl_seconds;
    let access_token = tokens.keys.issue(&viewer, now.timestamp(), ttl)?;
    Ok(Session {
        access_token,
        refresh_token,
        expires_in: ttl,
        user,
    })
}

/// Rotates a refresh token. A token presented after it was retired is taken
/// as stolen: its whole family is revoked.
pub async fn refresh(
    db: &DatabaseConnection,
    tokens: AccessTokens<'_>,
    now: DateTime<Utc>,
    presented: &str,
) -> AppResult<Session> {
    let hash = sha256_hex(presented);
    // Its own transaction: a token presented again commits the revocation
    // of its family and still answers UNAUTHENTICATED.
    let txn = crate::db::begin_write(db).await?;
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
    session_for(tokens, now, user, next)
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
pub async fn logout(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    presented: &str,
) -> AppResult<bool> {
    let Some((tenant, token)) = global::refresh_token_by_hash(db, &sha256_hex(presented)).await?
    else {
        return Ok(false);
    };
    if token.revoked_at.is_some() {
        return Ok(false);
    }
    revoke_family(db, tenant, token.family_id, now).await?;
    Ok(true)
}
