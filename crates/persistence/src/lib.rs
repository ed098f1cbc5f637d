//! Pnyx's persistence: sea-orm entities and the adapters that implement the domain's repository
//! ports, on SQLite (embedded default) and PostgreSQL (production) alike.

mod accounts;
mod action_plans;
mod budget_execution;
mod budgets;
mod codec;
mod comments;
mod consultations;
mod counted;
mod documents;
mod entities;
mod error;
mod files;
mod history;
mod idempotency;
mod invitations;
mod meetings;
mod notifications;
mod opendata;
mod operations;
mod orgs;
mod outbox;
mod pages;
mod privacy;
mod programmes;
mod rate_limits;
mod reports;
mod search;
mod surveys;
mod webhooks;
mod workspace;

use std::time::Duration;

use pnyx_domain::repo::{RepoResult, Store, UnitOfWork};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, StreamTrait, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub use error::map_db_err;
pub use sea_orm::DbErr;

/// The database behind every repository port: the pool (`Db`), or one transaction of it
/// (`Db<DatabaseTransaction>`, a [`UnitOfWork`]). Every repository is written once, for both.
#[derive(Clone, Debug)]
pub struct Db<C = DatabaseConnection> {
    conn: C,
}

/// What the repositories need of a connection: the pool and a transaction both have it.
pub trait Conn:
    ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction> + StreamTrait + Send + Sync + 'static
{
}
impl<T> Conn for T where
    T: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction> + StreamTrait + Send + Sync + 'static
{
}

/// One transaction of the database, behind the repository ports.
pub type Tx = Db<DatabaseTransaction>;

/// Connection pool settings.
#[derive(Clone, Debug)]
pub struct PoolSettings {
    /// Most connections the pool opens (PostgreSQL; SQLite uses the same cap).
    pub max_connections: u32,
    /// How long a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings { max_connections: 16, acquire_timeout: Duration::from_secs(10) }
    }
}

/// `before` then the `n`-th bound value's placeholder: `$n` on PostgreSQL, `?` on SQLite (whose
/// values bind in order of appearance, so a statement lists its values in that order).
pub(crate) fn placeholder(backend: DbBackend, before: &str, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("{before}${n}"),
        _ => format!("{before}?"),
    }
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite connections use
    /// WAL with `synchronous=NORMAL`, foreign keys and a busy timeout, set as pragmas on every
    /// connection (sqlx's default `FULL` fsyncs every commit, ~50x slower here).
    ///
    /// # Errors
    /// When the database cannot be reached.
    pub async fn connect(url: &str, pool: &PoolSettings) -> Result<Self, DbErr> {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.max_connections(pool.max_connections)
            .min_connections(1)
            .acquire_timeout(pool.acquire_timeout)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
        let conn = Database::connect(opts).await?;
        Ok(Db { conn })
    }

    /// A handle on the database at `url` with one connection of its own, opened when first used:
    /// for the readiness watcher, whose ping must neither queue behind requests for the pool's
    /// connections nor wait the pool's time limit when the database is gone.
    ///
    /// # Errors
    /// When `url` is not a database URL this crate can open.
    pub fn probe(url: &str) -> Result<Self, DbErr> {
        use sea_orm::sqlx::pool::PoolOptions;
        use sea_orm::{SqlxPostgresConnector, SqlxSqliteConnector};
        let bad = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("database URL: {e}"));
        // Longer than the watcher's own limit, so that a slow connection shows as a late answer
        // (tolerated once) and only a refused or broken one as a failure.
        let limit = Duration::from_secs(5);
        let conn = if url.starts_with("postgres") {
            let opts: sea_orm::sqlx::postgres::PgConnectOptions = url.parse().map_err(bad)?;
            let pool = PoolOptions::new().max_connections(1).min_connections(0).acquire_timeout(limit);
            SqlxPostgresConnector::from_sqlx_postgres_pool(pool.connect_lazy_with(opts))
        } else {
            let opts: sea_orm::sqlx::sqlite::SqliteConnectOptions = url.parse().map_err(bad)?;
            let pool = PoolOptions::new().max_connections(1).min_connections(0).acquire_timeout(limit);
            SqlxSqliteConnector::from_sqlx_sqlite_pool(pool.connect_lazy_with(opts))
        };
        Ok(Db { conn })
    }

    /// Applies every pending migration, then rebuilds the search index if it was built with
    /// older indexing rules or never (a database that held data before search existed).
    ///
    /// # Errors
    /// When a migration or the rebuild fails.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        pnyx_migrations::Migrator::up(&self.conn, None).await?;
        let current = self.search_index_current().await.map_err(|e| DbErr::Custom(e.to_string()))?;
        if !current {
            let n = self.reindex().await.map_err(|e| DbErr::Custom(e.to_string()))?;
            tracing::info!(documents = n, "search index rebuilt");
        }
        Ok(())
    }

    /// Rolls every migration back (used to test that `down` works).
    ///
    /// # Errors
    /// When a migration's `down` fails.
    pub async fn migrate_down_all(&self) -> Result<(), DbErr> {
        pnyx_migrations::Migrator::down(&self.conn, None).await
    }

    #[must_use]
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Writes a consistent copy of a SQLite database to `path` while the server keeps running
    /// (`VACUUM INTO`: one read transaction, so the copy holds every write committed before it
    /// began and none half-done). The file must not exist. PostgreSQL is backed up with
    /// `pg_dump` (see the README), not by this.
    ///
    /// # Errors
    /// On PostgreSQL; when the file exists or cannot be written.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), DbErr> {
        if self.backend() != DbBackend::Sqlite {
            return Err(DbErr::Custom(
                "backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)".into(),
            ));
        }
        if path.exists() {
            return Err(DbErr::Custom(format!("{} exists already: choose a new file", path.display())));
        }
        let target = path.to_str().ok_or_else(|| DbErr::Custom("the backup path is not valid UTF-8".into()))?;
        self.conn
            .execute_raw(sea_orm::Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [target.into()]))
            .await?;
        Ok(())
    }

    /// Calls `hook` with the SQL of every statement run through this pool and the transactions
    /// it begins (not `BEGIN`/`COMMIT` themselves): tests count a request's round trips with it.
    /// Clones made afterwards share the hook.
    #[must_use]
    pub fn on_statement(mut self, hook: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.conn.set_metric_callback(move |info| hook(&info.statement.sql));
        self
    }

    #[must_use]
    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Closes the pool.
    ///
    /// # Errors
    /// When closing fails.
    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}

#[async_trait::async_trait]
impl Store for Db {
    async fn ping(&self) -> RepoResult<()> {
        self.conn.execute_unprepared("SELECT 1").await.map(|_| ()).map_err(map_db_err)
    }

    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        let options = TransactionOptions {
            // SQLite: take the write lock now (waiting the busy timeout for it), so that a read in
            // the transaction cannot be made stale by another writer before this one writes.
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let tx = self.conn.begin_with_options(options).await.map_err(map_db_err)?;
        Ok(Box::new(Db { conn: tx }))
    }
}

#[async_trait::async_trait]
impl UnitOfWork for Tx {
    async fn commit(self: Box<Self>) -> RepoResult<()> {
        self.conn.commit().await.map_err(map_db_err)
    }
}
