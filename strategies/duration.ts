/**
 * Durations as designers write them: `3d`, `12h`, `1d12h`, `90m`, `2w`, or ISO 8601 such as
 * `PT12H`, `P3D`, `P1DT12H`. A day is exactly 24 hours. Months and years are refused: their
 * length varies, and "wait a month" in a collections strategy means a number of days.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

const SHORT = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseDuration(input: string | number): DurationResult {
  if (typeof input === 'number') {
    return input === 0
      ? { ok: true, ms: 0 }
      : { ok: false, error: `write a unit: '${input}d' or '${input}h'` };
  }
  const text = input.trim();
  if (text === '') return { ok: false, error: 'the duration is empty' };
  if (text === '0') return { ok: true, ms: 0 };
  const upper = text.toUpperCase();
  if (upper.startsWith('P')) {
    if (/^P(?:\d+Y|\d+M|[^T]*\d+[YM])/.test(upper.split('T')[0] ?? '')) {
      return { ok: false, error: `'${text}': months and years vary in length; write days instead, e.g. 30d` };
    }
    const iso = ISO.exec(upper);
    if (!iso || upper === 'P' || upper.endsWith('T')) {
      return { ok: false, error: `'${text}' is not a duration: use e.g. 3d, 12h, 1d12h, PT12H or P3D` };
    }
    const [, w, d, h, m, s] = iso;
    return { ok: true, ms: total(w, d, h, m, s) };
  }
  if (/^\d+(mo|y|months?|years?)$/i.test(text)) {
    return { ok: false, error: `'${text}': months and years vary in length; write days instead, e.g. 30d` };
  }
  const short = SHORT.exec(text.toLowerCase());
  if (!short || !/[wdhms]$/i.test(text)) {
    return { ok: false, error: `'${text}' is not a duration: use e.g. 3d, 12h, 1d12h, PT12H or P3D` };
  }
  const [, w, d, h, m, s] = short;
  return { ok: true, ms: total(w, d, h, m, s) };
}

function total(w?: string, d?: string, h?: string, m?: string, s?: string): number {
  const n = (v?: string) => (v === undefined ? 0 : Number(v));
  return n(w) * WEEK_MS + n(d) * DAY_MS + n(h) * HOUR_MS + n(m) * MINUTE_MS + n(s) * 1000;
}

/** The shortest designer-style text for a duration: `3d`, `1d12h`, `45m`, `0`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', DAY_MS],
    ['h', HOUR_MS],
    ['m', MINUTE_MS],
    ['s', 1000],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return (ms < 0 ? '-' : '') + parts.join('');
}

export interface DurationLimits {
  readonly minMs: number;
  readonly maxMs: number;
}
