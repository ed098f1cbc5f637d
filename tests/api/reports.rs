//! Residents' reports and proposals: categories, filing (with the area and the one-minute
//! duplicate check), the status graph with public answers and its append-only history, supports
//! under concurrency, the public list and the staff queue, the statistics, and the workspace.

use chrono::Duration;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of, password, user_from};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";

pub(crate) struct People {
    pub(crate) official: User,
    pub(crate) jana: User,
    pub(crate) peter: User,
}

pub(crate) async fn people(app: &TestApp) -> People {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let jana = app.register("jana@example.sk").await;
    let peter = app.register("peter@example.sk").await;
    People { official, jana, peter }
}

/// Moves the clock and signs everyone in again (access tokens last 15 minutes).
pub(crate) async fn advance(app: &TestApp, p: &mut People, by: Duration) {
    app.clock.advance(by);
    for (u, email) in
        [(&mut p.official, "official@mesto.sk"), (&mut p.jana, "jana@example.sk"), (&mut p.peter, "peter@example.sk")]
    {
        *u = user_from(&json_of(app.login(email, password()).await, 200).await);
    }
}

pub(crate) async fn category(app: &TestApp, official: &User, name: &str, days: u32) -> String {
    let b = json!({"name": {"sk": name}, "department": format!("Odbor {name}"), "answer_days": days});
    let c = json_of(app.post(&format!("{ORG}/report-categories"), Some(&official.token), &b).await, 201).await;
    c["id"].as_str().unwrap().to_owned()
}

pub(crate) fn report(cat: &str, title: &str) -> Value {
    json!({
        "kind": "report", "category_id": cat, "title": title,
        "description": "Tri lampy pri škole nesvietia už týždeň.",
        "latitude": 48.7364, "longitude": 19.146, "address": "Námestie SNP 1"
    })
}

pub(crate) async fn file(app: &TestApp, who: &User, b: &Value) -> Value {
    json_of(app.post(&format!("{ORG}/resident-reports"), Some(&who.token), b).await, 201).await
}

pub(crate) async fn move_to(app: &TestApp, official: &User, id: &str, b: &Value) -> reqwest::Response {
    app.post(&format!("{ORG}/resident-reports/{id}/transitions"), Some(&official.token), b).await
}

pub(crate) async fn get(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    json_of(app.get(&format!("{ORG}{path}"), token).await, 200).await
}

async fn count_reports(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM reports").await
}

async fn root_token(app: &TestApp) -> String {
    let res = app.login("root-mesto@example.org", password()).await;
    res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
}

on_both_databases! {
    async fn staff_manage_categories_that_everyone_reads_and_the_audit_log_records(app) {
        let p = people(&app).await;
        let b = json!({"name": {"sk": "Verejné osvetlenie", "en": "Street lighting"}, "department": "Správa osvetlenia", "answer_days": 10});
        assert_problem(app.post(&format!("{ORG}/report-categories"), Some(&p.jana.token), &b).await, 403).await;
        assert_problem(app.post(&format!("{ORG}/report-categories"), None, &b).await, 401).await;
        let mut bad = b.clone();
        bad["answer_days"] = json!(0);
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/report-categories"), Some(&p.official.token), &bad).await, 422).await), vec!["answer_days"]);
        bad = b.clone();
        bad["name"] = json!({"en": "Only English"});
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/report-categories"), Some(&p.official.token), &bad).await, 422).await), vec!["name.sk"]);
        let c = json_of(app.post(&format!("{ORG}/report-categories"), Some(&p.official.token), &b).await, 201).await;
        let id = c["id"].as_str().unwrap();
        let changed = json_of(app.patch(&format!("{ORG}/report-categories/{id}"), Some(&p.official.token), &json!({"answer_days": 5})).await, 200).await;
        assert_eq!((changed["answer_days"].as_u64(), changed["department"].as_str()), (Some(5), Some("Správa osvetlenia")));
        let list = get(&app, "/report-categories", None).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert_eq!(list["items"][0]["name"]["en"], "Street lighting");
        let log = get(&app, "/audit-log?limit=100", None).await;
        let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"report_category.created") && actions.contains(&"report_category.updated"), "{actions:?}");
    }
}

