//! Follows, the fan-out of events to followers by their delivery preferences, one-click
//! unsubscribe, and the daily digest (once per user and day, also with two servers' workers).

use std::sync::Arc;

use chrono::Duration;
use pnyx_domain::clock::Clock;
use pnyx_domain::mail::{OutboxWorker, RetryPolicy, kind as mail_kind};
use pnyx_domain::notifications::UnsubscribeKeys;
use pnyx_domain::notifications::digest::DigestWorker;
use pnyx_domain::repo::Store;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::mail_delivery::{SmtpServer, header};
use crate::meetings::{create, meeting};
use crate::on_both_databases;

/// The secret `spawn_app` configures: tests sign tokens the server accepts.
const SECRET: &[u8] = b"test-secret-that-is-long-enough-for-hs256";

async fn follow(app: &TestApp, who: &User, meeting_id: &str) {
    let res = app.put(&format!("/api/v1/me/follows/meeting/{meeting_id}"), Some(&who.token), &json!({})).await;
    assert_eq!(json_of(res, 200).await["following"], true);
}

async fn cancel(app: &TestApp, official: &User, meeting_id: &str) {
    let url = format!("/api/v1/orgs/mesto/meetings/{meeting_id}/transitions");
    let res = app.post(&url, Some(&official.token), &json!({"to": "cancelled", "reason": "Sála je zaplavená."})).await;
    assert_eq!(res.status(), 200);
}

async fn notes(app: &TestApp, who: &User) -> Value {
    json_of(app.get("/api/v1/me/notifications", Some(&who.token)).await, 200).await
}

async fn set_pref(app: &TestApp, who: &User, kind: &str, delivery: &str) {
    let body = json!({"preferences": [{"kind": kind, "delivery": delivery}]});
    json_of(app.put("/api/v1/me/notification-preferences", Some(&who.token), &body).await, 200).await;
}

on_both_databases! {
    async fn a_resident_follows_and_unfollows_a_meeting_and_unknown_things_are_refused(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &meeting(48, None)).await;
        let url = format!("/api/v1/me/follows/meeting/{id}");
        assert_eq!(json_of(app.get(&url, Some(&jana.token)).await, 200).await["following"], false);
        follow(&app, &jana, &id).await;
        follow(&app, &jana, &id).await; // again: no change
        assert_eq!(json_of(app.get(&url, Some(&jana.token)).await, 200).await["following"], true);
        let list = json_of(app.get("/api/v1/me/follows", Some(&jana.token)).await, 200).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert_eq!((list["items"][0]["target"].as_str(), list["items"][0]["target_id"].as_str()), (Some("meeting"), Some(id.as_str())));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM follows").await, 1);

        assert_eq!(json_of(app.delete(&url, Some(&jana.token)).await, 200).await["following"], false);
        assert_eq!(json_of(app.delete(&url, Some(&jana.token)).await, 200).await["following"], false, "idempotent");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM follows").await, 0);

        // Unknown things, unknown kinds of thing, and nobody signed in.
        let nothing = uuid::Uuid::now_v7();
        assert_problem(app.put(&format!("/api/v1/me/follows/meeting/{nothing}"), Some(&jana.token), &json!({})).await, 404).await;
        assert_problem(app.put(&format!("/api/v1/me/follows/report/{id}"), Some(&jana.token), &json!({})).await, 404).await;
        assert_problem(app.put(&format!("/api/v1/me/follows/planet/{id}"), Some(&jana.token), &json!({})).await, 404).await;
        assert_problem(app.put(&url, None, &json!({})).await, 401).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM follows").await, 0, "nothing was followed");
    }
}

