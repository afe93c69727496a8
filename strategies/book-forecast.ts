/**
 * The book forecast: runs one or two strategy versions over the facts of open cases with a
 * seeded response model, and reports per day the treatments by channel, the call tasks per
 * queue (the agent capacity needed) and, once the contact-policy rules exist, the attempts
 * they would block. Both arms see the same simulated debtors, so the difference between them
 * is the strategy's.
 *
 * Each case enters the version on day 0, as it would after a migration; the forecast does not
 * resume cases from their current workflow position.
 */
import { z } from 'zod';
import type { CaseFacts } from '../domain/case-facts';
import { planApplies } from './applies';
import { DAY_MS, HOUR_MS } from './duration';
import type { Plan } from './plan-types';
import { seededRandom, type Random } from './prng';
import {
  DEFAULT_SIMULATION_DAYS,
  SIMULATION_START,
  planStepper,
  runCase,
  type ContactPolicy,
  type Reaction,
  type ScheduledAction,
} from './simulator';

// ---------------------------------------------------------------------------------------------
// Response model

/** How debtors in one bucket respond. `neverAnswers` is what is left: 1 - pays - promises. */
export interface BucketResponse {
  /** Probability the debtor pays the arrears after the first treatment reaches them. */
  readonly pays: number;
  /** Probability the debtor, reached by the first call task, promises to pay within 7 days. */
  readonly promises: number;
  /** Probability a promise is kept. */
  readonly keepsPromise: number;
}

export interface ResponseModel {
  readonly seed: string;
  readonly buckets: Readonly<Record<string, BucketResponse>>;
  /** For buckets not listed. */
  readonly default: BucketResponse;
}

export const DEFAULT_RESPONSE_MODEL: ResponseModel = {
  seed: 'collections',
  buckets: {
    '1-29': { pays: 0.45, promises: 0.2, keepsPromise: 0.65 },
    '30-59': { pays: 0.2, promises: 0.25, keepsPromise: 0.5 },
    '60-89': { pays: 0.12, promises: 0.2, keepsPromise: 0.45 },
    '90-119': { pays: 0.06, promises: 0.15, keepsPromise: 0.35 },
    '120+': { pays: 0.03, promises: 0.1, keepsPromise: 0.3 },
  },
  default: { pays: 0.1, promises: 0.15, keepsPromise: 0.4 },
};

const probability = z
  .number()
  .min(0, { error: 'a probability is from 0 to 1' })
  .max(1, { error: 'a probability is from 0 to 1' });
const bucketResponseSchema = z
  .strictObject({ pays: probability, promises: probability, keepsPromise: probability })
  .refine((r) => r.pays + r.promises <= 1, {
    error: 'pays + promises must not exceed 1 (the rest never answers)',
  });

export const responseModelSchema = z.strictObject({
  seed: z.union([z.string(), z.number()]).transform(String).optional(),
  buckets: z.record(z.string(), bucketResponseSchema).optional(),
  default: bucketResponseSchema.optional(),
});

export function parseResponseModel(
  input: unknown,
): { ok: true; model: ResponseModel } | { ok: false; errors: string[] } {
  const parsed = responseModelSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(model)'}: ${i.message}`),
    };
  }
  return {
    ok: true,
    model: {
      seed: parsed.data.seed ?? DEFAULT_RESPONSE_MODEL.seed,
      buckets: parsed.data.buckets ?? DEFAULT_RESPONSE_MODEL.buckets,
      default: parsed.data.default ?? DEFAULT_RESPONSE_MODEL.default,
    },
  };
}

export type Persona =
  | { readonly kind: 'pays'; readonly delayDays: number }
  | { readonly kind: 'promises'; readonly keeps: boolean }
  | { readonly kind: 'never' };

/** Draws a debtor's behaviour from the model. Same seed + case key → same persona, in every arm. */
export function drawPersona(model: ResponseModel, facts: CaseFacts, caseKey: string): Persona {
  const random: Random = seededRandom(`${model.seed}:${caseKey}`);
  const response = model.buckets[facts.bucket] ?? model.default;
  const roll = random.next();
  if (roll < response.pays) return { kind: 'pays', delayDays: random.int(1, 7) };
  if (roll < response.pays + response.promises)
    return { kind: 'promises', keeps: random.next() < response.keepsPromise };
  return { kind: 'never' };
}

