// The rules the participatory budget screens decide by: the phase timeline, the
// ballot rule in words, what the voting booth allows and why not, the results' cut-off line, and
// the request bodies read from forms.
import type { TFunction } from 'i18next';
import type { Schemas } from '../../../lib/api-client';
import { isProblem, problemCode } from '../../../lib/errors';
import { lines, localizedFrom, moneyFrom, textFrom } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';

export type Budget = Schemas['BudgetResponse'];
export type Phase = Schemas['PhaseDto'];
export type BallotRule = Schemas['BallotRuleDto'];
export type OutcomeRule = Schemas['OutcomeRuleDto'];
export type Proposal = Schemas['ProposalResponse'];
export type Review = Schemas['ReviewDto'];
export type Works = Schemas['WorksDto'];
export type Results = Schemas['ResultsResponse'];
export type Tally = Schemas['TallyDto'];

export const PHASES: Phase[] = ['information', 'proposals', 'review', 'supports', 'voting', 'results', 'implementation'];
export const OUTCOME_RULES: OutcomeRule[] = ['greedy', 'greedy_no_skip', 'greedy_per_cost', 'equal_shares', 'equal_shares_plain', 'equal_shares_greedy'];
export const REVIEWS: Review[] = ['submitted', 'feasible', 'unfeasible'];
export const WORKS: Works[] = ['planned', 'in_progress', 'done', 'cancelled'];
export const SORTS = ['created_at', 'cost', '-cost', '-supports', 'supports', 'most_commented'] as const;

/** Whether `phase` has been reached (is the current one or came before it). */
export function reached(current: Phase, phase: Phase): boolean {
  return PHASES.indexOf(current) >= PHASES.indexOf(phase);
}

export interface TimelineStep {
  phase: Phase;
  /** The scheduled start, `YYYY-MM-DD`, if any. */
  starts: string | null;
  state: 'past' | 'current' | 'future';
}

/**
 * Every phase of the process in order, with its scheduled start and whether it is over, the
 * current one or to come. The supports phase only belongs to processes with a supports threshold.
 */
export function phaseTimeline(budget: Pick<Budget, 'phase' | 'schedule' | 'supports_threshold'>): TimelineStep[] {
  const current = PHASES.indexOf(budget.phase);
  const hasSupports = budget.supports_threshold !== null && budget.supports_threshold !== undefined;
  return PHASES.filter((p) => p !== 'supports' || hasSupports || budget.phase === 'supports').map((phase) => {
    const i = PHASES.indexOf(phase);
    return { phase, starts: budget.schedule[phase] ?? null, state: i < current ? 'past' : i === current ? 'current' : 'future' };
  });
}

/** The ballot rule in one sentence. */
export function describeBallotRule(rule: BallotRule, t: TFunction): string {
  switch (rule.kind) {
    case 'approval': {
      const parts: string[] = [];
      const min = rule.min_projects ?? 0;
      if (rule.max_projects !== null && rule.max_projects !== undefined) parts.push(t('budgets.ruleApprovalMax', { n: rule.max_projects }));
      else parts.push(t('budgets.ruleApprovalAny'));
      if (rule.knapsack) parts.push(t('budgets.ruleKnapsack'));
      if (min > 0) parts.push(t('budgets.ruleAtLeast', { n: min }));
      return parts.join(' ');
    }
    case 'cumulative': {
      const parts = [t('budgets.ruleCumulative', { n: rule.points })];
      if (rule.max_per_project) parts.push(t('budgets.ruleMaxPerProject', { n: rule.max_per_project }));
      if (rule.min_projects) parts.push(t('budgets.ruleAtLeast', { n: rule.min_projects }));
      return parts.join(' ');
    }
    case 'ranking':
      return t('budgets.ruleRanking', { n: rule.scores.length, scores: rule.scores.join(', ') });
  }
}

// ---- the voting booth ------------------------------------------------------------------------

