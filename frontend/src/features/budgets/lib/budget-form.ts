//! The staff set-up form of a participatory budget: its state, what it checks before sending, the
//! request bodies it becomes, and what each phase transition will do, in words. Field keys are the
//! API's own paths (`districts[0].amount`, `ballot_rule.max_projects`), so the server's field errors
//! land next to the same inputs as ours.
import type { TFunction } from 'i18next';
import type { Schemas } from '../../../lib/api-client';
import { moneyInput, parseMoney } from '../../../lib/forms';
import { PHASES, type Budget, type OutcomeRule, type Phase } from './budgets';
import { hasDefaultText } from '../../../lib/language';

export type Locale = Schemas['LocaleDto'];
export type Texts = Partial<Record<Locale, string>>;
export type BallotKind = Schemas['BallotRuleDto']['kind'];
export type DistrictVoting = Schemas['DistrictVotingDto'];
type Org = Pick<Schemas['OrgResponse'], 'default_locale' | 'locales' | 'currency'>;

export const BALLOT_KINDS: BallotKind[] = ['approval', 'cumulative', 'ranking'];

export interface DistrictRow {
  /** A stable React key; never sent. */
  rowKey: string;
  key: string;
  name: Texts;
  amount: string;
}

export interface CategoryRow {
  rowKey: string;
  key: string;
  name: Texts;
}

export interface BudgetFormState {
  title: Texts;
  rulesText: Texts;
  /** Money as typed, in major units of the organisation's currency. */
  total: string;
  districts: DistrictRow[];
  categories: CategoryRow[];
  /** The day each phase starts (`YYYY-MM-DD`, or empty). */
  schedule: Partial<Record<Phase, string>>;
  /** Whether proposals need supports to reach the ballot (set only when creating). */
  supportsPhase: boolean;
  supportsThreshold: string;
  ballotKind: BallotKind;
  /** Approval: at least / at most this many projects (empty: no maximum), within the money. */
  minProjects: string;
  maxProjects: string;
  knapsack: boolean;
  /** Cumulative: points to spread, at most this many on one project. */
  points: string;
  maxPerProject: string;
  /** Ranking: the score of each rank, best first ("3, 2, 1"). */
  scores: string;
  outcomeRule: OutcomeRule;
  minScore: string;
  requiresVerified: boolean;
  districtVoting: DistrictVoting;
}

let rows = 0;
function rowKey(): string {
  rows += 1;
  return `budget-row-${rows}`;
}

export function newDistrict(): DistrictRow {
  return { rowKey: rowKey(), key: '', name: {}, amount: '' };
}

export function newCategory(): CategoryRow {
  return { rowKey: rowKey(), key: '', name: {} };
}

export function emptyBudgetForm(): BudgetFormState {
  return {
    title: {},
    rulesText: {},
    total: '',
    districts: [],
    categories: [],
    schedule: {},
    supportsPhase: false,
    supportsThreshold: '',
    ballotKind: 'approval',
    minProjects: '',
    maxProjects: '',
    knapsack: false,
    points: '',
    maxPerProject: '',
    scores: '',
    outcomeRule: 'greedy',
    minScore: '0',
    requiresVerified: false,
    districtVoting: 'each',
  };
}

function texts(text: Schemas['LocalizedTextDto'] | null | undefined): Texts {
  const out: Texts = {};
  for (const [l, v] of Object.entries(text ?? {})) if (v) out[l as Locale] = v;
  return out;
}

