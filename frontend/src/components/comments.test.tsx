import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../lib/i18n';
import { renderWithQuery } from '../test-utils';
import { Comments } from './comments';

const state = vi.hoisted(() => ({ thread: {} as unknown, signedIn: true }));
const post = vi.fn();

vi.mock('../lib/api-client', () => ({
  api: {
    GET: () => Promise.resolve({ data: state.thread, response: new Response() }),
    POST: (...args: unknown[]) => post(...args),
  },
}));
vi.mock('../lib/auth', () => ({ useAuth: () => ({ user: state.signedIn ? { id: 'u1', can: {}, memberships: [] } : null }) }));

const can = { edit: false, delete: false, report: true };
const comment = (over: Record<string, unknown>) => ({
  id: 'c1',
  parent_id: null,
  author_name: 'Jana',
  official: false,
  state: 'visible',
  body: 'Text',
  hidden_reason: null,
  created_at: '2026-05-01T10:00:00Z',
  edited_at: null,
  can,
  replies: [],
  ...over,
});

function show() {
  return renderWithQuery(
    <MemoryRouter>
      <Comments slug="mesto" kind="budget_proposal" targetId="p1" back="/o/mesto/budgets/b1/proposals/p1" />
    </MemoryRouter>,
  );
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

beforeEach(() => {
  post.mockReset();
  state.signedIn = true;
  state.thread = {
    target_kind: 'budget_proposal',
    target_id: 'p1',
    closed: false,
    can: { post: true, close: false },
    next_cursor: null,
    total: 3,
    items: [
      comment({ id: 'c1', body: 'See https://example.org/plan and <b>this</b>', official: true, author_name: 'Mesto' }),
      comment({
        id: 'c2',
        state: 'deleted',
        author_name: null,
        body: null,
        can: { edit: false, delete: false, report: false },
        replies: [comment({ id: 'r1', parent_id: 'c2', body: 'A reply that stays', author_name: 'Peter' })],
      }),
      comment({ id: 'c3', state: 'hidden', body: null, hidden_reason: 'Insults another resident.' }),
    ],
  };
});

describe('comments', () => {
  it('shows links as safe anchors, markup as text, tombstones with their replies and the moderator’s reason', async () => {
    show();
    const link = await screen.findByRole('link', { name: 'https://example.org/plan' });
    expect(link).toHaveAttribute('rel', 'nofollow ugc noopener');
    expect(link).toHaveAttribute('target', '_blank');
    expect(screen.getByText(/<b>this<\/b>/)).toBeInTheDocument();
    expect(document.querySelector('b')).toBeNull();
    expect(screen.getByText('Official')).toBeInTheDocument();
    expect(screen.getByText('This comment was deleted by its author.')).toBeInTheDocument();
    expect(screen.getByText('A reply that stays')).toBeInTheDocument();
    expect(screen.getByText('Hidden by a moderator: Insults another resident.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Comments (3)' })).toBeInTheDocument();
  });

  it('reports a comment with a reason and says thank you', async () => {
    post.mockResolvedValue({ data: { item_kind: 'comment', item_id: 'c1', reason: 'spam' }, response: new Response(null, { status: 201 }) });
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Report the comment by Mesto' }));
    const dialog = screen.getByRole('dialog', { name: 'Report to the moderators' });
    const send = within(dialog).getByRole('button', { name: 'Send report' });
    expect(send).toBeDisabled();
    await userEvent.click(within(dialog).getByLabelText('Spam or advertising'));
    await userEvent.click(send);
    await waitFor(() => expect(post).toHaveBeenCalled());
    expect(post.mock.calls[0]?.[1].body).toEqual({ item_kind: 'comment', item_id: 'c1', reason: 'spam', details: null });
    expect(await screen.findByText('Thank you. The moderators will look at it.')).toBeInTheDocument();
  });

  it('says the thread is closed and offers signed-out readers to log in', async () => {
    state.signedIn = false;
    state.thread = { ...(state.thread as object), closed: true, can: { post: false, close: false } };
    show();
    expect(await screen.findByText('Comments on this page are closed.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Log in to comment' })).toHaveAttribute('href', '/login?next=%2Fo%2Fmesto%2Fbudgets%2Fb1%2Fproposals%2Fp1');
    expect(screen.queryByRole('button', { name: 'Post comment' })).toBeNull();
  });

  it('tells a signed-in resident who may not post (a block) that they cannot comment now', async () => {
    state.thread = { ...(state.thread as object), can: { post: false, close: false } };
    show();
    expect(await screen.findByText('You cannot comment here at the moment.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Your comment')).toBeNull();
  });
});
