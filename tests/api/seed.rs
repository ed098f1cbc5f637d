//! The demo data: the four municipalities with staff, and content from their own texts.

use serde_json::Value;

use crate::on_both_databases;

on_both_databases! {
    async fn demo_data_creates_the_seed_municipalities_once(app) {
        let accounts = pnyx::seed::seed_demo(&app.db, Some("demo password 2026")).await.unwrap();
        pnyx::seed::content::seed_content(&app.db).await.unwrap();
        assert!(accounts.iter().any(|a| a.email == "admin@banska-bystrica.demo.pnyx.eu" && a.role == "admin"));
        let orgs: Value = app.get("/api/v1/orgs", None).await.json().await.unwrap();
        let mut slugs: Vec<&str> = orgs["items"].as_array().unwrap().iter().map(|o| o["slug"].as_str().unwrap()).collect();
        slugs.sort_unstable();
        assert_eq!(slugs, ["banska-bystrica", "bedzin", "sosnowiec", "vlasotince"]);
        let vl: Value = app.get("/api/v1/orgs/vlasotince", None).await.json().await.unwrap();
        assert_eq!(vl["default_locale"], "sr-Cyrl");
        assert_eq!(vl["locales"], serde_json::json!(["sr-Cyrl", "sr-Latn", "en"]));
        assert!(vl["name"]["sr-Latn"].as_str().unwrap().contains("Vlasotince"));
        // Vlasotince's 2025 budget: as adopted, then the rebalance; four quarters executed.
        let budget: Value = app.get("/api/v1/orgs/vlasotince/budget-years/2025", None).await.json().await.unwrap();
        assert_eq!((budget["currency"].as_str(), budget["periods"].as_str(), budget["revision"].as_u64()), (Some("RSD"), Some("quarter"), Some(2)));
        let lines: usize = budget["programmes"].as_array().unwrap().iter().flat_map(|p| p["subprogrammes"].as_array().unwrap()).map(|s| s["lines"].as_array().unwrap().len()).sum();
        assert_eq!(lines, 32);
        assert!(budget["totals"]["executed"].as_array().unwrap().iter().all(Value::is_i64), "{}", budget["totals"]);
        assert_eq!(budget["programmes"][0]["subprogrammes"][0]["lines"][0]["name"]["sr-Latn"], "Plate, dodaci i naknade zaposlenih");
        let changes: Value = app.get("/api/v1/orgs/vlasotince/budget-years/2025/changes", None).await.json().await.unwrap();
        assert_eq!(changes["items"].as_array().unwrap().len(), 5, "{changes}");

        let meetings: Value = app.get("/api/v1/orgs/banska-bystrica/meetings", None).await.json().await.unwrap();
        let held = meetings["items"].as_array().unwrap().iter().find(|m| m["status"] == "held").unwrap();
        assert_eq!(held["attendance"], 22);
        let activities: Value = app.get(&format!("/api/v1/orgs/banska-bystrica/meetings/{}/activities", held["id"].as_str().unwrap()), None).await.json().await.unwrap();
        assert_eq!(activities["items"].as_array().unwrap().len(), 6);
        let closed: Value = app.get("/api/v1/orgs/sosnowiec/consultations?status=report_published", None).await.json().await.unwrap();
        assert_eq!(closed["total"], 1);
        let open: Value = app.get("/api/v1/orgs/sosnowiec/consultations?status=open", None).await.json().await.unwrap();
        assert_eq!(open["total"], 1);

        // Będzin's open consultation has its survey, with a "why not?" only for those who said no,
        // and the demo residents' answers.
        let bd: Value = app.get("/api/v1/orgs/bedzin/consultations?status=open", None).await.json().await.unwrap();
        let survey_id = bd["items"][0]["survey_id"].as_str().expect("the consultation links a survey").to_owned();
        let survey: Value = app.get(&format!("/api/v1/orgs/bedzin/surveys/{survey_id}"), None).await.json().await.unwrap();
        assert_eq!(survey["status"], "open");
        let questions = survey["questions"].as_array().unwrap();
        assert!((5..=7).contains(&questions.len()));
        let why_not = questions.iter().find(|q| q["id"] == "why_not").unwrap();
        assert_eq!(why_not["condition"], serde_json::json!({"type": "choice_is", "question": "used", "options": ["nie"]}));
        let types: std::collections::BTreeSet<&str> = questions.iter().map(|q| q["kind"]["type"].as_str().unwrap()).collect();
        assert!(types.len() >= 5, "several question types: {types:?}");
        let results: Value = app.get(&format!("/api/v1/orgs/bedzin/surveys/{survey_id}/results"), None).await.json().await.unwrap();
        assert_eq!(results["respondents"], 5);
        let why = results["questions"].as_array().unwrap().iter().find(|q| q["question"] == "why_not").unwrap();
        assert_eq!((why["shown"].as_u64(), why["respondents"].as_u64()), (Some(2), Some(2)));
        let so: Value = app.get("/api/v1/orgs/sosnowiec/consultations?status=open", None).await.json().await.unwrap();
        let so_survey = so["items"][0]["survey_id"].as_str().expect("Sosnowiec's open consultation links a survey");
        let so_detail: Value = app.get(&format!("/api/v1/orgs/sosnowiec/surveys/{so_survey}"), None).await.json().await.unwrap();
        assert_eq!(so_detail["questions"].as_array().unwrap().len(), 3);

        let plans: Value = app.get("/api/v1/orgs/banska-bystrica/action-plans", None).await.json().await.unwrap();
        assert_eq!(plans["total"], 1);
        let plan = plans["items"][0]["id"].as_str().unwrap();
        assert_eq!((plans["items"][0]["start_date"].as_str(), plans["items"][0]["end_date"].as_str()), (Some("2021-08-01"), Some("2022-08-31")));
        let overview: Value = app.get(&format!("/api/v1/orgs/banska-bystrica/action-plans/{plan}/overview"), None).await.json().await.unwrap();
        assert_eq!(overview["commitments"], 5);
        assert_eq!(overview["by_level"], serde_json::json!({"not_started": 0, "limited": 2, "substantial": 1, "complete": 2}));
        let vl_plans: Value = app.get("/api/v1/orgs/vlasotince/action-plans", None).await.json().await.unwrap();
        assert_eq!(vl_plans["total"], 1);
        let vl_commitments: Value = app.get("/api/v1/orgs/vlasotince/commitments", None).await.json().await.unwrap();
        let states: std::collections::BTreeSet<&str> = vl_commitments["items"].as_array().unwrap().iter()
            .flat_map(|c| c["milestones"].as_array().unwrap().iter().map(|m| m["status"].as_str().unwrap())).collect();
        assert_eq!(states.len(), 4, "milestones in several states: {states:?}");

        let budgets: Value = app.get("/api/v1/orgs/sosnowiec/budgets", None).await.json().await.unwrap();
        let phases: Vec<&str> = budgets["items"].as_array().unwrap().iter().map(|b| b["phase"].as_str().unwrap()).collect();
        assert_eq!(phases, ["voting", "implementation"], "newest first");
        let voting = budgets["items"][0]["id"].as_str().unwrap();
        let on: Value = app.get(&format!("/api/v1/orgs/sosnowiec/budgets/{voting}/proposals?on_ballot=true"), None).await.json().await.unwrap();
        assert_eq!(on["total"], 13);
        let finished = budgets["items"][1]["id"].as_str().unwrap();
        let results: Value = app.get(&format!("/api/v1/orgs/sosnowiec/budgets/{finished}/results"), None).await.json().await.unwrap();
        assert_eq!(results["voters"], 873);
        let first = results["winners"][0]["proposal_id"].as_str().unwrap();
        let built: Value = app.get(&format!("/api/v1/orgs/sosnowiec/budgets/{finished}/proposals/{first}"), None).await.json().await.unwrap();
        assert_eq!(built["works"], "done");
        let history: Value = app.get(&format!("/api/v1/orgs/sosnowiec/budgets/{finished}/proposals/{first}/updates"), None).await.json().await.unwrap();
        assert_eq!(history["total"], 3);

        // The demo admin can log in and holds the admin role.
        let res = app.login("admin@banska-bystrica.demo.pnyx.eu", "demo password 2026").await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["user"]["memberships"][0]["roles"][0], "admin");

        // Seeding again creates nothing.
        assert!(pnyx::seed::seed_demo(&app.db, None).await.unwrap().is_empty());
        pnyx::seed::content::seed_content(&app.db).await.unwrap();
        let again: Value = app.get("/api/v1/orgs/banska-bystrica/meetings", None).await.json().await.unwrap();
        assert_eq!(again["total"], meetings["total"]);
        let plans_again: Value = app.get("/api/v1/orgs/banska-bystrica/action-plans", None).await.json().await.unwrap();
        assert_eq!(plans_again["total"], 1);
        let years: Value = app.get("/api/v1/orgs/vlasotince/budget-years", None).await.json().await.unwrap();
        assert_eq!((years["total"].as_u64(), years["items"][0]["revision"].as_u64()), (Some(1), Some(2)));
    }
}

