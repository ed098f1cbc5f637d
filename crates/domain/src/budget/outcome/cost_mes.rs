//! The Method of Equal Shares with cost utilities (each supporter's utility for a project is its
//! cost), fast yet exact.
//!
//! With cost utilities every supporter of a project pays the same share `t` (or all they have, when
//! that is less), and a voter's money after any selection is `max(0, x - Σ t_i)` over the selected
//! projects `i` on their ballot (`x` is the per-voter budget). So the state of a run is just the
//! selected shares, and a project's share solves `Σ min(money, t) = cost` over its supporters.
//!
//! Every decision (which supporters are short of money, whether a project is affordable, which
//! project is cheapest per unit of utility) is first taken on **intervals**: each share is kept as
//! bounds in fixed point (`i128` with `frac` binary digits, rounded outwards), so the money of each
//! group of voters lies between two known integers. A decision the bounds settle is the exact
//! decision; when they do not (exact ties, as between two untouched projects with equally many
//! supporters), the exact values are computed with big rationals. Exact shares follow from a
//! *certificate* recorded with each selection — which supporters were short and how much of earlier
//! shares their money stands for — so exact arithmetic costs a few big-number operations per
//! selected project, not per voter.

use std::collections::BTreeMap;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

use super::Election;

const NONE: u32 = u32::MAX;

/// The fast MES on one election, reusable for several per-voter budgets.
pub(super) struct CostMes<'a> {
    e: &'a Election,
    frac: u32,
    /// Eligible projects of positive cost with some support.
    candidates: Vec<usize>,
    /// Per project: cost in fixed point.
    cost_fx: Vec<i128>,
    /// Per project: the groups supporting it, and their total size.
    supporters: Csr,
    total: Vec<i128>,
    /// Per group of voters with the same candidates approved: those candidates and how many voters.
    ballots: Csr,
    /// Per project: the projects sharing a supporting group with it (itself included).
    cosupport: Csr,
    mult: Vec<i128>,
}

/// Rows of indices in one flat array (row `i` is `items[start[i]..start[i + 1]]`).
struct Csr {
    start: Vec<usize>,
    items: Vec<u32>,
}

impl Csr {
    fn new(rows: &[Vec<u32>]) -> Self {
        let mut start = Vec::with_capacity(rows.len() + 1);
        start.push(0);
        for r in rows {
            start.push(start[start.len() - 1] + r.len());
        }
        Self { start, items: rows.concat() }
    }
    fn row(&self, i: usize) -> &[u32] {
        &self.items[self.start[i]..self.start[i + 1]]
    }
    fn rows(&self) -> usize {
        self.start.len() - 1
    }
}

/// How a selected project's exact share follows from earlier ones.
#[derive(Debug, Clone)]
enum Cert {
    /// `t = (cost - short·x + Σ coef·t_q) / rich`, `t_q` the shares of earlier selections `q`.
    Formula {
        rich: i128,
        short: i128,
        coefs: Vec<(u32, i128)>,
    },
    Exact(BigRational),
}

/// One run of MES at one per-voter budget.
pub(super) struct Run {
    x: BigRational,
    /// Selected projects in order, with share bounds and certificates.
    pub selected: Vec<usize>,
    certs: Vec<Cert>,
    exact: Vec<Option<BigRational>>,
    /// Every selected project was paid by all its supporters alike and every candidate was selected:
    /// any larger per-voter budget gives the same outcome with the same shares.
    pub stable: bool,
}

struct State {
    x_lo: i128,
    x_hi: i128,
    /// Per group: bounds of the sum of the selected shares on its ballot.
    /// Kept in 64 bits: a sum is clamped at `cap` (beyond the per-voter budget), from where the
    /// group certainly has no money left whatever the exact sum.
    s: Vec<(i64, i64)>,
    cap: i128,
    pos: Vec<u32>,
}

/// Per supporting group (or all untouched supporters, `NONE`): money bounds `(high, low)`, size.
type Entry = (i128, i128, i128, u32);

