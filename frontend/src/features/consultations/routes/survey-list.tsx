import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { api, type Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { saveBlob } from '../../../lib/download';
import { formatDate } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { ok } from '../../../lib/query';
import { useSurveys } from '../api';

type Survey = Schemas['SurveyDetail'];

/** Staff download the results as CSV (with the bearer token, which a plain link would not carry). */
function CsvButton({ slug, survey }: { slug: string; survey: Survey }) {
  const { t } = useTranslation();
  const csv = useMutation({
    mutationFn: () => ok(api.GET('/api/v1/orgs/{org}/surveys/{id}/results.csv', { params: { path: { org: slug, id: survey.id } }, parseAs: 'blob' })),
    onSuccess: (data: Blob) => saveBlob(data, `survey-${survey.id}.csv`),
  });
  return (
    <>
      <button type="button" className="secondary" disabled={csv.isPending} onClick={() => csv.mutate()}>
        {t('surveyList.csv')}
      </button>
      <ErrorMessage error={csv.error} />
    </>
  );
}

/** The organisation's surveys: their status and period, with the staff's links to edit and export. */
export default function SurveyList() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const { user } = useAuth();
  const staff = canCreate(user, slug);
  const list = useSurveys(slug);
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/consultations`}>{t('common.back')}</Link>
      </p>
      <h1>{t('surveyList.title')}</h1>
      {staff && (
        <p>
          <Link to={`/o/${slug}/surveys/new`}>{t('surveys.builder.new')}</Link>
        </p>
      )}
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('common.none')}</p>}
      <ul className="cards">
        {list.data?.items.map((s) => (
          <li key={s.id} className="card">
            <h2>
              <Link to={`/o/${slug}/surveys/${s.id}`}>
                <Localized text={s.title} />
              </Link>
            </h2>
            <p>
              <span className={`badge status-${s.status}`}>{t(`surveyList.status_${s.status}`)}</span>
              {s.effective_opens_at && s.effective_closes_at && (
                <> {t('consultations.period', { from: formatDate(s.effective_opens_at, lang), to: formatDate(s.effective_closes_at, lang) })}</>
              )}
              {s.anonymous && <> · {t('surveyList.anonymous')}</>}
            </p>
            <p className="actions">
              {(s.results_public || staff) && <Link to={`/o/${slug}/surveys/${s.id}/results`}>{t('surveys.viewResults')}</Link>}
              {staff && (
                <>
                  {' · '}
                  <Link to={`/o/${slug}/surveys/${s.id}/edit`}>{t('surveys.builder.edit')}</Link> <CsvButton slug={slug} survey={s} />
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
