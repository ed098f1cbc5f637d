//! `ReportRepo` on sea-orm: report categories, reports (indexed for search in the same
//! transaction), their append-only status history (inserted, never updated or deleted) and
//! supports (one row per resident, kept by the primary key).

use chrono::{DateTime, Utc};
use pnyx_domain::comments::TargetKind;
use pnyx_domain::i18n::Locale;
use pnyx_domain::ids::{OrgId, ReportId, UserId};
use pnyx_domain::repo::{Page, PageRequest, RepoResult};
use pnyx_domain::reports::{
    Category, Report, ReportFilter, ReportKind, ReportOrder, ReportRead, ReportRepo, ReportTimes, Status, StatusEntry,
};
use pnyx_domain::search::{Document, Kind};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationDef,
};
use uuid::Uuid;

use crate::codec::{bad, from_json, json, stale};
use crate::entities::{report_categories, report_status_entries, report_supports, reports, users};
use crate::{Conn, Db, map_db_err};
use crate::{counted, search};

/// The answer days of the category of the outer query's report, as a scalar sub-select (a
/// 64-bit integer, as the counts beside it are read).
fn answer_days() -> Expr {
    use report_categories::Column as K;
    let days = counted::scalar(
        Query::select()
            .column((report_categories::Entity, K::AnswerDays))
            .from(report_categories::Entity)
            .and_where(
                Expr::col((report_categories::Entity, K::Id)).equals((reports::Entity, reports::Column::CategoryId)),
            )
            .to_owned(),
    );
    days.cast_as("BIGINT")
}

