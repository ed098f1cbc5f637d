// The survey builder's rules: questions as the form edits them, moving them, which earlier
// questions a condition may name, the request body, and where the API's errors belong.
import type { components } from '../../../api/schema';
import { problemCode } from '../../../lib/errors';
import type { Condition, Question } from './visibility';

type Schemas = components['schemas'];
export type LocalizedText = Schemas['LocalizedTextDto'];
export type QuestionType = Question['kind']['type'];
export type SurveyBody = Schemas['CreateSurveyRequest'];
export type ResponsePolicy = Schemas['ResponsePolicyDto'];

export const QUESTION_TYPES: QuestionType[] = ['single_choice', 'multiple_choice', 'scale', 'ranking', 'short_text', 'long_text', 'number'];

export interface DraftOption {
  id: string;
  label: LocalizedText;
}

/** A question as the builder holds it: every kind's settings, so switching type loses nothing. */
export interface DraftQuestion {
  id: string;
  type: QuestionType;
  text: LocalizedText;
  description: LocalizedText;
  required: boolean;
  options: DraftOption[];
  minSelections: number;
  maxSelections: number | null;
  maxLength: number;
  min: number | null;
  max: number | null;
  points: number;
  labelsMode: 'ends' | 'each';
  low: LocalizedText;
  high: LocalizedText;
  eachLabels: LocalizedText[];
  top: number | null;
  /** A condition the builder edits: shown when an earlier choice question's answer is one of these. */
  condition: { question: string; options: string[] } | null;
  /** A condition of another shape (made elsewhere), kept as it is. */
  otherCondition: Condition | null;
}

export interface SurveyDraft {
  title: LocalizedText;
  description: LocalizedText;
  questions: DraftQuestion[];
  policy: ResponsePolicy;
  anonymous: boolean;
  resultsPublic: boolean;
  opensAt: string | null;
  closesAt: string | null;
}

const CHOICE: QuestionType[] = ['single_choice', 'multiple_choice', 'ranking'];

export function hasOptions(type: QuestionType): boolean {
  return CHOICE.includes(type);
}

