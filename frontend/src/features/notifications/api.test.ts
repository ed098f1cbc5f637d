import { describe, expect, it } from 'vitest';
import { kindKey, linkOf, type Notification } from './api';

const note = (payload: Record<string, unknown>, kind = 'meeting.cancelled'): Notification => ({
  id: 'n1',
  org_id: 'o1',
  kind,
  payload: payload as Notification['payload'],
  created_at: '2026-12-01T10:00:00Z',
  read_at: null,
});

describe('a notification', () => {
  it('links to the page of what it is about', () => {
    expect(linkOf(note({ org_slug: 'mesto', target: 'meeting', target_id: 'm1' }))).toBe('/o/mesto/meetings/m1');
    expect(linkOf(note({ org_slug: 'mesto', target: 'report', target_id: 'r1' }))).toBe('/o/mesto/reports/r1');
    expect(linkOf(note({ org_slug: 'mesto', target: 'proposal', target_id: 'p1', budget_id: 'b1' }))).toBe('/o/mesto/budgets/b1/proposals/p1');
    expect(linkOf(note({ org_slug: 'mesto', target: 'commitment', target_id: 'c1', plan_id: 'a1' }))).toBe('/o/mesto/action-plans/a1/commitments/c1');
  });

  it('has no link when its payload does not say where', () => {
    expect(linkOf(note({ target: 'meeting', target_id: 'm1' }))).toBeNull();
    expect(linkOf(note({ org_slug: 'mesto', target: 'proposal', target_id: 'p1' }))).toBeNull();
    expect(linkOf(note({ org_slug: 'mesto', target: 'planet', target_id: 'x' }))).toBeNull();
  });

  it('finds its sentence by kind', () => {
    expect(kindKey('consultation.opinion_answered')).toBe('notifications.kinds.consultation_opinion_answered');
  });
});
