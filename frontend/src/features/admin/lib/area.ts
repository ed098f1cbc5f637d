// The organisation's area (a bounding box in degrees) as a form holds it, checked as the server
// checks it (crates/domain/src/org.rs `Area::check`) so that mistakes show before sending.

export interface AreaInputs {
  south: string;
  west: string;
  north: string;
  east: string;
}

export interface Area {
  south: number;
  west: number;
  north: number;
  east: number;
}

export type AreaCheck = { area: Area | null; errors: Partial<Record<keyof AreaInputs, AreaError>> };
export type AreaError = 'required' | 'notANumber' | 'latitude' | 'longitude' | 'northOfSouth';

/** Reads a coordinate typed with a dot or a comma. */
function coordinate(s: string): number | null {
  const t = s.trim().replace(',', '.');
  if (!t) return null;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

/**
 * The area the inputs describe: all four empty is no area (`null`); otherwise each must be a
 * number, latitudes within ±90, longitudes within ±180, north not south of south. West may be
 * east of east: a box across the antimeridian.
 */
export function checkArea(inputs: AreaInputs): AreaCheck {
  const keys = ['south', 'west', 'north', 'east'] as const;
  const values = Object.fromEntries(keys.map((k) => [k, coordinate(inputs[k])])) as Record<keyof AreaInputs, number | null>;
  if (keys.every((k) => values[k] === null)) return { area: null, errors: {} };
  const errors: AreaCheck['errors'] = {};
  for (const k of keys) {
    const v = values[k];
    const max = k === 'south' || k === 'north' ? 90 : 180;
    if (v === null) errors[k] = 'required';
    else if (Number.isNaN(v)) errors[k] = 'notANumber';
    else if (Math.abs(v) > max) errors[k] = max === 90 ? 'latitude' : 'longitude';
  }
  if (!errors.north && !errors.south && (values.north ?? 0) < (values.south ?? 0)) errors.north = 'northOfSouth';
  if (Object.keys(errors).length > 0) return { area: null, errors };
  return { area: values as Area, errors };
}

export function areaInputs(area: Area | null | undefined): AreaInputs {
  const s = (n: number | undefined) => (n === undefined ? '' : String(n));
  return { south: s(area?.south), west: s(area?.west), north: s(area?.north), east: s(area?.east) };
}
