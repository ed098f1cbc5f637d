//! `DocumentRepo` on sea-orm: the library's documents (texts as JSON, a folded search text for
//! `?q=`) and their links to resources.

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::documents::{Category, Document, DocumentFilter, DocumentRepo, LinkTarget};
use pnyx_domain::files::{Owner, StoredFile};
use pnyx_domain::ids::{DocumentId, OrgId, UserId};
use pnyx_domain::repo::RepoResult;
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationDef,
};
use uuid::Uuid;

use crate::codec::{bad, from_json, json, stale};
use crate::entities::{document_links, documents, files};
use crate::{Conn, Db, map_db_err};

fn document_from(m: documents::Model) -> RepoResult<Document> {
    Ok(Document {
        id: m.id.into(),
        org_id: m.org_id.into(),
        category: Category::parse(&m.category).ok_or_else(|| bad("category", &m.category))?,
        title: from_json("title", m.title)?,
        description: from_json("description", m.description)?,
        published_on: m.published_on,
        created_by: m.created_by.map(UserId::from),
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn document_model(d: &Document) -> RepoResult<documents::ActiveModel> {
    Ok(documents::ActiveModel {
        id: Set(d.id.into()),
        org_id: Set(d.org_id.into()),
        category: Set(d.category.as_str().to_owned()),
        title: Set(json(&d.title)?),
        description: Set(json(&d.description)?),
        published_on: Set(d.published_on),
        search_text: Set(d.search_text()),
        created_by: Set(d.created_by.map(Into::into)),
        created_at: Set(d.created_at),
        updated_at: Set(d.updated_at),
    })
}

/// A document's row with what it is linked to as one text ([`links_of`]).
struct WithLinks {
    model: documents::Model,
    links: Option<String>,
}

impl WithLinks {
    const LINKS: &str = "links_of";
}

impl sea_orm::FromQueryResult for WithLinks {
    fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        Ok(Self { model: documents::Model::from_query_result(res, pre)?, links: res.try_get(pre, Self::LINKS)? })
    }
}

/// What the outer query's document is linked to, oldest link first, as one text of
/// `type id` pairs separated by commas (none: NULL): an aggregate each backend spells its way,
/// with the id as PostgreSQL's uuid text or SQLite's stored bytes in hex.
fn links_of(backend: DbBackend) -> Expr {
    let (id, concat) = match backend {
        DbBackend::Postgres => ("l.resource_id::text", "string_agg"),
        _ => ("CASE typeof(l.resource_id) WHEN 'blob' THEN hex(l.resource_id) ELSE l.resource_id END", "group_concat"),
    };
    Expr::cust(format!(
        "(SELECT {concat}(l.resource_type || ' ' || {id}, ',' ORDER BY l.created_at, l.resource_type, l.resource_id) \
         FROM document_links AS l WHERE l.document_id = documents.id)"
    ))
}

/// The links [`links_of`] spells out.
fn parse_links(text: Option<&str>) -> RepoResult<Vec<LinkTarget>> {
    let Some(text) = text.filter(|t| !t.is_empty()) else { return Ok(Vec::new()) };
    text.split(',')
        .map(|pair| {
            let (kind, id) = pair.split_once(' ').ok_or_else(|| bad("document link", pair))?;
            let id = Uuid::try_parse(id).map_err(|e| bad("document link", e))?;
            LinkTarget::from_parts(kind, id).ok_or_else(|| bad("resource_type", kind))
        })
        .collect()
}

fn newest_first(q: sea_orm::Select<documents::Entity>) -> sea_orm::Select<documents::Entity> {
    q.order_by_desc(documents::Column::PublishedOn).order_by_desc(documents::Column::Id)
}

#[async_trait::async_trait]
impl<C: Conn> DocumentRepo for Db<C> {
    async fn create_document(&self, d: &Document) -> RepoResult<()> {
        documents::Entity::insert(document_model(d)?).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn update_document(&self, d: &Document, expected: DateTime<Utc>) -> RepoResult<()> {
        let res = documents::Entity::update_many()
            .set(document_model(d)?)
            .filter(documents::Column::Id.eq(Uuid::from(d.id)))
            .filter(documents::Column::UpdatedAt.eq(expected))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected == 1 { Ok(()) } else { Err(stale()) }
    }

    async fn document(&self, org_id: OrgId, id: DocumentId) -> RepoResult<Option<Document>> {
        documents::Entity::find_by_id(Uuid::from(id))
            .filter(documents::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(document_from)
            .transpose()
    }

    async fn document_read(
        &self,
        org_id: OrgId,
        id: DocumentId,
    ) -> RepoResult<Option<(Document, Vec<StoredFile>, Vec<LinkTarget>)>> {
        // One row per file (or one with none), the document's columns and its links (aggregated
        // into one text) repeated on each.
        let files_of: RelationDef = files::Entity::belongs_to(documents::Entity)
            .from(files::Column::OwnerId)
            .to(documents::Column::Id)
            .on_condition(move |_, right| {
                Expr::col((right, files::Column::OwnerType)).eq(Owner::Document(id).type_str()).into_condition()
            })
            .into();
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let q = documents::Entity::find_by_id(Uuid::from(id))
            .filter(documents::Column::OrgId.eq(Uuid::from(org_id)))
            .column_as(links_of(backend), WithLinks::LINKS)
            .join(JoinType::LeftJoin, files_of.rev())
            .select_also(files::Entity)
            .order_by_asc(files::Column::Id);
        let Some((d, files)): Option<(WithLinks, Vec<files::Model>)> =
            crate::counted::parent_and_children(q, &self.conn).await.map_err(map_db_err)?
        else {
            return Ok(None);
        };
        let files = files.into_iter().map(crate::files::file_from).collect::<RepoResult<Vec<_>>>()?;
        let links = parse_links(d.links.as_deref())?;
        Ok(Some((document_from(d.model)?, files, links)))
    }

    async fn documents(&self, org_id: OrgId, f: &DocumentFilter) -> RepoResult<Vec<Document>> {
        let mut q = documents::Entity::find().filter(documents::Column::OrgId.eq(Uuid::from(org_id)));
        if let Some(c) = f.category {
            q = q.filter(documents::Column::Category.eq(c.as_str()));
        }
        if let Some(y) = f.year {
            let from = NaiveDate::from_ymd_opt(y, 1, 1);
            let to = NaiveDate::from_ymd_opt(y.saturating_add(1), 1, 1);
            if let (Some(from), Some(to)) = (from, to) {
                q = q.filter(documents::Column::PublishedOn.gte(from)).filter(documents::Column::PublishedOn.lt(to));
            }
        }
        if let Some(by) = f.published_by {
            q = q.filter(documents::Column::PublishedOn.lte(by));
        }
        for w in &f.words {
            // LIKE's wildcards in a word are searched for as any character: harmless.
            q = q.filter(documents::Column::SearchText.contains(w.as_str()));
        }
        newest_first(q).all(&self.conn).await.map_err(map_db_err)?.into_iter().map(document_from).collect()
    }

    async fn delete_document(&self, id: DocumentId) -> RepoResult<bool> {
        document_links::Entity::delete_many()
            .filter(document_links::Column::DocumentId.eq(Uuid::from(id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        let res = documents::Entity::delete_by_id(Uuid::from(id)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(res.rows_affected > 0)
    }

    async fn link_document(
        &self,
        org_id: OrgId,
        id: DocumentId,
        target: LinkTarget,
        at: DateTime<Utc>,
    ) -> RepoResult<bool> {
        let m = document_links::ActiveModel {
            document_id: Set(id.into()),
            resource_type: Set(target.type_str().to_owned()),
            resource_id: Set(target.id()),
            org_id: Set(org_id.into()),
            created_at: Set(at),
        };
        let n = document_links::Entity::insert(m)
            .on_conflict(
                OnConflict::columns([
                    document_links::Column::DocumentId,
                    document_links::Column::ResourceType,
                    document_links::Column::ResourceId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(n > 0)
    }

    async fn unlink_document(&self, id: DocumentId, target: LinkTarget) -> RepoResult<bool> {
        let res = document_links::Entity::delete_many()
            .filter(document_links::Column::DocumentId.eq(Uuid::from(id)))
            .filter(document_links::Column::ResourceType.eq(target.type_str()))
            .filter(document_links::Column::ResourceId.eq(target.id()))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected > 0)
    }

    async fn linked_documents(&self, org_id: OrgId, target: LinkTarget) -> RepoResult<Vec<Document>> {
        let ids: Vec<Uuid> = document_links::Entity::find()
            .filter(document_links::Column::OrgId.eq(Uuid::from(org_id)))
            .filter(document_links::Column::ResourceType.eq(target.type_str()))
            .filter(document_links::Column::ResourceId.eq(target.id()))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|l| l.document_id)
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        newest_first(
            documents::Entity::find()
                .filter(documents::Column::OrgId.eq(Uuid::from(org_id)))
                .filter(documents::Column::Id.is_in(ids)),
        )
        .all(&self.conn)
        .await
        .map_err(map_db_err)?
        .into_iter()
        .map(document_from)
        .collect()
    }

    async fn documents_links(&self, ids: &[DocumentId]) -> RepoResult<Vec<(DocumentId, LinkTarget)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = document_links::Entity::find()
            .filter(document_links::Column::DocumentId.is_in(ids.iter().map(|id| Uuid::from(*id))))
            .order_by_asc(document_links::Column::CreatedAt)
            .order_by_asc(document_links::Column::ResourceType)
            .order_by_asc(document_links::Column::ResourceId)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        rows.into_iter()
            .map(|l| -> RepoResult<(DocumentId, LinkTarget)> {
                let target = LinkTarget::from_parts(&l.resource_type, l.resource_id)
                    .ok_or_else(|| bad("resource_type", &l.resource_type))?;
                Ok((DocumentId::from(l.document_id), target))
            })
            .collect()
    }

    async fn document_links(&self, id: DocumentId) -> RepoResult<Vec<LinkTarget>> {
        let rows = document_links::Entity::find()
            .filter(document_links::Column::DocumentId.eq(Uuid::from(id)))
            .order_by_asc(document_links::Column::CreatedAt)
            .order_by_asc(document_links::Column::ResourceType)
            .order_by_asc(document_links::Column::ResourceId)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        rows.into_iter()
            .map(|l| {
                LinkTarget::from_parts(&l.resource_type, l.resource_id)
                    .ok_or_else(|| bad("resource_type", &l.resource_type))
            })
            .collect()
    }
}