impl<'a> CostMes<'a> {
    /// `None` when the amounts are too large for the fixed-point bounds to keep enough precision.
    pub(super) fn new(e: &'a Election) -> Option<Self> {
        let unit = 10u128.pow(u32::from(e.scale));
        let max_cost = e.costs.iter().copied().max().unwrap_or(0);
        let v = u128::from(e.budget).checked_add(unit)?.max(u128::from(max_cost)).max(1);
        let n = u128::from(e.voters).max(u128::try_from(e.ids.len()).ok()?).max(v).max(1);
        let bits = 128 - v.leading_zeros() + 128 - n.leading_zeros();
        // Products of two amounts with a fraction fit in 128 bits; a per-voter budget (hence a
        // clamped sum of shares) with its fraction in 63.
        let frac = 124u32.checked_sub(bits)?.min(61u32.checked_sub(128 - v.leading_zeros())?);
        if frac < 16 {
            return None;
        }
        let mut grouped: std::collections::HashMap<Vec<u32>, i128> = std::collections::HashMap::new();
        for g in &e.groups {
            let set: Vec<u32> = g
                .items
                .iter()
                .map(|&(j, _)| j)
                .filter(|&j| e.eligible(j as usize) && e.costs[j as usize] > 0)
                .collect();
            if !set.is_empty() {
                *grouped.entry(set).or_insert(0) += i128::from(g.mult);
            }
        }
        let mut list: Vec<(Vec<u32>, i128)> = grouped.into_iter().collect();
        list.sort_unstable();
        let mut supporters = vec![Vec::new(); e.ids.len()];
        let mut total = vec![0i128; e.ids.len()];
        let (mut ballots, mut mult) = (Vec::with_capacity(list.len()), Vec::with_capacity(list.len()));
        for (g, (set, m)) in list.into_iter().enumerate() {
            let g = u32::try_from(g).ok()?;
            for &j in &set {
                supporters[j as usize].push(g);
                total[j as usize] += m;
            }
            ballots.push(set);
            mult.push(m);
        }
        let candidates = (0..e.ids.len()).filter(|&j| !supporters[j].is_empty()).collect();
        let mut seen = vec![usize::MAX; e.ids.len()];
        let cosupport: Vec<Vec<u32>> = (0..e.ids.len())
            .map(|a| {
                let mut row = Vec::new();
                for &g in &supporters[a] {
                    for &b in &ballots[g as usize] {
                        if seen[b as usize] != a {
                            seen[b as usize] = a;
                            row.push(b);
                        }
                    }
                }
                row
            })
            .collect();
        let (supporters, ballots, cosupport) = (Csr::new(&supporters), Csr::new(&ballots), Csr::new(&cosupport));
        let cost_fx = e.costs.iter().map(|&c| i128::from(c) << frac).collect();
        Some(Self { e, frac, candidates, cost_fx, supporters, total, ballots, cosupport, mult })
    }

    fn to_fx(&self, r: &BigRational, ceil: bool) -> i128 {
        let scaled = r * BigRational::from_integer(BigInt::from(1u8) << self.frac);
        let i = if ceil { scaled.ceil() } else { scaled.floor() };
        i.to_integer().to_i128().unwrap_or(i128::MAX)
    }

