//! `pnyx backup`: a consistent copy of a SQLite database taken while the server keeps writing
//! holds every write acknowledged before it began, and opens as a sound database.

use pnyx_persistence::{Db, PoolSettings};
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{Backend, spawn_app};

async fn text(db: &Db, sql: &str) -> Vec<String> {
    let conn = db.connection();
    let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_every_acknowledged_write() {
    let app = std::sync::Arc::new(spawn_app(Backend::Sqlite).await.expect("sqlite app"));
    let mut acknowledged = Vec::new();
    for i in 0..5 {
        let email = format!("before{i}@example.sk");
        app.register_only(&email).await;
        acknowledged.push(email);
    }
    // Residents keep registering while the copy is taken.
    let writer = {
        let app = app.clone();
        tokio::spawn(async move {
            for i in 0..30 {
                app.register_only(&format!("during{i}@example.sk")).await;
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let dir = std::env::temp_dir().join(format!("pnyx-backup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("copy.db");
    app.db.backup_to(&file).await.expect("backup while writing");
    writer.await.unwrap();

    let err = app.db.backup_to(&file).await.expect_err("an existing file is not overwritten");
    assert!(err.to_string().contains("exists already"), "{err}");

    let copy = Db::connect(&format!("sqlite://{}?mode=rw", file.display()), &PoolSettings::default()).await.unwrap();
    assert_eq!(text(&copy, "PRAGMA integrity_check").await, ["ok"]);
    let emails = text(&copy, "SELECT email FROM users").await;
    for e in &acknowledged {
        assert!(emails.contains(e), "{e} was acknowledged before the backup began");
    }
    // Every registration in the copy is whole: its confirmation mail (written in the same
    // transaction, kept after sending) is there with it, and no mail is there without its account.
    let mut mailed = text(&copy, "SELECT recipient FROM mail_outbox WHERE kind = 'account.verify-email'").await;
    let mut all = emails.clone();
    mailed.sort();
    all.sort();
    assert_eq!(mailed, all, "one confirmation mail per account in the copy");
    // The copy is a working database: migrating it again changes nothing.
    copy.migrate().await.expect("the copy migrates");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_is_backed_up_with_pg_dump_not_by_pnyx() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };
    let file = std::env::temp_dir().join(format!("pnyx-backup-{}.db", uuid::Uuid::now_v7()));
    let err = app.db.backup_to(&file).await.expect_err("refused");
    assert!(err.to_string().contains("pg_dump"), "{err}");
    assert!(!file.exists());
}
