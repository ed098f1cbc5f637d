//! Content pages: staff write Markdown that anyone reads as sanitised HTML (scripts, event
//! handlers and `javascript:` links stripped), in a menu by position, with a history of edits
//! (who by role, when) that each save appends to in the same transaction.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const PAGES: &str = "/api/v1/orgs/mesto/pages";

fn page(slug: &str, title: &str, body: &str, position: i32) -> Value {
    json!({"slug": slug, "title": {"sk": title}, "body": {"sk": body}, "position": position})
}

async fn create(app: &TestApp, staff: &User, body: &Value) -> Value {
    json_of(app.post(PAGES, Some(&staff.token), body).await, 201).await
}

on_both_databases! {
    async fn staff_write_markdown_that_anyone_reads_as_sanitised_html(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let md = "# Ako hlasovať\n\nVyberte **tri** projekty. [Pravidlá](https://mesto.sk/pravidla)\n\n<script>alert('x')</script>\n\n<img src=\"https://mesto.sk/a.png\" onerror=\"alert(1)\">\n\n<a href=\"javascript:alert(2)\" onclick=\"steal()\">klik</a> [zlé](javascript:alert(3))";
        let p = create(&app, &admin, &json!({"slug": "ako-hlasovat", "title": {"sk": "Ako hlasovať", "en": "How to vote"}, "body": {"sk": md, "en": "Pick **three**."}, "position": 20})).await;
        assert_eq!(p["body"]["sk"], md, "the Markdown is kept as written");
        let got = app.get(&format!("{PAGES}/ako-hlasovat"), None).await;
        assert!(got.headers().get("etag").is_some());
        let got = json_of(got, 200).await;
        let html = got["html"]["sk"].as_str().unwrap();
        assert!(html.contains("<h1>Ako hlasovať</h1>") && html.contains("<strong>tri</strong>"), "{html}");
        assert!(html.contains("href=\"https://mesto.sk/pravidla\""), "{html}");
        let lower = html.to_lowercase();
        for bad in ["<script", "alert(", "onerror", "onclick", "javascript:"] {
            assert!(!lower.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("klik") && html.contains("zlé"), "the texts of stripped links stay: {html}");
        assert_eq!(got["html"]["en"], "<p>Pick <strong>three</strong>.</p>\n");

        create(&app, &admin, &page("kontakt", "Kontakt", "Mestský úrad, Československej armády 26", 90)).await;
        create(&app, &admin, &page("pravidla-rozpoctu", "Pravidlá rozpočtu", "Každý obyvateľ nad 15 rokov.", 10)).await;
        let menu = json_of(app.get(PAGES, None).await, 200).await;
        let slugs: Vec<&str> = menu["items"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["pravidla-rozpoctu", "ako-hlasovat", "kontakt"], "by position");
        assert_eq!(menu["items"][1]["title"]["en"], "How to vote");
        assert_problem(app.get(&format!("{PAGES}/nic-take"), None).await, 404).await;
    }
}

on_both_databases! {
    async fn each_save_is_a_revision_by_role_and_a_stale_save_changes_nothing(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let official = app.register("official@mesto.sk").await;
        app.grant("mesto", official.id, &["official"]).await;
        let created = app.post(PAGES, Some(&admin.token), &page("kontakt", "Kontakt", "Prvá verzia", 5)).await;
        let etag = created.headers()["etag"].to_str().unwrap().to_owned();
        json_of(created, 201).await;
        let url = format!("{PAGES}/kontakt");
        let saved = app
            .request(Method::PATCH, &url, Some(&official.token))
            .header("if-match", &etag)
            .json(&json!({"body": {"sk": "Druhá verzia"}, "position": 7}))
            .send()
            .await
            .unwrap();
        let saved = json_of(saved, 200).await;
        assert_eq!((saved["body"]["sk"].as_str(), saved["position"].as_i64()), (Some("Druhá verzia"), Some(7)));
        let stale = app
            .request(Method::PATCH, &url, Some(&admin.token))
            .header("if-match", &etag)
            .json(&json!({"body": {"sk": "Stratená verzia"}}))
            .send()
            .await
            .unwrap();
        assert_problem(stale, 412).await;
        assert_eq!(json_of(app.get(&url, None).await, 200).await["body"]["sk"], "Druhá verzia");

        let revs = json_of(app.get(&format!("{url}/revisions"), Some(&admin.token)).await, 200).await;
        let items = revs["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "the stale save left no revision");
        assert_eq!((items[0]["body"]["sk"].as_str(), items[0]["author_role"].as_str()), (Some("Druhá verzia"), Some("official")));
        assert_eq!((items[1]["body"]["sk"].as_str(), items[1]["author_role"].as_str()), (Some("Prvá verzia"), Some("admin")));
        assert!(items[0]["created_at"].as_str() > items[1]["created_at"].as_str(), "newest first");

        // A failing revision write rolls the page back: one transaction.
        app.fail_writes("page_revisions", "INSERT").await;
        let res = app.patch(&url, Some(&admin.token), &json!({"body": {"sk": "Tretia verzia"}})).await;
        assert_eq!(res.status(), 500);
        app.stop_failing("page_revisions", "INSERT").await;
        assert_eq!(json_of(app.get(&url, None).await, 200).await["body"]["sk"], "Druhá verzia", "the page did not change alone");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM page_revisions").await, 2);

        assert_eq!(app.delete(&url, Some(&admin.token)).await.status(), 204);
        assert_problem(app.get(&url, None).await, 404).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM page_revisions").await, 0, "the history went with the page");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'content_page.%'").await, 3);
    }
}

