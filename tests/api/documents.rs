//! The documents library: staff create, edit and delete documents (with their files), the public
//! list with filters and paging, documents public from their publication date, links from plans,
//! meetings, consultations and budgets; and the files of consultations and commitments, as
//! visible as their resource.

use std::path::PathBuf;

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::files::{files_in, pdf, upload};
use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const DOCS: &str = "/api/v1/orgs/mesto/documents";

fn doc(category: &str, title_sk: &str, published_on: &str) -> Value {
    json!({
        "category": category,
        "title": {"sk": title_sk, "en": format!("{title_sk} (en)")},
        "description": {"sk": "Schválené mestským zastupiteľstvom."},
        "published_on": published_on
    })
}

async fn create(app: &TestApp, staff: &User, body: &Value) -> Value {
    json_of(app.post(DOCS, Some(&staff.token), body).await, 201).await
}

fn titles(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|d| d["title"]["sk"].as_str().unwrap().to_owned()).collect()
}

on_both_databases! {
    async fn the_library_lists_published_documents_with_filters_and_pages(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        create(&app, &official, &doc("legal_acts", "Všeobecne záväzné nariadenie o participatívnom rozpočte", "2023-03-10")).await;
        create(&app, &official, &doc("minutes", "Zápisnica z diskusného podujatia", "2024-05-02")).await;
        create(&app, &official, &doc("reports", "Správa o plnení akčného plánu", "2024-11-20")).await;
        create(&app, &official, &doc("education", "Ako podať návrh", "2022-01-15")).await;
        let tomorrow = (Utc::now() + Duration::days(2)).date_naive().to_string();
        let future = create(&app, &official, &doc("publications", "Leták k hlasovaniu", &tomorrow)).await;
        assert_eq!(future["scheduled"], true);

        let all = json_of(app.get(DOCS, None).await, 200).await;
        assert_eq!(all["total"], 4, "a document is public from its publication date");
        assert_eq!(
            titles(&all),
            ["Správa o plnení akčného plánu", "Zápisnica z diskusného podujatia", "Všeobecne záväzné nariadenie o participatívnom rozpočte", "Ako podať návrh"],
            "newest publication first"
        );
        let staff_view = json_of(app.get(DOCS, Some(&official.token)).await, 200).await;
        assert_eq!(staff_view["total"], 5, "staff see the scheduled one too");
        let fid = future["id"].as_str().unwrap();
        assert_problem(app.get(&format!("{DOCS}/{fid}"), None).await, 404).await;
        assert_eq!(app.get(&format!("{DOCS}/{fid}"), Some(&official.token)).await.status(), 200);

        let by_cat = json_of(app.get(&format!("{DOCS}?category=legal_acts"), None).await, 200).await;
        assert_eq!(titles(&by_cat), ["Všeobecne záväzné nariadenie o participatívnom rozpočte"]);
        let by_year = json_of(app.get(&format!("{DOCS}?year=2024"), None).await, 200).await;
        assert_eq!(by_year["total"], 2);
        // Words in any language, accents and case ignored.
        let by_text = json_of(app.get(&format!("{DOCS}?q=ZAPISNICA%20diskusneho"), None).await, 200).await;
        assert_eq!(titles(&by_text), ["Zápisnica z diskusného podujatia"]);
        let by_en = json_of(app.get(&format!("{DOCS}?q=podat%20(en)"), None).await, 200).await;
        assert_eq!(titles(&by_en), ["Ako podať návrh"]);
        let none = json_of(app.get(&format!("{DOCS}?q=nariadenie&year=2024"), None).await, 200).await;
        assert_eq!(none["total"], 0);

        let p1 = json_of(app.get(&format!("{DOCS}?limit=3"), None).await, 200).await;
        assert_eq!((p1["items"].as_array().unwrap().len(), p1["total"].as_u64()), (3, Some(4)));
        let cursor = p1["next_cursor"].as_str().unwrap();
        let p2 = json_of(app.get(&format!("{DOCS}?limit=3&cursor={cursor}"), None).await, 200).await;
        assert_eq!(titles(&p2), ["Ako podať návrh"]);
        assert!(p2["next_cursor"].is_null());

        assert_problem(app.get(&format!("{DOCS}?category=leaflets"), None).await, 400).await;
        assert_problem(app.get(&format!("{DOCS}?year=99"), None).await, 422).await;
        let long = "a".repeat(201);
        assert_problem(app.get(&format!("{DOCS}?q={long}"), None).await, 422).await;
        // A filter box left blank or holding only punctuation filters nothing out.
        for blank in ["", "%20%20", "%E2%80%93%20%E2%80%A6"] {
            let all = json_of(app.get(&format!("{DOCS}?q={blank}"), None).await, 200).await;
            assert_eq!(all["total"], 4, "q={blank}");
        }
    }
}