    /// Runs MES with `x` money per voter (in units of `10^-scale`); `None` when `x` is too large for
    /// the fixed point (never above the budget plus one unit).
    pub(super) fn run(&self, x: &BigRational) -> Option<Run> {
        let p = self.e.ids.len();
        let mut st = State {
            x_lo: self.to_fx(x, false),
            x_hi: self.to_fx(x, true),
            s: vec![(0, 0); self.ballots.rows()],
            cap: 0,
            pos: vec![NONE; p],
        };
        st.cap = st.x_hi + 1;
        if st.cap > i128::from(i64::MAX) {
            return None;
        }
        // Scratch for walks; the walk of the best project so far (its short prefix length); scratch
        // for exact comparisons.
        let (mut entries, mut best_entries, mut spare): (Vec<Entry>, Vec<Entry>, Vec<Entry>) = Default::default();
        let mut run = Run { x: x.clone(), selected: Vec::new(), certs: Vec::new(), exact: Vec::new(), stable: true };
        let mut alive: Vec<usize> = self.candidates.clone();
        let mut dirty = vec![true; p];
        let mut price: Vec<(i128, i128)> = vec![(0, 0); p];
        let mut exact_now: Vec<Option<BigRational>> = vec![None; p];
        // A lower bound of each project's share: it only rises as money is spent.
        let mut stale: Vec<i128> =
            (0..p).map(|j| if self.total[j] > 0 { self.cost_fx[j] / self.total[j] } else { 0 }).collect();
        loop {
            // Cheapest lower bound per unit of utility first (the order only affects speed).
            alive.sort_by(|&a, &b| {
                let (fa, fb) = (stale[a] as f64 / self.cost_fx[a] as f64, stale[b] as f64 / self.cost_fx[b] as f64);
                fa.total_cmp(&fb)
            });
            let mut best: Option<usize> = None;
            let mut best_walk: Option<(usize, usize)> = None;
            let mut dead = Vec::new();
            for &j in &alive {
                if let Some(b) = best
                    && stale[j] * self.e_cost(b) > price[b].1 * self.e_cost(j)
                {
                    break;
                }
                let mut walked = None;
                if dirty[j] {
                    dirty[j] = false;
                    exact_now[j] = None;
                    match self.walk(&st, &mut entries, j, price[j].1) {
                        Ok(None) => {
                            dead.push(j);
                            continue;
                        }
                        Ok(Some((stop, lo, hi))) => {
                            price[j] = (lo, hi);
                            walked = Some(stop);
                        }
                        Err(()) => match self.evaluate_exact(&st, &mut run, j) {
                            None => {
                                dead.push(j);
                                continue;
                            }
                            Some((t, _)) => {
                                price[j] = (self.to_fx(&t, false), self.to_fx(&t, true));
                                exact_now[j] = Some(t);
                            }
                        },
                    }
                    stale[j] = price[j].0;
                }
                let better = match best {
                    None => true,
                    Some(b) => {
                        let (cj, cb) = (self.e_cost(j), self.e_cost(b));
                        if price[j].1 * cb < price[b].0 * cj {
                            true
                        } else if price[j].0 * cb > price[b].1 * cj {
                            false
                        } else {
                            let tj = self.exact_current(&st, &mut run, &mut spare, &mut exact_now, j, price[j].1);
                            let tb = self.exact_current(&st, &mut run, &mut spare, &mut exact_now, b, price[b].1);
                            let (lj, lb) = (tj * BigInt::from(cb), tb * BigInt::from(cj));
                            lj < lb || (lj == lb && self.e.ids[j] < self.e.ids[b])
                        }
                    }
                };
                if better {
                    best = Some(j);
                    best_walk = walked.map(|stop| (j, stop));
                    if walked.is_some() {
                        std::mem::swap(&mut entries, &mut best_entries);
                    }
                }
            }
            if !dead.is_empty() {
                run.stable = false;
                alive.retain(|j| !dead.contains(j));
            }
            let Some(j) = best else {
                if !alive.is_empty() {
                    run.stable = false;
                }
                return Some(run);
            };
            alive.retain(|&k| k != j);
            let (cert, all_paid) = match best_walk {
                Some((k, stop)) if k == j => self.certify_prefix(&st, &mut run, &best_entries[..stop], j),
                _ => self.certify(&st, &mut run, &mut entries, j, price[j].1),
            };
            if !all_paid {
                run.stable = false;
            }
            let (lo, hi) = price[j];
            st.pos[j] = u32::try_from(run.selected.len()).unwrap_or(NONE);
            run.selected.push(j);
            run.certs.push(cert);
            run.exact.push(None);
            for &g in self.supporters.row(j) {
                let s = &mut st.s[g as usize];
                s.0 = i64::try_from((i128::from(s.0) + lo).min(st.cap)).unwrap_or(i64::MAX);
                s.1 = i64::try_from((i128::from(s.1) + hi).min(st.cap)).unwrap_or(i64::MAX);
            }
            for &k in self.cosupport.row(j) {
                dirty[k as usize] = true;
            }
        }
    }

    fn e_cost(&self, j: usize) -> i128 {
        i128::from(self.e.costs[j])
    }

