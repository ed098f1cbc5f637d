use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub title: Json,
    pub description: Json,
    pub questions: Json,
    pub policy: String,
    pub anonymous: bool,
    pub opens_at: Option<DateTimeUtc>,
    pub closes_at: Option<DateTimeUtc>,
    pub results_public: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Raised by one with every change of the survey's responses.
    pub responses_version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
