//! Webhooks for integrators, received by a real HTTP listener started here: subscriptions and
//! their secrets, signed deliveries queued with the change itself, retries after a receiver's
//! 500, disabling (and telling the admins) after repeated failure, the delivery log and
//! redelivery, pings, who may do it, which addresses are refused, and several workers sending
//! each delivery once.

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::Duration;
use hmac::{Hmac, Mac};
use pnyx_domain::clock::Clock;
use pnyx_domain::mail::RetryPolicy;
use pnyx_domain::webhooks::{WebhookWorker, default_retry_policy};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::meetings::{create, meeting};
use crate::on_both_databases;

const HOOKS: &str = "/api/v1/orgs/mesto/webhooks";

/// One request the receiver got.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Shared {
    got: Mutex<Vec<Received>>,
    status: Mutex<u16>,
}

/// An HTTP server on a free port that records what it receives and answers with a status the
/// test sets.
pub(crate) struct Receiver {
    pub url: String,
    shared: web::Data<Shared>,
    handle: actix_web::dev::ServerHandle,
}

async fn record(req: HttpRequest, body: web::Bytes, st: web::Data<Shared>) -> HttpResponse {
    let headers =
        req.headers().iter().map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
    st.got.lock().unwrap().push(Received { headers, body: String::from_utf8_lossy(&body).into_owned() });
    let status = *st.status.lock().unwrap();
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).body("ok")
}

impl Receiver {
    pub async fn start() -> Self {
        let shared = web::Data::new(Shared { got: Mutex::new(Vec::new()), status: Mutex::new(200) });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let data = shared.clone();
        let server = HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(record)))
            .workers(1)
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver { url: format!("http://127.0.0.1:{port}/hooks/pnyx"), shared, handle }
    }

    pub fn answer(&self, status: u16) {
        *self.shared.status.lock().unwrap() = status;
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.got.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}

pub(crate) fn worker(app: &TestApp, policy: RetryPolicy) -> WebhookWorker {
    WebhookWorker::new(
        Arc::new(app.db.clone()),
        Arc::new(pnyx::webhooks::HttpSender::new(true)),
        app.clock.clone(),
        policy,
    )
}

/// The signature a receiver computes, independently of the server's code.
fn expected_signature(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("v1={}", hex_of(&mac.finalize().into_bytes()))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) async fn subscribe(app: &TestApp, admin: &User, url: &str, events: &[&str]) -> Value {
    json_of(
        app.post(HOOKS, Some(&admin.token), &json!({"url": url, "events": events, "description": "Web mesta"})).await,
        201,
    )
    .await
}

async fn cancel(app: &TestApp, staff: &User, meeting_id: &str) {
    let url = format!("/api/v1/orgs/mesto/meetings/{meeting_id}/transitions");
    let res = app.post(&url, Some(&staff.token), &json!({"to": "cancelled", "reason": "Sála je zaplavená."})).await;
    assert_eq!(res.status(), 200);
}

async fn deliveries(app: &TestApp, admin: &User, hook: &str) -> Value {
    json_of(app.get(&format!("{HOOKS}/{hook}/deliveries"), Some(&admin.token)).await, 200).await
}

