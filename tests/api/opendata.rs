//! Open data: every dataset downloads whole as CSV and JSON with as many records as the database
//! holds of what is public (streamed in pages of 2 rows here, so page boundaries are crossed),
//! without residents' identities; conditional requests; formulas neutralised; the DCAT-AP
//! catalogue validated by pyshacl against the DCAT-AP shapes; the licence setting.

use std::path::Path;
use std::process::Command;

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";

fn consultation(opinions_public: bool) -> Value {
    let now = Utc::now();
    json!({
        "title": {"sk": "Konzultácia k rozpočtu", "en": "Budget consultation"},
        "summary": {"sk": "Návrh rozpočtu na rok 2027"},
        "subject": "budget",
        "opens_at": now - Duration::days(1),
        "closes_at": now + Duration::days(9),
        "opinions_public": opinions_public,
        "sections": [{"key": "§1", "title": {"sk": "Príjmy"}}],
        "documents": []
    })
}

async fn created(res: reqwest::Response) -> String {
    json_of(res, 201).await["id"].as_str().unwrap().to_owned()
}

/// Content of every kind: public and not, with residents' names and e-mail addresses in it.
async fn content(app: &TestApp) -> (User, User) {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let moderator = app.register("moderator@mesto.sk").await;
    app.grant("mesto", moderator.id, &["moderator"]).await;
    let jana = app.register("jana.novakova@example.sk").await;
    // Plans: a public one with a commitment and three milestones, and a draft one.
    let (_, commitment) = crate::action_plans::plan_with_commitment(app, &official, false).await;
    for (s, e) in [("2021-09-01", "2021-10-31"), ("2021-11-01", "2021-12-31"), ("2022-01-01", "2022-03-31")] {
        crate::action_plans::add_milestone(app, &official, &commitment, &crate::action_plans::milestone_body(s, e))
            .await;
    }
    let (_, hidden_commitment) = crate::action_plans::plan_with_commitment(app, &official, true).await;
    crate::action_plans::add_milestone(
        app,
        &official,
        &hidden_commitment,
        &crate::action_plans::milestone_body("2021-09-01", "2021-10-31"),
    )
    .await;
    // Meetings, one with a registration.
    let mut meeting_ids = Vec::new();
    for h in [24, 48, 72] {
        meeting_ids.push(crate::meetings::create(app, &official, &crate::meetings::meeting(h, Some(10))).await);
    }
    let res =
        app.post(&format!("{ORG}/meetings/{}/registrations", meeting_ids[0]), Some(&jana.token), &json!({})).await;
    assert_eq!(res.status(), 201);
    // Consultations: opinions in a public one (one hidden) and in a staff-only one.
    let public =
        created(app.post(&format!("{ORG}/consultations"), Some(&official.token), &consultation(true)).await).await;
    let private =
        created(app.post(&format!("{ORG}/consultations"), Some(&official.token), &consultation(false)).await).await;
    for text in ["Viac zelene.", "Cyklotrasy!", "=HYPERLINK(\"https://evil.example\",\"klik\")"] {
        let url = format!("{ORG}/consultations/{public}/opinions");
        created(app.post(&url, Some(&jana.token), &json!({"text": text})).await).await;
    }
    let spam = created(
        app.post(&format!("{ORG}/consultations/{public}/opinions"), Some(&jana.token), &json!({"text": "Spam"})).await,
    )
    .await;
    let one = format!("{ORG}/consultations/{public}/opinions/{spam}");
    assert_eq!(app.patch(&one, Some(&moderator.token), &json!({"hidden": true})).await.status(), 200);
    created(
        app.post(&format!("{ORG}/consultations/{private}/opinions"), Some(&jana.token), &json!({"text": "Dôverné."}))
            .await,
    )
    .await;
    // A participatory budget with proposals, one reviewed.
    let budget = crate::budgets::create(
        app,
        &official,
        &crate::budgets::process(json!({"kind": "approval", "max_projects": 3}), None),
    )
    .await;
    crate::budgets::to(app, &official, &budget, "proposals").await;
    let mut proposals = Vec::new();
    for (t, c) in [("Lavičky", 400_000), ("Strom", 100_000), ("Ihrisko", 900_000)] {
        proposals.push(crate::budgets::propose(app, &jana, &budget, t, c).await);
    }
    crate::budgets::to(app, &official, &budget, "review").await;
    crate::budgets::review(app, &official, &budget, &proposals[0], false).await;
    // Residents' reports, one with the author's name shown.
    let cat = crate::reports::category(app, &official, "Osvetlenie", 10).await;
    for t in ["Nesvieti lampa", "Výtlk na ceste", "@SUM(1+1)"] {
        let mut b = crate::reports::report(&cat, t);
        b["show_name"] = json!(t == "Výtlk na ceste");
        crate::reports::file(app, &jana, &b).await;
    }
    (official, jana)
}

