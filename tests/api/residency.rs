//! Residency verification: the prompt an organisation sets, residents' requests, staff's
//! decisions (approval verifies for verified-only budgets), telling the resident, and a public log
//! without residents' identities.

use serde_json::{Value, json};

use crate::budgets::{BUDGETS, create, process, propose, review, to};
use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";
const REQUESTS: &str = "/api/v1/orgs/mesto/residency-requests";

async fn ask(app: &TestApp, who: &User, details: &str) -> reqwest::Response {
    app.post(REQUESTS, Some(&who.token), &json!({"details": details})).await
}

async fn decide(app: &TestApp, who: &User, id: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("{REQUESTS}/{id}/decision"), Some(&who.token), body).await
}

on_both_databases! {
    async fn an_approved_resident_may_support_where_verified_residency_is_required(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let root = crate::helpers::user_from(&json_of(app.login("root-mesto@example.org", crate::helpers::password()).await, 200).await);
        let prompt = json!({"prompt": {"sk": "Uveďte adresu trvalého pobytu."}});
        let set = json_of(app.put(&format!("{ORG}/residency/prompt"), Some(&root.token), &prompt).await, 200).await;
        assert_eq!(set["prompt"]["sk"], "Uveďte adresu trvalého pobytu.");

        // A verified-only budget in its supports phase.
        let author = app.register("autor@example.sk").await;
        let mut body = process(json!({"kind": "approval"}), Some(1));
        body["requires_verified"] = json!(true);
        let id = create(&app, &official, &body).await;
        to(&app, &official, &id, "proposals").await;
        let p = propose(&app, &author, &id, "Park", 1_000_000).await;
        to(&app, &official, &id, "review").await;
        review(&app, &official, &id, &p, true).await;
        to(&app, &official, &id, "supports").await;
        let support = format!("{BUDGETS}/{id}/proposals/{p}/supports");

        let fan = app.register("fan@example.sk").await;
        let standing = json_of(app.get(&format!("{ORG}/residency"), Some(&fan.token)).await, 200).await;
        assert_eq!(standing["prompt"]["sk"], "Uveďte adresu trvalého pobytu.");
        assert_eq!((standing["verified"].as_bool(), standing["latest_request"].is_null()), (Some(false), true));
        assert_eq!(assert_problem(app.post(&support, Some(&fan.token), &json!({})).await, 403).await["code"], "not-verified");

        let req = json_of(ask(&app, &fan, "  Hlavná 12, Mesto  ").await, 201).await;
        assert_eq!((req["status"].as_str(), req["details"].as_str()), (Some("pending"), Some("Hlavná 12, Mesto")));
        let p2 = assert_problem(ask(&app, &fan, "again").await, 409).await;
        assert_eq!(p2["code"], "residency-request-pending");

        let queue = json_of(app.get(&format!("{REQUESTS}?status=pending"), Some(&official.token)).await, 200).await;
        assert_eq!(queue["total"], 1);
        assert_eq!(queue["items"][0]["email"], "fan@example.sk", "staff see who asked");
        let rid = req["id"].as_str().unwrap();
        let done = json_of(decide(&app, &official, rid, &json!({"approve": true})).await, 200).await;
        assert_eq!(done["status"], "approved");

        // The same token: verification applies at once.
        assert_eq!(app.post(&support, Some(&fan.token), &json!({})).await.status(), 201);
        let standing = json_of(app.get(&format!("{ORG}/residency"), Some(&fan.token)).await, 200).await;
        assert_eq!(standing["verified"], true);
        assert_eq!(assert_problem(ask(&app, &fan, "more").await, 409).await["code"], "already-verified");
        let mails = app.mails("fan@example.sk", "residency.approved").await;
        assert_eq!(mails.len(), 1, "told by e-mail");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'residency.approved'").await, 1, "and in the app");
        assert_problem(decide(&app, &official, rid, &json!({"approve": false, "reason": "late"})).await, 409).await;

        let log = app.get("/api/v1/orgs/mesto/audit-log", None).await.text().await.unwrap();
        assert!(log.contains("residency.approved"), "{log}");
        assert!(!log.contains(&fan.id.to_string()) && !log.contains("fan@"), "the public log never shows the resident: {log}");
    }
}

