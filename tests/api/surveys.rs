use chrono::{Duration, Timelike, Utc};
use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const BASE: &str = "/api/v1/orgs/mesto/surveys";

fn questions() -> Value {
    json!([
        {"id": "mode", "text": {"sk": "Ako chodíte do práce?"}, "required": true,
         "kind": {"type": "single_choice", "options": [
             {"id": "bus", "label": {"sk": "Autobus"}}, {"id": "car", "label": {"sk": "Auto"}}, {"id": "bike", "label": {"sk": "Bicykel"}}]}},
        {"id": "bus_rating", "text": {"sk": "Ako hodnotíte autobusy?"}, "required": true,
         "condition": {"type": "choice_is", "question": "mode", "options": ["bus"]},
         "kind": {"type": "scale", "points": 5, "labels": {"type": "ends", "low": {"sk": "Zle"}, "high": {"sk": "Výborne"}}}},
        {"id": "extras", "text": {"sk": "Čo zlepšiť?"}, "required": false,
         "kind": {"type": "multiple_choice", "options": [
             {"id": "parks", "label": {"sk": "Parky"}}, {"id": "roads", "label": {"sk": "Cesty"}}, {"id": "lights", "label": {"sk": "Osvetlenie"}}]}},
        {"id": "age", "text": {"sk": "Vek"}, "required": false, "kind": {"type": "number", "min": 0, "max": 120}},
        {"id": "priorities", "text": {"sk": "Poradie priorít"}, "required": false,
         "kind": {"type": "ranking", "options": [
             {"id": "a", "label": {"sk": "A"}}, {"id": "b", "label": {"sk": "B"}}, {"id": "c", "label": {"sk": "C"}}]}},
        {"id": "comment", "text": {"sk": "Poznámka"}, "required": false, "kind": {"type": "short_text", "max_length": 200}}
    ])
}

pub(crate) fn survey(opens_in_days: i64, closes_in_days: i64) -> Value {
    let now = Utc::now();
    json!({
        "title": {"sk": "Doprava v meste", "en": "Getting around town"},
        "questions": questions(),
        "opens_at": now + Duration::days(opens_in_days),
        "closes_at": now + Duration::days(closes_in_days),
    })
}

fn answers(mode: &str, rating: Option<u32>) -> Value {
    let mut a = json!({"mode": {"type": "single_choice", "option": mode}});
    if let Some(r) = rating {
        a["bus_rating"] = json!({"type": "scale", "value": r});
    }
    json!({ "answers": a })
}

pub(crate) async fn create(app: &TestApp, official: &User, b: &Value) -> String {
    let res = app.post(BASE, Some(&official.token), b).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn respond(app: &TestApp, id: &str, who: &User, body: &Value) -> reqwest::Response {
    app.post(&format!("{BASE}/{id}/responses"), Some(&who.token), body).await
}

/// Rows of `table` for one survey (a bound UUID: SQLite stores them as blobs).
async fn count_for(app: &TestApp, table: &str, survey_id: &str) -> i64 {
    let backend = app.db.backend();
    let mark = if backend == DbBackend::Postgres { "$1" } else { "?" };
    let id: uuid::Uuid = survey_id.parse().unwrap();
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE survey_id = {mark}");
    let row = app
        .db
        .connection()
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn columns(app: &TestApp, table: &str) -> Vec<String> {
    let backend = app.db.backend();
    let sql = match backend {
        DbBackend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY name"),
        _ => format!(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = '{table}' ORDER BY column_name"
        ),
    };
    let rows = app.db.connection().query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

on_both_databases! {
    async fn staff_create_surveys_that_anyone_reads_with_their_display_conditions(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let res = app.get(&format!("{BASE}/{id}"), None).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("etag").is_some());
        let s: Value = res.json().await.unwrap();
        assert_eq!(s["status"], "open");
        assert_eq!(s["policy"], "one_per_resident_refuse");
        assert_eq!(s["anonymous"], false);
        assert_eq!(s["questions"][1]["condition"], json!({"type": "choice_is", "question": "mode", "options": ["bus"]}));
        assert_eq!(s["questions"][0]["kind"]["options"][2]["id"], "bike");
        let list: Value = app.get(BASE, None).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], id.as_str());
    }
}

