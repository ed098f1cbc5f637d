//! Reports, continued: staff answer without changing the status, residents withdraw their
//! support, and the public list and the staff queue paged in the database across every order.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, json_of};
use crate::on_both_databases;
use crate::reports::{advance, category, file, get, move_to, people, report};

const ORG: &str = "/api/v1/orgs/mesto";

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

fn ids(v: &Value) -> Vec<String> {
    v["items"].as_array().unwrap().iter().map(id).collect()
}

on_both_databases! {
    async fn staff_answer_without_changing_the_status_and_it_counts_as_the_first_answer(app) {
        let p = people(&app).await;
        let light = category(&app, &p.official, "Osvetlenie", 10).await;
        let r = file(&app, &p.jana, &report(&light, "Nesvieti lampa")).await;
        let url = format!("{ORG}/resident-reports/{}/answers", id(&r));
        let body = json!({"answer": "Lampa je objednaná, výmena do piatku."});
        assert_problem(app.post(&url, None, &body).await, 401).await;
        for who in [&p.jana, &p.peter] {
            assert_problem(app.post(&url, Some(&who.token), &body).await, 403).await;
        }
        let blank = assert_problem(app.post(&url, Some(&p.official.token), &json!({"answer": "  "})).await, 422).await;
        assert!(error_fields(&blank)[0].starts_with("answer"), "{blank}");
        assert_problem(app.post(&format!("{ORG}/resident-reports/{}/answers", uuid::Uuid::now_v7()), Some(&p.official.token), &body).await, 404).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM report_status_entries").await, 1, "nothing stored on refusal");

        let d = json_of(app.post(&url, Some(&p.official.token), &body).await, 200).await;
        assert_eq!(d["status"], "received", "the status stays");
        let history = d["history"].as_array().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!((history[1]["from"].as_str(), history[1]["to"].as_str()), (Some("received"), Some("received")));
        assert_eq!(history[1]["answer"]["sk"], "Lampa je objednaná, výmena do piatku.");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'report.answered'").await, 1);
        let stats = get(&app, "/resident-reports/stats", None).await;
        assert_eq!((stats["total"]["received"].as_u64(), stats["total"]["answered"].as_u64()), (Some(1), Some(1)));

        // The status graph still applies to moves; a final report may still be answered.
        json_of(move_to(&app, &p.official, &id(&r), &json!({"status": "declined", "answer": "Nie je v správe mesta."})).await, 200).await;
        let d = json_of(app.post(&url, Some(&p.official.token), &json!({"answer": "Postúpené SSE."})).await, 200).await;
        assert_eq!(d["status"], "declined");
        assert_eq!(d["history"].as_array().unwrap().len(), 4);
        // The author hears of each answer.
        let notes = json_of(app.get("/api/v1/me/notifications", Some(&p.jana.token)).await, 200).await;
        assert_eq!(notes["total"], 3, "the answer, the decline and the answer after it: {notes}");
    }
}

on_both_databases! {
    async fn residents_withdraw_their_support_and_the_count_never_goes_below_the_supports(app) {
        let p = people(&app).await;
        let light = category(&app, &p.official, "Osvetlenie", 10).await;
        let r = file(&app, &p.jana, &report(&light, "Nesvieti lampa")).await;
        let url = format!("{ORG}/resident-reports/{}/supports", id(&r));
        assert_problem(app.delete(&url, None).await, 401).await;
        json_of(app.post(&url, Some(&p.peter.token), &json!({})).await, 200).await;
        let both = json_of(app.post(&url, Some(&p.official.token), &json!({})).await, 200).await;
        assert_eq!(both["support_count"], 2);
        let w = json_of(app.delete(&url, Some(&p.peter.token)).await, 200).await;
        assert_eq!((w["support_count"].as_u64(), w["supported"].as_bool()), (Some(1), Some(false)));
        let again = json_of(app.delete(&url, Some(&p.peter.token)).await, 200).await;
        assert_eq!(again["support_count"], 1, "withdrawing twice changes nothing");
        let never = json_of(app.delete(&url, Some(&p.jana.token)).await, 200).await;
        assert_eq!(never["support_count"], 1, "withdrawing a support never given changes nothing");
        let d = get(&app, &format!("/resident-reports/{}", id(&r)), Some(&p.peter.token)).await;
        assert_eq!((d["support_count"].as_u64(), d["supported"].as_bool()), (Some(1), Some(false)));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM report_supports").await, 1);
        assert_problem(app.delete(&format!("{ORG}/resident-reports/{}/supports", uuid::Uuid::now_v7()), Some(&p.peter.token)).await, 404).await;
        // Supporting again after withdrawing counts again.
        let back = json_of(app.post(&url, Some(&p.peter.token), &json!({})).await, 200).await;
        assert_eq!(back["support_count"], 2);
    }
}

