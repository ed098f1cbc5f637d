//! Every meeting use case that writes more than one row commits all of its writes or none: the
//! last write is made to fail (a trigger), and none of the earlier ones may be left.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem};
use crate::on_both_databases;

fn meeting(capacity: Option<u32>) -> Value {
    let start = Utc::now() + Duration::hours(48);
    json!({
        "title": {"sk": "Verejné stretnutie"}, "kind": "in_person", "address": "Radnica",
        "starts_at": start, "ends_at": start + Duration::hours(2), "organiser": "Mesto",
        "registration_open": true, "capacity": capacity
    })
}

async fn create(app: &TestApp, official: &User, capacity: Option<u32>) -> String {
    let res = app.post("/api/v1/orgs/mesto/meetings", Some(&official.token), &meeting(capacity)).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn notifications_of(app: &TestApp, user: &User) -> Value {
    app.get("/api/v1/me/notifications", Some(&user.token)).await.json::<Value>().await.unwrap()["items"].clone()
}

on_both_databases! {
    async fn cancelling_a_meeting_and_noticing_its_registrants_commit_together(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (jana, peter) = (app.register("jana@example.sk").await, app.register("peter@example.sk").await);
        let id = create(&app, &official, None).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        for u in [&jana, &peter] {
            assert_eq!(app.post(&format!("{url}/registrations"), Some(&u.token), &json!({})).await.status(), 201);
        }
        let cancel = json!({"to": "cancelled", "reason": "Sála je zaplavená."});

        // The last write is the notices; the meeting's new status was written before them.
        app.fail_writes("notifications", "INSERT").await;
        assert_problem(app.post(&format!("{url}/transitions"), Some(&official.token), &cancel).await, 500).await;
        app.stop_failing("notifications", "INSERT").await;

        let m: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(m["status"], "scheduled", "the status change was rolled back");
        assert_eq!(m["cancel_reason"], Value::Null);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM meetings WHERE status = 'cancelled'").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.cancelled'").await, 0);

        // Nothing half-done blocks the retry.
        assert_eq!(app.post(&format!("{url}/transitions"), Some(&official.token), &cancel).await.status(), 200);
        assert_eq!(notifications_of(&app, &jana).await[0]["kind"], "meeting.cancelled");
        assert_eq!(notifications_of(&app, &peter).await[0]["kind"], "meeting.cancelled");
    }
}

on_both_databases! {
    async fn unregistering_promoting_the_first_waiting_and_noticing_them_commit_together(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (a, b) = (app.register("a@example.sk").await, app.register("b@example.sk").await);
        let id = create(&app, &official, Some(1)).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        assert_eq!(app.post(&format!("{url}/registrations"), Some(&a.token), &json!({})).await.status(), 201);
        let res = app.post(&format!("{url}/registrations"), Some(&b.token), &json!({"join_waiting_list": true})).await;
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "waitlisted");

        // Cancelling a's seat, promoting b (and the seat counter) come before b's notice.
        app.fail_writes("notifications", "INSERT").await;
        assert_problem(app.delete(&format!("{url}/registrations/me"), Some(&a.token)).await, 500).await;
        app.stop_failing("notifications", "INSERT").await;

        let seen_by_a: Value = app.get(&url, Some(&a.token)).await.json().await.unwrap();
        assert_eq!(seen_by_a["my_registration"]["status"], "confirmed", "a's cancellation was rolled back");
        let seen_by_b: Value = app.get(&url, Some(&b.token)).await.json().await.unwrap();
        assert_eq!(seen_by_b["my_registration"]["status"], "waitlisted", "b's promotion was rolled back");
        assert_eq!(seen_by_b["my_registration"]["position"], 1);
        assert_eq!((seen_by_b["registrations"]["confirmed"].as_u64(), seen_by_b["registrations"]["waitlisted"].as_u64()), (Some(1), Some(1)));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM meeting_registrations WHERE status = 'cancelled'").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.seat_confirmed'").await, 0);

        assert_eq!(app.delete(&format!("{url}/registrations/me"), Some(&a.token)).await.status(), 204);
        let seen_by_b: Value = app.get(&url, Some(&b.token)).await.json().await.unwrap();
        assert_eq!(seen_by_b["my_registration"]["status"], "confirmed");
        assert_eq!(notifications_of(&app, &b).await[0]["kind"], "meeting.seat_confirmed");
    }
}

on_both_databases! {
    async fn a_sign_up_takes_no_seat_when_its_registration_cannot_be_written(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, Some(10)).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");

        // The seat counter is taken first, the registration row written last.
        app.fail_writes("meeting_registrations", "INSERT").await;
        assert_problem(app.post(&format!("{url}/registrations"), Some(&jana.token), &json!({})).await, 500).await;
        app.stop_failing("meeting_registrations", "INSERT").await;

        let m: Value = app.get(&url, Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(m["registrations"]["confirmed"], 0, "the seat was given back");
        assert_eq!(m["registrations"]["seats_left"], 10);
        assert_eq!(m["my_registration"], Value::Null);
        assert_eq!(app.scalar("SELECT COALESCE(SUM(confirmed_count), 0) FROM meetings").await, 0);

        let res = app.post(&format!("{url}/registrations"), Some(&jana.token), &json!({})).await;
        assert_eq!(res.status(), 201);
        let m: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(m["registrations"]["confirmed"], 1);
    }
}
