import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../../lib/api-client';
import i18n from '../../../lib/i18n';
import type { Milestone } from '../lib/plans';
import { MilestoneForm } from './milestone-form';
import { MilestoneTimeline } from './milestone-timeline';
import { LevelChart, ProgressBar } from './parts';
import { renderWithQuery } from '../../../test-utils';

afterEach(() => vi.restoreAllMocks());

const m = (over: Partial<Milestone>): Milestone => ({
  id: 'm',
  position: 0,
  title: { en: 'M' },
  deliverable: {},
  start_date: '2026-01-01',
  end_date: '2026-02-01',
  status: 'not_started',
  completed_on: null,
  due_soon: false,
  overdue: false,
  ...over,
});

describe('ProgressBar', () => {
  it('is a named progressbar with its value in words', async () => {
    await i18n.changeLanguage('en');
    render(<ProgressBar completion={{ level: 'substantial', percent: 50, done: 1, total: 2 }} label="Completion of “Register”" />);
    const bar = screen.getByRole('progressbar', { name: 'Completion of “Register”' });
    expect(bar).toHaveAttribute('aria-valuenow', '50');
    expect(bar).toHaveAttribute('aria-valuetext', '50 % – Substantial');
    expect(screen.getByText(/50 % done \(1 of 2 milestones\)/)).toBeInTheDocument();
  });
});

describe('LevelChart', () => {
  it('names the figure with the numbers the bars show', async () => {
    await i18n.changeLanguage('sk');
    render(<LevelChart byLevel={{ not_started: 0, limited: 1, substantial: 1, complete: 0 }} />);
    expect(screen.getByRole('figure')).toHaveAccessibleName('Záväzky podľa úrovne plnenia (spolu 2): Nezačaté 0, Obmedzené 1, Podstatné 1, Splnené 0.');
  });
});

describe('MilestoneTimeline', () => {
  it('lists milestones in order with status and warning badges and the completion date', async () => {
    await i18n.changeLanguage('en');
    render(
      <MilestoneTimeline
        milestones={[
          m({ id: '2', position: 1, title: { en: 'Second' }, overdue: true }),
          m({ id: '1', position: 0, title: { en: 'First' }, status: 'done', completed_on: '2026-01-20' }),
        ]}
      />,
    );
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => within(li).getByRole('heading').textContent)).toEqual(['First', 'Second']);
    expect(within(items[0]!).getByText('Done')).toBeInTheDocument();
    expect(within(items[0]!).getByText(/Completed on January 20, 2026/)).toBeInTheDocument();
    expect(within(items[1]!).getByText('Overdue')).toBeInTheDocument();
  });
});

describe('MilestoneForm', () => {
  it("claims the commitment's ETag and shows the API's date error next to the end date", async () => {
    await i18n.changeLanguage('en');
    const post = vi.spyOn(api, 'POST').mockResolvedValue({
      error: { status: 422, code: 'validation-failed', errors: [{ field: 'end_date', message: 'the end date must not be before the start date' }] },
      response: new Response(null, { status: 422 }),
    } as never);
    const done = vi.fn();
    renderWithQuery(<MilestoneForm slug="bb" commitmentId="c1" etag={'"42"'} locales={['sk', 'en']} onDone={done} />);
    await userEvent.type(screen.getByLabelText('Milestone title (Slovenčina) – required'), 'Spustenie');
    await userEvent.type(screen.getByLabelText('Start date'), '2026-05-01');
    await userEvent.type(screen.getByLabelText('End date'), '2026-04-01');
    await userEvent.click(screen.getByRole('button', { name: 'Add a milestone' }));
    expect(post).toHaveBeenCalledWith('/api/v1/orgs/{org}/commitments/{id}/milestones', {
      params: { path: { org: 'bb', id: 'c1' }, header: { 'If-Match': '"42"' } },
      body: { title: { sk: 'Spustenie' }, deliverable: {}, start_date: '2026-05-01', end_date: '2026-04-01', status: 'not_started', completed_on: null },
    });
    await waitFor(() => expect(screen.getByLabelText('End date')).toHaveAccessibleDescription('the end date must not be before the start date'));
    expect(done).not.toHaveBeenCalled();
  });
});
