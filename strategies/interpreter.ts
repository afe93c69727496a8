/**
 * The strategy interpreter: a pure, deterministic function of (plan, state, case facts, event,
 * now) returning the commands the case workflow must carry out and the new state. The case
 * workflow and the simulator run this same code.
 *
 * Rules it keeps whatever the plan says:
 * - No treatment (reminder, call task, escalation) is emitted while a hold is active. The case
 *   stops in front of the treatment step and runs it when the last hold is released; a wait in
 *   progress is frozen and resumes with the time it had left.
 * - Every activation ends with the case ended, transferred, or waiting on a timer (or frozen by
 *   a hold): it cannot spin. Loops are cut after a budget and reported as a `fault` command.
 * - Every command carries a fresh `seq`; workflow id + seq is the idempotency key of its effect.
 *
 * No zod, no I/O, no clock, no randomness: it runs in Temporal's workflow sandbox.
 */
import type { CaseFacts } from '../domain/case-facts';
import { evaluate, type EvalContext } from './condition-eval';
import {
  HOLD_PLACING_EVENTS,
  HOLD_RELEASING_EVENTS,
  type ActiveHold,
  type CaseOutcome,
  type Command,
  type HandlerEvent,
  type HoldKind,
  type InterpreterState,
  type Plan,
  type PlanRule,
  type PlanStep,
  type StepResult,
  type StrategyEvent,
} from './plan-types';

/** Steps one activation may run before the interpreter assumes a loop (validation forbids them). */
const STEP_BUDGET = 1000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function initialState(plan: Plan): InterpreterState {
  return {
    format: 1,
    planHash: plan.hash,
    status: 'new',
    stepId: null,
    phase: 'pending',
    stepEnteredAt: 0,
    timer: null,
    frozenMs: null,
    holds: [],
    seq: 0,
    startedAt: null,
    flags: {},
    outcome: null,
    fault: null,
  };
}

/** True while the case is held: no treatment will be emitted. */
export function isHeld(state: InterpreterState): boolean {
  return state.holds.length > 0;
}

export function isFinished(state: InterpreterState): boolean {
  return state.status === 'ended' || state.status === 'transferred' || state.status === 'faulted';
}

/**
 * Whether a `facts_updated` event could change anything now. The workflow (and the simulator)
 * may skip delivering fact changes when it is false: the interpreter would do nothing with them.
 */
export function wantsFactsUpdates(plan: Plan, state: InterpreterState): boolean {
  if (state.status !== 'active') return false;
  if (plan.handlers.facts_updated !== undefined) return true;
  if (state.holds.length > 0 || state.phase !== 'waiting' || state.stepId === null) return false;
  return plan.steps[state.stepId]?.type === 'wait_until';
}

class Activation {
  readonly commands: Command[] = [];
  readonly s: Mutable<InterpreterState>;
  private budget = STEP_BUDGET;
  /** wait_until steps already passed in this activation: re-entering one waits instead of re-checking. */
  private passedWaitUntil: string[] | null = null;

  constructor(
    private readonly plan: Plan,
    state: InterpreterState,
    private readonly facts: CaseFacts,
    private readonly event: StrategyEvent,
    private readonly now: number,
  ) {
    this.s = { ...state };
  }

  /** The next sequence number; every command takes one. */
  private seq(): number {
    return ++this.s.seq;
  }

  private push(command: Command): void {
    this.commands.push(command);
  }

  private context(): EvalContext {
    return {
      facts: this.facts,
      flags: this.s.flags,
      now: this.now,
      startedAt: this.s.startedAt,
      event: this.event,
    };
  }

  fault(reason: string): void {
    this.s.status = 'faulted';
    this.s.fault = reason;
    this.push({ type: 'fault', seq: this.seq(), reason });
  }

  private startTimer(timerId: string, fireAt: number): void {
    this.push({ type: 'start_timer', seq: this.seq(), timerId, fireAt });
  }

  private armStepTimer(stepId: string, durationMs: number): void {
    if (this.s.holds.length > 0) {
      this.s.frozenMs = durationMs;
      return;
    }
    const seq = this.s.seq + 1;
    const timerId = `${stepId}#${seq}`;
    const fireAt = this.now + durationMs;
    this.startTimer(timerId, fireAt);
    this.s.timer = { timerId, fireAt };
  }

