//! Uploaded files attached to a resource (a meeting's minutes, a budget proposal's photos): the
//! name shown to people, the type decided from the content, and the stored variants (one for a
//! document; a few widths for an image, whose original is not kept). The bytes live in the file
//! storage (a folder or an S3 bucket) under keys made from the ids, never from the name.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    OrgId,
    OwnerType,
    OwnerId,
    ParentId,
    Name,
    ContentType,
    Kind,
    Variants,
    UploadedBy,
    CreatedAt,
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
                    .table(Files::Table)
                    .col(uuid(Files::Id).primary_key())
                    .col(uuid(Files::OrgId))
                    .col(string_len(Files::OwnerType, 32))
                    .col(uuid(Files::OwnerId))
                    .col(uuid_null(Files::ParentId))
                    .col(string_len(Files::Name, 255))
                    .col(string_len(Files::ContentType, 127))
                    .col(string_len(Files::Kind, 16))
                    .col(json(Files::Variants))
                    .col(uuid_null(Files::UploadedBy))
                    .col(timestamp_with_time_zone(Files::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Files::Table, Files::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Files::Table, Files::UploadedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_files_owner")
                    .table(Files::Table)
                    .col(Files::OwnerType)
                    .col(Files::OwnerId)
                    .col(Files::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Files::Table).to_owned()).await
    }
}
