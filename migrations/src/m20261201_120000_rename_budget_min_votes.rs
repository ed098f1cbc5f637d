//! A process's threshold is on the score (approvals, points or positional points), not on the
//! number of ballots naming a project: `budgets.min_votes` becomes `budgets.min_score`, values kept.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Budgets {
    Table,
    MinVotes,
    MinScore,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Budgets::Table).rename_column(Budgets::MinVotes, Budgets::MinScore).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Budgets::Table).rename_column(Budgets::MinScore, Budgets::MinVotes).to_owned(),
            )
            .await
    }
}
