//! `SurveyRepo` on sea-orm.
//!
//! One response per resident is the participation table's primary key: a first response inserts
//! its participation and its response in one transaction, and a concurrent duplicate fails on
//! the key rather than on a read made before it. A structural edit of the survey counts
//! responses in the transaction that saves it.
//!
//! Every write of responses first raises the survey's `responses_version` in its transaction
//! (`SET responses_version = responses_version + 1`: concurrent writes each add theirs), which
//! also takes the survey row's write lock: a response and an edit of its survey serialise on it
//! (SQLite has one writer at a time anyway), and so do concurrent responses to one survey.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use pnyx_domain::consultations::Period;
use pnyx_domain::ids::{OrgId, SurveyId, UserId};
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use pnyx_domain::surveys::{
    Answers, Participation, ResponsePolicy, ResponseSettings, Survey, SurveyRepo, SurveyResponse, Tally, ValidAnswers,
};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, TransactionTrait,
};
use std::collections::HashSet;
use uuid::Uuid;

use crate::entities::{consultations, survey_participations as parts, survey_responses as responses, surveys};
use crate::search;
use crate::{Conn, Db, map_db_err};
use pnyx_domain::search::{Document, Kind};

/// A survey's row with the period of the oldest consultation of its organisation linking it, as
/// two scalar sub-selects of the same statement.
struct InPeriod {
    model: surveys::Model,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
}

impl InPeriod {
    const OPENS: &str = "linked_opens_at";
    const CLOSES: &str = "linked_closes_at";

    fn columns() -> Vec<(Expr, &'static str)> {
        use consultations::Column as C;
        let linked = |col: C| {
            crate::counted::scalar(
                Query::select()
                    .column((consultations::Entity, col))
                    .from(consultations::Entity)
                    .and_where(
                        Expr::col((consultations::Entity, C::OrgId)).equals((surveys::Entity, surveys::Column::OrgId)),
                    )
                    .and_where(
                        Expr::col((consultations::Entity, C::SurveyId)).equals((surveys::Entity, surveys::Column::Id)),
                    )
                    .order_by((consultations::Entity, C::Id), Order::Asc)
                    .limit(1)
                    .to_owned(),
            )
        };
        vec![(linked(C::OpensAt), Self::OPENS), (linked(C::ClosesAt), Self::CLOSES)]
    }

    /// The survey and the period it takes responses in: its own, else the linked one.
    fn into_survey(self) -> RepoResult<(Survey, Option<Period>)> {
        let survey = from_model(self.model)?;
        let period = match (survey.period, self.opens_at, self.closes_at) {
            (Some(own), _, _) => Some(own),
            (None, Some(opens), Some(closes)) => {
                Some(Period::new(opens, closes).map_err(|e| bad("consultation period", e))?)
            }
            _ => None,
        };
        Ok((survey, period))
    }
}

impl sea_orm::FromQueryResult for InPeriod {
    fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        Ok(Self {
            model: surveys::Model::from_query_result(res, pre)?,
            opens_at: res.try_get(pre, Self::OPENS)?,
            closes_at: res.try_get(pre, Self::CLOSES)?,
        })
    }
}

fn bad(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Unavailable(format!("stored survey {what} is invalid: {e}"))
}

fn json<T: serde::Serialize>(v: &T) -> RepoResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| bad("field", e))
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, v: serde_json::Value) -> RepoResult<T> {
    serde_json::from_value(v).map_err(|e| bad(what, e))
}

pub(crate) fn from_model(m: surveys::Model) -> RepoResult<Survey> {
    let policy = ResponsePolicy::parse(&m.policy).ok_or_else(|| bad("policy", &m.policy))?;
    let period = match (m.opens_at, m.closes_at) {
        (Some(o), Some(c)) => Some(Period::new(o, c).map_err(|e| bad("period", e))?),
        _ => None,
    };
    Ok(Survey {
        id: m.id.into(),
        org_id: m.org_id.into(),
        title: from_json("title", m.title)?,
        description: from_json("description", m.description)?,
        definition: from_json("questions", m.questions)?,
        settings: ResponseSettings::new(policy, m.anonymous).map_err(|e| bad("settings", e))?,
        period,
        results_public: m.results_public,
        created_at: m.created_at,
        updated_at: m.updated_at,
        responses_version: u64::try_from(m.responses_version).map_err(|e| bad("responses_version", e))?,
    })
}