on_both_databases! {
    async fn only_staff_of_the_organisation_create_and_edit_surveys(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let other = app.org_with_member("ine-mesto", "official@ine.sk", &["official"]).await;
        let resident = app.register("jana@example.sk").await;
        assert_problem(app.post(BASE, Some(&resident.token), &survey(1, 2)).await, 403).await;
        assert_problem(app.post(BASE, Some(&other.token), &survey(1, 2)).await, 403).await;
        assert_problem(app.post(BASE, None, &survey(1, 2)).await, 401).await;
        let id = create(&app, &official, &survey(1, 2)).await;
        let edit = json!({"title": {"sk": "Iný názov"}});
        assert_problem(app.patch(&format!("{BASE}/{id}"), Some(&other.token), &edit).await, 403).await;
        assert_problem(app.patch(&format!("{BASE}/{id}"), Some(&resident.token), &edit).await, 403).await;
        // Another municipality's URL does not reveal this survey.
        assert_problem(app.get(&format!("/api/v1/orgs/ine-mesto/surveys/{id}"), None).await, 404).await;
        let res = app.patch(&format!("{BASE}/{id}"), Some(&official.token), &edit).await;
        assert_eq!(res.status(), 200);
        let list: Value = app.get(BASE, None).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["title"]["sk"], "Iný názov");
    }
}

on_both_databases! {
    async fn invalid_surveys_are_refused_naming_the_question_or_field(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (a, token) = (&app, official.token.as_str());
        let post = |b: Value| async move { assert_problem(a.post(BASE, Some(token), &b).await, 422).await };
        let mut b = survey(1, 5);
        b["questions"][1]["condition"]["question"] = json!("comment");
        assert_eq!(error_fields(&post(b).await), vec!["questions[1]"], "a condition on a later question");
        b = survey(1, 5);
        b["questions"][2]["kind"]["options"] = json!([{"id": "only", "label": {"sk": "Jediná"}}]);
        assert_eq!(error_fields(&post(b).await), vec!["questions[2]"]);
        b = survey(1, 5);
        b["questions"][3]["kind"]["type"] = json!("sliding");
        assert!(error_fields(&post(b).await)[0].starts_with("questions[3]"));
        b = survey(1, 5);
        b["anonymous"] = json!(true);
        b["policy"] = json!("one_per_resident_replace");
        assert_eq!(error_fields(&post(b).await), vec!["policy"]);
        b = survey(5, 1);
        assert_eq!(error_fields(&post(b).await), vec!["closes_at"]);
        b = survey(1, 5);
        b.as_object_mut().unwrap().remove("closes_at");
        assert_eq!(error_fields(&post(b).await), vec!["closes_at"]);
        b = survey(1, 5);
        b["title"] = json!({"en": "Only English"});
        assert_eq!(error_fields(&post(b).await), vec!["title.sk"]);
        b = survey(1, 5);
        b["questions"] = json!([]);
        assert_eq!(error_fields(&post(b).await), vec!["questions"]);
        let list: Value = app.get(BASE, None).await.json().await.unwrap();
        assert_eq!(list["total"], 0, "nothing created");
    }
}

on_both_databases! {
    async fn responses_are_taken_only_while_the_survey_is_open(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let planned = create(&app, &official, &survey(2, 9)).await;
        let closed = create(&app, &official, &survey(-9, -1)).await;
        let mut b = survey(0, 0);
        b.as_object_mut().unwrap().remove("opens_at");
        b.as_object_mut().unwrap().remove("closes_at");
        let tied = create(&app, &official, &b).await;
        for (id, status) in [(&planned, "planned"), (&closed, "closed"), (&tied, "unscheduled")] {
            let p = assert_problem(respond(&app, id, &jana, &answers("car", None)).await, 409).await;
            assert_eq!(p["code"], "survey-not-open");
            assert!(p["detail"].as_str().unwrap().contains(status), "{p}");
        }
        // Tied to an open consultation through its survey_id, the survey takes its period.
        let now = Utc::now();
        let c = json!({"title": {"sk": "Konzultácia"}, "subject": "plan", "opens_at": now - Duration::days(1),
                       "closes_at": now + Duration::days(5), "survey_id": tied});
        let first: Value = json_of(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &c).await, 201).await;
        let first: Value = json_of(app.get(&format!("/api/v1/orgs/mesto/consultations/{}", first["id"].as_str().unwrap()), None).await, 200).await;
        // A later consultation naming the same survey does not move its period: the oldest gives it.
        let later = json!({"title": {"sk": "Neskoršia"}, "subject": "plan", "opens_at": now + Duration::days(20),
                           "closes_at": now + Duration::days(30), "survey_id": tied});
        assert_eq!(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &later).await.status(), 201);
        let s: Value = app.get(&format!("{BASE}/{tied}"), None).await.json().await.unwrap();
        assert_eq!(s["status"], "open");
        assert_eq!(s["opens_at"], Value::Null);
        let at = |v: &Value| v.as_str().unwrap().parse::<chrono::DateTime<Utc>>().unwrap();
        assert_eq!((at(&s["effective_opens_at"]), at(&s["effective_closes_at"])), (at(&first["opens_at"]), at(&first["closes_at"])));
        // The list reads each survey's period the same way.
        let list: Value = app.get(&format!("{BASE}?limit=100"), None).await.json().await.unwrap();
        let row = list["items"].as_array().unwrap().iter().find(|i| i["id"] == tied.as_str()).unwrap().clone();
        assert_eq!((&row["status"], &row["effective_opens_at"], &row["effective_closes_at"]), (&s["status"], &s["effective_opens_at"], &s["effective_closes_at"]));
        let own = list["items"].as_array().unwrap().iter().find(|i| i["id"] == planned.as_str()).unwrap().clone();
        assert_eq!((own["status"].as_str(), own["effective_opens_at"].clone()), (Some("planned"), own["opens_at"].clone()), "a survey with its own period keeps it");
        assert_eq!(respond(&app, &tied, &jana, &answers("car", None)).await.status(), 201);
    }
}

