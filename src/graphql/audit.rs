//! The audit trail: ADMIN only, newest first.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::audit_entries;

use super::{
    loaders::loader_error,
    scalars::{DateTime, to_id},
    state,
    types::{PageInfo, User},
    viewer,
};
use crate::{
    audit::{self, ActorKind, AuditCursor},
    error::AppError,
    pagination::{First, encode_cursor},
};

/// One action of HR, an ADMIN or SCIM that changed people, roles, settings, the provider or the programme.
pub struct AuditEntry(pub audit_entries::Model);

/// One action of HR, an ADMIN or SCIM that changed people, roles, settings, the provider or the programme.
#[Object]
impl AuditEntry {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// When it happened.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }

    /// The user who acted; null for SCIM and system jobs, and once that user's account no longer exists (an erased person is never named).
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.0.actor_user_id else {
            return Ok(None);
        };
        Ok(super::loaders(ctx)?
            .user_by_id
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(User))
    }

    /// Who acted: a user, SCIM or the system.
    async fn actor_kind(&self) -> Result<ActorKind> {
        ActorKind::parse(&self.0.actor_kind).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "unknown audit actor kind {:?}",
                self.0.actor_kind
            ))
            .into()
        })
    }

    /// E.g. user.create, user.roles, user.deactivate, user.erase, organization.update, invitation.create, group.create, group.members, identity_provider.update, scim_token.create, api_client.create, export.user.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The id of what was changed: the user, group, organization, token or client.
    async fn target_id(&self) -> Option<ID> {
        self.0.target_id.map(to_id)
    }

    /// What changed, as a JSON object of non-secret details (ids, roles, settings, counts; never a name, an email or a secret), e.g. {"roles":["EMPLOYEE","HR"],"previous":["EMPLOYEE"]}.
    async fn details(&self) -> String {
        self.0.details.to_string()
    }
}

/// An edge of the audit log.
#[derive(SimpleObject)]
pub struct AuditEntryEdge {
    /// Position of this edge, for `after`.
    pub cursor: String,
    /// The entry.
    pub node: AuditEntry,
}

/// A page of the audit log.
#[derive(SimpleObject)]
pub struct AuditEntryConnection {
    /// The entries of this page, newest first.
    pub edges: Vec<AuditEntryEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// ADMIN only, newest first. Entries are never changed or removed through the API.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1..100.", default = 50)] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<AuditEntryConnection> {
        let viewer = viewer(ctx)?;
        let first = First::parse(first, 50)?;
        let page = audit::list(&state(ctx)?.db, viewer, first, after.as_deref()).await?;
        let edges: Vec<AuditEntryEdge> = page
            .rows
            .into_iter()
            .map(|e| AuditEntryEdge {
                cursor: encode_cursor(&AuditCursor::of(&e)),
                node: AuditEntry(e),
            })
            .collect();
        let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
        Ok(AuditEntryConnection {
            page_info: PageInfo::new(&cursors, page.has_next, page.had_cursor),
            edges,
        })
    }
}
