//! `OperationsRepo` on sea-orm: the background backlog (the mail outbox, the notifications
//! waiting for a digest) and the connection pool's use, for the operator's metrics.

use chrono::{DateTime, Utc};
use pnyx_domain::health::{Backlog, OperationsRepo, PoolUse};
use pnyx_domain::repo::RepoResult;
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::entities::{mail_outbox, notifications};
use crate::{Db, map_db_err};

#[async_trait::async_trait]
impl OperationsRepo for Db<DatabaseConnection> {
    async fn backlog(&self, now: DateTime<Utc>) -> RepoResult<Backlog> {
        let pending = || {
            mail_outbox::Entity::find()
                .filter(mail_outbox::Column::SentAt.is_null())
                .filter(mail_outbox::Column::FailedAt.is_null())
        };
        let mail_pending = pending().count(&self.conn).await.map_err(map_db_err)?;
        let mail_due = pending()
            .filter(mail_outbox::Column::NextAttemptAt.lte(now))
            .count(&self.conn)
            .await
            .map_err(map_db_err)?;
        let mail_failed = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::FailedAt.is_not_null())
            .count(&self.conn)
            .await
            .map_err(map_db_err)?;
        let oldest = pending()
            .order_by_asc(mail_outbox::Column::CreatedAt)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(|m| m.created_at);
        let mail_oldest_pending_secs = oldest.map_or(0, |t| u64::try_from((now - t).num_seconds()).unwrap_or_default());
        let digest_notifications_pending = notifications::Entity::find()
            .filter(notifications::Column::DigestPending.eq(true))
            .count(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(Backlog { mail_pending, mail_due, mail_failed, mail_oldest_pending_secs, digest_notifications_pending })
    }

    fn pool_use(&self) -> PoolUse {
        let (open, idle, max) = match self.conn.get_database_backend() {
            DbBackend::Postgres => {
                let p = self.conn.get_postgres_connection_pool();
                (p.size(), p.num_idle(), p.options().get_max_connections())
            }
            DbBackend::Sqlite => {
                let p = self.conn.get_sqlite_connection_pool();
                (p.size(), p.num_idle(), p.options().get_max_connections())
            }
            _ => (0, 0, 0),
        };
        PoolUse { open, idle: u32::try_from(idle).unwrap_or(u32::MAX), max }
    }
}
