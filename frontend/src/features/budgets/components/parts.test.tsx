import { render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../../lib/i18n';
import type { Budget } from '../lib/budgets';
import { PhaseTimeline } from './parts';

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('PhaseTimeline', () => {
  it('is an ordered list of every phase with its start, the current one marked for assistive technology', () => {
    const budget = { phase: 'review', schedule: { proposals: '2026-03-01', review: '2026-04-15' }, supports_threshold: null } as unknown as Budget;
    render(<PhaseTimeline budget={budget} />);
    const list = screen.getByRole('list', { name: 'Phases' });
    expect(list.tagName).toBe('OL');
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.textContent?.split(/starts|no date/)[0])).toEqual(['Information', 'Proposals', 'Review (Current phase)', 'Voting', 'Results', 'Implementation']);
    const current = items.filter((i) => i.getAttribute('aria-current') === 'step');
    expect(current).toHaveLength(1);
    expect(current[0]).toHaveTextContent('April 15, 2026');
  });
});
