import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { MoneyInput, moneyProblem, MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading, Localized, Select, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath } from '../../../lib/errors';
import { formatDate } from '../../../lib/format';
import { orgLocales } from '../../../lib/forms';
import { resolveText, type Locale } from '../../../lib/language';
import { canEdit } from '../../../lib/permissions';
import { useAllWinners, useBudget, useOrg, usePostProjectUpdate, useProjectHistory, useProposals } from '../api';
import { BudgetNav, SpentBar, useMoney, WorksBadge } from '../components/parts';
import { updateBody, WORKS, type Proposal } from '../lib/budgets';

/** How the winners are being built: works status, money spent against cost, history. */
export function Implementation() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const budget = useBudget(slug, id);
  const results = useAllWinners(slug, id, budget.data?.districts.map((d) => d.key));
  const proposals = useProposals(slug, id, { on_ballot: true });
  if (budget.isPending || results.isPending) return <Loading />;
  if (!budget.data) return <ErrorMessage error={budget.error} />;
  const b = budget.data;
  const fallback = org.data?.default_locale;
  const winners = results.winners;
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/budgets/${id}`}>{t('budgets.backToProcess')}</Link>
      </p>
      <h1>{t('budgets.implementationOf', { title: resolveText(b.title, lang, fallback)?.text ?? '' })}</h1>
      <BudgetNav slug={slug} budget={b} />
      {b.phase !== 'implementation' && <p className="notice">{t('budgets.implementationNotYet')}</p>}
      <ErrorMessage error={results.error ?? proposals.error} />
      {!results.error && winners.length === 0 && <p>{t('budgets.noWinners')}</p>}
      <ul className="cards">
        {winners.map((w) => {
          const p = proposals.data?.items.find((x) => x.id === w.proposal_id);
          return (
            <Winner
              key={w.proposal_id}
              slug={slug}
              budgetId={id}
              title={resolveText(w.title, lang, fallback)?.text ?? w.code}
              cost={w.cost}
              currency={results.currency ?? b.total.currency}
              proposal={p}
              staff={!!p && canEdit(user, slug, b) && b.phase === 'implementation'}
              locales={org.data ? orgLocales(org.data) : []}
              fallback={fallback}
            />
          );
        })}
      </ul>
    </section>
  );
}

function Winner(props: {
  slug: string;
  budgetId: string;
  title: string;
  cost: number;
  currency: string;
  proposal?: Proposal;
  staff: boolean;
  locales: Locale[];
  fallback?: string;
}) {
  const { slug, budgetId, title, cost, currency, proposal: p, staff, locales, fallback } = props;
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const money = useMoney(currency);
  const pid = p?.id ?? '';
  const history = useProjectHistory(slug, budgetId, pid, !!p);
  const headingId = `winner-${pid}`;
  return (
    <li className="card">
      <h2 id={headingId}>
        <Link to={`/o/${slug}/budgets/${budgetId}/proposals/${pid}`}>{title}</Link>
      </h2>
      {!p ? (
        <Loading />
      ) : (
        <>
          <p>
            {t('budgets.worksStatus')}: {p.works ? <WorksBadge works={p.works} /> : t('budgets.works_planned')}
          </p>
          <SpentBar spent={p.amount_spent?.amount ?? 0} cost={cost} label={t('budgets.spentLabel', { title })} money={money} />
          <h3>{t('budgets.history')}</h3>
          {history.isPending && <Loading />}
          <ErrorMessage error={history.error} />
          {history.data &&
            (history.data.items.length === 0 ? (
              <p>{t('budgets.noUpdates')}</p>
            ) : (
              <ol className="history">
                {history.data.items.map((h) => (
                  <li key={h.id}>
                    <p>
                      <time dateTime={h.occurred_on}>{formatDate(h.occurred_on, lang, 'UTC')}</time>
                      {h.kind === 'status_change' && (
                        <>
                          {' '}
                          · {t('budgets.statusChange', { from: h.from_status ? t(`budgets.works_${h.from_status}`, { defaultValue: h.from_status }) : '—', to: h.to_status ? t(`budgets.works_${h.to_status}`, { defaultValue: h.to_status }) : '—' })}
                        </>
                      )}
                    </p>
                    {h.text && <Localized as="p" text={h.text} fallback={fallback} />}
                    {h.amount_spent !== null && h.amount_spent !== undefined && <p>{t('budgets.spentSoFar', { amount: money(h.amount_spent) })}</p>}
                    {h.photos.length > 0 && (
                      <ul className="photos" aria-label={t('budgets.photos')}>
                        {h.photos.map((u, i) => (
                          <li key={u}>
                            <a href={u}>{t('budgets.photoN', { n: i + 1 })}</a>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ol>
            ))}
          {staff && (
            <details className="panel">
              <summary>{t('budgets.postUpdateFor', { title })}</summary>
              <UpdateForm slug={slug} budgetId={budgetId} proposal={p} currency={currency} locales={locales} />
            </details>
          )}
        </>
      )}
    </li>
  );
}

/** Staff report progress on a winner: text, photos, the total spent so far, the works' state. */
function UpdateForm({ slug, budgetId, proposal: p, currency, locales }: { slug: string; budgetId: string; proposal: Proposal; currency: string; locales: Locale[] }) {
  const { t } = useTranslation();
  const post = usePostProjectUpdate();
  // A money input that is not a number, caught before sending.
  const [invalid, setInvalid] = useState<unknown>();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const body = updateBody(new FormData(formEl), locales, currency);
    const problem = moneyProblem('amount_spent', body.amount_spent, t('common.moneyInvalid'));
    setInvalid(problem);
    if (problem) return post.reset();
    post.mutate({ params: { path: { org: slug, id: budgetId, proposal_id: p.id } }, body }, { onSuccess: () => formEl.reset() });
  };
  const error = invalid ?? post.error;
  const sent = post.isSuccess;
  const errors = errorsByPath(error);
  return (
    <form onSubmit={submit} noValidate className="stacked-form">
      <MultilingualInput name="text" label={t('budgets.updateText')} locales={locales} errors={errors} multiline required />
      <TextArea label={t('budgets.photoUrls')} name="photos" rows={2} hint={t('budgets.onePerLine')} error={errors.photos} />
      <div className="two-cols">
        <MoneyInput label={t('budgets.amountSpentIn', { currency })} name="amount_spent" currency={currency} error={errors.amount_spent} />
        <Select label={t('budgets.worksStatus')} name="works" defaultValue="">
          <option value="">{t('budgets.worksUnchanged')}</option>
          {WORKS.map((w) => (
            <option key={w} value={w}>
              {t(`budgets.works_${w}`)}
            </option>
          ))}
        </Select>
        <Field label={t('budgets.occurredOn')} name="occurred_on" type="date" error={errors.occurred_on} />
      </div>
      <ErrorMessage error={error} />
      {sent && <p role="status">{t('budgets.updatePosted')}</p>}
      <button type="submit" disabled={post.isPending}>
        {t('budgets.postUpdate')}
      </button>
    </form>
  );
}
