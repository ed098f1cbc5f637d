//! Delivery through a real SMTP server (aiosmtpd, `tests/smtp/server.py`, started per test on a
//! free port): what arrives, in the recipient's language, with a link that works; retries while
//! the server is down; several workers sending each message once; a lost lease sent again.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use chrono::Duration;
use pnyx_domain::clock::Clock;
use pnyx_domain::mail::{OutboxMail, OutboxRepo, OutboxWorker, RetryPolicy, kind};
use pnyx_domain::repo::Store;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json_of};
use crate::on_both_databases;

const PUBLIC_URL: &str = "https://pnyx.example";

/// A running aiosmtpd that writes what it receives to a temporary folder; killed on drop.
pub(crate) struct SmtpServer {
    child: Child,
    dir: PathBuf,
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp/.venv/bin/python");
    assert!(venv.exists(), "run scripts/setup.sh: it makes tests/smtp/.venv with aiosmtpd");
    venv
}

impl SmtpServer {
    fn start_on(port: u16) -> Self {
        let dir = std::env::temp_dir().join(format!("pnyx-smtp-{}", uuid::Uuid::new_v4()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp/server.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(port.to_string())
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start aiosmtpd");
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
        assert_eq!(line.trim(), "ready", "aiosmtpd did not start");
        SmtpServer { child, dir, port }
    }

    pub(crate) fn start() -> Self {
        Self::start_on(free_port())
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// What arrived, oldest first.
    pub(crate) fn received(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn worker(app: &TestApp, smtp_url: &str, policy: RetryPolicy) -> OutboxWorker {
    let mailer = pnyx::mail::SmtpMailer::new(smtp_url, "Pnyx <noreply@pnyx.example>".parse().unwrap()).unwrap();
    let store: Arc<dyn Store> = Arc::new(app.db.clone());
    OutboxWorker::new(store, Arc::new(mailer), app.clock.clone(), PUBLIC_URL, policy)
}

pub(crate) fn header<'a>(mail: &'a Value, name: &str) -> Option<&'a str> {
    mail["headers"].as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
}

/// The token of the link in a received message's text.
fn link_token(mail: &Value, path: &str) -> String {
    let text = mail["text"].as_str().unwrap();
    let prefix = format!("{PUBLIC_URL}{path}?token=");
    let start = text.find(&prefix).unwrap_or_else(|| panic!("no {prefix} link in {text}")) + prefix.len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

on_both_databases! {
    async fn a_verification_mail_arrives_in_the_residents_language_and_its_link_works(app) {
        let smtp = SmtpServer::start();
        let body = json!({"email": "jana@example.sk", "password": crate::helpers::password(), "display_name": "Jana", "locale": "sk"});
        assert_eq!(app.post("/api/v1/auth/register", None, &body).await.status(), 202);
        let body = json!({"email": "milan@example.rs", "password": crate::helpers::password(), "display_name": "Milan", "locale": "sr-Cyrl"});
        assert_eq!(app.post("/api/v1/auth/register", None, &body).await.status(), 202);
        let round = worker(&app, &smtp.url(), RetryPolicy::default()).run_once().await.unwrap();
        assert_eq!((round.sent, round.failed), (2, 0));

        let got = smtp.received();
        assert_eq!(got.len(), 2);
        let jana = got.iter().find(|m| m["rcpt_tos"] == json!(["jana@example.sk"])).expect("jana's mail");
        assert_eq!(jana["subject"], "Potvrďte svoju e-mailovú adresu");
        assert_eq!(header(jana, "Content-Language"), Some("sk"));
        assert!(header(jana, "List-Unsubscribe").is_none(), "account mail has no unsubscribe link");
        assert!(jana["html"].as_str().unwrap().contains("href=\"https://pnyx.example/verify-email?token="));
        let milan = got.iter().find(|m| m["rcpt_tos"] == json!(["milan@example.rs"])).expect("milan's mail");
        assert_eq!(milan["subject"], "Потврдите своју адресу е-поште");
        assert!(milan["text"].as_str().unwrap().contains("Milan"), "names are not transliterated");

        let token = link_token(jana, "/verify-email");
        let session = json_of(app.verify_email(&token).await, 200).await;
        assert_eq!(session["user"]["email_verified"], true);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NOT NULL").await, 2);
        let left = app.mails("jana@example.sk", kind::VERIFY_EMAIL).await;
        assert_eq!(left, vec![json!({})], "the sent message's token is erased from the outbox");

        assert_eq!(worker(&app, &smtp.url(), RetryPolicy::default()).run_once().await.unwrap().sent, 0, "sent once");
        assert_eq!(smtp.received().len(), 2);
    }
}

on_both_databases! {
    async fn the_worker_retries_with_back_off_while_the_server_is_down_and_delivers_once_it_is_up(app) {
        let port = free_port();
        let url = format!("smtp://127.0.0.1:{port}");
        app.register_only("jana@example.sk").await;
        let w = worker(&app, &url, RetryPolicy::default());
        let round = w.run_once().await.unwrap();
        assert_eq!((round.sent, round.failed), (0, 1), "nobody listens");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM mail_outbox WHERE attempts = 1 AND sent_at IS NULL AND failed_at IS NULL").await, 1);
        assert_eq!(w.run_once().await.unwrap(), Default::default(), "not due again before its back-off");

        let smtp = SmtpServer::start_on(port);
        app.clock.advance(Duration::seconds(20));
        assert_eq!(w.run_once().await.unwrap().sent, 0, "not before 30 seconds after the first failure");
        app.clock.advance(Duration::seconds(11));
        assert_eq!(w.run_once().await.unwrap().sent, 1);
        let got = smtp.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["rcpt_tos"], json!(["jana@example.sk"]));
        assert_eq!(got[0]["subject"], "Confirm your e-mail address");
    }
}

on_both_databases! {
    async fn two_workers_send_each_message_once(app) {
        let smtp = SmtpServer::start();
        let now = app.clock.now();
        for i in 0..24 {
            let mail = OutboxMail::new(kind::REGISTRATION_ATTEMPT, &format!("r{i}@example.sk"), pnyx_domain::i18n::Locale::En, None, json!({"name": format!("R{i}")}), now);
            app.db.enqueue_mail(&mail).await.unwrap();
        }
        let policy = RetryPolicy { batch: 3, ..RetryPolicy::default() };
        let (a, b) = (worker(&app, &smtp.url(), policy), worker(&app, &smtp.url(), policy));
        let drain = |w: OutboxWorker| async move {
            let mut sent = 0;
            loop {
                let round = w.run_once().await.unwrap();
                assert_eq!(round.failed, 0);
                if round.sent == 0 {
                    return sent;
                }
                sent += round.sent;
            }
        };
        let (sa, sb) = tokio::join!(tokio::spawn(drain(a)), tokio::spawn(drain(b)));
        let (sa, sb) = (sa.unwrap(), sb.unwrap());
        assert_eq!(sa + sb, 24, "{sa} + {sb}");
        let got = smtp.received();
        let mut to: Vec<String> = got.iter().map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned()).collect();
        to.sort();
        to.dedup();
        assert_eq!((got.len(), to.len()), (24, 24), "each message arrived exactly once");
    }
}

on_both_databases! {
    async fn a_message_claimed_by_a_worker_that_died_is_sent_after_its_lease(app) {
        let smtp = SmtpServer::start();
        app.register_only("jana@example.sk").await;
        let now = app.clock.now();
        // A worker claims it and dies before sending.
        let claimed = app.db.claim_mail(uuid::Uuid::new_v4(), now, now + Duration::minutes(5), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        let w = worker(&app, &smtp.url(), RetryPolicy::default());
        assert_eq!(w.run_once().await.unwrap().sent, 0, "leased to the other worker");
        app.clock.advance(Duration::minutes(6));
        assert_eq!(w.run_once().await.unwrap().sent, 1, "the lease ended");
        assert_eq!(smtp.received().len(), 1);
    }
}