  private cancelStepTimer(): void {
    if (this.s.timer) this.push({ type: 'cancel_timer', seq: this.seq(), timerId: this.s.timer.timerId });
    this.s.timer = null;
    this.s.frozenMs = null;
  }

  /** Call after cancelStepTimer and the end/transfer command: the case stops for good. */
  private finish(status: 'ended' | 'transferred'): void {
    for (const hold of this.s.holds)
      if (hold.timerId) this.push({ type: 'cancel_timer', seq: this.seq(), timerId: hold.timerId });
    this.s.status = status;
  }

  private end(stepId: string, outcome: CaseOutcome): void {
    this.cancelStepTimer();
    this.push({ type: 'end', seq: this.seq(), stepId, outcome });
    this.s.outcome = outcome;
    this.finish('ended');
  }

  goto(target: string): void {
    this.cancelStepTimer();
    this.s.stepId = target;
    this.s.phase = 'pending';
    this.s.stepEnteredAt = this.now;
    this.run();
  }

  /** Runs steps from the current one until the case waits, is held in front of a treatment, or ends. */
  run(): void {
    for (;;) {
      if (--this.budget < 0) {
        this.fault(`more than ${STEP_BUDGET} steps in one activation: the plan loops without waiting`);
        return;
      }
      const id = this.s.stepId as string;
      const step: PlanStep | undefined = this.plan.steps[id];
      if (!step) {
        this.fault(`step '${id}' is not in plan ${this.plan.strategyId} (${this.plan.hash})`);
        return;
      }
      if (
        this.s.holds.length > 0 &&
        (step.type === 'send_reminder' || step.type === 'create_call_task' || step.type === 'escalate')
      ) {
        this.s.phase = 'pending';
        return;
      }
      let next: string;
      switch (step.type) {
        case 'send_reminder':
          this.push({
            type: 'send_reminder',
            seq: this.seq(),
            stepId: id,
            channel: step.channel,
            template: step.template,
          });
          next = step.next;
          break;
        case 'create_call_task':
          this.push({
            type: 'create_call_task',
            seq: this.seq(),
            stepId: id,
            queue: step.queue,
            priority: step.priority,
            dueAt: this.now + step.dueMs,
          });
          next = step.next;
          break;
        case 'escalate':
          this.push({
            type: 'escalate',
            seq: this.seq(),
            stepId: id,
            target: step.target,
            reason: step.reason,
          });
          next = step.next;
          break;
        case 'assign':
          this.push({ type: 'assign', seq: this.seq(), stepId: id, assignee: step.assignee });
          next = step.next;
          break;
        case 'set_flag':
          this.setFlag(id, step.flag, step.value);
          next = step.next;
          break;
        case 'branch': {
          next = step.default;
          const ctx = this.context();
          for (const c of step.cases) {
            if (evaluate(c.when, ctx)) {
              next = c.next;
              break;
            }
          }
          break;
        }
        case 'wait':
          this.s.phase = 'waiting';
          this.armStepTimer(id, step.durationMs);
          return;
        case 'wait_until': {
          const passed = this.passedWaitUntil?.includes(id) ?? false;
          if (!passed && evaluate(step.condition, this.context())) {
            (this.passedWaitUntil ??= []).push(id);
            next = step.next;
            break;
          }
          this.s.phase = 'waiting';
          this.armStepTimer(id, step.timeoutMs);
          return;
        }
        case 'await_promise':
          this.s.phase = 'waiting';
          this.push({
            type: 'await_promise',
            seq: this.seq(),
            stepId: id,
            timeoutAt: this.now + step.timeoutMs,
          });
          this.armStepTimer(id, step.timeoutMs);
          return;
        case 'end':
          this.end(id, step.outcome);
          return;
        case 'transfer':
          this.cancelStepTimer();
          this.push({ type: 'transfer', seq: this.seq(), stepId: id, strategy: step.strategy });
          this.finish('transferred');
          return;
      }
      this.s.stepId = next;
      this.s.phase = 'pending';
      this.s.stepEnteredAt = this.now;
    }
  }

