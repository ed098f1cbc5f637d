//! `WebhookRepo` on sea-orm: subscriptions and their deliveries, which are also the worker's
//! queue. A claim is a short transaction, as for the mail outbox: select due pending deliveries
//! of active subscriptions (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so concurrent workers skip
//! each other's rows; on SQLite the transaction takes the one write lock), then stamp them with
//! the worker and the end of its lease.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use pnyx_domain::webhooks::{AttemptResult, ClaimedDelivery, Delivery, DeliveryStatus, Webhook, WebhookRepo};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    SqliteTransactionMode, TransactionOptions,
};
use uuid::Uuid;

use crate::entities::{memberships, organisations, webhook_deliveries as wd, webhooks};
use crate::{Conn, Db, map_db_err};

fn hook_from(m: webhooks::Model) -> RepoResult<Webhook> {
    let events: Vec<String> =
        serde_json::from_value(m.events).map_err(|e| RepoError::Unavailable(format!("webhook events: {e}")))?;
    Ok(Webhook {
        id: m.id,
        org_id: m.org_id.into(),
        url: m.url,
        description: m.description,
        events,
        secret: m.secret,
        active: m.active,
        disabled_reason: m.disabled_reason,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn hook_model(w: &Webhook) -> webhooks::ActiveModel {
    webhooks::ActiveModel {
        id: Set(w.id),
        org_id: Set(w.org_id.into()),
        url: Set(w.url.clone()),
        description: Set(w.description.clone()),
        events: Set(serde_json::json!(w.events)),
        secret: Set(w.secret.clone()),
        active: Set(w.active),
        disabled_reason: Set(w.disabled_reason.clone()),
        created_at: Set(w.created_at),
        updated_at: Set(w.updated_at),
    }
}

fn delivery_from(m: wd::Model) -> RepoResult<Delivery> {
    Ok(Delivery {
        id: m.id,
        webhook_id: m.webhook_id,
        org_id: m.org_id.into(),
        event_id: m.event_id,
        event_type: m.event_type,
        body: m.body,
        status: DeliveryStatus::parse(&m.status)
            .ok_or_else(|| RepoError::Unavailable(format!("webhook delivery status `{}`", m.status)))?,
        attempts: m.attempts,
        next_attempt_at: m.next_attempt_at,
        response_code: m.response_code,
        last_error: m.last_error,
        delivered_at: m.delivered_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn delivery_model(d: &Delivery) -> wd::ActiveModel {
    wd::ActiveModel {
        id: Set(d.id),
        webhook_id: Set(d.webhook_id),
        org_id: Set(d.org_id.into()),
        event_id: Set(d.event_id),
        event_type: Set(d.event_type.clone()),
        body: Set(d.body.clone()),
        status: Set(d.status.as_str().to_owned()),
        attempts: Set(d.attempts),
        next_attempt_at: Set(d.next_attempt_at),
        locked_until: Set(None),
        locked_by: Set(None),
        response_code: Set(d.response_code),
        last_error: Set(d.last_error.clone()),
        delivered_at: Set(d.delivered_at),
        created_at: Set(d.created_at),
        updated_at: Set(d.updated_at),
    }
}

#[async_trait::async_trait]
impl<C: Conn> WebhookRepo for Db<C> {
    async fn insert_webhook(&self, w: &Webhook) -> RepoResult<()> {
        webhooks::Entity::insert(hook_model(w)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn webhook(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<Webhook>> {
        webhooks::Entity::find_by_id(id)
            .filter(webhooks::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(hook_from)
            .transpose()
    }

    async fn webhooks_of(&self, org_id: OrgId) -> RepoResult<Vec<Webhook>> {
        webhooks::Entity::find()
            .filter(webhooks::Column::OrgId.eq(Uuid::from(org_id)))
            .order_by_asc(webhooks::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(hook_from)
            .collect()
    }

    async fn update_webhook(&self, w: &Webhook) -> RepoResult<()> {
        let res = webhooks::Entity::update_many()
            .set(hook_model(w))
            .filter(webhooks::Column::Id.eq(w.id))
            .filter(webhooks::Column::OrgId.eq(Uuid::from(w.org_id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected == 1 { Ok(()) } else { Err(RepoError::NotFound) }
    }

    async fn delete_webhook(&self, org_id: OrgId, id: Uuid) -> RepoResult<bool> {
        let res = webhooks::Entity::delete_many()
            .filter(webhooks::Column::Id.eq(id))
            .filter(webhooks::Column::OrgId.eq(Uuid::from(org_id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn disable_webhook(&self, id: Uuid, reason: &str, now: DateTime<Utc>) -> RepoResult<bool> {
        let res = webhooks::Entity::update_many()
            .col_expr(webhooks::Column::Active, Expr::value(false))
            .col_expr(webhooks::Column::DisabledReason, Expr::value(reason))
            .col_expr(webhooks::Column::UpdatedAt, Expr::value(now))
            .filter(webhooks::Column::Id.eq(id))
            .filter(webhooks::Column::Active.eq(true))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn subscribers(&self, org_id: OrgId, event_type: &str) -> RepoResult<Vec<Webhook>> {
        // A handful per organisation: the event list is filtered here, the same on both databases.
        let hooks = webhooks::Entity::find()
            .filter(webhooks::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(webhooks::Column::Active.eq(true))
            .order_by_asc(webhooks::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        let mut out = Vec::new();
        for m in hooks {
            let w = hook_from(m)?;
            if w.events.iter().any(|e| e == event_type) {
                out.push(w);
            }
        }
        Ok(out)
    }

    async fn enqueue_deliveries(&self, deliveries: &[Delivery]) -> RepoResult<()> {
        if deliveries.is_empty() {
            return Ok(());
        }
        wd::Entity::insert_many(deliveries.iter().map(delivery_model)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn deliveries_of(&self, webhook_id: Uuid, page: PageRequest) -> RepoResult<Page<Delivery>> {
        let base = wd::Entity::find().filter(wd::Column::WebhookId.eq(webhook_id));
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_desc(wd::Column::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(wd::Column::Id.lt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let items = rows.into_iter().map(delivery_from).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, total, |d| d.id))
    }

    async fn delivery(&self, webhook_id: Uuid, id: Uuid) -> RepoResult<Option<Delivery>> {
        wd::Entity::find_by_id(id)
            .filter(wd::Column::WebhookId.eq(webhook_id))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(delivery_from)
            .transpose()
    }

    async fn claim_deliveries(
        &self,
        worker: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> RepoResult<Vec<ClaimedDelivery>> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let tx = self.conn.begin_with_options(options).await.map_err(map_db_err)?;
        let active = Query::select()
            .column(webhooks::Column::Id)
            .from(webhooks::Entity)
            .and_where(webhooks::Column::Active.eq(true))
            .to_owned();
        let due = wd::Entity::find()
            .filter(wd::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .filter(wd::Column::NextAttemptAt.lte(now))
            .filter(Condition::any().add(wd::Column::LockedUntil.is_null()).add(wd::Column::LockedUntil.lte(now)))
            .filter(wd::Column::WebhookId.in_subquery(active))
            .order_by_asc(wd::Column::NextAttemptAt)
            .order_by_asc(wd::Column::Id)
            .limit(limit)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&tx)
            .await
            .map_err(map_db_err)?;
        if due.is_empty() {
            tx.commit().await.map_err(map_db_err)?;
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = due.iter().map(|m| m.id).collect();
        wd::Entity::update_many()
            .col_expr(wd::Column::LockedUntil, Expr::value(lease_until))
            .col_expr(wd::Column::LockedBy, Expr::value(worker))
            .col_expr(wd::Column::UpdatedAt, Expr::value(now))
            .filter(wd::Column::Id.is_in(ids))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        let hook_ids: Vec<Uuid> = due.iter().map(|m| m.webhook_id).collect();
        let hooks =
            webhooks::Entity::find().filter(webhooks::Column::Id.is_in(hook_ids)).all(&tx).await.map_err(map_db_err)?;
        tx.commit().await.map_err(map_db_err)?;
        let mut out = Vec::with_capacity(due.len());
        for m in due {
            let Some(h) = hooks.iter().find(|h| h.id == m.webhook_id) else { continue };
            out.push(ClaimedDelivery { url: h.url.clone(), secret: h.secret.clone(), delivery: delivery_from(m)? });
        }
        Ok(out)
    }

    async fn finish_delivery(
        &self,
        id: Uuid,
        worker: Uuid,
        result: &AttemptResult,
        now: DateTime<Utc>,
    ) -> RepoResult<bool> {
        let mut update = wd::Entity::update_many()
            .col_expr(wd::Column::Status, Expr::value(result.status.as_str()))
            .col_expr(wd::Column::Attempts, Expr::col(wd::Column::Attempts).add(1))
            .col_expr(wd::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(wd::Column::ResponseCode, Expr::value(result.response_code))
            .col_expr(wd::Column::LastError, Expr::value(result.error.clone()))
            .col_expr(wd::Column::UpdatedAt, Expr::value(now));
        if let Some(at) = result.next_attempt_at {
            update = update.col_expr(wd::Column::NextAttemptAt, Expr::value(at));
        }
        if result.status == DeliveryStatus::Succeeded {
            update = update.col_expr(wd::Column::DeliveredAt, Expr::value(now));
        }
        let res = update
            .filter(wd::Column::Id.eq(id))
            .filter(wd::Column::LockedBy.eq(worker))
            .filter(wd::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn redeliver(&self, webhook_id: Uuid, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool> {
        let res = wd::Entity::update_many()
            .col_expr(wd::Column::Status, Expr::value(DeliveryStatus::Pending.as_str()))
            .col_expr(wd::Column::Attempts, Expr::value(0))
            .col_expr(wd::Column::NextAttemptAt, Expr::value(now))
            .col_expr(wd::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(wd::Column::LockedBy, Expr::value(Option::<Uuid>::None))
            .col_expr(wd::Column::UpdatedAt, Expr::value(now))
            .filter(wd::Column::Id.eq(id))
            .filter(wd::Column::WebhookId.eq(webhook_id))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn org_admins(&self, org_id: OrgId) -> RepoResult<Vec<UserId>> {
        let rows: Vec<Uuid> = memberships::Entity::find()
            .select_only()
            .column(memberships::Column::UserId)
            .filter(memberships::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(memberships::Column::IsAdmin.eq(true))
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows.into_iter().map(UserId::from).collect())
    }

    async fn org_slug(&self, org_id: OrgId) -> RepoResult<Option<String>> {
        Ok(organisations::Entity::find_by_id(Uuid::from(org_id))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(|o| o.slug))
    }
}
