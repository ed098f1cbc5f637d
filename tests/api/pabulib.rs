//! The participatory budget API against real elections (copies of pabulib.org files kept in the
//! repository):
//!
//! - every file in `tests/data/pb-official` (18 elections from seven cities, each with the projects
//!   the city funded) is imported through `POST .../budgets/import`, and the process's own result
//!   (`GET .../results`, anonymous, no `rule=`) selects exactly the city's winners;
//! - every file in `tests/data/pb-instances` is imported, its own result is the reference's
//!   `city_rule.winners` in selection order, and its winners under the equal-shares rules and
//!   `greedy_per_cost` are compared — as a set and in selection order — with
//!   `reference-outcomes.json` (pabutools 1.2.3); for the small files the comparison also runs
//!   pabutools itself (`tests/pabutools/outcomes.py`, installed by `scripts/setup.sh`);
//! - every file survives import → export → import unchanged;
//! - another rule or threshold is staff only, and a computation longer than the time limit is a
//!   503 with `Retry-After` whose retry finds the result.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pnyx_domain::budget::pabulib::{self, PbFile};
use serde_json::Value;

use crate::helpers::{TestApp, User, assert_problem, error_fields};
use crate::on_both_databases;

const IMPORT: &str = "/api/v1/orgs/mesto/budgets/import";
const BUDGETS: &str = "/api/v1/orgs/mesto/budgets";

/// The elections are kept in the repository, so that a clone alone runs the tests.
fn instances() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/pb-instances"))
}

fn official() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/pb-official"))
}

