//! Indexes that answer a page of a process's proposals in each order the list offers, ties by id,
//! without sorting the process's every proposal: by submission (the id), by cost (the validated
//! cost, else the estimate: the same expression as the list's `ORDER BY`) and by supports.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Name and columns; the same SQL on SQLite and PostgreSQL.
const INDEXES: [(&str, &str); 3] = [
    ("idx_budget_proposals_by_id", "budget_id, id"),
    ("idx_budget_proposals_by_cost", "budget_id, (COALESCE(validated_cost, estimated_cost)), id"),
    ("idx_budget_proposals_by_supports", "budget_id, supports, id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, columns) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON budget_proposals ({columns})")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
