//! Settings from environment variables (or flags), each with a documented default. Bad values
//! stop the start with one line naming the variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use secrecy::SecretString;

/// Where the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    /// Local use: a random JWT secret is generated if none is set; cookies are not `Secure`.
    Development,
    /// Behind HTTPS: `PNYX_JWT_SECRET` is required; cookies are `Secure`.
    Production,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The server's settings.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database URL: `sqlite://path?mode=rwc` (embedded) or `postgres://user@host/db`.
    #[arg(long, env = "PNYX_DATABASE_URL", default_value = "sqlite://data/pnyx.db?mode=rwc", global = true)]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long, env = "PNYX_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,

    /// `development` or `production`.
    #[arg(long, env = "PNYX_ENV", value_enum, default_value = "development", global = true)]
    pub env: Environment,

    /// Secret for signing access tokens (at least 32 characters). Required in production; in
    /// development a random one is generated (sessions then end at restart).
    #[arg(long, env = "PNYX_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<SecretString>,

    /// Earlier JWT secrets, comma-separated: access tokens they signed still verify (each token
    /// names its key), so the secret can be rotated without signing everyone out. Drop one after
    /// the access tokens' lifetime (15 minutes).
    #[arg(long, env = "PNYX_JWT_PREVIOUS_SECRETS", hide_env_values = true, value_delimiter = ',', global = true)]
    pub jwt_previous_secrets: Vec<SecretString>,

    /// Origins of third-party web apps allowed to call the API from a browser (CORS), comma-separated,
    /// e.g. `https://app.example.org`. Empty (the default): no cross-origin access.
    #[arg(long, env = "PNYX_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,

    /// Log filter in `tracing` syntax, e.g. `info` or `pnyx=debug,sqlx=warn`.
    #[arg(long, env = "PNYX_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log format: `text` or `json`.
    #[arg(long, env = "PNYX_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// Folder of the built web app (served at `/` with `index.html` for client routes); skipped if absent.
    #[arg(long, env = "PNYX_STATIC_DIR", default_value = "frontend/dist", global = true)]
    pub static_dir: PathBuf,

    /// Most database connections in the pool.
    #[arg(long, env = "PNYX_DB_MAX_CONNECTIONS", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub db_max_connections: u32,

    /// HTTP worker threads (0: one per CPU core).
    #[arg(long, env = "PNYX_WORKERS", default_value_t = 0, global = true)]
    pub workers: usize,

    /// Milliseconds a request waits for participatory-budget results being computed before it is
    /// answered 503 with `Retry-After` (the computation goes on and its result is cached).
    #[arg(long, env = "PNYX_RESULTS_TIME_LIMIT_MS", default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000), global = true)]
    pub results_time_limit_ms: u64,

    /// Pages of search results kept in memory, each under the organisation's index version (so
    /// never stale, also with several servers on one database); 0 keeps none (requests for a page
    /// being computed still share that computation).
    #[arg(long, env = "PNYX_SEARCH_CACHE_PAGES", default_value_t = pnyx_domain::search::DEFAULT_CACHED_PAGES, global = true)]
    pub search_cache_pages: u64,

    /// How long each server keeps an organisation as the context of the requests under it
    /// (`/orgs/{slug}/…`), in milliseconds: a change made through another server reaches them
    /// within this time (on the server that made it, at once); 0 reads it for every request.
    #[arg(long, env = "PNYX_ORG_CONTEXT_TTL_MS", default_value_t = u64::try_from(pnyx_domain::org::CONTEXT_TTL.as_millis()).unwrap_or(1_000), value_parser = clap::value_parser!(u64).range(0..=3_600_000), global = true)]
    pub org_context_ttl_ms: u64,

    /// Multiplies every rate limit (`1`: as documented; `0` turns them off, except failed logins
    /// of one account from one address, which always count).
    #[arg(long, env = "PNYX_RATE_LIMIT_SCALE", default_value_t = 1.0, global = true)]
    pub rate_limit_scale: f64,

    /// Take clients' addresses from `Forwarded`/`X-Forwarded-For` (only behind a proxy that sets
    /// them; otherwise clients could pick their own address and escape the rate limits).
    #[arg(long, env = "PNYX_TRUST_FORWARDED", default_value_t = false, global = true)]
    pub trust_forwarded: bool,
    /// Rows an open-data download reads from the database per query while it streams (memory
    /// held per download is one page).
    #[arg(long, env = "PNYX_OPEN_DATA_PAGE_ROWS", default_value_t = pnyx_domain::opendata::PAGE_ROWS, value_parser = clap::value_parser!(u64).range(1..=100_000), global = true)]
    pub open_data_page_rows: u64,

    /// The site's public address: links in e-mail start with it (never with a request's `Host`).
    #[arg(long, env = "PNYX_PUBLIC_URL", default_value = "http://localhost:8080", global = true)]
    pub public_url: String,

    /// SMTP server for e-mail, e.g. `smtp://127.0.0.1:2525`, `smtp://user:pass@mail.example.org:587?tls=required`
    /// or `smtps://…`. Unset: messages are written as `.eml` files to `PNYX_MAIL_DIR`.
    #[arg(long, env = "PNYX_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// The sender of e-mail.
    #[arg(long, env = "PNYX_MAIL_FROM", default_value = "Pnyx <noreply@localhost>", global = true)]
    pub mail_from: String,

    /// Folder for `.eml` files when `PNYX_SMTP_URL` is unset (default: `mail` beside the SQLite
    /// file, else `./mail`).
    #[arg(long, env = "PNYX_MAIL_DIR", global = true)]
    pub mail_dir: Option<PathBuf>,

    /// Milliseconds the outbox worker waits when nothing is due.
    #[arg(long, env = "PNYX_MAIL_POLL_MS", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(10..=600_000), global = true)]
    pub mail_poll_ms: u64,

    /// Folder for uploaded files when `PNYX_S3_BUCKET` is unset (default: `files` beside the
    /// SQLite file, else `./files`).
    #[arg(long, env = "PNYX_FILES_DIR", global = true)]
    pub files_dir: Option<PathBuf>,

    /// S3-compatible bucket for uploaded files (several servers share it); unset: `PNYX_FILES_DIR`.
    #[arg(long, env = "PNYX_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,

    /// The S3 endpoint, e.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000`
    /// (MinIO, Garage); unset: AWS by `PNYX_S3_REGION`.
    #[arg(long, env = "PNYX_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,

    /// The bucket's region.
    #[arg(long, env = "PNYX_S3_REGION", default_value = "us-east-1", global = true)]
    pub s3_region: String,

    /// Access key of the bucket (required with `PNYX_S3_BUCKET`).
    #[arg(long, env = "PNYX_S3_ACCESS_KEY_ID", hide_env_values = true, global = true)]
    pub s3_access_key_id: Option<String>,

    /// Secret key of the bucket (required with `PNYX_S3_BUCKET`).
    #[arg(long, env = "PNYX_S3_SECRET_ACCESS_KEY", hide_env_values = true, global = true)]
    pub s3_secret_access_key: Option<SecretString>,

    /// Largest image upload (JPEG, PNG, WebP), in bytes; larger ones are refused with 413.
    #[arg(long, env = "PNYX_MAX_IMAGE_BYTES", default_value_t = 15 * 1024 * 1024, value_parser = clap::value_parser!(u64).range(1024..), global = true)]
    pub max_image_bytes: u64,

    /// Largest document upload (PDF, office documents, CSV, text), in bytes; larger ones are
    /// refused with 413.
    #[arg(long, env = "PNYX_MAX_DOCUMENT_BYTES", default_value_t = 100 * 1024 * 1024, value_parser = clap::value_parser!(u64).range(1024..), global = true)]
    pub max_document_bytes: u64,
    /// The hour (0–23, UTC) from which each day's notification digests are sent.
    #[arg(long, env = "PNYX_DIGEST_HOUR", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=23), global = true)]
    pub digest_hour: u32,

    /// Accept webhook addresses `http://` to this machine (`127.0.0.1`, `[::1]`, `localhost`):
    /// for development and tests with a local receiver. Off: only public `https://` addresses.
    #[arg(long, env = "PNYX_WEBHOOKS_ALLOW_HTTP_LOOPBACK", default_value_t = false, global = true)]
    pub webhooks_allow_http_loopback: bool,

    /// Milliseconds the webhook worker waits when nothing is due.
    #[arg(long, env = "PNYX_WEBHOOK_POLL_MS", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(10..=600_000), global = true)]
    pub webhook_poll_ms: u64,
    /// Serve Prometheus metrics at `/metrics` to `Authorization: Bearer <this token>` (at least 16
    /// characters). Unset (the default): `/metrics` does not exist (404).
    #[arg(long, env = "PNYX_METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<SecretString>,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PNYX_JWT_SECRET is required when PNYX_ENV=production")]
    MissingJwtSecret,
    #[error("PNYX_JWT_SECRET and each of PNYX_JWT_PREVIOUS_SECRETS must be at least 32 characters long")]
    ShortJwtSecret,
    #[error("PNYX_DATABASE_URL must start with sqlite:// or postgres:// (got `{0}`)")]
    BadDatabaseUrl(String),
    #[error("PNYX_PUBLIC_URL must start with http:// or https:// (got `{0}`)")]
    BadPublicUrl(String),
    #[error(
        "PNYX_CORS_ORIGINS holds `{0}`: each must be an origin such as https://app.example.org (scheme, host, optional port; no path)"
    )]
    BadCorsOrigin(String),
    #[error("PNYX_RATE_LIMIT_SCALE must be a number, 0 or more (got {0})")]
    BadRateLimitScale(f64),
    #[error("PNYX_S3_ACCESS_KEY_ID and PNYX_S3_SECRET_ACCESS_KEY are required with PNYX_S3_BUCKET")]
    MissingS3Credentials,
    #[error("PNYX_METRICS_TOKEN must be at least 16 characters long")]
    ShortMetricsToken,
}

