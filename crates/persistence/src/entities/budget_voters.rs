use sea_orm::entity::prelude::*;

/// Who voted, in which process and district: nothing about what.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_voters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub budget_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub district: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// The district, or `*` for every district where a resident votes in one only: unique per
    /// voter and process, so the database holds the process's district rule.
    pub slot: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
