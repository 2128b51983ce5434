use sea_orm::entity::prelude::*;

/// Points earned, append-only: one row per first share of an item on a
/// network by a person (unique on organization, user, content, network).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "points_ledger")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub share_id: Uuid,
    pub content_id: Uuid,
    pub network: String,
    pub points: i32,
    pub awarded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
