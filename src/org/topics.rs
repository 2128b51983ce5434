//! Topics that content is tagged with and employees follow.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use entity::{topic_follows, topics};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use crate::{
    auth::{Role, Viewer},
    domain::required_text,
    error::{AppResult, conflict_if_duplicate},
    tenant::Tenant,
};

pub async fn list(conn: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<topics::Model>> {
    Ok(Tenant::of(viewer)
        .find::<topics::Entity>()
        .order_by_asc(topics::Column::Name)
        .order_by_asc(topics::Column::Id)
        .all(conn)
        .await?)
}

pub async fn create(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    name: &str,
) -> AppResult<topics::Model> {
    viewer.require_any(&[Role::Curator])?;
    let name = required_text("name", name, 100)?;
    Tenant::of(viewer)
        .create(
            conn,
            topics::ActiveModel {
                id: Set(Uuid::now_v7()),
                name: Set(name),
                created_at: Set(now),
                ..Default::default()
            },
        )
        .await
        .map_err(conflict_if_duplicate(
            "a topic with this name already exists",
        ))
}

/// Follows a topic; following it again changes nothing.
pub async fn follow(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    topic_id: Uuid,
) -> AppResult<topics::Model> {
    let topic = Tenant::of(viewer)
        .get::<topics::Entity>(conn, topic_id, "topic")
        .await?;
    Tenant::of(viewer)
        .insert(topic_follows::ActiveModel {
            user_id: Set(viewer.user_id()),
            topic_id: Set(topic.id),
            created_at: Set(now),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([
            topic_follows::Column::UserId,
            topic_follows::Column::TopicId,
        ])
        .exec(conn)
        .await?;
    Ok(topic)
}

pub async fn unfollow(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    topic_id: Uuid,
) -> AppResult<topics::Model> {
    let topic = Tenant::of(viewer)
        .get::<topics::Entity>(conn, topic_id, "topic")
        .await?;
    Tenant::of(viewer)
        .delete_many::<topic_follows::Entity>()
        .filter(topic_follows::Column::UserId.eq(viewer.user_id()))
        .filter(topic_follows::Column::TopicId.eq(topic.id))
        .exec(conn)
        .await?;
    Ok(topic)
}

/// Whether the viewer follows each of `topic_ids` (for loaders).
pub async fn followed_by_viewer(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    topic_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, bool>> {
    let followed: HashSet<Uuid> = Tenant::of(viewer)
        .find::<topic_follows::Entity>()
        .filter(topic_follows::Column::UserId.eq(viewer.user_id()))
        .filter(topic_follows::Column::TopicId.is_in(topic_ids.iter().copied()))
        .select_only()
        .column(topic_follows::Column::TopicId)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(topic_ids
        .iter()
        .map(|id| (*id, followed.contains(id)))
        .collect())
}

/// The topics each given user follows, by name (for loaders).
pub async fn followed_by_users(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    user_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<topics::Model>>> {
    let links: Vec<(Uuid, Uuid)> = Tenant::of(viewer)
        .find::<topic_follows::Entity>()
        .filter(topic_follows::Column::UserId.is_in(user_ids.iter().copied()))
        .select_only()
        .column(topic_follows::Column::UserId)
        .column(topic_follows::Column::TopicId)
        .into_tuple()
        .all(conn)
        .await?;
    let by_id: HashMap<Uuid, topics::Model> = Tenant::of(viewer)
        .find::<topics::Entity>()
        .filter(topics::Column::Id.is_in(links.iter().map(|(_, t)| *t)))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut out: HashMap<Uuid, Vec<topics::Model>> = HashMap::new();
    for (user_id, topic_id) in links {
        if let Some(topic) = by_id.get(&topic_id) {
            out.entry(user_id).or_default().push(topic.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    Ok(out)
}
