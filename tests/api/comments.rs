//! Comments on public resources, replies, the edit window, tombstones, closed threads, the
//! posting limit, reports, the automatic hold at the threshold, moderation and blocks, the
//! public audit log without residents' identities, and comment counts on the lists.

use chrono::{Duration, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of, password};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";

/// The staff and residents of a test: `official` (official), `moderator` (moderator) and two
/// residents, `jana` and `peter`.
struct People {
    official: User,
    moderator: User,
    jana: User,
    peter: User,
}

async fn people(app: &TestApp) -> People {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let moderator = app.register("moderator@mesto.sk").await;
    app.grant("mesto", moderator.id, &["moderator"]).await;
    People {
        official,
        moderator,
        jana: app.register("jana@example.sk").await,
        peter: app.register("peter@example.sk").await,
    }
}

/// A budget process in its proposals phase with one proposal by `author`: (budget, proposal).
async fn proposal(app: &TestApp, official: &User, author: &User) -> (String, String) {
    let b = crate::budgets::create(
        app,
        official,
        &crate::budgets::process(json!({"kind": "approval", "max_projects": 3}), None),
    )
    .await;
    crate::budgets::to(app, official, &b, "proposals").await;
    let p = crate::budgets::propose(app, author, &b, "Lavičky na námestí", 300_000).await;
    (b, p)
}

