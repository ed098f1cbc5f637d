//! The budget's use cases that write several rows do it all or not at all: each test makes the
//! use case's last write fail inside the database (a trigger) and checks that none of its earlier
//! writes is left. Also: the `can` flags of processes and proposals.

use serde_json::{Value, json};

use crate::budgets::{BUDGETS, ballot, cast, create, process, propose, review, to, voting};
use crate::helpers::{TestApp, User, assert_problem, json_of};
use crate::on_both_databases;

const LAS: &str = include_str!("../../crates/server/seed/Poland_Warszawa_2019_Las.pb");

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.scalar(sql).await
}

/// A process in the results phase where `ps[0]` and `ps[1]` won.
async fn with_results(app: &TestApp) -> (User, String, Vec<String>) {
    let (official, id, ps) = voting(app, json!({"kind": "approval", "max_projects": 3})).await;
    let voter = app.register("volic@example.sk").await;
    json_of(cast(app, &voter, &id, &ballot(&[&ps[0], &ps[1]])).await, 201).await;
    to(app, &official, &id, "results").await;
    (official, id, ps)
}

on_both_databases! {
    async fn a_failed_move_to_implementation_marks_no_winner_and_keeps_the_phase(app) {
        let (official, id, ps) = with_results(&app).await;
        // The phase is written first, the winners after it: the last winner's write fails.
        app.fail_writes("budget_proposals", "UPDATE").await;
        let res = app.post(&format!("{BUDGETS}/{id}/transitions"), Some(&official.token), &json!({"to": "implementation"})).await;
        assert_problem(res, 500).await;
        app.stop_failing("budget_proposals", "UPDATE").await;
        let b: Value = app.get(&format!("{BUDGETS}/{id}"), None).await.json().await.unwrap();
        assert_eq!(b["phase"], "results", "the phase did not move");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM budget_proposals WHERE works IS NOT NULL").await, 0, "no winner marked");
        // Once the database takes writes again, the same request does it all.
        to(&app, &official, &id, "implementation").await;
        let built: Value = app.get(&format!("{BUDGETS}/{id}/proposals/{}", ps[0]), None).await.json().await.unwrap();
        assert_eq!(built["works"], "planned");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM budget_proposals WHERE works IS NOT NULL").await, 2);
    }
}

on_both_databases! {
    async fn a_failed_import_stores_no_process_no_proposal_and_no_ballot(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        // The process, then its proposals, then its ballots: the ballots' write fails.
        app.fail_writes("budget_ballots", "INSERT").await;
        let res = app.request(reqwest::Method::POST, &format!("{BUDGETS}/import"), Some(&official.token))
            .header("content-type", "text/plain").body(LAS).send().await.unwrap();
        assert_problem(res, 500).await;
        app.stop_failing("budget_ballots", "INSERT").await;
        for table in ["budgets", "budget_proposals", "budget_ballots"] {
            assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table}");
        }
        let res = app.request(reqwest::Method::POST, &format!("{BUDGETS}/import"), Some(&official.token))
            .header("content-type", "text/plain").body(LAS).send().await.unwrap();
        json_of(res, 201).await;
        assert_eq!(count(&app, "SELECT COUNT(*) FROM budgets").await, 1);
    }
}

on_both_databases! {
    async fn a_failed_cast_leaves_the_voter_out_of_the_register(app) {
        let (_, id, ps) = voting(&app, json!({"kind": "approval"})).await;
        let voter = app.register("volic@example.sk").await;
        // The register row first, then the ballot: the ballot's write fails.
        app.fail_writes("budget_ballots", "INSERT").await;
        assert_problem(cast(&app, &voter, &id, &ballot(&[&ps[0]])).await, 500).await;
        app.stop_failing("budget_ballots", "INSERT").await;
        assert_eq!(count(&app, "SELECT COUNT(*) FROM budget_voters").await, 0, "not registered as having voted");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM budget_ballots").await, 0);
        // So the next cast is their first, not a replacement of a ballot that is not there.
        json_of(cast(&app, &voter, &id, &ballot(&[&ps[0]])).await, 201).await;
    }
}

on_both_databases! {
    async fn a_failed_support_count_leaves_no_support(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let author = app.register("autor@example.sk").await;
        let fan = app.register("fan@example.sk").await;
        let id = create(&app, &official, &process(json!({"kind": "approval"}), Some(1))).await;
        to(&app, &official, &id, "proposals").await;
        let p = propose(&app, &author, &id, "Park", 1_000_000).await;
        to(&app, &official, &id, "review").await;
        review(&app, &official, &id, &p, true).await;
        to(&app, &official, &id, "supports").await;
        // The support first, then the proposal's count: the count's write fails.
        app.fail_writes("budget_proposals", "UPDATE").await;
        let url = format!("{BUDGETS}/{id}/proposals/{p}/supports");
        assert_problem(app.post(&url, Some(&fan.token), &json!({})).await, 500).await;
        app.stop_failing("budget_proposals", "UPDATE").await;
        assert_eq!(count(&app, "SELECT COUNT(*) FROM budget_supports").await, 0);
        let after = json_of(app.post(&url, Some(&fan.token), &json!({})).await, 201).await;
        assert_eq!(after["supports"], 1);
    }
}

