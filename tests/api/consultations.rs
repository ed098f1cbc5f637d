use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

pub(crate) fn consultation(opens_in_days: i64, closes_in_days: i64) -> Value {
    let now = Utc::now();
    json!({
        "title": {"sk": "Konzultácia k rozpočtu", "en": "Budget consultation"},
        "summary": {"sk": "Návrh rozpočtu na rok 2027"},
        "subject": "budget",
        "opens_at": now + Duration::days(opens_in_days),
        "closes_at": now + Duration::days(closes_in_days),
        "sections": [{"key": "§1", "title": {"sk": "Príjmy"}}, {"key": "§2", "title": {"sk": "Výdavky"}}],
        "documents": [{"title": {"sk": "Návrh"}, "url": "https://example.sk/navrh.pdf"}]
    })
}

pub(crate) async fn create(app: &TestApp, official: &User, b: &Value) -> String {
    let res = app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), b).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

on_both_databases! {
    async fn staff_create_consultations_that_list_by_derived_status(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        create(&app, &official, &consultation(5, 30)).await;
        let open = create(&app, &official, &consultation(-1, 10)).await;
        create(&app, &official, &consultation(-30, -2)).await;
        let all: Value = app.get("/api/v1/orgs/mesto/consultations", None).await.json().await.unwrap();
        assert_eq!(all["total"], 3);
        // Paged (the total rides beside the page's rows): every page counts all three.
        let first = json_of(app.get("/api/v1/orgs/mesto/consultations?limit=2", None).await, 200).await;
        assert_eq!((first["items"].as_array().unwrap().len(), first["total"].as_u64()), (2, Some(3)));
        let cursor = first["next_cursor"].as_str().expect("a next page");
        let rest = json_of(app.get(&format!("/api/v1/orgs/mesto/consultations?limit=2&cursor={cursor}"), None).await, 200).await;
        assert_eq!((rest["items"].as_array().unwrap().len(), rest["total"].as_u64()), (1, Some(3)));
        assert!(rest["next_cursor"].is_null(), "{rest}");
        let seen: std::collections::HashSet<&str> =
            first["items"].as_array().unwrap().iter().chain(rest["items"].as_array().unwrap()).map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(seen.len(), 3);
        for (status, n) in [("planned", 1), ("open", 1), ("closed", 1), ("report_published", 0)] {
            let list: Value = app.get(&format!("/api/v1/orgs/mesto/consultations?status={status}"), None).await.json().await.unwrap();
            assert_eq!(list["total"], n, "{status}");
            if n == 1 {
                assert_eq!(list["items"][0]["status"], status);
            }
        }
        let one: Value = app.get(&format!("/api/v1/orgs/mesto/consultations/{open}"), None).await.json().await.unwrap();
        assert_eq!(one["sections"][1]["key"], "§2");
        assert_eq!(one["documents"][0]["url"], "https://example.sk/navrh.pdf");
        assert_problem(app.get("/api/v1/orgs/mesto/consultations?status=someday", None).await, 400).await;
    }
}

on_both_databases! {
    async fn only_staff_of_the_organisation_create_consultations(app) {
        app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let other = app.org_with_member("ine-mesto", "official@ine.sk", &["official"]).await;
        let resident = app.register("jana@example.sk").await;
        assert_problem(app.post("/api/v1/orgs/mesto/consultations", Some(&resident.token), &consultation(1, 2)).await, 403).await;
        assert_problem(app.post("/api/v1/orgs/mesto/consultations", Some(&other.token), &consultation(1, 2)).await, 403).await;
        assert_problem(app.post("/api/v1/orgs/mesto/consultations", None, &consultation(1, 2)).await, 401).await;
        let list: Value = app.get("/api/v1/orgs/mesto/consultations", None).await.json().await.unwrap();
        assert_eq!(list["total"], 0);
    }
}

on_both_databases! {
    async fn invalid_consultations_are_refused_naming_the_field(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let mut b = consultation(5, 1);
        assert_eq!(error_fields(&assert_problem(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &b).await, 422).await), vec!["closes_at"]);
        b = consultation(1, 5);
        b["title"] = json!({"en": "Only English"});
        assert_eq!(error_fields(&assert_problem(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &b).await, 422).await), vec!["title.sk"]);
        b = consultation(1, 5);
        b["subject"] = json!("referendum");
        assert_eq!(error_fields(&assert_problem(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &b).await, 422).await), vec!["subject"]);
        b = consultation(1, 5);
        b["documents"][0]["url"] = json!("not a url");
        assert_eq!(error_fields(&assert_problem(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &b).await, 422).await), vec!["documents[0].url"]);
        b = consultation(1, 5);
        b["sections"][1]["key"] = json!("§1");
        assert_eq!(error_fields(&assert_problem(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &b).await, 422).await), vec!["sections[1].key"]);
        let list: Value = app.get("/api/v1/orgs/mesto/consultations", None).await.json().await.unwrap();
        assert_eq!(list["total"], 0, "nothing created");
    }
}

