//! The tenant scope: every statement on an organization's data is built by
//! a [`Tenant`], the handle of one organization, made from the request's
//! [`Viewer`] (`Tenant::of(&viewer)`). It filters every read, update and
//! delete by the organization, sets `organization_id` on every insert, and
//! binds the organization as `$1` of every raw statement ([`Sql`]).
//!
//! The few paths that start before anyone is known (sign-in by email, a
//! refresh token, a tracking link, creating an organization) go through the
//! named lookups of [`global`], which hand back the row found together with
//! the `Tenant` it belongs to; tables of no organization (`login_failures`)
//! are reached only through functions there too.
//!
//! Outside this module, SeaORM's own entry points (`Entity::find`,
//! `ActiveModel::insert`, `update_many`, raw statements...) are a clippy
//! error (`clippy.toml`): a statement that forgets its organization does
//! not compile cleanly.

#![allow(
    clippy::disallowed_methods,
    reason = "the tenant scope is where statements are built"
)]

pub mod global;
mod sql;

use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, Condition, ConnectionTrait, DbErr, DeleteMany,
    EntityName, EntityTrait, Insert, InsertMany, IntoActiveModel, Iterable, PrimaryKeyToColumn,
    PrimaryKeyTrait, QueryFilter, Select, UpdateMany, Value,
};
use uuid::Uuid;

pub use sql::Sql;

use crate::{
    auth::Viewer,
    error::{AppError, AppResult},
};

/// One organization's data. Copy it freely; every statement built through
/// it stays within the organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tenant {
    org_id: Uuid,
}

/// A table whose rows belong to one organization.
pub trait TenantEntity: EntityTrait {
    /// The column holding the organization id (`id` for `organizations`).
    fn org_column() -> Self::Column;
}

/// The primary key of `E` as SeaORM takes it.
pub type Key<E> = <<E as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType;
type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

macro_rules! tenant_entities {
    ($($module:ident => $column:ident),* $(,)?) => {
        $(impl TenantEntity for entity::$module::Entity {
            fn org_column() -> Self::Column {
                entity::$module::Column::$column
            }
        })*

        /// The tables registered as tenant data, by name.
        pub fn registered_tables() -> Vec<&'static str> {
            vec![$(entity::$module::Entity.table_name()),*]
        }
    };
}

tenant_entities! {
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
    engagement_network_days => OrganizationId,
    engagement_content_days => OrganizationId,
    engagement_content_weeks => OrganizationId,
    engagement_content_months => OrganizationId,
    engagement_user_days => OrganizationId,
    engagement_user_weeks => OrganizationId,
    engagement_user_months => OrganizationId,
    audit_entries => OrganizationId,
}

impl Tenant {
    /// The organization of the signed-in caller: how every request starts.
    pub fn of(viewer: &Viewer) -> Self {
        Self {
            org_id: viewer.org_id(),
        }
    }

    /// An organization's data written by a tool rather than a request (the
    /// benchmark dataset, tests that load history in bulk). Never from
    /// request input.
    pub fn seeding(org_id: Uuid) -> Self {
        Self { org_id }
    }

    /// For lookups of [`global`]: the organization a row found by an
    /// organization-less key belongs to.
    fn owning(org_id: Uuid) -> Self {
        Self { org_id }
    }

    pub fn org_id(self) -> Uuid {
        self.org_id
    }

    /// `E.organization_id = <this organization>`, for joins and subqueries
    /// whose table the statement's own filter does not cover.
    pub fn owns<E: TenantEntity>(self) -> Condition {
        Condition::all().add(E::org_column().eq(self.org_id))
    }

    /// Rows of `E` in the organization.
    pub fn find<E: TenantEntity>(self) -> Select<E> {
        E::find().filter(self.owns::<E>())
    }

    /// The row of `E` with this primary key, if it is the organization's.
    pub fn find_by_id<E: TenantEntity>(self, id: impl Into<Key<E>>) -> Select<E> {
        E::find_by_id(id).filter(self.owns::<E>())
    }

