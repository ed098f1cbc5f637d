use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, password, user_from};
use crate::on_both_databases;

on_both_databases! {
    async fn a_registered_resident_can_log_in_and_see_themselves(app) {
        let user = app.register("jana@example.sk").await;
        let res = app.login("JANA@example.sk", password()).await;
        assert_eq!(res.status(), 200, "e-mail is case-insensitive");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        let me: Value = app.get("/api/v1/me", Some(&user.token)).await.json().await.unwrap();
        assert_eq!(me["email"], "jana@example.sk");
        assert_eq!(me["platform_admin"], false);
        assert_eq!(me["memberships"], json!([]));
    }
}

on_both_databases! {
    async fn a_wrong_password_or_unknown_email_is_refused_alike(app) {
        app.register("jana@example.sk").await;
        let wrong = assert_problem(app.login("jana@example.sk", "not the password at all").await, 401).await;
        let unknown = assert_problem(app.login("nobody@example.sk", password()).await, 401).await;
        assert_eq!(wrong["detail"], unknown["detail"], "no hint which e-mails exist");
    }
}

on_both_databases! {
    async fn registering_a_taken_email_answers_as_for_a_new_one_and_tells_the_owner(app) {
        app.register("jana@example.sk").await;
        let body = |email: &str| json!({"email": email, "password": password(), "display_name": "J", "locale": "sk"});
        let taken = app.post("/api/v1/auth/register", None, &body("Jana@Example.sk")).await;
        let new = app.post("/api/v1/auth/register", None, &body("petra@example.sk")).await;
        assert_eq!(taken.status(), 202);
        assert_eq!(new.status(), 202);
        let (taken, new): (Value, Value) = (taken.json().await.unwrap(), new.json().await.unwrap());
        assert_eq!(taken, new, "the same body: it does not tell which addresses have accounts");
        assert!(taken.get("access_token").is_none(), "registration does not sign in");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE email = 'jana@example.sk'").await, 1);
        let attempts = app.mails("jana@example.sk", "account.registration-attempt").await;
        assert_eq!(attempts.len(), 1, "the owner is told");
        assert_eq!(attempts[0]["name"], "jana", "addressed by the owner's own name");
        assert_eq!(app.mails("jana@example.sk", "account.verify-email").await.len(), 1, "no new verification link");
        assert_eq!(app.mails("petra@example.sk", "account.verify-email").await.len(), 1);
        assert!(app.mails("petra@example.sk", "account.registration-attempt").await.is_empty());
        // Registering again and again does not flood the owner's inbox: one such e-mail an hour.
        assert_eq!(app.post("/api/v1/auth/register", None, &body("jana@example.sk")).await.status(), 202);
        assert_eq!(app.mails("jana@example.sk", "account.registration-attempt").await.len(), 1);
        app.clock.advance(chrono::Duration::minutes(61));
        assert_eq!(app.post("/api/v1/auth/register", None, &body("jana@example.sk")).await.status(), 202);
        assert_eq!(app.mails("jana@example.sk", "account.registration-attempt").await.len(), 2);
    }
}

on_both_databases! {
    async fn weak_passwords_and_bad_emails_are_refused_and_create_nothing(app) {
        for (body, field) in [
            (json!({"email": "a@example.sk", "password": "short", "display_name": "A", "locale": "sk"}), "password"),
            (json!({"email": "a@example.sk", "password": "aaaaaaaaaaaa", "display_name": "A", "locale": "sk"}), "password"),
            (json!({"email": "not-an-email", "password": password(), "display_name": "A", "locale": "sk"}), "email"),
            (json!({"email": "a@example.sk", "password": password(), "display_name": "", "locale": "sk"}), "display_name"),
            (json!({"email": "a@example.sk", "password": password(), "display_name": "A", "locale": "de"}), "locale"),
        ] {
            let p = assert_problem(app.post("/api/v1/auth/register", None, &body).await, 422).await;
            assert_eq!(error_fields(&p), vec![field.to_owned()], "{body}");
        }
        assert_problem(app.login("a@example.sk", password()).await, 401).await;
    }
}