/// Follows `next_cursor` from `first` to the end, `limit` at a time.
async fn walk(app: &crate::helpers::TestApp, path: &str, token: Option<&str>) -> (Vec<String>, u64) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut page = get(app, &format!("{path}{sep}limit=2"), token).await;
    let total = page["total"].as_u64().unwrap();
    let mut all = ids(&page);
    while let Some(c) = page["next_cursor"].as_str() {
        page = get(app, &format!("{path}{sep}limit=2&cursor={c}"), token).await;
        assert!(ids(&page).len() <= 2);
        all.extend(ids(&page));
    }
    (all, total)
}

on_both_databases! {
    async fn the_list_and_the_queue_page_in_every_order_without_gaps_or_repeats(app) {
        let mut p = people(&app).await;
        let quick = category(&app, &p.official, "Osvetlenie", 1).await;
        let slow = category(&app, &p.official, "Cesty", 30).await;
        let mut filed = Vec::new();
        for (i, (cat, who)) in [(&slow, &p.jana), (&quick, &p.peter), (&slow, &p.peter), (&quick, &p.jana), (&quick, &p.jana)].into_iter().enumerate() {
            filed.push(id(&file(&app, who, &report(cat, &format!("Hlásenie {i}"))).await));
            app.clock.advance(Duration::seconds(5));
        }
        // Supports: #2 twice, #0 and #4 once.
        for (i, who) in [(2, &p.jana), (2, &p.official), (0, &p.peter), (4, &p.official)] {
            json_of(app.post(&format!("{ORG}/resident-reports/{}/supports", filed[i]), Some(&who.token), &json!({})).await, 200).await;
        }
        let newest: Vec<String> = filed.iter().rev().cloned().collect();
        assert_eq!(walk(&app, "/resident-reports", None).await, (newest, 5));
        assert_eq!(walk(&app, "/resident-reports?sort=oldest", None).await, (filed.clone(), 5));
        let supported = vec![filed[2].clone(), filed[4].clone(), filed[0].clone(), filed[3].clone(), filed[1].clone()];
        assert_eq!(walk(&app, "/resident-reports?sort=supported", None).await, (supported, 5));
        let (roads, n) = walk(&app, &format!("/resident-reports?category={slow}"), None).await;
        assert_eq!((roads, n), (vec![filed[2].clone(), filed[0].clone()], 2));

        // The queue: #3 answered (not overdue); two days later the other quick ones are overdue
        // and come first, oldest first; then the rest, oldest first; a resolved one is not there.
        json_of(move_to(&app, &p.official, &filed[3], &json!({"status": "accepted", "answer": "OK"})).await, 200).await;
        json_of(move_to(&app, &p.official, &filed[0], &json!({"status": "resolved", "answer": "Hotovo"})).await, 200).await;
        advance(&app, &mut p, Duration::days(2)).await;
        let token = Some(p.official.token.as_str());
        let expected = vec![filed[1].clone(), filed[4].clone(), filed[2].clone(), filed[3].clone()];
        assert_eq!(walk(&app, "/resident-reports/queue", token).await, (expected, 4));
        let whole = get(&app, "/resident-reports/queue", token).await;
        let late: Vec<bool> = whole["items"].as_array().unwrap().iter().map(|r| r["overdue"].as_bool().unwrap()).collect();
        assert_eq!(late, vec![true, true, false, false]);
        // One at a time crosses from the overdue to the others too.
        let mut one = get(&app, "/resident-reports/queue?limit=1", token).await;
        let mut seen = ids(&one);
        while let Some(c) = one["next_cursor"].as_str() {
            one = get(&app, &format!("/resident-reports/queue?limit=1&cursor={c}"), token).await;
            seen.extend(ids(&one));
        }
        assert_eq!(seen, vec![filed[1].clone(), filed[4].clone(), filed[2].clone(), filed[3].clone()]);
        let (roads, n) = walk(&app, "/resident-reports/queue?department=Odbor%20Cesty", token).await;
        assert_eq!((roads, n), (vec![filed[2].clone()], 1));
    }
}
