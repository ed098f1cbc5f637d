use chrono::{Duration, Utc};
use futures_util::future::join_all;
use icalendar::{Calendar, CalendarComponent, Component};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields};
use crate::on_both_databases;

pub(crate) fn meeting(starts_in_hours: i64, capacity: Option<u32>) -> Value {
    let start = Utc::now() + Duration::hours(starts_in_hours);
    json!({
        "title": {"sk": "Diskusné podujatie OGP", "en": "OGP discussion event"},
        "description": {"sk": "Jadro+ a jeho úlohy"},
        "kind": "hybrid", "address": "Československej armády 26, Banská Bystrica",
        "online_url": "https://meet.example.sk/ogp", "link_for_registrants_only": true,
        "starts_at": start, "ends_at": start + Duration::hours(2),
        "organiser": "Mesto Banská Bystrica",
        "agenda": [{"title": {"sk": "Úvod"}, "duration_minutes": 15}],
        "registration_open": true, "capacity": capacity
    })
}

pub(crate) async fn create(app: &TestApp, official: &User, body: &Value) -> String {
    let res = app.post("/api/v1/orgs/mesto/meetings", Some(&official.token), body).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

on_both_databases! {
    async fn a_resident_registers_and_sees_the_link_only_then(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &meeting(48, Some(10))).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let before: Value = app.get(&url, Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(before["online_url"], Value::Null, "link for registrants only");
        assert_eq!(before["time_zone"], "Europe/Bratislava");
        let res = app.post(&format!("{url}/registrations"), Some(&jana.token), &json!({})).await;
        assert_eq!(res.status(), 201);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "confirmed");
        let after: Value = app.get(&url, Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(after["online_url"], "https://meet.example.sk/ogp");
        assert_eq!(after["my_registration"]["status"], "confirmed");
        assert_eq!(after["registrations"]["confirmed"], 1);
        assert_eq!(after["registrations"]["seats_left"], 9);
        let p = assert_problem(app.post(&format!("{url}/registrations"), Some(&jana.token), &json!({})).await, 409).await;
        assert_eq!(p["code"], "already-registered");
        assert_problem(app.post(&format!("{url}/registrations"), None, &json!({})).await, 401).await;
    }
}

on_both_databases! {
    async fn a_full_meeting_refuses_or_waitlists_and_a_cancellation_promotes_the_first_waiting(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, Some(1))).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}/registrations");
        let (a, b, c) = (app.register("a@example.sk").await, app.register("b@example.sk").await, app.register("c@example.sk").await);
        assert_eq!(app.post(&url, Some(&a.token), &json!({})).await.status(), 201);
        let p = assert_problem(app.post(&url, Some(&b.token), &json!({})).await, 409).await;
        assert_eq!(p["code"], "meeting-full");
        assert!(p["detail"].as_str().unwrap().contains("waiting list"));
        let res: Value = app.post(&url, Some(&b.token), &json!({"join_waiting_list": true})).await.json().await.unwrap();
        assert_eq!((res["status"].as_str(), res["position"].as_u64()), (Some("waitlisted"), Some(1)));
        let res: Value = app.post(&url, Some(&c.token), &json!({"join_waiting_list": true})).await.json().await.unwrap();
        assert_eq!(res["position"], 2);

        assert_eq!(app.delete(&format!("{url}/me"), Some(&a.token)).await.status(), 204);
        let m: Value = app.get(&format!("/api/v1/orgs/mesto/meetings/{id}"), Some(&b.token)).await.json().await.unwrap();
        assert_eq!(m["my_registration"]["status"], "confirmed", "b moved up");
        assert_eq!(m["registrations"]["confirmed"], 1);
        assert_eq!(m["registrations"]["waitlisted"], 1);
        let notes: Value = app.get("/api/v1/me/notifications", Some(&b.token)).await.json().await.unwrap();
        assert_eq!(notes["items"][0]["kind"], "meeting.seat_confirmed");
        let m: Value = app.get(&format!("/api/v1/orgs/mesto/meetings/{id}"), Some(&c.token)).await.json().await.unwrap();
        assert_eq!(m["my_registration"]["position"], 1);
        assert_problem(app.delete(&format!("{url}/me"), Some(&a.token)).await, 404).await;
    }
}