on_both_databases! {
    async fn expired_tampered_foreign_and_unsigned_tokens_are_refused(app) {
        let user = app.register("jana@example.sk").await;
        let parts: Vec<&str> = user.token.split('.').collect();
        // A payload claiming another subject, with the original signature.
        let forged_payload = URL_SAFE_NO_PAD.encode(
            json!({"sub": uuid::Uuid::now_v7(), "iat": 1, "exp": 4_102_444_800_i64, "jti": uuid::Uuid::now_v7()}).to_string(),
        );
        let tampered = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        let none_alg = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#), parts[1]);
        let other_key = pnyx_api::security::JwtKeys::new(&secrecy::SecretString::from("a-completely-different-secret-key-xx".to_owned()))
            .issue(user.id.into(), chrono::Utc::now())
            .unwrap();
        let expired = pnyx_api::security::JwtKeys::rotating(&secrecy::SecretString::from("test-secret-that-is-long-enough-for-hs256".to_owned()), &[], "http://localhost:8080")
            .issue(user.id.into(), chrono::Utc::now() - chrono::Duration::hours(1))
            .unwrap();
        for bad in [tampered, none_alg, other_key, expired.clone(), "garbage".to_owned()] {
            let p = assert_problem(app.get("/api/v1/me", Some(&bad)).await, 401).await;
            assert_eq!(p["code"], "unauthorized");
        }
        let p = assert_problem(app.get("/api/v1/me", Some(&expired)).await, 401).await;
        assert!(p["detail"].as_str().unwrap().contains("expired"));
        assert_problem(app.get("/api/v1/me", None).await, 401).await;

        // Expiry follows the server's clock, not the machine's: a fresh token is good until the
        // server's time passes its 15 minutes.
        assert_eq!(app.get("/api/v1/me", Some(&user.token)).await.status(), 200);
        app.clock.advance(chrono::Duration::minutes(16));
        let p = assert_problem(app.get("/api/v1/me", Some(&user.token)).await, 401).await;
        assert!(p["detail"].as_str().unwrap().contains("expired"), "{p}");
    }
}

on_both_databases! {
    async fn refreshing_rotates_the_token_and_reuse_revokes_the_family(app) {
        let user = app.register("jana@example.sk").await;
        let first = user.refresh_token.clone();
        let res = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first})).await;
        assert_eq!(res.status(), 200);
        let second = user_from(&res.json::<Value>().await.unwrap());
        assert_ne!(second.refresh_token, first);
        assert_eq!(app.get("/api/v1/me", Some(&second.token)).await.status(), 200);

        // The first token again at once (another tab, a retried request): refused, but the
        // family lives on.
        assert_problem(app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first})).await, 401).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL").await, 0);

        // Replaying it later: refused, and the newer one dies with it.
        app.clock.advance(chrono::Duration::seconds(11));
        assert_problem(app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first})).await, 401).await;
        assert_problem(app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": second.refresh_token})).await, 401).await;

        // A fresh login starts a new family that still works.
        let res = app.login("jana@example.sk", password()).await;
        let third = user_from(&res.json::<Value>().await.unwrap());
        assert_eq!(app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": third.refresh_token})).await.status(), 200);
    }
}

on_both_databases! {
    async fn concurrent_refreshes_with_one_token_let_at_most_one_win(app) {
        let user = app.register("jana@example.sk").await;
        let body = json!({"refresh_token": user.refresh_token});
        let calls = (0..10).map(|_| app.post("/api/v1/auth/refresh", None, &body));
        let responses = futures_util::future::join_all(calls).await;
        let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
        assert!(statuses.iter().filter(|s| **s == 200).count() <= 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 401), "{statuses:?}");
        // The losers of the race did not sign the winner out: nothing was revoked.
        assert_eq!(app.scalar("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL").await, 0, "{statuses:?}");
        for res in responses.into_iter().filter(|r| r.status() == 200) {
            let winner = user_from(&res.json::<Value>().await.unwrap());
            let again = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": winner.refresh_token})).await;
            assert_eq!(again.status(), 200, "the winner is still signed in");
        }
    }
}

on_both_databases! {
    async fn the_refresh_cookie_restores_a_session_and_logout_ends_it(app) {
        app.register("jana@example.sk").await; // the client's cookie store keeps pnyx_refresh
        let res = app.request(reqwest::Method::POST, "/api/v1/auth/refresh", None).send().await.unwrap();
        assert_eq!(res.status(), 200, "cookie-only refresh");
        let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/api/v1/auth"), "{cookie}");
        let res = app.request(reqwest::Method::POST, "/api/v1/auth/logout", None).send().await.unwrap();
        assert_eq!(res.status(), 204);
        let res = app.request(reqwest::Method::POST, "/api/v1/auth/refresh", None).send().await.unwrap();
        assert_problem(res, 401).await;
    }
}

