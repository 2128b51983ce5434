use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub individual_analytics: bool,
    pub minimum_group_size: i32,
    pub points_per_share: i32,
    pub charter_version: String,
    /// `{"LINKEDIN": 12.5, ...}`: cost per thousand impressions per network.
    pub cpm: Json,
    /// `{"LINKEDIN": 4000, ...}`: followers of the company's own accounts.
    pub company_followers: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
