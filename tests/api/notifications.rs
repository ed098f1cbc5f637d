use pnyx_domain::notifications::{Notification, NotificationRepo};
use serde_json::{Value, json};

use crate::helpers::assert_problem;
use crate::on_both_databases;

on_both_databases! {
    async fn a_user_sees_only_their_notifications_and_marks_them_read(app) {
        let jana = app.register("jana@example.sk").await;
        let petra = app.register("petra@example.sk").await;
        let now = pnyx_domain::now();
        let first = Notification::new(jana.id.into(), None, "meeting.cancelled", json!({"reason": "flood"}), now);
        let second = Notification::new(jana.id.into(), None, "consultation.report_published", json!({}), now);
        let other = Notification::new(petra.id.into(), None, "meeting.cancelled", json!({}), now);
        app.db.notify(&[first.clone(), second.clone(), other.clone()]).await.unwrap();

        let list: Value = app.get("/api/v1/me/notifications", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(list["total"], 2);
        assert_eq!(list["items"][0]["kind"], "consultation.report_published", "newest first");
        assert_eq!(list["items"][1]["payload"]["reason"], "flood");

        let url = format!("/api/v1/me/notifications/{}/read", first.id);
        assert_eq!(app.post(&url, Some(&jana.token), &json!({})).await.status(), 204);
        assert_eq!(app.post(&url, Some(&jana.token), &json!({})).await.status(), 204, "idempotent");
        let unread: Value = app.get("/api/v1/me/notifications?unread=true", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(unread["total"], 1);

        // Someone else's notification does not exist for her.
        let theirs = format!("/api/v1/me/notifications/{}/read", other.id);
        assert_problem(app.post(&theirs, Some(&jana.token), &json!({})).await, 404).await;
        assert_problem(app.get("/api/v1/me/notifications", None).await, 401).await;
    }
}
