//! The account use cases that write more than one row do it in one unit of work: when their last
//! write fails, none of the earlier ones is left. Each test makes that last write fail with a
//! trigger (created before the request: DDL waits for locks), expects a 500, and checks what is
//! left afterwards.

use serde_json::{Value, json};

use crate::helpers::{assert_problem, password, user_from};
use crate::on_both_databases;

on_both_databases! {
    async fn a_registration_whose_mail_cannot_be_queued_leaves_no_account(app) {
        // Registration writes the user, the verification token, then the e-mail in the outbox.
        app.fail_writes("mail_outbox", "INSERT").await;
        let body = json!({"email": "jana@example.sk", "password": password(), "display_name": "Jana", "locale": "sk"});
        assert_problem(app.post("/api/v1/auth/register", None, &body).await, 500).await;
        app.stop_failing("mail_outbox", "INSERT").await;

        assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0, "the user was rolled back");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM account_tokens").await, 0, "the token was rolled back");
        assert_problem(app.login("jana@example.sk", password()).await, 401).await;
        assert_eq!(app.post("/api/v1/auth/register", None, &body).await.status(), 202, "the e-mail is still free");
        assert_eq!(app.mails("jana@example.sk", "account.verify-email").await.len(), 1);
    }
}

on_both_databases! {
    async fn a_change_that_fails_queues_no_mail(app) {
        // The token is written before the e-mail: when it fails, no e-mail is left in the outbox.
        app.fail_writes("account_tokens", "INSERT").await;
        let body = json!({"email": "jana@example.sk", "password": password(), "display_name": "Jana", "locale": "sk"});
        assert_problem(app.post("/api/v1/auth/register", None, &body).await, 500).await;
        app.stop_failing("account_tokens", "INSERT").await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM mail_outbox").await, 0, "no message about a change that did not happen");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);
    }
}

on_both_databases! {
    async fn a_password_reset_whose_sign_out_fails_changes_nothing_and_keeps_the_link(app) {
        // Resetting writes the password, then revokes every refresh token.
        app.register("jana@example.sk").await;
        assert_eq!(app.post("/api/v1/auth/password-reset", None, &json!({"email": "jana@example.sk"})).await.status(), 202);
        let token = app.mail_token("jana@example.sk", "account.password-reset").await;
        let body = json!({"token": token, "new_password": "a brand new password"});
        app.fail_writes("refresh_tokens", "UPDATE").await;
        assert_problem(app.post("/api/v1/auth/password-reset/confirm", None, &body).await, 500).await;
        app.stop_failing("refresh_tokens", "UPDATE").await;

        assert_eq!(app.login("jana@example.sk", password()).await.status(), 200, "the old password still works");
        assert_eq!(app.post("/api/v1/auth/password-reset/confirm", None, &body).await.status(), 204, "the link was not used up");
        assert_eq!(app.login("jana@example.sk", "a brand new password").await.status(), 200);
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
