//! Full-text search: folding (Polish, Slovak, Serbian in both scripts), prefixes, ranking, only
//! public things, the index kept in the transaction of every write, groups and paging, `?q=` on
//! lists, and refused input.

use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::budgets::{BUDGETS, create as create_budget, process, to};
use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const SEARCH: &str = "/api/v1/orgs/mesto/search";
const PLANS: &str = "/api/v1/orgs/mesto/action-plans";
const COMMITMENTS: &str = "/api/v1/orgs/mesto/commitments";
const CONSULTATIONS: &str = "/api/v1/orgs/mesto/consultations";
const MEETINGS: &str = "/api/v1/orgs/mesto/meetings";

async fn search(app: &TestApp, params: &[(&str, &str)]) -> Value {
    let res = app.request(reqwest::Method::GET, SEARCH, None).query(params).send().await.unwrap();
    json_of(res, 200).await
}

/// The titles (in Slovak, where the tests write) of the hits for `q`, best first.
async fn titles(app: &TestApp, q: &str) -> Vec<String> {
    let r = search(app, &[("q", q)]).await;
    r["items"].as_array().unwrap().iter().map(|h| h["title"]["sk"].as_str().unwrap().to_owned()).collect()
}

/// A budget process taking proposals; returns (official, resident, budget id).
async fn taking_proposals(app: &TestApp) -> (User, User, String) {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let resident = app.register("jana@example.sk").await;
    let id = create_budget(app, &official, &process(json!({"kind": "approval", "max_projects": 3}), None)).await;
    to(app, &official, &id, "proposals").await;
    (official, resident, id)
}

