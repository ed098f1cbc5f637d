import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { canCreate } from '../../../lib/permissions';
import { useBudgets, useImportBudget, useOrg } from '../api';
import { useMoney } from '../components/parts';
import type { Budget } from '../lib/budgets';

/** A municipality's participatory budget processes, newest first; staff import pabulib files. */
export function BudgetList() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const list = useBudgets(slug);
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('budgets.title')}</h1>
      <p className="lead">{t('budgets.intro')}</p>
      {canCreate(user, slug) && (
        <p>
          <Link to={`/o/${slug}/budgets/new`}>{t('budgetForm.newTitle')}</Link>
        </p>
      )}
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <p>{t('budgets.noProcesses')}</p>
        ) : (
          <ul className="cards">
            {list.data.items.map((b) => (
              <BudgetCard key={b.id} slug={slug} budget={b} fallback={org.data?.default_locale} />
            ))}
          </ul>
        ))}
      {canCreate(user, slug) && <ImportForm slug={slug} />}
    </section>
  );
}

function BudgetCard({ slug, budget: b, fallback }: { slug: string; budget: Budget; fallback?: string }) {
  const { t } = useTranslation();
  const money = useMoney(b.total.currency);
  return (
    <li className="card">
      <h2>
        <Link to={`/o/${slug}/budgets/${b.id}`}>
          <Localized text={b.title} fallback={fallback} />
        </Link>
      </h2>
      <p>
        {t('budgets.totalIs', { total: money(b.total.amount) })}
        <br />
        <span className="badge">{t(`budgets.phase_${b.phase}`)}</span>
      </p>
    </li>
  );
}

/** Staff upload a pabulib `.pb` file; its text goes to the API as `text/plain`. */
function ImportForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const importing = useImportBudget(slug);
  // No file picked, caught before sending.
  const [noFile, setNoFile] = useState<unknown>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = new FormData(e.currentTarget).get('file');
    const missing = !(file instanceof File) || file.size === 0;
    setNoFile(missing ? { status: 422, detail: t('budgets.importPick') } : undefined);
    if (missing) return importing.reset();
    importing.mutate(await file.text(), { onSuccess: (b) => navigate(`/o/${slug}/budgets/${b.id}`) });
  };
  const error = noFile ?? importing.error;
  return (
    <section aria-labelledby="budget-import" className="panel">
      <h2 id="budget-import">{t('budgets.import')}</h2>
      <p className="hint">{t('budgets.importHint')}</p>
      <form onSubmit={(e) => void submit(e)} className="stacked-form">
        <div className="field">
          <label htmlFor="pb-file">{t('budgets.importFile')}</label>
          <input id="pb-file" name="file" type="file" accept=".pb,text/plain" />
        </div>
        <ErrorMessage error={error} />
        <button type="submit" disabled={importing.isPending}>
          {t('budgets.importButton')}
        </button>
      </form>
    </section>
  );
}
