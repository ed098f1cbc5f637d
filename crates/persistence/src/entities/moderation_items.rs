use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: Uuid,
    pub org_id: Uuid,
    pub open_reports: i32,
    pub last_reported_at: DateTimeUtc,
    pub hidden_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
