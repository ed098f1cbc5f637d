import { describe, expect, it } from 'vitest';
import {
  conditionTargets,
  errorsOf,
  fromQuestion,
  isStructureLocked,
  keepTexts,
  moveQuestion,
  newQuestion,
  removeQuestion,
  surveyBody,
  type DraftQuestion,
  type SurveyDraft,
} from './builder';
import type { Question } from './visibility';

function q(id: string, type: DraftQuestion['type'], change: Partial<DraftQuestion> = {}): DraftQuestion {
  return { ...newQuestion(type, []), id, text: { pl: `Pytanie ${id}` }, ...change };
}

const used = q('used', 'single_choice', {
  required: true,
  options: [
    { id: 'tak', label: { pl: 'Tak', en: ' ' } },
    { id: 'nie', label: { pl: 'Nie' } },
  ],
});
const whyNot = q('why_not', 'long_text', { condition: { question: 'used', options: ['nie'] } });

function draft(questions: DraftQuestion[]): SurveyDraft {
  return { title: { pl: ' Ankieta ', en: '' }, description: {}, questions, policy: 'one_per_resident_refuse', anonymous: true, resultsPublic: false, opensAt: null, closesAt: null };
}

describe('surveyBody', () => {
  it('builds the request: trimmed texts in the filled-in languages, each kind with its settings, conditions', () => {
    const scale = q('ease', 'scale', { points: 5, low: { pl: 'Źle' }, high: { pl: 'Dobrze' } });
    const pick = q('channels', 'multiple_choice', { maxSelections: 2, options: [{ id: 'www', label: { pl: 'Strona' } }, { id: 'fb', label: { pl: 'Facebook' } }] });
    const body = surveyBody(draft([used, whyNot, scale, pick, q('age', 'number', { min: 0, max: 120 })]));
    expect(body.title).toEqual({ pl: 'Ankieta' });
    expect(body.anonymous).toBe(true);
    expect(body.questions[0]).toEqual({
      id: 'used',
      text: { pl: 'Pytanie used' },
      description: null,
      required: true,
      condition: null,
      kind: { type: 'single_choice', options: [{ id: 'tak', label: { pl: 'Tak' } }, { id: 'nie', label: { pl: 'Nie' } }] },
    });
    expect(body.questions[1]?.condition).toEqual({ type: 'choice_is', question: 'used', options: ['nie'] });
    expect(body.questions[1]?.kind).toEqual({ type: 'long_text', max_length: 2000 });
    expect(body.questions[2]?.kind).toEqual({ type: 'scale', points: 5, labels: { type: 'ends', low: { pl: 'Źle' }, high: { pl: 'Dobrze' } } });
    expect(body.questions[3]?.kind).toEqual({ type: 'multiple_choice', options: [{ id: 'www', label: { pl: 'Strona' } }, { id: 'fb', label: { pl: 'Facebook' } }], min_selections: 0, max_selections: 2 });
    expect(body.questions[4]?.kind).toEqual({ type: 'number', min: 0, max: 120 });
  });

  it('gives a scale with a label per point exactly one label per point', () => {
    const body = surveyBody(draft([q('s', 'scale', { points: 3, labelsMode: 'each', eachLabels: [{ pl: 'a' }, { pl: 'b' }, { pl: 'c' }, { pl: 'd' }] })]));
    expect(body.questions[0]?.kind).toEqual({ type: 'scale', points: 3, labels: { type: 'each', labels: [{ pl: 'a' }, { pl: 'b' }, { pl: 'c' }] } });
  });

  it('reads a multiple-choice condition as "includes", any of the options', () => {
    const pick = q('pick', 'multiple_choice', { options: [{ id: 'a', label: { pl: 'A' } }, { id: 'b', label: { pl: 'B' } }] });
    const one = surveyBody(draft([pick, q('x', 'short_text', { condition: { question: 'pick', options: ['a'] } })]));
    expect(one.questions[1]?.condition).toEqual({ type: 'includes', question: 'pick', option: 'a' });
    const two = surveyBody(draft([pick, q('x', 'short_text', { condition: { question: 'pick', options: ['a', 'b'] } })]));
    expect(two.questions[1]?.condition).toEqual({
      type: 'any',
      conditions: [
        { type: 'includes', question: 'pick', option: 'a' },
        { type: 'includes', question: 'pick', option: 'b' },
      ],
    });
  });

  it('round-trips a question read from the API', () => {
    const api: Question = {
      id: 'rank',
      text: { pl: 'Uszereguj' },
      description: { pl: 'Trzy najważniejsze' },
      required: false,
      condition: { type: 'compare', question: 'age', op: 'gte', value: 18 },
      kind: { type: 'ranking', options: [{ id: 'a', label: { pl: 'A' } }], top: 1 },
    };
    const body = surveyBody(draft([q('age', 'number'), fromQuestion(api)]));
    expect(body.questions[1]).toEqual(api);
  });
});

