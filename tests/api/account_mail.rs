//! Account e-mail: the verification gate on taking part, single-use expiring links (verification,
//! password reset, new address), and answers that do not tell which addresses have accounts.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, json_of, password, user_from};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";

/// Every way of taking part, each against something open to it: (what, method, path, body).
async fn ways_of_taking_part(app: &TestApp) -> Vec<(&'static str, reqwest::Method, String, Value)> {
    use crate::budgets::{ballot, create, process, propose, review, to, voting};
    let (official, vote_id, ps) = voting(app, json!({"kind": "approval", "max_projects": 2})).await;
    let author = app.register("author2@example.sk").await;
    let sup = create(app, &official, &process(json!({"kind": "approval"}), Some(1))).await;
    to(app, &official, &sup, "proposals").await;
    let proposal = propose(app, &author, &sup, "Lavičky", 1_000_000).await;
    to(app, &official, &sup, "review").await;
    review(app, &official, &sup, &proposal, true).await;
    to(app, &official, &sup, "supports").await;
    let meeting = crate::meetings::create(app, &official, &crate::meetings::meeting(48, None)).await;
    let now = Utc::now();
    let consultation = json!({"title": {"sk": "Konzultácia"}, "subject": "budget",
        "opens_at": now - Duration::days(1), "closes_at": now + Duration::days(9)});
    let consultation =
        json_of(app.post(&format!("{ORG}/consultations"), Some(&official.token), &consultation).await, 201).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let survey = json!({"title": {"sk": "Doprava"}, "opens_at": now - Duration::days(1), "closes_at": now + Duration::days(9),
        "questions": [{"id": "mode", "text": {"sk": "Ako?"}, "required": true,
            "kind": {"type": "single_choice", "options": [{"id": "bus", "label": {"sk": "Autobus"}}, {"id": "car", "label": {"sk": "Auto"}}]}}]});
    let survey = json_of(app.post(&format!("{ORG}/surveys"), Some(&official.token), &survey).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let category = crate::reports::category(app, &official, "Osvetlenie", 5).await;
    let filed = crate::reports::file(app, &author, &crate::reports::report(&category, "Jama na ceste")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    use reqwest::Method;
    vec![
        ("vote", Method::PUT, format!("{ORG}/budgets/{vote_id}/ballot"), ballot(&[&ps[0]])),
        ("support", Method::POST, format!("{ORG}/budgets/{sup}/proposals/{proposal}/supports"), json!({})),
        (
            "propose",
            Method::POST,
            format!("{ORG}/budgets/{vote_id}/proposals"),
            json!({"title": {"sk": "Park"}, "description": {"sk": "Popis."}, "estimated_cost": 1000, "location": "Námestie"}),
        ),
        ("register for a meeting", Method::POST, format!("{ORG}/meetings/{meeting}/registrations"), json!({})),
        (
            "answer a survey",
            Method::POST,
            format!("{ORG}/surveys/{survey}/responses"),
            json!({"answers": {"mode": {"type": "single_choice", "option": "bus"}}}),
        ),
        (
            "post an opinion",
            Method::POST,
            format!("{ORG}/consultations/{consultation}/opinions"),
            json!({"text": "Viac cyklotrás."}),
        ),
        ("comment", Method::POST, format!("{ORG}/threads/meeting/{meeting}/comments"), json!({"body": "Prídem."})),
        (
            "file a report",
            Method::POST,
            format!("{ORG}/resident-reports"),
            crate::reports::report(&category, "Nesvieti lampa"),
        ),
        ("support a report", Method::POST, format!("{ORG}/resident-reports/{filed}/supports"), json!({})),
    ]
}

async fn send(
    app: &TestApp,
    who: &User,
    (_, method, path, body): &(&str, reqwest::Method, String, Value),
) -> reqwest::Response {
    app.request(method.clone(), path, Some(&who.token)).json(body).send().await.unwrap()
}

on_both_databases! {
    async fn an_unconfirmed_resident_reads_but_cannot_take_part_until_they_confirm(app) {
        let ways = ways_of_taking_part(&app).await;
        let nova = app.register_unverified("nova@example.sk").await;
        let me = json_of(app.get("/api/v1/me", Some(&nova.token)).await, 200).await;
        assert_eq!(me["email_verified"], false);
        for way in &ways {
            let p = assert_problem(send(&app, &nova, way).await, 403).await;
            assert_eq!(p["code"], "email-not-verified", "{}", way.0);
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM meeting_registrations").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM comments").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM opinions").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_responses").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM reports").await, 1, "only the verified author's");
        assert_eq!(app.get(ways[3].2.trim_end_matches("/registrations"), Some(&nova.token)).await.status(), 200, "reading is allowed");
        assert_eq!(app.patch("/api/v1/me", Some(&nova.token), &json!({"display_name": "Nová"})).await.status(), 200, "and managing the account");

        let res = app.verify_email(&app.mail_token("nova@example.sk", "account.verify-email").await).await;
        let nova = user_from(&json_of(res, 200).await);
        let me = json_of(app.get("/api/v1/me", Some(&nova.token)).await, 200).await;
        assert_eq!(me["email_verified"], true);
        for way in &ways {
            let status = send(&app, &nova, way).await.status().as_u16();
            if way.0 == "propose" {
                assert_eq!(status, 409, "past the verification gate, the phase decides");
            } else {
                assert!(status == 200 || status == 201, "{}: {status}", way.0);
            }
        }
    }
}

on_both_databases! {
    async fn a_verification_link_works_once_and_not_after_48_hours(app) {
        app.register_only("jana@example.sk").await;
        let old = app.mail_token("jana@example.sk", "account.verify-email").await;
        app.clock.advance(Duration::hours(49));
        let p = assert_problem(app.verify_email(&old).await, 400).await;
        assert_eq!(p["code"], "invalid-token");
        let jana = user_from(&json_of(app.login("jana@example.sk", password()).await, 200).await);
        let res = app.post("/api/v1/auth/verification-email", Some(&jana.token), &json!({})).await;
        assert_eq!(res.status(), 202);
        let p = assert_problem(app.post("/api/v1/auth/verification-email", Some(&jana.token), &json!({})).await, 429).await;
        assert_eq!(p["code"], "rate-limited", "one a minute");
        let mails = app.mails("jana@example.sk", "account.verify-email").await;
        assert_eq!(mails.len(), 2);
        let fresh = app.mail_token("jana@example.sk", "account.verify-email").await;
        assert_ne!(fresh, old);
        assert_eq!(app.verify_email(&fresh).await.status(), 200);
        let p = assert_problem(app.verify_email(&fresh).await, 400).await;
        assert_eq!(p["code"], "invalid-token", "single use");
        assert_problem(app.verify_email("not-a-token").await, 400).await;
        // Confirmed: nothing more is sent.
        app.clock.advance(Duration::minutes(2));
        assert_eq!(app.post("/api/v1/auth/verification-email", Some(&jana.token), &json!({})).await.status(), 202);
        assert_eq!(app.mails("jana@example.sk", "account.verify-email").await.len(), 2);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM account_tokens WHERE consumed_at IS NOT NULL").await, 1);
    }
}

on_both_databases! {
    async fn concurrent_uses_of_one_link_confirm_once(app) {
        app.register_only("jana@example.sk").await;
        let token = app.mail_token("jana@example.sk", "account.verify-email").await;
        let calls = (0..6).map(|_| app.verify_email(&token));
        let statuses: Vec<u16> = futures_util::future::join_all(calls).await.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 400), "{statuses:?}");
    }
}

