import { isoUtc, toMillis } from './instants';
import { isoLocal } from './zone-clock';
import { CONTACT_POLICY_PACKS, normalizeJurisdiction, selectPacks } from './packs';
import type { RuleContext, RuleDefinition, RulePack, RuleVerdict } from './rules';
import { isPhoneChannel, resolveZones, type ZoneResolution } from './time-zones';
import type {
  Advice,
  ContactDecision,
  ContactPolicyInput,
  DecisionEvidence,
  PackRef,
  RuleEvaluation,
  RuleId,
  TimeZoneEvidence,
} from './types';
import {
  allowedOnLocalDay,
  combinedAllowed,
  DEFERRAL_HORIZON_DAYS,
  nextAllowed,
  type Interval,
  type NextAllowed,
  type TimeConstraint,
} from './windows';

/** The version of the combination logic itself (strictest wins), recorded beside the packs'. */
export const CONTACT_POLICY_ENGINE: PackRef = { id: 'contact-policy', version: '1.0.0' };

export interface EvaluateOptions {
  /** The packs to choose from; defaults to every pack in force. */
  readonly packs?: readonly RulePack[];
}

interface Evaluated {
  readonly pack: RulePack;
  readonly rule: RuleDefinition;
  readonly verdict: RuleVerdict;
}

const packRef = (pack: RulePack): PackRef => ({ id: pack.id, version: pack.version });
const ruleId = (pack: RulePack, rule: RuleDefinition): RuleId => `${pack.id}/${rule.name}`;

/**
 * Decides one contact attempt: every rule of every pack for the debtor's jurisdictions runs,
 * and the strictest outcome wins. A hold beats a block, a block beats a deferral, a deferral
 * beats allowing; time rules from all packs are intersected across every candidate zone, so a
 * deferral lands on the earliest instant that all of them allow. Pure: the same input gives
 * the same decision, evidence included.
 */
export function evaluateContactAttempt(
  input: ContactPolicyInput,
  options: EvaluateOptions = {},
): ContactDecision {
  const { attempt, debtor, counters } = input;
  const atMs = toMillis(attempt.at, 'attempt.at');
  const packs = selectPacks(debtor.jurisdictions, options.packs ?? CONTACT_POLICY_PACKS);
  const destinationPhone = isPhoneChannel(attempt.channel)
    ? debtor.phones.find((p) => p.id === attempt.destination.id)
    : undefined;
  const resolution = resolveZones(debtor, attempt.channel, attempt.destination.id, destinationPhone);
  const priorAttempts = counters.recentAttempts
    .map((a, i) => ({ atMs: toMillis(a.at, `counters.recentAttempts[${i}].at`), channel: a.channel }))
    .sort((a, b) => a.atMs - b.atMs || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
  const lastConversationMs =
    counters.lastConversationAt === null
      ? null
      : toMillis(counters.lastConversationAt, 'counters.lastConversationAt');
  const ctx: RuleContext = {
    attempt,
    atMs,
    debtor,
    destinationPhone,
    zones: resolution.zones,
    priorAttempts,
    lastConversationMs,
  };

  const evaluated: Evaluated[] = packs.flatMap((pack) =>
    pack.rules.map((rule) => ({ pack, rule, verdict: rule.evaluate(ctx) })),
  );
  const constraints = evaluated.flatMap((e) => (e.verdict.kind === 'window' ? [e.verdict.constraint] : []));
  const timing = constraints.length > 0 ? nextAllowed(constraints, resolution.zones, atMs) : undefined;
  const rules = evaluated.map((e) => toEvaluation(e, ctx, timing));

  const evidence: DecisionEvidence = {
    at: isoUtc(atMs),
    engine: CONTACT_POLICY_ENGINE,
    attempt: {
      channel: attempt.channel,
      destinationId: attempt.destination.id,
      purpose: attempt.purpose,
      dialing: attempt.dialing,
      initiatedBy: attempt.initiatedBy,
    },
    jurisdictions: debtor.jurisdictions.map(normalizeJurisdiction),
    packs: packs.map(packRef),
    rules,
    counters: {
      frequency: rules.flatMap((r) => (r.counters ? [{ rule: r.rule, ...r.counters }] : [])),
      lastConversationAt: lastConversationMs === null ? null : isoUtc(lastConversationMs),
    },
    ...(evaluated.some((e) => e.rule.mode === 'DEFER' && e.verdict.kind !== 'not_applicable')
      ? { timeZones: timeZoneEvidence(resolution, constraints, timing, atMs) }
      : {}),
  };
  const advice: Advice[] = rules.flatMap((r) =>
    r.outcome === 'advise'
      ? [{ rule: r.rule, pack: r.pack, message: r.reason ?? '', ...route(r.route) }]
      : [],
  );

  if (packs.length === 0) {
    const known = debtor.jurisdictions.map((j) => [j.country, j.region].filter(Boolean).join('-')).join(', ');
    return {
      outcome: 'block',
      rule: `${CONTACT_POLICY_ENGINE.id}/no-pack`,
      pack: CONTACT_POLICY_ENGINE,
      reason: `no rule pack covers the debtor's jurisdiction(s): ${known || 'none given'}`,
      advice,
      evidence,
    };
  }

  const holds = rules.filter((r) => r.outcome === 'hold');
  const firstHold = holds[0];
  if (firstHold) {
    const until = latest(holds.map((h) => h.until));
    return {
      outcome: 'hold',
      rule: firstHold.rule,
      pack: firstHold.pack,
      reason: firstHold.reason ?? '',
      ...route(firstHold.route),
      ...(until ? { until } : {}),
      advice,
      evidence,
    };
  }
  const blocks = rules.filter((r) => r.outcome === 'block');
  const firstBlock = blocks[0];
  if (firstBlock) {
    const retryAfter = latest(blocks.map((b) => b.until));
    return {
      outcome: 'block',
      rule: firstBlock.rule,
      pack: firstBlock.pack,
      reason: firstBlock.reason ?? '',
      ...(retryAfter ? { retryAfter } : {}),
      advice,
      evidence,
    };
  }
  const firstDefer = rules.find((r) => r.outcome === 'defer');
  if (firstDefer && timing?.nextAllowedMs != null) {
    return {
      outcome: 'defer',
      until: isoUtc(timing.nextAllowedMs),
      rule: firstDefer.rule,
      pack: firstDefer.pack,
      reason: firstDefer.reason ?? '',
      advice,
      evidence,
    };
  }
  return { outcome: 'allow', advice, evidence };
}

function route(value: string | undefined): { route?: string } {
  return value === undefined ? {} : { route: value };
}

/** The latest of the instants, or undefined when any is missing (that outcome does not lapse by itself). */
function latest(instants: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const instant of instants) {
    if (instant === undefined) return undefined;
    if (best === undefined || instant > best) best = instant;
  }
  return best;
}