on_both_databases! {
    async fn only_staff_write_documents_and_bad_input_changes_nothing(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let moderator = app.register("moderator@mesto.sk").await;
        app.grant("mesto", moderator.id, &["moderator"]).await;
        let jana = app.register("jana@mesto.sk").await;
        let body = doc("reports", "Výročná správa", "2024-02-01");
        assert_problem(app.post(DOCS, None, &body).await, 401).await;
        assert_problem(app.post(DOCS, Some(&jana.token), &body).await, 403).await;
        assert_problem(app.post(DOCS, Some(&moderator.token), &body).await, 403).await;

        let no_default = json!({"category": "reports", "title": {"en": "Annual report"}, "published_on": "2024-02-01"});
        let p = assert_problem(app.post(DOCS, Some(&official.token), &no_default).await, 422).await;
        assert_eq!(error_fields(&p), ["title.sk"]);
        let long = json!({"category": "reports", "title": {"sk": "x".repeat(301)}, "published_on": "2024-02-01"});
        assert_problem(app.post(DOCS, Some(&official.token), &long).await, 422).await;
        let bad_date = json!({"category": "reports", "title": {"sk": "Správa"}, "published_on": "1800-01-01"});
        let p = assert_problem(app.post(DOCS, Some(&official.token), &bad_date).await, 422).await;
        assert_eq!(error_fields(&p), ["published_on"]);
        let bad_cat = json!({"category": "leaflets", "title": {"sk": "Správa"}, "published_on": "2024-02-01"});
        assert_problem(app.post(DOCS, Some(&official.token), &bad_cat).await, 422).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 0, "nothing was stored");

        let d = create(&app, &official, &body).await;
        let url = format!("{DOCS}/{}", d["id"].as_str().unwrap());
        let got = app.get(&url, None).await;
        let etag = got.headers()["etag"].to_str().unwrap().to_owned();
        assert_problem(app.patch(&url, Some(&jana.token), &json!({"category": "minutes"})).await, 403).await;
        let changed = app
            .request(Method::PATCH, &url, Some(&official.token))
            .header("if-match", &etag)
            .json(&json!({"category": "minutes", "title": {"sk": "Zápisnica", "en": "Minutes"}}))
            .send()
            .await
            .unwrap();
        let changed = json_of(changed, 200).await;
        assert_eq!((changed["category"].as_str(), changed["title"]["en"].as_str()), (Some("minutes"), Some("Minutes")));
        let stale = app
            .request(Method::PATCH, &url, Some(&official.token))
            .header("if-match", &etag)
            .json(&json!({"category": "reports"}))
            .send()
            .await
            .unwrap();
        assert_problem(stale, 412).await;
        assert_eq!(json_of(app.get(&url, None).await, 200).await["category"], "minutes", "the stale edit changed nothing");
        assert_problem(app.delete(&url, Some(&jana.token)).await, 403).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'document.%'").await, 2);
    }
}

on_both_databases! {
    async fn a_documents_file_is_as_public_as_it_and_deleting_it_deletes_its_files(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@mesto.sk").await;
        let d = create(&app, &official, &doc("legal_acts", "Uznesenie", "2024-06-01")).await;
        let id = d["id"].as_str().unwrap();
        let files_url = format!("{DOCS}/{id}/files");
        assert_problem(upload(&app, &files_url, Some(&jana), "uznesenie.pdf", &pdf(3)).await, 403).await;
        let f = json_of(upload(&app, &files_url, Some(&official), "Uznesenie č. 12.pdf", &pdf(3)).await, 201).await;
        assert_eq!(f["owner_type"], "document");
        let shown = json_of(app.get(&format!("{DOCS}/{id}"), None).await, 200).await;
        assert_eq!(shown["files"][0]["name"], "Uznesenie č. 12.pdf");
        assert_eq!(app.get(f["url"].as_str().unwrap(), None).await.status(), 200);

        // Moved to a date ahead: its file is as hidden as it.
        let ahead = (Utc::now() + Duration::days(30)).date_naive().to_string();
        json_of(app.patch(&format!("{DOCS}/{id}"), Some(&official.token), &json!({"published_on": ahead})).await, 200).await;
        assert_problem(app.get(f["url"].as_str().unwrap(), None).await, 404).await;
        assert_problem(app.get(&files_url, None).await, 404).await;
        assert_eq!(app.get(f["url"].as_str().unwrap(), Some(&official.token)).await.status(), 200);

        let photo = json_of(upload(&app, &files_url, Some(&official), "foto.jpg", &crate::files::jpeg_with_gps(700, 400)).await, 201).await;
        assert_eq!(photo["kind"], "image");
        assert_eq!(files_in(&app.files_dir()).len(), 1 + 2, "a PDF and two image widths are stored");
        assert_eq!(app.delete(&format!("{DOCS}/{id}"), Some(&official.token)).await.status(), 204);
        assert_problem(app.get(&format!("{DOCS}/{id}"), Some(&official.token)).await, 404).await;
        assert_problem(app.get(f["url"].as_str().unwrap(), Some(&official.token)).await, 404).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM files").await, 0, "the file records went with the document");
        assert_eq!(files_in(&app.files_dir()), Vec::<PathBuf>::new(), "and their bytes");
        assert_problem(app.delete(&format!("{DOCS}/{id}"), Some(&official.token)).await, 404).await;
    }
}

