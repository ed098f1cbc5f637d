//! Residents' reports and proposals: categories (with the department in charge and the deadline
//! to answer), the reports, their append-only status history with the staff's answers, and
//! supports (one per resident, kept by the primary key). Organisations get an optional area
//! (a bounding box) that reported coordinates must lie in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportCategories {
    Table,
    Id,
    OrgId,
    Name,
    Department,
    AnswerDays,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    OrgId,
    Kind,
    CategoryId,
    Title,
    Description,
    Locale,
    Latitude,
    Longitude,
    Address,
    AuthorId,
    AuthorName,
    ShowName,
    Status,
    DuplicateOf,
    SupportCount,
    FirstAnswerAt,
    ResolvedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportStatusEntries {
    Table,
    Id,
    ReportId,
    FromStatus,
    ToStatus,
    Answer,
    DuplicateOf,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReportSupports {
    Table,
    ReportId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Area,
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
            .alter_table(
                Table::alter().table(Organisations::Table).add_column(json_null(Organisations::Area)).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportCategories::Table)
                    .col(uuid(ReportCategories::Id).primary_key())
                    .col(uuid(ReportCategories::OrgId))
                    .col(json(ReportCategories::Name))
                    .col(string_len(ReportCategories::Department, 200))
                    .col(integer(ReportCategories::AnswerDays))
                    .col(timestamp_with_time_zone(ReportCategories::CreatedAt))
                    .col(timestamp_with_time_zone(ReportCategories::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportCategories::Table, ReportCategories::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(uuid(Reports::Id).primary_key())
                    .col(uuid(Reports::OrgId))
                    .col(string_len(Reports::Kind, 16))
                    .col(uuid(Reports::CategoryId))
                    .col(string_len(Reports::Title, 150))
                    .col(text(Reports::Description))
                    .col(string_len(Reports::Locale, 8))
                    .col(double_null(Reports::Latitude))
                    .col(double_null(Reports::Longitude))
                    .col(string_len_null(Reports::Address, 300))
                    .col(uuid(Reports::AuthorId))
                    .col(string_len(Reports::AuthorName, 100))
                    .col(boolean(Reports::ShowName))
                    .col(string_len(Reports::Status, 16))
                    .col(uuid_null(Reports::DuplicateOf))
                    .col(big_integer(Reports::SupportCount).default(0))
                    .col(timestamp_with_time_zone_null(Reports::FirstAnswerAt))
                    .col(timestamp_with_time_zone_null(Reports::ResolvedAt))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .col(timestamp_with_time_zone(Reports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::CategoryId)
                            .to(ReportCategories::Table, ReportCategories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::DuplicateOf)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_org")
                    .table(Reports::Table)
                    .col(Reports::OrgId)
                    .col(Reports::Id)
                    .to_owned(),
            )
            .await?;
        // A resident's recent reports, for the one-minute duplicate check.
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_author")
                    .table(Reports::Table)
                    .col(Reports::AuthorId)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportStatusEntries::Table)
                    .col(uuid(ReportStatusEntries::Id).primary_key())
                    .col(uuid(ReportStatusEntries::ReportId))
                    .col(string_len_null(ReportStatusEntries::FromStatus, 16))
                    .col(string_len(ReportStatusEntries::ToStatus, 16))
                    .col(json(ReportStatusEntries::Answer))
                    .col(uuid_null(ReportStatusEntries::DuplicateOf))
                    .col(uuid_null(ReportStatusEntries::AuthorId))
                    .col(timestamp_with_time_zone(ReportStatusEntries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportStatusEntries::Table, ReportStatusEntries::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportStatusEntries::Table, ReportStatusEntries::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_status_entries_report")
                    .table(ReportStatusEntries::Table)
                    .col(ReportStatusEntries::ReportId)
                    .col(ReportStatusEntries::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportSupports::Table)
                    .col(uuid(ReportSupports::ReportId))
                    .col(uuid(ReportSupports::UserId))
                    .col(timestamp_with_time_zone(ReportSupports::CreatedAt))
                    .primary_key(Index::create().col(ReportSupports::ReportId).col(ReportSupports::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportSupports::Table, ReportSupports::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportSupports::Table, ReportSupports::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ReportSupports::Table.into_iden(),
            ReportStatusEntries::Table.into_iden(),
            Reports::Table.into_iden(),
            ReportCategories::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Organisations::Table).drop_column(Organisations::Area).to_owned())
            .await
    }
}
