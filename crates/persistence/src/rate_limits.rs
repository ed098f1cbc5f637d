//! The rate-limit counters: one upsert per attempt, atomic on both databases.

use chrono::{DateTime, Duration, Utc};
use pnyx_domain::rate_limit::{Counter, RateLimitRepo};
use pnyx_domain::repo::{RepoError, RepoResult};
use sea_orm::{ConnectionTrait, Statement};

use crate::error::map_db_err;
use crate::{Conn, Db, placeholder};

fn counter(row: &sea_orm::QueryResult) -> RepoResult<Counter> {
    let hits: i64 = row.try_get("", "hits").map_err(map_db_err)?;
    let start: i64 = row.try_get("", "window_start_ms").map_err(map_db_err)?;
    Ok(Counter {
        hits: u32::try_from(hits).unwrap_or(u32::MAX),
        window_start: DateTime::from_timestamp_millis(start)
            .ok_or_else(|| RepoError::Unavailable(format!("bad rate-limit time {start}")))?,
    })
}

#[async_trait::async_trait]
impl<C: Conn> RateLimitRepo for Db<C> {
    async fn hit_rate_limit(&self, key: &str, now: DateTime<Utc>, window: Duration) -> RepoResult<Counter> {
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let now_ms = now.timestamp_millis();
        let over = now_ms - window.num_milliseconds();
        let p = |n| placeholder(backend, "", n);
        let stmt = Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO rate_limits (key, window_start_ms, hits) VALUES ({}, {}, 1) \
                 ON CONFLICT (key) DO UPDATE SET \
                 hits = CASE WHEN rate_limits.window_start_ms <= {} THEN 1 ELSE rate_limits.hits + 1 END, \
                 window_start_ms = CASE WHEN rate_limits.window_start_ms <= {} THEN {} ELSE rate_limits.window_start_ms END \
                 RETURNING hits, window_start_ms",
                p(1),
                p(2),
                p(3),
                p(4),
                p(5)
            ),
            [key.into(), now_ms.into(), over.into(), over.into(), now_ms.into()],
        );
        let row = self.conn.query_one_raw(stmt).await.map_err(map_db_err)?;
        counter(&row.ok_or_else(|| RepoError::Unavailable("the upsert returned no row".into()))?)
    }

    async fn rate_limit(&self, key: &str) -> RepoResult<Option<Counter>> {
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let stmt = Statement::from_sql_and_values(
            backend,
            placeholder(backend, "SELECT hits, window_start_ms FROM rate_limits WHERE key = ", 1),
            [key.into()],
        );
        self.conn.query_one_raw(stmt).await.map_err(map_db_err)?.as_ref().map(counter).transpose()
    }

    async fn clear_rate_limit(&self, key: &str) -> RepoResult<()> {
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let stmt = Statement::from_sql_and_values(
            backend,
            placeholder(backend, "DELETE FROM rate_limits WHERE key = ", 1),
            [key.into()],
        );
        self.conn.execute_raw(stmt).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn purge_rate_limits(&self, before: DateTime<Utc>) -> RepoResult<u64> {
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let stmt = Statement::from_sql_and_values(
            backend,
            placeholder(backend, "DELETE FROM rate_limits WHERE window_start_ms < ", 1),
            [before.timestamp_millis().into()],
        );
        Ok(self.conn.execute_raw(stmt).await.map_err(map_db_err)?.rows_affected())
    }
}
