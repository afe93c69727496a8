import { DateTime, IANAZone } from 'luxon';

/**
 * Wall clocks of IANA zones. luxon (with the runtime's tz database) answers the two questions
 * that involve daylight-saving rules: the zone's UTC offset at an instant, and the instant a
 * wall-clock time on a date names. Both answers are remembered, because asking Intl is the
 * costly part of a decision and attempts cluster on the same days. The caches only save work:
 * every entry is a pure function of its key.
 */

/** A calendar date, without a zone. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

const CACHE_LIMIT = 50_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

// Offsets are constant between transitions, and no zone has two transitions within a quarter
// of an hour: an offset that is the same at both ends of a quarter-hour holds all through it.
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC at `ms`, in minutes (luxon). */
export function offsetMinutes(zone: string, ms: number): number {
  const bucket = Math.floor(ms / QUARTER_HOUR_MS);
  const key = `${zone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const iana = IANAZone.create(zone);
  const first = iana.offset(bucket * QUARTER_HOUR_MS);
  const last = iana.offset((bucket + 1) * QUARTER_HOUR_MS - 1);
  if (first !== last) return iana.offset(ms);
  return remember(offsetCache, key, first);
}

/** The fields the zone's wall clock shows at `ms`. */
function wallFields(zone: string, ms: number): Date {
  // A Date shifted by the offset, read with its UTC getters, is the wall clock.
  return new Date(ms + offsetMinutes(zone, ms) * 60_000);
}

export function localDateOf(zone: string, ms: number): LocalDate {
  const d = wallFields(zone, ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The date `days` later. Calendar arithmetic only: which instants a date covers is the zone's business. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 1 = Monday ... 7 = Sunday (ISO). */
export function isoWeekday(date: LocalDate): number {
  return ((new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7) + 1;
}

export function dateKey(date: LocalDate): number {
  return date.year * 10_000 + date.month * 100 + date.day;
}

const wallClockCache = new Map<string, number>();

/** The instant the zone's wall clock shows `time` on `date`; a time skipped by DST moves forward (luxon). */
export function wallClock(zone: string, date: LocalDate, time: ClockTime): number {
  if (time.hour === 24) return wallClock(zone, addDays(date, 1), { hour: 0, minute: 0 });
  const key = `${zone}|${date.year}-${date.month}-${date.day}|${time.hour}:${time.minute}`;
  const cached = wallClockCache.get(key);
  if (cached !== undefined) return cached;
  const ms = DateTime.fromObject({ ...date, hour: time.hour, minute: time.minute }, { zone }).toMillis();
  return remember(wallClockCache, key, ms);
}

/**
 * The same wall-clock time `days` later (or earlier) in the zone, as luxon's `plus({ days })`
 * reads it: 23 or 25 hours of elapsed time across a DST change.
 */
export function shiftDays(zone: string, ms: number, days: number): number {
  const d = wallFields(zone, ms);
  const date = addDays({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, days);
  const hourStart = wallClock(zone, date, { hour: d.getUTCHours(), minute: 0 });
  const shifted = hourStart + (d.getUTCMinutes() * 60 + d.getUTCSeconds()) * 1000 + d.getUTCMilliseconds();
  // The hour's start is cached; the rest of the hour follows it unless a transition falls inside.
  if (offsetMinutes(zone, shifted) === offsetMinutes(zone, hourStart)) return shifted;
  return DateTime.fromMillis(ms, { zone }).plus({ days }).toMillis();
}

/** Midnight starting the zone's local date of `ms`, `days` later. */
export function startOfLocalDay(zone: string, ms: number, days = 0): number {
  return wallClock(zone, addDays(localDateOf(zone, ms), days), { hour: 0, minute: 0 });
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO text on the zone's wall clock with its offset, e.g. `2026-03-08T08:00:00.000-04:00`. */
export function isoLocal(ms: number, zone: string): string {
  const offset = offsetMinutes(zone, ms);
  const d = new Date(ms + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${d.toISOString().slice(0, 23)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
