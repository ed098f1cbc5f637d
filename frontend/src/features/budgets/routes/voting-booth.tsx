import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized, Select } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { resolveText, type Locale } from '../../../lib/language';
import { BudgetNav, useMoney } from '../components/parts';
import {
  ballotBody,
  ballotBudget,
  boothProblem,
  castBlocker,
  choose,
  costOf,
  counters,
  describeBallotRule,
  move,
  picksFrom,
  picksLeft,
  pointsLeft,
  refusalText,
  remainingBudget,
  shortfallText,
  spentOn,
  unchoose,
  whyNot,
  type BoothContext,
  type Budget,
  type Choice,
  type Counter,
  type Proposal,
} from '../lib/budgets';
import { useBudget, useCastBallot, useMyBallot, useOrg, useProposals } from '../api';

/** The voting booth: the ballot of the process (or the chosen district) under its rule. */
export function VotingBooth() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const budget = useBudget(slug, id);
  const [chosenDistrict, setDistrict] = useState<string | null>(null);
  const b = budget.data;
  const district = b && b.districts.length > 0 ? (chosenDistrict ?? b.districts[0]?.key ?? null) : null;
  const proposals = useProposals(slug, id, { on_ballot: true });

  if (budget.isPending) return <Loading />;
  if (!b) return <ErrorMessage error={budget.error} />;
  const fallback = org.data?.default_locale;
  const base = `/o/${slug}/budgets/${id}`;
  return (
    <section>
      <p>
        <Link to={base}>{t('budgets.backToProcess')}</Link>
      </p>
      <h1>{t('budgets.boothTitle', { title: resolveText(b.title, lang, fallback)?.text ?? '' })}</h1>
      <BudgetNav slug={slug} budget={b} />
      <p>{describeBallotRule(b.ballot_rule, t)}</p>
      {b.requires_verified && <p className="notice">{t('budgets.requiresVerified')}</p>}
      {b.phase !== 'voting' ? (
        <p role="status">{t('budgets.votingClosed')}</p>
      ) : user === undefined ? (
        <Loading />
      ) : user === null ? (
        <p>
          <Link to={`/login?next=${base}/vote`}>{t('budgets.logInToVote')}</Link>
        </p>
      ) : (
        <>
          {b.districts.length > 0 && b.district_voting === 'one' && <p className="notice">{t('budgets.oneDistrictNote')}</p>}
          {b.districts.length > 0 && (
            <Select label={t('budgets.yourDistrict')} value={district ?? ''} onChange={(e) => setDistrict(e.target.value)}>
              {b.districts.map((d) => (
                <option key={d.key} value={d.key}>
                  {resolveText(d.name, lang, fallback)?.text ?? d.key}
                </option>
              ))}
            </Select>
          )}
          {proposals.isPending && <Loading />}
          <ErrorMessage error={proposals.error} />
          {proposals.data && (
            <Ballot
              key={district ?? ''}
              slug={slug}
              budget={b}
              district={district}
              projects={proposals.data.items.filter((p) => (p.district ?? null) === district)}
              fallback={fallback}
            />
          )}
        </>
      )}
    </section>
  );
}

type Mode = { kind: 'edit' } | { kind: 'cast'; picks: Choice[] };

