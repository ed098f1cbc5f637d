//! Open-data settings per organisation: the licence its datasets are published under (no row,
//! or a null licence: CC BY 4.0).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OpenDataSettings {
    Table,
    OrgId,
    Licence,
    CreatedAt,
    UpdatedAt,
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
                    .table(OpenDataSettings::Table)
                    .col(uuid(OpenDataSettings::OrgId).primary_key())
                    .col(string_len_null(OpenDataSettings::Licence, 500))
                    .col(timestamp_with_time_zone(OpenDataSettings::CreatedAt))
                    .col(timestamp_with_time_zone(OpenDataSettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OpenDataSettings::Table, OpenDataSettings::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OpenDataSettings::Table).to_owned()).await
    }
}
