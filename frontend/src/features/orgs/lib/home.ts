// What a municipality's home decides about "what is happening now": which participatory
// budgets are still running, which action plan to show, and its progress in words and shares.
import type { TFunction } from 'i18next';
import type { Schemas } from '../../../lib/api-client';

export type Budget = Schemas['BudgetResponse'];
export type Phase = Schemas['PhaseDto'];
export type Plan = Schemas['ActionPlanResponse'];
export type LevelCounts = Schemas['LevelCounts'];
export type Level = keyof LevelCounts;

/** Once the vote is over (results, then implementation) a process is finished for the home page. */
const FINISHED: readonly Phase[] = ['results', 'implementation'];

export function isFinished(phase: Phase): boolean {
  return FINISHED.includes(phase);
}

/** The processes still running, in the order the API gave them (newest first). */
export function runningBudgets(items: readonly Budget[]): Budget[] {
  return items.filter((b) => !isFinished(b.phase));
}

/** The newest plan the public can see: staff also get drafts from the list, which are skipped. */
export function newestPublicPlan(items: readonly Plan[]): Plan | undefined {
  return items.find((p) => p.status !== 'draft');
}

/** Most advanced first: that is how people read progress. */
export const LEVELS_DONE_FIRST: readonly Level[] = ['complete', 'substantial', 'limited', 'not_started'];

export interface LevelShare {
  level: Level;
  count: number;
  /** Share of all commitments, 0–100; the shares of a non-empty plan add up to 100. */
  percent: number;
}

/** The levels that have commitments, most advanced first, with their shares of the total. */
export function levelShares(byLevel: LevelCounts): { total: number; shares: LevelShare[] } {
  const total = LEVELS_DONE_FIRST.reduce((sum, l) => sum + byLevel[l], 0);
  if (total === 0) return { total, shares: [] };
  const shares = LEVELS_DONE_FIRST.filter((l) => byLevel[l] > 0).map((level) => ({
    level,
    count: byLevel[level],
    percent: Math.round((byLevel[level] / total) * 1000) / 10,
  }));
  // Rounding can leave the bar a hair short or long; the last segment takes up the difference.
  const sum = shares.reduce((s, x) => s + x.percent, 0);
  const last = shares[shares.length - 1];
  if (last) last.percent = Math.round((last.percent + 100 - sum) * 10) / 10;
  return { total, shares };
}

/** One sentence, e.g. "Commitments: 5 (Complete: 2, Substantial: 1, Limited: 2)". */
export function levelSentence(byLevel: LevelCounts, t: TFunction): string {
  const { total, shares } = levelShares(byLevel);
  if (total === 0) return t('orgs.planNoCommitments');
  const parts = shares.map((s) => t('orgs.planLevelPart', { level: t(`plans.level_${s.level}`), n: s.count }));
  return t('orgs.planLevels', { n: total, parts: parts.join(', ') });
}