/// The dataset as CSV: the header and the records.
async fn csv_of(app: &TestApp, name: &str) -> (Vec<String>, Vec<Vec<String>>, String) {
    let res = app.get(&format!("{ORG}/open-data/{name}.csv"), None).await;
    assert_eq!(res.status(), 200, "{name}.csv");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers().contains_key("etag") && res.headers().contains_key("last-modified"));
    let text = res.text().await.unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r.records().map(|rec| rec.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows, text)
}

async fn json_rows(app: &TestApp, name: &str) -> (Vec<Value>, String) {
    let res = app.get(&format!("{ORG}/open-data/{name}.json"), None).await;
    assert_eq!(res.status(), 200, "{name}.json");
    let text = res.text().await.unwrap();
    let v: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}.json: {e}\n{text}"));
    (v, text)
}

const PUBLIC_COMMITMENTS: &str =
    "SELECT c.id FROM commitments c JOIN action_plans p ON p.id = c.action_plan_id WHERE p.status <> 'draft'";

on_both_databases! {
    async fn every_dataset_downloads_whole_with_the_databases_count_and_no_residents_identity(app) {
        content(&app).await;
        let expected = [
            ("action-plans", "SELECT COUNT(*) FROM action_plans WHERE status <> 'draft'".to_owned()),
            ("commitments", format!("SELECT COUNT(*) FROM ({PUBLIC_COMMITMENTS}) x")),
            ("milestones", format!("SELECT COUNT(*) FROM milestones WHERE commitment_id IN ({PUBLIC_COMMITMENTS})")),
            ("progress", format!("SELECT COUNT(*) FROM history_entries WHERE (subject_type = 'commitment' AND subject_id IN ({PUBLIC_COMMITMENTS})) OR (subject_type = 'milestone' AND parent_id IN ({PUBLIC_COMMITMENTS})) OR subject_type = 'budget_project'")),
            ("meetings", "SELECT COUNT(*) FROM meetings".to_owned()),
            ("consultations", "SELECT COUNT(*) FROM consultations".to_owned()),
            ("opinions", "SELECT COUNT(*) FROM opinions o JOIN consultations c ON c.id = o.consultation_id WHERE c.opinions_public = true AND o.hidden = false".to_owned()),
            ("budgets", "SELECT COUNT(*) FROM budgets".to_owned()),
            ("budget-proposals", "SELECT COUNT(*) FROM budget_proposals".to_owned()),
            ("reports", "SELECT COUNT(*) FROM reports".to_owned()),
        ];
        for (name, sql) in expected {
            let want = usize::try_from(app.scalar(&sql).await).unwrap();
            let (header, rows, csv_text) = csv_of(&app, name).await;
            let (records, json_text) = json_rows(&app, name).await;
            assert_eq!((rows.len(), records.len()), (want, want), "{name}: CSV and JSON records = the database's");
            assert!(rows.iter().all(|r| r.len() == header.len()), "{name}: every CSV row has every column");
            for body in [&csv_text, &json_text] {
                for secret in ["jana.novakova", "@example.sk", "@mesto.sk"] {
                    assert!(!body.contains(secret), "{name} names a person ({secret})");
                }
            }
        }
        // What is not public is not there: 5 milestones exist, 3 are of the public plan; 5
        // opinions exist, 3 are shown; 2 plans exist, 1 is public.
        assert_eq!(app.scalar("SELECT COUNT(*) FROM milestones").await, 4);
        assert_eq!(json_rows(&app, "milestones").await.0.len(), 3);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM opinions").await, 5);
        assert_eq!(json_rows(&app, "opinions").await.0.len(), 3);
        assert_eq!(json_rows(&app, "action-plans").await.0.len(), 1);
        // Multilingual text: an object in JSON, a column per language in CSV.
        let (header, rows, _) = csv_of(&app, "meetings").await;
        let title_en = header.iter().position(|h| h == "title_en").expect("title_en column");
        assert!(header.contains(&"title_sk".to_owned()));
        assert!(rows.iter().all(|r| r[title_en] == "OGP discussion event"));
        let (meetings, _) = json_rows(&app, "meetings").await;
        assert_eq!(meetings[0]["title"]["sk"], "Diskusné podujatie OGP");
        let registrations: i64 = meetings.iter().map(|m| m["registrations"].as_i64().unwrap()).sum();
        assert_eq!(registrations, 1, "attendance counts, not who");
        assert!(meetings.iter().all(|m| m["online_url"].is_null()), "a link for registrants only is not published");
        // Reviews are in the proposals, reasons included.
        let (proposals, _) = json_rows(&app, "budget-proposals").await;
        let reasons: Vec<&Value> = proposals.iter().map(|p| &p["review_reason"]).filter(|r| !r.is_null()).collect();
        assert_eq!(reasons, [&json!("Pozemok nie je mestský.")], "{proposals:?}");
        // A survey with no public results: an empty but valid dataset.
        let (header, rows, _) = csv_of(&app, "survey-results").await;
        assert_eq!((header.first().map(String::as_str), rows.len()), (Some("survey_id"), 0));
        assert_eq!(json_rows(&app, "survey-results").await.0.len(), 0);
    }
}