on_both_databases! {
    async fn invalid_answers_are_refused_naming_the_question(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let cases = [
            (json!({"answers": {"mode": {"type": "number", "value": 3}}}), "answers.mode", "wrong type"),
            (json!({"answers": {"extras": {"type": "multiple_choice", "options": ["parks"]}}}), "answers.mode", "missing required"),
            (json!({"answers": {"mode": {"type": "single_choice", "option": "tram"}}}), "answers.mode", "not offered"),
            (answers("bus", None), "answers.bus_rating", "a shown required question unanswered"),
            (answers("car", Some(3)), "answers.bus_rating", "an answer to a hidden question"),
            (json!({"answers": {"mode": {"type": "single_choice", "option": "car"}, "ufo": {"type": "short_text", "text": "x"}}}), "answers.ufo", "unknown question"),
            (json!({"answers": {"mode": {"type": "single_choice", "option": "car"}, "age": {"type": "number", "value": 130}}}), "answers.age", "out of range"),
        ];
        for (body, field, why) in cases {
            let p = assert_problem(respond(&app, &id, &jana, &body).await, 422).await;
            assert_eq!(error_fields(&p), vec![field], "{why}: {p}");
        }
        let p = assert_problem(respond(&app, &id, &jana, &json!({"answers": {"mode": {"type": "single_choice"}}})).await, 422).await;
        assert!(error_fields(&p)[0].starts_with("answers"), "{p}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_responses").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_participations").await, 0);
        assert_eq!(respond(&app, &id, &jana, &answers("bus", Some(5))).await.status(), 201);
    }
}

