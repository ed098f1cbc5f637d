import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Comments, ReportButton } from '../../../components/comments';
import { ConsultationFiles } from '../../../components/files';
import { LinkedDocuments } from '../../../components/documents';
import { ErrorMessage, Loading, Localized, Select, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { formatDate } from '../../../lib/format';
import { orgLocales } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';
import { canEdit, canModerate } from '../../../lib/permissions';
import { useConsultation, useGiveOpinion, useOpinions, useOrg } from '../api';
import { OpinionAnswerForm, OpinionModeration } from '../components/opinion-staff';
import { ReportForm } from '../components/report-form';
import { SurveyForm } from '../components/survey-form';
import { FollowButton } from '../../../components/follow-button';

export default function ConsultationDetail() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const path = { org: slug, id };
  const c = useConsultation(slug, id);
  const opinions = useOpinions(slug, id);
  const org = useOrg(slug);
  const giving = useGiveOpinion();
  if (c.isPending) return <Loading />;
  if (!c.data) return <ErrorMessage error={c.error} />;
  const k = c.data;
  const staff = canEdit(user, slug, k);
  const moderator = canModerate(user, slug, k);
  const error = giving.error;
  const sent = giving.isSuccess;
  const locales = org.data ? orgLocales(org.data) : [lang];

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const section = String(form.get('section') ?? '');
    giving.mutate(
      { params: { path }, body: { text: String(form.get('text')), section: section || null }, headers: { 'Idempotency-Key': crypto.randomUUID() } },
      { onSuccess: () => formEl.reset() },
    );
  };
  const fields = fieldErrors(error);
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/consultations`}>{t('common.back')}</Link>
      </p>
      <Localized as="h1" text={k.title} />
      <p>
        <FollowButton target="consultation" id={id} />
      </p>
      <p>
        <span className={`badge status-${k.status}`}>{t(`consultations.status_${k.status}`)}</span>{' '}
        {t('consultations.period', { from: formatDate(k.opens_at, lang), to: formatDate(k.closes_at, lang) })}
      </p>
      {staff && (
        <p>
          <Link to={`/o/${slug}/consultations/${id}/edit`}>{t('consultationForm.editTitle')}</Link>
        </p>
      )}
      <Localized as="p" text={k.summary} />
      <Localized as="p" text={k.body} />
      {k.documents.length > 0 && (
        <section aria-labelledby="documents">
          <h2 id="documents">{t('consultations.documents')}</h2>
          <ul>
            {k.documents.map((d) => (
              <li key={d.url}>
                <a href={d.url}>
                  <Localized text={d.title} />
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {k.report && (
        <section aria-labelledby="report" className="panel">
          <h2 id="report">{t('consultations.report')}</h2>
          <Localized as="p" text={k.report.text} />
        </section>
      )}
      {staff && k.status === 'closed' && !k.report && <ReportForm slug={slug} consultationId={id} locales={locales} />}
      {k.survey_id && <SurveyForm slug={slug} surveyId={k.survey_id} />}
      <section aria-labelledby="give-opinion">
        <h2 id="give-opinion">{t('consultations.giveOpinion')}</h2>
        {k.status !== 'open' ? (
          <p>{t('consultations.notOpen')}</p>
        ) : !user && !k.allow_anonymous ? (
          <p>
            <Link to={`/login?next=/o/${slug}/consultations/${id}`}>{t('consultations.signInToComment')}</Link>
          </p>
        ) : (
          <form onSubmit={submit} noValidate>
            {k.sections.length > 0 && (
              <Select label={t('consultations.section')} name="section" defaultValue="" error={fields.section}>
                <option value="">{t('consultations.wholeDraft')}</option>
                {k.sections.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.key} {s.title[lang] ?? Object.values(s.title)[0]}
                  </option>
                ))}
              </Select>
            )}
            <TextArea label={t('consultations.opinionText')} name="text" required rows={5} maxLength={10000} error={fields.text} />
            <ErrorMessage error={error} />
            {sent && <p role="status">{t('consultations.thanks')}</p>}
            <button type="submit" disabled={giving.isPending}>
              {t('consultations.send')}
            </button>
          </form>
        )}
      </section>
      {(opinions.data?.items.length ?? 0) > 0 && (
        <section aria-labelledby="opinions">
          <h2 id="opinions">{t('consultations.opinions')}</h2>
          <ul className="cards">
            {opinions.data?.items.map((o) => (
              <li key={o.id} className={o.hidden ? 'card opinion-hidden' : 'card'}>
                <p>
                  <strong>{o.author_name ?? '—'}</strong>
                  {o.email && <> · {o.email}</>}
                  {o.section && <> · {o.section}</>}
                  {o.hidden && (
                    <>
                      {' '}
                      <span className="badge">{t('consultations.hidden')}</span>
                    </>
                  )}
                </p>
                <p>{o.text}</p>
                {o.answer && (
                  <p className="answer">
                    <strong>{t('consultations.answer')}:</strong> {o.answer}
                  </p>
                )}
                {staff && <OpinionAnswerForm slug={slug} consultationId={id} opinion={o} />}
                {moderator && <OpinionModeration slug={slug} consultationId={id} opinion={o} />}
                {user && !staff && <ReportButton slug={slug} itemKind="opinion" itemId={o.id} label={t('comments.reportOpinion')} />}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ConsultationFiles org={slug} id={id} canUpload={staff} />
      <LinkedDocuments org={slug} type="consultation" id={id} />
      <Comments slug={slug} kind="consultation" targetId={id} back={`/o/${slug}/consultations/${id}`} />
    </article>
  );
}
