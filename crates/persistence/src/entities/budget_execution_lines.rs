use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_execution_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year_id: Uuid,
    pub position: i32,
    pub code: String,
    pub programme_code: String,
    pub programme_name: Json,
    pub subprogramme_code: String,
    pub subprogramme_name: Json,
    pub economic_code: String,
    pub name: Json,
    pub planned: i64,
    pub amended: Option<i64>,
    pub executed: Json,
    pub commitment_id: Option<Uuid>,
    pub participatory_budget_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
