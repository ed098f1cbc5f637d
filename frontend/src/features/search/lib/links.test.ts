import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../api';
import { hitHref } from './links';

const hit = (h: Partial<SearchHit>): SearchHit => ({
  kind: 'meeting',
  id: 'm1',
  action_plan_id: null,
  budget_id: null,
  title: { sk: 'T' },
  snippet: [],
  ...h,
});

describe('hitHref', () => {
  it('links each kind to its page, under its parent where it has one', () => {
    expect(hitHref('bb', hit({}))).toBe('/o/bb/meetings/m1');
    expect(hitHref('bb', hit({ kind: 'commitment', id: 'c1', action_plan_id: 'p1' }))).toBe('/o/bb/action-plans/p1/commitments/c1');
    expect(hitHref('bb', hit({ kind: 'proposal', id: 'x', budget_id: 'b1' }))).toBe('/o/bb/budgets/b1/proposals/x');
    expect(hitHref('bb', hit({ kind: 'action_plan', id: 'p1' }))).toBe('/o/bb/action-plans/p1');
    expect(hitHref('bb', hit({ kind: 'survey', id: 's1' }))).toBe('/o/bb/surveys/s1');
    expect(hitHref('bb', hit({ kind: 'budget', id: 'b1' }))).toBe('/o/bb/budgets/b1');
    expect(hitHref('bb', hit({ kind: 'consultation', id: 'k1' }))).toBe('/o/bb/consultations/k1');
  });
});
