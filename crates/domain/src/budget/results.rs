//! A process's results: the outcome rule run on its ballots, per district, with each project's
//! tally. Results of processes whose ballots are final (from the results phase on) are cached,
//! and their ballots loaded once per process version: a city-wide vote is tens of thousands of
//! rows, and every rule and district is computed from the same ones.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::ids::{BudgetId, ProposalId};

use super::amount::Amount;
use super::exchange::{counts_points, minor, to_minor};
use super::outcome::{self, Ballots, Election, ElectionProject, OutcomeRule, Stage};
use super::process::{Budget, Phase, Proposal, ProposalFilter, StoredBallot};
use super::service::BudgetError;
use crate::i18n::LocalizedText;
use crate::repo::Store;

/// Which result: another rule than the process's own, a district, another vote threshold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultsQuery {
    pub rule: Option<OutcomeRule>,
    /// `None` (or empty): the whole process.
    pub district: Option<String>,
    pub min_votes: Option<u64>,
}

/// A selected project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinnerResult {
    pub proposal_id: ProposalId,
    pub code: String,
    pub title: LocalizedText,
    /// Minor units.
    pub cost: i64,
    pub votes: u64,
    /// Approvals, or points.
    pub score: String,
    pub stage: Stage,
    /// Equal Shares: what each supporter paid (an exact fraction of currency units).
    pub share: Option<String>,
}

/// A project's tally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyResult {
    pub proposal_id: ProposalId,
    pub code: String,
    pub title: LocalizedText,
    /// Minor units.
    pub cost: i64,
    pub votes: u64,
    pub score: String,
    pub eligible: bool,
    pub selected: bool,
}

/// A process's results under one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetResults {
    pub rule: OutcomeRule,
    pub district: Option<String>,
    pub currency: String,
    /// Minor units.
    pub budget: i64,
    pub spent: i64,
    pub money_left: i64,
    pub voters: u64,
    pub min_votes: u64,
    pub voter_budget: Option<String>,
    /// In selection order.
    pub winners: Vec<WinnerResult>,
    /// Every project on the ballot, by votes.
    pub projects: Vec<TallyResult>,
}

type CacheKey = (BudgetId, DateTime<Utc>, OutcomeRule, Option<String>, u64);
type InputsKey = (BudgetId, DateTime<Utc>);

/// What results are computed from: a process's proposals and ballots.
pub struct Inputs {
    proposals: Vec<Proposal>,
    ballots: Vec<StoredBallot>,
}

async fn load_inputs(store: &dyn Store, b: &Budget) -> Result<Inputs, BudgetError> {
    Ok(Inputs {
        proposals: store.proposals(b.id, &ProposalFilter::default()).await?,
        ballots: store.ballots(b.id).await?,
    })
}

/// Results of processes whose ballots are final, and those ballots, by process version.
#[derive(Default)]
pub struct ResultsCache {
    results: Mutex<HashMap<CacheKey, Arc<BudgetResults>>>,
    inputs: Mutex<HashMap<InputsKey, Arc<tokio::sync::OnceCell<Arc<Inputs>>>>>,
}

impl std::fmt::Debug for ResultsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResultsCache(..)")
    }
}

impl ResultsCache {
    fn get(&self, k: &CacheKey) -> Option<Arc<BudgetResults>> {
        self.results.lock().ok()?.get(k).cloned()
    }

    fn put(&self, k: CacheKey, v: Arc<BudgetResults>) {
        if let Ok(mut m) = self.results.lock() {
            if m.len() >= 256 {
                m.clear();
            }
            m.insert(k, v);
        }
    }

    /// The final ballots of `b`, loaded by the first caller while the others wait for it.
    async fn inputs(&self, store: &dyn Store, b: &Budget) -> Result<Arc<Inputs>, BudgetError> {
        let cell = {
            let mut m = self.inputs.lock().map_err(|_| BudgetError::Internal("results cache poisoned".into()))?;
            if m.len() >= 16 {
                m.clear();
            }
            m.entry((b.id, b.updated_at)).or_default().clone()
        };
        cell.get_or_try_init(|| async { load_inputs(store, b).await.map(Arc::new) }).await.cloned()
    }
}

