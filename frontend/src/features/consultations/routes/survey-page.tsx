import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../../lib/auth';
import { canEdit } from '../../../lib/permissions';
import { SurveyForm } from '../components/survey-form';

/** A survey on a page of its own (the calendar links here). */
export default function SurveyPage() {
  const { slug = '', id = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/consultations`}>{t('common.back')}</Link>
        {canEdit(user, slug) && (
          <>
            {' · '}
            <Link to={`/o/${slug}/surveys/${id}/edit`}>{t('surveys.builder.edit')}</Link>
          </>
        )}
      </p>
      <SurveyForm slug={slug} surveyId={id} />
    </article>
  );
}
