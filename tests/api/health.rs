use serde_json::Value;

use crate::on_both_databases;

on_both_databases! {
    async fn probes_answer_when_the_database_does(app) {
        let res = app.get("/healthz", None).await;
        assert_eq!(res.status(), 200);
        let res = app.get("/readyz", None).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        app.store_ping().await;
    }
}