on_both_databases! {
    async fn only_staff_write_pages_and_bad_input_is_refused(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let moderator = app.register("moderator@mesto.sk").await;
        app.grant("mesto", moderator.id, &["moderator"]).await;
        let jana = app.register("jana@mesto.sk").await;
        let body = page("vzdelavanie", "Vzdelávanie", "Školenia pre obyvateľov.", 1);
        assert_problem(app.post(PAGES, None, &body).await, 401).await;
        assert_problem(app.post(PAGES, Some(&jana.token), &body).await, 403).await;
        assert_problem(app.post(PAGES, Some(&moderator.token), &body).await, 403).await;
        for (bad, field) in [
            (page("Vzdelavanie", "T", "B", 1), "slug"),
            (page("a--b", "T", "B", 1), "slug"),
            (page("ok", "T", "B", 1001), "position"),
            (json!({"slug": "ok", "title": {"en": "T"}, "body": {"sk": "B"}}), "title.sk"),
            (json!({"slug": "ok", "title": {"sk": "T"}, "body": {"sk": "   "}}), "body.sk"),
        ] {
            let p = assert_problem(app.post(PAGES, Some(&official.token), &bad).await, 422).await;
            assert_eq!(error_fields(&p), [field], "{bad}");
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM content_pages").await, 0);
        create(&app, &official, &body).await;
        let p = assert_problem(app.post(PAGES, Some(&official.token), &body).await, 409).await;
        assert_eq!(p["code"], "slug-taken");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM page_revisions").await, 1, "the refused page left no revision");
        let url = format!("{PAGES}/vzdelavanie");
        assert_problem(app.patch(&url, Some(&jana.token), &json!({"position": 2})).await, 403).await;
        assert_problem(app.get(&format!("{url}/revisions"), Some(&jana.token)).await, 403).await;
        assert_problem(app.get(&format!("{url}/revisions"), None).await, 401).await;
        assert_problem(app.delete(&url, Some(&moderator.token)).await, 403).await;
        // Another organisation's page with the same slug is its own.
        app.create_org("ina").await;
        assert_problem(app.get("/api/v1/orgs/ina/pages/vzdelavanie", None).await, 404).await;
    }
}
