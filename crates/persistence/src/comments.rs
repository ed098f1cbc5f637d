//! `CommentRepo` on sea-orm: comments, closed threads, reports with their per-item tally, blocks
//! and moderation settings.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use pnyx_domain::comments::{
    Block, Comment, CommentRepo, CommentState, ItemKind, ItemRef, ModerationItem, ModerationSettings, Report,
    ReportReason, ReportStatus, Target, TargetKind,
};
use pnyx_domain::ids::{BudgetId, CommentId, ConsultationId, MeetingId, OrgId, ProposalId, UserId};
use pnyx_domain::repo::{Page, PageRequest, RepoResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::codec::bad;
use crate::entities::{
    budget_proposals, comment_blocks, comment_threads, comments, consultations, content_reports, meeting_activities,
    meetings, moderation_items, moderation_settings, opinions,
};
use crate::{Conn, Db, map_db_err};

fn comment_from(m: comments::Model) -> RepoResult<Comment> {
    let state = match (m.state.as_str(), m.hidden_reason) {
        ("visible", _) => CommentState::Visible,
        ("deleted", _) => CommentState::Deleted,
        ("under_review", _) => CommentState::UnderReview,
        ("hidden", reason) => CommentState::Hidden { reason: reason.unwrap_or_default() },
        (other, _) => return Err(bad("comment state", other)),
    };
    Ok(Comment {
        id: m.id.into(),
        org_id: m.org_id.into(),
        target: Target {
            kind: TargetKind::parse(&m.target_kind).ok_or_else(|| bad("target kind", &m.target_kind))?,
            id: m.target_id,
        },
        parent_id: m.parent_id.map(CommentId::from),
        author_id: m.author_id.map(UserId::from),
        author_name: m.author_name,
        official: m.official,
        body: m.body,
        state,
        created_at: m.created_at,
        edited_at: m.edited_at,
        updated_at: m.updated_at,
    })
}

fn comment_model(c: &Comment) -> comments::ActiveModel {
    let hidden_reason = match &c.state {
        CommentState::Hidden { reason } => Some(reason.clone()),
        _ => None,
    };
    comments::ActiveModel {
        id: Set(c.id.into()),
        org_id: Set(c.org_id.into()),
        target_kind: Set(c.target.kind.as_str().to_owned()),
        target_id: Set(c.target.id),
        parent_id: Set(c.parent_id.map(Into::into)),
        author_id: Set(c.author_id.map(Into::into)),
        author_name: Set(c.author_name.clone()),
        official: Set(c.official),
        body: Set(c.body.clone()),
        state: Set(c.state.as_str().to_owned()),
        hidden_reason: Set(hidden_reason),
        created_at: Set(c.created_at),
        edited_at: Set(c.edited_at),
        updated_at: Set(c.updated_at),
    }
}

fn report_from(m: content_reports::Model) -> RepoResult<Report> {
    Ok(Report {
        id: m.id,
        org_id: m.org_id.into(),
        item: ItemRef {
            kind: ItemKind::parse(&m.item_kind).ok_or_else(|| bad("item kind", &m.item_kind))?,
            id: m.item_id,
        },
        reporter_id: m.reporter_id.into(),
        reason: ReportReason::parse(&m.reason).ok_or_else(|| bad("report reason", &m.reason))?,
        details: m.details,
        status: ReportStatus::parse(&m.status).ok_or_else(|| bad("report status", &m.status))?,
        created_at: m.created_at,
    })
}

fn block_from(m: comment_blocks::Model) -> Block {
    Block {
        id: m.id,
        org_id: m.org_id.into(),
        user_id: m.user_id.into(),
        user_name: m.user_name,
        until: m.until,
        reason: m.reason,
        created_at: m.created_at,
        lifted_at: m.lifted_at,
    }
}

fn item_condition(items: &[ItemRef]) -> Condition {
    items.iter().fold(Condition::any(), |c, i| {
        c.add(
            Condition::all()
                .add(content_reports::Column::ItemKind.eq(i.kind.as_str()))
                .add(content_reports::Column::ItemId.eq(i.id)),
        )
    })
}

#[async_trait::async_trait]
impl<C: Conn> CommentRepo for Db<C> {
    async fn thread_closed(&self, org_id: OrgId, target: Target) -> RepoResult<bool> {
        let row = comment_threads::Entity::find_by_id((Uuid::from(org_id), target.kind.as_str().to_owned(), target.id))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(row.is_some_and(|t| t.closed))
    }

    async fn set_thread_closed(
        &self,
        org_id: OrgId,
        target: Target,
        closed: bool,
        at: DateTime<Utc>,
    ) -> RepoResult<()> {
        use comment_threads::Column as T;
        comment_threads::Entity::insert(comment_threads::ActiveModel {
            org_id: Set(org_id.into()),
            target_kind: Set(target.kind.as_str().to_owned()),
            target_id: Set(target.id),
            closed: Set(closed),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([T::OrgId, T::TargetKind, T::TargetId])
                .update_columns([T::Closed, T::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn add_comment(&self, c: &Comment) -> RepoResult<()> {
        comments::Entity::insert(comment_model(c)).exec_without_returning(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn comment(&self, org_id: OrgId, id: CommentId) -> RepoResult<Option<Comment>> {
        comments::Entity::find_by_id(Uuid::from(id))
            .filter(comments::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(comment_from)
            .transpose()
    }

    async fn comments_by_ids(&self, org_id: OrgId, ids: &[Uuid]) -> RepoResult<Vec<Comment>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        comments::Entity::find()
            .filter(comments::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(comments::Column::Id.is_in(ids.iter().copied()))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(comment_from)
            .collect()
    }

    async fn update_comment(&self, c: &Comment) -> RepoResult<()> {
        comments::Entity::update(comment_model(c)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn top_level_comments(&self, org_id: OrgId, target: Target, page: PageRequest) -> RepoResult<Page<Comment>> {
        use comments::Column as C;
        let base = comments::Entity::find()
            .filter(C::OrgId.eq(Uuid::from(org_id)))
            .filter(C::TargetKind.eq(target.kind.as_str()))
            .filter(C::TargetId.eq(target.id))
            .filter(C::ParentId.is_null());
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_asc(C::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(C::Id.gt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let items = rows.into_iter().map(comment_from).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, total, |c| c.id))
    }

    async fn replies_to(&self, parents: &[CommentId]) -> RepoResult<Vec<Comment>> {
        if parents.is_empty() {
            return Ok(Vec::new());
        }
        comments::Entity::find()
            .filter(comments::Column::ParentId.is_in(parents.iter().map(|p| Uuid::from(*p))))
            .order_by_asc(comments::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(comment_from)
            .collect()
    }

    async fn comment_counts(&self, kind: TargetKind, ids: &[Uuid]) -> RepoResult<HashMap<Uuid, u64>> {
        use comments::Column as C;
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, i64)> = comments::Entity::find()
            .select_only()
            .column(C::TargetId)
            .column_as(C::Id.count(), "n")
            .filter(C::TargetKind.eq(kind.as_str()))
            .filter(C::TargetId.is_in(ids.iter().copied()))
            .filter(C::State.eq(CommentState::Visible.as_str()))
            .group_by(C::TargetId)
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows.into_iter().map(|(id, n)| (id, u64::try_from(n).unwrap_or(0))).collect())
    }

    async fn proposal_budget(&self, org_id: OrgId, id: ProposalId) -> RepoResult<Option<BudgetId>> {
        let row: Option<Uuid> = budget_proposals::Entity::find_by_id(Uuid::from(id))
            .select_only()
            .column(budget_proposals::Column::BudgetId)
            .filter(budget_proposals::Column::OrgId.eq(Uuid::from(org_id)))
            .into_tuple()
            .one(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(row.map(BudgetId::from))
    }

    async fn activity_meeting(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<MeetingId>> {
        let Some(a) = meeting_activities::Entity::find_by_id(id).one(&self.conn).await.map_err(map_db_err)? else {
            return Ok(None);
        };
        let in_org = meetings::Entity::find_by_id(a.meeting_id)
            .filter(meetings::Column::OrgId.eq(Uuid::from(org_id)))
            .count(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok((in_org == 1).then(|| MeetingId::from(a.meeting_id)))
    }

    async fn opinion_consultation(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<ConsultationId>> {
        let Some(o) = opinions::Entity::find_by_id(id).one(&self.conn).await.map_err(map_db_err)? else {
            return Ok(None);
        };
        let in_org = consultations::Entity::find_by_id(o.consultation_id)
            .filter(consultations::Column::OrgId.eq(Uuid::from(org_id)))
            .count(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok((in_org == 1).then(|| ConsultationId::from(o.consultation_id)))
    }

    async fn add_report(&self, r: &Report) -> RepoResult<()> {
        content_reports::Entity::insert(content_reports::ActiveModel {
            id: Set(r.id),
            org_id: Set(r.org_id.into()),
            item_kind: Set(r.item.kind.as_str().to_owned()),
            item_id: Set(r.item.id),
            reporter_id: Set(r.reporter_id.into()),
            reason: Set(r.reason.as_str().to_owned()),
            details: Set(r.details.clone()),
            status: Set(r.status.as_str().to_owned()),
            created_at: Set(r.created_at),
            updated_at: Set(r.created_at),
        })
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn count_report(&self, org_id: OrgId, item: ItemRef, at: DateTime<Utc>) -> RepoResult<u32> {
        use moderation_items::Column as M;
        moderation_items::Entity::insert(moderation_items::ActiveModel {
            item_kind: Set(item.kind.as_str().to_owned()),
            item_id: Set(item.id),
            org_id: Set(org_id.into()),
            open_reports: Set(0),
            last_reported_at: Set(at),
            hidden_reason: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .on_conflict(OnConflict::columns([M::ItemKind, M::ItemId]).do_nothing().to_owned())
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        // The increment takes the row's lock (PostgreSQL) or runs under the write lock (SQLite):
        // a concurrent report waits, then adds to the count this one left.
        moderation_items::Entity::update_many()
            .col_expr(M::OpenReports, Expr::col(M::OpenReports).add(1))
            .col_expr(M::LastReportedAt, Expr::value(at))
            .col_expr(M::UpdatedAt, Expr::value(at))
            .filter(M::ItemKind.eq(item.kind.as_str()))
            .filter(M::ItemId.eq(item.id))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        let n: Option<i32> = moderation_items::Entity::find_by_id((item.kind.as_str().to_owned(), item.id))
            .select_only()
            .column(M::OpenReports)
            .into_tuple()
            .one(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
    }

    async fn reported_by(&self, user_id: UserId, kind: ItemKind, ids: &[Uuid]) -> RepoResult<HashSet<Uuid>> {
        use content_reports::Column as R;
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let rows: Vec<Uuid> = content_reports::Entity::find()
            .select_only()
            .column(R::ItemId)
            .filter(R::ReporterId.eq(Uuid::from(user_id)))
            .filter(R::ItemKind.eq(kind.as_str()))
            .filter(R::ItemId.is_in(ids.iter().copied()))
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows.into_iter().collect())
    }

    async fn moderation_items(&self, org_id: OrgId) -> RepoResult<Vec<ModerationItem>> {
        use moderation_items::Column as M;
        moderation_items::Entity::find()
            .filter(M::OrgId.eq(Uuid::from(org_id)))
            .filter(M::OpenReports.gt(0))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|m| {
                Ok(ModerationItem {
                    org_id: m.org_id.into(),
                    item: ItemRef {
                        kind: ItemKind::parse(&m.item_kind).ok_or_else(|| bad("item kind", &m.item_kind))?,
                        id: m.item_id,
                    },
                    open_reports: u32::try_from(m.open_reports).unwrap_or(0),
                    last_reported_at: m.last_reported_at,
                })
            })
            .collect()
    }

    async fn open_reports(&self, org_id: OrgId, items: &[ItemRef]) -> RepoResult<Vec<Report>> {
        use content_reports::Column as R;
        if items.is_empty() {
            return Ok(Vec::new());
        }
        content_reports::Entity::find()
            .filter(R::OrgId.eq(Uuid::from(org_id)))
            .filter(R::Status.eq(ReportStatus::Open.as_str()))
            .filter(item_condition(items))
            .order_by_asc(R::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(report_from)
            .collect()
    }

    async fn close_reports(
        &self,
        org_id: OrgId,
        item: ItemRef,
        status: ReportStatus,
        at: DateTime<Utc>,
    ) -> RepoResult<u64> {
        use content_reports::Column as R;
        let res = content_reports::Entity::update_many()
            .col_expr(R::Status, Expr::value(status.as_str()))
            .col_expr(R::UpdatedAt, Expr::value(at))
            .filter(R::OrgId.eq(Uuid::from(org_id)))
            .filter(R::ItemKind.eq(item.kind.as_str()))
            .filter(R::ItemId.eq(item.id))
            .filter(R::Status.eq(ReportStatus::Open.as_str()))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        moderation_items::Entity::update_many()
            .col_expr(moderation_items::Column::OpenReports, Expr::value(0))
            .col_expr(moderation_items::Column::UpdatedAt, Expr::value(at))
            .filter(moderation_items::Column::ItemKind.eq(item.kind.as_str()))
            .filter(moderation_items::Column::ItemId.eq(item.id))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected)
    }

    async fn hidden_reasons(&self, kind: ItemKind, ids: &[Uuid]) -> RepoResult<HashMap<Uuid, String>> {
        use moderation_items::Column as M;
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, Option<String>)> = moderation_items::Entity::find()
            .select_only()
            .column(M::ItemId)
            .column(M::HiddenReason)
            .filter(M::ItemKind.eq(kind.as_str()))
            .filter(M::ItemId.is_in(ids.iter().copied()))
            .filter(M::HiddenReason.is_not_null())
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows.into_iter().filter_map(|(id, r)| r.map(|r| (id, r))).collect())
    }

    async fn set_hidden_reason(
        &self,
        org_id: OrgId,
        item: ItemRef,
        reason: Option<String>,
        at: DateTime<Utc>,
    ) -> RepoResult<()> {
        use moderation_items::Column as M;
        moderation_items::Entity::insert(moderation_items::ActiveModel {
            item_kind: Set(item.kind.as_str().to_owned()),
            item_id: Set(item.id),
            org_id: Set(org_id.into()),
            open_reports: Set(0),
            last_reported_at: Set(at),
            hidden_reason: Set(reason),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([M::ItemKind, M::ItemId]).update_columns([M::HiddenReason, M::UpdatedAt]).to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn add_block(&self, b: &Block) -> RepoResult<()> {
        comment_blocks::Entity::insert(comment_blocks::ActiveModel {
            id: Set(b.id),
            org_id: Set(b.org_id.into()),
            user_id: Set(b.user_id.into()),
            user_name: Set(b.user_name.clone()),
            until: Set(b.until),
            reason: Set(b.reason.clone()),
            lifted_at: Set(b.lifted_at),
            created_at: Set(b.created_at),
            updated_at: Set(b.created_at),
        })
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn active_block(&self, org_id: OrgId, user_id: UserId, now: DateTime<Utc>) -> RepoResult<Option<Block>> {
        use comment_blocks::Column as B;
        Ok(comment_blocks::Entity::find()
            .filter(B::OrgId.eq(Uuid::from(org_id)))
            .filter(B::UserId.eq(Uuid::from(user_id)))
            .filter(B::LiftedAt.is_null())
            .filter(B::Until.gt(now))
            .order_by_desc(B::Until)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(block_from))
    }

    async fn blocks(&self, org_id: OrgId, now: DateTime<Utc>) -> RepoResult<Vec<Block>> {
        use comment_blocks::Column as B;
        Ok(comment_blocks::Entity::find()
            .filter(B::OrgId.eq(Uuid::from(org_id)))
            .filter(B::LiftedAt.is_null())
            .filter(B::Until.gt(now))
            .order_by_desc(B::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(block_from)
            .collect())
    }

    async fn block(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<Block>> {
        Ok(comment_blocks::Entity::find_by_id(id)
            .filter(comment_blocks::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(block_from))
    }

    async fn lift_block(&self, org_id: OrgId, id: Uuid, at: DateTime<Utc>) -> RepoResult<bool> {
        use comment_blocks::Column as B;
        let res = comment_blocks::Entity::update_many()
            .col_expr(B::LiftedAt, Expr::value(Some(at)))
            .col_expr(B::UpdatedAt, Expr::value(at))
            .filter(B::Id.eq(id))
            .filter(B::OrgId.eq(Uuid::from(org_id)))
            .filter(B::LiftedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn moderation_settings(&self, org_id: OrgId) -> RepoResult<ModerationSettings> {
        let row =
            moderation_settings::Entity::find_by_id(Uuid::from(org_id)).one(&self.conn).await.map_err(map_db_err)?;
        Ok(match row {
            Some(m) => {
                ModerationSettings { report_threshold: Ord::max(u32::try_from(m.report_threshold).unwrap_or(1), 1) }
            }
            None => ModerationSettings::default(),
        })
    }

    async fn put_moderation_settings(&self, org_id: OrgId, s: ModerationSettings, at: DateTime<Utc>) -> RepoResult<()> {
        use moderation_settings::Column as S;
        moderation_settings::Entity::insert(moderation_settings::ActiveModel {
            org_id: Set(org_id.into()),
            report_threshold: Set(i32::try_from(s.report_threshold).unwrap_or(i32::MAX)),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .on_conflict(OnConflict::column(S::OrgId).update_columns([S::ReportThreshold, S::UpdatedAt]).to_owned())
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }
}