/** One ballot: shows the one already cast (if any), or the booth to fill in and cast it. */
function Ballot({ slug, budget: b, district, projects, fallback }: { slug: string; budget: Budget; district: string | null; projects: Proposal[]; fallback?: string }) {
  const { t } = useTranslation();
  const rule = b.ballot_rule;
  const current = useMyBallot(slug, b.id, district);
  const casting = useCastBallot();
  const [mode, setMode] = useState<Mode | null>(null);
  const [picks, setPicks] = useState<Choice[] | null>(null);
  const error = casting.error;
  const busy = casting.isPending;
  // A fresh key per ballot filled in: a retry of the same cast is then harmless.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  if (current.isPending) return <Loading />;
  const stored = current.data ? picksFrom(current.data, rule) : null;
  const shown: Mode = mode ?? (stored && stored.length > 0 ? { kind: 'cast', picks: stored } : { kind: 'edit' });
  const working = picks ?? stored ?? [];
  const costs = Object.fromEntries(projects.map((p) => [p.id, costOf(p)]));
  const ctx: BoothContext = { rule, limit: ballotBudget(b, district), costs };

  const cast = () =>
    casting.mutate(
      { params: { path: { org: slug, id: b.id }, header: { 'Idempotency-Key': idempotencyKey } }, body: ballotBody(working, rule, district) },
      {
        onSuccess: (ballot) => {
          setIdempotencyKey(crypto.randomUUID());
          setMode({ kind: 'cast', picks: ballot ? picksFrom(ballot, rule) : working });
        },
      },
    );

  if (shown.kind === 'cast') {
    return (
      <CastBallot
        picks={shown.picks}
        projects={projects}
        budget={b}
        fallback={fallback}
        justCast={mode?.kind === 'cast'}
        onChange={() => {
          setPicks(shown.picks);
          setMode({ kind: 'edit' });
        }}
      />
    );
  }
  const problem = boothProblem(error);
  const blocker = castBlocker(working, rule);
  return (
    <>
      {current.data && <p className="notice">{t('budgets.changingBallot')}</p>}
      <Counters picks={working} ctx={ctx} currency={b.total.currency} />
      {projects.length === 0 ? (
        <p>{t('budgets.noProjectsOnBallot')}</p>
      ) : (
        <ul className="booth-list" aria-label={t('budgets.projectsOnBallot')}>
          {projects.map((p) => (
            <BoothItem key={p.id} project={p} picks={working} ctx={ctx} fallback={fallback} onChange={setPicks} />
          ))}
        </ul>
      )}
      {problem?.kind === 'rule' && (
        <p role="alert" className="error">
          {t('budgets.ruleBroken', { message: problem.message })}
        </p>
      )}
      {problem?.kind === 'not-verified' && (
        <p role="alert" className="error">
          {t('budgets.notVerified')}
        </p>
      )}
      {!problem && <ErrorMessage error={error} />}
      {blocker && <p id="cast-blocker">{shortfallText(blocker, t)}</p>}
      <div className="actions">
        <button type="button" disabled={busy || blocker !== null} aria-describedby={blocker ? 'cast-blocker' : undefined} onClick={() => void cast()}>
          {t('budgets.cast')}
        </button>
        {current.data && (
          <button type="button" className="secondary" onClick={() => setMode(null)}>
            {t('budgets.keepBallot')}
          </button>
        )}
      </div>
    </>
  );
}

/** The live counter; the resident picks which one to see. */
function Counters({ picks, ctx, currency }: { picks: Choice[]; ctx: BoothContext; currency: string }) {
  const { t } = useTranslation();
  const money = useMoney(currency);
  const options = counters(ctx.rule);
  const [which, setWhich] = useState<Counter>(options[0] ?? 'budget');
  const legendId = useId();
  const value = (c: Counter) => {
    if (c === 'budget') {
      return ctx.rule.kind === 'approval' && ctx.rule.knapsack
        ? t('budgets.remainingBudget', { left: money(remainingBudget(picks, ctx)), total: money(ctx.limit) })
        : t('budgets.chosenCost', { spent: money(spentOn(picks, ctx.costs)), total: money(ctx.limit) });
    }
    if (c === 'picks') {
      const left = picksLeft(picks, ctx.rule);
      return left === null ? t('budgets.picksChosen', { n: picks.length }) : t('budgets.picksLeft', { n: left });
    }
    return t('budgets.pointsLeft', { n: pointsLeft(picks, ctx.rule) ?? 0 });
  };
  return (
    <div className="booth-counter">
      {options.length > 1 && (
        <fieldset aria-labelledby={legendId}>
          <legend id={legendId}>{t('budgets.showCounter')}</legend>
          {options.map((c) => (
            <label key={c} className="inline-choice">
              <input type="radio" name="counter" value={c} checked={which === c} onChange={() => setWhich(c)} /> {t(`budgets.counter_${c}`)}{' '}
            </label>
          ))}
        </fieldset>
      )}
      <p aria-live="polite" aria-atomic="true">
        <strong>{value(options.includes(which) ? which : (options[0] ?? 'budget'))}</strong>
      </p>
    </div>
  );
}

