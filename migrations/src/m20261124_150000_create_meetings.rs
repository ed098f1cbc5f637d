//! Meetings, registrations (with a confirmed-seat counter kept in the same transaction), and
//! follow-up activities with their co-owners.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    OrgId,
    Title,
    Description,
    Kind,
    Address,
    Latitude,
    Longitude,
    OnlineUrl,
    LinkForRegistrantsOnly,
    StartsAt,
    EndsAt,
    Organiser,
    Agenda,
    Links,
    Status,
    CancelReason,
    RegistrationOpen,
    Capacity,
    RegistrationDeadline,
    WaitingList,
    ConfirmedCount,
    Minutes,
    Attendance,
    Attachments,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingRegistrations {
    Table,
    Id,
    MeetingId,
    UserId,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingActivities {
    Table,
    Id,
    MeetingId,
    Title,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivityCoOwners {
    Table,
    ActivityId,
    UserId,
    Note,
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
                    .table(Meetings::Table)
                    .col(uuid(Meetings::Id).primary_key())
                    .col(uuid(Meetings::OrgId))
                    .col(json_binary(Meetings::Title))
                    .col(json_binary(Meetings::Description))
                    .col(string_len(Meetings::Kind, 16))
                    .col(string_len_null(Meetings::Address, 500))
                    .col(double_null(Meetings::Latitude))
                    .col(double_null(Meetings::Longitude))
                    .col(string_len_null(Meetings::OnlineUrl, 2000))
                    .col(boolean(Meetings::LinkForRegistrantsOnly).default(false))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone(Meetings::EndsAt))
                    .col(string_len(Meetings::Organiser, 200))
                    .col(json_binary(Meetings::Agenda))
                    .col(json_binary(Meetings::Links))
                    .col(string_len(Meetings::Status, 16))
                    .col(text_null(Meetings::CancelReason))
                    .col(boolean(Meetings::RegistrationOpen).default(false))
                    .col(integer_null(Meetings::Capacity))
                    .col(timestamp_with_time_zone_null(Meetings::RegistrationDeadline))
                    .col(boolean(Meetings::WaitingList).default(true))
                    .col(integer(Meetings::ConfirmedCount).default(0))
                    .col(json_binary_null(Meetings::Minutes))
                    .col(integer_null(Meetings::Attendance))
                    .col(json_binary(Meetings::Attachments))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Meetings::Table, Meetings::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meetings_org_start")
                    .table(Meetings::Table)
                    .col(Meetings::OrgId)
                    .col(Meetings::StartsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingRegistrations::Table)
                    .col(uuid(MeetingRegistrations::Id).primary_key())
                    .col(uuid(MeetingRegistrations::MeetingId))
                    .col(uuid(MeetingRegistrations::UserId))
                    .col(string_len(MeetingRegistrations::Status, 16))
                    .col(timestamp_with_time_zone(MeetingRegistrations::CreatedAt))
                    .col(timestamp_with_time_zone(MeetingRegistrations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingRegistrations::Table, MeetingRegistrations::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingRegistrations::Table, MeetingRegistrations::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One registration row per person and meeting: the database refuses a second.
        manager
            .create_index(
                Index::create()
                    .name("uq_meeting_registrations_person")
                    .table(MeetingRegistrations::Table)
                    .col(MeetingRegistrations::MeetingId)
                    .col(MeetingRegistrations::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingActivities::Table)
                    .col(uuid(MeetingActivities::Id).primary_key())
                    .col(uuid(MeetingActivities::MeetingId))
                    .col(json_binary(MeetingActivities::Title))
                    .col(json_binary(MeetingActivities::Description))
                    .col(timestamp_with_time_zone(MeetingActivities::CreatedAt))
                    .col(timestamp_with_time_zone(MeetingActivities::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingActivities::Table, MeetingActivities::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActivityCoOwners::Table)
                    .col(uuid(ActivityCoOwners::ActivityId))
                    .col(uuid(ActivityCoOwners::UserId))
                    .col(string_len_null(ActivityCoOwners::Note, 500))
                    .col(timestamp_with_time_zone(ActivityCoOwners::CreatedAt))
                    .col(timestamp_with_time_zone(ActivityCoOwners::UpdatedAt))
                    .primary_key(Index::create().col(ActivityCoOwners::ActivityId).col(ActivityCoOwners::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivityCoOwners::Table, ActivityCoOwners::ActivityId)
                            .to(MeetingActivities::Table, MeetingActivities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivityCoOwners::Table, ActivityCoOwners::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ActivityCoOwners::Table.into_iden(),
            MeetingActivities::Table.into_iden(),
            MeetingRegistrations::Table.into_iden(),
            Meetings::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
