use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "shares")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub content_id: Uuid,
    /// A `SocialNetwork` name, e.g. LINKEDIN.
    pub network: String,
    pub comment: Option<String>,
    pub shared_at: DateTimeUtc,
    /// The sharer's declared followers on that network when recorded.
    pub potential_reach: i64,
    pub idempotency_key: String,
    /// Hash of the request's input, to tell a replay from a conflicting reuse of the key.
    pub request_hash: String,
    /// Code of the tracking link, served at /r/{code}.
    pub tracking_code: String,
    pub points_awarded: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