on_both_databases! {
    async fn a_hundred_simultaneous_sign_ups_for_the_last_seat_leave_exactly_one_confirmed(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let mut body = meeting(48, Some(3));
        body["waiting_list"] = json!(false);
        let id = create(&app, &official, &body).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}/registrations");
        let early = [app.register("early1@example.sk").await, app.register("early2@example.sk").await];
        for u in &early {
            assert_eq!(app.post(&url, Some(&u.token), &json!({})).await.status(), 201);
        }
        let mut people = Vec::new();
        for i in 0..100 {
            people.push(app.register(&format!("p{i}@example.sk")).await);
        }
        let empty = json!({});
        let statuses: Vec<u16> = join_all(people.iter().map(|u| app.post(&url, Some(&u.token), &empty)))
            .await
            .iter()
            .map(|r| r.status().as_u16())
            .collect();
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
        let list: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 3, "capacity held");
        let m: Value = app.get(&format!("/api/v1/orgs/mesto/meetings/{id}"), None).await.json().await.unwrap();
        assert_eq!(m["registrations"]["confirmed"], 3);
    }
}

on_both_databases! {
    async fn registration_rules_closed_deadline_and_cancelled_give_409(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let mut closed = meeting(48, None);
        closed["registration_open"] = json!(false);
        let id = create(&app, &official, &closed).await;
        assert_problem(app.post(&format!("/api/v1/orgs/mesto/meetings/{id}/registrations"), Some(&jana.token), &json!({})).await, 409).await;
        let mut late = meeting(48, None);
        late["registration_deadline"] = json!(Utc::now() - Duration::hours(1));
        let id = create(&app, &official, &late).await;
        let p = assert_problem(app.post(&format!("/api/v1/orgs/mesto/meetings/{id}/registrations"), Some(&jana.token), &json!({})).await, 409).await;
        assert!(p["detail"].as_str().unwrap().contains("deadline"));
    }
}

on_both_databases! {
    async fn cancelling_needs_a_reason_and_tells_the_registrants(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &meeting(48, None)).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        assert_eq!(app.post(&format!("{url}/registrations"), Some(&jana.token), &json!({})).await.status(), 201);
        assert_problem(app.post(&format!("{url}/transitions"), Some(&jana.token), &json!({"to": "cancelled", "reason": "x"})).await, 403).await;
        let p = assert_problem(app.post(&format!("{url}/transitions"), Some(&official.token), &json!({"to": "cancelled"})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["reason"]);
        let p = assert_problem(app.post(&format!("{url}/transitions"), Some(&official.token), &json!({"to": "held"})).await, 409).await;
        assert!(p["detail"].as_str().unwrap().contains("started"));
        let res = app.post(&format!("{url}/transitions"), Some(&official.token), &json!({"to": "cancelled", "reason": "Sála je zaplavená."})).await;
        assert_eq!(res.status(), 200);
        let m: Value = res.json().await.unwrap();
        assert_eq!((m["status"].as_str(), m["cancel_reason"].as_str()), (Some("cancelled"), Some("Sála je zaplavená.")));
        let notes: Value = app.get("/api/v1/me/notifications", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(notes["items"][0]["kind"], "meeting.cancelled");
        assert_eq!(notes["items"][0]["payload"]["reason"], "Sála je zaplavená.");
        assert_problem(app.post(&format!("{url}/transitions"), Some(&official.token), &json!({"to": "held"})).await, 409).await;
        let other = app.register("other@example.sk").await;
        assert_problem(app.post(&format!("{url}/registrations"), Some(&other.token), &json!({})).await, 409).await;
        let ics = app.get(&format!("{url}.ics"), None).await.text().await.unwrap();
        let cal: Calendar = ics.parse().unwrap();
        let e = cal.components.iter().find_map(|c| match c { CalendarComponent::Event(e) => Some(e), _ => None }).unwrap();
        assert_eq!(e.property_value("STATUS"), Some("CANCELLED"));
        assert_eq!(e.get_uid(), Some(format!("meeting-{id}@pnyx").as_str()));
    }
}

on_both_databases! {
    async fn invalid_meetings_are_refused_naming_the_field(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let start = Utc::now() + Duration::days(2);
        let cases = [
            ("ends_at", json!({"ends_at": start - Duration::hours(1)})),
            ("kind", json!({"kind": "telepathic"})),
            ("address", json!({"kind": "in_person", "address": null})),
            ("online_url", json!({"kind": "online", "online_url": null})),
            ("capacity", json!({"capacity": 0})),
            ("agenda[0].duration_minutes", json!({"agenda": [{"title": {"sk": "x"}, "duration_minutes": 0}]})),
        ];
        for (field, change) in cases {
            let mut b = meeting(48, None);
            b["starts_at"] = json!(start);
            b["ends_at"] = json!(start + Duration::hours(2));
            for (k, v) in change.as_object().unwrap() {
                b[k] = v.clone();
            }
            let p = assert_problem(app.post("/api/v1/orgs/mesto/meetings", Some(&official.token), &b).await, 422).await;
            assert_eq!(error_fields(&p), vec![field.to_owned()], "{field}");
        }
        let list: Value = app.get("/api/v1/orgs/mesto/meetings", None).await.json().await.unwrap();
        assert_eq!(list["total"], 0);
    }
}

on_both_databases! {
    async fn capacity_cannot_drop_below_registrations_and_edits_honour_if_match(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, Some(5))).await;
        for i in 0..3 {
            let u = app.register(&format!("r{i}@example.sk")).await;
            app.post(&format!("/api/v1/orgs/mesto/meetings/{id}/registrations"), Some(&u.token), &json!({})).await;
        }
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let p = assert_problem(app.patch(&url, Some(&official.token), &json!({"capacity": 2})).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains('3'));
        let tag = app.get(&url, None).await.headers().get("etag").unwrap().to_str().unwrap().to_owned();
        let edit = |t: String, cap: u32| app.request(reqwest::Method::PATCH, &url, Some(&official.token)).header("If-Match", t).json(&json!({"capacity": cap})).send();
        let res = edit(tag.clone(), 3).await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["registrations"]["seats_left"], 0);
        assert_problem(edit(tag, 4).await.unwrap(), 412).await;
        let other = app.org_with_member("jine", "official@jine.sk", &["official"]).await;
        assert_problem(app.patch(&url, Some(&other.token), &json!({"capacity": 9})).await, 403).await;
        assert_problem(app.get(&url.replace("mesto", "jine"), None).await, 404).await;
    }
}

