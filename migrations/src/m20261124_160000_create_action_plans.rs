//! Action plans, commitments, milestones and commitment co-owners. Progress history lives in
//! the shared `history_entries`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ActionPlans {
    Table,
    Id,
    OrgId,
    Title,
    Description,
    StartDate,
    EndDate,
    Status,
    Documents,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Commitments {
    Table,
    Id,
    OrgId,
    ActionPlanId,
    Title,
    Lead,
    SupportingActors,
    Problem,
    StatusQuo,
    Objective,
    OgpValues,
    Theme,
    Budget,
    Irm,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Milestones {
    Table,
    Id,
    CommitmentId,
    Position,
    Title,
    Deliverable,
    StartDate,
    EndDate,
    Status,
    CompletedOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CommitmentCoOwners {
    Table,
    Id,
    CommitmentId,
    UserId,
    Organisation,
    Note,
    Status,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActionPlans::Table)
                    .col(uuid(ActionPlans::Id).primary_key())
                    .col(uuid(ActionPlans::OrgId))
                    .col(json_binary(ActionPlans::Title))
                    .col(json_binary(ActionPlans::Description))
                    .col(date(ActionPlans::StartDate))
                    .col(date(ActionPlans::EndDate))
                    .col(string_len(ActionPlans::Status, 32))
                    .col(json_binary(ActionPlans::Documents))
                    .col(timestamp_with_time_zone(ActionPlans::CreatedAt))
                    .col(timestamp_with_time_zone(ActionPlans::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActionPlans::Table, ActionPlans::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Commitments::Table)
                    .col(uuid(Commitments::Id).primary_key())
                    .col(uuid(Commitments::OrgId))
                    .col(uuid(Commitments::ActionPlanId))
                    .col(json_binary(Commitments::Title))
                    .col(string_len(Commitments::Lead, 300))
                    .col(json_binary(Commitments::SupportingActors))
                    .col(json_binary(Commitments::Problem))
                    .col(json_binary(Commitments::StatusQuo))
                    .col(json_binary(Commitments::Objective))
                    .col(json_binary(Commitments::OgpValues))
                    .col(string_len_null(Commitments::Theme, 200))
                    .col(big_integer_null(Commitments::Budget))
                    .col(json_binary_null(Commitments::Irm))
                    .col(timestamp_with_time_zone(Commitments::CreatedAt))
                    .col(timestamp_with_time_zone(Commitments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Commitments::Table, Commitments::ActionPlanId)
                            .to(ActionPlans::Table, ActionPlans::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_commitments_plan")
                    .table(Commitments::Table)
                    .col(Commitments::ActionPlanId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Milestones::Table)
                    .col(uuid(Milestones::Id).primary_key())
                    .col(uuid(Milestones::CommitmentId))
                    .col(integer(Milestones::Position))
                    .col(json_binary(Milestones::Title))
                    .col(json_binary(Milestones::Deliverable))
                    .col(date(Milestones::StartDate))
                    .col(date(Milestones::EndDate))
                    .col(string_len(Milestones::Status, 32))
                    .col(date_null(Milestones::CompletedOn))
                    .col(timestamp_with_time_zone(Milestones::CreatedAt))
                    .col(timestamp_with_time_zone(Milestones::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Milestones::Table, Milestones::CommitmentId)
                            .to(Commitments::Table, Commitments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_milestones_commitment")
                    .table(Milestones::Table)
                    .col(Milestones::CommitmentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommitmentCoOwners::Table)
                    .col(uuid(CommitmentCoOwners::Id).primary_key())
                    .col(uuid(CommitmentCoOwners::CommitmentId))
                    .col(uuid(CommitmentCoOwners::UserId))
                    .col(string_len_null(CommitmentCoOwners::Organisation, 200))
                    .col(string_len_null(CommitmentCoOwners::Note, 500))
                    .col(string_len(CommitmentCoOwners::Status, 16))
                    .col(timestamp_with_time_zone(CommitmentCoOwners::CreatedAt))
                    .col(timestamp_with_time_zone(CommitmentCoOwners::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommitmentCoOwners::Table, CommitmentCoOwners::CommitmentId)
                            .to(Commitments::Table, Commitments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommitmentCoOwners::Table, CommitmentCoOwners::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_commitment_co_owner")
                    .table(CommitmentCoOwners::Table)
                    .col(CommitmentCoOwners::CommitmentId)
                    .col(CommitmentCoOwners::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CommitmentCoOwners::Table.into_iden(),
            Milestones::Table.into_iden(),
            Commitments::Table.into_iden(),
            ActionPlans::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
