//! Staff invitations: an admin invites an address, its owner accepts through the e-mailed link
//! (signed in with that address, or after registering with it); admins list, resend and revoke;
//! nobody finds accounts by e-mail.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const INVITATIONS: &str = "/api/v1/orgs/bedzin/invitations";
const KIND: &str = "staff.invitation";

async fn invite(app: &TestApp, admin: &User, email: &str, roles: &[&str]) -> Value {
    json_of(app.post(INVITATIONS, Some(&admin.token), &json!({"email": email, "roles": roles})).await, 201).await
}

async fn accept(app: &TestApp, who: Option<&User>, token: &str) -> reqwest::Response {
    app.post("/api/v1/invitations/accept", who.map(|u| u.token.as_str()), &json!({"token": token})).await
}

on_both_databases! {
    async fn an_invited_address_registers_and_accepts_and_holds_the_roles(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let inv = invite(&app, &admin, " Jana@Example.PL ", &["official", "moderator"]).await;
        assert_eq!(inv["email"], "jana@example.pl", "the address is normalised");
        assert_eq!(inv["status"], "pending");
        assert!(inv.get("token").is_none(), "the link's secret is never in an answer");
        // No account has this address: the message goes in the organisation's language.
        assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = '{KIND}' AND locale = 'sk'")).await, 1);
        let token = app.mail_token("jana@example.pl", KIND).await;

        let seen = json_of(app.post("/api/v1/invitations/preview", None, &json!({"token": token})).await, 200).await;
        assert_eq!((seen["org_slug"].as_str(), seen["email"].as_str()), (Some("bedzin"), Some("jana@example.pl")));
        assert_eq!(seen["roles"], json!(["official", "moderator"]));

        // She registers with the address and accepts without opening the verification mail:
        // the invitation's link reached the address, so it counts as confirmed.
        let jana = app.register_unverified("jana@example.pl").await;
        let done = json_of(accept(&app, Some(&jana), &token).await, 200).await;
        assert_eq!(done["org_slug"], "bedzin");
        assert_eq!(done["roles"], json!(["official", "moderator"]));
        let me: Value = app.get("/api/v1/me", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(me["memberships"][0]["roles"], json!(["official", "moderator"]));
        assert_eq!(me["email_verified"], true);

        let p = assert_problem(accept(&app, Some(&jana), &token).await, 400).await;
        assert_eq!(p["code"], "invalid-token", "the link works once");
        let list = json_of(app.get(INVITATIONS, Some(&admin.token)).await, 200).await;
        assert_eq!(list["items"][0]["status"], "accepted");
        assert_eq!(json_of(app.get(&format!("{INVITATIONS}?status=pending"), Some(&admin.token)).await, 200).await["total"], 0);

        let log = app.get("/api/v1/orgs/bedzin/audit-log", None).await.text().await.unwrap();
        assert!(log.contains("invitation.created") && log.contains("invitation.accepted"), "{log}");
        assert!(!log.contains("jana@"), "the public log never shows the address");
    }
}

on_both_databases! {
    async fn an_existing_account_is_invited_in_its_own_language_and_keeps_its_roles(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let piotr = app.register("piotr@example.pl").await;
        app.grant("bedzin", piotr.id, &["moderator"]).await;
        invite(&app, &admin, "piotr@example.pl", &["official"]).await;
        assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = '{KIND}' AND locale = 'en'")).await, 1);
        let token = app.mail_token("piotr@example.pl", KIND).await;
        let done = json_of(accept(&app, Some(&piotr), &token).await, 200).await;
        assert_eq!(done["roles"], json!(["official", "moderator"]), "invited roles are added to those held");
    }
}

on_both_databases! {
    async fn an_invitation_is_accepted_only_by_the_invited_address(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        invite(&app, &admin, "jana@example.pl", &["admin"]).await;
        let token = app.mail_token("jana@example.pl", KIND).await;
        let eve = app.register("eve@example.pl").await;
        let p = assert_problem(accept(&app, Some(&eve), &token).await, 403).await;
        assert_eq!(p["code"], "invitation-for-another-address");
        let me: Value = app.get("/api/v1/me", Some(&eve.token)).await.json().await.unwrap();
        assert_eq!(me["memberships"], json!([]), "nothing was granted");
        assert_problem(accept(&app, None, &token).await, 401).await;
        let p = assert_problem(accept(&app, Some(&eve), "not-a-token").await, 400).await;
        assert_eq!(p["code"], "invalid-token");
        // The link still works for its owner.
        let jana = app.register("jana@example.pl").await;
        assert_eq!(accept(&app, Some(&jana), &token).await.status(), 200);
    }
}

on_both_databases! {
    async fn only_admins_invite_and_bad_invitations_are_refused(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let official = app.register("official@bedzin.pl").await;
        app.grant("bedzin", official.id, &["official"]).await;
        let body = json!({"email": "x@example.pl", "roles": ["admin"]});
        assert_problem(app.post(INVITATIONS, Some(&official.token), &body).await, 403).await;
        assert_problem(app.get(INVITATIONS, Some(&official.token)).await, 403).await;
        assert_problem(app.post(INVITATIONS, None, &body).await, 401).await;
        app.create_org("sosnowiec").await;
        assert_problem(app.post("/api/v1/orgs/sosnowiec/invitations", Some(&admin.token), &body).await, 403).await;
        assert_problem(app.post("/api/v1/orgs/nowhere/invitations", Some(&admin.token), &body).await, 404).await;

        let p = assert_problem(app.post(INVITATIONS, Some(&admin.token), &json!({"email": "not-an-address", "roles": ["official"]})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["email"]);
        let p = assert_problem(app.post(INVITATIONS, Some(&admin.token), &json!({"email": "x@example.pl", "roles": []})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["roles"]);
        assert_problem(app.post(INVITATIONS, Some(&admin.token), &json!({"email": "x@example.pl", "roles": ["mayor"]})).await, 422).await;
        assert_problem(app.post(INVITATIONS, Some(&admin.token), &json!({"email": "x@example.pl", "roles": ["official"], "extra": 1})).await, 422).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM invitations").await, 0, "nothing was stored");
        assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = '{KIND}'")).await, 0);

        invite(&app, &admin, "x@example.pl", &["official"]).await;
        let p = assert_problem(app.post(INVITATIONS, Some(&admin.token), &body).await, 409).await;
        assert_eq!(p["code"], "invitation-pending");
    }
}

on_both_databases! {
    async fn a_resent_invitation_has_a_new_link_and_a_revoked_one_none(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        let inv = invite(&app, &admin, "jana@example.pl", &["official"]).await;
        let id = inv["id"].as_str().unwrap();
        let first = app.mail_token("jana@example.pl", KIND).await;
        let resend = format!("{INVITATIONS}/{id}/resend");
        let p = assert_problem(app.post(&resend, Some(&admin.token), &json!({})).await, 429).await;
        assert_eq!(p["code"], "rate-limited");

        app.clock.advance(Duration::days(8));
        let p = assert_problem(app.post("/api/v1/invitations/preview", None, &json!({"token": first})).await, 400).await;
        assert_eq!(p["code"], "invalid-token", "an expired link does not work");
        // The admin's session expired meanwhile: sign in again at the new time.
        let admin = crate::helpers::user_from(&json_of(app.login("admin@bedzin.pl", crate::helpers::password()).await, 200).await);
        let list = json_of(app.get(INVITATIONS, Some(&admin.token)).await, 200).await;
        assert_eq!(list["items"][0]["status"], "expired");
        let again = json_of(app.post(&resend, Some(&admin.token), &json!({})).await, 200).await;
        assert_eq!(again["status"], "pending");
        let second = app.mail_token("jana@example.pl", KIND).await;
        assert_ne!(first, second);
        assert_eq!(app.post("/api/v1/invitations/preview", None, &json!({"token": second})).await.status(), 200);

        assert_eq!(app.delete(&format!("{INVITATIONS}/{id}"), Some(&admin.token)).await.status(), 204);
        let p = assert_problem(app.post("/api/v1/invitations/preview", None, &json!({"token": second})).await, 400).await;
        assert_eq!(p["code"], "invalid-token", "a revoked link does not work");
        assert_problem(app.delete(&format!("{INVITATIONS}/{id}"), Some(&admin.token)).await, 409).await;
        assert_problem(app.post(&resend, Some(&admin.token), &json!({})).await, 409).await;
        assert_problem(app.delete(&format!("{INVITATIONS}/{}", uuid::Uuid::now_v7()), Some(&admin.token)).await, 404).await;
        let log = app.get("/api/v1/orgs/bedzin/audit-log", None).await.text().await.unwrap();
        assert!(log.contains("invitation.resent") && log.contains("invitation.revoked"), "{log}");
        // A new invitation to the address may go now.
        invite(&app, &admin, "jana@example.pl", &["official"]).await;
    }
}

on_both_databases! {
    async fn of_two_accepts_with_one_link_one_wins(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        invite(&app, &admin, "jana@example.pl", &["official"]).await;
        let token = app.mail_token("jana@example.pl", KIND).await;
        let jana = app.register("jana@example.pl").await;
        let (a, b) = tokio::join!(accept(&app, Some(&jana), &token), accept(&app, Some(&jana), &token));
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 400]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'invitation.accepted'").await, 1);
    }
}

on_both_databases! {
    async fn accounts_cannot_be_looked_up_by_email_any_more(app) {
        let admin = app.org_with_member("bedzin", "admin@bedzin.pl", &["admin"]).await;
        app.register("jana@example.pl").await;
        let res = app.get("/api/v1/users?email=jana@example.pl", Some(&admin.token)).await;
        assert_eq!(res.status(), 404);
        let body = res.text().await.unwrap();
        assert!(!body.contains("jana"), "{body}");
    }
}