on_both_databases! {
    async fn demo_documents_and_pages_are_made_at_seed_time_once(app) {
        pnyx::seed::seed_demo(&app.db, Some("demo password 2026")).await.unwrap();
        pnyx::seed::content::seed_content(&app.db).await.unwrap();
        let storage = pnyx_files::ObjectStorage::local(&app.files_dir()).unwrap();
        pnyx::seed::library::seed_library(&app.db, &storage).await.unwrap();

        let menu: Value = app.get("/api/v1/orgs/sosnowiec/pages", None).await.json().await.unwrap();
        let slugs: Vec<&str> = menu["items"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["edukacja", "akty-prawne"]);
        let page: Value = app.get("/api/v1/orgs/bedzin/pages/jak-dzialaja-konsultacje", None).await.json().await.unwrap();
        assert!(page["html"]["pl"].as_str().unwrap().contains("<strong>kalendarz konsultacji</strong>"), "{page}");

        let docs: Value = app.get("/api/v1/orgs/sosnowiec/documents?category=legal_acts", None).await.json().await.unwrap();
        assert_eq!(docs["total"], 1);
        let pdf = &docs["items"][0]["files"][0];
        let bytes = app.get(pdf["url"].as_str().unwrap(), None).await.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "a real PDF");
        assert_eq!(bytes.len() as u64, pdf["size"].as_u64().unwrap());
        let budget = docs["items"][0]["links"][0]["resource_id"].as_str().unwrap();
        let linked: Value = app.get(&format!("/api/v1/orgs/sosnowiec/linked-documents/budget/{budget}"), None).await.json().await.unwrap();
        assert_eq!(linked["items"].as_array().unwrap().len(), 2, "the resolution and the leaflet belong with the budget");
        let leaflet = linked["items"].as_array().unwrap().iter().find(|d| d["category"] == "publications").unwrap();
        let img = &leaflet["files"][0];
        assert_eq!(img["kind"], "image");
        let small = app.get(img["variants"][0]["url"].as_str().unwrap(), None).await.bytes().await.unwrap();
        assert_eq!(image::load_from_memory(&small).unwrap().width(), 320, "resized as an upload would be");
        let bb: Value = app.get("/api/v1/orgs/banska-bystrica/documents", None).await.json().await.unwrap();
        assert_eq!(bb["total"], 2);
        assert!(bb["items"].as_array().unwrap().iter().all(|d| !d["links"].as_array().unwrap().is_empty()), "linked to the meeting and the plan");

        let files_before = app.scalar("SELECT COUNT(*) FROM files").await;
        pnyx::seed::library::seed_library(&app.db, &storage).await.unwrap();
        assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 6, "seeding again adds nothing");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM files").await, files_before);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM content_pages").await, 3);
    }
}
