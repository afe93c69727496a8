import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { CONTACT_OUTCOMES, makeCaseFacts, type CaseFacts } from '../domain/case-facts';
import { sealPlan } from './compile';
import { DAY_MS, HOUR_MS } from './duration';
import { initialState, step } from './interpreter';
import { validateStrategySource } from './load';
import {
  HOLD_KINDS,
  PLAN_FORMAT,
  TREATMENT_COMMANDS,
  type Command,
  type Expr,
  type InterpreterState,
  type Plan,
  type PlanStep,
  type StrategyEvent,
} from './plan-types';
import { fullDefinition, minimalDefinition } from './test-fixtures';
import { compileStrategy } from './validate';

const T0 = Date.UTC(2025, 0, 6, 9);
const libraryDir = path.join(__dirname, 'library');

const libraryPlans: Plan[] = readdirSync(libraryDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => {
    const result = validateStrategySource(readFileSync(path.join(libraryDir, f), 'utf8'));
    if (!result.ok) throw new Error(`${f} is invalid`);
    return result.plan;
  });
const fixturePlans = [compileStrategy(fullDefinition()), compileStrategy(minimalDefinition())];

// ---------------------------------------------------------------------------------------------
// Random plans: instant steps only point forward, waiting steps anywhere, so every loop waits
// (which is what validation guarantees for real plans).

const conditions: Expr[] = [
  { type: 'compare', op: '>=', left: { type: 'fact', name: 'dpd' }, right: { type: 'number', value: 30 } },
  { type: 'fact', name: 'flags.vulnerable' },
  {
    type: 'compare',
    op: '==',
    left: { type: 'fact', name: 'amountOverdue' },
    right: { type: 'number', value: 0 },
  },
  {
    type: 'compare',
    op: '==',
    left: { type: 'fact', name: 'promiseStatus' },
    right: { type: 'string', value: 'pending' },
  },
  { type: 'boolean', value: true },
];

const randomPlan: fc.Arbitrary<Plan> = fc
  .integer({ min: 2, max: 12 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc
          .record({
            kind: fc.integer({ min: 0, max: 10 }),
            forward: fc.integer({ min: i + 1, max: n }),
            anywhere: fc.integer({ min: 0, max: n }),
            other: fc.integer({ min: 0, max: n }),
            condition: fc.constantFrom(...conditions),
            ms: fc.integer({ min: 1, max: 20 }).map((h) => h * HOUR_MS),
          })
          .map(({ kind, forward, anywhere, other, condition, ms }): PlanStep => {
            const id = `s${i}`;
            const ref = (j: number) => `s${j}`;
            if (i === n - 1) return { type: 'end', id, outcome: 'closed_other' };
            switch (kind) {
              case 0:
                return { type: 'send_reminder', id, channel: 'sms', template: 't', next: ref(forward) };
              case 1:
                return {
                  type: 'create_call_task',
                  id,
                  queue: 'q',
                  priority: 50,
                  dueMs: HOUR_MS,
                  next: ref(forward),
                };
              case 2:
                return { type: 'escalate', id, target: 'agency', reason: null, next: ref(forward) };
              case 3:
                return { type: 'assign', id, assignee: { queue: 'q' }, next: ref(forward) };
              case 4:
                return { type: 'set_flag', id, flag: 'x', value: true, next: ref(forward) };
              case 5:
                return {
                  type: 'branch',
                  id,
                  cases: [{ when: condition, next: ref(forward) }],
                  default: ref(Math.min(n - 1, forward)),
                };
              case 6:
                return { type: 'wait', id, durationMs: ms, next: ref(anywhere) };
              case 7:
                return {
                  type: 'wait_until',
                  id,
                  condition,
                  timeoutMs: ms,
                  next: ref(anywhere),
                  onTimeout: ref(other),
                };
              case 8:
                return {
                  type: 'await_promise',
                  id,
                  timeoutMs: ms,
                  onKept: ref(anywhere),
                  onBroken: ref(other),
                  onTimeout: ref(forward),
                };
              case 9:
                return { type: 'transfer', id, strategy: 'mid-stage' };
              default:
                return { type: 'end', id, outcome: 'cured' };
            }
          })
          .map((s) => (s.type !== 'end' && s.type !== 'transfer' && i === n - 1 ? s : s)),
      ),
    ),
  )
  .map((steps) => {
    const fixSteps = steps.map((s) => fixRefs(s, steps.length));
    return sealPlan({
      format: PLAN_FORMAT,
      strategyId: 'random',
      name: 'random',
      description: '',
      appliesTo: { buckets: null, products: null, segments: null, condition: null },
      flags: ['x'],
      start: 's0',
      steps: Object.fromEntries(fixSteps.map((s) => [s.id, s])),
      handlers: {
        promise_created: [
          { when: null, assign: null, setFlag: null, goto: `s${Math.floor(steps.length / 2)}` },
        ],
        dispute_opened: [{ when: null, assign: { queue: 'disputes' }, setFlag: null, goto: null }],
        cease_request: [{ when: null, assign: null, setFlag: null, goto: 's0' }],
      },
    });
  });