async fn meeting(app: &TestApp, official: &User) -> String {
    let start = Utc::now() + Duration::days(3);
    let body = json!({
        "title": {"sk": "Verejné stretnutie"}, "kind": "in_person", "address": "Námestie SNP 1",
        "starts_at": start, "ends_at": start + Duration::hours(2), "organiser": "Mesto"
    });
    json_of(app.post(&format!("{ORG}/meetings"), Some(&official.token), &body).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn consultation(app: &TestApp, official: &User) -> String {
    let now = Utc::now();
    let body = json!({
        "title": {"sk": "Konzultácia k rozpočtu"}, "subject": "budget",
        "opens_at": now - Duration::days(1), "closes_at": now + Duration::days(20)
    });
    json_of(app.post(&format!("{ORG}/consultations"), Some(&official.token), &body).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A commitment of a plan in co-creation (public), or of a draft plan.
async fn commitment(app: &TestApp, official: &User, public: bool) -> String {
    let plan = json!({"title": {"sk": "Akčný plán"}, "start_date": "2026-01-01", "end_date": "2027-12-31"});
    let plan = json_of(app.post(&format!("{ORG}/action-plans"), Some(&official.token), &plan).await, 201).await;
    let plan_id = plan["id"].as_str().unwrap();
    if public {
        let url = format!("{ORG}/action-plans/{plan_id}/transitions");
        json_of(app.post(&url, Some(&official.token), &json!({"to": "co_creation"})).await, 200).await;
    }
    let c =
        json!({"action_plan_id": plan_id, "title": {"sk": "Otvorené dáta"}, "lead": "Mesto", "supporting_actors": []});
    json_of(app.post(&format!("{ORG}/commitments"), Some(&official.token), &c).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn thread(kind: &str, id: &str) -> String {
    format!("{ORG}/threads/{kind}/{id}")
}

async fn post(app: &TestApp, who: &User, kind: &str, id: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("{}/comments", thread(kind, id)), Some(&who.token), body).await
}

async fn comment(app: &TestApp, who: &User, kind: &str, id: &str, text: &str) -> String {
    let c = json_of(post(app, who, kind, id, &json!({"body": text})).await, 201).await;
    c["id"].as_str().unwrap().to_owned()
}

async fn reply(app: &TestApp, who: &User, kind: &str, id: &str, parent: &str, text: &str) -> String {
    let c = json_of(post(app, who, kind, id, &json!({"body": text, "parent_id": parent})).await, 201).await;
    c["id"].as_str().unwrap().to_owned()
}

async fn report(app: &TestApp, who: &User, kind: &str, id: &str, reason: &str) -> reqwest::Response {
    app.post(&format!("{ORG}/reports"), Some(&who.token), &json!({"item_kind": kind, "item_id": id, "reason": reason}))
        .await
}

async fn decide(app: &TestApp, who: &User, kind: &str, id: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("{ORG}/moderation/items/{kind}/{id}/decisions"), Some(&who.token), body).await
}

async fn read(app: &TestApp, url: &str, who: Option<&User>) -> Value {
    json_of(app.get(url, who.map(|u| u.token.as_str())).await, 200).await
}

async fn sign_in(app: &TestApp, email: &str) -> User {
    let body = json_of(app.login(email, password()).await, 200).await;
    crate::helpers::user_from(&body)
}

async fn residents(app: &TestApp, n: usize) -> Vec<User> {
    join_all((0..n).map(|i| async move { app.register(&format!("obyvatel{i}@example.sk")).await })).await
}

async fn audit(app: &TestApp) -> Value {
    read(app, &format!("{ORG}/audit-log?limit=100"), None).await
}

on_both_databases! {
    async fn residents_comment_and_reply_one_level_deep_on_every_public_resource(app) {
        let p = people(&app).await;
        let (_, prop) = proposal(&app, &p.official, &p.jana).await;
        let m = meeting(&app, &p.official).await;
        let c = consultation(&app, &p.official).await;
        let public = commitment(&app, &p.official, true).await;
        let draft = commitment(&app, &p.official, false).await;
        let act = json_of(app.post(&format!("{ORG}/meetings/{m}/activities"), Some(&p.official.token), &json!({"title": {"sk": "Pracovná skupina"}})).await, 201).await;
        let act = act["id"].as_str().unwrap().to_owned();
        for (kind, id) in [("budget_proposal", &prop), ("meeting", &m), ("meeting_activity", &act), ("consultation", &c), ("commitment", &public)] {
            let first = comment(&app, &p.jana, kind, id, &format!("Komentár k {kind}")).await;
            reply(&app, &p.peter, kind, id, &first, "Súhlasím.").await;
            let t = read(&app, &thread(kind, id), None).await;
            assert_eq!(t["total"], 1, "{kind}: one comment that answers nothing");
            assert_eq!(t["items"][0]["body"], format!("Komentár k {kind}"));
            assert_eq!(t["items"][0]["replies"][0]["body"], "Súhlasím.");
            assert_eq!(t["items"][0]["replies"][0]["parent_id"], first.as_str());
            assert_eq!(t["can"], json!({"post": false, "close": false}), "anonymous readers may not post");
        }
        // The draft plan's commitment is not public: no thread, even for its staff.
        assert_problem(app.get(&thread("commitment", &draft), None).await, 404).await;
        assert_problem(post(&app, &p.official, "commitment", &draft, &json!({"body": "x"})).await, 404).await;
        assert_problem(app.get(&thread("meeting", &uuid::Uuid::now_v7().to_string()), None).await, 404).await;
        assert_problem(app.get(&format!("{ORG}/threads/petition/{m}"), None).await, 404).await;
        // Another organisation's meeting is not found through this one.
        app.create_org("inde").await;
        assert_problem(app.get(&format!("/api/v1/orgs/inde/threads/meeting/{m}"), None).await, 404).await;

        // A reply to a reply is refused on parent_id; the staff's comments are official.
        let t = read(&app, &thread("meeting", &m), Some(&p.jana)).await;
        assert_eq!(t["can"]["post"], true);
        let top = t["items"][0]["id"].as_str().unwrap();
        let second = t["items"][0]["replies"][0]["id"].as_str().unwrap();
        assert_eq!(t["items"][0]["can"], json!({"edit": true, "delete": true, "report": false}), "her own");
        assert_eq!(t["items"][0]["replies"][0]["can"], json!({"edit": false, "delete": false, "report": true}));
        let problem = assert_problem(post(&app, &p.jana, "meeting", &m, &json!({"body": "x", "parent_id": second})).await, 422).await;
        assert_eq!(error_fields(&problem), ["parent_id"]);
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("reply"), "{problem}");
        let official = json_of(post(&app, &p.official, "meeting", &m, &json!({"body": "Odpovedáme za mesto.", "parent_id": top})).await, 201).await;
        assert_eq!(official["official"], true);
        assert_eq!(read(&app, &thread("meeting", &m), None).await["items"][0]["replies"][0]["official"], false);

        // Plain text is kept as typed (never interpreted); bad input changes nothing. (A minute
        // later: Jana has posted five comments.)
        app.clock.advance(Duration::seconds(61));
        let html = json_of(post(&app, &p.jana, "meeting", &m, &json!({"body": "  <script>alert(1)</script>  "})).await, 201).await;
        assert_eq!(html["body"], "<script>alert(1)</script>");
        let before = app.scalar("SELECT COUNT(*) FROM comments").await;
        for bad in [json!({"body": "   "}), json!({"body": "x".repeat(2001)}), json!({"body": "x", "parent_id": prop}), json!({"body": "x", "extra": 1})] {
            let problem = assert_problem(post(&app, &p.peter, "meeting", &m, &bad).await, 422).await;
            assert!(!error_fields(&problem).is_empty(), "{problem}");
        }
        assert_problem(app.post(&format!("{}/comments", thread("meeting", &m)), None, &json!({"body": "x"})).await, 401).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM comments").await, before, "nothing stored");
        let ok = json_of(post(&app, &p.peter, "meeting", &m, &json!({"body": "ž".repeat(2000)})).await, 201).await;
        assert_eq!(ok["body"].as_str().unwrap().chars().count(), 2000, "2000 characters are allowed");
    }
}

on_both_databases! {
    async fn the_author_edits_within_fifteen_minutes_and_deleting_leaves_a_tombstone_with_its_replies(app) {
        let p = people(&app).await;
        let m = meeting(&app, &p.official).await;
        let id = comment(&app, &p.jana, "meeting", &m, "Prvá verzia").await;
        reply(&app, &p.peter, "meeting", &m, &id, "Odpoveď ostáva").await;
        let url = format!("{ORG}/comments/{id}");
        assert_problem(app.patch(&url, Some(&p.peter.token), &json!({"body": "cudzia"})).await, 403).await;
        assert_problem(app.patch(&url, Some(&p.jana.token), &json!({"body": " "})).await, 422).await;
        let edited = json_of(app.patch(&url, Some(&p.jana.token), &json!({"body": "Opravená verzia"})).await, 200).await;
        assert_eq!(edited["body"], "Opravená verzia");
        assert!(edited["edited_at"].is_string());

        app.clock.advance(Duration::minutes(16));
        // Access tokens expire by the server's clock: sign in again.
        let jana = sign_in(&app, "jana@example.sk").await;
        let peter = sign_in(&app, "peter@example.sk").await;
        let t = read(&app, &thread("meeting", &m), Some(&jana)).await;
        assert_eq!(t["items"][0]["can"], json!({"edit": false, "delete": true, "report": false}));
        let problem = assert_problem(app.patch(&url, Some(&jana.token), &json!({"body": "Neskoro"})).await, 409).await;
        assert_eq!(problem["code"], "edit-window-over");
        assert_eq!(read(&app, &thread("meeting", &m), None).await["items"][0]["body"], "Opravená verzia", "unchanged");

        assert_problem(app.delete(&url, Some(&peter.token)).await, 403).await;
        assert_eq!(app.delete(&url, Some(&jana.token)).await.status(), 204);
        let t = read(&app, &thread("meeting", &m), None).await;
        assert_eq!(t["items"][0]["state"], "deleted");
        assert_eq!(t["items"][0]["body"], Value::Null);
        assert_eq!(t["items"][0]["author_name"], Value::Null);
        assert_eq!(t["items"][0]["replies"][0]["body"], "Odpoveď ostáva", "replies stay readable");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM comments").await, 2, "the row stays");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM comments WHERE state = 'deleted' AND body IS NULL").await, 1, "its text is gone");
        assert_problem(app.delete(&url, Some(&jana.token)).await, 404).await;
        assert_problem(app.patch(&url, Some(&jana.token), &json!({"body": "späť"})).await, 404).await;
    }
}

on_both_databases! {
    async fn staff_close_and_reopen_a_thread_and_the_public_audit_log_records_it(app) {
        let p = people(&app).await;
        let c = consultation(&app, &p.official).await;
        let url = thread("consultation", &c);
        assert_problem(app.patch(&url, Some(&p.jana.token), &json!({"closed": true})).await, 403).await;
        assert_problem(app.patch(&url, None, &json!({"closed": true})).await, 401).await;
        assert_eq!(read(&app, &url, Some(&p.official)).await["can"]["close"], true);
        assert_eq!(json_of(app.patch(&url, Some(&p.official.token), &json!({"closed": true})).await, 200).await["closed"], true);
        let problem = assert_problem(post(&app, &p.jana, "consultation", &c, &json!({"body": "Ešte niečo"})).await, 409).await;
        assert_eq!(problem["code"], "comments-closed");
        let t = read(&app, &url, Some(&p.jana)).await;
        assert_eq!((t["closed"].clone(), t["can"]["post"].clone()), (json!(true), json!(false)));
        // Moderators may close threads too.
        json_of(app.patch(&url, Some(&p.moderator.token), &json!({"closed": false})).await, 200).await;
        comment(&app, &p.jana, "consultation", &c, "Teraz to ide").await;
        let log = audit(&app).await;
        let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"comments.closed") && actions.contains(&"comments.reopened"), "{actions:?}");
        let closed = log["items"].as_array().unwrap().iter().find(|e| e["action"] == "comments.closed").unwrap();
        assert_eq!((closed["resource_type"].as_str(), closed["resource_id"].as_str()), (Some("consultation"), Some(c.as_str())));
        // The actor by role, never by id.
        assert_eq!(closed["actor_role"], "official");
        assert!(closed.get("actor_id").is_none(), "{closed}");
    }
}