on_both_databases! {
    async fn signing_in_is_required_to_respond(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let mut b = survey(-1, 9);
        b["anonymous"] = json!(true);
        let anon = create(&app, &official, &b).await;
        for s in [&id, &anon] {
            assert_problem(app.post(&format!("{BASE}/{s}/responses"), None, &answers("car", None)).await, 401).await;
            assert_problem(app.get(&format!("{BASE}/{s}/responses/mine"), None).await, 401).await;
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_responses").await, 0);
    }
}

on_both_databases! {
    async fn a_second_response_replaces_or_is_refused_as_the_policy_says(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let mut b = survey(-1, 9);
        b["policy"] = json!("one_per_resident_replace");
        let replace = create(&app, &official, &b).await;
        let refuse = create(&app, &official, &survey(-1, 9)).await;

        let mine: Value = app.get(&format!("{BASE}/{replace}/responses/mine"), Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(mine["participated"], false);
        let first: Value = respond(&app, &replace, &jana, &answers("bus", Some(2))).await.json().await.unwrap();
        let res = respond(&app, &replace, &jana, &answers("car", None)).await;
        assert_eq!(res.status(), 200);
        let second: Value = res.json().await.unwrap();
        assert_eq!(second["replaced"], true);
        assert_eq!(second["response_id"], first["response_id"], "the same response, replaced");
        let mine: Value = app.get(&format!("{BASE}/{replace}/responses/mine"), Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(mine["participated"], true);
        assert_eq!(mine["answers"], json!({"mode": {"type": "single_choice", "option": "car"}}));

        assert_eq!(respond(&app, &refuse, &jana, &answers("bus", Some(2))).await.status(), 201);
        let p = assert_problem(respond(&app, &refuse, &jana, &answers("car", None)).await, 409).await;
        assert_eq!(p["code"], "already-responded");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_responses").await, 2);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_participations").await, 2);
    }
}

on_both_databases! {
    async fn nothing_in_the_database_links_an_anonymous_response_to_its_author(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let mut b = survey(-1, 9);
        b["anonymous"] = json!(true);
        let id = create(&app, &official, &b).await;
        let mut body = answers("car", None);
        body["answers"]["comment"] = json!({"type": "short_text", "text": "Tajná poznámka 7f3a"});
        let res = app.request(reqwest::Method::POST, &format!("{BASE}/{id}/responses"), Some(&jana.token))
            .header("Idempotency-Key", "anon-1").json(&body).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let receipt: Value = res.json().await.unwrap();
        assert_eq!(receipt["anonymous"], true);
        assert_eq!(receipt["response_id"], Value::Null);
        assert_eq!(receipt["answers"], Value::Null);

        // The response table has no account column besides the respondent, which stays empty;
        // the participation table has no response column.
        assert_eq!(columns(&app, "survey_responses").await,
            ["answers", "created_at", "id", "respondent_id", "submitted_at", "survey_id", "updated_at"]);
        assert_eq!(columns(&app, "survey_participations").await, ["created_at", "survey_id", "updated_at", "user_id"]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_responses WHERE respondent_id IS NOT NULL").await, 0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_participations").await, 1);

        let backend = app.db.backend();
        let conn = app.db.connection();
        let r = conn.query_one_raw(Statement::from_string(backend, "SELECT id, submitted_at, created_at, updated_at FROM survey_responses")).await.unwrap().unwrap();
        let rid: uuid::Uuid = r.try_get("", "id").unwrap();
        assert_eq!(rid.get_version_num(), 4, "a random id, not a time-ordered one");
        for col in ["submitted_at", "created_at", "updated_at"] {
            let t: chrono::DateTime<Utc> = r.try_get("", col).unwrap();
            assert_eq!((t.hour(), t.minute(), t.second(), t.nanosecond()), (0, 0, 0, 0), "{col} keeps the day only");
        }
        let p = conn.query_one_raw(Statement::from_string(backend, "SELECT created_at FROM survey_participations")).await.unwrap().unwrap();
        let at: chrono::DateTime<Utc> = p.try_get("", "created_at").unwrap();
        assert_eq!(at.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc(), at, "the participation keeps the day only, too");

        // What the idempotency store keeps next to the account holds neither answers nor a hash of them.
        let rows = conn.query_all_raw(Statement::from_string(backend, "SELECT body FROM idempotency_keys")).await.unwrap();
        assert_eq!(rows.len(), 1);
        let stored: String = rows[0].try_get_by_index(0).unwrap();
        assert!(!stored.contains("7f3a") && !stored.contains(&rid.to_string()), "{stored}");

        // Staff see the answer in results and export, never whose it is.
        let csv = app.get(&format!("{BASE}/{id}/results.csv"), Some(&official.token)).await.text().await.unwrap();
        let row = csv.lines().nth(1).unwrap();
        assert!(row.contains("Tajná poznámka 7f3a"));
        assert!(!row.contains(&jana.id.to_string()));
        let mine: Value = app.get(&format!("{BASE}/{id}/responses/mine"), Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(mine["participated"], true);
        assert_eq!(mine["answers"], Value::Null);
        // And one response per resident still holds.
        assert_eq!(respond(&app, &id, &jana, &answers("bus", Some(1))).await.status(), 409);
    }
}

on_both_databases! {
    async fn a_survey_with_responses_changes_only_its_texts(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let url = format!("{BASE}/{id}");
        let mut qs = questions();
        qs.as_array_mut().unwrap().pop();
        assert_eq!(app.patch(&url, Some(&official.token), &json!({"questions": qs})).await.status(), 200, "free before responses");
        assert_eq!(respond(&app, &id, &jana, &answers("car", None)).await.status(), 201);

        let mut added = qs.clone();
        added.as_array_mut().unwrap().push(json!({"id": "new", "text": {"sk": "Nová"}, "required": false, "kind": {"type": "short_text", "max_length": 10}}));
        let p = assert_problem(app.patch(&url, Some(&official.token), &json!({"questions": added})).await, 409).await;
        assert_eq!(p["code"], "survey-structure-locked");
        let mut required = qs.clone();
        required[2]["required"] = json!(true);
        assert_problem(app.patch(&url, Some(&official.token), &json!({"questions": required})).await, 409).await;
        let mut options = qs.clone();
        options[0]["kind"]["options"].as_array_mut().unwrap().pop();
        assert_problem(app.patch(&url, Some(&official.token), &json!({"questions": options})).await, 409).await;
        let p = assert_problem(app.patch(&url, Some(&official.token), &json!({"anonymous": true})).await, 409).await;
        assert_eq!(p["code"], "survey-settings-locked");

        let mut texts = qs.clone();
        texts[0]["text"] = json!({"sk": "Ako sa dopravujete do práce?", "en": "How do you get to work?"});
        texts[0]["kind"]["options"][0]["label"] = json!({"sk": "MHD"});
        let res = app.get(&url, None).await;
        let tag = res.headers().get("etag").unwrap().to_str().unwrap().to_owned();
        let res = app.request(reqwest::Method::PATCH, &url, Some(&official.token)).header("If-Match", &tag)
            .json(&json!({"questions": texts})).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let s: Value = res.json().await.unwrap();
        assert_eq!(s["questions"][0]["kind"]["options"][0]["label"]["sk"], "MHD");
        // The old ETag is stale now.
        let res = app.request(reqwest::Method::PATCH, &url, Some(&official.token)).header("If-Match", &tag)
            .json(&json!({"results_public": true})).send().await.unwrap();
        assert_problem(res, 412).await;
    }
}

on_both_databases! {
    async fn a_retried_response_with_the_same_idempotency_key_is_replayed(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let send = |key: &'static str, body: Value| {
            app.request(reqwest::Method::POST, &format!("{BASE}/{id}/responses"), Some(&jana.token))
                .header("Idempotency-Key", key).json(&body).send()
        };
        let first = send("k-1", answers("bus", Some(4))).await.unwrap();
        assert_eq!(first.status(), 201);
        let first: Value = first.json().await.unwrap();
        let again = send("k-1", answers("bus", Some(4))).await.unwrap();
        assert_eq!(again.status(), 201, "replayed, not refused as a second response");
        assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
        assert_eq!(again.json::<Value>().await.unwrap()["response_id"], first["response_id"]);
        let p = assert_problem(send("k-1", answers("car", None)).await.unwrap(), 422).await;
        assert_eq!(p["code"], "idempotency-key-reused");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM survey_responses").await, 1);
    }
}

