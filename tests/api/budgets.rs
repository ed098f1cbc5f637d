//! Participatory budgets: phases, proposals, review, supports, the secret ballot, results,
//! pabulib import and export, and implementation.

use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

pub(crate) const BUDGETS: &str = "/api/v1/orgs/mesto/budgets";

pub(crate) fn process(ballot_rule: Value, supports_threshold: Option<u32>) -> Value {
    json!({
        "title": {"sk": "Participatívny rozpočet 2026"},
        "rules_text": {"sk": "Hlasuje každý obyvateľ."},
        "total": 10_000_000,
        "schedule": {"proposals": "2026-03-01", "review": "2026-04-01", "voting": "2026-06-01", "results": "2026-06-30"},
        "supports_threshold": supports_threshold,
        "ballot_rule": ballot_rule,
        "outcome_rule": "greedy"
    })
}

pub(crate) async fn create(app: &TestApp, official: &User, body: &Value) -> String {
    json_of(app.post(BUDGETS, Some(&official.token), body).await, 201).await["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn to(app: &TestApp, official: &User, id: &str, phase: &str) -> Value {
    json_of(app.post(&format!("{BUDGETS}/{id}/transitions"), Some(&official.token), &json!({"to": phase})).await, 200)
        .await
}

pub(crate) async fn propose(app: &TestApp, who: &User, id: &str, title: &str, cost: i64) -> String {
    let body = json!({"title": {"sk": title}, "description": {"sk": "Popis projektu."}, "estimated_cost": cost, "location": "Námestie SNP"});
    json_of(app.post(&format!("{BUDGETS}/{id}/proposals"), Some(&who.token), &body).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn review(app: &TestApp, official: &User, id: &str, proposal: &str, feasible: bool) {
    let body = if feasible {
        json!({"feasible": true})
    } else {
        json!({"feasible": false, "reason": "Pozemok nie je mestský."})
    };
    json_of(app.post(&format!("{BUDGETS}/{id}/proposals/{proposal}/review"), Some(&official.token), &body).await, 200)
        .await;
}

pub(crate) fn ballot(ids: &[&str]) -> Value {
    json!({"choices": ids.iter().map(|id| json!({"proposal_id": id})).collect::<Vec<_>>()})
}

pub(crate) async fn cast(app: &TestApp, who: &User, id: &str, body: &Value) -> reqwest::Response {
    app.put(&format!("{BUDGETS}/{id}/ballot"), Some(&who.token), body).await
}

/// A process in voting with three feasible proposals (costs 4, 5 and 3 million) and one unfeasible.
pub(crate) async fn voting(app: &TestApp, rule: Value) -> (User, String, Vec<String>) {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let author = app.register("autor@example.sk").await;
    let id = create(app, &official, &process(rule, None)).await;
    to(app, &official, &id, "proposals").await;
    let mut ps = Vec::new();
    for (title, cost) in [("Park", 4_000_000), ("Ihrisko", 5_000_000), ("Lavičky", 3_000_000), ("Most", 9_000_000)] {
        ps.push(propose(app, &author, &id, title, cost).await);
    }
    to(app, &official, &id, "review").await;
    for p in &ps[..3] {
        review(app, &official, &id, p, true).await;
    }
    review(app, &official, &id, &ps[3], false).await;
    to(app, &official, &id, "voting").await;
    (official, id, ps)
}

on_both_databases! {
    async fn a_process_runs_from_proposals_through_review_to_the_vote_results_and_construction(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let peter = app.register("peter@example.sk").await;
        assert_problem(app.post(BUDGETS, Some(&jana.token), &process(json!({"kind": "approval", "max_projects": 2}), None)).await, 403).await;
        let id = create(&app, &official, &process(json!({"kind": "approval", "max_projects": 2}), None)).await;
        let url = format!("{BUDGETS}/{id}");
        let b: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!((b["phase"].as_str(), b["next_phase"].as_str()), (Some("information"), Some("proposals")));
        assert_eq!(b["total"], json!({"amount": 10_000_000, "currency": "EUR"}));

        let early = json!({"title": {"sk": "Park"}, "description": {"sk": "x"}, "estimated_cost": 100});
        let p = assert_problem(app.post(&format!("{url}/proposals"), Some(&jana.token), &early).await, 409).await;
        assert_eq!(p["code"], "wrong-phase");
        let p = assert_problem(app.post(&format!("{url}/transitions"), Some(&official.token), &json!({"to": "voting"})).await, 409).await;
        assert_eq!(p["code"], "invalid-transition");
        to(&app, &official, &id, "proposals").await;

        let park = propose(&app, &jana, &id, "Park pri rieke", 4_000_000).await;
        let ihrisko = propose(&app, &peter, &id, "Ihrisko", 5_000_000).await;
        let lavicky = propose(&app, &peter, &id, "Lavičky", 3_000_000).await;
        let most = propose(&app, &jana, &id, "Lávka cez rieku", 9_000_000).await;
        let edit = json!({"estimated_cost": 4_500_000});
        assert_problem(app.patch(&format!("{url}/proposals/{park}"), Some(&peter.token), &edit).await, 403).await;
        let edited = json_of(app.patch(&format!("{url}/proposals/{park}"), Some(&jana.token), &edit).await, 200).await;
        assert_eq!(edited["estimated_cost"]["amount"], 4_500_000);
        assert_eq!(edited["mine"], true);

        to(&app, &official, &id, "review").await;
        assert_problem(app.patch(&format!("{url}/proposals/{park}"), Some(&jana.token), &edit).await, 409).await;
        let p = assert_problem(app.post(&format!("{url}/proposals/{most}/review"), Some(&official.token), &json!({"feasible": false})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["reason"]);
        assert_problem(app.post(&format!("{url}/proposals/{park}/review"), Some(&jana.token), &json!({"feasible": true})).await, 403).await;
        let reviewed = json_of(app.post(&format!("{url}/proposals/{park}/review"), Some(&official.token), &json!({"feasible": true, "validated_cost": 4_000_000})).await, 200).await;
        assert_eq!((reviewed["validated_cost"]["amount"].as_i64(), reviewed["on_ballot"].as_bool()), (Some(4_000_000), Some(true)));
        review(&app, &official, &id, &ihrisko, true).await;
        review(&app, &official, &id, &lavicky, true).await;
        review(&app, &official, &id, &most, false).await;
        let on: Value = app.get(&format!("{url}/proposals?on_ballot=true&sort=-cost"), None).await.json().await.unwrap();
        let titles: Vec<&str> = on["items"].as_array().unwrap().iter().map(|p| p["title"]["sk"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Ihrisko", "Park pri rieke", "Lavičky"]);

        assert_problem(cast(&app, &jana, &id, &ballot(&[&park])).await, 409).await;
        to(&app, &official, &id, "voting").await;
        let p = assert_problem(cast(&app, &jana, &id, &ballot(&[&park, &ihrisko, &lavicky])).await, 422).await;
        assert_eq!(p["code"], "ballot-rule-broken");
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("at most 2"), "{p}");
        let p = assert_problem(cast(&app, &jana, &id, &ballot(&[&most])).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("not on the ballot"), "{p}");
        let p = assert_problem(cast(&app, &jana, &id, &ballot(&[&park, &park])).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("twice"), "{p}");
        assert_problem(app.get(&format!("{url}/ballot"), Some(&jana.token)).await, 404).await;

        let first = json_of(cast(&app, &jana, &id, &ballot(&[&park])).await, 201).await;
        assert_eq!(first["choices"][0]["proposal_id"], park.as_str());
        let replaced = json_of(cast(&app, &jana, &id, &ballot(&[&park, &lavicky])).await, 200).await;
        assert_eq!(replaced["choices"].as_array().unwrap().len(), 2);
        let mine: Value = app.get(&format!("{url}/ballot"), Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(mine["choices"], replaced["choices"]);
        json_of(cast(&app, &peter, &id, &ballot(&[&ihrisko, &lavicky])).await, 201).await;
        let third = app.register("tretia@example.sk").await;
        json_of(cast(&app, &third, &id, &ballot(&[&ihrisko])).await, 201).await;

        // While the vote runs nobody sees a count, staff included; nor the ballots as a file.
        for who in [None, Some(jana.token.as_str()), Some(official.token.as_str())] {
            let p = assert_problem(app.get(&format!("{url}/results"), who).await, 409).await;
            assert_eq!(p["code"], "wrong-phase");
            assert_problem(app.get(&format!("{url}/export.pb"), who).await, 409).await;
        }
        to(&app, &official, &id, "results").await;
        assert_problem(cast(&app, &jana, &id, &ballot(&[&park])).await, 409).await;
        let r: Value = app.get(&format!("{url}/results"), None).await.json().await.unwrap();
        // Votes: Lavičky 2, Ihrisko 2, Park 1. Ties go to the lower code (creation order here):
        // Ihrisko (5 M) before Lavičky (3 M); then Park (4 M) does not fit 10 M − 8 M.
        let winners: Vec<&str> = r["winners"].as_array().unwrap().iter().map(|w| w["title"]["sk"].as_str().unwrap()).collect();
        assert_eq!(winners, ["Ihrisko", "Lavičky"]);
        assert_eq!((r["rule"].as_str(), r["spent"].as_i64(), r["money_left"].as_i64()), (Some("greedy"), Some(8_000_000), Some(2_000_000)));
        let park_tally = r["projects"].as_array().unwrap().iter().find(|p| p["proposal_id"] == park.as_str()).unwrap();
        assert_eq!((park_tally["votes"].as_u64(), park_tally["selected"].as_bool()), (Some(1), Some(false)));

        to(&app, &official, &id, "implementation").await;
        let built: Value = app.get(&format!("{url}/proposals/{ihrisko}"), None).await.json().await.unwrap();
        assert_eq!(built["works"], "planned");
        let loser: Value = app.get(&format!("{url}/proposals/{park}"), None).await.json().await.unwrap();
        assert_eq!(loser["works"], Value::Null);
        let upd = json!({"text": {"sk": "Stavba začala."}, "photos": ["https://mesto.sk/foto/ihrisko.jpg"], "amount_spent": 1_200_000, "works": "in_progress", "occurred_on": "2026-07-01"});
        assert_problem(app.post(&format!("{url}/proposals/{ihrisko}/updates"), Some(&jana.token), &upd).await, 403).await;
        assert_problem(app.post(&format!("{url}/proposals/{park}/updates"), Some(&official.token), &upd).await, 409).await;
        // A photo link must be a web address; the refusal names the field and records nothing.
        for bad in ["javascript:alert(1)", "", "ftp://mesto.sk/a.jpg"] {
            let mut wrong = upd.clone();
            wrong["photos"] = json!(["https://mesto.sk/ok.jpg", bad]);
            let p = assert_problem(app.post(&format!("{url}/proposals/{ihrisko}/updates"), Some(&official.token), &wrong).await, 422).await;
            assert_eq!(crate::helpers::error_fields(&p), vec!["photos[1]".to_owned()], "{bad}");
        }
        let after = json_of(app.post(&format!("{url}/proposals/{ihrisko}/updates"), Some(&official.token), &upd).await, 201).await;
        assert_eq!((after["works"].as_str(), after["amount_spent"]["amount"].as_i64()), (Some("in_progress"), Some(1_200_000)));
        let history: Value = app.get(&format!("{url}/proposals/{ihrisko}/updates"), None).await.json().await.unwrap();
        let kinds: Vec<&str> = history["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["status_change", "update"]);
        assert_eq!(history["items"][0]["to_status"], "in_progress");
        assert_eq!(history["items"][1]["photos"][0], "https://mesto.sk/foto/ihrisko.jpg");
    }
}

on_both_databases! {
    async fn the_proposals_list_sorts_filters_and_pages_on_the_whole_selection(app) {
        // Costs 4, 5, 3 and 9 million; the last is unfeasible.
        let (official, id, ps) = voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let url = format!("{BUDGETS}/{id}/proposals");
        let walk = |query: String| {
            let app = &app;
            let url = &url;
            async move {
                let (mut seen, mut cursor) = (Vec::new(), None::<String>);
                loop {
                    let next = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
                    let page = json_of(app.get(&format!("{url}?{query}&limit=1{next}"), None).await, 200).await;
                    let items = page["items"].as_array().unwrap();
                    assert!(items.len() <= 1, "{page}");
                    seen.extend(items.iter().map(|p| p["id"].as_str().unwrap().to_owned()));
                    match page["next_cursor"].as_str() {
                        Some(c) => cursor = Some(c.to_owned()),
                        None => return (seen, page["total"].clone()),
                    }
                }
            }
        };
        let (most_expensive_first, total) = walk("sort=-cost".into()).await;
        assert_eq!(most_expensive_first, [ps[3].as_str(), &ps[1], &ps[0], &ps[2]]);
        assert_eq!(total, 4);
        let (cheapest_first, _) = walk("sort=cost".into()).await;
        assert_eq!(cheapest_first, [ps[2].as_str(), &ps[0], &ps[1], &ps[3]]);
        let (on_ballot, total) = walk("sort=-cost&on_ballot=true".into()).await;
        assert_eq!((on_ballot, total), (vec![ps[1].clone(), ps[0].clone(), ps[2].clone()], json!(3)));
        let (off_ballot, total) = walk("on_ballot=false".into()).await;
        assert_eq!((off_ballot, total), (vec![ps[3].clone()], json!(1)));
        let (unfeasible, _) = walk("review=unfeasible".into()).await;
        assert_eq!(unfeasible, [ps[3].as_str()]);
        let (by_text, total) = walk("q=Ihrisko".into()).await;
        assert_eq!((by_text, total), (vec![ps[1].clone()], json!(1)));
        // A page's proposals come whole: texts, cost and ballot standing.
        let first = json_of(app.get(&format!("{url}?sort=-cost&limit=2"), None).await, 200).await;
        assert_eq!(first["items"][0]["title"]["sk"], "Most");
        assert_eq!(first["items"][0]["on_ballot"], false);
        assert_eq!(first["items"][1]["description"]["sk"], "Popis projektu.");
        assert_eq!(first["items"][1]["estimated_cost"]["amount"], 5_000_000);
        let p = assert_problem(app.get(&format!("{url}?sort=title"), None).await, 422).await;
        assert!(p["detail"].is_string() || p["errors"].is_array(), "{p}");
        // A cursor that is no longer selected (or never was) is past the end, not the start.
        let at_most = json_of(app.get(&format!("{url}?sort=-cost&limit=1"), None).await, 200).await;
        assert_eq!(at_most["items"][0]["id"], ps[3].as_str());
        let cursor = at_most["next_cursor"].as_str().unwrap();
        let gone = json_of(app.get(&format!("{url}?on_ballot=true&sort=cost&cursor={cursor}"), None).await, 200).await;
        assert_eq!((gone["items"].as_array().map(Vec::len), gone["total"].as_u64()), (Some(0), Some(3)));

        // Ties: equal costs are ordered by submission, in the list's direction, across pages.
        let author = app.register("ties@example.sk").await;
        let tied = create(&app, &official, &process(json!({"kind": "approval", "max_projects": 2}), None)).await;
        to(&app, &official, &tied, "proposals").await;
        let mut t = Vec::new();
        for (title, cost) in [("A", 1_000), ("B", 500), ("C", 1_000), ("D", 1_000)] {
            t.push(propose(&app, &author, &tied, title, cost).await);
        }
        let url = format!("{BUDGETS}/{tied}/proposals");
        let walk = |query: &'static str| {
            let (app, url) = (&app, &url);
            async move {
                let (mut seen, mut cursor) = (Vec::new(), None::<String>);
                loop {
                    let next = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
                    let page = json_of(app.get(&format!("{url}?{query}&limit=2{next}"), None).await, 200).await;
                    seen.extend(page["items"].as_array().unwrap().iter().map(|p| p["title"]["sk"].as_str().unwrap().to_owned()));
                    match page["next_cursor"].as_str() {
                        Some(c) => cursor = Some(c.to_owned()),
                        None => return seen,
                    }
                }
            }
        };
        assert_eq!(walk("sort=cost").await, ["B", "A", "C", "D"]);
        assert_eq!(walk("sort=-cost").await, ["D", "C", "A", "B"]);
        assert_eq!(walk("sort=-created_at").await, ["D", "C", "B", "A"]);
        assert_eq!(walk("sort=supports").await, ["A", "B", "C", "D"]);
        assert_eq!(walk("on_ballot=false&sort=cost").await, ["B", "A", "C", "D"], "none is reviewed yet");
        assert!(walk("on_ballot=true").await.is_empty());
    }
}

on_both_databases! {
    async fn the_ballot_is_secret_and_two_hundred_simultaneous_casts_leave_one(app) {
        let (_, id, ps) = voting(&app, json!({"kind": "approval", "max_projects": 3})).await;
        let voter = app.register("volic@example.sk").await;
        let bodies: Vec<Value> = (0..200).map(|i| ballot(&[if i % 2 == 0 { &ps[0] } else { &ps[1] }])).collect();
        let casts = bodies.iter().map(|b| cast(&app, &voter, &id, b));
        let codes: Vec<u16> = join_all(casts).await.into_iter().map(|r| r.status().as_u16()).collect();
        assert!(codes.iter().all(|c| *c == 200 || *c == 201), "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == 201).count(), 1, "exactly one first cast");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, 1);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_voters").await, 1);

        // Nothing in the ballot table names or points to the voter.
        let conn = app.db.connection();
        let backend = conn.get_database_backend();
        let rows = conn.query_all_raw(Statement::from_string(backend, "SELECT * FROM budget_ballots".to_owned())).await.unwrap();
        let columns = rows[0].column_names();
        for forbidden in ["user_id", "voter", "author_id"] {
            assert!(!columns.iter().any(|c| c.contains(forbidden)), "ballot column {forbidden}: {columns:?}");
        }
        let values = conn
            .query_one_raw(Statement::from_string(backend, "SELECT district, ballot_key, CAST(choices AS TEXT) FROM budget_ballots".to_owned()))
            .await.unwrap().unwrap();
        let text: String = (0..3).map(|i| values.try_get_by_index::<Option<String>>(i).unwrap().unwrap_or_default()).collect::<Vec<_>>().join("|");
        assert!(text.contains(&ps[0]) || text.contains(&ps[1]), "the row is what was read: {text}");
        for id in [voter.id.to_string(), voter.id.simple().to_string()] {
            assert!(!text.contains(&id), "the voter's id is in the ballot row: {text}");
        }
        let voter_columns = conn.query_all_raw(Statement::from_string(backend, "SELECT * FROM budget_voters".to_owned())).await.unwrap()[0].column_names();
        assert_eq!(voter_columns.len(), 6, "the register says who, where (district and slot) and when (by day), nothing more: {voter_columns:?}");
        // Stored times are days, so they cannot line a voter up with a ballot.
        let b_time = app.scalar("SELECT COUNT(*) FROM budget_ballots WHERE CAST(created_at AS TEXT) LIKE '%00:00:00%'").await;
        assert_eq!(b_time, 1);

        // The voter still reads their own ballot, whichever of the casts was last.
        let mine: Value = app.get(&format!("{BUDGETS}/{id}/ballot"), Some(&voter.token)).await.json().await.unwrap();
        assert_eq!(mine["choices"].as_array().unwrap().len(), 1);
        let other = app.register("iny@example.sk").await;
        assert_problem(app.get(&format!("{BUDGETS}/{id}/ballot"), Some(&other.token)).await, 404).await;
    }
}

on_both_databases! {
    async fn ballot_rules_are_enforced_knapsack_cumulative_verified_and_supports(app) {
        let (official, id, ps) = voting(&app, json!({"kind": "approval", "knapsack": true, "min_projects": 1})).await;
        let v = app.register("v@example.sk").await;
        let p = assert_problem(cast(&app, &v, &id, &ballot(&[&ps[0], &ps[1], &ps[2]])).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("budget"), "over budget: {p}");
        let p = assert_problem(cast(&app, &v, &id, &ballot(&[])).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("at least 1"), "{p}");
        let p = assert_problem(cast(&app, &v, &id, &json!({"choices": [{"proposal_id": ps[0], "points": 3}]})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["choices[0].points"]);
        let p = assert_problem(cast(&app, &v, &id, &json!({"district": "centrum", "choices": []})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["district"]);
        json_of(cast(&app, &v, &id, &ballot(&[&ps[0], &ps[1]])).await, 201).await;
        let b: Value = app.get(&format!("{BUDGETS}/{id}"), None).await.json().await.unwrap();
        let etag = app.get(&format!("{BUDGETS}/{id}"), None).await.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(b["ballot_rule"]["knapsack"], true);
        let res = app.request(reqwest::Method::PATCH, &format!("{BUDGETS}/{id}"), Some(&official.token))
            .header("If-Match", &etag).json(&json!({"ballot_rule": {"kind": "approval"}})).send().await.unwrap();
        let p = assert_problem(res, 409).await;
        assert_eq!(p["code"], "rules-fixed");

        // Cumulative: six points at most, four per project.
        let c = create(&app, &official, &json!({
            "title": {"sk": "Body"}, "total": 10_000_000, "ballot_rule": {"kind": "cumulative", "points": 6, "max_per_project": 4},
            "outcome_rule": "equal_shares", "requires_verified": true
        })).await;
        to(&app, &official, &c, "proposals").await;
        let author = app.register("a2@example.sk").await;
        let x = propose(&app, &author, &c, "X", 1_000_000).await;
        let y = propose(&app, &author, &c, "Y", 2_000_000).await;
        to(&app, &official, &c, "review").await;
        review(&app, &official, &c, &x, true).await;
        review(&app, &official, &c, &y, true).await;
        to(&app, &official, &c, "voting").await;
        let points = |a: u64, b: u64| json!({"choices": [{"proposal_id": x, "points": a}, {"proposal_id": y, "points": b}]});
        let p = assert_problem(cast(&app, &v, &c, &points(3, 3)).await, 403).await;
        assert_eq!(p["code"], "not-verified");
        let root = app.login("root-mesto@example.org", crate::helpers::password()).await.json::<Value>().await.unwrap();
        let res = app.put(&format!("/api/v1/orgs/mesto/members/{}", v.id), root["access_token"].as_str(), &json!({"roles": [], "verified": true})).await;
        assert_eq!(res.status(), 200);
        let relog: Value = app.login("v@example.sk", crate::helpers::password()).await.json().await.unwrap();
        let verified = User { id: v.id, token: relog["access_token"].as_str().unwrap().to_owned(), refresh_token: String::new() };
        let p = assert_problem(cast(&app, &verified, &c, &points(5, 1)).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("at most 4"), "{p}");
        let p = assert_problem(cast(&app, &verified, &c, &points(4, 3)).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains('6'), "{p}");
        let p = assert_problem(cast(&app, &verified, &c, &json!({"choices": [{"proposal_id": x}]})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["choices[0].points"]);
        let ok = json_of(cast(&app, &verified, &c, &points(4, 2)).await, 201).await;
        assert_eq!(ok["choices"][0]["points"], 4);
    }
}

on_both_databases! {
    async fn only_proposals_with_enough_supports_reach_the_ballot(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let author = app.register("autor@example.sk").await;
        let fan = app.register("fan@example.sk").await;
        let id = create(&app, &official, &process(json!({"kind": "approval"}), Some(1))).await;
        to(&app, &official, &id, "proposals").await;
        let liked = propose(&app, &author, &id, "Obľúbený", 1_000_000).await;
        let ignored = propose(&app, &author, &id, "Prehliadnutý", 1_000_000).await;
        to(&app, &official, &id, "review").await;
        review(&app, &official, &id, &liked, true).await;
        review(&app, &official, &id, &ignored, true).await;
        let next = to(&app, &official, &id, "supports").await;
        assert_eq!(next["next_phase"], "voting");
        let url = format!("{BUDGETS}/{id}/proposals/{liked}/supports");
        let supported = json_of(app.post(&url, Some(&fan.token), &json!({})).await, 201).await;
        assert_eq!((supported["supports"].as_u64(), supported["supported"].as_bool()), (Some(1), Some(true)));
        // The supporter reads it as supported in the list and the detail; nobody else does.
        let list = format!("{BUDGETS}/{id}/proposals");
        for (who, want) in [(Some(&fan.token), true), (Some(&author.token), false), (None, false)] {
            let page: Value = app.get(&list, who.map(String::as_str)).await.json().await.unwrap();
            let by_id = |pid: &str| page["items"].as_array().unwrap().iter().find(|i| i["id"] == pid).unwrap()["supported"].clone();
            assert_eq!((by_id(&liked), by_id(&ignored)), (json!(want), json!(false)));
            let one: Value = app.get(&format!("{list}/{liked}"), who.map(String::as_str)).await.json().await.unwrap();
            assert_eq!(one["supported"], want);
            // Ordered by comments (in memory on light keys), the page's rows say the same.
            let keyed: Value = app.get(&format!("{list}?sort=-most_commented"), who.map(String::as_str)).await.json().await.unwrap();
            let by_id = |pid: &str| keyed["items"].as_array().unwrap().iter().find(|i| i["id"] == pid).unwrap()["supported"].clone();
            assert_eq!((by_id(&liked), by_id(&ignored)), (json!(want), json!(false)));
        }
        // The process and its proposal are read together: which of them is missing is said.
        let nobody = uuid::Uuid::now_v7();
        let p = assert_problem(app.get(&format!("{list}/{nobody}"), None).await, 404).await;
        assert_eq!(p["detail"], "No such proposal.");
        let p = assert_problem(app.get(&format!("{BUDGETS}/{nobody}/proposals/{liked}"), None).await, 404).await;
        assert_eq!(p["detail"], "No such budget.");
        let p = assert_problem(app.post(&url, Some(&fan.token), &json!({})).await, 409).await;
        assert_eq!(p["code"], "already-supported");
        assert_problem(app.post(&url, None, &json!({})).await, 401).await;
        to(&app, &official, &id, "voting").await;
        assert_problem(app.post(&url, Some(&author.token), &json!({})).await, 409).await;
        let on: Value = app.get(&format!("{BUDGETS}/{id}/proposals?on_ballot=true"), None).await.json().await.unwrap();
        assert_eq!(on["total"], 1);
        assert_eq!(on["items"][0]["id"], liked.as_str());
        let p = assert_problem(cast(&app, &fan, &id, &ballot(&[&ignored])).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("not on the ballot"), "{p}");
        json_of(cast(&app, &fan, &id, &ballot(&[&liked])).await, 201).await;
    }
}

on_both_databases! {
    async fn districts_have_their_own_ballot_money_and_winners(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let author = app.register("autor@example.sk").await;
        let mut body = process(json!({"kind": "approval", "knapsack": true}), None);
        body["districts"] = json!([
            {"key": "centrum", "name": {"sk": "Centrum"}, "amount": 5_000_000},
            {"key": "fončorda", "name": {"sk": "Fončorda"}, "amount": 3_000_000}
        ]);
        let id = create(&app, &official, &body).await;
        to(&app, &official, &id, "proposals").await;
        let url = format!("{BUDGETS}/{id}/proposals");
        let in_district = |title: &str, district: &str, cost: i64| {
            json!({"title": {"sk": title}, "description": {"sk": "Popis."}, "estimated_cost": cost, "district": district})
        };
        let p = assert_problem(app.post(&url, Some(&author.token), &json!({"title": {"sk": "Bez štvrte"}, "description": {"sk": "x"}, "estimated_cost": 100})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["district"]);
        let p = assert_problem(app.post(&url, Some(&author.token), &in_district("Inde", "sásová", 100)).await, 422).await;
        assert_eq!(error_fields(&p), vec!["district"]);
        let mut ids = Vec::new();
        for (title, district, cost) in [("Park", "centrum", 4_000_000), ("Fontána", "centrum", 2_000_000), ("Ihrisko", "fončorda", 2_500_000)] {
            ids.push(json_of(app.post(&url, Some(&author.token), &in_district(title, district, cost)).await, 201).await["id"].as_str().unwrap().to_owned());
        }
        to(&app, &official, &id, "review").await;
        for p in &ids {
            review(&app, &official, &id, p, true).await;
        }
        to(&app, &official, &id, "voting").await;
        let voter = app.register("volic@example.sk").await;
        let in_centrum = |ps: &[&str]| json!({"district": "centrum", "choices": ps.iter().map(|p| json!({"proposal_id": p})).collect::<Vec<_>>()});
        let p = assert_problem(cast(&app, &voter, &id, &in_centrum(&[&ids[2]])).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("not on the ballot"), "another district's project: {p}");
        let p = assert_problem(cast(&app, &voter, &id, &in_centrum(&[&ids[0], &ids[1]])).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("budget"), "over the district's money: {p}");
        json_of(cast(&app, &voter, &id, &in_centrum(&[&ids[0]])).await, 201).await;
        let fon = json!({"district": "fončorda", "choices": [{"proposal_id": ids[2]}]});
        json_of(cast(&app, &voter, &id, &fon).await, 201).await;
        let mine: Value = app.get(&format!("{BUDGETS}/{id}/ballot?district=centrum"), Some(&voter.token)).await.json().await.unwrap();
        assert_eq!(mine["choices"][0]["proposal_id"], ids[0].as_str());
        to(&app, &official, &id, "results").await;
        let centrum: Value = app.get(&format!("{BUDGETS}/{id}/results?district=centrum"), None).await.json().await.unwrap();
        assert_eq!((centrum["budget"].as_i64(), centrum["voters"].as_u64()), (Some(5_000_000), Some(1)));
        assert_eq!(centrum["winners"][0]["proposal_id"], ids[0].as_str());
        to(&app, &official, &id, "implementation").await;
        for (p, works) in [(&ids[0], json!("planned")), (&ids[1], Value::Null), (&ids[2], json!("planned"))] {
            let got: Value = app.get(&format!("{url}/{p}"), None).await.json().await.unwrap();
            assert_eq!(got["works"], works, "{}", got["title"]["sk"]);
        }
    }
}

on_both_databases! {
    async fn ranking_ballots_count_positional_points_and_staff_compare_rules_and_thresholds(app) {
        // Rank all three (Park 4 M, Ihrisko 5 M, Lavičky 3 M) as Kraków does: 3, 2 and 1 points.
        let (official, id, ps) = voting(&app, json!({"kind": "ranking", "scores": [3, 2, 1]})).await;
        let (park, ihrisko, lavicky) = (&ps[0], &ps[1], &ps[2]);
        for (email, order) in [
            ("a@example.sk", [park, ihrisko, lavicky]),
            ("b@example.sk", [ihrisko, lavicky, park]),
            ("c@example.sk", [park, lavicky, ihrisko]),
        ] {
            let voter = app.register(email).await;
            json_of(cast(&app, &voter, &id, &ballot(&order.map(String::as_str))).await, 201).await;
        }
        to(&app, &official, &id, "results").await;
        let url = format!("{BUDGETS}/{id}/results");
        let r: Value = app.get(&url, None).await.json().await.unwrap();
        // Points: Park 3 + 1 + 3 = 7, Ihrisko 2 + 3 + 1 = 6, Lavičky 1 + 2 + 2 = 5; every project is
        // on every ballot, so by approvals they would tie. Park, then Ihrisko; Lavičky no longer fits.
        let tally: Vec<(&str, &str, u64)> = r["projects"].as_array().unwrap().iter()
            .map(|p| (p["proposal_id"].as_str().unwrap(), p["score"].as_str().unwrap(), p["votes"].as_u64().unwrap())).collect();
        assert_eq!(tally, [(park.as_str(), "7", 3), (ihrisko.as_str(), "6", 3), (lavicky.as_str(), "5", 3)]);
        let winners = |r: &Value| r["winners"].as_array().unwrap().iter().map(|w| w["proposal_id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        assert_eq!(winners(&r), [park.clone(), ihrisko.clone()]);

        // A threshold of 7 points: only Park is eligible, under any rule. Staff only.
        assert_problem(app.get(&format!("{url}?min_score=7"), None).await, 401).await;
        for rule in ["greedy", "greedy_no_skip", "greedy_per_cost", "equal_shares"] {
            let r = json_of(app.get(&format!("{url}?rule={rule}&min_score=7"), Some(&official.token)).await, 200).await;
            assert_eq!(winners(&r), std::slice::from_ref(park), "{rule}");
            assert_eq!(r["min_score"], 7);
        }
        // Per unit of cost: Park (7 / 4 M), then Lavičky (5 / 3 M) before Ihrisko (6 / 5 M), which no
        // longer fits.
        let r = json_of(app.get(&format!("{url}?rule=greedy_per_cost"), Some(&official.token)).await, 200).await;
        assert_eq!(winners(&r), [park.clone(), lavicky.clone()]);
    }
}
