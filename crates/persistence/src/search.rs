//! The search index: `SearchRepo` on SQLite's FTS5 and PostgreSQL's full-text search, and the
//! helpers every repository calls IN ITS OWN TRANSACTION when it writes an indexed resource, so
//! the index never disagrees with what it indexes.
//!
//! The domain builds each [`Document`] (and so decides what is public) and folds the text; this
//! module stores it and turns a [`SearchQuery`]'s folded terms into the engine's syntax. Terms are
//! ASCII letters and digits only, so they are safe to quote into a match expression.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pnyx_domain::action_plans::records::{ActionPlan, Commitment};
use pnyx_domain::i18n::LocalizedText;
use pnyx_domain::ids::{CommitmentId, OrgId, PlanId};
use pnyx_domain::repo::RepoResult;
use pnyx_domain::search::{Document, Found, INDEX_VERSION, Kind, SearchQuery, SearchRepo};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement,
    TransactionTrait, Value,
};
use uuid::Uuid;

use crate::codec::{bad, json};
use crate::entities::{
    action_plans, budget_proposals, budgets, commitments, consultations, meetings, milestones, search_documents,
    search_index_state, surveys,
};
use crate::{Conn, Db, map_db_err, placeholder};

/// Rows per multi-row insert (well under SQLite's bound-parameter limit).
const BATCH: usize = 200;

fn model(d: &Document, now: DateTime<Utc>) -> RepoResult<search_documents::ActiveModel> {
    Ok(search_documents::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        kind: Set(d.kind.as_str().to_owned()),
        resource_id: Set(d.id),
        org_id: Set(d.org_id.into()),
        parent_id: Set(d.parent_id),
        title: Set(json(&d.title)?),
        body: Set(json(&d.body)?),
        title_folded: Set(d.folded_title()),
        body_folded: Set(d.folded_body()),
        created_at: Set(now),
        updated_at: Set(now),
    })
}

/// Puts `doc` in the index in place of whatever the index held for `(kind, id)`; `None` takes
/// the resource out (it is no longer public).
pub(crate) async fn put<C: ConnectionTrait>(conn: &C, kind: Kind, id: Uuid, doc: Option<&Document>) -> RepoResult<()> {
    let indexed = search_documents::Entity::find()
        .filter(search_documents::Column::ResourceId.eq(id))
        .filter(search_documents::Column::Kind.eq(kind.as_str()))
        .one(conn)
        .await
        .map_err(map_db_err)?;
    if let Some(old) = &indexed {
        search_documents::Entity::delete_by_id(old.id).exec(conn).await.map_err(map_db_err)?;
    }
    if let Some(d) = doc {
        search_documents::Entity::insert(model(d, pnyx_domain::now())?).exec(conn).await.map_err(map_db_err)?;
        bump(conn, d.org_id).await?;
    } else if let Some(old) = indexed {
        bump(conn, old.org_id.into()).await?;
    }
    Ok(())
}

/// Raises the organisation's index version (see [`SearchRepo::index_version`]): every change to
/// its documents calls it in the change's own transaction.
async fn bump<C: ConnectionTrait>(conn: &C, org_id: OrgId) -> RepoResult<()> {
    let backend = conn.get_database_backend();
    let sql = format!(
        "INSERT INTO search_versions (org_id, version) VALUES ({}, 1) \
         ON CONFLICT (org_id) DO UPDATE SET version = search_versions.version + 1",
        placeholder(backend, "", 1)
    );
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, [Uuid::from(org_id).into()]))
        .await
        .map_err(map_db_err)?;
    Ok(())
}

/// Adds documents not in the index yet (a new imported process's proposals, a rebuild).
pub(crate) async fn add_many<C: ConnectionTrait>(conn: &C, docs: &[Document]) -> RepoResult<()> {
    let now = pnyx_domain::now();
    for chunk in docs.chunks(BATCH) {
        let models = chunk.iter().map(|d| model(d, now)).collect::<RepoResult<Vec<_>>>()?;
        search_documents::Entity::insert_many(models).exec(conn).await.map_err(map_db_err)?;
    }
    let orgs: std::collections::BTreeSet<Uuid> = docs.iter().map(|d| d.org_id.into()).collect();
    for org in orgs {
        bump(conn, org.into()).await?;
    }
    Ok(())
}

