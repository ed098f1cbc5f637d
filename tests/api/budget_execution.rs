//! The municipal budget in the open: importing a year from CSV and XLSX (a dry run, the role
//! rules, malformed files that store nothing and name the row and column), the public tree and
//! its totals, the CSV exports, amendments and the changes between revisions, lines entered by
//! hand, links to commitments, and concurrent imports.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Four lines in two programmes, three quarters reported; totals: planned 1 000 000.00,
/// in force 1 050 000.00, executed 612 345.67.
const BUDGET: &str = "\
code,programme_code,programme_name,subprogramme_code,subprogramme_name,economic_code,name,name.en,planned,amended,q1,q2,q3,q4
0602-0001-411,0602,Všeobecné služby,0001,Fungovanie úradu,411,Platy,Salaries,400000,,100000,100000,100000,
0602-0001-423,0602,Všeobecné služby,0001,Fungovanie úradu,423,Služby na základe zmluvy,Contracted services,100000.00,150000,20000.50,30000,,
0701-0002-425,0701,Doprava,0002,Údržba ciest,425,Opravy a údržba,Repairs,300000,,50000,60000,70000,
0701-0002-511,0701,Doprava,0002,Údržba ciest,511,Budovy a stavby,Buildings,200000,,,82345.17,,
";

async fn staff(app: &TestApp) -> (User, User) {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let jana = app.register("jana@example.sk").await;
    (official, jana)
}

async fn import(
    app: &TestApp,
    who: Option<&User>,
    year: i32,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut req = app.request(
        reqwest::Method::POST,
        &format!("{ORG}/budget-years/{year}/import{query}"),
        who.map(|u| u.token.as_str()),
    );
    req = req.header("Content-Type", content_type).body(body);
    req.send().await.unwrap()
}

async fn stored(app: &TestApp) -> (i64, i64, i64) {
    (
        app.scalar("SELECT COUNT(*) FROM budget_execution_years").await,
        app.scalar("SELECT COUNT(*) FROM budget_execution_lines").await,
        app.scalar("SELECT COUNT(*) FROM budget_execution_revisions").await,
    )
}

