//! The secret ballot in every table: what casting, replacing and answering an anonymous survey
//! write (with `Idempotency-Key`, as the web app sends it) never links a voter to what they chose,
//! and carries no time finer than a day; retries are answered from the ballot itself; a ballot
//! racing the close of the vote is counted or refused, never lost after the results.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Utc};
use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::budgets::{BUDGETS, ballot, create, process, propose, review, to, voting};
use crate::helpers::{TestApp, User, assert_problem, json_of};
use crate::on_both_databases;

/// Every row of every table, as text (one line per row), by table.
async fn dump(app: &TestApp) -> BTreeMap<String, BTreeSet<String>> {
    let backend = app.db.backend();
    let conn = app.db.connection();
    let rows = |sql: String| async move {
        conn.query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.try_get_by_index::<Option<String>>(0).unwrap().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let tables = match backend {
        DbBackend::Sqlite => {
            rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'".to_owned()).await
        }
        _ => rows("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()".to_owned()).await,
    };
    assert!(tables.iter().any(|t| t == "budget_ballots"), "the dump sees the tables: {tables:?}");
    let mut out = BTreeMap::new();
    for t in tables {
        let sql = match backend {
            DbBackend::Sqlite => {
                let cols = rows(format!("SELECT name FROM pragma_table_info('{t}')")).await;
                // quote() writes blobs (SQLite's UUIDs) as X'hex', so ids can be searched for.
                let cells = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || '|' || ");
                format!("SELECT {cells} FROM \"{t}\"")
            }
            _ => format!("SELECT row_to_json(x)::text FROM \"{t}\" x"),
        };
        out.insert(t, rows(sql).await.into_iter().collect());
    }
    out
}

/// Rows in `after` that were not in `before` (new or changed), with their table.
fn written(
    before: &BTreeMap<String, BTreeSet<String>>,
    after: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<(String, String)> {
    let empty = BTreeSet::new();
    after
        .iter()
        .flat_map(|(t, rows)| {
            let old = before.get(t).unwrap_or(&empty);
            rows.difference(old).map(move |r| (t.clone(), r.clone()))
        })
        .collect()
}

/// The forms a UUID takes in a dump: hyphenated text, or hex (SQLite's blobs, any case).
fn forms(id: &str) -> [String; 2] {
    [id.to_lowercase(), id.replace('-', "").to_lowercase()]
}

fn holds(row: &str, id: &str) -> bool {
    let row = row.to_lowercase();
    forms(id).iter().any(|f| row.contains(f.as_str()))
}

/// Times of day in a row (`hh:mm:ss` with an optional fraction).
fn times_of_day(row: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\d{2}:\d{2}:\d{2}(\.\d+)?").unwrap();
    re.find_iter(row).map(|m| m.as_str().to_owned()).collect()
}

async fn anonymous_survey(app: &TestApp, official: &User) -> String {
    let now = Utc::now();
    let body = json!({
        "title": {"sk": "Tajná anketa"},
        "questions": [{"id": "comment", "text": {"sk": "Poznámka"}, "required": true, "kind": {"type": "short_text", "max_length": 200}}],
        "opens_at": now - Duration::days(1),
        "closes_at": now + Duration::days(9),
        "anonymous": true,
    });
    json_of(app.post("/api/v1/orgs/mesto/surveys", Some(&official.token), &body).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn keyed(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    who: &User,
    key: &str,
    body: &Value,
) -> reqwest::RequestBuilder {
    app.request(method, path, Some(&who.token)).header("Idempotency-Key", key).json(body)
}

on_both_databases! {
    async fn no_row_links_a_voter_to_what_they_chose_nor_dates_them_finer_than_a_day(app) {
        let (official, id, ps) = voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let survey = anonymous_survey(&app, &official).await;
        let voter = app.register("volic@example.sk").await;
        let before = dump(&app).await;

        let url = format!("{BUDGETS}/{id}/ballot");
        let put = reqwest::Method::PUT;
        assert_eq!(keyed(&app, put.clone(), &url, &voter, "cast-1", &ballot(&[&ps[0]])).send().await.unwrap().status(), 201);
        assert_eq!(keyed(&app, put.clone(), &url, &voter, "cast-2", &ballot(&[&ps[1], &ps[2]])).send().await.unwrap().status(), 200);
        let secret = "Tajná poznámka 51c9";
        let answer = json!({"answers": {"comment": {"type": "short_text", "text": secret}}});
        let res = keyed(&app, reqwest::Method::POST, &format!("/api/v1/orgs/mesto/surveys/{survey}/responses"), &voter, "survey-1", &answer)
            .send().await.unwrap();
        assert_eq!(res.status(), 201);

        let rows = written(&before, &dump(&app).await);
        let voter_id = voter.id.to_string();
        // The check can fail: the voter's register row and the ballot were written and are seen.
        assert!(rows.iter().any(|(t, r)| t == "budget_voters" && holds(r, &voter_id)), "{rows:#?}");
        assert!(rows.iter().any(|(t, r)| t == "budget_ballots" && holds(r, &ps[1])), "{rows:#?}");
        assert!(rows.iter().any(|(_, r)| r.contains(secret)), "{rows:#?}");
        for (table, row) in &rows {
            if holds(row, &voter_id) {
                for p in &ps {
                    assert!(!holds(row, p), "{table} links the voter to proposal {p}: {row}");
                }
                assert!(!row.contains(secret), "{table} links the voter to their answer: {row}");
            }
            // A changed row may keep the times it held (the survey's own, when its responses'
            // version is raised); what the cast writes is dated by the day at most.
            let held: BTreeSet<String> = before.get(table).into_iter().flatten().flat_map(|r| times_of_day(r)).collect();
            for t in times_of_day(row) {
                let midnight = t.strip_prefix("00:00:00").is_some_and(|rest| rest.trim_start_matches('.').chars().all(|c| c == '0'));
                assert!(midnight || held.contains(&t), "{table} holds a time finer than a day ({t}): {row}");
            }
        }
        // The survey's row changed only by its responses' version (a counter, the same for any
        // respondent): the check above sees it.
        assert!(rows.iter().any(|(t, r)| t == "surveys" && holds(r, &survey)), "{rows:#?}");
        // Nothing of the cast waits next to the account for a retry, and replaced choices are gone.
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, 1);
        assert!(!rows.iter().any(|(_, r)| holds(r, &ps[0])), "the replaced choice is kept somewhere: {rows:#?}");
    }
}

on_both_databases! {
    async fn a_retried_cast_is_answered_from_the_ballot_and_a_reused_key_with_other_choices_is_refused(app) {
        let (official, id, ps) = voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let voter = app.register("volic@example.sk").await;
        let url = format!("{BUDGETS}/{id}/ballot");
        let put = |key: &'static str, body: Value| keyed(&app, reqwest::Method::PUT, &url, &voter, key, &body).send();

        let first = put("k-1", ballot(&[&ps[0]])).await.unwrap();
        assert_eq!(first.status(), 201);
        assert!(first.headers().get("idempotent-replayed").is_none());
        let again = put("k-1", ballot(&[&ps[0]])).await.unwrap();
        assert_eq!(again.status(), 201, "a retry of the first cast is answered as it was");
        assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
        assert_eq!(again.json::<Value>().await.unwrap()["choices"][0]["proposal_id"], ps[0].as_str());

        let p = assert_problem(put("k-1", ballot(&[&ps[1]])).await.unwrap(), 422).await;
        assert_eq!(p["code"], "idempotency-key-reused");
        let mine: Value = app.get(&url, Some(&voter.token)).await.json().await.unwrap();
        assert_eq!(mine["choices"][0]["proposal_id"], ps[0].as_str(), "the refused request changed nothing");

        assert_eq!(put("k-2", ballot(&[&ps[1], &ps[2]])).await.unwrap().status(), 200);
        let again = put("k-2", ballot(&[&ps[1], &ps[2]])).await.unwrap();
        assert_eq!((again.status().as_u16(), again.headers().get("idempotent-replayed").is_some()), (200, true));
        // An older key is no longer the ballot's: sending it again casts again (a replacement).
        let old = put("k-1", ballot(&[&ps[0]])).await.unwrap();
        assert_eq!((old.status().as_u16(), old.headers().get("idempotent-replayed").is_none()), (200, true));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM idempotency_keys").await, 0, "nothing stored next to the account");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, 1);

        // The vote closes; a retry of the last cast is still answered as it was (it was counted),
        // anything else is refused.
        to(&app, &official, &id, "results").await;
        let late = put("k-1", ballot(&[&ps[0]])).await.unwrap();
        assert_eq!((late.status().as_u16(), late.headers().get("idempotent-replayed").is_some()), (200, true));
        assert_eq!(assert_problem(put("k-1", ballot(&[&ps[1]])).await.unwrap(), 409).await["code"], "wrong-phase");
        assert_eq!(assert_problem(put("k-9", ballot(&[&ps[0]])).await.unwrap(), 409).await["code"], "wrong-phase");
    }
}

on_both_databases! {
    async fn a_ballot_racing_the_close_of_the_vote_is_counted_or_refused_never_lost(app) {
        let (official, id, ps) = voting(&app, json!({"kind": "approval"})).await;
        let mut voters = Vec::new();
        for i in 0..12 {
            voters.push(app.register(&format!("volic{i}@example.sk")).await);
        }
        let url = format!("{BUDGETS}/{id}/ballot");
        let choice = ballot(&[&ps[0]]);
        let casts = voters.iter().map(|v| app.put(&url, Some(&v.token), &choice));
        let (transitions, to_results) = (format!("{BUDGETS}/{id}/transitions"), json!({"to": "results"}));
        let close = app.post(&transitions, Some(&official.token), &to_results);
        let (casts, close) = futures_util::join!(join_all(casts), close);
        assert_eq!(close.status(), 200);
        let mut counted = 0;
        for res in casts {
            match res.status().as_u16() {
                201 => counted += 1,
                409 => assert_eq!(res.json::<Value>().await.unwrap()["code"], "wrong-phase"),
                other => panic!("a cast answered {other}"),
            }
        }
        let r: Value = app.get(&format!("{BUDGETS}/{id}/results"), None).await.json().await.unwrap();
        assert_eq!(r["voters"], counted, "every ballot that was taken is counted, and only those");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, counted);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_voters").await, counted, "a refused ballot left no register row");
    }
}

on_both_databases! {
    async fn supports_need_verified_residency_where_the_process_requires_it(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let author = app.register("autor@example.sk").await;
        let mut body = process(json!({"kind": "approval"}), Some(1));
        body["requires_verified"] = json!(true);
        let id = create(&app, &official, &body).await;
        to(&app, &official, &id, "proposals").await;
        let p = propose(&app, &author, &id, "Park", 1_000_000).await;
        to(&app, &official, &id, "review").await;
        review(&app, &official, &id, &p, true).await;
        to(&app, &official, &id, "supports").await;

        let fan = app.register("fan@example.sk").await;
        let seen: Value = app.get(&format!("{BUDGETS}/{id}/proposals/{p}"), Some(&fan.token)).await.json().await.unwrap();
        assert_eq!(seen["can"]["support"], false, "the web app is told before it tries");
        let url = format!("{BUDGETS}/{id}/proposals/{p}/supports");
        let problem = assert_problem(app.post(&url, Some(&fan.token), &json!({})).await, 403).await;
        assert_eq!(problem["code"], "not-verified");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_supports").await, 0);

        let root = app.login("root-mesto@example.org", crate::helpers::password()).await.json::<Value>().await.unwrap();
        let res = app.put(&format!("/api/v1/orgs/mesto/members/{}", fan.id), root["access_token"].as_str(), &json!({"roles": [], "verified": true})).await;
        assert_eq!(res.status(), 200);
        let relog: Value = app.login("fan@example.sk", crate::helpers::password()).await.json().await.unwrap();
        let token = relog["access_token"].as_str().unwrap();
        let supported = json_of(app.post(&url, Some(token), &json!({})).await, 201).await;
        assert_eq!(supported["supports"], 1);
    }
}

on_both_databases! {
    async fn where_a_resident_votes_in_one_district_the_register_holds_them_to_it(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let author = app.register("autor@example.sk").await;
        let mut body = process(json!({"kind": "approval"}), None);
        body["districts"] = json!([
            {"key": "centrum", "name": {"sk": "Centrum"}, "amount": 5_000_000},
            {"key": "foncorda", "name": {"sk": "Fončorda"}, "amount": 3_000_000}
        ]);
        body["district_voting"] = json!("one");
        let id = create(&app, &official, &body).await;
        let b: Value = app.get(&format!("{BUDGETS}/{id}"), None).await.json().await.unwrap();
        assert_eq!(b["district_voting"], "one");
        to(&app, &official, &id, "proposals").await;
        let url = format!("{BUDGETS}/{id}/proposals");
        let mut ids = Vec::new();
        for (title, district) in [("Park", "centrum"), ("Fontána", "centrum"), ("Ihrisko", "foncorda")] {
            let p = json!({"title": {"sk": title}, "description": {"sk": "Popis."}, "estimated_cost": 1_000_000, "district": district});
            ids.push(json_of(app.post(&url, Some(&author.token), &p).await, 201).await["id"].as_str().unwrap().to_owned());
        }
        to(&app, &official, &id, "review").await;
        for p in &ids {
            review(&app, &official, &id, p, true).await;
        }
        to(&app, &official, &id, "voting").await;
        let etag = app.get(&format!("{BUDGETS}/{id}"), None).await.headers()["etag"].to_str().unwrap().to_owned();
        let res = app.request(reqwest::Method::PATCH, &format!("{BUDGETS}/{id}"), Some(&official.token))
            .header("If-Match", &etag).json(&json!({"district_voting": "each"})).send().await.unwrap();
        assert_eq!(assert_problem(res, 409).await["code"], "rules-fixed");

        let in_district = |district: &str, p: &str| json!({"district": district, "choices": [{"proposal_id": p}]});
        let voter = app.register("volic@example.sk").await;
        let ballot_url = format!("{BUDGETS}/{id}/ballot");
        json_of(app.put(&ballot_url, Some(&voter.token), &in_district("centrum", &ids[0])).await, 201).await;
        json_of(app.put(&ballot_url, Some(&voter.token), &in_district("centrum", &ids[1])).await, 200).await;
        let p = assert_problem(app.put(&ballot_url, Some(&voter.token), &in_district("foncorda", &ids[2])).await, 409).await;
        assert_eq!(p["code"], "one-district-only");
        assert_problem(app.get(&format!("{ballot_url}?district=foncorda"), Some(&voter.token)).await, 404).await;
        let mine: Value = app.get(&format!("{ballot_url}?district=centrum"), Some(&voter.token)).await.json().await.unwrap();
        assert_eq!(mine["choices"][0]["proposal_id"], ids[1].as_str(), "the refused ballot changed nothing");

        // Two first ballots in two districts at once: the database lets one in.
        let racer = app.register("rychly@example.sk").await;
        let (a, b) = (in_district("centrum", &ids[0]), in_district("foncorda", &ids[2]));
        let (ra, rb) = futures_util::join!(app.put(&ballot_url, Some(&racer.token), &a), app.put(&ballot_url, Some(&racer.token), &b));
        let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_voters").await, 2);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, 2);
    }
}
