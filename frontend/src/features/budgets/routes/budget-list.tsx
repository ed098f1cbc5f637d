import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { useApi } from '../../../lib/use-api';
import { useMoney } from '../components/parts';
import { isStaff, type Budget } from '../lib/budgets';
import { useOrg } from '../lib/use-budgets-api';

/** A municipality's participatory budget processes, newest first; staff import pabulib files. */
export function BudgetList() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const list = useApi(() => api.GET('/api/v1/orgs/{org}/budgets', { params: { path: { org: slug }, query: { limit: 100 } } }), [slug, user?.id]);
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('budgets.title')}</h1>
      <p className="lead">{t('budgets.intro')}</p>
      {list.loading && !list.data && <Loading />}
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
      {isStaff(user, slug) && <ImportForm slug={slug} />}
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
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = new FormData(e.currentTarget).get('file');
    if (!(file instanceof File) || file.size === 0) return setError({ status: 422, detail: t('budgets.importPick') });
    setBusy(true);
    const text = await file.text();
    const r = await api.POST('/api/v1/orgs/{org}/budgets/import', {
      params: { path: { org: slug } },
      body: text,
      headers: { 'Content-Type': 'text/plain' },
      bodySerializer: (b: string) => b,
    });
    setBusy(false);
    setError(r.error);
    if (r.data) navigate(`/o/${slug}/budgets/${r.data.id}`);
  };
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
        <button type="submit" disabled={busy}>
          {t('budgets.importButton')}
        </button>
      </form>
    </section>
  );
}
