import { DAY_MS, isoUtc, toMillis } from './instants';
import type { TimeConstraint } from './windows';
import { shiftDays, startOfLocalDay } from './zone-clock';
import type {
  Channel,
  ContactAttempt,
  ContactPurpose,
  CounterEvidence,
  DebtorFacts,
  PhoneFacts,
  RuleMode,
} from './types';

/**
 * Rule building blocks. A pack is data (which rules, with which limits, hours and citations)
 * over these few pieces of code, so an overlay such as Massachusetts is a parameter change,
 * not new logic.
 */

export interface PriorAttemptMs {
  readonly atMs: number;
  readonly channel: Channel;
}

/** Everything a rule may read, already parsed. */
export interface RuleContext {
  readonly attempt: ContactAttempt;
  readonly atMs: number;
  readonly debtor: DebtorFacts;
  /** The phone called or texted; undefined for other channels or a number not on file. */
  readonly destinationPhone: PhoneFacts | undefined;
  /** Candidate zones of the debtor (see time-zones.ts); empty when nothing places them. */
  readonly zones: readonly string[];
  /** Prior attempts about this debt, oldest first. */
  readonly priorAttempts: readonly PriorAttemptMs[];
  readonly lastConversationMs: number | null;
}

export type RuleVerdict =
  | { readonly kind: 'pass'; readonly reason?: string; readonly counters?: CounterEvidence }
  | { readonly kind: 'not_applicable'; readonly reason?: string }
  | {
      readonly kind: 'block';
      readonly reason: string;
      readonly retryAfterMs?: number;
      readonly counters?: CounterEvidence;
    }
  | { readonly kind: 'hold'; readonly reason: string; readonly route?: string; readonly untilMs?: number }
  | { readonly kind: 'advise'; readonly reason: string; readonly route?: string }
  /** A time rule: the engine intersects every window across zones and packs and decides pass or defer. */
  | { readonly kind: 'window'; readonly constraint: TimeConstraint; readonly reason: string };

export interface RuleDefinition {
  /** Unique within its pack; the decision names it `pack-id/name`. */
  readonly name: string;
  readonly mode: RuleMode;
  readonly citation: string;
  /** One sentence for people: what the rule does. */
  readonly summary: string;
  readonly evaluate: (ctx: RuleContext) => RuleVerdict;
}

export interface RulePack {
  readonly id: string;
  /** Semantic version: bump the major for a stricter or looser rule, the minor for a new rule. */
  readonly version: string;
  readonly title: string;
  /** A pack without `region` is a country baseline; with one it is an overlay on top of it. */
  readonly appliesTo: { readonly country: string; readonly region?: string };
  readonly rules: readonly RuleDefinition[];
}

const notApplicable = (reason?: string): RuleVerdict => ({
  kind: 'not_applicable',
  ...(reason ? { reason } : {}),
});

/** An opt-out or designation of `call` covers voicemail too: a voicemail is left by calling. */
function covers(designated: Channel, channel: Channel): boolean {
  return designated === channel || (designated === 'call' && channel === 'voicemail');
}

function listChannels(channels: readonly Channel[]): string {
  return channels.join(', ');
}

// ---- time --------------------------------------------------------------------------------

export function contactHoursRule(p: {
  citation: string;
  channels: readonly Channel[];
  from: string;
  to: string;
}): RuleDefinition {
  return {
    name: 'contact-hours',
    mode: 'DEFER',
    citation: p.citation,
    summary: `${listChannels(p.channels)} only from ${p.from} to ${p.to} in every zone the debtor may be in; outside, defer to the next allowed time`,
    evaluate: (ctx) => {
      if (!p.channels.includes(ctx.attempt.channel))
        return notApplicable(`${ctx.attempt.channel} has no hours`);
      if (ctx.zones.length === 0) {
        return {
          kind: 'block',
          reason: 'no time zone for the debtor: neither the address nor the phone places them',
        };
      }
      return {
        kind: 'window',
        constraint: { kind: 'daily', from: p.from, to: p.to },
        reason: `outside ${p.from}-${p.to} local time in ${ctx.zones.join(', ')}`,
      };
    },
  };
}

