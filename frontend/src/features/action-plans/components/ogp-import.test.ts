import { describe, expect, it } from 'vitest';
import { cellOf } from './ogp-import';

describe('cellOf', () => {
  it('reads the row and the column of an import error, and leaves other fields alone', () => {
    expect(cellOf('rows[3].start_date')).toEqual({ row: 3, column: 'start_date' });
    expect(cellOf('rows[12].commitment_ref')).toEqual({ row: 12, column: 'commitment_ref' });
    expect(cellOf('file')).toBeNull();
  });
});
