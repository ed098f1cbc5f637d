//! A process's results: the outcome rule run on its ballots, per district, with each project's
//! tally. Results of processes whose ballots are final (from the results phase on) are cached in a
//! bounded cache, and their ballots loaded once per process version: a city-wide vote is tens of
//! thousands of rows, and every rule and district is computed from the same ones. At most one
//! computation per process runs at a time, and a request waits for one only up to a time limit.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};
use moka::future::Cache;

use crate::ids::{BudgetId, ProposalId};

use super::amount::Amount;
use super::ballot::BallotRule;
use super::exchange::{minor, to_minor};
use super::outcome::{self, Ballots, Election, ElectionProject, OutcomeRule, Stage};
use super::process::{Budget, Phase, Proposal, ProposalFilter, StoredBallot};
use super::service::BudgetError;
use crate::i18n::LocalizedText;
use crate::repo::Store;

/// Which result: another rule than the process's own, a district, another score threshold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultsQuery {
    pub rule: Option<OutcomeRule>,
    /// `None` (or empty): the whole process.
    pub district: Option<String>,
    pub min_score: Option<u64>,
}

impl ResultsQuery {
    /// Whether it asks for another rule or threshold than the process's own (staff only).
    #[must_use]
    pub fn overrides(&self, b: &Budget) -> bool {
        self.rule.is_some_and(|r| r != b.outcome_rule) || self.min_score.is_some_and(|m| m != b.min_score)
    }
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
    pub min_score: u64,
    pub voter_budget: Option<String>,
    /// In selection order.
    pub winners: Vec<WinnerResult>,
    /// Every project on the ballot, by score (the order the greedy rules take them in).
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

/// How long a request waits for results being computed, and how many are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultsLimits {
    /// A request that waits longer (for its own computation, or another one of the same process)
    /// is answered [`BudgetError::Busy`]; the computation goes on and its result is cached.
    pub time_limit: Duration,
    /// Results kept (each key: process version, rule, district, threshold).
    pub results: u64,
    /// Processes whose final ballots are kept in memory.
    pub inputs: u64,
}

impl Default for ResultsLimits {
    fn default() -> Self {
        Self { time_limit: Duration::from_secs(20), results: 512, inputs: 8 }
    }
}

/// Results of processes whose ballots are final, and those ballots, by process version, in
/// bounded caches; and one lock per process, so that at most one computation of its results
/// runs at a time.
pub struct ResultsCache {
    limits: ResultsLimits,
    results: Cache<CacheKey, Arc<BudgetResults>>,
    inputs: Cache<InputsKey, Arc<Inputs>>,
    /// pabulib files of processes whose ballots are final, by process version.
    exports: Cache<InputsKey, Arc<str>>,
    running: Mutex<HashMap<BudgetId, Weak<tokio::sync::Mutex<()>>>>,
}

impl Default for ResultsCache {
    fn default() -> Self {
        Self::new(ResultsLimits::default())
    }
}

impl std::fmt::Debug for ResultsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResultsCache(..)")
    }
}

impl ResultsCache {
    /// Empty caches with these limits.
    #[must_use]
    pub fn new(limits: ResultsLimits) -> Self {
        Self {
            limits,
            results: Cache::new(limits.results),
            inputs: Cache::new(limits.inputs),
            exports: Cache::new(limits.inputs),
            running: Mutex::new(HashMap::new()),
        }
    }

    /// The final ballots of `b`, loaded by the first caller while the others wait for it.
    async fn inputs(&self, store: &dyn Store, b: &Budget) -> Result<Arc<Inputs>, BudgetError> {
        self.inputs
            .try_get_with((b.id, b.updated_at), async { load_inputs(store, b).await.map(Arc::new) })
            .await
            .map_err(|e| (*e).clone())
    }

