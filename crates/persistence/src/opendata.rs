//! `OpenDataRepo` on sea-orm: per dataset, one filter saying what is public (a sub-select for
//! what belongs to the organisation), a count and latest change for `ETag`/`Last-Modified`, and
//! keyset pages in id order that the API streams. Columns that would identify a resident
//! (account ids, names, e-mail addresses) are never read into a row.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::OrgId;
use pnyx_domain::opendata::{Dataset, OpenDataRepo, Row, RowPage, Stamp};
use pnyx_domain::repo::RepoResult;
use sea_orm::sea_query::{Condition, Expr, Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entities::{
    action_plans, budget_ballots, budget_proposals, budget_supports, budgets, commitments, consultations,
    history_entries, meeting_registrations, meetings, milestones, open_data_settings, opinions, report_status_entries,
    report_supports, reports, survey_responses, surveys,
};
use crate::{Conn, Db, map_db_err};

/// The ids of the organisation's plans residents may see (not drafts), as a sub-select.
pub(crate) fn public_plans(org: Uuid) -> SelectStatement {
    Query::select()
        .column(action_plans::Column::Id)
        .from(action_plans::Entity)
        .and_where(action_plans::Column::OrgId.eq(org))
        .and_where(action_plans::Column::Status.ne("draft"))
        .to_owned()
}

fn public_commitments(org: Uuid) -> SelectStatement {
    Query::select()
        .column(commitments::Column::Id)
        .from(commitments::Entity)
        .and_where(commitments::Column::OrgId.eq(org))
        .and_where(commitments::Column::ActionPlanId.in_subquery(public_plans(org)))
        .to_owned()
}

fn org_consultations(org: Uuid) -> SelectStatement {
    Query::select()
        .column(consultations::Column::Id)
        .from(consultations::Entity)
        .and_where(consultations::Column::OrgId.eq(org))
        .to_owned()
}

fn consultations_showing_opinions(org: Uuid) -> SelectStatement {
    org_consultations(org).and_where(consultations::Column::OpinionsPublic.eq(true)).to_owned()
}

fn public_result_surveys(org: Uuid) -> SelectStatement {
    Query::select()
        .column(surveys::Column::Id)
        .from(surveys::Entity)
        .and_where(surveys::Column::OrgId.eq(org))
        .and_where(surveys::Column::ResultsPublic.eq(true))
        .to_owned()
}

fn org_meetings(org: Uuid) -> SelectStatement {
    Query::select()
        .column(meetings::Column::Id)
        .from(meetings::Entity)
        .and_where(meetings::Column::OrgId.eq(org))
        .to_owned()
}

fn org_budgets(org: Uuid) -> SelectStatement {
    Query::select()
        .column(budgets::Column::Id)
        .from(budgets::Entity)
        .and_where(budgets::Column::OrgId.eq(org))
        .to_owned()
}

fn org_reports(org: Uuid) -> SelectStatement {
    Query::select()
        .column(reports::Column::Id)
        .from(reports::Entity)
        .and_where(reports::Column::OrgId.eq(org))
        .to_owned()
}

fn plans(org: Uuid) -> Select<action_plans::Entity> {
    action_plans::Entity::find()
        .filter(action_plans::Column::OrgId.eq(org))
        .filter(action_plans::Column::Status.ne("draft"))
}
fn commitments_q(org: Uuid) -> Select<commitments::Entity> {
    commitments::Entity::find()
        .filter(commitments::Column::OrgId.eq(org))
        .filter(commitments::Column::ActionPlanId.in_subquery(public_plans(org)))
}
fn milestones_q(org: Uuid) -> Select<milestones::Entity> {
    milestones::Entity::find().filter(milestones::Column::CommitmentId.in_subquery(public_commitments(org)))
}
fn progress_q(org: Uuid) -> Select<history_entries::Entity> {
    history_entries::Entity::find().filter(history_entries::Column::OrgId.eq(org)).filter(
        Condition::any()
            .add(
                Condition::all()
                    .add(history_entries::Column::SubjectType.eq("commitment"))
                    .add(history_entries::Column::SubjectId.in_subquery(public_commitments(org))),
            )
            .add(
                Condition::all()
                    .add(history_entries::Column::SubjectType.eq("milestone"))
                    .add(history_entries::Column::ParentId.in_subquery(public_commitments(org))),
            )
            .add(history_entries::Column::SubjectType.eq("budget_project")),
    )
}
fn meetings_q(org: Uuid) -> Select<meetings::Entity> {
    meetings::Entity::find().filter(meetings::Column::OrgId.eq(org))
}
fn consultations_q(org: Uuid) -> Select<consultations::Entity> {
    consultations::Entity::find().filter(consultations::Column::OrgId.eq(org))
}
fn opinions_q(org: Uuid) -> Select<opinions::Entity> {
    opinions::Entity::find()
        .filter(opinions::Column::ConsultationId.in_subquery(consultations_showing_opinions(org)))
        .filter(opinions::Column::Hidden.eq(false))
}
fn surveys_q(org: Uuid) -> Select<surveys::Entity> {
    surveys::Entity::find().filter(surveys::Column::OrgId.eq(org)).filter(surveys::Column::ResultsPublic.eq(true))
}
fn budgets_q(org: Uuid) -> Select<budgets::Entity> {
    budgets::Entity::find().filter(budgets::Column::OrgId.eq(org))
}
/// Processes whose vote has closed: their results are public.
fn result_budgets_q(org: Uuid) -> Select<budgets::Entity> {
    budgets_q(org).filter(budgets::Column::Phase.is_in(["results", "implementation"]))
}
fn proposals_q(org: Uuid) -> Select<budget_proposals::Entity> {
    budget_proposals::Entity::find().filter(budget_proposals::Column::OrgId.eq(org))
}
fn reports_q(org: Uuid) -> Select<reports::Entity> {
    reports::Entity::find().filter(reports::Column::OrgId.eq(org))
}

/// The count of `q` and its latest `col`.
async fn count_max<E, C, Col>(conn: &C, q: Select<E>, col: Col) -> RepoResult<(u64, Option<DateTime<Utc>>)>
where
    E: EntityTrait,
    E::Model: Sync,
    C: Conn,
    Col: ColumnTrait,
{
    let rows = q.clone().count(conn).await.map_err(map_db_err)?;
    let latest: Option<Option<DateTime<Utc>>> =
        q.select_only().column_as(col.max(), "latest").into_tuple().one(conn).await.map_err(map_db_err)?;
    Ok((rows, latest.flatten()))
}

fn id(u: Uuid) -> Value {
    Value::String(u.to_string())
}
fn opt_id(u: Option<Uuid>) -> Value {
    u.map_or(Value::Null, id)
}
fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}
fn opt_text(s: Option<String>) -> Value {
    s.map_or(Value::Null, Value::String)
}
fn time(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}
fn opt_time(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, time)
}
fn date(d: chrono::NaiveDate) -> Value {
    Value::String(d.to_string())
}
fn num<T: Into<Value>>(n: Option<T>) -> Value {
    n.map_or(Value::Null, Into::into)
}

