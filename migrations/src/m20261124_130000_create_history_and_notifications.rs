//! The append-only public history of commitments, milestones and budget projects, and users'
//! notifications.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HistoryEntries {
    Table,
    Id,
    OrgId,
    SubjectType,
    SubjectId,
    ParentId,
    Entry,
    OccurredOn,
    AuthorId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    OrgId,
    Kind,
    Payload,
    ReadAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HistoryEntries::Table)
                    .col(uuid(HistoryEntries::Id).primary_key())
                    .col(uuid(HistoryEntries::OrgId))
                    .col(string_len(HistoryEntries::SubjectType, 32))
                    .col(uuid(HistoryEntries::SubjectId))
                    .col(uuid_null(HistoryEntries::ParentId))
                    .col(json_binary(HistoryEntries::Entry))
                    .col(date(HistoryEntries::OccurredOn))
                    .col(uuid_null(HistoryEntries::AuthorId))
                    .col(timestamp_with_time_zone(HistoryEntries::CreatedAt))
                    .col(timestamp_with_time_zone(HistoryEntries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(HistoryEntries::Table, HistoryEntries::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in
            [("idx_history_subject", HistoryEntries::SubjectId), ("idx_history_parent", HistoryEntries::ParentId)]
        {
            manager
                .create_index(
                    Index::create().name(name).table(HistoryEntries::Table).col(col).col(HistoryEntries::Id).to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::Id).primary_key())
                    .col(uuid(Notifications::UserId))
                    .col(uuid_null(Notifications::OrgId))
                    .col(string_len(Notifications::Kind, 64))
                    .col(json_binary(Notifications::Payload))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone(Notifications::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_user")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Notifications::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(HistoryEntries::Table).to_owned()).await
    }
}