fn read_instance(file: &str) -> String {
    let path = instances().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn reference() -> Value {
    serde_json::from_str(&read_instance("reference-outcomes.json")).unwrap()
}

/// (file, rule) pairs of the reference not compared: none, now that `equal_shares` takes well
/// under a second even on the largest files. The LARGE files (Łódź 2022, Warszawa 2026, Kraków
/// 2024) have no `equal_shares` in the reference (pabutools did not finish it). To leave a pair out
/// while investigating it, list it here with the reason.
const SKIPPED: &[(&str, &str)] = &[];

/// The whole folder: a file added to it without a test here fails `every_instance_has_a_test`.
const ALL_FILES: &[&str] = &[
    "Poland_Czestochowa_2020_Grabowka.pb",
    "Poland_Czestochowa_2024.pb",
    "Poland_Gdansk_2020.pb",
    "Poland_Gdansk_2020_Oliwa.pb",
    "Poland_Krakow_2024.pb",
    "Poland_Krakow_2024_Stare_Miasto.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Warszawa_2019_Las.pb",
    "Poland_Warszawa_2026.pb",
    "Poland_Warszawa_2026_Mokotow.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
];

async fn staff(app: &TestApp) -> User {
    app.org_with_member("mesto", "official@mesto.sk", &["official"]).await
}

async fn body_of(res: reqwest::Response, status: u16, what: &str) -> String {
    let got = res.status().as_u16();
    let body = res.text().await.unwrap();
    assert_eq!(got, status, "{what}: {}", &body[..body.len().min(2000)]);
    body
}

/// Imports `text` as `who` and returns the new process's id.
async fn import(app: &TestApp, who: &User, text: &str, what: &str) -> String {
    let res = app
        .request(reqwest::Method::POST, IMPORT, Some(&who.token))
        .header("content-type", "text/plain; charset=utf-8")
        .body(text.to_owned())
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(&body_of(res, 201, what).await).unwrap();
    assert_eq!(body["phase"], "results", "{what}: an import is in the results phase");
    body["id"].as_str().unwrap().to_owned()
}

async fn export(app: &TestApp, id: &str, what: &str) -> String {
    body_of(app.get(&format!("{BUDGETS}/{id}/export.pb"), None).await, 200, what).await
}

/// Our winners' codes in selection order under `rule` with no threshold, asked by staff.
async fn winners(app: &TestApp, who: &User, id: &str, rule: &str) -> Vec<String> {
    let url = format!("{BUDGETS}/{id}/results?rule={rule}&min_score=0");
    let r: Value = serde_json::from_str(&body_of(app.get(&url, Some(&who.token)).await, 200, rule).await).unwrap();
    assert_eq!((r["rule"].as_str(), r["min_score"].as_u64()), (Some(rule), Some(0)), "{rule}");
    assert!(r["spent"].as_i64().unwrap() <= r["budget"].as_i64().unwrap(), "{rule}: over budget");
    r["winners"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Our rule for a rule of pabutools' reference: its `greedy` is `greedy_utilitarian_welfare`, our
/// `greedy_per_cost`; `None` for ordinal files, where it reads the rankings as approvals.
fn our_rule<'a>(pabutools_rule: &'a str, vote_type: &str) -> Option<&'a str> {
    match pabutools_rule {
        "greedy" if vote_type == "ordinal" => None,
        "greedy" => Some("greedy_per_cost"),
        other => Some(other),
    }
}

/// The process's own result as anyone sees it: no rule, no threshold asked for.
async fn own_result(app: &TestApp, id: &str, what: &str) -> Value {
    let url = format!("{BUDGETS}/{id}/results");
    serde_json::from_str(&body_of(app.get(&url, None).await, 200, what).await).unwrap()
}

fn codes(r: &Value) -> Vec<String> {
    r["winners"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect()
}

/// Compares our winners under every rule the reference has for `file` (but the skipped pairs)
/// with it: the same set, and the same selection order; and the process's own result with the
/// city's winners.
async fn matches_reference(app: &TestApp, who: &User, id: &str, file: &str) {
    let reference = reference();
    let instance = &reference["instances"][file];
    let city = &instance["city_rule"];
    let own = own_result(app, id, file).await;
    assert_eq!(own["rule"], city["rule"], "{file}: the process's rule is the city's");
    assert_eq!(own["min_score"], city["min_score"], "{file}: the process's threshold is the city's");
    assert_eq!(codes(&own), strings(&city["winners"]), "{file}: the city's winners, in selection order");
    let vote_type = instance["vote_type"].as_str().unwrap();
    let rules = instance["rules"].as_object().unwrap_or_else(|| panic!("{file}: no reference"));
    assert!(!rules.is_empty(), "{file}: no rules in the reference");
    for (reference_rule, expected) in rules {
        if SKIPPED.contains(&(file, reference_rule.as_str())) {
            eprintln!("{file} {reference_rule}: skipped (see SKIPPED)");
            continue;
        }
        let Some(rule) = our_rule(reference_rule, vote_type) else { continue };
        let started = Instant::now();
        let got = winners(app, who, id, rule).await;
        let took = started.elapsed();
        let order = strings(&expected["selection_order"]);
        assert_eq!(sorted(got.clone()), sorted(strings(&expected["winners"])), "{file} {rule}: the winners (as a set)");
        assert_eq!(got, order, "{file} {rule}: the selection order");
        eprintln!("{file} {rule}: {} winners as the reference, in {took:.1?}", got.len());
    }
}

/// A parsed file with its votes in voter-id order: the export writes ballots in their (random)
/// storage order, which says nothing about the order they were cast in.
fn by_value(text: &str, what: &str) -> PbFile {
    let mut f = pabulib::parse(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    f.votes.sort_by(|a, b| a.voter_id.cmp(&b.voter_id));
    f
}

fn assert_same_file(got: &PbFile, want: &PbFile, what: &str) {
    assert_eq!(got.meta, want.meta, "{what}: META");
    assert_eq!(got.budget, want.budget, "{what}: budget");
    assert_eq!(got.vote_type, want.vote_type, "{what}: vote_type");
    assert_eq!(got.project_columns, want.project_columns, "{what}: PROJECTS header");
    assert_eq!(got.projects.len(), want.projects.len(), "{what}: number of projects");
    for (g, w) in got.projects.iter().zip(&want.projects) {
        assert_eq!(g, w, "{what}: project {}", w.id);
    }
    assert_eq!(got.vote_columns, want.vote_columns, "{what}: VOTES header");
    assert_eq!(got.votes.len(), want.votes.len(), "{what}: number of votes");
    for (g, w) in got.votes.iter().zip(&want.votes) {
        assert_eq!(g, w, "{what}: voter {}", w.voter_id);
    }
}

/// The lines of a `.pb` file with the VOTES rows sorted: what a stable export would be.
fn votes_sorted(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(at) = lines.iter().position(|l| l.trim() == "VOTES") {
        // The section's name and its header line stay in place.
        let start = (at + 2).min(lines.len());
        lines[start..].sort_unstable();
    }
    lines
}

/// Import → export → import → export: the export parses to the original file by value (projects,
/// costs, columns, votes and META), and the two exports hold the same lines.
async fn round_trips(app: &TestApp, who: &User, id: &str, file: &str, original: &str) {
    let started = Instant::now();
    let first = export(app, id, file).await;
    let want = by_value(original, file);
    assert_same_file(&by_value(&first, file), &want, &format!("{file}, exported"));
    let again = import(app, who, &first, &format!("{file}, re-imported")).await;
    let second = export(app, &again, file).await;
    assert_same_file(&by_value(&second, file), &want, &format!("{file}, exported twice"));
    // Byte for byte but the order of the VOTES rows, which follows the random ballot ids.
    let (a, b) = (votes_sorted(&first), votes_sorted(&second));
    assert_eq!(a.len(), b.len(), "{file}: the exports' lengths");
    if let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) {
        panic!("{file}: the two exports differ:\n{}\n{}", a[i], b[i]);
    }
    eprintln!("{file}: round trip in {:.1?}", started.elapsed());
}

/// One file: imported as staff, compared with the reference, exported and re-imported.
async fn check_instance(app: &TestApp, file: &str) {
    let official = staff(app).await;
    let text = read_instance(file);
    let started = Instant::now();
    let id = import(app, &official, &text, file).await;
    eprintln!("{file}: imported in {:.1?}", started.elapsed());
    matches_reference(app, &official, &id, file).await;
    round_trips(app, &official, &id, file, &text).await;
}

/// One test per file, on both databases, or on SQLite only for the largest files (see their use).
macro_rules! instance {
    ($name:ident, $file:literal) => {
        on_both_databases! {
            async fn $name(app) {
                check_instance(&app, $file).await;
            }
        }
    };
    ($name:ident, $file:literal, sqlite_only) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await.expect("sqlite app");
                super::check_instance(&app, $file).await;
            }
        }
    };
}

