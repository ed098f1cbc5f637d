//! `pnyx-bare-read`: what a read costs with nothing but actix-web and sea-orm on Pnyx's own
//! database and pool settings — the ceiling `scripts/bench.sh` measures Pnyx's reads against.
//!
//! - `GET /orgs/{slug}`: one row by a unique key (an organisation by its slug), as JSON;
//! - `GET /orgs/{slug}/commitments`: a page of 20 rows (the organisation's commitments, joined to
//!   it by slug) and their count: two statements.
//!
//! Environment: `PNYX_DATABASE_URL`, `PNYX_BIND` (default `127.0.0.1:8090`).

use actix_web::{App, HttpResponse, HttpServer, web};
use pnyx_persistence::{Db, PoolSettings};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, FromQueryResult, JsonValue, Statement};
use serde_json::json;

fn stmt(db: &DatabaseConnection, sql: &str, slug: &str) -> Statement {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => sql.to_owned(),
        _ => sql.replace("$1", "?"),
    };
    Statement::from_sql_and_values(db.get_database_backend(), sql, [slug.into()])
}

fn failed(e: &sea_orm::DbErr) -> HttpResponse {
    HttpResponse::InternalServerError().body(e.to_string())
}

async fn org(db: web::Data<DatabaseConnection>, slug: web::Path<String>) -> HttpResponse {
    let q = stmt(&db, "SELECT * FROM organisations WHERE slug = $1", &slug);
    match JsonValue::find_by_statement(q).one(db.get_ref()).await {
        Ok(Some(row)) => HttpResponse::Ok().json(row),
        Ok(None) => HttpResponse::NotFound().finish(),
        Err(e) => failed(&e),
    }
}

async fn commitments(db: web::Data<DatabaseConnection>, slug: web::Path<String>) -> HttpResponse {
    let page = stmt(
        &db,
        "SELECT c.* FROM commitments c JOIN organisations o ON o.id = c.org_id WHERE o.slug = $1 \
         ORDER BY c.id LIMIT 20",
        &slug,
    );
    let count = stmt(
        &db,
        "SELECT COUNT(*) AS n FROM commitments c JOIN organisations o ON o.id = c.org_id WHERE o.slug = $1",
        &slug,
    );
    let items = match JsonValue::find_by_statement(page).all(db.get_ref()).await {
        Ok(items) => items,
        Err(e) => return failed(&e),
    };
    match db.query_one_raw(count).await {
        Ok(Some(row)) => {
            let total: i64 = row.try_get("", "n").unwrap_or_default();
            HttpResponse::Ok().json(json!({ "items": items, "total": total }))
        }
        Ok(None) => HttpResponse::Ok().json(json!({ "items": items, "total": 0 })),
        Err(e) => failed(&e),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("PNYX_DATABASE_URL").map_err(|_| std::io::Error::other("PNYX_DATABASE_URL is not set"))?;
    let bind = std::env::var("PNYX_BIND").unwrap_or_else(|_| "127.0.0.1:8090".into());
    // Pnyx's pool: the same size and SQLite pragmas.
    let db = Db::connect(&url, &PoolSettings::default()).await.map_err(std::io::Error::other)?;
    let conn = web::Data::new(db.connection().clone());
    HttpServer::new(move || {
        App::new()
            .app_data(conn.clone())
            .route("/orgs/{slug}", web::get().to(org))
            .route("/orgs/{slug}/commitments", web::get().to(commitments))
    })
    .bind(bind)?
    .run()
    .await
}