on_both_databases! {
    async fn staff_link_documents_to_plans_meetings_consultations_and_budgets(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@mesto.sk").await;
        let older = create(&app, &official, &doc("minutes", "Zápisnica", "2024-01-10")).await;
        let newer = create(&app, &official, &doc("publications", "Leták", "2024-03-10")).await;
        let ahead = (Utc::now() + Duration::days(9)).date_naive().to_string();
        let scheduled = create(&app, &official, &doc("reports", "Správa", &ahead)).await;
        let (older, newer, scheduled) =
            (older["id"].as_str().unwrap(), newer["id"].as_str().unwrap(), scheduled["id"].as_str().unwrap());

        let meeting = crate::meetings::create(&app, &official, &crate::meetings::meeting(-3, None)).await;
        let consultation = crate::consultations::create(&app, &official, &crate::consultations::consultation(-1, 10)).await;
        let budget = crate::budgets::create(&app, &official, &crate::budgets::process(json!({"kind": "approval", "max_projects": 3}), None)).await;
        let (public_plan, _) = crate::action_plans::plan_with_commitment(&app, &official, false).await;
        let (draft_plan, _) = crate::action_plans::plan_with_commitment(&app, &official, true).await;

        let link = |d: &str, kind: &str, r: &str| format!("{DOCS}/{d}/links/{kind}/{r}");
        let linked = |kind: &str, r: &str| format!("/api/v1/orgs/mesto/linked-documents/{kind}/{r}");
        for (kind, r) in [("meeting", &meeting), ("consultation", &consultation), ("budget", &budget), ("action_plan", &public_plan)] {
            assert_problem(app.put(&link(older, kind, r), Some(&jana.token), &json!({})).await, 403).await;
            for d in [older, newer, scheduled] {
                assert_eq!(app.put(&link(d, kind, r), Some(&official.token), &json!({})).await.status(), 204, "{kind}");
            }
            assert_eq!(app.put(&link(older, kind, r), Some(&official.token), &json!({})).await.status(), 204, "again: no change");
            let public = json_of(app.get(&linked(kind, r), None).await, 200).await;
            assert_eq!(titles(&public), ["Leták", "Zápisnica"], "{kind}: published ones, newest first, once each");
            let staff = json_of(app.get(&linked(kind, r), Some(&official.token)).await, 200).await;
            assert_eq!(staff["items"].as_array().unwrap().len(), 3, "staff see the scheduled one");
        }
        let d = json_of(app.get(&format!("{DOCS}/{older}"), None).await, 200).await;
        let where_linked = json!([
            {"resource_type": "meeting", "resource_id": meeting},
            {"resource_type": "consultation", "resource_id": consultation},
            {"resource_type": "budget", "resource_id": budget},
            {"resource_type": "action_plan", "resource_id": public_plan},
        ]);
        assert_eq!(d["links"], where_linked, "a document tells where it is linked, oldest link first");
        // Its files and its links are read together: each file once, each link once.
        let files_url = format!("{DOCS}/{older}/files");
        let mut uploaded = Vec::new();
        for name in ["a.pdf", "b.pdf"] {
            let f = json_of(upload(&app, &files_url, Some(&official), name, &pdf(2)).await, 201).await;
            uploaded.push(f["id"].clone());
        }
        let d = json_of(app.get(&format!("{DOCS}/{older}"), None).await, 200).await;
        let ids: Vec<Value> = d["files"].as_array().unwrap().iter().map(|f| f["id"].clone()).collect();
        assert_eq!(ids, uploaded, "each file once, in the order they came");
        assert_eq!(d["links"], where_linked, "each link once beside two files");
        let listed = json_of(app.get(&format!("{DOCS}?limit=100"), None).await, 200).await;
        let in_list = listed["items"].as_array().unwrap().iter().find(|x| x["id"] == older).unwrap().clone();
        assert_eq!((in_list["files"].clone(), in_list["links"].clone()), (d["files"].clone(), d["links"].clone()), "the list shows what the detail shows");

        // A draft plan is staff only, so are its links; unknown resources and kinds are 404.
        assert_eq!(app.put(&link(older, "action_plan", &draft_plan), Some(&official.token), &json!({})).await.status(), 204);
        assert_problem(app.get(&linked("action_plan", &draft_plan), None).await, 404).await;
        assert_eq!(app.get(&linked("action_plan", &draft_plan), Some(&official.token)).await.status(), 200);
        let nobody = uuid::Uuid::now_v7().to_string();
        assert_problem(app.put(&link(older, "meeting", &nobody), Some(&official.token), &json!({})).await, 404).await;
        assert_problem(app.put(&link(&nobody, "meeting", &meeting), Some(&official.token), &json!({})).await, 404).await;
        assert_problem(app.get(&linked("survey", &meeting), None).await, 404).await;
        assert_problem(app.get(&linked("meeting", &nobody), None).await, 404).await;

        assert_problem(app.delete(&link(older, "meeting", &meeting), Some(&jana.token)).await, 403).await;
        assert_eq!(app.delete(&link(older, "meeting", &meeting), Some(&official.token)).await.status(), 204);
        assert_problem(app.delete(&link(older, "meeting", &meeting), Some(&official.token)).await, 404).await;
        assert_eq!(titles(&json_of(app.get(&linked("meeting", &meeting), None).await, 200).await), ["Leták"]);
        // Deleting a document removes its links.
        assert_eq!(app.delete(&format!("{DOCS}/{newer}"), Some(&official.token)).await.status(), 204);
        assert_eq!(json_of(app.get(&linked("meeting", &meeting), None).await, 200).await["items"], json!([]));
        assert_eq!(titles(&json_of(app.get(&linked("budget", &budget), None).await, 200).await), ["Zápisnica"]);
    }
}

