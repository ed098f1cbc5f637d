//! The participatory budget's vote as the API speaks it: ballot and outcome rules, ballots, the
//! results (cached once the ballots are final), pabulib import and export, and the secret ballot
//! keys. The rules themselves are the domain's (`pnyx_domain::budget`); this module converts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use pnyx_domain::budget::amount::Amount;
use pnyx_domain::budget::ballot::{Ballot, BallotContext, BallotProject, BallotRule};
use pnyx_domain::budget::outcome::{self, Ballots, Election, ElectionProject, OutcomeRule, Stage};
use pnyx_domain::budget::pabulib::{self, PbFile, PbProject, PbVote, VoteType};
use pnyx_domain::budget::process::{
    Budget, PabulibMeta, Phase, Proposal, ProposalFilter, Review, Schedule, StoredBallot,
};
use pnyx_domain::i18n::LocalizedText;
use pnyx_domain::org::Organisation;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// Minor units per currency unit: amounts are stored as integer minor units with two decimals.
const MINOR_SCALE: u8 = 2;

// ---------------------------------------------------------------------------------------------
// Rules

/// How residents vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BallotRuleDto {
    /// Approve projects: at least `min_projects`, at most `max_projects`; with `knapsack`, their
    /// total cost may not exceed the budget (of the district).
    Approval {
        #[serde(default)]
        min_projects: u32,
        #[serde(default)]
        max_projects: Option<u32>,
        #[serde(default)]
        knapsack: bool,
    },
    /// Spread up to `points` points, at most `max_per_project` on one.
    Cumulative {
        points: u64,
        #[serde(default)]
        max_per_project: Option<u64>,
        #[serde(default)]
        min_projects: u32,
    },
    /// Rank exactly `scores.len()` projects; rank `i` scores `scores[i-1]` (Kraków: `[3, 2, 1]`).
    /// Equal scores count as approvals.
    Ranking { scores: Vec<u64> },
}

impl From<&BallotRule> for BallotRuleDto {
    fn from(r: &BallotRule) -> Self {
        match r.clone() {
            BallotRule::Approval { min_projects, max_projects, knapsack } => {
                Self::Approval { min_projects, max_projects, knapsack }
            }
            BallotRule::Cumulative { points, max_per_project, min_projects } => {
                Self::Cumulative { points, max_per_project, min_projects }
            }
            BallotRule::Ranking { scores } => Self::Ranking { scores },
        }
    }
}

/// Checks a rule's own numbers and converts it.
///
/// # Errors
/// 422 naming the field.
pub fn store_rule(r: &BallotRuleDto) -> Result<BallotRule, ApiError> {
    Ok(match r.clone() {
        BallotRuleDto::Approval { min_projects, max_projects, knapsack } => {
            if max_projects.is_some_and(|m| m == 0 || m < min_projects) {
                return Err(ApiError::field(
                    "ballot_rule.max_projects",
                    "must be at least 1 and at least min_projects",
                ));
            }
            BallotRule::Approval { min_projects, max_projects, knapsack }
        }
        BallotRuleDto::Cumulative { points, max_per_project, min_projects } => {
            if !(1..=1000).contains(&points) {
                return Err(ApiError::field("ballot_rule.points", "must be between 1 and 1000"));
            }
            if max_per_project.is_some_and(|m| m == 0 || m > points) {
                return Err(ApiError::field("ballot_rule.max_per_project", "must be between 1 and points"));
            }
            BallotRule::Cumulative { points, max_per_project, min_projects }
        }
        BallotRuleDto::Ranking { scores } => {
            if scores.is_empty() || scores.len() > 20 || scores.contains(&0) {
                return Err(ApiError::field("ballot_rule.scores", "must hold 1 to 20 scores, none zero"));
            }
            BallotRule::Ranking { scores }
        }
    })
}