on_both_databases! {
    async fn a_cell_a_spreadsheet_would_run_is_written_as_text(app) {
        content(&app).await;
        let (header, rows, _) = csv_of(&app, "opinions").await;
        let text = header.iter().position(|h| h == "text").unwrap();
        assert!(rows.iter().any(|r| r[text] == "'=HYPERLINK(\"https://evil.example\",\"klik\")"), "{rows:?}");
        let (header, rows, _) = csv_of(&app, "reports").await;
        let title = header.iter().position(|h| h == "title").unwrap();
        assert!(rows.iter().any(|r| r[title] == "'@SUM(1+1)"));
        // JSON carries the text as it is.
        let (opinions, _) = json_rows(&app, "opinions").await;
        assert!(opinions.iter().any(|o| o["text"] == "=HYPERLINK(\"https://evil.example\",\"klik\")"));
    }
}

on_both_databases! {
    async fn a_conditional_request_is_answered_304_until_the_dataset_changes(app) {
        let (official, jana) = content(&app).await;
        let url = format!("{ORG}/open-data/meetings.csv");
        let res = app.get(&url, None).await;
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        let modified = res.headers()["last-modified"].to_str().unwrap().to_owned();
        let again = app.client.get(app.url(&url)).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        let since = app.client.get(app.url(&url)).header("If-Modified-Since", &modified).send().await.unwrap();
        assert_eq!(since.status(), 304);
        let other = app.client.get(app.url(&url)).header("If-None-Match", "\"something-else\"").send().await.unwrap();
        assert_eq!(other.status(), 200);
        // The JSON of the same dataset is another representation: another tag.
        let json_tag = app.get(&format!("{ORG}/open-data/meetings.json"), None).await.headers()["etag"].to_str().unwrap().to_owned();
        assert_ne!(json_tag, etag);
        // A registration changes the counts: a new tag, and the old one no longer matches.
        let meetings: Vec<Value> = json_rows(&app, "meetings").await.0;
        let second = meetings.iter().find(|m| m["registrations"] == 0).unwrap()["id"].as_str().unwrap().to_owned();
        assert_eq!(app.post(&format!("{ORG}/meetings/{second}/registrations"), Some(&jana.token), &json!({})).await.status(), 201);
        let after = app.client.get(app.url(&url)).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(after.status(), 200);
        let new_tag = after.headers()["etag"].to_str().unwrap().to_owned();
        assert_ne!(new_tag, etag);
        // A new meeting too.
        crate::meetings::create(&app, &official, &crate::meetings::meeting(96, None)).await;
        let after = app.client.get(app.url(&url)).header("If-None-Match", &new_tag).send().await.unwrap();
        assert_eq!(after.status(), 200);
        assert_eq!(csv_of(&app, "meetings").await.1.len(), 4);
    }
}

on_both_databases! {
    async fn an_unknown_dataset_or_organisation_is_a_404_problem(app) {
        app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        for path in [format!("{ORG}/open-data/users.csv"), format!("{ORG}/open-data/registrations.json"), "/api/v1/orgs/nikde/open-data/meetings.csv".to_owned(), "/api/v1/orgs/nikde/open-data".to_owned()] {
            assert_problem(app.get(&path, None).await, 404).await;
        }
        // An organisation with nothing yet: every dataset is an empty, valid file.
        let list = json_of(app.get(&format!("{ORG}/open-data"), None).await, 200).await;
        for d in list["datasets"].as_array().unwrap() {
            assert_eq!(d["rows"], 0);
            let slug = d["slug"].as_str().unwrap();
            assert_eq!(json_rows(&app, slug).await.0.len(), 0);
            assert_eq!(csv_of(&app, slug).await.1.len(), 0);
        }
    }
}

