//! Following a tracking link: where it leads, and whether the visit counts
//! as a click (not a link-preview robot, not a repeat by the same visitor
//! within 24 hours).

use std::{collections::HashMap, net::IpAddr};

use chrono::{DateTime, Duration, Utc};
use entity::{clicks, contents, shares};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use crate::{
    auth::Viewer, domain::SocialNetwork, error::AppResult, state::AppState, tenant, tracking,
};

/// A repeat by the same visitor within this window counts once.
pub const REPEAT_WINDOW: Duration = Duration::hours(24);

/// The share behind a tracking link, with where it leads.
#[derive(Clone, Debug)]
pub struct Link {
    pub share: shares::Model,
    pub target: String,
}

/// The share and redirect target of `code`; None for an unknown or
/// malformed code. Archived or expired content still redirects.
pub async fn resolve(conn: &impl ConnectionTrait, code: &str) -> AppResult<Option<Link>> {
    if !tracking::is_well_formed(code) {
        return Ok(None);
    }
    // Anonymous by nature: the code itself names the share and its tenant.
    let Some(share) = shares::Entity::find()
        .filter(shares::Column::TrackingCode.eq(code))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let Some(item) = contents::Entity::find_by_id(share.content_id)
        .filter(contents::Column::OrganizationId.eq(share.organization_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let network = SocialNetwork::parse(&share.network).unwrap_or(SocialNetwork::Other);
    let target = tracking::redirect_target(&item.url, network, item.id);
    Ok(Some(Link { share, target }))
}

/// Counts a visit of `share`'s link unless the same visitor was counted in
/// the last 24 hours: one conditional INSERT ... SELECT ... WHERE NOT
/// EXISTS, so the redirect waits on a single short write. Returns whether
/// it counted. Runs on `conn`, so figures derived from clicks can be kept
/// in the same transaction.
pub async fn record(
    conn: &impl ConnectionTrait,
    share: &shares::Model,
    visitor_key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let recent = Query::select()
        .expr(Expr::val(1))
        .from(clicks::Entity)
        .and_where(Expr::col(clicks::Column::ShareId).eq(share.id))
        .and_where(Expr::col(clicks::Column::VisitorKey).eq(visitor_key))
        .and_where(Expr::col(clicks::Column::ClickedAt).gt(now - REPEAT_WINDOW))
        .to_owned();
    let id = Uuid::now_v7();
    let select = Query::select()
        .exprs([
            Expr::val(id),
            Expr::val(share.organization_id),
            Expr::val(share.id),
            Expr::val(share.content_id),
            Expr::val(share.user_id),
            Expr::val(share.network.clone()),
            Expr::val(now),
            Expr::val(visitor_key.to_owned()),
        ])
        .and_where(Expr::exists(recent).not())
        .to_owned();
    let insert = Query::insert()
        .into_table(clicks::Entity)
        .columns([
            clicks::Column::Id,
            clicks::Column::OrganizationId,
            clicks::Column::ShareId,
            clicks::Column::ContentId,
            clicks::Column::UserId,
            clicks::Column::Network,
            clicks::Column::ClickedAt,
            clicks::Column::VisitorKey,
        ])
        .select_from(select)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    let result = conn.execute(&insert).await?;
    if result.rows_affected() != 1 {
        return Ok(false);
    }
    let click = clicks::Model {
        id,
        organization_id: share.organization_id,
        share_id: share.id,
        content_id: share.content_id,
        user_id: share.user_id,
        network: share.network.clone(),
        clicked_at: now,
        visitor_key: visitor_key.to_owned(),
    };
    crate::analytics::rollups::on_click(conn, &click)
        .await
        .map_err(|e| DbErr::Custom(format!("engagement rollups: {e:?}")))?;
    Ok(true)
}

/// Handles a visit: resolves the link and, when `counted` and the visitor
/// is not a robot, records the click. The visitor key is a keyed hash of the address and
/// user agent; the address itself is never stored.
pub async fn visit(
    state: &AppState,
    code: &str,
    client: IpAddr,
    user_agent: &str,
    counted: bool,
) -> AppResult<Option<String>> {
    let Some(link) = resolve(&state.db, code).await? else {
        return Ok(None);
    };
    if counted && !tracking::is_robot(user_agent) {
        let visitor = state.keyed_hash(&format!("{client}\n{user_agent}"));
        let txn = state.db.begin().await?;
        record(&txn, &link.share, &visitor, state.clock.now()).await?;
        txn.commit().await?;
    }
    Ok(Some(link.target))
}

/// Counted clicks of each share.
pub async fn counts_of_shares(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    share_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = tenant::scoped::<clicks::Entity>(viewer)
        .filter(clicks::Column::ShareId.is_in(share_ids.iter().copied()))
        .select_only()
        .column(clicks::Column::ShareId)
        .column_as(clicks::Column::Id.count(), "n")
        .group_by(clicks::Column::ShareId)
        .into_tuple()
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, i64> = share_ids.iter().map(|id| (*id, 0)).collect();
    out.extend(rows);
    Ok(out)
}
