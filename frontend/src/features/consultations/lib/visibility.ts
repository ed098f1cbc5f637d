import type { components } from '../../../api/schema';

export type Question = components['schemas']['QuestionDto'];
export type Condition = components['schemas']['ConditionDto'];
export type Answer = components['schemas']['AnswerDto'];
/** Answers by question id, as the form holds them. */
export type Answers = Record<string, Answer | undefined>;

/**
 * Whether each question is shown, in survey order: the same rules as the server's
 * `pnyx_domain::surveys::visibility` (so the form never asks what the server would refuse).
 *
 * - no condition: shown; a condition: shown when it holds;
 * - a leaf condition about question A holds only when A is itself shown, answered, with an
 *   answer of the kind the condition reads that satisfies it — so hiding spreads down a chain;
 * - `choice_is`: A's single choice is one of the options; `includes`: A's choices include the
 *   option; `compare`: A's number or scale point is `eq`/`gte`/`lte` the value;
 * - `all`: every sub-condition holds; `any`: at least one does.
 *
 * Conditions refer only to earlier questions, so one pass in order decides them all.
 */
export function visibility(questions: readonly Question[], answers: Answers): boolean[] {
  const position = new Map(questions.map((q, i) => [q.id, i]));
  const shown: boolean[] = [];
  const shownAnswer = (id: string): Answer | undefined => {
    const at = position.get(id);
    return at !== undefined && shown[at] === true ? answers[id] : undefined;
  };
  const holds = (c: Condition): boolean => {
    switch (c.type) {
      case 'choice_is': {
        const a = shownAnswer(c.question);
        return a?.type === 'single_choice' && c.options.includes(a.option);
      }
      case 'includes': {
        const a = shownAnswer(c.question);
        return a?.type === 'multiple_choice' && a.options.includes(c.option);
      }
      case 'compare': {
        const a = shownAnswer(c.question);
        if (a?.type !== 'number' && a?.type !== 'scale') return false;
        if (c.op === 'eq') return a.value === c.value;
        return c.op === 'gte' ? a.value >= c.value : a.value <= c.value;
      }
      case 'all':
        return c.conditions.every(holds);
      case 'any':
        return c.conditions.some(holds);
    }
  };
  for (const q of questions) shown.push(q.condition ? holds(q.condition) : true);
  return shown;
}

/** Whether the question `id` is shown; a question the survey does not have is not. */
export function visible(questions: readonly Question[], id: string, answers: Answers): boolean {
  const at = questions.findIndex((q) => q.id === id);
  return at >= 0 && visibility(questions, answers)[at] === true;
}

/** An empty selection or ranking, or a blank text: the same as no answer (as on the server). */
export function isBlank(a: Answer | undefined): boolean {
  if (!a) return true;
  switch (a.type) {
    case 'multiple_choice':
    case 'ranking':
      return a.options.length === 0;
    case 'short_text':
    case 'long_text':
      return a.text.trim() === '';
    default:
      return false;
  }
}

/** What to send: answers to shown questions only, blanks dropped. */
export function answersToSend(questions: readonly Question[], answers: Answers): Record<string, Answer> {
  const shown = visibility(questions, answers);
  const out: Record<string, Answer> = {};
  questions.forEach((q, i) => {
    const a = answers[q.id];
    if (shown[i] && a && !isBlank(a)) out[q.id] = a;
  });
  return out;
}

/** Progress through the shown questions: how many are answered, of how many. */
export function progress(questions: readonly Question[], answers: Answers): { answered: number; shown: number } {
  const shown = visibility(questions, answers);
  let answered = 0;
  let total = 0;
  questions.forEach((q, i) => {
    if (!shown[i]) return;
    total += 1;
    if (!isBlank(answers[q.id])) answered += 1;
  });
  return { answered, shown: total };
}

/** Field errors of a 422 by question id (`answers.<id>` → message). */
export function answerErrors(problem: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const errors = (problem as { errors?: { field: string; message: string }[] } | undefined)?.errors ?? [];
  for (const e of errors) {
    if (e.field.startsWith('answers.')) out[e.field.slice('answers.'.length)] ??= e.message;
  }
  return out;
}