/** A choice in the booth: for rankings the order of the list is the ranking, first = best. */
export interface Choice {
  id: string;
  /** Cumulative ballots: the points given. Otherwise 1. */
  points: number;
}

/** What a project costs on the ballot: the validated cost, else the estimate. */
export function costOf(p: Pick<Proposal, 'validated_cost' | 'estimated_cost'>): number {
  return p.validated_cost?.amount ?? p.estimated_cost.amount;
}

/** The money the ballot is bound by: the district's, or the whole process's. */
export function ballotBudget(budget: Pick<Budget, 'total' | 'districts'>, district: string | null): number {
  if (district === null) return budget.total.amount;
  return budget.districts.find((d) => d.key === district)?.amount ?? budget.total.amount;
}

export interface BoothContext {
  rule: BallotRule;
  /** Minor units the chosen projects may cost (knapsack), see `ballotBudget`. */
  limit: number;
  /** Cost of each project on the ballot by id. */
  costs: Record<string, number>;
}

export function spentOn(picks: readonly Choice[], costs: Record<string, number>): number {
  return picks.reduce((sum, p) => sum + (costs[p.id] ?? 0), 0);
}

/** Money still free under the ballot's limit (negative when over it). */
export function remainingBudget(picks: readonly Choice[], ctx: BoothContext): number {
  return ctx.limit - spentOn(picks, ctx.costs);
}

/** How many more projects may be chosen, or `null` when the rule sets no maximum. */
export function picksLeft(picks: readonly Choice[], rule: BallotRule): number | null {
  if (rule.kind === 'approval') return rule.max_projects === null || rule.max_projects === undefined ? null : Math.max(0, rule.max_projects - picks.length);
  if (rule.kind === 'ranking') return Math.max(0, rule.scores.length - picks.length);
  return null;
}

/** Points still to give on a cumulative ballot, else `null`. */
export function pointsLeft(picks: readonly Choice[], rule: BallotRule): number | null {
  if (rule.kind !== 'cumulative') return null;
  return Math.max(0, rule.points - picks.reduce((s, p) => s + p.points, 0));
}

/** The most picks a rule allows (`null`: no maximum). */
export function maxPicks(rule: BallotRule): number | null {
  if (rule.kind === 'approval') return rule.max_projects ?? null;
  if (rule.kind === 'ranking') return rule.scores.length;
  return null;
}

export type Refusal =
  | { reason: 'max-picks'; max: number }
  | { reason: 'over-budget'; missing: number }
  | { reason: 'no-points-left' }
  | { reason: 'max-per-project'; max: number };

/** Why `id` may not be added to the ballot (or given one more point) now; `null` when it may. */
export function whyNot(id: string, picks: readonly Choice[], ctx: BoothContext): Refusal | null {
  const { rule } = ctx;
  const chosen = picks.find((p) => p.id === id);
  if (rule.kind === 'cumulative') {
    if (pointsLeft(picks, rule) === 0) return { reason: 'no-points-left' };
    if (rule.max_per_project && (chosen?.points ?? 0) >= rule.max_per_project) return { reason: 'max-per-project', max: rule.max_per_project };
    return null;
  }
  if (chosen) return null;
  const max = maxPicks(rule);
  if (max !== null && picks.length >= max) return { reason: 'max-picks', max };
  if (rule.kind === 'approval' && rule.knapsack) {
    const left = remainingBudget(picks, ctx);
    const cost = ctx.costs[id] ?? 0;
    if (cost > left) return { reason: 'over-budget', missing: cost - left };
  }
  return null;
}

/** Adds a project (or one point of a cumulative ballot); unchanged when not allowed. */
export function choose(id: string, picks: readonly Choice[], ctx: BoothContext): Choice[] {
  if (whyNot(id, picks, ctx)) return [...picks];
  if (ctx.rule.kind === 'cumulative') {
    return picks.some((p) => p.id === id) ? picks.map((p) => (p.id === id ? { ...p, points: p.points + 1 } : p)) : [...picks, { id, points: 1 }];
  }
  return picks.some((p) => p.id === id) ? [...picks] : [...picks, { id, points: 1 }];
}

