//! `search_versions`: one counter per organisation, raised in the same transaction as every
//! change to that organisation's part of the search index. A server keeps search results in
//! memory under the version it read first, so a result is never served after a change committed
//! on this server or on another one sharing the database.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SearchVersions {
    Table,
    OrgId,
    Version,
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
                    .table(SearchVersions::Table)
                    .col(uuid(SearchVersions::OrgId).primary_key())
                    .col(big_integer(SearchVersions::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SearchVersions::Table, SearchVersions::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SearchVersions::Table).to_owned()).await
    }
}