describe('reordering', () => {
  it('moves a question up or down, clamped at the ends', () => {
    const list = [used, q('b', 'number'), q('c', 'number')];
    expect(moveQuestion(list, 2, -1).map((x) => x.id)).toEqual(['used', 'c', 'b']);
    expect(moveQuestion(list, 0, 1).map((x) => x.id)).toEqual(['b', 'used', 'c']);
    expect(moveQuestion(list, 0, -1).map((x) => x.id)).toEqual(['used', 'b', 'c']);
  });

  it('drops a condition that would no longer refer to an earlier question', () => {
    const moved = moveQuestion([used, whyNot], 1, -1);
    expect(moved.map((x) => x.id)).toEqual(['why_not', 'used']);
    expect(moved[0]?.condition).toBeNull();
    expect(removeQuestion([used, whyNot], 0)[0]?.condition).toBeNull();
  });
});

describe('conditionTargets', () => {
  it('offers only earlier single and multiple choice questions', () => {
    const list = [q('n', 'number'), used, q('m', 'multiple_choice'), q('me', 'short_text'), q('later', 'single_choice')];
    expect(conditionTargets(list, 3).map((x) => x.id)).toEqual(['used', 'm']);
    expect(conditionTargets(list, 0)).toEqual([]);
  });
});

describe('errors', () => {
  it('puts 422 errors next to their question or field', () => {
    const problem = {
      status: 422,
      code: 'validation-failed',
      errors: [
        { field: 'questions[1]', message: 'refers to a later question' },
        { field: 'questions[1].kind', message: 'second' },
        { field: 'title.pl', message: 'required' },
      ],
    };
    expect(errorsOf(problem)).toEqual({ questions: { 1: 'refers to a later question' }, fields: { 'title.pl': 'required' } });
  });

  it('recognises the refusal of structural changes once there are responses', () => {
    expect(isStructureLocked({ status: 409, code: 'survey-structure-locked' })).toBe(true);
    expect(isStructureLocked({ status: 409, code: 'already-responded' })).toBe(false);
  });
});

describe('keepTexts', () => {
  it('undoes structural changes but keeps the corrected texts', () => {
    const saved = [used, whyNot];
    const edited = [{ ...used, text: { pl: 'Czy korzystał(a) Pan/Pani z platformy?' }, options: [{ id: 'tak', label: { pl: 'Tak, korzystałem' } }] }, q('new', 'number')];
    const back = keepTexts(saved, edited);
    expect(back.map((x) => x.id)).toEqual(['used', 'why_not']);
    expect(back[0]?.text).toEqual({ pl: 'Czy korzystał(a) Pan/Pani z platformy?' });
    expect(back[0]?.options).toEqual([
      { id: 'tak', label: { pl: 'Tak, korzystałem' } },
      { id: 'nie', label: { pl: 'Nie' } },
    ]);
    expect(back[1]).toBe(whyNot);
  });
});
