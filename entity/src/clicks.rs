use sea_orm::entity::prelude::*;

/// A counted click on a tracking link (robots and 24-hour repeats are not stored).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "clicks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub share_id: Uuid,
    /// The share's content, copied for reports.
    pub content_id: Uuid,
    /// The sharer, copied for reports.
    pub user_id: Uuid,
    /// The share's network, copied for reports.
    pub network: String,
    pub clicked_at: DateTimeUtc,
    /// HMAC of the visitor's address and user agent.
    pub visitor_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
