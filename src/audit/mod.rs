//! The audit trail: every change by HR, an ADMIN, SCIM or the system to
//! people, roles, activation, settings, the identity provider, SCIM tokens,
//! API clients, invitations, erasures and exports.
//!
//! A writer records its entry with [`record`] in the transaction of the
//! change itself, so an entry exists exactly when the change does. Entries
//! are append-only (the database refuses an UPDATE) and never editable
//! through the API; they leave only by retention. Details are small and
//! never hold a secret, a name or an email: ids, roles, settings, counts.

use chrono::{DateTime, Utc};
use entity::audit_entries;
use sea_orm::{
    ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    auth::{Role, Viewer},
    error::{AppError, AppResult},
    pagination::{First, Page, decode_cursor},
    tenant::Tenant,
};

/// The largest `details` recorded, as JSON text.
pub const MAX_DETAILS_BYTES: usize = 2048;

/// Who made a change.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// A signed-in user (HR, an ADMIN): `actor` names them while their account exists.
    User,
    /// The organization's directory, over SCIM.
    Scim,
    /// The service itself: a command-line tool or a periodic job.
    System,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::User => "USER",
            ActorKind::Scim => "SCIM",
            ActorKind::System => "SYSTEM",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [ActorKind::User, ActorKind::Scim, ActorKind::System]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Who made a change: a user, SCIM or the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    kind: ActorKind,
    user_id: Option<Uuid>,
}

impl Actor {
    /// The signed-in caller.
    pub fn user(viewer: &Viewer) -> Self {
        Self {
            kind: ActorKind::User,
            user_id: Some(viewer.user_id()),
        }
    }

    /// The organization's directory, over SCIM.
    pub fn scim() -> Self {
        Self {
            kind: ActorKind::Scim,
            user_id: None,
        }
    }

    /// A command-line tool or a periodic job.
    pub fn system() -> Self {
        Self {
            kind: ActorKind::System,
            user_id: None,
        }
    }

    pub fn kind(self) -> ActorKind {
        self.kind
    }

    pub fn user_id(self) -> Option<Uuid> {
        self.user_id
    }
}

/// What was done. The stored name is `area.verb`, e.g. `user.create`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// A user was created (target: the user).
    UserCreate,
    /// A user's roles changed (target: the user).
    UserRoles,
    /// A user was deactivated (target: the user).
    UserDeactivate,
    /// A user was reactivated (target: the user).
    UserReactivate,
    /// A person was erased (target: the id they had).
    UserErase,
    /// The organization's settings changed (target: the organization).
    OrganizationUpdate,
    /// A person was invited to the programme (target: the user).
    InvitationCreate,
    /// A group was created (target: the group).
    GroupCreate,
    /// A group's members were replaced (target: the group).
    GroupMembers,
    /// The identity provider was configured (target: the organization).
    IdentityProviderUpdate,
    /// A SCIM token was created (target: the token).
    ScimTokenCreate,
    /// A SCIM token was revoked (target: the token).
    ScimTokenRevoke,
    /// An API client was created (target: the client).
    ApiClientCreate,
    /// An API client was changed (target: the client).
    ApiClientUpdate,
    /// An ADMIN downloaded a person's data (target: the user).
    ExportUser,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::UserCreate,
        Action::UserRoles,
        Action::UserDeactivate,
        Action::UserReactivate,
        Action::UserErase,
        Action::OrganizationUpdate,
        Action::InvitationCreate,
        Action::GroupCreate,
        Action::GroupMembers,
        Action::IdentityProviderUpdate,
        Action::ScimTokenCreate,
        Action::ScimTokenRevoke,
        Action::ApiClientCreate,
        Action::ApiClientUpdate,
        Action::ExportUser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::UserCreate => "user.create",
            Action::UserRoles => "user.roles",
            Action::UserDeactivate => "user.deactivate",
            Action::UserReactivate => "user.reactivate",
            Action::UserErase => "user.erase",
            Action::OrganizationUpdate => "organization.update",
            Action::InvitationCreate => "invitation.create",
            Action::GroupCreate => "group.create",
            Action::GroupMembers => "group.members",
            Action::IdentityProviderUpdate => "identity_provider.update",
            Action::ScimTokenCreate => "scim_token.create",
            Action::ScimTokenRevoke => "scim_token.revoke",
            Action::ApiClientCreate => "api_client.create",
            Action::ApiClientUpdate => "api_client.update",
            Action::ExportUser => "export.user",
        }
    }
}

