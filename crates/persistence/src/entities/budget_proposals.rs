use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_proposals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub budget_id: Uuid,
    pub org_id: Uuid,
    pub author_id: Option<Uuid>,
    pub code: String,
    pub title: Json,
    pub description: Json,
    pub category: Option<String>,
    pub district: Option<String>,
    pub location: Option<String>,
    pub estimated_cost: i64,
    pub images: Json,
    pub review: String,
    pub review_reason: Option<String>,
    pub validated_cost: Option<i64>,
    pub supports: i32,
    pub works: Option<String>,
    pub amount_spent: Option<i64>,
    pub pabulib_extra: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
