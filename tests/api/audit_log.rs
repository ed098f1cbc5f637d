//! The public audit log is append-only: the database refuses to change or delete an entry,
//! whatever runs the statement, and the API has no operation that does.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::on_both_databases;

async fn exec(app: &TestApp, sql: &str) -> Result<(), String> {
    let conn = app.db.connection();
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned()))
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn snapshot(app: &TestApp) -> Value {
    let log = app.get("/api/v1/orgs/mesto/audit-log?limit=100", None).await;
    assert_eq!(log.status(), 200);
    log.json().await.unwrap()
}

on_both_databases! {
    async fn no_operation_can_change_or_delete_an_audit_entry(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        crate::reports::category(&app, &official, "Osvetlenie", 10).await;
        let before = snapshot(&app).await;
        let n = app.scalar("SELECT COUNT(*) FROM audit_log").await;
        assert!(n >= 2, "the set-up wrote entries: {before}");
        for sql in [
            "UPDATE audit_log SET action = 'nothing.happened'",
            "UPDATE audit_log SET actor_id = NULL",
            "DELETE FROM audit_log",
            "DELETE FROM audit_log WHERE action = 'report_category.created'",
        ] {
            let err = exec(&app, sql).await.expect_err(sql);
            assert!(err.contains("append-only"), "{sql}: {err}");
        }
        if app.db.connection().get_database_backend() == sea_orm::DbBackend::Postgres {
            let err = exec(&app, "TRUNCATE audit_log").await.expect_err("truncate");
            assert!(err.contains("append-only"), "{err}");
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, n);
        assert_eq!(snapshot(&app).await, before, "every entry as it was");
        // The API offers no way either.
        for method in [reqwest::Method::PUT, reqwest::Method::PATCH, reqwest::Method::DELETE] {
            let res = app.request(method.clone(), "/api/v1/orgs/mesto/audit-log", Some(&official.token)).send().await.unwrap();
            assert_eq!(res.status(), 405, "{method}");
        }
        // Appending still works.
        crate::reports::category(&app, &official, "Cesty", 10).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, n + 1);
    }
}

on_both_databases! {
    async fn the_public_log_names_actors_by_role_never_by_id(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        crate::reports::category(&app, &official, "Osvetlenie", 10).await;
        let log = snapshot(&app).await;
        let items = log["items"].as_array().unwrap();
        let by = |action: &str| items.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("{action} in {log}"))["actor_role"].clone();
        assert_eq!(by("report_category.created"), "official");
        // The platform admin who granted the role is no member of the organisation.
        assert_eq!(by("member.updated"), "platform_admin");
        assert!(items.iter().all(|e| e.get("actor_id").is_none()), "no actor ids: {log}");

        // Staff who left are named by what they are now: former staff.
        app.grant("mesto", official.id, &[]).await;
        let log = snapshot(&app).await;
        let created = log["items"].as_array().unwrap().iter().find(|e| e["action"] == "report_category.created").unwrap();
        assert_eq!(created["actor_role"], "former_staff");
    }
}