on_both_databases! {
    async fn a_cancellation_reaches_followers_and_registrants_only_by_their_preferences(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, None)).await;
        let (jana, petra, milan, eva) = (
            app.register("jana@example.sk").await,
            app.register("petra@example.sk").await,
            app.register("milan@example.sk").await,
            app.register("eva@example.sk").await,
        );
        follow(&app, &jana, &id).await; // follows, default delivery (e-mail at once)
        follow(&app, &milan, &id).await; // follows, in the app only
        set_pref(&app, &milan, "meeting.cancelled", "in_app").await;
        follow(&app, &eva, &id).await; // follows, turned the kind off
        set_pref(&app, &eva, "meeting.cancelled", "off").await;
        follow(&app, &official, &id).await; // the one who cancels is not told of their own change
        // petra neither follows nor registered.
        cancel(&app, &official, &id).await;

        let j = notes(&app, &jana).await;
        assert_eq!((j["total"].as_u64(), j["items"][0]["kind"].as_str()), (Some(1), Some("meeting.cancelled")));
        assert_eq!(j["items"][0]["payload"]["reason"], "Sála je zaplavená.");
        assert_eq!(j["items"][0]["payload"]["org_slug"], "mesto");
        assert_eq!(j["items"][0]["payload"]["target"], "meeting");
        assert_eq!(notes(&app, &petra).await["total"], 0, "not following: not told");
        assert_eq!(notes(&app, &milan).await["total"], 1);
        assert_eq!(notes(&app, &eva).await["total"], 0, "off: not told at all");
        assert_eq!(notes(&app, &official).await["total"], 0, "not told of their own change");

        let mails = app.mails("jana@example.sk", mail_kind::NOTIFICATION).await;
        assert_eq!(mails.len(), 1, "e-mail at once goes through the outbox");
        assert_eq!(mails[0]["kind"], "meeting.cancelled");
        assert!(app.mails("milan@example.sk", mail_kind::NOTIFICATION).await.is_empty(), "in the app only");
        assert!(app.mails("petra@example.sk", mail_kind::NOTIFICATION).await.is_empty());
        assert!(app.mails("eva@example.sk", mail_kind::NOTIFICATION).await.is_empty());
    }
}

on_both_databases! {
    async fn a_registrant_follows_the_meeting_and_hears_of_changes_but_not_of_registration_settings(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, Some(10))).await;
        let jana = app.register("jana@example.sk").await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        assert_eq!(app.post(&format!("{url}/registrations"), Some(&jana.token), &json!({})).await.status(), 201);
        let following = json_of(app.get(&format!("/api/v1/me/follows/meeting/{id}"), Some(&jana.token)).await, 200).await;
        assert_eq!(following["following"], true, "registrants follow automatically");
        let n = notes(&app, &jana).await;
        assert_eq!(n["items"][0]["kind"], "meeting.registered");

        assert_eq!(app.patch(&url, Some(&official.token), &json!({"capacity": 20})).await.status(), 200);
        assert_eq!(notes(&app, &jana).await["total"], 1, "a registration setting is not news");
        assert_eq!(app.patch(&url, Some(&official.token), &json!({"address": "Námestie SNP 1"})).await.status(), 200);
        let n = notes(&app, &jana).await;
        assert_eq!((n["total"].as_u64(), n["items"][0]["kind"].as_str()), (Some(2), Some("meeting.changed")));
    }
}