on_both_databases! {
    async fn opinions_are_taken_only_while_open(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let planned = create(&app, &official, &consultation(2, 9)).await;
        let open = create(&app, &official, &consultation(-1, 9)).await;
        let closed = create(&app, &official, &consultation(-9, -1)).await;
        let opinion = json!({"section": "§2", "text": "Viac peňazí na cyklotrasy."});
        for (id, status) in [(&planned, "planned"), (&closed, "closed")] {
            let p = assert_problem(app.post(&format!("/api/v1/orgs/mesto/consultations/{id}/opinions"), Some(&jana.token), &opinion).await, 409).await;
            assert!(p["detail"].as_str().unwrap().contains(status));
        }
        let res = app.post(&format!("/api/v1/orgs/mesto/consultations/{open}/opinions"), Some(&jana.token), &opinion).await;
        assert_eq!(res.status(), 201);
        let o: Value = res.json().await.unwrap();
        assert_eq!(o["author_name"], "jana");
        assert!(o.get("email").is_none());
        let p = assert_problem(app.post(&format!("/api/v1/orgs/mesto/consultations/{open}/opinions"), Some(&jana.token), &json!({"section": "§9", "text": "x"})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["section"]);
        // Without an account: this consultation needs one.
        assert_problem(app.post(&format!("/api/v1/orgs/mesto/consultations/{open}/opinions"), None, &opinion).await, 401).await;
        let list: Value = app.get(&format!("/api/v1/orgs/mesto/consultations/{open}/opinions"), None).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
    }
}

on_both_databases! {
    async fn anonymous_opinions_need_an_email_that_only_staff_see(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let mut b = consultation(-1, 9);
        b["allow_anonymous"] = json!(true);
        let id = create(&app, &official, &b).await;
        let url = format!("/api/v1/orgs/mesto/consultations/{id}/opinions");
        assert_eq!(error_fields(&assert_problem(app.post(&url, None, &json!({"text": "Súhlasím."})).await, 422).await), vec!["email"]);
        assert_eq!(app.post(&url, None, &json!({"text": "Súhlasím.", "email": "anon@example.sk"})).await.status(), 201);
        let public: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(public["items"][0]["author_name"], Value::Null);
        assert!(public["items"][0].get("email").is_none(), "no e-mail in public");
        let staff: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(staff["items"][0]["email"], "anon@example.sk");
    }
}

on_both_databases! {
    async fn staff_only_opinions_are_hidden_from_residents(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let mut b = consultation(-1, 9);
        b["opinions_public"] = json!(false);
        let id = create(&app, &official, &b).await;
        let url = format!("/api/v1/orgs/mesto/consultations/{id}/opinions");
        assert_eq!(app.post(&url, Some(&jana.token), &json!({"text": "Dôverné."})).await.status(), 201);
        assert_problem(app.get(&url, Some(&jana.token)).await, 403).await;
        assert_problem(app.get(&url, None).await, 401).await;
        let staff: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(staff["total"], 1);
    }
}

on_both_databases! {
    async fn officials_answer_and_moderators_hide_opinions(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let moderator = app.register("moderator@mesto.sk").await;
        app.grant("mesto", moderator.id, &["moderator"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &consultation(-1, 9)).await;
        let url = format!("/api/v1/orgs/mesto/consultations/{id}/opinions");
        let o: Value = app.post(&url, Some(&jana.token), &json!({"text": "Spam spam"})).await.json().await.unwrap();
        let one = format!("{url}/{}", o["id"].as_str().unwrap());
        assert_problem(app.patch(&one, Some(&jana.token), &json!({"answer": "Self-answer"})).await, 403).await;
        assert_problem(app.patch(&one, Some(&official.token), &json!({"hidden": true})).await, 403).await;
        assert_problem(app.patch(&one, Some(&moderator.token), &json!({"answer": "x"})).await, 403).await;
        let answered: Value = app.patch(&one, Some(&official.token), &json!({"answer": "Ďakujeme."})).await.json().await.unwrap();
        assert_eq!(answered["answer"], "Ďakujeme.");
        assert!(answered["answered_at"].is_string());
        assert_eq!(app.patch(&one, Some(&moderator.token), &json!({"hidden": true})).await.status(), 200);
        let public: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(public["total"], 0, "hidden from the public");
        let staff: Value = app.get(&url, Some(&moderator.token)).await.json().await.unwrap();
        assert_eq!(staff["items"][0]["hidden"], true);
    }
}

on_both_databases! {
    async fn the_report_comes_after_closing_once_and_notifies_participants(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let open = create(&app, &official, &consultation(-1, 9)).await;
        assert_eq!(app.post(&format!("/api/v1/orgs/mesto/consultations/{open}/opinions"), Some(&jana.token), &json!({"text": "Viac zelene."})).await.status(), 201);
        let report = json!({"text": {"sk": "Dostali sme 1 pripomienku."}});
        assert_problem(app.post(&format!("/api/v1/orgs/mesto/consultations/{open}/report"), Some(&official.token), &report).await, 409).await;

        // Close it by moving the dates? Not once open: the dates are locked.
        let p = assert_problem(app.patch(&format!("/api/v1/orgs/mesto/consultations/{open}"), Some(&official.token), &json!({"closes_at": Utc::now() - Duration::minutes(1)})).await, 409).await;
        assert_eq!(p["code"], "period-locked");

        // A consultation that closed yesterday, with an opinion stored while it was open.
        let closed = create(&app, &official, &consultation(-9, -1)).await;
        let closed_id: pnyx_domain::ids::ConsultationId = closed.parse().unwrap();
        use pnyx_domain::consultations::{Author, ConsultationRepo, Opinion};
        app.db.add_opinion(&Opinion {
            id: uuid::Uuid::now_v7(), consultation_id: closed_id,
            author: Author::User { id: jana.id.into(), display_name: "jana".into() },
            section: None, text: "Viac zelene.".into(), answer: None, answered_at: None, hidden: false,
            created_at: pnyx_domain::now(),
        }).await.unwrap();
        let url = format!("/api/v1/orgs/mesto/consultations/{closed}/report");
        assert_problem(app.post(&url, Some(&jana.token), &report).await, 403).await;
        let res = app.post(&url, Some(&official.token), &report).await;
        assert_eq!(res.status(), 200);
        let c: Value = res.json().await.unwrap();
        assert_eq!(c["status"], "report_published");
        assert_eq!(c["report"]["text"]["sk"], "Dostali sme 1 pripomienku.");
        assert_problem(app.post(&url, Some(&official.token), &report).await, 409).await;
        let notes: Value = app.get("/api/v1/me/notifications", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(notes["total"], 1);
        assert_eq!(notes["items"][0]["kind"], "consultation.report_published");
        assert_eq!(notes["items"][0]["payload"]["consultation_id"], closed);
    }
}

on_both_databases! {
    async fn editing_a_consultation_honours_if_match(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &consultation(3, 9)).await;
        let url = format!("/api/v1/orgs/mesto/consultations/{id}");
        let tag = app.get(&url, None).await.headers().get("etag").unwrap().to_str().unwrap().to_owned();
        let edit = |t: String| app.request(reqwest::Method::PATCH, &url, Some(&official.token)).header("If-Match", t).json(&json!({"closes_at": Utc::now() + Duration::days(20)})).send();
        assert_eq!(edit(tag.clone()).await.unwrap().status(), 200, "planned: dates may move");
        assert_problem(edit(tag).await.unwrap(), 412).await;
    }
}

on_both_databases! {
    async fn a_retried_opinion_with_the_same_idempotency_key_is_taken_once(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &consultation(-1, 9)).await;
        let url = format!("/api/v1/orgs/mesto/consultations/{id}/opinions");
        let send = |text: &'static str| app.request(reqwest::Method::POST, &url, Some(&jana.token)).header("Idempotency-Key", "opinion-1").json(&json!({"text": text})).send();
        let first = send("Raz.").await.unwrap();
        assert_eq!(first.status(), 201);
        let first: Value = first.json().await.unwrap();
        let again = send("Raz.").await.unwrap();
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
        assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
        let p = assert_problem(send("Dvakrát.").await.unwrap(), 422).await;
        assert_eq!(p["code"], "idempotency-key-reused");
        let list: Value = app.get(&url, None).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
    }
}
