//! The ambassador state machine and its append-only consent record.
//!
//! ```text
//! NONE | INVITED | DECLINED | WITHDRAWN --enroll--> ACTIVE
//! INVITED --declineInvitation--> DECLINED
//! ACTIVE --pause--> PAUSED --resume--> ACTIVE
//! ACTIVE | PAUSED --withdraw--> WITHDRAWN
//! ```
//! Each move is one transaction (the caller's): a conditional UPDATE on the current status
//! (so of two concurrent calls one wins and the other sees CONFLICT), the
//! consent record, and for a withdrawal the deletion of social accounts and
//! push tokens. Any other move is CONFLICT and writes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use entity::{consent_records, device_tokens, organizations, social_accounts, users};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set, sea_query::Expr};
use uuid::Uuid;

use super::ConsentAction;
use crate::{
    auth::Viewer,
    domain::AmbassadorStatus,
    error::{AppError, AppResult},
    org::users as org_users,
    tenant::Tenant,
};

/// A move an employee makes in the programme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Enroll,
    Decline,
    Pause,
    Resume,
    Withdraw,
}

impl Transition {
    /// The statuses this move starts from.
    pub fn from(self) -> &'static [AmbassadorStatus] {
        use AmbassadorStatus::*;
        match self {
            Transition::Enroll => &[None, Invited, Declined, Withdrawn],
            Transition::Decline => &[Invited],
            Transition::Pause => &[Active],
            Transition::Resume => &[Paused],
            Transition::Withdraw => &[Active, Paused],
        }
    }

    pub fn to(self) -> AmbassadorStatus {
        match self {
            Transition::Enroll | Transition::Resume => AmbassadorStatus::Active,
            Transition::Decline => AmbassadorStatus::Declined,
            Transition::Pause => AmbassadorStatus::Paused,
            Transition::Withdraw => AmbassadorStatus::Withdrawn,
        }
    }

    pub fn action(self) -> ConsentAction {
        match self {
            Transition::Enroll => ConsentAction::Enroll,
            Transition::Decline => ConsentAction::Decline,
            Transition::Pause => ConsentAction::Pause,
            Transition::Resume => ConsentAction::Resume,
            Transition::Withdraw => ConsentAction::Withdraw,
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Transition::Enroll => "enroll",
            Transition::Decline => "decline an invitation",
            Transition::Pause => "pause",
            Transition::Resume => "resume",
            Transition::Withdraw => "withdraw",
        }
    }
}

/// Volunteer enrollment: `charter_version` must be the organization's current one.
pub async fn enroll(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    charter_version: &str,
) -> AppResult<users::Model> {
    apply(conn, viewer, now, Transition::Enroll, Some(charter_version)).await
}

pub async fn decline(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    apply(conn, viewer, now, Transition::Decline, None).await
}

pub async fn pause(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    apply(conn, viewer, now, Transition::Pause, None).await
}

pub async fn resume(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    apply(conn, viewer, now, Transition::Resume, None).await
}

/// Leaves the programme; social accounts and push tokens go with it. Shares stay.
pub async fn withdraw(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    apply(conn, viewer, now, Transition::Withdraw, None).await
}

/// Makes `transition` in the caller's transaction, which commits the
/// status, the consent record and a withdrawal's deletions together.
async fn apply(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    transition: Transition,
    quoted_charter: Option<&str>,
) -> AppResult<users::Model> {
    let org = Tenant::of(viewer)
        .get::<organizations::Entity>(conn, viewer.org_id(), "organization")
        .await?;
    if let Some(quoted) = quoted_charter
        && quoted.trim() != org.charter_version
    {
        return Err(AppError::bad_input(format!(
            "charterVersion {quoted:?} is not the current charter ({:?}); read it and quote its version",
            org.charter_version
        )));
    }

    let mut update = Tenant::of(viewer)
        .update_many::<users::Entity>()
        .col_expr(
            users::Column::AmbassadorStatus,
            Expr::value(transition.to().as_str()),
        )
        .col_expr(users::Column::StatusChangedAt, Expr::value(now))
        .filter(users::Column::Id.eq(viewer.user_id()))
        .filter(
            users::Column::AmbassadorStatus.is_in(transition.from().iter().map(|s| s.as_str())),
        );
    if transition == Transition::Enroll {
        update = update.col_expr(users::Column::EnrolledAt, Expr::value(now));
    }
    if update.exec(conn).await?.rows_affected == 0 {
        let user = org_users::get(conn, viewer, viewer.user_id()).await?;
        return Err(AppError::conflict(format!(
            "cannot {} while your ambassador status is {}",
            transition.verb(),
            user.ambassador_status
        )));
    }

    append_consent(
        conn,
        Tenant::of(viewer),
        viewer.user_id(),
        transition.action(),
        &org.charter_version,
        now,
    )
    .await?;

    if transition == Transition::Withdraw {
        Tenant::of(viewer)
            .delete_many::<social_accounts::Entity>()
            .filter(social_accounts::Column::UserId.eq(viewer.user_id()))
            .exec(conn)
            .await?;
        Tenant::of(viewer)
            .delete_many::<device_tokens::Entity>()
            .filter(device_tokens::Column::UserId.eq(viewer.user_id()))
            .exec(conn)
            .await?;
    }

    org_users::get(conn, viewer, viewer.user_id()).await
}

/// Appends one entry to a user's consent record. The record is never
/// updated or deleted.
pub async fn append_consent(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    user_id: Uuid,
    action: ConsentAction,
    charter_version: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<consent_records::Model> {
    Ok(tenant
        .create(
            conn,
            consent_records::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(user_id),
                action: Set(action.as_str().to_owned()),
                charter_version: Set(charter_version.to_owned()),
                created_at: Set(at),
                ..Default::default()
            },
        )
        .await?)
}

/// Each user's consent record, oldest first (for loaders).
pub async fn consent_of_users(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    user_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<consent_records::Model>>> {
    let rows = Tenant::of(viewer)
        .find::<consent_records::Entity>()
        .filter(consent_records::Column::UserId.is_in(user_ids.iter().copied()))
        .order_by_asc(consent_records::Column::CreatedAt)
        .order_by_asc(consent_records::Column::Id)
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<consent_records::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.user_id).or_default().push(row);
    }
    Ok(out)
}
