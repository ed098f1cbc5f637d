//! Webhook delivery over HTTP(S) with reqwest: a 10-second time limit, no redirects followed,
//! and (unless loopback receivers are allowed for development) names that resolve to this
//! machine or an internal network refused, so a subscription cannot reach the server's
//! neighbours. Also starts the webhook worker and the consultation-opening announcer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use pnyx_domain::clock::Clock;
use pnyx_domain::repo::Store;
use pnyx_domain::webhooks::{WebhookSender, WebhookWorker, default_retry_policy, is_internal};

use crate::config::Settings;

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Resolves names to public addresses only.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs.into_iter().filter(|a| !is_internal(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// Posts deliveries with reqwest.
pub struct HttpSender {
    client: reqwest::Client,
}

impl HttpSender {
    /// A sender; `allow_loopback` lets names resolve to internal addresses (development, tests).
    ///
    /// # Panics
    /// When the TLS backend cannot be set up (a broken build).
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn new(allow_loopback: bool) -> Self {
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(30));
        if !allow_loopback {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        HttpSender { client: builder.build().expect("an HTTP client for webhooks") }
    }
}

#[async_trait::async_trait]
impl WebhookSender for HttpSender {
    async fn post(&self, url: &str, headers: &[(&'static str, String)], body: &str) -> Result<u16, String> {
        let mut req = self.client.post(url).body(body.to_owned());
        for (name, value) in headers {
            req = req.header(*name, value);
        }
        match req.send().await {
            Ok(res) => Ok(res.status().as_u16()),
            Err(e) if e.is_timeout() => Err(format!("no answer within {} seconds", TIMEOUT.as_secs())),
            Err(e) => Err(pnyx_domain::repo::cause_chain(&e)),
        }
    }
}

/// Starts the webhook worker.
pub fn spawn_worker(settings: &Settings, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> tokio::task::JoinHandle<()> {
    let sender = Arc::new(HttpSender::new(settings.webhooks_allow_http_loopback));
    let worker = WebhookWorker::new(store, sender, clock, default_retry_policy());
    tokio::spawn(worker.run(Duration::from_millis(settings.webhook_poll_ms)))
}

/// Starts the worker that announces consultations as their opening time passes.
pub fn spawn_opening_announcer(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> tokio::task::JoinHandle<()> {
    let announcer = pnyx_domain::consultations::openings::OpeningAnnouncer::new(store, clock);
    tokio::spawn(announcer.run(Duration::from_secs(30)))
}
