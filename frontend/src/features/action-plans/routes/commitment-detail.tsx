import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Comments } from '../../../components/comments';
import { CommitmentFiles } from '../../../components/files';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDate, formatMoney } from '../../../lib/format';
import { orgLocales } from '../../../lib/forms';
import { resolveText, type Locale, type LocalizedText } from '../../../lib/language';
import { canEdit } from '../../../lib/permissions';
import { useCommitment, useCommitmentHistory, useOrg } from '../api';
import { CoOwners } from '../components/co-owners';
import { MilestoneForm } from '../components/milestone-form';
import { MilestoneTimeline } from '../components/milestone-timeline';
import { ProgressBar } from '../components/parts';
import { ProgressForm } from '../components/progress-form';
import { historyLine } from '../lib/plans';
import { FollowButton } from '../../../components/follow-button';

const IRM_FIELDS = ['potential_for_results', 'completion', 'did_it_open_government'] as const;

/** A commitment with everything it promises, its milestones, public history and co-owners. */
export function CommitmentDetail() {
  const { slug = '', id = '', cid = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const commitment = useCommitment(slug, cid);
  const history = useCommitmentHistory(slug, cid);

  if (commitment.isPending) return <Loading />;
  if (!commitment.data) return <ErrorMessage error={commitment.error} />;
  const c = commitment.data.item;
  const etag = commitment.data.etag;
  const fallback = org.data?.default_locale;
  const staff = canEdit(user, slug, c) && !!org.data;
  const locales = org.data ? orgLocales(org.data) : [];
  const self = `/o/${slug}/action-plans/${id}/commitments/${cid}`;
  const has = (text: LocalizedText) => !!resolveText(text, lang);
  const titleText = resolveText(c.title, lang, fallback)?.text ?? '';
  const section = (key: string, label: string, text: LocalizedText) =>
    has(text) && (
      <section aria-labelledby={`c-${key}`}>
        <h2 id={`c-${key}`}>{label}</h2>
        <Localized as="p" text={text} fallback={fallback} />
      </section>
    );

  return (
    <article>
      <p>
        <Link to={`/o/${slug}/action-plans/${id}`}>{t('plans.backToPlan')}</Link>
      </p>
      <Localized as="h1" text={c.title} fallback={fallback} />
      <p>
        <FollowButton target="commitment" id={cid} />
      </p>
      <ProgressBar completion={c.completion} label={t('plans.completionOf', { title: titleText })} />
      {staff && (
        <p>
          <Link className="button-link" to={`${self}/edit`}>
            {t('plans.editCommitment')}
          </Link>
        </p>
      )}
      <dl className="facts">
        <dt>{t('plans.lead')}</dt>
        <dd>{c.lead}</dd>
        {c.supporting_actors.length > 0 && (
          <>
            <dt>{t('plans.supportingActors')}</dt>
            <dd>{c.supporting_actors.join(', ')}</dd>
          </>
        )}
        {c.ogp_values.length > 0 && (
          <>
            <dt>{t('plans.ogpValues')}</dt>
            <dd>{c.ogp_values.map((v) => t(`plans.ogp_${v}`)).join(', ')}</dd>
          </>
        )}
        {c.theme && (
          <>
            <dt>{t('plans.theme')}</dt>
            <dd>{c.theme}</dd>
          </>
        )}
        {c.budget !== null && c.budget !== undefined && (
          <>
            <dt>{t('plans.budget')}</dt>
            <dd>{formatMoney(c.budget, c.currency, lang)}</dd>
          </>
        )}
      </dl>
      {section('problem', t('plans.problem'), c.problem)}
      {section('status-quo', t('plans.statusQuo'), c.status_quo)}
      {section('objective', t('plans.objective'), c.objective)}
      {c.irm && (
        <section aria-labelledby="c-irm" className="panel">
          <h2 id="c-irm">{t('plans.irm')}</h2>
          <dl className="facts">
            {c.irm.verifiable !== null && c.irm.verifiable !== undefined && (
              <>
                <dt>{t('plans.irm_verifiable')}</dt>
                <dd>{c.irm.verifiable ? t('plans.yes') : t('plans.no')}</dd>
              </>
            )}
            {IRM_FIELDS.map((f) => {
              const v = c.irm?.[f];
              return (
                v && (
                  <Fragment key={f}>
                    <dt>{t(`plans.irm_${f}`)}</dt>
                    <dd>{t(`plans.irmv_${v}`, { defaultValue: v })}</dd>
                  </Fragment>
                )
              );
            })}
            {c.irm.evidence && (
              <>
                <dt>{t('plans.irm_evidence')}</dt>
                <dd>{c.irm.evidence}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      <section aria-labelledby="c-milestones">
        <h2 id="c-milestones">{t('plans.milestones')}</h2>
        <MilestoneTimeline milestones={c.milestones} fallback={fallback} edit={staff ? { slug, commitmentId: cid, etag, locales } : undefined} />
        {staff && (
          <details className="panel">
            <summary>{t('plans.addMilestone')}</summary>
            <MilestoneForm slug={slug} commitmentId={cid} etag={etag} locales={locales} />
          </details>
        )}
      </section>
      <section aria-labelledby="c-history">
        <h2 id="c-history">{t('plans.history')}</h2>
        {history.isPending && <Loading />}
        <ErrorMessage error={history.error} />
        {history.data &&
          (history.data.items.length === 0 ? (
            <p>{t('plans.noHistory')}</p>
          ) : (
            <ol className="history">
              {history.data.items.map((h) => (
                <li key={h.id} className={`history-${h.kind}`}>
                  <p>
                    <time dateTime={h.occurred_on}>{formatDate(h.occurred_on, lang, 'UTC')}</time> ·{' '}
                    {h.kind === 'update' ? <strong>{t('plans.progressUpdate')}</strong> : historyLine(h, c.milestones, lang, t)}
                  </p>
                  {h.text && <Localized as="p" text={h.text} fallback={fallback} />}
                  {h.reason && <p className="muted">{t('plans.reason', { reason: h.reason })}</p>}
                  {h.amount_spent !== null && h.amount_spent !== undefined && <p>{t('plans.amountSpent', { amount: formatMoney(h.amount_spent, c.currency, lang) })}</p>}
                  {h.evidence.length > 0 && (
                    <ul aria-label={t('plans.evidence')}>
                      {h.evidence.map((e) => (
                        <li key={e.url}>
                          <a href={e.url}>{e.title || e.url}</a>
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
            <summary>{t('plans.postUpdate')}</summary>
            <ProgressForm slug={slug} commitmentId={cid} locales={locales} currency={c.currency} />
          </details>
        )}
      </section>
      <CoOwners slug={slug} commitment={c} back={self} />
      <CommitmentFiles org={slug} id={cid} canUpload={staff} />
      <Comments slug={slug} kind="commitment" targetId={cid} back={self} />
    </article>
  );
}
