import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkedDocuments } from '../../../components/documents';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { canEdit, canTransition } from '../../../lib/permissions';
import { exportBudget, useBudget, useOrg, useTransitionBudget } from '../api';
import { PaperBallots } from '../components/paper-ballots';
import { BudgetNav, PhaseTimeline, useMoney } from '../components/parts';
import { describeBallotRule, reached, scoreBasis, type Budget } from '../lib/budgets';
import { saveBlob } from '../../../lib/download';
import { transitionConsequences } from '../lib/budget-form';
import { FollowButton } from '../../../components/follow-button';

/** A process: its rules, money, districts and categories, phases, and what to do now. */
export function BudgetDetail() {
  const { slug = '', id = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const budget = useBudget(slug, id);
  if (budget.isPending) return <Loading />;
  if (!budget.data) return <ErrorMessage error={budget.error} />;
  const b = budget.data;
  const fallback = org.data?.default_locale;
  const base = `/o/${slug}/budgets/${id}`;
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/budgets`}>{t('budgets.allProcesses')}</Link>
      </p>
      <Localized as="h1" text={b.title} fallback={fallback} />
      <p>
        <FollowButton target="budget" id={b.id} />
      </p>
      <BudgetNav slug={slug} budget={b} />
      <Localized as="p" text={b.rules_text} fallback={fallback} />
      <MoneyFacts budget={b} fallback={fallback} />
      <section aria-labelledby="budget-phases">
        <h2 id="budget-phases">{t('budgets.timeline')}</h2>
        <PhaseTimeline budget={b} />
      </section>
      <section aria-labelledby="budget-rules">
        <h2 id="budget-rules">{t('budgets.howVoting')}</h2>
        <p>{describeBallotRule(b.ballot_rule, t)}</p>
        <p>{t('budgets.outcomeIs', { rule: t(`budgets.outcome_${b.outcome_rule}`) })}</p>
        {b.min_score > 0 && <p>{t(scoreBasis(b.ballot_rule) === 'votes' ? 'budgets.minScoreVotes' : 'budgets.minScorePoints', { n: b.min_score })}</p>}
        {b.supports_threshold !== null && b.supports_threshold !== undefined && <p>{t('budgets.supportsThreshold', { n: b.supports_threshold })}</p>}
        {b.requires_verified && <p className="notice">{t('budgets.requiresVerified')}</p>}
      </section>
      <section aria-labelledby="budget-now">
        <h2 id="budget-now">{t('budgets.whatNow')}</h2>
        <p>{t(`budgets.now_${b.phase}`)}</p>
        <div className="actions">
          {b.phase === 'proposals' && user && (
            <Link className="button-link" to={`${base}/proposals/new`}>
              {t('budgets.newProposal')}
            </Link>
          )}
          {b.phase === 'voting' && (
            <Link className="button-link" to={`${base}/vote`}>
              {t('budgets.goVote')}
            </Link>
          )}
          {reached(b.phase, 'results') && (
            <Link className="button-link" to={`${base}/results`}>
              {t('budgets.seeResults')}
            </Link>
          )}
          <Link to={`${base}/proposals`}>{t('budgets.seeProposals')}</Link>
        </div>
        {b.phase === 'proposals' && user === null && (
          <p>
            <Link to={`/login?next=${base}`}>{t('budgets.logInToPropose')}</Link>
          </p>
        )}
      </section>
      {canEdit(user, slug, b) && <StaffPanel slug={slug} budget={b} />}
      {canEdit(user, slug, b) && b.phase === 'voting' && <PaperBallots slug={slug} budget={b} fallback={fallback} />}
      {reached(b.phase, 'results') && !canEdit(user, slug, b) && (
        <p>
          <a href={`/api/v1/orgs/${slug}/budgets/${id}/export.pb`} download>
            {t('budgets.export')}
          </a>
        </p>
      )}
      <LinkedDocuments org={slug} type="budget" id={id} />
    </article>
  );
}

function MoneyFacts({ budget: b, fallback }: { budget: Budget; fallback?: string }) {
  const { t } = useTranslation();
  const money = useMoney(b.total.currency);
  return (
    <dl className="facts">
      <dt>{t('budgets.total')}</dt>
      <dd>{money(b.total.amount)}</dd>
      {b.districts.length > 0 && (
        <>
          <dt>{t('budgets.districts')}</dt>
          <dd>
            <ul>
              {b.districts.map((d) => (
                <li key={d.key}>
                  <Localized text={d.name} fallback={fallback} />: {money(d.amount)}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      {b.categories.length > 0 && (
        <>
          <dt>{t('budgets.categories')}</dt>
          <dd>
            <ul>
              {b.categories.map((c) => (
                <li key={c.key}>
                  <Localized text={c.name} fallback={fallback} />
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      <dt>{t('budgets.currentPhase')}</dt>
      <dd>{t(`budgets.phase_${b.phase}`)}</dd>
    </dl>
  );
}

/** Staff move the process on one phase at a time, and export it as pabulib. */
function StaffPanel({ slug, budget: b }: { slug: string; budget: Budget }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const transition = useTransitionBudget();
  const download = useMutation({ mutationFn: () => exportBudget(slug, b.id), onSuccess: save });
  const next = b.next_phase && canTransition(user, slug, b, b.next_phase) ? b.next_phase : null;
  const busy = transition.isPending;
  const error = transition.error ?? download.error;
  // A phase change is confirmed after reading what it will do (opening the vote fixes the rules…).
  const [confirming, setConfirming] = useState(false);
  const advance = () => {
    download.reset();
    if (next) transition.mutate({ params: { path: { org: slug, id: b.id } }, body: { to: next } }, { onSettled: () => setConfirming(false) });
  };
  function save(text: string) {
    saveBlob(new Blob([text], { type: 'text/plain' }), `${b.id}.pb`);
  }
  return (
    <section aria-labelledby="budget-manage" className="panel">
      <h2 id="budget-manage">{t('budgets.manage')}</h2>
      <p>
        <Link to={`/o/${slug}/budgets/${b.id}/setup`}>{t('budgetForm.editTitle')}</Link>
      </p>
      {next && confirming ? (
        <div role="group" aria-labelledby="confirm-phase" className="confirm">
          <h3 id="confirm-phase">{t('budgetForm.confirmTitle', { phase: t(`budgets.phase_${next}`) })}</h3>
          <ul>
            {transitionConsequences(next, t).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <button type="button" disabled={busy} onClick={advance}>
            {t('budgetForm.confirm', { phase: t(`budgets.phase_${next}`) })}
          </button>{' '}
          <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : next ? (
        <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
          {t('budgets.moveTo', { phase: t(`budgets.phase_${next}`) })}
        </button>
      ) : (
        <p>{t('budgets.lastPhase')}</p>
      )}
      <p>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            transition.reset();
            download.mutate();
          }}
        >
          {t('budgets.export')}
        </button>
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}
