//! The staff workspace: each kind of waiting item appears, counts, and leaves once dealt with;
//! only staff see it.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::action_plans::{add_milestone, milestone_body, plan_with_commitment};
use crate::budgets::{create as create_process, process, propose, review, to};
use crate::helpers::{assert_problem, json_of};
use crate::meetings::{create as create_meeting, meeting};
use crate::on_both_databases;

const WORKSPACE: &str = "/api/v1/orgs/mesto/workspace";

on_both_databases! {
    async fn what_waits_for_staff_appears_and_leaves_once_dealt_with(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let resident = app.register("jana@example.org").await;
        let empty = json_of(app.get(WORKSPACE, Some(&official.token)).await, 200).await;
        for kind in ["proposals_to_review", "unanswered_opinions", "meetings_without_minutes", "overdue_milestones"] {
            assert_eq!(empty[kind], json!({"total": 0, "items": []}), "{kind}");
        }

        // A proposal in a process under review.
        let id = create_process(&app, &official, &process(json!({"kind": "approval", "max_projects": 3}), None)).await;
        to(&app, &official, &id, "proposals").await;
        let park = propose(&app, &resident, &id, "Park pri rieke", 4_000_000).await;
        let waiting = json_of(app.get(WORKSPACE, Some(&official.token)).await, 200).await;
        assert_eq!(waiting["proposals_to_review"]["total"], 0, "not before the review phase");
        to(&app, &official, &id, "review").await;
        let waiting = json_of(app.get(WORKSPACE, Some(&official.token)).await, 200).await;
        assert_eq!(waiting["proposals_to_review"]["total"], 1);
        let item = &waiting["proposals_to_review"]["items"][0];
        assert_eq!((item["budget_id"].as_str(), item["proposal_id"].as_str()), (Some(id.as_str()), Some(park.as_str())));
        assert_eq!(item["title"]["sk"], "Park pri rieke");
        assert_eq!(item["budget_title"]["sk"], "Participatívny rozpočet 2026");

        // An opinion without an answer; a hidden one is not listed.
        let opens = Utc::now() - Duration::days(1);
        let c = json!({"title": {"sk": "Návrh VZN"}, "subject": "draft_act", "opens_at": opens, "closes_at": opens + Duration::days(30)});
        let consultation = json_of(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &c).await, 201).await["id"].as_str().unwrap().to_owned();
        let opinions = format!("/api/v1/orgs/mesto/consultations/{consultation}/opinions");
        let long = "Navrhujem predĺžiť lehotu. ".repeat(20);
        let first = json_of(app.post(&opinions, Some(&resident.token), &json!({"text": long})).await, 201).await["id"].as_str().unwrap().to_owned();
        // Meetings: one that has ended without minutes, one still to come.
        let past = create_meeting(&app, &official, &meeting(-3, None)).await;
        create_meeting(&app, &official, &meeting(48, None)).await;
        // Milestones: one past its end, one ahead, one past but done.
        let (plan, commitment) = plan_with_commitment(&app, &official, false).await;
        let today = Utc::now().date_naive();
        // (Each call answers with the commitment, its milestones in order.)
        let c = add_milestone(&app, &official, &commitment, &milestone_body("2021-01-01", &(today - Duration::days(2)).to_string())).await;
        let late = c["milestones"][0]["id"].clone();
        add_milestone(&app, &official, &commitment, &milestone_body("2021-01-01", &(today + Duration::days(30)).to_string())).await;
        let c = add_milestone(&app, &official, &commitment, &milestone_body("2021-01-01", "2021-06-30")).await;
        let done = c["milestones"].as_array().unwrap().iter().find(|m| m["end_date"] == "2021-06-30").unwrap()["id"].as_str().unwrap().to_owned();
        let done_url = format!("/api/v1/orgs/mesto/commitments/{commitment}/milestones/{done}");
        json_of(app.patch(&done_url, Some(&official.token), &json!({"status": "done", "completed_on": "2021-06-30"})).await, 200).await;

        let waiting = json_of(app.get(WORKSPACE, Some(&official.token)).await, 200).await;
        let o = &waiting["unanswered_opinions"];
        assert_eq!(o["total"], 1);
        assert_eq!(o["items"][0]["opinion_id"], first.as_str());
        assert_eq!(o["items"][0]["consultation_title"]["sk"], "Návrh VZN");
        assert_eq!(o["items"][0]["excerpt"].as_str().unwrap().chars().count(), 160, "an excerpt, not the whole opinion");
        let m = &waiting["meetings_without_minutes"];
        assert_eq!((m["total"].as_u64(), m["items"][0]["meeting_id"].as_str()), (Some(1), Some(past.as_str())));
        let ms = &waiting["overdue_milestones"];
        assert_eq!(ms["total"], 1);
        assert_eq!(ms["items"][0]["milestone_id"], late);
        assert_eq!((ms["items"][0]["plan_id"].as_str(), ms["items"][0]["commitment_id"].as_str()), (Some(plan.as_str()), Some(commitment.as_str())));

        // Dealt with: each leaves the workspace.
        review(&app, &official, &id, &park, true).await;
        let answer = json!({"answer": "Ďakujeme, lehotu predĺžime."});
        json_of(app.patch(&format!("{opinions}/{first}"), Some(&official.token), &answer).await, 200).await;
        let minutes = json!({"minutes": {"sk": "<p>Zápisnica</p>"}, "attendance": 12});
        json_of(app.put(&format!("/api/v1/orgs/mesto/meetings/{past}/minutes"), Some(&official.token), &minutes).await, 200).await;
        let waiting = json_of(app.get(WORKSPACE, Some(&official.token)).await, 200).await;
        for kind in ["proposals_to_review", "unanswered_opinions", "meetings_without_minutes"] {
            assert_eq!(waiting[kind]["total"], 0, "{kind}");
        }
        assert_eq!(waiting["overdue_milestones"]["total"], 1, "still late");
    }
}

on_both_databases! {
    async fn only_the_organisations_staff_see_its_workspace(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let moderator = app.register("moderator@mesto.sk").await;
        app.grant("mesto", moderator.id, &["moderator"]).await;
        let resident = app.register("jana@example.org").await;
        let other = app.org_with_member("jine", "official@jine.sk", &["official"]).await;
        assert_problem(app.get(WORKSPACE, None).await, 401).await;
        assert_problem(app.get(WORKSPACE, Some(&resident.token)).await, 403).await;
        assert_problem(app.get(WORKSPACE, Some(&other.token)).await, 403).await;
        assert_problem(app.get("/api/v1/orgs/nowhere/workspace", Some(&official.token)).await, 404).await;
        let seen: Value = json_of(app.get(WORKSPACE, Some(&moderator.token)).await, 200).await;
        assert_eq!(seen["unanswered_opinions"]["total"], 0);
    }
}
