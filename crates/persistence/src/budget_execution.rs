//! `BudgetExecutionRepo` on sea-orm: a year's row (its `updated_at` guards concurrent changes),
//! its lines (replaced whole at each revision, in chunks) and its revisions (inserted, never
//! changed).

use chrono::{DateTime, Utc};
use pnyx_domain::budget_execution::{BudgetExecutionRepo, BudgetYear, Line, PeriodKind, Revision};
use pnyx_domain::ids::{BudgetId, CommitmentId, OrgId, UserId};
use pnyx_domain::repo::RepoResult;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::codec::{bad, from_json, json, stale};
use crate::entities::{
    budget_execution_lines as lines, budget_execution_revisions as revisions, budget_execution_years as years,
};
use crate::{Conn, Db, map_db_err};

/// Lines per INSERT: 15 columns each stays well under SQLite's limit of bound parameters.
const BATCH: usize = 500;

fn year_from(m: years::Model) -> RepoResult<BudgetYear> {
    Ok(BudgetYear {
        id: m.id,
        org_id: m.org_id.into(),
        year: m.year,
        periods: PeriodKind::parse(&m.periods).ok_or_else(|| bad("periods", &m.periods))?,
        currency: m.currency.parse().map_err(|e| bad("currency", e))?,
        revision: u32::try_from(m.revision).map_err(|e| bad("revision", e))?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn year_model(y: &BudgetYear) -> RepoResult<years::ActiveModel> {
    Ok(years::ActiveModel {
        id: Set(y.id),
        org_id: Set(y.org_id.into()),
        year: Set(y.year),
        periods: Set(y.periods.as_str().to_owned()),
        currency: Set(y.currency.to_string()),
        revision: Set(i32::try_from(y.revision).map_err(|e| bad("revision", e))?),
        created_at: Set(y.created_at),
        updated_at: Set(y.updated_at),
    })
}

fn line_from(m: lines::Model) -> RepoResult<Line> {
    Ok(Line {
        code: m.code,
        programme_code: m.programme_code,
        programme_name: from_json("programme_name", m.programme_name)?,
        subprogramme_code: m.subprogramme_code,
        subprogramme_name: from_json("subprogramme_name", m.subprogramme_name)?,
        economic_code: m.economic_code,
        name: from_json("name", m.name)?,
        planned: m.planned,
        amended: m.amended,
        executed: from_json("executed", m.executed)?,
        commitment_id: m.commitment_id.map(CommitmentId::from),
        participatory_budget_id: m.participatory_budget_id.map(BudgetId::from),
    })
}

fn line_model(year_id: Uuid, position: usize, l: &Line) -> RepoResult<lines::ActiveModel> {
    Ok(lines::ActiveModel {
        id: Set(Uuid::now_v7()),
        year_id: Set(year_id),
        position: Set(i32::try_from(position).map_err(|e| bad("position", e))?),
        code: Set(l.code.clone()),
        programme_code: Set(l.programme_code.clone()),
        programme_name: Set(json(&l.programme_name)?),
        subprogramme_code: Set(l.subprogramme_code.clone()),
        subprogramme_name: Set(json(&l.subprogramme_name)?),
        economic_code: Set(l.economic_code.clone()),
        name: Set(json(&l.name)?),
        planned: Set(l.planned),
        amended: Set(l.amended),
        executed: Set(json(&l.executed)?),
        commitment_id: Set(l.commitment_id.map(Into::into)),
        participatory_budget_id: Set(l.participatory_budget_id.map(Into::into)),
    })
}

fn revision_from(m: revisions::Model) -> RepoResult<Revision> {
    Ok(Revision {
        id: m.id,
        year_id: m.year_id,
        number: u32::try_from(m.number).map_err(|e| bad("number", e))?,
        note: m.note,
        source: m.source,
        author_id: m.author_id.map(UserId::from),
        lines: from_json("lines", m.lines)?,
        created_at: m.created_at,
    })
}

fn revision_model(r: &Revision) -> RepoResult<revisions::ActiveModel> {
    Ok(revisions::ActiveModel {
        id: Set(r.id),
        year_id: Set(r.year_id),
        number: Set(i32::try_from(r.number).map_err(|e| bad("number", e))?),
        note: Set(r.note.clone()),
        source: Set(r.source.clone()),
        author_id: Set(r.author_id.map(Into::into)),
        lines: Set(json(&r.lines)?),
        created_at: Set(r.created_at),
    })
}

#[async_trait::async_trait]
impl<C: Conn> BudgetExecutionRepo for Db<C> {
    async fn budget_years(&self, org_id: OrgId) -> RepoResult<Vec<BudgetYear>> {
        years::Entity::find()
            .filter(years::Column::OrgId.eq(Uuid::from(org_id)))
            .order_by_desc(years::Column::Year)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(year_from)
            .collect()
    }

    async fn budget_year(&self, org_id: OrgId, year: i32) -> RepoResult<Option<BudgetYear>> {
        years::Entity::find()
            .filter(years::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(years::Column::Year.eq(year))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(year_from)
            .transpose()
    }

    async fn budget_lines(&self, year_id: Uuid) -> RepoResult<Vec<Line>> {
        lines::Entity::find()
            .filter(lines::Column::YearId.eq(year_id))
            .order_by_asc(lines::Column::Position)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(line_from)
            .collect()
    }

    async fn save_budget_year(
        &self,
        y: &BudgetYear,
        expected: Option<DateTime<Utc>>,
        ls: &[Line],
        revision: &Revision,
    ) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        match expected {
            None => {
                years::Entity::insert(year_model(y)?).exec(&tx).await.map_err(map_db_err)?;
            }
            Some(expected) => {
                let res = years::Entity::update_many()
                    .set(year_model(y)?)
                    .filter(years::Column::Id.eq(y.id))
                    .filter(years::Column::UpdatedAt.eq(expected))
                    .exec(&tx)
                    .await
                    .map_err(map_db_err)?;
                if res.rows_affected != 1 {
                    return Err(stale());
                }
                lines::Entity::delete_many()
                    .filter(lines::Column::YearId.eq(y.id))
                    .exec(&tx)
                    .await
                    .map_err(map_db_err)?;
            }
        }
        for (n, chunk) in ls.chunks(BATCH).enumerate() {
            let models = chunk
                .iter()
                .enumerate()
                .map(|(i, l)| line_model(y.id, n * BATCH + i, l))
                .collect::<RepoResult<Vec<_>>>()?;
            lines::Entity::insert_many(models).exec(&tx).await.map_err(map_db_err)?;
        }
        revisions::Entity::insert(revision_model(revision)?).exec(&tx).await.map_err(map_db_err)?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn budget_revisions(&self, year_id: Uuid) -> RepoResult<Vec<Revision>> {
        revisions::Entity::find()
            .filter(revisions::Column::YearId.eq(year_id))
            .order_by_asc(revisions::Column::Number)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(revision_from)
            .collect()
    }
}
