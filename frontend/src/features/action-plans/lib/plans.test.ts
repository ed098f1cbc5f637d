import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import i18n from '../../../lib/i18n';
import {
  chartSummary,
  commitmentBody,
  historyLine,
  levelChart,
  milestoneBody,
  nextStatuses,
  planBody,
  progressBody,
  timeline,
  type HistoryEntry,
  type Milestone,
} from './plans';

const t = i18n.t.bind(i18n) as TFunction;

function fd(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

function milestone(over: Partial<Milestone>): Milestone {
  return {
    id: 'm',
    position: 0,
    title: { sk: 'M' },
    deliverable: {},
    start_date: '2026-01-01',
    end_date: '2026-02-01',
    status: 'not_started',
    completed_on: null,
    due_soon: false,
    overdue: false,
    ...over,
  };
}

describe('plan status transitions', () => {
  it('offers only the moves the API allows', () => {
    expect(nextStatuses('draft')).toEqual(['co_creation']);
    expect(nextStatuses('co_creation')).toEqual(['adopted', 'draft']);
    expect(nextStatuses('adopted')).toEqual(['in_implementation']);
    expect(nextStatuses('in_implementation')).toEqual(['completed']);
    expect(nextStatuses('completed')).toEqual([]);
  });
});

describe('timeline', () => {
  it('orders by position and marks overdue before due soon', () => {
    const rows = timeline([
      milestone({ id: 'c', position: 2, due_soon: true }),
      milestone({ id: 'a', position: 0, overdue: true, due_soon: true }),
      milestone({ id: 'b', position: 1, status: 'done' }),
    ]);
    expect(rows.map((r) => [r.milestone.id, r.mark])).toEqual([
      ['a', 'overdue'],
      ['b', null],
      ['c', 'due_soon'],
    ]);
  });
});

describe('the completion chart', () => {
  const counts = { not_started: 1, limited: 0, substantial: 2, complete: 1 };
  it('counts commitments per level with their shares', () => {
    const { rows, total } = levelChart(counts);
    expect(total).toBe(4);
    expect(rows.map((r) => [r.level, r.count, r.percent])).toEqual([
      ['not_started', 1, 25],
      ['limited', 0, 0],
      ['substantial', 2, 50],
      ['complete', 1, 25],
    ]);
  });
  it('says the same in words', async () => {
    await i18n.changeLanguage('en');
    expect(chartSummary(counts, t)).toBe('Commitments by completion level (total 4): Not started 1, Limited 0, Substantial 2, Complete 1.');
    expect(chartSummary({ not_started: 0, limited: 0, substantial: 0, complete: 0 }, t)).toBe('This plan has no commitments yet.');
  });
});

describe('history lines', () => {
  const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
    id: 'h',
    kind: 'status_change',
    subject: 'milestone',
    subject_id: 'm1',
    evidence: [],
    occurred_on: '2026-03-01',
    created_at: '2026-03-01T10:00:00Z',
    ...over,
  });
  it('names the milestone and both statuses, and completion changes', async () => {
    await i18n.changeLanguage('en');
    const ms = [milestone({ id: 'm1', title: { sk: 'Spustenie', en: 'Launch' } })];
    expect(historyLine(entry({ from_status: 'not_started', to_status: 'done' }), ms, 'en', t)).toBe('Milestone “Launch”: Not started → Done');
    expect(historyLine(entry({ subject: 'commitment', from_status: 'limited', to_status: 'substantial' }), ms, 'en', t)).toBe('Completion: Limited → Substantial');
    expect(historyLine(entry({ kind: 'update' }), ms, 'en', t)).toBeNull();
  });
});

describe('request bodies', () => {
  it('builds a plan with only the translations given and no blank documents', () => {
    const body = planBody(
      fd([
        ['title.sk', ' Akčný plán '],
        ['title.en', ''],
        ['description.sk', ''],
        ['start_date', '2026-01-01'],
        ['end_date', '2026-12-31'],
        ['doc_title', 'Plán'],
        ['doc_url', 'https://example.org/plan.pdf'],
        ['doc_title', ''],
        ['doc_url', ''],
      ]),
      ['sk', 'en'],
    );
    expect(body).toEqual({
      title: { sk: 'Akčný plán' },
      description: {},
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      documents: [{ title: 'Plán', url: 'https://example.org/plan.pdf' }],
    });
  });

  it('builds a commitment with checked values, actors per line and budget in minor units', () => {
    const body = commitmentBody(
      fd([
        ['title.sk', 'Register'],
        ['lead', 'Kancelária primátora'],
        ['supporting_actors', 'UMB\n\n Živica \n'],
        ['ogp_values', 'civic_participation'],
        ['ogp_values', 'access_to_information'],
        ['theme', ''],
        ['budget', '12 000'],
      ]),
      ['sk'],
      'EUR',
    );
    expect(body).toMatchObject({
      title: { sk: 'Register' },
      lead: 'Kancelária primátora',
      supporting_actors: ['UMB', 'Živica'],
      ogp_values: ['access_to_information', 'civic_participation'],
      theme: null,
      budget: 1200000,
      irm: null,
    });
  });

  it('sends an IRM assessment only when something is assessed', () => {
    const body = commitmentBody(
      fd([
        ['title.sk', 'R'],
        ['lead', 'L'],
        ['irm_verifiable', 'yes'],
        ['irm_potential_for_results', 'modest'],
        ['irm_completion', ''],
        ['irm_evidence', ' '],
      ]),
      ['sk'],
      'EUR',
    );
    expect(body.irm).toEqual({ verifiable: true, potential_for_results: 'modest', completion: null, did_it_open_government: null, evidence: null });
  });

  it('gives a done milestone a completion date and others none', () => {
    const base: [string, string][] = [
      ['title.sk', 'M'],
      ['start_date', '2026-01-01'],
      ['end_date', '2026-02-01'],
    ];
    expect(milestoneBody(fd([...base, ['status', 'done'], ['completed_on', '2026-01-20']]), ['sk']).completed_on).toBe('2026-01-20');
    expect(milestoneBody(fd([...base, ['status', 'in_progress'], ['completed_on', '2026-01-20']]), ['sk']).completed_on).toBeNull();
    expect(milestoneBody(fd(base), ['sk']).status).toBe('not_started');
  });

  it('builds a progress update with evidence and the amount spent', () => {
    const body = progressBody(
      fd([
        ['text.sk', 'Hotovo'],
        ['evidence_title', ''],
        ['evidence_url', 'https://example.org/a'],
        ['amount_spent', '50'],
        ['occurred_on', ''],
      ]),
      ['sk', 'en'],
      'EUR',
    );
    expect(body).toEqual({ text: { sk: 'Hotovo' }, evidence: [{ url: 'https://example.org/a', title: null }], amount_spent: 5000, occurred_on: null });
  });
});
