//! Recording a share exactly once. The unique index on (organization, user,
//! idempotency key) settles concurrent retries: every caller tries to
//! insert, and a loser reads the winner and compares request hashes.

use chrono::{DateTime, Duration, Utc};
use entity::{contents, organizations, points_ledger, shares, social_accounts};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, QueryFilter, Set,
    sea_query::OnConflict,
};
use uuid::Uuid;

use crate::{
    auth::{Viewer, sha256_hex},
    content::feed,
    domain::{SocialNetwork, max_chars},
    error::{AppError, AppResult, is_unique_violation},
    tenant::Tenant,
    tracking,
};

/// Longest comment an ambassador may attach.
pub const MAX_COMMENT: usize = 3000;
/// Longest idempotency key.
pub const MAX_KEY: usize = 255;
/// How far ahead of the server's clock sharedAt may be (clock skew).
pub const MAX_AHEAD: Duration = Duration::minutes(5);
/// How far back sharedAt may be (an app that was offline).
pub const MAX_BACK: Duration = Duration::days(7);

/// What the app sends.
#[derive(Clone, Debug)]
pub struct NewShare {
    pub content_id: Uuid,
    pub network: SocialNetwork,
    pub comment: Option<String>,
    pub shared_at: Option<DateTime<Utc>>,
    pub idempotency_key: String,
}

impl NewShare {
    /// Fingerprint of the input as sent, to tell a replay from a reuse of
    /// the key with other input. An omitted sharedAt stays omitted, so a
    /// retry of a call that relied on the default is still the same input.
    pub fn request_hash(&self) -> String {
        let canonical = serde_json::json!([
            self.content_id,
            self.network.as_str(),
            self.comment,
            self.shared_at.map(|t| t.timestamp_micros()),
        ]);
        sha256_hex(&canonical.to_string())
    }
}

/// The outcome of a call.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub share: shares::Model,
    pub replayed: bool,
    pub points_awarded: i32,
}

fn replay_of(existing: shares::Model, hash: &str) -> AppResult<Recorded> {
    if existing.request_hash != hash {
        return Err(AppError::conflict(
            "idempotencyKey was already used for a different share",
        ));
    }
    Ok(Recorded {
        share: existing,
        replayed: true,
        points_awarded: 0,
    })
}

