//! `IdempotencyRepo` on sea-orm: the first response under a key wins, by primary key.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::UserId;
use pnyx_domain::repo::{IdempotencyRepo, RepoError, RepoResult, StoredResponse};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::idempotency_keys;
use crate::{Conn, Db, map_db_err};

#[async_trait::async_trait]
impl<C: Conn> IdempotencyRepo for Db<C> {
    async fn stored_response(
        &self,
        user_id: UserId,
        key: &str,
        since: DateTime<Utc>,
    ) -> RepoResult<Option<StoredResponse>> {
        Ok(idempotency_keys::Entity::find_by_id((Uuid::from(user_id), key.to_owned()))
            .filter(idempotency_keys::Column::CreatedAt.gte(since))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(|m| StoredResponse {
                request_hash: m.request_hash,
                status: u16::try_from(m.status).unwrap_or(500),
                body: m.body,
            }))
    }

    async fn store_response(
        &self,
        user_id: UserId,
        key: &str,
        r: &StoredResponse,
        now: DateTime<Utc>,
    ) -> RepoResult<bool> {
        let res = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
            user_id: Set(user_id.into()),
            key: Set(key.to_owned()),
            request_hash: Set(r.request_hash.clone()),
            status: Set(i32::from(r.status)),
            body: Set(r.body.clone()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&self.conn)
        .await;
        match res.map_err(map_db_err) {
            Ok(_) => Ok(true),
            Err(RepoError::Conflict { .. }) => {
                // An expired response under the key is not a conflict: it goes, and this one stays.
                let gone = idempotency_keys::Entity::delete_many()
                    .filter(idempotency_keys::Column::UserId.eq(Uuid::from(user_id)))
                    .filter(idempotency_keys::Column::Key.eq(key))
                    .filter(idempotency_keys::Column::CreatedAt.lt(now - chrono::Duration::days(1)))
                    .exec(&self.conn)
                    .await
                    .map_err(map_db_err)?;
                if gone.rows_affected == 0 {
                    return Ok(false);
                }
                Box::pin(self.store_response(user_id, key, r, now)).await
            }
            Err(e) => Err(e),
        }
    }

    async fn purge_responses(&self, before: DateTime<Utc>) -> RepoResult<u64> {
        let res = idempotency_keys::Entity::delete_many()
            .filter(idempotency_keys::Column::CreatedAt.lt(before))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected)
    }
}
