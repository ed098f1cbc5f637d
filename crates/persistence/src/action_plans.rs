//! `ActionPlanRepo` on sea-orm: action plans, commitments, milestones, co-owners.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pnyx_domain::action_plans::records::{
    ActionPlan, ActionPlanRepo, CoOwner, Commitment, CommitmentFilter, Milestone,
};
use pnyx_domain::action_plans::rules::{CoOwnerStatus, DateSpan, MilestoneStatus, OgpValue, PlanStatus};
use pnyx_domain::comments::TargetKind;
use pnyx_domain::ids::{CommitmentId, OrgId, PlanId, UserId};
use pnyx_domain::repo::RepoResult;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef, Select,
};
use uuid::Uuid;

use crate::codec::{bad, from_json, json, stale};
use crate::counted::{COUNTS, Counted, parent_and_children, visible_comments};
use crate::entities::{action_plans, commitment_co_owners as owners, commitments, milestones, users};
use crate::opendata::public_plans;
use crate::search;
use crate::{Conn, Db, map_db_err};

/// The commitments of a filter, in id order (the OGP value, held in JSON, is filtered by the caller).
fn commitments_query(org_id: OrgId, f: &CommitmentFilter) -> Select<commitments::Entity> {
    let mut q = commitments::Entity::find().filter(commitments::Column::OrgId.eq(Uuid::from(org_id)));
    if let Some(plan) = f.action_plan {
        q = q.filter(commitments::Column::ActionPlanId.eq(Uuid::from(plan)));
    }
    if let Some(lead) = &f.lead {
        q = q.filter(commitments::Column::Lead.eq(lead.clone()));
    }
    if f.public_only {
        q = q.filter(commitments::Column::ActionPlanId.in_subquery(public_plans(Uuid::from(org_id))));
    }
    q.order_by_asc(commitments::Column::Id)
}

/// The select with each commitment's visible comments as the count column.
fn with_comments(q: Select<commitments::Entity>) -> Select<commitments::Entity> {
    q.column_as(visible_comments(TargetKind::Commitment, (commitments::Entity, commitments::Column::Id)), COUNTS[0])
}

