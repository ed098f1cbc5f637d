//! `pnyx seed-bench-survey`: an open anonymous survey with public results and a large number of
//! generated responses, so `scripts/bench.sh` can load `GET .../surveys/{id}/results`.

use chrono::Duration;
use pnyx_domain::consultations::Period;
use pnyx_domain::i18n::LocalizedText;
use pnyx_domain::ids::SurveyId;
use pnyx_domain::org::OrgRepo;
use pnyx_domain::surveys::{
    Answer, Answers, Question, ResponsePolicy, ResponseSettings, Survey, SurveyDefinition, SurveyRepo, SurveyResponse,
    validate_response,
};
use pnyx_persistence::Db;
use serde_json::json;

/// Responses are generated and written this many at a time.
const CHUNK: u64 = 10_000;

fn questions(default: &str) -> Result<SurveyDefinition, String> {
    let t = |s: &str| json!({ default: s });
    let opts = |ids: &[&str]| ids.iter().map(|id| json!({"id": id, "label": t(id)})).collect::<Vec<_>>();
    let list = json!([
        {"id": "mode", "text": t("How do you get to work?"), "required": true,
         "kind": {"type": "single_choice", "options": opts(&["bus", "car", "bike", "walk", "train"])}},
        {"id": "bus_rating", "text": t("How good are the buses?"), "required": true,
         "condition": {"type": "choice_is", "question": "mode", "options": ["bus"]},
         "kind": {"type": "scale", "points": 5, "labels": {"type": "ends", "low": t("Poor"), "high": t("Great")}}},
        {"id": "improve", "text": t("What should improve?"), "required": false,
         "kind": {"type": "multiple_choice", "options": opts(&["parks", "roads", "lights", "benches", "trees"]), "max_selections": 3}},
        {"id": "age", "text": t("Your age"), "required": false, "kind": {"type": "number", "min": 0, "max": 120}},
        {"id": "priorities", "text": t("Rank the priorities"), "required": false,
         "kind": {"type": "ranking", "options": opts(&["schools", "transport", "housing", "green"])}},
        {"id": "comment", "text": t("Anything else?"), "required": false, "kind": {"type": "short_text", "max_length": 200}}
    ]);
    let qs: Vec<Question> = serde_json::from_value(list).map_err(|e| e.to_string())?;
    SurveyDefinition::new(qs).map_err(|e| format!("{e:?}"))
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn answers(g: &mut Gen) -> Answers {
    let pick = |ids: &[&str], i: u64| ids.get(usize::try_from(i).unwrap_or(0)).copied().unwrap_or("bus").into();
    let modes = ["bus", "car", "bike", "walk", "train"];
    let mut a = Answers::new();
    let mode = g.next(5);
    a.insert("mode".into(), Answer::SingleChoice { option: pick(&modes, mode) });
    if mode == 0 {
        a.insert("bus_rating".into(), Answer::Scale { value: u32::try_from(g.next(5) + 1).unwrap_or(3) });
    }
    let extras = ["parks", "roads", "lights", "benches", "trees"];
    let first = g.next(5);
    let second = (first + 1 + g.next(4)) % 5;
    a.insert("improve".into(), Answer::MultipleChoice { options: vec![pick(&extras, first), pick(&extras, second)] });
    if g.next(2) == 0 {
        a.insert("age".into(), Answer::Number { value: i64::try_from(18 + g.next(70)).unwrap_or(40) });
    }
    let mut order = vec!["schools", "transport", "housing", "green"];
    let shift = usize::try_from(g.next(4)).unwrap_or(0);
    order.rotate_left(shift);
    a.insert("priorities".into(), Answer::Ranking { options: order.into_iter().map(Into::into).collect() });
    if g.next(10) == 0 {
        a.insert("comment".into(), Answer::ShortText { text: format!("Comment number {}", g.next(1_000_000)) });
    }
    a
}

/// Creates the survey in the organisation `slug` and `n` responses; returns the survey's id.
///
/// # Errors
/// Unknown organisation, or the database failed.
pub async fn seed_bench_survey(db: &Db, slug: &str, n: u64) -> Result<SurveyId, String> {
    let org = db.org_by_slug(slug).await.map_err(|e| e.to_string())?.ok_or(format!("no organisation `{slug}`"))?;
    let now = pnyx_domain::now();
    let mut title = LocalizedText::default();
    title.insert(org.default_locale, "Benchmark survey");
    let definition = questions(org.default_locale.as_str())?;
    let survey = Survey {
        id: SurveyId::new_v7(),
        org_id: org.id,
        title,
        description: LocalizedText::default(),
        definition,
        settings: ResponseSettings::new(ResponsePolicy::OnePerResidentRefuse, true).map_err(|e| e.to_string())?,
        period: Some(Period::new(now - Duration::days(1), now + Duration::days(365)).map_err(|e| e.to_string())?),
        results_public: true,
        created_at: now,
        updated_at: now,
        responses_version: 0,
    };
    db.create_survey(&survey).await.map_err(|e| e.to_string())?;
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(CHUNK);
        let mut list = Vec::with_capacity(usize::try_from(batch).unwrap_or(0));
        for _ in 0..batch {
            let valid = validate_response(&survey.definition, &answers(&mut g)).map_err(|e| format!("{e:?}"))?;
            list.push(SurveyResponse::anonymous(survey.id, valid, now));
        }
        db.bulk_insert_responses(&list).await.map_err(|e| e.to_string())?;
        done += batch;
    }
    Ok(survey.id)
}

