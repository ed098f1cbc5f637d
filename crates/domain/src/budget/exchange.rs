//! A process and the pabulib format: a `.pb` file read as a process in the results phase (its
//! projects as feasible proposals, its votes as anonymous ballots), and a process written back.

use std::collections::HashMap;

use crate::ids::{BudgetId, ProposalId};
use chrono::{DateTime, Utc};

use super::amount::Amount;
use super::ballot::BallotRule;
use super::outcome::OutcomeRule;
use super::pabulib::{self, PbFile, PbProject, PbVote, VoteType};
use super::process::{Budget, DistrictVoting, PabulibMeta, Phase, Proposal, Review, Schedule, StoredBallot};
use super::service::BudgetError;
use crate::i18n::LocalizedText;
use crate::org::Organisation;

/// Minor units per currency unit: amounts are stored as integer minor units with two decimals.
const MINOR_SCALE: u8 = 2;

/// An amount of minor units as an exact amount of currency units.
#[must_use]
pub fn minor(amount: i64) -> Amount {
    Amount::new(u64::try_from(amount).unwrap_or(0), MINOR_SCALE).unwrap_or(Amount::whole(0))
}

/// An amount in minor units, when it has at most two decimals and fits.
#[must_use]
pub fn to_minor(a: &Amount) -> Option<i64> {
    a.units_at(MINOR_SCALE).and_then(|u| i64::try_from(u).ok())
}

/// An amount of minor units written with no more decimals than it needs.
fn plain(amount: i64) -> Amount {
    let units = u64::try_from(amount).unwrap_or(0);
    if units % 100 == 0 { Amount::whole(units / 100) } else { minor(amount) }
}

/// The process rule a pabulib META `rule` names: `greedy` and `greedy-threshold` (the threshold
/// is META `min_project_score_threshold`), `greedy-no-skip`, `equalshares…` (Equal Shares with
/// completion, e.g. `equalshares/add1`), or one of our own rule names (a file we exported);
/// anything else, or none, is counted as `greedy`.
#[must_use]
pub fn rule_from_meta(rule: Option<&str>) -> OutcomeRule {
    let Some(rule) = rule.map(str::trim) else { return OutcomeRule::Greedy };
    match rule {
        "greedy" | "greedy-threshold" => OutcomeRule::Greedy,
        "greedy-no-skip" => OutcomeRule::GreedyNoSkip,
        r if r.starts_with("equalshares") => OutcomeRule::EqualShares,
        r => OutcomeRule::parse(r).unwrap_or(OutcomeRule::Greedy),
    }
}

/// A process rule as a pabulib META `rule` ([`rule_from_meta`] reads it back).
#[must_use]
pub fn rule_to_meta(rule: OutcomeRule, min_score: u64) -> &'static str {
    match rule {
        OutcomeRule::Greedy if min_score > 0 => "greedy-threshold",
        OutcomeRule::Greedy => "greedy",
        OutcomeRule::GreedyNoSkip => "greedy-no-skip",
        OutcomeRule::EqualShares => "equalshares/add1",
        other => other.as_str(),
    }
}

/// The positional scores of an ordinal file's rankings: rank *i* scores `max_length - i + 1`.
fn ordinal_scores(file: &PbFile) -> Vec<u64> {
    (1..=super::outcome::ordinal_length(file)).rev().collect()
}

fn body_error(message: impl Into<String>) -> BudgetError {
    BudgetError::Invalid { field: "body".into(), message: message.into() }
}

