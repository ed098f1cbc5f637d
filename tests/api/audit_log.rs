//! The public audit log is append-only: the database refuses to change or delete an entry,
//! whatever runs the statement, and the API has no operation that does.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, json_of};
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
        // Nor the person whose membership changed.
        assert!(!log.to_string().contains(&official.id.to_string()), "the member's id: {log}");
        let member = items.iter().find(|e| e["action"] == "member.updated").unwrap();
        assert_eq!((&member["resource_type"], &member["resource_id"]), (&json!("user"), &json!("")));

        // Staff who left are named by what they are now: former staff.
        app.grant("mesto", official.id, &[]).await;
        let log = snapshot(&app).await;
        let created = log["items"].as_array().unwrap().iter().find(|e| e["action"] == "report_category.created").unwrap();
        assert_eq!(created["actor_role"], "former_staff");
    }
}

/// The log's entries (newest first), at most 100.
async fn entries(app: &TestApp) -> Vec<Value> {
    snapshot(app).await["items"].as_array().unwrap().clone()
}

/// The newest entry with `action`.
fn newest<'a>(items: &'a [Value], action: &str) -> &'a Value {
    items.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("{action} in {items:#?}"))
}

/// The names of the fields an entry says changed, sorted.
fn changed(e: &Value) -> Vec<String> {
    let mut k: Vec<String> = e["changes"].as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

/// A create lists only `to`s, a delete only `from`s.
fn only_side(e: &Value, side: &str) {
    let changes = e["changes"].as_object().unwrap();
    assert!(!changes.is_empty(), "{e}");
    for (field, c) in changes {
        let keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        assert_eq!(keys, [side], "{field} in {e}");
    }
}

async fn count(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM audit_log").await
}

on_both_databases! {
    async fn action_plan_changes_are_logged_before_and_after_and_a_refused_one_is_not(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let resident = app.register("jana@example.sk").await;
        let (plan, commitment) = crate::action_plans::plan_with_commitment(&app, &official, false).await;
        let items = entries(&app).await;
        let created = newest(&items, "commitment.created");
        assert_eq!(created["actor_role"], "official");
        assert_eq!(created["resource_id"], commitment.as_str());
        only_side(created, "to");
        assert_eq!(created["changes"]["lead"]["to"], "Kancelária primátora");
        let status = newest(&items, "action_plan.status_changed");
        assert_eq!(status["resource_id"], plan.as_str());
        assert_eq!(status["changes"], json!({"status": {"from": "draft", "to": "co_creation"}}));

        let url = format!("/api/v1/orgs/mesto/commitments/{commitment}");
        let n = count(&app).await;
        assert_problem(app.patch(&url, Some(&resident.token), &json!({"lead": "Niekto"})).await, 403).await;
        assert_problem(app.patch(&url, Some(&official.token), &json!({"title": {"sk": ""}})).await, 422).await;
        assert_eq!(count(&app).await, n, "a refused change writes no entry");

        json_of(app.patch(&url, Some(&official.token), &json!({"lead": "Útvar hlavného architekta", "budget": 2_000_000})).await, 200).await;
        assert_eq!(count(&app).await, n + 1, "one change, one entry");
        let updated = newest(&entries(&app).await, "commitment.updated").clone();
        assert_eq!(updated["actor_role"], "official");
        assert_eq!(updated["resource_type"], "commitment");
        assert_eq!(
            updated["changes"],
            json!({
                "lead": {"from": "Kancelária primátora", "to": "Útvar hlavného architekta"},
                "budget": {"from": 1_500_000, "to": 2_000_000}
            }),
            "exactly the changed fields"
        );

        let m = crate::action_plans::add_milestone(&app, &official, &commitment, &crate::action_plans::milestone_body("2021-09-01", "2021-12-31")).await;
        let added = newest(&entries(&app).await, "milestone.created").clone();
        assert_eq!(added["context"]["commitment_id"], commitment.as_str());
        only_side(&added, "to");
        let milestone = m["milestones"][0]["id"].as_str().unwrap().to_owned();
        json_of(app.patch(&format!("{url}/milestones/{milestone}"), Some(&official.token), &json!({"status": "in_progress"})).await, 200).await;
        let moved = newest(&entries(&app).await, "milestone.status_changed").clone();
        assert_eq!(moved["changes"], json!({"status": {"from": "not_started", "to": "in_progress"}}));

        // The filter keeps one kind of resource.
        let only: Value = app.get("/api/v1/orgs/mesto/audit-log?resource_type=milestone", None).await.json().await.unwrap();
        let kinds: Vec<&str> = only["items"].as_array().unwrap().iter().map(|e| e["resource_type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["milestone", "milestone"]);
        assert_problem(app.get("/api/v1/orgs/mesto/audit-log?resource_type=Bad-Type", None).await, 422).await;
    }
}

on_both_databases! {
    async fn meeting_changes_and_a_cancellation_are_logged(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = crate::meetings::create(&app, &official, &crate::meetings::meeting(48, Some(10))).await;
        only_side(newest(&entries(&app).await, "meeting.created"), "to");
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        json_of(app.patch(&url, Some(&official.token), &json!({"organiser": "Kancelária primátora"})).await, 200).await;
        let e = newest(&entries(&app).await, "meeting.updated").clone();
        assert_eq!(e["changes"], json!({"organiser": {"from": "Mesto Banská Bystrica", "to": "Kancelária primátora"}}));
        let n = count(&app).await;
        assert_problem(app.post(&format!("{url}/transitions"), Some(&official.token), &json!({"to": "cancelled"})).await, 422).await;
        assert_eq!(count(&app).await, n);
        json_of(app.post(&format!("{url}/transitions"), Some(&official.token), &json!({"to": "cancelled", "reason": "Búrka"})).await, 200).await;
        let e = newest(&entries(&app).await, "meeting.cancelled").clone();
        assert_eq!(e["actor_role"], "official");
        assert_eq!(changed(&e), ["cancel_reason", "status"]);
        assert_eq!(e["changes"]["status"], json!({"from": "scheduled", "to": "cancelled"}));
        assert_eq!(e["changes"]["cancel_reason"], json!({"from": null, "to": "Búrka"}));
    }
}

on_both_databases! {
    async fn consultation_and_answer_entries_never_name_the_resident(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana.novakova@example.sk").await;
        let id = crate::consultations::create(&app, &official, &crate::consultations::consultation(-1, 10)).await;
        only_side(newest(&entries(&app).await, "consultation.created"), "to");
        let url = format!("/api/v1/orgs/mesto/consultations/{id}");
        json_of(app.patch(&url, Some(&official.token), &json!({"title": {"sk": "Konzultácia k rozpočtu 2027"}})).await, 200).await;
        let e = newest(&entries(&app).await, "consultation.updated").clone();
        assert_eq!(
            e["changes"],
            json!({"title": {"from": {"sk": "Konzultácia k rozpočtu", "en": "Budget consultation"}, "to": {"sk": "Konzultácia k rozpočtu 2027"}}})
        );
        let o = json_of(app.post(&format!("{url}/opinions"), Some(&jana.token), &json!({"section": "§1", "text": "Viac peňazí na chodníky."})).await, 201).await;
        let oid = o["id"].as_str().unwrap();
        let n = count(&app).await;
        assert_problem(app.patch(&format!("{url}/opinions/{oid}"), Some(&jana.token), &json!({"answer": "x"})).await, 403).await;
        assert_eq!(count(&app).await, n, "a resident posting or a refused answer writes nothing");
        json_of(app.patch(&format!("{url}/opinions/{oid}"), Some(&official.token), &json!({"answer": "Zapracujeme."})).await, 200).await;
        let e = newest(&entries(&app).await, "opinion.answered").clone();
        assert_eq!(e["resource_id"], oid);
        assert_eq!(e["changes"], json!({"answer": {"from": null, "to": "Zapracujeme."}}));
        let log = app.get("/api/v1/orgs/mesto/audit-log?limit=100", None).await.text().await.unwrap();
        let feed = app.get("/api/v1/orgs/mesto/audit-log.atom", None).await.text().await.unwrap();
        for text in [&log, &feed] {
            assert!(!text.contains("jana"), "no resident's address or name: {text}");
            assert!(!text.contains(&jana.id.to_string()), "no resident's id: {text}");
        }
    }
}

on_both_databases! {
    async fn survey_and_budget_changes_are_logged(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let s = crate::surveys::create(&app, &official, &crate::surveys::survey(1, 10)).await;
        only_side(newest(&entries(&app).await, "survey.created"), "to");
        json_of(app.patch(&format!("/api/v1/orgs/mesto/surveys/{s}"), Some(&official.token), &json!({"results_public": true})).await, 200).await;
        let e = newest(&entries(&app).await, "survey.updated").clone();
        assert_eq!(e["changes"], json!({"results_public": {"from": false, "to": true}}));

        let b = crate::budgets::create(&app, &official, &crate::budgets::process(json!({"kind": "approval", "max_projects": 2}), None)).await;
        only_side(newest(&entries(&app).await, "budget.created"), "to");
        crate::budgets::to(&app, &official, &b, "proposals").await;
        let e = newest(&entries(&app).await, "budget.phase_changed").clone();
        assert_eq!(e["changes"], json!({"phase": {"from": "information", "to": "proposals"}}));
        let p = crate::budgets::propose(&app, &jana, &b, "Lavičky", 300_000).await;
        crate::budgets::to(&app, &official, &b, "review").await;
        crate::budgets::review(&app, &official, &b, &p, false).await;
        let e = newest(&entries(&app).await, "proposal.reviewed").clone();
        assert_eq!(e["resource_id"], p.as_str());
        assert_eq!(changed(&e), ["review", "review_reason"]);
        assert_eq!(e["changes"]["review"], json!({"from": "submitted", "to": "unfeasible"}));
        let text = app.get("/api/v1/orgs/mesto/audit-log?limit=100", None).await.text().await.unwrap();
        assert!(!text.contains(&jana.id.to_string()), "the proposal's author is not named: {text}");
    }
}

on_both_databases! {
    async fn pages_documents_reports_and_budget_lines_log_create_update_delete(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let pages = "/api/v1/orgs/mesto/pages";
        json_of(app.post(pages, Some(&admin.token), &json!({"slug": "o-meste", "title": {"sk": "O meste"}, "body": {"sk": "Text"}, "position": 1})).await, 201).await;
        let e = newest(&entries(&app).await, "content_page.created").clone();
        only_side(&e, "to");
        assert_eq!(e["changes"]["slug"], json!({"to": "o-meste"}));
        json_of(app.patch(&format!("{pages}/o-meste"), Some(&admin.token), &json!({"body": {"sk": "Nový text"}})).await, 200).await;
        let e = newest(&entries(&app).await, "content_page.updated").clone();
        assert_eq!(e["actor_role"], "admin");
        assert_eq!(e["changes"], json!({"body": {"from": {"sk": "Text"}, "to": {"sk": "Nový text"}}}));
        assert_eq!(app.delete(&format!("{pages}/o-meste"), Some(&admin.token)).await.status(), 204);
        let e = newest(&entries(&app).await, "content_page.deleted").clone();
        only_side(&e, "from");
        assert_eq!(e["changes"]["title"], json!({"from": {"sk": "O meste"}}));

        let cat = crate::reports::category(&app, &admin, "Osvetlenie", 10).await;
        json_of(app.patch(&format!("/api/v1/orgs/mesto/report-categories/{cat}"), Some(&admin.token), &json!({"answer_days": 5})).await, 200).await;
        let e = newest(&entries(&app).await, "report_category.updated").clone();
        assert_eq!(e["changes"], json!({"answer_days": {"from": 10, "to": 5}}));

        let org = "/api/v1/orgs/mesto";
        json_of(app.post(&format!("{org}/budget-years"), Some(&admin.token), &json!({"year": 2026, "periods": "quarter"})).await, 201).await;
        let path = format!("{org}/budget-years/2026/lines/1101-0001-426");
        let res = crate::budget_execution::put_if(&app, &admin, &path, None, &crate::budget_execution::line_body()).await;
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        json_of(res, 200).await;
        only_side(newest(&entries(&app).await, "budget_line.saved"), "to");
        let mut body = crate::budget_execution::line_body();
        body["planned"] = json!(600_000);
        json_of(crate::budget_execution::put_if(&app, &admin, &path, Some(&etag), &body).await, 200).await;
        let e = newest(&entries(&app).await, "budget_line.saved").clone();
        assert_eq!(e["changes"], json!({"planned": {"from": 500_000, "to": 600_000}}));
    }
}

on_both_databases! {
    async fn the_atom_feed_lists_the_newest_entries_with_their_changes(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let cat = crate::reports::category(&app, &official, "Osvetlenie", 10).await;
        json_of(app.patch(&format!("/api/v1/orgs/mesto/report-categories/{cat}"), Some(&official.token), &json!({"answer_days": 5})).await, 200).await;
        let res = app.get("/api/v1/orgs/mesto/audit-log.atom", None).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
        let feed = atom_syndication::Feed::read_from(res.bytes().await.unwrap().as_ref()).expect("a valid Atom feed");
        let items = entries(&app).await;
        assert_eq!(feed.entries().len(), items.len());
        let first = &feed.entries()[0];
        assert_eq!(first.id(), format!("urn:uuid:{}", items[0]["id"].as_str().unwrap()));
        assert!(first.title().as_str().contains("report_category.updated"), "{}", first.title().as_str());
        assert!(first.title().as_str().contains("official"), "{}", first.title().as_str());
        let summary = first.summary().unwrap().as_str();
        assert!(summary.contains("answer_days: 10 → 5"), "{summary}");
        assert_problem(app.get("/api/v1/orgs/nikde/audit-log.atom", None).await, 404).await;
    }
}
