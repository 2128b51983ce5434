//! What is shown with each item (topics, target groups, suggested texts,
//! share counts), read for a whole page of items at once by the loaders.

use std::collections::{HashMap, HashSet};

use entity::{content_groups, content_suggested_texts, content_topics, contents, groups, topics};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::{auth::Viewer, domain::SocialNetwork, error::AppResult, tenant::Tenant};

/// A value for every key, so the request's cache also remembers "none".
fn every_key<V>(keys: &[Uuid], empty: impl Fn() -> V) -> HashMap<Uuid, V> {
    keys.iter().map(|k| (*k, empty())).collect()
}

/// The topics of each item, by name.
pub async fn topics_of(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    content_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<topics::Model>>> {
    let links: Vec<(Uuid, Uuid)> = Tenant::of(viewer)
        .find::<content_topics::Entity>()
        .filter(content_topics::Column::ContentId.is_in(content_ids.iter().copied()))
        .select_only()
        .column(content_topics::Column::ContentId)
        .column(content_topics::Column::TopicId)
        .into_tuple()
        .all(conn)
        .await?;
    let wanted: HashSet<Uuid> = links.iter().map(|(_, t)| *t).collect();
    let by_id: HashMap<Uuid, topics::Model> = Tenant::of(viewer)
        .find::<topics::Entity>()
        .filter(topics::Column::Id.is_in(wanted))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut out = every_key(content_ids, Vec::new);
    for (content_id, topic_id) in links {
        if let Some(topic) = by_id.get(&topic_id) {
            out.entry(content_id).or_default().push(topic.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    Ok(out)
}

/// The target groups of each item, by name.
pub async fn groups_of(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    content_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<groups::Model>>> {
    let links: Vec<(Uuid, Uuid)> = Tenant::of(viewer)
        .find::<content_groups::Entity>()
        .filter(content_groups::Column::ContentId.is_in(content_ids.iter().copied()))
        .select_only()
        .column(content_groups::Column::ContentId)
        .column(content_groups::Column::GroupId)
        .into_tuple()
        .all(conn)
        .await?;
    let wanted: HashSet<Uuid> = links.iter().map(|(_, g)| *g).collect();
    let by_id: HashMap<Uuid, groups::Model> = Tenant::of(viewer)
        .find::<groups::Entity>()
        .filter(groups::Column::Id.is_in(wanted))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut out = every_key(content_ids, Vec::new);
    for (content_id, group_id) in links {
        if let Some(group) = by_id.get(&group_id) {
            out.entry(content_id).or_default().push(group.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    Ok(out)
}

/// The suggested texts of each item, in the order of `SocialNetwork`.
pub async fn suggested_texts_of(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    content_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<(SocialNetwork, String)>>> {
    let rows = Tenant::of(viewer)
        .find::<content_suggested_texts::Entity>()
        .filter(content_suggested_texts::Column::ContentId.is_in(content_ids.iter().copied()))
        .all(conn)
        .await?;
    let mut out = every_key(content_ids, Vec::new);
    for row in rows {
        if let Some(network) = SocialNetwork::parse(&row.network) {
            out.entry(row.content_id)
                .or_default()
                .push((network, row.text));
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|(network, _)| *network);
    }
    Ok(out)
}

/// Shares recorded for each item, by everyone, and whether the viewer has
/// recorded at least one of them: both in one statement. The counts come
/// from the per-month rollups (a few rows per item, kept in each share's
/// transaction), not from counting the shares, which popular items have by
/// the thousand.
pub async fn share_stats(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    content_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, ShareStats>> {
    let mut out = every_key(content_ids, ShareStats::default);
    if content_ids.is_empty() {
        return Ok(out);
    }
    let mut sql = Tenant::of(viewer).sql();
    let me = sql.bind(viewer.user_id());
    let ids: Vec<String> = content_ids.iter().map(|id| sql.bind(*id)).collect();
    let ids = ids.join(", ");
    sql.push(&format!(
        "SELECT content_id AS k, CAST(SUM(shares) AS BIGINT) AS n, 0 AS mine \
         FROM engagement_content_months WHERE organization_id = $1 AND content_id IN ({ids}) \
         GROUP BY content_id \
         UNION ALL \
         SELECT content_id AS k, 0 AS n, 1 AS mine FROM shares \
         WHERE organization_id = $1 AND user_id = {me} AND content_id IN ({ids}) GROUP BY content_id"
    ));
    for row in sql.all(conn).await? {
        let stats = out.entry(row.try_get::<Uuid>("", "k")?).or_default();
        stats.count += row.try_get::<Option<i64>>("", "n")?.unwrap_or(0);
        stats.by_viewer |= row.try_get::<i32>("", "mine")? > 0;
    }
    Ok(out)
}

/// The shares of one item.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShareStats {
    /// Recorded by everyone.
    pub count: i64,
    /// Whether the viewer recorded at least one.
    pub by_viewer: bool,
}

/// The items with these ids, whatever their status (a share keeps showing
/// the item it shared).
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, contents::Model>> {
    Ok(Tenant::of(viewer)
        .find::<contents::Entity>()
        .filter(contents::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}
