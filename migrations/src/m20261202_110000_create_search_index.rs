//! The full-text search index: one row per public resource (`search_documents`) with its title
//! and text as written (for snippets) and folded to plain ASCII words by the domain (for
//! matching), and the engine's index over the folded columns:
//!
//! - SQLite: an FTS5 table over `title_folded` and `body_folded`, with `search_documents` as its
//!   external content, kept in step by triggers;
//! - PostgreSQL: a stored, generated `tsvector` (`simple` configuration, the title weighted A and
//!   the body B) with a GIN index. The text is folded in Rust, so `unaccent` is not needed.
//!
//! `search_index_state` holds the version of the indexing rules the rows were built with; the
//! server rebuilds the index after migrating when it is older than the code's (or missing, as
//! right after this migration on a database that already holds data).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SearchDocuments {
    Table,
    Id,
    Kind,
    ResourceId,
    OrgId,
    ParentId,
    Title,
    Body,
    TitleFolded,
    BodyFolded,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SearchIndexState {
    Table,
    Id,
    Version,
    BuiltAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

/// `prefix`: prefix indexes for the 2–4 first characters, which search as you type asks for most.
const SQLITE_FTS: [&str; 4] = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_folded, body_folded, \
     content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 0', \
     prefix='2 3 4')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN \
     INSERT INTO search_fts(rowid, title_folded, body_folded) VALUES (new.id, new.title_folded, new.body_folded); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN \
     INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded) \
     VALUES ('delete', old.id, old.title_folded, old.body_folded); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN \
     INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded) \
     VALUES ('delete', old.id, old.title_folded, old.body_folded); \
     INSERT INTO search_fts(rowid, title_folded, body_folded) VALUES (new.id, new.title_folded, new.body_folded); END",
];

const POSTGRES_TSV: [&str; 2] = [
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS \
     (setweight(to_tsvector('simple', title_folded), 'A') || setweight(to_tsvector('simple', body_folded), 'B')) STORED",
    "CREATE INDEX idx_search_documents_tsv ON search_documents USING GIN (tsv)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchDocuments::Table)
                    .col(big_integer(SearchDocuments::Id).auto_increment().primary_key())
                    .col(string_len(SearchDocuments::Kind, 32))
                    .col(uuid(SearchDocuments::ResourceId))
                    .col(uuid(SearchDocuments::OrgId))
                    .col(uuid_null(SearchDocuments::ParentId))
                    .col(json_binary(SearchDocuments::Title))
                    .col(json_binary(SearchDocuments::Body))
                    .col(text(SearchDocuments::TitleFolded))
                    .col(text(SearchDocuments::BodyFolded))
                    .col(timestamp_with_time_zone(SearchDocuments::CreatedAt))
                    .col(timestamp_with_time_zone(SearchDocuments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SearchDocuments::Table, SearchDocuments::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_search_documents_resource")
                    .table(SearchDocuments::Table)
                    .col(SearchDocuments::ResourceId)
                    .col(SearchDocuments::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_search_documents_org_kind")
                    .table(SearchDocuments::Table)
                    .col(SearchDocuments::OrgId)
                    .col(SearchDocuments::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SearchIndexState::Table)
                    .col(integer(SearchIndexState::Id).primary_key())
                    .col(integer(SearchIndexState::Version))
                    .col(timestamp_with_time_zone(SearchIndexState::BuiltAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Sqlite => &SQLITE_FTS,
            DbBackend::Postgres => &POSTGRES_TSV,
            other => return Err(DbErr::Migration(format!("search is not implemented for {other:?}"))),
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            // The triggers go with their table.
            manager.get_connection().execute_unprepared("DROP TABLE search_fts").await?;
        }
        manager.drop_table(Table::drop().table(SearchIndexState::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SearchDocuments::Table).to_owned()).await
    }
}
