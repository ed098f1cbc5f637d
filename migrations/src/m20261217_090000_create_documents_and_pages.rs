//! The documents library and the content pages of an organisation.
//!
//! A document has a category (legal acts, reports, publications, minutes, education), a title
//! and description in several languages, a publication date and its files (in `files`, owned by
//! the document). `document_links` ties documents to the action plans, meetings, consultations
//! and budgets they belong with. A content page is Markdown in several languages, placed in the
//! organisation's menu by its position; each save appends a revision (who by role, when).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    OrgId,
    Category,
    Title,
    Description,
    PublishedOn,
    SearchText,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DocumentLinks {
    Table,
    DocumentId,
    OrgId,
    ResourceType,
    ResourceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ContentPages {
    Table,
    Id,
    OrgId,
    Slug,
    Title,
    Body,
    Position,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PageRevisions {
    Table,
    Id,
    PageId,
    Title,
    Body,
    Position,
    AuthorId,
    AuthorRole,
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
                    .table(Documents::Table)
                    .col(uuid(Documents::Id).primary_key())
                    .col(uuid(Documents::OrgId))
                    .col(string_len(Documents::Category, 32))
                    .col(json(Documents::Title))
                    .col(json(Documents::Description))
                    .col(date(Documents::PublishedOn))
                    .col(text(Documents::SearchText))
                    .col(uuid_null(Documents::CreatedBy))
                    .col(timestamp_with_time_zone(Documents::CreatedAt))
                    .col(timestamp_with_time_zone(Documents::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Documents::Table, Documents::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Documents::Table, Documents::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_documents_org_published")
                    .table(Documents::Table)
                    .col(Documents::OrgId)
                    .col(Documents::PublishedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentLinks::Table)
                    .col(uuid(DocumentLinks::DocumentId))
                    .col(uuid(DocumentLinks::OrgId))
                    .col(string_len(DocumentLinks::ResourceType, 32))
                    .col(uuid(DocumentLinks::ResourceId))
                    .col(timestamp_with_time_zone(DocumentLinks::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(DocumentLinks::DocumentId)
                            .col(DocumentLinks::ResourceType)
                            .col(DocumentLinks::ResourceId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentLinks::Table, DocumentLinks::DocumentId)
                            .to(Documents::Table, Documents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_links_resource")
                    .table(DocumentLinks::Table)
                    .col(DocumentLinks::ResourceType)
                    .col(DocumentLinks::ResourceId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContentPages::Table)
                    .col(uuid(ContentPages::Id).primary_key())
                    .col(uuid(ContentPages::OrgId))
                    .col(string_len(ContentPages::Slug, 80))
                    .col(json(ContentPages::Title))
                    .col(json(ContentPages::Body))
                    .col(integer(ContentPages::Position))
                    .col(timestamp_with_time_zone(ContentPages::CreatedAt))
                    .col(timestamp_with_time_zone(ContentPages::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentPages::Table, ContentPages::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_content_pages_org_slug")
                    .table(ContentPages::Table)
                    .col(ContentPages::OrgId)
                    .col(ContentPages::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PageRevisions::Table)
                    .col(uuid(PageRevisions::Id).primary_key())
                    .col(uuid(PageRevisions::PageId))
                    .col(json(PageRevisions::Title))
                    .col(json(PageRevisions::Body))
                    .col(integer(PageRevisions::Position))
                    .col(uuid_null(PageRevisions::AuthorId))
                    .col(string_len(PageRevisions::AuthorRole, 32))
                    .col(timestamp_with_time_zone(PageRevisions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PageRevisions::Table, PageRevisions::PageId)
                            .to(ContentPages::Table, ContentPages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PageRevisions::Table, PageRevisions::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_page_revisions_page")
                    .table(PageRevisions::Table)
                    .col(PageRevisions::PageId)
                    .col(PageRevisions::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PageRevisions::Table.into_iden(),
            ContentPages::Table.into_iden(),
            DocumentLinks::Table.into_iden(),
            Documents::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
