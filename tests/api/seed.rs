//! The demo data: the four municipalities with staff, and content from their own texts.

use serde_json::Value;

use crate::on_both_databases;

on_both_databases! {
    async fn demo_data_creates_the_seed_municipalities_once(app) {
        let accounts = pnyx::seed::seed_demo(&app.db, Some("demo password 2026")).await.unwrap();
        pnyx::seed_content::seed_content(&app.db).await.unwrap();
        assert!(accounts.iter().any(|a| a.email == "admin@banska-bystrica.demo.pnyx.eu" && a.role == "admin"));
        let orgs: Value = app.get("/api/v1/orgs", None).await.json().await.unwrap();
        let mut slugs: Vec<&str> = orgs["items"].as_array().unwrap().iter().map(|o| o["slug"].as_str().unwrap()).collect();
        slugs.sort_unstable();
        assert_eq!(slugs, ["banska-bystrica", "bedzin", "sosnowiec", "vlasotince"]);
        let vl: Value = app.get("/api/v1/orgs/vlasotince", None).await.json().await.unwrap();
        assert_eq!(vl["default_locale"], "sr-Latn");
        assert!(vl["name"]["sr-Latn"].as_str().unwrap().contains("Vlasotince"));

        let meetings: Value = app.get("/api/v1/orgs/banska-bystrica/meetings", None).await.json().await.unwrap();
        let held = meetings["items"].as_array().unwrap().iter().find(|m| m["status"] == "held").unwrap();
        assert_eq!(held["attendance"], 22);
        let activities: Value = app.get(&format!("/api/v1/orgs/banska-bystrica/meetings/{}/activities", held["id"].as_str().unwrap()), None).await.json().await.unwrap();
        assert_eq!(activities["items"].as_array().unwrap().len(), 6);
        let closed: Value = app.get("/api/v1/orgs/sosnowiec/consultations?status=report_published", None).await.json().await.unwrap();
        assert_eq!(closed["total"], 1);
        let open: Value = app.get("/api/v1/orgs/sosnowiec/consultations?status=open", None).await.json().await.unwrap();
        assert_eq!(open["total"], 1);

        // The demo admin can log in and holds the admin role.
        let res = app.login("admin@banska-bystrica.demo.pnyx.eu", "demo password 2026").await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["user"]["memberships"][0]["roles"][0], "admin");

        // Seeding again creates nothing.
        assert!(pnyx::seed::seed_demo(&app.db, None).await.unwrap().is_empty());
        pnyx::seed_content::seed_content(&app.db).await.unwrap();
        let again: Value = app.get("/api/v1/orgs/banska-bystrica/meetings", None).await.json().await.unwrap();
        assert_eq!(again["total"], meetings["total"]);
    }
}