on_both_databases! {
    async fn a_password_reset_answers_alike_works_once_within_30_minutes_and_ends_every_session(app) {
        let jana = app.register("jana@example.sk").await;
        let other_session = user_from(&json_of(app.login("jana@example.sk", password()).await, 200).await);
        let asked = app.post("/api/v1/auth/password-reset", None, &json!({"email": "Jana@example.sk"})).await;
        let unknown = app.post("/api/v1/auth/password-reset", None, &json!({"email": "nobody@example.sk"})).await;
        assert_eq!((asked.status().as_u16(), unknown.status().as_u16()), (202, 202));
        assert_eq!(asked.json::<Value>().await.unwrap(), unknown.json::<Value>().await.unwrap(), "the same answer");
        assert!(app.mails("nobody@example.sk", "account.password-reset").await.is_empty());
        let token = app.mail_token("jana@example.sk", "account.password-reset").await;

        let weak = json!({"token": token, "new_password": "short"});
        let p = assert_problem(app.post("/api/v1/auth/password-reset/confirm", None, &weak).await, 422).await;
        assert_eq!(p["errors"][0]["field"], "new_password");
        let body = json!({"token": token, "new_password": "a brand new password"});
        assert_eq!(app.post("/api/v1/auth/password-reset/confirm", None, &body).await.status(), 204, "a weak password did not use the link up");
        let p = assert_problem(app.post("/api/v1/auth/password-reset/confirm", None, &body).await, 400).await;
        assert_eq!(p["code"], "invalid-token", "single use");

        assert_problem(app.login("jana@example.sk", password()).await, 401).await;
        assert_eq!(app.login("jana@example.sk", "a brand new password").await.status(), 200);
        for session in [&jana, &other_session] {
            let res = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": session.refresh_token})).await;
            assert_problem(res, 401).await;
        }

        // A second link within a minute is not sent; later it is, and it lasts 30 minutes.
        app.post("/api/v1/auth/password-reset", None, &json!({"email": "jana@example.sk"})).await;
        assert_eq!(app.mails("jana@example.sk", "account.password-reset").await.len(), 1);
        app.clock.advance(Duration::minutes(2));
        app.post("/api/v1/auth/password-reset", None, &json!({"email": "jana@example.sk"})).await;
        assert_eq!(app.mails("jana@example.sk", "account.password-reset").await.len(), 2);
        let late = app.mail_token("jana@example.sk", "account.password-reset").await;
        app.clock.advance(Duration::minutes(31));
        let res = app.post("/api/v1/auth/password-reset/confirm", None, &json!({"token": late, "new_password": "yet another password"})).await;
        assert_eq!(assert_problem(res, 400).await["code"], "invalid-token", "expired");
        assert_eq!(app.login("jana@example.sk", "a brand new password").await.status(), 200);
    }
}