on_both_databases! {
    async fn a_resident_files_a_report_that_everyone_reads_with_its_first_history_line(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        assert_problem(app.post(&format!("{ORG}/resident-reports"), None, &report(&cat, "Nesvieti lampa")).await, 401).await;
        let r = file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        assert_eq!((r["status"].as_str(), r["kind"].as_str(), r["support_count"].as_u64()), (Some("received"), Some("report"), Some(0)));
        assert_eq!(r["history"].as_array().unwrap().len(), 1);
        assert_eq!(r["history"][0]["to"], "received");
        assert!(r["history"][0]["from"].is_null());
        let id = r["id"].as_str().unwrap();
        let public = get(&app, &format!("/resident-reports/{id}"), None).await;
        assert!(public["author_name"].is_null(), "no name unless the author shows it: {public}");
        assert!(public.get("overdue").is_none(), "overdue is for staff");
        assert_eq!(public["title"], "Nesvieti lampa");
        let staff = get(&app, &format!("/resident-reports/{id}"), Some(&p.official.token)).await;
        assert_eq!(staff["overdue"], false);
        assert!(staff["author_name"].is_string());
        // The answer is due the category's ten days after filing, in the detail and the list alike.
        let filed: chrono::DateTime<chrono::Utc> = public["created_at"].as_str().unwrap().parse().unwrap();
        let due: chrono::DateTime<chrono::Utc> = public["answer_due"].as_str().unwrap().parse().unwrap();
        assert_eq!(due - filed, chrono::Duration::days(10));
        let listed = get(&app, "/resident-reports", None).await;
        assert_eq!(listed["items"][0]["answer_due"], public["answer_due"]);
        assert_eq!(public["history"], r["history"], "the detail reads the history the filing wrote");
        let mut shown = report(&cat, "Výtlk na ceste");
        shown["show_name"] = json!(true);
        shown["kind"] = json!("proposal");
        let named = file(&app, &p.peter, &shown).await;
        assert!(named["author_name"].is_string());
        assert_eq!(named["kind"], "proposal");
        // Another organisation's id is not found here.
        let other = app.org_with_member("ine-mesto", "official@ine.sk", &["official"]).await;
        let _ = other;
        assert_problem(app.get(&format!("/api/v1/orgs/ine-mesto/resident-reports/{id}"), None).await, 404).await;
    }
}

on_both_databases! {
    async fn bad_places_and_fields_are_refused_and_nothing_is_stored(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        let root = root_token(&app).await;
        let area = json!({"area": {"south": 48.65, "west": 19.02, "north": 48.82, "east": 19.30}});
        let org = json_of(app.patch("/api/v1/orgs/mesto", Some(&root), &area).await, 200).await;
        assert_eq!(org["area"]["north"], 48.82);
        let mut b = report(&cat, "Mimo mesta");
        b["latitude"] = json!(44.8);
        b["longitude"] = json!(20.46);
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/resident-reports"), Some(&p.jana.token), &b).await, 422).await), vec!["location"]);
        b = report(&cat, "Bez dĺžky");
        b["longitude"] = Value::Null;
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/resident-reports"), Some(&p.jana.token), &b).await, 422).await), vec!["longitude"]);
        b = report(&cat, "Nikde");
        b["latitude"] = Value::Null;
        b["longitude"] = Value::Null;
        b["address"] = Value::Null;
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/resident-reports"), Some(&p.jana.token), &b).await, 422).await), vec!["location"]);
        b = report(&cat, "Neznáma kategória");
        b["category_id"] = json!(uuid::Uuid::now_v7());
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/resident-reports"), Some(&p.jana.token), &b).await, 422).await), vec!["category_id"]);
        b = report(&cat, "  ");
        assert_problem(app.post(&format!("{ORG}/resident-reports"), Some(&p.jana.token), &b).await, 422).await;
        assert_eq!(count_reports(&app).await, 0, "nothing stored");
        // An invalid box is refused on the organisation too.
        let wrong = json!({"area": {"south": 48.9, "west": 19.02, "north": 48.8, "east": 19.30}});
        assert_eq!(error_fields(&assert_problem(app.patch("/api/v1/orgs/mesto", Some(&root), &wrong).await, 422).await), vec!["area.north"]);
        // Without a box, anything valid on Earth is taken.
        json_of(app.patch("/api/v1/orgs/mesto", Some(&root), &json!({"area": null})).await, 200).await;
        b = report(&cat, "Kdekoľvek");
        b["latitude"] = json!(44.8);
        b["longitude"] = json!(20.46);
        file(&app, &p.jana, &b).await;
        b["latitude"] = json!(91.0);
        b["title"] = json!("Za pólom");
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/resident-reports"), Some(&p.jana.token), &b).await, 422).await), vec!["latitude"]);
        assert_eq!(count_reports(&app).await, 1);
    }
}