    /// One row by primary key; NOT_FOUND (naming `what`) otherwise, so
    /// another organization's id reads exactly like an unknown one.
    pub async fn get<E: TenantEntity>(
        self,
        conn: &impl ConnectionTrait,
        id: impl Into<Key<E>>,
        what: &'static str,
    ) -> AppResult<E::Model> {
        self.find_by_id::<E>(id)
            .one(conn)
            .await?
            .ok_or(AppError::NotFound(what))
    }

    /// An INSERT of `model` into the organization (its `organization_id`
    /// is set here), to add `on_conflict` to and execute.
    pub fn insert<A>(self, model: A) -> Insert<A>
    where
        A: ActiveModelTrait,
        A::Entity: TenantEntity,
    {
        A::Entity::insert(self.claim(model))
    }

    /// An INSERT of many rows into the organization.
    pub fn insert_many<A>(self, models: impl IntoIterator<Item = A>) -> InsertMany<A>
    where
        A: ActiveModelTrait,
        A::Entity: TenantEntity,
    {
        A::Entity::insert_many(models.into_iter().map(|m| self.claim(m)))
    }

    /// Inserts one row into the organization and returns it as stored.
    pub async fn create<A>(self, conn: &impl ConnectionTrait, model: A) -> Result<ModelOf<A>, DbErr>
    where
        A: ActiveModelTrait + Send,
        A::Entity: TenantEntity,
        ModelOf<A>: IntoActiveModel<A>,
    {
        self.insert(model).exec_with_returning(conn).await
    }

    /// Updates the row of `model`'s primary key, if it is the
    /// organization's, with the columns set in `model`, and returns the row
    /// as stored. `RecordNotUpdated` when no such row is the organization's.
    pub async fn update<A>(self, conn: &impl ConnectionTrait, model: A) -> Result<ModelOf<A>, DbErr>
    where
        A: ActiveModelTrait + Send,
        A::Entity: TenantEntity,
        ModelOf<A>: IntoActiveModel<A>,
    {
        let org = <A::Entity as TenantEntity>::org_column();
        if let ActiveValue::Set(v) | ActiveValue::Unchanged(v) = model.get(org)
            && v != Value::from(self.org_id)
        {
            return Err(DbErr::RecordNotUpdated);
        }
        if !model.is_changed() {
            let key = model
                .get_primary_key_value()
                .ok_or(DbErr::UpdateGetPrimaryKey)?;
            let mut by_key = self.find::<A::Entity>();
            for (pk, value) in <A::Entity as EntityTrait>::PrimaryKey::iter().zip(key) {
                by_key = by_key.filter(pk.into_column().eq(value));
            }
            return by_key.one(conn).await?.ok_or(DbErr::RecordNotUpdated);
        }
        A::Entity::update(model)
            .validate()?
            .filter(self.owns::<A::Entity>())
            .exec(conn)
            .await
    }

    /// An UPDATE of rows of `E` in the organization, to add `col_expr` and
    /// filters to.
    pub fn update_many<E: TenantEntity>(self) -> UpdateMany<E> {
        E::update_many().filter(self.owns::<E>())
    }

    /// A DELETE of rows of `E` in the organization, to add filters to.
    pub fn delete_many<E: TenantEntity>(self) -> DeleteMany<E> {
        E::delete_many().filter(self.owns::<E>())
    }

    /// A raw statement whose `$1` is the organization id. Every table it
    /// reads or writes must be filtered by `organization_id = $1`.
    pub fn sql(self) -> Sql {
        Sql::new(self.org_id)
    }

    /// `model` with its organization column set to this organization.
    fn claim<A>(self, mut model: A) -> A
    where
        A: ActiveModelTrait,
        A::Entity: TenantEntity,
    {
        model.set(
            <A::Entity as TenantEntity>::org_column(),
            self.org_id.into(),
        );
        model
    }
}
