//! Comments on public resources and their moderation: comments (one level of replies), the
//! threads staff closed, residents' reports with a tally per reported item (and a moderator's
//! reason for hiding a budget proposal), blocks, and each organisation's report threshold.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    OrgId,
    TargetKind,
    TargetId,
    ParentId,
    AuthorId,
    AuthorName,
    Official,
    Body,
    State,
    HiddenReason,
    CreatedAt,
    EditedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CommentThreads {
    Table,
    OrgId,
    TargetKind,
    TargetId,
    Closed,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContentReports {
    Table,
    Id,
    OrgId,
    ItemKind,
    ItemId,
    ReporterId,
    Reason,
    Details,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ModerationItems {
    Table,
    ItemKind,
    ItemId,
    OrgId,
    OpenReports,
    LastReportedAt,
    HiddenReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CommentBlocks {
    Table,
    Id,
    OrgId,
    UserId,
    UserName,
    Until,
    Reason,
    LiftedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ModerationSettings {
    Table,
    OrgId,
    ReportThreshold,
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

fn org_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Organisations::Table, Organisations::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Comments::Table)
                    .col(uuid(Comments::Id).primary_key())
                    .col(uuid(Comments::OrgId))
                    .col(string_len(Comments::TargetKind, 32))
                    .col(uuid(Comments::TargetId))
                    .col(uuid_null(Comments::ParentId))
                    .col(uuid_null(Comments::AuthorId))
                    .col(string_len(Comments::AuthorName, 100))
                    .col(boolean(Comments::Official).default(false))
                    .col(text_null(Comments::Body))
                    .col(string_len(Comments::State, 16))
                    .col(text_null(Comments::HiddenReason))
                    .col(timestamp_with_time_zone(Comments::CreatedAt))
                    .col(timestamp_with_time_zone_null(Comments::EditedAt))
                    .col(timestamp_with_time_zone(Comments::UpdatedAt))
                    .foreign_key(&mut org_fk(Comments::Table, Comments::OrgId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, Comments::ParentId)
                            .to(Comments::Table, Comments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, Comments::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // A thread's page (its top-level comments by id) and the counts per target.
        manager
            .create_index(
                Index::create()
                    .name("idx_comments_target")
                    .table(Comments::Table)
                    .col(Comments::TargetKind)
                    .col(Comments::TargetId)
                    .col(Comments::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_comments_parent").table(Comments::Table).col(Comments::ParentId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CommentThreads::Table)
                    .col(uuid(CommentThreads::OrgId))
                    .col(string_len(CommentThreads::TargetKind, 32))
                    .col(uuid(CommentThreads::TargetId))
                    .col(boolean(CommentThreads::Closed).default(false))
                    .col(timestamp_with_time_zone(CommentThreads::CreatedAt))
                    .col(timestamp_with_time_zone(CommentThreads::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(CommentThreads::OrgId)
                            .col(CommentThreads::TargetKind)
                            .col(CommentThreads::TargetId),
                    )
                    .foreign_key(&mut org_fk(CommentThreads::Table, CommentThreads::OrgId))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContentReports::Table)
                    .col(uuid(ContentReports::Id).primary_key())
                    .col(uuid(ContentReports::OrgId))
                    .col(string_len(ContentReports::ItemKind, 32))
                    .col(uuid(ContentReports::ItemId))
                    .col(uuid(ContentReports::ReporterId))
                    .col(string_len(ContentReports::Reason, 32))
                    .col(string_len_null(ContentReports::Details, 2000))
                    .col(string_len(ContentReports::Status, 16))
                    .col(timestamp_with_time_zone(ContentReports::CreatedAt))
                    .col(timestamp_with_time_zone(ContentReports::UpdatedAt))
                    .foreign_key(&mut org_fk(ContentReports::Table, ContentReports::OrgId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContentReports::Table, ContentReports::ReporterId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One report per person per item, whatever became of it.
        manager
            .create_index(
                Index::create()
                    .name("uq_content_reports_reporter")
                    .table(ContentReports::Table)
                    .col(ContentReports::ItemKind)
                    .col(ContentReports::ItemId)
                    .col(ContentReports::ReporterId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ModerationItems::Table)
                    .col(string_len(ModerationItems::ItemKind, 32))
                    .col(uuid(ModerationItems::ItemId))
                    .col(uuid(ModerationItems::OrgId))
                    .col(integer(ModerationItems::OpenReports).default(0))
                    .col(timestamp_with_time_zone(ModerationItems::LastReportedAt))
                    // A moderator's public reason for hiding an item that has no state of its own
                    // (a budget proposal).
                    .col(text_null(ModerationItems::HiddenReason))
                    .col(timestamp_with_time_zone(ModerationItems::CreatedAt))
                    .col(timestamp_with_time_zone(ModerationItems::UpdatedAt))
                    .primary_key(Index::create().col(ModerationItems::ItemKind).col(ModerationItems::ItemId))
                    .foreign_key(&mut org_fk(ModerationItems::Table, ModerationItems::OrgId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_moderation_items_org")
                    .table(ModerationItems::Table)
                    .col(ModerationItems::OrgId)
                    .col(ModerationItems::OpenReports)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CommentBlocks::Table)
                    .col(uuid(CommentBlocks::Id).primary_key())
                    .col(uuid(CommentBlocks::OrgId))
                    .col(uuid(CommentBlocks::UserId))
                    .col(string_len(CommentBlocks::UserName, 100))
                    .col(timestamp_with_time_zone(CommentBlocks::Until))
                    .col(string_len(CommentBlocks::Reason, 2000))
                    .col(timestamp_with_time_zone_null(CommentBlocks::LiftedAt))
                    .col(timestamp_with_time_zone(CommentBlocks::CreatedAt))
                    .col(timestamp_with_time_zone(CommentBlocks::UpdatedAt))
                    .foreign_key(&mut org_fk(CommentBlocks::Table, CommentBlocks::OrgId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommentBlocks::Table, CommentBlocks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_comment_blocks_user")
                    .table(CommentBlocks::Table)
                    .col(CommentBlocks::OrgId)
                    .col(CommentBlocks::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ModerationSettings::Table)
                    .col(uuid(ModerationSettings::OrgId).primary_key())
                    .col(integer(ModerationSettings::ReportThreshold).default(3))
                    .col(timestamp_with_time_zone(ModerationSettings::CreatedAt))
                    .col(timestamp_with_time_zone(ModerationSettings::UpdatedAt))
                    .foreign_key(&mut org_fk(ModerationSettings::Table, ModerationSettings::OrgId))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ModerationSettings::Table.into_iden(),
            CommentBlocks::Table.into_iden(),
            ModerationItems::Table.into_iden(),
            ContentReports::Table.into_iden(),
            CommentThreads::Table.into_iden(),
            Comments::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