/// `scheme://host[:port]` and nothing more, the form browsers send in `Origin`.
fn is_origin(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str().is_some()
            && u.path() == "/"
            && u.query().is_none()
            && u.fragment().is_none()
            && u.username().is_empty()
            && !s.ends_with('/')
    })
}

impl Settings {
    /// Checks what clap cannot: the secret's presence and length, the database scheme.
    ///
    /// # Errors
    /// The first problem, naming its variable.
    pub fn check(&self) -> Result<(), ConfigError> {
        use secrecy::ExposeSecret;
        let scheme_ok = ["sqlite:", "postgres://", "postgresql://"].iter().any(|p| self.database_url.starts_with(p));
        if !scheme_ok {
            let shown = self.database_url.split('@').next_back().unwrap_or_default().to_owned();
            return Err(ConfigError::BadDatabaseUrl(shown));
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError::BadPublicUrl(self.public_url.clone()));
        }
        if let Some(bad) = self.cors_origins.iter().find(|o| !is_origin(o)) {
            return Err(ConfigError::BadCorsOrigin(bad.clone()));
        }
        if !(self.rate_limit_scale.is_finite() && self.rate_limit_scale >= 0.0) {
            return Err(ConfigError::BadRateLimitScale(self.rate_limit_scale));
        }
        if self.jwt_previous_secrets.iter().any(|s| s.expose_secret().len() < 32) {
            return Err(ConfigError::ShortJwtSecret);
        }
        if self.s3_bucket.is_some() && (self.s3_access_key_id.is_none() || self.s3_secret_access_key.is_none()) {
            return Err(ConfigError::MissingS3Credentials);
        }
        if self.metrics_token.as_ref().is_some_and(|t| t.expose_secret().trim().len() < 16) {
            return Err(ConfigError::ShortMetricsToken);
        }
        match &self.jwt_secret {
            None if self.env == Environment::Production => Err(ConfigError::MissingJwtSecret),
            Some(s) if s.expose_secret().len() < 32 => Err(ConfigError::ShortJwtSecret),
            _ => Ok(()),
        }
    }

    /// The JWT secret, or a random one in development (with a warning).
    #[must_use]
    pub fn jwt_secret_or_random(&self) -> SecretString {
        if let Some(s) = &self.jwt_secret {
            return s.clone();
        }
        tracing::warn!("PNYX_JWT_SECRET is not set: using a random secret; sessions end when the server restarts");
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        SecretString::from(hex::encode(bytes))
    }

    /// Where the folder mailer writes: `PNYX_MAIL_DIR`, else `mail` beside the SQLite file, else
    /// `./mail`.
    #[must_use]
    pub fn mail_dir_or_default(&self) -> PathBuf {
        if let Some(dir) = &self.mail_dir {
            return dir.clone();
        }
        let beside_sqlite = self
            .database_url
            .strip_prefix("sqlite://")
            .map(|rest| rest.split('?').next().unwrap_or_default())
            .filter(|path| !path.is_empty() && *path != ":memory:")
            .and_then(|path| std::path::Path::new(path).parent().map(|p| p.join("mail")));
        beside_sqlite.unwrap_or_else(|| PathBuf::from("mail"))
    }

    /// Where uploaded files go without a bucket: `PNYX_FILES_DIR`, else `files` beside the SQLite
    /// file, else `./files`.
    #[must_use]
    pub fn files_dir_or_default(&self) -> PathBuf {
        if let Some(dir) = &self.files_dir {
            return dir.clone();
        }
        let beside_sqlite = self
            .database_url
            .strip_prefix("sqlite://")
            .map(|rest| rest.split('?').next().unwrap_or_default())
            .filter(|path| !path.is_empty() && *path != ":memory:")
            .and_then(|path| std::path::Path::new(path).parent().map(|p| p.join("files")));
        beside_sqlite.unwrap_or_else(|| PathBuf::from("files"))
    }

    /// Creates the folder of a SQLite database file if it is missing.
    ///
    /// # Errors
    /// When the folder cannot be created.
    pub fn ensure_sqlite_dir(&self) -> std::io::Result<()> {
        if let Some(rest) = self.database_url.strip_prefix("sqlite://") {
            let path = rest.split('?').next().unwrap_or_default();
            if let Some(parent) = std::path::Path::new(path).parent()
                && !parent.as_os_str().is_empty()
                && path != ":memory:"
            {
                std::fs::create_dir_all(parent)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        settings: Settings,
    }

    fn parse(args: &[&str]) -> Settings {
        let mut all = vec!["pnyx"];
        all.extend_from_slice(args);
        Wrapper::try_parse_from(all).unwrap().settings
    }

    #[test]
    fn production_without_a_jwt_secret_is_refused_naming_the_variable() {
        let s = parse(&["--env", "production"]);
        let err = s.check().unwrap_err().to_string();
        assert!(err.contains("PNYX_JWT_SECRET"), "{err}");
    }

    #[test]
    fn a_short_secret_or_an_unknown_database_is_refused() {
        assert!(matches!(parse(&["--jwt-secret", "short"]).check(), Err(ConfigError::ShortJwtSecret)));
        let err = parse(&["--database-url", "mysql://u:secret@h/db"]).check().unwrap_err().to_string();
        assert!(
            err.contains("PNYX_DATABASE_URL") && !err.contains("secret"),
            "names the variable, hides the password: {err}"
        );
    }

    #[test]
    fn defaults_are_documented_values() {
        let s = parse(&[]);
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database_url, "sqlite://data/pnyx.db?mode=rwc");
        assert_eq!(s.env, Environment::Development);
        assert_eq!(s.public_url, "http://localhost:8080");
        assert_eq!(s.mail_dir_or_default(), PathBuf::from("data/mail"), "beside the SQLite file");
        assert!(s.check().is_ok());
    }

    #[test]
    fn cors_origins_must_be_bare_origins_and_previous_secrets_long_enough() {
        let ok = parse(&["--cors-origins", "https://app.example.org,http://localhost:5173"]);
        assert_eq!(ok.cors_origins, ["https://app.example.org", "http://localhost:5173"]);
        assert!(ok.check().is_ok());
        for bad in ["https://app.example.org/", "https://app.example.org/path", "app.example.org", "ftp://x.org", "*"] {
            let err = parse(&["--cors-origins", bad]).check().unwrap_err();
            assert!(matches!(&err, ConfigError::BadCorsOrigin(o) if o == bad), "{bad}: {err}");
        }
        let long = "an-old-secret-that-is-long-enough-too";
        assert_eq!(parse(&["--jwt-previous-secrets", &format!("{long},{long}2")]).jwt_previous_secrets.len(), 2);
        assert!(matches!(parse(&["--jwt-previous-secrets", "short"]).check(), Err(ConfigError::ShortJwtSecret)));
        assert!(matches!(parse(&["--rate-limit-scale=-1"]).check(), Err(ConfigError::BadRateLimitScale(_))));
        assert!(matches!(parse(&["--rate-limit-scale", "NaN"]).check(), Err(ConfigError::BadRateLimitScale(_))));
        assert!(parse(&["--rate-limit-scale", "0"]).check().is_ok());
        assert!(matches!(parse(&["--metrics-token", "short"]).check(), Err(ConfigError::ShortMetricsToken)));
        assert!(parse(&["--metrics-token", "a-metrics-token-long-enough"]).check().is_ok());
    }

    #[test]
    fn a_malformed_bind_address_is_refused_by_the_parser() {
        assert!(Wrapper::try_parse_from(["pnyx", "--bind", "localhost"]).is_err());
    }
}

#[cfg(test)]
mod mail_settings {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        settings: Settings,
    }

    #[test]
    fn a_public_url_without_a_scheme_is_refused_and_postgres_mail_goes_to_dot_mail() {
        let s = Wrapper::try_parse_from(["pnyx", "--public-url", "pnyx.example"]).map(|w| w.settings);
        assert!(matches!(s.map(|s| s.check()), Ok(Err(ConfigError::BadPublicUrl(_)))));
        let pg = Wrapper::try_parse_from(["pnyx", "--database-url", "postgres://u@h/db"]).map(|w| w.settings);
        assert_eq!(pg.map(|s| s.mail_dir_or_default()).ok(), Some(PathBuf::from("mail")));
    }
}
