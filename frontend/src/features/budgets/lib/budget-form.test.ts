import { beforeAll, describe, expect, it } from 'vitest';
import type { Schemas } from '../../../lib/api-client';
import i18n from '../../../lib/i18n';
import {
  budgetFormFrom,
  createBudgetBody,
  emptyBudgetForm,
  newCategory,
  newDistrict,
  parseScores,
  transitionConsequences,
  updateBudgetBody,
  validateBudgetForm,
  type BudgetFormState,
} from './budget-form';

const org = { default_locale: 'pl', locales: ['pl', 'en'], currency: 'PLN' } satisfies Pick<Schemas['OrgResponse'], 'default_locale' | 'locales' | 'currency'>;
const t = i18n.t.bind(i18n);

function filled(overrides: Partial<BudgetFormState> = {}): BudgetFormState {
  return {
    ...emptyBudgetForm(),
    title: { pl: ' Budżet obywatelski Sosnowca 2027 ', en: '' },
    total: '1 500 000',
    districts: [
      { ...newDistrict(), key: 'centrum', name: { pl: 'Centrum' }, amount: '200000,50' },
      { ...newDistrict(), key: 'zagorze', name: { pl: 'Zagórze' }, amount: '150000' },
    ],
    categories: [{ ...newCategory(), key: 'zielen', name: { pl: 'Zieleń' } }],
    schedule: { proposals: '2027-03-01', review: '2027-04-15', voting: '2027-09-01', results: '2027-09-30' },
    maxProjects: '5',
    knapsack: true,
    minScore: '100',
    ...overrides,
  };
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('validateBudgetForm', () => {
  it('accepts a complete form', () => {
    expect(validateBudgetForm(filled(), org, t)).toEqual({});
  });

  it('names each problem under the API’s field path', () => {
    const f = filled({
      title: { en: 'Only English' },
      total: '-5',
      districts: [
        { ...newDistrict(), key: 'centrum', name: { pl: 'Centrum' }, amount: 'a lot' },
        { ...newDistrict(), key: 'centrum', name: {}, amount: '10' },
      ],
      categories: [{ ...newCategory(), key: ' ', name: { pl: 'Zieleń' } }],
      schedule: { voting: '2027-09-01', results: '2027-08-30' },
      minProjects: '4',
      maxProjects: '2',
    });
    expect(validateBudgetForm(f, org, t)).toEqual({
      'title.pl': 'Fill this in.',
      total: 'Enter an amount greater than zero, for example 1500.50.',
      'districts[0].amount': 'Enter an amount greater than zero, for example 1500.50.',
      'districts[1].key': 'Another row has this key.',
      'districts[1].name.pl': 'Fill this in.',
      'categories[0].key': 'Enter a short key (1–100 characters, no spaces at either end).',
      'schedule.results': 'A phase cannot start before the one before it.',
      'ballot_rule.max_projects': 'The maximum cannot be below the minimum.',
    });
  });

  it('checks the parameters of the chosen ballot only', () => {
    expect(validateBudgetForm(filled({ ballotKind: 'cumulative', points: '' }), org, t)).toEqual({ 'ballot_rule.points': 'Enter a whole number.' });
    expect(validateBudgetForm(filled({ ballotKind: 'ranking', scores: '3, two, 1' }), org, t)).toEqual({ 'ballot_rule.scores': 'Enter whole numbers separated by commas, for example 3, 2, 1.' });
    expect(validateBudgetForm(filled({ supportsPhase: true, supportsThreshold: '0' }), org, t)).toEqual({ supports_threshold: 'Enter a whole number.' });
  });
});

describe('request bodies', () => {
  it('sends money in minor units, trimmed texts and the ballot rule of the chosen kind', () => {
    const body = createBudgetBody(filled(), org);
    expect(body.title).toEqual({ pl: 'Budżet obywatelski Sosnowca 2027' });
    expect(body.total).toBe(150_000_000);
    expect(body.districts).toEqual([
      { key: 'centrum', name: { pl: 'Centrum' }, amount: 20_000_050 },
      { key: 'zagorze', name: { pl: 'Zagórze' }, amount: 15_000_000 },
    ]);
    expect(body.ballot_rule).toEqual({ kind: 'approval', min_projects: 0, max_projects: 5, knapsack: true });
    expect(body.schedule).toMatchObject({ proposals: '2027-03-01', supports: null, implementation: null });
    expect(body.supports_threshold).toBeNull();
    expect(body.min_score).toBe(100);
    expect(createBudgetBody(filled({ ballotKind: 'ranking', scores: '3 2 1' }), org).ballot_rule).toEqual({ kind: 'ranking', scores: [3, 2, 1] });
    expect(createBudgetBody(filled({ supportsPhase: true, supportsThreshold: '30' }), org).supports_threshold).toBe(30);
  });

  it('round-trips a process and sends only what changed', () => {
    const body = createBudgetBody(filled(), org);
    const b = {
      ...body,
      id: 'b1',
      total: { amount: body.total, currency: 'PLN' },
      phase: 'information',
      next_phase: 'proposals',
      imported: false,
      can: { edit: true, transition: [], propose: false, vote: false },
      created_at: '2027-01-01T00:00:00Z',
      updated_at: '2027-01-01T00:00:00Z',
    } as unknown as Schemas['BudgetResponse'];
    const before = budgetFormFrom(b, 'PLN');
    expect(before.total).toBe('1500000.00');
    expect(updateBudgetBody(before, before, org)).toEqual({});
    const after = { ...before, maxProjects: '3', schedule: { ...before.schedule, voting: '2027-09-07' } };
    expect(updateBudgetBody(after, before, org)).toEqual({
      ballot_rule: { kind: 'approval', min_projects: 0, max_projects: 3, knapsack: true },
      schedule: { information: null, proposals: '2027-03-01', review: '2027-04-15', supports: null, voting: '2027-09-07', results: '2027-09-30', implementation: null },
    });
  });
});

describe('parseScores and transitionConsequences', () => {
  it('reads scores separated by commas or spaces', () => {
    expect(parseScores('3, 2,1')).toEqual([3, 2, 1]);
    expect(parseScores('')).toBeNull();
    expect(parseScores('3, -1')).toBeNull();
  });

  it('warns that opening the vote fixes the rules and that closing it is final', () => {
    expect(transitionConsequences('voting', t).join(' ')).toContain('can no longer change');
    expect(transitionConsequences('results', t).join(' ')).toContain('cannot be reopened');
  });
});