/// The rule that turns ballots into winners. `greedy`: by votes (approvals, or points per cost
/// for point ballots), skipping what no longer fits. `equal_shares`: the Method of Equal Shares
/// completed as equalshares.net does (Wieliczka, Aarau); `equal_shares_plain`: without completion;
/// `equal_shares_greedy`: completed by greedy only. Ties: the lower project code wins (pabutools).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeRuleDto {
    Greedy,
    EqualShares,
    EqualSharesPlain,
    EqualSharesGreedy,
}

impl From<OutcomeRuleDto> for OutcomeRule {
    fn from(r: OutcomeRuleDto) -> Self {
        match r {
            OutcomeRuleDto::Greedy => OutcomeRule::Greedy,
            OutcomeRuleDto::EqualShares => OutcomeRule::EqualShares,
            OutcomeRuleDto::EqualSharesPlain => OutcomeRule::EqualSharesPlain,
            OutcomeRuleDto::EqualSharesGreedy => OutcomeRule::EqualSharesGreedy,
        }
    }
}

impl From<OutcomeRule> for OutcomeRuleDto {
    fn from(r: OutcomeRule) -> Self {
        match r {
            OutcomeRule::Greedy => OutcomeRuleDto::Greedy,
            OutcomeRule::EqualShares => OutcomeRuleDto::EqualShares,
            OutcomeRule::EqualSharesPlain => OutcomeRuleDto::EqualSharesPlain,
            OutcomeRule::EqualSharesGreedy => OutcomeRuleDto::EqualSharesGreedy,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Ballots

/// One choice on a ballot.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceDto {
    pub proposal_id: Uuid,
    /// Cumulative ballots only: the points given (other ballots: omit).
    pub points: Option<u64>,
}

/// A ballot to cast. For ranking ballots the order of `choices` is the ranking, first = best.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"district": "centrum", "choices": [{"proposal_id": "01939f7e-8c1a-7d2b-9c3e-1a2b3c4d5e6f"}]}))]
pub struct BallotRequest {
    /// The district's key; omit for the process-wide ballot.
    #[validate(length(min = 1, max = 100))]
    pub district: Option<String>,
    #[validate(length(max = 200))]
    pub choices: Vec<ChoiceDto>,
}

/// A ballot as stored (anonymous).
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotResponse {
    pub district: Option<String>,
    /// In the order cast; `points` is 1 for an approval, the points given, or the rank's score.
    pub choices: Vec<StoredChoice>,
}

/// A stored choice.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredChoice {
    pub proposal_id: Uuid,
    pub points: u64,
}

#[must_use]
pub fn ballot_dto(b: &StoredBallot) -> BallotResponse {
    BallotResponse {
        district: b.district.clone(),
        choices: b.choices.iter().map(|(id, points)| StoredChoice { proposal_id: *id, points: *points }).collect(),
    }
}

fn minor(amount: i64) -> Amount {
    Amount::new(u64::try_from(amount).unwrap_or(0), MINOR_SCALE).unwrap_or(Amount::whole(0))
}

/// An amount in minor units, when it has at most two decimals and fits.
fn to_minor(a: &Amount) -> Option<i64> {
    a.units_at(MINOR_SCALE).and_then(|u| i64::try_from(u).ok())
}

/// Checks a ballot against the process's rule and the projects on its ballot, and turns it into
/// what is stored.
///
/// # Errors
/// 422: an unknown district, or the rule the ballot breaks (unknown or off-ballot project, too
/// many, over budget, …), named in the message.
pub fn check(b: &Budget, proposals: &[Proposal], r: &BallotRequest) -> Result<StoredBallot, ApiError> {
    let district = r.district.clone();
    match (&district, b.districts.is_empty()) {
        (None, false) => return Err(ApiError::field("district", "is required: this process votes by district")),
        (Some(_), true) => return Err(ApiError::field("district", "this process has no districts")),
        _ => {}
    }
    let money = b.money_of(district.as_deref()).ok_or_else(|| ApiError::field("district", "no such district"))?;
    let context = BallotContext {
        projects: proposals
            .iter()
            .map(|p| BallotProject {
                id: p.id.to_string(),
                cost: minor(p.cost()),
                on_ballot: p.district == district && b.is_on_ballot(p),
            })
            .collect(),
        budget: minor(money),
    };
    let ids: Vec<String> = r.choices.iter().map(|c| c.proposal_id.to_string()).collect();
    let ballot = match &b.ballot_rule {
        BallotRule::Cumulative { .. } => {
            let mut items = Vec::with_capacity(r.choices.len());
            for (i, c) in r.choices.iter().enumerate() {
                let p = c.points.ok_or_else(|| ApiError::field(format!("choices[{i}].points"), "is required"))?;
                items.push((c.proposal_id.to_string(), p));
            }
            Ballot::Cumulative(items)
        }
        rule => {
            if let Some(i) = r.choices.iter().position(|c| c.points.is_some()) {
                return Err(ApiError::field(format!("choices[{i}].points"), "only cumulative ballots give points"));
            }
            if matches!(rule, BallotRule::Ranking { .. }) { Ballot::Ranking(ids) } else { Ballot::Approval(ids) }
        }
    };
    b.ballot_rule.check(&ballot, &context).map_err(|e| {
        ApiError::validation(vec![FieldError { field: "choices".into(), message: e.to_string() }])
            .with_code("ballot-rule-broken")
    })?;
    let choices = b
        .ballot_rule
        .points(&ballot)
        .into_iter()
        .map(|(id, pts)| Ok((id.parse::<Uuid>().map_err(ApiError::internal)?, pts)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(StoredBallot { district, choices, pabulib: None })
}

/// Whether the process's ballots count as points (cumulative, or a ranking with unequal scores)
/// rather than approvals. Rankings with equal scores are the approval view pabutools uses.
fn counts_points(rule: &BallotRule) -> bool {
    match rule {
        BallotRule::Approval { .. } => false,
        BallotRule::Cumulative { .. } => true,
        BallotRule::Ranking { scores } => scores.windows(2).any(|w| w[0] != w[1]),
    }
}

// ---------------------------------------------------------------------------------------------
// Results

/// A selected project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WinnerDto {
    pub proposal_id: Uuid,
    pub code: String,
    pub title: LocalizedTextDto,
    /// Minor units.
    pub cost: i64,
    pub votes: u64,
    /// Approvals, or points.
    pub score: String,
    /// Which stage chose it: `equal_shares`, or `greedy` (the rule itself or a completion).
    pub stage: String,
    /// Equal Shares: what each supporter paid (an exact fraction of currency units, `p/q`).
    pub share: Option<String>,
}

/// A project's tally.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TallyDto {
    pub proposal_id: Uuid,
    pub code: String,
    pub title: LocalizedTextDto,
    /// Minor units.
    pub cost: i64,
    pub votes: u64,
    pub score: String,
    /// Reached the minimum number of votes.
    pub eligible: bool,
    pub selected: bool,
}

/// A process's results under one rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultsResponse {
    pub rule: OutcomeRuleDto,
    pub district: Option<String>,
    pub currency: String,
    /// Minor units.
    pub budget: i64,
    pub spent: i64,
    pub money_left: i64,
    pub voters: u64,
    pub min_votes: u64,
    /// Equal Shares: each voter's starting money (for `equal_shares`, the raised amount used).
    pub voter_budget: Option<String>,
    /// In selection order.
    pub winners: Vec<WinnerDto>,
    /// Every project on the ballot, by votes.
    pub projects: Vec<TallyDto>,
}