on_both_databases! {
    async fn a_cancellation_is_delivered_signed_to_the_subscribers_of_its_type(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin", "official"]).await;
        let rx = Receiver::start().await;
        let other = Receiver::start().await;
        let hook = subscribe(&app, &admin, &rx.url, &["meeting.cancelled", "meeting.changed"]).await;
        subscribe(&app, &admin, &other.url, &["consultation.opened"]).await;
        let secret = hook["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("whsec_") && secret.len() == 70, "{secret}");
        let id = hook["id"].as_str().unwrap().to_owned();
        let shown = json_of(app.get(&format!("{HOOKS}/{id}"), Some(&admin.token)).await, 200).await;
        assert!(shown.get("secret").is_none(), "the secret is shown only once: {shown}");
        assert_eq!(shown["events"], json!(["meeting.cancelled", "meeting.changed"]));
        assert_eq!((shown["active"].as_bool(), shown["description"].as_str()), (Some(true), Some("Web mesta")));

        let meeting_id = create(&app, &admin, &meeting(48, None)).await;
        assert_eq!(deliveries(&app, &admin, &id).await["total"], 0, "creating is not an event they asked for");
        cancel(&app, &admin, &meeting_id).await;
        // Queued with the change, before any worker ran.
        let log = deliveries(&app, &admin, &id).await;
        assert_eq!((log["total"].as_u64(), log["items"][0]["status"].as_str()), (Some(1), Some("pending")));

        let round = worker(&app, default_retry_policy()).run_once().await.unwrap();
        assert_eq!(round.succeeded, 1);
        let got = rx.received();
        assert_eq!(got.len(), 1);
        assert!(other.received().is_empty(), "the other subscription did not ask for cancellations");
        let r = &got[0];
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("pnyx-webhook-event"), Some("meeting.cancelled"));
        let ts = r.header("pnyx-webhook-timestamp").unwrap();
        let age = app.clock.now().timestamp() - ts.parse::<i64>().unwrap();
        assert!((0..60).contains(&age), "signed now: {age}");
        assert_eq!(r.header("pnyx-webhook-signature").unwrap(), expected_signature(&secret, ts, &r.body));
        assert_ne!(r.header("pnyx-webhook-signature").unwrap(), expected_signature("whsec_other", ts, &r.body));
        let body = r.json();
        assert_eq!((body["type"].as_str(), body["organisation"].as_str()), (Some("meeting.cancelled"), Some("mesto")));
        assert_eq!((body["resource"]["type"].as_str(), body["resource"]["id"].as_str()), (Some("meeting"), Some(meeting_id.as_str())));
        assert!(body["id"].is_string() && body["time"].is_string(), "{body}");

        let log = deliveries(&app, &admin, &id).await;
        let d = &log["items"][0];
        assert_eq!((d["status"].as_str(), d["response_code"].as_i64(), d["attempts"].as_i64()), (Some("succeeded"), Some(200), Some(1)));
        assert_eq!(r.header("pnyx-webhook-id"), d["id"].as_str());
        assert_eq!(d["payload"], body);
        assert!(d["next_attempt_at"].is_null() && d["delivered_at"].is_string());
        assert_eq!(worker(&app, default_retry_policy()).run_once().await.unwrap().succeeded, 0, "sent once");
        assert_eq!(rx.received().len(), 1);
    }
}

on_both_databases! {
    async fn a_500_is_retried_with_back_off_under_the_same_id(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin", "official"]).await;
        let rx = Receiver::start().await;
        let hook = subscribe(&app, &admin, &rx.url, &["meeting.cancelled"]).await;
        let id = hook["id"].as_str().unwrap();
        let meeting_id = create(&app, &admin, &meeting(48, None)).await;
        cancel(&app, &admin, &meeting_id).await;

        rx.answer(500);
        let w = worker(&app, default_retry_policy());
        assert_eq!(w.run_once().await.unwrap().failed, 1);
        let d = deliveries(&app, &admin, id).await["items"][0].clone();
        assert_eq!((d["status"].as_str(), d["response_code"].as_i64(), d["attempts"].as_i64()), (Some("pending"), Some(500), Some(1)));
        assert!(d["last_error"].as_str().unwrap().contains("500"), "{d}");
        let next: chrono::DateTime<chrono::Utc> = d["next_attempt_at"].as_str().unwrap().parse().unwrap();
        let wait = next - app.clock.now();
        assert!(wait > Duration::seconds(30) && wait <= Duration::minutes(1), "{wait}");

        rx.answer(200);
        assert_eq!(w.run_once().await.unwrap().succeeded, 0, "not before its back-off");
        app.clock.advance(Duration::seconds(61));
        assert_eq!(w.run_once().await.unwrap().succeeded, 1);
        let got = rx.received();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].header("pnyx-webhook-id"), got[1].header("pnyx-webhook-id"), "receivers dedupe by it");
        assert_eq!(got[0].body, got[1].body);
        let d = deliveries(&app, &admin, id).await["items"][0].clone();
        assert_eq!((d["status"].as_str(), d["attempts"].as_i64(), d["response_code"].as_i64()), (Some("succeeded"), Some(2), Some(200)));
        assert!(d["last_error"].is_null());
    }
}

