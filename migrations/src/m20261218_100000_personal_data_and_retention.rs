//! Personal data: a resident's account can be erased (`users.erased_at`: the row stays as a
//! tombstone with no e-mail, name or password, so what they published keeps its links and the
//! results their votes count in do not change), their data can be downloaded as an archive made
//! in the background and kept for a limited time (`personal_data_exports`), and each
//! organisation can set how long it keeps residents' contact details (`retention_settings`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PersonalDataExports {
    Table,
    Id,
    UserId,
    Status,
    Archive,
    RequestedAt,
    ReadyAt,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RetentionSettings {
    Table,
    OrgId,
    RegistrationMonths,
    ReportContactMonths,
    OpinionContactMonths,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::ErasedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PersonalDataExports::Table)
                    .col(uuid(PersonalDataExports::Id).primary_key())
                    .col(uuid(PersonalDataExports::UserId))
                    .col(string_len(PersonalDataExports::Status, 16))
                    .col(text_null(PersonalDataExports::Archive))
                    .col(timestamp_with_time_zone(PersonalDataExports::RequestedAt))
                    .col(timestamp_with_time_zone_null(PersonalDataExports::ReadyAt))
                    .col(timestamp_with_time_zone_null(PersonalDataExports::ExpiresAt))
                    .col(timestamp_with_time_zone(PersonalDataExports::CreatedAt))
                    .col(timestamp_with_time_zone(PersonalDataExports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PersonalDataExports::Table, PersonalDataExports::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_personal_data_exports_user")
                    .table(PersonalDataExports::Table)
                    .col(PersonalDataExports::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_personal_data_exports_status")
                    .table(PersonalDataExports::Table)
                    .col(PersonalDataExports::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RetentionSettings::Table)
                    .col(uuid(RetentionSettings::OrgId).primary_key())
                    .col(integer_null(RetentionSettings::RegistrationMonths))
                    .col(integer_null(RetentionSettings::ReportContactMonths))
                    .col(integer_null(RetentionSettings::OpinionContactMonths))
                    .col(timestamp_with_time_zone(RetentionSettings::CreatedAt))
                    .col(timestamp_with_time_zone(RetentionSettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RetentionSettings::Table, RetentionSettings::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RetentionSettings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(PersonalDataExports::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Users::ErasedAt).to_owned()).await
    }
}
