//! Consultations and the opinions residents give on them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Consultations {
    Table,
    Id,
    OrgId,
    Title,
    Summary,
    Body,
    Subject,
    Documents,
    Sections,
    OpensAt,
    ClosesAt,
    AllowAnonymous,
    OpinionsPublic,
    SurveyId,
    AboutType,
    AboutId,
    ReportText,
    ReportPublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Opinions {
    Table,
    Id,
    ConsultationId,
    UserId,
    AuthorName,
    Email,
    Section,
    Text,
    Answer,
    AnsweredAt,
    Hidden,
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
                    .table(Consultations::Table)
                    .col(uuid(Consultations::Id).primary_key())
                    .col(uuid(Consultations::OrgId))
                    .col(json_binary(Consultations::Title))
                    .col(json_binary(Consultations::Summary))
                    .col(json_binary(Consultations::Body))
                    .col(string_len(Consultations::Subject, 32))
                    .col(json_binary(Consultations::Documents))
                    .col(json_binary(Consultations::Sections))
                    .col(timestamp_with_time_zone(Consultations::OpensAt))
                    .col(timestamp_with_time_zone(Consultations::ClosesAt))
                    .col(boolean(Consultations::AllowAnonymous).default(false))
                    .col(boolean(Consultations::OpinionsPublic).default(true))
                    .col(uuid_null(Consultations::SurveyId))
                    .col(string_len_null(Consultations::AboutType, 32))
                    .col(uuid_null(Consultations::AboutId))
                    .col(json_binary_null(Consultations::ReportText))
                    .col(timestamp_with_time_zone_null(Consultations::ReportPublishedAt))
                    .col(timestamp_with_time_zone(Consultations::CreatedAt))
                    .col(timestamp_with_time_zone(Consultations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Consultations::Table, Consultations::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_consultations_org_dates")
                    .table(Consultations::Table)
                    .col(Consultations::OrgId)
                    .col(Consultations::OpensAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Opinions::Table)
                    .col(uuid(Opinions::Id).primary_key())
                    .col(uuid(Opinions::ConsultationId))
                    .col(uuid_null(Opinions::UserId))
                    .col(string_len_null(Opinions::AuthorName, 100))
                    .col(string_len_null(Opinions::Email, 254))
                    .col(string_len_null(Opinions::Section, 32))
                    .col(text(Opinions::Text))
                    .col(text_null(Opinions::Answer))
                    .col(timestamp_with_time_zone_null(Opinions::AnsweredAt))
                    .col(boolean(Opinions::Hidden).default(false))
                    .col(timestamp_with_time_zone(Opinions::CreatedAt))
                    .col(timestamp_with_time_zone(Opinions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Opinions::Table, Opinions::ConsultationId)
                            .to(Consultations::Table, Consultations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Opinions::Table, Opinions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_opinions_consultation")
                    .table(Opinions::Table)
                    .col(Opinions::ConsultationId)
                    .col(Opinions::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Opinions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Consultations::Table).to_owned()).await
    }
}
