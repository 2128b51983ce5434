use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// A `ContentKind` name, e.g. ARTICLE.
    pub kind: String,
    pub title: String,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub url: String,
    pub image_url: Option<String>,
    /// BCP 47 tag; None means every language.
    pub language: Option<String>,
    pub pinned: bool,
    /// Whether the item has target groups (none means the whole organization).
    pub targeted: bool,
    pub publish_at: Option<DateTimeUtc>,
    pub expires_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