on_both_databases! {
    async fn results_count_known_responses_for_those_allowed_to_see_them(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let bodies = [
            json!({"answers": {"mode": {"type": "single_choice", "option": "bus"}, "bus_rating": {"type": "scale", "value": 4},
                   "extras": {"type": "multiple_choice", "options": ["parks", "roads"]}, "age": {"type": "number", "value": 30},
                   "priorities": {"type": "ranking", "options": ["a", "b", "c"]}, "comment": {"type": "short_text", "text": "=Viac spojov"}}}),
            json!({"answers": {"mode": {"type": "single_choice", "option": "bus"}, "bus_rating": {"type": "scale", "value": 5},
                   "extras": {"type": "multiple_choice", "options": ["parks"]}, "priorities": {"type": "ranking", "options": ["b", "c", "a"]}}}),
            json!({"answers": {"mode": {"type": "single_choice", "option": "car"}, "extras": {"type": "multiple_choice", "options": ["lights"]},
                   "age": {"type": "number", "value": 41}, "comment": {"type": "short_text", "text": "   "}}}),
        ];
        for (i, b) in bodies.iter().enumerate() {
            let u = app.register(&format!("r{i}@example.sk")).await;
            assert_eq!(respond(&app, &id, &u, b).await.status(), 201);
        }
        let url = format!("{BASE}/{id}/results");
        let resident = app.register("zvedavy@example.sk").await;
        assert_problem(app.get(&url, None).await, 401).await;
        assert_problem(app.get(&url, Some(&resident.token)).await, 403).await;

        let r: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(r["respondents"], 3);
        let q = |i: usize| r["questions"][i].clone();
        assert_eq!(q(0)["summary"], json!({"type": "single_choice", "options": [
            {"option": "bus", "count": 2, "share_bp": 6667}, {"option": "car", "count": 1, "share_bp": 3333},
            {"option": "bike", "count": 0, "share_bp": 0}]}));
        assert_eq!((q(1)["shown"].clone(), q(1)["respondents"].clone()), (json!(2), json!(2)), "shown only to bus riders");
        assert_eq!(q(1)["summary"]["stats"], json!({"count": 2, "sum": 9, "mean": "4.50", "min": 4, "max": 5}));
        assert_eq!(q(1)["summary"]["points"][3], json!({"point": 4, "count": 1, "share_bp": 5000}));
        assert_eq!(q(2)["summary"]["options"][0], json!({"option": "parks", "count": 2, "share_bp": 6667}));
        assert_eq!(q(3)["summary"]["stats"]["mean"], "35.50");
        assert_eq!(q(4)["summary"]["options"], json!([
            {"option": "a", "score": 2, "rank_counts": [1, 0, 1]},
            {"option": "b", "score": 3, "rank_counts": [1, 1, 0]},
            {"option": "c", "score": 1, "rank_counts": [0, 1, 1]}]));
        assert_eq!(q(5)["summary"], json!({"type": "short_text", "texts": ["=Viac spojov"]}), "blank texts are no answer");
        assert_eq!(q(5)["respondents"], 1);

        let res = app.get(&format!("{BASE}/{id}/results.csv"), Some(&official.token)).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "response_id,submitted_at,respondent_id,mode,bus_rating,extras,age,priorities,comment");
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().any(|l| l.ends_with(",bus,4,parks;roads,30,a>b>c,'=Viac spojov")), "{csv}");
        assert_problem(app.get(&format!("{BASE}/{id}/results.csv"), Some(&resident.token)).await, 403).await;

        assert_eq!(app.patch(&format!("{BASE}/{id}"), Some(&official.token), &json!({"results_public": true})).await.status(), 200);
        let public: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(public["respondents"], 3);
    }
}