instance!(reference_czestochowa_2020_grabowka, "Poland_Czestochowa_2020_Grabowka.pb");
instance!(reference_warszawa_2019_las, "Poland_Warszawa_2019_Las.pb");
instance!(reference_gdansk_2020_oliwa, "Poland_Gdansk_2020_Oliwa.pb");
instance!(reference_krakow_2024_stare_miasto, "Poland_Krakow_2024_Stare_Miasto.pb");
instance!(reference_swiecie_2023, "Poland_Swiecie_2023.pb");
instance!(reference_wieliczka_2023_green_budget, "Poland_Wieliczka_2023_Green_Budget.pb");
instance!(reference_warszawa_2026_mokotow, "Poland_Warszawa_2026_Mokotow.pb");
instance!(reference_gdansk_2020, "Poland_Gdansk_2020.pb");
instance!(reference_czestochowa_2024, "Poland_Czestochowa_2024.pb");
// The LARGE files on SQLite only: in a debug build on 2 shared cores each takes 3–5 minutes
// (Łódź 2022: import 22 s, three rules 105 s, round trip 79 s), twice that on both databases; the
// import and export paths they exercise are the same on PostgreSQL, checked by the files above.
// `.config/nextest.toml` gives these three a longer timeout.
instance!(reference_krakow_2024, "Poland_Krakow_2024.pb", sqlite_only);
instance!(reference_warszawa_2026, "Poland_Warszawa_2026.pb", sqlite_only);
instance!(reference_lodz_2022, "Poland_Lodz_2022.pb", sqlite_only);

