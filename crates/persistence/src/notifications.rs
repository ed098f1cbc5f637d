//! `NotificationRepo` on sea-orm.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::notifications::{Notification, NotificationRepo};
use pnyx_domain::repo::{Page, PageRequest, RepoResult};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::notifications;
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
}
