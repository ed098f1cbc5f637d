use sea_orm::entity::prelude::*;

/// What was voted: no user id, a key only the server derives for its voter.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_ballots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub budget_id: Uuid,
    pub district: String,
    pub ballot_key: Option<String>,
    pub choices: Json,
    pub pabulib: Option<Json>,
    /// The `Idempotency-Key` of the request that last wrote the ballot, if it sent one.
    pub request_key: Option<String>,
    /// Whether that request cast the first ballot (201) or replaced one (200).
    pub request_first: Option<bool>,
    /// Collected on paper and entered by staff.
    pub paper: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