    /// The pabulib file of `b`, whose ballots are final (`b` in its results phase or later),
    /// written once per process version from the cached final ballots; concurrent first
    /// requests wait for one writing.
    pub(crate) async fn export(
        &self,
        store: &dyn Store,
        b: &Budget,
        write: impl FnOnce(&[Proposal], &[StoredBallot]) -> String,
    ) -> Result<Arc<str>, BudgetError> {
        self.exports
            .try_get_with((b.id, b.updated_at), async {
                let inputs = self.inputs(store, b).await?;
                Ok::<_, BudgetError>(Arc::from(write(&inputs.proposals, &inputs.ballots)))
            })
            .await
            .map_err(|e| (*e).clone())
    }

    /// The lock of process `id`'s computations (one per process while anyone holds it).
    fn lock_of(&self, id: BudgetId) -> Result<Arc<tokio::sync::Mutex<()>>, BudgetError> {
        let mut m = self.running.lock().map_err(|_| BudgetError::Internal("results locks poisoned".into()))?;
        if let Some(lock) = m.get(&id).and_then(Weak::upgrade) {
            return Ok(lock);
        }
        m.retain(|_, w| w.strong_count() > 0);
        let lock = Arc::new(tokio::sync::Mutex::new(()));
        m.insert(id, Arc::downgrade(&lock));
        Ok(lock)
    }

    fn busy(&self) -> BudgetError {
        BudgetError::Busy { retry_after: self.limits.time_limit.as_secs().max(1) }
    }
}

/// The election of the projects `on` the ballot of `district` (or the whole process) with the
/// process's ballots, scored by its ballot rule, with `min_score`.
///
/// # Errors
/// [`BudgetError::NotFound`] for an unknown district.
pub(crate) fn election_of(
    b: &Budget,
    on: &[&Proposal],
    ballots: &[StoredBallot],
    district: Option<&str>,
    min_score: u64,
) -> Result<Election, BudgetError> {
    let codes: HashMap<ProposalId, &str> = on.iter().map(|p| (p.id, p.code.as_str())).collect();
    let projects = on.iter().map(|p| ElectionProject { id: p.code.clone(), cost: minor(p.cost()) }).collect();
    let mine = ballots.iter().filter(|x| x.district.as_deref() == district);
    let named = |x: &StoredBallot| {
        x.choices.iter().filter_map(|(id, pts)| codes.get(id).map(|c| ((*c).to_owned(), *pts))).collect::<Vec<_>>()
    };
    // Stored points: 1 per approval, the points given, or the rank's score.
    let cast = match &b.ballot_rule {
        BallotRule::Approval { .. } => {
            Ballots::Approval(mine.map(|x| named(x).into_iter().map(|(c, _)| c).collect()).collect())
        }
        BallotRule::Cumulative { .. } => {
            Ballots::Points(mine.map(|x| named(x).into_iter().map(|(c, p)| (c, Amount::whole(p))).collect()).collect())
        }
        BallotRule::Ranking { .. } => Ballots::Ranked(mine.map(named).collect()),
    };
    let money = b.money_of(district).ok_or(BudgetError::NotFound("district"))?;
    Ok(Election::new(projects, minor(money), cast)
        .map_err(|e| BudgetError::Internal(e.to_string()))?
        .with_min_score(min_score))
}

