/**
 * Every message the case workflow understands, defined once: the API, workers and tests
 * import these definitions; the workflow implements them. Payloads are plain JSON; money is
 * integer minor units plus currency; times are ISO 8601 strings.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseFacts, ContactOutcome } from '../domain/case-facts';
import type { CaseOutcome, EscalationTarget, HoldKind, Plan } from '../strategies/plan-types';

// ---------------------------------------------------------------------------------------------
// Signals: facts from the feeds (fire-and-forget, never rejected; duplicates are ignored by id)

export interface PaymentReceived {
  paymentId: string;
  amountMinor: number;
  currency: string;
  receivedAt: string;
}
export interface PaymentReversed {
  paymentId: string;
  reason: string;
  reversedAt: string;
}
export interface LoanUpdated {
  dpd: number;
  balanceMinor: number;
  amountOverdueMinor: number;
  /** `active` while it runs; the others close the case with the matching outcome. */
  status: 'active' | 'paid_off' | 'settled' | 'written_off';
  asOf: string;
}
export interface ContactDeliveryResult {
  /** The effect key the contact request carried (workflow id + step sequence). */
  effectKey: string;
  channel: string;
  status: 'delivered' | 'failed' | 'bounced' | 'opened';
  at: string;
}

export const paymentReceivedSignal = defineSignal<[PaymentReceived]>('paymentReceived');
export const paymentReversedSignal = defineSignal<[PaymentReversed]>('paymentReversed');
export const loanUpdatedSignal = defineSignal<[LoanUpdated]>('loanUpdated');
export const contactDeliveryResultSignal = defineSignal<[ContactDeliveryResult]>('contactDeliveryResult');

// ---------------------------------------------------------------------------------------------
// Updates: agent and supervisor actions, validated against the case's state, answered synchronously

export interface Actor {
  /** Agent or supervisor id (never a name: this lands in workflow history). */
  id: string;
  role: 'agent' | 'supervisor' | 'system';
}

export interface RecordCallOutcome {
  actor: Actor;
  outcome: ContactOutcome;
  note?: string;
}
export interface Instalment {
  amountMinor: number;
  dueDate: string;
}
export interface CreatePromise {
  actor: Actor;
  currency: string;
  /** One payment (`amountMinor` + `dueDate`) or a plan of instalments. */
  amountMinor?: number;
  dueDate?: string;
  instalments?: Instalment[];
  /** Days after a due date before a missing payment breaks the promise; default 2. */
  graceDays?: number;
}
export interface OpenDispute {
  actor: Actor;
  reason: string;
}
export interface ResolveDispute {
  actor: Actor;
  resolution: 'verification_sent' | 'upheld' | 'withdrawn';
}
export interface PlaceHold {
  actor: Actor;
  reason?: string;
  /** For breathing space and timed pauses. */
  until?: string;
}
export interface ReleaseHold {
  actor: Actor;
  hold: HoldKind;
}
export interface Reassign {
  actor: Actor;
  queue?: string;
  agent?: string;
}
export interface Escalate {
  actor: Actor;
  target: EscalationTarget;
  reason: string;
}
export interface CloseCase {
  actor: Actor;
  outcome: CaseOutcome;
  reason: string;
}
export interface MigrateStrategy {
  actor: Actor;
  plan: Plan;
  version: number;
  /** Report where the case would land, change nothing. */
  dryRun: boolean;
  /** Step of the new plan for steps that do not exist there; default its start. */
  stepMap?: Record<string, string>;
}

export interface UpdateResult {
  /** The case's status after the action. */
  status: CaseStatus;
  /** The step the case is on after the action. */
  stepId: string | null;
  /** What the action recorded (promise id, hold, ...). */
  detail?: Record<string, unknown>;
}
export interface MigrationPreview {
  dryRun: boolean;
  fromVersion: number;
  toVersion: number;
  fromStep: string | null;
  toStep: string | null;
  /** Applied at the next safe point (immediately when the case is waiting). */
  appliesAt: 'now' | 'next_safe_point';
}