#[test]
fn every_instance_has_a_test_and_every_skip_is_in_the_reference() {
    let mut on_disk: Vec<String> = std::fs::read_dir(instances())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".pb"))
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, ALL_FILES, "a test per file: add an `instance!` line for a new file");
    let reference = reference();
    for file in ALL_FILES {
        assert!(reference["instances"][file]["rules"].is_object(), "{file}: no reference outcomes");
    }
    for (file, rule) in SKIPPED {
        assert!(
            reference["instances"][file]["rules"][rule].is_object(),
            "skipped {file} {rule} is not in the reference"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The cities' own results

/// Every file of `tests/data/pb-official`.
const OFFICIAL_FILES: &[&str] = &[
    "Poland_Czestochowa_2024_Tysiaclecie.pb",
    "Poland_Czestochowa_2024_Wyczerpy_-_Aniolow.pb",
    "Poland_Czestochowa_2025_Grabowka.pb",
    "Poland_Czestochowa_2025_Tysiaclecie.pb",
    "Poland_Gdynia_2022_Wielki_Kack__large.pb",
    "Poland_Gdynia_2024_Obluze__small.pb",
    "Poland_Katowice_2022_Szopienice_-_Burowiec.pb",
    "Poland_Katowice_2024_Podlesie.pb",
    "Poland_Krakow_2019_Mistrzejowice.pb",
    "Poland_Krakow_2022_Biezanow-Prokocim.pb",
    "Poland_Lodz_2022_Nowosolna.pb",
    "Poland_Lodz_2025_Srodmiescie-Wschod.pb",
    "Poland_Warszawa_2017_Zoliborz_Centralny.pb",
    "Poland_Warszawa_2018_Aleksandrow.pb",
    "Poland_Warszawa_2018_Obszar_1-Zoliborz_Centralny.pb",
    "Poland_Warszawa_2019_Radosc.pb",
    "Poland_Wroclaw_2016_Rejon_nr_2_250.pb",
    "Poland_Wroclaw_2017_Rejon_nr_7_750.pb",
];

/// The rule and threshold a file's META names, as the process should have them.
fn meta_rule(pb: &PbFile) -> (&'static str, u64) {
    let rule = match pb.meta("rule").unwrap_or_default() {
        "greedy" | "greedy-threshold" => "greedy",
        "greedy-no-skip" => "greedy_no_skip",
        other => panic!("an official file with rule {other}"),
    };
    (rule, pb.meta("min_project_score_threshold").map_or(0, |t| t.parse().unwrap()))
}

on_both_databases! {
    async fn every_official_election_selects_the_winners_the_city_funded(app) {
        let official_user = staff(&app).await;
        let mut on_disk: Vec<String> = std::fs::read_dir(official())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".pb"))
            .collect();
        on_disk.sort();
        assert_eq!(on_disk, OFFICIAL_FILES, "a new file in tests/data/pb-official: list it here");
        let (mut skipping, mut no_skip, mut threshold) = (0, 0, 0);
        for file in OFFICIAL_FILES {
            let text = std::fs::read_to_string(official().join(file)).unwrap();
            let pb = pabulib::parse(&text).unwrap();
            let funded: Vec<String> = (0..pb.projects.len())
                .filter(|&i| pb.project_field(i, "selected").map(str::trim) == Some("1"))
                .map(|i| pb.projects[i].id.clone())
                .collect();
            assert!(!funded.is_empty(), "{file}: the city funded nothing?");
            let id = import(&app, &official_user, &text, file).await;
            let process: Value = app.get(&format!("{BUDGETS}/{id}"), None).await.json().await.unwrap();
            let (rule, min_score) = meta_rule(&pb);
            assert_eq!((process["outcome_rule"].as_str(), process["min_score"].as_u64()), (Some(rule), Some(min_score)), "{file}");
            if pb.vote_type.as_str() == "ordinal" {
                // Kraków: rank i scores max_length - i + 1.
                assert_eq!(process["ballot_rule"], serde_json::json!({"kind": "ranking", "scores": [3, 2, 1]}), "{file}");
            }
            let r = own_result(&app, &id, file).await;
            assert_eq!((r["rule"].as_str(), r["min_score"].as_u64()), (Some(rule), Some(min_score)), "{file}");
            let got = codes(&r);
            assert_eq!(sorted(got.clone()), sorted(funded), "{file}: {rule}, threshold {min_score}: the city's winners");
            // In selection order: by decreasing score, as the projects list has them.
            let score = |code: &str| {
                let p = r["projects"].as_array().unwrap().iter().find(|p| p["code"] == code).unwrap();
                p["score"].as_str().unwrap().parse::<f64>().unwrap()
            };
            assert!(got.windows(2).all(|w| score(&w[0]) >= score(&w[1])), "{file}: selection order {got:?}");
            // The projects list is in the order the rule took them: the score, then the code.
            let listed: Vec<f64> = r["projects"].as_array().unwrap().iter().map(|p| p["score"].as_str().unwrap().parse().unwrap()).collect();
            assert!(listed.windows(2).all(|w| w[0] >= w[1]), "{file}: projects by score");
            match rule {
                "greedy_no_skip" => no_skip += 1,
                _ => skipping += 1,
            }
            if min_score > 0 {
                threshold += 1;
                // The threshold is on the score: every project below it is out.
                for p in r["projects"].as_array().unwrap() {
                    let below = p["score"].as_str().unwrap().parse::<f64>().unwrap() < min_score as f64;
                    assert_eq!(p["eligible"], !below, "{file}: {}", p["code"]);
                }
            }
            // Import → export → import: the same file.
            let exported = export(&app, &id, file).await;
            assert_same_file(&by_value(&exported, file), &by_value(&text, file), &format!("{file}, exported"));
            let again = import(&app, &official_user, &exported, &format!("{file}, re-imported")).await;
            assert_eq!(codes(&own_result(&app, &again, file).await), got, "{file}: re-imported, the same winners");
        }
        assert_eq!((skipping, no_skip, threshold), (14, 4, 10), "the rules the files cover");
    }
}

