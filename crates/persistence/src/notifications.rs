//! `NotificationRepo` on sea-orm: notifications, follows, delivery preferences and the daily
//! digest's records.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::notifications::{Delivery, Follow, FollowTarget, Followable, Notification, NotificationRepo};
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{
    action_plans, budget_proposals, budgets, commitments, consultations, follows, meetings, notification_digests,
    notification_preferences as prefs, notifications, organisations, reports,
};
use crate::{Conn, Db, map_db_err};

fn from_model(m: notifications::Model) -> Notification {
    Notification {
        id: m.id,
        user_id: m.user_id.into(),
        org_id: m.org_id.map(OrgId::from),
        kind: m.kind,
        payload: m.payload,
        created_at: m.created_at,
        read_at: m.read_at,
        digest_pending: m.digest_pending,
    }
}

fn delivery(s: &str) -> RepoResult<Delivery> {
    s.parse().map_err(|()| RepoError::Unavailable(format!("unknown delivery `{s}` in notification_preferences")))
}

impl<C: Conn> Db<C> {
    /// The organisation of a row: `(org_id, public)` from the target's table.
    async fn target_org(&self, target: Followable, id: Uuid) -> RepoResult<Option<(Uuid, bool)>> {
        let db = |e| map_db_err(e);
        Ok(match target {
            Followable::Meeting => {
                meetings::Entity::find_by_id(id).one(&self.conn).await.map_err(db)?.map(|m| (m.org_id, true))
            }
            Followable::Consultation => {
                consultations::Entity::find_by_id(id).one(&self.conn).await.map_err(db)?.map(|m| (m.org_id, true))
            }
            Followable::Budget => {
                budgets::Entity::find_by_id(id).one(&self.conn).await.map_err(db)?.map(|m| (m.org_id, true))
            }
            Followable::Proposal => {
                budget_proposals::Entity::find_by_id(id).one(&self.conn).await.map_err(db)?.map(|m| (m.org_id, true))
            }
            Followable::Report => {
                reports::Entity::find_by_id(id).one(&self.conn).await.map_err(db)?.map(|m| (m.org_id, true))
            }
            Followable::Commitment => {
                let Some(c) = commitments::Entity::find_by_id(id).one(&self.conn).await.map_err(db)? else {
                    return Ok(None);
                };
                // A commitment of a draft plan is staff-only.
                let public = action_plans::Entity::find_by_id(c.action_plan_id)
                    .one(&self.conn)
                    .await
                    .map_err(db)?
                    .is_some_and(|p| p.status != "draft");
                Some((c.org_id, public))
            }
        })
    }
}