function BoothItem({ project: p, picks, ctx, fallback, onChange }: { project: Proposal; picks: Choice[]; ctx: BoothContext; fallback?: string; onChange: (picks: Choice[]) => void }) {
  const { t, i18n } = useTranslation();
  const money = useMoney(p.estimated_cost.currency);
  const reasonId = useId();
  const title = resolveText(p.title, i18n.language as Locale, fallback)?.text ?? p.code;
  const chosen = picks.find((c) => c.id === p.id);
  const refusal = whyNot(p.id, picks, ctx);
  const reason = refusal && (ctx.rule.kind === 'cumulative' || !chosen) ? refusalText(refusal, t, money) : null;
  const rank = picks.findIndex((c) => c.id === p.id);
  const rule = ctx.rule;
  return (
    <li className={`booth-item${chosen ? ' chosen' : ''}`}>
      <h3>{title}</h3>
      <p>
        {t('budgets.costIs', { cost: money(ctx.costs[p.id] ?? 0) })}
        {p.location && <> · {t('budgets.locationIs', { location: p.location })}</>}
      </p>
      <Localized as="p" text={p.description} fallback={fallback} />
      {rule.kind === 'approval' && (
        <label className="inline-choice">
          <input
            type="checkbox"
            checked={!!chosen}
            disabled={!chosen && !!refusal}
            aria-describedby={reason ? reasonId : undefined}
            onChange={(e) => onChange(e.target.checked ? choose(p.id, picks, ctx) : unchoose(p.id, picks, rule))}
          />{' '}
          {t('budgets.chooseProject', { title })}
        </label>
      )}
      {rule.kind === 'cumulative' && (
        <div className="actions">
          <span>{t('budgets.pointsGiven', { n: chosen?.points ?? 0 })}</span>
          <button type="button" disabled={!!refusal} aria-describedby={reason ? reasonId : undefined} onClick={() => onChange(choose(p.id, picks, ctx))}>
            {t('budgets.addPoint', { title })}
          </button>
          <button type="button" className="secondary" disabled={!chosen} onClick={() => onChange(unchoose(p.id, picks, rule))}>
            {t('budgets.removePoint', { title })}
          </button>
        </div>
      )}
      {rule.kind === 'ranking' &&
        (chosen ? (
          <div className="actions">
            <span>{t('budgets.rankIs', { n: rank + 1 })}</span>
            <button type="button" className="secondary" disabled={rank === 0} onClick={() => onChange(move(p.id, picks, -1))}>
              {t('budgets.rankUp', { title })}
            </button>
            <button type="button" className="secondary" disabled={rank === picks.length - 1} onClick={() => onChange(move(p.id, picks, 1))}>
              {t('budgets.rankDown', { title })}
            </button>
            <button type="button" className="secondary" onClick={() => onChange(unchoose(p.id, picks, rule))}>
              {t('budgets.unrank', { title })}
            </button>
          </div>
        ) : (
          <button type="button" disabled={!!refusal} aria-describedby={reason ? reasonId : undefined} onClick={() => onChange(choose(p.id, picks, ctx))}>
            {t('budgets.rankProject', { title })}
          </button>
        ))}
      {reason && (
        <p id={reasonId} className="why-not">
          {reason}
        </p>
      )}
    </li>
  );
}

/** A ballot as cast: the confirmation right after casting, or the current ballot on return. */
function CastBallot({ picks, projects, budget: b, fallback, justCast, onChange }: { picks: Choice[]; projects: Proposal[]; budget: Budget; fallback?: string; justCast: boolean; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const money = useMoney(b.total.currency);
  const lang = i18n.language as Locale;
  const costs = Object.fromEntries(projects.map((p) => [p.id, costOf(p)]));
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // The confirmation takes the focus, so a screen reader announces it right after casting.
  useEffect(() => {
    if (justCast) heading.current?.focus();
  }, [justCast]);
  return (
    <section aria-labelledby={headingId} className={justCast ? 'confirmation' : 'panel'}>
      <h2 id={headingId} tabIndex={-1} ref={heading}>
        {justCast ? t('budgets.castDone') : t('budgets.yourBallot')}
      </h2>
      <ol>
        {picks.map((c) => {
          const p = projects.find((x) => x.id === c.id);
          const title = p ? (resolveText(p.title, lang, fallback)?.text ?? p.code) : c.id;
          return (
            <li key={c.id}>
              {title} – {money(costs[c.id] ?? 0)}
              {b.ballot_rule.kind === 'cumulative' && <> – {t('budgets.pointsGiven', { n: c.points })}</>}
            </li>
          );
        })}
      </ol>
      <p>{t('budgets.castTotal', { total: money(spentOn(picks, costs)) })}</p>
      <p>{t('budgets.secretBallot')}</p>
      <button type="button" onClick={onChange}>
        {t('budgets.changeBallot')}
      </button>
    </section>
  );
}
