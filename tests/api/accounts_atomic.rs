//! The account use cases that write more than one row do it in one unit of work: when their last
//! write fails, none of the earlier ones is left. Each test makes that last write fail with a
//! trigger (created before the request: DDL waits for locks), expects a 500, and checks what is
//! left afterwards.

use serde_json::{Value, json};

use crate::helpers::{assert_problem, password, user_from};
use crate::on_both_databases;

on_both_databases! {
    async fn a_registration_whose_session_cannot_be_stored_leaves_no_account(app) {
        // Registration writes the user, then the session's refresh token.
        app.fail_writes("refresh_tokens", "INSERT").await;
        let body = json!({"email": "jana@example.sk", "password": password(), "display_name": "Jana", "locale": "sk"});
        assert_problem(app.post("/api/v1/auth/register", None, &body).await, 500).await;
        app.stop_failing("refresh_tokens", "INSERT").await;

        assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0, "the user was rolled back");
        assert_problem(app.login("jana@example.sk", password()).await, 401).await;
        assert_eq!(app.post("/api/v1/auth/register", None, &body).await.status(), 201, "the e-mail is still free");
    }
}

on_both_databases! {
    async fn a_rotation_whose_new_token_cannot_be_stored_does_not_consume_the_old_one(app) {
        // Rotation marks the old token used, then stores the new one.
        let user = app.register("jana@example.sk").await;
        app.fail_writes("refresh_tokens", "INSERT").await;
        let body = json!({"refresh_token": user.refresh_token});
        assert_problem(app.post("/api/v1/auth/refresh", None, &body).await, 500).await;
        app.stop_failing("refresh_tokens", "INSERT").await;

        assert_eq!(app.scalar("SELECT COUNT(*) FROM refresh_tokens WHERE used_at IS NOT NULL").await, 0);
        let res = app.post("/api/v1/auth/refresh", None, &body).await;
        assert_eq!(res.status(), 200, "the old token was not consumed: its retry is no replay");
        let next = user_from(&res.json::<Value>().await.unwrap());
        assert_eq!(app.get("/api/v1/me", Some(&next.token)).await.status(), 200);
    }
}

on_both_databases! {
    async fn a_replay_whose_revocation_fails_revokes_nothing_and_a_retry_revokes_the_family(app) {
        let user = app.register("jana@example.sk").await;
        let res = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": user.refresh_token})).await;
        let second = user_from(&res.json::<Value>().await.unwrap());

        app.clock.advance(chrono::Duration::seconds(11));
        app.fail_writes("refresh_tokens", "UPDATE").await;
        let replay = json!({"refresh_token": user.refresh_token});
        assert_problem(app.post("/api/v1/auth/refresh", None, &replay).await, 500).await;
        app.stop_failing("refresh_tokens", "UPDATE").await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL").await, 0, "no half-revoked family");

        assert_problem(app.post("/api/v1/auth/refresh", None, &replay).await, 401).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NULL").await, 0, "the whole family is revoked");
        assert_problem(app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": second.refresh_token})).await, 401).await;
    }
}

on_both_databases! {
    async fn a_password_change_whose_sessions_cannot_be_ended_keeps_the_old_password(app) {
        // The change writes the user's new hash, then revokes every refresh token.
        let user = app.register("jana@example.sk").await;
        app.fail_writes("refresh_tokens", "UPDATE").await;
        let body = json!({"current_password": password(), "new_password": "new horse battery"});
        assert_problem(app.post("/api/v1/me/password", Some(&user.token), &body).await, 500).await;
        app.stop_failing("refresh_tokens", "UPDATE").await;

        let res = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": user.refresh_token})).await;
        assert_eq!(res.status(), 200, "the session was not ended");
        assert_problem(app.login("jana@example.sk", "new horse battery").await, 401).await;
        assert_eq!(app.login("jana@example.sk", password()).await.status(), 200, "the old password still works");
    }
}

on_both_databases! {
    async fn concurrent_refreshes_with_one_token_let_exactly_one_through(app) {
        let user = app.register("jana@example.sk").await;
        let body = json!({"refresh_token": user.refresh_token});
        let calls = (0..8).map(|_| app.post("/api/v1/auth/refresh", None, &body));
        let statuses: Vec<u16> = futures_util::future::join_all(calls).await.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 401), "{statuses:?}");
    }
}
