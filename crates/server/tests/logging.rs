//! What an operator reads: the real `pnyx` binary, logging JSON, answers a request that fails in
//! the database with a 500 carrying `X-Request-Id`, and logs exactly one line for it, with the same
//! request id and the cause chain down to the database's own message.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pnyx_persistence::{Db, PoolSettings};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn a_forced_500_logs_one_line_with_the_request_id_and_the_cause_chain() {
    let dir = std::env::temp_dir().join(format!("pnyx-log-{}", uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("pnyx.db").display());
    let db = Db::connect(&url, &PoolSettings::default()).await.unwrap();
    db.migrate().await.unwrap();
    // Every registration fails inside the database.
    db.connection()
        .execute_unprepared(
            "CREATE TRIGGER forced BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'forced failure in users'); END",
        )
        .await
        .unwrap();
    db.close().await.unwrap();

    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_pnyx"))
        .arg("serve")
        .env("PNYX_DATABASE_URL", &url)
        .env("PNYX_BIND", format!("127.0.0.1:{port}"))
        .env("PNYX_LOG", "info")
        .env("PNYX_LOG_FORMAT", "json")
        .env("PNYX_STATIC_DIR", "/nonexistent")
        .env("PNYX_WORKERS", "1")
        .env("PNYX_JWT_SECRET", "a-test-secret-that-is-long-enough-for-hs256")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        assert!(server.0.try_wait().unwrap().is_none(), "our server exited before it answered");
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "our server did not start on port {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let res = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": "a@example.org", "password": "correct horse battery staple", "display_name": "A", "locale": "en"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    let id = res.headers().get("x-request-id").expect("X-Request-Id").to_str().unwrap().to_owned();
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "internal");
    assert!(!problem.to_string().contains("forced failure"), "the cause stays out of the response: {problem}");

    // A second request has another id.
    let ok = client.get(format!("{base}/api/v1/orgs")).send().await.unwrap();
    let other = ok.headers().get("x-request-id").expect("X-Request-Id").to_str().unwrap().to_owned();
    assert_ne!(id, other);

    let _ = server.0.kill();
    let _ = server.0.wait();
    let mut out = String::new();
    server.0.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    let lines: Vec<Value> = out.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let mentioning: Vec<&Value> = lines.iter().filter(|l| l.to_string().contains("forced failure")).collect();
    assert_eq!(mentioning.len(), 1, "the cause is logged once: {out}");
    let line = mentioning[0];
    assert_eq!(line["level"], "ERROR", "{line}");
    assert_eq!(line["span"]["request_id"], id.as_str(), "{line}");
    assert_eq!(line["fields"]["status"], 500, "{line}");
    let cause = line["fields"]["cause"].as_str().unwrap();
    assert!(cause.contains("forced failure in users"), "the database's own message ends the chain: {cause}");
    let with_id = lines.iter().filter(|l| l["span"]["request_id"] == id.as_str()).count();
    assert_eq!(with_id, 1, "one line for the failed request: {out}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}-{nanos}", std::process::id())
}
