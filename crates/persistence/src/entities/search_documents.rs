use sea_orm::entity::prelude::*;

/// One public resource in the search index. On PostgreSQL the table also has the generated
/// `tsv` column, which this entity leaves to the database.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "search_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub resource_id: Uuid,
    pub org_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: Json,
    pub body: Json,
    pub title_folded: String,
    pub body_folded: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
