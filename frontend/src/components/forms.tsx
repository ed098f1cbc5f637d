// Form inputs every feature shares: multilingual text (one input per language of the
// organisation), money in the organisation's currency, and the API's field errors.
import type { InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { errorFor, fieldProblem, type Problem } from '../lib/errors';
import { localizedName, moneyInput } from '../lib/forms';
import { LANGUAGE_NAMES, type Locale, type LocalizedText } from '../lib/language';
import { ErrorMessage, Field, TextArea } from './ui';

/** Text by language, as an API resource or a form's state holds it. */
type Texts = Partial<Record<Locale, string | null>>;

interface MultilingualProps<T extends Texts> {
  /**
   * The API's field path (`title`, `agenda[0].title`): errors are looked up as `path.<locale>`,
   * an error about the whole field goes to the default language; inputs are named the same.
   */
  name: string;
  label: string;
  /** The organisation's languages, its default first (`orgLocales`). */
  locales: readonly Locale[];
  /** Field errors by path (`errorsByPath(problem)`). */
  errors: Record<string, string>;
  /** Whether the default language must be filled in. */
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  maxLength?: number;
  /** Shown under the default language's input. */
  hint?: string;
  /** The text to start with (uncontrolled, read back with `localizedFrom`). */
  defaultValue?: LocalizedText | null;
  /** Controlled use: the current text and its change. */
  value?: T;
  onChange?: (value: T) => void;
}

/** One input per enabled language of the organisation, its default language first. */
export function MultilingualInput<T extends Texts>({ name, label, locales, errors, required, multiline, rows = 4, maxLength, hint, defaultValue, value, onChange }: MultilingualProps<T>) {
  const { t } = useTranslation();
  return (
    <>
      {locales.map((l, i) => {
        const mandatory = !!required && i === 0;
        const props = {
          name: localizedName(name, l),
          lang: l,
          label: `${label} (${LANGUAGE_NAMES[l]})${mandatory ? ` – ${t('common.required')}` : ''}`,
          required: mandatory,
          maxLength,
          hint: i === 0 ? hint : undefined,
          error: errors[localizedName(name, l)] ?? (i === 0 ? errors[name] : undefined),
          ...(onChange ? { value: value?.[l] ?? '' } : { defaultValue: defaultValue?.[l] ?? '' }),
        };
        const change = onChange && ((e: { target: { value: string } }) => onChange({ ...value, [l]: e.target.value } as T));
        return multiline ? <TextArea key={l} {...props} rows={rows} onChange={change} /> : <Field key={l} {...props} onChange={change} />;
      })}
    </>
  );
}

type MoneyProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'defaultValue' | 'type'> & {
  /** The label, naming the currency ("Budget (EUR)"). */
  label: string;
  name: string;
  /** The organisation's currency (ISO 4217). */
  currency: string;
  /** The amount to start with, in integer minor units (uncontrolled use; or pass `value` as typed). */
  defaultAmount?: number | null;
  error?: string;
  hint?: string;
};

/** An amount in the organisation's currency: typed with up to two decimals, sent in minor units. */
export function MoneyInput({ label, currency, defaultAmount, hint, ...input }: MoneyProps) {
  const { t } = useTranslation();
  const start = input.value === undefined ? { defaultValue: moneyInput(defaultAmount, currency) } : {};
  return <Field label={label} inputMode="decimal" autoComplete="off" {...start} hint={hint ?? t('common.moneyHint')} {...input} />;
}

/** A problem of our own when a money input is not a number, shaped like the API's 422. */
export function moneyProblem(field: string, amount: number | null | undefined, message: string): Problem | undefined {
  return typeof amount === 'number' && Number.isNaN(amount) ? fieldProblem(field, message) : undefined;
}

/** The error of a field (or of any of its parts) under a fieldset or a group of inputs. */
export function GroupError({ errors, name }: { errors: Record<string, string>; name: string }) {
  const message = errorFor(errors, name);
  return message ? <p className="field-error">{message}</p> : null;
}

/**
 * The end of every staff form: the problem the last attempt met, the offer to load the current
 * version after a 412 (someone else saved meanwhile), and the submit button.
 */
export function StaffFormFooter({ error, stale, onReload, reloadLabel, busy, submitLabel }: { error: unknown; stale: boolean; onReload?: () => void; reloadLabel: string; busy: boolean; submitLabel: string }) {
  return (
    <>
      <ErrorMessage error={error} />
      {stale && onReload && (
        <p>
          <button type="button" className="secondary" onClick={onReload}>
            {reloadLabel}
          </button>
        </p>
      )}
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </>
  );
}