    /// Sorts the supporters of `j` into `entries` by their money's upper bound and finds, on the
    /// bounds, the prefix of those short of money: `Ok(Some((prefix length, share bounds)))`,
    /// `Ok(None)` when their money cannot pay the cost, `Err(())` when the bounds cannot tell.
    ///
    /// Why this is exact: with the prefix `Q` short on the upper bounds, the share for any money
    /// between the bounds is at least `(cost - Σ_Q high) / rich` and at most `(cost - Σ_Q low) / rich`
    /// once every other supporter's lower bound reaches that maximum — then `Q` is exactly the set of
    /// those short of money.
    fn walk(
        &self,
        st: &State,
        entries: &mut Vec<Entry>,
        j: usize,
        hint: i128,
    ) -> Result<Option<(usize, i128, i128)>, ()> {
        let c = self.cost_fx[j];
        // Only supporters whose money is below `threshold` are sorted; it is raised until the share
        // (for the upper bounds) is certainly below it, so all those short of money are among them.
        let mut threshold = hint.max(c / self.total[j] + 1).saturating_mul(2).min(st.x_hi + 1);
        loop {
            entries.clear();
            let (mut total_hi, mut total_lo, mut capped) = (0i128, 0i128, 0i128);
            let mut min_rich_lo = i128::MAX;
            let mut add = |entries: &mut Vec<Entry>, bh: i128, bl: i128, m: i128, g: u32| {
                total_hi += bh * m;
                total_lo += bl * m;
                if bh < threshold {
                    capped += bh * m;
                    entries.push((bh, bl, m, g));
                } else {
                    capped += threshold * m;
                    min_rich_lo = min_rich_lo.min(bl);
                }
            };
            let mut un = 0i128;
            for &g in self.supporters.row(j) {
                let gi = g as usize;
                let (s_lo, s_hi) = (i128::from(st.s[gi].0), i128::from(st.s[gi].1));
                if s_hi > 0 {
                    add(entries, (st.x_hi - s_lo).max(0), (st.x_lo - s_hi).max(0), self.mult[gi], g);
                } else {
                    un += self.mult[gi];
                }
            }
            if un > 0 {
                add(entries, st.x_hi, st.x_lo, un, NONE);
            }
            if total_hi < c {
                return Ok(None);
            }
            if total_lo < c {
                return Err(());
            }
            if capped < c {
                threshold = threshold.saturating_mul(4).min(st.x_hi + 1);
                continue;
            }
            entries.sort_unstable_by_key(|e| e.0);
            let (mut paid_hi, mut paid_lo, mut k) = (0i128, 0i128, self.total[j]);
            let mut stop = entries.len();
            for (i, &(bh, bl, m, _)) in entries.iter().enumerate() {
                if c - paid_hi <= bh * k {
                    stop = i;
                    break;
                }
                paid_hi += bh * m;
                paid_lo += bl * m;
                k -= m;
            }
            if k <= 0 {
                return Err(());
            }
            let lo = (c - paid_hi).div_euclid(k);
            let num = c - paid_lo;
            let hi = num.div_euclid(k) + i128::from(num.rem_euclid(k) != 0);
            let rich_lo = entries[stop..].iter().map(|e| e.1).fold(min_rich_lo, i128::min);
            return if rich_lo >= hi { Ok(Some((stop, lo, hi))) } else { Err(()) };
        }
    }

    /// The exact money of a group (`NONE`: untouched voters).
    fn exact_money(&self, st: &State, run: &mut Run, g: u32) -> BigRational {
        let mut left = run.x.clone();
        if g != NONE {
            for &i in self.ballots.row(g as usize) {
                let q = st.pos[i as usize];
                if q != NONE {
                    left -= self.exact_t(run, q as usize);
                }
            }
        }
        if left < BigRational::zero() { BigRational::zero() } else { left }
    }

    /// The exact share of project `j` now, and how many groups are short of money, computed with
    /// big rationals throughout (when the bounds cannot decide); `None` when it is unaffordable.
    fn evaluate_exact(&self, st: &State, run: &mut Run, j: usize) -> Option<(BigRational, usize)> {
        let mut by_money: BTreeMap<BigRational, i128> = BTreeMap::new();
        let mut untouched = 0i128;
        for &g in self.supporters.row(j) {
            if st.s[g as usize].1 > 0 {
                *by_money.entry(self.exact_money(st, run, g)).or_insert(0) += self.mult[g as usize];
            } else {
                untouched += self.mult[g as usize];
            }
        }
        if untouched > 0 {
            *by_money.entry(run.x.clone()).or_insert(0) += untouched;
        }
        let c = BigRational::from_integer(BigInt::from(self.e.costs[j]));
        let (mut paid, mut k) = (BigRational::zero(), self.total[j]);
        for (short, (b, m)) in by_money.into_iter().enumerate() {
            let t = (&c - &paid) / BigRational::from_integer(BigInt::from(k));
            if t <= b {
                return Some((t, short));
            }
            paid += b * BigRational::from_integer(BigInt::from(m));
            k -= m;
        }
        None
    }