on_both_databases! {
    async fn posting_is_limited_to_five_a_minute_per_account_and_a_retried_post_is_replayed(app) {
        let p = people(&app).await;
        let m = meeting(&app, &p.official).await;
        let key_url = format!("{}/comments", thread("meeting", &m));
        let send = |key: &str| app.request(reqwest::Method::POST, &key_url, Some(&p.jana.token)).header("Idempotency-Key", key.to_owned()).json(&json!({"body": "Raz"})).send();
        let first = json_of(send("k-1").await.unwrap(), 201).await;
        let again = send("k-1").await.unwrap();
        assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
        assert_eq!(json_of(again, 201).await["id"], first["id"], "the same comment");
        for i in 2..=5 {
            comment(&app, &p.jana, "meeting", &m, &format!("Komentár {i}")).await;
        }
        let res = post(&app, &p.jana, "meeting", &m, &json!({"body": "Šiesty"})).await;
        let wait: i64 = res.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(assert_problem(res, 429).await["code"], "rate-limited");
        assert_eq!(read(&app, &thread("meeting", &m), None).await["total"], 5, "the refused one is not stored");
        comment(&app, &p.peter, "meeting", &m, "Iný účet").await;
        app.clock.advance(Duration::seconds(61));
        comment(&app, &p.jana, "meeting", &m, "O minútu neskôr").await;
    }
}

