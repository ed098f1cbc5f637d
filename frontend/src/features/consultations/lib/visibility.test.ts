import { describe, expect, it } from 'vitest';
import { answerErrors, answersToSend, progress, visibility, visible, type Answer, type Answers, type Condition, type Question } from './visibility';

// The domain's fixture (crates/domain/src/surveys/tests.rs), with the same cases.
const t = (s: string) => ({ en: s });
const opts = (ids: string[]) => ids.map((id) => ({ id, label: t(id) }));
const q = (id: string, required: boolean, kind: Question['kind'], condition?: Condition): Question => ({ id, text: t(id), required, kind, condition });
const choiceIs = (question: string, options: string[]): Condition => ({ type: 'choice_is', question, options });
const includes = (question: string, option: string): Condition => ({ type: 'includes', question, option });
const compare = (question: string, op: 'eq' | 'gte' | 'lte', value: number): Condition => ({ type: 'compare', question, op, value });
const single = (option: string): Answer => ({ type: 'single_choice', option });
const multi = (options: string[]): Answer => ({ type: 'multiple_choice', options });

const fixture: Question[] = [
  q('resident', true, { type: 'single_choice', options: opts(['yes', 'no']) }),
  q('district', true, { type: 'single_choice', options: opts(['north', 'south', 'centre']) }, choiceIs('resident', ['yes'])),
  q('transport', true, { type: 'multiple_choice', options: opts(['bus', 'bike', 'car', 'walk']), min_selections: 1, max_selections: 2 }),
  q('bus_line', false, { type: 'short_text', max_length: 20 }, includes('transport', 'bus')),
  q('age', true, { type: 'number', min: 15, max: 120 }),
  q('satisfaction', true, { type: 'scale', points: 5, labels: { type: 'ends', low: t('bad'), high: t('good') } }),
  q('why', false, { type: 'long_text', max_length: 200 }, { type: 'all', conditions: [compare('satisfaction', 'lte', 2), choiceIs('resident', ['yes'])] }),
  q('priorities', true, { type: 'ranking', options: opts(['parks', 'roads', 'schools', 'lighting']), top: 3 }),
  q('comment', false, { type: 'short_text', max_length: 50 }, { type: 'any', conditions: [compare('age', 'gte', 65), includes('transport', 'walk')] }),
];

const shown = (a: Answers) => fixture.filter((_, i) => visibility(fixture, a)[i]).map((x) => x.id);

describe('survey display conditions (the server rules)', () => {
  it('with no answers only unconditional questions are shown', () => {
    expect(shown({})).toEqual(['resident', 'transport', 'age', 'satisfaction', 'priorities']);
  });

  it('choice_is and includes read the chosen options', () => {
    expect(visible(fixture, 'district', { resident: single('yes') })).toBe(true);
    expect(visible(fixture, 'district', { resident: single('no') })).toBe(false);
    expect(visible(fixture, 'bus_line', { transport: multi(['car', 'bus']) })).toBe(true);
    expect(visible(fixture, 'bus_line', { transport: multi(['car']) })).toBe(false);
    expect(visible(fixture, 'bus_line', { transport: multi([]) })).toBe(false);
    expect(visible(fixture, 'district', { resident: multi(['yes']) }), 'an answer of another kind satisfies nothing').toBe(false);
  });

  it('compare reads numbers and scale points inclusively', () => {
    const comment = (age: number) => visible(fixture, 'comment', { age: { type: 'number', value: age } });
    expect([64, 65, 90].map(comment)).toEqual([false, true, true]);
    const why = (s: number) => visible(fixture, 'why', { resident: single('yes'), satisfaction: { type: 'scale', value: s } });
    expect([1, 2, 3, 4, 5].map(why)).toEqual([true, true, false, false, false]);
  });

  it('all needs every condition and any one', () => {
    expect(visible(fixture, 'why', { resident: single('no'), satisfaction: { type: 'scale', value: 1 } })).toBe(false);
    expect(visible(fixture, 'comment', { transport: multi(['walk']), age: { type: 'number', value: 30 } })).toBe(true);
    expect(visible(fixture, 'comment', { transport: multi(['car']), age: { type: 'number', value: 30 } })).toBe(false);
  });

  it('hiding spreads down a chain whatever the answers say', () => {
    const chain = [
      q('a', true, { type: 'single_choice', options: opts(['x', 'y']) }),
      q('b', false, { type: 'single_choice', options: opts(['x', 'y']) }, choiceIs('a', ['x'])),
      q('c', false, { type: 'short_text', max_length: 5 }, choiceIs('b', ['x'])),
    ];
    expect(visibility(chain, { a: single('x'), b: single('x') })).toEqual([true, true, true]);
    expect(visibility(chain, { a: single('y'), b: single('x') }), 'b is hidden, so its stale answer shows nothing').toEqual([true, false, false]);
    expect(visibility(chain, {})).toEqual([true, false, false]);
  });

  it('a question the survey does not have is not visible', () => {
    expect(visible(fixture, 'ghost', { resident: single('yes') })).toBe(false);
  });
});

describe('what the form sends and shows', () => {
  it('sends answers to shown questions only, without blanks', () => {
    const a: Answers = { resident: single('no'), district: single('north'), transport: multi([]), bus_line: { type: 'short_text', text: '7' }, why: { type: 'long_text', text: '  ' } };
    expect(answersToSend(fixture, a)).toEqual({ resident: single('no') });
  });

  it('counts progress over the shown questions', () => {
    expect(progress(fixture, {})).toEqual({ answered: 0, shown: 5 });
    expect(progress(fixture, { resident: single('yes') })).toEqual({ answered: 1, shown: 6 });
  });

  it('maps 422 field errors to their question', () => {
    const problem = { status: 422, errors: [{ field: 'answers.age', message: 'too old' }, { field: 'answers.age', message: 'again' }, { field: 'title', message: 'x' }] };
    expect(answerErrors(problem)).toEqual({ age: 'too old' });
  });
});
