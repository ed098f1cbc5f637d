import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import i18n from '../../../lib/i18n';
import { formatMoney } from '../../../lib/format';
import {
  ballotBody,
  ballotBudget,
  castBlocker,
  choose,
  counters,
  describeBallotRule,
  cutOff,
  move,
  phaseTimeline,
  picksLeft,
  pointsLeft,
  refusalText,
  remainingBudget,
  scoreBasis,
  unchoose,
  whyNot,
  type BallotRule,
  type BoothContext,
  type Budget,
  type Choice,
} from './budgets';

const t = i18n.getFixedT('en') as TFunction;
const eur = (m: number) => formatMoney(m, 'EUR', 'en');
const costs = { a: 400_00, b: 350_50, c: 300_00, d: 100_00 };
const knapsack: BallotRule = { kind: 'approval', knapsack: true, max_projects: 3, min_projects: 0 };
const ctx = (rule: BallotRule, limit = 1000_00): BoothContext => ({ rule, limit, costs });
const picks = (...ids: string[]): Choice[] => ids.map((id) => ({ id, points: 1 }));

describe('the booth under a knapsack ballot', () => {
  it('counts the remaining budget down from the limit', () => {
    expect(remainingBudget([], ctx(knapsack))).toBe(1000_00);
    expect(remainingBudget(picks('a', 'c'), ctx(knapsack))).toBe(300_00);
  });

  it('refuses a project over the remaining budget, saying by how much', () => {
    const r = whyNot('b', picks('a', 'c'), ctx(knapsack));
    expect(r).toEqual({ reason: 'over-budget', missing: 50_50 });
    expect(refusalText(r!, t, eur)).toBe('Not available: over the remaining budget (it needs €50.50 more).');
    expect(choose('b', picks('a', 'c'), ctx(knapsack))).toEqual(picks('a', 'c'));
    // Exactly the budget fits.
    expect(whyNot('d', picks('a', 'c'), ctx(knapsack, 800_00))).toBeNull();
  });

  it('refuses a fourth project when three is the maximum, even if it fits', () => {
    const r = whyNot('d', picks('a', 'c', 'x'), ctx(knapsack, 10_000_00));
    expect(r).toEqual({ reason: 'max-picks', max: 3 });
    expect(refusalText(r!, t, eur)).toBe('Not available: you already chose the maximum of 3 projects.');
    expect(picksLeft(picks('a', 'c'), knapsack)).toBe(1);
  });

  it('always lets a chosen project be taken off', () => {
    expect(whyNot('a', picks('a', 'b', 'c'), ctx(knapsack))).toBeNull();
    expect(unchoose('a', picks('a', 'c'), knapsack)).toEqual(picks('c'));
  });

  it('shows the budget first and can switch to picks', () => {
    expect(counters(knapsack)).toEqual(['budget', 'picks']);
    expect(counters({ kind: 'approval', max_projects: 5 })).toEqual(['picks', 'budget']);
    expect(counters({ kind: 'approval', knapsack: true })).toEqual(['budget']);
  });

  it('takes the district’s money when the process has districts', () => {
    const b = { total: { amount: 5000_00, currency: 'EUR' }, districts: [{ key: 'centrum', name: {}, amount: 1200_00 }] } as Pick<Budget, 'total' | 'districts'>;
    expect(ballotBudget(b, 'centrum')).toBe(1200_00);
    expect(ballotBudget(b, null)).toBe(5000_00);
  });
});

describe('the booth under plain approval', () => {
  const approval: BallotRule = { kind: 'approval', max_projects: 5, min_projects: 2 };
  it('ignores cost and counts picks', () => {
    expect(whyNot('a', picks('b', 'c'), ctx(approval, 1))).toBeNull();
    expect(picksLeft(picks('b', 'c'), approval)).toBe(3);
    expect(whyNot('a', picks('1', '2', '3', '4', '5'), ctx(approval))).toEqual({ reason: 'max-picks', max: 5 });
  });
  it('will not cast fewer than the minimum', () => {
    expect(castBlocker(picks('a'), approval)).toEqual({ reason: 'too-few', min: 2 });
    expect(castBlocker(picks('a', 'b'), approval)).toBeNull();
    expect(castBlocker([], approval)).toEqual({ reason: 'empty' });
    expect(ballotBody(picks('a', 'b'), approval, null)).toEqual({ district: null, choices: [{ proposal_id: 'a' }, { proposal_id: 'b' }] });
  });
});

describe('the booth under cumulative points', () => {
  const cumulative: BallotRule = { kind: 'cumulative', points: 10, max_per_project: 4 };
  it('adds points one by one and counts what is left', () => {
    let p: Choice[] = [];
    for (let i = 0; i < 3; i++) p = choose('a', p, ctx(cumulative));
    p = choose('b', p, ctx(cumulative));
    expect(p).toEqual([{ id: 'a', points: 3 }, { id: 'b', points: 1 }]);
    expect(pointsLeft(p, cumulative)).toBe(6);
    expect(unchoose('b', p, cumulative)).toEqual([{ id: 'a', points: 3 }]);
    expect(ballotBody(p, cumulative, 'centrum').choices).toEqual([{ proposal_id: 'a', points: 3 }, { proposal_id: 'b', points: 1 }]);
  });
  it('refuses more than the maximum on one project, and when no points are left', () => {
    const four = [{ id: 'a', points: 4 }];
    expect(whyNot('a', four, ctx(cumulative))).toEqual({ reason: 'max-per-project', max: 4 });
    expect(whyNot('b', four, ctx(cumulative))).toBeNull();
    const spent = [{ id: 'a', points: 4 }, { id: 'b', points: 4 }, { id: 'c', points: 2 }];
    expect(whyNot('d', spent, ctx(cumulative))).toEqual({ reason: 'no-points-left' });
    expect(refusalText({ reason: 'no-points-left' }, t, eur)).toBe('Not available: you have no points left.');
  });
});