on_both_databases! {
    async fn the_same_title_from_the_same_resident_within_a_minute_is_a_409(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        let again = assert_problem(app.post(&format!("{ORG}/resident-reports"), Some(&p.jana.token), &report(&cat, " nesvieti LAMPA ")).await, 409).await;
        assert_eq!(again["code"], "duplicate-submission");
        assert_eq!(count_reports(&app).await, 1);
        // Another resident, or another title, is no duplicate.
        file(&app, &p.peter, &report(&cat, "Nesvieti lampa")).await;
        file(&app, &p.jana, &report(&cat, "Nesvieti iná lampa")).await;
        app.clock.advance(Duration::seconds(61));
        file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        assert_eq!(count_reports(&app).await, 4);
        // A double submit sent at once: one is stored, the others are refused.
        let b = report(&cat, "Čierna skládka pri potoku");
        let path = format!("{ORG}/resident-reports");
        let sent = join_all((0..5).map(|_| app.post(&path, Some(&p.peter.token), &b))).await;
        let mut statuses: Vec<u16> = sent.iter().map(|r| r.status().as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, vec![201, 409, 409, 409, 409]);
        assert_eq!(count_reports(&app).await, 5);
    }
}

on_both_databases! {
    async fn only_staff_change_the_status_and_every_rule_of_the_graph_holds(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        let r = file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        let id = r["id"].as_str().unwrap().to_owned();
        let accept = json!({"status": "accepted", "answer": "Prijali sme a preveríme."});
        assert_problem(app.post(&format!("{ORG}/resident-reports/{id}/transitions"), Some(&p.jana.token), &accept).await, 403).await;
        assert_problem(app.post(&format!("{ORG}/resident-reports/{id}/transitions"), None, &accept).await, 401).await;
        let blank = json!({"status": "accepted", "answer": "  "});
        assert_eq!(error_fields(&assert_problem(move_to(&app, &p.official, &id, &blank).await, 422).await), vec!["answer.sk"]);
        let back = json!({"status": "received", "answer": "Späť"});
        assert_eq!(assert_problem(move_to(&app, &p.official, &id, &back).await, 409).await["code"], "invalid-transition");
        let d = json_of(move_to(&app, &p.official, &id, &accept).await, 200).await;
        assert_eq!(d["status"], "accepted");
        assert!(d["first_answer_at"].is_string());
        let again = assert_problem(move_to(&app, &p.official, &id, &accept).await, 409).await;
        assert_eq!(again["code"], "invalid-transition");
        let progress = json!({"status": "in_progress", "answer": {"sk": "Oprava je objednaná.", "en": "The repair is ordered."}});
        json_of(move_to(&app, &p.official, &id, &progress).await, 200).await;
        assert_problem(move_to(&app, &p.official, &id, &json!({"status": "accepted", "answer": "Naspäť"})).await, 409).await;
        let done = json_of(move_to(&app, &p.official, &id, &json!({"status": "resolved", "answer": "Lampy svietia."})).await, 200).await;
        assert!(done["resolved_at"].is_string());
        assert_problem(move_to(&app, &p.official, &id, &json!({"status": "declined", "answer": "Nie"})).await, 409).await;
        // Reopen: resolved → in progress, and the resolution time is gone.
        let reopened = json_of(move_to(&app, &p.official, &id, &json!({"status": "in_progress", "answer": "Lampa opäť nesvieti, preverujeme."})).await, 200).await;
        assert!(reopened["resolved_at"].is_null());
        let history: Vec<(Value, Value)> = reopened["history"].as_array().unwrap().iter().map(|e| (e["from"].clone(), e["to"].clone())).collect();
        assert_eq!(history, vec![
            (Value::Null, json!("received")),
            (json!("received"), json!("accepted")),
            (json!("accepted"), json!("in_progress")),
            (json!("in_progress"), json!("resolved")),
            (json!("resolved"), json!("in_progress")),
        ]);
        assert_eq!(reopened["history"][2]["answer"]["en"], "The repair is ordered.");
        assert_eq!(reopened["history"][1]["answer"]["sk"], "Prijali sme a preveríme.", "plain text in the organisation's language");
        // Declined is final.
        let r2 = file(&app, &p.peter, &report(&cat, "Iná lampa")).await;
        let id2 = r2["id"].as_str().unwrap();
        json_of(move_to(&app, &p.official, id2, &json!({"status": "declined", "answer": "Nie je v správe mesta."})).await, 200).await;
        assert_problem(move_to(&app, &p.official, id2, &json!({"status": "in_progress", "answer": "Predsa"})).await, 409).await;
        let log = get(&app, "/audit-log?limit=100", None).await;
        let changes = log["items"].as_array().unwrap().iter().filter(|e| e["action"] == "report.status_changed").count();
        assert_eq!(changes, 5);
    }
}

