/**
 * What a case workflow asks the system of record to do: one batch per activation, committed
 * by one activity in one PostgreSQL transaction (timeline rows, contact requests, tasks, the
 * case row, and the outbox rows for Kafka). Every effect carries a key (workflow id + step
 * sequence, or the agent action's idempotency key) backed by a unique constraint, so a retried
 * or replayed batch never duplicates a reminder or a task. Plain JSON.
 */

export type CaseEffect =
  | {
      kind: 'timeline';
      key: string;
      type: string;
      payload: Record<string, unknown>;
      /** `system`, `strategy`, or an agent/supervisor id. */
      actor: string;
      occurredAt: string;
    }
  | {
      kind: 'contact_request';
      key: string;
      stepId: string;
      channel: string;
      template: string;
      /** Automated reminders are; agent-dialled calls are not. */
      automated: boolean;
      requestedAt: string;
    }
  | {
      kind: 'call_task';
      key: string;
      stepId: string;
      queue: string;
      priority: number;
      dueAt: string;
    }
  | {
      kind: 'promise';
      key: string;
      promiseId: string;
      status: 'pending' | 'kept' | 'broken' | 'cancelled';
      currency: string;
      instalments: { amountMinor: number; dueDate: string }[];
      paidMinor: number;
      graceDays: number;
      createdBy: string;
    };

/** The case row as the workflow sees it after the batch. */
export interface CaseRowUpdate {
  status: 'open' | 'held' | 'closed';
  currentStep: string | null;
  holds: string[];
  outcome: string | null;
  closedAt: string | null;
  assignedQueue: string | null;
  assignedAgent: string | null;
  nextActionAt: string | null;
  strategyId: string;
  strategyVersion: number;
  dpd: number;
  bucket: string;
}

export interface EffectBatch {
  caseId: string;
  workflowId: string;
  effects: CaseEffect[];
  caseUpdate: CaseRowUpdate;
}

/** The contact policy's word on a contact request (issue: contact policy). */
export type ContactDecisionSummary =
  | { decision: 'allow' }
  | { decision: 'defer'; until: string; rule: string }
  | { decision: 'block'; rule: string; reason: string }
  | { decision: 'hold'; rule: string; reason: string };

export interface EffectBatchResult {
  /** By contact request key. */
  contacts: Record<string, ContactDecisionSummary>;
}