/// Computed results, with their JSON ready to send (a city's results are tens of kilobytes).
pub struct Results {
    pub response: ResultsResponse,
    pub json: actix_web::web::Bytes,
}

type CacheKey = (Uuid, DateTime<Utc>, OutcomeRule, Option<String>, u64);

/// What results are computed from: a process's proposals and ballots.
pub struct Inputs {
    proposals: Vec<Proposal>,
    ballots: Vec<StoredBallot>,
}

async fn load_inputs(st: &AppState, b: &Budget) -> Result<Inputs, ApiError> {
    Ok(Inputs {
        proposals: st.store.proposals(b.id, &ProposalFilter::default()).await?,
        ballots: st.store.ballots(b.id).await?,
    })
}

type InputsKey = (Uuid, DateTime<Utc>);

/// Results of processes whose ballots are final (from the results phase on), and the ballots
/// themselves, loaded once per process version: a city-wide vote is tens of thousands of rows,
/// and every rule and district is computed from the same ones.
#[derive(Default)]
pub struct ResultsCache {
    results: Mutex<HashMap<CacheKey, Arc<Results>>>,
    inputs: Mutex<HashMap<InputsKey, Arc<tokio::sync::OnceCell<Arc<Inputs>>>>>,
}

impl ResultsCache {
    fn get(&self, k: &CacheKey) -> Option<Arc<Results>> {
        self.results.lock().ok()?.get(k).cloned()
    }

