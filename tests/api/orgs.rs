use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, org_body};
use crate::on_both_databases;

on_both_databases! {
    async fn a_platform_admin_creates_an_organisation_everyone_can_read(app) {
        let root = app.platform_admin("root@example.org").await;
        let res = app.post("/api/v1/orgs", Some(&root.token), &org_body("banska-bystrica")).await;
        assert_eq!(res.status(), 201);
        let res = app.get("/api/v1/orgs/banska-bystrica", None).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("etag").is_some());
        let org: Value = res.json().await.unwrap();
        assert_eq!(org["name"]["sk"], "Mesto banska-bystrica");
        assert_eq!(org["time_zone"], "Europe/Bratislava");
        let list: Value = app.get("/api/v1/orgs", None).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["slug"], "banska-bystrica");
        assert_eq!(list["next_cursor"], Value::Null);
    }
}

on_both_databases! {
    async fn only_platform_admins_create_organisations(app) {
        let resident = app.register("jana@example.sk").await;
        assert_problem(app.post("/api/v1/orgs", Some(&resident.token), &org_body("bedzin")).await, 403).await;
        assert_problem(app.post("/api/v1/orgs", None, &org_body("bedzin")).await, 401).await;
        assert_problem(app.get("/api/v1/orgs/bedzin", None).await, 404).await;
    }
}

on_both_databases! {
    async fn invalid_organisations_are_refused_naming_the_field(app) {
        let root = app.platform_admin("root@example.org").await;
        let cases = [
            ("slug", json!("Banska Bystrica")),
            ("slug", json!("abcdef01-2345-6789-abcd-ef0123456789")),
            ("time_zone", json!("Europe/Atlantis")),
            ("currency", json!("eur")),
            ("name", json!({"en": "Only English"})),
            ("locales", json!(["en"])),
        ];
        for (field, value) in cases {
            let mut body = org_body("bedzin");
            body[field] = value;
            let p = assert_problem(app.post("/api/v1/orgs", Some(&root.token), &body).await, 422).await;
            assert_eq!(error_fields(&p), vec![field.to_owned()], "{field}");
        }
        let mut body = org_body("bedzin");
        body["name"]["sk"] = json!("x".repeat(201));
        assert_problem(app.post("/api/v1/orgs", Some(&root.token), &body).await, 422).await;
        let list: Value = app.get("/api/v1/orgs", None).await.json().await.unwrap();
        assert_eq!(list["total"], 0, "nothing was created");
    }
}

on_both_databases! {
    async fn a_taken_slug_is_a_conflict(app) {
        let root = app.platform_admin("root@example.org").await;
        assert_eq!(app.post("/api/v1/orgs", Some(&root.token), &org_body("bedzin")).await.status(), 201);
        let p = assert_problem(app.post("/api/v1/orgs", Some(&root.token), &org_body("bedzin")).await, 409).await;
        assert_eq!(p["code"], "slug-taken");
    }
}

on_both_databases! {
    async fn editing_honours_if_match(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let res = app.get("/api/v1/orgs/bedzin", None).await;
        let etag = res.headers().get("etag").unwrap().to_str().unwrap().to_owned();
        let edit = |tag: &str| {
            app.request(reqwest::Method::PATCH, "/api/v1/orgs/bedzin", Some(&admin.token))
                .header("If-Match", tag.to_owned())
                .json(&json!({"description": {"sk": "Nový popis"}}))
                .send()
        };
        let res = edit(&etag).await.unwrap();
        assert_eq!(res.status(), 200);
        let new_etag = res.headers().get("etag").unwrap().to_str().unwrap().to_owned();
        assert_ne!(new_etag, etag);
        // The old ETag is stale now.
        let p = assert_problem(edit(&etag).await.unwrap(), 412).await;
        assert_eq!(p["code"], "precondition-failed");
        assert_problem(edit("\"garbage\"").await.unwrap(), 412).await;
        let org: Value = app.get("/api/v1/orgs/bedzin", None).await.json().await.unwrap();
        assert_eq!(org["description"]["sk"], "Nový popis");
    }
}

