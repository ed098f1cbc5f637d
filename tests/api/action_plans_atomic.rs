//! The action-plan use cases that write several rows write all of them or none: for each, its
//! last write is made to fail inside the database, and none of its earlier writes may be left.
//!
//! Adding a milestone: the commitment's version, the milestone, and (when the completion level
//! moves) a status change of the commitment in its history. Changing a milestone: the
//! commitment's version, the milestone, and on a status change the milestone's history entry and
//! (when the level moves) the commitment's.

use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, json_of};
use crate::on_both_databases;

const PLANS: &str = "/api/v1/orgs/mesto/action-plans";
const COMMITMENTS: &str = "/api/v1/orgs/mesto/commitments";

/// A commitment of a plan in co-creation; returns its URL.
async fn commitment(app: &TestApp, official: &User) -> String {
    let t = Some(official.token.as_str());
    let plan = json!({"title": {"sk": "Akčný plán"}, "start_date": "2021-08-01", "end_date": "2022-08-31"});
    let plan = json_of(app.post(PLANS, t, &plan).await, 201).await;
    let plan_id = plan["id"].as_str().unwrap();
    json_of(app.post(&format!("{PLANS}/{plan_id}/transitions"), t, &json!({"to": "co_creation"})).await, 200).await;
    let body = json!({"action_plan_id": plan_id, "title": {"sk": "Register"}, "lead": "Kancelária primátora"});
    let c = json_of(app.post(COMMITMENTS, t, &body).await, 201).await;
    format!("{COMMITMENTS}/{}", c["id"].as_str().unwrap())
}

fn milestone(status: &str) -> Value {
    let mut m = json!({"title": {"sk": "Analýza potrieb"}, "start_date": "2021-09-01", "end_date": "2021-12-31", "status": status});
    if status == "done" {
        m["completed_on"] = json!("2021-12-20");
    }
    m
}

/// The commitment as anyone reads it, with its ETag.
async fn read(app: &TestApp, url: &str) -> (String, Value) {
    let res = app.get(url, None).await;
    assert_eq!(res.status(), 200);
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    (etag, res.json().await.unwrap())
}

async fn history_total(app: &TestApp, url: &str) -> u64 {
    app.get(&format!("{url}/updates"), None).await.json::<Value>().await.unwrap()["total"].as_u64().unwrap()
}

/// Makes inserts into `history_entries` about a commitment (not its milestones) fail: the last
/// write of a milestone change that moves the commitment's level, after the milestone's own entry.
async fn fail_commitment_history(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    let conn = app.db.connection();
    let sql = match app.db.backend() {
        sea_orm::DbBackend::Sqlite => "CREATE TRIGGER pnyx_fail_commitment_history BEFORE INSERT ON history_entries \
             WHEN NEW.subject_type = 'commitment' BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
            .to_owned(),
        _ => {
            conn.execute_unprepared(
                "CREATE OR REPLACE FUNCTION pnyx_fail() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$",
            )
            .await
            .unwrap();
            "CREATE TRIGGER pnyx_fail_commitment_history BEFORE INSERT ON history_entries FOR EACH ROW \
             WHEN (NEW.subject_type = 'commitment') EXECUTE FUNCTION pnyx_fail()"
                .to_owned()
        }
    };
    conn.execute_unprepared(&sql).await.unwrap();
}

async fn stop_failing_commitment_history(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    let sql = match app.db.backend() {
        sea_orm::DbBackend::Sqlite => "DROP TRIGGER pnyx_fail_commitment_history",
        _ => "DROP TRIGGER pnyx_fail_commitment_history ON history_entries",
    };
    app.db.connection().execute_unprepared(sql).await.unwrap();
}

on_both_databases! {
    async fn adding_a_milestone_that_moves_the_level_leaves_nothing_when_the_history_entry_fails(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let url = commitment(&app, &official).await;
        let (etag, _) = read(&app, &url).await;

        app.fail_writes("history_entries", "INSERT").await;
        let res = app.post(&format!("{url}/milestones"), Some(&official.token), &milestone("done")).await;
        assert_problem(res, 500).await;
        app.stop_failing("history_entries", "INSERT").await;

        let (after, c) = read(&app, &url).await;
        assert_eq!(after, etag, "the commitment's version was not claimed");
        assert_eq!(c["milestones"], json!([]), "the milestone was not added");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM milestones").await, 0);
        assert_eq!(history_total(&app, &url).await, 0);

        // Once the database takes writes again the same request goes through whole.
        let res = app.post(&format!("{url}/milestones"), Some(&official.token), &milestone("done")).await;
        assert_eq!(json_of(res, 201).await["completion"]["level"], "complete");
        assert_eq!(history_total(&app, &url).await, 1);
    }
}

