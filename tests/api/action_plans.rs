//! Action plans, commitments, milestones, the public history, co-owners and the overview.

use chrono::{Duration, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const PLANS: &str = "/api/v1/orgs/mesto/action-plans";
const COMMITMENTS: &str = "/api/v1/orgs/mesto/commitments";

fn plan_body() -> Value {
    json!({
        "title": {"sk": "Akčný plán OGP Local 2021–2022", "en": "OGP Local action plan 2021–2022"},
        "description": {"sk": "Záväzky spoluvytvárané s mimovládnymi organizáciami."},
        "start_date": "2021-08-01", "end_date": "2022-08-31",
        "documents": [{"title": "Akčný plán (PDF)", "url": "https://www.banskabystrica.sk/ogp/akcny-plan.pdf"}]
    })
}

fn commitment_body(plan: &str) -> Value {
    json!({
        "action_plan_id": plan,
        "title": {"sk": "Register „Čo sa deje v meste“"},
        "lead": "Kancelária primátora",
        "supporting_actors": ["Univerzita Mateja Bela", "Živica"],
        "problem": {"sk": "Obyvatelia nevedia, aké projekty mesto pripravuje."},
        "objective": {"sk": "Verejný prehľad projektov."},
        "ogp_values": ["access_to_information", "civic_participation"],
        "budget": 1_500_000
    })
}

pub(crate) fn milestone_body(start: &str, end: &str) -> Value {
    json!({"title": {"sk": "Analýza potrieb"}, "deliverable": {"sk": "Správa"}, "start_date": start, "end_date": end})
}

/// A plan (moved to co-creation unless `draft`) with one commitment; returns (plan id, commitment id).
pub(crate) async fn plan_with_commitment(app: &TestApp, official: &User, draft: bool) -> (String, String) {
    let plan = json_of(app.post(PLANS, Some(&official.token), &plan_body()).await, 201).await;
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    if !draft {
        let url = format!("{PLANS}/{plan_id}/transitions");
        json_of(app.post(&url, Some(&official.token), &json!({"to": "co_creation"})).await, 200).await;
    }
    let c = json_of(app.post(COMMITMENTS, Some(&official.token), &commitment_body(&plan_id)).await, 201).await;
    (plan_id, c["id"].as_str().unwrap().to_owned())
}

pub(crate) async fn add_milestone(app: &TestApp, official: &User, commitment: &str, body: &Value) -> Value {
    json_of(app.post(&format!("{COMMITMENTS}/{commitment}/milestones"), Some(&official.token), body).await, 201).await
}

on_both_databases! {
    async fn drafts_are_seen_by_staff_only_and_plans_follow_their_status_graph(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let resident = app.register("jana@example.sk").await;
        let (plan, commitment) = plan_with_commitment(&app, &official, true).await;

        let anon: Value = app.get(PLANS, None).await.json().await.unwrap();
        assert_eq!(anon["total"], 0, "a draft is not listed publicly");
        assert_problem(app.get(&format!("{PLANS}/{plan}"), Some(&resident.token)).await, 404).await;
        assert_problem(app.get(&format!("{COMMITMENTS}/{commitment}"), None).await, 404).await;
        let anon_commitments: Value = app.get(COMMITMENTS, None).await.json().await.unwrap();
        assert_eq!(anon_commitments["total"], 0);
        let staff: Value = app.get(PLANS, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(staff["items"][0]["status"], "draft");

        let to = |s: &str| json!({"to": s});
        let url = format!("{PLANS}/{plan}/transitions");
        let p = assert_problem(app.post(&url, Some(&official.token), &to("adopted")).await, 409).await;
        assert_eq!(p["code"], "invalid-transition");
        assert_eq!(json_of(app.post(&url, Some(&official.token), &to("co_creation")).await, 200).await["status"], "co_creation");
        assert_eq!(json_of(app.post(&url, Some(&official.token), &to("draft")).await, 200).await["status"], "draft");
        for s in ["co_creation", "adopted", "in_implementation", "completed"] {
            assert_eq!(json_of(app.post(&url, Some(&official.token), &to(s)).await, 200).await["status"], s);
        }
        assert_problem(app.post(&url, Some(&official.token), &to("draft")).await, 409).await;
        let p = assert_problem(app.post(&url, Some(&official.token), &to("archived")).await, 422).await;
        assert_eq!(error_fields(&p), vec!["to"]);

        let public: Value = app.get(&format!("{PLANS}/{plan}"), None).await.json().await.unwrap();
        assert_eq!(public["status"], "completed");
        assert_eq!(public["documents"][0]["title"], "Akčný plán (PDF)");
        let c: Value = app.get(&format!("{COMMITMENTS}/{commitment}"), None).await.json().await.unwrap();
        assert_eq!(c["lead"], "Kancelária primátora");
        assert_eq!(c["currency"], "EUR");
    }
}

on_both_databases! {
    async fn residents_anonymous_and_other_municipalities_staff_cannot_write(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let other = app.org_with_member("ine-mesto", "official@ine.sk", &["admin", "official"]).await;
        let resident = app.register("jana@example.sk").await;
        let (plan, commitment) = plan_with_commitment(&app, &official, false).await;

        for who in [Some(&resident.token), Some(&other.token)] {
            assert_problem(app.post(PLANS, who.map(String::as_str), &plan_body()).await, 403).await;
            assert_problem(app.post(COMMITMENTS, who.map(String::as_str), &commitment_body(&plan)).await, 403).await;
            let url = format!("{COMMITMENTS}/{commitment}");
            assert_problem(app.patch(&url, who.map(String::as_str), &json!({"lead": "Niekto iný"})).await, 403).await;
            let ms = format!("{url}/milestones");
            assert_problem(app.post(&ms, who.map(String::as_str), &milestone_body("2021-09-01", "2021-10-01")).await, 403).await;
            let upd = format!("{url}/updates");
            assert_problem(app.post(&upd, who.map(String::as_str), &json!({"text": {"sk": "Hotovo"}})).await, 403).await;
            let tr = format!("{PLANS}/{plan}/transitions");
            assert_problem(app.post(&tr, who.map(String::as_str), &json!({"to": "adopted"})).await, 403).await;
        }
        assert_problem(app.post(PLANS, None, &plan_body()).await, 401).await;
        // The other municipality's own address for the commitment does not exist.
        assert_problem(app.get(&format!("/api/v1/orgs/ine-mesto/commitments/{commitment}"), Some(&other.token)).await, 404).await;
        let c: Value = app.get(&format!("{COMMITMENTS}/{commitment}"), None).await.json().await.unwrap();
        assert_eq!(c["lead"], "Kancelária primátora", "nothing changed");
        assert_eq!(c["milestones"].as_array().unwrap().len(), 0);
    }
}

on_both_databases! {
    async fn completion_follows_the_milestones_and_every_status_change_is_in_the_public_history(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (_, commitment) = plan_with_commitment(&app, &official, false).await;
        let url = format!("{COMMITMENTS}/{commitment}");
        let c = add_milestone(&app, &official, &commitment, &milestone_body("2021-09-01", "2021-12-31")).await;
        assert_eq!(c["completion"], json!({"level": "not_started", "percent": 0, "done": 0, "total": 1}));
        let mut second = milestone_body("2022-01-01", "2022-06-30");
        second["title"] = json!({"sk": "Spustenie registra"});
        let c = add_milestone(&app, &official, &commitment, &second).await;
        let first_id = c["milestones"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(c["milestones"][1]["position"], 1);
        assert_eq!(c["milestones"][1]["title"]["sk"], "Spustenie registra");

        let done = json!({"status": "done", "completed_on": "2021-12-20", "reason": "Správa zverejnená"});
        let c = json_of(app.patch(&format!("{url}/milestones/{first_id}"), Some(&official.token), &done).await, 200).await;
        assert_eq!(c["completion"], json!({"level": "substantial", "percent": 50, "done": 1, "total": 2}));
        assert_eq!(c["milestones"][0]["completed_on"], "2021-12-20");
        // The public detail reads the commitment with its milestones in one go: the same two, in order.
        let read: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!((&read["milestones"], &read["completion"]), (&c["milestones"], &c["completion"]));

        let update = json!({
            "text": {"sk": "Register je v testovacej prevádzke."},
            "evidence": [{"url": "https://www.banskabystrica.sk/register", "title": "Register"}],
            "amount_spent": 250_000, "occurred_on": "2022-02-01"
        });
        let posted = json_of(app.post(&format!("{url}/updates"), Some(&official.token), &update).await, 201).await;
        assert_eq!(posted["kind"], "update");

        let history: Value = app.get(&format!("{url}/updates"), None).await.json().await.unwrap();
        assert_eq!(history["total"], 3, "{history}");
        let items = history["items"].as_array().unwrap();
        let milestone_change = &items[0];
        assert_eq!((milestone_change["subject"].as_str(), milestone_change["from_status"].as_str(), milestone_change["to_status"].as_str()),
            (Some("milestone"), Some("not_started"), Some("done")));
        assert_eq!(milestone_change["reason"], "Správa zverejnená");
        assert_eq!(milestone_change["author_id"], official.id.to_string());
        let level_change = &items[1];
        assert_eq!((level_change["subject"].as_str(), level_change["from_status"].as_str(), level_change["to_status"].as_str()),
            (Some("commitment"), Some("not_started"), Some("substantial")));
        assert_eq!(items[2]["amount_spent"], 250_000);
        assert_eq!(items[2]["evidence"][0]["url"], "https://www.banskabystrica.sk/register");

        // The history is append-only: no route edits or deletes an entry.
        let entry = items[2]["id"].as_str().unwrap();
        for res in [
            app.delete(&format!("{url}/updates/{entry}"), Some(&official.token)).await,
            app.patch(&format!("{url}/updates/{entry}"), Some(&official.token), &json!({"text": {"sk": "x"}})).await,
            app.put(&format!("{url}/updates/{entry}"), Some(&official.token), &json!({"text": {"sk": "x"}})).await,
        ] {
            assert_problem(res, 404).await;
        }
        let p = assert_problem(app.delete(&format!("{url}/updates"), Some(&official.token)).await, 405).await;
        assert!(p["detail"].is_string());
        let again: Value = app.get(&format!("{url}/updates"), None).await.json().await.unwrap();
        assert_eq!(again["items"], history["items"], "unchanged");

        // A resident's view pages through the same history.
        let first: Value = app.get(&format!("{url}/updates?limit=2"), None).await.json().await.unwrap();
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"].as_str().unwrap();
        let rest: Value = app.get(&format!("{url}/updates?limit=2&cursor={cursor}"), None).await.json().await.unwrap();
        assert_eq!(rest["items"][0]["id"], items[2]["id"]);
        assert_eq!(rest["next_cursor"], Value::Null);
    }
}

on_both_databases! {
    async fn bad_input_is_refused_with_the_field_named_and_changes_nothing(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (plan, commitment) = plan_with_commitment(&app, &official, false).await;
        let t = Some(official.token.as_str());

        let mut backwards = plan_body();
        backwards["end_date"] = json!("2021-01-01");
        let p = assert_problem(app.post(PLANS, t, &backwards).await, 422).await;
        assert_eq!(error_fields(&p), vec!["end_date"]);

        let mut bad_value = commitment_body(&plan);
        bad_value["ogp_values"] = json!(["transparency"]);
        let p = assert_problem(app.post(COMMITMENTS, t, &bad_value).await, 422).await;
        assert!(error_fields(&p)[0].starts_with("ogp_values"), "{p}");

        let mut long = commitment_body(&plan);
        long["title"] = json!({"sk": "x".repeat(301)});
        let p = assert_problem(app.post(COMMITMENTS, t, &long).await, 422).await;
        assert_eq!(error_fields(&p), vec!["title.sk"]);

        let mut no_default_locale = commitment_body(&plan);
        no_default_locale["title"] = json!({"en": "Register"});
        let p = assert_problem(app.post(COMMITMENTS, t, &no_default_locale).await, 422).await;
        assert_eq!(error_fields(&p), vec!["title.sk"]);

        let mut bad_irm = commitment_body(&plan);
        bad_irm["irm"] = json!({"potential_for_results": "huge"});
        let p = assert_problem(app.post(COMMITMENTS, t, &bad_irm).await, 422).await;
        assert_eq!(error_fields(&p), vec!["irm.potential_for_results"]);

        let mut unknown_plan = commitment_body(&plan);
        unknown_plan["action_plan_id"] = json!(uuid::Uuid::now_v7());
        let p = assert_problem(app.post(COMMITMENTS, t, &unknown_plan).await, 422).await;
        assert_eq!(error_fields(&p), vec!["action_plan_id"]);

        let ms = format!("{COMMITMENTS}/{commitment}/milestones");
        let p = assert_problem(app.post(&ms, t, &milestone_body("2021-10-01", "2021-09-01")).await, 422).await;
        assert_eq!(error_fields(&p), vec!["end_date"]);
        let mut done_in_future = milestone_body("2021-09-01", "2021-10-01");
        done_in_future["status"] = json!("done");
        done_in_future["completed_on"] = json!((Utc::now() + Duration::days(30)).date_naive());
        let p = assert_problem(app.post(&ms, t, &done_in_future).await, 422).await;
        assert_eq!(error_fields(&p), vec!["completed_on"]);
        let mut unknown_status = milestone_body("2021-09-01", "2021-10-01");
        unknown_status["status"] = json!("postponed");
        assert_problem(app.post(&ms, t, &unknown_status).await, 422).await;
        let mut extra = milestone_body("2021-09-01", "2021-10-01");
        extra["owner"] = json!("me");
        assert_problem(app.post(&ms, t, &extra).await, 422).await;

        let upd = format!("{COMMITMENTS}/{commitment}/updates");
        let p = assert_problem(app.post(&upd, t, &json!({"text": {"sk": "x"}, "evidence": [{"url": "not a url"}]})).await, 422).await;
        assert!(error_fields(&p)[0].starts_with("evidence"), "{p}");
        let p = assert_problem(app.post(&upd, t, &json!({"text": {"sk": "x"}, "amount_spent": -5})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["amount_spent"]);

        let bad_limit = assert_problem(app.get(&format!("{COMMITMENTS}?limit=0"), None).await, 422).await;
        assert_eq!(error_fields(&bad_limit), vec!["limit"]);

        let plans: Value = app.get(PLANS, t).await.json().await.unwrap();
        assert_eq!(plans["total"], 1);
        let cs: Value = app.get(COMMITMENTS, t).await.json().await.unwrap();
        assert_eq!(cs["total"], 1);
        assert_eq!(cs["items"][0]["milestones"].as_array().unwrap().len(), 0);
        let history: Value = app.get(&upd, t).await.json().await.unwrap();
        assert_eq!(history["total"], 0);
    }
}

on_both_databases! {
    async fn edits_with_a_stale_etag_are_refused_and_concurrent_milestone_edits_do_not_overwrite_each_other(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (plan, commitment) = plan_with_commitment(&app, &official, false).await;
        let t = Some(official.token.as_str());
        let url = format!("{COMMITMENTS}/{commitment}");
        let c = add_milestone(&app, &official, &commitment, &milestone_body("2021-09-01", "2021-12-31")).await;
        let milestone = c["milestones"][0]["id"].as_str().unwrap().to_owned();

        let res = app.get(&url, None).await;
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        let res = app.request(reqwest::Method::PATCH, &url, t).header("If-Match", &etag).json(&json!({"lead": "Útvar hlavného architekta"})).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let res = app.request(reqwest::Method::PATCH, &url, t).header("If-Match", &etag).json(&json!({"lead": "Niekto iný"})).send().await.unwrap();
        assert_problem(res, 412).await;

        let plan_url = format!("{PLANS}/{plan}");
        let plan_etag = app.get(&plan_url, None).await.headers()["etag"].to_str().unwrap().to_owned();
        app.post(&format!("{plan_url}/transitions"), t, &json!({"to": "adopted"})).await;
        let res = app.request(reqwest::Method::PATCH, &plan_url, t).header("If-Match", &plan_etag).json(&json!({"end_date": "2022-12-31"})).send().await.unwrap();
        assert_problem(res, 412).await;

        // Ten staff members change the same milestone at once, all having read the same version:
        // exactly one wins, the others are told to reload.
        let etag = app.get(&url, None).await.headers()["etag"].to_str().unwrap().to_owned();
        let ms_url = format!("{url}/milestones/{milestone}");
        let attempts = (0..10).map(|i| {
            let status = if i % 2 == 0 { "in_progress" } else { "delayed" };
            app.request(reqwest::Method::PATCH, &ms_url, t).header("If-Match", &etag).json(&json!({"status": status})).send()
        });
        let codes: Vec<u16> = join_all(attempts).await.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
        assert_eq!(codes.iter().filter(|c| **c == 200).count(), 1, "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == 412).count(), 9, "{codes:?}");
        let history: Value = app.get(&format!("{url}/updates"), None).await.json().await.unwrap();
        let milestone_changes = history["items"].as_array().unwrap().iter().filter(|e| e["subject"] == "milestone").count();
        assert_eq!(milestone_changes, 1, "only the winner is in the history");

        let c: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(c["lead"], "Útvar hlavného architekta");
        assert_eq!(app.get(&plan_url, None).await.json::<Value>().await.unwrap()["end_date"], "2022-08-31");
    }
}

on_both_databases! {
    async fn residents_volunteer_as_co_owners_and_staff_accept_or_remove_them(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (_, commitment) = plan_with_commitment(&app, &official, false).await;
        let jana = app.register("jana@example.sk").await;
        let peter = app.register("peter@example.sk").await;
        let url = format!("{COMMITMENTS}/{commitment}/co-owners");

        let mine = json_of(app.post(&url, Some(&jana.token), &json!({"organisation": "Živica", "note": "Pomôžeme."})).await, 201).await;
        assert_eq!((mine["status"].as_str(), mine["me"].as_bool(), mine["display_name"].as_str()), (Some("proposed"), Some(true), Some("jana")));
        let p = assert_problem(app.post(&url, Some(&jana.token), &json!({})).await, 409).await;
        assert_eq!(p["code"], "already-co-owner");
        let res = app.request(reqwest::Method::POST, &url, Some(&peter.token)).send().await.unwrap();
        assert_eq!(res.status(), 201, "an empty body volunteers too");
        assert_problem(app.post(&url, None, &json!({})).await, 401).await;
        let p = assert_problem(app.post(&url, Some(&peter.token), &json!({"note": "x".repeat(501)})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["note"]);

        let list: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(list["total"], 2);
        for o in list["items"].as_array().unwrap() {
            let keys: Vec<&str> = o.as_object().unwrap().keys().map(String::as_str).collect();
            assert!(!keys.contains(&"user_id") && !keys.contains(&"email"), "display names only: {keys:?}");
            assert_eq!(o["me"], false);
        }
        let jana_id = mine["id"].as_str().unwrap();
        let peter_id = list["items"].as_array().unwrap().iter().find(|o| o["display_name"] == "peter").unwrap()["id"].as_str().unwrap().to_owned();

        assert_problem(app.patch(&format!("{url}/{jana_id}"), Some(&peter.token), &json!({"status": "accepted"})).await, 403).await;
        assert_eq!(app.patch(&format!("{url}/{jana_id}"), Some(&official.token), &json!({"status": "accepted"})).await.status(), 204);
        assert_eq!(app.patch(&format!("{url}/{peter_id}"), Some(&official.token), &json!({"status": "removed"})).await.status(), 204);
        let public: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(public["total"], 1, "removed co-owners are shown to staff only");
        assert_eq!(public["items"][0]["status"], "accepted");
        let staff: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(staff["total"], 2);

        assert_eq!(app.delete(&format!("{url}/me"), Some(&jana.token)).await.status(), 204);
        assert_problem(app.delete(&format!("{url}/me"), Some(&jana.token)).await, 404).await;
        let public: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(public["total"], 0);
    }
}

on_both_databases! {
    async fn the_overview_counts_levels_and_due_and_overdue_milestones_and_lists_filter_and_page(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (plan, first) = plan_with_commitment(&app, &official, false).await;
        let today = Utc::now().date_naive();
        let soon = milestone_body(&(today - Duration::days(10)).to_string(), &(today + Duration::days(10)).to_string());
        let late = milestone_body(&(today - Duration::days(60)).to_string(), &(today - Duration::days(5)).to_string());
        let far = milestone_body(&today.to_string(), &(today + Duration::days(90)).to_string());
        add_milestone(&app, &official, &first, &soon).await;
        add_milestone(&app, &official, &first, &late).await;
        add_milestone(&app, &official, &first, &far).await;

        let mut body = commitment_body(&plan);
        body["lead"] = json!("Útvar hlavného architekta");
        body["ogp_values"] = json!(["technology_and_innovation"]);
        let second = json_of(app.post(COMMITMENTS, Some(&official.token), &body).await, 201).await;
        let second = second["id"].as_str().unwrap().to_owned();
        let mut done = milestone_body("2021-09-01", "2021-10-01");
        done["status"] = json!("done");
        done["completed_on"] = json!("2021-10-01");
        add_milestone(&app, &official, &second, &done).await;

        let o: Value = app.get(&format!("{PLANS}/{plan}/overview"), None).await.json().await.unwrap();
        assert_eq!(o["commitments"], 2);
        assert_eq!(o["by_level"], json!({"not_started": 1, "limited": 0, "substantial": 0, "complete": 1}));
        assert_eq!(o["due_next_30_days"].as_array().unwrap().len(), 1);
        assert_eq!(o["due_next_30_days"][0]["end_date"], (today + Duration::days(10)).to_string());
        assert_eq!(o["overdue"].as_array().unwrap().len(), 1);
        assert_eq!(o["overdue"][0]["commitment_id"], first);

        let ids = |v: Value| v["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        let complete: Value = app.get(&format!("{COMMITMENTS}?status=complete"), None).await.json().await.unwrap();
        assert_eq!(ids(complete), vec![second.clone()]);
        let tech: Value = app.get(&format!("{COMMITMENTS}?ogp_value=technology_and_innovation"), None).await.json().await.unwrap();
        assert_eq!(ids(tech), vec![second.clone()]);
        let led: Value = app.get(&format!("{COMMITMENTS}?lead=Kancel%C3%A1ria%20prim%C3%A1tora"), None).await.json().await.unwrap();
        assert_eq!(ids(led), vec![first.clone()]);
        let of_plan: Value = app.get(&format!("{COMMITMENTS}?action_plan={plan}&limit=1"), None).await.json().await.unwrap();
        assert_eq!((of_plan["total"].as_u64(), of_plan["items"].as_array().unwrap().len()), (Some(2), 1));
        let cursor = of_plan["next_cursor"].as_str().unwrap().to_owned();
        let next: Value = app.get(&format!("{COMMITMENTS}?action_plan={plan}&limit=1&cursor={cursor}"), None).await.json().await.unwrap();
        // A page's commitments come with their own milestones (read for the page only).
        assert_eq!(next["items"][0]["completion"], json!({"level": "complete", "percent": 100, "done": 1, "total": 1}));
        assert_eq!(next["items"][0]["milestones"].as_array().map(Vec::len), Some(1));
        assert_eq!(ids(next), vec![second]);
        assert_problem(app.get(&format!("{COMMITMENTS}?status=halfway"), None).await, 400).await;
    }
}

on_both_databases! {
    async fn plans_and_commitments_say_what_the_caller_can_do(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let resident = app.register("jana@example.sk").await;
        let (plan, commitment) = plan_with_commitment(&app, &official, false).await;
        let plan_url = format!("{PLANS}/{plan}");
        let url = format!("{COMMITMENTS}/{commitment}");

        let nothing = json!({"edit": false, "transition": []});
        for token in [None, Some(resident.token.as_str())] {
            assert_eq!(app.get(&plan_url, token).await.json::<Value>().await.unwrap()["can"], nothing);
            let list: Value = app.get(PLANS, token).await.json().await.unwrap();
            assert_eq!(list["items"][0]["can"], nothing);
        }
        let p: Value = app.get(&plan_url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(p["can"], json!({"edit": true, "transition": ["draft", "adopted"]}), "from co-creation");

        let c: Value = app.get(&url, Some(&resident.token)).await.json().await.unwrap();
        assert_eq!(c["can"], json!({"edit": false, "update_milestones": false, "report_progress": false, "co_own": true}));
        let c: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(c["can"], json!({"edit": false, "update_milestones": false, "report_progress": false, "co_own": false}));
        let c: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(c["can"], json!({"edit": true, "update_milestones": true, "report_progress": true, "co_own": true}));
        let list: Value = app.get(COMMITMENTS, Some(&resident.token)).await.json().await.unwrap();
        assert_eq!(list["items"][0]["can"]["edit"], false);

        // The flags are the decision the API takes: what the resident cannot do is refused.
        assert_problem(app.patch(&url, Some(&resident.token), &json!({"lead": "Niekto"})).await, 403).await;
        let tr = format!("{plan_url}/transitions");
        assert_problem(app.post(&tr, Some(&resident.token), &json!({"to": "adopted"})).await, 403).await;
        let moved = json_of(app.post(&tr, Some(&official.token), &json!({"to": "adopted"})).await, 200).await;
        assert_eq!(moved["can"]["transition"], json!(["in_implementation"]));
    }
}