/** Removes a project (or one point of a cumulative ballot). */
export function unchoose(id: string, picks: readonly Choice[], rule: BallotRule): Choice[] {
  if (rule.kind === 'cumulative') return picks.map((p) => (p.id === id ? { ...p, points: p.points - 1 } : p)).filter((p) => p.points > 0);
  return picks.filter((p) => p.id !== id);
}

/** Moves a ranked project one place up (-1) or down (+1). */
export function move(id: string, picks: readonly Choice[], by: -1 | 1): Choice[] {
  const i = picks.findIndex((p) => p.id === id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= picks.length) return [...picks];
  const out = [...picks];
  [out[i], out[j]] = [out[j] as Choice, out[i] as Choice];
  return out;
}

export type Shortfall = { reason: 'too-few'; min: number } | { reason: 'rank-all'; count: number } | { reason: 'empty' };

/** What keeps the ballot from being cast as it is; `null` when it can be. */
export function castBlocker(picks: readonly Choice[], rule: BallotRule): Shortfall | null {
  if (picks.length === 0) return { reason: 'empty' };
  if (rule.kind === 'ranking') return picks.length === rule.scores.length ? null : { reason: 'rank-all', count: rule.scores.length };
  const min = rule.min_projects ?? 0;
  return picks.length < min ? { reason: 'too-few', min } : null;
}

export function ballotBody(picks: readonly Choice[], rule: BallotRule, district: string | null): Schemas['BallotRequest'] {
  return {
    district,
    choices: picks.map((p) => (rule.kind === 'cumulative' ? { proposal_id: p.id, points: p.points } : { proposal_id: p.id })),
  };
}

/** A stored ballot back into booth picks (for rankings, stored in the order cast). */
export function picksFrom(ballot: Schemas['BallotResponse'], rule: BallotRule): Choice[] {
  return ballot.choices.map((c) => ({ id: c.proposal_id, points: rule.kind === 'cumulative' ? c.points : 1 }));
}

export type Counter = 'budget' | 'picks' | 'points';

/** The counters the booth can show, the most telling first: the resident may switch between them. */
export function counters(rule: BallotRule): Counter[] {
  if (rule.kind === 'cumulative') return ['points', 'budget'];
  if (rule.kind === 'ranking') return ['picks', 'budget'];
  const hasMax = rule.max_projects !== null && rule.max_projects !== undefined;
  if (rule.knapsack) return hasMax ? ['budget', 'picks'] : ['budget'];
  return hasMax ? ['picks', 'budget'] : ['budget'];
}

/** A refusal in words. */
export function refusalText(r: Refusal, t: TFunction, money: (minor: number) => string): string {
  switch (r.reason) {
    case 'max-picks':
      return t('budgets.whyMaxPicks', { n: r.max });
    case 'over-budget':
      return t('budgets.whyOverBudget', { missing: money(r.missing) });
    case 'no-points-left':
      return t('budgets.whyNoPoints');
    case 'max-per-project':
      return t('budgets.whyMaxPerProject', { n: r.max });
  }
}

export function shortfallText(s: Shortfall, t: TFunction): string {
  switch (s.reason) {
    case 'empty':
      return t('budgets.castEmpty');
    case 'too-few':
      return t('budgets.castTooFew', { n: s.min });
    case 'rank-all':
      return t('budgets.castRankAll', { n: s.count });
  }
}

/** Errors of the booth in words: the broken rule, verification, or the shared messages. */
export function boothProblem(problem: unknown): { kind: 'rule'; message: string } | { kind: 'not-verified' } | null {
  if (!isProblem(problem)) return null;
  const code = problemCode(problem);
  if (code === 'ballot-rule-broken') return { kind: 'rule', message: problem.errors?.[0]?.message ?? problem.detail ?? '' };
  if (code === 'not-verified') return { kind: 'not-verified' };
  return null;
}

