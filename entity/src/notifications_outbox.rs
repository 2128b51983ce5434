use sea_orm::entity::prelude::*;

/// Messages waiting for a delivery worker (push or email); `delivered_at`
/// stays null until one has sent them.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub recipient_id: Uuid,
    /// What the message is, e.g. `AMBASSADOR_INVITATION`.
    pub kind: String,
    pub payload: Json,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
