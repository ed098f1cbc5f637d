import type { TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../../lib/i18n';
import { isFinished, levelSentence, levelShares, newestPublicPlan, runningBudgets, type Budget, type Phase, type Plan } from './home';

const t = i18n.t.bind(i18n) as TFunction;

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

const budget = (id: string, phase: Phase) => ({ id, phase }) as Budget;
const plan = (id: string, status: Plan['status']) => ({ id, status }) as Plan;

describe('which participatory budgets are still running', () => {
  it('counts every phase up to and including voting as running, results and implementation as finished', () => {
    const running: Phase[] = ['information', 'proposals', 'review', 'supports', 'voting'];
    for (const p of running) expect(isFinished(p), p).toBe(false);
    expect(isFinished('results')).toBe(true);
    expect(isFinished('implementation')).toBe(true);
  });

  it('keeps the running ones in the order given', () => {
    const items = [budget('a', 'voting'), budget('b', 'implementation'), budget('c', 'proposals'), budget('d', 'results')];
    expect(runningBudgets(items).map((b) => b.id)).toEqual(['a', 'c']);
    expect(runningBudgets([])).toEqual([]);
  });
});

describe('which plan the home shows', () => {
  it('is the newest one that is not a draft', () => {
    expect(newestPublicPlan([plan('d', 'draft'), plan('a', 'adopted'), plan('c', 'completed')])?.id).toBe('a');
    expect(newestPublicPlan([plan('d', 'draft')])).toBeUndefined();
    expect(newestPublicPlan([])).toBeUndefined();
  });
});

describe('commitments by completion level', () => {
  it('lists the levels that have commitments, most advanced first, with shares adding up to 100', () => {
    const { total, shares } = levelShares({ not_started: 0, limited: 2, substantial: 1, complete: 2 });
    expect(total).toBe(5);
    expect(shares).toEqual([
      { level: 'complete', count: 2, percent: 40 },
      { level: 'substantial', count: 1, percent: 20 },
      { level: 'limited', count: 2, percent: 40 },
    ]);
    const thirds = levelShares({ not_started: 1, limited: 1, substantial: 1, complete: 0 }).shares;
    expect(thirds.reduce((s, x) => s + x.percent, 0)).toBeCloseTo(100, 5);
  });

  it('says it in one sentence', () => {
    expect(levelSentence({ not_started: 0, limited: 2, substantial: 1, complete: 2 }, t)).toBe('Commitments: 5 (Complete: 2, Substantial: 1, Limited: 2)');
    expect(levelSentence({ not_started: 1, limited: 0, substantial: 0, complete: 0 }, t)).toBe('Commitments: 1 (Not started: 1)');
    expect(levelSentence({ not_started: 0, limited: 0, substantial: 0, complete: 0 }, t)).toBe('This plan has no commitments yet.');
  });

  it('speaks the reader’s language', async () => {
    await i18n.changeLanguage('sk');
    try {
      expect(levelSentence({ not_started: 0, limited: 1, substantial: 0, complete: 3 }, t)).toBe('Záväzky: 4 (Splnené: 3, Obmedzené: 1)');
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});
