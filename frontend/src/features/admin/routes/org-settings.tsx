import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading, Select } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { checkAccent, parseHex } from '../../../lib/contrast';
import { errorsByPath, fieldProblem, type Problem } from '../../../lib/errors';
import { LANGUAGE_NAMES, LOCALES, type Locale } from '../../../lib/language';
import { canEditOrg, canManageMembers } from '../../../lib/permissions';
import { useUpdateOrg, useVersionedOrg } from '../api';
import { LogoForm } from '../components/logo-form';

type Org = Schemas['OrgResponse'];
type Texts = Partial<Record<Locale, string>>;

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
const CURRENCIES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [];

function texts(t: Schemas['LocalizedTextDto'] | null | undefined): Texts {
  return Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => !!v)) as Texts;
}

function only(t: Texts, locales: readonly Locale[]): Texts {
  return Object.fromEntries(locales.flatMap((l) => (t[l]?.trim() ? [[l, t[l]?.trim()]] : []))) as Texts;
}

function SettingsForm({ org, etag, update }: { org: Org; etag?: string; update: ReturnType<typeof useUpdateOrg> }) {
  const { t } = useTranslation();
  const [name, setName] = useState<Texts>(texts(org.name));
  const [description, setDescription] = useState<Texts>(texts(org.description));
  const [defaultLocale, setDefaultLocale] = useState<Locale>(org.default_locale);
  const [locales, setLocales] = useState<Locale[]>(org.locales);
  const [timeZone, setTimeZone] = useState(org.time_zone);
  const [currency, setCurrency] = useState(org.currency);
  const [accent, setAccent] = useState(org.accent_color ?? '');
  const [accentProblem, setAccentProblem] = useState<Problem | undefined>();
  const enabled = locales.includes(defaultLocale) ? locales : [defaultLocale, ...locales];
  const ordered = [defaultLocale, ...enabled.filter((l) => l !== defaultLocale)];
  const errors = { ...errorsByPath(update.error), ...errorsByPath(accentProblem) };
  const accentCheck = accent.trim() ? checkAccent(accent) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A colour that is not one, or that fails the contrast check, is refused here already.
    const colour = accent.trim();
    if (colour && !accentCheck) return setAccentProblem(fieldProblem('accent_color', t('branding.notAColour')));
    if (accentCheck && !accentCheck.ok) return setAccentProblem(fieldProblem('accent_color', t('branding.tooLight', { text: accentCheck.againstText, page: accentCheck.againstPage })));
    setAccentProblem(undefined);
    update.mutate({
      etag,
      body: {
        name: only(name, ordered),
        description: only(description, ordered),
        default_locale: defaultLocale,
        locales: ordered,
        time_zone: timeZone,
        currency,
        accent_color: colour ? colour.toLowerCase() : null,
      },
    });
  };
  return (
    <form onSubmit={submit} noValidate className="staff-form">
      <fieldset>
        <legend>{t('orgSettings.languages')}</legend>
        <Select label={t('admin.defaultLocale')} value={defaultLocale} onChange={(e) => setDefaultLocale(e.target.value as Locale)} error={errors.default_locale}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
        {LOCALES.map((l) => (
          <label key={l} className="check">
            <input type="checkbox" checked={enabled.includes(l)} disabled={l === defaultLocale} onChange={(e) => setLocales(e.target.checked ? [...locales, l] : locales.filter((x) => x !== l))} />{' '}
            {LANGUAGE_NAMES[l]}
          </label>
        ))}
        {errors.locales && <p className="field-error">{errors.locales}</p>}
      </fieldset>
      <fieldset>
        <legend>{t('orgSettings.about')}</legend>
        <MultilingualInput label={t('orgSettings.name')} name="name" locales={ordered} errors={errors} value={name} onChange={setName} required maxLength={200} />
        <MultilingualInput label={t('orgSettings.description')} name="description" locales={ordered} errors={errors} value={description} onChange={setDescription} multiline rows={3} maxLength={2000} />
      </fieldset>
      <fieldset>
        <legend>{t('orgSettings.region')}</legend>
        <Select label={t('admin.timeZone')} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} error={errors.time_zone}>
          {(ZONES.includes(timeZone) ? ZONES : [timeZone, ...ZONES]).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </Select>
        <Select label={t('admin.currency')} value={currency} onChange={(e) => setCurrency(e.target.value)} error={errors.currency}>
          {(CURRENCIES.includes(currency) ? CURRENCIES : [currency, ...CURRENCIES]).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
        <p className="hint">{t('orgSettings.currencyHint')}</p>
      </fieldset>
      <fieldset>
        <legend>{t('branding.accentLegend')}</legend>
        <div className="accent-row">
          <Field
            label={t('branding.accent')}
            hint={t('branding.accentHint')}
            value={accent}
            placeholder="#1d4e89"
            maxLength={7}
            onChange={(e) => {
              setAccent(e.target.value);
              setAccentProblem(undefined);
            }}
            error={errors.accent_color}
          />
          <input type="color" aria-label={t('branding.picker')} value={parseHex(accent) ? accent.toLowerCase() : '#1d4e89'} onChange={(e) => setAccent(e.target.value)} />
        </div>
        <p aria-live="polite" data-testid="contrast" className={accentCheck && !accentCheck.ok ? 'field-error' : 'hint'}>
          {accent.trim() === ''
            ? t('branding.defaultAccent')
            : accentCheck
              ? t(accentCheck.ok ? 'branding.ratiosOk' : 'branding.ratiosBad', { text: accentCheck.againstText, page: accentCheck.againstPage })
              : t('branding.notAColour')}
        </p>
        {accentCheck?.ok && (
          <p>
            <span className="accent-sample" style={{ background: accent, borderColor: accent }}>
              {t('branding.sampleButton')}
            </span>{' '}
            <span style={{ color: accent }}>{t('branding.sampleLink')}</span>
          </p>
        )}
      </fieldset>
      <ErrorMessage error={accentProblem ?? update.error} />
      {update.isSuccess && <p role="status">{t('common.saved')}</p>}
      <button type="submit" disabled={update.isPending}>
        {t('common.save')}
      </button>
    </form>
  );
}

/** Admins change their organisation's names, languages, time zone and currency. */
export default function OrgSettings() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useVersionedOrg(slug);
  // Kept above the form, which starts again from each saved version: its outcome stays on screen.
  const update = useUpdateOrg(slug);
  if (user === undefined || org.isPending) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/settings`} />;
  if (!canManageMembers(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!org.data) return <ErrorMessage error={org.error} />;
  return (
    <section className="narrow">
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('orgSettings.title')}</h1>
      {canEditOrg(user, slug) && (
        <p>
          <Link to={`/o/${slug}/admin/webhooks`}>{t('webhooks.title')}</Link>
        </p>
      )}
      <p>
        <Link to={`/o/${slug}/admin/area`}>{t('orgArea.title')}</Link>
      </p>
      <SettingsForm key={org.data.etag} org={org.data.item} etag={org.data.etag} update={update} />
      <LogoForm slug={slug} org={org.data.item} />
    </section>
  );
}
