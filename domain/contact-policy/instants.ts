import { DateTime } from 'luxon';
import type { Instant } from './types';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Thrown for input no caller should send: a programming error, not a policy outcome. */
export class ContactPolicyInputError extends Error {
  override readonly name = 'ContactPolicyInputError';
}

// A local time without an offset would be read in whatever zone the process runs in.
const EXPLICIT_OFFSET = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
// The ECMAScript date-time format, which Date.parse reads exactly and fast; the rest goes to luxon.
const ECMASCRIPT_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an instant; ISO strings must carry an offset. */
export function toMillis(instant: Instant, field = 'instant'): number {
  if (typeof instant === 'number') {
    if (!Number.isFinite(instant))
      throw new ContactPolicyInputError(`${field}: ${instant} is not an instant`);
    return instant;
  }
  if (!EXPLICIT_OFFSET.test(instant)) {
    throw new ContactPolicyInputError(`${field}: '${instant}' has no offset; write Z or +hh:mm`);
  }
  if (ECMASCRIPT_INSTANT.test(instant)) {
    const ms = Date.parse(instant);
    if (Number.isFinite(ms)) return ms;
  }
  const parsed = DateTime.fromISO(instant, { setZone: true });
  if (!parsed.isValid) throw new ContactPolicyInputError(`${field}: '${instant}' is not an ISO 8601 instant`);
  return parsed.toMillis();
}

/** UTC ISO text, the form every instant in a decision takes. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