/// A `.pb` file as a process in the results phase, its projects as feasible proposals and its
/// votes as anonymous ballots, created at `now`.
///
/// # Errors
/// [`BudgetError::Invalid`] on `body`, naming the line or value we cannot take.
pub fn import(
    org: &Organisation,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(Budget, Vec<Proposal>, Vec<StoredBallot>), BudgetError> {
    let file = pabulib::parse(text).map_err(|e| body_error(e.to_string()))?;
    let id = BudgetId::new_v7();
    let meta = |k: &str| file.meta(k);
    let num = |k: &str| meta(k).and_then(|v| v.trim().parse::<u64>().ok());
    let mut title = LocalizedText::default();
    let name = [meta("unit"), meta("subunit"), meta("instance")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    title.insert(org.default_locale, if name.is_empty() { "pabulib".to_owned() } else { name });
    let mut rules_text = LocalizedText::default();
    if let Some(d) = meta("description") {
        rules_text.insert(org.default_locale, d);
    }
    let ballot_rule = match file.vote_type {
        VoteType::Approval | VoteType::Choose1 => BallotRule::Approval {
            min_projects: u32::try_from(num("min_length").unwrap_or(0)).unwrap_or(0),
            max_projects: num("max_length").and_then(|m| u32::try_from(m).ok()),
            knapsack: false,
        },
        VoteType::Cumulative | VoteType::Scoring => BallotRule::Cumulative {
            points: num("max_sum_points").unwrap_or(u64::MAX),
            max_per_project: num("max_points"),
            min_projects: u32::try_from(num("min_length").unwrap_or(0)).unwrap_or(0),
        },
        // Rank i scores max_length - i + 1 (Kraków: 3, 2, 1), as the cities count.
        VoteType::Ordinal => BallotRule::Ranking { scores: ordinal_scores(&file) },
    };
    let outcome_rule = rule_from_meta(meta("rule"));
    let total = to_minor(&file.budget).ok_or_else(|| body_error("the budget has more than two decimals"))?;
    let extra_col = |p: &PbProject, col: &str| {
        file.project_columns
            .iter()
            .skip(2)
            .position(|c| c == col)
            .and_then(|i| p.extra.get(i))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let mut proposals = Vec::with_capacity(file.projects.len());
    let mut by_code = HashMap::with_capacity(file.projects.len());
    for p in &file.projects {
        let cost = to_minor(&p.cost)
            .ok_or_else(|| body_error(format!("project {}: the cost has more than two decimals", p.id)))?;
        let pid = ProposalId::new_v7();
        let mut t = LocalizedText::default();
        t.insert(org.default_locale, extra_col(p, "name").unwrap_or_else(|| p.id.clone()));
        by_code.insert(p.id.as_str(), pid);
        proposals.push(Proposal {
            id: pid,
            budget_id: id,
            org_id: org.id,
            author_id: None,
            code: p.id.clone(),
            title: t,
            description: LocalizedText::default(),
            category: extra_col(p, "category"),
            district: None,
            location: None,
            estimated_cost: cost,
            images: Vec::new(),
            review: Review::Feasible,
            review_reason: None,
            validated_cost: Some(cost),
            supports: 0,
            works: None,
            amount_spent: None,
            pabulib_extra: Some(p.extra.clone()),
            created_at: now,
            updated_at: now,
        });
    }
    let ranks = match &ballot_rule {
        BallotRule::Ranking { scores } => Some(scores.as_slice()),
        _ => None,
    };
    let mut ballots = Vec::with_capacity(file.votes.len());
    // pabulib's `voting_method` column, among the columns kept as extra (`paper`/`internet`).
    let method_at = file
        .vote_columns
        .iter()
        .filter(|c| !matches!(c.as_str(), "voter_id" | "vote" | "points"))
        .position(|c| c == "voting_method");
    for v in &file.votes {
        let mut choices = Vec::with_capacity(v.vote.len());
        for (j, code) in v.vote.iter().enumerate() {
            let pid = by_code
                .get(code.as_str())
                .ok_or_else(|| body_error(format!("voter {} names unknown project {code}", v.voter_id)))?;
            let pts = match (&v.points, ranks) {
                (Some(points), _) => points
                    .get(j)
                    .and_then(|a| a.units_at(0))
                    .ok_or_else(|| body_error(format!("voter {}: points must be whole numbers", v.voter_id)))?,
                // The rank's score (0 past the ranking's length).
                (_, Some(scores)) => scores.get(j).copied().unwrap_or(0),
                _ => 1,
            };
            choices.push((*pid, pts));
        }
        let paper = method_at.and_then(|i| v.extra.get(i)).is_some_and(|m| m.trim().eq_ignore_ascii_case("paper"));
        ballots.push(StoredBallot {
            district: None,
            choices,
            pabulib: Some((v.voter_id.clone(), v.extra.clone())),
            paper,
        });
    }
    let budget = Budget {
        id,
        org_id: org.id,
        title,
        rules_text,
        total,
        currency: meta("currency").map_or_else(|| org.currency.as_str().to_owned(), str::to_owned),
        districts: Vec::new(),
        categories: Vec::new(),
        schedule: Schedule::default(),
        phase: Phase::Results,
        supports_threshold: None,
        ballot_rule,
        outcome_rule,
        min_score: num("min_project_score_threshold").unwrap_or(0),
        requires_verified: false,
        district_voting: DistrictVoting::Each,
        pabulib: Some(PabulibMeta {
            meta: file.meta.clone(),
            project_columns: file.project_columns.clone(),
            vote_columns: file.vote_columns.clone(),
        }),
        created_at: now,
        updated_at: now,
    };
    Ok((budget, proposals, ballots))
}

/// A process as a `.pb` file: what an import kept, written back; a process made here gets a
/// META of its own. Only proposals on the ballot are projects.
#[must_use]
pub fn export(org: &Organisation, b: &Budget, proposals: &[Proposal], ballots: &[StoredBallot]) -> String {
    let on: Vec<&Proposal> = proposals.iter().filter(|p| b.is_on_ballot(p)).collect();
    let codes: HashMap<ProposalId, &str> = on.iter().map(|p| (p.id, p.code.as_str())).collect();
    let points = matches!(b.ballot_rule, BallotRule::Cumulative { .. });
    let ruled = match &b.ballot_rule {
        BallotRule::Approval { .. } => VoteType::Approval,
        BallotRule::Cumulative { .. } => VoteType::Cumulative,
        BallotRule::Ranking { .. } => VoteType::Ordinal,
    };
    // An imported `choose-1` (approval of one) or `scoring` (points) file keeps its own name.
    let vote_type = b
        .pabulib
        .as_ref()
        .and_then(|m| m.meta.iter().find(|(k, _)| k == "vote_type"))
        .and_then(|(_, v)| VoteType::parse(v.trim()))
        .filter(|v| {
            *v == ruled
                || matches!(
                    (ruled, *v),
                    (VoteType::Approval, VoteType::Choose1) | (VoteType::Cumulative, VoteType::Scoring)
                )
        })
        .unwrap_or(ruled);
    let stored = b.pabulib.clone();
    let (mut meta, project_columns, vote_columns) = match stored {
        Some(m) => (m.meta, m.project_columns, m.vote_columns),
        None => {
            let title = b.title.get(org.default_locale).unwrap_or_default().to_owned();
            let meta = vec![
                ("description".to_owned(), title),
                ("country".to_owned(), String::new()),
                ("unit".to_owned(), org.slug.to_string()),
                ("instance".to_owned(), b.id.to_string()),
                ("num_projects".to_owned(), on.len().to_string()),
                ("num_votes".to_owned(), ballots.len().to_string()),
                ("budget".to_owned(), plain(b.total).to_string()),
                ("vote_type".to_owned(), vote_type.as_str().to_owned()),
                ("rule".to_owned(), rule_to_meta(b.outcome_rule, b.min_score).to_owned()),
                ("currency".to_owned(), b.currency.clone()),
            ];
            let projects = vec!["project_id".to_owned(), "cost".to_owned(), "name".to_owned()];
            let mut votes = vec!["voter_id".to_owned(), "vote".to_owned()];
            if points {
                votes.push("points".to_owned());
            }
            // Where ballots came on paper too, each says how it was cast.
            if ballots.iter().any(|x| x.paper) {
                votes.push("voting_method".to_owned());
            }
            (meta, projects, votes)
        }
    };
    // The counting rule and threshold, written where the META does not already say them (an
    // imported file keeps its own words for them).
    let find = |meta: &[(String, String)], key: &str| meta.iter().position(|(k, _)| k == key);
    if rule_from_meta(find(&meta, "rule").map(|i| meta[i].1.as_str())) != b.outcome_rule {
        let value = rule_to_meta(b.outcome_rule, b.min_score).to_owned();
        match find(&meta, "rule") {
            Some(i) => meta[i].1 = value,
            None => meta.push(("rule".to_owned(), value)),
        }
    }
    let threshold = find(&meta, "min_project_score_threshold");
    let stated = threshold.and_then(|i| meta[i].1.trim().parse::<u64>().ok()).unwrap_or(0);
    if stated != b.min_score {
        match threshold {
            Some(i) => meta[i].1 = b.min_score.to_string(),
            None => meta.push(("min_project_score_threshold".to_owned(), b.min_score.to_string())),
        }
    }
    let native = b.pabulib.is_none();
    let file = PbFile {
        budget: plain(b.total),
        vote_type,
        projects: on
            .iter()
            .map(|p| PbProject {
                id: p.code.clone(),
                cost: plain(p.cost()),
                extra: p
                    .pabulib_extra
                    .clone()
                    .unwrap_or_else(|| vec![p.title.get(org.default_locale).unwrap_or_default().to_owned()]),
            })
            .collect(),
        votes: ballots
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let chosen: Vec<&(ProposalId, u64)> =
                    x.choices.iter().filter(|(id, _)| codes.contains_key(id)).collect();
                let (voter_id, extra) = x.pabulib.clone().unwrap_or_else(|| ((i + 1).to_string(), Vec::new()));
                PbVote {
                    voter_id,
                    vote: chosen.iter().map(|(id, _)| codes.get(id).copied().unwrap_or_default().to_owned()).collect(),
                    points: (vote_columns.iter().any(|c| c == "points"))
                        .then(|| chosen.iter().map(|(_, p)| Amount::whole(*p)).collect()),
                    extra: if !native {
                        extra
                    } else if vote_columns.iter().any(|c| c == "voting_method") {
                        vec![if x.paper { "paper" } else { "internet" }.to_owned()]
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect(),
        meta,
        project_columns,
        vote_columns,
    };
    pabulib::write(&file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Organisation {
        Organisation {
            id: crate::ids::OrgId::from_uuid(uuid::Uuid::from_u128(7)),
            slug: "mesto".parse().unwrap(),
            name: LocalizedText::default(),
            description: LocalizedText::default(),
            default_locale: crate::i18n::Locale::Pl,
            locales: vec![crate::i18n::Locale::Pl],
            time_zone: "Europe/Warsaw".parse().unwrap(),
            currency: "PLN".parse().unwrap(),
            area: None,
            accent_color: None,
            logo_file_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn file(vote_type: &str, rule: &str, extra_meta: &str) -> String {
        format!(
            "META\nkey;value\nbudget;10\nvote_type;{vote_type}\nrule;{rule}\n{extra_meta}PROJECTS\nproject_id;cost;name\n\
             a;6;A\nb;5;B\nc;4;C\nVOTES\nvoter_id;vote\n1;a,b,c\n2;b,a\n3;c\n"
        )
    }

    #[test]
    fn the_meta_rule_and_threshold_become_the_process_rule() {
        let cases = [
            ("greedy", "", OutcomeRule::Greedy, 0),
            ("greedy-threshold", "min_project_score_threshold;2\n", OutcomeRule::Greedy, 2),
            ("greedy-no-skip", "min_project_score_threshold;50\n", OutcomeRule::GreedyNoSkip, 50),
            ("equalshares/add1", "", OutcomeRule::EqualShares, 0),
            ("equalshares/add1-comparison", "", OutcomeRule::EqualShares, 0),
            ("greedy_per_cost", "", OutcomeRule::GreedyPerCost, 0),
            ("lottery", "", OutcomeRule::Greedy, 0),
        ];
        for (rule, meta, want, min_score) in cases {
            let (b, _, _) = import(&org(), &file("approval", rule, meta), Utc::now()).unwrap();
            assert_eq!((b.outcome_rule, b.min_score), (want, min_score), "{rule}");
        }
    }

    #[test]
    fn ordinal_votes_are_rankings_scored_by_position() {
        let (b, proposals, ballots) = import(&org(), &file("ordinal", "greedy", "max_length;3\n"), Utc::now()).unwrap();
        assert_eq!(b.ballot_rule, BallotRule::Ranking { scores: vec![3, 2, 1] });
        let code = |id: &ProposalId| proposals.iter().find(|p| p.id == *id).unwrap().code.as_str();
        let first: Vec<(&str, u64)> = ballots[0].choices.iter().map(|(id, p)| (code(id), *p)).collect();
        assert_eq!(first, [("a", 3), ("b", 2), ("c", 1)]);
        // Without max_length, the longest ballot sets it.
        let (b, _, _) = import(&org(), &file("ordinal", "greedy", ""), Utc::now()).unwrap();
        assert_eq!(b.ballot_rule, BallotRule::Ranking { scores: vec![3, 2, 1] });
    }

    #[test]
    fn export_writes_the_rule_and_threshold_back_and_keeps_an_imported_meta_as_it_was() {
        let text = file("approval", "greedy-no-skip", "min_project_score_threshold;2\n");
        let (b, proposals, ballots) = import(&org(), &text, Utc::now()).unwrap();
        let same = export(&org(), &b, &proposals, &ballots);
        assert_eq!(pabulib::parse(&same).unwrap().meta, pabulib::parse(&text).unwrap().meta);
        // A process of ours with another rule and threshold says so, and reads back the same.
        let mut ours = b.clone();
        ours.pabulib = None;
        for (rule, min_score, word) in [
            (OutcomeRule::Greedy, 3, "greedy-threshold"),
            (OutcomeRule::Greedy, 0, "greedy"),
            (OutcomeRule::GreedyNoSkip, 1, "greedy-no-skip"),
            (OutcomeRule::EqualShares, 0, "equalshares/add1"),
            (OutcomeRule::EqualSharesPlain, 0, "equal_shares_plain"),
        ] {
            ours.outcome_rule = rule;
            ours.min_score = min_score;
            let written = export(&org(), &ours, &proposals, &ballots);
            let f = pabulib::parse(&written).unwrap();
            assert_eq!(f.meta("rule"), Some(word));
            assert_eq!(
                f.meta("min_project_score_threshold").map(str::to_owned),
                (min_score > 0).then(|| min_score.to_string())
            );
            let (again, _, _) = import(&org(), &written, Utc::now()).unwrap();
            assert_eq!((again.outcome_rule, again.min_score), (rule, min_score));
        }
        // An imported META that no longer says the process's rule is corrected in place.
        let mut changed = b;
        changed.outcome_rule = OutcomeRule::Greedy;
        changed.min_score = 0;
        let f = pabulib::parse(&export(&org(), &changed, &proposals, &ballots)).unwrap();
        assert_eq!((f.meta("rule"), f.meta("min_project_score_threshold")), (Some("greedy"), Some("0")));
    }
}