    fn put(&self, k: CacheKey, v: Arc<Results>) {
        if let Ok(mut m) = self.results.lock() {
            if m.len() >= 256 {
                m.clear();
            }
            m.insert(k, v);
        }
    }

    /// The final ballots of `b`, loaded by the first caller while the others wait for it.
    ///
    /// # Errors
    /// A database failure (the next caller tries again).
    pub async fn inputs(&self, st: &AppState, b: &Budget) -> Result<Arc<Inputs>, ApiError> {
        let cell = {
            let mut m = self.inputs.lock().map_err(|_| ApiError::internal("results cache poisoned"))?;
            if m.len() >= 16 {
                m.clear();
            }
            m.entry((b.id, b.updated_at)).or_default().clone()
        };
        cell.get_or_try_init(|| async { load_inputs(st, b).await.map(Arc::new) }).await.cloned()
    }
}

/// Loads a process's final ballots in the background (after an import, or when its vote closes),
/// so that the first request for its results does not wait for them.
pub fn warm(st: actix_web::web::Data<AppState>, b: Budget) {
    if b.phase >= Phase::Results {
        tokio::spawn(async move {
            if let Err(e) = outcome(&st, &b, None, None, None).await {
                tracing::warn!(budget = %b.id, error = %e, "computing the results in the background failed");
            }
        });
    }
}

fn election_of(
    b: &Budget,
    on: &[&Proposal],
    ballots: &[StoredBallot],
    district: Option<&str>,
    min_votes: u64,
) -> Result<Election, ApiError> {
    let codes: HashMap<Uuid, &str> = on.iter().map(|p| (p.id, p.code.as_str())).collect();
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
    let money = b.money_of(district).ok_or_else(|| ApiError::not_found("district"))?;
    Ok(Election::new(projects, minor(money), cast).map_err(ApiError::internal)?.with_min_votes(min_votes))
}

