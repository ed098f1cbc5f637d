//! Demo participatory budgets for Sosnowiec (seed 003), made of real pabulib elections kept in
//! `crates/server/seed/` (pabulib.org, research use, origin named in each process):
//!
//! - *Budżet obywatelski Sosnowca 2027*, in the voting phase: the 13 real, Polish-named projects of
//!   Warszawa–Wawer–Las 2019 as feasible proposals, approval of up to five, and no votes yet,
//!   counted as Warsaw counts (the file's own rule: `greedy`, most votes first);
//! - *Budżet obywatelski 2025 (demo)*, finished: the 11 projects and 873 real cumulative ballots of
//!   Gdańsk–Oliwa 2020 counted as Gdańsk counts (the file's own rule: `greedy` by the sum of
//!   points), its winners in implementation with progress in the shared history.
//!
//! Each process keeps the rule and threshold its file names, so the demo shows what the city
//! actually funded.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use pnyx_domain::budget::BudgetService;
use pnyx_domain::budget::ballot::BallotRule;
use pnyx_domain::budget::outcome::{self, Election};
use pnyx_domain::budget::pabulib;
use pnyx_domain::budget::process::{Phase, Schedule, Works};
use pnyx_domain::history::{EntryKind, Evidence, HistoryEntry, SubjectKind};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::repo::{RepoError, Store};
use uuid::Uuid;

const LAS: &str = include_str!("../../seed/Poland_Warszawa_2019_Las.pb");
const OLIWA: &str = include_str!("../../seed/Poland_Gdansk_2020_Oliwa.pb");

fn pl(s: &str) -> LocalizedText {
    let mut t = LocalizedText::default();
    t.insert(Locale::Pl, s);
    t
}

fn failed(e: impl std::fmt::Display) -> RepoError {
    RepoError::Unavailable(format!("demo budget: {e}"))
}

/// Adds the demo processes to Sosnowiec when it has none.
///
/// # Errors
/// When the database fails.
pub async fn seed_budgets(store: &dyn Store) -> Result<(), RepoError> {
    let Some(org) = store.org_by_slug("sosnowiec").await? else { return Ok(()) };
    if !store.budgets(org.id).await?.is_empty() {
        return Ok(());
    }
    let today = Utc::now().date_naive();

    // The finished process: real ballots, winners being built.
    let file = pabulib::parse(OLIWA).map_err(failed)?;
    let (mut done, mut proposals, ballots) = BudgetService::read_pb(&org, OLIWA, pnyx_domain::now()).map_err(failed)?;
    done.title = pl("Budżet obywatelski 2025 (demo: głosy z Gdańska-Oliwy 2020, pabulib)");
    done.rules_text = pl(
        "Każdy głosujący rozdzielał do pięciu punktów między projekty. Projekty wybierano według sumy punktów, od największej; projekt, na który nie starczało już pieniędzy, był pomijany. Dane: rzeczywiste głosy z pabulib (Gdańsk, Oliwa 2020).",
    );
    done.phase = Phase::Implementation;
    let d = |s: &str| s.parse::<NaiveDate>().ok();
    done.schedule = Schedule {
        proposals: d("2025-02-01"),
        review: d("2025-04-01"),
        voting: d("2025-06-01"),
        results: d("2025-06-30"),
        implementation: d("2025-07-15"),
        ..Schedule::default()
    };
    let election = Election::from_pb(&file).map_err(failed)?.with_min_score(done.min_score);
    let outcome = outcome::compute(done.outcome_rule, &election);
    let states = [Works::Done, Works::InProgress, Works::Planned];
    let mut built = Vec::new();
    for (i, w) in outcome.winners.iter().enumerate() {
        if let Some(p) = proposals.iter_mut().find(|p| p.code == w.id) {
            let works = states.get(i).copied().unwrap_or(Works::Planned);
            p.works = Some(works);
            p.amount_spent = match works {
                Works::Done => Some(p.cost()),
                Works::InProgress => Some(p.cost() / 3),
                _ => None,
            };
            built.push((p.id, works, p.amount_spent));
        }
    }
    store.import_budget(&done, &proposals, &ballots).await?;
    for (id, works, spent) in built {
        if works == Works::Planned {
            continue;
        }
        let on = |day: &str| d(day).unwrap_or(today);
        let at = |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap_or_default());
        let entry = |occurred_on: NaiveDate, entry| HistoryEntry {
            id: Uuid::now_v7(),
            org_id: org.id,
            subject: SubjectKind::BudgetProject,
            subject_id: id.into(),
            parent_id: None,
            entry,
            occurred_on,
            author_id: None,
            created_at: at(occurred_on),
        };
        store
            .append_history(&entry(
                on("2025-09-01"),
                EntryKind::StatusChange {
                    from: Some(Works::Planned.as_str().to_owned()),
                    to: Works::InProgress.as_str().to_owned(),
                    reason: None,
                },
            ))
            .await?;
        store
            .append_history(&entry(
                on("2025-10-15"),
                EntryKind::Update {
                    text: pl("Wykonawca wyłoniony w przetargu; prace ruszyły."),
                    evidence: vec![Evidence {
                        url: "https://bo.sosnowiec.pl/realizacja/zdjecia/plac-budowy.jpg".into(),
                        title: None,
                    }],
                    amount_spent: spent,
                },
            ))
            .await?;
        if works == Works::Done {
            store
                .append_history(&entry(
                    on("2026-05-20"),
                    EntryKind::StatusChange {
                        from: Some(Works::InProgress.as_str().to_owned()),
                        to: Works::Done.as_str().to_owned(),
                        reason: Some("Odbiór końcowy".into()),
                    },
                ))
                .await?;
        }
    }

    // The process in the voting phase: real projects, no votes yet.
    let (mut open, mut proposals, _) = BudgetService::read_pb(&org, LAS, pnyx_domain::now()).map_err(failed)?;
    open.title = pl("Budżet obywatelski Sosnowca 2027");
    open.rules_text = pl(
        "Każdy mieszkaniec Sosnowca może zagłosować na maksymalnie pięć projektów. Projekty wybiera się według liczby głosów, od największej; projekt, na który nie starcza już pieniędzy, jest pomijany. Projekty pochodzą z rzeczywistej edycji budżetu obywatelskiego (pabulib: Warszawa, Wawer, Las 2019).",
    );
    open.phase = Phase::Voting;
    open.ballot_rule = BallotRule::Approval { min_projects: 1, max_projects: Some(5), knapsack: false };
    // The rule and threshold stay those of the file (Warsaw's greedy); the META goes, as a
    // process of ours exports its own.
    open.pabulib = None;
    open.schedule = Schedule {
        information: Some(today - Duration::days(120)),
        proposals: Some(today - Duration::days(100)),
        review: Some(today - Duration::days(60)),
        supports: None,
        voting: Some(today - Duration::days(3)),
        results: Some(today + Duration::days(18)),
        implementation: Some(today + Duration::days(60)),
    };
    for p in &mut proposals {
        p.location = p.category.as_ref().map(|c| format!("Sosnowiec – {c}"));
        p.description = pl("Projekt zgłoszony przez mieszkańców i pozytywnie zweryfikowany przez urząd.");
    }
    store.import_budget(&open, &proposals, &[]).await?;

    Ok(())
}