/// Re-indexes one commitment from what the database holds now (its plan's status, its milestones).
pub(crate) async fn refresh_commitment<C: ConnectionTrait>(conn: &C, id: CommitmentId) -> RepoResult<()> {
    let Some(c) = commitments::Entity::find_by_id(id).one(conn).await.map_err(map_db_err)? else {
        return put(conn, Kind::Commitment, id.into(), None).await;
    };
    let c = crate::action_plans::commitment_from(c)?;
    let public = plan_public(conn, c.action_plan_id).await?;
    let doc = commitment_document(conn, &c, public).await?;
    put(conn, Kind::Commitment, c.id.into(), doc.as_ref()).await
}

async fn plan_public<C: ConnectionTrait>(conn: &C, id: PlanId) -> RepoResult<bool> {
    let plan = action_plans::Entity::find_by_id(id).one(conn).await.map_err(map_db_err)?;
    plan.map(crate::action_plans::plan_from).transpose().map(|p| p.is_some_and(|p| p.status.is_public()))
}

async fn commitment_document<C: ConnectionTrait>(
    conn: &C,
    c: &Commitment,
    plan_public: bool,
) -> RepoResult<Option<Document>> {
    if !plan_public {
        return Ok(None);
    }
    let ms = milestones::Entity::find()
        .filter(milestones::Column::CommitmentId.eq(Uuid::from(c.id)))
        .order_by_asc(milestones::Column::Position)
        .all(conn)
        .await
        .map_err(map_db_err)?
        .into_iter()
        .map(crate::action_plans::milestone_from)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Document::commitment(c, true, &ms))
}

/// Re-indexes a plan and its commitments, which are public exactly when the plan is.
pub(crate) async fn refresh_plan<C: ConnectionTrait>(conn: &C, p: &ActionPlan) -> RepoResult<()> {
    put(conn, Kind::ActionPlan, p.id.into(), Document::plan(p).as_ref()).await?;
    let list = commitments::Entity::find()
        .filter(commitments::Column::ActionPlanId.eq(Uuid::from(p.id)))
        .all(conn)
        .await
        .map_err(map_db_err)?;
    for c in list {
        let c = crate::action_plans::commitment_from(c)?;
        let doc = commitment_document(conn, &c, p.status.is_public()).await?;
        put(conn, Kind::Commitment, c.id.into(), doc.as_ref()).await?;
    }
    Ok(())
}

/// The `MATCH` expression of FTS5: every term as a phrase, the last also as a prefix.
fn fts5_match(q: &SearchQuery) -> String {
    let terms = q.terms();
    let mut out: Vec<String> = terms.iter().map(|t| format!("\"{t}\"")).collect();
    if let Some(last) = out.last_mut() {
        last.push('*');
    }
    out.join(" ")
}

/// The `tsquery` of PostgreSQL: every term required, the last also as a prefix.
fn tsquery(q: &SearchQuery) -> String {
    let terms = q.terms();
    let mut out: Vec<String> = terms.to_vec();
    if let Some(last) = out.last_mut() {
        last.push_str(":*");
    }
    out.join(" & ")
}

/// The `FROM … WHERE` part that matches `q` within an organisation, and its values.
fn matching(backend: DbBackend, org_id: OrgId, q: &SearchQuery, kind: Option<Kind>) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = Vec::new();
    let mut sql = match backend {
        DbBackend::Postgres => {
            values.push(tsquery(q).into());
            values.push(Uuid::from(org_id).into());
            "FROM search_documents d WHERE d.tsv @@ to_tsquery('simple', $1) AND d.org_id = $2".to_owned()
        }
        _ => {
            values.push(fts5_match(q).into());
            values.push(Uuid::from(org_id).into());
            // CROSS JOIN keeps the full-text match as the outer loop (SQLite does not reorder it):
            // otherwise the planner may walk the organisation's rows and run the match per row.
            "FROM search_fts CROSS JOIN search_documents d ON d.id = search_fts.rowid \
             WHERE search_fts MATCH ? AND d.org_id = ?"
                .to_owned()
        }
    };
    if let Some(k) = kind {
        values.push(k.as_str().into());
        sql.push_str(&placeholder(backend, " AND d.kind = ", values.len()));
    }
    (sql, values)
}

