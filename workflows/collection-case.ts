/**
 * The collection case: one durable workflow per delinquent loan (id `case-<caseId>`). It runs
 * the case's pinned strategy version through the pure interpreter in strategies/, turns the
 * interpreter's commands into durable timers and effect batches (one activity, one PostgreSQL
 * transaction each), watches promises to pay with timers, and reacts to payments, loan updates
 * and agent actions as they arrive. Every event, whether a signal, an update or a timer, goes
 * through one queue processed in order, so handlers never interleave.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities/case-activities';
import { bucketForDpd } from '../domain/buckets';
import type { CaseFacts, ContactOutcome } from '../domain/case-facts';
import type { CaseEffect, CaseRowUpdate, EffectBatchResult } from '../domain/case-effects';
import { landingStep, migrateInterpreterState } from '../strategies/migrate';
import { initialState, isFinished, step as interpret, wantsFactsUpdates } from '../strategies/interpreter';
import {
  CASE_OUTCOMES,
  HOLD_KINDS,
  type CaseOutcome,
  type Command,
  type HoldKind,
  type InterpreterState,
  type Plan,
  type StrategyEvent,
} from '../strategies/plan-types';
import {
  type Actor,
  type CaseStateView,
  type CaseStatus,
  type CollectionCaseInput,
  type CreatePromise,
  type MigrateStrategy,
  type MigrationPreview,
  type NextActionView,
  type PromiseView,
  type UpdateResult,
  bankruptcyUpdate,
  breathingSpaceUpdate,
  caseStateQuery,
  ceaseRequestUpdate,
  closeUpdate,
  contactDeliveryResultSignal,
  createPromiseUpdate,
  escalateUpdate,
  hardshipUpdate,
  loanUpdatedSignal,
  migrateStrategyUpdate,
  nextActionQuery,
  openDisputeUpdate,
  pauseUpdate,
  paymentReceivedSignal,
  paymentReversedSignal,
  reassignUpdate,
  recordCallOutcomeUpdate,
  releaseHoldUpdate,
  resolveDisputeUpdate,
} from './messages';
import { CASE_SEARCH_ATTRIBUTE_KEYS as SA } from './search-attributes';

// A dependency outage delays the case, never drops an effect: retry without limit.
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;

const { commitCaseEffects: commitCaseEffectsAsActivity, resolveStrategyPlan } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY,
});

/**
 * An effect batch is one short PostgreSQL transaction, so it runs as a local activity: inside
 * the workflow task that produced it, recorded as a marker, with no activity task for the
 * server to schedule, dispatch and complete and no second workflow task to act on its result.
 * That halves what the Temporal cluster does per strategy step. Past `localRetryThreshold` the
 * retries wait on durable timers, so a long database outage holds no workflow task open.
 */
const { commitCaseEffects: commitCaseEffectsLocally } = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '30 seconds',
  retry: RETRY,
});

/** Runs recorded before the change scheduled effect batches as ordinary activities; their replays still do. */
export const LOCAL_EFFECT_BATCHES_PATCH = 'effect-batches-as-local-activities';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_GRACE_DAYS = 2;
const BREATHING_SPACE_DAYS = 60;
/** Payment ids remembered for de-duplication across continue-as-new. */
const REMEMBERED_PAYMENTS = 500;

export interface PromiseState extends PromiseView {
  createdAt: number;
}

interface PaymentRecord {
  paymentId: string;
  amountMinor: number;
  reversed: boolean;
}

/** Everything the case carries across continue-as-new. Plain JSON. */
export interface CaseState {
  caseId: string;
  loanId: string;
  plan: Plan;
  strategyVersion: number;
  experimentArm: string | null;
  interp: InterpreterState;
  facts: CaseFacts;
  /** Durable timers by id: interpreter timers, promise checks, deferred contacts. */
  timers: Record<string, number>;
  promise: PromiseState | null;
  promiseSeq: number;
  payments: PaymentRecord[];
  counters: CaseStateView['counters'];
  lastContact: { at: number; outcome: ContactOutcome } | null;
  assignment: { queue: string | null; agent: string | null };
  openedAt: string;
  closed: { outcome: CaseOutcome; at: number } | null;
  /** Contact requests the contact policy deferred, by effect key. */
  deferred: Record<string, { stepId: string; channel: string; template: string }>;
  /** Events accepted but not yet processed when the workflow continued as new. */
  pending: QueuedEvent[];
  /** For tests and operations: continue as new after this many processed events. */
  continueAsNewAfter: number | null;
  /** A `transfer` step asked for another strategy; resolved by an activity before the next event. */
  transferTo: string | null;
}

/** Input of the queue: every change to the case, in arrival order. */
type QueuedEvent =
  | { kind: 'start' }
  | { kind: 'timer'; timerId: string }
  | { kind: 'payment'; paymentId: string; amountMinor: number; currency: string; at: string }
  | { kind: 'reversal'; paymentId: string; reason: string; at: string }
  | { kind: 'loan'; dpd: number; balanceMinor: number; amountOverdueMinor: number; status: string; asOf: string }
  | { kind: 'delivery'; effectKey: string; channel: string; status: string; at: string }
  | { kind: 'update'; id: string; name: string; args: unknown };