on_both_databases! {
    async fn changing_the_password_needs_the_old_one_and_ends_other_sessions(app) {
        let user = app.register("jana@example.sk").await;
        let res = app.post("/api/v1/me/password", Some(&user.token), &json!({"current_password": "wrong wrong wrong", "new_password": "new horse battery"})).await;
        assert_problem(res, 403).await;
        let res = app.post("/api/v1/me/password", Some(&user.token), &json!({"current_password": password(), "new_password": "short"})).await;
        assert_eq!(error_fields(&assert_problem(res, 422).await), vec!["new_password"]);
        let res = app.post("/api/v1/me/password", Some(&user.token), &json!({"current_password": password(), "new_password": "new horse battery"})).await;
        assert_eq!(res.status(), 204);
        assert_problem(app.login("jana@example.sk", password()).await, 401).await;
        assert_eq!(app.login("jana@example.sk", "new horse battery").await.status(), 200);
        assert_problem(app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": user.refresh_token})).await, 401).await;
    }
}

on_both_databases! {
    async fn the_profile_can_be_updated_but_not_with_bad_values(app) {
        let user = app.register("jana@example.sk").await;
        let res = app.patch("/api/v1/me", Some(&user.token), &json!({"display_name": "Jana N.", "locale": "pl"})).await;
        assert_eq!(res.status(), 200);
        let me: Value = res.json().await.unwrap();
        assert_eq!((me["display_name"].as_str(), me["locale"].as_str()), (Some("Jana N."), Some("pl")));
        let res = app.patch("/api/v1/me", Some(&user.token), &json!({"display_name": "x".repeat(101)})).await;
        assert_eq!(error_fields(&assert_problem(res, 422).await), vec!["display_name"]);
        let me: Value = app.get("/api/v1/me", Some(&user.token)).await.json().await.unwrap();
        assert_eq!(me["display_name"], "Jana N.", "nothing changed by the refused request");
    }
}

on_both_databases! {
    async fn api_tokens_are_shown_once_scoped_and_revocable(app) {
        let user = app.register("jana@example.sk").await;
        let res = app.post("/api/v1/me/tokens", Some(&user.token), &json!({"name": "mirror", "scope": "read"})).await;
        assert_eq!(res.status(), 201);
        let created: Value = res.json().await.unwrap();
        let secret = created["token"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("pnyx_"));
        let list: Value = app.get("/api/v1/me/tokens", Some(&user.token)).await.json().await.unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert!(list["items"][0].get("token").is_none(), "the secret is not shown again");

        // A read token reads, cannot act, cannot mint tokens.
        assert_eq!(app.get("/api/v1/me", Some(&secret)).await.status(), 200);
        assert_problem(app.patch("/api/v1/me", Some(&secret), &json!({"display_name": "Hacked"})).await, 403).await;
        assert_problem(app.post("/api/v1/me/tokens", Some(&secret), &json!({"name": "more", "scope": "act"})).await, 403).await;
        // Nor revoke tokens: revoking is acting.
        let id = created["id"].as_str().unwrap();
        assert_problem(app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&secret)).await, 403).await;
        assert_eq!(app.get("/api/v1/me", Some(&secret)).await.status(), 200, "still valid");

        assert_eq!(app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&user.token)).await.status(), 204);
        assert_problem(app.get("/api/v1/me", Some(&secret)).await, 401).await;
        assert_problem(app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&user.token)).await, 404).await;
    }
}

on_both_databases! {
    async fn repeated_wrong_passwords_lock_the_account_out_for_a_while(app) {
        app.register("jana@example.sk").await;
        for _ in 0..10 {
            assert_problem(app.login("jana@example.sk", "guess guess guess").await, 401).await;
        }
        let res = app.login("jana@example.sk", password()).await;
        assert!(res.headers().get("retry-after").is_some());
        let p = assert_problem(res, 429).await;
        assert_eq!(p["code"], "too-many-attempts");
        // Another account is unaffected.
        app.register("petra@example.sk").await;
        assert_eq!(app.login("petra@example.sk", password()).await.status(), 200);
    }
}

on_both_databases! {
    async fn concurrent_registrations_of_one_email_create_one_account(app) {
        let body = json!({"email": "race@example.sk", "password": password(), "display_name": "Race", "locale": "sk"});
        let calls = (0..12).map(|_| app.post("/api/v1/auth/register", None, &body));
        let statuses: Vec<u16> = futures_util::future::join_all(calls).await.iter().map(|r| r.status().as_u16()).collect();
        assert!(statuses.iter().all(|s| *s == 202), "the same answer to each: {statuses:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE email = 'race@example.sk'").await, 1);
        assert_eq!(app.mails("race@example.sk", "account.verify-email").await.len(), 1, "one verification link");
    }
}
