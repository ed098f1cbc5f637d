//! When a consultation's opening was announced (`consultation.opened` published): set once, by
//! a conditional write, so the event goes out once however many servers watch the clock.
//! Consultations that opened before this migration count as announced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Consultations {
    Table,
    OpensAt,
    OpeningAnnouncedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Consultations::Table)
                    .add_column(timestamp_with_time_zone_null(Consultations::OpeningAnnouncedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Consultations::Table)
                    .value(Consultations::OpeningAnnouncedAt, Expr::col(Consultations::OpensAt))
                    .and_where(Expr::col(Consultations::OpensAt).lte(Expr::current_timestamp()))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Consultations::Table).drop_column(Consultations::OpeningAnnouncedAt).to_owned(),
            )
            .await
    }
}