fn category_from(m: report_categories::Model) -> RepoResult<Category> {
    Ok(Category {
        id: m.id.into(),
        org_id: m.org_id.into(),
        name: from_json("name", m.name)?,
        department: m.department,
        answer_days: u32::try_from(m.answer_days).map_err(|e| bad("answer_days", e))?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn category_model(c: &Category) -> RepoResult<report_categories::ActiveModel> {
    Ok(report_categories::ActiveModel {
        id: Set(c.id.into()),
        org_id: Set(c.org_id.into()),
        name: Set(json(&c.name)?),
        department: Set(c.department.clone()),
        answer_days: Set(i32::try_from(c.answer_days).map_err(|e| bad("answer_days", e))?),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
    })
}

fn status(what: &str, s: &str) -> RepoResult<Status> {
    Status::parse(s).ok_or_else(|| bad(what, s))
}

pub(crate) fn report_from(m: reports::Model) -> RepoResult<Report> {
    Ok(Report {
        id: m.id.into(),
        org_id: m.org_id.into(),
        kind: ReportKind::parse(&m.kind).ok_or_else(|| bad("kind", &m.kind))?,
        category_id: m.category_id.into(),
        title: m.title,
        description: m.description,
        locale: m.locale.parse::<Locale>().map_err(|e| bad("locale", e))?,
        latitude: m.latitude,
        longitude: m.longitude,
        address: m.address,
        author_id: m.author_id.into(),
        author_name: m.author_name,
        show_name: m.show_name,
        status: status("status", &m.status)?,
        duplicate_of: m.duplicate_of.map(ReportId::from),
        support_count: u64::try_from(m.support_count).map_err(|e| bad("support_count", e))?,
        first_answer_at: m.first_answer_at,
        resolved_at: m.resolved_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn report_model(r: &Report) -> RepoResult<reports::ActiveModel> {
    Ok(reports::ActiveModel {
        id: Set(r.id.into()),
        org_id: Set(r.org_id.into()),
        kind: Set(r.kind.as_str().to_owned()),
        category_id: Set(r.category_id.into()),
        title: Set(r.title.clone()),
        description: Set(r.description.clone()),
        locale: Set(r.locale.as_str().to_owned()),
        latitude: Set(r.latitude),
        longitude: Set(r.longitude),
        address: Set(r.address.clone()),
        author_id: Set(r.author_id.into()),
        author_name: Set(r.author_name.clone()),
        show_name: Set(r.show_name),
        status: Set(r.status.as_str().to_owned()),
        duplicate_of: Set(r.duplicate_of.map(Into::into)),
        support_count: Set(i64::try_from(r.support_count).map_err(|e| bad("support_count", e))?),
        first_answer_at: Set(r.first_answer_at),
        resolved_at: Set(r.resolved_at),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
    })
}

fn entry_from(m: report_status_entries::Model) -> RepoResult<StatusEntry> {
    Ok(StatusEntry {
        id: m.id,
        report_id: m.report_id.into(),
        from: m.from_status.as_deref().map(|s| status("from_status", s)).transpose()?,
        to: status("to_status", &m.to_status)?,
        answer: from_json("answer", m.answer)?,
        duplicate_of: m.duplicate_of.map(ReportId::from),
        author_id: m.author_id.map(UserId::from),
        created_at: m.created_at,
    })
}

fn entry_model(e: &StatusEntry) -> RepoResult<report_status_entries::ActiveModel> {
    Ok(report_status_entries::ActiveModel {
        id: Set(e.id),
        report_id: Set(e.report_id.into()),
        from_status: Set(e.from.map(|s| s.as_str().to_owned())),
        to_status: Set(e.to.as_str().to_owned()),
        answer: Set(json(&e.answer)?),
        duplicate_of: Set(e.duplicate_of.map(Into::into)),
        author_id: Set(e.author_id.map(Into::into)),
        created_at: Set(e.created_at),
    })
}

/// The filter as one condition.
fn condition(org_id: OrgId, filter: &ReportFilter) -> Condition {
    use reports::Column as C;
    let mut c = Condition::all().add(C::OrgId.eq(Uuid::from(org_id)));
    if let Some(cat) = filter.category {
        c = c.add(C::CategoryId.eq(Uuid::from(cat)));
    }
    if let Some(cats) = &filter.categories {
        c = c.add(C::CategoryId.is_in(cats.iter().map(|x| Uuid::from(*x))));
    }
    if !filter.statuses.is_empty() {
        c = c.add(C::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(k) = filter.kind {
        c = c.add(C::Kind.eq(k.as_str()));
    }
    if let Some(from) = filter.from {
        c = c.add(C::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        c = c.add(C::CreatedAt.lt(to));
    }
    if let Some(only) = &filter.only {
        c = c.add(C::Id.is_in(only.iter().copied()));
    }
    if let Some((late, overdue)) = &filter.overdue {
        // Overdue: still received and filed before its category's cut-off.
        if overdue.cutoffs.is_empty() {
            // No category has a deadline: nothing is overdue.
            if *late {
                c = c.add(Expr::cust("1 = 0"));
            }
        } else {
            let mut any = Condition::any();
            for (cat, cutoff) in &overdue.cutoffs {
                any = any.add(Condition::all().add(C::CategoryId.eq(Uuid::from(*cat))).add(C::CreatedAt.lt(*cutoff)));
            }
            let is_late = Condition::all().add(C::Status.eq(Status::Received.as_str())).add(any);
            c = c.add(if *late { is_late } else { is_late.not() });
        }
    }
    c
}

/// Every report, for rebuilding the search index.
pub(crate) async fn all_documents<C: sea_orm::ConnectionTrait>(conn: &C) -> RepoResult<Vec<Document>> {
    reports::Entity::find()
        .all(conn)
        .await
        .map_err(map_db_err)?
        .into_iter()
        .map(|m| report_from(m).map(|r| Document::report(&r)))
        .collect()
}

#[async_trait::async_trait]
impl<C: Conn> ReportRepo for Db<C> {
    async fn create_report_category(&self, c: &Category) -> RepoResult<()> {
        report_categories::Entity::insert(category_model(c)?).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn update_report_category(&self, c: &Category) -> RepoResult<()> {
        report_categories::Entity::update(category_model(c)?).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn report_categories(&self, org_id: OrgId) -> RepoResult<Vec<Category>> {
        report_categories::Entity::find()
            .filter(report_categories::Column::OrgId.eq(Uuid::from(org_id)))
            .order_by_asc(report_categories::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(category_from)
            .collect()
    }

    async fn create_report(&self, r: &Report, first: &StatusEntry) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        reports::Entity::insert(report_model(r)?).exec(&tx).await.map_err(map_db_err)?;
        report_status_entries::Entity::insert(entry_model(first)?).exec(&tx).await.map_err(map_db_err)?;
        search::put(&tx, Kind::Report, r.id.into(), Some(&Document::report(r))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn report(&self, org_id: OrgId, id: ReportId) -> RepoResult<Option<Report>> {
        reports::Entity::find_by_id(Uuid::from(id))
            .filter(reports::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(report_from)
            .transpose()
    }

    async fn report_read(&self, org_id: OrgId, id: ReportId, reader: Option<UserId>) -> RepoResult<Option<ReportRead>> {
        let supported = counted::by_reader::<report_supports::Entity>(
            reader,
            report_supports::Column::ReportId,
            report_supports::Column::UserId,
            (reports::Entity, reports::Column::Id),
        );
        // One row per line of the history (a report has at least its first), the report's
        // columns and counts repeated on each.
        let history = report_status_entries::Entity::belongs_to(reports::Entity)
            .from(report_status_entries::Column::ReportId)
            .to(reports::Column::Id)
            .into();
        let q = reports::Entity::find_by_id(Uuid::from(id))
            .filter(reports::Column::OrgId.eq(Uuid::from(org_id)))
            .column_as(
                counted::visible_comments(TargetKind::Report, (reports::Entity, reports::Column::Id)),
                counted::COUNTS[0],
            )
            .column_as(supported, counted::COUNTS[1])
            .column_as(answer_days(), counted::COUNTS[2])
            .join(JoinType::LeftJoin, RelationDef::rev(history))
            .select_also(report_status_entries::Entity)
            .order_by_asc(report_status_entries::Column::Id);
        let Some((r, history)): Option<(counted::Counted<reports::Model, 3>, Vec<report_status_entries::Model>)> =
            counted::parent_and_children(q, &self.conn).await.map_err(map_db_err)?
        else {
            return Ok(None);
        };
        Ok(Some(ReportRead {
            report: report_from(r.model)?,
            comment_count: r.counts[0],
            supported: r.counts[1] > 0,
            answer_days: u32::try_from(r.counts[2]).map_err(|e| bad("answer_days", e))?,
            history: history.into_iter().map(entry_from).collect::<RepoResult<Vec<_>>>()?,
        }))
    }

    async fn reports_page(
        &self,
        org_id: OrgId,
        filter: &ReportFilter,
        order: ReportOrder,
        page: PageRequest,
    ) -> RepoResult<Page<(Report, u32)>> {
        use reports::Column as C;
        let cond = condition(org_id, filter);
        // The total and each report's answer days ride beside each row of the page (one statement).
        let mut q = reports::Entity::find()
            .filter(cond.clone())
            .expr_as(crate::counted::total_of::<reports::Entity>(cond.clone()), crate::counted::TOTAL)
            .expr_as(answer_days(), counted::COUNTS[0]);
        if let Some(after) = page.after {
            q = match order {
                ReportOrder::Newest => q.filter(C::Id.lt(after)),
                ReportOrder::Oldest => q.filter(C::Id.gt(after)),
                ReportOrder::Supported => {
                    // After the cursor's report: fewer supports, or as many and filed earlier.
                    let supports: Option<i64> = reports::Entity::find_by_id(after)
                        .select_only()
                        .column(C::SupportCount)
                        .into_tuple()
                        .one(&self.conn)
                        .await
                        .map_err(map_db_err)?;
                    match supports {
                        Some(n) => q.filter(
                            Condition::any()
                                .add(C::SupportCount.lt(n))
                                .add(Condition::all().add(C::SupportCount.eq(n)).add(C::Id.lt(after))),
                        ),
                        None => {
                            let total = reports::Entity::find().filter(cond).count(&self.conn).await;
                            return Ok(Page { items: Vec::new(), next_after: None, total: total.map_err(map_db_err)? });
                        }
                    }
                }
            };
        }
        q = match order {
            ReportOrder::Newest => q.order_by_desc(C::Id),
            ReportOrder::Oldest => q.order_by_asc(C::Id),
            ReportOrder::Supported => q.order_by_desc(C::SupportCount).order_by_desc(C::Id),
        };
        let rows: Vec<counted::Paged<counted::Counted<reports::Model, 1>>> =
            q.limit(page.limit.saturating_add(1)).into_model().all(&self.conn).await.map_err(map_db_err)?;
        let (rows, total) = crate::counted::page_and_total::<reports::Entity, _, _>(rows, &self.conn, cond)
            .await
            .map_err(map_db_err)?;
        let rows = rows
            .into_iter()
            .map(|r| Ok((report_from(r.model)?, u32::try_from(r.counts[0]).map_err(|e| bad("answer_days", e))?)))
            .collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(rows, page.limit, total, |(r, _)| r.id))
    }

    async fn report_times(&self, org_id: OrgId) -> RepoResult<Vec<ReportTimes>> {
        use reports::Column as C;
        type Row = (Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
        let rows: Vec<Row> = reports::Entity::find()
            .select_only()
            .column(C::CategoryId)
            .column(C::Status)
            .column(C::CreatedAt)
            .column(C::FirstAnswerAt)
            .column(C::ResolvedAt)
            .filter(C::OrgId.eq(Uuid::from(org_id)))
            .order_by_asc(C::Id)
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        rows.into_iter()
            .map(|(category, st, created_at, first_answer_at, resolved_at)| {
                Ok(ReportTimes {
                    category_id: category.into(),
                    status: status("status", &st)?,
                    created_at,
                    first_answer_at,
                    resolved_at,
                })
            })
            .collect()
    }

    async fn recent_report_titled(
        &self,
        org_id: OrgId,
        author: UserId,
        title: &str,
        since: DateTime<Utc>,
    ) -> RepoResult<bool> {
        // In a unit of work, the author's row locked until it commits: two filings by one resident
        // take turns on PostgreSQL (SQLite's unit of work holds the write lock already), so the
        // second sees the first and is refused.
        users::Entity::find_by_id(Uuid::from(author))
            .select_only()
            .column(users::Column::Id)
            .lock_exclusive()
            .into_tuple::<Uuid>()
            .one(&self.conn)
            .await
            .map_err(map_db_err)?;
        let rows = reports::Entity::find()
            .filter(reports::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(reports::Column::AuthorId.eq(Uuid::from(author)))
            .filter(reports::Column::CreatedAt.gte(since))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        let wanted = title.trim().to_lowercase();
        Ok(rows.iter().any(|r| r.title.trim().to_lowercase() == wanted))
    }

    async fn change_report_status(&self, r: &Report, expected: DateTime<Utc>, entry: &StatusEntry) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let res = reports::Entity::update_many()
            .col_expr(reports::Column::Status, Expr::value(r.status.as_str()))
            .col_expr(reports::Column::DuplicateOf, Expr::value(r.duplicate_of.map(Uuid::from)))
            .col_expr(reports::Column::FirstAnswerAt, Expr::value(r.first_answer_at))
            .col_expr(reports::Column::ResolvedAt, Expr::value(r.resolved_at))
            .col_expr(reports::Column::UpdatedAt, Expr::value(r.updated_at))
            .filter(reports::Column::Id.eq(Uuid::from(r.id)))
            .filter(reports::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(stale());
        }
        report_status_entries::Entity::insert(entry_model(entry)?).exec(&tx).await.map_err(map_db_err)?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn report_history(&self, id: ReportId) -> RepoResult<Vec<StatusEntry>> {
        report_status_entries::Entity::find()
            .filter(report_status_entries::Column::ReportId.eq(Uuid::from(id)))
            .order_by_asc(report_status_entries::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(entry_from)
            .collect()
    }

    async fn support_report(&self, id: ReportId, user: UserId, at: DateTime<Utc>) -> RepoResult<u64> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let inserted = report_supports::Entity::insert(report_supports::ActiveModel {
            report_id: Set(id.into()),
            user_id: Set(user.into()),
            created_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([report_supports::Column::ReportId, report_supports::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&tx)
        .await
        .map_err(map_db_err)?;
        if inserted == 1 {
            reports::Entity::update_many()
                .col_expr(reports::Column::SupportCount, Expr::col(reports::Column::SupportCount).add(1))
                .filter(reports::Column::Id.eq(Uuid::from(id)))
                .exec(&tx)
                .await
                .map_err(map_db_err)?;
        }
        let count = reports::Entity::find_by_id(Uuid::from(id))
            .one(&tx)
            .await
            .map_err(map_db_err)?
            .map_or(0, |m| u64::try_from(m.support_count).unwrap_or(0));
        tx.commit().await.map_err(map_db_err)?;
        Ok(count)
    }

    async fn unsupport_report(&self, id: ReportId, user: UserId) -> RepoResult<u64> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let deleted = report_supports::Entity::delete_by_id((Uuid::from(id), Uuid::from(user)))
            .exec(&tx)
            .await
            .map_err(map_db_err)?
            .rows_affected;
        if deleted == 1 {
            reports::Entity::update_many()
                .col_expr(reports::Column::SupportCount, Expr::col(reports::Column::SupportCount).sub(1))
                .filter(reports::Column::Id.eq(Uuid::from(id)))
                .exec(&tx)
                .await
                .map_err(map_db_err)?;
        }
        let count = reports::Entity::find_by_id(Uuid::from(id))
            .one(&tx)
            .await
            .map_err(map_db_err)?
            .map_or(0, |m| u64::try_from(m.support_count).unwrap_or(0));
        tx.commit().await.map_err(map_db_err)?;
        Ok(count)
    }

    async fn supports_report(&self, id: ReportId, user: UserId) -> RepoResult<bool> {
        Ok(report_supports::Entity::find_by_id((Uuid::from(id), Uuid::from(user)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .is_some())
    }
}
