//! Programmes across municipalities (e.g. one OGP Local programme of several towns): a programme
//! with a multilingual name and description, created by platform admins, and its member
//! organisations, each invited and then joining or declining by its own admin's decision.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

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
enum Programmes {
    Table,
    Id,
    Slug,
    Name,
    Description,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProgrammeMembers {
    Table,
    ProgrammeId,
    OrgId,
    Status,
    InvitedBy,
    InvitedAt,
    DecidedBy,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Programmes::Table)
                    .col(uuid(Programmes::Id).primary_key())
                    .col(string_len(Programmes::Slug, 63).unique_key())
                    .col(json(Programmes::Name))
                    .col(json(Programmes::Description))
                    .col(uuid_null(Programmes::CreatedBy))
                    .col(timestamp_with_time_zone(Programmes::CreatedAt))
                    .col(timestamp_with_time_zone(Programmes::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Programmes::Table, Programmes::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgrammeMembers::Table)
                    .col(uuid(ProgrammeMembers::ProgrammeId))
                    .col(uuid(ProgrammeMembers::OrgId))
                    .col(string_len(ProgrammeMembers::Status, 10))
                    .col(uuid_null(ProgrammeMembers::InvitedBy))
                    .col(timestamp_with_time_zone(ProgrammeMembers::InvitedAt))
                    .col(uuid_null(ProgrammeMembers::DecidedBy))
                    .col(timestamp_with_time_zone_null(ProgrammeMembers::DecidedAt))
                    .primary_key(Index::create().col(ProgrammeMembers::ProgrammeId).col(ProgrammeMembers::OrgId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgrammeMembers::Table, ProgrammeMembers::ProgrammeId)
                            .to(Programmes::Table, Programmes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgrammeMembers::Table, ProgrammeMembers::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgrammeMembers::Table, ProgrammeMembers::InvitedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgrammeMembers::Table, ProgrammeMembers::DecidedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_programme_members_org")
                    .table(ProgrammeMembers::Table)
                    .col(ProgrammeMembers::OrgId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProgrammeMembers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Programmes::Table).to_owned()).await
    }
}
