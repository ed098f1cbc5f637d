//! Surveys, their responses, and who participated.
//!
//! Anonymity is a schema property: `survey_responses.respondent_id` is set only for identified
//! surveys, and `survey_participations` holds no response id, so nothing joins an anonymous
//! response to its author. One response per resident is the participation table's primary key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    OrgId,
    Title,
    Description,
    Questions,
    Policy,
    Anonymous,
    OpensAt,
    ClosesAt,
    ResultsPublic,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyResponses {
    Table,
    Id,
    SurveyId,
    RespondentId,
    Answers,
    SubmittedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyParticipations {
    Table,
    SurveyId,
    UserId,
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
                    .table(Surveys::Table)
                    .col(uuid(Surveys::Id).primary_key())
                    .col(uuid(Surveys::OrgId))
                    .col(json_binary(Surveys::Title))
                    .col(json_binary(Surveys::Description))
                    .col(json_binary(Surveys::Questions))
                    .col(string_len(Surveys::Policy, 32))
                    .col(boolean(Surveys::Anonymous).default(false))
                    .col(timestamp_with_time_zone_null(Surveys::OpensAt))
                    .col(timestamp_with_time_zone_null(Surveys::ClosesAt))
                    .col(boolean(Surveys::ResultsPublic).default(false))
                    .col(timestamp_with_time_zone(Surveys::CreatedAt))
                    .col(timestamp_with_time_zone(Surveys::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Surveys::Table, Surveys::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_surveys_org")
                    .table(Surveys::Table)
                    .col(Surveys::OrgId)
                    .col(Surveys::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyResponses::Table)
                    .col(uuid(SurveyResponses::Id).primary_key())
                    .col(uuid(SurveyResponses::SurveyId))
                    // Identified surveys only; never set for an anonymous one.
                    .col(uuid_null(SurveyResponses::RespondentId))
                    .col(json_binary(SurveyResponses::Answers))
                    .col(timestamp_with_time_zone(SurveyResponses::SubmittedAt))
                    .col(timestamp_with_time_zone(SurveyResponses::CreatedAt))
                    .col(timestamp_with_time_zone(SurveyResponses::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyResponses::Table, SurveyResponses::SurveyId)
                            .to(Surveys::Table, Surveys::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyResponses::Table, SurveyResponses::RespondentId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_responses_survey")
                    .table(SurveyResponses::Table)
                    .col(SurveyResponses::SurveyId)
                    .col(SurveyResponses::Id)
                    .to_owned(),
            )
            .await?;
        // NULLs are distinct on both databases, so this binds identified responses only.
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_responses_respondent")
                    .table(SurveyResponses::Table)
                    .col(SurveyResponses::SurveyId)
                    .col(SurveyResponses::RespondentId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyParticipations::Table)
                    .col(uuid(SurveyParticipations::SurveyId))
                    .col(uuid(SurveyParticipations::UserId))
                    .col(timestamp_with_time_zone(SurveyParticipations::CreatedAt))
                    .col(timestamp_with_time_zone(SurveyParticipations::UpdatedAt))
                    .primary_key(Index::create().col(SurveyParticipations::SurveyId).col(SurveyParticipations::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyParticipations::Table, SurveyParticipations::SurveyId)
                            .to(Surveys::Table, Surveys::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyParticipations::Table, SurveyParticipations::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SurveyParticipations::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SurveyResponses::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Surveys::Table).to_owned()).await
    }
}
