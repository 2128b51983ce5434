//! HR invites employees to the programme; each invitation is stored with its
//! message and queued in the notifications outbox for a delivery worker.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{invitations, notifications_outbox, organizations, users};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, Set, sea_query::Expr};
use serde_json::json;
use uuid::Uuid;

use super::{InviteSkipReason, reinvite_allowed, reinvite_cutoff};
use crate::{
    audit::{self, Action, Actor, Entry},
    auth::{Role, Viewer},
    domain::{AmbassadorStatus, max_chars},
    error::{AppError, AppResult},
    tenant::Tenant,
};

pub const MAX_MESSAGE_CHARS: usize = 1000;
pub const MAX_INVITES_PER_CALL: usize = 1000;
/// The outbox kind of an invitation.
pub const INVITATION_KIND: &str = "AMBASSADOR_INVITATION";

/// What `invite` did for each listed user, in the order given.
#[derive(Debug, Default)]
pub struct InviteResult {
    pub invited: Vec<users::Model>,
    pub skipped: Vec<(Uuid, InviteSkipReason)>,
}

/// Why `user` cannot be invited at `now`, if they cannot.
pub fn skip_reason(user: &users::Model, now: DateTime<Utc>) -> Option<InviteSkipReason> {
    match AmbassadorStatus::parse(&user.ambassador_status) {
        AmbassadorStatus::Invited => Some(InviteSkipReason::AlreadyInvited),
        AmbassadorStatus::Active | AmbassadorStatus::Paused => {
            Some(InviteSkipReason::AlreadyEnrolled)
        }
        AmbassadorStatus::Declined if !reinvite_allowed(user.status_changed_at, now) => {
            Some(InviteSkipReason::DeclinedRecently)
        }
        AmbassadorStatus::Withdrawn if !reinvite_allowed(user.status_changed_at, now) => {
            Some(InviteSkipReason::WithdrawnRecently)
        }
        _ => None,
    }
}

/// Users who may be invited at `now`: NONE, or DECLINED/WITHDRAWN at least
/// 90 days ago. The SQL twin of `skip_reason(..) == None`.
pub fn invitable(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(users::Column::AmbassadorStatus.eq(AmbassadorStatus::None.as_str()))
        .add(
            Condition::all()
                .add(users::Column::AmbassadorStatus.is_in([
                    AmbassadorStatus::Declined.as_str(),
                    AmbassadorStatus::Withdrawn.as_str(),
                ]))
                .add(
                    Condition::any()
                        .add(users::Column::StatusChangedAt.is_null())
                        .add(users::Column::StatusChangedAt.lte(reinvite_cutoff(now))),
                ),
        )
}

/// HR or ADMIN: invites each listed employee, or says why not, in the
/// caller's transaction.
pub async fn invite(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    user_ids: &[Uuid],
    message: Option<&str>,
) -> AppResult<InviteResult> {
    viewer.require_any(&[Role::Hr])?;
    let message = match message.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => {
            max_chars("message", m, MAX_MESSAGE_CHARS)?;
            Some(m.to_owned())
        }
        None => None,
    };
    let mut seen = HashSet::new();
    let ids: Vec<Uuid> = user_ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    if ids.len() > MAX_INVITES_PER_CALL {
        return Err(AppError::bad_input(format!(
            "at most {MAX_INVITES_PER_CALL} users per call"
        )));
    }
    let org = Tenant::of(viewer)
        .get::<organizations::Entity>(conn, viewer.org_id(), "organization")
        .await?;
    let mut found: HashMap<Uuid, users::Model> = Tenant::of(viewer)
        .find::<users::Entity>()
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();

    let mut result = InviteResult::default();
    for id in ids {
        let Some(user) = found.remove(&id) else {
            result.skipped.push((id, InviteSkipReason::NotFound));
            continue;
        };
        if let Some(reason) = skip_reason(&user, now) {
            result.skipped.push((id, reason));
            continue;
        }
        // Conditional on the status still allowing it, so a concurrent
        // enroll or invitation wins cleanly.
        let updated = Tenant::of(viewer)
            .update_many::<users::Entity>()
            .col_expr(
                users::Column::AmbassadorStatus,
                Expr::value(AmbassadorStatus::Invited.as_str()),
            )
            .col_expr(users::Column::StatusChangedAt, Expr::value(now))
            .filter(users::Column::Id.eq(id))
            .filter(invitable(now))
            .exec(conn)
            .await?;
        if updated.rows_affected == 0 {
            let current = crate::org::users::get(conn, viewer, id).await?;
            let reason = skip_reason(&current, now).unwrap_or(InviteSkipReason::AlreadyInvited);
            result.skipped.push((id, reason));
            continue;
        }
        record_invitation(conn, viewer, &org, id, message.as_deref(), now).await?;
        result.invited.push(users::Model {
            ambassador_status: AmbassadorStatus::Invited.as_str().to_owned(),
            status_changed_at: Some(now),
            ..user
        });
    }
    Ok(result)
}

/// Stores the invitation and queues its notification.
async fn record_invitation(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    org: &organizations::Model,
    user_id: Uuid,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let tenant = Tenant::of(viewer);
    let invitation = invitations::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        invited_by: Set(viewer.user_id()),
        message: Set(message.map(str::to_owned)),
        created_at: Set(now),
        ..Default::default()
    };
    let invitation = tenant.create(conn, invitation).await?;
    // The note stays out of the trail: free text may name anyone.
    audit::record(
        conn,
        tenant,
        now,
        Entry::new(Actor::user(viewer), Action::InvitationCreate, Some(user_id)).details(json!({
            "invitationId": invitation.id,
            "message": message.is_some(),
        })),
    )
    .await?;
    let notification = notifications_outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        recipient_id: Set(user_id),
        kind: Set(INVITATION_KIND.to_owned()),
        payload: Set(json!({
            "invitationId": invitation.id,
            "invitedBy": viewer.user_id(),
            "organizationName": org.name,
            "charterVersion": org.charter_version,
            "message": message,
        })),
        created_at: Set(now),
        delivered_at: Set(None),
        ..Default::default()
    };
    tenant
        .insert(notification)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
