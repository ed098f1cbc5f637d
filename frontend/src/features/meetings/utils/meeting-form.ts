//! The staff meeting form: its state, what it checks before sending, and the request bodies it
//! becomes. Field keys are the API's own dotted paths (`title.sk`, `agenda[0].duration_minutes`),
//! so the server's field errors land next to the same inputs as ours.
import type { TFunction } from 'i18next';
import type { Schemas } from '../../../lib/api-client';
import { instantToZoned, zonedToInstant } from '../../../lib/time-zone';
import { hasDefaultText } from '../../../lib/language';

export type Locale = Schemas['LocaleDto'];
export type Kind = Schemas['KindDto'];
export type Texts = Partial<Record<Locale, string>>;
type Org = Pick<Schemas['OrgResponse'], 'default_locale' | 'locales' | 'time_zone'>;

export const KINDS: Kind[] = ['in_person', 'online', 'hybrid'];

export interface AgendaRow {
  /** A stable React key; never sent. */
  key: string;
  title: Texts;
  minutes: string;
}

/** What a meeting can serve (`links[].type` in the API). */
export const LINK_TYPES = ['action_plan', 'commitment', 'consultation', 'budget'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export interface LinkRow {
  /** A stable React key; never sent. */
  key: string;
  type: LinkType;
  /** The linked resource's id; empty until one is chosen. */
  id: string;
}

export interface MeetingFormState {
  title: Texts;
  description: Texts;
  kind: Kind;
  address: string;
  onlineUrl: string;
  linkForRegistrantsOnly: boolean;
  /** Wall-clock `YYYY-MM-DDTHH:mm` in the organisation's time zone. */
  startsAt: string;
  endsAt: string;
  organiser: string;
  registrationOpen: boolean;
  /** Empty: unlimited. */
  capacity: string;
  registrationDeadline: string;
  waitingList: boolean;
  agenda: AgendaRow[];
  links: LinkRow[];
}

let rows = 0;
export function newAgendaRow(): AgendaRow {
  rows += 1;
  return { key: `agenda-${rows}`, title: {}, minutes: '30' };
}

export function newLinkRow(type: LinkType = 'action_plan', id = ''): LinkRow {
  rows += 1;
  return { key: `link-${rows}`, type, id };
}

function linkType(type: string): LinkType {
  return (LINK_TYPES as readonly string[]).includes(type) ? (type as LinkType) : 'action_plan';
}

export function emptyMeetingForm(organiser: string): MeetingFormState {
  return {
    title: {},
    description: {},
    kind: 'in_person',
    address: '',
    onlineUrl: '',
    linkForRegistrantsOnly: false,
    startsAt: '',
    endsAt: '',
    organiser,
    registrationOpen: true,
    capacity: '',
    registrationDeadline: '',
    waitingList: true,
    agenda: [],
    links: [],
  };
}

function texts(text: Schemas['LocalizedTextDto'] | null | undefined): Texts {
  const out: Texts = {};
  for (const [l, v] of Object.entries(text ?? {})) if (v) out[l as Locale] = v;
  return out;
}

/** The form as it starts when editing `m`; times shown in the organisation's zone. */
export function meetingFormFrom(m: Schemas['MeetingResponse'], timeZone: string): MeetingFormState {
  return {
    title: texts(m.title),
    description: texts(m.description),
    kind: m.kind,
    address: m.address ?? '',
    onlineUrl: m.online_url ?? '',
    linkForRegistrantsOnly: m.link_for_registrants_only,
    startsAt: instantToZoned(m.starts_at, timeZone),
    endsAt: instantToZoned(m.ends_at, timeZone),
    organiser: m.organiser,
    registrationOpen: m.registration_open,
    capacity: m.registrations.capacity == null ? '' : String(m.registrations.capacity),
    registrationDeadline: m.registration_deadline ? instantToZoned(m.registration_deadline, timeZone) : '',
    waitingList: m.waiting_list,
    agenda: m.agenda.map((a) => ({ ...newAgendaRow(), title: texts(a.title), minutes: String(a.duration_minutes) })),
    links: m.links.map((l) => newLinkRow(linkType(l.type), l.id)),
  };
}

/** Only the organisation's enabled locales, trimmed, with empty ones left out (the API rejects blanks). */
export function localizedBody(text: Texts, org: Pick<Org, 'locales'>): Schemas['LocalizedTextDto'] {
  const out: Schemas['LocalizedTextDto'] = {};
  for (const l of org.locales) {
    const v = text[l]?.trim();
    if (v) out[l] = v;
  }
  return out;
}

const needsAddress = (k: Kind) => k !== 'online';
const needsLink = (k: Kind) => k !== 'in_person';

function wholeNumber(s: string): number | undefined {
  return /^\s*\d+\s*$/.test(s) ? Number(s) : undefined;
}

function isWebUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Problems with the form, by field path, in words; empty when it can be sent. */
export function validateMeetingForm(f: MeetingFormState, org: Org, t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {};
  const required = t('meetingStaff.errors.required');
  const def = org.default_locale;
  if (!hasDefaultText(f.title, def)) errors[`title.${def}`] = required;
  for (const l of org.locales) {
    if ((f.title[l]?.trim().length ?? 0) > 200) errors[`title.${l}`] = t('meetingStaff.errors.tooLong', { max: 200 });
  }
  if (needsAddress(f.kind) && !f.address.trim()) errors.address = t('meetingStaff.errors.addressRequired');
  if (needsLink(f.kind) && !f.onlineUrl.trim()) errors.online_url = t('meetingStaff.errors.linkRequired');
  else if (f.onlineUrl.trim() && !isWebUrl(f.onlineUrl.trim())) errors.online_url = t('meetingStaff.errors.url');
  if (!f.organiser.trim()) errors.organiser = required;
  const start = zonedToInstant(f.startsAt, 'UTC');
  const end = zonedToInstant(f.endsAt, 'UTC');
  if (!f.startsAt) errors.starts_at = required;
  else if (!start) errors.starts_at = t('meetingStaff.errors.dateTime');
  if (!f.endsAt) errors.ends_at = required;
  else if (!end) errors.ends_at = t('meetingStaff.errors.dateTime');
  else if (start && Date.parse(end) <= Date.parse(start)) errors.ends_at = t('meetingStaff.errors.endBeforeStart');
  else if (start && Date.parse(end) - Date.parse(start) > 14 * 24 * 3600 * 1000) errors.ends_at = t('meetingStaff.errors.tooLongMeeting');
  if (f.capacity.trim()) {
    const c = wholeNumber(f.capacity);
    if (c === undefined || c < 1 || c > 100_000) errors.capacity = t('meetingStaff.errors.capacity');
  }
  if (f.registrationDeadline) {
    const d = zonedToInstant(f.registrationDeadline, 'UTC');
    if (!d) errors.registration_deadline = t('meetingStaff.errors.dateTime');
    else if (end && Date.parse(d) > Date.parse(end)) errors.registration_deadline = t('meetingStaff.errors.deadlineAfterEnd');
  }
  f.agenda.forEach((a, i) => {
    if (!a.title[def]?.trim()) errors[`agenda[${i}].title.${def}`] = required;
    const m = wholeNumber(a.minutes);
    if (m === undefined || m < 1 || m > 600) errors[`agenda[${i}].duration_minutes`] = t('meetingStaff.errors.duration');
  });
  f.links.forEach((l, i) => {
    if (!l.id) errors[`links[${i}].id`] = t('meetingStaff.errors.linkItem');
  });
  return errors;
}

function common(f: MeetingFormState, org: Org) {
  const at = (local: string) => zonedToInstant(local, org.time_zone) ?? local;
  const capacity = f.capacity.trim() ? Number(f.capacity) : null;
  return {
    title: localizedBody(f.title, org),
    description: localizedBody(f.description, org),
    kind: f.kind,
    // The link can only be set where it is used; an in-person meeting keeps none.
    link_for_registrants_only: needsLink(f.kind) && f.linkForRegistrantsOnly,
    starts_at: at(f.startsAt),
    ends_at: at(f.endsAt),
    organiser: f.organiser.trim(),
    agenda: f.agenda.map((a) => ({ title: localizedBody(a.title, org), duration_minutes: Number(a.minutes) })),
    registration_open: f.registrationOpen,
    capacity,
    registration_deadline: f.registrationDeadline ? at(f.registrationDeadline) : null,
    waiting_list: f.waitingList,
    links: f.links.map((l) => ({ type: l.type, id: l.id })),
  };
}

/** The body of `POST /meetings`. Call after `validateMeetingForm` found nothing. */
export function createMeetingBody(f: MeetingFormState, org: Org): Schemas['CreateMeetingRequest'] {
  const body: Schemas['CreateMeetingRequest'] = { ...common(f, org) };
  if (needsAddress(f.kind)) body.address = f.address.trim();
  if (needsLink(f.kind)) body.online_url = f.onlineUrl.trim();
  return body;
}

/**
 * The body of `PATCH /meetings/{id}`: every field, so the meeting becomes what the form shows.
 * `null` capacity means unlimited and `null` deadline none; the address and link cannot be
 * cleared through the API, so they are left out when empty.
 */
export function updateMeetingBody(f: MeetingFormState, org: Org): Schemas['UpdateMeetingRequest'] {
  const body: Schemas['UpdateMeetingRequest'] = { ...common(f, org) };
  if (f.address.trim()) body.address = f.address.trim();
  if (f.onlineUrl.trim()) body.online_url = f.onlineUrl.trim();
  return body;
}