  private setFlag(stepId: string, flag: string, value: boolean): void {
    this.push({ type: 'set_flag', seq: this.seq(), stepId, flag, value });
    this.s.flags = { ...this.s.flags, [flag]: value };
  }

  /** Applies the first matching handler rule; returns whether it moved the case. */
  handle(eventType: HandlerEvent, event: StrategyEvent): 'moved' | 'matched' | 'none' {
    const rules: readonly PlanRule[] | undefined = this.plan.handlers[eventType];
    if (!rules) return 'none';
    const ctx: EvalContext = { ...this.context(), event };
    for (const rule of rules) {
      if (rule.when !== null && !evaluate(rule.when, ctx)) continue;
      const at = this.s.stepId ?? this.plan.start;
      if (rule.assign) this.push({ type: 'assign', seq: this.seq(), stepId: at, assignee: rule.assign });
      if (rule.setFlag) this.setFlag(at, rule.setFlag.flag, rule.setFlag.value);
      if (rule.goto !== null) {
        this.goto(rule.goto);
        return 'moved';
      }
      return 'matched';
    }
    return 'none';
  }

  start(): void {
    this.s.status = 'active';
    this.s.startedAt = this.now;
    this.s.planHash = this.plan.hash;
    const flags = this.facts.flags;
    const holds: ActiveHold[] = [];
    const initial: [boolean, HoldKind][] = [
      [flags.dispute, 'dispute'],
      [flags.bankruptcy, 'bankruptcy'],
      [flags.breathingSpace, 'breathing_space'],
      [flags.deceased, 'deceased_review'],
    ];
    for (const [set, kind] of initial) if (set) holds.push({ kind, since: this.now, timerId: null });
    this.s.holds = holds;
    this.s.stepId = this.plan.start;
    this.s.phase = 'pending';
    this.s.stepEnteredAt = this.now;
    this.run();
  }

  placeHold(kind: HoldKind, until: number | undefined): void {
    if (this.s.holds.some((h) => h.kind === kind)) return;
    if (this.s.holds.length === 0 && this.s.timer) {
      this.s.frozenMs = Math.max(0, this.s.timer.fireAt - this.now);
      this.push({ type: 'cancel_timer', seq: this.seq(), timerId: this.s.timer.timerId });
      this.s.timer = null;
    }
    let timerId: string | null = null;
    if (until !== undefined) {
      timerId = `hold:${kind}#${this.s.seq + 1}`;
      this.startTimer(timerId, Math.max(until, this.now));
    }
    this.s.holds = [...this.s.holds, { kind, since: this.now, timerId }];
  }

  /** Removes a hold; when `byTimer` is false its release timer (if any) is cancelled. */
  releaseHold(kind: HoldKind, byTimer: boolean): void {
    const hold = this.s.holds.find((h) => h.kind === kind);
    if (!hold) return;
    if (hold.timerId && !byTimer) this.push({ type: 'cancel_timer', seq: this.seq(), timerId: hold.timerId });
    this.s.holds = this.s.holds.filter((h) => h !== hold);
  }

  /** After the last hold goes: run the step the case stopped in front of, or restart the frozen wait. */
  resume(): void {
    if (this.s.holds.length > 0 || this.s.status !== 'active') return;
    if (this.s.phase === 'pending') {
      this.run();
      return;
    }
    const step = this.plan.steps[this.s.stepId as string];
    if (step?.type === 'wait_until' && evaluate(step.condition, this.context())) {
      this.goto(step.next);
      return;
    }
    if (this.s.frozenMs !== null && step) {
      const remaining = this.s.frozenMs;
      this.s.frozenMs = null;
      this.armStepTimer(step.id, remaining);
    }
  }

  onStepTimer(): void {
    const step = this.plan.steps[this.s.stepId as string];
    this.s.timer = null;
    if (!step) {
      this.fault(`step '${this.s.stepId}' is not in plan ${this.plan.strategyId}`);
      return;
    }
    switch (step.type) {
      case 'wait':
        this.goto(step.next);
        return;
      case 'wait_until':
      case 'await_promise':
        this.goto(step.onTimeout);
        return;
      default:
        return;
    }
  }

