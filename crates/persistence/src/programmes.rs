//! `ProgrammeRepo` on sea-orm: programmes, their members (one row per programme and
//! organisation, kept by the primary key), and the loads of the programme page, each one query
//! (or two, the second keyed by the first) over every member organisation at once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pnyx_domain::action_plans::rules::PlanStatus;
use pnyx_domain::ids::{OrgId, ProgrammeId};
use pnyx_domain::org::Organisation;
use pnyx_domain::programmes::{
    BudgetLineAmounts, Member, MemberCommitment, MemberStatus, Programme, ProgrammeRepo, ReportTiming,
};
use pnyx_domain::repo::RepoResult;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::codec::{bad, from_json, json};
use crate::entities::{
    action_plans, budget_execution_lines, budget_execution_years, commitments, organisations, programme_members,
    programmes, report_categories, reports,
};
use crate::orgs::org_from;
use crate::{Conn, Db, map_db_err};

fn programme_from(m: programmes::Model) -> RepoResult<Programme> {
    Ok(Programme {
        id: m.id.into(),
        slug: m.slug.parse().map_err(|e| bad("slug", e))?,
        name: from_json("name", m.name)?,
        description: from_json("description", m.description)?,
        created_by: m.created_by.map(Into::into),
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn member_from(m: programme_members::Model) -> RepoResult<Member> {
    Ok(Member {
        programme_id: m.programme_id.into(),
        org_id: m.org_id.into(),
        status: MemberStatus::parse(&m.status).ok_or_else(|| bad("status", &m.status))?,
        invited_by: m.invited_by.map(Into::into),
        invited_at: m.invited_at,
        decided_by: m.decided_by.map(Into::into),
        decided_at: m.decided_at,
    })
}

fn member_model(m: &Member) -> programme_members::ActiveModel {
    programme_members::ActiveModel {
        programme_id: Set(m.programme_id.into()),
        org_id: Set(m.org_id.into()),
        status: Set(m.status.as_str().to_owned()),
        invited_by: Set(m.invited_by.map(Into::into)),
        invited_at: Set(m.invited_at),
        decided_by: Set(m.decided_by.map(Into::into)),
        decided_at: Set(m.decided_at),
    }
}

fn uuids(ids: &[OrgId]) -> Vec<Uuid> {
    ids.iter().map(|i| Uuid::from(*i)).collect()
}

#[async_trait::async_trait]
impl<C: Conn> ProgrammeRepo for Db<C> {
    async fn create_programme(&self, p: &Programme) -> RepoResult<()> {
        programmes::Entity::insert(programmes::ActiveModel {
            id: Set(p.id.into()),
            slug: Set(p.slug.as_str().to_owned()),
            name: Set(json(&p.name)?),
            description: Set(json(&p.description)?),
            created_by: Set(p.created_by.map(Into::into)),
            created_at: Set(p.created_at),
            updated_at: Set(p.updated_at),
        })
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn programme_by_slug(&self, slug: &str) -> RepoResult<Option<Programme>> {
        // Its id reads it too: what a client that created it holds.
        let by = match Uuid::parse_str(slug) {
            Ok(id) => programmes::Column::Id.eq(id),
            Err(_) => programmes::Column::Slug.eq(slug),
        };
        programmes::Entity::find().filter(by).one(&self.conn).await.map_err(map_db_err)?.map(programme_from).transpose()
    }

    async fn programmes(&self) -> RepoResult<Vec<Programme>> {
        programmes::Entity::find()
            .order_by_asc(programmes::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(programme_from)
            .collect()
    }

    async fn add_programme_member(&self, m: &Member) -> RepoResult<()> {
        programme_members::Entity::insert(member_model(m))
            .exec_without_returning(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }

    async fn update_programme_member(&self, m: &Member, expected: MemberStatus) -> RepoResult<bool> {
        use programme_members::Column as C;
        let res = programme_members::Entity::update_many()
            .set(member_model(m))
            .filter(C::ProgrammeId.eq(Uuid::from(m.programme_id)))
            .filter(C::OrgId.eq(Uuid::from(m.org_id)))
            .filter(C::Status.eq(expected.as_str()))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn programme_member(&self, programme: ProgrammeId, org: OrgId) -> RepoResult<Option<Member>> {
        programme_members::Entity::find_by_id((Uuid::from(programme), Uuid::from(org)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(member_from)
            .transpose()
    }

    async fn programme_members(&self, programme: ProgrammeId) -> RepoResult<Vec<Member>> {
        use programme_members::Column as C;
        programme_members::Entity::find()
            .filter(C::ProgrammeId.eq(Uuid::from(programme)))
            .order_by_asc(C::InvitedAt)
            .order_by_asc(C::OrgId)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(member_from)
            .collect()
    }

    async fn programmes_of_org(&self, org: OrgId) -> RepoResult<Vec<(Programme, Member)>> {
        use programme_members::Column as C;
        let members = programme_members::Entity::find()
            .filter(C::OrgId.eq(Uuid::from(org)))
            .order_by_desc(C::InvitedAt)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        let ids: Vec<Uuid> = members.iter().map(|m| m.programme_id).collect();
        let mut by_id: HashMap<Uuid, programmes::Model> = programmes::Entity::find()
            .filter(programmes::Column::Id.is_in(ids))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        members
            .into_iter()
            .filter_map(|m| by_id.remove(&m.programme_id).map(|p| (p, m)))
            .map(|(p, m)| Ok((programme_from(p)?, member_from(m)?)))
            .collect()
    }

    async fn joined_counts(&self) -> RepoResult<Vec<(ProgrammeId, u64)>> {
        use programme_members::Column as C;
        let rows: Vec<(Uuid, i64)> = programme_members::Entity::find()
            .select_only()
            .column(C::ProgrammeId)
            .column_as(C::OrgId.count(), "n")
            .filter(C::Status.eq(MemberStatus::Joined.as_str()))
            .group_by(C::ProgrammeId)
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows.into_iter().map(|(p, n)| (p.into(), u64::try_from(n).unwrap_or(0))).collect())
    }

    async fn orgs_by_ids(&self, ids: &[OrgId]) -> RepoResult<Vec<Organisation>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        organisations::Entity::find()
            .filter(organisations::Column::Id.is_in(uuids(ids)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(org_from)
            .collect()
    }

    async fn member_commitments(&self, orgs: &[OrgId]) -> RepoResult<Vec<MemberCommitment>> {
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let plans: HashMap<Uuid, String> = action_plans::Entity::find()
            .select_only()
            .column(action_plans::Column::Id)
            .column(action_plans::Column::Status)
            .filter(action_plans::Column::OrgId.is_in(uuids(orgs)))
            .into_tuple::<(Uuid, String)>()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .collect();
        let rows: Vec<(Uuid, Uuid, Uuid)> = commitments::Entity::find()
            .select_only()
            .column(commitments::Column::OrgId)
            .column(commitments::Column::Id)
            .column(commitments::Column::ActionPlanId)
            .filter(commitments::Column::OrgId.is_in(uuids(orgs)))
            .order_by_asc(commitments::Column::Id)
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        rows.into_iter()
            .map(|(org, id, plan)| {
                let s = plans.get(&plan).map_or("draft", String::as_str);
                Ok(MemberCommitment {
                    org_id: org.into(),
                    commitment_id: id.into(),
                    plan_status: PlanStatus::parse(s).ok_or_else(|| bad("plan status", s))?,
                })
            })
            .collect()
    }

    async fn member_report_timings(&self, orgs: &[OrgId]) -> RepoResult<Vec<ReportTiming>> {
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let days: HashMap<Uuid, i32> = report_categories::Entity::find()
            .select_only()
            .column(report_categories::Column::Id)
            .column(report_categories::Column::AnswerDays)
            .filter(report_categories::Column::OrgId.is_in(uuids(orgs)))
            .into_tuple::<(Uuid, i32)>()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .collect();
        type Row = (Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>);
        let rows: Vec<Row> = reports::Entity::find()
            .select_only()
            .column(reports::Column::OrgId)
            .column(reports::Column::CategoryId)
            .column(reports::Column::CreatedAt)
            .column(reports::Column::FirstAnswerAt)
            .filter(reports::Column::OrgId.is_in(uuids(orgs)))
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows
            .into_iter()
            .map(|(org, cat, created_at, first_answer_at)| ReportTiming {
                org_id: org.into(),
                created_at,
                first_answer_at,
                answer_days: days.get(&cat).and_then(|d| u32::try_from(*d).ok()).unwrap_or(0),
            })
            .collect())
    }

    async fn member_latest_budget_lines(&self, orgs: &[OrgId]) -> RepoResult<Vec<BudgetLineAmounts>> {
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let mut latest: HashMap<Uuid, budget_execution_years::Model> = HashMap::new();
        for y in budget_execution_years::Entity::find()
            .filter(budget_execution_years::Column::OrgId.is_in(uuids(orgs)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
        {
            if latest.get(&y.org_id).is_none_or(|l| l.year < y.year) {
                latest.insert(y.org_id, y);
            }
        }
        let by_year: HashMap<Uuid, &budget_execution_years::Model> = latest.values().map(|y| (y.id, y)).collect();
        if by_year.is_empty() {
            return Ok(Vec::new());
        }
        type Row = (Uuid, i64, Option<i64>, serde_json::Value);
        let rows: Vec<Row> = budget_execution_lines::Entity::find()
            .select_only()
            .column(budget_execution_lines::Column::YearId)
            .column(budget_execution_lines::Column::Planned)
            .column(budget_execution_lines::Column::Amended)
            .column(budget_execution_lines::Column::Executed)
            .filter(budget_execution_lines::Column::YearId.is_in(by_year.keys().copied()))
            .order_by_asc(budget_execution_lines::Column::YearId)
            .order_by_asc(budget_execution_lines::Column::Position)
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        rows.into_iter()
            .filter_map(|(year_id, planned, amended, executed)| {
                by_year.get(&year_id).map(|y| (*y, planned, amended, executed))
            })
            .map(|(y, planned, amended, executed)| {
                let executed: Vec<Option<i64>> = from_json("executed", executed)?;
                Ok(BudgetLineAmounts {
                    org_id: y.org_id.into(),
                    year: y.year,
                    currency: y.currency.parse().map_err(|e| bad("currency", e))?,
                    planned,
                    current: amended.unwrap_or(planned),
                    executed: executed.iter().flatten().sum(),
                })
            })
            .collect()
    }
}
