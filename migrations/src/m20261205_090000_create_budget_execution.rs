//! The municipal budget in the open: a published year per organisation, its lines (programme,
//! sub-programme, economic classification, planned, amended and executed amounts per period, in
//! the currency's minor units) and its numbered revisions, each keeping every line's amounts so
//! the changes between amendments can be shown.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BudgetExecutionYears {
    Table,
    Id,
    OrgId,
    Year,
    Periods,
    Currency,
    Revision,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BudgetExecutionLines {
    Table,
    Id,
    YearId,
    Position,
    Code,
    ProgrammeCode,
    ProgrammeName,
    SubprogrammeCode,
    SubprogrammeName,
    EconomicCode,
    Name,
    Planned,
    Amended,
    Executed,
    CommitmentId,
    ParticipatoryBudgetId,
}

#[derive(DeriveIden)]
enum BudgetExecutionRevisions {
    Table,
    Id,
    YearId,
    Number,
    Note,
    Source,
    AuthorId,
    Lines,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Commitments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Budgets {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BudgetExecutionYears::Table)
                    .col(uuid(BudgetExecutionYears::Id).primary_key())
                    .col(uuid(BudgetExecutionYears::OrgId))
                    .col(integer(BudgetExecutionYears::Year))
                    .col(string_len(BudgetExecutionYears::Periods, 8))
                    .col(string_len(BudgetExecutionYears::Currency, 3))
                    .col(integer(BudgetExecutionYears::Revision))
                    .col(timestamp_with_time_zone(BudgetExecutionYears::CreatedAt))
                    .col(timestamp_with_time_zone(BudgetExecutionYears::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BudgetExecutionYears::Table, BudgetExecutionYears::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One budget per organisation and year (two first imports racing: one wins).
        manager
            .create_index(
                Index::create()
                    .name("idx_budget_execution_years_org_year")
                    .table(BudgetExecutionYears::Table)
                    .col(BudgetExecutionYears::OrgId)
                    .col(BudgetExecutionYears::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetExecutionLines::Table)
                    .col(uuid(BudgetExecutionLines::Id).primary_key())
                    .col(uuid(BudgetExecutionLines::YearId))
                    .col(integer(BudgetExecutionLines::Position))
                    .col(string_len(BudgetExecutionLines::Code, 40))
                    .col(string_len(BudgetExecutionLines::ProgrammeCode, 40))
                    .col(json(BudgetExecutionLines::ProgrammeName))
                    .col(string_len(BudgetExecutionLines::SubprogrammeCode, 40))
                    .col(json(BudgetExecutionLines::SubprogrammeName))
                    .col(string_len(BudgetExecutionLines::EconomicCode, 40))
                    .col(json(BudgetExecutionLines::Name))
                    .col(big_integer(BudgetExecutionLines::Planned))
                    .col(big_integer_null(BudgetExecutionLines::Amended))
                    .col(json(BudgetExecutionLines::Executed))
                    .col(uuid_null(BudgetExecutionLines::CommitmentId))
                    .col(uuid_null(BudgetExecutionLines::ParticipatoryBudgetId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BudgetExecutionLines::Table, BudgetExecutionLines::YearId)
                            .to(BudgetExecutionYears::Table, BudgetExecutionYears::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BudgetExecutionLines::Table, BudgetExecutionLines::CommitmentId)
                            .to(Commitments::Table, Commitments::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BudgetExecutionLines::Table, BudgetExecutionLines::ParticipatoryBudgetId)
                            .to(Budgets::Table, Budgets::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_budget_execution_lines_code")
                    .table(BudgetExecutionLines::Table)
                    .col(BudgetExecutionLines::YearId)
                    .col(BudgetExecutionLines::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetExecutionRevisions::Table)
                    .col(uuid(BudgetExecutionRevisions::Id).primary_key())
                    .col(uuid(BudgetExecutionRevisions::YearId))
                    .col(integer(BudgetExecutionRevisions::Number))
                    .col(text(BudgetExecutionRevisions::Note))
                    .col(string_len(BudgetExecutionRevisions::Source, 16))
                    .col(uuid_null(BudgetExecutionRevisions::AuthorId))
                    .col(json(BudgetExecutionRevisions::Lines))
                    .col(timestamp_with_time_zone(BudgetExecutionRevisions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BudgetExecutionRevisions::Table, BudgetExecutionRevisions::YearId)
                            .to(BudgetExecutionYears::Table, BudgetExecutionYears::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BudgetExecutionRevisions::Table, BudgetExecutionRevisions::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_budget_execution_revisions_number")
                    .table(BudgetExecutionRevisions::Table)
                    .col(BudgetExecutionRevisions::YearId)
                    .col(BudgetExecutionRevisions::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            BudgetExecutionRevisions::Table.into_iden(),
            BudgetExecutionLines::Table.into_iden(),
            BudgetExecutionYears::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
