//! Groups of employees, used to target content and to slice engagement.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use entity::{group_members, groups, users};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use crate::{
    audit::{self, Action, Actor, Entry},
    auth::{Role, Viewer},
    domain::required_text,
    error::{AppError, AppResult, conflict_if_duplicate},
    tenant::Tenant,
};

pub const MAX_MEMBERS_PER_CALL: usize = 10_000;

pub async fn list(conn: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<groups::Model>> {
    Ok(Tenant::of(viewer)
        .find::<groups::Entity>()
        .order_by_asc(groups::Column::Name)
        .order_by_asc(groups::Column::Id)
        .all(conn)
        .await?)
}

/// HR or ADMIN: creates a group, in the caller's transaction.
pub async fn create(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    name: &str,
) -> AppResult<groups::Model> {
    viewer.require_any(&[Role::Hr])?;
    let name = required_text("name", name, 200)?;
    let group = Tenant::of(viewer)
        .create(
            conn,
            groups::ActiveModel {
                id: Set(Uuid::now_v7()),
                name: Set(name),
                created_at: Set(now),
                ..Default::default()
            },
        )
        .await
        .map_err(conflict_if_duplicate(
            "a group with this name already exists",
        ))?;
    audit::record(
        conn,
        Tenant::of(viewer),
        now,
        Entry::new(Actor::user(viewer), Action::GroupCreate, Some(group.id))
            .details(serde_json::json!({ "name": group.name })),
    )
    .await?;
    Ok(group)
}

/// Replaces the group's members with `user_ids`, all or nothing: in the
/// caller's transaction.
pub async fn set_members(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    group_id: Uuid,
    user_ids: &[Uuid],
) -> AppResult<groups::Model> {
    viewer.require_any(&[Role::Hr])?;
    if user_ids.len() > MAX_MEMBERS_PER_CALL {
        return Err(AppError::bad_input(format!(
            "at most {MAX_MEMBERS_PER_CALL} members per call"
        )));
    }
    let wanted: BTreeSet<Uuid> = user_ids.iter().copied().collect();
    let group = Tenant::of(viewer)
        .get::<groups::Entity>(conn, group_id, "group")
        .await?;
    let mut found = 0;
    for chunk in wanted.iter().copied().collect::<Vec<_>>().chunks(500) {
        found += Tenant::of(viewer)
            .find::<users::Entity>()
            .filter(users::Column::Id.is_in(chunk.iter().copied()))
            .select_only()
            .column(users::Column::Id)
            .into_tuple::<Uuid>()
            .all(conn)
            .await?
            .len();
    }
    if found != wanted.len() {
        return Err(AppError::NotFound("user"));
    }
    let before: BTreeSet<Uuid> = Tenant::of(viewer)
        .find::<group_members::Entity>()
        .filter(group_members::Column::GroupId.eq(group.id))
        .select_only()
        .column(group_members::Column::UserId)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Tenant::of(viewer)
        .delete_many::<group_members::Entity>()
        .filter(group_members::Column::GroupId.eq(group.id))
        .exec(conn)
        .await?;
    for chunk in wanted.iter().copied().collect::<Vec<_>>().chunks(500) {
        Tenant::of(viewer)
            .insert_many(chunk.iter().map(|user_id| group_members::ActiveModel {
                group_id: Set(group.id),
                user_id: Set(*user_id),
                ..Default::default()
            }))
            .exec(conn)
            .await?;
    }
    // Counts only: a group may have thousands of members.
    audit::record(
        conn,
        Tenant::of(viewer),
        now,
        Entry::new(Actor::user(viewer), Action::GroupMembers, Some(group.id)).details(
            serde_json::json!({
                "members": wanted.len(),
                "added": wanted.difference(&before).count(),
                "removed": before.difference(&wanted).count(),
            }),
        ),
    )
    .await?;
    Ok(group)
}

/// Current member counts of the given groups (for loaders).
pub async fn member_counts(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    group_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = Tenant::of(viewer)
        .find::<group_members::Entity>()
        .filter(group_members::Column::GroupId.is_in(group_ids.iter().copied()))
        .select_only()
        .column(group_members::Column::GroupId)
        .column_as(group_members::Column::UserId.count(), "n")
        .group_by(group_members::Column::GroupId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The groups of each given user, by name (for loaders).
pub async fn of_users(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    user_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<groups::Model>>> {
    let links: Vec<(Uuid, Uuid)> = Tenant::of(viewer)
        .find::<group_members::Entity>()
        .filter(group_members::Column::UserId.is_in(user_ids.iter().copied()))
        .select_only()
        .column(group_members::Column::UserId)
        .column(group_members::Column::GroupId)
        .into_tuple()
        .all(conn)
        .await?;
    let group_ids: BTreeSet<Uuid> = links.iter().map(|(_, g)| *g).collect();
    let by_id: HashMap<Uuid, groups::Model> = Tenant::of(viewer)
        .find::<groups::Entity>()
        .filter(groups::Column::Id.is_in(group_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut out: HashMap<Uuid, Vec<groups::Model>> = HashMap::new();
    for (user_id, group_id) in links {
        if let Some(group) = by_id.get(&group_id) {
            out.entry(user_id).or_default().push(group.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    Ok(out)
}
