//! Ballot secrecy in the idempotency records: a ballot cast under an `Idempotency-Key` keeps that
//! key (and whether the request was the first cast) on the ballot row itself, which holds no user
//! id, instead of a stored response next to the voter's account; and stored responses expire, found
//! by their creation day.
//!
//! Districts: a process says whether a resident votes in each district or in one of their choice
//! (`district_voting`), and the voters' register holds it: a voter's rows are unique per `slot`
//! (the district, or `*` for every district where a resident votes in one).
//!
//! Paper ballots: a ballot collected on paper and entered by staff is marked `paper`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, boolean_null, string_len, string_len_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BudgetBallots {
    Table,
    RequestKey,
    RequestFirst,
    Paper,
}

#[derive(DeriveIden)]
enum Budgets {
    Table,
    DistrictVoting,
}

#[derive(DeriveIden)]
enum BudgetVoters {
    Table,
    BudgetId,
    UserId,
    Slot,
}

const SLOT_INDEX: &str = "idx_budget_voters_slot";

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
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Budgets::Table)
                    .add_column(string_len(Budgets::DistrictVoting, 10).default("each"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(BudgetVoters::Table)
                    .add_column(string_len(BudgetVoters::Slot, 100).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(BudgetBallots::Table)
                    .add_column(boolean(BudgetBallots::Paper).default(false))
                    .to_owned(),
            )
            .await?;
        // Every process so far let residents vote in each district: the slot is the district.
        manager.get_connection().execute_unprepared("UPDATE budget_voters SET slot = district").await?;
        manager
            .create_index(
                Index::create()
                    .name(SLOT_INDEX)
                    .table(BudgetVoters::Table)
                    .col(BudgetVoters::BudgetId)
                    .col(BudgetVoters::UserId)
                    .col(BudgetVoters::Slot)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(SLOT_INDEX).table(BudgetVoters::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(BudgetBallots::Table).drop_column(BudgetBallots::Paper).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(BudgetVoters::Table).drop_column(BudgetVoters::Slot).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Budgets::Table).drop_column(Budgets::DistrictVoting).to_owned())
            .await?;
        manager.drop_index(Index::drop().name(EXPIRY_INDEX).table(IdempotencyKeys::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(BudgetBallots::Table).drop_column(BudgetBallots::RequestFirst).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(BudgetBallots::Table).drop_column(BudgetBallots::RequestKey).to_owned())
            .await
    }
}