function toEvaluation(e: Evaluated, ctx: RuleContext, timing: NextAllowed | undefined): RuleEvaluation {
  const base = {
    rule: ruleId(e.pack, e.rule),
    pack: packRef(e.pack),
    mode: e.rule.mode,
    citation: e.rule.citation,
  };
  const v = e.verdict;
  const reason = (text: string | undefined) => (text === undefined ? {} : { reason: text });
  switch (v.kind) {
    case 'pass':
      return {
        ...base,
        outcome: 'pass',
        ...reason(v.reason),
        ...(v.counters ? { counters: v.counters } : {}),
      };
    case 'not_applicable':
      return { ...base, outcome: 'not_applicable', ...reason(v.reason) };
    case 'block':
      return {
        ...base,
        outcome: 'block',
        reason: v.reason,
        ...(v.counters ? { counters: v.counters } : {}),
        ...(v.retryAfterMs === undefined ? {} : { until: isoUtc(v.retryAfterMs) }),
      };
    case 'hold':
      return {
        ...base,
        outcome: 'hold',
        reason: v.reason,
        ...route(v.route),
        ...(v.untilMs === undefined ? {} : { until: isoUtc(v.untilMs) }),
      };
    case 'advise':
      return { ...base, outcome: 'advise', reason: v.reason, ...route(v.route) };
    case 'window': {
      // Allowed now by this rule alone (in every zone)? Then it passes, whatever the others say.
      if (combinedAllowed([v.constraint], ctx.zones, ctx.atMs, ctx.atMs + 1).length > 0) {
        return { ...base, outcome: 'pass' };
      }
      if (!timing || timing.nextAllowedMs === null) {
        return {
          ...base,
          outcome: 'block',
          reason: `${v.reason}, and no time in the next ${DEFERRAL_HORIZON_DAYS} days is allowed in every zone by every time rule`,
        };
      }
      return { ...base, outcome: 'defer', reason: v.reason, until: isoUtc(timing.nextAllowedMs) };
    }
  }
}

function interval([start, end]: Interval, zone?: string): { start: string; end: string } {
  return zone
    ? { start: isoLocal(start, zone), end: isoLocal(end, zone) }
    : { start: isoUtc(start), end: isoUtc(end) };
}

function timeZoneEvidence(
  resolution: ZoneResolution,
  constraints: readonly TimeConstraint[],
  timing: NextAllowed | undefined,
  atMs: number,
): TimeZoneEvidence {
  return {
    sources: resolution.sources,
    candidateZones: resolution.zones,
    windows: resolution.zones.map((zone) => {
      const localTime = isoLocal(atMs, zone);
      return {
        zone,
        localTime,
        utcOffset: localTime.endsWith('Z') ? '+00:00' : localTime.slice(-6),
        allowedToday: allowedOnLocalDay(constraints, zone, atMs).map((i) => interval(i, zone)),
      };
    }),
    overlap: (timing?.overlap ?? []).map((i) => interval(i)),
    allowedNow: timing?.allowedNow ?? false,
    nextAllowedAt: timing?.nextAllowedMs == null ? null : isoUtc(timing.nextAllowedMs),
  };
}
