//! Every bad-input class gets problem+json with the right status, and changes nothing.

use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, password};
use crate::on_both_databases;

on_both_databases! {
    async fn malformed_json_is_a_400(app) {
        let res = app.request(reqwest::Method::POST, "/api/v1/auth/login", None)
            .header("content-type", "application/json").body("{\"email\": ").send().await.unwrap();
        let p = assert_problem(res, 400).await;
        assert_eq!(p["code"], "malformed-json");
    }
}

on_both_databases! {
    async fn unknown_fields_and_wrong_types_are_422_naming_the_field(app) {
        let body = json!({"email": "a@example.sk", "password": password(), "display_name": "A", "locale": "sk", "admin": true});
        let p = assert_problem(app.post("/api/v1/auth/register", None, &body).await, 422).await;
        assert_eq!(error_fields(&p), vec!["admin"]);
        let body = json!({"email": 5, "password": password()});
        let p = assert_problem(app.post("/api/v1/auth/login", None, &body).await, 422).await;
        assert_eq!(error_fields(&p), vec!["email"]);
        let p = assert_problem(app.post("/api/v1/auth/login", None, &json!({"email": "a@example.sk"})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["password"]);
        let root = app.platform_admin("root@example.org").await;
        let mut org = crate::helpers::org_body("bedzin");
        org["name"]["de"] = json!("Stadt");
        let p = assert_problem(app.post("/api/v1/orgs", Some(&root.token), &org).await, 422).await;
        assert_eq!(error_fields(&p), vec!["name.de"]);
        // None of it registered anybody.
        assert_problem(app.login("a@example.sk", password()).await, 401).await;
    }
}

on_both_databases! {
    async fn a_body_over_one_mebibyte_is_a_413(app) {
        let huge = json!({"email": "a@example.sk", "password": "x".repeat(1024 * 1024 + 10)});
        let p = assert_problem(app.post("/api/v1/auth/login", None, &huge).await, 413).await;
        assert_eq!(p["code"], "payload-too-large");
    }
}

on_both_databases! {
    async fn a_body_that_is_not_json_is_a_415(app) {
        let res = app.request(reqwest::Method::POST, "/api/v1/auth/login", None)
            .header("content-type", "text/plain").body("email=a").send().await.unwrap();
        assert_problem(res, 415).await;
    }
}

on_both_databases! {
    async fn unknown_routes_are_404_and_wrong_methods_405_with_allow(app) {
        let p = assert_problem(app.get("/api/v1/nothing-here", None).await, 404).await;
        assert_eq!(p["code"], "not-found");
        let res = app.delete("/api/v1/orgs", None).await;
        let allow = res.headers().get("allow").unwrap().to_str().unwrap().to_owned();
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
        assert_problem(res, 405).await;
        let res = app.request(reqwest::Method::PUT, "/api/v1/orgs/bedzin", None).json(&json!({})).send().await.unwrap();
        let allow = res.headers().get("allow").unwrap().to_str().unwrap().to_owned();
        assert!(allow.contains("PATCH"), "{allow}");
        assert_problem(res, 405).await;
        let body: Value = assert_problem(app.get("/nowhere", None).await, 404).await;
        assert_eq!(body["status"], 404);
    }
}
