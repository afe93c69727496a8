/**
 * Days-past-due buckets. The ranges are configurable because banks draw them differently
 * (some split 120+ into 120-179 and 180+); every consumer takes the ranges as an argument
 * and defaults to the standard six.
 */

export interface BucketRange {
  /** The bucket's name as designers write it in conditions, e.g. `'30-59'`. */
  readonly name: string;
  readonly minDpd: number;
  /** Inclusive upper bound; `null` for the last, open-ended bucket. */
  readonly maxDpd: number | null;
}

export type StandardBucket = 'current' | '1-29' | '30-59' | '60-89' | '90-119' | '120+';

export const DEFAULT_BUCKET_RANGES: readonly BucketRange[] = [
  { name: 'current', minDpd: 0, maxDpd: 0 },
  { name: '1-29', minDpd: 1, maxDpd: 29 },
  { name: '30-59', minDpd: 30, maxDpd: 59 },
  { name: '60-89', minDpd: 60, maxDpd: 89 },
  { name: '90-119', minDpd: 90, maxDpd: 119 },
  { name: '120+', minDpd: 120, maxDpd: null },
];

/** The bucket a number of days past due falls in. Negative DPD (paid ahead) counts as current. */
export function bucketForDpd(dpd: number, ranges: readonly BucketRange[] = DEFAULT_BUCKET_RANGES): string {
  const days = Math.max(0, Math.floor(dpd));
  for (const range of ranges) {
    if (days >= range.minDpd && (range.maxDpd === null || days <= range.maxDpd)) return range.name;
  }
  // validateBucketRanges rules this out; the fallback keeps the function total.
  const last = ranges[ranges.length - 1];
  return last ? last.name : 'current';
}

/** The names of the buckets, in DPD order. */
export function bucketNames(ranges: readonly BucketRange[] = DEFAULT_BUCKET_RANGES): string[] {
  return ranges.map((r) => r.name);
}

/** The range with that name, if any. */
export function bucketRange(
  name: string,
  ranges: readonly BucketRange[] = DEFAULT_BUCKET_RANGES,
): BucketRange | undefined {
  return ranges.find((r) => r.name === name);
}

/**
 * Problems with a set of ranges: they must start at 0, be contiguous, not overlap, have
 * unique names and end with an open bucket. Returns human sentences; empty means valid.
 */
export function validateBucketRanges(ranges: readonly BucketRange[]): string[] {
  const problems: string[] = [];
  if (ranges.length === 0) return ['at least one bucket is needed'];
  const seen = new Set<string>();
  let expectedMin = 0;
  ranges.forEach((range, i) => {
    if (seen.has(range.name)) problems.push(`bucket ${i} ('${range.name}'): the name is used twice`);
    seen.add(range.name);
    if (!Number.isInteger(range.minDpd) || range.minDpd !== expectedMin) {
      problems.push(
        `bucket ${i} ('${range.name}'): starts at ${range.minDpd} DPD but should start at ${expectedMin}`,
      );
    }
    const isLast = i === ranges.length - 1;
    if (range.maxDpd === null) {
      if (!isLast) problems.push(`bucket ${i} ('${range.name}'): only the last bucket may be open-ended`);
      return;
    }
    if (!Number.isInteger(range.maxDpd) || range.maxDpd < range.minDpd) {
      problems.push(`bucket ${i} ('${range.name}'): ends at ${range.maxDpd} DPD, before it starts`);
    }
    if (isLast)
      problems.push(`bucket ${i} ('${range.name}'): the last bucket must be open-ended (maxDpd: null)`);
    expectedMin = range.maxDpd + 1;
  });
  return problems;
}
