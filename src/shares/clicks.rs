//! Following a tracking link: where it leads, and whether the visit counts
//! as a click (not a link-preview robot, not a repeat by the same visitor
//! within 24 hours).

use std::{collections::HashMap, net::IpAddr};

use chrono::{DateTime, Duration, Utc};
use entity::{clicks, contents, shares};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityName, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::{
    auth::{AddressKey, Viewer},
    domain::SocialNetwork,
    error::AppResult,
    tenant::{Tenant, global},
    tracking,
};

/// A repeat by the same visitor within this window counts once.
pub const REPEAT_WINDOW: Duration = Duration::hours(24);

/// The share behind a tracking link, with where it leads.
#[derive(Clone, Debug)]
pub struct Link {
    pub share: shares::Model,
    pub target: String,
}

/// The share and redirect target of `code`, with the tenant of the share;
/// None for an unknown or malformed code. Archived or expired content
/// still redirects.
pub async fn resolve(conn: &impl ConnectionTrait, code: &str) -> AppResult<Option<(Tenant, Link)>> {
    if !tracking::is_well_formed(code) {
        return Ok(None);
    }
    // Anonymous by nature: the code itself names the share and its tenant.
    let Some((tenant, share)) = global::share_by_tracking_code(conn, code).await? else {
        return Ok(None);
    };
    let Some(item) = tenant
        .find_by_id::<contents::Entity>(share.content_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let network = SocialNetwork::parse(&share.network).unwrap_or(SocialNetwork::Other);
    let target = tracking::redirect_target(&item.url, network, item.id);
    Ok(Some((tenant, Link { share, target })))
}

/// Counts a visit of `share`'s link unless the same visitor was counted in
/// the last 24 hours: one conditional INSERT ... SELECT ... WHERE NOT
/// EXISTS, so the redirect waits on a single short write. Returns whether
/// it counted. Runs on `conn`, so figures derived from clicks can be kept
/// in the same transaction.
pub async fn record(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    share: &shares::Model,
    visitor_key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let click = clicks::Model {
        id: Uuid::now_v7(),
        organization_id: tenant.org_id(),
        share_id: share.id,
        content_id: share.content_id,
        user_id: share.user_id,
        network: share.network.clone(),
        clicked_at: now,
        visitor_key: visitor_key.to_owned(),
    };
    let mut sql = tenant.sql();
    let id = sql.bind(click.id);
    let share_id = sql.bind(click.share_id);
    let content_id = sql.bind(click.content_id);
    let user_id = sql.bind(click.user_id);
    let network = sql.bind(click.network.clone());
    let at = sql.bind(now);
    let visitor = sql.bind(click.visitor_key.clone());
    let window_start = sql.bind(now - REPEAT_WINDOW);
    let table = clicks::Entity.table_name();
    sql.push(&format!(
        "INSERT INTO {table} (id, organization_id, share_id, content_id, user_id, network, clicked_at, visitor_key) \
         SELECT {id}, $1, {share_id}, {content_id}, {user_id}, {network}, {at}, {visitor} \
         WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE organization_id = $1 \
         AND share_id = {share_id} AND visitor_key = {visitor} AND clicked_at > {window_start})"
    ));
    if sql.execute(conn).await? != 1 {
        return Ok(false);
    }
    crate::analytics::rollups::on_click(conn, tenant, &click)
        .await
        .map_err(|e| DbErr::Custom(format!("engagement rollups: {e:?}")))?;
    Ok(true)
}

/// Handles a visit: resolves the link and, when `counted` and the visitor
/// is not a robot, records the click (in its own transaction, so a robot's
/// or a link checker's visit writes nothing). The visitor key is a keyed
/// hash of the address and user agent; the address itself is never stored.
pub async fn visit(
    db: &DatabaseConnection,
    address_key: &AddressKey,
    now: DateTime<Utc>,
    code: &str,
    client: IpAddr,
    user_agent: &str,
    counted: bool,
) -> AppResult<Option<String>> {
    let Some((tenant, link)) = resolve(db, code).await? else {
        return Ok(None);
    };
    if counted && !tracking::is_robot(user_agent) {
        let visitor = address_key.hash(&format!("{client}\n{user_agent}"));
        crate::db::write(db, async |txn| {
            Ok(record(txn, tenant, &link.share, &visitor, now).await?)
        })
        .await?;
    }
    Ok(Some(link.target))
}

/// Counted clicks of each share.
pub async fn counts_of_shares(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    share_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = Tenant::of(viewer)
        .find::<clicks::Entity>()
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