async fn propose(app: &TestApp, who: &User, budget: &str, title: &str, description: &str) -> String {
    let body = json!({"title": {"sk": title}, "description": {"sk": description}, "estimated_cost": 100_000});
    json_of(app.post(&format!("{BUDGETS}/{budget}/proposals"), Some(&who.token), &body).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

on_both_databases! {
    async fn accents_case_and_serbian_script_are_ignored(app) {
        let (_, jana, b) = taking_proposals(&app).await;
        propose(&app, &jana, &b, "Fontanna w Łodzi", "Nowa fontanna na placu w Łódź-Bałuty.").await;
        propose(&app, &jana, &b, "Obnova námestia v Banskej Bystrici", "Banská Bystrica, Námestie SNP.").await;
        propose(&app, &jana, &b, "Парк у Шумадија", "Нови парк у Београду.").await;
        propose(&app, &jana, &b, "Staza kroz Šumadija", "Biciklistička staza do Beograd.").await;
        assert_eq!(titles(&app, "lodz").await, vec!["Fontanna w Łodzi"]);
        assert_eq!(titles(&app, "ŁÓDŹ").await, vec!["Fontanna w Łodzi"]);
        assert_eq!(titles(&app, "Banska").await, vec!["Obnova námestia v Banskej Bystrici"]);
        assert_eq!(titles(&app, "namestie snp").await, vec!["Obnova námestia v Banskej Bystrici"]);
        let mut both = titles(&app, "sumadija").await;
        both.sort();
        assert_eq!(both, vec!["Staza kroz Šumadija", "Парк у Шумадија"], "Latin finds both scripts");
        let mut both = titles(&app, "Шумадија").await;
        both.sort();
        assert_eq!(both, vec!["Staza kroz Šumadija", "Парк у Шумадија"], "Cyrillic finds both scripts");
        propose(&app, &jana, &b, "Trg Đorđa Stanojevića", "Клупе у улици Ђорђа Вајферта.").await;
        for q in ["djordja", "dorda", "Đorđa", "Ђорђа", "djordja vajferta"] {
            assert_eq!(titles(&app, q).await, vec!["Trg Đorđa Stanojevića"], "{q} finds đ typed either way");
        }
        assert_eq!(titles(&app, "Beogradu").await, vec!["Парк у Шумадија"]);
        assert_eq!(titles(&app, "beograd").await.len(), 2, "a prefix of Београду, and Beograd");
        assert!(titles(&app, "varsava").await.is_empty());
    }
}

on_both_databases! {
    async fn every_word_is_required_and_only_the_last_is_a_prefix(app) {
        let (_, jana, b) = taking_proposals(&app).await;
        propose(&app, &jana, &b, "Fontanna w parku", "Przy stawie.").await;
        propose(&app, &jana, &b, "Parking przy szkole", "Miejsca dla rowerów.").await;
        assert_eq!(titles(&app, "fonta").await, vec!["Fontanna w parku"], "search as you type");
        assert_eq!(titles(&app, "fontanna stawi").await, vec!["Fontanna w parku"]);
        assert!(titles(&app, "fontanna szkole").await.is_empty(), "all words must match");
        assert!(titles(&app, "fonta parku").await.is_empty(), "only the last word is a prefix");
        assert_eq!(titles(&app, "park").await.len(), 2, "parku and Parking");
        // Words the engines would read as operators are plain words here.
        assert_eq!(titles(&app, "fontanna OR").await, Vec::<String>::new());
        assert_eq!(titles(&app, "NOT fontanna").await, Vec::<String>::new());
        assert_eq!(titles(&app, "fontanna & \"w\" | ! * :").await, vec!["Fontanna w parku"]);
    }
}

on_both_databases! {
    async fn title_matches_rank_above_body_only_matches(app) {
        let (_, jana, b) = taking_proposals(&app).await;
        // The body-only match is created first, so an id order would put it first.
        propose(&app, &jana, &b, "Zeleň pri fontáne", "Nové lavičky, stromy a kvety pri fontáne.").await;
        propose(&app, &jana, &b, "Lavičky na sídlisku", "Sedenie pre seniorov.").await;
        assert_eq!(titles(&app, "lavicky").await, vec!["Lavičky na sídlisku", "Zeleň pri fontáne"]);
        assert_eq!(titles(&app, "fontane").await, vec!["Zeleň pri fontáne"]);
    }
}

on_both_databases! {
    async fn snippets_highlight_the_original_words(app) {
        let (_, jana, b) = taking_proposals(&app).await;
        let id = propose(&app, &jana, &b, "Obnova", "Rekonštrukcia námestia pred divadlom, s novou dlažbou.").await;
        let r = search(&app, &[("q", "namestia")]).await;
        let hit = &r["items"][0];
        assert_eq!(hit["kind"], "proposal");
        assert_eq!(hit["id"], id.as_str());
        assert_eq!(hit["budget_id"], b.as_str(), "what the link needs");
        assert_eq!(hit["title"]["sk"], "Obnova");
        assert_eq!(hit["snippet"], json!([
            {"text": "Rekonštrukcia ", "highlight": false},
            {"text": "námestia", "highlight": true},
            {"text": " pred divadlom, s novou dlažbou.", "highlight": false}
        ]));
    }
}

fn plan_body() -> Value {
    json!({
        "title": {"sk": "Akčný plán otvoreného vládnutia"},
        "description": {"sk": "Záväzky mesta Vlasotince."},
        "start_date": "2021-08-01", "end_date": "2022-08-31"
    })
}

on_both_databases! {
    async fn a_draft_plan_and_its_commitments_are_found_only_once_published_and_not_after_going_back(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let plan = json_of(app.post(PLANS, Some(&official.token), &plan_body()).await, 201).await;
        let plan_id = plan["id"].as_str().unwrap();
        let c = json!({
            "action_plan_id": plan_id, "title": {"sk": "Register zmlúv"}, "lead": "Kancelária primátora",
            "problem": {"sk": "Zmluvy mesta Vlasotince nie sú verejné."}, "objective": {"sk": "Otvorené dáta."},
            "ogp_values": ["access_to_information"]
        });
        let c = json_of(app.post(COMMITMENTS, Some(&official.token), &c).await, 201).await;
        let cid = c["id"].as_str().unwrap();
        let ms = json!({"title": {"sk": "Analýza potrieb"}, "deliverable": {"sk": "Správa o zmluvách"},
            "start_date": "2021-09-01", "end_date": "2021-12-31"});
        json_of(app.post(&format!("{COMMITMENTS}/{cid}/milestones"), Some(&official.token), &ms).await, 201).await;
        let r = search(&app, &[("q", "vlasotince")]).await;
        assert_eq!(r["total"], 0, "a draft is not public: {r}");
        assert!(search(&app, &[("q", "analyza")]).await["items"].as_array().unwrap().is_empty());

        json_of(app.post(&format!("{PLANS}/{plan_id}/transitions"), Some(&official.token), &json!({"to": "co_creation"})).await, 200).await;
        let r = search(&app, &[("q", "vlasotince")]).await;
        assert_eq!(r["total"], 2, "{r}");
        assert_eq!(r["groups"], json!([{"kind": "action_plan", "count": 1}, {"kind": "commitment", "count": 1}]));
        let r = search(&app, &[("q", "analyza potrieb")]).await;
        assert_eq!(r["items"][0]["kind"], "commitment", "milestones are searched with their commitment");
        assert_eq!(r["items"][0]["action_plan_id"], plan_id);

        json_of(app.post(&format!("{PLANS}/{plan_id}/transitions"), Some(&official.token), &json!({"to": "draft"})).await, 200).await;
        assert_eq!(search(&app, &[("q", "vlasotince")]).await["total"], 0, "back to draft: hidden again");
    }
}

fn consultation_body() -> Value {
    let now = Utc::now();
    json!({
        "title": {"sk": "Konzultácia k rozpočtu"},
        "summary": {"sk": "Návrh rozpočtu mesta"},
        "subject": "budget",
        "opens_at": now + Duration::days(5),
        "closes_at": now + Duration::days(30),
    })
}

on_both_databases! {
    async fn an_edit_reindexes_old_words_are_gone_and_new_ones_found(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let c = json_of(app.post(CONSULTATIONS, Some(&official.token), &consultation_body()).await, 201).await;
        let id = c["id"].as_str().unwrap();
        assert_eq!(titles(&app, "rozpoctu").await, vec!["Konzultácia k rozpočtu"]);
        let edit = json!({"title": {"sk": "Konzultácia o doprave"}, "summary": {"sk": "Autobusy a električky"}});
        json_of(app.patch(&format!("{CONSULTATIONS}/{id}"), Some(&official.token), &edit).await, 200).await;
        assert!(titles(&app, "rozpoctu").await.is_empty(), "the old words are gone");
        assert_eq!(titles(&app, "elektricky").await, vec!["Konzultácia o doprave"]);

        let jana = app.register("jana@example.sk").await;
        let b = create_budget(&app, &official, &process(json!({"kind": "approval", "max_projects": 3}), None)).await;
        to(&app, &official, &b, "proposals").await;
        let p = propose(&app, &jana, &b, "Pítko v parku", "Voda pre všetkých.").await;
        let edit = json!({"title": {"sk": "Fontána v parku"}});
        json_of(app.patch(&format!("{BUDGETS}/{b}/proposals/{p}"), Some(&jana.token), &edit).await, 200).await;
        assert!(titles(&app, "pitko").await.is_empty());
        assert_eq!(titles(&app, "fontana").await, vec!["Fontána v parku"]);
    }
}

on_both_databases! {
    async fn the_index_is_written_in_the_transaction_of_the_write(app) {
        let (_, jana, b) = taking_proposals(&app).await;
        app.fail_writes("search_documents", "INSERT").await;
        let body = json!({"title": {"sk": "Lavičky"}, "description": {"sk": "Nové lavičky."}, "estimated_cost": 100});
        assert_problem(app.post(&format!("{BUDGETS}/{b}/proposals"), Some(&jana.token), &body).await, 500).await;
        app.stop_failing("search_documents", "INSERT").await;
        let list = json_of(app.get(&format!("{BUDGETS}/{b}/proposals"), None).await, 200).await;
        assert_eq!(list["total"], 0, "no proposal without its index row");
    }
}

on_both_databases! {
    async fn hits_are_grouped_counted_filtered_by_kind_and_paged(app) {
        let (official, jana, b) = taking_proposals(&app).await;
        for t in ["Hron A", "Hron B", "Hron C"] {
            propose(&app, &jana, &b, t, "Nábrežie rieky.").await;
        }
        json_of(app.post(CONSULTATIONS, Some(&official.token), &json!({
            "title": {"sk": "Nábrežie Hrona"}, "subject": "plan",
            "opens_at": Utc::now() + Duration::days(1), "closes_at": Utc::now() + Duration::days(9)
        })).await, 201).await;
        let start = Utc::now() + Duration::days(3);
        json_of(app.post(MEETINGS, Some(&official.token), &json!({
            "title": {"sk": "Stretnutie pri Hrone"}, "kind": "in_person", "address": "Nábrežie",
            "starts_at": start, "ends_at": start + Duration::hours(2), "organiser": "Mesto"
        })).await, 201).await;

        let r = search(&app, &[("q", "hron"), ("limit", "2")]).await;
        assert_eq!(r["total"], 5);
        assert_eq!(r["groups"], json!([
            {"kind": "meeting", "count": 1}, {"kind": "consultation", "count": 1}, {"kind": "proposal", "count": 3}
        ]));
        assert_eq!(r["items"].as_array().unwrap().len(), 2);
        let cursor = r["next_cursor"].as_str().unwrap().to_owned();
        let r2 = search(&app, &[("q", "hron"), ("limit", "2"), ("cursor", &cursor)]).await;
        let r3 = search(&app, &[("q", "hron"), ("limit", "2"), ("cursor", r2["next_cursor"].as_str().unwrap())]).await;
        assert_eq!(r3["items"].as_array().unwrap().len(), 1);
        assert!(r3["next_cursor"].is_null());
        let mut ids: Vec<String> = [&r, &r2, &r3]
            .iter()
            .flat_map(|p| p["items"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()))
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 5, "every hit once across the pages");

        let only = search(&app, &[("q", "hron"), ("kind", "proposal")]).await;
        assert_eq!(only["total"], 3);
        assert!(only["items"].as_array().unwrap().iter().all(|h| h["kind"] == "proposal"));
        assert_eq!(only["groups"].as_array().unwrap().len(), 3, "groups count every kind");

        app.org_with_member("ine", "official@ine.sk", &["official"]).await;
        let other = app.request(reqwest::Method::GET, "/api/v1/orgs/ine/search", None).query(&[("q", "hron")]).send().await.unwrap();
        assert_eq!(json_of(other, 200).await["total"], 0, "another organisation's things are not found");
    }
}

on_both_databases! {
    async fn bad_queries_are_refused(app) {
        app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let get = |params: Vec<(&'static str, String)>| {
            app.request(reqwest::Method::GET, SEARCH, None).query(&params).send()
        };
        for q in ["", &"a".repeat(201)] {
            let p = assert_problem(get(vec![("q", q.to_owned())]).await.unwrap(), 422).await;
            assert_eq!(error_fields(&p), vec!["q"], "{q:?}");
        }
        // Text without a word is a valid query that finds nothing.
        for q in ["   ", " – … "] {
            let r = json_of(get(vec![("q", q.to_owned())]).await.unwrap(), 200).await;
            assert_eq!((r["total"].as_u64(), r["items"].as_array().map(Vec::len)), (Some(0), Some(0)), "{q:?}");
        }
        assert_eq!(error_fields(&assert_problem(get(vec![]).await.unwrap(), 422).await), vec!["q"], "no q");
        let p = assert_problem(get(vec![("q", "park".into()), ("limit", "0".into())]).await.unwrap(), 422).await;
        assert_eq!(error_fields(&p), vec!["limit"]);
        let p = assert_problem(get(vec![("q", "park".into()), ("cursor", "x".into())]).await.unwrap(), 422).await;
        assert_eq!(error_fields(&p), vec!["cursor"]);
        assert_problem(get(vec![("q", "park".into()), ("kind", "comment".into())]).await.unwrap(), 400).await;
        assert_problem(app.get("/api/v1/orgs/nikde/search?q=park", None).await, 404).await;
        let far = json_of(get(vec![("q", "park".into()), ("cursor", u64::MAX.to_string())]).await.unwrap(), 200).await;
        assert!(far["items"].as_array().unwrap().is_empty(), "a cursor past the end is an empty page");
        // 200 characters are fine, whatever the bytes.
        let r = json_of(get(vec![("q", "á".repeat(200))]).await.unwrap(), 200).await;
        assert_eq!(r["total"], 0);
    }
}

on_both_databases! {
    async fn data_stored_before_the_index_existed_is_indexed_after_migrating(app) {
        let (_, jana, b) = taking_proposals(&app).await;
        propose(&app, &jana, &b, "Lavičky", "Nové lavičky.").await;
        // As on a database upgraded from before search: no index rows, no index version.
        let conn = app.db.connection();
        conn.execute_unprepared("DELETE FROM search_documents").await.unwrap();
        conn.execute_unprepared("DELETE FROM search_index_state").await.unwrap();
        assert!(titles(&app, "lavicky").await.is_empty());
        app.db.migrate().await.unwrap();
        assert_eq!(titles(&app, "lavicky").await, vec!["Lavičky"]);
        let mut budgets = titles(&app, "rozpocet").await;
        budgets.retain(|t| t == "Participatívny rozpočet 2026");
        assert_eq!(budgets.len(), 1, "the budget process too");
        // A current index is not rebuilt: a row removed by hand stays removed (the version is
        // moved by hand too, as every write through the application moves it).
        conn.execute_unprepared("DELETE FROM search_documents").await.unwrap();
        conn.execute_unprepared("UPDATE search_versions SET version = version + 1").await.unwrap();
        app.db.migrate().await.unwrap();
        assert!(titles(&app, "lavicky").await.is_empty());
        assert_eq!(app.db.reindex().await.unwrap(), 2, "`pnyx reindex` rebuilds it");
        assert_eq!(titles(&app, "lavicky").await, vec!["Lavičky"]);
    }
}

async fn list(app: &TestApp, path: &str, params: &[(&str, &str)]) -> Value {
    let res = app.request(reqwest::Method::GET, path, None).query(params).send().await.unwrap();
    json_of(res, 200).await
}

fn list_titles(v: &Value) -> Vec<String> {
    v["items"].as_array().unwrap().iter().map(|i| i["title"]["sk"].as_str().unwrap().to_owned()).collect()
}

on_both_databases! {
    async fn lists_filter_by_q_through_the_index(app) {
        let (official, jana, b) = taking_proposals(&app).await;
        propose(&app, &jana, &b, "Lavičky pri Hrone", "Sedenie.").await;
        propose(&app, &jana, &b, "Osvetlenie", "Lampy v parku.").await;
        let url = format!("{BUDGETS}/{b}/proposals");
        assert_eq!(list_titles(&list(&app, &url, &[("q", "lavicky")]).await), vec!["Lavičky pri Hrone"]);
        assert_eq!(list(&app, &url, &[("q", "park")]).await["total"], 1);
        assert_eq!(list(&app, &url, &[]).await["total"], 2);

        let plan = json_of(app.post(PLANS, Some(&official.token), &plan_body()).await, 201).await;
        let plan_id = plan["id"].as_str().unwrap();
        json_of(app.post(&format!("{PLANS}/{plan_id}/transitions"), Some(&official.token), &json!({"to": "co_creation"})).await, 200).await;
        for (title, problem) in [("Register zmlúv", "Zmluvy nie sú verejné."), ("Participatívny rozpočet", "Málo zapojených.")] {
            let c = json!({"action_plan_id": plan_id, "title": {"sk": title}, "lead": "Úrad",
                "problem": {"sk": problem}, "ogp_values": ["civic_participation"]});
            json_of(app.post(COMMITMENTS, Some(&official.token), &c).await, 201).await;
        }
        assert_eq!(list_titles(&list(&app, COMMITMENTS, &[("q", "zmluvy")]).await), vec!["Register zmlúv"]);
        assert_eq!(list(&app, PLANS, &[("q", "vladnutia")]).await["total"], 1);
        assert_eq!(list(&app, PLANS, &[("q", "zmluvy")]).await["total"], 0, "the plan's own text only");

        for (title, days) in [("Verejné zhromaždenie", 3), ("Stretnutie k Hronu", 10)] {
            let s = Utc::now() + Duration::days(days);
            json_of(app.post(MEETINGS, Some(&official.token), &json!({
                "title": {"sk": title}, "kind": "in_person", "address": "Radnica",
                "starts_at": s, "ends_at": s + Duration::hours(2), "organiser": "Mesto"
            })).await, 201).await;
        }
        assert_eq!(list_titles(&list(&app, MEETINGS, &[("q", "hronu")]).await), vec!["Stretnutie k Hronu"]);
        assert_eq!(list_titles(&list(&app, MEETINGS, &[("q", "radnica"), ("sort", "-starts_at")]).await),
            vec!["Stretnutie k Hronu", "Verejné zhromaždenie"], "latest first");
        assert_eq!(list_titles(&list(&app, MEETINGS, &[("sort", "starts_at")]).await),
            vec!["Verejné zhromaždenie", "Stretnutie k Hronu"], "soonest first");

        json_of(app.post(CONSULTATIONS, Some(&official.token), &consultation_body()).await, 201).await;
        let later = json!({"title": {"sk": "Konzultácia o doprave"}, "subject": "plan",
            "opens_at": Utc::now() + Duration::days(1), "closes_at": Utc::now() + Duration::days(60)});
        json_of(app.post(CONSULTATIONS, Some(&official.token), &later).await, 201).await;
        assert_eq!(list_titles(&list(&app, CONSULTATIONS, &[("q", "doprave")]).await), vec!["Konzultácia o doprave"]);
        assert_eq!(list_titles(&list(&app, CONSULTATIONS, &[("sort", "-created_at")]).await),
            vec!["Konzultácia o doprave", "Konzultácia k rozpočtu"], "newest first");
        assert_eq!(list_titles(&list(&app, CONSULTATIONS, &[("sort", "closes_at")]).await),
            vec!["Konzultácia k rozpočtu", "Konzultácia o doprave"], "closing soonest first");
        let page = list(&app, CONSULTATIONS, &[("sort", "-closes_at"), ("limit", "1")]).await;
        assert_eq!(list_titles(&page), vec!["Konzultácia o doprave"]);
        let next = list(&app, CONSULTATIONS, &[("sort", "-closes_at"), ("limit", "1"), ("cursor", page["next_cursor"].as_str().unwrap())]).await;
        assert_eq!(list_titles(&next), vec!["Konzultácia k rozpočtu"], "paging keeps the order");

        let survey = json!({"title": {"sk": "Anketa o cyklotrasách"}, "questions": [
            {"id": "age", "text": {"sk": "Vek"}, "required": false, "kind": {"type": "number", "min": 0, "max": 120}}
        ]});
        let res = app.post("/api/v1/orgs/mesto/surveys", Some(&official.token), &survey).await;
        assert_eq!(res.status(), 201, "{:?}", res.text().await);
        assert_eq!(list(&app, "/api/v1/orgs/mesto/surveys", &[("q", "cyklotrasach")]).await["total"], 1);
        assert_eq!(list(&app, "/api/v1/orgs/mesto/surveys", &[("q", "hron")]).await["total"], 0);
    }
}

on_both_databases! {
    async fn lists_refuse_an_overlong_q_or_an_unknown_sort_and_a_blank_q_filters_nothing(app) {
        let (_, _, b) = taking_proposals(&app).await;
        let proposals = format!("{BUDGETS}/{b}/proposals");
        let long = "a".repeat(201);
        for path in [proposals.as_str(), PLANS, COMMITMENTS, MEETINGS, CONSULTATIONS, "/api/v1/orgs/mesto/surveys"] {
            let res = app.request(reqwest::Method::GET, path, None).query(&[("q", long.as_str())]).send().await.unwrap();
            assert_eq!(error_fields(&assert_problem(res, 422).await), vec!["q"], "{path}");
            let all = json_of(app.get(path, None).await, 200).await;
            for blank in ["  ", " – … ", "?!"] {
                let res = app.request(reqwest::Method::GET, path, None).query(&[("q", blank)]).send().await.unwrap();
                assert_eq!(json_of(res, 200).await["total"], all["total"], "{path} q={blank:?}");
            }
        }
        for path in [proposals.as_str(), MEETINGS, CONSULTATIONS] {
            let res = app.request(reqwest::Method::GET, path, None).query(&[("sort", "popularity")]).send().await.unwrap();
            assert_eq!(error_fields(&assert_problem(res, 422).await), vec!["sort"], "{path}");
        }
    }
}

on_both_databases! {
    async fn the_demo_data_is_searchable_in_every_language_and_script(app) {
        pnyx::seed::seed_demo(&app.db, Some("demo password 2026")).await.unwrap();
        pnyx::seed::content::seed_content(&app.db).await.unwrap();
        let find = |org: &'static str, q: &'static str| {
            let app = &app;
            async move {
                let res = app.request(reqwest::Method::GET, &format!("/api/v1/orgs/{org}/search"), None).query(&[("q", q)]).send().await.unwrap();
                json_of(res, 200).await
            }
        };
        let bb = find("banska-bystrica", "diskusne podujatie").await;
        let meetings = bb["groups"].as_array().unwrap().iter().find(|g| g["kind"] == "meeting").unwrap();
        assert!(meetings["count"].as_u64().unwrap() >= 2, "{bb}");
        let latin = find("vlasotince", "vlasotince").await;
        assert!(latin["total"].as_u64().unwrap() > 0, "{latin}");
        assert_eq!(find("vlasotince", "Власотинце").await["total"], latin["total"], "Cyrillic finds the same");
        let so = find("sosnowiec", "budzet obywatelski").await;
        assert!(so["groups"].as_array().unwrap().iter().any(|g| g["kind"] == "budget"), "{so}");
        assert_eq!(find("bedzin", "diskusne").await["total"], 0, "one organisation's things only");
    }
}

on_both_databases! {
    async fn a_result_cached_by_one_server_is_not_served_after_a_change_on_another(app) {
        let other = app.another_server().await;
        let (_, jana, b) = taking_proposals(&app).await;
        // Both servers compute and keep the empty result of this query.
        assert!(titles(&app, "fontana").await.is_empty());
        assert!(titles(&other, "fontana").await.is_empty());
        let p = propose(&other, &jana, &b, "Fontána na námestí", "Pitná voda.").await;
        assert_eq!(titles(&app, "fontana").await, vec!["Fontána na námestí"], "the first server sees the new proposal");
        assert_eq!(titles(&other, "fontana").await, vec!["Fontána na námestí"]);
        let edit = json!({"title": {"sk": "Pítko na námestí"}});
        json_of(app.patch(&format!("{BUDGETS}/{b}/proposals/{p}"), Some(&jana.token), &edit).await, 200).await;
        assert!(titles(&other, "fontana").await.is_empty(), "the second server drops the old title at once");
        assert_eq!(titles(&other, "pitko").await, vec!["Pítko na námestí"]);
    }
}

on_both_databases! {
    async fn the_index_version_moves_with_each_change_and_only_with_a_committed_one(app) {
        let (_, jana, b) = taking_proposals(&app).await;
        let version = || app.scalar("SELECT COALESCE(MAX(version), 0) FROM search_versions");
        let before = version().await;
        propose(&app, &jana, &b, "Lavičky", "Nové lavičky.").await;
        let after_one = version().await;
        assert_eq!(after_one, before + 1, "one change, one step");
        assert_eq!(titles(&app, "lavicky").await.len(), 1);
        // Reads do not move it.
        assert_eq!(version().await, after_one);
        // A change whose version step fails is not stored at all: the step is in its transaction.
        app.fail_writes("search_versions", "INSERT").await;
        let body = json!({"title": {"sk": "Lavičky pri fontáne"}, "description": {"sk": "Ďalšie."}, "estimated_cost": 100});
        assert_problem(app.post(&format!("{BUDGETS}/{b}/proposals"), Some(&jana.token), &body).await, 500).await;
        app.stop_failing("search_versions", "INSERT").await;
        assert_eq!(version().await, after_one);
        assert_eq!(titles(&app, "lavicky").await, vec!["Lavičky"], "the failed proposal is nowhere");
        let list = json_of(app.get(&format!("{BUDGETS}/{b}/proposals"), None).await, 200).await;
        assert_eq!(list["total"], 1);
    }
}