pub(crate) fn plan_from(m: action_plans::Model) -> RepoResult<ActionPlan> {
    Ok(ActionPlan {
        id: m.id.into(),
        org_id: m.org_id.into(),
        title: from_json("plan title", m.title)?,
        description: from_json("plan description", m.description)?,
        period: DateSpan::new(m.start_date, m.end_date).map_err(|e| bad("plan period", e))?,
        status: PlanStatus::parse(&m.status).ok_or_else(|| bad("plan status", &m.status))?,
        documents: from_json("plan documents", m.documents)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn plan_model(p: &ActionPlan) -> RepoResult<action_plans::ActiveModel> {
    Ok(action_plans::ActiveModel {
        id: Set(p.id.into()),
        org_id: Set(p.org_id.into()),
        title: Set(json(&p.title)?),
        description: Set(json(&p.description)?),
        start_date: Set(p.period.start()),
        end_date: Set(p.period.end()),
        status: Set(p.status.as_str().to_owned()),
        documents: Set(json(&p.documents)?),
        created_at: Set(p.created_at),
        updated_at: Set(p.updated_at),
    })
}

pub(crate) fn commitment_from(m: commitments::Model) -> RepoResult<Commitment> {
    let values: Vec<String> = from_json("ogp values", m.ogp_values)?;
    Ok(Commitment {
        id: m.id.into(),
        org_id: m.org_id.into(),
        action_plan_id: m.action_plan_id.into(),
        title: from_json("commitment title", m.title)?,
        lead: m.lead,
        supporting_actors: from_json("supporting actors", m.supporting_actors)?,
        problem: from_json("problem", m.problem)?,
        status_quo: from_json("status quo", m.status_quo)?,
        objective: from_json("objective", m.objective)?,
        ogp_values: values.iter().filter_map(|v| OgpValue::parse(v)).collect(),
        theme: m.theme,
        budget: m.budget,
        irm: m.irm.map(|v| from_json("irm", v)).transpose()?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn commitment_model(c: &Commitment) -> RepoResult<commitments::ActiveModel> {
    let values: Vec<&str> = c.ogp_values.iter().map(|v| v.as_str()).collect();
    Ok(commitments::ActiveModel {
        id: Set(c.id.into()),
        org_id: Set(c.org_id.into()),
        action_plan_id: Set(c.action_plan_id.into()),
        title: Set(json(&c.title)?),
        lead: Set(c.lead.clone()),
        supporting_actors: Set(json(&c.supporting_actors)?),
        problem: Set(json(&c.problem)?),
        status_quo: Set(json(&c.status_quo)?),
        objective: Set(json(&c.objective)?),
        ogp_values: Set(json(&values)?),
        theme: Set(c.theme.clone()),
        budget: Set(c.budget),
        irm: Set(c.irm.as_ref().map(json).transpose()?),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
    })
}

pub(crate) fn milestone_from(m: milestones::Model) -> RepoResult<Milestone> {
    Ok(Milestone {
        id: m.id,
        commitment_id: m.commitment_id.into(),
        position: u32::try_from(m.position).unwrap_or(0),
        title: from_json("milestone title", m.title)?,
        deliverable: from_json("deliverable", m.deliverable)?,
        dates: DateSpan::new(m.start_date, m.end_date).map_err(|e| bad("milestone dates", e))?,
        status: MilestoneStatus::parse(&m.status).ok_or_else(|| bad("milestone status", &m.status))?,
        completed_on: m.completed_on,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn milestone_model(m: &Milestone) -> RepoResult<milestones::ActiveModel> {
    Ok(milestones::ActiveModel {
        id: Set(m.id),
        commitment_id: Set(m.commitment_id.into()),
        position: Set(i32::try_from(m.position).unwrap_or(i32::MAX)),
        title: Set(json(&m.title)?),
        deliverable: Set(json(&m.deliverable)?),
        start_date: Set(m.dates.start()),
        end_date: Set(m.dates.end()),
        status: Set(m.status.as_str().to_owned()),
        completed_on: Set(m.completed_on),
        created_at: Set(m.created_at),
        updated_at: Set(m.updated_at),
    })
}

#[async_trait::async_trait]
impl<C: Conn> ActionPlanRepo for Db<C> {
    async fn create_plan(&self, p: &ActionPlan) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        action_plans::Entity::insert(plan_model(p)?).exec(&tx).await.map_err(map_db_err)?;
        search::refresh_plan(&tx, p).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_plan(&self, p: &ActionPlan, expected: DateTime<Utc>) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let res = action_plans::Entity::update_many()
            .set(plan_model(p)?)
            .filter(action_plans::Column::Id.eq(Uuid::from(p.id)))
            .filter(action_plans::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(stale());
        }
        // Publishing a plan (or taking it back to draft) shows or hides its commitments too.
        search::refresh_plan(&tx, p).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn plan(&self, org_id: OrgId, id: PlanId) -> RepoResult<Option<ActionPlan>> {
        action_plans::Entity::find_by_id(id)
            .filter(action_plans::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(plan_from)
            .transpose()
    }

    async fn plans(&self, org_id: OrgId, include_drafts: bool) -> RepoResult<Vec<ActionPlan>> {
        let mut q = action_plans::Entity::find().filter(action_plans::Column::OrgId.eq(Uuid::from(org_id)));
        if !include_drafts {
            q = q.filter(action_plans::Column::Status.ne(PlanStatus::Draft.as_str()));
        }
        q.order_by_desc(action_plans::Column::StartDate)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(plan_from)
            .collect()
    }

    async fn create_commitment(&self, c: &Commitment) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        commitments::Entity::insert(commitment_model(c)?).exec(&tx).await.map_err(map_db_err)?;
        search::refresh_commitment(&tx, c.id).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_commitment(&self, c: &Commitment, expected: DateTime<Utc>) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let res = commitments::Entity::update_many()
            .set(commitment_model(c)?)
            .filter(commitments::Column::Id.eq(Uuid::from(c.id)))
            .filter(commitments::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(stale());
        }
        search::refresh_commitment(&tx, c.id).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn commitment(&self, org_id: OrgId, id: CommitmentId) -> RepoResult<Option<Commitment>> {
        commitments::Entity::find_by_id(id)
            .filter(commitments::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(commitment_from)
            .transpose()
    }

    async fn commitments(&self, org_id: OrgId, f: &CommitmentFilter) -> RepoResult<Vec<Commitment>> {
        let rows = commitments_query(org_id, f).all(&self.conn).await.map_err(map_db_err)?;
        let mut list = rows.into_iter().map(commitment_from).collect::<RepoResult<Vec<_>>>()?;
        if let Some(v) = f.ogp_value {
            list.retain(|c| c.ogp_values.contains(&v));
        }
        Ok(list)
    }

    async fn commitments_counted(&self, org_id: OrgId, f: &CommitmentFilter) -> RepoResult<Vec<(Commitment, u64)>> {
        let rows: Vec<Counted<commitments::Model, 1>> =
            with_comments(commitments_query(org_id, f)).into_model().all(&self.conn).await.map_err(map_db_err)?;
        let mut list = Vec::with_capacity(rows.len());
        for r in rows {
            let c = commitment_from(r.model)?;
            if f.ogp_value.is_none_or(|v| c.ogp_values.contains(&v)) {
                list.push((c, r.counts[0]));
            }
        }
        Ok(list)
    }

    async fn commitment_detail(
        &self,
        org_id: OrgId,
        id: CommitmentId,
        public_only: bool,
    ) -> RepoResult<Option<(Commitment, u64, Vec<Milestone>)>> {
        let mut q = commitments::Entity::find_by_id(id).filter(commitments::Column::OrgId.eq(Uuid::from(org_id)));
        if public_only {
            q = q.filter(commitments::Column::ActionPlanId.in_subquery(public_plans(Uuid::from(org_id))));
        }
        // One row per milestone (or one with none), the commitment's columns repeated on each.
        let milestones_of = milestones::Entity::belongs_to(commitments::Entity)
            .from(milestones::Column::CommitmentId)
            .to(commitments::Column::Id)
            .into();
        let q = with_comments(q)
            .join(JoinType::LeftJoin, RelationDef::rev(milestones_of))
            .select_also(milestones::Entity)
            .order_by_asc(milestones::Column::Position)
            .order_by_asc(milestones::Column::Id);
        let Some((c, ms)): Option<(Counted<commitments::Model, 1>, Vec<milestones::Model>)> =
            parent_and_children(q, &self.conn).await.map_err(map_db_err)?
        else {
            return Ok(None);
        };
        let ms = ms.into_iter().map(milestone_from).collect::<RepoResult<_>>()?;
        Ok(Some((commitment_from(c.model)?, c.counts[0], ms)))
    }

    async fn add_milestone(&self, m: &Milestone) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        milestones::Entity::insert(milestone_model(m)?).exec(&tx).await.map_err(map_db_err)?;
        search::refresh_commitment(&tx, m.commitment_id).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_milestone(&self, m: &Milestone) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        milestones::Entity::update(milestone_model(m)?).exec(&tx).await.map_err(map_db_err)?;
        search::refresh_commitment(&tx, m.commitment_id).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn milestones(&self, commitment_ids: &[CommitmentId]) -> RepoResult<Vec<Milestone>> {
        if commitment_ids.is_empty() {
            return Ok(Vec::new());
        }
        milestones::Entity::find()
            .filter(milestones::Column::CommitmentId.is_in(commitment_ids.iter().map(|c| c.as_uuid())))
            .order_by_asc(milestones::Column::Position)
            .order_by_asc(milestones::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(milestone_from)
            .collect()
    }

    async fn add_co_owner(&self, c: &CoOwner) -> RepoResult<()> {
        owners::Entity::insert(owners::ActiveModel {
            id: Set(c.id),
            commitment_id: Set(c.commitment_id.into()),
            user_id: Set(c.user_id.into()),
            organisation: Set(c.organisation.clone()),
            note: Set(c.note.clone()),
            status: Set(c.status.as_str().to_owned()),
            created_at: Set(c.created_at),
            updated_at: Set(c.created_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn set_co_owner_status(
        &self,
        commitment_id: CommitmentId,
        id: Uuid,
        status: CoOwnerStatus,
        at: DateTime<Utc>,
    ) -> RepoResult<bool> {
        let res = owners::Entity::update_many()
            .col_expr(owners::Column::Status, Expr::value(status.as_str()))
            .col_expr(owners::Column::UpdatedAt, Expr::value(at))
            .filter(owners::Column::Id.eq(id))
            .filter(owners::Column::CommitmentId.eq(Uuid::from(commitment_id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn withdraw_co_owner(&self, commitment_id: CommitmentId, user_id: UserId) -> RepoResult<bool> {
        let res = owners::Entity::delete_many()
            .filter(owners::Column::CommitmentId.eq(Uuid::from(commitment_id)))
            .filter(owners::Column::UserId.eq(Uuid::from(user_id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn co_owners(&self, commitment_id: CommitmentId) -> RepoResult<Vec<CoOwner>> {
        let rows = owners::Entity::find()
            .filter(owners::Column::CommitmentId.eq(Uuid::from(commitment_id)))
            .order_by_asc(owners::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        let names: HashMap<Uuid, String> = users::Entity::find()
            .filter(users::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| CoOwner {
                id: r.id,
                commitment_id: r.commitment_id.into(),
                user_id: r.user_id.into(),
                display_name: names.get(&r.user_id).cloned().unwrap_or_default(),
                organisation: r.organisation,
                note: r.note,
                status: CoOwnerStatus::parse(&r.status).unwrap_or(CoOwnerStatus::Proposed),
                created_at: r.created_at,
            })
            .collect())
    }
}
