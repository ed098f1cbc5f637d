//! Consultations and surveys: the use cases that write several rows leave nothing behind when
//! their last write fails inside the database.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{User, assert_problem, json_of, password};
use crate::on_both_databases;

on_both_databases!(
    async fn publishing_a_report_and_its_notices_is_all_or_nothing(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let now = Utc::now();
        let body = json!({
            "title": {"sk": "Konzultácia"}, "subject": "budget",
            "opens_at": now - Duration::days(1), "closes_at": now + Duration::days(1),
        });
        let c = json_of(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &body).await, 201).await;
        let id = c["id"].as_str().unwrap().to_owned();
        let opinion = json!({"text": "Viac zelene."});
        let res = app.post(&format!("/api/v1/orgs/mesto/consultations/{id}/opinions"), Some(&jana.token), &opinion).await;
        assert_eq!(res.status(), 201);
        // Two days later it has closed: the service reads the moved clock (and the official's
        // access token has expired by it, so they sign in again).
        app.clock.advance(Duration::days(2));
        let url = format!("/api/v1/orgs/mesto/consultations/{id}");
        assert_eq!(json_of(app.get(&url, None).await, 200).await["status"], "closed");
        let signed_in: Value = json_of(app.login("official@mesto.sk", password()).await, 200).await;
        let official = User { token: signed_in["access_token"].as_str().unwrap().to_owned(), ..official };

        let report = json!({"text": {"sk": "Dostali sme 1 pripomienku."}});
        app.fail_writes("notifications", "INSERT").await;
        assert_problem(app.post(&format!("{url}/report"), Some(&official.token), &report).await, 500).await;
        app.stop_failing("notifications", "INSERT").await;
        let after: Value = json_of(app.get(&url, None).await, 200).await;
        assert_eq!(after["status"], "closed", "the report was not published without its notices");
        assert!(after["report"].is_null(), "{after}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications").await, 0);

        assert_eq!(app.post(&format!("{url}/report"), Some(&official.token), &report).await.status(), 200);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications").await, 1);
    }
);

on_both_databases!(
    async fn a_survey_response_and_its_participation_are_all_or_nothing(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let now = Utc::now();
        let body = json!({
            "title": {"sk": "Doprava"},
            "questions": [{"id": "mode", "text": {"sk": "Ako?"}, "required": true,
                "kind": {"type": "single_choice", "options": [{"id": "bus", "label": {"sk": "Autobus"}}, {"id": "car", "label": {"sk": "Auto"}}]}}],
            "opens_at": now - Duration::days(1), "closes_at": now + Duration::days(1),
        });
        let s = json_of(app.post("/api/v1/orgs/mesto/surveys", Some(&official.token), &body).await, 201).await;
        let url = format!("/api/v1/orgs/mesto/surveys/{}/responses", s["id"].as_str().unwrap());
        let answers = json!({"answers": {"mode": {"type": "single_choice", "option": "bus"}}});

        app.fail_writes("survey_responses", "INSERT").await;
        assert_problem(app.post(&url, Some(&jana.token), &answers).await, 500).await;
        app.stop_failing("survey_responses", "INSERT").await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_participations").await, 0, "no participation without its response");
        let mine = json_of(app.get(&format!("{url}/mine"), Some(&jana.token)).await, 200).await;
        assert_eq!(mine["participated"], false);

        assert_eq!(app.post(&url, Some(&jana.token), &answers).await.status(), 201, "she can still answer");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_responses").await, 1);
    }
);
