//! E-mail delivery with lettre, behind the domain's [`Mailer`] port: SMTP when `PNYX_SMTP_URL`
//! is set, otherwise `.eml` files in a folder (`PNYX_MAIL_DIR`) with their links in the log, so a
//! server without a mail server still works. And the outbox worker `pnyx serve` runs.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use pnyx_domain::clock::Clock;
use pnyx_domain::mail::{MailError, Mailer, OutboxWorker, RenderedMail, RetryPolicy};
use pnyx_domain::repo::Store;

use crate::config::Settings;

/// A mail setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("PNYX_MAIL_FROM: `{0}` is not an address (e.g. `Pnyx <noreply@example.org>`)")]
    BadFrom(String),
    #[error("PNYX_SMTP_URL: {0}")]
    BadSmtpUrl(String),
    #[error("PNYX_MAIL_DIR: cannot create {0}: {1}")]
    MailDir(PathBuf, std::io::Error),
}

/// The MIME message of a rendered mail: plain text with an HTML alternative, the language, and
/// for mail that is not about the account the one-click unsubscribe pair (RFC 2369, RFC 8058).
///
/// # Errors
/// A recipient that is not an address (permanent), or a message lettre cannot build.
pub fn message(from: &Mailbox, mail: &RenderedMail) -> Result<Message, MailError> {
    let to: Mailbox = mail.to.parse().map_err(|e| MailError::Permanent(format!("recipient `{}`: {e}", mail.to)))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Content-Language"), mail.language.clone()))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".to_owned()));
    if let Some(url) = &mail.unsubscribe_url {
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
        .map_err(|e| MailError::Permanent(e.to_string()))
}

/// Sends through an SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// An SMTP mailer for `url` (`smtp://host:port`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host`).
    ///
    /// # Errors
    /// A URL lettre cannot use.
    pub fn new(url: &str, from: Mailbox) -> Result<Self, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailConfigError::BadSmtpUrl(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(SmtpMailer { transport, from })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &RenderedMail) -> Result<(), MailError> {
        let msg = message(&self.from, mail)?;
        match self.transport.send(msg).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Temporary(pnyx_domain::repo::cause_chain(&e))),
        }
    }
}

/// Writes each message as an `.eml` file into a folder and logs its link: development without a
/// mail server.
pub struct FolderMailer {
    transport: AsyncFileTransport<Tokio1Executor>,
    dir: PathBuf,
    from: Mailbox,
}

impl FolderMailer {
    /// # Errors
    /// When the folder cannot be created.
    pub fn new(dir: PathBuf, from: Mailbox) -> Result<Self, MailConfigError> {
        std::fs::create_dir_all(&dir).map_err(|e| MailConfigError::MailDir(dir.clone(), e))?;
        Ok(FolderMailer { transport: AsyncFileTransport::new(&dir), dir, from })
    }
}

#[async_trait::async_trait]
impl Mailer for FolderMailer {
    async fn send(&self, mail: &RenderedMail) -> Result<(), MailError> {
        let msg = message(&self.from, mail)?;
        let id = self.transport.send(msg).await.map_err(|e| MailError::Temporary(e.to_string()))?;
        let file = self.dir.join(format!("{id}.eml"));
        tracing::info!(
            to = %mail.to,
            subject = %mail.subject,
            link = mail.link.as_deref().unwrap_or_default(),
            file = %file.display(),
            "mail written to the folder (PNYX_SMTP_URL is not set)"
        );
        Ok(())
    }
}

/// The mailer the settings ask for.
///
/// # Errors
/// A bad sender, SMTP URL or mail folder.
pub fn mailer(settings: &Settings) -> Result<Arc<dyn Mailer>, MailConfigError> {
    let from: Mailbox = settings.mail_from.parse().map_err(|_| MailConfigError::BadFrom(settings.mail_from.clone()))?;
    match settings.smtp_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => Ok(Arc::new(SmtpMailer::new(url, from)?)),
        None => {
            let dir = settings.mail_dir_or_default();
            tracing::info!(dir = %dir.display(), "PNYX_SMTP_URL is not set: e-mail is written to a folder");
            Ok(Arc::new(FolderMailer::new(dir, from)?))
        }
    }
}

/// Starts the outbox worker on the runtime: it sends what the outbox holds, every
/// `PNYX_MAIL_POLL_MS` when idle.
///
/// # Errors
/// A bad mail setting.
pub fn spawn_worker(
    settings: &Settings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> Result<tokio::task::JoinHandle<()>, MailConfigError> {
    let keys = pnyx_domain::notifications::UnsubscribeKeys::new(
        secrecy::ExposeSecret::expose_secret(&settings.jwt_secret_or_random()).as_bytes(),
    );
    let worker = OutboxWorker::new(store, mailer(settings)?, clock, &settings.public_url, RetryPolicy::default())
        .with_unsubscribe_keys(keys);
    let poll = Duration::from_millis(settings.mail_poll_ms);
    Ok(tokio::spawn(worker.run(poll)))
}

/// Starts the daily digest worker: each user's digest of the day, from `PNYX_DIGEST_HOUR` (UTC)
/// on, checked once a minute.
pub fn spawn_digest_worker(
    settings: &Settings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> tokio::task::JoinHandle<()> {
    let worker = pnyx_domain::notifications::digest::DigestWorker::new(store, clock, settings.digest_hour);
    tokio::spawn(worker.run(Duration::from_secs(60)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rendered(unsubscribe: Option<&str>) -> RenderedMail {
        RenderedMail {
            to: "jana@example.sk".into(),
            subject: "Potvrďte adresu".into(),
            text: "Text".into(),
            html: "<p>Text</p>".into(),
            language: "sk".into(),
            unsubscribe_url: unsubscribe.map(str::to_owned),
            link: None,
        }
    }

    #[test]
    fn mail_about_the_account_has_no_unsubscribe_header_and_other_mail_has_the_one_click_pair() {
        let from: Mailbox = "Pnyx <noreply@example.org>".parse().unwrap();
        let plain = String::from_utf8(message(&from, &rendered(None)).unwrap().formatted()).unwrap();
        assert!(!plain.contains("List-Unsubscribe"));
        assert!(plain.contains("Content-Language: sk") && plain.contains("multipart/alternative"));
        let url = "https://pnyx.example/api/v1/unsubscribe?token=abc";
        let news = String::from_utf8(message(&from, &rendered(Some(url))).unwrap().formatted()).unwrap();
        assert!(news.contains(&format!("List-Unsubscribe: <{url}>")), "{news}");
        assert!(news.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    }

    #[test]
    fn a_recipient_that_is_not_an_address_is_a_permanent_failure() {
        let from: Mailbox = "noreply@example.org".parse().unwrap();
        let mut bad = rendered(None);
        bad.to = "not an address".into();
        assert!(matches!(message(&from, &bad), Err(MailError::Permanent(_))));
    }
}
