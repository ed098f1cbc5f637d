//! Ballot secrecy in the idempotency records: a ballot cast under an `Idempotency-Key` keeps that
//! key (and whether the request was the first cast) on the ballot row itself, which holds no user
//! id, instead of a stored response next to the voter's account; and stored responses expire, found
//! by their creation day.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean_null, string_len_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BudgetBallots {
    Table,
    RequestKey,
    RequestFirst,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    CreatedAt,
}

const EXPIRY_INDEX: &str = "idx_idempotency_keys_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(BudgetBallots::Table)
                    .add_column(string_len_null(BudgetBallots::RequestKey, 255))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(BudgetBallots::Table)
                    .add_column(boolean_null(BudgetBallots::RequestFirst))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(EXPIRY_INDEX)
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(EXPIRY_INDEX).table(IdempotencyKeys::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(BudgetBallots::Table).drop_column(BudgetBallots::RequestFirst).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(BudgetBallots::Table).drop_column(BudgetBallots::RequestKey).to_owned())
            .await
    }
}