export interface CaseResult {
  caseId: string;
  outcome: CaseOutcome;
  closedAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function collectionCase(input: CollectionCaseInput): Promise<CaseResult> {
  const state: CaseState =
    (input.carried as CaseState | undefined) ?? {
      caseId: input.caseId,
      loanId: input.loanId,
      plan: input.plan,
      strategyVersion: input.strategyVersion,
      experimentArm: input.experimentArm ?? null,
      interp: initialState(input.plan),
      facts: input.facts,
      timers: {},
      promise: null,
      promiseSeq: 0,
      payments: [],
      counters: {
        remindersSent: 0,
        callTasksCreated: 0,
        escalations: 0,
        paymentsReceived: 0,
        amountPaidMinor: 0,
        brokenPromises: 0,
        contactsBlocked: 0,
      },
      lastContact: null,
      assignment: input.assignment ?? { queue: null, agent: null },
      openedAt: input.openedAt,
      closed: null,
      deferred: {},
      pending: [{ kind: 'start' }],
      continueAsNewAfter: input.continueAsNewAfter ?? null,
      transferTo: null,
    };
  const workflowId = workflowInfo().workflowId;
  const queue: QueuedEvent[] = state.pending;
  state.pending = [];
  const results = new Map<string, UpdateResult | MigrationPreview | { error: string }>();
  let processed = 0;

  // ------------------------------------------------------------------------------------------
  // Messages

  const enqueueUpdate = async <R>(name: string, args: unknown): Promise<R> => {
    const id = currentUpdateInfo()?.id ?? `${name}-${workflowInfo().historyLength}`;
    queue.push({ kind: 'update', id, name, args });
    await condition(() => results.has(id));
    const result = results.get(id)!;
    results.delete(id);
    if ('error' in result) throw ApplicationFailure.nonRetryable(result.error, 'INVALID_FOR_CASE_STATE');
    return result as R;
  };
  const rejectIfClosed = () => {
    if (state.closed) throw new Error(`the case is closed (${state.closed.outcome})`);
  };
  const requireActor = (actor: Actor | undefined) => {
    if (!actor || typeof actor.id !== 'string' || actor.id.length === 0) throw new Error('actor.id is required');
  };
  const supervisorOnly = (actor: Actor) => {
    if (actor.role !== 'supervisor' && actor.role !== 'system') throw new Error('only a supervisor may do this');
  };
  const holdActive = (kind: HoldKind) => state.interp.holds.some((h) => h.kind === kind);

  setHandler(paymentReceivedSignal, (p) => {
    queue.push({ kind: 'payment', paymentId: p.paymentId, amountMinor: p.amountMinor, currency: p.currency, at: p.receivedAt });
  });
  setHandler(paymentReversedSignal, (p) => {
    queue.push({ kind: 'reversal', paymentId: p.paymentId, reason: p.reason, at: p.reversedAt });
  });
  setHandler(loanUpdatedSignal, (l) => {
    queue.push({ kind: 'loan', dpd: l.dpd, balanceMinor: l.balanceMinor, amountOverdueMinor: l.amountOverdueMinor, status: l.status, asOf: l.asOf });
  });
  setHandler(contactDeliveryResultSignal, (d) => {
    queue.push({ kind: 'delivery', effectKey: d.effectKey, channel: d.channel, status: d.status, at: d.at });
  });

  setHandler(recordCallOutcomeUpdate, (a) => enqueueUpdate('recordCallOutcome', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (!a.outcome || a.outcome === 'none') throw new Error('outcome is required');
    },
  });
  setHandler(createPromiseUpdate, (a) => enqueueUpdate('createPromise', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      validatePromise(a, state, Date.now());
    },
  });
  setHandler(openDisputeUpdate, (a) => enqueueUpdate('openDispute', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (holdActive('dispute')) throw new Error('a dispute is already open on this case');
      if (!a.reason) throw new Error('reason is required');
    },
  });
  setHandler(resolveDisputeUpdate, (a) => enqueueUpdate('resolveDispute', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (!holdActive('dispute')) throw new Error('there is no open dispute on this case');
    },
  });
  setHandler(ceaseRequestUpdate, (a) => enqueueUpdate('ceaseRequest', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (state.facts.flags.cease) throw new Error('a cease request is already recorded');
    },
  });
  setHandler(bankruptcyUpdate, (a) => enqueueUpdate('bankruptcy', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (holdActive('bankruptcy')) throw new Error('the case is already held for bankruptcy');
    },
  });
  setHandler(breathingSpaceUpdate, (a) => enqueueUpdate('breathingSpace', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (holdActive('breathing_space')) throw new Error('the case is already in breathing space');
      if (a.until !== undefined && !(Date.parse(a.until) > Date.now())) throw new Error('until must be a future date');
    },
  });
  setHandler(hardshipUpdate, (a) => enqueueUpdate('hardship', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
    },
  });
  setHandler(pauseUpdate, (a) => enqueueUpdate('pause', a), {
    validator: (a) => {
      requireActor(a.actor);
      supervisorOnly(a.actor);
      rejectIfClosed();
      if (holdActive('manual_pause')) throw new Error('the case is already paused');
      if (a.until !== undefined && !(Date.parse(a.until) > Date.now())) throw new Error('until must be a future date');
    },
  });
  setHandler(releaseHoldUpdate, (a) => enqueueUpdate('releaseHold', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (!HOLD_KINDS.includes(a.hold)) throw new Error(`hold must be one of ${HOLD_KINDS.join(', ')}`);
      if (!holdActive(a.hold)) throw new Error(`the case has no ${a.hold} hold`);
      if (a.hold !== 'manual_pause') supervisorOnly(a.actor);
    },
  });
  setHandler(reassignUpdate, (a) => enqueueUpdate('reassign', a), {
    validator: (a) => {
      requireActor(a.actor);
      supervisorOnly(a.actor);
      rejectIfClosed();
      if (!a.queue && !a.agent) throw new Error('queue or agent is required');
    },
  });
  setHandler(escalateUpdate, (a) => enqueueUpdate('escalate', a), {
    validator: (a) => {
      requireActor(a.actor);
      rejectIfClosed();
      if (!a.reason) throw new Error('reason is required');
    },
  });
  setHandler(closeUpdate, (a) => enqueueUpdate('close', a), {
    validator: (a) => {
      requireActor(a.actor);
      supervisorOnly(a.actor);
      rejectIfClosed();
      if (!CASE_OUTCOMES.includes(a.outcome)) throw new Error(`outcome must be one of ${CASE_OUTCOMES.join(', ')}`);
    },
  });
  setHandler(migrateStrategyUpdate, (a) => enqueueUpdate('migrateStrategy', a), {
    validator: (a) => {
      requireActor(a.actor);
      supervisorOnly(a.actor);
      rejectIfClosed();
      validateMigration(a, state);
    },
  });

  setHandler(caseStateQuery, () => caseStateView(state));
  setHandler(nextActionQuery, () => nextActionView(state));

  // ------------------------------------------------------------------------------------------
  // Processing

  let effects: CaseEffect[] = [];
  const timeline = (key: string, type: string, payload: Record<string, unknown>, actor: string) => {
    effects.push({ kind: 'timeline', key: `${workflowId}:${key}`, type, payload, actor, occurredAt: iso(Date.now()) });
  };

  /** Feed one event to the interpreter and turn its commands into timers and effects. */
  const feed = (event: StrategyEvent) => {
    const result = interpret(state.plan, state.interp, state.facts, event, Date.now());
    state.interp = result.state;
    for (const command of result.commands) applyCommand(command);
  };

  const applyCommand = (command: Command) => {
    const key = `${workflowId}:${command.seq}`;
    const now = Date.now();
    switch (command.type) {
      case 'start_timer':
        state.timers[command.timerId] = command.fireAt;
        return;
      case 'cancel_timer':
        delete state.timers[command.timerId];
        return;
      case 'send_reminder':
        state.counters.remindersSent++;
        effects.push({
          kind: 'contact_request',
          key,
          stepId: command.stepId,
          channel: command.channel,
          template: command.template,
          automated: true,
          requestedAt: iso(now),
        });
        return;
      case 'create_call_task':
        state.counters.callTasksCreated++;
        effects.push({
          kind: 'call_task',
          key,
          stepId: command.stepId,
          queue: command.queue,
          priority: command.priority,
          dueAt: iso(command.dueAt),
        });
        return;
      case 'escalate':
        state.counters.escalations++;
        timeline(String(command.seq), 'escalated', { target: command.target, reason: command.reason, stepId: command.stepId }, 'strategy');
        return;
      case 'assign':
        state.assignment = 'queue' in command.assignee ? { queue: command.assignee.queue, agent: null } : { ...state.assignment, agent: command.assignee.agent };
        timeline(String(command.seq), 'assigned', { ...command.assignee, stepId: command.stepId }, 'strategy');
        return;
      case 'set_flag':
        timeline(String(command.seq), 'flag_set', { flag: command.flag, value: command.value, stepId: command.stepId }, 'strategy');
        return;
      case 'await_promise':
        timeline(String(command.seq), 'awaiting_promise', { stepId: command.stepId, timeoutAt: iso(command.timeoutAt) }, 'strategy');
        return;
      case 'end':
        close(command.outcome, 'strategy', String(command.seq));
        return;
      case 'transfer':
        timeline(String(command.seq), 'strategy_transfer_requested', { strategy: command.strategy, stepId: command.stepId }, 'strategy');
        state.transferTo = command.strategy;
        return;
      case 'fault':
        // A plan/state mismatch is an incident for people, not something to retry.
        log.error('strategy fault', { caseId: state.caseId, reason: command.reason });
        timeline(String(command.seq), 'strategy_fault', { reason: command.reason }, 'system');
        return;
    }
  };

  const close = (outcome: CaseOutcome, actor: string, key: string) => {
    if (state.closed) return;
    state.closed = { outcome, at: Date.now() };
    state.timers = {};
    if (state.promise?.status === 'pending') {
      state.promise = { ...state.promise, status: 'cancelled' };
      promiseEffect(`${key}:promise`, 'system');
    }
    timeline(key, 'case_closed', { outcome }, actor);
  };

  const promiseEffect = (key: string, actor: string) => {
    const p = state.promise!;
    effects.push({
      kind: 'promise',
      key: `${workflowId}:${key}`,
      promiseId: p.promiseId,
      status: p.status,
      currency: p.currency,
      instalments: p.instalments,
      paidMinor: p.paidMinor,
      graceDays: p.graceDays,
      createdBy: actor,
    });
  };

  const setFacts = (patch: Partial<CaseFacts>) => {
    state.facts = { ...state.facts, ...patch };
  };
  const setFlag = (flag: string, value: boolean) => {
    state.facts = { ...state.facts, flags: { ...state.facts.flags, [flag]: value } };
  };

  /** Kept when payments since the promise cover every instalment due so far and the total. */
  const checkPromise = (key: string, atTimer: boolean) => {
    const p = state.promise;
    if (!p || p.status !== 'pending') return;
    const total = p.instalments.reduce((sum, i) => sum + i.amountMinor, 0);
    if (p.paidMinor >= total) {
      state.promise = { ...p, status: 'kept' };
      for (const id of Object.keys(state.timers)) if (id.startsWith(`promise:${p.promiseId}:`)) delete state.timers[id];
      setFacts({ promiseStatus: 'kept' });
      promiseEffect(key, 'system');
      timeline(`${key}:kept`, 'promise_kept', { promiseId: p.promiseId, paidMinor: p.paidMinor }, 'system');
      feed({ type: 'promise_kept' });
      return;
    }
    if (!atTimer) return;
    const now = Date.now();
    let dueSoFar = 0;
    for (const i of p.instalments) if (Date.parse(i.dueDate) + p.graceDays * DAY_MS <= now) dueSoFar += i.amountMinor;
    if (p.paidMinor < dueSoFar) {
      state.promise = { ...p, status: 'broken' };
      for (const id of Object.keys(state.timers)) if (id.startsWith(`promise:${p.promiseId}:`)) delete state.timers[id];
      state.counters.brokenPromises++;
      setFacts({ promiseStatus: 'broken', brokenPromiseCount: state.facts.brokenPromiseCount + 1 });
      promiseEffect(key, 'system');
      timeline(`${key}:broken`, 'promise_broken', { promiseId: p.promiseId, paidMinor: p.paidMinor, dueMinor: dueSoFar }, 'system');
      feed({ type: 'promise_broken' });
    }
  };

  const handleEvent = (event: QueuedEvent): UpdateResult | MigrationPreview | { error: string } | undefined => {
    const now = Date.now();
    switch (event.kind) {
      case 'start':
        timeline('opened', 'strategy_started', { strategyId: state.plan.strategyId, version: state.strategyVersion, planHash: state.plan.hash, arm: state.experimentArm }, 'system');
        feed({ type: 'started' });
        return;
      case 'timer': {
        if (event.timerId.startsWith('promise:')) {
          checkPromise(`timer:${event.timerId}`, true);
        } else if (event.timerId.startsWith('defer:')) {
          const key = event.timerId.slice('defer:'.length);
          const d = state.deferred[key];
          delete state.deferred[key];
          if (d && !state.closed) {
            effects.push({ kind: 'contact_request', key: `${key}:retry@${now}`, stepId: d.stepId, channel: d.channel, template: d.template, automated: true, requestedAt: iso(now) });
          }
        } else {
          feed({ type: 'timer_fired', timerId: event.timerId });
        }
        return;
      }
      case 'payment': {
        if (state.payments.some((p) => p.paymentId === event.paymentId)) return;
        if (event.currency !== state.facts.currency) {
          timeline(`payment:${event.paymentId}`, 'payment_rejected', { paymentId: event.paymentId, reason: `currency ${event.currency} is not the loan's ${state.facts.currency}` }, 'system');
          return;
        }
        state.payments = [...state.payments, { paymentId: event.paymentId, amountMinor: event.amountMinor, reversed: false }].slice(-REMEMBERED_PAYMENTS);
        state.counters.paymentsReceived++;
        state.counters.amountPaidMinor += event.amountMinor;
        setFacts({
          balanceMinor: Math.max(0, state.facts.balanceMinor - event.amountMinor),
          amountOverdueMinor: Math.max(0, state.facts.amountOverdueMinor - event.amountMinor),
        });
        timeline(`payment:${event.paymentId}`, 'payment_received', { paymentId: event.paymentId, amountMinor: event.amountMinor, currency: event.currency }, 'system');
        if (state.promise?.status === 'pending') state.promise = { ...state.promise, paidMinor: state.promise.paidMinor + event.amountMinor };
        feed({ type: 'payment_received', amountMinor: event.amountMinor, currency: event.currency });
        checkPromise(`payment:${event.paymentId}:promise`, false);
        return;
      }
      case 'reversal': {
        const payment = state.payments.find((p) => p.paymentId === event.paymentId);
        if (!payment || payment.reversed) return;
        state.payments = state.payments.map((p) => (p === payment ? { ...p, reversed: true } : p));
        state.counters.amountPaidMinor -= payment.amountMinor;
        setFacts({ balanceMinor: state.facts.balanceMinor + payment.amountMinor, amountOverdueMinor: state.facts.amountOverdueMinor + payment.amountMinor });
        timeline(`reversal:${event.paymentId}`, 'payment_reversed', { paymentId: event.paymentId, amountMinor: payment.amountMinor, reason: event.reason }, 'system');
        if (state.promise && (state.promise.status === 'pending' || state.promise.status === 'kept')) {
          state.promise = { ...state.promise, paidMinor: Math.max(0, state.promise.paidMinor - payment.amountMinor) };
        }
        return;
      }
      case 'loan': {
        const wasDelinquent = state.facts.dpd > 0;
        setFacts({ dpd: event.dpd, bucket: bucketForDpd(event.dpd), balanceMinor: event.balanceMinor, amountOverdueMinor: event.amountOverdueMinor });
        timeline(`loan:${event.asOf}:${event.status}:${event.dpd}`, 'loan_updated', { dpd: event.dpd, status: event.status }, 'system');
        if (event.status === 'paid_off' || event.status === 'settled' || event.status === 'written_off') {
          close(event.status, 'system', `loan:${event.asOf}:close`);
          return;
        }
        if (wasDelinquent && event.dpd === 0) {
          feed({ type: 'cured' });
          return;
        }
        if (wantsFactsUpdates(state.plan, state.interp)) feed({ type: 'facts_updated' });
        return;
      }
      case 'delivery': {
        timeline(`delivery:${event.effectKey}:${event.status}`, 'contact_delivery', { effectKey: event.effectKey, channel: event.channel, status: event.status }, 'system');
        return;
      }
      case 'update':
        return processUpdate(event.id, event.name, event.args);
    }
  };

  const updateResult = (detail?: Record<string, unknown>): UpdateResult => ({
    status: statusOf(state),
    stepId: state.interp.stepId,
    ...(detail ? { detail } : {}),
  });

  const processUpdate = (id: string, name: string, args: unknown): UpdateResult | MigrationPreview | { error: string } => {
    // Re-checked here: the state may have changed between validation and processing.
    if (state.closed && name !== 'migrateStrategy') return { error: `the case is closed (${state.closed.outcome})` };
    const now = Date.now();
    const a = args as { actor: Actor } & Record<string, unknown>;
    const actor = a.actor.id;
    const key = `update:${id}`;
    switch (name) {
      case 'recordCallOutcome': {
        const outcome = a.outcome as ContactOutcome;
        state.lastContact = { at: now, outcome };
        setFacts({ lastContactOutcome: outcome, daysSinceLastContact: 0 });
        timeline(key, 'call_outcome', { outcome, note: a.note ?? null }, actor);
        feed({ type: 'agent_outcome', outcome });
        return updateResult({ outcome });
      }
      case 'createPromise': {
        const c = args as CreatePromise;
        const instalments = c.instalments ?? [{ amountMinor: c.amountMinor!, dueDate: c.dueDate! }];
        state.promiseSeq++;
        const promiseId = `${state.caseId}-p${state.promiseSeq}`;
        const graceDays = c.graceDays ?? DEFAULT_GRACE_DAYS;
        state.promise = { promiseId, status: 'pending', currency: c.currency, instalments, paidMinor: 0, graceDays, createdAt: now };
        instalments.forEach((i, n) => {
          state.timers[`promise:${promiseId}:${n}`] = Date.parse(i.dueDate) + graceDays * DAY_MS;
        });
        setFacts({ promiseStatus: 'pending' });
        promiseEffect(key, actor);
        timeline(`${key}:event`, 'promise_created', { promiseId, instalments, currency: c.currency, graceDays }, actor);
        const total = instalments.reduce((s, i) => s + i.amountMinor, 0);
        feed({ type: 'promise_created', amountMinor: total, currency: c.currency, dueAt: Date.parse(instalments[0]!.dueDate) });
        return updateResult({ promiseId });
      }
      case 'openDispute':
        setFlag('dispute', true);
        timeline(key, 'dispute_opened', { reason: a.reason }, actor);
        feed({ type: 'dispute_opened' });
        return updateResult({ hold: 'dispute' });
      case 'resolveDispute':
        setFlag('dispute', false);
        timeline(key, 'dispute_resolved', { resolution: a.resolution }, actor);
        feed({ type: 'dispute_resolved' });
        return updateResult({ resolution: a.resolution });
      case 'ceaseRequest':
        setFlag('cease', true);
        timeline(key, 'cease_requested', { reason: a.reason ?? null }, actor);
        feed({ type: 'cease_request' });
        return updateResult();
      case 'bankruptcy':
        setFlag('bankruptcy', true);
        timeline(key, 'bankruptcy_recorded', { reason: a.reason ?? null }, actor);
        feed({ type: 'bankruptcy' });
        return updateResult({ hold: 'bankruptcy' });
      case 'breathingSpace': {
        const until = a.until ? Date.parse(a.until as string) : now + BREATHING_SPACE_DAYS * DAY_MS;
        setFlag('breathingSpace', true);
        timeline(key, 'hold_placed', { hold: 'breathing_space', until: iso(until) }, actor);
        feed({ type: 'hold_placed', hold: 'breathing_space', until });
        return updateResult({ hold: 'breathing_space', until: iso(until) });
      }
      case 'hardship':
        setFlag('hardship', true);
        timeline(key, 'hardship_recorded', { reason: a.reason ?? null }, actor);
        feed({ type: 'hardship' });
        return updateResult();
      case 'pause': {
        const until = a.until ? Date.parse(a.until as string) : undefined;
        timeline(key, 'hold_placed', { hold: 'manual_pause', until: until ? iso(until) : null, reason: a.reason ?? null }, actor);
        feed({ type: 'hold_placed', hold: 'manual_pause', ...(until ? { until } : {}) });
        return updateResult({ hold: 'manual_pause' });
      }
      case 'releaseHold': {
        const hold = a.hold as HoldKind;
        if (!holdActive(hold)) return { error: `the case has no ${hold} hold` };
        if (hold === 'bankruptcy') setFlag('bankruptcy', false);
        if (hold === 'breathing_space') setFlag('breathingSpace', false);
        if (hold === 'dispute') setFlag('dispute', false);
        timeline(key, 'hold_released', { hold }, actor);
        feed(hold === 'dispute' ? { type: 'dispute_resolved' } : { type: 'hold_released', hold });
        return updateResult({ released: hold });
      }
      case 'reassign':
        state.assignment = { queue: (a.queue as string | undefined) ?? state.assignment.queue, agent: (a.agent as string | undefined) ?? null };
        timeline(key, 'reassigned', { queue: state.assignment.queue, agent: state.assignment.agent }, actor);
        return updateResult({ ...state.assignment });
      case 'escalate':
        state.counters.escalations++;
        timeline(key, 'escalated', { target: a.target, reason: a.reason }, actor);
        return updateResult({ target: a.target });
      case 'close':
        close(a.outcome as CaseOutcome, actor, key);
        return updateResult({ outcome: a.outcome });
      case 'migrateStrategy': {
        const m = args as MigrateStrategy;
        const preview = migrationPreview(m, state);
        if (m.dryRun || state.closed) return preview;
        const migrated = migrateInterpreterState(state.interp, state.plan, m.plan, preview.toStep!, state.facts, now);
        for (const id of Object.keys(state.timers)) if (!id.startsWith('promise:') && !id.startsWith('defer:')) delete state.timers[id];
        timeline(key, 'strategy_migrated', { from: { strategyId: state.plan.strategyId, version: state.strategyVersion, step: preview.fromStep }, to: { strategyId: m.plan.strategyId, version: m.version, step: preview.toStep } }, actor);
        state.plan = m.plan;
        state.strategyVersion = m.version;
        state.interp = migrated.state;
        for (const command of migrated.commands) applyCommand(command);
        return preview;
      }
    }
    return { error: `unknown action ${name}` };
  };

  /** Commit the batch of one activation and act on what the contact policy said. */
  const flush = async () => {
    if (effects.length === 0 && !caseRowChanged()) return;
    const batch = effects;
    effects = [];
    const caseUpdate = caseRow(state);
    lastRow = JSON.stringify(caseUpdate);
    const commitCaseEffects = patched(LOCAL_EFFECT_BATCHES_PATCH) ? commitCaseEffectsLocally : commitCaseEffectsAsActivity;
    const result: EffectBatchResult = await commitCaseEffects({ caseId: state.caseId, workflowId, effects: batch, caseUpdate });
    for (const [key, decision] of Object.entries(result.contacts)) {
      const request = batch.find((e) => e.kind === 'contact_request' && e.key === key);
      if (!request || request.kind !== 'contact_request') continue;
      if (decision.decision === 'defer') {
        const base = key.split(':retry@')[0]!;
        state.deferred[base] = { stepId: request.stepId, channel: request.channel, template: request.template };
        state.timers[`defer:${base}`] = Date.parse(decision.until);
      } else if (decision.decision === 'block' || decision.decision === 'hold') {
        state.counters.contactsBlocked++;
        feed({ type: 'contact_blocked', rule: decision.rule, stepId: request.stepId, channel: request.channel });
      }
    }
    upsertAttributes();
    if (effects.length > 0) await flush();
  };
  let lastRow = '';
  const caseRowChanged = () => JSON.stringify(caseRow(state)) !== lastRow;

  let lastAttributes = '';
  const upsertAttributes = () => {
    const next = nextTimer(state);
    const attributes = {
      status: statusOf(state),
      bucket: state.facts.bucket,
      dpd: state.facts.dpd,
      strategyId: state.plan.strategyId,
      version: state.strategyVersion,
      queue: state.assignment.queue,
      agent: state.assignment.agent,
      next: next ? next.at : null,
    };
    const text = JSON.stringify(attributes);
    if (text === lastAttributes) return;
    lastAttributes = text;
    upsertSearchAttributes([
      { key: SA.CaseStatus, value: attributes.status },
      { key: SA.Bucket, value: attributes.bucket },
      { key: SA.Dpd, value: attributes.dpd },
      { key: SA.StrategyId, value: attributes.strategyId },
      { key: SA.StrategyVersion, value: attributes.version },
      { key: SA.AssignedQueue, value: attributes.queue },
      { key: SA.AssignedAgent, value: attributes.agent },
      { key: SA.NextActionAt, value: attributes.next === null ? null : new Date(attributes.next) },
    ]);
  };

  // ------------------------------------------------------------------------------------------
  // Main loop

  /** Hand the case to the strategy a `transfer` step named, at its current published version. */
  const transfer = async () => {
    const strategyId = state.transferTo!;
    state.transferTo = null;
    const target = await resolveStrategyPlan({ caseId: state.caseId, strategyId });
    const seq = state.interp.seq;
    if (!target) {
      timeline(`transfer:${seq}:failed`, 'strategy_transfer_failed', { strategy: strategyId, reason: 'no published version' }, 'system');
      close('closed_other', 'system', `transfer:${seq}:close`);
      return;
    }
    timeline(`transfer:${seq}`, 'strategy_transferred', { from: { strategyId: state.plan.strategyId, version: state.strategyVersion }, to: { strategyId, version: target.version, arm: target.arm } }, 'system');
    state.plan = target.plan;
    state.strategyVersion = target.version;
    state.experimentArm = target.arm;
    state.timers = Object.fromEntries(Object.entries(state.timers).filter(([id]) => id.startsWith('promise:') || id.startsWith('defer:')));
    state.interp = { ...initialState(target.plan), seq };
    feed({ type: 'started' });
  };

  while (!state.closed && (!isFinished(state.interp) || state.transferTo !== null)) {
    if (state.transferTo !== null) {
      await transfer();
      await flush();
      continue;
    }
    if (queue.length === 0) {
      const next = nextTimer(state);
      const wantsNewRun = () => workflowInfo().continueAsNewSuggested || (state.continueAsNewAfter !== null && processed >= state.continueAsNewAfter);
      if (wantsNewRun()) {
        await condition(() => allHandlersFinished() && queue.length === 0);
        if (queue.length === 0) {
          state.pending = [];
          await continueAsNew<typeof collectionCase>({ ...input, carried: state });
        }
      }
      if (next) {
        const arrived = await condition(() => queue.length > 0, Math.max(1, next.at - Date.now()));
        if (!arrived) {
          const now = Date.now();
          for (const [timerId, at] of Object.entries(state.timers).sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1))) {
            if (at <= now) {
              delete state.timers[timerId];
              queue.push({ kind: 'timer', timerId });
            }
          }
        }
      } else {
        await condition(() => queue.length > 0);
      }
      continue;
    }
    const event = queue.shift()!;
    const outcome = handleEvent(event);
    processed++;
    await flush();
    if (event.kind === 'update' && outcome !== undefined) results.set(event.id, outcome);
  }

  // Answer updates that arrived while the case was closing.
  while (queue.length > 0) {
    const event = queue.shift()!;
    if (event.kind === 'update') results.set(event.id, { error: `the case is closed (${state.closed?.outcome ?? state.interp.outcome ?? 'ended'})` });
  }
  if (!state.closed) {
    // The interpreter stopped without an end step (transfer or fault): close as the plan left it.
    state.closed = { outcome: state.interp.outcome ?? 'closed_other', at: Date.now() };
    timeline('closed', 'case_closed', { outcome: state.closed.outcome, interpreter: state.interp.status }, 'system');
  }
  await flush();
  await condition(allHandlersFinished);
  return { caseId: state.caseId, outcome: state.closed.outcome, closedAt: iso(state.closed.at) };
}

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for tests)