on_both_databases! {
    async fn concurrent_duplicate_responses_of_one_resident_leave_exactly_one(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let refuse = create(&app, &official, &survey(-1, 9)).await;
        let mut b = survey(-1, 9);
        b["policy"] = json!("one_per_resident_replace");
        let replace = create(&app, &official, &b).await;
        let mut anon = survey(-1, 9);
        anon["anonymous"] = json!(true);
        let anon = create(&app, &official, &anon).await;
        for (id, others) in [(&refuse, 409), (&anon, 409), (&replace, 200)] {
            let body = answers("bus", Some(3));
            let codes: Vec<u16> = join_all((0..8).map(|_| respond(&app, id, &jana, &body))).await
                .iter().map(|r| r.status().as_u16()).collect();
            assert_eq!(codes.iter().filter(|c| **c == 201).count(), 1, "{codes:?}");
            assert!(codes.iter().all(|c| *c == 201 || *c == others), "{codes:?}");
            assert_eq!(count_for(&app, "survey_responses", id).await, 1, "{id}");
            assert_eq!(count_for(&app, "survey_participations", id).await, 1, "{id}");
        }
    }
}

on_both_databases! {
    async fn survey_periods_are_in_the_calendar(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &survey(2, 9)).await;
        let ics = app.get("/api/v1/orgs/mesto/calendar.ics", None).await.text().await.unwrap();
        assert!(ics.contains(&format!("UID:survey-{id}@pnyx")), "{ics}");
        assert!(ics.contains("CATEGORIES:SURVEY"));
    }
}

on_both_databases! {
    async fn a_response_validated_against_an_older_version_of_the_survey_is_not_stored(app) {
        use pnyx_domain::org::OrgRepo;
        use pnyx_domain::repo::RepoError;
        use pnyx_domain::surveys::{Participation, SurveyRepo, SurveyResponse, ValidAnswers};
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let org = app.db.org_by_slug("mesto").await.unwrap().unwrap();
        let before = app.db.survey(org.id, id.parse().unwrap()).await.unwrap().unwrap();
        // The survey is edited after the response was validated against `before`.
        assert_eq!(app.patch(&format!("{BASE}/{id}"), Some(&official.token), &json!({"questions": []})).await.status(), 422);
        let mut qs = questions();
        qs.as_array_mut().unwrap().pop();
        assert_eq!(app.patch(&format!("{BASE}/{id}"), Some(&official.token), &json!({"questions": qs})).await.status(), 200);
        let now = pnyx_domain::now();
        let p = Participation { survey_id: before.id, user_id: jana.id.into(), at: now };
        let r = SurveyResponse::identified(before.id, jana.id.into(), ValidAnswers::default(), now);
        match app.db.add_response(&p, &r, before.updated_at).await {
            Err(RepoError::Conflict { field, .. }) => assert_eq!(field, "survey"),
            other => panic!("expected a version conflict, got {other:?}"),
        }
        assert_eq!(count_for(&app, "survey_participations", &id).await, 0, "nothing stored");
        assert_eq!(responses_version(&app).await, 0, "nor the version raised");
        // Replacing a response that does not exist changes nothing either.
        assert!(matches!(app.db.replace_response(&r).await, Err(RepoError::NotFound)));
        assert_eq!(responses_version(&app).await, 0);
        let after = app.db.survey(org.id, before.id).await.unwrap().unwrap();
        assert_eq!(after.responses_version, 0);
        app.db.add_response(&p, &r, after.updated_at).await.unwrap();
        assert_eq!(count_for(&app, "survey_responses", &id).await, 1);
        assert_eq!(app.db.survey(org.id, before.id).await.unwrap().unwrap().responses_version, 1);
        app.db.replace_response(&r).await.unwrap();
        let last = app.db.survey(org.id, before.id).await.unwrap().unwrap();
        assert_eq!((last.responses_version, last.updated_at), (2, after.updated_at), "the survey's own version stays");
    }
}