on_both_databases! {
    async fn reports_hold_a_comment_at_the_threshold_until_a_moderator_hides_restores_or_dismisses(app) {
        let p = people(&app).await;
        let m = meeting(&app, &p.official).await;
        let bad = comment(&app, &p.jana, "meeting", &m, "Urážka").await;
        let others = residents(&app, 3).await;
        assert_eq!(report(&app, &others[0], "comment", &bad, "offensive").await.status(), 201);
        let problem = assert_problem(report(&app, &others[0], "comment", &bad, "spam").await, 409).await;
        assert_eq!(problem["code"], "already-reported");
        assert_problem(report(&app, &p.jana, "comment", &bad, "spam").await, 403).await;
        assert_problem(report(&app, &others[1], "comment", &bad, "boring").await, 422).await;
        assert_problem(report(&app, &others[1], "comment", &uuid::Uuid::now_v7().to_string(), "spam").await, 404).await;
        let long = json!({"item_kind": "comment", "item_id": bad, "reason": "other", "details": "x".repeat(501)});
        assert_problem(app.post(&format!("{ORG}/reports"), Some(&others[1].token), &long).await, 422).await;
        assert_problem(app.post(&format!("{ORG}/reports"), None, &json!({"item_kind": "comment", "item_id": bad, "reason": "spam"})).await, 401).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM content_reports").await, 1, "refused reports are not stored");
        let t = read(&app, &thread("meeting", &m), Some(&others[0])).await;
        assert_eq!(t["items"][0]["can"]["report"], false, "reported once");
        assert_eq!(t["items"][0]["state"], "visible", "below the threshold");

        let with_details = json!({"item_kind": "comment", "item_id": bad, "reason": "offensive", "details": "Osobný útok"});
        assert_eq!(app.post(&format!("{ORG}/reports"), Some(&others[1].token), &with_details).await.status(), 201);
        assert_eq!(report(&app, &others[2], "comment", &bad, "spam").await.status(), 201);
        let t = read(&app, &thread("meeting", &m), None).await;
        assert_eq!((t["items"][0]["state"].as_str(), &t["items"][0]["body"]), (Some("under_review"), &Value::Null), "held at 3");

        let queue = read(&app, &format!("{ORG}/moderation/queue"), Some(&p.moderator)).await;
        assert_eq!(queue["total"], 1);
        let item = &queue["items"][0];
        assert_eq!((item["item_kind"].as_str(), item["item_id"].as_str(), item["open_reports"].as_u64()), (Some("comment"), Some(bad.as_str()), Some(3)));
        assert_eq!(item["reasons"], json!({"offensive": 2, "spam": 1}));
        assert_eq!(item["details"], json!(["Osobný útok"]));
        assert_eq!((item["text"].as_str(), item["state"].as_str()), (Some("Urážka"), Some("under_review")));
        assert_eq!(item["author_id"], p.jana.id.to_string());
        assert_eq!(item["link"], json!({"kind": "meeting", "id": m, "within": null}));

        let problem = assert_problem(decide(&app, &p.moderator, "comment", &bad, &json!({"decision": "hide"})).await, 422).await;
        assert_eq!(error_fields(&problem), ["reason"]);
        assert_eq!(decide(&app, &p.moderator, "comment", &bad, &json!({"decision": "hide", "reason": "Urážka iného obyvateľa."})).await.status(), 204);
        let t = read(&app, &thread("meeting", &m), None).await;
        assert_eq!(t["items"][0]["state"], "hidden");
        assert_eq!(t["items"][0]["hidden_reason"], "Urážka iného obyvateľa.");
        assert_eq!(t["items"][0]["body"], Value::Null);
        assert_eq!(read(&app, &format!("{ORG}/moderation/queue"), Some(&p.moderator)).await["total"], 0, "decided");
        assert_eq!(decide(&app, &p.moderator, "comment", &bad, &json!({"decision": "restore"})).await.status(), 204);
        assert_eq!(read(&app, &thread("meeting", &m), None).await["items"][0]["body"], "Urážka");

        // Dismissing the reports of a held comment shows it again.
        let second = comment(&app, &p.peter, "meeting", &m, "Názor").await;
        for who in &others {
            assert_eq!(report(&app, who, "comment", &second, "off_topic").await.status(), 201);
        }
        assert_eq!(read(&app, &thread("meeting", &m), None).await["items"][1]["state"], "under_review");
        assert_eq!(decide(&app, &p.moderator, "comment", &second, &json!({"decision": "dismiss"})).await.status(), 204);
        assert_eq!(read(&app, &thread("meeting", &m), None).await["items"][1]["state"], "visible");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM content_reports WHERE status = 'open'").await, 0);

        // Every act is in the public log, naming the item, never the resident.
        let log = audit(&app).await;
        let mine: Vec<&Value> = log["items"].as_array().unwrap().iter().filter(|e| e["action"].as_str().unwrap().starts_with("moderation.")).collect();
        let actions: Vec<&str> = mine.iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["moderation.reports_dismissed", "moderation.restored", "moderation.hidden"]);
        for e in &mine {
            assert_eq!(e["actor_role"], "moderator");
            assert_eq!(e["resource_type"], "comment");
        }
        let text = log.to_string();
        for resident in [&p.jana, &p.peter, &others[0], &others[1], &others[2]] {
            assert!(!text.contains(&resident.id.to_string()), "the log names no resident");
        }
        let stored = app.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE CAST(details AS TEXT) LIKE '%{0}%' OR resource_id = '{0}'", p.jana.id)).await;
        assert_eq!(stored, 0, "not in the stored details either");
    }
}