on_both_databases! {
    async fn minutes_are_sanitised_and_activities_gather_co_owners(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let future = create(&app, &official, &meeting(48, None)).await;
        let minutes = json!({"minutes": {"sk": "<p>22 účastníkov</p><script>alert(1)</script><img src=x onerror=alert(1)>"}, "attendance": 22,
            "attachments": [{"title": "Vizuálny záznam", "url": "https://example.sk/zaznam.png", "kind": "image"}]});
        assert_problem(app.put(&format!("/api/v1/orgs/mesto/meetings/{future}/minutes"), Some(&official.token), &minutes).await, 409).await;
        let past = create(&app, &official, &meeting(-3, None)).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{past}");
        let m: Value = app.put(&format!("{url}/minutes"), Some(&official.token), &minutes).await.json().await.unwrap();
        let html = m["minutes"]["sk"].as_str().unwrap();
        assert!(html.contains("22 účastníkov") && !html.contains("script") && !html.contains("onerror"), "{html}");
        assert_eq!(m["attendance"], 22);

        let jana = app.register("jana@example.sk").await;
        assert_problem(app.post(&format!("{url}/activities"), Some(&jana.token), &json!({"title": {"sk": "x"}})).await, 403).await;
        let a: Value = app.post(&format!("{url}/activities"), Some(&official.token), &json!({"title": {"sk": "Participatívna stratégia"}})).await.json().await.unwrap();
        let join = format!("{url}/activities/{}/co-owners", a["id"].as_str().unwrap());
        assert_eq!(app.post(&join, Some(&jana.token), &json!({"note": "Pomôžem"})).await.status(), 204);
        assert_problem(app.post(&join, Some(&jana.token), &json!({})).await, 409).await;
        assert_problem(app.post(&join, None, &json!({})).await, 401).await;
        let list: Value = app.get(&format!("{url}/activities"), Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(list["items"][0]["co_owners"], json!([{"display_name": "jana", "note": "Pomôžem"}]));
        assert_eq!(list["items"][0]["joined"], true);
        assert_eq!(app.delete(&format!("{join}/me"), Some(&jana.token)).await.status(), 204);
        let list: Value = app.get(&format!("{url}/activities"), None).await.json().await.unwrap();
        assert_eq!(list["items"][0]["co_owners"], json!([]));
        let unknown = format!("{url}/activities/{}/co-owners", uuid::Uuid::now_v7());
        assert_problem(app.post(&unknown, Some(&jana.token), &json!({})).await, 404).await;
    }
}

on_both_databases! {
    async fn staff_export_registrations_and_residents_cannot(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &meeting(48, None)).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}/registrations");
        app.post(&url, Some(&jana.token), &json!({})).await;
        assert_problem(app.get(&url, Some(&jana.token)).await, 403).await;
        assert_problem(app.get(&format!("{url}.csv"), Some(&jana.token)).await, 403).await;
        let res = app.get(&format!("{url}.csv"), Some(&official.token)).await;
        assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("display_name,email,status,registered_at"));
        assert!(lines.next().unwrap().starts_with("jana,jana@example.sk,confirmed,"));
    }
}

