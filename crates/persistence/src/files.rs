//! `FileRepo` on sea-orm: one row per uploaded file, its variants as JSON.

use pnyx_domain::files::{FileKind, FileRepo, Owner, StoredFile, Variant};
use pnyx_domain::ids::{FileId, OrgId, UserId};
use pnyx_domain::repo::RepoResult;
use std::collections::HashSet;

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::codec::{bad, from_json, json};
use crate::entities::files;
use crate::{Conn, Db, map_db_err};

pub(crate) fn file_from(m: files::Model) -> RepoResult<StoredFile> {
    let variants: Vec<Variant> = from_json("variants", m.variants)?;
    Ok(StoredFile {
        id: m.id.into(),
        org_id: m.org_id.into(),
        owner: Owner::from_parts(&m.owner_type, m.owner_id, m.parent_id)
            .ok_or_else(|| bad("owner_type", &m.owner_type))?,
        name: m.name,
        content_type: m.content_type,
        kind: FileKind::parse(&m.kind).ok_or_else(|| bad("kind", &m.kind))?,
        variants,
        uploaded_by: m.uploaded_by.map(UserId::from),
        created_at: m.created_at,
    })
}

fn file_model(f: &StoredFile) -> RepoResult<files::ActiveModel> {
    Ok(files::ActiveModel {
        id: Set(f.id.into()),
        org_id: Set(f.org_id.into()),
        owner_type: Set(f.owner.type_str().to_owned()),
        owner_id: Set(f.owner.id()),
        parent_id: Set(f.owner.parent()),
        name: Set(f.name.clone()),
        content_type: Set(f.content_type.clone()),
        kind: Set(f.kind.as_str().to_owned()),
        variants: Set(json(&f.variants)?),
        uploaded_by: Set(f.uploaded_by.map(Into::into)),
        created_at: Set(f.created_at),
    })
}

fn of_owner(owner: Owner) -> sea_orm::Select<files::Entity> {
    files::Entity::find()
        .filter(files::Column::OwnerType.eq(owner.type_str()))
        .filter(files::Column::OwnerId.eq(owner.id()))
}

#[async_trait::async_trait]
impl<C: Conn> FileRepo for Db<C> {
    async fn create_file(&self, f: &StoredFile) -> RepoResult<()> {
        files::Entity::insert(file_model(f)?).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn file(&self, org_id: OrgId, id: FileId) -> RepoResult<Option<StoredFile>> {
        files::Entity::find_by_id(Uuid::from(id))
            .filter(files::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(file_from)
            .transpose()
    }

    async fn files_of(&self, owner: Owner) -> RepoResult<Vec<StoredFile>> {
        of_owner(owner)
            .order_by_asc(files::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(file_from)
            .collect()
    }

    async fn files_of_many(&self, owners: &[Owner]) -> RepoResult<Vec<StoredFile>> {
        let Some(first) = owners.first() else {
            return Ok(Vec::new());
        };
        // A page lists owners of one type; otherwise one statement per type.
        if owners.iter().any(|o| o.type_str() != first.type_str()) {
            let mut all = Vec::new();
            for o in owners {
                all.extend(self.files_of(*o).await?);
            }
            return Ok(all);
        }
        files::Entity::find()
            .filter(files::Column::OwnerType.eq(first.type_str()))
            .filter(files::Column::OwnerId.is_in(owners.iter().map(|o| o.id())))
            .order_by_asc(files::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(file_from)
            .collect()
    }

    async fn count_files_of(&self, owner: Owner) -> RepoResult<u64> {
        of_owner(owner).count(&self.conn).await.map_err(map_db_err)
    }

    async fn delete_file(&self, id: FileId) -> RepoResult<bool> {
        let res = files::Entity::delete_by_id(Uuid::from(id)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(res.rows_affected > 0)
    }

    async fn existing_files(&self, ids: &[FileId]) -> RepoResult<HashSet<FileId>> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let found: Vec<Uuid> = files::Entity::find()
            .select_only()
            .column(files::Column::Id)
            .filter(files::Column::Id.is_in(ids.iter().map(|i| Uuid::from(*i))))
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(found.into_iter().map(FileId::from).collect())
    }
}
