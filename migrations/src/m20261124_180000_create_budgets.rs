//! Participatory budgets: processes, proposals, supports, the voters' register and the ballots.
//!
//! Secrecy is in the shape: `budget_voters` (who voted) and `budget_ballots` (what was voted) share
//! no column but the process and district. A ballot has a random (v4) id, a key only the server
//! can derive for its voter, and day-precision times, so neither ids nor timestamps line the two
//! tables up.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Budgets {
    Table,
    Id,
    OrgId,
    Title,
    RulesText,
    Total,
    Currency,
    Districts,
    Categories,
    Schedule,
    Phase,
    SupportsThreshold,
    BallotRule,
    OutcomeRule,
    MinVotes,
    RequiresVerified,
    Pabulib,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BudgetProposals {
    Table,
    Id,
    BudgetId,
    OrgId,
    AuthorId,
    Code,
    Title,
    Description,
    Category,
    District,
    Location,
    EstimatedCost,
    Images,
    Review,
    ReviewReason,
    ValidatedCost,
    Supports,
    Works,
    AmountSpent,
    PabulibExtra,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BudgetSupports {
    Table,
    ProposalId,
    UserId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BudgetVoters {
    Table,
    BudgetId,
    District,
    UserId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BudgetBallots {
    Table,
    Id,
    BudgetId,
    District,
    BallotKey,
    Choices,
    Pabulib,
    CreatedAt,
    UpdatedAt,
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

fn cascade(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Budgets::Table)
                    .col(uuid(Budgets::Id).primary_key())
                    .col(uuid(Budgets::OrgId))
                    .col(json_binary(Budgets::Title))
                    .col(json_binary(Budgets::RulesText))
                    .col(big_integer(Budgets::Total))
                    .col(string_len(Budgets::Currency, 3))
                    .col(json_binary(Budgets::Districts))
                    .col(json_binary(Budgets::Categories))
                    .col(json_binary(Budgets::Schedule))
                    .col(string_len(Budgets::Phase, 32))
                    .col(integer_null(Budgets::SupportsThreshold))
                    .col(json_binary(Budgets::BallotRule))
                    .col(string_len(Budgets::OutcomeRule, 32))
                    .col(big_integer(Budgets::MinVotes))
                    .col(boolean(Budgets::RequiresVerified))
                    .col(json_binary_null(Budgets::Pabulib))
                    .col(timestamp_with_time_zone(Budgets::CreatedAt))
                    .col(timestamp_with_time_zone(Budgets::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (Budgets::Table, Budgets::OrgId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetProposals::Table)
                    .col(uuid(BudgetProposals::Id).primary_key())
                    .col(uuid(BudgetProposals::BudgetId))
                    .col(uuid(BudgetProposals::OrgId))
                    .col(uuid_null(BudgetProposals::AuthorId))
                    .col(string_len(BudgetProposals::Code, 100))
                    .col(json_binary(BudgetProposals::Title))
                    .col(json_binary(BudgetProposals::Description))
                    .col(string_len_null(BudgetProposals::Category, 100))
                    .col(string_len_null(BudgetProposals::District, 100))
                    .col(string_len_null(BudgetProposals::Location, 500))
                    .col(big_integer(BudgetProposals::EstimatedCost))
                    .col(json_binary(BudgetProposals::Images))
                    .col(string_len(BudgetProposals::Review, 16))
                    .col(text_null(BudgetProposals::ReviewReason))
                    .col(big_integer_null(BudgetProposals::ValidatedCost))
                    .col(integer(BudgetProposals::Supports))
                    .col(string_len_null(BudgetProposals::Works, 16))
                    .col(big_integer_null(BudgetProposals::AmountSpent))
                    .col(json_binary_null(BudgetProposals::PabulibExtra))
                    .col(timestamp_with_time_zone(BudgetProposals::CreatedAt))
                    .col(timestamp_with_time_zone(BudgetProposals::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (BudgetProposals::Table, BudgetProposals::BudgetId),
                        (Budgets::Table, Budgets::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BudgetProposals::Table, BudgetProposals::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_budget_proposal_code")
                    .table(BudgetProposals::Table)
                    .col(BudgetProposals::BudgetId)
                    .col(BudgetProposals::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetSupports::Table)
                    .col(uuid(BudgetSupports::ProposalId))
                    .col(uuid(BudgetSupports::UserId))
                    .col(timestamp_with_time_zone(BudgetSupports::CreatedAt))
                    .col(timestamp_with_time_zone(BudgetSupports::UpdatedAt))
                    .primary_key(Index::create().col(BudgetSupports::ProposalId).col(BudgetSupports::UserId))
                    .foreign_key(&mut cascade(
                        (BudgetSupports::Table, BudgetSupports::ProposalId),
                        (BudgetProposals::Table, BudgetProposals::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (BudgetSupports::Table, BudgetSupports::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetVoters::Table)
                    .col(uuid(BudgetVoters::BudgetId))
                    .col(string_len(BudgetVoters::District, 100))
                    .col(uuid(BudgetVoters::UserId))
                    .col(timestamp_with_time_zone(BudgetVoters::CreatedAt))
                    .col(timestamp_with_time_zone(BudgetVoters::UpdatedAt))
                    // One ballot per voter, process and district: the database guarantees it.
                    .primary_key(
                        Index::create()
                            .col(BudgetVoters::BudgetId)
                            .col(BudgetVoters::District)
                            .col(BudgetVoters::UserId),
                    )
                    .foreign_key(&mut cascade(
                        (BudgetVoters::Table, BudgetVoters::BudgetId),
                        (Budgets::Table, Budgets::Id),
                    ))
                    .foreign_key(&mut cascade((BudgetVoters::Table, BudgetVoters::UserId), (Users::Table, Users::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetBallots::Table)
                    .col(uuid(BudgetBallots::Id).primary_key())
                    .col(uuid(BudgetBallots::BudgetId))
                    .col(string_len(BudgetBallots::District, 100))
                    .col(string_len_null(BudgetBallots::BallotKey, 64))
                    .col(json_binary(BudgetBallots::Choices))
                    .col(json_binary_null(BudgetBallots::Pabulib))
                    .col(timestamp_with_time_zone(BudgetBallots::CreatedAt))
                    .col(timestamp_with_time_zone(BudgetBallots::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (BudgetBallots::Table, BudgetBallots::BudgetId),
                        (Budgets::Table, Budgets::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_budget_ballot_key")
                    .table(BudgetBallots::Table)
                    .col(BudgetBallots::BallotKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_budget_ballots_budget")
                    .table(BudgetBallots::Table)
                    .col(BudgetBallots::BudgetId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            BudgetBallots::Table.into_iden(),
            BudgetVoters::Table.into_iden(),
            BudgetSupports::Table.into_iden(),
            BudgetProposals::Table.into_iden(),
            Budgets::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