/// One keyset page of `q` after `after`, in id order, each model mapped to a row.
macro_rules! page {
    ($conn:expr, $q:expr, $entity:ident, $after:expr, $limit:expr, |$m:ident| $row:expr) => {{
        let mut q = $q.order_by_asc($entity::Column::Id).limit($limit);
        if let Some(a) = $after {
            q = q.filter($entity::Column::Id.gt(a));
        }
        let models = q.all($conn).await.map_err(map_db_err)?;
        models.into_iter().map(|$m| (($m).id, $row)).collect::<Vec<(Uuid, Row)>>()
    }};
}

#[async_trait::async_trait]
impl<C: Conn> OpenDataRepo for Db<C> {
    async fn stamp(&self, org_id: OrgId, dataset: Dataset) -> RepoResult<Stamp> {
        let org = Uuid::from(org_id);
        let c = &self.conn;
        // The dataset's own rows, then what else a row shows (a parent that makes it public,
        // counters kept in other tables), whose changes must change the ETag too.
        let (rows, mut latest, extra) = match dataset {
            Dataset::ActionPlans => {
                let (n, m) = count_max(c, plans(org), action_plans::Column::UpdatedAt).await?;
                (n, m, vec![])
            }
            Dataset::Commitments => {
                let (n, m) = count_max(c, commitments_q(org), commitments::Column::UpdatedAt).await?;
                (n, m, vec![count_max(c, plans(org), action_plans::Column::UpdatedAt).await?])
            }
            Dataset::Milestones => {
                let (n, m) = count_max(c, milestones_q(org), milestones::Column::UpdatedAt).await?;
                (n, m, vec![count_max(c, plans(org), action_plans::Column::UpdatedAt).await?])
            }
            Dataset::Progress => {
                let (n, m) = count_max(c, progress_q(org), history_entries::Column::UpdatedAt).await?;
                (n, m, vec![count_max(c, plans(org), action_plans::Column::UpdatedAt).await?])
            }
            Dataset::Meetings => {
                let (n, m) = count_max(c, meetings_q(org), meetings::Column::UpdatedAt).await?;
                let regs = meeting_registrations::Entity::find()
                    .filter(meeting_registrations::Column::MeetingId.in_subquery(org_meetings(org)));
                (n, m, vec![count_max(c, regs, meeting_registrations::Column::UpdatedAt).await?])
            }
            Dataset::Consultations => {
                let (n, m) = count_max(c, consultations_q(org), consultations::Column::UpdatedAt).await?;
                (n, m, vec![])
            }
            Dataset::Opinions => {
                let (n, m) = count_max(c, opinions_q(org), opinions::Column::UpdatedAt).await?;
                (n, m, vec![count_max(c, consultations_q(org), consultations::Column::UpdatedAt).await?])
            }
            Dataset::SurveyResults => {
                let (n, m) = count_max(c, surveys_q(org), surveys::Column::UpdatedAt).await?;
                let responses = survey_responses::Entity::find()
                    .filter(survey_responses::Column::SurveyId.in_subquery(public_result_surveys(org)));
                (n, m, vec![count_max(c, responses, survey_responses::Column::UpdatedAt).await?])
            }
            Dataset::Budgets => {
                let (n, m) = count_max(c, budgets_q(org), budgets::Column::UpdatedAt).await?;
                (n, m, vec![])
            }
            Dataset::BudgetResults => {
                let (n, m) = count_max(c, result_budgets_q(org), budgets::Column::UpdatedAt).await?;
                let ballots = budget_ballots::Entity::find().filter(budget_ballots::Column::BudgetId.in_subquery(
                    org_budgets(org).and_where(budgets::Column::Phase.is_in(["results", "implementation"])).to_owned(),
                ));
                (n, m, vec![count_max(c, ballots, budget_ballots::Column::UpdatedAt).await?])
            }
            Dataset::BudgetProposals => {
                let (n, m) = count_max(c, proposals_q(org), budget_proposals::Column::UpdatedAt).await?;
                let supports = budget_supports::Entity::find().filter(
                    budget_supports::Column::ProposalId.in_subquery(
                        Query::select()
                            .column(budget_proposals::Column::Id)
                            .from(budget_proposals::Entity)
                            .and_where(budget_proposals::Column::BudgetId.in_subquery(org_budgets(org)))
                            .to_owned(),
                    ),
                );
                (n, m, vec![count_max(c, supports, budget_supports::Column::CreatedAt).await?])
            }
            Dataset::Reports => {
                let (n, m) = count_max(c, reports_q(org), reports::Column::UpdatedAt).await?;
                let supports = report_supports::Entity::find()
                    .filter(report_supports::Column::ReportId.in_subquery(org_reports(org)));
                let answers = report_status_entries::Entity::find()
                    .filter(report_status_entries::Column::ReportId.in_subquery(org_reports(org)));
                (
                    n,
                    m,
                    vec![
                        count_max(c, supports, report_supports::Column::CreatedAt).await?,
                        count_max(c, answers, report_status_entries::Column::CreatedAt).await?,
                    ],
                )
            }
        };
        let mut others = 0;
        for (n, m) in extra {
            others += n;
            latest = latest.max(m);
        }
        Ok(Stamp { rows, others, modified: latest })
    }