on_both_databases! {
    async fn a_failed_progress_report_changes_neither_the_project_nor_its_history(app) {
        let (official, id, ps) = with_results(&app).await;
        to(&app, &official, &id, "implementation").await;
        // The project (amount spent) first, then the history entry: the entry's write fails.
        app.fail_writes("history_entries", "INSERT").await;
        let url = format!("{BUDGETS}/{id}/proposals/{}/updates", ps[0]);
        let upd = json!({"text": {"sk": "Stavba začala."}, "amount_spent": 1_200_000});
        assert_problem(app.post(&url, Some(&official.token), &upd).await, 500).await;
        app.stop_failing("history_entries", "INSERT").await;
        let p: Value = app.get(&format!("{BUDGETS}/{id}/proposals/{}", ps[0]), None).await.json().await.unwrap();
        assert_eq!(p["amount_spent"], Value::Null, "the project is as it was");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM history_entries").await, 0);
        let after = json_of(app.post(&url, Some(&official.token), &upd).await, 201).await;
        assert_eq!(after["amount_spent"]["amount"], 1_200_000);
    }
}

on_both_databases! {
    async fn residents_see_staff_flags_false_and_officials_true(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &process(json!({"kind": "approval"}), None)).await;
        let url = format!("{BUDGETS}/{id}");
        let can = |b: &Value| b["can"].clone();
        let staff: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(can(&staff), json!({"edit": true, "transition": ["proposals"], "propose": false, "vote": false, "import": true}));
        let resident: Value = app.get(&url, Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(can(&resident), json!({"edit": false, "transition": [], "propose": false, "vote": false, "import": false}));
        let anonymous: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(can(&anonymous), can(&resident));
        let list: Value = app.get(BUDGETS, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(list["items"][0]["can"]["edit"], true);

        let moved = to(&app, &official, &id, "proposals").await;
        assert_eq!(moved["can"]["transition"], json!(["review"]));
        let resident: Value = app.get(&url, Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(resident["can"]["propose"], true);
        let created = json_of(
            app.post(&format!("{url}/proposals"), Some(&jana.token), &json!({"title": {"sk": "Park"}, "description": {"sk": "Popis."}, "estimated_cost": 100})).await,
            201,
        ).await;
        assert_eq!(created["can"], json!({"edit": true, "review": false, "support": false}), "the author edits");
        let p = created["id"].as_str().unwrap().to_owned();
        let purl = format!("{url}/proposals/{p}");
        let by_staff: Value = app.get(&purl, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(by_staff["can"], json!({"edit": false, "review": false, "support": false}));

        to(&app, &official, &id, "review").await;
        let by_staff: Value = app.get(&purl, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(by_staff["can"], json!({"edit": false, "review": true, "support": false}));
        let by_author: Value = app.get(&purl, Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(by_author["can"], json!({"edit": false, "review": false, "support": false}));
        let listed: Value = app.get(&format!("{url}/proposals"), Some(&official.token)).await.json().await.unwrap();
        assert_eq!(listed["items"][0]["can"]["review"], true);

        review(&app, &official, &id, &p, true).await;
        to(&app, &official, &id, "voting").await;
        let resident: Value = app.get(&url, Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(can(&resident), json!({"edit": false, "transition": [], "propose": false, "vote": true, "import": false}));
        let anonymous: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(anonymous["can"]["vote"], false);
    }
}

on_both_databases! {
    async fn a_cast_retried_under_its_idempotency_key_is_replayed_not_cast_again(app) {
        let (_, id, ps) = voting(&app, json!({"kind": "approval"})).await;
        let voter = app.register("volic@example.sk").await;
        let put = |body: Value, key: &'static str| {
            app.request(reqwest::Method::PUT, &format!("{BUDGETS}/{id}/ballot"), Some(&voter.token))
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
        };
        let first = put(ballot(&[&ps[0]]), "cast-1").await.unwrap();
        assert_eq!(first.status(), 201);
        let again = put(ballot(&[&ps[0]]), "cast-1").await.unwrap();
        assert_eq!(again.status(), 201, "the first answer, replayed");
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        let p = assert_problem(put(ballot(&[&ps[1]]), "cast-1").await.unwrap(), 422).await;
        assert_eq!(p["code"], "idempotency-key-reused");
        json_of(put(ballot(&[&ps[1]]), "cast-2").await.unwrap(), 200).await;
        assert_eq!(count(&app, "SELECT COUNT(*) FROM budget_ballots").await, 1);
    }
}