export const recordCallOutcomeUpdate = defineUpdate<UpdateResult, [RecordCallOutcome]>('recordCallOutcome');
export const createPromiseUpdate = defineUpdate<UpdateResult, [CreatePromise]>('createPromise');
export const openDisputeUpdate = defineUpdate<UpdateResult, [OpenDispute]>('openDispute');
export const resolveDisputeUpdate = defineUpdate<UpdateResult, [ResolveDispute]>('resolveDispute');
export const ceaseRequestUpdate = defineUpdate<UpdateResult, [PlaceHold]>('ceaseRequest');
export const bankruptcyUpdate = defineUpdate<UpdateResult, [PlaceHold]>('bankruptcy');
export const breathingSpaceUpdate = defineUpdate<UpdateResult, [PlaceHold]>('breathingSpace');
export const hardshipUpdate = defineUpdate<UpdateResult, [PlaceHold]>('hardship');
export const pauseUpdate = defineUpdate<UpdateResult, [PlaceHold]>('pause');
export const releaseHoldUpdate = defineUpdate<UpdateResult, [ReleaseHold]>('releaseHold');
export const reassignUpdate = defineUpdate<UpdateResult, [Reassign]>('reassign');
export const escalateUpdate = defineUpdate<UpdateResult, [Escalate]>('escalate');
export const closeUpdate = defineUpdate<UpdateResult, [CloseCase]>('close');
export const migrateStrategyUpdate = defineUpdate<MigrationPreview, [MigrateStrategy]>('migrateStrategy');

// ---------------------------------------------------------------------------------------------
// Queries

export type CaseStatus = 'open' | 'held' | 'closed';

export interface PromiseView {
  promiseId: string;
  status: 'pending' | 'kept' | 'broken' | 'cancelled';
  currency: string;
  instalments: Instalment[];
  paidMinor: number;
  graceDays: number;
}

export interface CaseStateView {
  caseId: string;
  status: CaseStatus;
  outcome: CaseOutcome | null;
  strategy: { id: string; version: number; planHash: string };
  currentStep: string | null;
  phase: 'pending' | 'waiting' | null;
  holds: { kind: HoldKind; since: string }[];
  promise: PromiseView | null;
  facts: CaseFacts;
  counters: {
    remindersSent: number;
    callTasksCreated: number;
    escalations: number;
    paymentsReceived: number;
    amountPaidMinor: number;
    brokenPromises: number;
    contactsBlocked: number;
  };
  lastContact: { at: string; outcome: ContactOutcome } | null;
  assignment: { queue: string | null; agent: string | null };
  openedAt: string;
}

export interface NextActionView {
  /** What the strategy does next, or why nothing happens. */
  kind: 'timer' | 'awaiting_promise' | 'held' | 'closed' | 'waiting_for_event';
  stepId: string | null;
  stepType: string | null;
  at: string | null;
  description: string;
  /** What would stop it: active holds, a pending migration. */
  blockedBy: string[];
}

export const caseStateQuery = defineQuery<CaseStateView>('caseState');
export const nextActionQuery = defineQuery<NextActionView>('nextAction');

// ---------------------------------------------------------------------------------------------
// Workflow input

export interface CollectionCaseInput {
  caseId: string;
  loanId: string;
  /** The facts the strategy reads: no names, addresses or phone numbers. */
  facts: CaseFacts;
  plan: Plan;
  strategyVersion: number;
  /** Champion/challenger arm the case was assigned at open, recorded on the case. */
  experimentArm?: string;
  openedAt: string;
  assignment?: { queue: string | null; agent: string | null };
  /** Continue as new after this many events (tests, operations); otherwise when the server suggests it. */
  continueAsNewAfter?: number;
  /** State carried across continue-as-new. */
  carried?: unknown;
}

export const caseWorkflowId = (caseId: string): string => `case-${caseId}`;
