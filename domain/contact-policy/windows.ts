import { ContactPolicyInputError, DAY_MS } from './instants';
import { WEEKDAYS, type InconvenientTime, type LocalTime, type Weekday } from './types';
import {
  addDays,
  dateKey,
  isoWeekday,
  localDateOf,
  wallClock,
  type ClockTime,
  type LocalDate,
} from './zone-clock';

/**
 * Time windows as sets of instants. Every local wall-clock time is turned into an instant by
 * luxon in its IANA zone (zone-clock.ts), so daylight-saving days (23 or 25 hours, skipped or
 * repeated hours) come out right without arithmetic of our own; from then on it is interval
 * algebra on epoch milliseconds, where zones no longer matter.
 */

/** `[start, end)` in epoch milliseconds. */
export type Interval = readonly [start: number, end: number];

/** A rule's contribution to when contact is allowed, on the debtor's wall clock. */
export type TimeConstraint =
  /** Allowed every day from `from` until `to` (exclusive). */
  | { readonly kind: 'daily'; readonly from: LocalTime; readonly to: LocalTime }
  /** Allowed except in these ranges. */
  | { readonly kind: 'excluded'; readonly ranges: readonly InconvenientTime[] };

/** Sorted, without empty intervals, overlapping and touching ones merged. */
export function normalize(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Instants in both sets. Both inputs normalized. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const s = Math.max(x[0], y[0]);
    const e = Math.min(x[1], y[1]);
    if (e > s) out.push([s, e]);
    if (x[1] < y[1]) i++;
    else j++;
  }
  return out;
}

/** Instants in `a` and not in `b`. Both inputs normalized. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [start, end] of a) {
    let cursor = start;
    for (const [s, e] of b) {
      if (e <= cursor) continue;
      if (s >= end) break;
      if (s > cursor) out.push([cursor, s]);
      cursor = Math.max(cursor, e);
      if (cursor >= end) break;
    }
    if (cursor < end) out.push([cursor, end]);
  }
  return out;
}

export function contains(intervals: readonly Interval[], ms: number): boolean {
  return intervals.some(([s, e]) => s <= ms && ms < e);
}

const HH_MM = /^(\d{2}):(\d{2})$/;

/** `HH:mm`; `24:00` stands for the end of the day. */
export function parseLocalTime(text: LocalTime): ClockTime {
  const match = HH_MM.exec(text);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) {
    throw new ContactPolicyInputError(`'${text}' is not a local time (HH:mm, 00:00 to 24:00)`);
  }
  return { hour, minute };
}

function minutesOf(t: ClockTime): number {
  return t.hour * 60 + t.minute;
}

/** The local range from `from` to `to` starting on `date`; crosses midnight when `to` is not after `from`. */
function localRange(zone: string, date: LocalDate, from: ClockTime, to: ClockTime): Interval {
  const start = wallClock(zone, date, from);
  const end =
    minutesOf(to) > minutesOf(from) ? wallClock(zone, date, to) : wallClock(zone, addDays(date, 1), to);
  return [start, end];
}

/** The local dates that can touch `[fromMs, toMs)` in `zone`, with a day of margin before. */
function localDays(zone: string, fromMs: number, toMs: number): LocalDate[] {
  const first = addDays(localDateOf(zone, fromMs), -1);
  const last = dateKey(localDateOf(zone, toMs));
  const days: LocalDate[] = [];
  for (let d = first; dateKey(d) <= last; d = addDays(d, 1)) days.push(d);
  return days;
}

export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[isoWeekday(date) - 1] ?? 'mon';
}

/** What one constraint allows in one zone within `[fromMs, toMs)`. */
export function allowedIntervals(
  constraint: TimeConstraint,
  zone: string,
  fromMs: number,
  toMs: number,
): Interval[] {
  const days = localDays(zone, fromMs, toMs);
  const span: Interval[] = [[fromMs, toMs]];
  if (constraint.kind === 'daily') {
    const from = parseLocalTime(constraint.from);
    const to = parseLocalTime(constraint.to);
    return intersect(span, normalize(days.map((day) => localRange(zone, day, from, to))));
  }
  const parsed = constraint.ranges.map((r) => ({
    days: r.days,
    from: parseLocalTime(r.from),
    to: parseLocalTime(r.to),
  }));
  const excluded: Interval[] = [];
  for (const day of days) {
    const weekday = weekdayOf(day);
    for (const range of parsed) {
      if (range.days && !range.days.includes(weekday)) continue;
      excluded.push(localRange(zone, day, range.from, range.to));
    }
  }
  return subtract(span, normalize(excluded));
}

/** What every constraint allows in every zone within `[fromMs, toMs)`. */
export function combinedAllowed(
  constraints: readonly TimeConstraint[],
  zones: readonly string[],
  fromMs: number,
  toMs: number,
): Interval[] {
  let allowed: Interval[] = [[fromMs, toMs]];
  for (const zone of zones) {
    for (const constraint of constraints) {
      allowed = intersect(allowed, allowedIntervals(constraint, zone, fromMs, toMs));
      if (allowed.length === 0) return allowed;
    }
  }
  return allowed;
}

export interface NextAllowed {
  readonly allowedNow: boolean;
  /** The earliest allowed instant at or after `atMs`; null when none within the horizon. */
  readonly nextAllowedMs: number | null;
  /** The first allowed intervals from `atMs` on. */
  readonly overlap: readonly Interval[];
}

/** How far ahead a deferral may land; past it the attempt is blocked (the rules leave no time at all). */
export const DEFERRAL_HORIZON_DAYS = 15;

/** A short look first: almost every attempt is decided within a day. */
const HORIZONS_DAYS = [2, DEFERRAL_HORIZON_DAYS] as const;

/** Where the attempt stands against the constraints in all zones, and when it could go if not now. */
export function nextAllowed(
  constraints: readonly TimeConstraint[],
  zones: readonly string[],
  atMs: number,
): NextAllowed {
  for (const days of HORIZONS_DAYS) {
    const allowed = combinedAllowed(constraints, zones, atMs, atMs + days * DAY_MS);
    const first = allowed[0];
    if (first) {
      return { allowedNow: first[0] === atMs, nextAllowedMs: first[0], overlap: allowed.slice(0, 3) };
    }
  }
  return { allowedNow: false, nextAllowedMs: null, overlap: [] };
}

/** What the constraints allow in one zone on its local day of `atMs` (for the evidence). */
export function allowedOnLocalDay(
  constraints: readonly TimeConstraint[],
  zone: string,
  atMs: number,
): Interval[] {
  const date = localDateOf(zone, atMs);
  const midnight = { hour: 0, minute: 0 };
  const start = wallClock(zone, date, midnight);
  const end = wallClock(zone, addDays(date, 1), midnight);
  let allowed: Interval[] = [[start, end]];
  for (const constraint of constraints)
    allowed = intersect(allowed, allowedIntervals(constraint, zone, start, end));
  return allowed;
}
