import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Localized, Select, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { resolveText, type Locale } from '../../../lib/language';
import { KINDS, useCategories, useFileReport, type ReportKind } from '../api';

/** A resident reports a problem or makes a proposal: category, text, and the place. */
export default function ReportNew() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const categories = useCategories(slug);
  const file = useFileReport();
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [locating, setLocating] = useState<'idle' | 'busy' | 'failed'>('idle');
  if (user === null) {
    return (
      <p>
        <Link to="/login">{t('reports.signIn')}</Link>
      </p>
    );
  }
  const errors = fieldErrors(file.error);
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setLocating('failed');
      return;
    }
    setLocating('busy');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLat(pos.coords.latitude.toFixed(6));
        setLon(pos.coords.longitude.toFixed(6));
        setLocating('idle');
      },
      () => setLocating('failed'),
      { timeout: 10000 },
    );
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const num = (s: string) => (s.trim() === '' ? null : Number(s));
    file.mutate(
      {
        params: { path: { org: slug } },
        body: {
          kind: String(form.get('kind')) as ReportKind,
          category_id: String(form.get('category_id')),
          title: String(form.get('title') ?? ''),
          description: String(form.get('description') ?? ''),
          latitude: num(lat),
          longitude: num(lon),
          address: String(form.get('address') ?? '').trim() || null,
          show_name: form.get('show_name') === 'on',
        },
      },
      { onSuccess: (r) => navigate(`/o/${slug}/reports/${r.id}`) },
    );
  };
  const placeError = errors.location ?? errors.latitude ?? errors.longitude;
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/reports`}>{t('common.back')}</Link>
      </p>
      <h1>{t('reports.newTitle')}</h1>
      <form onSubmit={submit} className="stack">
        <Select label={t('reports.kind')} name="kind" defaultValue="report">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`reports.kind_${k}`)}
            </option>
          ))}
        </Select>
        <Select label={t('reports.category')} name="category_id" required error={errors.category_id}>
          {categories.data?.items.map((c) => (
            <option key={c.id} value={c.id}>
              {resolveText(c.name, i18n.language as Locale)?.text}
            </option>
          ))}
        </Select>
        {categories.data && categories.data.items.length > 0 && (
          <p className="hint">
            {categories.data.items.map((c, i) => (
              <span key={c.id}>
                {i > 0 && ' · '}
                <Localized text={c.name} />: {c.department}
              </span>
            ))}
          </p>
        )}
        <Field label={t('reports.titleLabel')} name="title" required minLength={3} maxLength={150} error={errors.title} />
        <TextArea label={t('reports.description')} name="description" required rows={5} maxLength={5000} error={errors.description} />
        <fieldset>
          <legend>{t('reports.place')}</legend>
          <p className="hint">{t('reports.placeHint')}</p>
          <Field label={t('reports.address')} name="address" maxLength={300} error={errors.address} />
          <Field label={t('reports.latitude')} name="latitude" type="number" step="any" min={-90} max={90} value={lat} onChange={(e) => setLat(e.target.value)} />
          <Field label={t('reports.longitude')} name="longitude" type="number" step="any" min={-180} max={180} value={lon} onChange={(e) => setLon(e.target.value)} />
          <button type="button" onClick={locate} disabled={locating === 'busy'}>
            {t('reports.useLocation')}
          </button>
          {locating === 'busy' && <p role="status">{t('reports.locating')}</p>}
          {locating === 'failed' && <p role="alert">{t('reports.locationFailed')}</p>}
          {placeError && (
            <p role="alert" className="field-error">
              {placeError}
            </p>
          )}
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" name="show_name" /> {t('reports.showName')}
        </label>
        {Object.keys(errors).length === 0 && <ErrorMessage error={file.error} />}
        <button type="submit" disabled={file.isPending}>
          {t('reports.submit')}
        </button>
      </form>
    </section>
  );
}
