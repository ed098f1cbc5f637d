//! `BudgetRepo` on sea-orm: processes, proposals, supports, and the ballot box — the voters'
//! register and the ballots, written together in one transaction and linked by nothing stored.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use pnyx_domain::budget::process::{
    BallotRequest, BallotStanding, Budget, BudgetRepo, Cast, DistrictVoting, Phase, Proposal, ProposalExtras,
    ProposalFilter, ProposalKey, ProposalOrder, Review, StoredBallot, Works,
};
use pnyx_domain::comments::{ItemKind, TargetKind};
use pnyx_domain::ids::{BudgetId, OrgId, ProposalId, UserId};
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Order, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::codec::{bad, from_json, json, stale};
use crate::entities::{budget_ballots as ballots, budget_proposals as proposals, budget_supports as supports};
use crate::entities::{budget_voters as voters, budgets, moderation_items};
use crate::{Conn, Db, map_db_err};
use crate::{counted, search};
use pnyx_domain::search::{Document, Kind};

/// Rows per multi-row INSERT: well under SQLite's limit of bound parameters.
const BATCH: usize = 1000;

pub(crate) fn budget_from(m: budgets::Model) -> RepoResult<Budget> {
    Ok(Budget {
        id: m.id.into(),
        org_id: m.org_id.into(),
        title: from_json("budget title", m.title)?,
        rules_text: from_json("budget rules", m.rules_text)?,
        total: m.total,
        currency: m.currency,
        districts: from_json("districts", m.districts)?,
        categories: from_json("categories", m.categories)?,
        schedule: from_json("schedule", m.schedule)?,
        phase: Phase::parse(&m.phase).ok_or_else(|| bad("phase", &m.phase))?,
        supports_threshold: m.supports_threshold.map(|t| u32::try_from(t).unwrap_or(0)),
        ballot_rule: from_json("ballot rule", m.ballot_rule)?,
        outcome_rule: from_json("outcome rule", serde_json::Value::String(m.outcome_rule))?,
        min_score: u64::try_from(m.min_score).unwrap_or(0),
        requires_verified: m.requires_verified,
        district_voting: DistrictVoting::parse(&m.district_voting)
            .ok_or_else(|| bad("district_voting", &m.district_voting))?,
        pabulib: m.pabulib.map(|v| from_json("pabulib meta", v)).transpose()?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn budget_model(b: &Budget) -> RepoResult<budgets::ActiveModel> {
    Ok(budgets::ActiveModel {
        id: Set(b.id.into()),
        org_id: Set(b.org_id.into()),
        title: Set(json(&b.title)?),
        rules_text: Set(json(&b.rules_text)?),
        total: Set(b.total),
        currency: Set(b.currency.clone()),
        districts: Set(json(&b.districts)?),
        categories: Set(json(&b.categories)?),
        schedule: Set(json(&b.schedule)?),
        phase: Set(b.phase.as_str().to_owned()),
        supports_threshold: Set(b.supports_threshold.map(|t| i32::try_from(t).unwrap_or(i32::MAX))),
        ballot_rule: Set(json(&b.ballot_rule)?),
        outcome_rule: Set(b.outcome_rule.as_str().to_owned()),
        min_score: Set(i64::try_from(b.min_score).unwrap_or(i64::MAX)),
        requires_verified: Set(b.requires_verified),
        district_voting: Set(b.district_voting.as_str().to_owned()),
        pabulib: Set(b.pabulib.as_ref().map(json).transpose()?),
        created_at: Set(b.created_at),
        updated_at: Set(b.updated_at),
    })
}

pub(crate) fn proposal_from(m: proposals::Model) -> RepoResult<Proposal> {
    Ok(Proposal {
        id: m.id.into(),
        budget_id: m.budget_id.into(),
        org_id: m.org_id.into(),
        author_id: m.author_id.map(UserId::from),
        code: m.code,
        title: from_json("proposal title", m.title)?,
        description: from_json("proposal description", m.description)?,
        category: m.category,
        district: m.district,
        location: m.location,
        estimated_cost: m.estimated_cost,
        images: from_json("images", m.images)?,
        review: Review::parse(&m.review).ok_or_else(|| bad("review", &m.review))?,
        review_reason: m.review_reason,
        validated_cost: m.validated_cost,
        supports: u32::try_from(m.supports).unwrap_or(0),
        works: m.works.map(|w| Works::parse(&w).ok_or_else(|| bad("works", &w))).transpose()?,
        amount_spent: m.amount_spent,
        pabulib_extra: m.pabulib_extra.map(|v| from_json("pabulib columns", v)).transpose()?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// A proposal's row with its [`ProposalExtras`] as columns of the same statement: its visible
/// comments ([`counted::COUNTS`]`[0]`), the reader's support (`[1]`) and the moderator's reason.
struct Extended {
    model: proposals::Model,
    extras: ProposalExtras,
}

impl Extended {
    const HIDDEN: &str = "hidden_reason_of";

    /// The extras' columns under `pre` (the prefix of a joined select), for `reader`.
    fn columns(pre: &str, reader: Option<UserId>) -> [(Expr, String); 3] {
        use moderation_items::Column as M;
        use supports::Column as S;
        let id = (proposals::Entity, proposals::Column::Id);
        let supported = counted::by_reader::<supports::Entity>(reader, S::ProposalId, S::UserId, id);
        let hidden = counted::scalar(
            Query::select()
                .column((moderation_items::Entity, M::HiddenReason))
                .from(moderation_items::Entity)
                .and_where(Expr::col((moderation_items::Entity, M::ItemKind)).eq(ItemKind::BudgetProposal.as_str()))
                .and_where(Expr::col((moderation_items::Entity, M::ItemId)).equals(id))
                .to_owned(),
        );
        [
            (counted::visible_comments(TargetKind::BudgetProposal, id), format!("{pre}{}", counted::COUNTS[0])),
            (supported, format!("{pre}{}", counted::COUNTS[1])),
            (hidden, format!("{pre}{}", Self::HIDDEN)),
        ]
    }

    fn with<Q: QuerySelect>(q: Q, pre: &str, reader: Option<UserId>) -> Q {
        Self::columns(pre, reader).into_iter().fold(q, |q, (e, alias)| q.expr_as(e, alias))
    }

    fn into_pair(self) -> RepoResult<(Proposal, ProposalExtras)> {
        Ok((proposal_from(self.model)?, self.extras))
    }
}

impl FromQueryResult for Extended {
    fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        let model = proposals::Model::from_query_result(res, pre)?;
        let extras = ProposalExtras {
            comments: counted::count_at(res, pre, counted::COUNTS[0])?,
            supported: counted::count_at(res, pre, counted::COUNTS[1])? > 0,
            hidden_reason: res.try_get(pre, Self::HIDDEN)?,
        };
        Ok(Self { model, extras })
    }

    fn from_query_result_optional(res: &sea_orm::QueryResult, pre: &str) -> Result<Option<Self>, sea_orm::DbErr> {
        // No proposal (the left join found none): its id is null.
        if proposals::Model::from_query_result_optional(res, pre)?.is_none() {
            return Ok(None);
        }
        Self::from_query_result(res, pre).map(Some)
    }
}

/// The proposals `q` selects, whole, in id order.
async fn in_id_order(conn: &impl ConnectionTrait, q: sea_orm::Select<proposals::Entity>) -> RepoResult<Vec<Proposal>> {
    q.order_by_asc(proposals::Column::Id).all(conn).await.map_err(map_db_err)?.into_iter().map(proposal_from).collect()
}

/// A process's proposals that `f` selects.
fn filtered(budget_id: BudgetId, f: &ProposalFilter) -> sea_orm::Select<proposals::Entity> {
    proposals::Entity::find().filter(selects(budget_id, f))
}

/// The condition of [`filtered`].
fn selects(budget_id: BudgetId, f: &ProposalFilter) -> Condition {
    use proposals::Column as C;
    let mut c = Condition::all().add(C::BudgetId.eq(Uuid::from(budget_id)));
    if let Some(d) = &f.district {
        c = c.add(C::District.eq(d.clone()));
    }
    if let Some(cat) = &f.category {
        c = c.add(C::Category.eq(cat.clone()));
    }
    if let Some(r) = f.review {
        c = c.add(C::Review.eq(r.as_str()));
    }
    c
}

fn proposal_model(p: &Proposal) -> RepoResult<proposals::ActiveModel> {
    Ok(proposals::ActiveModel {
        id: Set(p.id.into()),
        budget_id: Set(p.budget_id.into()),
        org_id: Set(p.org_id.into()),
        author_id: Set(p.author_id.map(Into::into)),
        code: Set(p.code.clone()),
        title: Set(json(&p.title)?),
        description: Set(json(&p.description)?),
        category: Set(p.category.clone()),
        district: Set(p.district.clone()),
        location: Set(p.location.clone()),
        estimated_cost: Set(p.estimated_cost),
        images: Set(json(&p.images)?),
        review: Set(p.review.as_str().to_owned()),
        review_reason: Set(p.review_reason.clone()),
        validated_cost: Set(p.validated_cost),
        supports: Set(i32::try_from(p.supports).unwrap_or(i32::MAX)),
        works: Set(p.works.map(|w| w.as_str().to_owned())),
        amount_spent: Set(p.amount_spent),
        pabulib_extra: Set(p.pabulib_extra.as_ref().map(json).transpose()?),
        created_at: Set(p.created_at),
        updated_at: Set(p.updated_at),
    })
}

/// Stored times of the ballot box are days, so they cannot line a voter up with a ballot.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
}

fn ballot_model(
    budget_id: BudgetId,
    key: Option<&str>,
    b: &StoredBallot,
    day: DateTime<Utc>,
) -> RepoResult<ballots::ActiveModel> {
    Ok(ballots::ActiveModel {
        // Random, not time-ordered: the id says nothing about when it was cast.
        id: Set(Uuid::new_v4()),
        budget_id: Set(budget_id.into()),
        district: Set(b.district.clone().unwrap_or_default()),
        ballot_key: Set(key.map(str::to_owned)),
        choices: Set(json(&b.choices)?),
        pabulib: Set(b.pabulib.as_ref().map(json).transpose()?),
        request_key: Set(None),
        request_first: Set(None),
        paper: Set(b.paper),
        created_at: Set(day),
        updated_at: Set(day),
    })
}

fn ballot_from(m: ballots::Model) -> RepoResult<StoredBallot> {
    Ok(StoredBallot {
        district: Some(m.district).filter(|d| !d.is_empty()),
        choices: from_json("ballot", m.choices)?,
        pabulib: m.pabulib.map(|v| from_json("ballot columns", v)).transpose()?,
        paper: m.paper,
    })
}

/// `Conflict` on `phase` unless the process is voting, read in the writing transaction after its
/// first write: on SQLite that write holds the database's write lock, on PostgreSQL the shared
/// row lock waits for a phase change in flight, so a ballot is either in before the vote closes
/// or refused. With `version`, also `Conflict` on `version` when the process is no longer at the
/// version the ballot was checked against (its rules changed meanwhile).
async fn still_voting(
    tx: &impl sea_orm::ConnectionTrait,
    budget_id: impl Into<Uuid>,
    version: Option<DateTime<Utc>>,
) -> RepoResult<()> {
    let row = budgets::Entity::find_by_id(budget_id.into())
        .select_only()
        .column(budgets::Column::Phase)
        .column(budgets::Column::UpdatedAt)
        .lock_shared()
        .into_tuple::<(String, DateTime<Utc>)>()
        .one(tx)
        .await
        .map_err(map_db_err)?;
    match row {
        Some((phase, _)) if phase != Phase::Voting.as_str() => {
            Err(RepoError::Conflict { field: "phase".into(), message: "voting is not open".into() })
        }
        None => Err(RepoError::Conflict { field: "phase".into(), message: "voting is not open".into() }),
        Some((_, current)) if version.is_some_and(|v| v != current) => Err(RepoError::Conflict {
            field: "version".into(),
            message: "the process changed since the ballot was checked".into(),
        }),
        Some(_) => Ok(()),
    }
}

/// The process's row while it is voting (and at `version`, when given), share-locked as
/// [`still_voting`] reads it: a sub-query that lets a ballot's write through only then, in the
/// same statement (one round trip fewer per cast than reading the phase first).
fn voting_row(budget_id: BudgetId, version: Option<DateTime<Utc>>) -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.expr(Expr::val(1))
        .from(budgets::Entity)
        .and_where(Expr::col((budgets::Entity, budgets::Column::Id)).eq(Uuid::from(budget_id)))
        .and_where(Expr::col((budgets::Entity, budgets::Column::Phase)).eq(Phase::Voting.as_str()));
    if let Some(version) = version {
        q.and_where(Expr::col((budgets::Entity, budgets::Column::UpdatedAt)).eq(version));
    }
    q.lock_shared();
    q
}

/// `INSERT INTO budget_ballots (…) SELECT <the ballot's values> FROM budgets WHERE <voting_row>`:
/// the ballot, written only while the process is voting (at `version`).
fn insert_while_voting(
    m: ballots::ActiveModel,
    budget_id: BudgetId,
    version: Option<DateTime<Utc>>,
) -> RepoResult<sea_orm::sea_query::InsertStatement> {
    use sea_orm::{ActiveModelTrait, Iterable};
    let mut values = voting_row(budget_id, version);
    values.clear_selects();
    let mut columns = Vec::new();
    for c in ballots::Column::iter() {
        if let Some(v) = m.get(c).into_value() {
            columns.push(c);
            values.expr(Expr::val(v));
        }
    }
    let mut insert = Query::insert();
    insert.into_table(ballots::Entity).columns(columns);
    insert.select_from(values).map_err(|e| RepoError::Unavailable(format!("ballot insert: {e}")))?;
    Ok(insert.to_owned())
}

#[async_trait::async_trait]
impl<C: Conn> BudgetRepo for Db<C> {
    async fn create_budget(&self, b: &Budget) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        budgets::Entity::insert(budget_model(b)?).exec(&tx).await.map_err(map_db_err)?;
        search::put(&tx, Kind::Budget, b.id.into(), Some(&Document::budget(b))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_budget(&self, b: &Budget, expected: DateTime<Utc>) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let res = budgets::Entity::update_many()
            .set(budget_model(b)?)
            .filter(budgets::Column::Id.eq(Uuid::from(b.id)))
            .filter(budgets::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(stale());
        }
        search::put(&tx, Kind::Budget, b.id.into(), Some(&Document::budget(b))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn budget(&self, org_id: OrgId, id: BudgetId) -> RepoResult<Option<Budget>> {
        budgets::Entity::find_by_id(id)
            .filter(budgets::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(budget_from)
            .transpose()
    }

    async fn budgets(&self, org_id: OrgId) -> RepoResult<Vec<Budget>> {
        budgets::Entity::find()
            .filter(budgets::Column::OrgId.eq(Uuid::from(org_id)))
            .order_by_desc(budgets::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(budget_from)
            .collect()
    }

    async fn create_proposal(&self, p: &Proposal) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        proposals::Entity::insert(proposal_model(p)?).exec(&tx).await.map_err(map_db_err)?;
        search::put(&tx, Kind::Proposal, p.id.into(), Some(&Document::proposal(p))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_proposal(&self, p: &Proposal, expected: DateTime<Utc>) -> RepoResult<()> {
        let mut model = proposal_model(p)?;
        // The support count is the database's, kept by `support`: never written back from a read.
        model.supports = sea_orm::ActiveValue::NotSet;
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let res = proposals::Entity::update_many()
            .set(model)
            .filter(proposals::Column::Id.eq(Uuid::from(p.id)))
            .filter(proposals::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(stale());
        }
        search::put(&tx, Kind::Proposal, p.id.into(), Some(&Document::proposal(p))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn proposal(&self, budget_id: BudgetId, id: ProposalId) -> RepoResult<Option<Proposal>> {
        proposals::Entity::find_by_id(id)
            .filter(proposals::Column::BudgetId.eq(Uuid::from(budget_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(proposal_from)
            .transpose()
    }

    async fn proposal_read(
        &self,
        org_id: OrgId,
        budget_id: BudgetId,
        id: ProposalId,
        reader: Option<UserId>,
    ) -> RepoResult<Option<(Budget, Option<(Proposal, ProposalExtras)>)>> {
        use sea_orm::sea_query::IntoCondition;
        use sea_orm::{JoinType, RelationDef};
        // The process, and its proposal `id` if it has it, left-joined.
        let pid = Uuid::from(id);
        let the_proposal: RelationDef = proposals::Entity::belongs_to(budgets::Entity)
            .from(proposals::Column::BudgetId)
            .to(budgets::Column::Id)
            .on_condition(move |_, right| Expr::col((right, proposals::Column::Id)).eq(pid).into_condition())
            .into();
        let q = budgets::Entity::find_by_id(budget_id)
            .filter(budgets::Column::OrgId.eq(Uuid::from(org_id)))
            .join(JoinType::LeftJoin, the_proposal.rev())
            .select_also(proposals::Entity);
        let row: Option<(budgets::Model, Option<Extended>)> =
            Extended::with(q, sea_orm::IdenStatic::as_str(&sea_orm::SelectB), reader)
                .into_model()
                .one(&self.conn)
                .await
                .map_err(map_db_err)?;
        let Some((b, p)) = row else { return Ok(None) };
        Ok(Some((budget_from(b)?, p.map(Extended::into_pair).transpose()?)))
    }

    async fn proposals(&self, budget_id: BudgetId, f: &ProposalFilter) -> RepoResult<Vec<Proposal>> {
        in_id_order(&self.conn, filtered(budget_id, f)).await
    }

    async fn proposals_page(
        &self,
        budget_id: BudgetId,
        f: &ProposalFilter,
        standing: Option<BallotStanding>,
        order: ProposalOrder,
        desc: bool,
        page: PageRequest,
        reader: Option<UserId>,
    ) -> RepoResult<Page<(Proposal, ProposalExtras)>> {
        use proposals::Column as C;
        let mut cond = Condition::all().add(selects(budget_id, f));
        if let Some(s) = standing {
            let mut on = Condition::all().add(C::Review.eq(s.review.as_str()));
            if let Some(min) = s.min_supports {
                on = on.add(C::Supports.gte(i64::from(min)));
            }
            cond = cond.add(if s.on { on } else { on.not() });
        }
        // The order's key as an expression (ties by id); none for the id itself.
        let key: Option<Expr> = match order {
            ProposalOrder::Cost => {
                Some(Func::coalesce([Expr::col(C::ValidatedCost), Expr::col(C::EstimatedCost)]).into())
            }
            ProposalOrder::Supports => Some(Expr::col(C::Supports)),
            ProposalOrder::Id => None,
        };
        let past = |e: Expr, v: Expr| if desc { e.lt(v) } else { e.gt(v) };
        // One statement: the page, each row with the total selected beside it (a sub-select), and
        // past the cursor by the cursor's own key (a sub-select: none when it is not selected).
        let q = proposals::Entity::find()
            .filter(cond.clone())
            .expr_as(counted::total_of::<proposals::Entity>(cond.clone()), counted::TOTAL);
        let mut q = Extended::with(q, "", reader);
        if let Some(after) = page.after {
            let after_id = || Expr::val(after);
            q = q.filter(match &key {
                None => past(Expr::col(C::Id), after_id()),
                Some(key) => {
                    let at = || {
                        counted::scalar(
                            Query::select()
                                .expr(key.clone())
                                .from(proposals::Entity)
                                .cond_where(cond.clone())
                                .and_where(Expr::col(C::Id).eq(after_id()))
                                .to_owned(),
                        )
                    };
                    Condition::any()
                        .add(past(key.clone(), at()))
                        .add(Condition::all().add(key.clone().eq(at())).add(past(Expr::col(C::Id), after_id())))
                        .into()
                }
            });
        }
        let dir = if desc { Order::Desc } else { Order::Asc };
        if let Some(key) = key {
            q = q.order_by(key, dir.clone());
        }
        let rows: Vec<counted::Paged<Extended>> = q
            .order_by(C::Id, dir)
            .limit(page.limit.saturating_add(1))
            .into_model()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        let (rows, total) =
            counted::page_and_total::<proposals::Entity, _, _>(rows, &self.conn, cond).await.map_err(map_db_err)?;
        let rows = rows.into_iter().map(Extended::into_pair).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(rows, page.limit, total, |(p, _)| p.id))
    }

    async fn proposal_keys(&self, budget_id: BudgetId, f: &ProposalFilter) -> RepoResult<Vec<ProposalKey>> {
        let q = filtered(budget_id, f)
            .select_only()
            .columns([
                proposals::Column::Id,
                proposals::Column::EstimatedCost,
                proposals::Column::ValidatedCost,
                proposals::Column::Supports,
                proposals::Column::Review,
            ])
            .order_by_asc(proposals::Column::Id)
            .into_tuple::<(Uuid, i64, Option<i64>, i32, String)>();
        // Streamed: a process's 10,000 keys are 10,000 small values, not 10,000 rows held at once.
        use futures_util::TryStreamExt;
        let mut rows = q.stream(&self.conn).await.map_err(map_db_err)?;
        let mut keys = Vec::new();
        while let Some((id, estimated, validated, supports, review)) = rows.try_next().await.map_err(map_db_err)? {
            keys.push(ProposalKey {
                id: id.into(),
                cost: Proposal::cost_of(estimated, validated),
                supports: u32::try_from(supports).unwrap_or(0),
                review: Review::parse(&review).ok_or_else(|| bad("review", &review))?,
            });
        }
        Ok(keys)
    }

    async fn proposals_in(
        &self,
        budget_id: BudgetId,
        ids: &[ProposalId],
        reader: Option<UserId>,
    ) -> RepoResult<Vec<(Proposal, ProposalExtras)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let q = proposals::Entity::find()
            .filter(proposals::Column::BudgetId.eq(Uuid::from(budget_id)))
            .filter(proposals::Column::Id.is_in(ids.iter().map(|&id| Uuid::from(id))))
            .order_by_asc(proposals::Column::Id);
        let rows: Vec<Extended> =
            Extended::with(q, "", reader).into_model().all(&self.conn).await.map_err(map_db_err)?;
        rows.into_iter().map(Extended::into_pair).collect()
    }

    async fn import_budget(&self, b: &Budget, ps: &[Proposal], bs: &[StoredBallot]) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        budgets::Entity::insert(budget_model(b)?).exec(&tx).await.map_err(map_db_err)?;
        for chunk in ps.chunks(BATCH) {
            let models = chunk.iter().map(proposal_model).collect::<RepoResult<Vec<_>>>()?;
            proposals::Entity::insert_many(models).exec(&tx).await.map_err(map_db_err)?;
        }
        let mut docs = vec![Document::budget(b)];
        docs.extend(ps.iter().map(Document::proposal));
        search::add_many(&tx, &docs).await?;
        let day = day_start(b.created_at.date_naive());
        for chunk in bs.chunks(BATCH) {
            let models = chunk.iter().map(|x| ballot_model(b.id, None, x, day)).collect::<RepoResult<Vec<_>>>()?;
            ballots::Entity::insert_many(models).exec(&tx).await.map_err(map_db_err)?;
        }
        tx.commit().await.map_err(map_db_err)
    }

    async fn support(&self, proposal_id: ProposalId, user_id: UserId, now: DateTime<Utc>) -> RepoResult<bool> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let inserted = supports::Entity::insert(supports::ActiveModel {
            proposal_id: Set(proposal_id.into()),
            user_id: Set(user_id.into()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([supports::Column::ProposalId, supports::Column::UserId]).do_nothing().to_owned(),
        )
        .exec_without_returning(&tx)
        .await
        .map_err(map_db_err)?;
        if inserted == 1 {
            proposals::Entity::update_many()
                .col_expr(proposals::Column::Supports, Expr::col(proposals::Column::Supports).add(1))
                .filter(proposals::Column::Id.eq(Uuid::from(proposal_id)))
                .exec(&tx)
                .await
                .map_err(map_db_err)?;
        }
        tx.commit().await.map_err(map_db_err)?;
        Ok(inserted == 1)
    }

    async fn cast_ballot(
        &self,
        budget_id: BudgetId,
        voter: UserId,
        ballot_key: &str,
        ballot: &StoredBallot,
        today: NaiveDate,
        request_key: Option<&str>,
        slot: &str,
        version: Option<DateTime<Utc>>,
    ) -> RepoResult<Cast> {
        let day = day_start(today);
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        // The register first: its primary key lets exactly one transaction in per voter, process
        // and district; the others wait for it and then replace its ballot.
        let first = voters::Entity::insert(voters::ActiveModel {
            budget_id: Set(budget_id.into()),
            district: Set(ballot.district.clone().unwrap_or_default()),
            user_id: Set(voter.into()),
            slot: Set(slot.to_owned()),
            created_at: Set(day),
            updated_at: Set(day),
        })
        .on_conflict(
            OnConflict::columns([voters::Column::BudgetId, voters::Column::District, voters::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&tx)
        .await
        // Not the same district but the same slot: the voter's one district is another.
        .map_err(|e| match map_db_err(e) {
            RepoError::Conflict { .. } => {
                RepoError::Conflict { field: "district".into(), message: "the voter voted in another district".into() }
            }
            other => other,
        })? == 1;
        // The ballot goes in only while the process is voting under the rules it was checked
        // against: the write itself asks (see `voting_row`), after the register's write, as
        // `still_voting` would; when it wrote nothing, `still_voting` says why.
        let cast = if first {
            let mut model = ballot_model(budget_id, Some(ballot_key), ballot, day)?;
            model.request_key = Set(request_key.map(str::to_owned));
            model.request_first = Set(request_key.map(|_| true));
            let inserted = tx.execute(&insert_while_voting(model, budget_id, version)?).await.map_err(map_db_err)?;
            if inserted.rows_affected() != 1 {
                still_voting(&tx, budget_id, version).await?;
                return Err(RepoError::Conflict { field: "phase".into(), message: "voting is not open".into() });
            }
            Cast::First
        } else {
            let replaced = ballots::Entity::update_many()
                .col_expr(ballots::Column::Choices, Expr::value(json(&ballot.choices)?))
                .col_expr(ballots::Column::RequestKey, Expr::value(request_key.map(str::to_owned)))
                .col_expr(ballots::Column::RequestFirst, Expr::value(request_key.map(|_| false)))
                .col_expr(ballots::Column::UpdatedAt, Expr::value(day))
                .filter(ballots::Column::BudgetId.eq(Uuid::from(budget_id)))
                .filter(ballots::Column::BallotKey.eq(ballot_key))
                .filter(Expr::exists(voting_row(budget_id, version)))
                .exec(&tx)
                .await
                .map_err(map_db_err)?
                .rows_affected;
            if replaced != 1 {
                still_voting(&tx, budget_id, version).await?;
                return Err(RepoError::Conflict {
                    field: "ballot_key".into(),
                    message: "the register has this voter but no ballot has their key".into(),
                });
            }
            Cast::Replaced
        };
        tx.commit().await.map_err(map_db_err)?;
        Ok(cast)
    }

    async fn ballot_by_key(&self, budget_id: BudgetId, ballot_key: &str) -> RepoResult<Option<StoredBallot>> {
        ballots::Entity::find()
            .filter(ballots::Column::BudgetId.eq(Uuid::from(budget_id)))
            .filter(ballots::Column::BallotKey.eq(ballot_key))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(ballot_from)
            .transpose()
    }

    async fn ballot_with_request(
        &self,
        budget_id: BudgetId,
        ballot_key: &str,
    ) -> RepoResult<Option<(StoredBallot, Option<BallotRequest>)>> {
        let Some(m) = ballots::Entity::find()
            .filter(ballots::Column::BudgetId.eq(Uuid::from(budget_id)))
            .filter(ballots::Column::BallotKey.eq(ballot_key))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
        else {
            return Ok(None);
        };
        let request = match (m.request_key.clone(), m.request_first) {
            (Some(key), Some(first)) => {
                Some(BallotRequest { key, cast: if first { Cast::First } else { Cast::Replaced } })
            }
            _ => None,
        };
        Ok(Some((ballot_from(m)?, request)))
    }

    async fn add_paper_ballots(
        &self,
        budget_id: BudgetId,
        ballots: &[StoredBallot],
        today: NaiveDate,
    ) -> RepoResult<()> {
        let day = day_start(today);
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        for chunk in ballots.chunks(BATCH) {
            let models = chunk.iter().map(|x| ballot_model(budget_id, None, x, day)).collect::<RepoResult<Vec<_>>>()?;
            ballots::Entity::insert_many(models).exec(&tx).await.map_err(map_db_err)?;
        }
        // Still voting? Read after the writes (see `still_voting`).
        still_voting(&tx, budget_id, None).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn ballots(&self, budget_id: BudgetId) -> RepoResult<Vec<StoredBallot>> {
        // A city's ballots (Łódź: 90,494) are kept in memory while its results are asked for:
        // only the columns a ballot holds, streamed, their JSON read as text and parsed straight
        // into the ballot — never a whole page of rows and their JSON trees beside the ballots,
        // which tripled the peak and left the heap fragmented (hundreds of MB kept after).
        use futures_util::TryStreamExt;
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let sql = match backend {
            DbBackend::Postgres => {
                "SELECT district, choices::text AS choices, pabulib::text AS pabulib, paper \
                 FROM budget_ballots WHERE budget_id = $1 ORDER BY id"
            }
            _ => "SELECT district, choices, pabulib, paper FROM budget_ballots WHERE budget_id = ? ORDER BY id",
        };
        let stmt = Statement::from_sql_and_values(backend, sql, [Uuid::from(budget_id).into()]);
        let mut rows = Box::pin(self.conn.stream_raw(stmt).await.map_err(map_db_err)?);
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await.map_err(map_db_err)? {
            let district: String = row.try_get("", "district").map_err(map_db_err)?;
            let choices: String = row.try_get("", "choices").map_err(map_db_err)?;
            let pabulib: Option<String> = row.try_get("", "pabulib").map_err(map_db_err)?;
            let paper: bool = row.try_get("", "paper").map_err(map_db_err)?;
            out.push(StoredBallot {
                district: Some(district).filter(|d| !d.is_empty()),
                choices: serde_json::from_str(&choices).map_err(|e| bad("ballot", e))?,
                pabulib: pabulib
                    .filter(|p| p != "null")
                    .map(|p| serde_json::from_str(&p).map_err(|e| bad("ballot columns", e)))
                    .transpose()?,
                paper,
            });
        }
        out.shrink_to_fit();
        Ok(out)
    }

    async fn voter_count(&self, budget_id: BudgetId) -> RepoResult<u64> {
        voters::Entity::find()
            .filter(voters::Column::BudgetId.eq(Uuid::from(budget_id)))
            .count(&self.conn)
            .await
            .map_err(map_db_err)
    }
}