/** Turns a persona into reactions to what the strategy does. */
export function reactionFor(persona: Persona): Reaction | undefined {
  if (persona.kind === 'never') return undefined;
  let reacted = false;
  return (command, _facts, now) => {
    if (reacted) return undefined;
    const at = (days: number, hour: number) =>
      Math.floor(now / DAY_MS) * DAY_MS + days * DAY_MS + hour * HOUR_MS;
    if (
      persona.kind === 'pays' &&
      (command.type === 'send_reminder' || command.type === 'create_call_task')
    ) {
      reacted = true;
      return [{ at: at(persona.delayDays, 14), action: { type: 'pay', portion: 'overdue' } }];
    }
    if (persona.kind === 'promises' && command.type === 'create_call_task') {
      reacted = true;
      const callAt = Math.max(command.dueAt, now);
      const due = callAt + 7 * DAY_MS;
      const actions: ScheduledAction[] = [
        { at: callAt, action: { type: 'agent_outcome', outcome: 'promise_to_pay' } },
        { at: callAt, action: { type: 'promise_created', dueAt: due } },
      ];
      if (persona.keeps) {
        actions.push({ at: due, action: { type: 'pay', portion: 'overdue' } });
        actions.push({ at: due, action: { type: 'promise_kept' } });
      } else {
        actions.push({ at: due + DAY_MS, action: { type: 'promise_broken' } });
      }
      return actions;
    }
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// Forecast

export interface ForecastArmInput {
  readonly label: string;
  readonly plan: Plan;
}

export interface ForecastOptions {
  readonly arms: readonly ForecastArmInput[];
  readonly days?: number;
  /** Simulate a random sample of this many cases (reservoir sampling, seeded) and scale up. */
  readonly sample?: number;
  readonly model?: ResponseModel;
  /** Epoch ms of day 0 09:00; defaults to the simulator's fixed start. */
  readonly start?: number;
  /** The contact-policy hook; blocked attempts are counted per rule. Rules come in a later issue. */
  readonly policy?: ContactPolicy;
}

export interface ForecastDay {
  readonly day: number;
  readonly date: string;
  readonly treatments: Readonly<Record<string, number>>;
  readonly callTasks: Readonly<Record<string, number>>;
  readonly escalations: Readonly<Record<string, number>>;
  readonly blocked: Readonly<Record<string, number>>;
  readonly closed: Readonly<Record<string, number>>;
}

export interface ForecastArm {
  readonly label: string;
  readonly strategyId: string;
  readonly planHash: string;
  /** Cases the version applies to (simulated), before scaling. */
  readonly cases: number;
  /** Cases outside the version's segment, not simulated. */
  readonly notApplicable: number;
  readonly days: readonly ForecastDay[];
  readonly totals: Omit<ForecastDay, 'day' | 'date'>;
  /** How cases stood at the horizon: outcomes, transfers, still open. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Call tasks created within the horizon but due after it (not in any day's row). */
  readonly callTasksAfterHorizon: Readonly<Record<string, number>>;
}

export interface ForecastReport {
  readonly casesRead: number;
  readonly casesSimulated: number;
  /** Multiply figures by this to read them for the whole book (1 without sampling). */
  readonly scale: number;
  readonly seed: string;
  readonly days: number;
  readonly arms: readonly ForecastArm[];
}

type Counts = Record<string, number>;
interface DayCounts {
  treatments: Counts;
  callTasks: Counts;
  escalations: Counts;
  blocked: Counts;
  closed: Counts;
}

const bump = (counts: Counts, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

function sortedCounts(counts: Counts, scale: number): Counts {
  return Object.fromEntries(
    Object.entries(counts)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, Math.round(v * scale)]),
  );
}

/** Reservoir sample of `size` items, seeded; keeps input order among the chosen. */
async function sampleCases(
  source: AsyncIterable<CaseFacts> | Iterable<CaseFacts>,
  size: number | undefined,
  seed: string,
): Promise<{ cases: { facts: CaseFacts; key: string }[]; read: number }> {
  const random = seededRandom(`${seed}:sample`);
  const chosen: { facts: CaseFacts; key: string; index: number }[] = [];
  let read = 0;
  for await (const facts of source as AsyncIterable<CaseFacts>) {
    const key = facts.caseId ?? `#${read}`;
    if (size === undefined || chosen.length < size) chosen.push({ facts, key, index: read });
    else {
      const j = Math.floor(random.next() * (read + 1));
      if (j < size) chosen[j] = { facts, key, index: read };
    }
    read++;
  }
  chosen.sort((a, b) => a.index - b.index);
  return { cases: chosen.map(({ facts, key }) => ({ facts, key })), read };
}

export async function forecastBook(
  source: AsyncIterable<CaseFacts> | Iterable<CaseFacts>,
  options: ForecastOptions,
): Promise<ForecastReport> {
  const model = options.model ?? DEFAULT_RESPONSE_MODEL;
  const days = options.days ?? DEFAULT_SIMULATION_DAYS;
  const start = options.start ?? SIMULATION_START;
  const day0 = Math.floor(start / DAY_MS) * DAY_MS;
  const { cases, read } = await sampleCases(source, options.sample, model.seed);
  const scale = cases.length === 0 ? 1 : read / cases.length;

  const arms = options.arms.map((arm) => {
    const perDay: DayCounts[] = Array.from({ length: days + 1 }, () => ({
      treatments: {},
      callTasks: {},
      escalations: {},
      blocked: {},
      closed: {},
    }));
    const outcomes: Counts = {};
    const callTasksAfterHorizon: Counts = {};
    const dayOf = (at: number) => Math.min(days, Math.max(0, Math.floor((at - day0) / DAY_MS)));
    let simulated = 0;
    let notApplicable = 0;
    const stepper = planStepper(arm.plan);
    for (const { facts, key } of cases) {
      if (!planApplies(arm.plan, facts, start)) {
        notApplicable++;
        continue;
      }
      simulated++;
      const react = reactionFor(drawPersona(model, facts, key));
      let transfer: string | null = null;
      const run = runCase({
        stepper,
        facts,
        start,
        days,
        ...(react ? { react } : {}),
        ...(options.policy ? { policy: options.policy } : {}),
        onCommand: (command, at) => {
          const counts = perDay[dayOf(at)] as DayCounts;
          switch (command.type) {
            case 'send_reminder':
              bump(counts.treatments, command.channel);
              return;
            case 'create_call_task': {
              // Counted on the day the task is due: that is when an agent must work it.
              const due = Math.floor((command.dueAt - day0) / DAY_MS);
              if (due > days) bump(callTasksAfterHorizon, command.queue);
              else bump((perDay[dayOf(command.dueAt)] as DayCounts).callTasks, command.queue);
              return;
            }
            case 'escalate':
              bump(counts.escalations, command.target);
              return;
            case 'end':
              bump(counts.closed, command.outcome);
              return;
            case 'transfer':
              transfer = command.strategy;
              bump(counts.closed, `transferred to ${command.strategy}`);
              return;
            default:
              return;
          }
        },
        onActivation: options.policy
          ? (activation) => {
              for (const b of activation.blocked)
                bump((perDay[dayOf(activation.at)] as DayCounts).blocked, b.rule);
            }
          : undefined,
      });
      const state = run.state;
      bump(
        outcomes,
        state.status === 'ended'
          ? (state.outcome as string)
          : state.status === 'transferred'
            ? `transferred to ${transfer ?? '?'}`
            : state.status === 'faulted'
              ? 'faulted'
              : state.holds.length > 0
                ? 'open (held)'
                : 'open',
      );
    }
    const totals: DayCounts = { treatments: {}, callTasks: {}, escalations: {}, blocked: {}, closed: {} };
    for (const d of perDay) {
      for (const field of Object.keys(totals) as (keyof DayCounts)[]) {
        for (const [k, v] of Object.entries(d[field])) bump(totals[field], k, v);
      }
    }
    const render = (counts: DayCounts) => ({
      treatments: sortedCounts(counts.treatments, scale),
      callTasks: sortedCounts(counts.callTasks, scale),
      escalations: sortedCounts(counts.escalations, scale),
      blocked: sortedCounts(counts.blocked, scale),
      closed: sortedCounts(counts.closed, scale),
    });
    return {
      label: arm.label,
      strategyId: arm.plan.strategyId,
      planHash: arm.plan.hash,
      cases: simulated,
      notApplicable,
      days: perDay.map((counts, day) => ({
        day,
        date: new Date(day0 + day * DAY_MS).toISOString().slice(0, 10),
        ...render(counts),
      })),
      totals: render(totals),
      outcomes: sortedCounts(outcomes, scale),
      callTasksAfterHorizon: sortedCounts(callTasksAfterHorizon, scale),
    };
  });

  return { casesRead: read, casesSimulated: cases.length, scale, seed: model.seed, days, arms };
}
