import { describe, expect, it } from 'vitest';
import { instantToZoned, zonedToInstant } from './time-zone';

describe('zonedToInstant', () => {
  it('reads the wall clock in the organisation’s zone, in summer and in winter', () => {
    expect(zonedToInstant('2027-03-31T17:00', 'Europe/Bratislava')).toBe('2027-03-31T15:00:00Z');
    expect(zonedToInstant('2027-01-15T09:30', 'Europe/Warsaw')).toBe('2027-01-15T08:30:00Z');
    expect(zonedToInstant('2027-07-01T00:15', 'Europe/Belgrade')).toBe('2027-06-30T22:15:00Z');
    expect(zonedToInstant('2027-07-01T12:00', 'UTC')).toBe('2027-07-01T12:00:00Z');
  });

  it('does not depend on the browser’s own zone', () => {
    // Vitest runs in whatever zone the machine has; the answer must be the same.
    expect(zonedToInstant('2026-10-25T12:00', 'America/New_York')).toBe('2026-10-25T16:00:00Z');
  });

  it('handles the daylight-saving days', () => {
    // 2027-03-28 02:30 does not exist in Central Europe; clocks jump to 03:30.
    expect(zonedToInstant('2027-03-28T02:30', 'Europe/Bratislava')).toBe('2027-03-28T01:30:00Z');
    expect(zonedToInstant('2027-03-28T03:30', 'Europe/Bratislava')).toBe('2027-03-28T01:30:00Z');
    expect(zonedToInstant('2027-10-31T04:00', 'Europe/Bratislava')).toBe('2027-10-31T03:00:00Z');
  });

  it('rejects what is not a date-time', () => {
    expect(zonedToInstant('', 'Europe/Bratislava')).toBeUndefined();
    expect(zonedToInstant('2027-02-30T10:00', 'Europe/Bratislava')).toBeUndefined();
    expect(zonedToInstant('31.3.2027 17:00', 'Europe/Bratislava')).toBeUndefined();
  });
});

describe('instantToZoned', () => {
  it('gives the wall clock for an input, and round-trips', () => {
    expect(instantToZoned('2027-03-31T15:00:00Z', 'Europe/Bratislava')).toBe('2027-03-31T17:00');
    expect(instantToZoned('2027-01-15T08:30:00Z', 'Europe/Warsaw')).toBe('2027-01-15T09:30');
    expect(zonedToInstant(instantToZoned('2027-06-30T22:15:00Z', 'Europe/Belgrade'), 'Europe/Belgrade')).toBe('2027-06-30T22:15:00Z');
    expect(instantToZoned('nonsense', 'UTC')).toBe('');
  });
});