on_both_databases! {
    async fn a_duplicate_points_to_an_existing_original_of_the_same_organisation(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        let original = file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        let copy = file(&app, &p.peter, &report(&cat, "Lampa nesvieti")).await;
        let (oid, cid) = (original["id"].as_str().unwrap(), copy["id"].as_str().unwrap());
        let missing = json!({"status": "duplicate", "answer": "Duplicitné."});
        assert_eq!(error_fields(&assert_problem(move_to(&app, &p.official, cid, &missing).await, 422).await), vec!["duplicate_of"]);
        let unknown = json!({"status": "duplicate", "answer": "Duplicitné.", "duplicate_of": uuid::Uuid::now_v7()});
        assert_eq!(error_fields(&assert_problem(move_to(&app, &p.official, cid, &unknown).await, 422).await), vec!["duplicate_of"]);
        let itself = json!({"status": "duplicate", "answer": "Duplicitné.", "duplicate_of": cid});
        assert_eq!(error_fields(&assert_problem(move_to(&app, &p.official, cid, &itself).await, 422).await), vec!["duplicate_of"]);
        // A report of another organisation is no original here.
        let other_official = app.org_with_member("ine-mesto", "official@ine.sk", &["official"]).await;
        let ob = json!({"name": {"sk": "Iné"}, "department": "Iný odbor", "answer_days": 5});
        let ocat = json_of(app.post("/api/v1/orgs/ine-mesto/report-categories", Some(&other_official.token), &ob).await, 201).await;
        let mut elsewhere_b = report(ocat["id"].as_str().unwrap(), "Inde");
        elsewhere_b["latitude"] = Value::Null;
        elsewhere_b["longitude"] = Value::Null;
        let elsewhere = json_of(app.post("/api/v1/orgs/ine-mesto/resident-reports", Some(&p.jana.token), &elsewhere_b).await, 201).await;
        let foreign = json!({"status": "duplicate", "answer": "Duplicitné.", "duplicate_of": elsewhere["id"]});
        assert_eq!(error_fields(&assert_problem(move_to(&app, &p.official, cid, &foreign).await, 422).await), vec!["duplicate_of"]);
        let stray = json!({"status": "accepted", "answer": "Áno", "duplicate_of": oid});
        assert_eq!(error_fields(&assert_problem(move_to(&app, &p.official, cid, &stray).await, 422).await), vec!["duplicate_of"]);
        let still = get(&app, &format!("/resident-reports/{cid}"), None).await;
        assert_eq!((still["status"].as_str(), still["history"].as_array().unwrap().len()), (Some("received"), 1), "nothing changed");
        let ok = json!({"status": "duplicate", "answer": "Rovnaký podnet už riešime.", "duplicate_of": oid});
        let d = json_of(move_to(&app, &p.official, cid, &ok).await, 200).await;
        assert_eq!((d["status"].as_str(), d["duplicate_of"].as_str()), (Some("duplicate"), Some(oid)));
        assert_eq!(d["history"][1]["duplicate_of"].as_str(), Some(oid));
        assert_problem(move_to(&app, &p.official, cid, &json!({"status": "accepted", "answer": "x"})).await, 409).await;
        // A duplicate of a duplicate must name the original instead.
        let third = file(&app, &p.peter, &report(&cat, "Tretia lampa")).await;
        let via = json!({"status": "duplicate", "answer": "Duplicitné.", "duplicate_of": cid});
        assert_eq!(error_fields(&assert_problem(move_to(&app, &p.official, third["id"].as_str().unwrap(), &via).await, 422).await), vec!["duplicate_of"]);
    }
}

