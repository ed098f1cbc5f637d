import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { SurveyForm } from '../components/survey-form';

/** A survey on a page of its own (the calendar links here). */
export default function SurveyPage() {
  const { slug = '', id = '' } = useParams();
  const { t } = useTranslation();
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/consultations`}>{t('common.back')}</Link>
      </p>
      <SurveyForm slug={slug} surveyId={id} />
    </article>
  );
}
