//! Two servers on one database, requests alternating between them, as behind a proxy: each has
//! its own pool and in-memory caches, and neither may answer from a stale one — but for the
//! organisation as the context of the pages under it, which each keeps for at most a second.

use serde_json::{Value, json};

use crate::budgets::{BUDGETS, ballot, cast, to, voting};
use crate::helpers::{assert_problem, json_of};
use crate::meetings::{create, meeting};
use crate::on_both_databases;

fn choices(b: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        b["choices"].as_array().unwrap().iter().map(|c| c["proposal_id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids
}

on_both_databases! {
    async fn a_ballot_cast_on_one_server_is_the_voters_ballot_on_the_other_and_both_count_the_same(app) {
        let two = app.another_server().await;
        let (official, id, ps) = voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let mut voters = Vec::new();
        for i in 0..6 {
            voters.push(app.register(&format!("volic{i}@example.sk")).await);
        }
        for (i, v) in voters.iter().enumerate() {
            let (first, second) = if i % 2 == 0 { (&app, &two) } else { (&two, &app) };
            json_of(cast(first, v, &id, &ballot(&[&ps[0]])).await, 201).await;
            let seen: Value = json_of(second.get(&format!("{BUDGETS}/{id}/ballot"), Some(&v.token)).await, 200).await;
            assert_eq!(choices(&seen), vec![ps[0].clone()], "cast on one, read on the other");
            // Replaced on the other server: still one ballot, the new one, on both.
            let mut pick = vec![ps[1].clone(), ps[2].clone()];
            json_of(cast(second, v, &id, &ballot(&[&ps[1], &ps[2]])).await, 200).await;
            pick.sort();
            for server in [&app, &two] {
                let seen: Value = json_of(server.get(&format!("{BUDGETS}/{id}/ballot"), Some(&v.token)).await, 200).await;
                assert_eq!(choices(&seen), pick);
            }
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, 6, "one ballot per voter");

        // The vote closes on one server; the other sees it at once and refuses a late ballot.
        to(&two, &official, &id, "results").await;
        let b: Value = json_of(app.get(&format!("{BUDGETS}/{id}"), None).await, 200).await;
        assert_eq!(b["phase"], "results");
        let p = assert_problem(cast(&app, &voters[0], &id, &ballot(&[&ps[0]])).await, 409).await;
        assert_eq!(p["code"], "wrong-phase");

        // Each computes the results from the same ballots (the closing server warmed its cache,
        // the other loads them on the first request): the same count on both.
        let one_results = json_of(app.get(&format!("{BUDGETS}/{id}/results"), None).await, 200).await;
        let two_results = json_of(two.get(&format!("{BUDGETS}/{id}/results"), None).await, 200).await;
        assert_eq!(one_results, two_results);
        let votes = |r: &Value, p: &str| r["projects"].as_array().unwrap().iter().find(|t| t["proposal_id"] == p).unwrap()["votes"].as_u64();
        assert_eq!((votes(&one_results, &ps[0]), votes(&one_results, &ps[1]), votes(&one_results, &ps[2])), (Some(0), Some(6), Some(6)));
    }
}

on_both_databases! {
    async fn a_change_on_one_server_is_read_at_once_on_the_other(app) {
        let two = app.another_server().await;
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, Some(2))).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let residents = [app.register("a@example.sk").await, app.register("b@example.sk").await, app.register("c@example.sk").await];
        for (i, r) in residents.iter().enumerate() {
            let server = if i % 2 == 0 { &app } else { &two };
            json_of(server.post(&format!("{url}/registrations"), Some(&r.token), &json!({"join_waiting_list": true})).await, 201).await;
            let other = if i % 2 == 0 { &two } else { &app };
            let m: Value = json_of(other.get(&url, None).await, 200).await;
            let n = u64::try_from(i).unwrap() + 1;
            assert_eq!(m["registrations"]["confirmed"].as_u64().unwrap() + m["registrations"]["waitlisted"].as_u64().unwrap(), n);
        }
        // An organisation edited on one server, with the ETag read from the other: the other
        // serves the new text and the new ETag at once (no per-process copy).
        let admin = app.register("admin@mesto.sk").await;
        app.grant("mesto", admin.id, &["admin"]).await;
        let etag = two.get("/api/v1/orgs/mesto", None).await.headers()["etag"].to_str().unwrap().to_owned();
        let res = app
            .request(reqwest::Method::PATCH, "/api/v1/orgs/mesto", Some(&admin.token))
            .header("If-Match", etag.clone())
            .json(&json!({"description": {"sk": "Nový popis"}}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let after = two.get("/api/v1/orgs/mesto", None).await;
        assert_ne!(after.headers()["etag"].to_str().unwrap(), etag);
        let after: Value = after.json().await.unwrap();
        assert_eq!(after["description"]["sk"], "Nový popis");
        // The stale ETag is refused by the other server too.
        let res = two
            .request(reqwest::Method::PATCH, "/api/v1/orgs/mesto", Some(&admin.token))
            .header("If-Match", etag)
            .json(&json!({"description": {"sk": "Iný popis"}}))
            .send()
            .await
            .unwrap();
        assert_problem(res, 412).await;
    }
}

on_both_databases! {
    async fn an_organisations_change_reaches_the_pages_under_it_at_once_here_and_within_a_second_there(app) {
        let two = app.another_server().await;
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = create(&app, &official, &meeting(48, Some(2))).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}");
        let zone = |m: Value| m["time_zone"].as_str().expect("a time zone").to_owned();
        // Both servers have read the organisation as the meeting's context.
        assert_eq!(zone(json_of(app.get(&url, None).await, 200).await), "Europe/Bratislava");
        assert_eq!(zone(json_of(two.get(&url, None).await, 200).await), "Europe/Bratislava");
        let admin = app.register("admin@mesto.sk").await;
        app.grant("mesto", admin.id, &["admin"]).await;
        let etag = app.get("/api/v1/orgs/mesto", None).await.headers()["etag"].to_str().unwrap().to_owned();
        let res = app
            .request(reqwest::Method::PATCH, "/api/v1/orgs/mesto", Some(&admin.token))
            .header("If-Match", etag)
            .json(&json!({"time_zone": "Europe/Warsaw"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        // The server that made the change: at once.
        assert_eq!(zone(json_of(app.get(&url, None).await, 200).await), "Europe/Warsaw");
        // The other: within its second (the organisation's own page at once).
        assert_eq!(json_of(two.get("/api/v1/orgs/mesto", None).await, 200).await["time_zone"], "Europe/Warsaw");
        let start = std::time::Instant::now();
        while zone(json_of(two.get(&url, None).await, 200).await) != "Europe/Warsaw" {
            assert!(
                start.elapsed() < pnyx_domain::org::CONTEXT_TTL + std::time::Duration::from_secs(2),
                "the other server still answers with the old organisation"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

on_both_databases! {
    async fn a_server_casting_from_its_ballot_box_follows_a_change_made_on_the_other(app) {
        let two = app.another_server().await;
        let (official, id, ps) = voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let jana = app.register("jana@example.sk").await;
        let peter = app.register("peter@example.sk").await;
        // The first server keeps the process's ballot box from here on.
        json_of(cast(&app, &jana, &id, &ballot(&[&ps[0]])).await, 201).await;
        // The other edits the process (its title: the rules are fixed while voting), so the
        // process has a new version; the first server's cast still goes in, once.
        let edited = two.patch(&format!("{BUDGETS}/{id}"), Some(&official.token), &json!({"title": {"sk": "Rozpočet 2027"}})).await;
        assert_eq!(edited.status(), 200);
        json_of(cast(&app, &peter, &id, &ballot(&[&ps[1], &ps[2]])).await, 201).await;
        json_of(cast(&app, &jana, &id, &ballot(&[&ps[2]])).await, 200).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_ballots").await, 2);
        // A ballot that breaks the rule is refused for that reason while the vote runs...
        let p = assert_problem(cast(&app, &jana, &id, &ballot(&[&ps[0], &ps[1], &ps[2]])).await, 422).await;
        assert_eq!(p["code"], "ballot-rule-broken");
        // ...and, once the vote has closed on the other server, for that reason: the vote is
        // over, whatever the first server's box says.
        to(&two, &official, &id, "results").await;
        let p = assert_problem(cast(&app, &jana, &id, &ballot(&[&ps[0], &ps[1], &ps[2]])).await, 409).await;
        assert_eq!(p["code"], "wrong-phase");
        let p = assert_problem(cast(&app, &peter, &id, &ballot(&[&ps[0]])).await, 409).await;
        assert_eq!(p["code"], "wrong-phase");
        let mine: Value = json_of(app.get(&format!("{BUDGETS}/{id}/ballot"), Some(&peter.token)).await, 200).await;
        let mut expected = vec![ps[1].clone(), ps[2].clone()];
        expected.sort();
        assert_eq!(choices(&mine), expected, "the refused casts changed nothing");
    }
}
