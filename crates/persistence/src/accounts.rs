//! `AccountRepo` on sea-orm: users, refresh tokens (hashed) and API tokens (hashed).

use chrono::{DateTime, Utc};
use pnyx_domain::accounts::{AccountRepo, AccountToken, ApiToken, Email, RefreshToken, TokenPurpose, User};
use pnyx_domain::auth::Membership;
use pnyx_domain::auth::Scope;
use pnyx_domain::i18n::Locale;
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::repo::{RepoError, RepoResult};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationDef,
};
use uuid::Uuid;

use crate::entities::{account_tokens, api_tokens, memberships, refresh_tokens, users};
use crate::{Conn, Db, map_db_err};

fn user_from(m: users::Model) -> RepoResult<User> {
    Ok(User {
        id: m.id.into(),
        email: m.email,
        password_hash: m.password_hash,
        display_name: m.display_name,
        locale: m.locale.parse::<Locale>().map_err(|e| RepoError::Unavailable(e.to_string()))?,
        platform_admin: m.platform_admin,
        email_verified_at: m.email_verified_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn user_model(u: &User) -> users::ActiveModel {
    users::ActiveModel {
        id: Set(u.id.into()),
        email: Set(u.email.clone()),
        password_hash: Set(u.password_hash.clone()),
        display_name: Set(u.display_name.clone()),
        locale: Set(u.locale.as_str().to_owned()),
        platform_admin: Set(u.platform_admin),
        email_verified_at: Set(u.email_verified_at),
        created_at: Set(u.created_at),
        updated_at: Set(u.updated_at),
        erased_at: sea_orm::ActiveValue::NotSet,
    }
}

fn refresh_from(m: refresh_tokens::Model) -> RefreshToken {
    RefreshToken {
        id: m.id,
        family_id: m.family_id,
        user_id: m.user_id.into(),
        token_hash: m.token_hash,
        expires_at: m.expires_at,
        used_at: m.used_at,
        revoked_at: m.revoked_at,
    }
}

fn account_token_from(m: account_tokens::Model) -> RepoResult<AccountToken> {
    Ok(AccountToken {
        id: m.id,
        user_id: m.user_id.into(),
        purpose: TokenPurpose::parse(&m.purpose)
            .ok_or_else(|| RepoError::Unavailable(format!("unknown token purpose `{}`", m.purpose)))?,
        token_hash: m.token_hash,
        new_email: m.new_email,
        expires_at: m.expires_at,
        consumed_at: m.consumed_at,
        created_at: m.created_at,
    })
}

fn scope_str(s: Scope) -> &'static str {
    match s {
        Scope::Act => "act",
        Scope::Read => "read",
    }
}

fn api_from(m: api_tokens::Model) -> ApiToken {
    ApiToken {
        id: m.id,
        user_id: m.user_id.into(),
        name: m.name,
        token_hash: m.token_hash,
        scope: if m.scope == "act" { Scope::Act } else { Scope::Read },
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
        expires_at: m.expires_at,
        created_at: m.created_at,
    }
}

#[async_trait::async_trait]
impl<C: Conn> AccountRepo for Db<C> {
    async fn create_user(&self, user: &User) -> RepoResult<()> {
        users::Entity::insert(user_model(user)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn user_by_id(&self, id: UserId) -> RepoResult<Option<User>> {
        users::Entity::find_by_id(id)
            .filter(users::Column::ErasedAt.is_null())
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(user_from)
            .transpose()
    }

    async fn user_and_memberships(&self, id: UserId) -> RepoResult<Option<(User, Vec<(OrgId, Membership)>)>> {
        // One row per membership (or one with none), the account's columns repeated on each.
        let memberships_of: RelationDef = memberships::Entity::belongs_to(users::Entity)
            .from(memberships::Column::UserId)
            .to(users::Column::Id)
            .into();
        let q = users::Entity::find_by_id(id)
            .filter(users::Column::ErasedAt.is_null())
            .join(JoinType::LeftJoin, memberships_of.rev())
            .select_also(memberships::Entity);
        let Some((user, memberships)): Option<(users::Model, Vec<memberships::Model>)> =
            crate::counted::parent_and_children(q, &self.conn).await.map_err(map_db_err)?
        else {
            return Ok(None);
        };
        let memberships =
            memberships.iter().map(|m| (OrgId::from(m.org_id), crate::orgs::membership_from(m))).collect();
        Ok(Some((user_from(user)?, memberships)))
    }

    async fn user_by_email(&self, email: &Email) -> RepoResult<Option<User>> {
        users::Entity::find()
            .filter(users::Column::Email.eq(email.as_str()))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(user_from)
            .transpose()
    }

    async fn update_user(&self, user: &User) -> RepoResult<()> {
        users::Entity::update(user_model(user)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn count_users(&self) -> RepoResult<u64> {
        users::Entity::find().count(&self.conn).await.map_err(map_db_err)
    }

    async fn insert_refresh_token(&self, t: &RefreshToken, now: DateTime<Utc>) -> RepoResult<()> {
        refresh_tokens::Entity::insert(refresh_tokens::ActiveModel {
            id: Set(t.id),
            family_id: Set(t.family_id),
            user_id: Set(t.user_id.into()),
            token_hash: Set(t.token_hash.clone()),
            expires_at: Set(t.expires_at),
            used_at: Set(t.used_at),
            revoked_at: Set(t.revoked_at),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn refresh_token_by_hash(&self, hash: &str) -> RepoResult<Option<RefreshToken>> {
        Ok(refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::TokenHash.eq(hash))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(refresh_from))
    }

    async fn consume_refresh_token(&self, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool> {
        // A conditional UPDATE, so two concurrent refreshes with one token cannot both win.
        let res = refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::UsedAt, Expr::value(now))
            .col_expr(refresh_tokens::Column::UpdatedAt, Expr::value(now))
            .filter(refresh_tokens::Column::Id.eq(id))
            .filter(refresh_tokens::Column::UsedAt.is_null())
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn revoke_refresh_family(&self, family_id: Uuid, now: DateTime<Utc>) -> RepoResult<()> {
        refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
            .col_expr(refresh_tokens::Column::UpdatedAt, Expr::value(now))
            .filter(refresh_tokens::Column::FamilyId.eq(family_id))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }

    async fn revoke_user_refresh_tokens(&self, user_id: UserId, now: DateTime<Utc>) -> RepoResult<()> {
        refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
            .col_expr(refresh_tokens::Column::UpdatedAt, Expr::value(now))
            .filter(refresh_tokens::Column::UserId.eq(Uuid::from(user_id)))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }

    async fn insert_api_token(&self, t: &ApiToken) -> RepoResult<()> {
        api_tokens::Entity::insert(api_tokens::ActiveModel {
            id: Set(t.id),
            user_id: Set(t.user_id.into()),
            name: Set(t.name.clone()),
            token_hash: Set(t.token_hash.clone()),
            scope: Set(scope_str(t.scope).to_owned()),
            last_used_at: Set(t.last_used_at),
            revoked_at: Set(t.revoked_at),
            expires_at: Set(t.expires_at),
            created_at: Set(t.created_at),
            updated_at: Set(t.created_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn api_token_by_hash(&self, hash: &str) -> RepoResult<Option<ApiToken>> {
        Ok(api_tokens::Entity::find()
            .filter(api_tokens::Column::TokenHash.eq(hash))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(api_from))
    }

    async fn api_tokens_of(&self, user_id: UserId) -> RepoResult<Vec<ApiToken>> {
        Ok(api_tokens::Entity::find()
            .filter(api_tokens::Column::UserId.eq(Uuid::from(user_id)))
            .filter(api_tokens::Column::RevokedAt.is_null())
            .order_by_asc(api_tokens::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(api_from)
            .collect())
    }

    async fn revoke_api_token(&self, user_id: UserId, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool> {
        let res = api_tokens::Entity::update_many()
            .col_expr(api_tokens::Column::RevokedAt, Expr::value(now))
            .col_expr(api_tokens::Column::UpdatedAt, Expr::value(now))
            .filter(api_tokens::Column::Id.eq(id))
            .filter(api_tokens::Column::UserId.eq(Uuid::from(user_id)))
            .filter(api_tokens::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn revoke_user_api_tokens(&self, user_id: UserId, now: DateTime<Utc>) -> RepoResult<()> {
        api_tokens::Entity::update_many()
            .col_expr(api_tokens::Column::RevokedAt, Expr::value(now))
            .col_expr(api_tokens::Column::UpdatedAt, Expr::value(now))
            .filter(api_tokens::Column::UserId.eq(Uuid::from(user_id)))
            .filter(api_tokens::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }

    async fn insert_account_token(&self, t: &AccountToken) -> RepoResult<()> {
        account_tokens::Entity::insert(account_tokens::ActiveModel {
            id: Set(t.id),
            user_id: Set(t.user_id.into()),
            purpose: Set(t.purpose.as_str().to_owned()),
            token_hash: Set(t.token_hash.clone()),
            new_email: Set(t.new_email.clone()),
            expires_at: Set(t.expires_at),
            consumed_at: Set(t.consumed_at),
            created_at: Set(t.created_at),
            updated_at: Set(t.created_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn account_token_by_hash(&self, hash: &str) -> RepoResult<Option<AccountToken>> {
        account_tokens::Entity::find()
            .filter(account_tokens::Column::TokenHash.eq(hash))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(account_token_from)
            .transpose()
    }

    async fn consume_account_token(&self, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool> {
        // A conditional UPDATE: of two requests with one token, one wins.
        let res = account_tokens::Entity::update_many()
            .col_expr(account_tokens::Column::ConsumedAt, Expr::value(now))
            .col_expr(account_tokens::Column::UpdatedAt, Expr::value(now))
            .filter(account_tokens::Column::Id.eq(id))
            .filter(account_tokens::Column::ConsumedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }

    async fn latest_account_token(&self, user_id: UserId, purpose: TokenPurpose) -> RepoResult<Option<AccountToken>> {
        account_tokens::Entity::find()
            .filter(account_tokens::Column::UserId.eq(Uuid::from(user_id)))
            .filter(account_tokens::Column::Purpose.eq(purpose.as_str()))
            .order_by_desc(account_tokens::Column::CreatedAt)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(account_token_from)
            .transpose()
    }
}