on_both_databases! {
    async fn preferences_list_every_kind_and_an_unknown_kind_changes_nothing(app) {
        let jana = app.register("jana@example.sk").await;
        let prefs = json_of(app.get("/api/v1/me/notification-preferences", Some(&jana.token)).await, 200).await;
        let items = prefs["items"].as_array().unwrap();
        assert_eq!(items.len(), pnyx_domain::notifications::kind::ALL.len());
        let cancelled = items.iter().find(|p| p["kind"] == "meeting.cancelled").unwrap();
        assert_eq!((cancelled["delivery"].as_str(), cancelled["is_default"].as_bool()), (Some("email"), Some(true)));

        let body = json!({"preferences": [{"kind": "meeting.cancelled", "delivery": "digest"}, {"kind": "no.such", "delivery": "off"}]});
        let p = assert_problem(app.put("/api/v1/me/notification-preferences", Some(&jana.token), &body).await, 422).await;
        assert_eq!(error_fields(&p), vec!["preferences"]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notification_preferences").await, 0, "all or nothing");
        let bad = json!({"preferences": [{"kind": "meeting.cancelled", "delivery": "pigeon"}]});
        assert!(app.put("/api/v1/me/notification-preferences", Some(&jana.token), &bad).await.status().is_client_error());
        assert_problem(app.get("/api/v1/me/notification-preferences", None).await, 401).await;

        set_pref(&app, &jana, "meeting.cancelled", "digest").await;
        let prefs = json_of(app.get("/api/v1/me/notification-preferences", Some(&jana.token)).await, 200).await;
        let cancelled = prefs["items"].as_array().unwrap().iter().find(|p| p["kind"] == "meeting.cancelled").unwrap().clone();
        assert_eq!((cancelled["delivery"].as_str(), cancelled["is_default"].as_bool()), (Some("digest"), Some(false)));
    }
}

on_both_databases! {
    async fn one_click_unsubscribe_turns_that_kinds_mail_off_and_forged_or_expired_tokens_are_refused(app) {
        let jana = app.register("jana@example.sk").await;
        let keys = UnsubscribeKeys::new(SECRET);
        let now = app.clock.now();
        // Forged: signed with another key, or altered to another kind or user.
        let forged = UnsubscribeKeys::new(b"not the server's secret").sign(jana.id.into(), "meeting.cancelled", now);
        let p = assert_problem(app.post(&format!("/api/v1/unsubscribe?token={forged}"), None, &json!({})).await, 400).await;
        assert_eq!(p["code"], "invalid-token");
        let altered = keys.sign(jana.id.into(), "meeting.changed", now).replace("meeting.changed", "meeting.cancelled");
        assert_problem(app.post(&format!("/api/v1/unsubscribe?token={altered}"), None, &json!({})).await, 400).await;
        assert_problem(app.post("/api/v1/unsubscribe?token=nonsense", None, &json!({})).await, 400).await;
        // Expired: signed long ago.
        let old = keys.sign(jana.id.into(), "meeting.cancelled", now - Duration::days(91));
        let p = assert_problem(app.post(&format!("/api/v1/unsubscribe?token={old}"), None, &json!({})).await, 400).await;
        assert!(p["detail"].as_str().unwrap().contains("expired"), "{p}");
        assert_eq!(cancelled_delivery(&app, &jana).await, "email", "nothing changed");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notification_preferences").await, 0);

        // The real one, as a mail client posts it (RFC 8058): a form body, no sign-in.
        let token = keys.sign(jana.id.into(), "meeting.cancelled", now);
        let res = app
            .client
            .post(app.url(&format!("/api/v1/unsubscribe?token={token}")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(json_of(res, 200).await["kinds"], json!(["meeting.cancelled"]));
        assert_eq!(cancelled_delivery(&app, &jana).await, "in_app", "still in the app, no longer by e-mail");
        let again = json_of(app.post(&format!("/api/v1/unsubscribe?token={token}"), None, &json!({})).await, 200).await;
        assert_eq!(again["kinds"], json!([]), "again: nothing more to change");
    }
}

/// The caller's delivery of `meeting.cancelled`.
async fn cancelled_delivery(app: &TestApp, who: &User) -> String {
    let prefs = json_of(app.get("/api/v1/me/notification-preferences", Some(&who.token)).await, 200).await;
    let p = prefs["items"].as_array().unwrap().iter().find(|p| p["kind"] == "meeting.cancelled").unwrap().clone();
    p["delivery"].as_str().unwrap().to_owned()
}

/// Two digest-delivered notifications for `who`, from a cancelled meeting they follow.
async fn digest_pending(app: &TestApp, official: &User, who: &User) {
    set_pref(app, who, "meeting.cancelled", "digest").await;
    for _ in 0..2 {
        let id = create(app, official, &meeting(48, None)).await;
        follow(app, who, &id).await;
        cancel(app, official, &id).await;
    }
}

on_both_databases! {
    async fn the_daily_digest_goes_once_a_day_even_with_two_servers_workers(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        digest_pending(&app, &official, &jana).await;
        assert!(app.mails("jana@example.sk", mail_kind::NOTIFICATION).await.is_empty(), "no e-mail at once");
        assert_eq!(notes(&app, &jana).await["total"], 2, "in the app at once");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications WHERE digest_pending").await, 2);

        // Before the day's hour, nothing goes.
        let hour_now = chrono::Timelike::hour(&app.clock.now());
        if hour_now < 23 {
            let early = DigestWorker::new(Arc::new(app.db.clone()) as Arc<dyn Store>, app.clock.clone(), hour_now + 1);
            assert_eq!(early.run_once().await.unwrap(), 0, "not before the digest hour");
        }

        // Two servers' workers on the same database, at once, at an hour past the digest's.
        let other = app.another_server().await;
        let hour = 0;
        let a = DigestWorker::new(Arc::new(app.db.clone()) as Arc<dyn Store>, app.clock.clone(), hour);
        let b = DigestWorker::new(Arc::new(other.db.clone()) as Arc<dyn Store>, app.clock.clone(), hour);
        let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
        assert_eq!(ra.unwrap() + rb.unwrap(), 1, "one digest between them");
        assert_eq!(a.run_once().await.unwrap(), 0, "not twice the same day");
        let digests = app.mails("jana@example.sk", mail_kind::DIGEST).await;
        assert_eq!(digests.len(), 1);
        assert_eq!(digests[0]["items"].as_array().unwrap().len(), 2, "both notifications in it");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications WHERE digest_pending").await, 0);

        // A new one the same day waits for tomorrow's digest.
        digest_pending(&app, &official, &jana).await;
        assert_eq!(a.run_once().await.unwrap(), 0, "one digest a day");
        app.clock.advance(Duration::days(1));
        assert_eq!(b.run_once().await.unwrap(), 1, "the next day's");
        assert_eq!(app.mails("jana@example.sk", mail_kind::DIGEST).await.len(), 2);
    }
}

on_both_databases! {
    async fn a_notification_mail_arrives_with_a_one_click_unsubscribe_that_works(app) {
        let smtp = SmtpServer::start();
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, None)).await;
        let jana = app.register("jana@example.sk").await;
        follow(&app, &jana, &id).await;
        cancel(&app, &official, &id).await;
        let mailer = pnyx::mail::SmtpMailer::new(&smtp.url(), "Pnyx <noreply@pnyx.example>".parse().unwrap()).unwrap();
        let worker = OutboxWorker::new(Arc::new(app.db.clone()), Arc::new(mailer), app.clock.clone(), &app.address, RetryPolicy::default())
            .with_unsubscribe_keys(UnsubscribeKeys::new(SECRET));
        // The verification mails of the registrations go too; find the notification.
        while worker.run_once().await.unwrap().sent > 0 {}
        let got = smtp.received();
        let mail = got.iter().find(|m| m["rcpt_tos"] == json!(["jana@example.sk"]) && header(m, "List-Unsubscribe").is_some()).expect("the notification mail");
        assert!(mail["subject"].as_str().unwrap().contains("OGP discussion event"), "{}", mail["subject"]);
        assert!(mail["text"].as_str().unwrap().contains("Sála je zaplavená."));
        assert!(mail["html"].as_str().unwrap().contains("/notifications"));
        assert_eq!(header(mail, "List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
        let url = header(mail, "List-Unsubscribe").unwrap().trim_matches(|c| c == '<' || c == '>').to_owned();
        assert!(url.starts_with(&format!("{}/api/v1/unsubscribe?token=", app.address)), "{url}");
        let res = app.client.post(&url).body("List-Unsubscribe=One-Click").header("Content-Type", "application/x-www-form-urlencoded").send().await.unwrap();
        assert_eq!(json_of(res, 200).await["kinds"], json!(["meeting.cancelled"]));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notification_preferences WHERE delivery = 'in_app'").await, 1);
    }
}

on_both_databases! {
    async fn mark_all_read_clears_the_bell(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        for _ in 0..2 {
            let id = create(&app, &official, &meeting(48, None)).await;
            follow(&app, &jana, &id).await;
            cancel(&app, &official, &id).await;
        }
        let unread = json_of(app.get("/api/v1/me/notifications?unread=true", Some(&jana.token)).await, 200).await;
        assert_eq!(unread["total"], 2);
        let res = json_of(app.post("/api/v1/me/notifications/read-all", Some(&jana.token), &json!({})).await, 200).await;
        assert_eq!(res["marked"], 2);
        let unread = json_of(app.get("/api/v1/me/notifications?unread=true", Some(&jana.token)).await, 200).await;
        assert_eq!(unread["total"], 0);
        assert_problem(app.post("/api/v1/me/notifications/read-all", None, &json!({})).await, 401).await;
    }
}

on_both_databases! {
    async fn a_cancellation_its_notices_and_its_e_mails_commit_together(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, None)).await;
        let jana = app.register("jana@example.sk").await;
        follow(&app, &jana, &id).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let body = json!({"to": "cancelled", "reason": "Sála je zaplavená."});

        // The e-mail is written after the status change: failing it undoes the change and the notices.
        app.fail_writes("mail_outbox", "INSERT").await;
        assert_problem(app.post(&format!("{url}/transitions"), Some(&official.token), &body).await, 500).await;
        app.stop_failing("mail_outbox", "INSERT").await;
        assert_eq!(json_of(app.get(&url, None).await, 200).await["status"], "scheduled", "rolled back");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM notifications").await, 0);

        cancel(&app, &official, &id).await;
        assert_eq!(notes(&app, &jana).await["total"], 1);
        assert_eq!(app.mails("jana@example.sk", mail_kind::NOTIFICATION).await.len(), 1);
    }
}
