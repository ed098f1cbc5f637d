import { describe, expect, it } from 'vitest';
import { areaInputs, checkArea } from './area';

describe('the area form', () => {
  it('reads a box, with commas as decimal separators', () => {
    expect(checkArea({ south: '42,93', west: '21.95', north: '43.12', east: '22.3' })).toEqual({ area: { south: 42.93, west: 21.95, north: 43.12, east: 22.3 }, errors: {} });
    expect(checkArea(areaInputs(null))).toEqual({ area: null, errors: {} });
  });

  it('names each wrong edge as the server would refuse it', () => {
    expect(checkArea({ south: '43', west: '', north: '42', east: 'x' }).errors).toEqual({ west: 'required', east: 'notANumber', north: 'northOfSouth' });
    expect(checkArea({ south: '-91', west: '181', north: '0', east: '0' }).errors).toEqual({ south: 'latitude', west: 'longitude' });
    // Across the antimeridian: west east of east is allowed.
    expect(checkArea({ south: '-20', west: '170', north: '-10', east: '-170' }).area).not.toBeNull();
  });
});