on_both_databases! {
    async fn repeated_failure_disables_the_webhook_and_tells_the_admins_and_redeliver_sends_again(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin", "official"]).await;
        let rx = Receiver::start().await;
        let hook = subscribe(&app, &admin, &rx.url, &["meeting.cancelled", "meeting.changed"]).await;
        let id = hook["id"].as_str().unwrap();
        let meeting_id = create(&app, &admin, &meeting(48, None)).await;
        cancel(&app, &admin, &meeting_id).await;

        rx.answer(503);
        let policy = RetryPolicy { first_delay: Duration::seconds(1), max_delay: Duration::seconds(1), max_attempts: 3, ..default_retry_policy() };
        let w = worker(&app, policy);
        for _ in 0..3 {
            assert_eq!(w.run_once().await.unwrap().failed, 1);
            app.clock.advance(Duration::seconds(2));
        }
        assert_eq!(rx.received().len(), 3);
        let d = deliveries(&app, &admin, id).await["items"][0].clone();
        assert_eq!((d["status"].as_str(), d["attempts"].as_i64()), (Some("failed"), Some(3)));
        assert!(d["next_attempt_at"].is_null());
        let shown = json_of(app.get(&format!("{HOOKS}/{id}"), Some(&admin.token)).await, 200).await;
        assert_eq!((shown["active"].as_bool(), shown["disabled_reason"].as_str()), (Some(false), Some("deliveries_failed")));

        // The admin is told in the app and by e-mail.
        let notes = json_of(app.get("/api/v1/me/notifications", Some(&admin.token)).await, 200).await;
        assert_eq!(notes["items"][0]["kind"], "webhook.disabled");
        assert_eq!(notes["items"][0]["payload"]["webhook_id"], id);
        let mails = app.mails("admin@mesto.sk", "notification").await;
        assert_eq!(mails.iter().filter(|m| m["kind"] == "webhook.disabled").count(), 1);

        // Disabled: nothing more is queued or sent, and it cannot be pinged or redelivered.
        let other_meeting = create(&app, &admin, &meeting(72, None)).await;
        cancel(&app, &admin, &other_meeting).await;
        assert_eq!(deliveries(&app, &admin, id).await["total"], 1, "a disabled webhook gets no new events");
        assert_eq!(assert_problem(app.post(&format!("{HOOKS}/{id}/ping"), Some(&admin.token), &json!({})).await, 409).await["code"], "invalid-transition");
        let did = d["id"].as_str().unwrap();
        let redeliver = format!("{HOOKS}/{id}/deliveries/{did}/redeliver");
        assert_problem(app.post(&redeliver, Some(&admin.token), &json!({})).await, 409).await;

        // Enabled again by the admin, the failed delivery is redelivered on request.
        let on = json_of(app.patch(&format!("{HOOKS}/{id}"), Some(&admin.token), &json!({"active": true})).await, 200).await;
        assert_eq!((on["active"].as_bool(), on["disabled_reason"].as_str()), (Some(true), None));
        rx.answer(204);
        let again = json_of(app.post(&redeliver, Some(&admin.token), &json!({})).await, 202).await;
        assert_eq!((again["status"].as_str(), again["attempts"].as_i64()), (Some("pending"), Some(0)));
        assert_eq!(w.run_once().await.unwrap().succeeded, 1);
        let got = rx.received();
        assert_eq!(got.len(), 4);
        assert_eq!(got[3].header("pnyx-webhook-id"), Some(did));
        let nothing = uuid::Uuid::now_v7();
        assert_problem(app.post(&format!("{HOOKS}/{id}/deliveries/{nothing}/redeliver"), Some(&admin.token), &json!({})).await, 404).await;
    }
}

on_both_databases! {
    async fn a_ping_is_signed_with_the_rotated_secret(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let rx = Receiver::start().await;
        let hook = subscribe(&app, &admin, &rx.url, &["consultation.opened"]).await;
        let id = hook["id"].as_str().unwrap();
        let old = hook["secret"].as_str().unwrap().to_owned();
        let rotated = json_of(app.post(&format!("{HOOKS}/{id}/secret"), Some(&admin.token), &json!({})).await, 200).await;
        let new = rotated["secret"].as_str().unwrap().to_owned();
        assert_ne!(old, new);

        let ping = json_of(app.post(&format!("{HOOKS}/{id}/ping"), Some(&admin.token), &json!({})).await, 202).await;
        assert_eq!((ping["event_type"].as_str(), ping["status"].as_str()), (Some("ping"), Some("pending")));
        assert_eq!(worker(&app, default_retry_policy()).run_once().await.unwrap().succeeded, 1);
        let r = &rx.received()[0];
        let ts = r.header("pnyx-webhook-timestamp").unwrap();
        assert_eq!(r.header("pnyx-webhook-signature").unwrap(), expected_signature(&new, ts, &r.body));
        assert_ne!(r.header("pnyx-webhook-signature").unwrap(), expected_signature(&old, ts, &r.body), "the old secret no longer signs");
        assert_eq!((r.json()["type"].as_str(), r.json()["resource"]["id"].as_str()), (Some("ping"), Some(id)));

        let log = app.get("/api/v1/orgs/mesto/audit-log", None).await.text().await.unwrap();
        assert!(log.contains("webhook.created") && log.contains("webhook.secret_rotated"), "{log}");
        assert!(!log.contains(&new) && !log.contains("127.0.0.1"), "the log holds neither secret nor address");

        assert_eq!(app.delete(&format!("{HOOKS}/{id}"), Some(&admin.token)).await.status(), 204);
        assert_problem(app.get(&format!("{HOOKS}/{id}"), Some(&admin.token)).await, 404).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM webhook_deliveries").await, 0, "the log goes with it");
    }
}