/// Words the generated proposals are made of (Slovak, with their diacritics, so that a search
/// typed without them exercises the folding).
const WORDS: [&str; 25] = [
    "lavičky",
    "chodník",
    "osvetlenie",
    "ihrisko",
    "stromy",
    "park",
    "námestie",
    "cyklotrasa",
    "fontána",
    "zeleň",
    "škola",
    "knižnica",
    "zastávka",
    "parkovisko",
    "detské",
    "obnova",
    "výsadba",
    "rekonštrukcia",
    "bezpečnosť",
    "prechod",
    "komunitná",
    "záhrada",
    "športovisko",
    "múr",
    "lampy",
];
const PLACES: [&str; 8] = ["Fončorda", "Sásová", "Radvaň", "Uhlisko", "Podlavice", "Rudlová", "Kráľová", "Senica"];

/// `pnyx seed-bench-proposals`: a participatory budget in `slug` with `n` generated proposals,
/// stored (and indexed for search) in one transaction the way a pabulib import is; returns the
/// process's id. For `scripts/bench.sh`'s search scenario.
///
/// # Errors
/// Unknown organisation, or the database failed.
pub async fn seed_bench_proposals(db: &Db, slug: &str, n: u64) -> Result<pnyx_domain::ids::BudgetId, String> {
    use pnyx_domain::budget::BudgetService;
    use pnyx_domain::budget::process::{BudgetRepo, Proposal};
    use pnyx_domain::ids::ProposalId;
    let org = db.org_by_slug(slug).await.map_err(|e| e.to_string())?.ok_or(format!("no organisation `{slug}`"))?;
    let now = pnyx_domain::now();
    // A one-project file gives a valid process in the results phase; its project is the template.
    let pb = "META\nkey;value\ndescription;Benchmark\nnum_projects;1\nnum_votes;1\nbudget;1000000\nvote_type;approval\n\
              rule;greedy\nPROJECTS\nproject_id;cost;name\n1;1000;Template\nVOTES\nvoter_id;vote\n1;1\n";
    let (mut budget, template, _) = BudgetService::read_pb(&org, pb, now).map_err(|e| format!("{e:?}"))?;
    let template = template.into_iter().next().ok_or("the template has no project")?;
    budget.title = {
        let mut t = LocalizedText::default();
        t.insert(org.default_locale, format!("Benchmark: {n} proposals"));
        t
    };
    let mut g = Gen(0x2545_F491_4F6C_DD1D);
    let mut pick = |list: &[&'static str]| list[usize::try_from(g.next(list.len() as u64)).unwrap_or(0)];
    let mut proposals = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    for i in 0..n {
        let title = format!("{} {} {} ({})", pick(&WORDS), pick(&WORDS), pick(&PLACES), i + 1);
        let description = format!(
            "Navrhujeme {} a {} pri {}. {} {} {} pre obyvateľov, ktorí {} {}.",
            pick(&WORDS),
            pick(&WORDS),
            pick(&PLACES),
            pick(&WORDS),
            pick(&WORDS),
            pick(&WORDS),
            pick(&WORDS),
            pick(&PLACES),
        );
        let mut t = LocalizedText::default();
        t.insert(org.default_locale, title);
        let mut d = LocalizedText::default();
        d.insert(org.default_locale, description);
        proposals.push(Proposal {
            id: ProposalId::new_v7(),
            code: (i + 1).to_string(),
            title: t,
            description: d,
            estimated_cost: 1000 + i64::try_from(i % 500).unwrap_or(0) * 1000,
            ..template.clone()
        });
    }
    db.import_budget(&budget, &proposals, &[]).await.map_err(|e| e.to_string())?;
    Ok(budget.id)
}
