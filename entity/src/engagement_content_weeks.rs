use sea_orm::entity::prelude::*;

/// Engagement rollup: shares, their potential reach and the clicks on their
/// links per week (its first day; weeks are days 1–7, 8–14, 15–21, 22–28 and 29
/// to the end of the month), content item and network, kept by
/// `analytics::rollups`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "engagement_content_weeks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub week: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub content_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub network: String,
    pub shares: i64,
    pub potential_reach: i64,
    pub clicks: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