export function statusOf(state: CaseState): CaseStatus {
  if (state.closed || isFinished(state.interp)) return 'closed';
  return state.interp.holds.length > 0 ? 'held' : 'open';
}

export function nextTimer(state: CaseState): { timerId: string; at: number } | null {
  let best: { timerId: string; at: number } | null = null;
  for (const [timerId, at] of Object.entries(state.timers)) if (!best || at < best.at) best = { timerId, at };
  return best;
}

function caseRow(state: CaseState): CaseRowUpdate {
  const next = nextTimer(state);
  return {
    status: statusOf(state),
    currentStep: state.interp.stepId,
    holds: state.interp.holds.map((h) => h.kind),
    outcome: state.closed?.outcome ?? null,
    closedAt: state.closed ? iso(state.closed.at) : null,
    assignedQueue: state.assignment.queue,
    assignedAgent: state.assignment.agent,
    nextActionAt: next ? iso(next.at) : null,
    strategyId: state.plan.strategyId,
    strategyVersion: state.strategyVersion,
    dpd: state.facts.dpd,
    bucket: state.facts.bucket,
  };
}

export function validatePromise(c: CreatePromise, state: CaseState, now: number): void {
  if (state.promise?.status === 'pending') throw new Error(`promise ${state.promise.promiseId} is still pending: only one active plan per case`);
  if (c.currency !== state.facts.currency) throw new Error(`currency must be the loan's (${state.facts.currency})`);
  const instalments = c.instalments ?? (c.amountMinor !== undefined && c.dueDate !== undefined ? [{ amountMinor: c.amountMinor, dueDate: c.dueDate }] : []);
  if (instalments.length === 0) throw new Error('give amountMinor and dueDate, or instalments');
  if (c.instalments && (c.amountMinor !== undefined || c.dueDate !== undefined)) throw new Error('give either amountMinor and dueDate, or instalments, not both');
  let previous = now;
  instalments.forEach((i, n) => {
    if (!Number.isSafeInteger(i.amountMinor) || i.amountMinor <= 0) throw new Error(`instalments[${n}].amountMinor must be a positive integer of minor units`);
    const due = Date.parse(i.dueDate);
    if (Number.isNaN(due)) throw new Error(`instalments[${n}].dueDate is not a date`);
    if (due < previous - DAY_MS) throw new Error(`instalments[${n}].dueDate must be ${n === 0 ? 'today or later' : 'after the previous one'}`);
    previous = due;
  });
  if (c.graceDays !== undefined && (!Number.isInteger(c.graceDays) || c.graceDays < 0 || c.graceDays > 30)) throw new Error('graceDays must be 0-30');
}