on_both_databases! {
    async fn only_the_organisations_admins_manage_its_webhooks(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let official = app.register("official@mesto.sk").await;
        app.grant("mesto", official.id, &["official"]).await;
        let resident = app.register("jana@example.sk").await;
        let elsewhere = app.org_with_member("obec", "admin@obec.sk", &["admin"]).await;
        let hook = subscribe(&app, &admin, "http://127.0.0.1:9/hook", &["meeting.cancelled"]).await;
        let id = hook["id"].as_str().unwrap();
        let body = json!({"url": "https://hooks.example.org/x", "events": ["meeting.cancelled"]});
        for who in [&official, &resident, &elsewhere] {
            assert_problem(app.get(HOOKS, Some(&who.token)).await, 403).await;
            assert_problem(app.post(HOOKS, Some(&who.token), &body).await, 403).await;
            assert_problem(app.get(&format!("{HOOKS}/{id}/deliveries"), Some(&who.token)).await, 403).await;
            assert_problem(app.post(&format!("{HOOKS}/{id}/secret"), Some(&who.token), &json!({})).await, 403).await;
            assert_problem(app.delete(&format!("{HOOKS}/{id}"), Some(&who.token)).await, 403).await;
        }
        assert_problem(app.get(HOOKS, None).await, 401).await;
        assert_problem(app.post(&format!("{HOOKS}/{id}/ping"), None, &json!({})).await, 401).await;
        // Another organisation's admin does not find it under their own organisation either.
        assert_problem(app.get(&format!("/api/v1/orgs/obec/webhooks/{id}"), Some(&elsewhere.token)).await, 404).await;
        assert_problem(app.get("/api/v1/orgs/nikde/webhooks", Some(&admin.token)).await, 404).await;
        let list = json_of(app.get(HOOKS, Some(&admin.token)).await, 200).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "nothing was made by the others");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM webhook_deliveries").await, 0);
    }
}

on_both_databases! {
    async fn unusable_addresses_and_event_types_are_422_and_nothing_is_made(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        for url in [
            "not a url",
            "ftp://hooks.example.org/",
            "http://hooks.example.org/",
            "https://user:pw@hooks.example.org/",
            "https://10.0.0.7/hook",
            "https://169.254.169.254/latest",
            "http://10.0.0.7/hook",
            "",
        ] {
            let p = assert_problem(app.post(HOOKS, Some(&admin.token), &json!({"url": url, "events": ["meeting.cancelled"]})).await, 422).await;
            assert_eq!(error_fields(&p), vec!["url".to_owned()], "{url}: {p}");
        }
        for events in [json!([]), json!(["meeting.exploded"]), json!(["ping"])] {
            let p = assert_problem(app.post(HOOKS, Some(&admin.token), &json!({"url": "https://hooks.example.org/", "events": events})).await, 422).await;
            assert!(error_fields(&p).iter().any(|f| f.starts_with("events")), "{events}: {p}");
        }
        let long = format!("https://hooks.example.org/{}", "a".repeat(2048));
        assert_problem(app.post(HOOKS, Some(&admin.token), &json!({"url": long, "events": ["meeting.cancelled"]})).await, 422).await;
        assert_eq!(json_of(app.get(HOOKS, Some(&admin.token)).await, 200).await["items"], json!([]));

        let ok = subscribe(&app, &admin, "https://hooks.example.org/pnyx", &["meeting.cancelled", "meeting.cancelled"]).await;
        assert_eq!(ok["events"], json!(["meeting.cancelled"]), "repeats are dropped");
        let id = ok["id"].as_str().unwrap();
        let p = assert_problem(app.patch(&format!("{HOOKS}/{id}"), Some(&admin.token), &json!({"url": "https://192.168.1.1/"})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["url".to_owned()]);
        let kept = json_of(app.get(&format!("{HOOKS}/{id}"), Some(&admin.token)).await, 200).await;
        assert_eq!(kept["url"], "https://hooks.example.org/pnyx", "a refused change changes nothing");
    }
}

on_both_databases! {
    async fn two_workers_send_each_delivery_once(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let rx = Receiver::start().await;
        let hook = subscribe(&app, &admin, &rx.url, &["meeting.cancelled"]).await;
        let id = hook["id"].as_str().unwrap();
        for _ in 0..12 {
            json_of(app.post(&format!("{HOOKS}/{id}/ping"), Some(&admin.token), &json!({})).await, 202).await;
        }
        let second = app.another_server().await;
        let drain = |w: WebhookWorker| async move {
            let mut sent = 0;
            loop {
                let round = w.run_once().await.unwrap();
                if round.succeeded + round.failed == 0 {
                    return sent;
                }
                sent += round.succeeded;
            }
        };
        let small = RetryPolicy { batch: 2, ..default_retry_policy() };
        let (a, b) = tokio::join!(drain(worker(&app, small)), drain(worker(&second, small)));
        assert_eq!(a + b, 12);
        let got = rx.received();
        let mut ids: Vec<&str> = got.iter().filter_map(|r| r.header("pnyx-webhook-id")).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!((got.len(), ids.len()), (12, 12), "each once");
    }
}
