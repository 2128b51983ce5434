//! Shares: recording them exactly once (idempotency keys), their tracking
//! links and clicks, points, the leaderboard and per-person figures.

pub mod clicks;
pub mod demo;
pub mod leaderboard;
pub mod record;
pub mod stats;

use chrono::{DateTime, Utc};
use entity::shares;
use sea_orm::{
    ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    auth::Viewer,
    error::AppResult,
    pagination::{First, Page, decode_cursor},
    tenant::Tenant,
};

/// The public link of a tracking code.
pub fn tracking_url(base: &str, code: &str) -> String {
    format!("{}/r/{code}", base.trim_end_matches('/'))
}

/// Position in a person's shares: newest sharedAt first, then id, both descending.
#[derive(Serialize, Deserialize)]
pub struct ShareCursor {
    pub shared_at: DateTime<Utc>,
    pub id: Uuid,
}

impl ShareCursor {
    pub fn of(share: &shares::Model) -> Self {
        Self {
            shared_at: share.shared_at,
            id: share.id,
        }
    }
}

/// The viewer's own shares, newest first, with their total.
pub async fn mine(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    first: First,
    after: Option<&str>,
) -> AppResult<Page<shares::Model>> {
    let cursor: Option<ShareCursor> = after.map(decode_cursor).transpose()?;
    let own = Tenant::of(viewer)
        .find::<shares::Entity>()
        .filter(shares::Column::UserId.eq(viewer.user_id()));
    let total = own.clone().count(conn).await?;
    let mut query = own;
    if let Some(c) = &cursor {
        query = query.filter(
            Expr::tuple([
                Expr::col(shares::Column::SharedAt),
                Expr::col(shares::Column::Id),
            ])
            .lt(Expr::tuple([Expr::val(c.shared_at), Expr::val(c.id)])),
        );
    }
    let rows = query
        .order_by_desc(shares::Column::SharedAt)
        .order_by_desc(shares::Column::Id)
        .limit(first.probe())
        .all(conn)
        .await?;
    let mut page = Page::from_probe(rows, first, cursor.is_some());
    page.total = Some(total);
    Ok(page)
}

/// The shares with these ids, in the viewer's organization.
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<std::collections::HashMap<Uuid, shares::Model>> {
    Ok(Tenant::of(viewer)
        .find::<shares::Entity>()
        .filter(shares::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}
