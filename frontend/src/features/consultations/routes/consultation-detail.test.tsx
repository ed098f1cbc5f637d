import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../../lib/i18n';
import { renderWithQuery } from '../../../test-utils';
import ConsultationDetail from './consultation-detail';

type Role = 'admin' | 'official' | 'moderator';

const state = vi.hoisted(() => ({
  roles: [] as string[],
  status: 'open' as string,
  report: null as unknown,
  opinions: [] as unknown[],
}));
const patch = vi.fn();
const post = vi.fn();

const consultation = () => ({
  id: 'c1',
  title: { pl: 'Regulamin budżetu' },
  summary: {},
  body: {},
  subject: { type: 'other' },
  documents: [],
  sections: [],
  opens_at: '2026-01-01T00:00:00Z',
  closes_at: '2026-02-01T00:00:00Z',
  status: state.status,
  allow_anonymous: false,
  opinions_public: true,
  report: state.report,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

vi.mock('../../../lib/api-client', () => ({
  api: {
    GET: (path: string) => {
      const data = path.endsWith('/opinions')
        ? { items: state.opinions }
        : path.startsWith('/api/v1/orgs/{org}/threads/')
          ? { target_kind: 'consultation', target_id: 'c1', closed: false, can: { post: true, close: false }, items: [], next_cursor: null, total: 0 }
        : path === '/api/v1/orgs/{org}'
          ? { slug: 'sosnowiec', default_locale: 'pl', locales: ['pl', 'en'], name: { pl: 'Sosnowiec' } }
          : consultation();
      return Promise.resolve({ data, response: new Response() });
    },
    POST: (...args: unknown[]) => post(...args),
    PATCH: (...args: unknown[]) => patch(...args),
  },
}));
vi.mock('../../../lib/auth', () => ({
  useAuth: () => ({
    user: {
      id: 'u1',
      can: { create_organisation: false },
      memberships: [{ org_slug: 'sosnowiec', roles: state.roles, verified: true, can: orgCan(state.roles) }],
    },
  }),
}));

// The flags the server sends for these roles (Caller::can_in).
function orgCan(roles: string[]) {
  const any = (...r: string[]) => roles.some((x) => r.includes(x));
  return {
    edit: any('admin'),
    manage_members: any('admin'),
    write_content: any('admin', 'official'),
    moderate: any('admin', 'moderator'),
    see_staff_view: roles.length > 0,
    verify_residents: any('admin', 'official'),
  };
}

function show(roles: Role[], status = 'open') {
  state.roles = roles;
  state.status = status;
  return renderWithQuery(
    <MemoryRouter initialEntries={['/o/sosnowiec/consultations/c1']}>
      <Routes>
        <Route path="/o/:slug/consultations/:id" element={<ConsultationDetail />} />
      </Routes>
    </MemoryRouter>,
  );
}

const answered = { id: 'o1', text: 'Dłuższy termin, proszę.', author_name: 'Ola', answer: 'Przedłużymy.', hidden: false, created_at: '2026-01-02T00:00:00Z' };
const hidden = { id: 'o2', text: 'Spam', author_name: 'X', answer: null, hidden: true, created_at: '2026-01-03T00:00:00Z' };

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

beforeEach(() => {
  patch.mockReset();
  post.mockReset();
  state.report = null;
  state.opinions = [answered, hidden];
});

describe('ConsultationDetail for staff', () => {
  it('shows a resident no staff controls', async () => {
    show([], 'closed');
    expect(await screen.findByText('Dłuższy termin, proszę.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save answer' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Hide' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Publish the report' })).not.toBeInTheDocument();
  });

  it('lets an official change an answer, sending only the answer; an official does not moderate', async () => {
    const user = userEvent.setup();
    patch.mockResolvedValueOnce({ data: { ...answered, answer: 'Przedłużymy do 6 tygodni.' } });
    show(['official']);
    const item = (await screen.findByText('Dłuższy termin, proszę.')).closest('li') as HTMLElement;
    const box = within(item).getByRole('textbox', { name: 'Change the answer' });
    expect(box).toHaveValue('Przedłużymy.');
    await user.clear(box);
    await user.type(box, 'Przedłużymy do 6 tygodni.');
    await user.click(within(item).getByRole('button', { name: 'Save answer' }));
    expect(patch).toHaveBeenCalledWith('/api/v1/orgs/{org}/consultations/{id}/opinions/{opinion_id}', {
      params: { path: { org: 'sosnowiec', id: 'c1', opinion_id: 'o1' } },
      body: { answer: 'Przedłużymy do 6 tygodni.' },
    });
    expect(await within(item).findByText('The answer was saved.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Hide' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show again' })).not.toBeInTheDocument();
  });

  it('shows a field error of the answer next to it', async () => {
    const user = userEvent.setup();
    patch.mockResolvedValueOnce({ error: { status: 422, code: 'validation-failed', errors: [{ field: 'answer', message: 'too long' }] } });
    show(['admin']);
    const item = (await screen.findByText('Spam')).closest('li') as HTMLElement;
    const box = within(item).getByRole('textbox', { name: 'Answer to this opinion' });
    await user.type(box, 'x');
    await user.click(within(item).getByRole('button', { name: 'Save answer' }));
    expect(await within(item).findByText('too long')).toBeInTheDocument();
    expect(box).toHaveAccessibleDescription('too long');
    expect(within(item).getByRole('alert')).toHaveTextContent('Please correct the highlighted fields.');
  });

  it('lets a moderator hide an opinion and show a hidden one again, marked as hidden, without answering', async () => {
    const user = userEvent.setup();
    patch.mockResolvedValue({ data: {} });
    show(['moderator']);
    const spam = (await screen.findByText('Spam')).closest('li') as HTMLElement;
    expect(within(spam).getByText('Hidden')).toBeInTheDocument();
    await user.click(within(spam).getByRole('button', { name: 'Show again' }));
    expect(patch.mock.calls[0]?.[1]).toEqual({ params: { path: { org: 'sosnowiec', id: 'c1', opinion_id: 'o2' } }, body: { hidden: false } });
    const other = screen.getByText('Dłuższy termin, proszę.').closest('li') as HTMLElement;
    expect(within(other).queryByText('Hidden')).not.toBeInTheDocument();
    await user.click(within(other).getByRole('button', { name: 'Hide' }));
    expect(patch.mock.calls[1]?.[1]).toEqual({ params: { path: { org: 'sosnowiec', id: 'c1', opinion_id: 'o1' } }, body: { hidden: true } });
    expect(screen.queryByRole('button', { name: 'Save answer' })).not.toBeInTheDocument();
  });

  it('offers the report form only to admins and officials of a closed consultation without a report', async () => {
    show(['official'], 'open');
    await screen.findByText('Spam');
    expect(screen.queryByRole('heading', { name: 'Publish the report' })).not.toBeInTheDocument();
  });

  it('publishes the report in the languages filled in, and explains a 409', async () => {
    const user = userEvent.setup();
    post.mockResolvedValueOnce({ error: { status: 409, code: 'consultation-not-closed', detail: 'the report can be published only after the consultation closes' } });
    show(['admin'], 'closed');
    expect(await screen.findByRole('heading', { name: 'Publish the report' })).toBeInTheDocument();
    const pl = await screen.findByRole('textbox', { name: 'Report text (Polski) – required' });
    expect(pl).toBeRequired();
    expect(screen.getByRole('textbox', { name: 'Report text (English)' })).not.toBeRequired();
    await user.type(pl, 'Otrzymaliśmy 48 opinii.');
    await user.click(screen.getByRole('button', { name: 'Publish the report' }));
    expect(post).toHaveBeenCalledWith('/api/v1/orgs/{org}/consultations/{id}/report', {
      params: { path: { org: 'sosnowiec', id: 'c1' } },
      body: { text: { pl: 'Otrzymaliśmy 48 opinii.' } },
    });
    expect(await screen.findByText('The report can be published only after the consultation has closed.')).toBeInTheDocument();

    post.mockResolvedValueOnce({ error: { status: 422, code: 'validation-failed', errors: [{ field: 'text.en', message: 'too long' }] } });
    await user.click(screen.getByRole('button', { name: 'Publish the report' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Report text (English)' })).toHaveAccessibleDescription('too long'));

    post.mockResolvedValueOnce({ data: consultation() });
    state.status = 'report_published';
    state.report = { text: { pl: 'Otrzymaliśmy 48 opinii.' }, published_at: '2026-03-01T00:00:00Z' };
    await user.click(screen.getByRole('button', { name: 'Publish the report' }));
    expect(await screen.findByRole('heading', { name: 'Report' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Publish the report' })).not.toBeInTheDocument();
  });
});
