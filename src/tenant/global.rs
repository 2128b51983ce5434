//! What belongs to no single organization, or is found before anyone is
//! known: each lookup says why it may look across organizations, and hands
//! back the row found with the [`Tenant`] it belongs to, through which the
//! rest of the request goes.

use chrono::{DateTime, Utc};
use entity::{login_failures, organizations, refresh_tokens, shares, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityName, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Select, Set,
};
use uuid::Uuid;

use super::Tenant;

/// Tables without an organization, reached only through this module.
pub fn tables() -> Vec<&'static str> {
    vec![login_failures::Entity.table_name()]
}

/// Sign-in: an email names one person across the service (emails are
/// unique over all organizations).
pub async fn user_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<(Tenant, users::Model)>, DbErr> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(conn)
        .await?
        .map(|user| (Tenant::owning(user.organization_id), user)))
}

/// Refreshing or ending a session: the token itself names the session.
pub async fn refresh_token_by_hash(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<(Tenant, refresh_tokens::Model)>, DbErr> {
    Ok(refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?
        .map(|token| (Tenant::owning(token.organization_id), token)))
}

/// A tracking link, followed anonymously: the code names the share.
pub async fn share_by_tracking_code(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<(Tenant, shares::Model)>, DbErr> {
    Ok(shares::Entity::find()
        .filter(shares::Column::TrackingCode.eq(code))
        .one(conn)
        .await?
        .map(|share| (Tenant::owning(share.organization_id), share)))
}

/// Whether the deployment holds any organization yet (the demo is seeded
/// into an empty one).
pub async fn any_organization(conn: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(organizations::Entity::find().one(conn).await?.is_some())
}

/// A new organization, and the tenant of its data.
pub async fn create_organization(
    conn: &impl ConnectionTrait,
    model: organizations::ActiveModel,
) -> Result<(Tenant, organizations::Model), DbErr> {
    let org = model.insert(conn).await?;
    Ok((Tenant::owning(org.id), org))
}

/// Which failed sign-ins to count: those for one email, or from one client.
#[derive(Clone, Copy, Debug)]
pub enum FailuresOf<'a> {
    Email(&'a str),
    /// A keyed hash of the client address.
    Client(&'a str),
}

fn failures_of(who: FailuresOf<'_>, since: DateTime<Utc>) -> Select<login_failures::Entity> {
    login_failures::Entity::find()
        .filter(match who {
            FailuresOf::Email(email) => login_failures::Column::Email.eq(email),
            FailuresOf::Client(key) => login_failures::Column::ClientKey.eq(key),
        })
        .filter(login_failures::Column::CreatedAt.gt(since))
}

/// How many failed sign-ins of `who` happened after `since`.
pub async fn count_failures_since(
    conn: &impl ConnectionTrait,
    who: FailuresOf<'_>,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    failures_of(who, since).count(conn).await
}

/// When the oldest failed sign-in of `who` after `since` happened.
pub async fn oldest_failure_since(
    conn: &impl ConnectionTrait,
    who: FailuresOf<'_>,
    since: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(failures_of(who, since)
        .order_by_asc(login_failures::Column::CreatedAt)
        .one(conn)
        .await?
        .map(|f| f.created_at))
}

/// Records a failed sign-in for `email` from `client_key` at `at`, and
/// forgets that email's failures from `forget_until` back.
pub async fn record_failure(
    conn: &impl ConnectionTrait,
    email: &str,
    client_key: &str,
    at: DateTime<Utc>,
    forget_until: DateTime<Utc>,
) -> Result<(), DbErr> {
    login_failures::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.to_owned()),
        client_key: Set(client_key.to_owned()),
        created_at: Set(at),
    }
    .insert(conn)
    .await?;
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Email.eq(email))
        .filter(login_failures::Column::CreatedAt.lte(forget_until))
        .exec(conn)
        .await?;
    Ok(())
}

/// Forgets every failed sign-in for `email` (after a successful one).
pub async fn forget_failures(conn: &impl ConnectionTrait, email: &str) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Email.eq(email))
        .exec(conn)
        .await?;
    Ok(())
}
