import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { StaffOnly } from '../../../components/staff-only';
import { ErrorMessage, Loading } from '../../../components/ui';
import { useOrg, useSaveBudget, useVersionedBudget } from '../api';
import { BudgetForm } from '../components/budget-form';
import { budgetFormFrom, createBudgetBody, emptyBudgetForm, updateBudgetBody } from '../lib/budget-form';
import { reached } from '../lib/budgets';

function Form({ slug, id }: { slug: string; id?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const current = useVersionedBudget(slug, id);
  const save = useSaveBudget(slug, id);
  const [generation, setGeneration] = useState(0);
  if (org.isPending || (id && current.isPending)) return <Loading />;
  if (!org.data) return <ErrorMessage error={org.error} />;
  if (id && !current.data) return <ErrorMessage error={current.error} />;
  const o = org.data;
  const b = current.data?.item;
  const initial = b ? budgetFormFrom(b, o.currency) : emptyBudgetForm();
  return (
    <BudgetForm
      key={`${generation}-${current.data?.etag ?? 'new'}`}
      org={o}
      initial={initial}
      editing={!!b}
      rulesFixed={!!b && reached(b.phase, 'voting')}
      submitLabel={id ? t('common.save') : t('budgetForm.create')}
      onReload={() => void current.refetch().then(() => setGeneration((g) => g + 1))}
      onSubmit={(f) =>
        save
          .mutateAsync({ body: createBudgetBody(f, o), update: updateBudgetBody(f, initial, o), etag: current.data?.etag })
          .then((saved) => void navigate(`/o/${slug}/budgets/${saved.id}`))
      }
    />
  );
}

/** Staff: set up a new participatory budget, or change one (its rules only before voting opens). */
export function BudgetFormPage() {
  const { slug = '', id } = useParams();
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to={id ? `/o/${slug}/budgets/${id}` : `/o/${slug}/budgets`}>{t('common.back')}</Link>
      </p>
      <StaffOnly slug={slug} back={`/o/${slug}/budgets`} backLabel={t('budgets.title')}>
        <h1>{id ? t('budgetForm.editTitle') : t('budgetForm.newTitle')}</h1>
        <Form slug={slug} id={id} />
      </StaffOnly>
    </section>
  );
}