/** References to `s<n>` (one past the end) point at the last step, which always ends. */
function fixRefs(s: PlanStep, n: number): PlanStep {
  const fix = (ref: string) => (ref === `s${n}` ? `s${n - 1}` : ref);
  const copy = { ...s } as Record<string, unknown>;
  for (const field of ['next', 'onTimeout', 'onKept', 'onBroken', 'default']) {
    if (typeof copy[field] === 'string') copy[field] = fix(copy[field] as string);
  }
  if (s.type === 'branch') copy.cases = s.cases.map((c) => ({ ...c, next: fix(c.next) }));
  return copy as PlanStep;
}

// ---------------------------------------------------------------------------------------------
// Random histories

type Op =
  | { readonly kind: 'event'; readonly event: StrategyEvent; readonly after: number }
  | { readonly kind: 'fire'; readonly which: 'step' | 'hold' }
  | { readonly kind: 'stale' }
  | { readonly kind: 'facts'; readonly patch: Partial<CaseFacts>; readonly after: number };

const holdKind = fc.constantFrom(...HOLD_KINDS);
const eventArb: fc.Arbitrary<StrategyEvent> = fc.oneof(
  fc.constantFrom<StrategyEvent>(
    { type: 'promise_created' },
    { type: 'promise_kept' },
    { type: 'promise_broken' },
    { type: 'dispute_opened' },
    { type: 'dispute_resolved' },
    { type: 'cease_request' },
    { type: 'bankruptcy' },
    { type: 'hardship' },
    { type: 'cured' },
    { type: 'facts_updated' },
  ),
  fc
    .integer({ min: 1, max: 100_000 })
    .map((amountMinor): StrategyEvent => ({ type: 'payment_received', amountMinor, currency: 'EUR' })),
  fc
    .constantFrom(...CONTACT_OUTCOMES.filter((o) => o !== 'none'))
    .map((outcome): StrategyEvent => ({ type: 'agent_outcome', outcome })),
  fc
    .tuple(holdKind, fc.option(fc.integer({ min: 1, max: 90 })))
    .map(([hold, days]): StrategyEvent =>
      days === null
        ? { type: 'hold_placed', hold }
        : { type: 'hold_placed', hold, until: T0 + days * DAY_MS },
    ),
  holdKind.map((hold): StrategyEvent => ({ type: 'hold_released', hold })),
  fc.constant<StrategyEvent>({ type: 'contact_blocked', rule: 'reg-f-7-in-7' }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      event: eventArb,
      after: fc.integer({ min: 0, max: 3 * DAY_MS }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('fire' as const),
      which: fc.constantFrom('step' as const, 'hold' as const),
    }),
    weight: 4,
  },
  { arbitrary: fc.constant<Op>({ kind: 'stale' }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('facts' as const),
      patch: fc.record(
        {
          dpd: fc.integer({ min: 0, max: 200 }),
          amountOverdueMinor: fc.constantFrom(0, 5_000, 50_000),
          promiseStatus: fc.constantFrom('none' as const, 'pending' as const, 'broken' as const),
        },
        { requiredKeys: [] },
      ),
      after: fc.integer({ min: 0, max: DAY_MS }),
    }),
    weight: 2,
  },
);

const factsArb = fc.record({
  dpd: fc.integer({ min: 1, max: 150 }),
  vulnerable: fc.boolean(),
  dispute: fc.boolean(),
  balanceMinor: fc.integer({ min: 0, max: 2_000_000 }),
});

interface Call {
  readonly event: StrategyEvent;
  readonly now: number;
  readonly before: InterpreterState;
  readonly commands: readonly Command[];
  readonly after: InterpreterState;
}