// ---------------------------------------------------------------------------------------------
// Results that cannot be used to stall the server

on_both_databases! {
    async fn only_staff_ask_for_another_rule_or_threshold_and_anyone_for_the_own_result(app) {
        let official_user = staff(&app).await;
        let text = read_instance("Poland_Gdansk_2020_Oliwa.pb");
        let id = import(&app, &official_user, &text, "Oliwa").await;
        let url = |q: &str| format!("{BUDGETS}/{id}/results{q}");
        let resident = app.register("jana@example.sk").await;
        app.grant("mesto", resident.id, &[]).await;
        for q in ["?rule=equal_shares", "?rule=greedy_per_cost", "?min_score=100", "?rule=greedy&min_score=1"] {
            let p = assert_problem(app.get(&url(q), Some(&resident.token)).await, 403).await;
            assert_eq!(p["code"], "forbidden", "{q}");
            let p = assert_problem(app.get(&url(q), None).await, 401).await;
            assert_eq!(p["code"], "unauthorized", "{q}: sign in first");
        }
        // The process's own rule and threshold, named or not, are public.
        let own = own_result(&app, &id, "Oliwa").await;
        assert_eq!(own["rule"], "greedy");
        for q in ["?rule=greedy", "?min_score=0", "?rule=greedy&min_score=0"] {
            let r: Value = serde_json::from_str(&body_of(app.get(&url(q), None).await, 200, q).await).unwrap();
            assert_eq!(codes(&r), codes(&own), "{q}");
        }
        // Staff compare: points per cost is another order (pabutools' greedy) than points.
        let per_cost = winners(&app, &official_user, &id, "greedy_per_cost").await;
        assert_ne!(per_cost, codes(&own), "Oliwa: the cities' greedy and pabutools' differ");
        let r: Value = serde_json::from_str(&body_of(app.get(&url("?min_score=1000000"), Some(&official_user.token)).await, 200, "high").await).unwrap();
        assert!(codes(&r).is_empty() && r["projects"].as_array().unwrap().iter().all(|p| p["eligible"] == false));
    }
}

