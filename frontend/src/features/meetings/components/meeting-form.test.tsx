import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '../../../lib/api-client';
import i18n from '../../../lib/i18n';
import { emptyMeetingForm, type MeetingFormState } from '../utils/meeting-form';
import { MeetingForm } from './meeting-form';

const org: Schemas['OrgResponse'] = {
  id: '0190f3b2-0000-7000-8000-000000000009',
  slug: 'bedzin',
  name: { pl: 'Będzin' },
  description: {},
  default_locale: 'pl',
  locales: ['pl', 'en'],
  time_zone: 'Europe/Warsaw',
  currency: 'PLN',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('MeetingForm', () => {
  it('shows each problem next to its field, focuses the first, and sends nothing', async () => {
    const onSubmit = vi.fn();
    render(<MeetingForm org={org} initial={emptyMeetingForm('Urząd Miasta')} submitLabel="Create meeting" onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Create meeting' }));
    expect(onSubmit).not.toHaveBeenCalled();
    const title = screen.getByLabelText('Title (Polski) – required');
    expect(title).toHaveAccessibleDescription('This field is required.');
    expect(title).toHaveFocus();
    expect(screen.getByLabelText('Title (English)')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Address')).toHaveAccessibleDescription('A meeting held in person needs an address.');
    expect(screen.getByRole('alert')).toHaveTextContent('Please correct the highlighted fields.');
  });

  it('submits the filled form, orders the agenda, and shows the server’s field errors', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (f: MeetingFormState) => {
      void f;
      return { status: 422, code: 'validation-failed', errors: [{ field: 'capacity', message: 'cannot drop below the 12 registered' }] };
    });
    render(<MeetingForm org={org} initial={emptyMeetingForm('Urząd Miasta')} submitLabel="Save" onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText('Title (Polski) – required'), 'Spotkanie');
    await user.selectOptions(screen.getByLabelText('Form of the meeting'), 'online');
    expect(screen.queryByLabelText('Address')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Online link'), 'https://meet.example.pl/a');
    await user.type(screen.getByLabelText('Starts'), '2027-05-10T18:00');
    await user.type(screen.getByLabelText('Ends'), '2027-05-10T20:00');
    await user.type(screen.getByLabelText('Capacity (seats)'), '10');
    await user.click(screen.getByRole('button', { name: 'Add agenda item' }));
    await user.click(screen.getByRole('button', { name: 'Add agenda item' }));
    const items = screen.getAllByRole('group', { name: /Agenda item/ });
    await user.type(within(items[0]!).getByLabelText('Item (Polski) – required'), 'Pierwszy');
    await user.type(within(items[1]!).getByLabelText('Item (Polski) – required'), 'Drugi');
    await user.click(screen.getByRole('button', { name: 'Move item 2 up' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(onSubmit).toHaveBeenCalledTimes(1);
    const sent = onSubmit.mock.calls[0]![0];
    expect(sent).toMatchObject({ kind: 'online', startsAt: '2027-05-10T18:00', capacity: '10' });
    expect(sent.agenda.map((a) => a.title.pl)).toEqual(['Drugi', 'Pierwszy']);
    expect(await screen.findByLabelText('Capacity (seats)')).toHaveAccessibleDescription(/cannot drop below the 12 registered/);
  });

  it('offers a reload when someone else changed the meeting (412)', async () => {
    const onReload = vi.fn();
    const initial = { ...emptyMeetingForm('Urząd'), title: { pl: 'A' }, kind: 'online' as const, onlineUrl: 'https://x.pl', startsAt: '2027-05-10T18:00', endsAt: '2027-05-10T19:00' };
    render(<MeetingForm org={org} initial={initial} submitLabel="Save" onSubmit={async () => ({ status: 412, code: 'precondition-failed' })} onReload={onReload} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Someone else changed this meanwhile. Reload and try again.');
    await userEvent.click(screen.getByRole('button', { name: 'Reload the current version' }));
    expect(onReload).toHaveBeenCalled();
  });
});
