import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../../lib/i18n';
import type { Schemas } from '../../../lib/api-client';
import { createMeetingBody, emptyMeetingForm, meetingFormFrom, newAgendaRow, updateMeetingBody, validateMeetingForm, type MeetingFormState } from './meeting-form';
import { minutesBody, newAttachmentRow, validateMinutesForm } from './minutes-form';

const org = { default_locale: 'sk', locales: ['sk', 'en'], time_zone: 'Europe/Bratislava' } satisfies Pick<Schemas['OrgResponse'], 'default_locale' | 'locales' | 'time_zone'>;
const t = i18n.t.bind(i18n);

function filled(overrides: Partial<MeetingFormState> = {}): MeetingFormState {
  return {
    ...emptyMeetingForm('Mesto Banská Bystrica'),
    title: { sk: '  Diskusné podujatie ', en: '', pl: 'not enabled' },
    kind: 'hybrid',
    address: 'Radnica, Námestie SNP 1',
    onlineUrl: 'https://meet.example.sk/ogp',
    linkForRegistrantsOnly: true,
    startsAt: '2027-03-31T17:00',
    endsAt: '2027-03-31T19:00',
    capacity: '30',
    registrationDeadline: '2027-03-30T12:00',
    agenda: [{ ...newAgendaRow(), title: { sk: 'Úvod' }, minutes: '15' }],
    ...overrides,
  };
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('validateMeetingForm', () => {
  it('accepts a complete form', () => {
    expect(validateMeetingForm(filled(), org, t)).toEqual({});
  });

  it('wants the title in the default language only, under the API’s field path', () => {
    const errors = validateMeetingForm(filled({ title: { en: 'Only English' } }), org, t);
    expect(errors).toEqual({ 'title.sk': 'This field is required.' });
  });

  it('asks for what the form of the meeting needs', () => {
    expect(validateMeetingForm(filled({ kind: 'in_person', address: ' ' }), org, t)).toEqual({ address: 'A meeting held in person needs an address.' });
    expect(validateMeetingForm(filled({ kind: 'online', onlineUrl: '' }), org, t)).toEqual({ online_url: 'An online meeting needs a link.' });
    expect(validateMeetingForm(filled({ kind: 'online', onlineUrl: 'meet.example.sk' }), org, t)).toEqual({ online_url: 'Enter a full web address starting with https://.' });
    // An online meeting needs no address, an in-person one no link.
    expect(validateMeetingForm(filled({ kind: 'online', address: '' }), org, t)).toEqual({});
    expect(validateMeetingForm(filled({ kind: 'in_person', onlineUrl: '' }), org, t)).toEqual({});
  });

  it('checks the times, capacity, deadline and agenda', () => {
    const errors = validateMeetingForm(
      filled({
        endsAt: '2027-03-31T16:00',
        capacity: '0',
        registrationDeadline: '2027-04-02T10:00',
        agenda: [{ ...newAgendaRow(), title: { en: 'Intro' }, minutes: '601' }],
      }),
      org,
      t,
    );
    expect(errors).toEqual({
      ends_at: 'The end must be after the start.',
      capacity: 'Enter a whole number from 1 to 100000, or leave it empty.',
      registration_deadline: 'The deadline must not be after the meeting ends.',
      'agenda[0].title.sk': 'This field is required.',
      'agenda[0].duration_minutes': 'Enter a number of minutes from 1 to 600.',
    });
    expect(validateMeetingForm(filled({ startsAt: '', endsAt: '2027-04-20T10:00' }), org, t)).toMatchObject({ starts_at: 'This field is required.' });
    expect(validateMeetingForm(filled({ endsAt: '2027-04-20T10:00' }), org, t)).toEqual({ ends_at: 'A meeting can last at most 14 days.' });
    expect(validateMeetingForm(filled({ capacity: '2.5' }), org, t)).toHaveProperty('capacity');
  });
});

describe('createMeetingBody', () => {
  it('builds the request: enabled, non-empty languages, instants from the org’s wall clock', () => {
    expect(createMeetingBody(filled(), org)).toEqual({
      title: { sk: 'Diskusné podujatie' },
      description: {},
      kind: 'hybrid',
      address: 'Radnica, Námestie SNP 1',
      online_url: 'https://meet.example.sk/ogp',
      link_for_registrants_only: true,
      starts_at: '2027-03-31T15:00:00Z',
      ends_at: '2027-03-31T17:00:00Z',
      organiser: 'Mesto Banská Bystrica',
      agenda: [{ title: { sk: 'Úvod' }, duration_minutes: 15 }],
      registration_open: true,
      capacity: 30,
      registration_deadline: '2027-03-30T10:00:00Z',
      waiting_list: true,
      links: [],
    });
  });

  it('leaves out what the form of the meeting does not use, and unlimited capacity is null', () => {
    const body = createMeetingBody(filled({ kind: 'in_person', capacity: '', registrationDeadline: '' }), org);
    expect(body).not.toHaveProperty('online_url');
    expect(body.link_for_registrants_only).toBe(false);
    expect(body.address).toBe('Radnica, Námestie SNP 1');
    expect(body.capacity).toBeNull();
    expect(body.registration_deadline).toBeNull();
    expect(createMeetingBody(filled({ kind: 'online' }), org)).not.toHaveProperty('address');
  });
});

describe('editing', () => {
  const meeting: Schemas['MeetingResponse'] = {
    id: '0190f3b2-0000-7000-8000-000000000001',
    title: { sk: 'Stretnutie', en: 'Meeting' },
    description: { sk: null, en: 'About' },
    kind: 'online',
    online_url: 'https://meet.example.sk/x',
    link_for_registrants_only: false,
    comment_count: 0,
    can: { edit: true, cancel: true, register: false, record_minutes: true, see_registrations: true },
    starts_at: '2027-01-15T08:30:00Z',
    ends_at: '2027-01-15T10:00:00Z',
    time_zone: 'Europe/Bratislava',
    organiser: 'Mesto',
    agenda: [{ title: { sk: 'Bod' }, duration_minutes: 20 }],
    links: [],
    status: 'scheduled',
    registration_open: true,
    waiting_list: false,
    registrations: { confirmed: 3, waitlisted: 0, capacity: 40, seats_left: 37 },
    attachments: [],
    created_at: '2026-12-01T10:00:00Z',
    updated_at: '2026-12-01T10:00:00Z',
  };

  it('shows the stored instants as the org’s wall clock and sends them back unchanged', () => {
    const form = meetingFormFrom(meeting, org.time_zone);
    expect(form).toMatchObject({ startsAt: '2027-01-15T09:30', endsAt: '2027-01-15T11:00', capacity: '40', registrationDeadline: '', description: { en: 'About' } });
    const body = updateMeetingBody(form, org);
    expect(body).toMatchObject({ starts_at: '2027-01-15T08:30:00Z', ends_at: '2027-01-15T10:00:00Z', capacity: 40, registration_deadline: null, online_url: 'https://meet.example.sk/x' });
    // The API cannot clear an address; an empty one is simply not sent.
    expect(body).not.toHaveProperty('address');
    expect(body.agenda).toEqual([{ title: { sk: 'Bod' }, duration_minutes: 20 }]);
  });

  it('keeps the links, each of its kind; a row with nothing chosen is named before sending', () => {
    const plan = '0190f3b2-0000-7000-8000-0000000000a1';
    const budget = '0190f3b2-0000-7000-8000-0000000000b2';
    const form = meetingFormFrom({ ...meeting, links: [{ type: 'action_plan', id: plan }, { type: 'budget', id: budget }] }, org.time_zone);
    expect(form.links.map((l) => [l.type, l.id])).toEqual([['action_plan', plan], ['budget', budget]]);
    expect(updateMeetingBody(form, org).links).toEqual([{ type: 'action_plan', id: plan }, { type: 'budget', id: budget }]);
    const unchosen = { ...form, links: [...form.links, { ...form.links[0]!, key: 'x', type: 'commitment' as const, id: '' }] };
    expect(validateMeetingForm(unchosen, org, t)).toMatchObject({ 'links[2].id': 'Choose what it links to.' });
    expect(validateMeetingForm(form, org, t)).not.toHaveProperty('links[0].id');
  });

  it('clearing the capacity makes it unlimited', () => {
    const form = { ...meetingFormFrom(meeting, org.time_zone), capacity: '' };
    expect(updateMeetingBody(form, org).capacity).toBeNull();
  });
});

describe('minutes', () => {
  it('requires the default language and sound attachments', () => {
    const f = { minutes: { en: '<p>Hi</p>' }, attendance: 'many', attachments: [{ ...newAttachmentRow(), title: '', url: 'javascript:alert(1)' }] };
    expect(validateMinutesForm(f, org, t)).toEqual({
      'minutes.sk': 'This field is required.',
      attendance: 'Enter a whole number.',
      'attachments[0].title': 'This field is required.',
      'attachments[0].url': 'Enter a full web address starting with https://.',
    });
  });

  it('builds the body', () => {
    const f = { minutes: { sk: '<p>22 účastníkov</p>', en: ' ' }, attendance: '22', attachments: [{ ...newAttachmentRow(), title: ' Vizuálny záznam ', url: 'https://example.sk/z.png', kind: 'image' }] };
    expect(validateMinutesForm(f, org, t)).toEqual({});
    expect(minutesBody(f, org)).toEqual({
      minutes: { sk: '<p>22 účastníkov</p>' },
      attendance: 22,
      attachments: [{ title: 'Vizuálny záznam', url: 'https://example.sk/z.png', kind: 'image' }],
    });
    expect(minutesBody({ ...f, attendance: '' }, org).attendance).toBeNull();
  });
});