async fn by_key(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    key: &str,
) -> AppResult<Option<shares::Model>> {
    Ok(Tenant::of(viewer)
        .find::<shares::Entity>()
        .filter(shares::Column::UserId.eq(viewer.user_id()))
        .filter(shares::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await?)
}

/// Records a share for an ACTIVE ambassador, or replays the first call
/// made with the same idempotency key. It runs its own transactions: a
/// lost race on the key rolls back and answers with the winner's share.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &Viewer,
    now: DateTime<Utc>,
    input: NewShare,
) -> AppResult<Recorded> {
    let key_len = input.idempotency_key.chars().count();
    if !(1..=MAX_KEY).contains(&key_len) {
        return Err(AppError::bad_input(format!(
            "idempotencyKey must have 1 to {MAX_KEY} characters"
        )));
    }
    if let Some(comment) = &input.comment {
        max_chars("comment", comment, MAX_COMMENT)?;
    }
    let hash = input.request_hash();
    // A retry that arrives after the first call finished: answer it
    // without re-checking rules that may have changed since.
    if let Some(existing) = by_key(db, viewer, &input.idempotency_key).await? {
        return replay_of(existing, &hash);
    }
    let user = feed::active_ambassador(db, viewer)
        .await?
        .ok_or(AppError::Forbidden("only ACTIVE ambassadors record shares"))?;
    // The ambassador's feed rules, whatever staff roles the viewer holds.
    let item = Tenant::of(viewer)
        .find::<contents::Entity>()
        .filter(contents::Column::Id.eq(input.content_id))
        .filter(feed::visible_to(Tenant::of(viewer), &user, now))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("content"))?;
    let shared_at = input.shared_at.unwrap_or(now);
    if shared_at > now + MAX_AHEAD {
        return Err(AppError::bad_input(
            "sharedAt must be at most 5 minutes ahead of the server's clock",
        ));
    }
    if shared_at < now - MAX_BACK {
        return Err(AppError::bad_input(
            "sharedAt must be at most 7 days in the past",
        ));
    }
    if item.publish_at.is_some_and(|p| shared_at < p) {
        return Err(AppError::bad_input(
            "sharedAt must not be before the item's publishAt",
        ));
    }
    let tenant = Tenant::of(viewer);
    let reach = tenant
        .find::<social_accounts::Entity>()
        .filter(social_accounts::Column::UserId.eq(user.id))
        .filter(social_accounts::Column::Network.eq(input.network.as_str()))
        .one(db)
        .await?
        .map_or(0, |a| a.follower_count);
    let points_per_share = tenant
        .get::<organizations::Entity>(db, viewer.org_id(), "organization")
        .await?
        .points_per_share;

    // A tracking code collision is astronomically unlikely; retry anyway.
    for _ in 0..3 {
        let row = shares::Model {
            id: Uuid::now_v7(),
            organization_id: viewer.org_id(),
            user_id: user.id,
            content_id: item.id,
            network: input.network.as_str().to_owned(),
            comment: input.comment.clone(),
            shared_at,
            potential_reach: reach,
            idempotency_key: input.idempotency_key.clone(),
            request_hash: hash.clone(),
            tracking_code: tracking::new_code(),
            points_awarded: 0,
            created_at: now,
        };
        let txn = crate::db::begin_write(db).await?;
        match insert_share(&txn, tenant, row, points_per_share).await {
            Ok(share) => {
                txn.commit().await?;
                let points_awarded = share.points_awarded;
                return Ok(Recorded {
                    share,
                    replayed: false,
                    points_awarded,
                });
            }
            Err(err) if is_unique_violation(&err) => {
                // On PostgreSQL the failed insert aborted the transaction:
                // end it and read the winner outside it.
                txn.rollback().await?;
                if let Some(winner) = by_key(db, viewer, &input.idempotency_key).await? {
                    return replay_of(winner, &hash);
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "could not allocate a unique tracking code"
    )))
}

/// Writes one share inside `txn`, as its first statement (so a unique
/// violation on the idempotency key or tracking code is the first thing to
/// fail), then awards `points_per_share` if it is the person's first share
/// of the item on that network. Returns the share as stored. Other areas
/// maintaining figures derived from shares hook in here, in the same
/// transaction.
pub async fn insert_share(
    txn: &DatabaseTransaction,
    tenant: Tenant,
    row: shares::Model,
    points_per_share: i32,
) -> Result<shares::Model, DbErr> {
    let mut share = tenant.create(txn, shares::ActiveModel::from(row)).await?;
    let points = award_first_share_points(txn, tenant, &share, points_per_share).await?;
    if points != 0 {
        tenant
            .update_many::<shares::Entity>()
            .col_expr(
                shares::Column::PointsAwarded,
                sea_orm::sea_query::Expr::value(points),
            )
            .filter(shares::Column::Id.eq(share.id))
            .exec(txn)
            .await?;
        share.points_awarded = points;
    }
    crate::analytics::rollups::on_share(txn, tenant, &share)
        .await
        .map_err(|e| DbErr::Custom(format!("engagement rollups: {e:?}")))?;
    Ok(share)
}

/// Appends the points of a first share to the ledger; the unique index on
/// (organization, user, content, network) makes later shares earn nothing,
/// concurrently too. Returns the points awarded.
pub async fn award_first_share_points(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    share: &shares::Model,
    points: i32,
) -> Result<i32, DbErr> {
    let inserted = tenant
        .insert(points_ledger::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(share.user_id),
            share_id: Set(share.id),
            content_id: Set(share.content_id),
            network: Set(share.network.clone()),
            points: Set(points),
            // Points are earned when the share went out, so a share and its
            // points fall in the same leaderboard period.
            awarded_at: Set(share.shared_at),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                points_ledger::Column::OrganizationId,
                points_ledger::Column::UserId,
                points_ledger::Column::ContentId,
                points_ledger::Column::Network,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(if inserted == 1 { points } else { 0 })
}
