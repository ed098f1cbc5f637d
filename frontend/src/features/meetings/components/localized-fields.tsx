import { useTranslation } from 'react-i18next';
import { Field, TextArea } from '../../../components/ui';
import { LANGUAGE_NAMES } from '../../../lib/language';
import type { Locale, Texts } from '../utils/meeting-form';

interface Props {
  label: string;
  /** The API's field path, e.g. `title` or `agenda[0].title`; errors are looked up as `path.sk`. */
  path: string;
  value: Texts;
  onChange: (value: Texts) => void;
  locales: Locale[];
  defaultLocale: Locale;
  errors: Record<string, string>;
  /** Whether the default language must be filled in. */
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  maxLength?: number;
  hint?: string;
}

/** One input per enabled language of the organisation, its default language first. */
export function LocalizedFields({ label, path, value, onChange, locales, defaultLocale, errors, required, multiline, rows = 4, maxLength, hint }: Props) {
  const { t } = useTranslation();
  const ordered = [defaultLocale, ...locales.filter((l) => l !== defaultLocale)];
  return (
    <>
      {ordered.map((l) => {
        const mandatory = required && l === defaultLocale;
        const props = {
          label: `${label} (${LANGUAGE_NAMES[l]})${mandatory ? ` – ${t('meetingStaff.required')}` : ''}`,
          lang: l,
          value: value[l] ?? '',
          required: mandatory,
          maxLength,
          hint: l === defaultLocale ? hint : undefined,
          error: errors[`${path}.${l}`],
        };
        return multiline ? (
          <TextArea key={l} {...props} rows={rows} onChange={(e) => onChange({ ...value, [l]: e.target.value })} />
        ) : (
          <Field key={l} {...props} onChange={(e) => onChange({ ...value, [l]: e.target.value })} />
        );
      })}
    </>
  );
}