// ---- results ---------------------------------------------------------------------------------

/**
 * The cut-off line of a result, drawn from what the rule did (`selected`), in the order the
 * results list the projects: by score, the order the greedy rules take them in.
 *
 * - `greedy`: above the first eligible project that was not funded — the first that no longer fit;
 *   it was skipped, and projects below it that still fit may be funded (`below` counts them).
 * - `greedy_no_skip`: above the first eligible project that was not funded — where the selection
 *   stopped; nothing below it is funded.
 * - the other rules do not take projects in this order: no line (`kind: 'none'`).
 *
 * `spent` is what the funded projects above the line cost; `all-fit` when every eligible project
 * was funded.
 */
export type CutOff =
  | { kind: 'skipped' | 'stopped'; index: number; spent: number; below: number }
  | { kind: 'all-fit' }
  | { kind: 'none' };

export function cutOff(rule: OutcomeRule, projects: readonly Pick<Tally, 'cost' | 'eligible' | 'selected'>[]): CutOff {
  if (rule !== 'greedy' && rule !== 'greedy_no_skip') return { kind: 'none' };
  let spent = 0;
  for (const [index, p] of projects.entries()) {
    if (!p.eligible) continue;
    if (!p.selected) {
      const below = projects.slice(index + 1).filter((q) => q.selected).length;
      return { kind: rule === 'greedy' ? 'skipped' : 'stopped', index, spent, below };
    }
    spent += p.cost;
  }
  return { kind: 'all-fit' };
}

/** What a project's score counts under a ballot rule: votes, points, or points for ranks. */
export function scoreBasis(rule: BallotRule): 'votes' | 'points' | 'rank-points' {
  if (rule.kind === 'cumulative') return 'points';
  if (rule.kind === 'ranking') return rule.scores.every((s) => s === rule.scores[0]) ? 'votes' : 'rank-points';
  return 'votes';
}

/** A score as a number (the API sends exact decimals as strings). */
export function scoreValue(score: string): number {
  const n = Number(score);
  return Number.isFinite(n) ? n : 0;
}

/** Bar widths as whole percentages of the highest score. */
export function barPercent(score: number, most: number): number {
  return most > 0 ? Math.round((score * 100) / most) : 0;
}

/** Money spent against the cost, a whole percentage (capped at 100 for the bar). */
export function spentPercent(spent: number | null | undefined, cost: number): number {
  if (!spent || cost <= 0) return 0;
  return Math.min(100, Math.round((spent * 100) / cost));
}

// ---- request bodies, read from forms --------------------------------------------------------

function text(form: FormData, name: string): string {
  return textFrom(form, name);
}

export function proposalBody(form: FormData, locales: readonly Locale[], currency: string): Schemas['CreateProposalRequest'] {
  return {
    title: localizedFrom(form, 'title', locales),
    description: localizedFrom(form, 'description', locales),
    category: text(form, 'category') || null,
    district: text(form, 'district') || null,
    location: text(form, 'location') || null,
    estimated_cost: moneyFrom(form, 'estimated_cost', currency) ?? NaN,
    images: lines(text(form, 'images')),
  };
}

export function reviewBody(form: FormData, currency: string): Schemas['ReviewRequest'] {
  const feasible = text(form, 'feasible') === 'yes';
  return {
    feasible,
    reason: text(form, 'reason') || null,
    validated_cost: feasible ? moneyFrom(form, 'validated_cost', currency) : null,
  };
}

export function updateBody(form: FormData, locales: readonly Locale[], currency: string): Schemas['ProjectUpdateRequest'] {
  return {
    text: localizedFrom(form, 'text', locales),
    photos: lines(text(form, 'photos')),
    amount_spent: moneyFrom(form, 'amount_spent', currency),
    works: (text(form, 'works') || null) as Works | null,
    occurred_on: text(form, 'occurred_on') || null,
  };
}