on_both_databases! {
    async fn cached_results_change_with_a_new_or_replaced_response(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let mut b = survey(-1, 9);
        b["policy"] = json!("one_per_resident_replace");
        let id = create(&app, &official, &b).await;
        let url = format!("{BASE}/{id}/results");
        let modes = |r: &Value| -> Vec<u64> {
            r["questions"][0]["summary"]["options"].as_array().unwrap().iter().map(|o| o["count"].as_u64().unwrap()).collect()
        };
        let empty: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(empty["respondents"], 0);

        let jana = app.register("jana@example.sk").await;
        assert_eq!(respond(&app, &id, &jana, &answers("bus", Some(4))).await.status(), 201);
        let first: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        let again: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(first, again, "a cached read returns the same results");
        assert_eq!((first["respondents"].clone(), modes(&first)), (json!(1), vec![1, 0, 0]));

        let peter = app.register("peter@example.sk").await;
        assert_eq!(respond(&app, &id, &peter, &answers("car", None)).await.status(), 201);
        let second: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!((second["respondents"].clone(), modes(&second)), (json!(2), vec![1, 1, 0]), "a new response counts");

        assert_eq!(respond(&app, &id, &jana, &answers("car", None)).await.status(), 200);
        let third: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!((third["respondents"].clone(), modes(&third)), (json!(2), vec![0, 2, 0]), "a replaced response counts");
        assert_eq!(third["questions"][1]["shown"], 0);

        let edit = json!({"title": {"sk": "Doprava v meste 2026"}});
        assert_eq!(app.patch(&format!("{BASE}/{id}"), Some(&official.token), &edit).await.status(), 200);
        let fourth: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(fourth, third, "a text edit changes no count");
    }
}

on_both_databases! {
    async fn an_invalid_change_is_refused_as_such_whatever_if_match_says_and_a_foreign_tag_is_a_412(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &survey(1, 5)).await;
        let url = format!("{BASE}/{id}");
        let patch = |tag: &'static str, body: Value| {
            let (app, token, url) = (&app, official.token.clone(), url.clone());
            async move {
                app.request(reqwest::Method::PATCH, &url, Some(&token))
                    .header("If-Match", tag)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let mut questions = questions();
        questions[2]["kind"]["options"] = json!([{"id": "only", "label": {"sk": "Jediná"}}]);
        // The body's own fault first (422), whatever the tag; a valid body with a tag that is
        // not ours is a stale version (412); nothing changed either way.
        for tag in ["", "\"garbage\"", "\"1\""] {
            let p = assert_problem(patch(tag, json!({"questions": questions})).await, 422).await;
            assert_eq!(error_fields(&p), vec!["questions[2]"], "{tag}");
            assert_problem(patch(tag, json!({"results_public": true})).await, 412).await;
        }
        let s: Value = app.get(&format!("{BASE}/{id}"), Some(&official.token)).await.json().await.unwrap();
        assert_eq!(s["results_public"], false);
    }
}

/// The survey's `responses_version` (the tests below have one survey).
async fn responses_version(app: &TestApp) -> i64 {
    app.scalar("SELECT responses_version FROM surveys").await
}

