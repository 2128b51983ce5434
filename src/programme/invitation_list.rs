//! The invitations HR sent, newest first: what the programme page lists
//! beside the candidates, with where each invited person stands now.

use chrono::{DateTime, Utc};
use entity::invitations;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    auth::{Role, Viewer},
    error::AppResult,
    pagination::{First, Page, decode_cursor},
    tenant::Tenant,
};

/// Position in the list: the invitation's time, then its id.
#[derive(Serialize, Deserialize)]
pub struct InvitationCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl InvitationCursor {
    pub fn of(invitation: &invitations::Model) -> Self {
        Self {
            at: invitation.created_at,
            id: invitation.id,
        }
    }
}

/// HR or ADMIN: a page of the organization's invitations, newest first
/// (keyset on `ix_invitations_org_created`), with the total count.
pub async fn list(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    first: First,
    after: Option<&str>,
) -> AppResult<Page<invitations::Model>> {
    viewer.require_any(&[Role::Hr])?;
    let total = Tenant::of(viewer)
        .find::<invitations::Entity>()
        .count(conn)
        .await?;
    let mut query = Tenant::of(viewer).find::<invitations::Entity>();
    let had_cursor = after.is_some();
    if let Some(after) = after {
        let cursor: InvitationCursor = decode_cursor(after)?;
        query = query.filter(
            Condition::any()
                .add(invitations::Column::CreatedAt.lt(cursor.at))
                .add(
                    Condition::all()
                        .add(invitations::Column::CreatedAt.eq(cursor.at))
                        .add(invitations::Column::Id.lt(cursor.id)),
                ),
        );
    }
    let rows = query
        .order_by_desc(invitations::Column::CreatedAt)
        .order_by_desc(invitations::Column::Id)
        .limit(first.probe())
        .all(conn)
        .await?;
    let mut page = Page::from_probe(rows, first, had_cursor);
    page.total = Some(total);
    Ok(page)
}