/// A computation longer than the time limit: 503 `results-busy` with `Retry-After`, and the
/// computation goes on, so that a retry finds its result.
async fn busy_then_cached(backend: crate::helpers::Backend) {
    let Some(app) = crate::helpers::spawn_app_with(backend, |s| s.results_time_limit_ms = 1).await else {
        assert!(std::env::var("CI").is_err(), "PNYX_TEST_POSTGRES_URL is not set under CI");
        return;
    };
    let official_user = staff(&app).await;
    let text = read_instance("Poland_Warszawa_2026_Mokotow.pb");
    let id = import(&app, &official_user, &text, "Mokotów").await;
    let url = format!("{BUDGETS}/{id}/results?rule=equal_shares&min_score=0");
    let res = app.get(&url, Some(&official_user.token)).await;
    let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let p = assert_problem(res, 503).await;
    assert_eq!(p["code"], "results-busy");
    assert_eq!(retry.as_deref(), Some("1"), "Retry-After in seconds");
    let started = Instant::now();
    loop {
        let res = app.get(&url, Some(&official_user.token)).await;
        if res.status().as_u16() == 200 {
            let r: Value = res.json().await.unwrap();
            let reference = reference();
            let want = strings(
                &reference["instances"]["Poland_Warszawa_2026_Mokotow.pb"]["rules"]["equal_shares"]["selection_order"],
            );
            assert_eq!(codes(&r), want, "the result computed in the background");
            break;
        }
        assert_eq!(res.status().as_u16(), 503);
        assert!(started.elapsed().as_secs() < 300, "the computation never finished");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

mod a_computation_over_the_time_limit_is_a_503_and_its_result_is_kept {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::busy_then_cached(crate::helpers::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        super::busy_then_cached(crate::helpers::Backend::Postgres).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Import errors and rights

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut all = Vec::new();
    for t in ["budgets", "budget_proposals", "budget_ballots", "budget_voters"] {
        all.push(app.scalar(&format!("SELECT COUNT(*) FROM {t}")).await);
    }
    all
}

async fn post_pb(app: &TestApp, token: Option<&str>, text: &str) -> reqwest::Response {
    app.request(reqwest::Method::POST, IMPORT, token)
        .header("content-type", "text/plain")
        .body(text.to_owned())
        .send()
        .await
        .unwrap()
}

on_both_databases! {
    async fn a_malformed_pb_is_a_422_naming_the_line_and_changes_nothing_and_only_staff_import(app) {
        let official = staff(&app).await;
        let text = read_instance("Poland_Warszawa_2019_Las.pb");
        let lines: Vec<&str> = text.lines().collect();
        let before = counts(&app).await;

        // A project's cost that is no number (the first project, 1137).
        let cost_line = lines.iter().position(|l| l.starts_with("1137;")).unwrap();
        let mut bad = lines.clone();
        let broken = lines[cost_line].replacen("1137;7000;", "1137;7 000 zł;", 1);
        bad[cost_line] = &broken;
        let p = assert_problem(post_pb(&app, Some(&official.token), &bad.join("\n")).await, 422).await;
        assert_eq!(error_fields(&p), vec!["body"]);
        let message = p["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("line {}:", cost_line + 1)), "names the line: {message}");

        // The last vote names a project that is not in the file: found only after all the rest.
        let last = lines.len() - 1;
        let mut bad = lines.clone();
        let mut fields: Vec<&str> = lines[last].split(';').collect();
        fields[1] = "1137,9999";
        let broken = fields.join(";");
        bad[last] = &broken;
        let p = assert_problem(post_pb(&app, Some(&official.token), &bad.join("\n")).await, 422).await;
        let message = p["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("line {}:", last + 1)) && message.contains("9999"), "{message}");

        // Not a pabulib file at all.
        let p = assert_problem(post_pb(&app, Some(&official.token), "project_id;cost\n1;2\n").await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("line 1"), "{p}");
        assert_eq!(counts(&app).await, before, "a refused import leaves no row behind");

        // Residents and strangers may not import; nothing changes either.
        let resident = app.register("jana@example.sk").await;
        app.grant("mesto", resident.id, &[]).await;
        let relog: Value = app.login("jana@example.sk", crate::helpers::password()).await.json().await.unwrap();
        assert_problem(post_pb(&app, relog["access_token"].as_str(), &text).await, 403).await;
        assert_problem(post_pb(&app, Some(&resident.token), &text).await, 403).await;
        assert_problem(post_pb(&app, None, &text).await, 401).await;
        assert_eq!(counts(&app).await, before);
        let list: Value = app.get(BUDGETS, None).await.json().await.unwrap();
        assert_eq!(list["total"], 0);

        // The intact file goes in.
        import(&app, &official, &text, "Las").await;
        let list: Value = app.get(BUDGETS, None).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
    }
}

// ---------------------------------------------------------------------------------------------
// pabutools itself

/// The Python that has pabutools: `PNYX_PABUTOOLS_PYTHON`, else the virtualenv `scripts/setup.sh`
/// makes, else `python3`.
fn pabutools_python() -> PathBuf {
    if let Some(p) = std::env::var_os("PNYX_PABUTOOLS_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("pabutools/.venv/bin/python");
    if venv.exists() { venv } else { PathBuf::from("python3") }
}

/// Whether pabutools can run (`pabutools.election`: a bare `pabutools` would also find the
/// folder `tests/pabutools` from the tests' working directory); with `PNYX_SKIP_PABUTOOLS=1` a
/// missing pabutools skips the test loudly, otherwise it fails it.
fn pabutools_available() -> bool {
    let python = pabutools_python();
    let ok = std::process::Command::new(&python)
        .args(["-c", "import pabutools.election"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return true;
    }
    if std::env::var("PNYX_SKIP_PABUTOOLS").as_deref() == Ok("1") {
        eprintln!(
            "\n!!!!!!!! SKIPPED: pabutools is not importable by {} and PNYX_SKIP_PABUTOOLS=1: \
             our winners were NOT compared with pabutools run live !!!!!!!!\n",
            python.display()
        );
        return false;
    }
    panic!(
        "pabutools is not importable by {}: run scripts/setup.sh (or set PNYX_PABUTOOLS_PYTHON, \
         or PNYX_SKIP_PABUTOOLS=1 to skip this comparison)",
        python.display()
    );
}

/// pabutools' winners in selection order, from `tests/pabutools/outcomes.py`.
async fn pabutools_winners(file: &str, rule: &str) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("pabutools/outcomes.py");
    let path = instances().join(file);
    let rule_arg = rule.to_owned();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(pabutools_python()).arg(script).arg(path).arg(rule_arg).output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "pabutools on {file} {rule}: {}{stdout}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{file} {rule}: {e}: {stdout}"));
    strings(&v["selection_order"])
}

/// The tiny and small files, where pabutools takes well under a second per rule.
const SMALL: &[&str] = &[
    "Poland_Czestochowa_2020_Grabowka.pb",
    "Poland_Warszawa_2019_Las.pb",
    "Poland_Gdansk_2020_Oliwa.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Krakow_2024_Stare_Miasto.pb",
];

/// The rules `outcomes.py` computes (`equal_shares` takes pabutools minutes); its `greedy` is our
/// `greedy_per_cost`.
const PABUTOOLS_RULES: &[&str] = &["greedy", "equal_shares_plain", "equal_shares_greedy"];

on_both_databases! {
    async fn the_small_instances_have_the_winners_pabutools_computes_now(app) {
        if !pabutools_available() {
            return;
        }
        let official = staff(&app).await;
        for file in SMALL {
            let text = read_instance(file);
            let vote_type = pabulib::parse(&text).unwrap().vote_type.as_str();
            let id = import(&app, &official, &text, file).await;
            for rule in PABUTOOLS_RULES {
                let Some(ours_rule) = our_rule(rule, vote_type) else { continue };
                let theirs = pabutools_winners(file, rule).await;
                let ours = winners(&app, &official, &id, ours_rule).await;
                assert_eq!(sorted(ours.clone()), sorted(theirs.clone()), "{file} {rule}: the winners (as a set), ours vs pabutools");
                assert_eq!(ours, theirs, "{file} {rule}: the selection order, ours vs pabutools");
                eprintln!("{file} {rule}: {} winners as pabutools", ours.len());
            }
        }
    }
}