    /// How project `j`'s exact share follows from earlier shares, and whether all its supporters
    /// pay it alike (nobody short of money).
    fn certify(&self, st: &State, run: &mut Run, entries: &mut Vec<Entry>, j: usize, hint: i128) -> (Cert, bool) {
        if let Ok(Some((stop, _, _))) = self.walk(st, entries, j, hint) {
            return self.certify_prefix(st, run, &entries[..stop], j);
        }
        match self.evaluate_exact(st, run, j) {
            Some((t, short)) => (Cert::Exact(t), short == 0),
            // Unreachable: only affordable projects are certified.
            None => (Cert::Exact(BigRational::zero()), false),
        }
    }

    /// [`Self::certify`] from a walk's short prefix.
    fn certify_prefix(&self, st: &State, run: &mut Run, short_prefix: &[Entry], j: usize) -> (Cert, bool) {
        let (mut short, mut poor) = (0i128, 0i128);
        let mut coefs = vec![0i128; run.selected.len()];
        for &(bh, bl, m, g) in short_prefix {
            poor += m;
            let positive = bl > 0 || (bh > 0 && self.exact_money(st, run, g) > BigRational::zero());
            if positive {
                short += m;
                if g != NONE {
                    for &i in self.ballots.row(g as usize) {
                        let q = st.pos[i as usize];
                        if q != NONE {
                            coefs[q as usize] += m;
                        }
                    }
                }
            }
        }
        let cert = Cert::Formula {
            rich: self.total[j] - poor,
            short,
            coefs: (0u32..).zip(coefs).filter(|c| c.1 != 0).collect(),
        };
        (cert, short_prefix.is_empty())
    }

    /// The exact current share of the (evaluated, affordable) project `j`.
    fn exact_current(
        &self,
        st: &State,
        run: &mut Run,
        entries: &mut Vec<Entry>,
        exact_now: &mut [Option<BigRational>],
        j: usize,
        hint: i128,
    ) -> BigRational {
        if let Some(t) = &exact_now[j] {
            return t.clone();
        }
        let (cert, _) = self.certify(st, run, entries, j, hint);
        let t = self.formula(run, j, &cert);
        exact_now[j] = Some(t.clone());
        t
    }

    fn formula(&self, run: &mut Run, j: usize, cert: &Cert) -> BigRational {
        match cert {
            Cert::Exact(t) => t.clone(),
            Cert::Formula { rich, short, coefs } => {
                let mut num = BigRational::from_integer(BigInt::from(self.e.costs[j]))
                    - &run.x * BigRational::from_integer(BigInt::from(*short));
                for &(q, m) in coefs {
                    num += self.exact_t(run, q as usize) * BigRational::from_integer(BigInt::from(m));
                }
                num / BigRational::from_integer(BigInt::from(*rich))
            }
        }
    }

    /// The exact share of the `q`-th selection.
    fn exact_t(&self, run: &mut Run, q: usize) -> BigRational {
        for r in 0..=q {
            if run.exact[r].is_none() {
                let cert = run.certs[r].clone();
                let t = self.formula(run, run.selected[r], &cert);
                run.exact[r] = Some(t);
            }
        }
        run.exact[q].clone().unwrap_or_default()
    }

    /// The selected projects in order with their exact price per unit of utility (share / cost).
    pub(super) fn prices(&self, run: &mut Run) -> Vec<(usize, BigRational)> {
        (0..run.selected.len())
            .map(|q| {
                let j = run.selected[q];
                (j, self.exact_t(run, q) / BigRational::from_integer(BigInt::from(self.e.costs[j])))
            })
            .collect()
    }
}
