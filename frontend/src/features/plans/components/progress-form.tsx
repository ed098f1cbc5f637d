import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import type { Locale } from '../../../lib/language';
import { errorFor, errorsByPath, moneyProblem, progressBody } from '../lib/plans';
import { LinkRows, LocalizedInputs } from './parts';

/** Staff post a dated progress update with evidence and the money spent so far. */
export function ProgressForm({ slug, commitmentId, locales, currency, onDone }: { slug: string; commitmentId: string; locales: Locale[]; currency: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  // A new key clears the evidence rows after sending.
  const [round, setRound] = useState(0);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const body = progressBody(new FormData(formEl), locales, currency);
    const invalid = moneyProblem('amount_spent', body.amount_spent, t('plans.moneyInvalid'));
    if (invalid) return setError(invalid);
    setBusy(true);
    const { error } = await api.POST('/api/v1/orgs/{org}/commitments/{id}/updates', { params: { path: { org: slug, id: commitmentId } }, body });
    setBusy(false);
    setError(error);
    setSent(!error);
    if (!error) {
      formEl.reset();
      setRound(round + 1);
      onDone();
    }
  };
  const errors = errorsByPath(error);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stacked-form">
      <LocalizedInputs name="text" label={t('plans.updateText')} locales={locales} errors={errors} multiline required />
      <LinkRows key={round} prefix="evidence" legend={t('plans.evidence')} addLabel={t('plans.addEvidence')} errors={errors} errorPath="evidence" />
      <div className="two-cols">
        <Field label={t('plans.amountSpentIn', { currency })} name="amount_spent" inputMode="decimal" hint={t('plans.moneyHint')} error={errorFor(errors, 'amount_spent')} />
        <Field label={t('plans.occurredOn')} name="occurred_on" type="date" hint={t('plans.occurredOnHint')} error={errors.occurred_on} />
      </div>
      <ErrorMessage error={error} />
      {sent && <p role="status">{t('plans.updatePosted')}</p>}
      <button type="submit" disabled={busy}>
        {t('plans.postUpdate')}
      </button>
    </form>
  );
}
