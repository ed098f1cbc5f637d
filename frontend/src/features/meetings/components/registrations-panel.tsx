import { useTranslation } from 'react-i18next';
import { ErrorMessage, Loading } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { useExportRegistrations, useRegistrations } from '../api';
import { saveBlob } from '../../../lib/download';

interface Props {
  slug: string;
  meeting: Schemas['MeetingResponse'];
}

/** Who registered (confirmed, then the waiting list), and the CSV export. */
export function RegistrationsPanel({ slug, meeting: m }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const list = useRegistrations(slug, m.id);
  const exporting = useExportRegistrations(slug, m.id);
  const c = m.registrations;

  const exportCsv = () => exporting.mutate(undefined, { onSuccess: save });
  const save = (data: Blob) => saveBlob(data, `registrations-${slug}-${m.starts_at.slice(0, 10)}.csv`);

  return (
    <section aria-labelledby="registrations-heading" className="panel">
      <h2 id="registrations-heading">{t('meetingStaff.registrations')}</h2>
      <p>
        {t('meetingStaff.counts', { confirmed: c.confirmed, waitlisted: c.waitlisted })}
        {c.capacity != null && <> · {t('meetingStaff.capacityOf', { count: c.capacity })}</>}
      </p>
      <p>
        <button type="button" className="secondary" onClick={exportCsv} disabled={exporting.isPending}>
          {t('meetingStaff.exportCsv')}
        </button>
      </p>
      <ErrorMessage error={exporting.error} />
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('meetingStaff.noRegistrations')}</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('meetingStaff.registrations')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('meetingStaff.name')}</th>
                <th scope="col">{t('auth.email')}</th>
                <th scope="col">{t('meetingStaff.registrationStatus')}</th>
                <th scope="col">{t('meetingStaff.registeredAt')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.user_id}>
                  <th scope="row">{r.display_name}</th>
                  <td>
                    <a href={`mailto:${r.email}`}>{r.email}</a>
                  </td>
                  <td>{t(`meetingStaff.registration_${r.status}`)}</td>
                  <td>
                    <time dateTime={r.created_at}>{formatDateTime(r.created_at, lang, m.time_zone)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