#[async_trait::async_trait]
impl<C: Conn> NotificationRepo for Db<C> {
    async fn notify(&self, list: &[Notification]) -> RepoResult<()> {
        if list.is_empty() {
            return Ok(());
        }
        let models = list.iter().map(|n| notifications::ActiveModel {
            id: Set(n.id),
            user_id: Set(n.user_id.into()),
            org_id: Set(n.org_id.map(Into::into)),
            kind: Set(n.kind.clone()),
            payload: Set(n.payload.clone()),
            read_at: Set(n.read_at),
            digest_pending: Set(n.digest_pending),
            created_at: Set(n.created_at),
            updated_at: Set(n.created_at),
        });
        notifications::Entity::insert_many(models).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn notifications_of(
        &self,
        user_id: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> RepoResult<Page<Notification>> {
        let mut base = notifications::Entity::find().filter(notifications::Column::UserId.eq(Uuid::from(user_id)));
        if unread_only {
            base = base.filter(notifications::Column::ReadAt.is_null());
        }
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_desc(notifications::Column::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(notifications::Column::Id.lt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        Ok(Page::from_overfetch(rows.into_iter().map(from_model).collect(), page.limit, total, |n| n.id))
    }

    async fn mark_read(&self, user_id: UserId, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool> {
        let found = notifications::Entity::find_by_id(id)
            .filter(notifications::Column::UserId.eq(Uuid::from(user_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .is_some();
        if found {
            notifications::Entity::update_many()
                .col_expr(notifications::Column::ReadAt, Expr::value(now))
                .col_expr(notifications::Column::UpdatedAt, Expr::value(now))
                .filter(notifications::Column::Id.eq(id))
                .filter(notifications::Column::ReadAt.is_null())
                .exec(&self.conn)
                .await
                .map_err(map_db_err)?;
        }
        Ok(found)
    }

    async fn mark_all_read(&self, user_id: UserId, now: DateTime<Utc>) -> RepoResult<u64> {
        Ok(notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(now))
            .col_expr(notifications::Column::UpdatedAt, Expr::value(now))
            .filter(notifications::Column::UserId.eq(Uuid::from(user_id)))
            .filter(notifications::Column::ReadAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?
            .rows_affected)
    }

    async fn follow_target(&self, target: Followable, id: Uuid) -> RepoResult<Option<FollowTarget>> {
        let Some((org_id, public)) = self.target_org(target, id).await? else { return Ok(None) };
        let Some(org) = organisations::Entity::find_by_id(org_id).one(&self.conn).await.map_err(map_db_err)? else {
            return Ok(None);
        };
        Ok(Some(FollowTarget { org_id: org_id.into(), org_slug: org.slug, public }))
    }

    async fn follow(&self, f: &Follow) -> RepoResult<bool> {
        let inserted = follows::Entity::insert(follows::ActiveModel {
            user_id: Set(f.user_id.into()),
            target_kind: Set(f.target.as_str().to_owned()),
            target_id: Set(f.target_id),
            org_id: Set(f.org_id.into()),
            created_at: Set(f.created_at),
        })
        .on_conflict(
            OnConflict::columns([follows::Column::UserId, follows::Column::TargetKind, follows::Column::TargetId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(inserted == 1)
    }

    async fn unfollow(&self, user_id: UserId, target: Followable, id: Uuid) -> RepoResult<bool> {
        let res = follows::Entity::delete_many()
            .filter(follows::Column::UserId.eq(Uuid::from(user_id)))
            .filter(follows::Column::TargetKind.eq(target.as_str()))
            .filter(follows::Column::TargetId.eq(id))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn is_following(&self, user_id: UserId, target: Followable, id: Uuid) -> RepoResult<bool> {
        Ok(follows::Entity::find()
            .filter(follows::Column::UserId.eq(Uuid::from(user_id)))
            .filter(follows::Column::TargetKind.eq(target.as_str()))
            .filter(follows::Column::TargetId.eq(id))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .is_some())
    }

    async fn followers(&self, target: Followable, id: Uuid) -> RepoResult<Vec<UserId>> {
        Ok(follows::Entity::find()
            .filter(follows::Column::TargetKind.eq(target.as_str()))
            .filter(follows::Column::TargetId.eq(id))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|f| f.user_id.into())
            .collect())
    }

    async fn follows_of(&self, user_id: UserId) -> RepoResult<Vec<Follow>> {
        follows::Entity::find()
            .filter(follows::Column::UserId.eq(Uuid::from(user_id)))
            .order_by_desc(follows::Column::CreatedAt)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|f| {
                Ok(Follow {
                    user_id: f.user_id.into(),
                    org_id: f.org_id.into(),
                    target: f
                        .target_kind
                        .parse()
                        .map_err(|()| RepoError::Unavailable(format!("unknown follow target `{}`", f.target_kind)))?,
                    target_id: f.target_id,
                    created_at: f.created_at,
                })
            })
            .collect()
    }

    async fn deliveries(&self, users: &[UserId], kind: &str) -> RepoResult<Vec<(UserId, Delivery)>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        // In chunks, under every database's limit on bound parameters.
        for chunk in users.chunks(500) {
            let rows = prefs::Entity::find()
                .filter(prefs::Column::Kind.eq(kind))
                .filter(prefs::Column::UserId.is_in(chunk.iter().map(|u| Uuid::from(*u))))
                .all(&self.conn)
                .await
                .map_err(map_db_err)?;
            for r in rows {
                out.push((r.user_id.into(), delivery(&r.delivery)?));
            }
        }
        Ok(out)
    }

    async fn preferences_of(&self, user_id: UserId) -> RepoResult<Vec<(String, Delivery)>> {
        prefs::Entity::find()
            .filter(prefs::Column::UserId.eq(Uuid::from(user_id)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|r| Ok((r.kind, delivery(&r.delivery)?)))
            .collect()
    }

    async fn set_preferences(
        &self,
        user_id: UserId,
        list: &[(String, Delivery)],
        now: DateTime<Utc>,
    ) -> RepoResult<()> {
        if list.is_empty() {
            return Ok(());
        }
        let models = list.iter().map(|(k, d)| prefs::ActiveModel {
            user_id: Set(user_id.into()),
            kind: Set(k.clone()),
            delivery: Set(d.as_str().to_owned()),
            updated_at: Set(now),
        });
        prefs::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([prefs::Column::UserId, prefs::Column::Kind])
                    .update_columns([prefs::Column::Delivery, prefs::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }

    async fn digest_recipients(&self, day: &str, limit: u64) -> RepoResult<Vec<UserId>> {
        use sea_orm::sea_query::Query;
        let done_today = Query::select()
            .column(notification_digests::Column::UserId)
            .from(notification_digests::Entity)
            .and_where(Expr::col(notification_digests::Column::Day).eq(day))
            .to_owned();
        let rows: Vec<Uuid> = notifications::Entity::find()
            .select_only()
            .column(notifications::Column::UserId)
            .distinct()
            .filter(notifications::Column::DigestPending.eq(true))
            .filter(notifications::Column::UserId.not_in_subquery(done_today))
            .limit(limit)
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn claim_digest(&self, user_id: UserId, day: &str, now: DateTime<Utc>) -> RepoResult<bool> {
        let inserted = notification_digests::Entity::insert(notification_digests::ActiveModel {
            user_id: Set(user_id.into()),
            day: Set(day.to_owned()),
            sent_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([notification_digests::Column::UserId, notification_digests::Column::Day])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(inserted == 1)
    }

    async fn digest_pending(&self, user_id: UserId) -> RepoResult<Vec<Notification>> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(Uuid::from(user_id)))
            .filter(notifications::Column::DigestPending.eq(true))
            .order_by_asc(notifications::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(from_model)
            .collect())
    }

    async fn clear_digest(&self, ids: &[Uuid]) -> RepoResult<()> {
        for chunk in ids.chunks(500) {
            notifications::Entity::update_many()
                .col_expr(notifications::Column::DigestPending, Expr::value(false))
                .filter(notifications::Column::Id.is_in(chunk.iter().copied()))
                .exec(&self.conn)
                .await
                .map_err(map_db_err)?;
        }
        Ok(())
    }
}