/// The results of `b` under `rule` (default: the process's own) for a district (default: the
/// whole process), cached once the ballots are final.
///
/// # Errors
/// 404 for an unknown district; a database failure.
pub async fn outcome(
    st: &AppState,
    b: &Budget,
    rule: Option<OutcomeRuleDto>,
    district: Option<&str>,
    min_votes: Option<u64>,
) -> Result<Arc<Results>, ApiError> {
    let rule: OutcomeRule = rule.map_or(b.outcome_rule, Into::into);
    let min_votes = min_votes.unwrap_or(b.min_votes);
    let district = district.filter(|d| !d.is_empty());
    let key: CacheKey = (b.id, b.updated_at, rule, district.map(str::to_owned), min_votes);
    let frozen = b.phase >= Phase::Results;
    if frozen && let Some(hit) = st.results_cache.get(&key) {
        return Ok(hit);
    }
    let inputs = if frozen { st.results_cache.inputs(st, b).await? } else { Arc::new(load_inputs(st, b).await?) };
    let proposals: Vec<&Proposal> = inputs.proposals.iter().filter(|p| p.district.as_deref() == district).collect();
    let on: Vec<&Proposal> = proposals.into_iter().filter(|p| b.is_on_ballot(p)).collect();
    let ballots = &inputs.ballots;
    let voters = u64::try_from(ballots.iter().filter(|x| x.district.as_deref() == district).count()).unwrap_or(0);
    let election = election_of(b, &on, ballots, district, min_votes)?;
    let result =
        tokio::task::spawn_blocking(move || outcome::compute(rule, &election)).await.map_err(ApiError::internal)?;
    let by_code: HashMap<&str, &Proposal> = on.iter().map(|p| (p.code.as_str(), *p)).collect();
    let tallies: HashMap<&str, _> = result.projects.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut winners = Vec::with_capacity(result.winners.len());
    for w in &result.winners {
        let p = by_code.get(w.id.as_str()).ok_or_else(|| ApiError::internal("winner not on the ballot"))?;
        let t = tallies.get(w.id.as_str());
        winners.push(WinnerDto {
            proposal_id: p.id,
            code: p.code.clone(),
            title: (&p.title).into(),
            cost: p.cost(),
            votes: t.map_or(0, |t| t.votes),
            score: t.map_or_else(String::new, |t| t.score.to_string()),
            stage: match w.stage {
                Stage::Greedy => "greedy",
                Stage::EqualShares => "equal_shares",
            }
            .to_owned(),
            share: w.share.as_ref().map(ToString::to_string),
        });
    }
    let chosen: std::collections::HashSet<&str> = result.winners.iter().map(|w| w.id.as_str()).collect();
    let mut projects: Vec<TallyDto> = result
        .projects
        .iter()
        .filter_map(|t| {
            by_code.get(t.id.as_str()).map(|p| TallyDto {
                proposal_id: p.id,
                code: p.code.clone(),
                title: (&p.title).into(),
                cost: p.cost(),
                votes: t.votes,
                score: t.score.to_string(),
                eligible: t.eligible,
                selected: chosen.contains(t.id.as_str()),
            })
        })
        .collect();
    projects.sort_by(|a, b| b.votes.cmp(&a.votes).then_with(|| a.code.cmp(&b.code)));
    let response = ResultsResponse {
        rule: rule.into(),
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
    };
    let json = actix_web::web::Bytes::from(serde_json::to_vec(&response).map_err(ApiError::internal)?);
    let results = Arc::new(Results { response, json });
    if frozen {
        st.results_cache.put(key, results.clone());
    }
    Ok(results)
}

// ---------------------------------------------------------------------------------------------
// pabulib

fn pb_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::field("body", e.to_string())
}

