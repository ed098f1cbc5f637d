//! `InvitationRepo` and `ResidencyRepo` on sea-orm: staff invitations, residency prompts and
//! residents' requests to be verified.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use pnyx_domain::auth::Role;
use pnyx_domain::i18n::LocalizedText;
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::invitations::{Invitation, InvitationRepo};
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use pnyx_domain::residency::{RequestStatus, ResidencyRepo, ResidencyRequest, StaffView};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::OnConflict,
};
use uuid::Uuid;

use crate::entities::{invitations, organisations, residency_prompts, residency_requests, users};
use crate::orgs::org_from;
use crate::{Conn, Db, map_db_err};

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Unavailable(format!("stored {what} is invalid: {e}"))
}

fn invitation_from(m: invitations::Model) -> RepoResult<Invitation> {
    Ok(Invitation {
        id: m.id,
        org_id: m.org_id.into(),
        email: m.email,
        roles: serde_json::from_value::<BTreeSet<Role>>(m.roles).map_err(|e| corrupt("roles", e))?,
        token_hash: m.token_hash,
        invited_by: m.invited_by.map(UserId::from),
        expires_at: m.expires_at,
        accepted_at: m.accepted_at,
        accepted_by: m.accepted_by.map(UserId::from),
        revoked_at: m.revoked_at,
        sent_at: m.sent_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn invitation_model(i: &Invitation) -> invitations::ActiveModel {
    invitations::ActiveModel {
        id: Set(i.id),
        org_id: Set(i.org_id.into()),
        email: Set(i.email.clone()),
        roles: Set(serde_json::to_value(&i.roles).unwrap_or_default()),
        token_hash: Set(i.token_hash.clone()),
        invited_by: Set(i.invited_by.map(Into::into)),
        expires_at: Set(i.expires_at),
        accepted_at: Set(i.accepted_at),
        accepted_by: Set(i.accepted_by.map(Into::into)),
        revoked_at: Set(i.revoked_at),
        sent_at: Set(i.sent_at),
        created_at: Set(i.created_at),
        updated_at: Set(i.updated_at),
    }
}

#[async_trait::async_trait]
impl<C: Conn> InvitationRepo for Db<C> {
    async fn insert_invitation(&self, i: &Invitation) -> RepoResult<()> {
        invitations::Entity::insert(invitation_model(i)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn invitation(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<Invitation>> {
        invitations::Entity::find_by_id(id)
            .filter(invitations::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(invitation_from)
            .transpose()
    }

    async fn invitation_by_token_hash(&self, hash: &str) -> RepoResult<Option<Invitation>> {
        invitations::Entity::find()
            .filter(invitations::Column::TokenHash.eq(hash))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(invitation_from)
            .transpose()
    }

    async fn org_of_invitation(&self, id: Uuid) -> RepoResult<Option<Organisation>> {
        let Some(inv) = invitations::Entity::find_by_id(id).one(&self.conn).await.map_err(map_db_err)? else {
            return Ok(None);
        };
        organisations::Entity::find_by_id(inv.org_id)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(org_from)
            .transpose()
    }

    async fn open_invitations_to(&self, org_id: OrgId, email: &str) -> RepoResult<Vec<Invitation>> {
        invitations::Entity::find()
            .filter(invitations::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(invitations::Column::Email.eq(email))
            .filter(invitations::Column::AcceptedAt.is_null())
            .filter(invitations::Column::RevokedAt.is_null())
            .order_by_desc(invitations::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(invitation_from)
            .collect()
    }

    async fn invitations(
        &self,
        org_id: OrgId,
        pending_at: Option<DateTime<Utc>>,
        page: PageRequest,
    ) -> RepoResult<Page<Invitation>> {
        let mut base = invitations::Entity::find().filter(invitations::Column::OrgId.eq(Uuid::from(org_id)));
        if let Some(now) = pending_at {
            base = base
                .filter(invitations::Column::AcceptedAt.is_null())
                .filter(invitations::Column::RevokedAt.is_null())
                .filter(invitations::Column::ExpiresAt.gt(now));
        }
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_desc(invitations::Column::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(invitations::Column::Id.lt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let items = rows.into_iter().map(invitation_from).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, total, |i| i.id))
    }

    async fn save_invitation(&self, i: &Invitation, expected_updated_at: DateTime<Utc>) -> RepoResult<bool> {
        let res = invitations::Entity::update_many()
            .set(invitation_model(i))
            .filter(invitations::Column::Id.eq(i.id))
            .filter(invitations::Column::UpdatedAt.eq(expected_updated_at))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }
}

fn request_from(m: residency_requests::Model) -> RepoResult<ResidencyRequest> {
    Ok(ResidencyRequest {
        id: m.id,
        org_id: m.org_id.into(),
        user_id: m.user_id.into(),
        details: m.details,
        status: RequestStatus::parse(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
        reason: m.reason,
        decided_by: m.decided_by.map(UserId::from),
        decided_at: m.decided_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

#[async_trait::async_trait]
impl<C: Conn> ResidencyRepo for Db<C> {
    async fn residency_prompt(&self, org_id: OrgId) -> RepoResult<Option<LocalizedText>> {
        residency_prompts::Entity::find_by_id(Uuid::from(org_id))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(|m| serde_json::from_value::<LocalizedText>(m.prompt).map_err(|e| corrupt("prompt", e)))
            .transpose()
    }

    async fn put_residency_prompt(&self, org_id: OrgId, prompt: &LocalizedText, now: DateTime<Utc>) -> RepoResult<()> {
        residency_prompts::Entity::insert(residency_prompts::ActiveModel {
            org_id: Set(org_id.into()),
            prompt: Set(serde_json::to_value(prompt).unwrap_or_default()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(residency_prompts::Column::OrgId)
                .update_columns([residency_prompts::Column::Prompt, residency_prompts::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn insert_residency_request(&self, r: &ResidencyRequest) -> RepoResult<()> {
        residency_requests::Entity::insert(residency_requests::ActiveModel {
            id: Set(r.id),
            org_id: Set(r.org_id.into()),
            user_id: Set(r.user_id.into()),
            details: Set(r.details.clone()),
            status: Set(r.status.as_str().to_owned()),
            reason: Set(r.reason.clone()),
            decided_by: Set(r.decided_by.map(Into::into)),
            decided_at: Set(r.decided_at),
            created_at: Set(r.created_at),
            updated_at: Set(r.updated_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn residency_request(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<ResidencyRequest>> {
        residency_requests::Entity::find_by_id(id)
            .filter(residency_requests::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(request_from)
            .transpose()
    }

    async fn latest_residency_request(&self, org_id: OrgId, user_id: UserId) -> RepoResult<Option<ResidencyRequest>> {
        residency_requests::Entity::find()
            .filter(residency_requests::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(residency_requests::Column::UserId.eq(Uuid::from(user_id)))
            .order_by_desc(residency_requests::Column::Id)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(request_from)
            .transpose()
    }

    async fn residency_requests(
        &self,
        org_id: OrgId,
        status: Option<RequestStatus>,
        page: PageRequest,
    ) -> RepoResult<Page<StaffView>> {
        let mut base =
            residency_requests::Entity::find().filter(residency_requests::Column::OrgId.eq(Uuid::from(org_id)));
        if let Some(s) = status {
            base = base.filter(residency_requests::Column::Status.eq(s.as_str()));
        }
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_asc(residency_requests::Column::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(residency_requests::Column::Id.gt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let who: HashMap<Uuid, users::Model> = users::Entity::find()
            .filter(users::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(u) = who.get(&r.user_id) else { continue };
            let (display_name, email) = (u.display_name.clone(), u.email.clone());
            items.push(StaffView { request: request_from(r)?, display_name, email });
        }
        Ok(Page::from_overfetch(items, page.limit, total, |v| v.request.id))
    }

    async fn decide_residency_request(&self, r: &ResidencyRequest) -> RepoResult<bool> {
        let res = residency_requests::Entity::update_many()
            .set(residency_requests::ActiveModel {
                status: Set(r.status.as_str().to_owned()),
                reason: Set(r.reason.clone()),
                decided_by: Set(r.decided_by.map(Into::into)),
                decided_at: Set(r.decided_at),
                updated_at: Set(r.updated_at),
                ..Default::default()
            })
            .filter(residency_requests::Column::Id.eq(r.id))
            .filter(residency_requests::Column::Status.eq(RequestStatus::Pending.as_str()))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }
}