on_both_databases! {
    async fn opinions_are_held_and_restored_and_moderators_hide_a_proposals_texts(app) {
        let p = people(&app).await;
        let put = app.put(&format!("{ORG}/moderation/settings"), Some(&p.official.token), &json!({"report_threshold": 2})).await;
        assert_problem(put, 403).await;
        let admin = sign_in(&app, "root-mesto@example.org").await;
        let p2 = app.put(&format!("{ORG}/moderation/settings"), Some(&admin.token), &json!({"report_threshold": 0})).await;
        assert_problem(p2, 422).await;
        assert_eq!(read(&app, &format!("{ORG}/moderation/settings"), Some(&p.moderator)).await["report_threshold"], 3);
        json_of(app.put(&format!("{ORG}/moderation/settings"), Some(&admin.token), &json!({"report_threshold": 2})).await, 200).await;
        assert_eq!(read(&app, &format!("{ORG}/moderation/settings"), Some(&p.moderator)).await["report_threshold"], 2);

        let c = consultation(&app, &p.official).await;
        let opinion = json_of(app.post(&format!("{ORG}/consultations/{c}/opinions"), Some(&p.jana.token), &json!({"text": "Nezmysel"})).await, 201).await;
        let opinion = opinion["id"].as_str().unwrap().to_owned();
        let others = residents(&app, 2).await;
        for who in &others {
            assert_eq!(report(&app, who, "opinion", &opinion, "spam").await.status(), 201);
        }
        let opinions = read(&app, &format!("{ORG}/consultations/{c}/opinions"), None).await;
        assert_eq!(opinions["total"], 0, "held at the organisation's threshold of 2");
        assert_eq!(decide(&app, &p.moderator, "opinion", &opinion, &json!({"decision": "restore"})).await.status(), 204);
        assert_eq!(read(&app, &format!("{ORG}/consultations/{c}/opinions"), None).await["total"], 1);

        let (b, prop) = proposal(&app, &p.official, &p.jana).await;
        assert_eq!(report(&app, &p.peter, "budget_proposal", &prop, "personal_data").await.status(), 201);
        let queue = read(&app, &format!("{ORG}/moderation/queue"), Some(&p.moderator)).await;
        assert_eq!(queue["items"][0]["item_kind"], "budget_proposal");
        assert_eq!(queue["items"][0]["link"], json!({"kind": "budget_proposal", "id": prop, "within": b}));
        assert_eq!(queue["items"][0]["text"], "Lavičky na námestí");
        assert_eq!(decide(&app, &p.moderator, "budget_proposal", &prop, &json!({"decision": "dismiss"})).await.status(), 204);
        assert_eq!(read(&app, &format!("{ORG}/moderation/queue"), Some(&p.moderator)).await["total"], 0);

        // A moderator hides a proposal's texts with a public reason; it keeps its title and place.
        let url = format!("{ORG}/budgets/{b}/proposals/{prop}");
        let reason = "Obsahuje osobné údaje suseda.";
        assert_eq!(decide(&app, &p.moderator, "budget_proposal", &prop, &json!({"decision": "hide", "reason": reason})).await.status(), 204);
        for seen in [read(&app, &url, None).await, read(&app, &url, Some(&p.peter)).await, read(&app, &format!("{ORG}/budgets/{b}/proposals"), None).await["items"][0].clone()] {
            assert_eq!(seen["hidden_reason"], reason);
            assert_eq!(seen["description"], json!({}), "withheld from residents");
            assert_eq!(seen["title"]["sk"], "Lavičky na námestí");
        }
        let staff = read(&app, &url, Some(&p.official)).await;
        assert_eq!((staff["hidden_reason"].as_str(), staff["description"]["sk"].as_str()), (Some(reason), Some("Popis projektu.")), "staff see it all");
        assert_eq!(decide(&app, &p.moderator, "budget_proposal", &prop, &json!({"decision": "restore"})).await.status(), 204);
        let back = read(&app, &url, None).await;
        assert_eq!((back["hidden_reason"].clone(), back["description"]["sk"].clone()), (Value::Null, json!("Popis projektu.")));
        let log = audit(&app).await;
        let on_proposal: Vec<&str> = log["items"].as_array().unwrap().iter().filter(|e| e["resource_id"] == prop.as_str()).map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(on_proposal, ["moderation.restored", "moderation.hidden", "moderation.reports_dismissed"]);
    }
}