describe('the booth under a ranking', () => {
  const ranking: BallotRule = { kind: 'ranking', scores: [3, 2, 1] };
  it('ranks exactly as many as there are scores, in order', () => {
    expect(picksLeft(picks('a'), ranking)).toBe(2);
    expect(whyNot('d', picks('a', 'b', 'c'), ctx(ranking))).toEqual({ reason: 'max-picks', max: 3 });
    expect(castBlocker(picks('a', 'b'), ranking)).toEqual({ reason: 'rank-all', count: 3 });
    expect(castBlocker(picks('a', 'b', 'c'), ranking)).toBeNull();
    expect(move('c', picks('a', 'b', 'c'), -1)).toEqual(picks('a', 'c', 'b'));
    expect(move('a', picks('a', 'b'), -1)).toEqual(picks('a', 'b'));
  });
});

describe('the ballot rule in words', () => {
  it('explains each kind', () => {
    expect(describeBallotRule(knapsack, t)).toBe('Choose up to 3 projects. Together they must fit within the budget.');
    expect(describeBallotRule({ kind: 'approval', max_projects: 5 }, t)).toBe('Choose up to 5 projects.');
    expect(describeBallotRule({ kind: 'cumulative', points: 10 }, t)).toBe('Spread 10 points among the projects.');
    expect(describeBallotRule({ kind: 'ranking', scores: [3, 2, 1] }, t)).toBe('Rank 3 projects, best first (scores: 3, 2, 1).');
  });
});

describe('phaseTimeline', () => {
  const schedule = { proposals: '2026-03-01', voting: '2026-09-01' };
  it('lists every phase in order with its start and marks the current one', () => {
    const steps = phaseTimeline({ phase: 'voting', schedule, supports_threshold: null });
    expect(steps.map((s) => s.phase)).toEqual(['information', 'proposals', 'review', 'voting', 'results', 'implementation']);
    expect(steps.filter((s) => s.state === 'current').map((s) => s.phase)).toEqual(['voting']);
    expect(steps.find((s) => s.phase === 'review')?.state).toBe('past');
    expect(steps.find((s) => s.phase === 'results')?.state).toBe('future');
    expect(steps.find((s) => s.phase === 'proposals')?.starts).toBe('2026-03-01');
    expect(steps.find((s) => s.phase === 'results')?.starts).toBeNull();
  });
  it('keeps the supports phase only where the process has one', () => {
    expect(phaseTimeline({ phase: 'information', schedule: {}, supports_threshold: 50 }).map((s) => s.phase)).toContain('supports');
  });
});

describe('money', () => {
  it('formats minor units per locale', () => {
    expect(formatMoney(150000000, 'PLN', 'pl').replace(/\s/g, ' ')).toBe('1 500 000,00 zł');
    expect(formatMoney(35050, 'EUR', 'sk').replace(/\s/g, ' ')).toBe('350,50 €');
  });
});

describe('cutOff', () => {
  // In the results' order: by score.
  const p = (cost: number, selected: boolean, eligible = true) => ({ cost, selected, eligible });
  it('greedy: the line is above the first project that no longer fit, and projects below may still be funded', () => {
    // 400 + 350 funded, 300 does not fit in 1000 - 750, 100 below it does.
    const projects = [p(400, true), p(350, true), p(300, false), p(100, true)];
    expect(cutOff('greedy', projects)).toEqual({ kind: 'skipped', index: 2, spent: 750, below: 1 });
  });
  it('greedy_no_skip: the line is where the selection stopped, nothing below is funded', () => {
    const projects = [p(400, true), p(350, true), p(300, false), p(100, false)];
    expect(cutOff('greedy_no_skip', projects)).toEqual({ kind: 'stopped', index: 2, spent: 750, below: 0 });
  });
  it('passes over projects whose score is below the minimum', () => {
    const projects = [p(400, true), p(900, false, false), p(500, true), p(200, false)];
    expect(cutOff('greedy', projects)).toEqual({ kind: 'skipped', index: 3, spent: 900, below: 0 });
  });
  it('says when every eligible project was funded', () => {
    expect(cutOff('greedy', [p(400, true), p(600, true), p(10, false, false)])).toEqual({ kind: 'all-fit' });
    expect(cutOff('greedy_no_skip', [])).toEqual({ kind: 'all-fit' });
  });
  it('draws no line for rules that do not take projects by score', () => {
    const projects = [p(400, false), p(350, true)];
    for (const rule of ['greedy_per_cost', 'equal_shares', 'equal_shares_plain', 'equal_shares_greedy'] as const) {
      expect(cutOff(rule, projects)).toEqual({ kind: 'none' });
    }
  });
});

describe('scoreBasis', () => {
  it('counts votes, points, or points for ranks', () => {
    expect(scoreBasis({ kind: 'approval', min_projects: 0, max_projects: 5, knapsack: false })).toBe('votes');
    expect(scoreBasis({ kind: 'cumulative', points: 10, max_per_project: null, min_projects: 0 })).toBe('points');
    expect(scoreBasis({ kind: 'ranking', scores: [3, 2, 1] })).toBe('rank-points');
    expect(scoreBasis({ kind: 'ranking', scores: [1, 1] })).toBe('votes');
  });
});
