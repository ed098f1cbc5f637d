//! `OutboxRepo` on sea-orm: the mail outbox and its claims.
//!
//! A claim is a short transaction: select the due messages (on PostgreSQL `FOR UPDATE SKIP
//! LOCKED`, so concurrent workers skip each other's rows instead of waiting or taking them too;
//! on SQLite the transaction takes the one write lock), then stamp them with the worker and the
//! end of its lease. A message whose lease ended unsent is due again.

use chrono::{DateTime, Utc};
use pnyx_domain::i18n::Locale;
use pnyx_domain::mail::{OutboxMail, OutboxRepo};
use pnyx_domain::repo::{RepoError, RepoResult};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode,
    TransactionOptions,
};
use uuid::Uuid;

use crate::entities::mail_outbox;
use crate::{Conn, Db, map_db_err};

fn from_model(m: mail_outbox::Model) -> RepoResult<OutboxMail> {
    Ok(OutboxMail {
        id: m.id,
        kind: m.kind,
        recipient: m.recipient,
        locale: m.locale.parse::<Locale>().map_err(|e| RepoError::Unavailable(e.to_string()))?,
        payload: m.payload,
        user_id: m.user_id.map(Into::into),
        attempts: m.attempts,
        next_attempt_at: m.next_attempt_at,
        created_at: m.created_at,
    })
}

#[async_trait::async_trait]
impl<C: Conn> OutboxRepo for Db<C> {
    async fn enqueue_mail(&self, m: &OutboxMail) -> RepoResult<()> {
        mail_outbox::Entity::insert(mail_outbox::ActiveModel {
            id: Set(m.id),
            kind: Set(m.kind.clone()),
            recipient: Set(m.recipient.clone()),
            locale: Set(m.locale.as_str().to_owned()),
            payload: Set(m.payload.clone()),
            user_id: Set(m.user_id.map(Into::into)),
            attempts: Set(m.attempts),
            next_attempt_at: Set(m.next_attempt_at),
            locked_until: Set(None),
            locked_by: Set(None),
            sent_at: Set(None),
            failed_at: Set(None),
            last_error: Set(None),
            created_at: Set(m.created_at),
            updated_at: Set(m.created_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn last_mail_queued(
        &self,
        user_id: pnyx_domain::ids::UserId,
        kind: &str,
    ) -> RepoResult<Option<DateTime<Utc>>> {
        Ok(mail_outbox::Entity::find()
            .filter(mail_outbox::Column::UserId.eq(Uuid::from(user_id)))
            .filter(mail_outbox::Column::Kind.eq(kind))
            .order_by_desc(mail_outbox::Column::CreatedAt)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(|m| m.created_at))
    }

    async fn claim_mail(
        &self,
        worker: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> RepoResult<Vec<OutboxMail>> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let tx = self.conn.begin_with_options(options).await.map_err(map_db_err)?;
        let due = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::SentAt.is_null())
            .filter(mail_outbox::Column::FailedAt.is_null())
            .filter(mail_outbox::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(mail_outbox::Column::LockedUntil.is_null())
                    .add(mail_outbox::Column::LockedUntil.lte(now)),
            )
            .order_by_asc(mail_outbox::Column::NextAttemptAt)
            .order_by_asc(mail_outbox::Column::Id)
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
        mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::LockedUntil, Expr::value(lease_until))
            .col_expr(mail_outbox::Column::LockedBy, Expr::value(worker))
            .col_expr(mail_outbox::Column::UpdatedAt, Expr::value(now))
            .filter(mail_outbox::Column::Id.is_in(ids))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        tx.commit().await.map_err(map_db_err)?;
        due.into_iter().map(from_model).collect()
    }

    async fn mark_mail_sent(&self, id: Uuid, worker: Uuid, now: DateTime<Utc>) -> RepoResult<bool> {
        let res = mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::SentAt, Expr::value(now))
            .col_expr(mail_outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            // The payload's tokens are no longer needed once the message is out.
            .col_expr(mail_outbox::Column::Payload, Expr::value(serde_json::json!({})))
            .col_expr(mail_outbox::Column::UpdatedAt, Expr::value(now))
            .filter(mail_outbox::Column::Id.eq(id))
            .filter(mail_outbox::Column::LockedBy.eq(worker))
            .filter(mail_outbox::Column::SentAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn mark_mail_failed(
        &self,
        id: Uuid,
        worker: Uuid,
        retry_at: Option<DateTime<Utc>>,
        error: &str,
        now: DateTime<Utc>,
    ) -> RepoResult<()> {
        let mut update = mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::Attempts, Expr::col(mail_outbox::Column::Attempts).add(1))
            .col_expr(mail_outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(mail_outbox::Column::LastError, Expr::value(error.chars().take(2000).collect::<String>()))
            .col_expr(mail_outbox::Column::UpdatedAt, Expr::value(now));
        update = match retry_at {
            Some(at) => update.col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(at)),
            None => update.col_expr(mail_outbox::Column::FailedAt, Expr::value(now)),
        };
        update
            .filter(mail_outbox::Column::Id.eq(id))
            .filter(mail_outbox::Column::LockedBy.eq(worker))
            .filter(mail_outbox::Column::SentAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }
}