/// A `.pb` file as a process in the results phase, its projects as feasible proposals and its
/// votes as anonymous ballots.
///
/// # Errors
/// 422 naming the line or value we cannot take.
pub fn import(org: &Organisation, text: &str) -> Result<(Budget, Vec<Proposal>, Vec<StoredBallot>), ApiError> {
    let file = pabulib::parse(text).map_err(pb_error)?;
    let now = pnyx_domain::now();
    let id = Uuid::now_v7();
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
        // Rankings count as approvals, as pabutools reads ordinal files; the city's scoring can
        // be set on the process.
        VoteType::Ordinal => {
            BallotRule::Ranking { scores: vec![1; usize::try_from(num("max_length").unwrap_or(3)).unwrap_or(3)] }
        }
    };
    let outcome_rule = if meta("rule").is_some_and(|r| r.starts_with("equalshares")) {
        OutcomeRule::EqualShares
    } else {
        OutcomeRule::Greedy
    };
    let total =
        to_minor(&file.budget).ok_or_else(|| ApiError::field("body", "the budget has more than two decimals"))?;
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
            .ok_or_else(|| ApiError::field("body", format!("project {}: the cost has more than two decimals", p.id)))?;
        let pid = Uuid::now_v7();
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
    let mut ballots = Vec::with_capacity(file.votes.len());
    for v in &file.votes {
        let mut choices = Vec::with_capacity(v.vote.len());
        for (j, code) in v.vote.iter().enumerate() {
            let pid = by_code
                .get(code.as_str())
                .ok_or_else(|| ApiError::field("body", format!("voter {} names unknown project {code}", v.voter_id)))?;
            let pts = match &v.points {
                Some(points) => points.get(j).and_then(|a| a.units_at(0)).ok_or_else(|| {
                    ApiError::field("body", format!("voter {}: points must be whole numbers", v.voter_id))
                })?,
                None => 1,
            };
            choices.push((*pid, pts));
        }
        ballots.push(StoredBallot { district: None, choices, pabulib: Some((v.voter_id.clone(), v.extra.clone())) });
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
        min_votes: num("min_project_score_threshold").unwrap_or(0),
        requires_verified: false,
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

/// An amount of minor units written with no more decimals than it needs.
fn plain(amount: i64) -> Amount {
    let units = u64::try_from(amount).unwrap_or(0);
    if units % 100 == 0 { Amount::whole(units / 100) } else { minor(amount) }
}

/// A process as a `.pb` file: what an import kept, written back; a process made here gets a
/// META of its own. Only proposals on the ballot are projects.
///
/// # Errors
/// A stored value that cannot be written.
pub fn export(
    org: &Organisation,
    b: &Budget,
    proposals: &[Proposal],
    ballots: &[StoredBallot],
) -> Result<String, ApiError> {
    let on: Vec<&Proposal> = proposals.iter().filter(|p| b.is_on_ballot(p)).collect();
    let codes: HashMap<Uuid, &str> = on.iter().map(|p| (p.id, p.code.as_str())).collect();
    let points = counts_points(&b.ballot_rule);
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
    let (meta, project_columns, vote_columns) = match stored {
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
                ("rule".to_owned(), b.outcome_rule.as_str().to_owned()),
                ("currency".to_owned(), b.currency.clone()),
            ];
            let projects = vec!["project_id".to_owned(), "cost".to_owned(), "name".to_owned()];
            let mut votes = vec!["voter_id".to_owned(), "vote".to_owned()];
            if points {
                votes.push("points".to_owned());
            }
            (meta, projects, votes)
        }
    };
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
                let chosen: Vec<&(Uuid, u64)> = x.choices.iter().filter(|(id, _)| codes.contains_key(id)).collect();
                let (voter_id, extra) = x.pabulib.clone().unwrap_or_else(|| ((i + 1).to_string(), Vec::new()));
                PbVote {
                    voter_id,
                    vote: chosen.iter().map(|(id, _)| codes.get(id).copied().unwrap_or_default().to_owned()).collect(),
                    points: (vote_columns.iter().any(|c| c == "points"))
                        .then(|| chosen.iter().map(|(_, p)| Amount::whole(*p)).collect()),
                    extra: if native { Vec::new() } else { extra },
                }
            })
            .collect(),
        meta,
        project_columns,
        vote_columns,
    };
    Ok(pabulib::write(&file))
}

// ---------------------------------------------------------------------------------------------
// Ballot keys

/// Derives each voter's ballot key: HMAC-SHA-256 under a secret that lives in the server's
/// configuration, never in the database, so the database alone cannot tell whose ballot is whose.
#[derive(Clone)]
pub struct BallotKeys {
    key: Vec<u8>,
}

impl std::fmt::Debug for BallotKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BallotKeys(..)")
    }
}

impl BallotKeys {
    /// Keys derived from the server secret (a separate derivation from the JWT signing key).
    #[must_use]
    pub fn new(secret: &SecretString) -> Self {
        let key = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
            .map(|m| m.chain_update(b"pnyx ballot keys v1").finalize().into_bytes().to_vec())
            .unwrap_or_default();
        Self { key }
    }

    /// The key of `voter`'s ballot in a process and district.
    #[must_use]
    pub fn key(&self, budget: Uuid, district: Option<&str>, voter: Uuid) -> String {
        let Ok(mac) = Hmac::<Sha256>::new_from_slice(&self.key) else { return String::new() };
        let tag = mac
            .chain_update(budget.as_bytes())
            .chain_update([0])
            .chain_update(district.unwrap_or_default().as_bytes())
            .chain_update([0])
            .chain_update(voter.as_bytes())
            .finalize()
            .into_bytes();
        hex::encode(tag)
    }
}