fn text_of(row: &sea_orm::QueryResult, col: &str) -> RepoResult<LocalizedText> {
    let s: String = row.try_get("", col).map_err(map_db_err)?;
    serde_json::from_str(&s).map_err(|e| bad(col, e))
}

#[async_trait::async_trait]
impl<C: Conn> SearchRepo for Db<C> {
    async fn matching(&self, org_id: OrgId, kind: Kind, q: &SearchQuery) -> RepoResult<Vec<Uuid>> {
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let (from, values) = matching(backend, org_id, q, Some(kind));
        let stmt =
            Statement::from_sql_and_values(backend, format!("SELECT d.resource_id AS resource_id {from}"), values);
        let rows = self.conn.query_all_raw(stmt).await.map_err(map_db_err)?;
        rows.iter().map(|r| r.try_get::<Uuid>("", "resource_id").map_err(map_db_err)).collect()
    }

    async fn index_version(&self, org_id: OrgId) -> RepoResult<i64> {
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let sql = format!("SELECT version FROM search_versions WHERE org_id = {}", placeholder(backend, "", 1));
        let row = self
            .conn
            .query_one_raw(Statement::from_sql_and_values(backend, sql, [Uuid::from(org_id).into()]))
            .await
            .map_err(map_db_err)?;
        row.map_or(Ok(0), |r| r.try_get::<i64>("", "version").map_err(map_db_err))
    }

    async fn search(
        &self,
        org_id: OrgId,
        q: &SearchQuery,
        kind: Option<Kind>,
        limit: u64,
        offset: u64,
    ) -> RepoResult<Found> {
        let backend = ConnectionTrait::get_database_backend(&self.conn);
        let (from, mut values) = matching(backend, org_id, q, None);
        let stmt = Statement::from_sql_and_values(
            backend,
            format!("SELECT d.kind AS kind, COUNT(*) AS n {from} GROUP BY d.kind"),
            values.clone(),
        );
        let mut counts = Vec::new();
        for row in self.conn.query_all_raw(stmt).await.map_err(map_db_err)? {
            let k: String = row.try_get("", "kind").map_err(map_db_err)?;
            let n: i64 = row.try_get("", "n").map_err(map_db_err)?;
            if let Some(k) = Kind::parse(&k) {
                counts.push((k, u64::try_from(n).unwrap_or(0)));
            }
        }
        counts.sort_by_key(|(k, _)| *k);
        let (from, kind_values) = matching(backend, org_id, q, kind);
        values = kind_values;
        // Title matches first: BM25 with the title weighted 10 to the body's 1 (lower is better),
        // or ts_rank over the A-weighted title and B-weighted body (higher is better).
        let (cols, order) = match backend {
            DbBackend::Postgres => (
                "d.title::text AS title, d.body::text AS body",
                "ORDER BY ts_rank(d.tsv, to_tsquery('simple', $1)) DESC, d.id",
            ),
            _ => ("d.title AS title, d.body AS body", "ORDER BY bm25(search_fts, 10.0, 1.0), d.id"),
        };
        values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        let lim = placeholder(backend, " LIMIT ", values.len());
        values.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
        let off = placeholder(backend, " OFFSET ", values.len());
        let sql = format!(
            "SELECT d.kind AS kind, d.resource_id AS resource_id, d.org_id AS org_id, d.parent_id AS parent_id, \
             {cols} {from} {order}{lim}{off}"
        );
        let rows =
            self.conn.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await.map_err(map_db_err)?;
        let mut documents = Vec::with_capacity(rows.len());
        for row in rows {
            let k: String = row.try_get("", "kind").map_err(map_db_err)?;
            documents.push(Document {
                kind: Kind::parse(&k).ok_or_else(|| bad("kind", &k))?,
                id: row.try_get("", "resource_id").map_err(map_db_err)?,
                org_id: row.try_get::<Uuid>("", "org_id").map_err(map_db_err)?.into(),
                parent_id: row.try_get("", "parent_id").map_err(map_db_err)?,
                title: text_of(&row, "title")?,
                body: text_of(&row, "body")?,
            });
        }
        Ok(Found { documents, counts })
    }
}