on_both_databases! {
    async fn a_password_reset_confirms_the_address(app) {
        app.register_only("jana@example.sk").await;
        app.post("/api/v1/auth/password-reset", None, &json!({"email": "jana@example.sk"})).await;
        let token = app.mail_token("jana@example.sk", "account.password-reset").await;
        let body = json!({"token": token, "new_password": "a brand new password"});
        assert_eq!(app.post("/api/v1/auth/password-reset/confirm", None, &body).await.status(), 204);
        let jana = user_from(&json_of(app.login("jana@example.sk", "a brand new password").await, 200).await);
        assert_eq!(json_of(app.get("/api/v1/me", Some(&jana.token)).await, 200).await["email_verified"], true);
    }
}

on_both_databases! {
    async fn a_new_address_is_taken_only_once_confirmed_from_it(app) {
        let jana = app.register("jana@example.sk").await;
        app.register("taken@example.sk").await;
        let change = |email: &str, pw: &str| json!({"new_email": email, "current_password": pw});
        let p = assert_problem(app.post("/api/v1/me/email", Some(&jana.token), &change("new@example.sk", "wrong password!")).await, 403).await;
        assert_eq!(p["code"], "wrong-password");
        assert_eq!(app.post("/api/v1/me/email", Some(&jana.token), &change("taken@example.sk", password())).await.status(), 202);
        assert!(app.mails("taken@example.sk", "account.confirm-new-email").await.is_empty(), "a taken address gets no link");
        app.clock.advance(Duration::minutes(2));
        assert_eq!(app.post("/api/v1/me/email", Some(&jana.token), &change("New@example.sk", password())).await.status(), 202);
        let token = app.mail_token("new@example.sk", "account.confirm-new-email").await;
        let me = json_of(app.get("/api/v1/me", Some(&jana.token)).await, 200).await;
        assert_eq!(me["email"], "jana@example.sk", "the old address until confirmed");
        let me = json_of(app.post("/api/v1/auth/confirm-email", None, &json!({"token": token})).await, 200).await;
        assert_eq!((me["email"].as_str(), me["email_verified"].as_bool()), (Some("new@example.sk"), Some(true)));
        assert_eq!(app.login("new@example.sk", password()).await.status(), 200);
        assert_problem(app.login("jana@example.sk", password()).await, 401).await;
        let p = assert_problem(app.post("/api/v1/auth/confirm-email", None, &json!({"token": token})).await, 400).await;
        assert_eq!(p["code"], "invalid-token");
    }
}
