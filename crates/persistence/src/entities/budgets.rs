use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budgets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub title: Json,
    pub rules_text: Json,
    pub total: i64,
    pub currency: String,
    pub districts: Json,
    pub categories: Json,
    pub schedule: Json,
    pub phase: String,
    pub supports_threshold: Option<i32>,
    pub ballot_rule: Json,
    pub outcome_rule: String,
    pub min_score: i64,
    pub requires_verified: bool,
    /// `each` or `one`: where a resident may vote in a process with districts.
    pub district_voting: String,
    pub pabulib: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