export function inconvenientTimesRule(p: { citation: string; channels: readonly Channel[] }): RuleDefinition {
  return {
    name: 'inconvenient-time',
    mode: 'DEFER',
    citation: p.citation,
    summary: 'not in the weekly times the debtor said are inconvenient; defer to the end of the range',
    evaluate: (ctx) => {
      if (!p.channels.includes(ctx.attempt.channel)) return notApplicable();
      const ranges = ctx.debtor.designations.times;
      if (ranges.length === 0) return notApplicable('no inconvenient times designated');
      const text = ranges.map((r) => `${r.days ? r.days.join('/') + ' ' : ''}${r.from}-${r.to}`).join(', ');
      return {
        kind: 'window',
        constraint: { kind: 'excluded', ranges },
        reason: `in a time the debtor designated as inconvenient (${text})`,
      };
    },
  };
}

// ---- designations and consent ------------------------------------------------------------

export function inconvenientPlaceRule(p: { citation: string }): RuleDefinition {
  return {
    name: 'inconvenient-place',
    mode: 'BLOCK',
    citation: p.citation,
    summary: 'not at a place or destination the debtor said is inconvenient (e.g. at work)',
    evaluate: (ctx) => {
      const { destination } = ctx.attempt;
      const d = ctx.debtor.designations;
      const place = destination.place ?? ctx.destinationPhone?.place;
      if (d.destinationIds.includes(destination.id)) {
        return { kind: 'block', reason: `the debtor designated ${destination.id} as inconvenient` };
      }
      if (place && d.places.includes(place)) {
        return {
          kind: 'block',
          reason: `the debtor asked not to be contacted at ${place} (${destination.id})`,
        };
      }
      return { kind: 'pass' };
    },
  };
}

export function inconvenientChannelRule(p: { citation: string }): RuleDefinition {
  return {
    name: 'inconvenient-channel',
    mode: 'BLOCK',
    citation: p.citation,
    summary: 'not by a medium the debtor asked not to be used',
    evaluate: (ctx) => {
      const channel = ctx.debtor.designations.channels.find((c) => covers(c, ctx.attempt.channel));
      if (channel) return { kind: 'block', reason: `the debtor asked not to be contacted by ${channel}` };
      return { kind: 'pass' };
    },
  };
}

export function optOutRule(p: { citation: string }): RuleDefinition {
  return {
    name: 'opt-out',
    mode: 'BLOCK',
    citation: p.citation,
    summary: 'not by a channel, or to a destination, the debtor opted out of',
    evaluate: (ctx) => {
      const { channel, destination } = ctx.attempt;
      const optOut = ctx.debtor.optOuts.find(
        (o) =>
          covers(o.channel, channel) &&
          (o.destinationId === undefined || o.destinationId === destination.id) &&
          (o.at === undefined || toMillis(o.at, 'optOuts[].at') <= ctx.atMs),
      );
      if (!optOut) return { kind: 'pass' };
      return {
        kind: 'block',
        reason:
          optOut.destinationId === undefined
            ? `the debtor opted out of ${optOut.channel}`
            : `the debtor opted out of ${optOut.channel} to ${optOut.destinationId}`,
      };
    },
  };
}

export function autodialerConsentRule(p: { citation: string }): RuleDefinition {
  const channels: readonly Channel[] = ['call', 'sms', 'voicemail'];
  return {
    name: 'autodialer-consent',
    mode: 'BLOCK',
    citation: p.citation,
    summary:
      'autodialed or prerecorded calls and automated texts to a mobile (or a number of unknown type) need prior express consent; otherwise manual dial only',
    evaluate: (ctx) => {
      if (!channels.includes(ctx.attempt.channel)) return notApplicable();
      if (ctx.attempt.dialing === 'manual') return { kind: 'pass', reason: 'dialled by hand' };
      const phone = ctx.destinationPhone;
      const lineType = phone?.lineType ?? 'unknown';
      if (lineType === 'landline') return { kind: 'pass', reason: 'landline' };
      if (phone?.autodialConsent) return { kind: 'pass', reason: `${lineType} with consent` };
      return {
        kind: 'block',
        reason: `automated ${ctx.attempt.channel} to a ${lineType === 'unknown' ? 'number of unknown line type' : lineType} without consent: manual dial only`,
      };
    },
  };
}

// ---- frequency ---------------------------------------------------------------------------

/**
 * The start of the rolling window: `days` before the attempt, as the earlier of elapsed time
 * (days x 24 h) and the calendar on each candidate zone's wall clock (23 or 25 h across a DST
 * change), so the count never misses an attempt either reading would include.
 */
function windowStart(atMs: number, days: number, zones: readonly string[]): number {
  let start = atMs - days * DAY_MS;
  for (const zone of zones) start = Math.min(start, shiftDays(zone, atMs, -days));
  return start;
}

