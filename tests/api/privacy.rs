//! Personal data: "download my data" (an archive made by the background worker, kept for 7
//! days), "delete my account" (after which no table holds the e-mail or the name, and results do
//! not move), and the organisations' retention settings applied by the worker.

use std::sync::Arc;

use chrono::{Duration, Utc};
use pnyx_domain::privacy::PrivacyWorker;
use pnyx_domain::repo::Store;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::budgets::{ballot, cast, create as create_budget, process, propose, review, to};
use crate::helpers::{TestApp, User, assert_problem, json_of, password, user_from};
use crate::on_both_databases;

const EMAIL: &str = "zuzana.quxbridge@example.sk";
const NAME: &str = "Zuzana Quxbridge";
const ORG: &str = "/api/v1/orgs/mesto";

fn worker(app: &TestApp) -> PrivacyWorker {
    PrivacyWorker::new(Arc::new(app.db.clone()) as Arc<dyn Store>, app.clock.clone())
}

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let conn = app.db.connection();
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.expect(sql)
}

/// Every (table, column) of the database, from its own catalogue.
async fn columns(app: &TestApp) -> Vec<(String, String)> {
    let backend = app.db.connection().get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY 1, 2"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2"
        }
    };
    rows(app, sql)
        .await
        .into_iter()
        .map(|r| (r.try_get::<String>("", "t").unwrap(), r.try_get::<String>("", "c").unwrap()))
        .collect()
}

/// The (table, column) pairs where some row's value, as text, contains `needle` (any case).
async fn where_found(app: &TestApp, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let cols = columns(app).await;
    assert!(cols.len() > 100, "the catalogue lists the schema: {}", cols.len());
    let pattern = format!("%{}%", needle.to_lowercase().replace('\'', "''"));
    for (t, c) in cols {
        let sql = format!("SELECT COUNT(*) FROM \"{t}\" WHERE LOWER(CAST(\"{c}\" AS TEXT)) LIKE '{pattern}'");
        if app.scalar(&sql).await > 0 {
            found.push(format!("{t}.{c}"));
        }
    }
    found
}

async fn sign_up(app: &TestApp) -> User {
    let zuzana = app.register(EMAIL).await;
    json_of(app.patch("/api/v1/me", Some(&zuzana.token), &json!({"display_name": NAME})).await, 200).await;
    zuzana
}

/// A resident who took part in every module: a proposal that won, supports, a ballot, a
/// meeting registration, a comment, an opinion, a report, a follow, an API token.
struct World {
    official: User,
    zuzana: User,
    budget: String,
    meeting: String,
    consultation: String,
    comment: String,
    report: String,
}