/// The results of `b` under the query's rule (default: the process's own) for a district
/// (default: the whole process), cached once the ballots are final. At most one computation per
/// process runs at a time; a request that waits longer than the time limit gets
/// [`BudgetError::Busy`] while the computation goes on (and fills the cache).
///
/// # Errors
/// [`BudgetError::NotFound`] for an unknown district; busy; a database failure.
pub async fn compute(
    store: &Arc<dyn Store>,
    cache: &Arc<ResultsCache>,
    b: &Budget,
    q: &ResultsQuery,
) -> Result<Arc<BudgetResults>, BudgetError> {
    let rule = q.rule.unwrap_or(b.outcome_rule);
    let min_score = q.min_score.unwrap_or(b.min_score);
    let district = q.district.as_deref().filter(|d| !d.is_empty()).map(str::to_owned);
    let key: CacheKey = (b.id, b.updated_at, rule, district.clone(), min_score);
    let frozen = b.phase >= Phase::Results;
    if frozen && let Some(hit) = cache.results.get(&key).await {
        return Ok(hit);
    }
    let deadline = tokio::time::Instant::now() + cache.limits.time_limit;
    let lock = cache.lock_of(b.id)?;
    let guard = tokio::time::timeout_at(deadline, lock.lock_owned()).await.map_err(|_| cache.busy())?;
    // Another request may have computed it while this one waited.
    if frozen && let Some(hit) = cache.results.get(&key).await {
        return Ok(hit);
    }
    let (store, cache_, budget) = (store.clone(), cache.clone(), b.clone());
    // A task of its own, holding the process's lock until done: a request that stops waiting
    // neither cancels it nor lets a second computation of the process start meanwhile.
    let task = tokio::spawn(async move {
        let _guard = guard;
        let inputs = if frozen {
            cache_.inputs(store.as_ref(), &budget).await?
        } else {
            Arc::new(load_inputs(store.as_ref(), &budget).await?)
        };
        // The rules are CPU-bound (seconds for a city): off the async workers.
        let results = tokio::task::spawn_blocking(move || tabulate(&budget, &inputs, rule, district, min_score))
            .await
            .map_err(|e| BudgetError::Internal(e.to_string()))??;
        let results = Arc::new(results);
        if frozen {
            cache_.results.insert(key, results.clone()).await;
        }
        Ok(results)
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(joined) => joined.map_err(|e| BudgetError::Internal(e.to_string()))?,
        Err(_) => Err(cache.busy()),
    }
}

/// Runs `rule` on the inputs and names the winners and the tallies.
fn tabulate(
    b: &Budget,
    inputs: &Inputs,
    rule: OutcomeRule,
    district: Option<String>,
    min_score: u64,
) -> Result<BudgetResults, BudgetError> {
    let district = district.as_deref();
    let proposals: Vec<&Proposal> = inputs.proposals.iter().filter(|p| p.district.as_deref() == district).collect();
    let on: Vec<&Proposal> = proposals.into_iter().filter(|p| b.is_on_ballot(p)).collect();
    let ballots = &inputs.ballots;
    let voters = u64::try_from(ballots.iter().filter(|x| x.district.as_deref() == district).count()).unwrap_or(0);
    let election = election_of(b, &on, ballots, district, min_score)?;
    let result = outcome::compute(rule, &election);
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
    let mut projects: Vec<(Amount, TallyResult)> = result
        .projects
        .iter()
        .filter_map(|t| {
            by_code.get(t.id.as_str()).map(|p| {
                (
                    t.score,
                    TallyResult {
                        proposal_id: p.id,
                        code: p.code.clone(),
                        title: p.title.clone(),
                        cost: p.cost(),
                        votes: t.votes,
                        score: t.score.to_string(),
                        eligible: t.eligible,
                        selected: chosen.contains(t.id.as_str()),
                    },
                )
            })
        })
        .collect();
    // By score, as the greedy rules take them (ties: the lower code).
    projects.sort_by(|(sa, a), (sb, b)| sb.cmp(sa).then_with(|| a.code.cmp(&b.code)));
    Ok(BudgetResults {
        rule,
        district: district.map(str::to_owned),
        currency: b.currency.clone(),
        budget: to_minor(&result.budget).unwrap_or(0),
        spent: to_minor(&result.spent).unwrap_or(0),
        money_left: to_minor(&result.money_left).unwrap_or(0),
        voters,
        min_score,
        voter_budget: result.voter_budget.as_ref().map(ToString::to_string),
        winners,
        projects: projects.into_iter().map(|(_, t)| t).collect(),
    })
}
