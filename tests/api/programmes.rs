//! Programmes across municipalities: platform admins create them and invite organisations, each
//! organisation's admin accepts or declines (nobody else may), and the public programme page
//! shows the joined members' action plans, reports' answer times and budget execution, as JSON
//! and CSV.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of, password, user_from};
use crate::on_both_databases;

const PROGRAMMES: &str = "/api/v1/programmes";

fn programme_body(slug: &str) -> Value {
    json!({
        "slug": slug,
        "name": {"en": "OGP Local in Slovakia", "sk": "OGP Local na Slovensku"},
        "description": {"en": "Towns opening their governments together."}
    })
}

struct People {
    root: User,
    mesto_admin: User,
    mesto_official: User,
    obec_admin: User,
    jana: User,
}

async fn people(app: &TestApp) -> People {
    let mesto_admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
    let mesto_official = app.register("official@mesto.sk").await;
    app.grant("mesto", mesto_official.id, &["official"]).await;
    let obec_admin = app.org_with_member("obec", "admin@obec.sk", &["admin"]).await;
    let root = app.platform_admin("root@pnyx.eu").await;
    let jana = app.register("jana@example.sk").await;
    People { root, mesto_admin, mesto_official, obec_admin, jana }
}

async fn invite(app: &TestApp, who: Option<&User>, programme: &str, org: &str) -> reqwest::Response {
    app.post(&format!("{PROGRAMMES}/{programme}/members"), who.map(|u| u.token.as_str()), &json!({"org": org})).await
}

async fn decide(app: &TestApp, who: Option<&User>, org: &str, programme: &str, join: bool) -> reqwest::Response {
    let url = format!("/api/v1/orgs/{org}/programmes/{programme}/decision");
    app.post(&url, who.map(|u| u.token.as_str()), &json!({"join": join})).await
}

fn member_slugs(detail: &Value) -> Vec<(String, String)> {
    detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["org"]["slug"].as_str().unwrap().to_owned(), m["status"].as_str().unwrap().to_owned()))
        .collect()
}

on_both_databases! {
    async fn platform_admins_create_programmes_with_checked_names_and_unique_slugs(app) {
        let p = people(&app).await;
        assert_problem(app.post(PROGRAMMES, None, &programme_body("ogp-sk")).await, 401).await;
        for who in [&p.jana, &p.mesto_admin] {
            assert_problem(app.post(PROGRAMMES, Some(&who.token), &programme_body("ogp-sk")).await, 403).await;
        }
        let bad = assert_problem(app.post(PROGRAMMES, Some(&p.root.token), &programme_body("Not A Slug")).await, 422).await;
        assert_eq!(error_fields(&bad), vec!["slug"]);
        let mut no_english = programme_body("ogp-sk");
        no_english["name"] = json!({"sk": "Len po slovensky"});
        let bad = assert_problem(app.post(PROGRAMMES, Some(&p.root.token), &no_english).await, 422).await;
        assert_eq!(error_fields(&bad), vec!["name.en"]);
        let mut blank = programme_body("ogp-sk");
        blank["description"] = json!({"en": "   "});
        let bad = assert_problem(app.post(PROGRAMMES, Some(&p.root.token), &blank).await, 422).await;
        assert_eq!(error_fields(&bad), vec!["description.en"]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM programmes").await, 0, "nothing stored on refusal");

        let created = json_of(app.post(PROGRAMMES, Some(&p.root.token), &programme_body("ogp-sk")).await, 201).await;
        assert_eq!((created["slug"].as_str(), created["joined"].as_u64()), (Some("ogp-sk"), Some(0)));
        assert_eq!(created["name"]["sk"], "OGP Local na Slovensku");
        let taken = assert_problem(app.post(PROGRAMMES, Some(&p.root.token), &programme_body("ogp-sk")).await, 409).await;
        assert_eq!(taken["code"], "slug-taken");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM programmes").await, 1);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'programme.created'").await, 1);

        let list = json_of(app.get(PROGRAMMES, None).await, 200).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert_eq!(list["items"][0]["slug"], "ogp-sk");
        assert_problem(app.get(&format!("{PROGRAMMES}/nope"), None).await, 404).await;
    }
}

