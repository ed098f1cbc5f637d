//! Maps sea-orm's errors to the domain's `RepoError`: unique violations become field-level
//! conflicts, everything else an opaque failure whose cause is logged.

use pnyx_domain::repo::{RepoError, cause_chain};
use sea_orm::{DbErr, SqlErr};

/// Converts a database error; a unique violation names the column it hit where the database says.
pub fn map_db_err(err: DbErr) -> RepoError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(msg)) => {
            RepoError::Conflict { field: field_of(&msg), message: "already taken".to_owned() }
        }
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => RepoError::NotFound,
        // The cause goes up whole, to be logged once with the request that met it.
        _ => match err {
            DbErr::RecordNotFound(_) => RepoError::NotFound,
            other if unreachable(&other) => RepoError::Unreachable(cause_chain(&other)),
            other => RepoError::Unavailable(cause_chain(&other)),
        },
    }
}

/// Whether `err` says the database could not be reached, rather than that a statement failed:
/// no connection came free in time, the pool is closed, the socket failed, or PostgreSQL is
/// shutting down or refusing connections (SQLSTATE classes 08 and 57P).
fn unreachable(err: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx};
    let sqlx_err = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        DbErr::Conn(_) => return true,
        _ => return false,
    };
    match sqlx_err.as_ref() {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// Guesses the column from SQLite's `UNIQUE constraint failed: users.email` or PostgreSQL's
/// `duplicate key value violates unique constraint "users_email_key"` / `Key (email)=(…)`.
fn field_of(msg: &str) -> String {
    if let Some(rest) = msg.split("UNIQUE constraint failed: ").nth(1) {
        let first = rest.split(',').next().unwrap_or(rest).trim();
        return first.rsplit('.').next().unwrap_or(first).to_owned();
    }
    if let Some(rest) = msg.split("Key (").nth(1) {
        return rest.split(')').next().unwrap_or(rest).to_owned();
    }
    if let Some(c) = msg.split('"').nth(1) {
        let parts: Vec<&str> = c.split('_').collect();
        if parts.len() >= 3 && parts.last() == Some(&"key") {
            return parts[1..parts.len() - 1].join("_");
        }
    }
    "id".to_owned()
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn unique_violations_name_their_column_on_both_databases() {
        assert_eq!(field_of("UNIQUE constraint failed: users.email"), "email");
        assert_eq!(field_of("duplicate key value violates unique constraint \"organisations_slug_key\""), "slug");
        assert_eq!(field_of("Key (email)=(a@b.sk) already exists."), "email");
    }
}