on_both_databases! {
    async fn adding_a_milestone_leaves_the_commitments_version_alone_when_the_milestone_fails(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let url = commitment(&app, &official).await;
        let (etag, before) = read(&app, &url).await;

        // A milestone not started moves no level: the milestone is the last write.
        app.fail_writes("milestones", "INSERT").await;
        let res = app.post(&format!("{url}/milestones"), Some(&official.token), &milestone("not_started")).await;
        assert_problem(res, 500).await;
        app.stop_failing("milestones", "INSERT").await;

        let (after, c) = read(&app, &url).await;
        assert_eq!(after, etag, "the commitment's version was not claimed");
        assert_eq!(c["updated_at"], before["updated_at"]);
        assert_eq!(c["milestones"], json!([]));
        assert_eq!(history_total(&app, &url).await, 0);
    }
}

on_both_databases! {
    async fn a_milestone_status_change_that_moves_the_level_leaves_nothing_when_the_level_entry_fails(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let url = commitment(&app, &official).await;
        let c = json_of(app.post(&format!("{url}/milestones"), Some(&official.token), &milestone("not_started")).await, 201).await;
        let ms_url = format!("{url}/milestones/{}", c["milestones"][0]["id"].as_str().unwrap());
        let (etag, _) = read(&app, &url).await;

        // Four writes: the commitment's version, the milestone, its history entry, and last the
        // commitment's level change (not_started → complete), which fails.
        fail_commitment_history(&app).await;
        let done = json!({"status": "done", "completed_on": "2021-12-20", "reason": "Správa zverejnená"});
        assert_problem(app.patch(&ms_url, Some(&official.token), &done).await, 500).await;
        stop_failing_commitment_history(&app).await;

        let (after, c) = read(&app, &url).await;
        assert_eq!(after, etag, "the commitment's version was not claimed");
        assert_eq!(c["milestones"][0]["status"], "not_started", "the milestone is unchanged");
        assert_eq!(c["milestones"][0]["completed_on"], Value::Null);
        assert_eq!(c["completion"]["level"], "not_started");
        assert_eq!(history_total(&app, &url).await, 0, "not even the milestone's entry is left");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM history_entries").await, 0);

        let c = json_of(app.patch(&ms_url, Some(&official.token), &done).await, 200).await;
        assert_eq!(c["completion"]["level"], "complete");
        assert_eq!(history_total(&app, &url).await, 2);
    }
}

on_both_databases! {
    async fn a_milestone_status_change_leaves_nothing_when_its_history_entry_fails(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let url = commitment(&app, &official).await;
        let c = json_of(app.post(&format!("{url}/milestones"), Some(&official.token), &milestone("not_started")).await, 201).await;
        let ms_url = format!("{url}/milestones/{}", c["milestones"][0]["id"].as_str().unwrap());
        let (etag, _) = read(&app, &url).await;

        // Cancelling the only milestone leaves the level at not_started: the milestone's history
        // entry is the last write.
        app.fail_writes("history_entries", "INSERT").await;
        assert_problem(app.patch(&ms_url, Some(&official.token), &json!({"status": "cancelled"})).await, 500).await;
        app.stop_failing("history_entries", "INSERT").await;

        let (after, c) = read(&app, &url).await;
        assert_eq!(after, etag);
        assert_eq!(c["milestones"][0]["status"], "not_started");
        assert_eq!(history_total(&app, &url).await, 0);
    }
}

on_both_databases! {
    async fn a_milestone_edit_leaves_the_commitments_version_alone_when_the_milestone_fails(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let url = commitment(&app, &official).await;
        let c = json_of(app.post(&format!("{url}/milestones"), Some(&official.token), &milestone("not_started")).await, 201).await;
        let ms_url = format!("{url}/milestones/{}", c["milestones"][0]["id"].as_str().unwrap());
        let (etag, _) = read(&app, &url).await;

        // No status change: the commitment's version and the milestone, the milestone last.
        app.fail_writes("milestones", "UPDATE").await;
        let res = app.patch(&ms_url, Some(&official.token), &json!({"title": {"sk": "Nový názov"}})).await;
        assert_problem(res, 500).await;
        app.stop_failing("milestones", "UPDATE").await;

        let (after, c) = read(&app, &url).await;
        assert_eq!(after, etag, "the commitment's version was not claimed");
        assert_eq!(c["milestones"][0]["title"]["sk"], "Analýza potrieb");

        // The version the client holds is still good.
        let res = app
            .request(reqwest::Method::PATCH, &ms_url, Some(&official.token))
            .header("If-Match", &etag)
            .json(&json!({"title": {"sk": "Nový názov"}}))
            .send()
            .await
            .unwrap();
        assert_eq!(json_of(res, 200).await["milestones"][0]["title"]["sk"], "Nový názov");
    }
}