    async fn page(&self, org_id: OrgId, dataset: Dataset, after: Option<Uuid>, limit: u64) -> RepoResult<RowPage> {
        let org = Uuid::from(org_id);
        let c = &self.conn;
        Ok(match dataset {
            Dataset::ActionPlans => page!(c, plans(org), action_plans, after, limit, |m| vec![
                id(m.id),
                m.title,
                m.description,
                text(m.status),
                date(m.start_date),
                date(m.end_date),
                time(m.created_at),
                time(m.updated_at),
            ]),
            Dataset::Commitments => page!(c, commitments_q(org), commitments, after, limit, |m| vec![
                id(m.id),
                id(m.action_plan_id),
                m.title,
                text(m.lead),
                m.supporting_actors,
                m.problem,
                m.status_quo,
                m.objective,
                m.ogp_values,
                opt_text(m.theme),
                num(m.budget),
                m.irm.unwrap_or(Value::Null),
                time(m.created_at),
                time(m.updated_at),
            ]),
            Dataset::Milestones => page!(c, milestones_q(org), milestones, after, limit, |m| vec![
                id(m.id),
                id(m.commitment_id),
                Value::from(m.position),
                m.title,
                m.deliverable,
                date(m.start_date),
                date(m.end_date),
                text(m.status),
                m.completed_on.map_or(Value::Null, date),
                time(m.updated_at),
            ]),
            Dataset::Progress => page!(c, progress_q(org), history_entries, after, limit, |m| vec![
                id(m.id),
                text(m.subject_type),
                id(m.subject_id),
                opt_id(m.parent_id),
                date(m.occurred_on),
                m.entry,
                time(m.created_at),
            ]),
            Dataset::Meetings => page!(c, meetings_q(org), meetings, after, limit, |m| vec![
                id(m.id),
                m.title,
                m.description,
                text(m.kind),
                opt_text(m.address),
                num(m.latitude),
                num(m.longitude),
                // A link meant for the registered only is not published.
                if m.link_for_registrants_only { Value::Null } else { opt_text(m.online_url) },
                time(m.starts_at),
                time(m.ends_at),
                text(m.organiser),
                text(m.status),
                opt_text(m.cancel_reason),
                num(m.capacity),
                Value::from(m.confirmed_count),
                num(m.attendance),
                time(m.updated_at),
            ]),
            Dataset::Consultations => page!(c, consultations_q(org), consultations, after, limit, |m| vec![
                id(m.id),
                m.title,
                m.summary,
                text(m.subject),
                time(m.opens_at),
                time(m.closes_at),
                Value::Bool(m.allow_anonymous),
                Value::Bool(m.opinions_public),
                opt_id(m.survey_id),
                // The report's text is public once published, not while staff draft it.
                if m.report_published_at.is_some() { m.report_text.unwrap_or(Value::Null) } else { Value::Null },
                opt_time(m.report_published_at),
                time(m.updated_at),
            ]),
            Dataset::Opinions => page!(c, opinions_q(org), opinions, after, limit, |m| vec![
                id(m.id),
                id(m.consultation_id),
                opt_text(m.section),
                text(m.text),
                opt_text(m.answer),
                opt_time(m.answered_at),
                time(m.created_at),
            ]),
            Dataset::SurveyResults => page!(c, surveys_q(org), surveys, after, limit, |m| vec![id(m.id), m.title]),
            Dataset::BudgetResults => {
                page!(c, result_budgets_q(org), budgets, after, limit, |m| vec![id(m.id), m.title])
            }
            Dataset::Budgets => page!(c, budgets_q(org), budgets, after, limit, |m| vec![
                id(m.id),
                m.title,
                Value::from(m.total),
                text(m.currency),
                text(m.phase),
                text(m.outcome_rule),
                m.ballot_rule,
                m.districts,
                m.categories,
                m.schedule,
                time(m.updated_at),
            ]),
            Dataset::BudgetProposals => page!(c, proposals_q(org), budget_proposals, after, limit, |m| vec![
                id(m.id),
                id(m.budget_id),
                text(m.code),
                m.title,
                m.description,
                opt_text(m.category),
                opt_text(m.district),
                opt_text(m.location),
                Value::from(m.estimated_cost),
                text(m.review),
                opt_text(m.review_reason),
                num(m.validated_cost),
                Value::from(m.supports),
                opt_text(m.works),
                num(m.amount_spent),
                time(m.created_at),
                time(m.updated_at),
            ]),
            Dataset::Reports => page!(c, reports_q(org), reports, after, limit, |m| vec![
                id(m.id),
                text(m.kind),
                id(m.category_id),
                text(m.title),
                text(m.description),
                text(m.locale),
                num(m.latitude),
                num(m.longitude),
                opt_text(m.address),
                text(m.status),
                opt_id(m.duplicate_of),
                Value::from(m.support_count),
                opt_time(m.first_answer_at),
                opt_time(m.resolved_at),
                time(m.created_at),
                time(m.updated_at),
            ]),
        })
    }

    async fn licence(&self, org: OrgId) -> RepoResult<Option<String>> {
        let row = open_data_settings::Entity::find_by_id(Uuid::from(org)).one(&self.conn).await.map_err(map_db_err)?;
        Ok(row.and_then(|r| r.licence))
    }

    async fn set_licence(&self, org: OrgId, licence: Option<String>, now: DateTime<Utc>) -> RepoResult<()> {
        let org = Uuid::from(org);
        let existing = open_data_settings::Entity::find_by_id(org).one(&self.conn).await.map_err(map_db_err)?;
        if existing.is_some() {
            open_data_settings::Entity::update_many()
                .col_expr(open_data_settings::Column::Licence, Expr::value(licence))
                .col_expr(open_data_settings::Column::UpdatedAt, Expr::value(now))
                .filter(open_data_settings::Column::OrgId.eq(org))
                .exec(&self.conn)
                .await
                .map_err(map_db_err)?;
        } else {
            open_data_settings::Entity::insert(open_data_settings::ActiveModel {
                org_id: Set(org),
                licence: Set(licence),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_without_returning(&self.conn)
            .await
            .map_err(map_db_err)?;
        }
        Ok(())
    }
}
