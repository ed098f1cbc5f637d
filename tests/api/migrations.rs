//! Every migration has a working `down`, on both databases.

use serde_json::Value;

use crate::on_both_databases;

on_both_databases! {
    async fn migrations_roll_back_and_apply_again(app) {
        app.db.migrate_down_all().await.expect("down");
        app.db.migrate().await.expect("up again");
        app.register("jana@example.sk").await;
        let list: Value = app.get("/api/v1/orgs", None).await.json().await.unwrap();
        assert_eq!(list["total"], 0);
    }
}