on_both_databases! {
    async fn upcoming_and_range_filters_select_meetings_and_the_feed_includes_them(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let past = create(&app, &official, &meeting(-72, None)).await;
        let soon = create(&app, &official, &meeting(24, None)).await;
        let list: Value = app.get("/api/v1/orgs/mesto/meetings?upcoming=true", None).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], soon);
        let all: Value = app.get("/api/v1/orgs/mesto/meetings", None).await.json().await.unwrap();
        assert_eq!(all["items"][0]["id"], past, "by start time");
        let feed: Calendar = app.get("/api/v1/orgs/mesto/calendar.ics", None).await.text().await.unwrap().parse().unwrap();
        let uids: Vec<String> = feed.components.iter().filter_map(|c| match c { CalendarComponent::Event(e) => e.get_uid().map(str::to_owned), _ => None }).collect();
        assert!(uids.contains(&format!("meeting-{past}@pnyx")) && uids.contains(&format!("meeting-{soon}@pnyx")), "{uids:?}");
    }
}

on_both_databases! {
    async fn the_can_flags_follow_the_callers_powers(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let jana = app.register("jana@example.sk").await;
        let id = create(&app, &official, &meeting(48, None)).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let can = |m: Value| m["can"].clone();
        let staff = json!({"edit": true, "cancel": true, "register": true, "record_minutes": true, "see_registrations": true});
        assert_eq!(can(app.get(&url, Some(&official.token)).await.json().await.unwrap()), staff);
        let resident = json!({"edit": false, "cancel": false, "register": true, "record_minutes": false, "see_registrations": false});
        assert_eq!(can(app.get(&url, Some(&jana.token)).await.json().await.unwrap()), resident);
        let anonymous = json!({"edit": false, "cancel": false, "register": false, "record_minutes": false, "see_registrations": false});
        assert_eq!(can(app.get(&url, None).await.json().await.unwrap()), anonymous);
        let list: Value = app.get("/api/v1/orgs/mesto/meetings", Some(&jana.token)).await.json().await.unwrap();
        assert_eq!(list["items"][0]["can"], resident);
        // The flags say what the endpoints decide.
        assert_problem(app.patch(&url, Some(&jana.token), &json!({"capacity": 9})).await, 403).await;
        assert_eq!(app.patch(&url, Some(&official.token), &json!({"capacity": 9})).await.status(), 200);
    }
}

