//! `WorkspaceRepo` on sea-orm: for each kind of waiting item, one count and one page of the
//! oldest, filtered in the database (with a sub-select for the organisation), then one query for
//! the titles of the processes, consultations or commitments those items belong to.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::i18n::LocalizedText;
use pnyx_domain::ids::OrgId;
use pnyx_domain::repo::RepoResult;
use pnyx_domain::workspace::{
    Attention, MeetingWithoutMinutes, OverdueMilestone, OverdueReport, ProposalToReview, UnansweredOpinion, Waiting,
    WorkspaceRepo, excerpt,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::codec::from_json;
use crate::entities::{
    budget_proposals, budgets, commitments, consultations, meetings, milestones, opinions, report_categories, reports,
};
use crate::{Conn, Db, map_db_err};
use pnyx_domain::reports::{Status, is_overdue};

/// The titles of `ids` in `entity`, read in one query.
macro_rules! titles {
    ($conn:expr, $entity:ident, $ids:expr) => {{
        let rows =
            $entity::Entity::find().filter($entity::Column::Id.is_in($ids)).all($conn).await.map_err(map_db_err)?;
        rows.into_iter()
            .map(|m| Ok((m.id, (from_json::<LocalizedText>("title", m.title.clone())?, m))))
            .collect::<RepoResult<HashMap<Uuid, (LocalizedText, $entity::Model)>>>()?
    }};
}

#[async_trait::async_trait]
impl<C: Conn> WorkspaceRepo for Db<C> {
    async fn attention(
        &self,
        org_id: OrgId,
        now: DateTime<Utc>,
        today: NaiveDate,
        limit: u64,
    ) -> RepoResult<Attention> {
        let org = Uuid::from(org_id);
        let conn = &self.conn;

        // Proposals still to review in a process that is in its review phase.
        let in_review = Query::select()
            .column(budgets::Column::Id)
            .from(budgets::Entity)
            .and_where(budgets::Column::OrgId.eq(org))
            .and_where(budgets::Column::Phase.eq("review"))
            .to_owned();
        let base = budget_proposals::Entity::find()
            .filter(budget_proposals::Column::OrgId.eq(org))
            .filter(budget_proposals::Column::Review.eq("submitted"))
            .filter(budget_proposals::Column::BudgetId.in_subquery(in_review));
        let total = base.clone().count(conn).await.map_err(map_db_err)?;
        let rows = base
            .order_by_asc(budget_proposals::Column::CreatedAt)
            .order_by_asc(budget_proposals::Column::Id)
            .limit(limit)
            .all(conn)
            .await
            .map_err(map_db_err)?;
        let processes = titles!(conn, budgets, rows.iter().map(|p| p.budget_id).collect::<Vec<_>>());
        let proposals_to_review = Waiting {
            total,
            items: rows
                .into_iter()
                .map(|p| {
                    Ok(ProposalToReview {
                        budget_id: p.budget_id.into(),
                        budget_title: processes.get(&p.budget_id).map(|(t, _)| t.clone()).unwrap_or_default(),
                        proposal_id: p.id.into(),
                        title: from_json("title", p.title)?,
                        submitted_at: p.created_at,
                    })
                })
                .collect::<RepoResult<_>>()?,
        };

        // Opinions nobody has answered (hidden ones are dealt with).
        let of_org = Query::select()
            .column(consultations::Column::Id)
            .from(consultations::Entity)
            .and_where(consultations::Column::OrgId.eq(org))
            .to_owned();
        let base = opinions::Entity::find()
            .filter(opinions::Column::ConsultationId.in_subquery(of_org))
            .filter(opinions::Column::Answer.is_null())
            .filter(opinions::Column::Hidden.eq(false));
        let total = base.clone().count(conn).await.map_err(map_db_err)?;
        let rows = base
            .order_by_asc(opinions::Column::CreatedAt)
            .order_by_asc(opinions::Column::Id)
            .limit(limit)
            .all(conn)
            .await
            .map_err(map_db_err)?;
        let consulted = titles!(conn, consultations, rows.iter().map(|o| o.consultation_id).collect::<Vec<_>>());
        let unanswered_opinions = Waiting {
            total,
            items: rows
                .into_iter()
                .map(|o| UnansweredOpinion {
                    consultation_id: o.consultation_id.into(),
                    consultation_title: consulted.get(&o.consultation_id).map(|(t, _)| t.clone()).unwrap_or_default(),
                    opinion_id: o.id,
                    excerpt: excerpt(&o.text),
                    given_at: o.created_at,
                })
                .collect(),
        };

        // Meetings that have ended, were not cancelled, and have no minutes yet.
        let base = meetings::Entity::find()
            .filter(meetings::Column::OrgId.eq(org))
            .filter(meetings::Column::EndsAt.lt(now))
            .filter(meetings::Column::Status.ne("cancelled"))
            .filter(meetings::Column::Minutes.is_null());
        let total = base.clone().count(conn).await.map_err(map_db_err)?;
        let rows = base
            .order_by_asc(meetings::Column::EndsAt)
            .order_by_asc(meetings::Column::Id)
            .limit(limit)
            .all(conn)
            .await
            .map_err(map_db_err)?;
        let meetings_without_minutes = Waiting {
            total,
            items: rows
                .into_iter()
                .map(|m| {
                    Ok(MeetingWithoutMinutes {
                        meeting_id: m.id.into(),
                        title: from_json("title", m.title)?,
                        ended_at: m.ends_at,
                    })
                })
                .collect::<RepoResult<_>>()?,
        };

        // Milestones whose end date has passed, neither done nor cancelled.
        let of_org = Query::select()
            .column(commitments::Column::Id)
            .from(commitments::Entity)
            .and_where(commitments::Column::OrgId.eq(org))
            .to_owned();
        let base = milestones::Entity::find()
            .filter(milestones::Column::CommitmentId.in_subquery(of_org))
            .filter(milestones::Column::EndDate.lt(today))
            .filter(milestones::Column::Status.is_not_in(["done", "cancelled"]));
        let total = base.clone().count(conn).await.map_err(map_db_err)?;
        let rows = base
            .order_by_asc(milestones::Column::EndDate)
            .order_by_asc(milestones::Column::Id)
            .limit(limit)
            .all(conn)
            .await
            .map_err(map_db_err)?;
        let committed = titles!(conn, commitments, rows.iter().map(|m| m.commitment_id).collect::<Vec<_>>());
        let overdue_milestones = Waiting {
            total,
            items: rows
                .into_iter()
                .filter_map(|m| {
                    let (commitment_title, c) = committed.get(&m.commitment_id)?;
                    Some(from_json("title", m.title).map(|title| OverdueMilestone {
                        plan_id: c.action_plan_id.into(),
                        commitment_id: m.commitment_id.into(),
                        commitment_title: commitment_title.clone(),
                        milestone_id: m.id,
                        title,
                        end_date: m.end_date,
                    }))
                })
                .collect::<RepoResult<_>>()?,
        };

        // Reports still unanswered past their category's deadline (the deadline differs per
        // category, so the few received reports are filtered here by the domain's rule).
        let categories: HashMap<Uuid, report_categories::Model> = report_categories::Entity::find()
            .filter(report_categories::Column::OrgId.eq(org))
            .all(conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let received = reports::Entity::find()
            .filter(reports::Column::OrgId.eq(org))
            .filter(reports::Column::Status.eq(Status::Received.as_str()))
            .order_by_asc(reports::Column::CreatedAt)
            .order_by_asc(reports::Column::Id)
            .all(conn)
            .await
            .map_err(map_db_err)?;
        let mut overdue = Vec::new();
        for r in received {
            let Some(c) = categories.get(&r.category_id) else { continue };
            let days = u32::try_from(c.answer_days).unwrap_or(0);
            if is_overdue(Status::Received, r.created_at, days, now) {
                overdue.push(OverdueReport {
                    report_id: r.id.into(),
                    title: r.title,
                    category_name: from_json("name", c.name.clone())?,
                    department: c.department.clone(),
                    received_at: r.created_at,
                    answer_due: r.created_at + chrono::Duration::days(i64::from(days)),
                });
            }
        }
        let overdue_reports = Waiting {
            total: overdue.len() as u64,
            items: overdue.into_iter().take(usize::try_from(limit).unwrap_or(usize::MAX)).collect(),
        };

        Ok(Attention {
            proposals_to_review,
            unanswered_opinions,
            meetings_without_minutes,
            overdue_milestones,
            overdue_reports,
        })
    }
}
