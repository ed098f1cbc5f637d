//! Comments and moderation: the use cases that write several rows (a report with its tally and
//! hold; a decision with the item, its reports and the audit entry; a block, a closed thread and
//! the settings with their audit entries) leave nothing behind when their last write fails.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, json_of, password};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";

async fn meeting(app: &TestApp, official: &User) -> String {
    let start = Utc::now() + Duration::days(3);
    let body = json!({
        "title": {"sk": "Verejné stretnutie"}, "kind": "in_person", "address": "Námestie SNP 1",
        "starts_at": start, "ends_at": start + Duration::hours(2), "organiser": "Mesto"
    });
    json_of(app.post(&format!("{ORG}/meetings"), Some(&official.token), &body).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn state_of(app: &TestApp, thread: &str) -> Value {
    json_of(app.get(thread, None).await, 200).await["items"][0]["state"].clone()
}

on_both_databases!(
    async fn a_report_its_count_and_the_hold_are_all_or_nothing(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let admin: Value = json_of(app.login("root-mesto@example.org", password()).await, 200).await;
        let admin = admin["access_token"].as_str().unwrap().to_owned();
        json_of(app.put(&format!("{ORG}/moderation/settings"), Some(&admin), &json!({"report_threshold": 1})).await, 200).await;
        let jana = app.register("jana@example.sk").await;
        let peter = app.register("peter@example.sk").await;
        let m = meeting(&app, &official).await;
        let thread = format!("{ORG}/threads/meeting/{m}");
        let c = json_of(app.post(&format!("{thread}/comments"), Some(&jana.token), &json!({"body": "Text"})).await, 201).await;
        let report = json!({"item_kind": "comment", "item_id": c["id"], "reason": "spam"});

        // The hold is the last write: when it fails, neither the report nor its count stays.
        app.fail_writes("comments", "UPDATE").await;
        assert_problem(app.post(&format!("{ORG}/reports"), Some(&peter.token), &report).await, 500).await;
        app.stop_failing("comments", "UPDATE").await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM content_reports").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM moderation_items WHERE open_reports > 0").await, 0);
        assert_eq!(state_of(&app, &thread).await, "visible");

        assert_eq!(app.post(&format!("{ORG}/reports"), Some(&peter.token), &report).await.status(), 201, "the retry is not a duplicate");
        assert_eq!(state_of(&app, &thread).await, "under_review");
    }
);

on_both_databases!(
    async fn a_decision_a_block_and_a_closed_thread_stand_or_fall_with_their_audit_entries(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let moderator = app.register("moderator@mesto.sk").await;
        app.grant("mesto", moderator.id, &["moderator"]).await;
        let jana = app.register("jana@example.sk").await;
        let m = meeting(&app, &official).await;
        let thread = format!("{ORG}/threads/meeting/{m}");
        let c = json_of(app.post(&format!("{thread}/comments"), Some(&jana.token), &json!({"body": "Text"})).await, 201).await;
        let id = c["id"].as_str().unwrap();
        let mut others: Vec<User> = Vec::new();
        for i in 0..3 {
            others.push(app.register(&format!("o{i}@example.sk")).await);
        }
        for u in &others {
            let r = json!({"item_kind": "comment", "item_id": id, "reason": "offensive"});
            assert_eq!(app.post(&format!("{ORG}/reports"), Some(&u.token), &r).await.status(), 201);
        }
        let audits = app.scalar("SELECT COUNT(*) FROM audit_log").await;

        app.fail_writes("audit_log", "INSERT").await;
        let hide = json!({"decision": "hide", "reason": "Urážka"});
        assert_problem(app.post(&format!("{ORG}/moderation/items/comment/{id}/decisions"), Some(&moderator.token), &hide).await, 500).await;
        let block = json!({"user_id": jana.id, "until": Utc::now() + Duration::days(3), "reason": "Urážky"});
        assert_problem(app.post(&format!("{ORG}/moderation/blocks"), Some(&moderator.token), &block).await, 500).await;
        assert_problem(app.patch(&thread, Some(&official.token), &json!({"closed": true})).await, 500).await;
        app.stop_failing("audit_log", "INSERT").await;

        assert_eq!(state_of(&app, &thread).await, "under_review", "not hidden without its log entry");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM content_reports WHERE status = 'open'").await, 3, "reports still open");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM comment_blocks").await, 0);
        assert_eq!(json_of(app.get(&thread, None).await, 200).await["closed"], false);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, audits);
        // Jana may still comment (no block, thread open).
        assert_eq!(app.post(&format!("{thread}/comments"), Some(&jana.token), &json!({"body": "Ďalší"})).await.status(), 201);
    }
);
