/**
 * The shapes the contact policy reads and returns. Plain JSON on both sides: the enforcement
 * activity builds the input from the debtor record and the contact ledger, and stores the
 * returned evidence as it is.
 */

export const CHANNELS = ['call', 'sms', 'email', 'letter', 'voicemail'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Why the contact is made. Anything that asks for or leads to payment is `collection`; the
 * others are the notices some rules still let through (a cease letter still allows a legal notice,
 * an open dispute still allows the verification letter).
 */
export const CONTACT_PURPOSES = [
  'collection',
  'validation_notice',
  'dispute_verification',
  'cease_confirmation',
  'legal_notice',
] as const;
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

/** An instant: an ISO 8601 timestamp with an explicit offset (`Z` or `+02:00`), or epoch milliseconds. */
export type Instant = string | number;

export const PLACES = ['home', 'work', 'mobile', 'other'] as const;
export type Place = (typeof PLACES)[number];

export const LINE_TYPES = ['mobile', 'landline', 'voip', 'unknown'] as const;
export type LineType = (typeof LINE_TYPES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `HH:mm`, 24-hour clock, local to the debtor. */
export type LocalTime = string;

export interface ContactAttempt {
  readonly channel: Channel;
  readonly destination: {
    /** The id of the phone, email or postal address in the debtor record. */
    readonly id: string;
    /** What kind of place the destination is; `work` matters to the inconvenient-place rules. */
    readonly place?: Place;
  };
  readonly purpose: ContactPurpose;
  /** When the attempt would be made. Never read from the clock: the caller passes it in. */
  readonly at: Instant;
  /** `automated`: autodialed or prerecorded call, voicemail drop or text sent by a system. */
  readonly dialing: 'automated' | 'manual';
  readonly initiatedBy: 'agent' | 'workflow';
}

/** A jurisdiction whose law applies to the debtor: ISO 3166-1 country, plus US state / UK nation. */
export interface Jurisdiction {
  readonly country: string;
  readonly region?: string;
}

export interface AddressFacts {
  readonly country: string;
  /** US state (two letters) or UK nation; used when the postcode does not settle the zone. */
  readonly region?: string;
  /** US ZIP (5 digits or ZIP+4) or UK postcode. */
  readonly postcode?: string;
}

export interface PhoneFacts {
  readonly id: string;
  readonly e164: string;
  readonly lineType: LineType;
  /**
   * Candidate IANA zones for the number from Google libphonenumber's time-zone map, resolved
   * by the caller (`timezones()` of libphonenumber-geo-carrier is asynchronous and reads a file,
   * so it cannot run here). `null` when the map knows nothing about the number.
   */
  readonly zones: readonly string[] | null;
  /** Where `zones` came from, recorded in the evidence, e.g. `libphonenumber-geo-carrier@2.0.0`. */
  readonly zonesSource?: string;
  /** Prior express consent to autodialed or prerecorded calls and automated texts (TCPA). */
  readonly autodialConsent: boolean;
  readonly place?: Place;
}

export interface OptOut {
  readonly channel: Channel;
  /** Only this destination; absent means the whole channel. */
  readonly destinationId?: string;
  readonly at?: Instant;
}

/** A weekly recurring range the debtor designated as inconvenient, in their local time. */
export interface InconvenientTime {
  /** Absent means every day. A range that crosses midnight belongs to the day it starts on. */
  readonly days?: readonly Weekday[];
  readonly from: LocalTime;
  /** Exclusive; earlier than `from` means the range ends the next day. */
  readonly to: LocalTime;
}

export interface DebtorDesignations {
  readonly times: readonly InconvenientTime[];
  /** e.g. `['work']`: "do not contact me at work". */
  readonly places: readonly Place[];
  readonly destinationIds: readonly string[];
  readonly channels: readonly Channel[];
}

export interface DebtorFlags {
  readonly ceaseCommunication: boolean;
  readonly attorney: { readonly represented: boolean; readonly directContactAllowed: boolean } | null;
  readonly bankruptcy: boolean;
  readonly dispute: {
    readonly inValidationPeriod: boolean;
    readonly disputedAt?: Instant;
    /** When the verification was mailed; the hold lasts until then. */
    readonly verificationSentAt: Instant | null;
  } | null;
  /** UK Debt Respite Scheme. `end` absent: 60 days from `start` (standard) or open (mental health crisis). */
  readonly breathingSpace: {
    readonly kind: 'standard' | 'mental_health_crisis';
    readonly start: Instant;
    readonly end?: Instant;
  } | null;
  readonly deceased: boolean;
  readonly vulnerable: boolean;
}

export interface DebtorFacts {
  /** Every jurisdiction whose rules apply (residence, and where the loan was made if different). */
  readonly jurisdictions: readonly Jurisdiction[];
  readonly address: AddressFacts | null;
  readonly phones: readonly PhoneFacts[];
  readonly optOuts: readonly OptOut[];
  readonly designations: DebtorDesignations;
  readonly flags: DebtorFlags;
}

export interface PriorAttempt {
  readonly at: Instant;
  readonly channel: Channel;
  readonly destinationId?: string;
}

/** What the contact ledger knows about this debt. Pass at least the last 8 days of attempts. */
export interface LedgerCounters {
  /** Attempts made (allowed and sent or dialled) about this debt; blocked ones are not attempts. */
  readonly recentAttempts: readonly PriorAttempt[];
  /** The last telephone conversation with the debtor about this debt (right-party contact). */
  readonly lastConversationAt: Instant | null;
}

export interface ContactPolicyInput {
  readonly attempt: ContactAttempt;
  readonly debtor: DebtorFacts;
  readonly counters: LedgerCounters;
}

export type RuleMode = 'BLOCK' | 'HOLD' | 'DEFER' | 'ADVISE';

/** `pack-id/rule-name`, e.g. `us-federal/call-frequency`. */
export type RuleId = string;

export interface PackRef {
  readonly id: string;
  readonly version: string;
}

export interface Advice {
  readonly rule: RuleId;
  readonly pack: PackRef;
  readonly message: string;
  /** The queue or team the case should go to, e.g. `vulnerable_customers`. */
  readonly route?: string;
}

export type RuleOutcome = 'pass' | 'not_applicable' | 'block' | 'hold' | 'defer' | 'advise';

export interface CounterEvidence {
  readonly channels: readonly Channel[];
  readonly limit: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** Attempts inside the window, before this one. */
  readonly count: number;
  readonly attempts: readonly string[];
}

export interface RuleEvaluation {
  readonly rule: RuleId;
  readonly pack: PackRef;
  readonly mode: RuleMode;
  readonly citation: string;
  readonly outcome: RuleOutcome;
  readonly reason?: string;
  readonly counters?: CounterEvidence;
  /** For blocks that lapse by themselves (frequency, post-conversation) and timed holds. */
  readonly until?: string;
  readonly route?: string;
}

export interface ZoneSourceEvidence {
  readonly source: 'address' | 'phone';
  /** How the zones were found: `zip`, `state`, `zip+state` (disagreeing), `country`, `libphonenumber`, `none`. */
  readonly method: string;
  /** The address fields or the masked number used. */
  readonly detail: string;
  readonly zones: readonly string[];
  readonly notes: readonly string[];
}

export interface IntervalEvidence {
  readonly start: string;
  readonly end: string;
}

export interface ZoneWindowEvidence {
  readonly zone: string;
  /** The attempt's time on this zone's wall clock, ISO with offset. */
  readonly localTime: string;
  readonly utcOffset: string;
  /** What this zone alone allows on its local day of the attempt, in its local time. */
  readonly allowedToday: readonly IntervalEvidence[];
}

export interface TimeZoneEvidence {
  readonly sources: readonly ZoneSourceEvidence[];
  /** Union of every source's zones: the window must hold in all of them. */
  readonly candidateZones: readonly string[];
  readonly windows: readonly ZoneWindowEvidence[];
  /** What all zones and all time rules allow together, from the attempt on (UTC, up to three intervals). */
  readonly overlap: readonly IntervalEvidence[];
  readonly allowedNow: boolean;
  readonly nextAllowedAt: string | null;
}

export interface DecisionEvidence {
  readonly at: string;
  /** The version of the combination logic. */
  readonly engine: PackRef;
  readonly attempt: {
    readonly channel: Channel;
    readonly destinationId: string;
    readonly purpose: ContactPurpose;
    readonly dialing: 'automated' | 'manual';
    readonly initiatedBy: 'agent' | 'workflow';
  };
  readonly jurisdictions: readonly Jurisdiction[];
  readonly packs: readonly PackRef[];
  readonly rules: readonly RuleEvaluation[];
  readonly counters: {
    readonly frequency: readonly (CounterEvidence & { readonly rule: RuleId })[];
    readonly lastConversationAt: string | null;
  };
  /** Absent for channels without a time window (letters) and when no pack ran. */
  readonly timeZones?: TimeZoneEvidence;
}

interface DecisionBase {
  readonly advice: readonly Advice[];
  readonly evidence: DecisionEvidence;
}

export interface RuleCitation {
  readonly rule: RuleId;
  readonly pack: PackRef;
  readonly reason: string;
}

export type ContactDecision =
  | (DecisionBase & { readonly outcome: 'allow' })
  /** Not now: try again at `until` (UTC ISO), the earliest time every zone and time rule allows. */
  | (DecisionBase & { readonly outcome: 'defer'; readonly until: string } & RuleCitation)
  /** Not made. `retryAfter` when every blocking rule lapses by itself (counters, conversation). */
  | (DecisionBase & { readonly outcome: 'block'; readonly retryAfter?: string } & RuleCitation)
  /** The case pauses; `route` names the queue, `until` when the hold ends by itself. */
  | (DecisionBase & {
      readonly outcome: 'hold';
      readonly route?: string;
      readonly until?: string;
    } & RuleCitation);

export type DecisionOutcome = ContactDecision['outcome'];
