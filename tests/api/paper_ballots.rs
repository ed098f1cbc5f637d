//! Ballots collected on paper: staff enter them (JSON or CSV), checked like online ones, all or
//! nothing, counted with the online ballots and exported as pabulib's `voting_method` `paper`.

use serde_json::{Value, json};

use crate::budgets::{BUDGETS, ballot, cast, to, voting};
use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of};
use crate::on_both_databases;

async fn enter(app: &TestApp, who: &User, id: &str, content_type: &str, body: String) -> reqwest::Response {
    app.request(reqwest::Method::POST, &format!("{BUDGETS}/{id}/paper-ballots"), Some(&who.token))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn code_of(app: &TestApp, id: &str, proposal: &str) -> String {
    let p: Value = app.get(&format!("{BUDGETS}/{id}/proposals/{proposal}"), None).await.json().await.unwrap();
    p["code"].as_str().unwrap().to_owned()
}

on_both_databases! {
    async fn staff_enter_paper_ballots_that_count_with_the_online_ones(app) {
        let (official, id, ps) = voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let resident = app.register("obyvatel@example.sk").await;
        json_of(cast(&app, &resident, &id, &ballot(&[&ps[0]])).await, 201).await;
        let count = || app.scalar("SELECT COUNT(*) FROM budget_ballots");

        let two = json!({"ballots": [ballot(&[&ps[1]]), ballot(&[&ps[1], &ps[2]])]}).to_string();
        assert_problem(enter(&app, &resident, &id, "application/json", two.clone()).await, 403).await;
        assert_eq!(count().await, 1, "a resident entered nothing");
        let entered = json_of(enter(&app, &official, &id, "application/json", two).await, 201).await;
        assert_eq!(entered["entered"], 2);

        // One bad ballot in a list: nothing of it is stored, and the ballot is named.
        let bad = json!({"ballots": [ballot(&[&ps[0]]), ballot(&[&ps[3]])]}).to_string();
        let p = assert_problem(enter(&app, &official, &id, "application/json", bad).await, 422).await;
        assert_eq!(error_fields(&p), vec!["ballots[1].choices"]);
        let too_many = json!({"ballots": [ballot(&[&ps[0], &ps[1], &ps[2]])]}).to_string();
        assert_eq!(error_fields(&assert_problem(enter(&app, &official, &id, "application/json", too_many).await, 422).await), vec!["ballots[0].choices"]);
        assert_eq!(count().await, 3);

        // A CSV by the codes printed on the paper ballot.
        let (c1, c2) = (code_of(&app, &id, &ps[1]).await, code_of(&app, &id, &ps[2]).await);
        let csv = format!("choices\n{c1}\n{c1};{c2}\n{c2}\n");
        assert_eq!(json_of(enter(&app, &official, &id, "text/csv", csv).await, 201).await["entered"], 3);
        let p = assert_problem(enter(&app, &official, &id, "text/csv", format!("choices\n{c1}\nNIE-JE\n")).await, 422).await;
        assert_eq!(error_fields(&p), vec!["line 3"]);
        assert_problem(enter(&app, &official, &id, "text/plain", "x".into()).await, 415).await;
        assert_eq!(count().await, 6);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM budget_voters").await, 1, "paper voters have no account");

        to(&app, &official, &id, "results").await;
        let p = assert_problem(enter(&app, &official, &id, "text/csv", format!("choices\n{c1}\n")).await, 409).await;
        assert_eq!(p["code"], "wrong-phase");
        let r: Value = app.get(&format!("{BUDGETS}/{id}/results"), None).await.json().await.unwrap();
        assert_eq!(r["voters"], 6, "online and paper ballots are counted together");
        let votes = |pid: &str| r["projects"].as_array().unwrap().iter().find(|x| x["proposal_id"] == pid).unwrap()["votes"].as_u64();
        assert_eq!((votes(&ps[0]), votes(&ps[1]), votes(&ps[2])), (Some(1), Some(4), Some(3)));

        let pb = app.get(&format!("{BUDGETS}/{id}/export.pb"), None).await.text().await.unwrap();
        let votes_section = pb.split("VOTES").nth(1).unwrap();
        assert!(votes_section.lines().nth(1).unwrap().contains("voting_method"), "{votes_section}");
        assert_eq!(votes_section.matches(";paper").count(), 5, "{votes_section}");
        assert_eq!(votes_section.matches(";internet").count(), 1, "{votes_section}");
    }
}
