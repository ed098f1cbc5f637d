import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../../lib/i18n';
import { renderWithQuery } from '../../../test-utils';
import { SurveyForm } from './survey-form';

const survey = {
  id: 's1',
  title: { en: 'Getting around' },
  description: {},
  questions: [
    { id: 'mode', text: { en: 'How do you travel?' }, required: true, kind: { type: 'single_choice', options: [{ id: 'bus', label: { en: 'Bus' } }, { id: 'car', label: { en: 'Car' } }] } },
    {
      id: 'rating',
      text: { en: 'Rate the buses' },
      required: true,
      condition: { type: 'choice_is', question: 'mode', options: ['bus'] },
      kind: { type: 'scale', points: 3, labels: { type: 'ends', low: { en: 'Bad' }, high: { en: 'Good' } } },
    },
  ],
  policy: 'one_per_resident_refuse',
  anonymous: false,
  status: 'open',
  results_public: false,
};

const post = vi.fn();
vi.mock('../../../lib/api-client', () => ({
  api: {
    GET: (path: string) =>
      Promise.resolve(
        path.endsWith('/mine')
          ? { data: { survey_id: 's1', participated: false, anonymous: false, replaced: false }, response: new Response() }
          : { data: survey, response: new Response() },
      ),
    POST: (...args: unknown[]) => post(...args),
  },
}));
vi.mock('../../../lib/auth', () => ({ useAuth: () => ({ user: { id: 'u1' } }) }));

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('SurveyForm', () => {
  it('shows a conditional question once its condition holds, counts progress, and sends only shown answers', async () => {
    const user = userEvent.setup();
    post.mockResolvedValueOnce({ error: { status: 422, code: 'validation-failed', errors: [{ field: 'answers.rating', message: '`rating` requires an answer' }] } });
    renderWithQuery(
      <MemoryRouter>
        <SurveyForm slug="mesto" surveyId="s1" />
      </MemoryRouter>,
    );
    expect(await screen.findByText('How do you travel?')).toBeInTheDocument();
    expect(screen.queryByText('Rate the buses')).not.toBeInTheDocument();
    expect(screen.getByText('0 of 1 questions answered')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Bus' }));
    expect(screen.getByText('Rate the buses')).toBeInTheDocument();
    expect(screen.getByText('1 of 2 questions answered')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(post.mock.calls[0]?.[1]).toMatchObject({ body: { answers: { mode: { type: 'single_choice', option: 'bus' } } } });
    const rating = screen.getByRole('group', { name: /Rate the buses/ });
    expect(rating).toHaveAccessibleDescription('`rating` requires an answer');

    post.mockResolvedValueOnce({ data: { survey_id: 's1', participated: true, anonymous: false, replaced: false } });
    await user.click(screen.getByRole('radio', { name: 'Car' }));
    expect(screen.queryByText('Rate the buses')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(post.mock.calls[1]?.[1]).toMatchObject({ body: { answers: { mode: { type: 'single_choice', option: 'car' } } } });
    expect(await screen.findByText('Thank you, your answers were recorded.')).toBeInTheDocument();
  });
});
