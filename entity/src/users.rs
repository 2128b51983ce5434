use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Lower-cased; unique across the deployment since sign-in is by email.
    pub email: String,
    pub display_name: String,
    pub language: String,
    pub password_hash: Option<String>,
    /// Comma-separated role names, EMPLOYEE always among them.
    pub roles: String,
    pub ambassador_status: String,
    pub enrolled_at: Option<DateTimeUtc>,
    pub status_changed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
