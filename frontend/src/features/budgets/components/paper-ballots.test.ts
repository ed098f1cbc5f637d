import { describe, expect, it } from 'vitest';
import { paperCsvHeader, rowErrors } from './paper-ballots';

describe('paper ballots', () => {
  it('asks for a district column only when the process has districts', () => {
    expect(paperCsvHeader({ districts: [] })).toBe('choices');
    expect(paperCsvHeader({ districts: [{ key: 'centrum', name: { sk: 'Centrum' }, amount: 100000 }] })).toBe('district,choices');
  });

  it("lists the server's row errors as it named them, and nothing for other problems", () => {
    const problem = { status: 422, code: 'validation-failed', errors: [{ field: 'line 3', message: 'no proposal has the code `X`' }, { field: 'line 5.choices', message: 'over the budget' }] };
    expect(rowErrors(problem)).toEqual(['line 3: no proposal has the code `X`', 'line 5.choices: over the budget']);
    expect(rowErrors({ status: 409, code: 'wrong-phase' })).toEqual([]);
    expect(rowErrors(new Error('network'))).toEqual([]);
  });
});