/** A key not among `taken`: `prefix1`, `prefix2`, … */
export function freshId(prefix: string, taken: readonly string[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

export function newQuestion(type: QuestionType, taken: readonly string[]): DraftQuestion {
  return {
    id: freshId('q', taken),
    type,
    text: {},
    description: {},
    required: false,
    options: hasOptions(type) ? [{ id: 'o1', label: {} }, { id: 'o2', label: {} }] : [],
    minSelections: 0,
    maxSelections: null,
    maxLength: type === 'long_text' ? 2000 : 200,
    min: null,
    max: null,
    points: 5,
    labelsMode: 'ends',
    low: {},
    high: {},
    eachLabels: [],
    top: null,
    condition: null,
    otherCondition: null,
  };
}

export function fromQuestion(q: Question): DraftQuestion {
  const d = newQuestion(q.kind.type, []);
  d.id = q.id;
  d.text = { ...q.text };
  d.description = { ...(q.description ?? {}) };
  d.required = q.required;
  const k = q.kind;
  if (k.type === 'single_choice' || k.type === 'multiple_choice' || k.type === 'ranking') d.options = k.options.map((o) => ({ id: o.id, label: { ...o.label } }));
  if (k.type === 'multiple_choice') {
    d.minSelections = k.min_selections ?? 0;
    d.maxSelections = k.max_selections ?? null;
  }
  if (k.type === 'short_text' || k.type === 'long_text') d.maxLength = k.max_length;
  if (k.type === 'number') {
    d.min = k.min ?? null;
    d.max = k.max ?? null;
  }
  if (k.type === 'scale') {
    d.points = k.points;
    if (k.labels.type === 'ends') {
      d.low = { ...k.labels.low };
      d.high = { ...k.labels.high };
    } else {
      d.labelsMode = 'each';
      d.eachLabels = k.labels.labels.map((l) => ({ ...l }));
    }
  }
  if (k.type === 'ranking') d.top = k.top ?? null;
  if (q.condition?.type === 'choice_is') d.condition = { question: q.condition.question, options: [...q.condition.options] };
  else if (q.condition?.type === 'includes') d.condition = { question: q.condition.question, options: [q.condition.option] };
  else d.otherCondition = q.condition ?? null;
  return d;
}

/** Only the filled-in languages. */
export function cleanText(t: LocalizedText): LocalizedText {
  const out: Record<string, string> = {};
  for (const [l, s] of Object.entries(t)) if (typeof s === 'string' && s.trim()) out[l] = s.trim();
  return out as LocalizedText;
}

function kindOf(d: DraftQuestion): Question['kind'] {
  const options = d.options.map((o) => ({ id: o.id, label: cleanText(o.label) }));
  switch (d.type) {
    case 'single_choice':
      return { type: 'single_choice', options };
    case 'multiple_choice':
      return { type: 'multiple_choice', options, min_selections: d.minSelections, max_selections: d.maxSelections };
    case 'ranking':
      return { type: 'ranking', options, top: d.top };
    case 'short_text':
      return { type: 'short_text', max_length: d.maxLength };
    case 'long_text':
      return { type: 'long_text', max_length: d.maxLength };
    case 'number':
      return { type: 'number', min: d.min, max: d.max };
    case 'scale':
      return {
        type: 'scale',
        points: d.points,
        labels:
          d.labelsMode === 'ends'
            ? { type: 'ends', low: cleanText(d.low), high: cleanText(d.high) }
            : { type: 'each', labels: Array.from({ length: d.points }, (_, i) => cleanText(d.eachLabels[i] ?? {})) },
      };
  }
}

/** The condition as the API takes it, given the questions before this one. */
export function conditionOf(d: DraftQuestion, earlier: readonly DraftQuestion[]): Condition | null {
  if (d.otherCondition) return d.otherCondition;
  const c = d.condition;
  const target = c && earlier.find((q) => q.id === c.question);
  if (!c || !target || c.options.length === 0) return null;
  if (target.type === 'multiple_choice') {
    const conditions: Condition[] = c.options.map((option) => ({ type: 'includes', question: c.question, option }));
    return conditions.length === 1 ? (conditions[0] ?? null) : { type: 'any', conditions };
  }
  return { type: 'choice_is', question: c.question, options: [...c.options] };
}

export function toQuestion(d: DraftQuestion, earlier: readonly DraftQuestion[]): Question {
  const description = cleanText(d.description);
  return {
    id: d.id,
    text: cleanText(d.text),
    description: Object.keys(description).length ? description : null,
    required: d.required,
    condition: conditionOf(d, earlier),
    kind: kindOf(d),
  };
}

export function surveyBody(s: SurveyDraft): SurveyBody {
  return {
    title: cleanText(s.title),
    description: cleanText(s.description),
    questions: s.questions.map((q, i) => toQuestion(q, s.questions.slice(0, i))),
    policy: s.policy,
    anonymous: s.anonymous,
    results_public: s.resultsPublic,
    opens_at: s.opensAt,
    closes_at: s.closesAt,
  };
}

/** Earlier questions a condition of question `index` may name: single or multiple choice. */
export function conditionTargets(questions: readonly DraftQuestion[], index: number): DraftQuestion[] {
  return questions.slice(0, index).filter((q) => q.type === 'single_choice' || q.type === 'multiple_choice');
}

/**
 * Drops conditions that no longer name an earlier choice question (after a move, a removal or a
 * change of type), and options that question no longer has.
 */
export function pruneConditions(questions: readonly DraftQuestion[]): DraftQuestion[] {
  return questions.map((q, i) => {
    if (!q.condition) return q;
    const c = q.condition;
    const target = conditionTargets(questions, i).find((t) => t.id === c.question);
    if (!target) return { ...q, condition: null };
    const options = c.options.filter((o) => target.options.some((x) => x.id === o));
    return options.length === c.options.length ? q : { ...q, condition: { ...c, options } };
  });
}

/** The list with question `index` moved by `delta` places (clamped), conditions pruned. */
export function moveQuestion(questions: readonly DraftQuestion[], index: number, delta: number): DraftQuestion[] {
  const to = Math.max(0, Math.min(questions.length - 1, index + delta));
  const list = [...questions];
  const [q] = list.splice(index, 1);
  if (!q) return [...questions];
  list.splice(to, 0, q);
  return pruneConditions(list);
}

export function removeQuestion(questions: readonly DraftQuestion[], index: number): DraftQuestion[] {
  return pruneConditions(questions.filter((_, i) => i !== index));
}

/** The API's 422 errors: by question index (`questions[i]…`), and the rest by field. */
export function errorsOf(problem: unknown): { questions: Record<number, string>; fields: Record<string, string> } {
  const questions: Record<number, string> = {};
  const fields: Record<string, string> = {};
  if (typeof problem === 'object' && problem && 'errors' in problem && Array.isArray(problem.errors)) {
    for (const e of problem.errors as { field: string; message: string }[]) {
      const m = /^questions\[(\d+)\]/.exec(e.field);
      if (m) questions[Number(m[1])] ??= e.message;
      else fields[e.field] ??= e.message;
    }
  }
  return { questions, fields };
}

/** The API refused a change of questions because the survey has responses. */
export function isStructureLocked(problem: unknown): boolean {
  const code = problemCode(problem);
  return code === 'survey-structure-locked' || code === 'survey-settings-locked';
}

/**
 * The saved questions (`saved`) with the texts edited in `draft` — question texts and
 * explanations, option and scale labels, matched by id — so that after a 409 the structural
 * changes can be undone while the text corrections stay.
 */
export function keepTexts(saved: readonly DraftQuestion[], draft: readonly DraftQuestion[]): DraftQuestion[] {
  return saved.map((s) => {
    const d = draft.find((x) => x.id === s.id);
    if (!d) return s;
    return {
      ...s,
      text: d.text,
      description: d.description,
      options: s.options.map((o) => ({ ...o, label: d.options.find((x) => x.id === o.id)?.label ?? o.label })),
      low: d.low,
      high: d.high,
      eachLabels: s.eachLabels.map((l, i) => d.eachLabels[i] ?? l),
    };
  });
}