on_both_databases! {
    async fn an_admin_of_one_organisation_cannot_edit_another(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        app.create_org("sosnowiec").await;
        let res = app.patch("/api/v1/orgs/sosnowiec", Some(&admin.token), &json!({"description": {"sk": "x"}})).await;
        assert_problem(res, 403).await;
        let official = app.register("official@bedzin.pl").await;
        app.grant("bedzin", official.id, &["official"]).await;
        let res = app.patch("/api/v1/orgs/bedzin", Some(&official.token), &json!({"description": {"sk": "x"}})).await;
        assert_problem(res, 403).await;
    }
}

on_both_databases! {
    async fn lists_page_with_a_cursor(app) {
        let root = app.platform_admin("root@example.org").await;
        for slug in ["aa", "bb", "cc", "dd", "ee"] {
            assert_eq!(app.post("/api/v1/orgs", Some(&root.token), &org_body(slug)).await.status(), 201);
        }
        let first: Value = app.get("/api/v1/orgs?limit=2", None).await.json().await.unwrap();
        assert_eq!(first["total"], 5);
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"].as_str().unwrap();
        let second: Value = app.get(&format!("/api/v1/orgs?limit=2&cursor={cursor}"), None).await.json().await.unwrap();
        assert_eq!(second["items"][0]["slug"], "cc");
        let cursor = second["next_cursor"].as_str().unwrap();
        let last: Value = app.get(&format!("/api/v1/orgs?limit=2&cursor={cursor}"), None).await.json().await.unwrap();
        assert_eq!(last["items"].as_array().unwrap().len(), 1);
        assert_eq!(last["next_cursor"], Value::Null);
        for bad in ["limit=0", "limit=101", "cursor=%25%25"] {
            assert_problem(app.get(&format!("/api/v1/orgs?{bad}"), None).await, 422).await;
        }
        assert_problem(app.get("/api/v1/orgs?limit=abc", None).await, 400).await;
    }
}

on_both_databases! {
    async fn staff_changes_are_logged_publicly(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        app.patch("/api/v1/orgs/bedzin", Some(&admin.token), &json!({"description": {"sk": "x"}})).await;
        let log: Value = app.get("/api/v1/orgs/bedzin/audit-log", None).await.json().await.unwrap();
        let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions.first(), Some(&"organisation.updated"), "newest first: {actions:?}");
        assert!(actions.contains(&"member.updated") && actions.contains(&"organisation.created"), "{actions:?}");
    }
}

on_both_databases! {
    async fn an_organisation_is_addressed_by_its_slug_or_its_id(app) {
        let root = app.platform_admin("root@example.org").await;
        let created: Value = app.post("/api/v1/orgs", Some(&root.token), &org_body("bedzin")).await.json().await.unwrap();
        let id = created["id"].as_str().unwrap();
        let by_id: Value = app.get(&format!("/api/v1/orgs/{id}"), None).await.json().await.unwrap();
        assert_eq!(by_id["slug"], "bedzin");
        assert_eq!(by_id["id"], created["id"]);
        // Every route under `{org}` takes the id.
        assert_eq!(app.get(&format!("/api/v1/orgs/{id}/meetings"), None).await.status(), 200);
        let log: Value = app.get(&format!("/api/v1/orgs/{id}/audit-log"), None).await.json().await.unwrap();
        assert!(log["items"].as_array().is_some_and(|i| !i.is_empty()), "{log}");
        // The id of nothing is not found (it is not taken for a slug).
        assert_problem(app.get("/api/v1/orgs/01a22ed1-6828-71ce-9b5a-6ffc9f0530c1", None).await, 404).await;
        let simple: Value = app.get(&format!("/api/v1/orgs/{}", id.replace('-', "")), None).await.json().await.unwrap();
        assert_eq!(simple["slug"], "bedzin", "the UUID's simple form names it too");
    }
}
