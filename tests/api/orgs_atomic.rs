//! Organisation use cases write their change and its audit entry together: when the audit entry
//! (the last write) fails, nothing of the change is left.

use serde_json::json;

use crate::helpers::{assert_problem, org_body};
use crate::on_both_databases;

on_both_databases!(
    async fn creating_an_organisation_is_all_or_nothing(app) {
        let root = app.platform_admin("root@example.org").await;
        app.fail_writes("audit_log", "INSERT").await;
        assert_problem(app.post("/api/v1/orgs", Some(&root.token), &org_body("bedzin")).await, 500).await;
        app.stop_failing("audit_log", "INSERT").await;
        assert_problem(app.get("/api/v1/orgs/bedzin", None).await, 404).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM organisations").await, 0);
        // And with the audit log working again, the same request succeeds.
        assert_eq!(app.post("/api/v1/orgs", Some(&root.token), &org_body("bedzin")).await.status(), 201);
    }
);

on_both_databases!(
    async fn editing_an_organisation_is_all_or_nothing(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let before = app.get("/api/v1/orgs/bedzin", None).await;
        let etag = before.headers()["etag"].to_str().unwrap().to_owned();
        app.fail_writes("audit_log", "INSERT").await;
        let res = app
            .request(reqwest::Method::PATCH, "/api/v1/orgs/bedzin", Some(&admin.token))
            .header("if-match", &etag)
            .json(&json!({"name": {"sk": "Zmenený názov"}}))
            .send()
            .await
            .unwrap();
        assert_problem(res, 500).await;
        app.stop_failing("audit_log", "INSERT").await;
        let after = app.get("/api/v1/orgs/bedzin", None).await;
        assert_eq!(after.headers()["etag"].to_str().unwrap(), etag, "the version did not move");
        let body: serde_json::Value = after.json().await.unwrap();
        assert_ne!(body["name"]["sk"], "Zmenený názov");
    }
);

on_both_databases!(
    async fn granting_and_removing_roles_is_all_or_nothing(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let resident = app.register("resident@bedzin.pl").await;
        let path = format!("/api/v1/orgs/bedzin/members/{}", resident.id);
        let members = || async { app.scalar("SELECT COUNT(*) FROM memberships").await };
        let baseline = members().await;
        app.fail_writes("audit_log", "INSERT").await;
        let res = app.put(&path, Some(&admin.token), &json!({"roles": ["official"], "verified": true})).await;
        assert_problem(res, 500).await;
        assert_eq!(members().await, baseline, "no role was granted");
        app.stop_failing("audit_log", "INSERT").await;

        assert_eq!(app.put(&path, Some(&admin.token), &json!({"roles": ["official"], "verified": true})).await.status(), 200);
        app.fail_writes("audit_log", "INSERT").await;
        assert_problem(app.delete(&path, Some(&admin.token)).await, 500).await;
        app.stop_failing("audit_log", "INSERT").await;
        assert_eq!(members().await, baseline + 1, "the role is still there");
    }
);
