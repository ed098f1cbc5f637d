// The rules the action plan screens decide by: which transitions there are,
// how milestones are ordered and marked, the chart's numbers, and the request bodies.
import type { TFunction } from 'i18next';
import type { Schemas } from '../../../lib/api-client';
import { lines, linksFrom, localizedFrom, moneyFrom, textFrom as text } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';

export type Plan = Schemas['ActionPlanResponse'];
export type PlanStatus = Schemas['PlanStatusDto'];
export type Commitment = Schemas['CommitmentResponse'];
export type Milestone = Schemas['MilestoneResponse'];
export type MilestoneStatus = Schemas['MilestoneStatusDto'];
export type CompletionLevel = Schemas['CompletionLevelDto'];
export type OgpValue = Schemas['OgpValueDto'];
export type HistoryEntry = Schemas['HistoryEntryResponse'];

export const PLAN_STATUSES: PlanStatus[] = ['draft', 'co_creation', 'adopted', 'in_implementation', 'completed'];
export const LEVELS: CompletionLevel[] = ['not_started', 'limited', 'substantial', 'complete'];
export const MILESTONE_STATUSES: MilestoneStatus[] = ['not_started', 'in_progress', 'done', 'delayed', 'cancelled'];
export const OGP_VALUES: OgpValue[] = ['access_to_information', 'civic_participation', 'public_accountability', 'technology_and_innovation'];

/** The status graph the API enforces, so only moves it accepts are offered. */
const NEXT: Record<PlanStatus, PlanStatus[]> = {
  draft: ['co_creation'],
  co_creation: ['adopted', 'draft'],
  adopted: ['in_implementation'],
  in_implementation: ['completed'],
  completed: [],
};

export function nextStatuses(status: PlanStatus): PlanStatus[] {
  return NEXT[status];
}

export type MilestoneMark = 'overdue' | 'due_soon' | null;

/** Milestones in the plan's order (position, then dates), each with its warning, if any. */
export function timeline(milestones: readonly Milestone[]): { milestone: Milestone; mark: MilestoneMark }[] {
  return [...milestones]
    .sort((a, b) => a.position - b.position || a.start_date.localeCompare(b.start_date) || a.end_date.localeCompare(b.end_date))
    .map((milestone) => ({ milestone, mark: milestone.overdue ? 'overdue' : milestone.due_soon ? 'due_soon' : null }));
}

export interface ChartRow {
  level: CompletionLevel;
  count: number;
  /** Share of all commitments, a whole percentage. */
  percent: number;
}

/** Commitments per completion level, in the order of progress. */
export function levelChart(byLevel: Schemas['LevelCounts']): { rows: ChartRow[]; total: number } {
  const total = LEVELS.reduce((sum, l) => sum + byLevel[l], 0);
  return {
    total,
    rows: LEVELS.map((level) => ({ level, count: byLevel[level], percent: total ? Math.round((byLevel[level] * 100) / total) : 0 })),
  };
}

/** The chart in one sentence, for screen readers and as its caption. */
export function chartSummary(byLevel: Schemas['LevelCounts'], t: TFunction): string {
  const { rows, total } = levelChart(byLevel);
  if (total === 0) return t('plans.chartEmpty');
  const parts = rows.map((r) => t('plans.chartPart', { count: r.count, level: t(`plans.level_${r.level}`) }));
  return t('plans.chartSummary', { count: total, parts: parts.join(', ') });
}

/** A history line in words: a progress update's text is shown by the caller. */
export function historyLine(entry: HistoryEntry, milestones: readonly Milestone[], lang: Locale, t: TFunction): string | null {
  if (entry.kind !== 'status_change') return null;
  const from = entry.from_status ?? '—';
  const to = entry.to_status ?? '—';
  if (entry.subject === 'milestone') {
    const m = milestones.find((x) => x.id === entry.subject_id);
    const title = m ? (m.title[lang] ?? Object.values(m.title).find(Boolean) ?? '') : '';
    return t('plans.historyMilestone', { title, from: label(t, 'mstatus', from), to: label(t, 'mstatus', to) });
  }
  return t('plans.historyCompletion', { from: label(t, 'level', from), to: label(t, 'level', to) });
}

function label(t: TFunction, kind: 'mstatus' | 'level', value: string): string {
  return t(`plans.${kind}_${value}`, { defaultValue: value });
}

// ---- request bodies, read from forms --------------------------------------------------------

function optional(form: FormData, name: string): string | null {
  return text(form, name) || null;
}

export function planBody(form: FormData, locales: readonly Locale[]): Schemas['CreatePlanRequest'] {
  return {
    title: localizedFrom(form, 'title', locales),
    description: localizedFrom(form, 'description', locales),
    start_date: text(form, 'start_date'),
    end_date: text(form, 'end_date'),
    documents: linksFrom(form, 'doc'),
  };
}

export function commitmentBody(form: FormData, locales: readonly Locale[], currency: string): Omit<Schemas['CreateCommitmentRequest'], 'action_plan_id'> {
  return {
    title: localizedFrom(form, 'title', locales),
    lead: text(form, 'lead'),
    supporting_actors: lines(String(form.get('supporting_actors') ?? '')),
    problem: localizedFrom(form, 'problem', locales),
    status_quo: localizedFrom(form, 'status_quo', locales),
    objective: localizedFrom(form, 'objective', locales),
    ogp_values: OGP_VALUES.filter((v) => form.getAll('ogp_values').includes(v)),
    theme: optional(form, 'theme'),
    budget: moneyFrom(form, 'budget', currency),
    irm: irmFrom(form),
  };
}

export const IRM_CHOICES = {
  potential_for_results: ['unclear', 'modest', 'substantial'],
  completion: ['no_evidence', 'not_started', 'limited', 'substantial', 'complete'],
  did_it_open_government: ['worsened', 'did_not_change', 'marginal', 'major', 'outstanding'],
} as const;

/** The IRM assessment from its inputs (`irm_<field>`); `null` when nothing is assessed. */
export function irmFrom(form: FormData): Schemas['IrmDto'] | null {
  const verifiable = text(form, 'irm_verifiable');
  const irm: Schemas['IrmDto'] = {
    verifiable: verifiable === 'yes' ? true : verifiable === 'no' ? false : null,
    potential_for_results: optional(form, 'irm_potential_for_results'),
    completion: optional(form, 'irm_completion'),
    did_it_open_government: optional(form, 'irm_did_it_open_government'),
    evidence: optional(form, 'irm_evidence'),
  };
  return Object.values(irm).every((v) => v === null) ? null : irm;
}

export function milestoneBody(form: FormData, locales: readonly Locale[]): Schemas['CreateMilestoneRequest'] {
  const status = (text(form, 'status') || 'not_started') as MilestoneStatus;
  return {
    title: localizedFrom(form, 'title', locales),
    deliverable: localizedFrom(form, 'deliverable', locales),
    start_date: text(form, 'start_date'),
    end_date: text(form, 'end_date'),
    status,
    // A completion date belongs to a done milestone only.
    completed_on: status === 'done' ? (optional(form, 'completed_on') ?? today()) : null,
  };
}

export function progressBody(form: FormData, locales: readonly Locale[], currency: string): Schemas['CreateProgressRequest'] {
  return {
    text: localizedFrom(form, 'text', locales),
    evidence: linksFrom(form, 'evidence').map((e) => ({ url: e.url, title: e.title || null })),
    amount_spent: moneyFrom(form, 'amount_spent', currency),
    occurred_on: optional(form, 'occurred_on'),
  };
}

/** Today as `YYYY-MM-DD` in the reader's time zone. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
