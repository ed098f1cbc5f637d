//! An organisation's branding: `organisations.accent_color` (`#rrggbb`, checked for contrast by
//! the domain; NULL: the web app's own) and `organisations.logo_file_id` (an image in `files`
//! owned by the organisation; NULL: no logo). One column per statement: SQLite alters one at a
//! time.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    AccentColor,
    LogoFileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .add_column(string_len_null(Organisations::AccentColor, 7))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Organisations::Table).add_column(uuid_null(Organisations::LogoFileId)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Organisations::Table).drop_column(Organisations::LogoFileId).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Organisations::Table).drop_column(Organisations::AccentColor).to_owned())
            .await
    }
}