/// One entry to record.
#[derive(Clone, Debug)]
pub struct Entry {
    pub actor: Actor,
    pub action: Action,
    /// The id of what was changed.
    pub target: Option<Uuid>,
    /// A JSON object of non-secret details (ids, roles, settings, counts;
    /// never a secret, a name or an email), at most [`MAX_DETAILS_BYTES`].
    pub details: serde_json::Value,
}

impl Entry {
    pub fn new(actor: Actor, action: Action, target: Option<Uuid>) -> Self {
        Self {
            actor,
            action,
            target,
            details: serde_json::json!({}),
        }
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Records `entry` at `at` in the organization, on `conn`: the caller's
/// transaction, so that the entry commits (or rolls back) with the change.
pub async fn record(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    at: DateTime<Utc>,
    entry: Entry,
) -> AppResult<()> {
    if !entry.details.is_object() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "audit details of {} must be a JSON object",
            entry.action.as_str()
        )));
    }
    let size = entry.details.to_string().len();
    if size > MAX_DETAILS_BYTES {
        return Err(AppError::Internal(anyhow::anyhow!(
            "audit details of {} take {size} bytes, more than {MAX_DETAILS_BYTES}",
            entry.action.as_str()
        )));
    }
    tenant
        .insert(audit_entries::ActiveModel {
            id: Set(Uuid::now_v7()),
            at: Set(at),
            actor_kind: Set(entry.actor.kind.as_str().to_owned()),
            actor_user_id: Set(entry.actor.user_id),
            action: Set(entry.action.as_str().to_owned()),
            target_id: Set(entry.target),
            details: Set(entry.details),
            ..Default::default()
        })
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Position in the audit log: newest `at` first, then id, both descending.
#[derive(Serialize, Deserialize)]
pub struct AuditCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl AuditCursor {
    pub fn of(entry: &audit_entries::Model) -> Self {
        Self {
            at: entry.at,
            id: entry.id,
        }
    }
}

/// ADMIN: a page of the organization's audit log, newest first (keyset on
/// `ix_audit_entries_org_at`).
pub async fn list(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    first: First,
    after: Option<&str>,
) -> AppResult<Page<audit_entries::Model>> {
    viewer.require_any(&[Role::Admin])?;
    let cursor: Option<AuditCursor> = after.map(decode_cursor).transpose()?;
    let mut query = Tenant::of(viewer).find::<audit_entries::Entity>();
    if let Some(c) = &cursor {
        query = query.filter(
            Expr::tuple([
                Expr::col(audit_entries::Column::At),
                Expr::col(audit_entries::Column::Id),
            ])
            .lt(Expr::tuple([Expr::val(c.at), Expr::val(c.id)])),
        );
    }
    let rows = query
        .order_by_desc(audit_entries::Column::At)
        .order_by_desc(audit_entries::Column::Id)
        .limit(first.probe())
        .all(conn)
        .await?;
    Ok(Page::from_probe(rows, first, cursor.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_own_area_dot_verb_name() {
        let names: std::collections::BTreeSet<&str> =
            Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), Action::ALL.len());
        for name in names {
            let (area, verb) = name.split_once('.').expect("area.verb");
            assert!(!area.is_empty() && !verb.is_empty(), "{name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'),
                "{name}"
            );
        }
    }
}