fn line_codes(year: &Value) -> Vec<String> {
    year["programmes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["subprogrammes"].as_array().unwrap().iter())
        .flat_map(|s| s["lines"].as_array().unwrap().iter())
        .map(|l| l["code"].as_str().unwrap().to_owned())
        .collect()
}

on_both_databases! {
    async fn staff_import_a_year_from_csv_after_a_dry_run_and_everyone_reads_its_tree(app) {
        let (official, jana) = staff(&app).await;
        let csv = BUDGET.as_bytes().to_vec();
        assert_problem(import(&app, None, 2026, "", "text/csv", csv.clone()).await, 401).await;
        assert_problem(import(&app, Some(&jana), 2026, "", "text/csv", csv.clone()).await, 403).await;
        assert_problem(import(&app, Some(&official), 2026, "", "application/json", csv.clone()).await, 415).await;
        assert_problem(import(&app, Some(&official), 1850, "", "text/csv", csv.clone()).await, 404).await;

        let dry = json_of(import(&app, Some(&official), 2026, "?dry_run=true", "text/csv", csv.clone()).await, 200).await;
        assert_eq!((dry["dry_run"].as_bool(), dry["lines"].as_u64(), dry["revision"].as_u64()), (Some(true), Some(4), Some(1)));
        assert_eq!(dry["totals"]["current"], 105_000_000);
        assert_eq!(dry["changes"].as_array().unwrap().len(), 4, "every line is new: {dry}");
        assert_eq!(stored(&app).await, (0, 0, 0), "a dry run stores nothing");
        assert_problem(app.get(&format!("{ORG}/budget-years/2026"), None).await, 404).await;

        let done = json_of(import(&app, Some(&official), 2026, "?note=Rozpo%C4%8Det%202026", "text/csv", csv).await, 201).await;
        assert_eq!((done["dry_run"].as_bool(), done["currency"].as_str(), done["periods"].as_str()), (Some(false), Some("EUR"), Some("quarter")));
        assert_eq!(stored(&app).await, (1, 4, 1));

        let year = json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await;
        assert_eq!(year["totals"]["planned"], 100_000_000);
        assert_eq!(year["totals"]["current"], 105_000_000);
        assert_eq!(year["totals"]["executed"], json!([17_000_050, 27_234_517, 17_000_000, null]));
        assert_eq!(year["totals"]["executed_total"], 61_234_567);
        assert_eq!(year["programmes"].as_array().unwrap().len(), 2);
        assert_eq!(year["programmes"][1]["code"], "0701");
        assert_eq!(year["programmes"][1]["totals"]["planned"], 50_000_000);
        assert_eq!(year["programmes"][0]["subprogrammes"][0]["lines"][1]["name"], json!({"sk": "Služby na základe zmluvy", "en": "Contracted services"}));
        assert_eq!(year["programmes"][0]["subprogrammes"][0]["lines"][1]["current"], 15_000_000);
        assert_eq!(line_codes(&year), ["0602-0001-411", "0602-0001-423", "0701-0002-425", "0701-0002-511"]);
        assert_eq!(year["revisions"][0]["note"], "Rozpočet 2026");
        let list = json_of(app.get(&format!("{ORG}/budget-years"), None).await, 200).await;
        assert_eq!((list["total"].as_u64(), list["items"][0]["year"].as_i64()), (Some(1), Some(2026)));

        let log = json_of(app.get(&format!("{ORG}/audit-log?limit=100"), None).await, 200).await;
        assert!(log["items"].as_array().unwrap().iter().any(|e| e["action"] == "budget_year.imported"), "{log}");
    }
}

on_both_databases! {
    async fn the_csv_export_is_the_import_layout_and_imports_back_unchanged(app) {
        let (official, _) = staff(&app).await;
        json_of(import(&app, Some(&official), 2026, "", "text/csv", BUDGET.as_bytes().to_vec()).await, 201).await;
        let res = app.get(&format!("{ORG}/budget-years/2026/lines.csv"), None).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
        let text = res.text().await.unwrap();
        assert!(text.starts_with("code,programme_code,programme_name,subprogramme_code,subprogramme_name,economic_code,name,planned,amended,q1,q2,q3,q4,"), "{text}");
        assert!(text.contains("0602-0001-423,0602,Všeobecné služby,0001,Fungovanie úradu,423,Služby na základe zmluvy,100000.00,150000.00,20000.50,30000.00,,"), "{text}");
        let again = json_of(import(&app, Some(&official), 2026, "?dry_run=true", "text/csv", text.into_bytes()).await, 200).await;
        assert_eq!(again["changes"], json!([]), "{again}");
        assert_eq!(again["totals"]["executed_total"], 61_234_567);
        assert_problem(app.get(&format!("{ORG}/budget-years/2027/lines.csv"), None).await, 404).await;
    }
}

on_both_databases! {
    async fn a_malformed_csv_stores_nothing_and_names_each_row_and_column(app) {
        let (official, _) = staff(&app).await;
        json_of(import(&app, Some(&official), 2026, "", "text/csv", BUDGET.as_bytes().to_vec()).await, 201).await;
        let before = json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await;
        // Row 3: a comma as decimal separator in `planned` (column I); row 4: a blank name
        // (column G); row 5: the code of row 2 again (column A).
        let bad = BUDGET
            .replace("100000.00,150000", "\"100000,5\",150000")
            .replace("425,Opravy a údržba", "425,")
            .replace("0701-0002-511", "0602-0001-411");
        let p = assert_problem(import(&app, Some(&official), 2026, "", "text/csv", bad.into_bytes()).await, 422).await;
        assert_eq!(p["code"], "validation-failed");
        assert_eq!(error_fields(&p), ["row.3.planned", "row.4.name", "row.5.code"], "{p}");
        let messages: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
        assert!(messages[0].starts_with("row 3, column I (planned):"), "{messages:?}");
        assert!(messages[1].starts_with("row 4, column G (name):"), "{messages:?}");
        assert!(messages[2].contains("row 2"), "names the first row with the code: {messages:?}");
        assert_eq!(stored(&app).await, (1, 4, 1), "nothing stored");
        assert_eq!(json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await, before);

        // The header: an unknown column and no periods.
        let p = assert_problem(import(&app, Some(&official), 2027, "", "text/csv", b"code,programme_code,programme_name,subprogramme_code,subprogramme_name,economic_code,name,planned,budget\n".to_vec()).await, 422).await;
        let messages: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
        assert!(messages.iter().any(|m| m.starts_with("row 1, column I (budget):")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("q1") && m.contains("m1")), "{messages:?}");
        // Not UTF-8, empty.
        assert_eq!(error_fields(&assert_problem(import(&app, Some(&official), 2027, "", "text/csv", vec![0xff, 0xfe, b'a']).await, 422).await), ["file"]);
        assert_eq!(error_fields(&assert_problem(import(&app, Some(&official), 2027, "", "text/csv", Vec::new()).await, 422).await), ["file"]);
        assert_eq!(stored(&app).await, (1, 4, 1));
    }
}

fn xlsx(rows: &[Vec<Value>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match v {
                Value::Number(n) => {
                    sheet.write_number(r, c, n.as_f64().unwrap()).unwrap();
                }
                Value::String(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                _ => {}
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn budget_rows() -> Vec<Vec<Value>> {
    BUDGET
        .lines()
        .enumerate()
        .map(|(i, l)| {
            l.split(',')
                .enumerate()
                .map(|(c, cell)| {
                    // Amounts (from column I on) as number cells, as a spreadsheet holds them.
                    match cell.parse::<f64>() {
                        Ok(n) if i > 0 && c >= 8 => json!(n),
                        _ if cell.is_empty() => Value::Null,
                        _ => json!(cell),
                    }
                })
                .collect()
        })
        .collect()
}

on_both_databases! {
    async fn staff_import_xlsx_and_a_malformed_workbook_stores_nothing(app) {
        let (official, _) = staff(&app).await;
        let mut rows = budget_rows();
        rows[3][8] = json!("tristo tisíc");
        rows[2][10] = json!(1.005);
        let p = assert_problem(import(&app, Some(&official), 2026, "", XLSX, xlsx(&rows)).await, 422).await;
        assert_eq!(error_fields(&p), ["row.3.q1", "row.4.planned"], "{p}");
        assert!(p["errors"][0]["message"].as_str().unwrap().starts_with("row 3, column K (q1):"), "{p}");
        assert!(p["errors"][1]["message"].as_str().unwrap().starts_with("row 4, column I (planned):"), "{p}");
        assert_eq!(stored(&app).await, (0, 0, 0));
        assert_eq!(error_fields(&assert_problem(import(&app, Some(&official), 2026, "", XLSX, b"not a workbook".to_vec()).await, 422).await), ["file"]);

        let done = json_of(import(&app, Some(&official), 2026, "", XLSX, xlsx(&budget_rows())).await, 201).await;
        assert_eq!((done["lines"].as_u64(), done["totals"]["executed_total"].as_i64()), (Some(4), Some(61_234_567)));
        let year = json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await;
        assert_eq!(year["totals"]["current"], 105_000_000);
        assert_eq!(year["programmes"][0]["subprogrammes"][0]["lines"][1]["executed"], json!([2_000_050, 3_000_000, null, null]));
    }
}

on_both_databases! {
    async fn an_amendment_is_a_new_revision_and_its_changes_are_public(app) {
        let (official, _) = staff(&app).await;
        json_of(import(&app, Some(&official), 2026, "", "text/csv", BUDGET.as_bytes().to_vec()).await, 201).await;
        // The first rebalance: roads get more, the buildings line is dropped, a new line added.
        let amended = BUDGET
            .replace("425,Opravy a údržba,Repairs,300000,,", "425,Opravy a údržba,Repairs,300000,360000,")
            .replace("0701-0002-511,0701,Doprava,0002,Údržba ciest,511,Budovy a stavby,Buildings,200000,,,82345.17,,\n", "")
            + "0701-0002-426,0701,Doprava,0002,Údržba ciest,426,Materiál,Material,1000,,,,,\n";
        let dry = json_of(import(&app, Some(&official), 2026, "?dry_run=true", "text/csv", amended.clone().into_bytes()).await, 200).await;
        assert_eq!(dry["revision"], 2);
        let done = json_of(import(&app, Some(&official), 2026, "?note=Rebalans%201", "text/csv", amended.into_bytes()).await, 201).await;
        assert_eq!(done["changes"], dry["changes"]);
        let ch = json_of(app.get(&format!("{ORG}/budget-years/2026/changes"), None).await, 200).await;
        assert_eq!((ch["from"].as_u64(), ch["to"].as_u64()), (Some(1), Some(2)));
        let got: Vec<(String, Value, Value)> = ch["items"].as_array().unwrap().iter().map(|c| (c["code"].as_str().unwrap().to_owned(), c["before"].clone(), c["after"].clone())).collect();
        assert_eq!(got, [
            ("0701-0002-425".to_owned(), json!(30_000_000), json!(36_000_000)),
            ("0701-0002-426".to_owned(), Value::Null, json!(100_000)),
            ("0701-0002-511".to_owned(), json!(20_000_000), Value::Null),
        ]);
        let first = json_of(app.get(&format!("{ORG}/budget-years/2026/changes?from=0&to=1"), None).await, 200).await;
        assert_eq!(first["items"].as_array().unwrap().len(), 4);
        assert_problem(app.get(&format!("{ORG}/budget-years/2026/changes?to=7"), None).await, 404).await;
        let csv = app.get(&format!("{ORG}/budget-years/2026/changes.csv"), None).await.text().await.unwrap();
        assert!(csv.starts_with("code,name,from_revision,to_revision,before,after,difference\n"), "{csv}");
        assert!(csv.contains("0701-0002-425,Opravy a údržba,1,2,300000.00,360000.00,60000.00"), "{csv}");
        assert!(csv.contains("0701-0002-511,Budovy a stavby,1,2,200000.00,,-200000.00"), "{csv}");
        let year = json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await;
        assert_eq!((year["revision"].as_u64(), year["revisions"].as_array().unwrap().len()), (Some(2), 2));
        assert_eq!(year["revisions"][1]["note"], "Rebalans 1");
    }
}

pub(crate) fn line_body() -> Value {
    json!({
        "programme_code": "1101", "programme_name": {"sk": "Kultúra"},
        "subprogramme_code": "0001", "subprogramme_name": {"sk": "Knižnica"},
        "economic_code": "426", "name": {"sk": "Knihy", "en": "Books"},
        "planned": 500_000, "amended": null, "executed": [100_000, null, null, null]
    })
}

on_both_databases! {
    async fn staff_enter_lines_by_hand_with_links_and_each_change_is_a_revision(app) {
        let (official, jana) = staff(&app).await;
        let line = |code: &str| format!("{ORG}/budget-years/2026/lines/{code}");
        assert_problem(app.put(&line("1101-0001-426"), Some(&official.token), &line_body()).await, 404).await;
        let b = json!({"year": 2026, "periods": "quarter", "note": "Rozpočet"});
        assert_problem(app.post(&format!("{ORG}/budget-years"), Some(&jana.token), &b).await, 403).await;
        let y = json_of(app.post(&format!("{ORG}/budget-years"), Some(&official.token), &b).await, 201).await;
        assert_eq!((y["revision"].as_u64(), y["periods"].as_str()), (Some(1), Some("quarter")));
        assert_eq!(error_fields(&assert_problem(app.post(&format!("{ORG}/budget-years"), Some(&official.token), &b).await, 422).await), ["year"]);

        assert_problem(app.put(&line("1101-0001-426"), Some(&jana.token), &line_body()).await, 403).await;
        let mut bad = line_body();
        bad["executed"] = json!([1, 2, 3, 4, 5, 6]);
        assert_eq!(error_fields(&assert_problem(app.put(&line("1101-0001-426"), Some(&official.token), &bad).await, 422).await), ["executed"]);
        bad = line_body();
        bad["name"] = json!({"en": "Books"});
        assert_eq!(error_fields(&assert_problem(app.put(&line("1101-0001-426"), Some(&official.token), &bad).await, 422).await), ["name.sk"]);
        bad = line_body();
        bad["planned"] = json!(-1);
        assert_eq!(error_fields(&assert_problem(app.put(&line("1101-0001-426"), Some(&official.token), &bad).await, 422).await), ["planned"]);
        assert_eq!(error_fields(&assert_problem(app.put(&line("a%20b"), Some(&official.token), &line_body()).await, 422).await), ["code"]);
        bad = line_body();
        bad["commitment_id"] = json!(uuid::Uuid::now_v7());
        assert_eq!(error_fields(&assert_problem(app.put(&line("1101-0001-426"), Some(&official.token), &bad).await, 422).await), ["commitment_id"]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_execution_lines").await, 0);

        let (_, commitment) = crate::action_plans::plan_with_commitment(&app, &official, false).await;
        let mut good = line_body();
        good["commitment_id"] = json!(commitment);
        let saved = json_of(app.put(&line("1101-0001-426"), Some(&official.token), &good).await, 200).await;
        assert_eq!((saved["year"]["revision"].as_u64(), saved["line"]["commitment_id"].as_str()), (Some(2), Some(commitment.as_str())));
        good["amended"] = json!(650_000);
        let tag = saved["line"]["etag"].as_str().unwrap().to_owned();
        let saved = json_of(put_if(&app, &official, &line("1101-0001-426"), Some(&tag), &good).await, 200).await;
        let year = json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await;
        assert_eq!((year["revision"].as_u64(), year["totals"]["current"].as_i64()), (Some(3), Some(650_000)));
        let ch = json_of(app.get(&format!("{ORG}/budget-years/2026/changes"), None).await, 200).await;
        assert_eq!(ch["items"], json!([{"code": "1101-0001-426", "name": {"sk": "Knihy", "en": "Books"}, "before": 500_000, "after": 650_000}]));

        assert_problem(app.delete(&line("nie-je"), Some(&official.token)).await, 404).await;
        assert_problem(app.delete(&line("1101-0001-426"), Some(&jana.token)).await, 403).await;
        let tag = saved["line"]["etag"].as_str().unwrap();
        let y = json_of(delete_if(&app, &official, &line("1101-0001-426"), Some(tag)).await, 200).await;
        assert_eq!(y["revision"], 4);
        assert_eq!(line_codes(&json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await).len(), 0);
        let log = json_of(app.get(&format!("{ORG}/audit-log?limit=100"), None).await, 200).await;
        let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(["budget_year.created", "budget_line.saved", "budget_line.deleted"].iter().all(|a| actions.contains(a)), "{actions:?}");
    }
}

pub(crate) async fn put_if(
    app: &TestApp,
    who: &User,
    path: &str,
    tag: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut req = app.request(reqwest::Method::PUT, path, Some(&who.token)).json(body);
    if let Some(t) = tag {
        req = req.header("If-Match", t);
    }
    req.send().await.unwrap()
}

async fn delete_if(app: &TestApp, who: &User, path: &str, tag: Option<&str>) -> reqwest::Response {
    let mut req = app.request(reqwest::Method::DELETE, path, Some(&who.token));
    if let Some(t) = tag {
        req = req.header("If-Match", t);
    }
    req.send().await.unwrap()
}

/// The line `code` of a year as the public tree shows it.
fn line_in(year: &Value, code: &str) -> Value {
    year["programmes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["subprogrammes"].as_array().unwrap().iter())
        .flat_map(|s| s["lines"].as_array().unwrap().iter())
        .find(|l| l["code"] == code)
        .cloned()
        .unwrap_or(Value::Null)
}

on_both_databases! {
    async fn changing_or_removing_a_line_claims_its_etag_and_a_stale_or_missing_one_changes_nothing(app) {
        let (official, _) = staff(&app).await;
        let colleague = app.register("kolega@mesto.sk").await;
        app.grant("mesto", colleague.id, &["official"]).await;
        json_of(app.post(&format!("{ORG}/budget-years"), Some(&official.token), &json!({"year": 2026, "periods": "quarter"})).await, 201).await;
        let path = format!("{ORG}/budget-years/2026/lines/1101-0001-426");
        let year = || async { json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await };

        // A new line needs no If-Match; If-Match on a code with no line cannot match.
        assert_eq!(assert_problem(put_if(&app, &official, &path, Some("\"abc\""), &line_body()).await, 412).await["code"], "precondition-failed");
        assert_problem(put_if(&app, &official, &path, Some("*"), &line_body()).await, 412).await;
        let res = put_if(&app, &official, &path, None, &line_body()).await;
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        let saved = json_of(res, 200).await;
        assert_eq!(saved["line"]["etag"], etag.as_str());
        assert_eq!(line_in(&year().await, "1101-0001-426")["etag"], etag.as_str(), "the tree carries each line's ETag");

        // Both officials read the line; one saves, the other's save with the old ETag is refused.
        let mut mine = line_body();
        mine["planned"] = json!(600_000);
        let mut theirs = line_body();
        theirs["planned"] = json!(700_000);
        let p = assert_problem(put_if(&app, &colleague, &path, None, &theirs).await, 428).await;
        assert_eq!(p["code"], "precondition-required");
        assert!(p["detail"].as_str().unwrap().contains("If-Match"), "{p}");
        let res = put_if(&app, &official, &path, Some(&etag), &mine).await;
        let newer = res.headers()["etag"].to_str().unwrap().to_owned();
        json_of(res, 200).await;
        assert_ne!(newer, etag);
        assert_problem(put_if(&app, &colleague, &path, Some(&etag), &theirs).await, 412).await;
        let now = year().await;
        assert_eq!((now["revision"].as_u64(), line_in(&now, "1101-0001-426")["planned"].as_i64()), (Some(3), Some(600_000)), "refused saves change nothing");

        // Saving the same content keeps the ETag (it follows the content); a weak form matches.
        let res = put_if(&app, &colleague, &path, Some(&format!("W/{newer}")), &mine).await;
        assert_eq!(res.headers()["etag"].to_str().unwrap(), newer);
        json_of(res, 200).await;

        // Removing: without If-Match 428, with an old one 412, with the current one done.
        assert_problem(delete_if(&app, &official, &path, None).await, 428).await;
        assert_problem(delete_if(&app, &official, &path, Some(&etag)).await, 412).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_execution_lines").await, 1);
        let y = json_of(delete_if(&app, &official, &path, Some(&newer)).await, 200).await;
        assert_eq!(y["revision"], 5);
        assert_eq!(line_in(&year().await, "1101-0001-426"), Value::Null);
        assert_problem(delete_if(&app, &official, &path, Some(&newer)).await, 404).await;
    }
}

on_both_databases! {
    async fn concurrent_imports_each_make_a_whole_revision_or_are_refused(app) {
        let (official, _) = staff(&app).await;
        let res = join_all((0..4).map(|_| import(&app, Some(&official), 2026, "", "text/csv", BUDGET.as_bytes().to_vec()))).await;
        let codes: Vec<u16> = res.iter().map(|r| r.status().as_u16()).collect();
        assert!(codes.iter().all(|c| *c == 201 || *c == 412), "{codes:?}");
        let ok = i64::try_from(codes.iter().filter(|c| **c == 201).count()).unwrap();
        assert!(ok >= 1, "{codes:?}");
        assert_eq!(stored(&app).await, (1, 4, ok), "one year, its four lines once, a revision per success");
        let year = json_of(app.get(&format!("{ORG}/budget-years/2026"), None).await, 200).await;
        assert_eq!(year["revision"].as_i64(), Some(ok));
    }
}
