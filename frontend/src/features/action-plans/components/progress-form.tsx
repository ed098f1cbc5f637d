import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MoneyInput, moneyProblem, MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field } from '../../../components/ui';
import { errorFor, errorsByPath } from '../../../lib/errors';
import type { Locale } from '../../../lib/language';
import { usePostProgress } from '../api';
import { progressBody } from '../lib/plans';
import { LinkRows } from './parts';

/** Staff post a dated progress update with evidence and the money spent so far. */
export function ProgressForm({ slug, commitmentId, locales, currency }: { slug: string; commitmentId: string; locales: Locale[]; currency: string }) {
  const { t } = useTranslation();
  const post = usePostProgress();
  // A money input that is not a number, caught before sending.
  const [invalid, setInvalid] = useState<unknown>();
  // A new key clears the evidence rows after sending.
  const [round, setRound] = useState(0);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const body = progressBody(new FormData(formEl), locales, currency);
    const problem = moneyProblem('amount_spent', body.amount_spent, t('common.moneyInvalid'));
    setInvalid(problem);
    if (problem) return post.reset();
    post.mutate(
      { params: { path: { org: slug, id: commitmentId } }, body },
      {
        onSuccess: () => {
          formEl.reset();
          setRound((r) => r + 1);
        },
      },
    );
  };
  const error = invalid ?? post.error;
  const sent = post.isSuccess;
  const errors = errorsByPath(error);
  return (
    <form onSubmit={submit} noValidate className="stacked-form">
      <MultilingualInput name="text" label={t('plans.updateText')} locales={locales} errors={errors} multiline required />
      <LinkRows key={round} prefix="evidence" legend={t('plans.evidence')} addLabel={t('plans.addEvidence')} errors={errors} errorPath="evidence" />
      <div className="two-cols">
        <MoneyInput label={t('plans.amountSpentIn', { currency })} name="amount_spent" currency={currency} error={errorFor(errors, 'amount_spent')} />
        <Field label={t('plans.occurredOn')} name="occurred_on" type="date" hint={t('plans.occurredOnHint')} error={errors.occurred_on} />
      </div>
      <ErrorMessage error={error} />
      {sent && <p role="status">{t('plans.updatePosted')}</p>}
      <button type="submit" disabled={post.isPending}>
        {t('plans.postUpdate')}
      </button>
    </form>
  );
}