on_both_databases! {
    async fn links_name_resources_of_the_same_organisation_each_once(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let (plan, commitment) = crate::action_plans::plan_with_commitment(&app, &official, true).await;
        let mut body = meeting(48, None);
        body["links"] = json!([{"type": "action_plan", "id": plan}, {"type": "commitment", "id": commitment}]);
        let id = create(&app, &official, &body).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let m: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(m["links"], body["links"]);

        // Another organisation's plan, an id of nothing, a plan named as a budget, a repeat.
        let other = app.org_with_member("ine", "official@ine.sk", &["official"]).await;
        let theirs = app.post("/api/v1/orgs/ine/action-plans", Some(&other.token), &json!({
            "title": {"sk": "Iný plán"}, "start_date": "2021-08-01", "end_date": "2022-08-31"
        })).await;
        assert_eq!(theirs.status(), 201);
        let theirs = theirs.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let nobody = uuid::Uuid::now_v7().to_string();
        let before = app.scalar("SELECT COUNT(*) FROM meetings").await;
        for (links, field) in [
            (json!([{"type": "action_plan", "id": theirs}]), "links[0].id"),
            (json!([{"type": "consultation", "id": nobody}]), "links[0].id"),
            (json!([{"type": "budget", "id": plan}]), "links[0].id"),
            (json!([{"type": "action_plan", "id": plan}, {"type": "action_plan", "id": plan}]), "links[1]"),
        ] {
            let mut bad = meeting(48, None);
            bad["links"] = links.clone();
            let p = assert_problem(app.post("/api/v1/orgs/mesto/meetings", Some(&official.token), &bad).await, 422).await;
            assert_eq!(error_fields(&p), vec![field], "{links}");
            let p = assert_problem(app.patch(&url, Some(&official.token), &json!({"links": links})).await, 422).await;
            assert_eq!(error_fields(&p), vec![field]);
        }
        let mut bad = meeting(48, None);
        bad["links"] = json!([{"type": "petition", "id": plan}]);
        let res = app.post("/api/v1/orgs/mesto/meetings", Some(&official.token), &bad).await;
        assert!(res.status().is_client_error(), "an unknown kind is refused");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM meetings").await, before, "nothing stored");
        let m: Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(m["links"], body["links"], "the links are unchanged");
        // Taking every link off is a change like any other.
        let res = app.patch(&url, Some(&official.token), &json!({"links": []})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["links"], json!([]));
    }
}

on_both_databases! {
    async fn the_registrations_file_writes_a_name_that_looks_like_a_formula_as_text(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, Some(10))).await;
        let mallory = app.register("mallory@example.sk").await;
        let name = "=HYPERLINK(\"https://evil.example\",\"x\")";
        let res = app.patch("/api/v1/me", Some(&mallory.token), &json!({"display_name": name})).await;
        assert_eq!(res.status(), 200);
        let jana = app.register("jana@example.sk").await;
        let res = app.patch("/api/v1/me", Some(&jana.token), &json!({"display_name": "Jana -- Nováková"})).await;
        assert_eq!(res.status(), 200);
        let url = format!("/api/v1/orgs/mesto/meetings/{id}/registrations");
        for who in [&mallory, &jana] {
            assert_eq!(app.post(&url, Some(&who.token), &json!({})).await.status(), 201);
        }
        let res = app.get(&format!("{url}.csv"), Some(&official.token)).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        let csv = res.text().await.unwrap();
        let mut rows = csv::Reader::from_reader(csv.as_bytes());
        let names: Vec<String> = rows.records().map(|r| r.unwrap()[0].to_owned()).collect();
        assert!(names.contains(&format!("'{name}")), "the formula is text: {csv}");
        assert!(names.contains(&"Jana -- Nováková".to_owned()), "other names as written: {csv}");
        assert!(!names.iter().any(|n| n.starts_with('=')), "{csv}");
    }
}

on_both_databases! {
    async fn a_link_that_is_not_a_web_address_is_refused_and_nothing_changes(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let before = app.scalar("SELECT COUNT(*) FROM meetings").await;
        for url in ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"] {
            let mut body = meeting(48, None);
            body["online_url"] = json!(url);
            let p = assert_problem(app.post("/api/v1/orgs/mesto/meetings", Some(&official.token), &body).await, 422).await;
            assert_eq!(error_fields(&p), vec!["online_url"], "{url}");
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM meetings").await, before);
        let id = create(&app, &official, &meeting(48, None)).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let p = assert_problem(app.patch(&url, Some(&official.token), &json!({"online_url": "javascript:alert(1)"})).await, 422).await;
        assert_eq!(error_fields(&p), vec!["online_url"]);
        let p = assert_problem(app.put(&format!("{url}/minutes"), Some(&official.token), &json!({
            "minutes": {"sk": "Zápisnica"}, "attachments": [{"title": "Foto", "url": "javascript:alert(1)", "kind": "image"}]
        })).await, 422).await;
        assert!(error_fields(&p).iter().any(|f| f.contains("url")), "{p}");
        let m: serde_json::Value = app.get(&url, Some(&official.token)).await.json().await.unwrap();
        assert_eq!(m["online_url"], "https://meet.example.sk/ogp");
    }
}
