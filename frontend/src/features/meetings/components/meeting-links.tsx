// What a meeting serves: an action plan, commitment, consultation or budget of the organisation.
// Staff choose them on the meeting form; the meeting page links to each.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Localized, Select } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { resolveText, type Locale, type LocalizedText } from '../../../lib/language';
import { $api } from '../../../lib/query';
import { LINK_TYPES, newLinkRow, type LinkRow, type LinkType } from '../utils/meeting-form';

export interface LinkTarget {
  id: string;
  title: LocalizedText;
  href: string;
}

/** The page of a linked resource. */
export function linkHref(slug: string, type: LinkType, id: string, planId?: string): string {
  const base = `/o/${slug}`;
  switch (type) {
    case 'action_plan':
      return `${base}/action-plans/${id}`;
    case 'commitment':
      return `${base}/action-plans/${planId ?? ''}/commitments/${id}`;
    case 'consultation':
      return `${base}/consultations/${id}`;
    case 'budget':
      return `${base}/budgets/${id}`;
  }
}

/** What the organisation has of each kind a meeting can link to (the first 100 of each). */
export function useLinkTargets(slug: string): { targets: Record<LinkType, LinkTarget[]>; isPending: boolean } {
  const path = { params: { path: { org: slug }, query: { limit: 100 } } };
  const plans = $api.useQuery('get', '/api/v1/orgs/{org}/action-plans', path);
  const commitments = $api.useQuery('get', '/api/v1/orgs/{org}/commitments', path);
  const consultations = $api.useQuery('get', '/api/v1/orgs/{org}/consultations', path);
  const budgets = $api.useQuery('get', '/api/v1/orgs/{org}/budgets', path);
  const of = <T extends { id: string; title: LocalizedText }>(items: T[] | undefined, type: LinkType, plan?: (x: T) => string) =>
    (items ?? []).map((x) => ({ id: x.id, title: x.title, href: linkHref(slug, type, x.id, plan?.(x)) }));
  return {
    targets: {
      action_plan: of(plans.data?.items, 'action_plan'),
      commitment: of<Schemas['CommitmentResponse']>(commitments.data?.items, 'commitment', (c) => c.action_plan_id),
      consultation: of(consultations.data?.items, 'consultation'),
      budget: of(budgets.data?.items, 'budget'),
    },
    isPending: [plans, commitments, consultations, budgets].some((q) => q.isPending),
  };
}

interface FieldsetProps {
  /** What can be linked, by kind (`useLinkTargets`). */
  targets: Record<LinkType, LinkTarget[]>;
  links: LinkRow[];
  onChange: (links: LinkRow[]) => void;
  errors: Record<string, string>;
  fallback?: string;
}

/** The meeting form's links: one row per link, its kind and the item of that kind. */
export function LinksFieldset({ targets, links, onChange, errors, fallback }: FieldsetProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const setRow = (i: number, row: Partial<LinkRow>) => onChange(links.map((l, j) => (j === i ? { ...l, ...row } : l)));
  return (
    <fieldset>
      <legend>{t('meetingStaff.links')}</legend>
      <p className="hint">{t('meetingStaff.linksHint')}</p>
      <ol className="agenda-rows">
        {links.map((l, i) => (
          <li key={l.key}>
            <fieldset>
              <legend>{t('meetingStaff.linkN', { n: i + 1 })}</legend>
              <Select label={t('meetingStaff.linkType')} value={l.type} onChange={(e) => setRow(i, { type: e.target.value as LinkType, id: '' })}>
                {LINK_TYPES.map((k) => (
                  <option key={k} value={k}>
                    {t(`meetingStaff.linkType_${k}`)}
                  </option>
                ))}
              </Select>
              <Select label={t('meetingStaff.linkItem')} value={l.id} onChange={(e) => setRow(i, { id: e.target.value })} required error={errors[`links[${i}].id`] ?? errors[`links[${i}]`]}>
                <option value="">{t('meetingStaff.linkChoose')}</option>
                {targets[l.type].map((x) => (
                  <option key={x.id} value={x.id}>
                    {resolveText(x.title, lang, fallback)?.text ?? x.id}
                  </option>
                ))}
              </Select>
              <button type="button" className="secondary" onClick={() => onChange(links.filter((_, j) => j !== i))}>
                {t('meetingStaff.removeLink', { n: i + 1 })}
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button type="button" className="secondary" onClick={() => onChange([...links, newLinkRow()])}>
        {t('meetingStaff.addLink')}
      </button>
    </fieldset>
  );
}

/** The meeting page's links, by kind and title; one the reader may not see is left out. */
export function RelatedLinks({ slug, links }: { slug: string; links: Schemas['LinkDto'][] }) {
  const { t } = useTranslation();
  const { targets, isPending } = useLinkTargets(slug);
  if (links.length === 0 || isPending) return null;
  const shown = links.flatMap((l) => {
    const type = (LINK_TYPES as readonly string[]).includes(l.type) ? (l.type as LinkType) : undefined;
    const target = type ? targets[type].find((x) => x.id === l.id) : undefined;
    return type && target ? [{ type, target }] : [];
  });
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="related">
      <h2 id="related">{t('meetings.related')}</h2>
      <ul>
        {shown.map(({ type, target }) => (
          <li key={`${type}-${target.id}`}>
            {t(`meetingStaff.linkType_${type}`)}:{' '}
            <Link to={target.href}>
              <Localized text={target.title} />
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
