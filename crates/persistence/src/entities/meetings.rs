use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub title: Json,
    pub description: Json,
    pub kind: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub link_for_registrants_only: bool,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub organiser: String,
    pub agenda: Json,
    pub links: Json,
    pub status: String,
    pub cancel_reason: Option<String>,
    pub registration_open: bool,
    pub capacity: Option<i32>,
    pub registration_deadline: Option<DateTimeUtc>,
    pub waiting_list: bool,
    pub confirmed_count: i32,
    pub minutes: Option<Json>,
    pub attendance: Option<i32>,
    pub attachments: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