on_both_databases! {
    async fn the_list_names_every_dataset_with_its_formats_counts_and_licence(app) {
        content(&app).await;
        let list = json_of(app.get(&format!("{ORG}/open-data"), None).await, 200).await;
        assert_eq!(list["licence"], "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(list["catalogue_url"], format!("{ORG}/open-data/catalogue.jsonld"));
        let datasets = list["datasets"].as_array().unwrap();
        assert_eq!(datasets.len(), 12);
        let meetings = datasets.iter().find(|d| d["slug"] == "meetings").unwrap();
        assert_eq!(meetings["rows"], 3);
        assert_eq!(meetings["title"]["sk"], "Verejné stretnutia");
        assert_eq!(meetings["title"]["en"], "Public meetings");
        assert!(meetings["title"].get("pl").is_none(), "only the organisation's languages");
        let formats: Vec<&str> = meetings["distributions"].as_array().unwrap().iter().map(|d| d["format"].as_str().unwrap()).collect();
        assert_eq!(formats, ["CSV", "JSON", "iCalendar"]);
        for d in meetings["distributions"].as_array().unwrap() {
            assert_eq!(app.get(d["url"].as_str().unwrap(), None).await.status(), 200, "{d}");
        }
    }
}

/// Runs pyshacl (tests/shacl/validate.py) on `doc`: whether it conforms, and the report.
fn shacl(doc: &Value) -> (bool, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shacl");
    let python = dir.join(".venv/bin/python");
    assert!(python.exists(), "run scripts/setup.sh: it makes tests/shacl/.venv with pyshacl");
    let file = std::env::temp_dir().join(format!("pnyx-dcat-{}.jsonld", uuid::Uuid::new_v4()));
    std::fs::write(&file, serde_json::to_vec(doc).unwrap()).unwrap();
    let out = Command::new(python)
        .arg(dir.join("validate.py"))
        .arg(dir.join("dcat-ap-2.1.1-subset.ttl"))
        .arg(&file)
        .output()
        .expect("run pyshacl");
    let _ = std::fs::remove_file(&file);
    let report = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => (true, report),
        Some(1) => (false, report),
        _ => panic!("pyshacl could not read the document: {report}"),
    }
}

on_both_databases! {
    async fn the_catalogue_conforms_to_the_dcat_ap_shapes(app) {
        content(&app).await;
        let res = app.get(&format!("{ORG}/open-data/catalogue.jsonld"), None).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/ld+json"));
        let doc: Value = res.json().await.unwrap();
        let (ok, report) = shacl(&doc);
        assert!(ok, "{report}");
        let datasets = doc["dcat:dataset"].as_array().unwrap();
        assert_eq!(datasets.len(), 12);
        let langs: Vec<&str> = datasets[0]["dct:title"].as_array().unwrap().iter().map(|t| t["@language"].as_str().unwrap()).collect();
        assert_eq!(langs, ["sk", "en"]);
        assert_eq!(doc["dct:license"]["@id"], "https://creativecommons.org/licenses/by/4.0/");
        let media: Vec<&str> = datasets.iter().flat_map(|d| d["dcat:distribution"].as_array().unwrap()).map(|d| d["dcat:mediaType"]["@id"].as_str().unwrap()).collect();
        assert!(media.contains(&"http://www.iana.org/assignments/media-types/text/csv"));
        assert!(media.contains(&"http://www.iana.org/assignments/media-types/application/json"));
        // The validator is not a rubber stamp: a dataset without a title, a catalogue without a
        // publisher, and a modified date that is not a date each fail.
        let mut broken = doc.clone();
        broken["dcat:dataset"][0].as_object_mut().unwrap().remove("dct:title");
        assert!(!shacl(&broken).0, "a dataset needs a title");
        let mut broken = doc.clone();
        broken.as_object_mut().unwrap().remove("dct:publisher");
        assert!(!shacl(&broken).0, "a catalogue needs a publisher");
        let mut broken = doc.clone();
        broken["dcat:dataset"][1]["dct:modified"] = json!("last week");
        assert!(!shacl(&broken).0, "dct:modified is a date");
    }
}

