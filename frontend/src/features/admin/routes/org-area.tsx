import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { errorsByPath, problemCode } from '../../../lib/errors';
import { canManageMembers } from '../../../lib/permissions';
import { useUpdateOrg, useVersionedOrg } from '../api';
import { areaInputs, checkArea, type AreaCheck, type AreaInputs } from '../lib/area';

function AreaForm({ org, etag, update }: { org: Schemas['OrgResponse']; etag?: string; update: ReturnType<typeof useUpdateOrg> }) {
  const { t } = useTranslation();
  const [inputs, setInputs] = useState<AreaInputs>(areaInputs(org.area));
  const [checked, setChecked] = useState<AreaCheck['errors']>({});
  const server = errorsByPath(update.error);
  const error = (k: keyof AreaInputs) => (checked[k] ? t(`orgArea.errors.${checked[k]}`) : server[`area.${k}`]);
  const send = (area: AreaCheck['area']) => update.mutate({ etag, body: { area } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = checkArea(inputs);
    setChecked(c.errors);
    if (Object.keys(c.errors).length === 0) send(c.area);
  };
  const field = (k: keyof AreaInputs, label: string, min: number, max: number) => (
    <Field label={label} inputMode="decimal" hint={t('orgArea.range', { min, max })} value={inputs[k]} onChange={(e) => setInputs({ ...inputs, [k]: e.target.value })} error={error(k)} />
  );
  return (
    <form onSubmit={submit} noValidate className="staff-form">
      <fieldset>
        <legend>{t('orgArea.latitudes')}</legend>
        {field('south', t('orgArea.south'), -90, 90)}
        {field('north', t('orgArea.north'), -90, 90)}
      </fieldset>
      <fieldset>
        <legend>{t('orgArea.longitudes')}</legend>
        {field('west', t('orgArea.west'), -180, 180)}
        {field('east', t('orgArea.east'), -180, 180)}
      </fieldset>
      {Object.keys(checked).length > 0 && <p role="alert" className="error">{t('orgArea.fix')}</p>}
      <ErrorMessage error={update.error} />
      {problemCode(update.error) === 'precondition-failed' && <p>{t('orgArea.stale')}</p>}
      {update.isSuccess && <p role="status">{t('common.saved')}</p>}
      <p className="actions">
        <button type="submit" disabled={update.isPending}>
          {t('common.save')}
        </button>{' '}
        {org.area && (
          <button type="button" className="secondary" disabled={update.isPending} onClick={() => send(null)}>
            {t('orgArea.clear')}
          </button>
        )}
      </p>
    </form>
  );
}

/** Admins set the area residents' reports must lie in (a box of latitudes and longitudes). */
export default function OrgArea() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useVersionedOrg(slug);
  const update = useUpdateOrg(slug);
  if (user === undefined || org.isPending) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/area`} />;
  if (!canManageMembers(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!org.data) return <ErrorMessage error={org.error} />;
  return (
    <section className="narrow">
      <p>
        <Link to={`/o/${slug}/admin/settings`}>{t('orgSettings.title')}</Link>
      </p>
      <h1>{t('orgArea.title')}</h1>
      <p>{t('orgArea.intro')}</p>
      <p data-testid="area-now">{org.data.item.area ? t('orgArea.now', { ...org.data.item.area }) : t('orgArea.none')}</p>
      <AreaForm key={org.data.etag} org={org.data.item} etag={org.data.etag} update={update} />
    </section>
  );
}
