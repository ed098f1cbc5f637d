use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub title: Json,
    pub summary: Json,
    pub body: Json,
    pub subject: String,
    pub documents: Json,
    pub sections: Json,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub allow_anonymous: bool,
    pub opinions_public: bool,
    pub survey_id: Option<Uuid>,
    pub about_type: Option<String>,
    pub about_id: Option<Uuid>,
    pub report_text: Option<Json>,
    pub report_published_at: Option<DateTimeUtc>,
    pub opening_announced_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