on_both_databases! {
    async fn only_the_organisations_moderators_may_moderate(app) {
        let p = people(&app).await;
        let m = meeting(&app, &p.official).await;
        let id = comment(&app, &p.jana, "meeting", &m, "Text").await;
        let block = json_of(app.post(&format!("{ORG}/moderation/blocks"), Some(&p.moderator.token), &json!({"user_id": p.peter.id, "until": Utc::now() + Duration::days(7), "reason": "Spam"})).await, 201).await;
        let block = block["id"].as_str().unwrap().to_owned();
        app.create_org("inde").await;
        let elsewhere = app.register("moderator@inde.sk").await;
        app.grant("inde", elsewhere.id, &["moderator"]).await;
        let hide = json!({"decision": "hide", "reason": "x"});
        let new_block = json!({"user_id": p.jana.id, "until": Utc::now() + Duration::days(1), "reason": "x"});
        let before = app.scalar("SELECT COUNT(*) FROM audit_log").await;
        for who in [Some(&p.jana), Some(&p.official), Some(&elsewhere), None] {
            let t = who.map(|u| u.token.as_str());
            let expected = if who.is_some() { 403 } else { 401 };
            assert_problem(app.get(&format!("{ORG}/moderation/queue"), t).await, expected).await;
            assert_problem(app.post(&format!("{ORG}/moderation/items/comment/{id}/decisions"), t, &hide).await, expected).await;
            assert_problem(app.get(&format!("{ORG}/moderation/blocks"), t).await, expected).await;
            assert_problem(app.post(&format!("{ORG}/moderation/blocks"), t, &new_block).await, expected).await;
            assert_problem(app.delete(&format!("{ORG}/moderation/blocks/{block}"), t).await, expected).await;
            assert_problem(app.get(&format!("{ORG}/moderation/settings"), t).await, expected).await;
            assert_problem(app.put(&format!("{ORG}/moderation/settings"), t, &json!({"report_threshold": 1})).await, expected).await;
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, before, "nothing done");
        assert_eq!(read(&app, &thread("meeting", &m), None).await["items"][0]["state"], "visible");
        assert_eq!(read(&app, &format!("{ORG}/moderation/blocks"), Some(&p.moderator)).await["items"].as_array().unwrap().len(), 1);
    }
}