const num = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** The form as it starts when editing `b`. */
export function budgetFormFrom(b: Budget, currency: string): BudgetFormState {
  const rule = b.ballot_rule;
  const schedule: BudgetFormState['schedule'] = {};
  for (const p of PHASES) if (b.schedule[p]) schedule[p] = b.schedule[p] ?? '';
  return {
    ...emptyBudgetForm(),
    title: texts(b.title),
    rulesText: texts(b.rules_text),
    total: moneyInput(b.total.amount, currency),
    districts: b.districts.map((d) => ({ rowKey: rowKey(), key: d.key, name: texts(d.name), amount: moneyInput(d.amount, currency) })),
    categories: b.categories.map((c) => ({ rowKey: rowKey(), key: c.key, name: texts(c.name) })),
    schedule,
    supportsPhase: b.supports_threshold !== null && b.supports_threshold !== undefined,
    supportsThreshold: num(b.supports_threshold),
    ballotKind: rule.kind,
    minProjects: rule.kind === 'approval' || rule.kind === 'cumulative' ? num(rule.min_projects) : '',
    maxProjects: rule.kind === 'approval' ? num(rule.max_projects) : '',
    knapsack: rule.kind === 'approval' ? !!rule.knapsack : false,
    points: rule.kind === 'cumulative' ? num(rule.points) : '',
    maxPerProject: rule.kind === 'cumulative' ? num(rule.max_per_project) : '',
    scores: rule.kind === 'ranking' ? rule.scores.join(', ') : '',
    outcomeRule: b.outcome_rule,
    minScore: num(b.min_score),
    requiresVerified: b.requires_verified,
    districtVoting: b.district_voting,
  };
}

/** A whole number ≥ `min` typed in `s` (`null` when empty, `NaN` when not one). */
function count(s: string, min = 0): number | null {
  const v = s.trim();
  if (!v) return null;
  return /^\d+$/.test(v) && Number(v) >= min ? Number(v) : NaN;
}

