import { beforeAll, describe, expect, it } from 'vitest';
import type { Schemas } from '../../../lib/api-client';
import i18n from '../../../lib/i18n';
import {
  consultationFormFrom,
  createConsultationBody,
  emptyConsultationForm,
  newDocument,
  newSection,
  updateConsultationBody,
  validateConsultationForm,
  type ConsultationFormState,
} from './consultation-form';

const org = { default_locale: 'pl', locales: ['pl', 'en'], time_zone: 'Europe/Warsaw' } satisfies Pick<Schemas['OrgResponse'], 'default_locale' | 'locales' | 'time_zone'>;
const t = i18n.t.bind(i18n);

function filled(overrides: Partial<ConsultationFormState> = {}): ConsultationFormState {
  return {
    ...emptyConsultationForm(),
    title: { pl: '  Zasady budżetu obywatelskiego 2027 ', en: '', sk: 'not enabled' },
    subject: 'draft_act',
    opensAt: '2027-03-01T08:00',
    closesAt: '2027-03-31T16:00',
    sections: [{ ...newSection(), key: ' §3 ', title: { pl: 'Zgłaszanie projektów' } }],
    documents: [{ ...newDocument(), title: { pl: 'Projekt uchwały' }, url: ' https://example.pl/projekt.pdf ' }],
    ...overrides,
  };
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('validateConsultationForm', () => {
  it('accepts a complete form', () => {
    expect(validateConsultationForm(filled(), org, t)).toEqual({});
  });

  it('names each problem under the API’s field path', () => {
    const f = filled({
      title: { en: 'Only English' },
      opensAt: '2027-03-31T16:00',
      closesAt: '2027-03-01T08:00',
      sections: [
        { ...newSection(), key: '§1', title: { pl: 'A' } },
        { ...newSection(), key: '§1', title: {} },
      ],
      documents: [{ ...newDocument(), title: { pl: 'Plik' }, url: 'javascript:alert(1)' }],
    });
    expect(validateConsultationForm(f, org, t)).toEqual({
      'title.pl': 'Fill this in.',
      closes_at: 'The consultation must close after it opens.',
      'sections[1].key': 'Another section has this mark.',
      'sections[1].title.pl': 'Fill this in.',
      'documents[0].url': 'Enter an address starting with https:// or http://.',
    });
  });

  it('wants both times', () => {
    const errors = validateConsultationForm(filled({ opensAt: '', closesAt: 'soon' }), org, t);
    expect(errors.opens_at).toBe('Fill this in.');
    expect(errors.closes_at).toBe('Enter a date and time.');
  });
});

describe('request bodies', () => {
  it('sends trimmed texts in the organisation’s languages and instants from Warsaw time', () => {
    const body = createConsultationBody(filled({ surveyId: 'a1b2' }), org);
    expect(body.title).toEqual({ pl: 'Zasady budżetu obywatelskiego 2027' });
    expect(body.opens_at).toBe('2027-03-01T07:00:00Z');
    expect(body.closes_at).toBe('2027-03-31T14:00:00Z');
    expect(body.sections).toEqual([{ key: '§3', title: { pl: 'Zgłaszanie projektów' } }]);
    expect(body.documents).toEqual([{ title: { pl: 'Projekt uchwały' }, url: 'https://example.pl/projekt.pdf' }]);
    expect(body.survey_id).toBe('a1b2');
    expect(createConsultationBody(filled(), org).survey_id).toBeNull();
  });

  it('edits send only what changed, so a locked period is not sent again', () => {
    const c = {
      ...createConsultationBody(filled(), org),
      id: 'c1',
      status: 'open',
      survey_id: null,
      about: null,
      report: null,
      created_at: '2027-02-01T00:00:00Z',
      updated_at: '2027-02-01T00:00:00Z',
    } as unknown as Schemas['ConsultationResponse'];
    const before = consultationFormFrom(c, org.time_zone);
    expect(before.opensAt).toBe('2027-03-01T08:00');
    expect(updateConsultationBody(before, before, org)).toEqual({});
    const after = { ...before, summary: { pl: 'Nowe streszczenie' }, opinionsPublic: false };
    expect(updateConsultationBody(after, before, org)).toEqual({ summary: { pl: 'Nowe streszczenie' }, opinions_public: false });
  });
});