/** When an attempt at `ms` stops counting: the latest of the same readings. */
function leavesWindow(ms: number, days: number, zones: readonly string[]): number {
  let end = ms + days * DAY_MS;
  for (const zone of zones) end = Math.max(end, shiftDays(zone, ms, days));
  return end;
}

export function attemptFrequencyRule(p: {
  name: string;
  citation: string;
  summary: string;
  channels: readonly Channel[];
  limit: number;
  windowDays: number;
}): RuleDefinition {
  return {
    name: p.name,
    mode: 'BLOCK',
    citation: p.citation,
    summary: p.summary,
    evaluate: (ctx) => {
      if (!p.channels.includes(ctx.attempt.channel)) return notApplicable();
      const start = windowStart(ctx.atMs, p.windowDays, ctx.zones);
      const counted = ctx.priorAttempts.filter(
        (a) => p.channels.includes(a.channel) && a.atMs > start && a.atMs <= ctx.atMs,
      );
      const counters: CounterEvidence = {
        channels: p.channels,
        limit: p.limit,
        windowStart: isoUtc(start),
        windowEnd: isoUtc(ctx.atMs),
        count: counted.length,
        attempts: counted.map((a) => isoUtc(a.atMs)),
      };
      if (counted.length < p.limit) return { kind: 'pass', counters };
      // The attempt may go once enough of the oldest ones have left the window.
      const freeing = counted[counted.length - p.limit];
      return {
        kind: 'block',
        reason: `${counted.length} ${listChannels(p.channels)} attempt(s) in the last ${p.windowDays} days; at most ${p.limit} allowed`,
        ...(freeing ? { retryAfterMs: leavesWindow(freeing.atMs, p.windowDays, ctx.zones) } : {}),
        counters,
      };
    },
  };
}

export function postConversationRule(p: {
  citation: string;
  channels: readonly Channel[];
  days: number;
}): RuleDefinition {
  return {
    name: 'post-conversation',
    mode: 'BLOCK',
    citation: p.citation,
    summary: `no ${p.channels.join(' or ')} for ${p.days} days after a telephone conversation about the debt, its own day counting as day 1`,
    evaluate: (ctx) => {
      if (!p.channels.includes(ctx.attempt.channel)) return notApplicable();
      const conversation = ctx.lastConversationMs;
      if (conversation === null || conversation > ctx.atMs)
        return { kind: 'pass', reason: 'no conversation' };
      // Day 1 is the conversation's local date; the block ends when day p.days + 1 starts,
      // in whichever candidate zone that is latest.
      const zones = ctx.zones.length > 0 ? ctx.zones : ['UTC'];
      const until = Math.max(...zones.map((zone) => startOfLocalDay(zone, conversation, p.days)));
      if (ctx.atMs >= until) return { kind: 'pass', reason: `conversation at ${isoUtc(conversation)}` };
      return {
        kind: 'block',
        reason: `telephone conversation at ${isoUtc(conversation)}: no calls until ${isoUtc(until)}`,
        retryAfterMs: until,
      };
    },
  };
}

// ---- flags -------------------------------------------------------------------------------

export function ceaseRule(p: {
  citation: string;
  allowed: readonly { channel: Channel; purposes: readonly ContactPurpose[] }[];
}): RuleDefinition {
  const allowedText = p.allowed.map((a) => `${a.channel} (${a.purposes.join(', ')})`).join('; ');
  return {
    name: 'cease',
    mode: 'BLOCK',
    citation: p.citation,
    summary: `after a written cease or refusal to pay, only the notices the law allows: ${allowedText}`,
    evaluate: (ctx) => {
      if (!ctx.debtor.flags.ceaseCommunication) return { kind: 'pass' };
      const { channel, purpose } = ctx.attempt;
      if (p.allowed.some((a) => a.channel === channel && a.purposes.includes(purpose))) {
        return { kind: 'pass', reason: `${purpose} by ${channel} is allowed after a cease` };
      }
      return {
        kind: 'block',
        reason: `the debtor asked in writing to cease communication; only ${allowedText} may be sent`,
      };
    },
  };
}