on_both_databases! {
    async fn staff_attach_drafts_to_consultations_and_evidence_to_commitments(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@mesto.sk").await;
        let consultation = crate::consultations::create(&app, &official, &crate::consultations::consultation(-1, 10)).await;
        let curl = format!("/api/v1/orgs/mesto/consultations/{consultation}/files");
        assert_problem(upload(&app, &curl, None, "navrh.pdf", &pdf(2)).await, 401).await;
        assert_problem(upload(&app, &curl, Some(&jana), "navrh.pdf", &pdf(2)).await, 403).await;
        let draft = json_of(upload(&app, &curl, Some(&official), "Návrh VZN.pdf", &pdf(2)).await, 201).await;
        assert_eq!(draft["owner_type"], "consultation");
        let list = json_of(app.get(&curl, None).await, 200).await;
        assert_eq!(list["items"][0]["name"], "Návrh VZN.pdf", "anyone reads a consultation's drafts");
        let other = format!("/api/v1/orgs/mesto/consultations/{}/files", uuid::Uuid::now_v7());
        assert_problem(upload(&app, &other, Some(&official), "navrh.pdf", &pdf(2)).await, 404).await;

        let (_, draft_commitment) = crate::action_plans::plan_with_commitment(&app, &official, true).await;
        let (_, public_commitment) = crate::action_plans::plan_with_commitment(&app, &official, false).await;
        for (c, refused) in [(&draft_commitment, 404), (&public_commitment, 403)] {
            let url = format!("/api/v1/orgs/mesto/commitments/{c}/files");
            // A draft plan's commitment is not found by residents; a public one refuses them.
            assert_problem(upload(&app, &url, Some(&jana), "dokaz.pdf", &pdf(1)).await, refused).await;
            json_of(upload(&app, &url, Some(&official), "fotka-z-realizacie.jpg", &crate::files::jpeg_with_gps(500, 300)).await, 201).await;
        }
        let hidden = format!("/api/v1/orgs/mesto/commitments/{draft_commitment}/files");
        assert_problem(app.get(&hidden, None).await, 404).await;
        assert_problem(app.get(&hidden, Some(&jana.token)).await, 404).await;
        let staff = json_of(app.get(&hidden, Some(&official.token)).await, 200).await;
        let hidden_file = staff["items"][0]["url"].as_str().unwrap().to_owned();
        assert_problem(app.get(&hidden_file, None).await, 404).await;
        let public = json_of(app.get(&format!("/api/v1/orgs/mesto/commitments/{public_commitment}/files"), None).await, 200).await;
        assert_eq!(public["items"][0]["kind"], "image");
        assert_eq!(app.get(public["items"][0]["url"].as_str().unwrap(), None).await.status(), 200);
    }
}