on_both_databases! {
    async fn only_the_organisations_admin_accepts_or_declines_and_only_once(app) {
        let p = people(&app).await;
        json_of(app.post(PROGRAMMES, Some(&p.root.token), &programme_body("ogp-sk")).await, 201).await;

        // Inviting: platform admins only, an existing organisation, once.
        assert_problem(invite(&app, None, "ogp-sk", "mesto").await, 401).await;
        assert_problem(invite(&app, Some(&p.mesto_admin), "ogp-sk", "mesto").await, 403).await;
        assert_problem(invite(&app, Some(&p.root), "nope", "mesto").await, 404).await;
        let bad = assert_problem(invite(&app, Some(&p.root), "ogp-sk", "atlantis").await, 422).await;
        assert_eq!(error_fields(&bad), vec!["org"]);
        let m = json_of(invite(&app, Some(&p.root), "ogp-sk", "mesto").await, 201).await;
        assert_eq!((m["org"]["slug"].as_str(), m["status"].as_str()), (Some("mesto"), Some("invited")));
        assert!(m["decided_at"].is_null());
        let again = assert_problem(invite(&app, Some(&p.root), "ogp-sk", "mesto").await, 409).await;
        assert_eq!(again["code"], "already-in-programme");
        json_of(invite(&app, Some(&p.root), "ogp-sk", "obec").await, 201).await;

        // The invitation is seen by the organisation's staff, not by residents or the public.
        let mine = json_of(app.get("/api/v1/orgs/mesto/programmes", Some(&p.mesto_official.token)).await, 200).await;
        assert_eq!(mine["items"][0]["status"], "invited");
        assert_eq!(mine["items"][0]["programme"]["slug"], "ogp-sk");
        assert_problem(app.get("/api/v1/orgs/mesto/programmes", Some(&p.jana.token)).await, 403).await;
        assert_problem(app.get("/api/v1/orgs/mesto/programmes", None).await, 401).await;

        // Nobody is public yet; the platform admin sees both invitations.
        let public = json_of(app.get(&format!("{PROGRAMMES}/ogp-sk"), None).await, 200).await;
        assert!(member_slugs(&public).is_empty());
        let all = json_of(app.get(&format!("{PROGRAMMES}/ogp-sk"), Some(&p.root.token)).await, 200).await;
        assert_eq!(member_slugs(&all), vec![("mesto".into(), "invited".into()), ("obec".into(), "invited".into())]);

        // Deciding: the organisation's admin only — not its official, not another organisation's
        // admin, not a platform admin without the role.
        assert_problem(decide(&app, None, "mesto", "ogp-sk", true).await, 401).await;
        for who in [&p.mesto_official, &p.obec_admin, &p.root, &p.jana] {
            assert_problem(decide(&app, Some(who), "mesto", "ogp-sk", true).await, 403).await;
        }
        assert_problem(decide(&app, Some(&p.mesto_admin), "mesto", "nope", true).await, 404).await;
        let joined = json_of(decide(&app, Some(&p.mesto_admin), "mesto", "ogp-sk", true).await, 200).await;
        assert_eq!(joined["status"], "joined");
        assert!(joined["decided_at"].is_string());
        let twice = assert_problem(decide(&app, Some(&p.mesto_admin), "mesto", "ogp-sk", false).await, 409).await;
        assert_eq!(twice["code"], "invalid-transition");
        let declined = json_of(decide(&app, Some(&p.obec_admin), "obec", "ogp-sk", false).await, 200).await;
        assert_eq!(declined["status"], "declined");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('programme.joined', 'programme.declined')").await, 2);

        // Only the joined member is public, and counted.
        let public = json_of(app.get(&format!("{PROGRAMMES}/ogp-sk"), None).await, 200).await;
        assert_eq!(member_slugs(&public), vec![("mesto".into(), "joined".into())]);
        assert_eq!(public["programme"]["joined"], 1);
        let list = json_of(app.get(PROGRAMMES, None).await, 200).await;
        assert_eq!(list["items"][0]["joined"], 1);

        // A declined organisation may be invited again, and then decide again.
        let re = json_of(invite(&app, Some(&p.root), "ogp-sk", "obec").await, 201).await;
        assert_eq!(re["status"], "invited");
        let joined = json_of(decide(&app, Some(&p.obec_admin), "obec", "ogp-sk", true).await, 200).await;
        assert_eq!(joined["status"], "joined");
        // An organisation never invited has nothing to decide.
        json_of(app.post(PROGRAMMES, Some(&p.root.token), &programme_body("other")).await, 201).await;
        assert_problem(decide(&app, Some(&p.mesto_admin), "mesto", "other", true).await, 404).await;
    }
}