/// The survey's own columns; never `responses_version`, which only the writes of responses
/// change (a save of an edit must not put back the value it read).
fn to_model(s: &Survey) -> RepoResult<surveys::ActiveModel> {
    Ok(surveys::ActiveModel {
        id: Set(s.id.into()),
        org_id: Set(s.org_id.into()),
        title: Set(json(&s.title)?),
        description: Set(json(&s.description)?),
        questions: Set(json(&s.definition)?),
        policy: Set(s.settings.policy().as_str().to_owned()),
        anonymous: Set(s.settings.anonymous()),
        opens_at: Set(s.period.map(|p| p.opens_at())),
        closes_at: Set(s.period.map(|p| p.closes_at())),
        results_public: Set(s.results_public),
        created_at: Set(s.created_at),
        updated_at: Set(s.updated_at),
        responses_version: sea_orm::ActiveValue::NotSet,
    })
}

fn response_from(m: responses::Model) -> RepoResult<SurveyResponse> {
    let answers: Answers = from_json("answers", m.answers)?;
    Ok(SurveyResponse {
        id: m.id,
        survey_id: m.survey_id.into(),
        respondent: m.respondent_id.map(UserId::from),
        answers: ValidAnswers::from_stored(answers),
        submitted_at: m.submitted_at,
    })
}

/// Raises the survey's `responses_version` by one, atomically in SQL, if the survey exists (and
/// still has the version `expected`, when given); whether it did. The first write of every
/// transaction that changes responses, so that it also takes the survey row's lock.
async fn bump_responses_version(
    db: &impl ConnectionTrait,
    survey_id: Uuid,
    expected: Option<DateTime<Utc>>,
) -> RepoResult<bool> {
    let mut q = surveys::Entity::update_many()
        .col_expr(surveys::Column::ResponsesVersion, Expr::col(surveys::Column::ResponsesVersion).add(1))
        .filter(surveys::Column::Id.eq(survey_id));
    if let Some(v) = expected {
        q = q.filter(surveys::Column::UpdatedAt.eq(v));
    }
    Ok(q.exec(db).await.map_err(map_db_err)?.rows_affected == 1)
}

/// Why a response could not be stored against the survey's version: there is no such survey,
/// or it changed since the answers were validated.
async fn version_refusal(db: &impl ConnectionTrait, survey_id: Uuid) -> RepoError {
    let found: Result<Option<DateTime<Utc>>, _> = surveys::Entity::find_by_id(survey_id)
        .select_only()
        .column(surveys::Column::UpdatedAt)
        .into_tuple()
        .one(db)
        .await;
    match found {
        Err(e) => map_db_err(e),
        Ok(None) => RepoError::NotFound,
        Ok(Some(_)) => RepoError::Conflict { field: "survey".into(), message: "the survey changed meanwhile".into() },
    }
}

