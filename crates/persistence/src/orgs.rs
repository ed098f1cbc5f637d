//! `OrgRepo` on sea-orm: organisations, memberships and the audit log.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use pnyx_domain::auth::{Membership, Role};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::org::{ActorRole, AuditEntry, Member, OrgRepo, Organisation, Slug};
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{audit_log, memberships, organisations, users};
use crate::{Conn, Db, map_db_err};

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Unavailable(format!("stored {what} is invalid: {e}"))
}

pub(crate) fn org_from(m: organisations::Model) -> RepoResult<Organisation> {
    Ok(Organisation {
        id: m.id.into(),
        slug: m.slug.parse::<Slug>().map_err(|e| corrupt("slug", e))?,
        name: serde_json::from_value::<LocalizedText>(m.name).map_err(|e| corrupt("name", e))?,
        description: serde_json::from_value::<LocalizedText>(m.description).map_err(|e| corrupt("description", e))?,
        default_locale: m.default_locale.parse::<Locale>().map_err(|e| corrupt("locale", e))?,
        locales: serde_json::from_value::<Vec<Locale>>(m.locales).map_err(|e| corrupt("locales", e))?,
        time_zone: m.time_zone.parse().map_err(|e| corrupt("time zone", e))?,
        currency: m.currency.parse().map_err(|e| corrupt("currency", e))?,
        area: m.area.map(serde_json::from_value).transpose().map_err(|e| corrupt("area", e))?,
        accent_color: m.accent_color.map(|c| c.parse()).transpose().map_err(|e| corrupt("accent colour", e))?,
        logo_file_id: m.logo_file_id.map(Into::into),
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn org_model(o: &Organisation) -> organisations::ActiveModel {
    organisations::ActiveModel {
        id: Set(o.id.into()),
        slug: Set(o.slug.to_string()),
        name: Set(serde_json::to_value(&o.name).unwrap_or_default()),
        description: Set(serde_json::to_value(&o.description).unwrap_or_default()),
        default_locale: Set(o.default_locale.as_str().to_owned()),
        locales: Set(serde_json::to_value(&o.locales).unwrap_or_default()),
        time_zone: Set(o.time_zone.name().to_owned()),
        currency: Set(o.currency.to_string()),
        area: Set(o.area.as_ref().and_then(|a| serde_json::to_value(a).ok())),
        accent_color: Set(o.accent_color.map(|c| c.to_string())),
        logo_file_id: Set(o.logo_file_id.map(Into::into)),
        created_at: Set(o.created_at),
        updated_at: Set(o.updated_at),
    }
}

pub(crate) fn membership_from(m: &memberships::Model) -> Membership {
    let mut roles = BTreeSet::new();
    for (held, role) in [(m.is_admin, Role::Admin), (m.is_official, Role::Official), (m.is_moderator, Role::Moderator)]
    {
        if held {
            roles.insert(role);
        }
    }
    Membership { roles, verified: m.verified }
}

fn audit_from(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        id: m.id,
        org_id: m.org_id.map(OrgId::from),
        actor_id: m.actor_id.map(UserId::from),
        action: m.action,
        resource_type: m.resource_type,
        resource_id: m.resource_id,
        details: m.details,
        created_at: m.created_at,
    }
}

impl<C: Conn> Db<C> {
    async fn members_with_users(&self, rows: Vec<memberships::Model>) -> RepoResult<Vec<Member>> {
        let ids: Vec<Uuid> = rows.iter().map(|m| m.user_id).collect();
        let users: HashMap<Uuid, users::Model> = users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        Ok(rows
            .iter()
            .filter_map(|m| {
                users.get(&m.user_id).map(|u| Member {
                    user_id: u.id.into(),
                    display_name: u.display_name.clone(),
                    email: u.email.clone(),
                    membership: membership_from(m),
                })
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl<C: Conn> OrgRepo for Db<C> {
    async fn list_orgs(&self, page: PageRequest) -> RepoResult<Page<Organisation>> {
        let total = organisations::Entity::find().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = organisations::Entity::find().order_by_asc(organisations::Column::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(organisations::Column::Id.gt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let orgs = rows.into_iter().map(org_from).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(orgs, page.limit, total, |o| o.id))
    }

    async fn org_by_slug(&self, slug: &str) -> RepoResult<Option<Organisation>> {
        let by = match Uuid::try_parse(slug) {
            Ok(id) => organisations::Column::Id.eq(id),
            Err(_) => organisations::Column::Slug.eq(slug),
        };
        organisations::Entity::find().filter(by).one(&self.conn).await.map_err(map_db_err)?.map(org_from).transpose()
    }

    async fn create_org(&self, org: &Organisation) -> RepoResult<()> {
        organisations::Entity::insert(org_model(org)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn update_org(&self, org: &Organisation, expected_updated_at: DateTime<Utc>) -> RepoResult<()> {
        let res = organisations::Entity::update_many()
            .set(org_model(org))
            .filter(organisations::Column::Id.eq(Uuid::from(org.id)))
            .filter(organisations::Column::UpdatedAt.eq(expected_updated_at))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected == 1 {
            Ok(())
        } else {
            Err(RepoError::Conflict { field: "updated_at".into(), message: "changed meanwhile".into() })
        }
    }

    async fn members(&self, org_id: OrgId, page: PageRequest) -> RepoResult<Page<Member>> {
        let base = memberships::Entity::find().filter(memberships::Column::OrgId.eq(Uuid::from(org_id)));
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_asc(memberships::Column::UserId).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(memberships::Column::UserId.gt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let members = self.members_with_users(rows).await?;
        Ok(Page::from_overfetch(members, page.limit, total, |m| m.user_id))
    }

    async fn member(&self, org_id: OrgId, user_id: UserId) -> RepoResult<Option<Member>> {
        let row = memberships::Entity::find_by_id((Uuid::from(org_id), Uuid::from(user_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(self.members_with_users(row.into_iter().collect()).await?.pop())
    }

    async fn put_membership(
        &self,
        org_id: OrgId,
        user_id: UserId,
        m: &Membership,
        now: DateTime<Utc>,
    ) -> RepoResult<()> {
        let model = memberships::ActiveModel {
            org_id: Set(org_id.into()),
            user_id: Set(user_id.into()),
            is_admin: Set(m.roles.contains(&Role::Admin)),
            is_official: Set(m.roles.contains(&Role::Official)),
            is_moderator: Set(m.roles.contains(&Role::Moderator)),
            verified: Set(m.verified),
            created_at: Set(now),
            updated_at: Set(now),
        };
        memberships::Entity::insert(model)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([memberships::Column::OrgId, memberships::Column::UserId])
                    .update_columns([
                        memberships::Column::IsAdmin,
                        memberships::Column::IsOfficial,
                        memberships::Column::IsModerator,
                        memberships::Column::Verified,
                        memberships::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }

    async fn delete_membership(&self, org_id: OrgId, user_id: UserId) -> RepoResult<bool> {
        let res = memberships::Entity::delete_by_id((Uuid::from(org_id), Uuid::from(user_id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn memberships_of(&self, user_id: UserId) -> RepoResult<Vec<(OrgId, Slug, Membership)>> {
        let rows = memberships::Entity::find()
            .filter(memberships::Column::UserId.eq(Uuid::from(user_id)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let slugs: HashMap<Uuid, String> = organisations::Entity::find()
            .filter(organisations::Column::Id.is_in(rows.iter().map(|m| m.org_id)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|o| (o.id, o.slug))
            .collect();
        rows.iter()
            .filter_map(|m| slugs.get(&m.org_id).map(|s| (m, s)))
            .map(|(m, s)| {
                Ok((OrgId::from(m.org_id), s.parse::<Slug>().map_err(|e| corrupt("slug", e))?, membership_from(m)))
            })
            .collect()
    }

    async fn count_admins(&self, org_id: OrgId) -> RepoResult<u64> {
        memberships::Entity::find()
            .filter(memberships::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(memberships::Column::IsAdmin.eq(true))
            .count(&self.conn)
            .await
            .map_err(map_db_err)
    }

    async fn record_audit(&self, e: &AuditEntry) -> RepoResult<()> {
        audit_log::Entity::insert(audit_log::ActiveModel {
            id: Set(e.id),
            org_id: Set(e.org_id.map(Into::into)),
            actor_id: Set(e.actor_id.map(Into::into)),
            action: Set(e.action.clone()),
            resource_type: Set(e.resource_type.clone()),
            resource_id: Set(e.resource_id.clone()),
            details: Set(e.details.clone()),
            created_at: Set(e.created_at),
            updated_at: Set(e.created_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn actor_roles(&self, org_id: OrgId, users: &[UserId]) -> RepoResult<HashMap<UserId, ActorRole>> {
        if users.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = users.iter().map(|u| Uuid::from(*u)).collect();
        let mut roles = HashMap::new();
        let admins = users::Entity::find()
            .filter(users::Column::Id.is_in(ids.clone()))
            .filter(users::Column::PlatformAdmin.eq(true))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        for u in admins {
            roles.insert(UserId::from(u.id), ActorRole::PlatformAdmin);
        }
        let members = memberships::Entity::find()
            .filter(memberships::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(memberships::Column::UserId.is_in(ids))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        for m in members {
            let role = if m.is_admin {
                ActorRole::Admin
            } else if m.is_official {
                ActorRole::Official
            } else if m.is_moderator {
                ActorRole::Moderator
            } else {
                continue;
            };
            roles.insert(UserId::from(m.user_id), role);
        }
        Ok(roles)
    }

    async fn audit_log(
        &self,
        org_id: OrgId,
        resource_type: Option<&str>,
        page: PageRequest,
    ) -> RepoResult<Page<AuditEntry>> {
        let mut base = audit_log::Entity::find().filter(audit_log::Column::OrgId.eq(Uuid::from(org_id)));
        if let Some(t) = resource_type {
            base = base.filter(audit_log::Column::ResourceType.eq(t));
        }
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_desc(audit_log::Column::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(audit_log::Column::Id.lt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        Ok(Page::from_overfetch(rows.into_iter().map(audit_from).collect(), page.limit, total, |e| e.id))
    }
}
