//! "Consultation opened": announced once when the opening time passes, by a scheduled worker,
//! to the consultation's followers and to webhooks, however often the worker runs and however
//! many servers run it.

use std::sync::Arc;

use chrono::{Duration, Utc};
use pnyx_domain::consultations::openings::OpeningAnnouncer;
use pnyx_domain::webhooks::default_retry_policy;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, json_of};
use crate::on_both_databases;
use crate::webhooks::{Receiver, subscribe, worker};

fn consultation(opens_in: Duration) -> Value {
    let now = Utc::now();
    json!({
        "title": {"sk": "Konzultácia k parku", "en": "Park consultation"},
        "summary": {"sk": "Návrh"},
        "subject": "budget",
        "opens_at": now + opens_in,
        "closes_at": now + Duration::days(20),
        "sections": [{"key": "§1", "title": {"sk": "Park"}}],
        "documents": []
    })
}

async fn create(app: &TestApp, staff: &User, body: &Value) -> String {
    let res = app.post("/api/v1/orgs/mesto/consultations", Some(&staff.token), body).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

fn announcer(app: &TestApp) -> OpeningAnnouncer {
    OpeningAnnouncer::new(Arc::new(app.db.clone()), app.clock.clone())
}

async fn opened_notes(app: &TestApp, who: &User) -> usize {
    let n = json_of(app.get("/api/v1/me/notifications", Some(&who.token)).await, 200).await;
    n["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "consultation.opened").count()
}

on_both_databases! {
    async fn an_opening_is_announced_once_to_followers_and_webhooks(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin", "official"]).await;
        let rx = Receiver::start().await;
        subscribe(&app, &admin, &rx.url, &["consultation.opened"]).await;
        let id = create(&app, &admin, &consultation(Duration::minutes(5))).await;
        let jana = app.register("jana@example.sk").await;
        let res = app.put(&format!("/api/v1/me/follows/consultation/{id}"), Some(&jana.token), &json!({})).await;
        assert_eq!(res.status(), 200);
        let body = json!({"preferences": [{"kind": "consultation.opened", "delivery": "email"}]});
        json_of(app.put("/api/v1/me/notification-preferences", Some(&jana.token), &body).await, 200).await;

        assert_eq!(announcer(&app).run_once().await.unwrap(), 0, "not open yet");
        assert_eq!(opened_notes(&app, &jana).await, 0);

        // (Within the access tokens' 15 minutes.)
        app.clock.advance(Duration::minutes(6));
        // Two servers' announcers at once, and again later (a restart): one announcement.
        let second = app.another_server().await;
        let (first, other) = (announcer(&app), announcer(&second));
        let (a, b) = tokio::join!(first.run_once(), other.run_once());
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(announcer(&app).run_once().await.unwrap(), 0);
        assert_eq!(opened_notes(&app, &jana).await, 1);
        let mails = app.mails("jana@example.sk", "notification").await;
        assert_eq!(mails.iter().filter(|m| m["kind"] == "consultation.opened").count(), 1);

        assert_eq!(worker(&app, default_retry_policy()).run_once().await.unwrap().succeeded, 1);
        let got = rx.received();
        assert_eq!(got.len(), 1);
        let event = got[0].json();
        assert_eq!((event["type"].as_str(), event["resource"]["id"].as_str()), (Some("consultation.opened"), Some(id.as_str())));
        assert_eq!(event["resource"]["title"]["sk"], "Konzultácia k parku");
    }
}

on_both_databases! {
    async fn a_consultation_already_closed_is_never_announced(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin", "official"]).await;
        let now = Utc::now();
        let mut body = consultation(Duration::hours(1));
        body["closes_at"] = json!(now + Duration::hours(2));
        create(&app, &admin, &body).await;
        app.clock.advance(Duration::hours(3));
        assert_eq!(announcer(&app).run_once().await.unwrap(), 0, "it opened and closed while nobody watched");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications").await, 0);
    }
}
