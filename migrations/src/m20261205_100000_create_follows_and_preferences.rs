//! Follows and notification delivery: who follows what (a commitment, meeting, consultation,
//! budget, proposal or resident report), each user's delivery choice per kind of notification
//! (in the app, e-mail at once, daily digest, off), notifications waiting for the digest, and one
//! row per user and day a digest went out (its primary key is what keeps several servers from
//! sending the same digest twice).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Follows {
    Table,
    UserId,
    TargetKind,
    TargetId,
    OrgId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Kind,
    Delivery,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationDigests {
    Table,
    UserId,
    Day,
    SentAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    UserId,
    DigestPending,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn user_fk(table: impl IntoTableRef, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Users::Table, Users::Id).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Follows::Table)
                    .col(uuid(Follows::UserId))
                    .col(string_len(Follows::TargetKind, 16))
                    .col(uuid(Follows::TargetId))
                    .col(uuid(Follows::OrgId))
                    .col(timestamp_with_time_zone(Follows::CreatedAt))
                    .primary_key(Index::create().col(Follows::UserId).col(Follows::TargetKind).col(Follows::TargetId))
                    .foreign_key(&mut user_fk(Follows::Table, Follows::UserId))
                    .to_owned(),
            )
            .await?;
        // Fan-out reads the followers of one thing.
        manager
            .create_index(
                Index::create()
                    .name("ix_follows_target")
                    .table(Follows::Table)
                    .col(Follows::TargetKind)
                    .col(Follows::TargetId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreferences::Table)
                    .col(uuid(NotificationPreferences::UserId))
                    .col(string_len(NotificationPreferences::Kind, 64))
                    .col(string_len(NotificationPreferences::Delivery, 16))
                    .col(timestamp_with_time_zone(NotificationPreferences::UpdatedAt))
                    .primary_key(
                        Index::create().col(NotificationPreferences::UserId).col(NotificationPreferences::Kind),
                    )
                    .foreign_key(&mut user_fk(NotificationPreferences::Table, NotificationPreferences::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationDigests::Table)
                    .col(uuid(NotificationDigests::UserId))
                    .col(string_len(NotificationDigests::Day, 10))
                    .col(timestamp_with_time_zone(NotificationDigests::SentAt))
                    .primary_key(Index::create().col(NotificationDigests::UserId).col(NotificationDigests::Day))
                    .foreign_key(&mut user_fk(NotificationDigests::Table, NotificationDigests::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Table)
                    .add_column(boolean(Notifications::DigestPending).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notifications_digest_pending")
                    .table(Notifications::Table)
                    .col(Notifications::DigestPending)
                    .col(Notifications::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("ix_notifications_digest_pending").table(Notifications::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Notifications::Table).drop_column(Notifications::DigestPending).to_owned(),
            )
            .await?;
        for t in [
            NotificationDigests::Table.into_iden(),
            NotificationPreferences::Table.into_iden(),
            Follows::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
