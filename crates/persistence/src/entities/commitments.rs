use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "commitments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub action_plan_id: Uuid,
    pub title: Json,
    pub lead: String,
    pub supporting_actors: Json,
    pub problem: Json,
    pub status_quo: Json,
    pub objective: Json,
    pub ogp_values: Json,
    pub theme: Option<String>,
    pub budget: Option<i64>,
    pub irm: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
