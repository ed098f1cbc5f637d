import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../../lib/i18n';
import { renderWithQuery } from '../../../test-utils';
import SearchPage from './search-page';

const get = vi.fn();

vi.mock('../../../lib/api-client', () => ({
  api: { GET: (...args: unknown[]) => get(...args) },
}));

const hits = {
  items: [
    {
      kind: 'proposal',
      id: 'p1',
      action_plan_id: null,
      budget_id: 'b1',
      title: { en: 'Benches in the park' },
      snippet: [
        { text: 'New ', highlight: false },
        { text: 'benches', highlight: true },
      ],
    },
    { kind: 'meeting', id: 'm1', action_plan_id: null, budget_id: null, title: { en: 'Benches meeting' }, snippet: [] },
  ],
  groups: [
    { kind: 'meeting', count: 1 },
    { kind: 'proposal', count: 1 },
  ],
  next_cursor: null,
  total: 2,
};

function renderAt(url: string) {
  return renderWithQuery(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/o/:slug/search" element={<SearchPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

/** The query string of the n-th search request. */
const queryOf = (n: number) => (get.mock.calls[n]?.[1] as { params: { query: Record<string, unknown> } }).params.query;

describe('SearchPage', () => {
  beforeAll(() => i18n.changeLanguage('en'));
  beforeEach(() => {
    get.mockReset();
    get.mockImplementation(() => Promise.resolve({ data: hits, response: new Response() }));
  });

  it('groups hits by kind, marks the matched words and links each hit to its page', async () => {
    renderAt('/o/bb/search?q=benches');
    expect(await screen.findByRole('heading', { level: 2, name: 'Budget proposals' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Meetings' })).toBeInTheDocument();
    expect(screen.getByText('benches').tagName).toBe('MARK');
    expect(screen.getByRole('link', { name: 'Benches in the park' })).toHaveAttribute('href', '/o/bb/budgets/b1/proposals/p1');
    expect(screen.getByRole('link', { name: 'Benches meeting' })).toHaveAttribute('href', '/o/bb/meetings/m1');
    expect(screen.getByRole('button', { name: 'All (2)' })).toHaveAttribute('aria-pressed', 'true');
    expect(queryOf(0)).toMatchObject({ q: 'benches', lang: 'en' });
  });

  it('filters by kind and follows typing after a pause', async () => {
    renderAt('/o/bb/search?q=benches');
    await userEvent.click(await screen.findByRole('button', { name: 'Budget proposals (1)' }));
    await waitFor(() => expect(get.mock.calls.some((_, i) => queryOf(i).kind === 'proposal')).toBe(true));
    const box = screen.getByRole('searchbox', { name: 'Search this municipality' });
    await userEvent.clear(box);
    await userEvent.type(box, 'lamps');
    await waitFor(() => expect(get.mock.calls.some((_, i) => queryOf(i).q === 'lamps')).toBe(true));
    expect(get.mock.calls.some((_, i) => queryOf(i).q === 'l')).toBe(false);
  });

  it('asks for a word before searching', () => {
    renderAt('/o/bb/search');
    expect(screen.getByText(/Type a word/)).toBeInTheDocument();
    expect(get).not.toHaveBeenCalled();
  });
});
