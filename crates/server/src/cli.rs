//! The command line: `pnyx serve` (default), `migrate`, `reindex`, `seed-demo`, `seed-bench-survey`,
//! `openapi`, `create-admin`.

use std::io::{BufRead, IsTerminal, Write};

use clap::{Parser, Subcommand};
use pnyx_domain::accounts::{DisplayName, Email, NewPassword, User};
use pnyx_domain::i18n::Locale;
use pnyx_domain::ids::UserId;
use pnyx_domain::org::OrgRepo;
use pnyx_domain::repo::Store;

use crate::config::Settings;
use crate::startup::{Application, connect};

/// Pnyx: open government for municipalities — action plans, meetings, consultations and
/// participatory budgets.
#[derive(Debug, Parser)]
#[command(name = "pnyx", version)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (API, API docs and web app); migrations run first. The default.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the demo municipalities and accounts that are missing, printing their passwords once
    /// (all get `PNYX_DEMO_PASSWORD` if set).
    SeedDemo {
        /// Do nothing if any organisation exists already.
        #[arg(long)]
        if_empty: bool,
    },
    /// Create an open anonymous survey with public results and generated responses in an
    /// organisation, for `scripts/bench.sh`; prints the survey's id last.
    SeedBenchSurvey {
        /// The organisation's slug.
        #[arg(long, default_value = "banska-bystrica")]
        org: String,
        /// How many responses to generate.
        #[arg(long, default_value_t = 100_000)]
        responses: u64,
    },
    /// Rebuild the full-text search index from everything stored (migrating does it by itself
    /// when the index is missing or was built by an older version).
    Reindex,
    /// Create a participatory budget with generated proposals in an organisation, for the search
    /// scenario of `scripts/bench.sh`; prints the process's id last.
    #[command(hide = true)]
    SeedBenchProposals {
        /// The organisation's slug.
        #[arg(long, default_value = "banska-bystrica")]
        org: String,
        /// How many proposals to generate.
        #[arg(long, default_value_t = 10_000)]
        count: u64,
    },
    /// Print the OpenAPI document to stdout.
    Openapi,
    /// Create a platform admin (or make an existing account one). The password comes from
    /// `PNYX_ADMIN_PASSWORD` or a prompt, never from the command line.
    /// Write a consistent copy of the SQLite database to FILE while the server runs (for
    /// PostgreSQL use `pg_dump`; see the README). Restore by stopping the server and putting the
    /// copy in the database's place.
    Backup {
        /// The new file (it must not exist).
        file: std::path::PathBuf,
    },
    CreateAdmin {
        /// The admin's e-mail address.
        #[arg(long)]
        email: String,
        /// The display name.
        #[arg(long, default_value = "Platform admin")]
        name: String,
    },
}

/// Runs the command.
///
/// # Errors
/// A one-line description of what went wrong.
pub async fn run(cli: Cli) -> Result<(), String> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            let json = pnyx_api::openapi_json_string().map_err(|e| e.to_string())?;
            print!("{json}");
            Ok(())
        }
        Command::Serve => {
            let app = Application::build(settings.clone()).await.map_err(|e| e.to_string())?;
            tracing::info!(address = %settings.bind, port = app.port(), "Pnyx is listening");
            app.run_until_stopped().await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            connect(&settings).await.map_err(|e| e.to_string())?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::Reindex => {
            let db = connect(&settings).await.map_err(|e| e.to_string())?;
            let n = db.reindex().await.map_err(|e| e.to_string())?;
            println!("Search index rebuilt: {n} documents.");
            Ok(())
        }
        Command::SeedDemo { if_empty } => {
            let db = connect(&settings).await.map_err(|e| e.to_string())?;
            if if_empty
                && db
                    .list_orgs(pnyx_domain::repo::PageRequest { limit: 1, after: None })
                    .await
                    .map_err(|e| e.to_string())?
                    .total
                    > 0
            {
                println!("Demo data skipped: the database already has organisations.");
                return Ok(());
            }
            let pw = std::env::var("PNYX_DEMO_PASSWORD").ok().filter(|p| !p.is_empty());
            let accounts = crate::seed::seed_demo(&db, pw.as_deref()).await.map_err(|e| e.to_string())?;
            crate::seed::content::seed_content(&db).await.map_err(|e| e.to_string())?;
            let storage = crate::startup::file_storage(&settings).map_err(|e| e.to_string())?;
            crate::seed::library::seed_library(&db, storage.as_ref()).await?;
            if accounts.is_empty() {
                println!("Demo data already present; nothing created.");
            } else {
                println!("Demo accounts (passwords are shown this once):");
                for a in accounts {
                    println!("  {:<16} {:<9} {:<46} {}", a.org, a.role, a.email, a.password);
                }
            }
            Ok(())
        }
        Command::SeedBenchSurvey { org, responses } => {
            let db = connect(&settings).await.map_err(|e| e.to_string())?;
            let id = crate::seed::bench::seed_bench_survey(&db, &org, responses).await?;
            println!("{id}");
            Ok(())
        }
        Command::SeedBenchProposals { org, count } => {
            let db = connect(&settings).await.map_err(|e| e.to_string())?;
            let id = crate::seed::bench::seed_bench_proposals(&db, &org, count).await?;
            println!("{id}");
            Ok(())
        }
        Command::Backup { file } => {
            let db = connect(&settings).await.map_err(|e| e.to_string())?;
            db.backup_to(&file).await.map_err(|e| e.to_string())?;
            println!("Backup written to {}.", file.display());
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            let db = connect(&settings).await.map_err(|e| e.to_string())?;
            create_admin(&db, &email, &name).await
        }
    }
}

fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("PNYX_ADMIN_PASSWORD") {
        return Ok(p);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| e.to_string())?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    eprint!("Password for the new admin: ");
    std::io::stderr().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    stdin.lock().read_line(&mut line).map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn create_admin(store: &dyn Store, email: &str, name: &str) -> Result<(), String> {
    let email = Email::parse(email).map_err(|e| format!("--email: {e}"))?;
    if let Some(mut user) = store.user_by_email(&email).await.map_err(|e| e.to_string())? {
        user.platform_admin = true;
        user.updated_at = pnyx_domain::now();
        // The operator vouches for the address.
        user.email_verified_at = user.email_verified_at.or(Some(user.updated_at));
        store.update_user(&user).await.map_err(|e| e.to_string())?;
        println!("{} is now a platform admin.", email.as_str());
        return Ok(());
    }
    let raw = read_password()?;
    let password = NewPassword::parse(&raw, &email).map_err(|e| format!("PNYX_ADMIN_PASSWORD: {e}"))?;
    let name = DisplayName::parse(name).map_err(|e| format!("--name: {e}"))?;
    let now = pnyx_domain::now();
    let user = User {
        id: UserId::new_v7(),
        email: email.as_str().to_owned(),
        password_hash: pnyx_api::security::hash_password(password.expose()).map_err(|e| e.to_string())?,
        display_name: name.into_inner(),
        locale: Locale::En,
        platform_admin: true,
        email_verified_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    store.create_user(&user).await.map_err(|e| e.to_string())?;
    println!("Platform admin {} created.", email.as_str());
    Ok(())
}
