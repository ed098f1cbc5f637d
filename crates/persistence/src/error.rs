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
            other => RepoError::Unavailable(cause_chain(&other)),
        },
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
