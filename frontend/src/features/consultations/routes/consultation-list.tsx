import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { formatDate } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { useConsultations } from '../api';
import { CommentCount } from '../../../components/comments';

type Status = Schemas['StatusDto'];
const TABS: Status[] = ['open', 'planned', 'closed', 'report_published'];

/** The consultation calendar: ongoing, planned and closed ones in tabs. */
export default function ConsultationList() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<Status>('open');
  const list = useConsultations(slug, tab);
  const lang = i18n.language as Locale;
  const { user } = useAuth();
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('consultations.title')}</h1>
      {canCreate(user, slug) && (
        <p className="actions">
          <Link to={`/o/${slug}/consultations/new`}>{t('consultationForm.newTitle')}</Link> · <Link to={`/o/${slug}/surveys/new`}>{t('surveys.builder.new')}</Link>
        </p>
      )}
      <p>
        <Link to={`/o/${slug}/surveys`}>{t('surveyList.title')}</Link>
      </p>
      <div role="tablist" aria-label={t('consultations.title')} className="tabs">
        {TABS.map((s) => (
          <button key={s} role="tab" type="button" aria-selected={tab === s} onClick={() => setTab(s)}>
            {t(`consultations.status_${s}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {list.isPending && <Loading />}
        <ErrorMessage error={list.error} />
        {list.data && list.data.items.length === 0 && <p>{t('common.none')}</p>}
        <ul className="list">
          {list.data?.items.map((c) => (
            <li key={c.id}>
              <Link to={`/o/${slug}/consultations/${c.id}`}>
                <Localized text={c.title} />
              </Link>
              <br />
              {t('consultations.period', { from: formatDate(c.opens_at, lang), to: formatDate(c.closes_at, lang) })} · <CommentCount n={c.comment_count} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
