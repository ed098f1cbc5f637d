//! `HistoryRepo` on sea-orm: insert and read only — the adapter offers no update or delete.

use pnyx_domain::history::{EntryKind, HistoryEntry, HistoryRepo, SubjectKind};
use pnyx_domain::ids::UserId;
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use sea_orm::sea_query::Condition;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::history_entries;
use crate::{Conn, Db, map_db_err};

fn from_model(m: history_entries::Model) -> RepoResult<HistoryEntry> {
    Ok(HistoryEntry {
        id: m.id,
        org_id: m.org_id.into(),
        subject: SubjectKind::parse(&m.subject_type)
            .ok_or_else(|| RepoError::Unavailable(format!("unknown history subject {}", m.subject_type)))?,
        subject_id: m.subject_id,
        parent_id: m.parent_id,
        entry: serde_json::from_value::<EntryKind>(m.entry).map_err(|e| RepoError::Unavailable(e.to_string()))?,
        occurred_on: m.occurred_on,
        author_id: m.author_id.map(UserId::from),
        created_at: m.created_at,
    })
}

#[async_trait::async_trait]
impl<C: Conn> HistoryRepo for Db<C> {
    async fn append_history(&self, e: &HistoryEntry) -> RepoResult<()> {
        let entry = serde_json::to_value(&e.entry).map_err(|err| RepoError::Unavailable(err.to_string()))?;
        history_entries::Entity::insert(history_entries::ActiveModel {
            id: Set(e.id),
            org_id: Set(e.org_id.into()),
            subject_type: Set(e.subject.as_str().to_owned()),
            subject_id: Set(e.subject_id),
            parent_id: Set(e.parent_id),
            entry: Set(entry),
            occurred_on: Set(e.occurred_on),
            author_id: Set(e.author_id.map(Into::into)),
            created_at: Set(e.created_at),
            updated_at: Set(e.created_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn history(&self, subject_id: Uuid, page: PageRequest) -> RepoResult<Page<HistoryEntry>> {
        let about = Condition::any()
            .add(history_entries::Column::SubjectId.eq(subject_id))
            .add(history_entries::Column::ParentId.eq(subject_id));
        let total =
            history_entries::Entity::find().filter(about.clone()).count(&self.conn).await.map_err(map_db_err)?;
        let mut q = history_entries::Entity::find()
            .filter(about)
            .order_by_asc(history_entries::Column::Id)
            .limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(history_entries::Column::Id.gt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        let entries = rows.into_iter().map(from_model).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(entries, page.limit, total, |e| e.id))
    }
}