const BUDGET: &str = "\
code,programme_code,programme_name,subprogramme_code,subprogramme_name,economic_code,name,planned,amended,q1,q2,q3,q4
0602-0001-411,0602,Služby,0001,Úrad,411,Platy,400000,,100000,100000,100000,
0701-0002-425,0701,Doprava,0002,Cesty,425,Opravy,300000,350000,50000,60000,,
";

async fn import_budget(app: &TestApp, official: &User, year: i32) {
    let res = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/orgs/mesto/budget-years/{year}/import"),
            Some(&official.token),
        )
        .header("Content-Type", "text/csv")
        .body(BUDGET.as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
}

on_both_databases! {
    async fn the_programme_page_shows_each_joined_members_plans_answers_and_budget_as_json_and_csv(app) {
        let mut p = people(&app).await;
        json_of(app.post(PROGRAMMES, Some(&p.root.token), &programme_body("ogp-sk")).await, 201).await;
        for org in ["mesto", "obec"] {
            json_of(invite(&app, Some(&p.root), "ogp-sk", org).await, 201).await;
        }
        json_of(decide(&app, Some(&p.mesto_admin), "mesto", "ogp-sk", true).await, 200).await;
        // obec stays invited: it is not on the page.

        // mesto: a public plan whose commitment has one milestone done and one past its end;
        // a draft plan's commitment does not count.
        let (_, commitment) = crate::action_plans::plan_with_commitment(&app, &p.mesto_official, false).await;
        let url = format!("/api/v1/orgs/mesto/commitments/{commitment}");
        let c = crate::action_plans::add_milestone(&app, &p.mesto_official, &commitment, &crate::action_plans::milestone_body("2021-09-01", "2021-12-31")).await;
        let first = c["milestones"][0]["id"].as_str().unwrap().to_owned();
        crate::action_plans::add_milestone(&app, &p.mesto_official, &commitment, &crate::action_plans::milestone_body("2022-01-01", "2022-06-30")).await;
        let done = json!({"status": "done", "completed_on": "2021-12-20", "reason": "Hotovo"});
        json_of(app.patch(&format!("{url}/milestones/{first}"), Some(&p.mesto_official.token), &done).await, 200).await;
        crate::action_plans::plan_with_commitment(&app, &p.mesto_official, true).await;

        // mesto: three reports in a 2-day category; one answered after a day, one after three.
        let cat = json_of(app.post("/api/v1/orgs/mesto/report-categories", Some(&p.mesto_official.token),
            &json!({"name": {"sk": "Cesty"}, "department": "Odbor dopravy", "answer_days": 2})).await, 201).await;
        let cat = cat["id"].as_str().unwrap().to_owned();
        let mut ids = Vec::new();
        for title in ["Výtlk na Hlavnej", "Rozbitá lampa", "Čierna skládka"] {
            let b = json!({"kind": "report", "category_id": cat, "title": title, "description": "Popis.", "address": "Hlavná 1"});
            let r = json_of(app.post("/api/v1/orgs/mesto/resident-reports", Some(&p.jana.token), &b).await, 201).await;
            ids.push(r["id"].as_str().unwrap().to_owned());
        }
        let answer = |id: &str| format!("/api/v1/orgs/mesto/resident-reports/{id}/transitions");
        app.clock.advance(Duration::days(1));
        p.mesto_official = user_from(&json_of(app.login("official@mesto.sk", password()).await, 200).await);
        json_of(app.post(&answer(&ids[0]), Some(&p.mesto_official.token), &json!({"status": "accepted", "answer": "Prijaté."})).await, 200).await;
        app.clock.advance(Duration::days(2));
        p.mesto_official = user_from(&json_of(app.login("official@mesto.sk", password()).await, 200).await);
        json_of(app.post(&answer(&ids[1]), Some(&p.mesto_official.token), &json!({"status": "resolved", "answer": "Opravené."})).await, 200).await;

        // mesto: two budget years; the latest is shown.
        import_budget(&app, &p.mesto_official, 2025).await;
        import_budget(&app, &p.mesto_official, 2026).await;

        let o = json_of(app.get(&format!("{PROGRAMMES}/ogp-sk/overview"), None).await, 200).await;
        let members = o["members"].as_array().unwrap();
        assert_eq!(members.len(), 1, "only joined members: {o}");
        let m = &members[0];
        assert_eq!(m["org"]["slug"], "mesto");
        assert_eq!(m["action_plans"]["commitments"], 1, "the draft plan's commitment is left out");
        assert_eq!(m["action_plans"]["by_level"], json!({"not_started": 0, "limited": 0, "substantial": 1, "complete": 0}));
        let overdue = m["action_plans"]["overdue_milestones"].as_array().unwrap();
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0]["end_date"], "2022-06-30");
        assert_eq!(m["reports"], json!({
            "received": 3, "answered": 2, "answered_in_time": 1, "in_time_percent": 50,
            "median_first_answer_seconds": 2 * 86_400
        }));
        assert_eq!(m["budget"], json!({
            "year": 2026, "currency": "EUR", "planned": 70_000_000, "current": 75_000_000,
            "executed": 41_000_000, "executed_percent": 54
        }));
        assert_eq!(o["programme"]["joined"], 1);

        let res = app.get(&format!("{PROGRAMMES}/ogp-sk/overview.csv"), None).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let text = res.text().await.unwrap();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 2, "{text}");
        assert!(rows[0].starts_with("org_slug,org_name,commitments,not_started,limited,substantial,complete,overdue_milestones"));
        assert_eq!(rows[1].split(',').skip(2).collect::<Vec<_>>(),
            vec!["1", "0", "0", "1", "0", "1", "3", "2", "1", "50", "172800", "2026", "EUR", "70000000", "75000000", "41000000"]);
        assert_problem(app.get(&format!("{PROGRAMMES}/nope/overview"), None).await, 404).await;
        assert_problem(app.get(&format!("{PROGRAMMES}/nope/overview.csv"), None).await, 404).await;

        // When obec joins it appears beside mesto, with empty figures and no budget.
        p.obec_admin = user_from(&json_of(app.login("admin@obec.sk", password()).await, 200).await);
        json_of(decide(&app, Some(&p.obec_admin), "obec", "ogp-sk", true).await, 200).await;
        let o = json_of(app.get(&format!("{PROGRAMMES}/ogp-sk/overview"), None).await, 200).await;
        let slugs: Vec<&str> = o["members"].as_array().unwrap().iter().map(|m| m["org"]["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, vec!["mesto", "obec"]);
        assert!(o["members"][1]["budget"].is_null());
        assert_eq!(o["members"][1]["reports"]["received"], 0);
        assert!(o["members"][1]["reports"]["in_time_percent"].is_null());
    }
}