export function attorneyRule(p: { citation: string }): RuleDefinition {
  return {
    name: 'attorney',
    mode: 'BLOCK',
    citation: p.citation,
    summary: 'no direct contact with a debtor represented by an attorney, unless the attorney allows it',
    evaluate: (ctx) => {
      const attorney = ctx.debtor.flags.attorney;
      if (!attorney?.represented) return { kind: 'pass' };
      if (attorney.directContactAllowed)
        return { kind: 'pass', reason: 'the attorney allows direct contact' };
      return {
        kind: 'block',
        reason: 'the debtor is represented by an attorney: contact the attorney instead',
      };
    },
  };
}

export function bankruptcyRule(p: { citation: string }): RuleDefinition {
  return {
    name: 'bankruptcy',
    mode: 'HOLD',
    citation: p.citation,
    summary: 'bankruptcy stays all collection activity; the case goes to the bankruptcy queue',
    evaluate: (ctx) =>
      ctx.debtor.flags.bankruptcy
        ? { kind: 'hold', reason: 'bankruptcy filed: automatic stay', route: 'bankruptcy' }
        : { kind: 'pass' },
  };
}

export function disputeRule(p: { citation: string; exempt: readonly ContactPurpose[] }): RuleDefinition {
  return {
    name: 'dispute',
    mode: 'HOLD',
    citation: p.citation,
    summary: `a dispute within the validation period holds collection until verification is sent (${p.exempt.join(', ')} may still be sent)`,
    evaluate: (ctx) => {
      const dispute = ctx.debtor.flags.dispute;
      if (!dispute) return { kind: 'pass' };
      if (!dispute.inValidationPeriod) {
        return {
          kind: 'advise',
          reason:
            'the debt is disputed (outside the validation period): collection may go on; acknowledge the dispute',
        };
      }
      const sent =
        dispute.verificationSentAt === null ? null : toMillis(dispute.verificationSentAt, 'dispute');
      if (sent !== null && sent <= ctx.atMs) {
        return { kind: 'pass', reason: `verification sent ${isoUtc(sent)}` };
      }
      if (p.exempt.includes(ctx.attempt.purpose)) {
        return { kind: 'pass', reason: `${ctx.attempt.purpose} goes out during the dispute` };
      }
      return {
        kind: 'hold',
        reason: 'disputed within the validation period: no collection until verification is sent',
        route: 'disputes',
      };
    },
  };
}

export function deceasedRule(p: { citation: string }): RuleDefinition {
  return {
    name: 'deceased',
    mode: 'HOLD',
    citation: p.citation,
    summary: 'a debtor reported deceased: hold for the deceased-estate review',
    evaluate: (ctx) =>
      ctx.debtor.flags.deceased
        ? { kind: 'hold', reason: 'debtor reported deceased', route: 'deceased_review' }
        : { kind: 'pass' },
  };
}

export function breathingSpaceRule(p: { citation: string; standardDays: number }): RuleDefinition {
  return {
    name: 'breathing-space',
    mode: 'HOLD',
    citation: p.citation,
    summary: `Breathing Space: no contact and frozen charges; a standard moratorium lasts ${p.standardDays} days`,
    evaluate: (ctx) => {
      const bs = ctx.debtor.flags.breathingSpace;
      if (!bs) return { kind: 'pass' };
      const start = toMillis(bs.start, 'breathingSpace.start');
      const end =
        bs.end !== undefined
          ? toMillis(bs.end, 'breathingSpace.end')
          : bs.kind === 'standard'
            ? start + p.standardDays * DAY_MS
            : null;
      if (ctx.atMs < start || (end !== null && ctx.atMs >= end)) {
        return {
          kind: 'pass',
          reason: `breathing space ${isoUtc(start)} to ${end === null ? 'open' : isoUtc(end)}`,
        };
      }
      const kind = bs.kind === 'standard' ? 'breathing space' : 'mental health crisis breathing space';
      return {
        kind: 'hold',
        reason: `${kind} since ${isoUtc(start)}${end === null ? '' : ` until ${isoUtc(end)}`}: no contact`,
        route: 'breathing_space',
        ...(end === null ? {} : { untilMs: end }),
      };
    },
  };
}

export function vulnerableRule(p: { citation: string; route: string }): RuleDefinition {
  return {
    name: 'vulnerable',
    mode: 'ADVISE',
    citation: p.citation,
    summary: `a vulnerable customer: warn the agent and route to ${p.route}`,
    evaluate: (ctx) =>
      ctx.debtor.flags.vulnerable
        ? {
            kind: 'advise',
            reason:
              'vulnerable customer: follow the vulnerability procedure (tailored tone, forbearance options, no pressure)',
            route: p.route,
          }
        : { kind: 'pass' },
  };
}
