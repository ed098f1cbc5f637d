//! Staff invitations (only the hash of each link's secret is kept) and residency verification:
//! the prompt each organisation shows, and residents' requests with staff's decisions. At most one
//! pending request per resident and organisation (a partial unique index, on both databases).

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
enum Invitations {
    Table,
    Id,
    OrgId,
    Email,
    Roles,
    TokenHash,
    InvitedBy,
    ExpiresAt,
    AcceptedAt,
    AcceptedBy,
    RevokedAt,
    SentAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ResidencyPrompts {
    Table,
    OrgId,
    Prompt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ResidencyRequests {
    Table,
    Id,
    OrgId,
    UserId,
    Details,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(uuid(Invitations::Id).primary_key())
                    .col(uuid(Invitations::OrgId))
                    .col(string_len(Invitations::Email, 254))
                    .col(json_binary(Invitations::Roles))
                    .col(string_len_uniq(Invitations::TokenHash, 128))
                    .col(uuid_null(Invitations::InvitedBy))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                    .col(uuid_null(Invitations::AcceptedBy))
                    .col(timestamp_with_time_zone_null(Invitations::RevokedAt))
                    .col(timestamp_with_time_zone(Invitations::SentAt))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_org_email")
                    .table(Invitations::Table)
                    .col(Invitations::OrgId)
                    .col(Invitations::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResidencyPrompts::Table)
                    .col(uuid(ResidencyPrompts::OrgId).primary_key())
                    .col(json_binary(ResidencyPrompts::Prompt))
                    .col(timestamp_with_time_zone(ResidencyPrompts::CreatedAt))
                    .col(timestamp_with_time_zone(ResidencyPrompts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResidencyPrompts::Table, ResidencyPrompts::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResidencyRequests::Table)
                    .col(uuid(ResidencyRequests::Id).primary_key())
                    .col(uuid(ResidencyRequests::OrgId))
                    .col(uuid(ResidencyRequests::UserId))
                    .col(text(ResidencyRequests::Details))
                    .col(string_len(ResidencyRequests::Status, 16))
                    .col(text_null(ResidencyRequests::Reason))
                    .col(uuid_null(ResidencyRequests::DecidedBy))
                    .col(timestamp_with_time_zone_null(ResidencyRequests::DecidedAt))
                    .col(timestamp_with_time_zone(ResidencyRequests::CreatedAt))
                    .col(timestamp_with_time_zone(ResidencyRequests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResidencyRequests::Table, ResidencyRequests::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResidencyRequests::Table, ResidencyRequests::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_residency_requests_org_status")
                    .table(ResidencyRequests::Table)
                    .col(ResidencyRequests::OrgId)
                    .col(ResidencyRequests::Status)
                    .col(ResidencyRequests::Id)
                    .to_owned(),
            )
            .await?;
        // Same SQL on SQLite and PostgreSQL: both have partial indexes.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_residency_requests_one_pending ON residency_requests (org_id, user_id) \
                 WHERE status = 'pending'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ResidencyRequests::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ResidencyPrompts::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Invitations::Table).to_owned()).await
    }
}
