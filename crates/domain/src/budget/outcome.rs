//! Who wins a participatory budget: the outcome rules, computed with exact arithmetic (integers and
//! big rationals, never floats).
//!
//! An [`Election`] is the rule-agnostic input — projects with their cost, the budget, ballots as
//! approval sets, point maps or rankings, and a minimum score — built from database rows or a
//! pabulib file; [`compute`] runs one [`OutcomeRule`] on it.
//!
//! A project's **score** is what cities count: the number of approvals (approval and choose-1
//! ballots), the sum of the points given (cumulative ballots) or the sum of positional points
//! (ranked ballots: rank *i* scores `scores[i - 1]`, Kraków's 3/2/1). The rules:
//!
//! - `greedy`: projects by decreasing score, skipping those that no longer fit the money left
//!   (Warsaw, Łódź, Kraków, Częstochowa, Katowice).
//! - `greedy_no_skip`: the same order, but the first project that does not fit ends the selection
//!   (Gdynia, Wrocław).
//! - `greedy_per_cost`: pabutools 1.2.3's `greedy_utilitarian_welfare`, by decreasing satisfaction
//!   per unit of cost: the number of approvals for approval ballots (`Cost_Sat`, so it equals
//!   `greedy` there) and the score **per unit of cost** for point and ranked ballots
//!   (`Additive_Cardinal_Sat`). No city counts this way; it is kept to compare.
//! - `equal_shares_plain`: the Method of Equal Shares (MES) with cost utilities for approval and
//!   ranked ballots (every ranked project approved, as pabutools reads ordinal files) and additive
//!   point utilities for point ballots; no completion, so money may be left.
//! - `equal_shares_greedy`: that MES, completed by pabutools' greedy on the same utilities.
//! - `equal_shares`: MES with cost utilities completed as equalshares.net does: each voter's budget
//!   starts at `floor(B / n)` currency units and is raised by one unit per step while the outcome stays
//!   within the budget `B` (or until a single voter could pay the whole budget); the last feasible
//!   outcome is then completed by greedy.
//!
//! The equal-shares rules reproduce pabutools 1.2.3; the greedy rules reproduce the cities' own
//! published results. Projects whose score is below the election's minimum are removed before any
//! rule runs.
//!
//! **Ties** are broken as pabutools 1.2.3 does by default, and as the cities' files agree: between
//! equally good projects, the one whose id comes first in lexicographic (byte) order of the id
//! strings wins, so `c10` beats `c2`.
//!
//! MES with cost utilities (every rule on approval ballots, and `equal_shares` on any) runs in
//! `cost_mes`: decisions are taken on fixed-point interval bounds and settled with big rationals only
//! where the bounds cannot tell, so the outcome and the shares are exact while a run on a city-wide
//! election takes milliseconds; `equal_shares` runs it once per unit step of the per-voter budget,
//! and once a run is *stable* (every project paid by all its supporters alike, every candidate
//! selected: nothing can change any more) it goes straight to the last step. MES with point
//! utilities, and amounts too large for the fixed point, use the big-rational implementation here,
//! per group of identical ballots and per budget class (voters with equal remaining money).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use serde::{Deserialize, Serialize};

use super::amount::Amount;
use super::pabulib::PbFile;
use cost_mes::CostMes;

mod cost_mes;

/// The rule that turns ballots into winners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeRule {
    Greedy,
    GreedyNoSkip,
    GreedyPerCost,
    EqualSharesPlain,
    EqualSharesGreedy,
    EqualShares,
}

impl OutcomeRule {
    /// Every rule.
    pub const ALL: [Self; 6] = [
        Self::Greedy,
        Self::GreedyNoSkip,
        Self::GreedyPerCost,
        Self::EqualSharesPlain,
        Self::EqualSharesGreedy,
        Self::EqualShares,
    ];

    /// The rule's name as stored and shown (`equal_shares_greedy`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Greedy => "greedy",
            Self::GreedyNoSkip => "greedy_no_skip",
            Self::GreedyPerCost => "greedy_per_cost",
            Self::EqualSharesPlain => "equal_shares_plain",
            Self::EqualSharesGreedy => "equal_shares_greedy",
            Self::EqualShares => "equal_shares",
        }
    }

    /// The rule named `s` ([`OutcomeRule::as_str`]).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A project as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionProject {
    pub id: String,
    pub cost: Amount,
}

/// The cast ballots, all of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ballots {
    /// Each ballot is the set of project ids it supports (choose-1 ballots too).
    Approval(Vec<Vec<String>>),
    /// Each ballot gives points to project ids (cumulative and scoring ballots).
    Points(Vec<Vec<(String, Amount)>>),
    /// Each ballot ranks project ids, each with the positional points its rank scores (Kraków:
    /// 3, 2, 1). The score counts those points; Equal Shares reads the ranking as approval.
    Ranked(Vec<Vec<(String, u64)>>),
}