  /** Events without built-in hold semantics: step-local reactions, handlers, then wait_until. */
  general(event: Exclude<StrategyEvent, { type: 'started' | 'timer_fired' }>): void {
    const step = this.s.stepId === null ? undefined : this.plan.steps[this.s.stepId];
    if (step?.type === 'await_promise' && this.s.phase === 'waiting') {
      if (event.type === 'promise_kept') return this.goto(step.onKept);
      if (event.type === 'promise_broken') return this.goto(step.onBroken);
    }
    const handled = this.handle(event.type, event);
    if (handled === 'moved' || this.s.status !== 'active') return;
    if (handled === 'none' && event.type === 'cured') {
      this.end(this.s.stepId ?? this.plan.start, 'cured');
      return;
    }
    if (step?.type === 'wait_until' && this.s.phase === 'waiting' && this.s.holds.length === 0) {
      if (evaluate(step.condition, this.context())) this.goto(step.next);
    }
  }
}

/**
 * Feeds one event to the interpreter. Pure: the same arguments always give the same result,
 * and `state` is not modified.
 */
export function step(
  plan: Plan,
  state: InterpreterState,
  facts: CaseFacts,
  event: StrategyEvent,
  now: number,
): StepResult {
  if (state.status === 'ended' || state.status === 'transferred' || state.status === 'faulted') {
    return { commands: [], state };
  }
  if (state.status === 'new' && event.type !== 'started') return { commands: [], state };
  const a = new Activation(plan, state, facts, event, now);
  if (state.planHash !== plan.hash) {
    a.fault(`the case is pinned to plan ${state.planHash} but was given ${plan.hash}: migrate it explicitly`);
    return { commands: a.commands, state: a.s };
  }

  switch (event.type) {
    case 'started':
      if (state.status !== 'new') return { commands: [], state };
      a.start();
      break;
    case 'timer_fired': {
      const hold = state.holds.find((h) => h.timerId === event.timerId);
      if (hold) {
        a.releaseHold(hold.kind, true);
        const released: StrategyEvent = { type: 'hold_released', hold: hold.kind };
        if (a.handle('hold_released', released) !== 'moved') a.resume();
      } else if (state.timer && state.timer.timerId === event.timerId) {
        a.onStepTimer();
      } else {
        return { commands: [], state };
      }
      break;
    }
    case 'hold_placed':
    case 'dispute_opened':
    case 'bankruptcy': {
      const kind = event.type === 'hold_placed' ? event.hold : (HOLD_PLACING_EVENTS[event.type] as HoldKind);
      a.placeHold(kind, event.type === 'hold_placed' ? event.until : undefined);
      a.handle(event.type, event);
      break;
    }
    case 'hold_released':
    case 'dispute_resolved': {
      const kind =
        event.type === 'hold_released' ? event.hold : (HOLD_RELEASING_EVENTS[event.type] as HoldKind);
      a.releaseHold(kind, false);
      if (a.handle(event.type, event) !== 'moved') a.resume();
      break;
    }
    default:
      a.general(event);
  }
  return { commands: a.commands, state: a.s };
}

/**
 * Puts the case on `stepId` of `plan` and runs from there, as a migration to another plan
 * version does at a safe point: the old step's timer is cancelled, holds stay in force (a
 * treatment step then waits in front of the hold), and the state is pinned to `plan`.
 */
export function enterStep(
  plan: Plan,
  state: InterpreterState,
  facts: CaseFacts,
  stepId: string,
  now: number,
): StepResult {
  if (state.status !== 'active') return { commands: [], state };
  const a = new Activation(plan, { ...state, planHash: plan.hash }, facts, { type: 'facts_updated' }, now);
  if (!plan.steps[stepId]) {
    a.fault(`step '${stepId}' is not in plan ${plan.strategyId} (${plan.hash})`);
    return { commands: a.commands, state: a.s };
  }
  a.goto(stepId);
  return { commands: a.commands, state: a.s };
}