/** "3, 2, 1" as numbers; `null` when any is not a whole number. */
export function parseScores(s: string): number[] | null {
  const parts = s.split(/[,;\s]+/).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/** A district's or category's key: short, on one line (pabulib files use names such as `Bałuty`). */
const KEY = /^\S(.{0,98}\S)?$/u;

/**
 * What is wrong with the form before it is sent, keyed like the API's field errors. Empty when
 * the form may be sent (the server checks everything again).
 */
export function validateBudgetForm(f: BudgetFormState, org: Org, t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {};
  const required = t('budgetForm.required');
  const wholeNumber = t('budgetForm.wholeNumber');
  if (!hasDefaultText(f.title, org.default_locale)) errors[`title.${org.default_locale}`] = required;
  const total = parseMoney(f.total, org.currency);
  if (total === null) errors.total = required;
  else if (Number.isNaN(total) || total <= 0) errors.total = t('budgetForm.badMoney');
  const keys = new Set<string>();
  f.districts.forEach((d, i) => {
    const key = d.key.trim();
    if (!KEY.test(key)) errors[`districts[${i}].key`] = t('budgetForm.badKey');
    else if (keys.has(key)) errors[`districts[${i}].key`] = t('budgetForm.duplicateKey');
    keys.add(key);
    if (!hasDefaultText(d.name, org.default_locale)) errors[`districts[${i}].name.${org.default_locale}`] = required;
    const amount = parseMoney(d.amount, org.currency);
    if (amount === null || Number.isNaN(amount) || amount <= 0) errors[`districts[${i}].amount`] = t('budgetForm.badMoney');
  });
  const categoryKeys = new Set<string>();
  f.categories.forEach((c, i) => {
    const key = c.key.trim();
    if (!KEY.test(key)) errors[`categories[${i}].key`] = t('budgetForm.badKey');
    else if (categoryKeys.has(key)) errors[`categories[${i}].key`] = t('budgetForm.duplicateKey');
    categoryKeys.add(key);
    if (!hasDefaultText(c.name, org.default_locale)) errors[`categories[${i}].name.${org.default_locale}`] = required;
  });
  let previous: string | undefined;
  for (const p of PHASES) {
    const day = f.schedule[p];
    if (!day) continue;
    if (previous && day < previous) errors[`schedule.${p}`] = t('budgetForm.scheduleOrder');
    previous = day;
  }
  if (f.supportsPhase && Number.isNaN(count(f.supportsThreshold, 1) ?? NaN)) errors.supports_threshold = wholeNumber;
  if (f.ballotKind === 'approval') {
    const min = count(f.minProjects);
    const max = count(f.maxProjects, 1);
    if (Number.isNaN(min)) errors['ballot_rule.min_projects'] = wholeNumber;
    if (Number.isNaN(max)) errors['ballot_rule.max_projects'] = wholeNumber;
    if (min !== null && max !== null && min > max) errors['ballot_rule.max_projects'] = t('budgetForm.maxBelowMin');
  } else if (f.ballotKind === 'cumulative') {
    const points = count(f.points, 1);
    if (points === null || Number.isNaN(points)) errors['ballot_rule.points'] = wholeNumber;
    if (Number.isNaN(count(f.maxPerProject, 1))) errors['ballot_rule.max_per_project'] = wholeNumber;
    if (Number.isNaN(count(f.minProjects))) errors['ballot_rule.min_projects'] = wholeNumber;
  } else if (!parseScores(f.scores)) {
    errors['ballot_rule.scores'] = t('budgetForm.badScores');
  }
  if (Number.isNaN(count(f.minScore) ?? 0)) errors.min_score = wholeNumber;
  return errors;
}

/** Only the languages the organisation uses, trimmed, empty ones dropped. */
function clean(text: Texts, locales: readonly Locale[]): Texts {
  const out: Texts = {};
  for (const l of locales) {
    const v = text[l]?.trim();
    if (v) out[l] = v;
  }
  return out;
}

function ballotRule(f: BudgetFormState): Schemas['BallotRuleDto'] {
  if (f.ballotKind === 'cumulative') {
    return { kind: 'cumulative', points: count(f.points) ?? 0, max_per_project: count(f.maxPerProject), min_projects: count(f.minProjects) ?? 0 };
  }
  if (f.ballotKind === 'ranking') return { kind: 'ranking', scores: parseScores(f.scores) ?? [] };
  return { kind: 'approval', min_projects: count(f.minProjects) ?? 0, max_projects: count(f.maxProjects), knapsack: f.knapsack };
}

function common(f: BudgetFormState, org: Org) {
  const schedule: Schemas['ScheduleDto'] = {};
  for (const p of PHASES) schedule[p] = f.schedule[p] || null;
  return {
    title: clean(f.title, org.locales),
    rules_text: clean(f.rulesText, org.locales),
    total: parseMoney(f.total, org.currency) ?? 0,
    districts: f.districts.map((d) => ({ key: d.key.trim(), name: clean(d.name, org.locales), amount: parseMoney(d.amount, org.currency) ?? 0 })),
    categories: f.categories.map((c) => ({ key: c.key.trim(), name: clean(c.name, org.locales) })),
    schedule,
    ballot_rule: ballotRule(f),
    outcome_rule: f.outcomeRule,
    min_score: count(f.minScore) ?? 0,
    requires_verified: f.requiresVerified,
    district_voting: f.districtVoting,
  };
}

/** The body of `POST …/budgets`. */
export function createBudgetBody(f: BudgetFormState, org: Org): Schemas['CreateBudgetRequest'] {
  return { ...common(f, org), supports_threshold: f.supportsPhase ? count(f.supportsThreshold) : null };
}

/** The body of `PATCH …/budgets/{id}`: only what changed since `before`. */
export function updateBudgetBody(f: BudgetFormState, before: BudgetFormState, org: Org): Schemas['UpdateBudgetRequest'] {
  const now = common(f, org);
  const was = common(before, org);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(now) as (keyof typeof now)[]) {
    if (JSON.stringify(now[key]) !== JSON.stringify(was[key])) out[key] = now[key];
  }
  return out as Schemas['UpdateBudgetRequest'];
}

/** What moving the process into `phase` does, in words, for the confirmation before it. */
export function transitionConsequences(phase: Phase, t: TFunction): string[] {
  switch (phase) {
    case 'proposals':
      return [t('budgetForm.next_proposals')];
    case 'review':
      return [t('budgetForm.next_review')];
    case 'supports':
      return [t('budgetForm.next_supports')];
    case 'voting':
      return [t('budgetForm.next_voting'), t('budgetForm.next_votingLocks')];
    case 'results':
      return [t('budgetForm.next_results'), t('budgetForm.next_irreversible')];
    case 'implementation':
      return [t('budgetForm.next_implementation')];
    case 'information':
      return [];
  }
}