on_both_databases! {
    async fn admins_choose_the_licence_and_nobody_else_can(app) {
        let (official, jana) = content(&app).await;
        let url = format!("{ORG}/open-data/settings");
        let cc0 = json!({"licence": "https://creativecommons.org/publicdomain/zero/1.0/"});
        assert_problem(app.put(&url, None, &cc0).await, 401).await;
        assert_problem(app.put(&url, Some(&jana.token), &cc0).await, 403).await;
        assert_problem(app.put(&url, Some(&official.token), &cc0).await, 403).await;
        let admin = app.register("admin@mesto.sk").await;
        app.grant("mesto", admin.id, &["admin"]).await;
        let p = assert_problem(app.put(&url, Some(&admin.token), &json!({"licence": "public domain"})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["licence"]);
        assert_eq!(json_of(app.get(&format!("{ORG}/open-data"), None).await, 200).await["licence"], "https://creativecommons.org/licenses/by/4.0/", "nothing changed");
        let set = json_of(app.put(&url, Some(&admin.token), &cc0).await, 200).await;
        assert_eq!(set["licence"], cc0["licence"]);
        let doc: Value = app.get(&format!("{ORG}/open-data/catalogue.jsonld"), None).await.json().await.unwrap();
        assert_eq!(doc["dct:license"]["@id"], cc0["licence"]);
        assert!(shacl(&doc).0);
        let back = json_of(app.put(&url, Some(&admin.token), &json!({"licence": null})).await, 200).await;
        assert_eq!(back["licence"], "https://creativecommons.org/licenses/by/4.0/");
    }
}

on_both_databases! {
    async fn a_closed_votes_results_are_a_dataset_a_row_per_project_as_the_results_show_them(app) {
        let (official, id, ps) = crate::budgets::voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let b = format!("{ORG}/budgets/{id}");
        for (email, picks) in [("a@example.sk", vec![0, 1]), ("b@example.sk", vec![1, 2]), ("c@example.sk", vec![2])] {
            let voter = app.register(email).await;
            let ids: Vec<&str> = picks.iter().map(|&i| ps[i].as_str()).collect();
            json_of(crate::budgets::cast(&app, &voter, &id, &crate::budgets::ballot(&ids)).await, 201).await;
        }
        // While the vote runs nothing is counted: the dataset is empty but valid.
        let (header, rows, _) = csv_of(&app, "budget-results").await;
        assert_eq!((header.first().map(String::as_str), rows.len()), (Some("budget_id"), 0));
        let before = app.get(&format!("{ORG}/open-data/budget-results.json"), None).await;
        let etag = before.headers()["etag"].to_str().unwrap().to_owned();

        crate::budgets::to(&app, &official, &id, "results").await;
        let changed = app.client.get(app.url(&format!("{ORG}/open-data/budget-results.json"))).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(changed.status(), 200, "closing the vote changes the dataset");
        let results = json_of(app.get(&format!("{b}/results"), None).await, 200).await;
        let (records, text) = json_rows(&app, "budget-results").await;
        let on_ballot = results["projects"].as_array().unwrap();
        assert_eq!(records.len(), on_ballot.len(), "a row per project on the ballot: {text}");
        assert_eq!(on_ballot.len(), 3, "the unfeasible proposal is not on the ballot");
        for p in on_ballot {
            let r = records.iter().find(|r| r["proposal_id"] == p["proposal_id"]).unwrap();
            assert_eq!((&r["votes"], &r["selected"], &r["score"]), (&p["votes"], &p["selected"], &p["score"]), "{r}");
            assert_eq!((&r["budget_id"], &r["voters"], &r["outcome_rule"]), (&json!(id), &json!(3), &results["rule"]));
        }
        let order: Vec<(&Value, &Value)> =
            records.iter().filter(|r| r["selected"] == true).map(|r| (&r["proposal_id"], &r["selection_order"])).collect();
        let winners = results["winners"].as_array().unwrap();
        assert_eq!(order.len(), winners.len());
        for (i, w) in winners.iter().enumerate() {
            assert!(order.contains(&(&w["proposal_id"], &json!(i + 1))), "{order:?}");
        }
        // The same in CSV, a title column per language; no voter is named.
        let (header, rows, csv_text) = csv_of(&app, "budget-results").await;
        assert_eq!(rows.len(), 3);
        assert!(header.contains(&"title_sk".to_owned()) && header.contains(&"budget_title_sk".to_owned()));
        for body in [&csv_text, &text] {
            assert!(!body.contains("@example.sk"), "a voter named");
        }
        let list = json_of(app.get(&format!("{ORG}/open-data"), None).await, 200).await;
        let d = list["datasets"].as_array().unwrap().iter().find(|d| d["slug"] == "budget-results").unwrap().clone();
        assert_eq!(d["rows"], 1, "one process with public results");
    }
}
