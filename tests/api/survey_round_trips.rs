//! Statements per request of a survey's results and of the surveys list: the results read is
//! keyed by the survey row alone (no count over the responses on each request), so a cached
//! read costs the same whatever the number of responses, and a fresh one adds only the tally;
//! the list fetches its surveys' consultation periods in one query, so a page of a hundred
//! costs what a page of one does. Prints the counts (`--no-capture`).

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Statements, TestApp, spawn_counting_app};

const BASE: &str = "/api/v1/orgs/mesto/surveys";

/// One anonymous GET; its body and the statements it ran.
async fn count(app: &TestApp, st: &Statements, path: &str) -> (Value, Vec<String>) {
    st.clear();
    let res = app.get(path, None).await;
    assert_eq!(res.status().as_u16(), 200, "{path}");
    let body: Value = res.json().await.expect("json");
    (body, st.taken())
}

fn on_responses(statements: &[String]) -> Vec<&String> {
    statements.iter().filter(|s| s.contains("survey_responses")).collect()
}

fn counts_responses(statements: &[String]) -> bool {
    on_responses(statements).iter().any(|s| s.to_uppercase().contains("COUNT("))
}

fn survey(results_public: bool, own_period: bool) -> Value {
    let now = Utc::now();
    let mut b = json!({
        "title": {"sk": "Doprava"},
        "results_public": results_public,
        "questions": [{"id": "mode", "text": {"sk": "Ako?"}, "required": true,
            "kind": {"type": "single_choice", "options": [{"id": "bus", "label": {"sk": "Autobus"}}, {"id": "car", "label": {"sk": "Auto"}}]}}],
    });
    if own_period {
        b["opens_at"] = json!(now - Duration::days(1));
        b["closes_at"] = json!(now + Duration::days(9));
    }
    b
}

async fn results(backend: Backend) {
    let Some((app, st)) = spawn_counting_app(backend).await else {
        eprintln!("PNYX_TEST_POSTGRES_URL is not set: skipped on PostgreSQL");
        return;
    };
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let res = app.post(BASE, Some(&official.token), &survey(true, true)).await;
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let url = format!("{BASE}/{id}/results");
    let mut rows = Vec::new();
    let mut given = 0;
    for n in [1, 12] {
        while given < n {
            let u = app.register(&format!("r{given}@example.sk")).await;
            let body = json!({"answers": {"mode": {"type": "single_choice", "option": "bus"}}});
            let res = app.post(&format!("{BASE}/{id}/responses"), Some(&u.token), &body).await;
            assert_eq!(res.status(), 201);
            given += 1;
        }
        let (fresh, cold) = count(&app, &st, &url).await;
        let (cached, warm) = count(&app, &st, &url).await;
        assert_eq!(fresh["respondents"], n);
        assert_eq!(cached, fresh);
        assert!(
            !counts_responses(&cold) && !counts_responses(&warm),
            "a count over the responses: {cold:#?} {warm:#?}"
        );
        assert_eq!(on_responses(&cold).len(), 1, "only the tally reads the responses: {cold:#?}");
        assert!(on_responses(&warm).is_empty(), "a cached read reads no response: {warm:#?}");
        rows.push((n, cold, warm));
    }
    println!("\n{backend:?}: survey results, SQL statements per request");
    println!("{:>10} {:>10} {:>10}", "responses", "computed", "cached");
    for (n, cold, warm) in &rows {
        println!("{n:>10} {:>10} {:>10}", cold.len(), warm.len());
    }
    assert_eq!(rows[0].1.len(), rows[1].1.len(), "{:#?}", rows[1].1);
    assert_eq!(rows[0].2.len(), rows[1].2.len(), "{:#?}", rows[1].2);
}

async fn list(backend: Backend) {
    let Some((app, st)) = spawn_counting_app(backend).await else {
        eprintln!("PNYX_TEST_POSTGRES_URL is not set: skipped on PostgreSQL");
        return;
    };
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let now = Utc::now();
    // Six surveys taking their consultation's period (open, planned, closed in turn), one
    // linked by two consultations (the older one's period counts), one linked by none, and one
    // with its own period.
    let mut expected = Vec::new();
    for i in 0..6 {
        let res = app.post(BASE, Some(&official.token), &survey(false, false)).await;
        assert_eq!(res.status(), 201);
        let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let (opens, closes, status) = match i % 3 {
            0 => (-1, 5, "open"),
            1 => (2, 5, "planned"),
            _ => (-5, -2, "closed"),
        };
        let c = json!({"title": {"sk": format!("Konzultácia {i}")}, "subject": "plan", "survey_id": id,
                       "opens_at": now + Duration::days(opens), "closes_at": now + Duration::days(closes)});
        let res = app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &c).await;
        assert_eq!(res.status(), 201, "{:?}", res.text().await);
        if i == 0 {
            let later = json!({"title": {"sk": "Neskoršia"}, "subject": "plan", "survey_id": id,
                               "opens_at": now + Duration::days(20), "closes_at": now + Duration::days(30)});
            let res = app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &later).await;
            assert_eq!(res.status(), 201, "{:?}", res.text().await);
        }
        expected.push((id, status));
    }
    for (own, status) in [(false, "unscheduled"), (true, "open")] {
        let res = app.post(BASE, Some(&official.token), &survey(false, own)).await;
        let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        expected.push((id, status));
    }
    let (_, one) = count(&app, &st, &format!("{BASE}?limit=1")).await;
    let (page, many) = count(&app, &st, &format!("{BASE}?limit=100")).await;
    let items = page["items"].as_array().unwrap();
    let found: Vec<(String, &str)> =
        items.iter().map(|s| (s["id"].as_str().unwrap().to_owned(), s["status"].as_str().unwrap())).collect();
    assert_eq!(found, expected.iter().map(|(id, s)| (id.clone(), *s)).collect::<Vec<_>>());
    assert!(items[0]["effective_closes_at"].is_string(), "{}", items[0]);
    println!(
        "\n{backend:?}: surveys list, SQL statements per request: {} at limit=1, {} at limit=100 ({} rows)",
        one.len(),
        many.len(),
        items.len()
    );
    assert_eq!(one.len(), many.len(), "{many:#?}");
    let on_consultations = many.iter().filter(|s| s.contains("consultations")).count();
    assert_eq!(on_consultations, 1, "the periods in one query: {many:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_results_cost_the_same_whatever_the_responses_on_sqlite() {
    results(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_results_cost_the_same_whatever_the_responses_on_postgres() {
    results(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_surveys_list_costs_the_same_for_one_row_or_a_hundred_on_sqlite() {
    list(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_surveys_list_costs_the_same_for_one_row_or_a_hundred_on_postgres() {
    list(Backend::Postgres).await;
}
