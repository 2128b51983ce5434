use sea_orm::entity::prelude::*;

/// One change by HR, an ADMIN, SCIM or the system. Append-only: the
/// database refuses an UPDATE; rows leave only by retention.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub at: DateTimeUtc,
    /// `USER`, `SCIM` or `SYSTEM`.
    pub actor_kind: String,
    /// The user who acted; null for SCIM and the system.
    pub actor_user_id: Option<Uuid>,
    /// E.g. `user.create`.
    pub action: String,
    /// The id of what was changed.
    pub target_id: Option<Uuid>,
    /// A small JSON object of non-secret details; never a name or an email.
    pub details: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
