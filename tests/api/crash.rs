//! `kill -9`: the real `pnyx` binary is killed after changes queued their e-mail and before its
//! outbox worker sent it; started again, it sends every message, each once.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{TestApp, json_of};
use crate::mail_delivery::SmtpServer;
use crate::meetings::{create, meeting};
use crate::on_both_databases;

/// `target/debug/pnyx`, beside the directory of this test binary (`target/debug/deps`).
pub(crate) fn pnyx_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(|d| d.parent()).unwrap().join("pnyx");
    assert!(bin.exists(), "build the server first: cargo build -p pnyx ({})", bin.display());
    bin
}

/// The server as an operator runs it, on `app`'s database; killed (SIGKILL) on drop.
pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
}

impl Server {
    async fn start(app: &TestApp, smtp_url: &str, poll_ms: u64) -> Server {
        let envs = [("PNYX_SMTP_URL", smtp_url.to_owned()), ("PNYX_MAIL_POLL_MS", poll_ms.to_string())];
        Server::on(app.database_url(), &envs).await
    }

    /// `pnyx serve` on the database at `url` (migrated by it), with the tests' JWT secret and
    /// `envs` set, once its `/readyz` answers.
    pub(crate) async fn on(url: &str, envs: &[(&str, String)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(pnyx_binary())
            .arg("serve")
            .env("PNYX_DATABASE_URL", url)
            .env("PNYX_BIND", format!("127.0.0.1:{port}"))
            .env("PNYX_JWT_SECRET", "test-secret-that-is-long-enough-for-hs256")
            .env("PNYX_STATIC_DIR", "/nonexistent")
            .env("PNYX_LOG", "warn")
            // Mail without an SMTP server is written as files: into the system's temporary
            // folder, never the checkout (the working directory of the tests).
            .env("PNYX_MAIL_DIR", std::env::temp_dir().join("pnyx-crash-mail"))
            .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pnyx");
        let address = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while reqwest::get(format!("{address}/readyz")).await.map(|r| r.status().is_success()).ok() != Some(true) {
            assert!(Instant::now() < deadline, "pnyx did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Server { child, address }
    }

    pub(crate) fn kill_9(mut self) {
        self.child.kill().unwrap(); // SIGKILL: no shutdown, no flushing
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the outbox holds no unsent message.
async fn wait_until_sent(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while app.scalar("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL").await > 0 {
        assert!(Instant::now() < deadline, "the outbox was not sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

on_both_databases! {
    async fn no_message_is_lost_or_sent_twice_when_the_server_is_killed_before_sending(app) {
        let smtp = SmtpServer::start();
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let mut residents = Vec::new();
        for i in 0..5 {
            residents.push(app.register(&format!("r{i}@example.sk")).await);
        }
        let meetings: Vec<String> = {
            let mut ids = Vec::new();
            for _ in 0..3 {
                ids.push(create(&app, &official, &meeting(48, None)).await);
            }
            ids
        };
        for r in &residents {
            for id in &meetings {
                let res = app.put(&format!("/api/v1/me/follows/meeting/{id}"), Some(&r.token), &json!({})).await;
                json_of(res, 200).await;
            }
        }

        // The real server, whose worker looks at the outbox only every ten minutes: the
        // cancellations queue 15 e-mails it has not sent when it is killed.
        let server = Server::start(&app, &smtp.url(), 600_000).await;
        // Its first round sends the verification mails already queued; then it sleeps.
        wait_until_sent(&app).await;
        let client = reqwest::Client::new();
        for id in &meetings {
            let res = client
                .post(format!("{}/api/v1/orgs/mesto/meetings/{id}/transitions", server.address))
                .bearer_auth(&official.token)
                .json(&json!({"to": "cancelled", "reason": "Sála je zaplavená."}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
        }
        server.kill_9();
        let queued = app.scalar("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'notification' AND sent_at IS NULL").await;
        assert_eq!(queued, 15, "committed with the changes, not sent");

        // Started again, it sends everything that was queued, each once.
        let _server = Server::start(&app, &smtp.url(), 50).await;
        wait_until_sent(&app).await;
        let total = app.scalar("SELECT COUNT(*) FROM mail_outbox").await;
        let got: Vec<Value> = smtp.received();
        assert_eq!(i64::try_from(got.len()).unwrap(), total, "every message arrived once");
        let notices: Vec<&Value> = got.iter().filter(|m| m["subject"].as_str().is_some_and(|s| s.contains("cancelled"))).collect();
        assert_eq!(notices.len(), 15);
        for r in 0..5 {
            let to = json!([format!("r{r}@example.sk")]);
            assert_eq!(notices.iter().filter(|m| m["rcpt_tos"] == to).count(), 3, "r{r}: one per meeting");
        }
    }
}