/// The results as a server that has cached nothing computes them.
async fn fresh_results(app: &TestApp, url: &str, token: &str) -> Value {
    let cold = app.another_server().await;
    let res = cold.get(url, Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

on_both_databases! {
    async fn cached_results_are_never_stale_after_a_response_a_replacement_or_an_erasure(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let mut b = survey(-1, 9);
        b["policy"] = json!("one_per_resident_replace");
        let id = create(&app, &official, &b).await;
        let url = format!("{BASE}/{id}/results");
        let read = || async { app.get(&url, Some(&official.token)).await.json::<Value>().await.unwrap() };
        let modes = |r: &Value| -> Vec<u64> {
            r["questions"][0]["summary"]["options"].as_array().unwrap().iter().map(|o| o["count"].as_u64().unwrap()).collect()
        };
        assert_eq!(read().await["respondents"], 0, "an empty survey's results are cached");
        assert_eq!(responses_version(&app).await, 0);

        let jana = app.register("jana@example.sk").await;
        let peter = app.register("peter@example.sk").await;
        assert_eq!(respond(&app, &id, &jana, &answers("bus", Some(4))).await.status(), 201);
        assert_eq!(respond(&app, &id, &peter, &answers("bus", Some(2))).await.status(), 201);
        let submitted = read().await;
        assert_eq!((submitted["respondents"].clone(), modes(&submitted)), (json!(2), vec![2, 0, 0]));
        assert_eq!(read().await, submitted, "read again from the cache");
        assert_eq!(submitted, fresh_results(&app, &url, &official.token).await);
        assert_eq!(responses_version(&app).await, 2);

        // Replaced: the same number of responses, other answers.
        assert_eq!(respond(&app, &id, &jana, &answers("bike", None)).await.status(), 200);
        let replaced = read().await;
        assert_eq!((replaced["respondents"].clone(), modes(&replaced)), (json!(2), vec![1, 0, 1]));
        assert_eq!(replaced["questions"][1]["summary"]["stats"]["sum"], 2, "the replaced rating is gone");
        assert_eq!(replaced, fresh_results(&app, &url, &official.token).await);
        assert_eq!(responses_version(&app).await, 3);
        // An edit of the survey's texts saves the survey, never the responses' version.
        let edit = json!({"title": {"sk": "Doprava v meste 2026"}});
        assert_eq!(app.patch(&format!("{BASE}/{id}"), Some(&official.token), &edit).await.status(), 200);
        assert_eq!(responses_version(&app).await, 3);
        assert_eq!(read().await, replaced);

        // Erased, content too: an answer to a survey is not published content, so it stays and
        // is still counted (as budget ballots are); the cached results are what a fresh server
        // computes.
        let res = app.post("/api/v1/me/delete", Some(&peter.token), &json!({"password": crate::helpers::password(), "remove_content": true})).await;
        assert_eq!(res.status(), 204, "{:?}", res.text().await);
        let erased = read().await;
        assert_eq!(erased, fresh_results(&app, &url, &official.token).await);
        assert_eq!((erased["respondents"].clone(), modes(&erased)), (json!(2), vec![1, 0, 1]));
    }
}

on_both_databases! {
    async fn concurrent_responses_each_raise_the_responses_version_once_and_all_count(app) {
        const N: usize = 20;
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &survey(-1, 9)).await;
        let url = format!("{BASE}/{id}/results");
        assert_eq!(app.get(&url, Some(&official.token)).await.json::<Value>().await.unwrap()["respondents"], 0);
        let emails: Vec<String> = (0..N).map(|i| format!("r{i}@example.sk")).collect();
        let residents = join_all(emails.iter().map(|e| app.register(e))).await;
        let body = answers("car", None);
        let codes: Vec<u16> = join_all(residents.iter().map(|u| respond(&app, &id, u, &body))).await
            .iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(codes, vec![201; N]);
        assert_eq!(responses_version(&app).await, i64::try_from(N).unwrap(), "no raise lost");
        let r: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(r["respondents"], N);
        assert_eq!(r["questions"][0]["summary"]["options"][1]["count"], N);

        // What is refused stores nothing and raises nothing: a second response (refused by the
        // policy), invalid answers.
        let again: Vec<u16> = join_all(residents.iter().take(5).map(|u| respond(&app, &id, u, &body))).await
            .iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(again, vec![409; 5]);
        let late = app.register("neskoro@example.sk").await;
        assert_problem(respond(&app, &id, &late, &answers("bus", None)).await, 422).await;
        assert_eq!(responses_version(&app).await, i64::try_from(N).unwrap());
        assert_eq!(count_for(&app, "survey_responses", &id).await, i64::try_from(N).unwrap());
        assert_eq!(app.get(&url, Some(&official.token)).await.json::<Value>().await.unwrap(), r);
    }
}
