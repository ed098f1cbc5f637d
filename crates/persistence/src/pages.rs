//! `ContentPageRepo` on sea-orm: content pages (texts as JSON, Markdown as written) and their
//! revisions.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::{ContentPageId, OrgId, UserId};
use pnyx_domain::pages::{ContentPage, ContentPageRepo, PageRevision};
use pnyx_domain::repo::RepoResult;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::codec::{from_json, json, stale};
use crate::entities::{content_pages, page_revisions};
use crate::{Conn, Db, map_db_err};

fn page_from(m: content_pages::Model) -> RepoResult<ContentPage> {
    Ok(ContentPage {
        id: m.id.into(),
        org_id: m.org_id.into(),
        slug: m.slug,
        title: from_json("title", m.title)?,
        body: from_json("body", m.body)?,
        position: m.position,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn page_model(p: &ContentPage) -> RepoResult<content_pages::ActiveModel> {
    Ok(content_pages::ActiveModel {
        id: Set(p.id.into()),
        org_id: Set(p.org_id.into()),
        slug: Set(p.slug.clone()),
        title: Set(json(&p.title)?),
        body: Set(json(&p.body)?),
        position: Set(p.position),
        created_at: Set(p.created_at),
        updated_at: Set(p.updated_at),
    })
}

fn revision_from(m: page_revisions::Model) -> RepoResult<PageRevision> {
    Ok(PageRevision {
        id: m.id,
        page_id: m.page_id.into(),
        title: from_json("title", m.title)?,
        body: from_json("body", m.body)?,
        position: m.position,
        author_id: m.author_id.map(UserId::from),
        author_role: m.author_role,
        created_at: m.created_at,
    })
}

#[async_trait::async_trait]
impl<C: Conn> ContentPageRepo for Db<C> {
    async fn create_page(&self, p: &ContentPage) -> RepoResult<()> {
        content_pages::Entity::insert(page_model(p)?).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn update_page(&self, p: &ContentPage, expected: DateTime<Utc>) -> RepoResult<()> {
        let res = content_pages::Entity::update_many()
            .set(page_model(p)?)
            .filter(content_pages::Column::Id.eq(Uuid::from(p.id)))
            .filter(content_pages::Column::UpdatedAt.eq(expected))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected == 1 { Ok(()) } else { Err(stale()) }
    }

    async fn page_by_slug(&self, org_id: OrgId, slug: &str) -> RepoResult<Option<ContentPage>> {
        content_pages::Entity::find()
            .filter(content_pages::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(content_pages::Column::Slug.eq(slug))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(page_from)
            .transpose()
    }

    async fn pages(&self, org_id: OrgId) -> RepoResult<Vec<ContentPage>> {
        content_pages::Entity::find()
            .filter(content_pages::Column::OrgId.eq(Uuid::from(org_id)))
            .order_by_asc(content_pages::Column::Position)
            .order_by_asc(content_pages::Column::Slug)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(page_from)
            .collect()
    }

    async fn delete_page(&self, id: ContentPageId) -> RepoResult<bool> {
        page_revisions::Entity::delete_many()
            .filter(page_revisions::Column::PageId.eq(Uuid::from(id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        let res = content_pages::Entity::delete_by_id(Uuid::from(id)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(res.rows_affected > 0)
    }

    async fn add_page_revision(&self, r: &PageRevision) -> RepoResult<()> {
        let m = page_revisions::ActiveModel {
            id: Set(r.id),
            page_id: Set(r.page_id.into()),
            title: Set(json(&r.title)?),
            body: Set(json(&r.body)?),
            position: Set(r.position),
            author_id: Set(r.author_id.map(Into::into)),
            author_role: Set(r.author_role.clone()),
            created_at: Set(r.created_at),
        };
        page_revisions::Entity::insert(m).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn page_revisions(&self, id: ContentPageId) -> RepoResult<Vec<PageRevision>> {
        page_revisions::Entity::find()
            .filter(page_revisions::Column::PageId.eq(Uuid::from(id)))
            .order_by_desc(page_revisions::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(revision_from)
            .collect()
    }
}
