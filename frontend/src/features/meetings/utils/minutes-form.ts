//! The minutes form (minutes per language, attendance, attachments by link) and its request body.
import type { TFunction } from 'i18next';
import type { Schemas } from '../../../lib/api-client';
import { localizedBody, type Texts } from './meeting-form';

type Org = Pick<Schemas['OrgResponse'], 'default_locale' | 'locales'>;

export const ATTACHMENT_KINDS = ['image', 'pdf'] as const;

export interface AttachmentRow {
  key: string;
  title: string;
  url: string;
  kind: string;
}

export interface MinutesFormState {
  minutes: Texts;
  attendance: string;
  attachments: AttachmentRow[];
}

let rows = 0;
export function newAttachmentRow(a?: Schemas['AttachmentDto']): AttachmentRow {
  rows += 1;
  return { key: `attachment-${rows}`, title: a?.title ?? '', url: a?.url ?? '', kind: a?.kind ?? 'pdf' };
}

export function minutesFormFrom(m: Schemas['MeetingResponse']): MinutesFormState {
  const minutes: Texts = {};
  for (const [l, v] of Object.entries(m.minutes ?? {})) if (v) minutes[l as keyof Texts] = v;
  return {
    minutes,
    attendance: m.attendance == null ? '' : String(m.attendance),
    attachments: m.attachments.map((a) => newAttachmentRow(a)),
  };
}

export function validateMinutesForm(f: MinutesFormState, org: Org, t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.minutes[org.default_locale]?.trim()) errors[`minutes.${org.default_locale}`] = t('meetingStaff.errors.required');
  if (f.attendance.trim() && !/^\s*\d{1,7}\s*$/.test(f.attendance)) errors.attendance = t('meetingStaff.errors.attendance');
  f.attachments.forEach((a, i) => {
    if (!a.title.trim()) errors[`attachments[${i}].title`] = t('meetingStaff.errors.required');
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(a.url.trim()).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors[`attachments[${i}].url`] = t('meetingStaff.errors.url');
  });
  return errors;
}

export function minutesBody(f: MinutesFormState, org: Org): Schemas['MinutesRequest'] {
  return {
    minutes: localizedBody(f.minutes, org),
    attendance: f.attendance.trim() ? Number(f.attendance) : null,
    attachments: f.attachments.map((a) => ({ title: a.title.trim(), url: a.url.trim(), kind: a.kind })),
  };
}
