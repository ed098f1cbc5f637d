// Residency verification for staff: what residents are asked for (admins), and the requests
// waiting for a decision (admins and officials), each verified or refused with a reason.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useParams } from 'react-router-dom';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { errorsByPath, fieldErrors } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { localizedFrom, orgLocales } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';
import { canEditOrg, canVerifyResidents } from '../../../lib/permissions';
import { useDecideResidency, useOrg, usePendingResidencyRequests, useResidencyStanding, useSaveResidencyPrompt } from '../api';

function PromptForm({ slug, locales }: { slug: string; locales: Locale[] }) {
  const { t } = useTranslation();
  const standing = useResidencyStanding(slug);
  const saving = useSaveResidencyPrompt();
  if (standing.isPending) return <Loading />;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const prompt = localizedFrom(new FormData(e.currentTarget), 'prompt', locales);
    saving.mutate({ params: { path: { org: slug } }, body: { prompt } });
  };
  const errors = errorsByPath(saving.error);
  return (
    <form onSubmit={submit} noValidate aria-labelledby="prompt-title">
      <h2 id="prompt-title">{t('residency.promptTitle')}</h2>
      <MultilingualInput label={t('residency.promptLabel')} name="prompt" locales={locales} errors={errors} defaultValue={standing.data?.prompt} multiline rows={3} maxLength={2000} />
      <button type="submit" disabled={saving.isPending}>
        {t('residency.savePrompt')}
      </button>
      {saving.isSuccess && <span role="status"> {t('common.saved')}</span>}
      {Object.keys(errors).length === 0 && <ErrorMessage error={saving.error} />}
    </form>
  );
}

function RequestRow({ slug, request, zone, onDone }: { slug: string; request: Schemas['StaffResidencyRequestResponse']; zone: string | undefined; onDone: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const deciding = useDecideResidency();
  const [reason, setReason] = useState('');
  const name = request.display_name;
  const decide = (approve: boolean) =>
    deciding.mutate(
      { params: { path: { org: slug, id: request.id } }, body: approve ? { approve } : { approve, reason } },
      { onSuccess: () => onDone(t(approve ? 'residency.approved' : 'residency.refusedDone', { name })) },
    );
  const fields = fieldErrors(deciding.error);
  return (
    <tr>
      <th scope="row">
        {name}
        <br />
        <span className="muted">{request.email}</span>
      </th>
      <td style={{ whiteSpace: 'pre-wrap' }}>{request.details}</td>
      <td>
        <time dateTime={request.created_at}>{formatDateTime(request.created_at, i18n.language as Locale, zone)}</time>
      </td>
      <td>
        <button type="button" aria-label={t('residency.approveLabel', { name })} onClick={() => decide(true)} disabled={deciding.isPending}>
          {t('residency.approve')}
        </button>
        <Field label={t('residency.reason', { name })} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} error={fields.reason} />
        <button type="button" className="secondary" aria-label={t('residency.refuseLabel', { name })} onClick={() => decide(false)} disabled={deciding.isPending}>
          {t('residency.refuse')}
        </button>
        {!fields.reason && <ErrorMessage error={deciding.error} />}
      </td>
    </tr>
  );
}

export default function ResidencyRequests() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const allowed = !!user && canVerifyResidents(user, slug);
  const requests = usePendingResidencyRequests(slug);
  const [done, setDone] = useState<string | null>(null);
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/residency`} />;
  if (!allowed) return <p role="alert">{t('admin.forbidden')}</p>;
  const zone = org.data?.time_zone;
  return (
    <section>
      <h1>{t('residency.staffTitle')}</h1>
      {org.data && canEditOrg(user, slug) && <PromptForm slug={slug} locales={orgLocales(org.data)} />}
      <h2>{t('residency.pendingTitle')}</h2>
      {done && <p role="status">{done}</p>}
      {requests.isPending && <Loading />}
      <ErrorMessage error={requests.error} />
      {requests.data?.items.length === 0 && <p>{t('residency.none')}</p>}
      {requests.data && requests.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('residency.resident')}</th>
                <th scope="col">{t('residency.details')}</th>
                <th scope="col">{t('residency.asked')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('residency.approve')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {requests.data.items.map((r) => (
                <RequestRow key={r.id} slug={slug} request={r} zone={zone} onDone={setDone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