function validateMigration(m: MigrateStrategy, state: CaseState): void {
  if (!m.plan || typeof m.plan.hash !== 'string' || !m.plan.steps) throw new Error('plan is required');
  if (!Number.isInteger(m.version) || m.version < 1) throw new Error('version must be a positive integer');
  if (m.plan.hash === state.plan.hash && m.version === state.strategyVersion) throw new Error('the case already runs this version');
  const target = landingStep(state.interp.stepId, m.plan, m.stepMap);
  if (!m.plan.steps[target]) throw new Error(`step '${target}' does not exist in ${m.plan.strategyId} v${m.version}`);
}


function migrationPreview(m: MigrateStrategy, state: CaseState): MigrationPreview {
  return {
    dryRun: m.dryRun,
    fromVersion: state.strategyVersion,
    toVersion: m.version,
    fromStep: state.interp.stepId,
    toStep: landingStep(state.interp.stepId, m.plan, m.stepMap),
    appliesAt: 'now',
  };
}

export function caseStateView(state: CaseState): CaseStateView {
  return {
    caseId: state.caseId,
    status: statusOf(state),
    outcome: state.closed?.outcome ?? null,
    strategy: { id: state.plan.strategyId, version: state.strategyVersion, planHash: state.plan.hash },
    currentStep: state.interp.stepId,
    phase: state.interp.status === 'new' ? null : state.interp.phase,
    holds: state.interp.holds.map((h) => ({ kind: h.kind, since: iso(h.since) })),
    promise: state.promise
      ? {
          promiseId: state.promise.promiseId,
          status: state.promise.status,
          currency: state.promise.currency,
          instalments: state.promise.instalments,
          paidMinor: state.promise.paidMinor,
          graceDays: state.promise.graceDays,
        }
      : null,
    facts: state.facts,
    counters: { ...state.counters },
    lastContact: state.lastContact ? { at: iso(state.lastContact.at), outcome: state.lastContact.outcome } : null,
    assignment: { ...state.assignment },
    openedAt: state.openedAt,
  };
}

