//! OGP's commitment format: the export (one row per commitment and milestone, CSV and JSON) with
//! the database's counts, its import into another plan (dry run first), and a malformed file
//! refused by row and column with nothing stored.

use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const PLANS: &str = "/api/v1/orgs/mesto/action-plans";

async fn import(app: &TestApp, who: Option<&User>, plan: &str, csv: &str, dry_run: bool) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url(&format!("{PLANS}/{plan}/ogp-import?dry_run={dry_run}")))
        .header("Content-Type", "text/csv")
        .body(csv.to_owned());
    if let Some(u) = who {
        req = req.bearer_auth(&u.token);
    }
    req.send().await.unwrap()
}

async fn counts(app: &TestApp) -> (i64, i64) {
    (app.scalar("SELECT COUNT(*) FROM commitments").await, app.scalar("SELECT COUNT(*) FROM milestones").await)
}

async fn empty_plan(app: &TestApp, official: &User) -> String {
    let body = json!({"title": {"sk": "Akčný plán 2025"}, "description": {"sk": "Nový plán."}, "start_date": "2025-01-01", "end_date": "2026-12-31", "documents": []});
    json_of(app.post(PLANS, Some(&official.token), &body).await, 201).await["id"].as_str().unwrap().to_owned()
}

on_both_databases! {
    async fn a_plan_exports_in_ogps_format_and_imports_into_another_plan(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (plan, commitment) = crate::action_plans::plan_with_commitment(&app, &official, false).await;
        for (s, e) in [("2021-09-01", "2021-10-31"), ("2021-11-01", "2022-03-31")] {
            crate::action_plans::add_milestone(&app, &official, &commitment, &crate::action_plans::milestone_body(s, e)).await;
        }
        let res = app.get(&format!("{PLANS}/{plan}/ogp.csv"), None).await;
        assert_eq!(res.status(), 200);
        let csv_text = res.text().await.unwrap();
        let mut r = csv::Reader::from_reader(csv_text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(&header[..4], ["row_type", "commitment_ref", "title", "lead_institution"]);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len() as i64, counts(&app).await.0 + counts(&app).await.1, "a row per commitment and milestone");
        assert_eq!((&rows[0][0], &rows[0][1], &rows[0][3]), ("commitment", "C1", "Kancelária primátora"));
        assert_eq!(&rows[0][8], "access_to_information; civic_participation");
        assert_eq!((&rows[0][11], &rows[0][12], &rows[0][13]), ("2021-09-01", "2022-03-31", "not_started"));
        assert_eq!((&rows[1][0], &rows[1][1], &rows[1][2]), ("milestone", "C1", "Analýza potrieb"));
        let json_rows = json_of(app.get(&format!("{PLANS}/{plan}/ogp.json"), None).await, 200).await;
        assert_eq!(json_rows.as_array().unwrap().len(), rows.len());
        assert_eq!(json_rows[0]["lead_institution"], "Kancelária primátora");

        // Into a new plan: the dry run says what would be created and stores nothing.
        let target = empty_plan(&app, &official).await;
        let before = counts(&app).await;
        let dry = json_of(import(&app, Some(&official), &target, &csv_text, true).await, 200).await;
        assert_eq!(dry, json!({"dry_run": true, "commitments": [{"commitment_ref": "C1", "title": "Register „Čo sa deje v meste“", "milestones": 2, "id": null}]}));
        assert_eq!(counts(&app).await, before);
        let done = json_of(import(&app, Some(&official), &target, &csv_text, false).await, 201).await;
        let new_id = done["commitments"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(counts(&app).await, (before.0 + 1, before.1 + 2));
        let c = json_of(app.get(&format!("/api/v1/orgs/mesto/commitments/{new_id}"), Some(&official.token)).await, 200).await;
        assert_eq!(c["action_plan_id"], target.as_str());
        assert_eq!(c["supporting_actors"], json!(["Univerzita Mateja Bela", "Živica"]));
        assert_eq!(c["milestones"].as_array().unwrap().len(), 2);
        // The new plan exports the same rows but for the ids.
        let again = app.get(&format!("{PLANS}/{target}/ogp.csv"), Some(&official.token)).await.text().await.unwrap();
        let strip = |t: &str| t.lines().map(|l| l.rsplit_once(',').unwrap().0.to_owned()).collect::<Vec<_>>();
        assert_eq!(strip(&again), strip(&csv_text));
    }
}

on_both_databases! {
    async fn a_malformed_file_is_refused_by_row_and_column_and_nothing_is_stored(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let target = empty_plan(&app, &official).await;
        let csv_text = "row_type,commitment_ref,title,lead_institution,ogp_values,start_date,end_date,completion\n\
            commitment,A,Otvorené zmluvy,Kancelária primátora,access_to_information; transparency,,,\n\
            milestone,A,Zverejniť zmluvy,,,2025-13-01,2025-12-31,\n\
            milestone,B,Sirota,,,2025-01-01,2025-02-01,\n\
            commitment,C,,Odbor,,,,\n\
            milestone,A,Hotovo,,,2025-03-01,2025-02-01,finished\n";
        let before = counts(&app).await;
        for dry_run in [true, false] {
            let p = assert_problem(import(&app, Some(&official), &target, csv_text, dry_run).await, 422).await;
            assert_eq!(
                error_fields(&p),
                ["rows[2].ogp_values", "rows[3].start_date", "rows[4].commitment_ref", "rows[5].title", "rows[6].completion", "rows[6].end_date"],
                "{p}"
            );
            assert_eq!(counts(&app).await, before, "nothing stored");
        }
        // A file that is not the format at all, and one with no commitment.
        let p = assert_problem(import(&app, Some(&official), &target, "name,email\nJana,jana@example.sk\n", false).await, 422).await;
        assert_eq!(error_fields(&p), ["rows[1].name", "rows[1].email", "rows[1].row_type", "rows[1].commitment_ref", "rows[1].title"]);
        let p = assert_problem(import(&app, Some(&official), &target, "row_type,commitment_ref,title\n", false).await, 422).await;
        assert_eq!(error_fields(&p), ["rows[2].row_type"]);
        assert_eq!(counts(&app).await, before);
    }
}

on_both_databases! {
    async fn only_staff_import_and_a_draft_plan_exports_to_staff_only(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let (draft, _) = crate::action_plans::plan_with_commitment(&app, &official, true).await;
        let ok = "row_type,commitment_ref,title,lead_institution\ncommitment,A,Otvorené zmluvy,Kancelária primátora\n";
        assert_problem(import(&app, None, &draft, ok, false).await, 401).await;
        assert_problem(import(&app, Some(&jana), &draft, ok, false).await, 403).await;
        assert_problem(import(&app, Some(&official), "0190b5a0-0000-7000-8000-000000000000", ok, false).await, 404).await;
        assert_problem(app.get(&format!("{PLANS}/{draft}/ogp.csv"), None).await, 404).await;
        assert_problem(app.get(&format!("{PLANS}/{draft}/ogp.json"), Some(&jana.token)).await, 404).await;
        assert_eq!(app.get(&format!("{PLANS}/{draft}/ogp.csv"), Some(&official.token)).await.status(), 200);
        let before = counts(&app).await;
        assert_eq!(json_of(import(&app, Some(&official), &draft, ok, false).await, 201).await["commitments"].as_array().unwrap().len(), 1);
        assert_eq!(counts(&app).await.0, before.0 + 1);
        let _: Value = json!(null);
    }
}
