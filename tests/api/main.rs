//! Black-box tests of the Pnyx HTTP API: one binary, a module per resource. Every test that
//! touches the database runs on SQLite and on PostgreSQL (see `helpers::on_both_databases`).

mod helpers;

mod accounts;
mod errors;
mod health;
mod members;
mod openapi;
mod orgs;
