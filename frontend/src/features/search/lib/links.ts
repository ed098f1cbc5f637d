import type { SearchHit } from '../api';

/** The SPA page of a hit. */
export function hitHref(slug: string, hit: SearchHit): string {
  const base = `/o/${slug}`;
  switch (hit.kind) {
    case 'action_plan':
      return `${base}/action-plans/${hit.id}`;
    case 'commitment':
      return `${base}/action-plans/${hit.action_plan_id ?? ''}/commitments/${hit.id}`;
    case 'meeting':
      return `${base}/meetings/${hit.id}`;
    case 'consultation':
      return `${base}/consultations/${hit.id}`;
    case 'survey':
      return `${base}/surveys/${hit.id}`;
    case 'budget':
      return `${base}/budgets/${hit.id}`;
    case 'proposal':
      return `${base}/budgets/${hit.budget_id ?? ''}/proposals/${hit.id}`;
    case 'report':
      return `${base}/reports/${hit.id}`;
  }
}

/** The kinds in the order the results page shows their groups. */
export const KINDS = ['action_plan', 'commitment', 'meeting', 'consultation', 'survey', 'budget', 'proposal', 'report'] as const;