async fn world(app: &TestApp) -> World {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let zuzana = sign_up(app).await;
    let peter = app.register("peter@example.sk").await;

    let budget = create_budget(app, &official, &process(json!({"kind": "approval", "max_projects": 2}), None)).await;
    to(app, &official, &budget, "proposals").await;
    let fontana = propose(app, &zuzana, &budget, "Fontána", 4_000_000).await;
    let park = propose(app, &peter, &budget, "Park", 5_000_000).await;
    to(app, &official, &budget, "review").await;
    review(app, &official, &budget, &fontana, true).await;
    review(app, &official, &budget, &park, true).await;
    to(app, &official, &budget, "voting").await;
    json_of(cast(app, &zuzana, &budget, &ballot(&[&fontana])).await, 201).await;
    json_of(cast(app, &peter, &budget, &ballot(&[&fontana, &park])).await, 201).await;
    to(app, &official, &budget, "results").await;

    let meeting = crate::meetings::create(app, &official, &crate::meetings::meeting(48, Some(10))).await;
    let url = format!("{ORG}/meetings/{meeting}");
    json_of(app.post(&format!("{url}/registrations"), Some(&zuzana.token), &json!({})).await, 201).await;
    let res = app.put(&format!("/api/v1/me/follows/meeting/{meeting}"), Some(&zuzana.token), &json!({})).await;
    assert!(res.status().is_success(), "{:?}", res.text().await);
    let c = json_of(
        app.post(
            &format!("{ORG}/threads/meeting/{meeting}/comments"),
            Some(&zuzana.token),
            &json!({"body": "Prídem aj s deťmi."}),
        )
        .await,
        201,
    )
    .await;
    let comment = c["id"].as_str().unwrap().to_owned();
    assert_eq!(c["author_name"], NAME, "{c}");

    let now = Utc::now();
    let consultation_body = json!({
        "title": {"sk": "Konzultácia"}, "summary": {"sk": "Návrh"}, "subject": "budget",
        "opens_at": now - Duration::days(1), "closes_at": now + Duration::days(9),
        "sections": [{"key": "§1", "title": {"sk": "Príjmy"}}], "documents": []
    });
    let consultation =
        json_of(app.post(&format!("{ORG}/consultations"), Some(&official.token), &consultation_body).await, 201).await
            ["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let o = json_of(
        app.post(
            &format!("{ORG}/consultations/{consultation}/opinions"),
            Some(&zuzana.token),
            &json!({"section": "§1", "text": "Viac na cyklotrasy."}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(o["author_name"], NAME);

    let cat = crate::reports::category(app, &official, "Osvetlenie", 10).await;
    let mut body = crate::reports::report(&cat, "Nesvieti lampa");
    body["show_name"] = json!(true);
    let report = crate::reports::file(app, &zuzana, &body).await["id"].as_str().unwrap().to_owned();

    json_of(app.post("/api/v1/me/tokens", Some(&zuzana.token), &json!({"name": "skript", "scope": "read"})).await, 201)
        .await;
    World { official, zuzana, budget, meeting, consultation, comment, report }
}

on_both_databases! {
    async fn after_deletion_no_table_holds_the_email_or_the_name_and_results_are_unchanged(app) {
        let w = world(&app).await;
        let found = where_found(&app, EMAIL).await;
        assert!(found.iter().any(|f| f == "users.email"), "the scan finds what is there: {found:?}");
        assert!(!where_found(&app, NAME).await.is_empty());
        let results_url = format!("{ORG}/budgets/{}/results", w.budget);
        let results_before = json_of(app.get(&results_url, None).await, 200).await;
        let ballots = app.scalar("SELECT COUNT(*) FROM budget_ballots").await;
        let meeting_before = json_of(app.get(&format!("{ORG}/meetings/{}", w.meeting), None).await, 200).await;

        // Unhappy paths first: nothing changes.
        let url = "/api/v1/me/delete";
        let p = assert_problem(app.post(url, Some(&w.zuzana.token), &json!({"password": "not my password"})).await, 403).await;
        assert_eq!(p["code"], "wrong-password");
        assert_problem(app.post(url, Some(&w.zuzana.token), &json!({"password": ""})).await, 422).await;
        assert_problem(app.post(url, Some(&w.zuzana.token), &json!({"password": password(), "extra": 1})).await, 422).await;
        assert_problem(app.post(url, None, &json!({"password": password()})).await, 401).await;
        let token = json_of(app.post("/api/v1/me/tokens", Some(&w.zuzana.token), &json!({"name": "w", "scope": "act"})).await, 201).await;
        let api = token["token"].as_str().unwrap();
        let p = assert_problem(app.post(url, Some(api), &json!({"password": password()})).await, 403).await;
        assert_eq!(p["code"], "forbidden", "an API token cannot delete the account");
        assert_eq!(where_found(&app, EMAIL).await, found, "nothing changed");

        let res = app.post(url, Some(&w.zuzana.token), &json!({"password": password()})).await;
        assert_eq!(res.status(), 204, "{:?}", res.text().await);

        let left_email = where_found(&app, EMAIL).await;
        assert!(left_email.is_empty(), "the e-mail is still in {left_email:?}");
        let left_name = where_found(&app, NAME).await;
        assert!(left_name.is_empty(), "the name is still in {left_name:?}");

        // Signed out everywhere, and nobody can sign in as them.
        assert_problem(app.get("/api/v1/me", Some(&w.zuzana.token)).await, 401).await;
        assert_problem(app.get("/api/v1/me", Some(api)).await, 401).await;
        assert_problem(app.login(EMAIL, password()).await, 401).await;
        let refresh = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": w.zuzana.refresh_token})).await;
        assert_eq!(refresh.status(), 401);

        // Results, ballots and counts are as they were; what they published stays, unnamed.
        assert_eq!(json_of(app.get(&results_url, None).await, 200).await, results_before);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, ballots);
        let meeting_after = json_of(app.get(&format!("{ORG}/meetings/{}", w.meeting), None).await, 200).await;
        assert_eq!(meeting_after["registrations"], meeting_before["registrations"]);
        let thread = json_of(app.get(&format!("{ORG}/threads/meeting/{}", w.meeting), None).await, 200).await;
        let text = thread.to_string();
        assert!(text.contains(&w.comment) && text.contains("A former resident") && text.contains("Prídem aj s deťmi."), "{thread}");
        let opinions = json_of(app.get(&format!("{ORG}/consultations/{}/opinions", w.consultation), Some(&w.official.token)).await, 200).await;
        assert!(opinions.to_string().contains("A former resident"), "{opinions}");
        let report = json_of(app.get(&format!("{ORG}/resident-reports/{}", w.report), Some(&w.official.token)).await, 200).await;
        assert_eq!(report["title"], "Nesvieti lampa");
        assert!(!report.to_string().contains(NAME));

        // Staff cannot see who it was: the members and the audit log name nobody.
        let audit = app.get(&format!("{ORG}/audit-log?limit=100"), None).await.text().await.unwrap();
        assert!(!audit.contains(NAME) && !audit.contains(EMAIL));

        // The address is free again: a new account is a new person.
        let again = app.register(EMAIL).await;
        assert_ne!(again.id, w.zuzana.id);
    }
}

on_both_databases! {
    async fn asking_to_remove_the_content_too_removes_comments_opinions_and_reports(app) {
        let w = world(&app).await;
        let res = app.post("/api/v1/me/delete", Some(&w.zuzana.token), &json!({"password": password(), "remove_content": true})).await;
        assert_eq!(res.status(), 204);
        let thread = json_of(app.get(&format!("{ORG}/threads/meeting/{}", w.meeting), None).await, 200).await;
        assert!(!thread.to_string().contains("Prídem aj s deťmi."), "{thread}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM opinions").await, 0);
        assert_problem(app.get(&format!("{ORG}/resident-reports/{}", w.report), Some(&w.official.token)).await, 404).await;
        assert!(where_found(&app, EMAIL).await.is_empty());
        assert!(where_found(&app, NAME).await.is_empty());
    }
}

on_both_databases! {
    async fn the_last_admin_of_an_organisation_cannot_delete_their_account(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let p = assert_problem(app.post("/api/v1/me/delete", Some(&admin.token), &json!({"password": password()})).await, 409).await;
        assert_eq!(p["code"], "last-admin");
        assert!(p["detail"].as_str().unwrap().contains("bedzin"), "{p}");
        assert_eq!(json_of(app.get("/api/v1/me", Some(&admin.token)).await, 200).await["email"], "admin@bedzin.pl");
        // With a second admin, they can.
        let other = app.register("druga@bedzin.pl").await;
        app.grant("bedzin", other.id, &["admin"]).await;
        let res = app.post("/api/v1/me/delete", Some(&admin.token), &json!({"password": password()})).await;
        assert_eq!(res.status(), 204);
        let members = json_of(app.get("/api/v1/orgs/bedzin/members?limit=100", Some(&other.token)).await, 200).await;
        assert!(!members.to_string().contains("admin@bedzin.pl"), "{members}");
    }
}

on_both_databases! {
    async fn the_archive_is_made_in_the_background_holds_everything_and_expires(app) {
        let w = world(&app).await;
        let url = "/api/v1/me/data-export";
        assert_problem(app.get(url, Some(&w.zuzana.token)).await, 404).await;
        assert_problem(app.get(&format!("{url}/archive"), Some(&w.zuzana.token)).await, 404).await;
        assert_problem(app.post(url, None, &json!({})).await, 401).await;
        let asked = json_of(app.post(url, Some(&w.zuzana.token), &json!({})).await, 202).await;
        assert_eq!(asked["status"], "pending");
        assert!(asked["notice"].as_str().unwrap().contains("Anonymous survey answers"));
        let again = json_of(app.post(url, Some(&w.zuzana.token), &json!({})).await, 202).await;
        assert_eq!(again["id"], asked["id"], "a pending request is not doubled");
        assert_problem(app.get(&format!("{url}/archive"), Some(&w.zuzana.token)).await, 404).await;

        let run = worker(&app).run_once().await.unwrap();
        assert_eq!(run.archives, 1);
        assert_eq!(worker(&app).run_once().await.unwrap().archives, 0, "made once");
        let ready = json_of(app.get(url, Some(&w.zuzana.token)).await, 200).await;
        assert_eq!(ready["status"], "ready");
        assert_eq!(ready["download_url"], "/api/v1/me/data-export/archive");
        let res = app.get(&format!("{url}/archive"), Some(&w.zuzana.token)).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        let archive: Value = res.json().await.unwrap();
        assert_eq!(archive["format"], "pnyx-personal-data/1");
        assert!(archive["notice"].as_str().unwrap().contains("ballots"));
        let data = &archive["data"];
        assert_eq!(data["account"][0]["email"], EMAIL);
        assert!(data["account"][0].get("password_hash").is_none(), "no secrets");
        for (key, n) in [
            ("budget_proposals", 1), ("budget_votes_cast", 1), ("meeting_registrations", 1), ("comments", 1),
            ("opinions", 1), ("reports", 1), ("api_tokens", 1),
        ] {
            assert_eq!(data[key].as_array().map(Vec::len), Some(n), "{key}: {}", data[key]);
        }
        // Taking part follows what one took part in: the meeting followed by hand is among them.
        let follows = data["follows"].as_array().unwrap();
        assert!(follows.iter().any(|f| f["target_kind"] == "meeting" && f["target_id"] == w.meeting.as_str()), "{follows:?}");
        assert!(!data["sessions"].as_array().unwrap().is_empty());
        assert!(data["sessions"][0].get("token_hash").is_none());
        assert!(!archive.to_string().contains("\"choices\""), "no ballot contents");
        // Someone else cannot see it.
        let peter = user_from(&json_of(app.login("peter@example.sk", password()).await, 200).await);
        assert_problem(app.get(&format!("{url}/archive"), Some(&peter.token)).await, 404).await;

        // Seven days on it is gone.
        app.clock.advance(Duration::days(8));
        let zuzana = user_from(&json_of(app.login(EMAIL, password()).await, 200).await);
        assert_problem(app.get(&format!("{url}/archive"), Some(&zuzana.token)).await, 404).await;
        assert_problem(app.get(url, Some(&zuzana.token)).await, 404).await;
        assert_eq!(worker(&app).run_once().await.unwrap().expired, 1);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM personal_data_exports").await, 0);
    }
}

on_both_databases! {
    async fn retention_settings_are_admins_only_and_the_worker_applies_them(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin", "official"]).await;
        let jana = app.register("jana@example.sk").await;
        let url = format!("{ORG}/retention");
        assert_problem(app.get(&url, Some(&jana.token)).await, 403).await;
        assert_problem(app.put(&url, Some(&jana.token), &json!({"registration_months": 1})).await, 403).await;
        assert_problem(app.get(&url, None).await, 401).await;
        let none = json_of(app.get(&url, Some(&admin.token)).await, 200).await;
        assert_eq!(none, json!({"registration_months": null, "report_contact_months": null, "opinion_contact_months": null}));
        for bad in [json!({"registration_months": 0}), json!({"report_contact_months": 121}), json!({"registration_months": -1})] {
            assert_problem(app.put(&url, Some(&admin.token), &bad).await, 422).await;
        }
        assert_eq!(json_of(app.get(&url, Some(&admin.token)).await, 200).await, none, "nothing stored");

        // A meeting tomorrow with Jana registered, a report by Jana.
        let meeting = crate::meetings::create(&app, &admin, &crate::meetings::meeting(24, Some(10))).await;
        json_of(app.post(&format!("{ORG}/meetings/{meeting}/registrations"), Some(&jana.token), &json!({})).await, 201).await;
        let cat = crate::reports::category(&app, &admin, "Cesty", 10).await;
        let mut r = crate::reports::report(&cat, "Jama na ceste");
        r["show_name"] = json!(true);
        crate::reports::file(&app, &jana, &r).await;

        let set = json!({"registration_months": 2, "report_contact_months": 3, "opinion_contact_months": null});
        assert_eq!(json_of(app.put(&url, Some(&admin.token), &set).await, 200).await, set);
        assert_eq!(json_of(app.get(&url, Some(&admin.token)).await, 200).await, set);

        // Before the periods pass nothing goes.
        app.clock.advance(Duration::days(40));
        let run = worker(&app).run_once().await.unwrap();
        assert_eq!((run.retention.registrations, run.retention.report_contacts), (0, 0));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM meeting_registrations").await, 1);

        // Two months after the meeting its registrations go; the counts stay.
        app.clock.advance(Duration::days(30));
        let run = worker(&app).run_once().await.unwrap();
        assert_eq!((run.retention.registrations, run.retention.report_contacts), (1, 0));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM meeting_registrations").await, 0);
        let m = json_of(app.get(&format!("{ORG}/meetings/{meeting}"), None).await, 200).await;
        assert_eq!(m["registrations"]["confirmed"], 1, "{m}");

        // Three months after the report its author's name goes from it.
        app.clock.advance(Duration::days(25));
        let run = worker(&app).run_once().await.unwrap();
        assert_eq!(run.retention.report_contacts, 1);
        let stored = app.scalar("SELECT COUNT(*) FROM reports WHERE author_name = '' AND show_name = false").await;
        assert_eq!(stored, 1);
        assert_eq!(worker(&app).run_once().await.unwrap().retention, Default::default(), "once");
    }
}