/// Why an [`Election`] cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElectionError {
    #[error("project `{0}` is listed twice")]
    DuplicateProject(String),
    #[error("ballot {ballot} names project `{id}`, which is not in the election")]
    UnknownProject { ballot: usize, id: String },
    #[error("ballot {ballot} names project `{id}` twice")]
    RepeatedProject { ballot: usize, id: String },
    #[error("amounts too large to compute with exactly")]
    TooLarge,
}

/// A group of identical ballots: `(project index, points)` sorted by index, and how many.
#[derive(Debug, Clone)]
struct Group {
    items: Vec<(u32, u64)>,
    mult: u64,
}

/// Ballots to build an [`Election`] from, borrowed.
#[derive(Clone, Copy)]
enum BallotSource<'a> {
    Approval(&'a [Vec<String>]),
    Points(&'a [Vec<(String, Amount)>]),
    Ranked(&'a [Vec<(String, u64)>]),
    /// A pabulib file's votes, as approval sets, with their points, or as rankings of
    /// `max_length` (rank *i* scores `max_length - i + 1`).
    PbApproval(&'a [super::pabulib::PbVote]),
    PbPoints(&'a [super::pabulib::PbVote]),
    PbRanked(&'a [super::pabulib::PbVote], u64),
}

fn pb_points(v: &super::pabulib::PbVote) -> &[Amount] {
    v.points.as_deref().unwrap_or_default()
}

/// The rule-agnostic input of an outcome computation.
#[derive(Debug, Clone)]
pub struct Election {
    ids: Vec<String>,
    /// Costs and budget in units of `10^-scale`.
    costs: Vec<u64>,
    budget: u64,
    scale: u8,
    /// Scores in units of `10^-points_scale` (1 per approval for approval ballots).
    points_scale: u8,
    /// Point ballots: Equal Shares uses point utilities, and `greedy_per_cost` ranks by points
    /// per unit of cost.
    points: bool,
    /// Ranked ballots: scored by position; Equal Shares reads them as approval.
    ranked: bool,
    /// Groups of identical ballots as Equal Shares sees them (approval for ranked ballots).
    groups: Vec<Group>,
    voters: u64,
    votes: Vec<u64>,
    score: Vec<u64>,
    /// The minimum score in units of `10^-points_scale`.
    min_units: u64,
    /// The minimum score as given, in whole points (or approvals).
    min_score: u64,
}

impl Election {
    /// Builds an election. Points of zero are dropped (they support nothing).
    ///
    /// # Errors
    /// A project listed twice, a ballot naming an unknown project or one project twice, or amounts
    /// whose exact common scale overflows.
    pub fn new(projects: Vec<ElectionProject>, budget: Amount, ballots: Ballots) -> Result<Self, ElectionError> {
        match ballots {
            Ballots::Approval(list) => Self::build(projects, budget, BallotSource::Approval(&list)),
            Ballots::Points(list) => Self::build(projects, budget, BallotSource::Points(&list)),
            Ballots::Ranked(list) => Self::build(projects, budget, BallotSource::Ranked(&list)),
        }
    }

    fn build(projects: Vec<ElectionProject>, budget: Amount, ballots: BallotSource<'_>) -> Result<Self, ElectionError> {
        let scale = projects.iter().map(|p| p.cost.scale()).fold(budget.scale(), u8::max);
        let mut index = HashMap::with_capacity(projects.len());
        let mut ids = Vec::with_capacity(projects.len());
        let mut costs = Vec::with_capacity(projects.len());
        for (i, p) in projects.into_iter().enumerate() {
            if index.insert(p.id.clone(), u32::try_from(i).map_err(|_| ElectionError::TooLarge)?).is_some() {
                return Err(ElectionError::DuplicateProject(p.id));
            }
            costs.push(p.cost.units_at(scale).ok_or(ElectionError::TooLarge)?);
            ids.push(p.id);
        }
        let budget = budget.units_at(scale).ok_or(ElectionError::TooLarge)?;
        let lookup = |ballot: usize, id: &str| {
            index.get(id).copied().ok_or_else(|| ElectionError::UnknownProject { ballot, id: id.to_owned() })
        };
        // Each item: (project, what Equal Shares sees: points or 1 per approval, the score it adds).
        type Items = Vec<(u32, u64, u64)>;
        let approval = |b: usize, ids: &[String]| {
            ids.iter().map(|id| Ok((lookup(b, id)?, 1, 1))).collect::<Result<Items, ElectionError>>()
        };
        let ranked = |b: usize, ids: &mut dyn Iterator<Item = (&String, u64)>| {
            ids.map(|(id, s)| Ok((lookup(b, id)?, 1, s))).collect::<Result<Items, ElectionError>>()
        };
        let (points, ranked_ballots, points_scale, raw): (bool, bool, u8, Vec<Items>) = match ballots {
            BallotSource::Approval(list) => (
                false,
                false,
                0,
                list.iter().enumerate().map(|(b, ids)| approval(b, ids)).collect::<Result<Vec<_>, _>>()?,
            ),
            BallotSource::PbApproval(votes) => (
                false,
                false,
                0,
                votes.iter().enumerate().map(|(b, v)| approval(b, &v.vote)).collect::<Result<Vec<_>, _>>()?,
            ),
            BallotSource::Ranked(list) => (
                false,
                true,
                0,
                list.iter()
                    .enumerate()
                    .map(|(b, items)| ranked(b, &mut items.iter().map(|(id, s)| (id, *s))))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            BallotSource::PbRanked(votes, max_length) => (
                false,
                true,
                0,
                votes
                    .iter()
                    .enumerate()
                    .map(|(b, v)| {
                        ranked(b, &mut v.vote.iter().zip(0u64..).map(|(id, i)| (id, max_length.saturating_sub(i))))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            BallotSource::PbPoints(votes) => {
                let ps = votes.iter().flat_map(pb_points).map(Amount::scale).max().unwrap_or(0);
                let raw = votes
                    .iter()
                    .enumerate()
                    .map(|(b, v)| {
                        v.vote
                            .iter()
                            .zip(pb_points(v))
                            .map(|(id, a)| {
                                let p = a.units_at(ps).ok_or(ElectionError::TooLarge)?;
                                Ok((lookup(b, id)?, p, p))
                            })
                            .collect::<Result<Items, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (true, false, ps, raw)
            }
            BallotSource::Points(list) => {
                let ps = list.iter().flatten().map(|(_, a)| a.scale()).max().unwrap_or(0);
                let raw = list
                    .iter()
                    .enumerate()
                    .map(|(b, items)| {
                        items
                            .iter()
                            .map(|(id, a)| {
                                let p = a.units_at(ps).ok_or(ElectionError::TooLarge)?;
                                Ok((lookup(b, id)?, p, p))
                            })
                            .collect::<Result<Items, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (true, false, ps, raw)
            }
        };
        let mut votes = vec![0u64; ids.len()];
        let mut score = vec![0u64; ids.len()];
        let mut sorted: Vec<Vec<(u32, u64)>> = Vec::with_capacity(raw.len());
        let voters = u64::try_from(raw.len()).map_err(|_| ElectionError::TooLarge)?;
        for (b, mut items) in raw.into_iter().enumerate() {
            items.retain(|&(_, p, _)| p > 0);
            items.sort_unstable();
            for w in items.windows(2) {
                if w[0].0 == w[1].0 {
                    return Err(ElectionError::RepeatedProject { ballot: b, id: ids[w[0].0 as usize].clone() });
                }
            }
            for &(j, _, s) in &items {
                votes[j as usize] += 1;
                score[j as usize] = score[j as usize].checked_add(s).ok_or(ElectionError::TooLarge)?;
            }
            sorted.push(items.into_iter().map(|(j, p, _)| (j, p)).collect());
        }
        // Identical ballots end up next to each other; the fixed order keeps every computation
        // deterministic.
        sorted.sort_unstable();
        let mut groups: Vec<Group> = Vec::new();
        for items in sorted {
            match groups.last_mut() {
                Some(last) if last.items == items => last.mult += 1,
                _ => groups.push(Group { items, mult: 1 }),
            }
        }
        Ok(Self {
            ids,
            costs,
            budget,
            scale,
            points_scale,
            points,
            ranked: ranked_ballots,
            groups,
            voters,
            votes,
            score,
            min_units: 0,
            min_score: 0,
        })
    }

    /// The election held in a pabulib file: approval and choose-1 votes as approval sets,
    /// cumulative and scoring votes as points, ordinal votes as rankings where rank *i* scores
    /// `max_length - i + 1` ([`ordinal_length`]); no minimum score.
    ///
    /// # Errors
    /// See [`Election::new`] (a parsed file already passed those checks, except amount overflow).
    pub fn from_pb(file: &PbFile) -> Result<Self, ElectionError> {
        let projects = file.projects.iter().map(|p| ElectionProject { id: p.id.clone(), cost: p.cost }).collect();
        let ballots = if file.vote_type.has_points() {
            BallotSource::PbPoints(&file.votes)
        } else if file.vote_type == super::pabulib::VoteType::Ordinal {
            BallotSource::PbRanked(&file.votes, ordinal_length(file))
        } else {
            BallotSource::PbApproval(&file.votes)
        };
        Self::build(projects, file.budget, ballots)
    }

    /// The same election where projects whose score is below `min_score` (approvals, points or
    /// positional points) cannot win.
    #[must_use]
    pub fn with_min_score(mut self, min_score: u64) -> Self {
        self.min_score = min_score;
        self.min_units = min_score.saturating_mul(10u64.saturating_pow(u32::from(self.points_scale)));
        self
    }

    /// The minimum score, in whole points (or approvals).
    #[must_use]
    pub fn min_score(&self) -> u64 {
        self.min_score
    }

    /// The number of ballots.
    #[must_use]
    pub fn voters(&self) -> u64 {
        self.voters
    }

    fn eligible(&self, j: usize) -> bool {
        self.score[j] >= self.min_units
    }

    fn amount(&self, units: u64) -> Amount {
        Amount::new(units, self.scale).unwrap_or(Amount::whole(units))
    }
}

/// The length of an ordinal file's rankings: META `max_length`, else the longest ballot (at
/// least 1). Rank *i* scores `max_length - i + 1`.
#[must_use]
pub fn ordinal_length(file: &PbFile) -> u64 {
    file.meta("max_length")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&m| m > 0)
        .unwrap_or_else(|| file.votes.iter().map(|v| v.vote.len() as u64).max().unwrap_or(1).max(1))
}

/// An exact fraction, rendered as decimal strings (numbers may exceed 64 bits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fraction {
    pub numerator: String,
    pub denominator: String,
}

impl Fraction {
    fn of(r: &BigRational) -> Self {
        Self { numerator: r.numer().to_string(), denominator: r.denom().to_string() }
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.denominator == "1" {
            f.write_str(&self.numerator)
        } else {
            write!(f, "{}/{}", self.numerator, self.denominator)
        }
    }
}

/// Which stage of a rule selected a winner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Greedy,
    EqualShares,
}

/// A selected project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Winner {
    pub id: String,
    pub cost: Amount,
    pub stage: Stage,
    /// Equal Shares only, in currency units: with approval ballots what each supporter paid (those
    /// with less money left paid all they had); with point ballots the price of one point.
    pub share: Option<Fraction>,
}

/// A project's tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectTally {
    pub id: String,
    pub cost: Amount,
    /// Ballots naming the project.
    pub votes: u64,
    /// Approvals, the sum of points for point ballots, or of positional points for rankings.
    pub score: Amount,
    /// Whether its score reached the minimum.
    pub eligible: bool,
}

/// The result of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub rule: OutcomeRule,
    /// In selection order.
    pub winners: Vec<Winner>,
    /// Every project, in election order.
    pub projects: Vec<ProjectTally>,
    pub budget: Amount,
    pub spent: Amount,
    pub money_left: Amount,
    /// Equal Shares: the money each voter started with (for `equal_shares`, the raised amount used).
    pub voter_budget: Option<Fraction>,
}

/// Runs `rule` on `election`.
#[must_use]
pub fn compute(rule: OutcomeRule, election: &Election) -> Outcome {
    let e = election;
    let by_score = |no_skip| by_score(e, no_skip).into_iter().map(|j| (j, Stage::Greedy, None)).collect();
    let (selected, voter_budget): (Selection, Option<BigRational>) = match rule {
        OutcomeRule::Greedy => (by_score(false), None),
        OutcomeRule::GreedyNoSkip => (by_score(true), None),
        OutcomeRule::GreedyPerCost => (
            greedy_per_cost(e, &[], e.points || e.ranked).into_iter().map(|j| (j, Stage::Greedy, None)).collect(),
            None,
        ),
        OutcomeRule::EqualSharesPlain | OutcomeRule::EqualSharesGreedy => {
            let b = if e.voters == 0 {
                BigRational::zero()
            } else {
                BigRational::new(BigInt::from(e.budget), BigInt::from(e.voters))
            };
            let fast = if e.points { None } else { CostMes::new(e) };
            let mes_run = match fast.as_ref().and_then(|f| f.run(&b).map(|r| (f, r))) {
                Some((fast, mut run)) => fast.prices(&mut run),
                None => Mes::new(e, !e.points).run(&b, false).0,
            };
            (with_completion(e, mes_run, !e.points, rule == OutcomeRule::EqualSharesGreedy), Some(b))
        }
        OutcomeRule::EqualShares => {
            let (mes_run, b) = equal_shares_raised(e);
            (with_completion(e, mes_run, true, true), b)
        }
    };
    let spent: u64 = selected.iter().map(|(j, _, _)| e.costs[*j]).sum();
    let unit = BigRational::from_integer(BigInt::from(10u64.pow(u32::from(e.scale))));
    let major = |r: &BigRational| Fraction::of(&(r / &unit));
    Outcome {
        rule,
        winners: selected
            .iter()
            .map(|(j, stage, share)| Winner {
                id: e.ids[*j].clone(),
                cost: e.amount(e.costs[*j]),
                stage: *stage,
                share: share.as_ref().map(major),
            })
            .collect(),
        projects: (0..e.ids.len())
            .map(|j| ProjectTally {
                id: e.ids[j].clone(),
                cost: e.amount(e.costs[j]),
                votes: e.votes[j],
                score: Amount::new(e.score[j], e.points_scale).unwrap_or(Amount::whole(e.score[j])),
                eligible: e.eligible(j),
            })
            .collect(),
        budget: e.amount(e.budget),
        spent: e.amount(spent),
        money_left: e.amount(e.budget.saturating_sub(spent)),
        voter_budget: voter_budget.as_ref().map(major),
    }
}

type Selection = Vec<(usize, Stage, Option<BigRational>)>;

/// MES winners with their share in units of `10^-scale` (per supporter with cost utilities, per
/// point otherwise), then the greedy completion if asked for.
fn with_completion(e: &Election, mes_run: Vec<(usize, BigRational)>, cost_utility: bool, complete: bool) -> Selection {
    let point = BigInt::from(10u64.pow(u32::from(e.points_scale)));
    let share = |j: usize, rho: BigRational| if cost_utility { rho * BigInt::from(e.costs[j]) } else { rho * &point };
    let mut out: Selection = mes_run.into_iter().map(|(j, rho)| (j, Stage::EqualShares, Some(share(j, rho)))).collect();
    if complete {
        let taken: Vec<usize> = out.iter().map(|(j, _, _)| *j).collect();
        out.extend(greedy_per_cost(e, &taken, e.points).into_iter().map(|j| (j, Stage::Greedy, None)));
    }
    out
}

/// The cities' greedy: eligible projects by decreasing score, then by id, each taken while it
/// fits the money left; a project that does not fit is skipped, or with `no_skip` ends the
/// selection.
fn by_score(e: &Election, no_skip: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..e.ids.len()).filter(|&j| e.eligible(j)).collect();
    order.sort_by(|&a, &b| e.score[b].cmp(&e.score[a]).then_with(|| e.ids[a].cmp(&e.ids[b])));
    let mut left = e.budget;
    let mut out = Vec::new();
    for j in order {
        if e.costs[j] <= left {
            left -= e.costs[j];
            out.push(j);
        } else if no_skip {
            break;
        }
    }
    out
}

/// pabutools' greedy selection after `taken`: by decreasing satisfaction per unit of cost, then
/// by id. With `per_cost` the satisfaction is the score (points, positional points), otherwise
/// each approval's satisfaction is the cost, so the density is the number of approvals.
fn greedy_per_cost(e: &Election, taken: &[usize], per_cost: bool) -> Vec<usize> {
    let mut left = e.budget.saturating_sub(taken.iter().map(|&j| e.costs[j]).sum());
    // Density as (numerator, denominator); `None` is infinite. Zero satisfaction comes first as zero.
    let density = |j: usize| -> Option<(u128, u128)> {
        let (sat, cost) = if per_cost {
            (u128::from(e.score[j]), u128::from(e.costs[j]))
        } else {
            (u128::from(e.votes[j]), u128::from(e.costs[j]))
        };
        if per_cost {
            if sat == 0 {
                Some((0, 1))
            } else if cost == 0 {
                None
            } else {
                Some((sat, cost))
            }
        } else if cost == 0 {
            // Cost satisfaction of a free project is zero.
            Some((0, 1))
        } else {
            Some((sat, 1))
        }
    };
    let mut order: Vec<usize> = (0..e.ids.len()).filter(|&j| e.eligible(j) && !taken.contains(&j)).collect();
    order.sort_by(|&a, &b| {
        let by_density = match (density(a), density(b)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some((na, da)), Some((nb, db))) => (nb * da).cmp(&(na * db)),
        };
        by_density.then_with(|| e.ids[a].cmp(&e.ids[b]))
    });
    let mut out = Vec::new();
    for j in order {
        if e.costs[j] <= left {
            left -= e.costs[j];
            out.push(j);
        }
    }
    out
}

/// `equal_shares`: MES with cost utilities and a per-voter budget raised from `floor(B/n)` by one
/// currency unit while the outcome stays within the budget; the last feasible outcome.
///
/// Rather than running MES once per unit, each run also reports up to which per-voter budget every
/// comparison it made keeps its result (all budgets are affine in the per-voter budget), and the
/// loop jumps straight to the first budget where the outcome may change.
fn equal_shares_raised(e: &Election) -> (Vec<(usize, BigRational)>, Option<BigRational>) {
    if e.voters == 0 {
        return (Vec::new(), None);
    }
    match CostMes::new(e) {
        Some(fast) => equal_shares_raised_fast(e, &fast),
        None => equal_shares_raised_exact(e),
    }
}

/// [`equal_shares_raised`] on big rationals throughout, for amounts too large for the fast MES.
fn equal_shares_raised_exact(e: &Election) -> (Vec<(usize, BigRational)>, Option<BigRational>) {
    let mes = Mes::new(e, true);
    let unit = 10u64.pow(u32::from(e.scale));
    let unit_r = BigRational::from_integer(BigInt::from(unit));
    let mut per_voter = e.budget / (e.voters * unit) * unit;
    let mut last_feasible: Option<u64> = None;
    // Tracking costs more per run; it pays off when it lets the loop skip many steps (few voters) and
    // not when near-ties flip at every step (many voters), so after a useless one, skip it a while.
    let mut untracked = 0u32;
    loop {
        let track = untracked == 0;
        untracked = untracked.saturating_sub(1);
        let b = BigRational::from_integer(BigInt::from(per_voter));
        let (run, limit) = mes.run(&b, track);
        let cost: u128 = run.iter().map(|(j, _)| u128::from(e.costs[*j])).sum();
        if cost > u128::from(e.budget) {
            break;
        }
        // The same outcome holds for every per-voter budget below `per_voter + limit`.
        let limit = match limit {
            Some(l) => l,
            None if !track => BigRational::zero(),
            None => {
                // Nothing can change any more: this outcome is where raising leads.
                last_feasible = Some(per_voter);
                break;
            }
        };
        let steps = (limit / &unit_r).ceil().to_integer().max(BigInt::from(1));
        if track && steps == BigInt::from(1) {
            untracked = 8;
        }
        let Some(next) =
            u64::try_from(steps).ok().and_then(|s| s.checked_mul(unit)).and_then(|d| per_voter.checked_add(d))
        else {
            last_feasible = Some(per_voter);
            break;
        };
        last_feasible = Some(next - unit);
        per_voter = next;
        if per_voter > e.budget.saturating_add(unit) {
            // Each voter alone could pay for any project: further raising changes nothing.
            break;
        }
    }
    match last_feasible {
        None => (Vec::new(), None),
        Some(pv) => {
            let b = BigRational::from_integer(BigInt::from(pv));
            (mes.run(&b, false).0, Some(b))
        }
    }
}

/// [`equal_shares_raised`] with the fast MES: one run per unit step, jumping to the last step once a
/// run is stable (no larger per-voter budget can change its outcome or shares).
fn equal_shares_raised_fast(e: &Election, mes: &CostMes<'_>) -> (Vec<(usize, BigRational)>, Option<BigRational>) {
    let unit = 10u64.pow(u32::from(e.scale));
    let mut per_voter = e.budget / (e.voters * unit) * unit;
    let mut last: Option<(u64, cost_mes::Run)> = None;
    loop {
        let Some(run) = mes.run(&BigRational::from_integer(BigInt::from(per_voter))) else {
            // Unreachable: the per-voter budget never exceeds the budget plus one unit.
            return equal_shares_raised_exact(e);
        };
        let cost: u128 = run.selected.iter().map(|&j| u128::from(e.costs[j])).sum();
        if cost > u128::from(e.budget) {
            break;
        }
        let limit = e.budget.saturating_add(unit);
        if run.stable {
            // Every larger per-voter budget gives this outcome with these shares: go to the last step.
            let last_step = per_voter + (limit - per_voter) / unit * unit;
            last = Some((last_step, run));
            break;
        }
        last = Some((per_voter, run));
        match per_voter.checked_add(unit) {
            Some(next) if next <= limit => per_voter = next,
            _ => break,
        }
    }
    match last {
        None => (Vec::new(), None),
        Some((pv, mut run)) => (mes.prices(&mut run), Some(BigRational::from_integer(BigInt::from(pv)))),
    }
}

/// An amount that depends affinely on the per-voter budget `x`: `value` at the budget of the run
/// and `slope` per unit of `x`. Runs that do not track the dependence keep every slope zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Lin {
    value: BigRational,
    slope: BigRational,
}

impl Lin {
    fn zero() -> Self {
        Self { value: BigRational::zero(), slope: BigRational::zero() }
    }
    fn sub(&self, o: &Self) -> Self {
        Self { value: &self.value - &o.value, slope: &self.slope - &o.slope }
    }
    fn add_scaled(&mut self, o: &Self, k: u64) {
        let k = BigInt::from(k);
        self.value += &o.value * &k;
        self.slope += &o.slope * &k;
    }
    fn scaled(&self, k: u64) -> Self {
        let k = BigInt::from(k);
        Self { value: &self.value * &k, slope: &self.slope * &k }
    }
}

/// The smallest increase of the per-voter budget at which some comparison made so far may turn
/// out differently (`None`: none can).
#[derive(Default)]
struct Limit(Option<BigRational>);

impl Limit {
    /// Records that the sign of `d` (its value, possibly zero) decided something.
    fn watch(&mut self, d: &Lin) {
        let at = if d.slope.is_zero() {
            return;
        } else if d.value.is_zero() {
            BigRational::zero()
        } else if d.value.is_positive() == d.slope.is_positive() {
            return;
        } else {
            -(&d.value / &d.slope)
        };
        if self.0.as_ref().is_none_or(|l| at < *l) {
            self.0 = Some(at);
        }
    }

    /// Compares `a` and `b` at the run's budget, recording the comparison.
    fn cmp(&mut self, a: &Lin, b: &Lin) -> Ordering {
        self.watch(&a.sub(b));
        a.value.cmp(&b.value)
    }
}

/// The Method of Equal Shares on one election, reusable for several per-voter budgets.
struct Mes<'a> {
    e: &'a Election,
    cost_utility: bool,
    /// Eligible projects with a positive cost and some support: the ones MES may select.
    candidates: Vec<usize>,
    /// Eligible supported projects of cost zero: selected first, in id order (points only).
    free: Vec<usize>,
    /// Per project: `(group, utility)` of its supporters.
    supporters: Vec<Vec<(u32, u64)>>,
    /// Per project: whether all its supporters have the same utility.
    uniform: Vec<bool>,
}

/// Voters' remaining money during a run: groups of identical ballots share a budget class; classes
/// are interned by value and kept sorted by their value at the run's budget.
struct Classes {
    values: Vec<Lin>,
    ids: HashMap<Lin, u32>,
    sorted: Vec<u32>,
    rank: Vec<u32>,
}

impl Classes {
    fn intern(&mut self, lin: Lin) -> u32 {
        if let Some(&id) = self.ids.get(&lin) {
            return id;
        }
        let id = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        let at = self.sorted.partition_point(|&c| self.values[c as usize].value < lin.value);
        self.sorted.insert(at, id);
        self.ids.insert(lin.clone(), id);
        self.values.push(lin);
        id
    }
    fn rerank(&mut self) {
        self.rank.resize(self.values.len(), 0);
        for (r, &c) in self.sorted.iter().enumerate() {
            self.rank[c as usize] = u32::try_from(r).unwrap_or(u32::MAX);
        }
    }
}

impl<'a> Mes<'a> {
    fn new(e: &'a Election, cost_utility: bool) -> Self {
        let mut supporters: Vec<Vec<(u32, u64)>> = vec![Vec::new(); e.ids.len()];
        for (g, group) in e.groups.iter().enumerate() {
            for &(j, p) in &group.items {
                let j = j as usize;
                if e.eligible(j) {
                    let u = if cost_utility { e.costs[j] } else { p };
                    if u > 0 {
                        supporters[j].push((u32::try_from(g).unwrap_or(u32::MAX), u));
                    }
                }
            }
        }
        let mut candidates = Vec::new();
        let mut free = Vec::new();
        for (j, s) in supporters.iter().enumerate() {
            if !s.is_empty() {
                if e.costs[j] > 0 { candidates.push(j) } else { free.push(j) }
            }
        }
        free.sort_by(|&a, &b| e.ids[a].cmp(&e.ids[b]));
        let uniform = supporters.iter().map(|s| s.windows(2).all(|w| w[0].1 == w[1].1)).collect();
        Self { e, cost_utility, candidates, free, supporters, uniform }
    }

    fn utility(&self, j: usize, points: u64) -> u64 {
        if self.cost_utility { self.e.costs[j] } else { points }
    }

    /// Runs MES with `per_voter` money per voter: the selected projects in order, each with its
    /// price per unit of utility. With `track`, also how much more money per voter leaves every
    /// decision of the run unchanged.
    fn run(&self, per_voter: &BigRational, track: bool) -> (Vec<(usize, BigRational)>, Option<BigRational>) {
        let e = self.e;
        let mut limit = Limit::default();
        let mut out: Vec<(usize, BigRational)> = self.free.iter().map(|&j| (j, BigRational::zero())).collect();
        let slope = if track { BigRational::from_integer(BigInt::from(1)) } else { BigRational::zero() };
        let start = Lin { value: per_voter.clone(), slope };
        let mut classes = Classes { values: Vec::new(), ids: HashMap::new(), sorted: Vec::new(), rank: Vec::new() };
        classes.intern(start);
        classes.rerank();
        let mut group_class = vec![0u32; e.groups.len()];
        // Per project: (budget class, utility) -> number of supporters.
        let mut tallies: Vec<HashMap<(u32, u64), u64>> = vec![HashMap::new(); e.ids.len()];
        let mut alive = vec![false; e.ids.len()];
        // A lower bound of each project's price per unit of utility (it only rises as money is spent).
        let mut stale: Vec<Lin> = vec![Lin::zero(); e.ids.len()];
        for &j in &self.candidates {
            alive[j] = true;
            let mut total = BigInt::zero();
            for &(g, u) in &self.supporters[j] {
                let m = e.groups[g as usize].mult;
                *tallies[j].entry((0, u)).or_insert(0) += m;
                total += BigInt::from(u) * BigInt::from(m);
            }
            stale[j] = Lin { value: BigRational::new(BigInt::from(e.costs[j]), total), slope: BigRational::zero() };
        }
        loop {
            let mut order: Vec<usize> = self.candidates.iter().copied().filter(|&j| alive[j]).collect();
            order.sort_by(|&a, &b| stale[a].value.cmp(&stale[b].value));
            let mut best: Option<(Lin, usize)> = None;
            for j in order {
                if let Some((r, _)) = &best
                    && limit.cmp(&stale[j], r) == Ordering::Greater
                {
                    break;
                }
                match self.affordability(j, &tallies[j], &classes, &mut limit) {
                    None => alive[j] = false,
                    Some(rho) => {
                        let better = match &best {
                            None => true,
                            Some((r, k)) => match limit.cmp(&rho, r) {
                                Ordering::Less => true,
                                Ordering::Equal => e.ids[j] < e.ids[*k],
                                Ordering::Greater => false,
                            },
                        };
                        stale[j] = rho.clone();
                        if better {
                            best = Some((rho, j));
                        }
                    }
                }
            }
            let Some((rho, j)) = best else {
                return (out, limit.0);
            };
            alive[j] = false;
            // Each supporter class pays min(budget, rho * utility); affordability() recorded which
            // classes pay all they have.
            let mut moves: HashMap<(u32, u64), u32> = HashMap::new();
            for &(class, u) in tallies[j].keys() {
                let budget = &classes.values[class as usize];
                let price = rho.scaled(u);
                let left = if price.value > budget.value { Lin::zero() } else { budget.sub(&price) };
                moves.insert((class, u), classes.intern(left));
            }
            classes.rerank();
            for &(g, u) in &self.supporters[j] {
                let old = group_class[g as usize];
                let Some(&new) = moves.get(&(old, u)) else { continue };
                if new == old {
                    continue;
                }
                let group = &e.groups[g as usize];
                for &(k, p) in &group.items {
                    let k = k as usize;
                    if !alive[k] {
                        continue;
                    }
                    let uk = self.utility(k, p);
                    if let Some(c) = tallies[k].get_mut(&(old, uk)) {
                        *c -= group.mult;
                        if *c == 0 {
                            tallies[k].remove(&(old, uk));
                        }
                    }
                    *tallies[k].entry((new, uk)).or_insert(0) += group.mult;
                }
                group_class[g as usize] = new;
            }
            out.push((j, rho.value));
        }
    }

    /// The smallest price per unit of utility at which project `j`'s supporters can pay its cost,
    /// each paying `min(budget, price * utility)`; `None` when all their money is not enough.
    fn affordability(
        &self,
        j: usize,
        tally: &HashMap<(u32, u64), u64>,
        classes: &Classes,
        limit: &mut Limit,
    ) -> Option<Lin> {
        let cost = Lin { value: BigRational::from_integer(BigInt::from(self.e.costs[j])), slope: BigRational::zero() };
        let mut entries: Vec<(u32, u64, u64)> = tally.iter().map(|(&(c, u), &n)| (c, u, n)).collect();
        // Poorest first, relative to utility.
        if self.uniform[j] {
            entries.sort_unstable_by_key(|&(c, _, _)| classes.rank[c as usize]);
        } else {
            entries.sort_by(|a, b| {
                let (x, y) = (&classes.values[a.0 as usize].value, &classes.values[b.0 as usize].value);
                (x * BigInt::from(b.1)).cmp(&(y * BigInt::from(a.1)))
            });
        }
        let mut paid = Lin::zero();
        let mut denominator: u128 = entries.iter().map(|&(_, u, n)| u128::from(u) * u128::from(n)).sum();
        for (i, &(c, u, n)) in entries.iter().enumerate() {
            let d = BigRational::from_integer(BigInt::from(denominator));
            let left = cost.sub(&paid);
            let rho = Lin { value: &left.value / &d, slope: &left.slope / &d };
            let budget = &classes.values[c as usize];
            if rho.scaled(u).value <= budget.value {
                // The classes before `i` pay all they have: that must stay so. Richer classes stay
                // rich as the per-voter budget grows (their money rises at least as fast as the price).
                for &(pc, pu, _) in &entries[..i] {
                    limit.watch(&rho.scaled(pu).sub(&classes.values[pc as usize]));
                }
                return Some(rho);
            }
            paid.add_scaled(budget, n);
            denominator -= u128::from(u) * u128::from(n);
        }
        // Not affordable: that must stay so.
        limit.watch(&cost.sub(&paid));
        None
    }
}

#[cfg(test)]
mod tests;