#[async_trait::async_trait]
impl<C: Conn> SurveyRepo for Db<C> {
    async fn create_survey(&self, s: &Survey) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let mut m = to_model(s)?;
        m.responses_version = Set(i64::try_from(s.responses_version).map_err(|e| bad("responses_version", e))?);
        surveys::Entity::insert(m).exec(&tx).await.map_err(map_db_err)?;
        search::put(&tx, Kind::Survey, s.id.into(), Some(&Document::survey(s))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_survey(&self, s: &Survey, expected: DateTime<Utc>, structure_changed: bool) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        // The write comes first so that it takes the lock a concurrent response waits on.
        let res = surveys::Entity::update_many()
            .set(to_model(s)?)
            .filter(surveys::Column::Id.eq(Uuid::from(s.id)))
            .filter(surveys::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(RepoError::Conflict { field: "updated_at".into(), message: "changed meanwhile".into() });
        }
        if structure_changed {
            let n = responses::Entity::find()
                .filter(responses::Column::SurveyId.eq(Uuid::from(s.id)))
                .count(&tx)
                .await
                .map_err(map_db_err)?;
            if n > 0 {
                return Err(RepoError::Conflict {
                    field: "questions".into(),
                    message: "the survey has responses".into(),
                });
            }
        }
        search::put(&tx, Kind::Survey, s.id.into(), Some(&Document::survey(s))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn survey(&self, org_id: OrgId, id: SurveyId) -> RepoResult<Option<Survey>> {
        surveys::Entity::find_by_id(id)
            .filter(surveys::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(from_model)
            .transpose()
    }

    async fn surveys(
        &self,
        org_id: OrgId,
        only: Option<&std::collections::HashSet<Uuid>>,
        page: PageRequest,
    ) -> RepoResult<Page<(Survey, Option<Period>)>> {
        let mut cond = sea_orm::Condition::all().add(surveys::Column::OrgId.eq(Uuid::from(org_id)));
        if let Some(only) = only {
            cond = cond.add(surveys::Column::Id.is_in(only.iter().copied()));
        }
        let (rows, total) = crate::counted::page_by_id::<surveys::Entity, InPeriod, _>(
            &self.conn,
            cond,
            surveys::Column::Id,
            page.after,
            page.limit,
            InPeriod::columns(),
        )
        .await
        .map_err(map_db_err)?;
        let items = rows.into_iter().map(InPeriod::into_survey).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, total, |(s, _)| s.id))
    }

    async fn survey_in_period(&self, org_id: OrgId, id: SurveyId) -> RepoResult<Option<(Survey, Option<Period>)>> {
        let mut q = surveys::Entity::find_by_id(id).filter(surveys::Column::OrgId.eq(Uuid::from(org_id)));
        for (e, alias) in InPeriod::columns() {
            q = q.expr_as(e, alias);
        }
        q.into_model::<InPeriod>().one(&self.conn).await.map_err(map_db_err)?.map(InPeriod::into_survey).transpose()
    }

    async fn add_response(
        &self,
        participation: &Participation,
        response: &SurveyResponse,
        survey_version: DateTime<Utc>,
    ) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        // Raising the version only while the survey is still the one validated against: on
        // PostgreSQL the update waits for an edit in progress and then sees its new version; on
        // SQLite it takes the one write lock. A failure below rolls the raise back.
        let survey_id = Uuid::from(response.survey_id);
        if !bump_responses_version(&tx, survey_id, Some(survey_version)).await? {
            return Err(version_refusal(&tx, survey_id).await);
        }
        parts::Entity::insert(parts::ActiveModel {
            survey_id: Set(participation.survey_id.into()),
            user_id: Set(participation.user_id.into()),
            created_at: Set(participation.at),
            updated_at: Set(participation.at),
        })
        .exec(&tx)
        .await
        .map_err(map_db_err)?;
        // The response's own times are its `submitted_at` (the day only, when anonymous), never
        // the participation's.
        responses::Entity::insert(responses::ActiveModel {
            id: Set(response.id),
            survey_id: Set(response.survey_id.into()),
            respondent_id: Set(response.respondent.map(Into::into)),
            answers: Set(json(response.answers.as_map())?),
            submitted_at: Set(response.submitted_at),
            created_at: Set(response.submitted_at),
            updated_at: Set(response.submitted_at),
        })
        .exec(&tx)
        .await
        .map_err(map_db_err)?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn replace_response(&self, response: &SurveyResponse) -> RepoResult<()> {
        let respondent = response.respondent.ok_or(RepoError::NotFound)?;
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        if !bump_responses_version(&tx, response.survey_id.into(), None).await? {
            return Err(RepoError::NotFound);
        }
        let res = responses::Entity::update_many()
            .col_expr(responses::Column::Answers, Expr::value(json(response.answers.as_map())?))
            .col_expr(responses::Column::SubmittedAt, Expr::value(response.submitted_at))
            .col_expr(responses::Column::UpdatedAt, Expr::value(response.submitted_at))
            .filter(responses::Column::SurveyId.eq(Uuid::from(response.survey_id)))
            .filter(responses::Column::RespondentId.eq(Uuid::from(respondent)))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(RepoError::NotFound);
        }
        tx.commit().await.map_err(map_db_err)
    }

