//! `IdempotencyRepo` on sea-orm: the first response under a key wins, by primary key.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::UserId;
use pnyx_domain::repo::{IdempotencyRepo, RepoError, RepoResult, StoredResponse};
use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;

use crate::entities::idempotency_keys;
use crate::{Conn, Db, map_db_err};

#[async_trait::async_trait]
impl<C: Conn> IdempotencyRepo for Db<C> {
    async fn stored_response(&self, user_id: UserId, key: &str) -> RepoResult<Option<StoredResponse>> {
        Ok(idempotency_keys::Entity::find_by_id((Uuid::from(user_id), key.to_owned()))
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
            Err(RepoError::Conflict { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