on_both_databases! {
    async fn the_history_is_append_only_no_request_changes_or_deletes_a_line(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        let r = file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        let id = r["id"].as_str().unwrap().to_owned();
        let d = json_of(move_to(&app, &p.official, &id, &json!({"status": "accepted", "answer": "Prijaté."})).await, 200).await;
        let entry = d["history"][1]["id"].as_str().unwrap().to_owned();
        let before = app.scalar("SELECT COUNT(*) FROM report_status_entries").await;
        for (method, path) in [
            (reqwest::Method::DELETE, format!("{ORG}/resident-reports/{id}/transitions/{entry}")),
            (reqwest::Method::PATCH, format!("{ORG}/resident-reports/{id}/transitions/{entry}")),
            (reqwest::Method::PUT, format!("{ORG}/resident-reports/{id}/transitions/{entry}")),
            (reqwest::Method::DELETE, format!("{ORG}/resident-reports/{id}/history/{entry}")),
            (reqwest::Method::DELETE, format!("{ORG}/resident-reports/{id}")),
            (reqwest::Method::PATCH, format!("{ORG}/resident-reports/{id}")),
        ] {
            let res = app.request(method.clone(), &path, Some(&p.official.token)).json(&json!({"answer": "Prepísané"})).send().await.unwrap();
            assert!(matches!(res.status().as_u16(), 404 | 405), "{method} {path}: {}", res.status());
        }
        let after = get(&app, &format!("/resident-reports/{id}"), None).await;
        assert_eq!(after["history"], d["history"]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM report_status_entries").await, before);
    }
}

on_both_databases! {
    async fn supports_are_counted_once_per_resident_even_when_sent_at_once(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        let r = file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        let id = r["id"].as_str().unwrap().to_owned();
        assert_problem(app.post(&format!("{ORG}/resident-reports/{id}/supports"), None, &json!({})).await, 401).await;
        let path = format!("{ORG}/resident-reports/{id}/supports");
        let empty = json!({});
        let results = join_all((0..10).map(|_| app.post(&path, Some(&p.peter.token), &empty))).await;
        for res in results {
            assert_eq!(res.status(), 200);
        }
        let d = get(&app, &format!("/resident-reports/{id}"), Some(&p.peter.token)).await;
        assert_eq!(d["support_count"], 1);
        assert_eq!(d["supported"], true);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM report_supports").await, 1);
        let again = json_of(app.post(&path, Some(&p.peter.token), &json!({})).await, 200).await;
        assert_eq!(again["support_count"], 1, "idempotent");
        let jana = json_of(app.post(&path, Some(&p.jana.token), &json!({})).await, 200).await;
        assert_eq!(jana["support_count"], 2);
        assert_problem(app.post(&format!("{ORG}/resident-reports/{}/supports", uuid::Uuid::now_v7()), Some(&p.jana.token), &json!({})).await, 404).await;
    }
}

on_both_databases! {
    async fn the_public_list_filters_sorts_and_pages_and_finds_by_text(app) {
        let p = people(&app).await;
        let light = category(&app, &p.official, "Osvetlenie", 10).await;
        let roads = category(&app, &p.official, "Cesty", 15).await;
        let a = file(&app, &p.jana, &report(&light, "Nesvieti lampa")).await;
        app.clock.advance(Duration::minutes(2));
        let mut pb = report(&roads, "Výtlk na Tajovského");
        pb["kind"] = json!("proposal");
        let b = file(&app, &p.jana, &pb).await;
        app.clock.advance(Duration::minutes(2));
        let c = file(&app, &p.peter, &report(&roads, "Rozbitý chodník")).await;
        app.post(&format!("{ORG}/resident-reports/{}/supports", a["id"].as_str().unwrap()), Some(&p.peter.token), &json!({})).await;
        json_of(move_to(&app, &p.official, c["id"].as_str().unwrap(), &json!({"status": "accepted", "answer": "OK"})).await, 200).await;
        let ids = |v: &Value| v["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
        let all = get(&app, "/resident-reports", None).await;
        assert_eq!(ids(&all), vec![id(&c), id(&b), id(&a)], "newest first");
        assert_eq!(ids(&get(&app, "/resident-reports?sort=supported", None).await)[0], id(&a));
        assert_eq!(ids(&get(&app, "/resident-reports?sort=oldest", None).await), vec![id(&a), id(&b), id(&c)]);
        assert_eq!(ids(&get(&app, &format!("/resident-reports?category={roads}"), None).await), vec![id(&c), id(&b)]);
        assert_eq!(ids(&get(&app, "/resident-reports?status=accepted", None).await), vec![id(&c)]);
        assert_eq!(ids(&get(&app, "/resident-reports?kind=proposal", None).await), vec![id(&b)]);
        let from = b["created_at"].as_str().unwrap();
        let to = c["created_at"].as_str().unwrap();
        let range = get(&app, &format!("/resident-reports?from={}&to={}", urlencode(from), urlencode(to)), None).await;
        assert_eq!(ids(&range), vec![id(&b)]);
        assert_eq!(ids(&get(&app, "/resident-reports?q=tajovskeho", None).await), vec![id(&b)], "accent-insensitive full text");
        assert_eq!(ids(&get(&app, "/resident-reports?q=%20-%20", None).await).len(), 3, "punctuation filters nothing out");
        let first = get(&app, "/resident-reports?limit=2", None).await;
        assert_eq!((first["total"].as_u64(), ids(&first).len()), (Some(3), 2));
        let next = get(&app, &format!("/resident-reports?limit=2&cursor={}", first["next_cursor"].as_str().unwrap()), None).await;
        assert_eq!(ids(&next), vec![id(&a)]);
        // The total counts what the filter selects, on every page (it rides beside the rows).
        assert_eq!(next["total"], 3);
        let roads_page = get(&app, &format!("/resident-reports?category={roads}&limit=1&sort=oldest"), None).await;
        assert_eq!((roads_page["total"].as_u64(), ids(&roads_page)), (Some(2), vec![id(&b)]));
        let cursor = roads_page["next_cursor"].as_str().unwrap();
        let roads_next = get(&app, &format!("/resident-reports?category={roads}&limit=1&sort=oldest&cursor={cursor}"), None).await;
        assert_eq!((roads_next["total"].as_u64(), ids(&roads_next)), (Some(2), vec![id(&c)]));
        assert_problem(app.get(&format!("{ORG}/resident-reports?sort=loudest"), None).await, 422).await;
        assert_problem(app.get(&format!("{ORG}/resident-reports?status=lost"), None).await, 400).await;
        let search = get(&app, "/search?q=chodnik", None).await;
        assert_eq!(search["items"][0]["kind"], "report");
    }
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B")
}

on_both_databases! {
    async fn the_staff_queue_puts_overdue_first_by_department_and_the_workspace_counts_them(app) {
        let mut p = people(&app).await;
        let quick = category(&app, &p.official, "Osvetlenie", 2).await;
        let slow = category(&app, &p.official, "Cesty", 30).await;
        let old_slow = file(&app, &p.jana, &report(&slow, "Starý výtlk")).await;
        advance(&app, &mut p, Duration::days(1)).await;
        let quick_one = file(&app, &p.jana, &report(&quick, "Nesvieti lampa")).await;
        let answered = file(&app, &p.peter, &report(&quick, "Iná lampa")).await;
        json_of(move_to(&app, &p.official, answered["id"].as_str().unwrap(), &json!({"status": "accepted", "answer": "OK"})).await, 200).await;
        advance(&app, &mut p, Duration::days(3)).await;
        assert_problem(app.get(&format!("{ORG}/resident-reports/queue"), Some(&p.jana.token)).await, 403).await;
        assert_problem(app.get(&format!("{ORG}/resident-reports/queue"), None).await, 401).await;
        let q = get(&app, "/resident-reports/queue", Some(&p.official.token)).await;
        let order: Vec<(String, bool)> = q["items"].as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap().to_owned(), r["overdue"].as_bool().unwrap())).collect();
        assert_eq!(order, vec![
            (quick_one["id"].as_str().unwrap().to_owned(), true),
            (old_slow["id"].as_str().unwrap().to_owned(), false),
            (answered["id"].as_str().unwrap().to_owned(), false),
        ]);
        let roads = get(&app, "/resident-reports/queue?department=Odbor%20Cesty", Some(&p.official.token)).await;
        assert_eq!(roads["total"], 1);
        let ws = get(&app, "/workspace", Some(&p.official.token)).await;
        assert_eq!(ws["overdue_reports"]["total"], 1);
        assert_eq!(ws["overdue_reports"]["items"][0]["title"], "Nesvieti lampa");
        let list = get(&app, "/resident-reports", Some(&p.official.token)).await;
        assert_eq!(list["items"].as_array().unwrap().iter().filter(|r| r["overdue"] == true).count(), 1);
    }
}

