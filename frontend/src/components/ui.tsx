import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../lib/errors';
import { LANGUAGE_NAMES, resolveText, type Locale, type LocalizedText } from '../lib/language';

type FieldProps = { label: string; error?: string; hint?: string };

/** A labelled input with its error announced and tied to it. */
export function Field({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint && <p id={`${id}-hint`} className="hint">{hint}</p>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

export function TextArea({ label, error, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined} {...input} />
      {hint && <p id={`${id}-hint`} className="hint">{hint}</p>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

export function Select({ label, error, children, ...input }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...input}>
        {children}
      </select>
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

/** A problem+json error (or a network failure) in words. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {problemMessage(error, t)}
    </p>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="loading">
      {t('common.loading')}
    </p>
  );
}

/** Multilingual text in the reader's language, saying so when it falls back to another. */
export function Localized({ text, fallback, as: Tag = 'span' }: { text: LocalizedText | null | undefined; fallback?: string; as?: 'span' | 'h1' | 'h2' | 'h3' | 'p' }) {
  const { t, i18n } = useTranslation();
  const resolved = resolveText(text, i18n.language as Locale, fallback);
  if (!resolved) return null;
  const other = resolved.lang !== i18n.language;
  return (
    <Tag lang={resolved.lang}>
      {resolved.text}
      {other && <span className="fallback-note"> ({t('common.inLanguage', { language: LANGUAGE_NAMES[resolved.lang] })})</span>}
    </Tag>
  );
}