    async fn has_participated(&self, survey_id: SurveyId, user_id: UserId) -> RepoResult<bool> {
        Ok(parts::Entity::find_by_id((Uuid::from(survey_id), Uuid::from(user_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .is_some())
    }

    async fn response_of(&self, survey_id: SurveyId, user_id: UserId) -> RepoResult<Option<SurveyResponse>> {
        responses::Entity::find()
            .filter(responses::Column::SurveyId.eq(Uuid::from(survey_id)))
            .filter(responses::Column::RespondentId.eq(Uuid::from(user_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(response_from)
            .transpose()
    }

    async fn count_responses(&self, survey_id: SurveyId) -> RepoResult<u64> {
        responses::Entity::find()
            .filter(responses::Column::SurveyId.eq(Uuid::from(survey_id)))
            .count(&self.conn)
            .await
            .map_err(map_db_err)
    }

    async fn responses(&self, survey_id: SurveyId, page: PageRequest) -> RepoResult<Page<SurveyResponse>> {
        let total = self.count_responses(survey_id).await?;
        let mut q = responses::Entity::find()
            .filter(responses::Column::SurveyId.eq(Uuid::from(survey_id)))
            .order_by_asc(responses::Column::Id)
            .limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(responses::Column::Id.gt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let items = rows.into_iter().map(response_from).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, total, |r| r.id))
    }

    async fn tally_responses(&self, survey_id: SurveyId, tally: &mut Tally<'_>) -> RepoResult<()> {
        // Only the answers, as text, parsed once straight into `Answers`; rows are streamed.
        let backend = sea_orm::ConnectionTrait::get_database_backend(&self.conn);
        let sql = match backend {
            DbBackend::Postgres => {
                "SELECT answers::text AS answers FROM survey_responses WHERE survey_id = $1 ORDER BY id"
            }
            _ => "SELECT answers FROM survey_responses WHERE survey_id = ? ORDER BY id",
        };
        let stmt = Statement::from_sql_and_values(backend, sql, [Uuid::from(survey_id).into()]);
        let mut rows = Box::pin(self.conn.stream_raw(stmt).await.map_err(map_db_err)?);
        while let Some(row) = rows.try_next().await.map_err(map_db_err)? {
            let text: String = row.try_get("", "answers").map_err(map_db_err)?;
            let answers: Answers = serde_json::from_str(&text).map_err(|e| bad("answers", e))?;
            tally.add(&ValidAnswers::from_stored(answers));
        }
        Ok(())
    }
}

impl Db {
    /// Inserts responses in batches with no participation records, in one transaction that
    /// raises each of their surveys' `responses_version`: for seeding benchmarks
    /// (`pnyx seed-bench-survey`), never for residents' responses, which go through
    /// [`SurveyRepo::add_response`] so that one response per resident holds.
    ///
    /// # Errors
    /// The database failed.
    pub async fn bulk_insert_responses(&self, list: &[SurveyResponse]) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let surveys: HashSet<Uuid> = list.iter().map(|r| Uuid::from(r.survey_id)).collect();
        for id in surveys {
            if !bump_responses_version(&tx, id, None).await? {
                return Err(RepoError::NotFound);
            }
        }
        for chunk in list.chunks(500) {
            let rows = chunk
                .iter()
                .map(|r| {
                    Ok(responses::ActiveModel {
                        id: Set(r.id),
                        survey_id: Set(r.survey_id.into()),
                        respondent_id: Set(r.respondent.map(Into::into)),
                        answers: Set(json(r.answers.as_map())?),
                        submitted_at: Set(r.submitted_at),
                        created_at: Set(r.submitted_at),
                        updated_at: Set(r.submitted_at),
                    })
                })
                .collect::<RepoResult<Vec<_>>>()?;
            responses::Entity::insert_many(rows).exec(&tx).await.map_err(map_db_err)?;
        }
        tx.commit().await.map_err(map_db_err)
    }
}