on_both_databases! {
    async fn the_statistics_count_answers_within_the_deadline_and_the_medians(app) {
        let mut p = people(&app).await;
        let light = category(&app, &p.official, "Osvetlenie", 2).await;
        let roads = category(&app, &p.official, "Cesty", 10).await;
        // Three lighting reports: answered after 1 day, after 3 days (late), never.
        let l1 = file(&app, &p.jana, &report(&light, "Lampa 1")).await;
        let l2 = file(&app, &p.jana, &report(&light, "Lampa 2")).await;
        file(&app, &p.jana, &report(&light, "Lampa 3")).await;
        let r1 = file(&app, &p.peter, &report(&roads, "Výtlk 1")).await;
        advance(&app, &mut p, Duration::days(1)).await;
        json_of(move_to(&app, &p.official, l1["id"].as_str().unwrap(), &json!({"status": "accepted", "answer": "OK"})).await, 200).await;
        advance(&app, &mut p, Duration::days(2)).await;
        json_of(move_to(&app, &p.official, l2["id"].as_str().unwrap(), &json!({"status": "resolved", "answer": "Hotovo"})).await, 200).await;
        json_of(move_to(&app, &p.official, l1["id"].as_str().unwrap(), &json!({"status": "resolved", "answer": "Hotovo"})).await, 200).await;
        advance(&app, &mut p, Duration::days(2)).await;
        json_of(move_to(&app, &p.official, r1["id"].as_str().unwrap(), &json!({"status": "declined", "answer": "Nie"})).await, 200).await;
        let s = get(&app, "/resident-reports/stats", None).await;
        let day = 86_400;
        let total = &s["total"];
        assert_eq!((total["received"].as_u64(), total["answered"].as_u64(), total["answered_in_time"].as_u64(), total["resolved"].as_u64()), (Some(4), Some(3), Some(2), Some(2)));
        // First answers after 1, 3 and 5 days; resolutions both after 3 days.
        // The clock moves by whole days plus the real seconds the requests take.
        let near = |v: &Value, want: i64| v.as_i64().is_some_and(|s| (want..want + 120).contains(&s));
        assert!(near(&total["median_first_answer_seconds"], 3 * day), "{total}");
        assert!(near(&total["median_resolve_seconds"], 3 * day), "{total}");
        let cat = |id: &str| s["categories"].as_array().unwrap().iter().find(|r| r["category_id"] == id).unwrap().clone();
        let lights = cat(&light);
        assert_eq!((lights["received"].as_u64(), lights["answered"].as_u64(), lights["answered_in_time"].as_u64()), (Some(3), Some(2), Some(1)));
        assert!(near(&lights["median_first_answer_seconds"], 2 * day), "mean of 1 and 3 days: {lights}");
        assert_eq!(lights["category_name"]["sk"], "Osvetlenie");
        let road = cat(&roads);
        assert_eq!((road["answered"].as_u64(), road["answered_in_time"].as_u64(), road["resolved"].as_u64()), (Some(1), Some(1), Some(0)));
        assert!(road["median_resolve_seconds"].is_null());
        let rows = s["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "one month, two categories");
        assert!(rows.iter().all(|r| r["month"].as_str().is_some_and(|m| m.len() == 7)));
    }
}

on_both_databases! {
    async fn residents_comment_on_a_report(app) {
        let p = people(&app).await;
        let cat = category(&app, &p.official, "Osvetlenie", 10).await;
        let r = file(&app, &p.jana, &report(&cat, "Nesvieti lampa")).await;
        let id = r["id"].as_str().unwrap();
        let c = app.post(&format!("{ORG}/threads/report/{id}/comments"), Some(&p.peter.token), &json!({"body": "Aj u nás na ulici."})).await;
        assert_eq!(c.status(), 201, "{:?}", c.text().await);
        let d = get(&app, &format!("/resident-reports/{id}"), None).await;
        assert_eq!(d["comment_count"], 1);
        assert_problem(app.post(&format!("{ORG}/threads/report/{}/comments", uuid::Uuid::now_v7()), Some(&p.peter.token), &json!({"body": "?"})).await, 404).await;
    }
}
