//! Tenant scope in one place: every read and write of tenant data starts
//! from `scoped`, `scoped_update` or `scoped_delete`, which filter by the
//! viewer's organization. A resolver cannot reach a table without it.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DeleteMany, EntityTrait, QueryFilter, Select, UpdateMany,
};
use uuid::Uuid;

use crate::{
    auth::Viewer,
    error::{AppError, AppResult},
};

/// A table whose rows belong to one organization.
pub trait TenantEntity: EntityTrait {
    fn org_column() -> Self::Column;
}

macro_rules! tenant_entity {
    ($($module:ident => $column:ident),* $(,)?) => {
        $(impl TenantEntity for entity::$module::Entity {
            fn org_column() -> Self::Column {
                entity::$module::Column::$column
            }
        })*
    };
}

tenant_entity! {
    organizations => Id,
    users => OrganizationId,
    groups => OrganizationId,
    group_members => OrganizationId,
    topics => OrganizationId,
    topic_follows => OrganizationId,
    refresh_tokens => OrganizationId,
    social_accounts => OrganizationId,
    consent_records => OrganizationId,
    invitations => OrganizationId,
    notifications_outbox => OrganizationId,
    device_tokens => OrganizationId,
    contents => OrganizationId,
    content_topics => OrganizationId,
    content_groups => OrganizationId,
    content_suggested_texts => OrganizationId,
    content_dismissals => OrganizationId,
    content_versions => OrganizationId,
    shares => OrganizationId,
    clicks => OrganizationId,
    points_ledger => OrganizationId,
}

/// Rows of `E` in the viewer's organization.
pub fn scoped<E: TenantEntity>(viewer: &Viewer) -> Select<E> {
    E::find().filter(E::org_column().eq(viewer.org_id))
}

pub fn scoped_update<E: TenantEntity>(viewer: &Viewer) -> UpdateMany<E> {
    E::update_many().filter(E::org_column().eq(viewer.org_id))
}

pub fn scoped_delete<E: TenantEntity>(viewer: &Viewer) -> DeleteMany<E> {
    E::delete_many().filter(E::org_column().eq(viewer.org_id))
}

/// One row by primary key within the organization; NOT_FOUND otherwise, so
/// another organization's id reads exactly like an unknown one.
pub async fn find_one<E, C>(
    conn: &C,
    viewer: &Viewer,
    id: Uuid,
    what: &'static str,
) -> AppResult<E::Model>
where
    E: TenantEntity,
    C: ConnectionTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    scoped::<E>(viewer)
        .filter(primary_key_eq::<E>(id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound(what))
}

fn primary_key_eq<E: EntityTrait>(id: Uuid) -> sea_orm::Condition {
    use sea_orm::{Iterable, PrimaryKeyToColumn};
    let mut cond = sea_orm::Condition::all();
    if let Some(pk) = E::PrimaryKey::iter().next() {
        cond = cond.add(pk.into_column().eq(id));
    }
    cond
}
