//! The staff consultation form: its state, what it checks before sending, and the request bodies
//! it becomes. Field keys are the API's own paths (`title.sk`, `sections[0].key`), so the server's
//! field errors land next to the same inputs as ours. Times are typed in the organisation's zone.
import type { TFunction } from 'i18next';
import type { Schemas } from '../../../lib/api-client';
import { instantToZoned, zonedToInstant } from '../../../lib/time-zone';
import { hasDefaultText } from '../../../lib/language';

export type Locale = Schemas['LocaleDto'];
export type Subject = Schemas['SubjectDto'];
export type Texts = Partial<Record<Locale, string>>;
type Org = Pick<Schemas['OrgResponse'], 'default_locale' | 'locales' | 'time_zone'>;

export const SUBJECTS: Subject[] = ['draft_act', 'plan', 'budget', 'strategy', 'other'];

export interface SectionRow {
  /** A stable React key; never sent. */
  rowKey: string;
  key: string;
  title: Texts;
}

export interface DocumentRow {
  rowKey: string;
  title: Texts;
  url: string;
}

export interface ConsultationFormState {
  title: Texts;
  summary: Texts;
  body: Texts;
  subject: Subject;
  /** Wall-clock `YYYY-MM-DDTHH:mm` in the organisation's time zone. */
  opensAt: string;
  closesAt: string;
  allowAnonymous: boolean;
  opinionsPublic: boolean;
  /** Only when creating: the survey residents answer alongside (empty: none). */
  surveyId: string;
  sections: SectionRow[];
  documents: DocumentRow[];
}

let rows = 0;
function rowKey(): string {
  rows += 1;
  return `row-${rows}`;
}

export function newSection(): SectionRow {
  return { rowKey: rowKey(), key: '', title: {} };
}

export function newDocument(): DocumentRow {
  return { rowKey: rowKey(), title: {}, url: '' };
}

export function emptyConsultationForm(): ConsultationFormState {
  return {
    title: {},
    summary: {},
    body: {},
    subject: 'draft_act',
    opensAt: '',
    closesAt: '',
    allowAnonymous: false,
    opinionsPublic: true,
    surveyId: '',
    sections: [],
    documents: [],
  };
}

function texts(text: Schemas['LocalizedTextDto'] | null | undefined): Texts {
  const out: Texts = {};
  for (const [l, v] of Object.entries(text ?? {})) if (v) out[l as Locale] = v;
  return out;
}

/** The form as it starts when editing `c`; times shown in the organisation's zone. */
export function consultationFormFrom(c: Schemas['ConsultationResponse'], timeZone: string): ConsultationFormState {
  return {
    title: texts(c.title),
    summary: texts(c.summary),
    body: texts(c.body),
    subject: c.subject,
    opensAt: instantToZoned(c.opens_at, timeZone),
    closesAt: instantToZoned(c.closes_at, timeZone),
    allowAnonymous: c.allow_anonymous,
    opinionsPublic: c.opinions_public,
    surveyId: c.survey_id ?? '',
    sections: c.sections.map((s) => ({ rowKey: rowKey(), key: s.key, title: texts(s.title) })),
    documents: c.documents.map((d) => ({ rowKey: rowKey(), title: texts(d.title), url: d.url })),
  };
}

/** Only the languages the organisation uses, trimmed, empty ones dropped. */
function clean(text: Texts, locales: readonly Locale[]): Texts {
  const out: Texts = {};
  for (const l of locales) {
    const v = text[l]?.trim();
    if (v) out[l] = v;
  }
  return out;
}

const URL_SCHEME = /^https?:\/\//i;

/**
 * What is wrong with the form before it is sent, keyed like the API's field errors. Empty when
 * the form may be sent (the server checks everything again).
 */
export function validateConsultationForm(f: ConsultationFormState, org: Org, t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {};
  const required = t('consultationForm.required');
  if (!hasDefaultText(f.title, org.default_locale)) errors[`title.${org.default_locale}`] = required;
  const opens = zonedToInstant(f.opensAt, org.time_zone);
  const closes = zonedToInstant(f.closesAt, org.time_zone);
  if (!opens) errors.opens_at = f.opensAt ? t('consultationForm.badTime') : required;
  if (!closes) errors.closes_at = f.closesAt ? t('consultationForm.badTime') : required;
  if (opens && closes && Date.parse(closes) <= Date.parse(opens)) errors.closes_at = t('consultationForm.closesBeforeOpens');
  const keys = new Set<string>();
  f.sections.forEach((s, i) => {
    const key = s.key.trim();
    if (!key) errors[`sections[${i}].key`] = required;
    else if (keys.has(key)) errors[`sections[${i}].key`] = t('consultationForm.duplicateSection');
    keys.add(key);
    if (!hasDefaultText(s.title, org.default_locale)) errors[`sections[${i}].title.${org.default_locale}`] = required;
  });
  f.documents.forEach((d, i) => {
    if (!URL_SCHEME.test(d.url.trim())) errors[`documents[${i}].url`] = t('consultationForm.badUrl');
    if (!hasDefaultText(d.title, org.default_locale)) errors[`documents[${i}].title.${org.default_locale}`] = required;
  });
  return errors;
}

function common(f: ConsultationFormState, org: Org) {
  const locales = org.locales;
  return {
    title: clean(f.title, locales),
    summary: clean(f.summary, locales),
    body: clean(f.body, locales),
    subject: f.subject,
    opens_at: zonedToInstant(f.opensAt, org.time_zone) ?? f.opensAt,
    closes_at: zonedToInstant(f.closesAt, org.time_zone) ?? f.closesAt,
    allow_anonymous: f.allowAnonymous,
    opinions_public: f.opinionsPublic,
    sections: f.sections.map((s) => ({ key: s.key.trim(), title: clean(s.title, locales) })),
    documents: f.documents.map((d) => ({ title: clean(d.title, locales), url: d.url.trim() })),
  };
}

/** The body of `POST …/consultations`. */
export function createConsultationBody(f: ConsultationFormState, org: Org): Schemas['CreateConsultationRequest'] {
  return { ...common(f, org), survey_id: f.surveyId || null };
}

/**
 * The body of `PATCH …/consultations/{id}`: only what changed since `before`, so that a consultation
 * whose period is locked (opinions arrived) can still have its texts corrected.
 */
export function updateConsultationBody(f: ConsultationFormState, before: ConsultationFormState, org: Org): Schemas['UpdateConsultationRequest'] {
  const now = common(f, org);
  const was = common(before, org);
  const out: Schemas['UpdateConsultationRequest'] = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(now.title, was.title)) out.title = now.title;
  if (!same(now.summary, was.summary)) out.summary = now.summary;
  if (!same(now.body, was.body)) out.body = now.body;
  if (now.subject !== was.subject) out.subject = now.subject;
  if (now.opens_at !== was.opens_at) out.opens_at = now.opens_at;
  if (now.closes_at !== was.closes_at) out.closes_at = now.closes_at;
  if (now.allow_anonymous !== was.allow_anonymous) out.allow_anonymous = now.allow_anonymous;
  if (now.opinions_public !== was.opinions_public) out.opinions_public = now.opinions_public;
  if (!same(now.sections, was.sections)) out.sections = now.sections;
  if (!same(now.documents, was.documents)) out.documents = now.documents;
  return out;
}