export function nextActionView(state: CaseState): NextActionView {
  const stepId = state.interp.stepId;
  const stepDef = stepId ? state.plan.steps[stepId] : undefined;
  const stepType = stepDef?.type ?? null;
  const holds = state.interp.holds.map((h) => h.kind);
  const blockedBy = holds.map((h) => `hold:${h}`);
  if (state.closed || isFinished(state.interp)) {
    return { kind: 'closed', stepId, stepType, at: null, description: `closed (${state.closed?.outcome ?? state.interp.outcome ?? state.interp.status})`, blockedBy: [] };
  }
  if (holds.length > 0) {
    const release = state.interp.holds.map((h) => (h.timerId ? state.timers[h.timerId] : undefined)).filter((t): t is number => t !== undefined);
    return {
      kind: 'held',
      stepId,
      stepType,
      at: release.length ? iso(Math.min(...release)) : null,
      description: `held (${holds.join(', ')}); resumes at step '${stepId}' when released`,
      blockedBy,
    };
  }
  const timer = state.interp.timer;
  if (stepDef?.type === 'await_promise') {
    return { kind: 'awaiting_promise', stepId, stepType, at: timer ? iso(timer.fireAt) : null, description: `waiting for the promise to pay; on timeout goes to '${stepDef.onTimeout}'`, blockedBy };
  }
  if (timer) {
    const next = stepDef && 'next' in stepDef ? stepDef.next : null;
    const nextDef = next ? state.plan.steps[next] : undefined;
    return {
      kind: 'timer',
      stepId,
      stepType,
      at: iso(timer.fireAt),
      description: `${stepType} until ${iso(timer.fireAt)}, then '${next ?? '?'}'${nextDef ? ` (${describeStep(nextDef)})` : ''}`,
      blockedBy,
    };
  }
  return { kind: 'waiting_for_event', stepId, stepType, at: null, description: 'waiting for an event', blockedBy };
}

function describeStep(s: Plan['steps'][string]): string {
  switch (s.type) {
    case 'send_reminder':
      return `send ${s.channel} reminder '${s.template}'`;
    case 'create_call_task':
      return `call task in queue '${s.queue}'`;
    case 'escalate':
      return `escalate to ${s.target}`;
    case 'end':
      return `end as ${s.outcome}`;
    default:
      return s.type;
  }
}
