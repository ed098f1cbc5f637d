//! `surveys.responses_version`: raised by one (`SET responses_version = responses_version + 1`,
//! atomic in SQL) in the transaction of every write that changes a survey's responses, so that
//! results can be cached by the survey row alone rather than by counting its responses.
//! Existing surveys start at 0: the caches keyed by it live in the server's memory only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Surveys {
    Table,
    ResponsesVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Surveys::Table)
                    .add_column(big_integer(Surveys::ResponsesVersion).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Surveys::Table).drop_column(Surveys::ResponsesVersion).to_owned())
            .await
    }
}