fn election_of(
    b: &Budget,
    on: &[&Proposal],
    ballots: &[StoredBallot],
    district: Option<&str>,
    min_votes: u64,
) -> Result<Election, BudgetError> {
    let codes: HashMap<ProposalId, &str> = on.iter().map(|p| (p.id, p.code.as_str())).collect();
    let projects = on.iter().map(|p| ElectionProject { id: p.code.clone(), cost: minor(p.cost()) }).collect();
    let mine = ballots.iter().filter(|x| x.district.as_deref() == district);
    let named = |x: &StoredBallot| {
        x.choices.iter().filter_map(|(id, pts)| codes.get(id).map(|c| ((*c).to_owned(), *pts))).collect::<Vec<_>>()
    };
    let cast = if counts_points(&b.ballot_rule) {
        Ballots::Points(mine.map(|x| named(x).into_iter().map(|(c, p)| (c, Amount::whole(p))).collect()).collect())
    } else {
        Ballots::Approval(mine.map(|x| named(x).into_iter().map(|(c, _)| c).collect()).collect())
    };
    let money = b.money_of(district).ok_or(BudgetError::NotFound("district"))?;
    Ok(Election::new(projects, minor(money), cast)
        .map_err(|e| BudgetError::Internal(e.to_string()))?
        .with_min_votes(min_votes))
}

/// The results of `b` under the query's rule (default: the process's own) for a district
/// (default: the whole process), cached once the ballots are final.
///
/// # Errors
/// [`BudgetError::NotFound`] for an unknown district; a database failure.
pub async fn compute(
    store: &dyn Store,
    cache: &ResultsCache,
    b: &Budget,
    q: &ResultsQuery,
) -> Result<Arc<BudgetResults>, BudgetError> {
    let rule = q.rule.unwrap_or(b.outcome_rule);
    let min_votes = q.min_votes.unwrap_or(b.min_votes);
    let district = q.district.as_deref().filter(|d| !d.is_empty());
    let key: CacheKey = (b.id, b.updated_at, rule, district.map(str::to_owned), min_votes);
    let frozen = b.phase >= Phase::Results;
    if frozen && let Some(hit) = cache.get(&key) {
        return Ok(hit);
    }
    let inputs = if frozen { cache.inputs(store, b).await? } else { Arc::new(load_inputs(store, b).await?) };
    let proposals: Vec<&Proposal> = inputs.proposals.iter().filter(|p| p.district.as_deref() == district).collect();
    let on: Vec<&Proposal> = proposals.into_iter().filter(|p| b.is_on_ballot(p)).collect();
    let ballots = &inputs.ballots;
    let voters = u64::try_from(ballots.iter().filter(|x| x.district.as_deref() == district).count()).unwrap_or(0);
    let election = election_of(b, &on, ballots, district, min_votes)?;
    // The rules are CPU-bound (seconds for a city): off the async workers.
    let result = tokio::task::spawn_blocking(move || outcome::compute(rule, &election))
        .await
        .map_err(|e| BudgetError::Internal(e.to_string()))?;
    let by_code: HashMap<&str, &Proposal> = on.iter().map(|p| (p.code.as_str(), *p)).collect();
    let tallies: HashMap<&str, _> = result.projects.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut winners = Vec::with_capacity(result.winners.len());
    for w in &result.winners {
        let p = by_code.get(w.id.as_str()).ok_or_else(|| BudgetError::Internal("winner not on the ballot".into()))?;
        let t = tallies.get(w.id.as_str());
        winners.push(WinnerResult {
            proposal_id: p.id,
            code: p.code.clone(),
            title: p.title.clone(),
            cost: p.cost(),
            votes: t.map_or(0, |t| t.votes),
            score: t.map_or_else(String::new, |t| t.score.to_string()),
            stage: w.stage,
            share: w.share.as_ref().map(ToString::to_string),
        });
    }
    let chosen: HashSet<&str> = result.winners.iter().map(|w| w.id.as_str()).collect();
    let mut projects: Vec<TallyResult> = result
        .projects
        .iter()
        .filter_map(|t| {
            by_code.get(t.id.as_str()).map(|p| TallyResult {
                proposal_id: p.id,
                code: p.code.clone(),
                title: p.title.clone(),
                cost: p.cost(),
                votes: t.votes,
                score: t.score.to_string(),
                eligible: t.eligible,
                selected: chosen.contains(t.id.as_str()),
            })
        })
        .collect();
    projects.sort_by(|a, b| b.votes.cmp(&a.votes).then_with(|| a.code.cmp(&b.code)));
    let results = Arc::new(BudgetResults {
        rule,
        district: district.map(str::to_owned),
        currency: b.currency.clone(),
        budget: to_minor(&result.budget).unwrap_or(0),
        spent: to_minor(&result.spent).unwrap_or(0),
        money_left: to_minor(&result.money_left).unwrap_or(0),
        voters,
        min_votes,
        voter_budget: result.voter_budget.as_ref().map(ToString::to_string),
        winners,
        projects,
    });
    if frozen {
        cache.put(key, results.clone());
    }
    Ok(results)
}