/** Feeds a history to the interpreter, optionally round-tripping state through JSON between calls. */
function run(
  plan: Plan,
  initialFacts: { dpd: number; vulnerable: boolean; dispute: boolean; balanceMinor: number },
  ops: readonly Op[],
  viaJson: boolean,
): Call[] {
  let facts = makeCaseFacts({
    dpd: initialFacts.dpd,
    balanceMinor: initialFacts.balanceMinor,
    flags: { vulnerable: initialFacts.vulnerable, dispute: initialFacts.dispute },
  });
  let state = initialState(plan);
  let now = T0;
  const calls: Call[] = [];
  const send = (event: StrategyEvent) => {
    const before = state;
    const result = step(
      plan,
      viaJson ? (JSON.parse(JSON.stringify(state)) as InterpreterState) : state,
      facts,
      event,
      now,
    );
    state = result.state;
    calls.push({ event, now, before, commands: result.commands, after: state });
  };
  send({ type: 'started' });
  for (const op of ops) {
    switch (op.kind) {
      case 'event':
        now += op.after;
        send(op.event);
        break;
      case 'facts':
        now += op.after;
        facts = { ...facts, ...op.patch };
        send({ type: 'facts_updated' });
        break;
      case 'stale':
        send({ type: 'timer_fired', timerId: 'nope#0' });
        break;
      case 'fire': {
        const holdTimer = state.holds.find((h) => h.timerId !== null);
        if (op.which === 'hold' && holdTimer?.timerId) {
          send({ type: 'timer_fired', timerId: holdTimer.timerId });
        } else if (state.timer) {
          now = Math.max(now, state.timer.fireAt);
          send({ type: 'timer_fired', timerId: state.timer.timerId });
        }
        break;
      }
    }
  }
  return calls;
}

const planArb = fc.oneof(fc.constantFrom(...libraryPlans, ...fixturePlans), randomPlan);
const params = { numRuns: 300 };

describe('interpreter properties', () => {
  it('is deterministic, and a state carried through JSON (continue-as-new) behaves the same', () => {
    fc.assert(
      fc.property(planArb, factsArb, fc.array(opArb, { maxLength: 40 }), (plan, facts, ops) => {
        const first = run(plan, facts, ops, false);
        const again = run(plan, facts, ops, false);
        const viaJson = run(plan, facts, ops, true);
        expect(again).toEqual(first);
        expect(viaJson.map((c) => [c.commands, c.after])).toEqual(first.map((c) => [c.commands, c.after]));
      }),
      params,
    );
  });

  it('never emits a treatment while a hold is active', () => {
    fc.assert(
      fc.property(planArb, factsArb, fc.array(opArb, { maxLength: 40 }), (plan, facts, ops) => {
        for (const call of run(plan, facts, ops, false)) {
          const treatments = call.commands.filter((c) => TREATMENT_COMMANDS.has(c.type));
          if (call.after.holds.length > 0) expect(treatments).toEqual([]);
        }
      }),
      params,
    );
  });

  it('after every event the case has ended, waits on a timer, or is held: it never spins or stalls', () => {
    fc.assert(
      fc.property(planArb, factsArb, fc.array(opArb, { maxLength: 40 }), (plan, facts, ops) => {
        const stepCount = Object.keys(plan.steps).length;
        for (const call of run(plan, facts, ops, false)) {
          const s = call.after;
          expect(s.status).not.toBe('faulted');
          expect(call.commands.length).toBeLessThanOrEqual(4 * stepCount + 8);
          if (s.status === 'active') {
            const waiting =
              s.phase === 'waiting' && (s.timer !== null || (s.holds.length > 0 && s.frozenMs !== null));
            const heldInFront = s.phase === 'pending' && s.holds.length > 0;
            expect(waiting || heldInFront).toBe(true);
          } else {
            expect(['ended', 'transferred']).toContain(s.status);
          }
        }
      }),
      params,
    );
  });

  it('makes progress: firing the step timer always moves the case on', () => {
    fc.assert(
      fc.property(planArb, factsArb, fc.array(opArb, { maxLength: 40 }), (plan, facts, ops) => {
        for (const call of run(plan, facts, ops, false)) {
          if (call.event.type !== 'timer_fired' || call.before.timer?.timerId !== call.event.timerId)
            continue;
          const moved =
            call.after.status !== 'active' ||
            call.after.stepId !== call.before.stepId ||
            call.after.stepEnteredAt !== call.before.stepEnteredAt ||
            (call.after.timer !== null && call.after.timer.timerId !== call.before.timer.timerId);
          expect(moved).toBe(true);
        }
      }),
      params,
    );
  });

  it('hands out strictly increasing sequence numbers', () => {
    fc.assert(
      fc.property(planArb, factsArb, fc.array(opArb, { maxLength: 40 }), (plan, facts, ops) => {
        const seqs = run(plan, facts, ops, false).flatMap((c) => c.commands.map((command) => command.seq));
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      }),
      params,
    );
  });
});
