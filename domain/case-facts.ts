import { DEFAULT_BUCKET_RANGES, bucketForDpd, bucketNames, type BucketRange } from './buckets';

/**
 * The facts about one delinquent case that strategies read. The case workflow keeps them
 * current from the loan, payment and agent feeds; the simulator evolves them itself.
 * Plain JSON: they travel in workflow state and in ndjson files.
 */
export interface CaseFacts {
  /** Optional: used to seed per-case randomness in forecasts and to label output. */
  readonly caseId?: string;
  readonly dpd: number;
  readonly bucket: string;
  /** Outstanding balance in minor units of `currency`. */
  readonly balanceMinor: number;
  /** Amount past due in minor units of `currency`. */
  readonly amountOverdueMinor: number;
  readonly currency: string;
  readonly product: string;
  readonly segment: string;
  /** Days since the last outbound contact attempt reached anyone; null when never contacted. */
  readonly daysSinceLastContact: number | null;
  readonly lastContactOutcome: ContactOutcome;
  readonly promiseStatus: PromiseStatus;
  readonly brokenPromiseCount: number;
  readonly flags: CaseFlags;
}

export const CASE_FLAGS = [
  'dispute',
  'hardship',
  'cease',
  'bankruptcy',
  'deceased',
  'vulnerable',
  'breathingSpace',
  'attorney',
] as const;
export type KnownCaseFlag = (typeof CASE_FLAGS)[number];

/** Known flags are always present; strategies may declare and set their own as well. */
export type CaseFlags = { readonly [K in KnownCaseFlag]: boolean } & { readonly [custom: string]: boolean };

/**
 * Flags that only events from outside (agents, courts, the debtor) may set, never a strategy:
 * a strategy that could clear a dispute could collect through it.
 */
export const EXTERNALLY_SET_FLAGS: readonly KnownCaseFlag[] = [
  'dispute',
  'cease',
  'bankruptcy',
  'deceased',
  'breathingSpace',
  'attorney',
];

export const CONTACT_OUTCOMES = [
  'none',
  'rpc',
  'promise_to_pay',
  'no_answer',
  'left_voicemail',
  'wrong_number',
  'third_party',
  'refused_to_pay',
  'callback_requested',
  'dispute',
  'hardship',
] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const PROMISE_STATUSES = ['none', 'pending', 'kept', 'broken', 'cancelled'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/** The types a fact can have in the condition language. */
export type FactType =
  | { readonly kind: 'number' }
  | { readonly kind: 'money' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

export interface FactDefinition {
  /** The name conditions use, e.g. `dpd`, `balance`, `flags.dispute`. */
  readonly name: string;
  readonly type: FactType;
  /** True when the fact may be unknown (null); comparisons with an unknown fact are false. */
  readonly nullable: boolean;
  readonly description: string;
}

export type FactCatalogue = ReadonlyMap<string, FactDefinition>;

const fact = (name: string, type: FactType, description: string, nullable = false): FactDefinition => ({
  name,
  type,
  nullable,
  description,
});

/**
 * Every fact a condition may read, with its type. Custom flags a strategy declares are added
 * by `factCatalogue(..., customFlags)`. `daysOnStrategy` comes from the interpreter, not the case.
 */
export function factCatalogue(
  ranges: readonly BucketRange[] = DEFAULT_BUCKET_RANGES,
  customFlags: readonly string[] = [],
): FactCatalogue {
  const facts: FactDefinition[] = [
    fact('dpd', { kind: 'number' }, 'days past due: as-of date minus the oldest unpaid due date'),
    fact('bucket', { kind: 'enum', values: bucketNames(ranges) }, 'the DPD bucket'),
    fact('balance', { kind: 'money' }, 'outstanding balance'),
    fact('amountOverdue', { kind: 'money' }, 'amount past due'),
    fact('currency', { kind: 'string' }, 'ISO 4217 currency code of the loan'),
    fact('product', { kind: 'string' }, 'loan product, e.g. card, personal_loan, mortgage'),
    fact('segment', { kind: 'string' }, 'customer segment, e.g. retail, premium, sme'),
    fact(
      'daysSinceLastContact',
      { kind: 'number' },
      'days since the last contact that reached anyone (unknown if never)',
      true,
    ),
    fact('lastContactOutcome', { kind: 'enum', values: CONTACT_OUTCOMES }, 'outcome of the last contact'),
    fact('promiseStatus', { kind: 'enum', values: PROMISE_STATUSES }, 'status of the latest promise to pay'),
    fact('brokenPromiseCount', { kind: 'number' }, 'promises broken on this case'),
    fact('daysOnStrategy', { kind: 'number' }, 'whole days since this strategy started on the case'),
    ...CASE_FLAGS.map((flag) => fact(`flags.${flag}`, { kind: 'boolean' }, `the ${flag} flag`)),
    ...customFlags.map((flag) => fact(`flags.${flag}`, { kind: 'boolean' }, `custom flag ${flag}`)),
  ];
  return new Map(facts.map((f) => [f.name, f]));
}

export const DEFAULT_FACT_CATALOGUE: FactCatalogue = factCatalogue();

export function noFlags(): CaseFlags {
  return {
    dispute: false,
    hardship: false,
    cease: false,
    bankruptcy: false,
    deceased: false,
    vulnerable: false,
    breathingSpace: false,
    attorney: false,
  };
}

/** A complete CaseFacts from a partial one, deriving the bucket from DPD when it is not given. */
export function makeCaseFacts(
  partial: Partial<Omit<CaseFacts, 'flags'>> & { flags?: Partial<CaseFlags> } = {},
  ranges: readonly BucketRange[] = DEFAULT_BUCKET_RANGES,
): CaseFacts {
  const dpd = partial.dpd ?? 5;
  const overdue = partial.amountOverdueMinor ?? 15_000;
  const flags: Record<string, boolean> = { ...noFlags() };
  for (const [name, value] of Object.entries(partial.flags ?? {}))
    if (value !== undefined) flags[name] = value;
  // One object shape for every case (no conditional spread): hot simulation loops read these.
  return {
    caseId: partial.caseId,
    dpd,
    bucket: partial.bucket ?? bucketForDpd(dpd, ranges),
    balanceMinor: partial.balanceMinor ?? 250_000,
    amountOverdueMinor: overdue,
    currency: partial.currency ?? 'EUR',
    product: partial.product ?? 'personal_loan',
    segment: partial.segment ?? 'retail',
    daysSinceLastContact: partial.daysSinceLastContact === undefined ? null : partial.daysSinceLastContact,
    lastContactOutcome: partial.lastContactOutcome ?? 'none',
    promiseStatus: partial.promiseStatus ?? 'none',
    brokenPromiseCount: partial.brokenPromiseCount ?? 0,
    flags: flags as CaseFlags,
  };
}