on_both_databases! {
    async fn a_blocked_resident_cannot_comment_until_the_block_is_lifted(app) {
        let p = people(&app).await;
        let m = meeting(&app, &p.official).await;
        let url = format!("{ORG}/moderation/blocks");
        let until = Utc::now() + Duration::days(7);
        for (bad, field) in [
            (json!({"user_id": p.peter.id, "until": Utc::now() - Duration::days(1), "reason": "Spam"}), "until"),
            (json!({"user_id": uuid::Uuid::now_v7(), "until": until, "reason": "Spam"}), "user_id"),
            (json!({"user_id": p.peter.id, "until": until, "reason": "  "}), "reason"),
        ] {
            assert_eq!(error_fields(&assert_problem(app.post(&url, Some(&p.moderator.token), &bad).await, 422).await), [field]);
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM comment_blocks").await, 0);
        let block = json_of(app.post(&url, Some(&p.moderator.token), &json!({"user_id": p.peter.id, "until": until, "reason": "Opakované urážky"})).await, 201).await;
        let problem = assert_problem(post(&app, &p.peter, "meeting", &m, &json!({"body": "Ahoj"})).await, 403).await;
        assert_eq!(problem["code"], "commenting-blocked");
        assert_eq!(read(&app, &thread("meeting", &m), Some(&p.peter)).await["can"]["post"], false);
        comment(&app, &p.jana, "meeting", &m, "Ja môžem").await;
        let list = read(&app, &url, Some(&p.moderator)).await;
        assert_eq!(list["items"][0]["user_id"], p.peter.id.to_string());
        assert_eq!(list["items"][0]["reason"], "Opakované urážky");

        let id = block["id"].as_str().unwrap();
        assert_eq!(app.delete(&format!("{url}/{id}"), Some(&p.moderator.token)).await.status(), 204);
        assert_problem(app.delete(&format!("{url}/{id}"), Some(&p.moderator.token)).await, 404).await;
        comment(&app, &p.peter, "meeting", &m, "Znova tu").await;
        assert_eq!(read(&app, &url, Some(&p.moderator)).await["items"], json!([]));

        let log = audit(&app).await;
        let entries: Vec<&Value> = log["items"].as_array().unwrap().iter().filter(|e| e["resource_type"] == "comment_block").collect();
        let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["moderation.unblocked", "moderation.blocked"]);
        assert!(entries.iter().all(|e| e["resource_id"] == id), "named by the block");
        assert!(!log.to_string().contains(&p.peter.id.to_string()), "not by the resident");
        let sql = format!("SELECT COUNT(*) FROM audit_log WHERE resource_id = '{}'", p.peter.id);
        assert_eq!(app.scalar(&sql).await, 0);
    }
}