on_both_databases! {
    async fn a_refusal_needs_a_reason_which_the_resident_reads(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let rid = json_of(ask(&app, &jana, "Bratislavská 1").await, 201).await["id"].as_str().unwrap().to_owned();
        let p = assert_problem(decide(&app, &official, &rid, &json!({"approve": false})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["reason"]);
        let p = assert_problem(decide(&app, &official, &rid, &json!({"approve": false, "reason": "   "})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["reason"]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM residency_requests WHERE status = 'pending'").await, 1, "nothing changed");

        let done = json_of(decide(&app, &official, &rid, &json!({"approve": false, "reason": "The address is in another town."})).await, 200).await;
        assert_eq!(done["status"], "refused");
        let standing = json_of(app.get(&format!("{ORG}/residency"), Some(&jana.token)).await, 200).await;
        assert_eq!(standing["verified"], false);
        assert_eq!(standing["latest_request"]["reason"], "The address is in another town.");
        let mails = app.mails("jana@example.sk", "residency.refused").await;
        assert_eq!(mails[0]["reason"], "The address is in another town.");
        // She may ask again with other details.
        assert_eq!(ask(&app, &jana, "Hlavná 2").await.status(), 201);
    }
}

on_both_databases! {
    async fn only_staff_decide_and_bad_requests_are_refused(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let moderator = app.register("mod@mesto.sk").await;
        app.grant("mesto", moderator.id, &["moderator"]).await;
        let jana = app.register("jana@example.sk").await;
        let eve = app.register("eve@example.sk").await;
        let p = assert_problem(ask(&app, &jana, "   ").await, 422).await;
        assert_eq!(error_fields(&p), vec!["details"]);
        assert_problem(ask(&app, &jana, &"x".repeat(2001)).await, 422).await;
        let unconfirmed = app.register_unverified("new@example.sk").await;
        assert_eq!(assert_problem(ask(&app, &unconfirmed, "Hlavná 1").await, 403).await["code"], "email-not-verified");
        assert_problem(app.post(REQUESTS, None, &json!({"details": "x"})).await, 401).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM residency_requests").await, 0);

        let rid = json_of(ask(&app, &jana, "Hlavná 1").await, 201).await["id"].as_str().unwrap().to_owned();
        for who in [&eve, &moderator] {
            assert_problem(app.get(REQUESTS, Some(&who.token)).await, 403).await;
            assert_problem(decide(&app, who, &rid, &json!({"approve": true})).await, 403).await;
        }
        assert_problem(app.put(&format!("{ORG}/residency/prompt"), Some(&jana.token), &json!({"prompt": {"sk": "x"}})).await, 403).await;
        let p = assert_problem(app.put(&format!("{ORG}/residency/prompt"), Some(&admin.token), &json!({"prompt": {"en": "Only English"}})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["prompt.sk"]);
        assert_problem(decide(&app, &admin, &uuid::Uuid::now_v7().to_string(), &json!({"approve": true})).await, 404).await;
        app.create_org("ina").await;
        assert_problem(app.get("/api/v1/orgs/ina/residency-requests", Some(&admin.token)).await, 403).await;
        let me: Value = app.get("/api/v1/me", Some(&admin.token)).await.json().await.unwrap();
        assert_eq!(me["memberships"][0]["can"]["verify_residents"], true);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM memberships WHERE verified = true").await, 0, "nobody was verified");
    }
}

on_both_databases! {
    async fn of_two_concurrent_requests_one_is_kept(app) {
        app.create_org("mesto").await;
        let jana = app.register("jana@example.sk").await;
        let (a, b) = tokio::join!(ask(&app, &jana, "A 1"), ask(&app, &jana, "B 2"));
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM residency_requests").await, 1);
    }
}

on_both_databases! {
    async fn the_residents_notification_preference_decides_how_a_decision_reaches_them(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let pref = |kind: &str, delivery: &str| json!({"preferences": [{"kind": kind, "delivery": delivery}]});
        let quiet = app.register("quiet@example.sk").await;
        let app_only = app.register("app-only@example.sk").await;
        json_of(app.put("/api/v1/me/notification-preferences", Some(&quiet.token), &pref("residency.approved", "off")).await, 200).await;
        json_of(app.put("/api/v1/me/notification-preferences", Some(&app_only.token), &pref("residency.refused", "in_app")).await, 200).await;

        let q = json_of(ask(&app, &quiet, "Hlavná 1").await, 201).await["id"].as_str().unwrap().to_owned();
        json_of(decide(&app, &official, &q, &json!({"approve": true})).await, 200).await;
        assert!(app.mails("quiet@example.sk", "residency.approved").await.is_empty(), "off: no e-mail");
        let n = json_of(app.get("/api/v1/me/notifications", Some(&quiet.token)).await, 200).await;
        assert_eq!(n["total"], 0, "off: not in the app either");
        let standing = json_of(app.get(&format!("{ORG}/residency"), Some(&quiet.token)).await, 200).await;
        assert_eq!(standing["verified"], true, "the decision itself stands");

        let a = json_of(ask(&app, &app_only, "Hlavná 2").await, 201).await["id"].as_str().unwrap().to_owned();
        json_of(decide(&app, &official, &a, &json!({"approve": false, "reason": "Adresa je mimo mesta."})).await, 200).await;
        assert!(app.mails("app-only@example.sk", "residency.refused").await.is_empty(), "in the app only: no e-mail");
        let n = json_of(app.get("/api/v1/me/notifications", Some(&app_only.token)).await, 200).await;
        assert_eq!((n["total"].as_u64(), n["items"][0]["kind"].as_str()), (Some(1), Some("residency.refused")));
        assert_eq!(n["items"][0]["payload"]["reason"], "Adresa je mimo mesta.");
        assert_eq!(n["items"][0]["payload"]["org_slug"], "mesto");
    }
}
