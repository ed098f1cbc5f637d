import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { errorsByPath } from '../../../lib/errors';
import { localizedFrom } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';
import { $api, useInvalidate } from '../../../lib/query';

type Category = Schemas['ReportCategoryResponse'];

/** Staff add a category of reports, or change one: its name, department and deadline. */
export function CategoryForm({ slug, locales, category, onDone }: { slug: string; locales: Locale[]; category?: Category; onDone?: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const done = () => {
    void invalidate('/api/v1/orgs/{org}/report-categories');
    onDone?.();
  };
  const create = $api.useMutation('post', '/api/v1/orgs/{org}/report-categories', { onSuccess: done });
  const update = $api.useMutation('patch', '/api/v1/orgs/{org}/report-categories/{id}', { onSuccess: done });
  const error = create.error ?? update.error;
  const errors = errorsByPath(error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const body = {
      name: localizedFrom(form, 'name', locales),
      department: String(form.get('department') ?? ''),
      answer_days: Number(form.get('answer_days')),
    };
    if (category) update.mutate({ params: { path: { org: slug, id: category.id } }, body });
    else create.mutate({ params: { path: { org: slug } }, body }, { onSuccess: () => formEl.reset() });
  };
  return (
    <form onSubmit={submit} className="stack" aria-label={category ? t('reports.editCategory') : t('reports.newCategory')}>
      <MultilingualInput name="name" label={t('reports.categoryName')} locales={locales} errors={errors} required maxLength={200} defaultValue={category?.name} />
      <Field label={t('reports.department')} name="department" required maxLength={200} defaultValue={category?.department} error={errors.department} />
      <Field label={t('reports.answerDays')} name="answer_days" type="number" min={1} max={365} required defaultValue={category?.answer_days ?? 15} error={errors.answer_days} />
      {!Object.keys(errors).length && <ErrorMessage error={error} />}
      <button type="submit" disabled={create.isPending || update.isPending}>
        {category ? t('reports.saveCategory') : t('reports.addCategory')}
      </button>
    </form>
  );
}