on_both_databases! {
    async fn lists_count_visible_comments_and_proposals_sort_by_them(app) {
        let p = people(&app).await;
        let (b, quiet) = proposal(&app, &p.official, &p.jana).await;
        let busy = crate::budgets::propose(&app, &p.peter, &b, "Ihrisko", 500_000).await;
        let m = meeting(&app, &p.official).await;
        let c = consultation(&app, &p.official).await;
        let k = commitment(&app, &p.official, true).await;
        let first = comment(&app, &p.jana, "budget_proposal", &busy, "Áno").await;
        reply(&app, &p.peter, "budget_proposal", &busy, &first, "Aj ja").await;
        let gone = comment(&app, &p.peter, "budget_proposal", &busy, "Zmažem").await;
        assert_eq!(app.delete(&format!("{ORG}/comments/{gone}"), Some(&p.peter.token)).await.status(), 204);
        comment(&app, &p.jana, "meeting", &m, "Prídem").await;
        comment(&app, &p.jana, "consultation", &c, "Pripomienka").await;
        comment(&app, &p.jana, "commitment", &k, "Kedy?").await;
        comment(&app, &p.peter, "commitment", &k, "Čoskoro").await;

        let props = read(&app, &format!("{ORG}/budgets/{b}/proposals"), None).await;
        let count = |list: &Value, id: &str| list["items"].as_array().unwrap().iter().find(|x| x["id"] == id).unwrap()["comment_count"].clone();
        assert_eq!(count(&props, &busy), 2, "a reply counts, a deleted comment does not");
        assert_eq!(count(&props, &quiet), 0);
        let sorted = read(&app, &format!("{ORG}/budgets/{b}/proposals?sort=most_commented"), None).await;
        assert_eq!(sorted["items"][0]["id"], busy.as_str());
        let reversed = read(&app, &format!("{ORG}/budgets/{b}/proposals?sort=-most_commented"), None).await;
        assert_eq!(reversed["items"][0]["id"], quiet.as_str());
        assert_eq!(count(&read(&app, &format!("{ORG}/meetings"), None).await, &m), 1);
        assert_eq!(count(&read(&app, &format!("{ORG}/consultations"), None).await, &c), 1);
        assert_eq!(count(&read(&app, &format!("{ORG}/commitments"), None).await, &k), 2);
        assert_eq!(read(&app, &format!("{ORG}/budgets/{b}/proposals/{busy}"), None).await["comment_count"], 2);
        assert_eq!(read(&app, &format!("{ORG}/meetings/{m}"), None).await["comment_count"], 1);
        // Each read counts in its own statement's rows: the details, another order, the search.
        assert_eq!(count(&sorted, &busy), 2);
        assert_eq!(read(&app, &format!("{ORG}/consultations/{c}"), None).await["comment_count"], 1);
        assert_eq!(count(&read(&app, &format!("{ORG}/consultations?sort=-closes_at"), None).await, &c), 1);
        assert_eq!(read(&app, &format!("{ORG}/commitments/{k}"), None).await["comment_count"], 2);
    }
}

on_both_databases! {
    async fn concurrent_reports_are_all_counted_and_hold_the_comment_at_the_threshold(app) {
        let p = people(&app).await;
        let admin = sign_in(&app, "root-mesto@example.org").await;
        json_of(app.put(&format!("{ORG}/moderation/settings"), Some(&admin.token), &json!({"report_threshold": 5})).await, 200).await;
        let m = meeting(&app, &p.official).await;
        let below = comment(&app, &p.jana, "meeting", &m, "Štyri hlásenia").await;
        let at = comment(&app, &p.jana, "meeting", &m, "Päť hlásení").await;
        let others = residents(&app, 5).await;
        let sent = join_all(others[..4].iter().map(|u| report(&app, u, "comment", &below, "spam"))).await;
        assert!(sent.iter().all(|r| r.status() == 201));
        let sent = join_all(others.iter().map(|u| report(&app, u, "comment", &at, "spam"))).await;
        assert!(sent.iter().all(|r| r.status() == 201));
        let t = read(&app, &thread("meeting", &m), None).await;
        assert_eq!(t["items"][0]["state"], "visible", "four of five: not held");
        assert_eq!(t["items"][1]["state"], "under_review", "the fifth report holds it, however they raced");
        let queue = read(&app, &format!("{ORG}/moderation/queue?sort=most_reported"), Some(&p.moderator)).await;
        let counts: Vec<u64> = queue["items"].as_array().unwrap().iter().map(|i| i["open_reports"].as_u64().unwrap()).collect();
        assert_eq!(counts, [5, 4], "every report counted once");
        // The same resident racing with themself gets one report in.
        let twice = join_all((0..4).map(|_| report(&app, &p.peter, "comment", &below, "spam"))).await;
        assert_eq!(twice.iter().filter(|r| r.status() == 201).count(), 1);
        assert!(twice.iter().filter(|r| r.status() != 201).all(|r| r.status() == 409));
    }
}