impl Db {
    /// Whether the index was built with the code's indexing rules ([`INDEX_VERSION`]).
    ///
    /// # Errors
    /// A database failure.
    pub async fn search_index_current(&self) -> RepoResult<bool> {
        let state = search_index_state::Entity::find_by_id(1).one(&self.conn).await.map_err(map_db_err)?;
        Ok(state.is_some_and(|s| s.version == INDEX_VERSION))
    }

    /// Rebuilds the search index from everything stored, in one transaction, and records the
    /// version; returns how many documents it holds.
    ///
    /// # Errors
    /// A database failure, or a stored row the domain cannot read.
    pub async fn reindex(&self) -> RepoResult<u64> {
        let options = sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..sea_orm::TransactionOptions::default()
        };
        let tx = self.conn.begin_with_options(options).await.map_err(map_db_err)?;
        // A pooled SQLite connection opened before the migrations may still hold the schema it
        // read then, and does not look again while preparing a statement on a table it has not
        // seen: a first statement on an older table makes it notice the schema changed.
        tx.execute_unprepared("SELECT COUNT(*) FROM organisations").await.map_err(map_db_err)?;
        search_documents::Entity::delete_many().exec(&tx).await.map_err(map_db_err)?;
        let mut docs: Vec<Document> = Vec::new();
        let mut public_plans = HashMap::new();
        for m in action_plans::Entity::find().all(&tx).await.map_err(map_db_err)? {
            let p = crate::action_plans::plan_from(m)?;
            public_plans.insert(p.id, p.status.is_public());
            docs.extend(Document::plan(&p));
        }
        let mut by_commitment: HashMap<CommitmentId, Vec<_>> = HashMap::new();
        for m in
            milestones::Entity::find().order_by_asc(milestones::Column::Position).all(&tx).await.map_err(map_db_err)?
        {
            let m = crate::action_plans::milestone_from(m)?;
            by_commitment.entry(m.commitment_id).or_default().push(m);
        }
        for m in commitments::Entity::find().all(&tx).await.map_err(map_db_err)? {
            let c = crate::action_plans::commitment_from(m)?;
            let public = public_plans.get(&c.action_plan_id).copied().unwrap_or(false);
            let ms = by_commitment.remove(&c.id).unwrap_or_default();
            docs.extend(Document::commitment(&c, public, &ms));
        }
        for m in meetings::Entity::find().all(&tx).await.map_err(map_db_err)? {
            docs.push(Document::meeting(&crate::meetings::from_model(m)?));
        }
        for m in consultations::Entity::find().all(&tx).await.map_err(map_db_err)? {
            docs.push(Document::consultation(&crate::consultations::from_model(m)?));
        }
        for m in surveys::Entity::find().all(&tx).await.map_err(map_db_err)? {
            docs.push(Document::survey(&crate::surveys::from_model(m)?));
        }
        for m in budgets::Entity::find().all(&tx).await.map_err(map_db_err)? {
            docs.push(Document::budget(&crate::budgets::budget_from(m)?));
        }
        for m in budget_proposals::Entity::find().all(&tx).await.map_err(map_db_err)? {
            docs.push(Document::proposal(&crate::budgets::proposal_from(m)?));
        }
        docs.extend(crate::reports::all_documents(&tx).await?);
        add_many(&tx, &docs).await?;
        // Every organisation's version moves, also those left without documents.
        let sql = "INSERT INTO search_versions (org_id, version) SELECT id, 1 FROM organisations WHERE true \
                   ON CONFLICT (org_id) DO UPDATE SET version = search_versions.version + 1";
        tx.execute_unprepared(sql).await.map_err(map_db_err)?;
        search_index_state::Entity::delete_many().exec(&tx).await.map_err(map_db_err)?;
        search_index_state::Entity::insert(search_index_state::ActiveModel {
            id: Set(1),
            version: Set(INDEX_VERSION),
            built_at: Set(pnyx_domain::now()),
        })
        .exec(&tx)
        .await
        .map_err(map_db_err)?;
        tx.commit().await.map_err(map_db_err)?;
        Ok(docs.len() as u64)
    }
}
