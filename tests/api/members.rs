use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields};
use crate::on_both_databases;

on_both_databases! {
    async fn an_admin_grants_and_revokes_roles_which_take_effect_at_once(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let jana = app.register("jana@example.pl").await;
        // Not staff yet: the member list is closed to her.
        assert_problem(app.get("/api/v1/orgs/bedzin/members", Some(&jana.token)).await, 403).await;

        let res = app.put(&format!("/api/v1/orgs/bedzin/members/{}", jana.id), Some(&admin.token), &json!({"roles": ["official", "moderator"], "verified": true})).await;
        assert_eq!(res.status(), 200);
        let m: Value = res.json().await.unwrap();
        assert_eq!(m["roles"], json!(["official", "moderator"]));
        assert_eq!(m["verified"], true);
        let me: Value = app.get("/api/v1/me", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(me["memberships"][0]["org_slug"], "bedzin");
        assert_eq!(me["memberships"][0]["roles"], json!(["official", "moderator"]));

        let list: Value = app.get("/api/v1/orgs/bedzin/members", Some(&admin.token)).await.json().await.unwrap();
        assert_eq!(list["total"], 2);

        assert_eq!(app.delete(&format!("/api/v1/orgs/bedzin/members/{}", jana.id), Some(&admin.token)).await.status(), 204);
        let me: Value = app.get("/api/v1/me", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(me["memberships"], json!([]), "revocation applies to the same token at once");
        assert_problem(app.delete(&format!("/api/v1/orgs/bedzin/members/{}", jana.id), Some(&admin.token)).await, 404).await;
    }
}

on_both_databases! {
    async fn non_admins_cannot_manage_members(app) {
        let official = app.org_with_member("bedzin", "official@bedzin.pl", &["official"]).await;
        let jana = app.register("jana@example.pl").await;
        let res = app.put(&format!("/api/v1/orgs/bedzin/members/{}", jana.id), Some(&official.token), &json!({"roles": ["admin"]})).await;
        assert_problem(res, 403).await;
        let res = app.put(&format!("/api/v1/orgs/bedzin/members/{}", official.id), Some(&official.token), &json!({"roles": ["admin"]})).await;
        assert_problem(res, 403).await;
        let res = app.put(&format!("/api/v1/orgs/bedzin/members/{}", jana.id), None, &json!({"roles": ["admin"]})).await;
        assert_problem(res, 401).await;
    }
}

on_both_databases! {
    async fn a_role_in_one_organisation_gives_nothing_in_another(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        app.create_org("sosnowiec").await;
        let jana = app.register("jana@example.pl").await;
        let res = app.put(&format!("/api/v1/orgs/sosnowiec/members/{}", jana.id), Some(&admin.token), &json!({"roles": ["official"]})).await;
        assert_problem(res, 403).await;
        assert_problem(app.get("/api/v1/orgs/sosnowiec/members", Some(&admin.token)).await, 403).await;
        assert_problem(app.get("/api/v1/orgs/nowhere/members", Some(&admin.token)).await, 404).await;
    }
}

on_both_databases! {
    async fn bad_member_requests_are_refused(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let jana = app.register("jana@example.pl").await;
        let url = format!("/api/v1/orgs/bedzin/members/{}", jana.id);
        let p = assert_problem(app.put(&url, Some(&admin.token), &json!({"roles": ["mayor"]})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["roles[0]"]);
        let unknown = format!("/api/v1/orgs/bedzin/members/{}", uuid::Uuid::now_v7());
        assert_problem(app.put(&unknown, Some(&admin.token), &json!({"roles": ["official"]})).await, 404).await;
        assert_problem(app.put("/api/v1/orgs/bedzin/members/not-a-uuid", Some(&admin.token), &json!({"roles": []})).await, 404).await;
    }
}

on_both_databases! {
    async fn the_last_admin_cannot_be_demoted_or_removed(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let url = format!("/api/v1/orgs/bedzin/members/{}", admin.id);
        let p = assert_problem(app.put(&url, Some(&admin.token), &json!({"roles": ["official"]})).await, 409).await;
        assert_eq!(p["code"], "last-admin");
        assert_problem(app.delete(&url, Some(&admin.token)).await, 409).await;
        let me: Value = app.get("/api/v1/me", Some(&admin.token)).await.json().await.unwrap();
        assert_eq!(me["memberships"][0]["roles"], json!(["admin"]));
    }
}
