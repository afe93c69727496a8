import { type Kysely, type Transaction, sql } from 'kysely';
import type { CaseEffect, ContactDecisionSummary, EffectBatch, EffectBatchResult } from '../domain/case-effects';
import type { Database } from '../db/schema';
import type { Plan } from '../strategies/plan-types';

/** Kafka topics the outbox relay publishes to (the event-backbone issue consumes them). */
export const TOPICS = {
  caseEvents: 'collections.case-events',
  contactRequests: 'collections.contact-requests',
  tasks: 'collections.tasks',
} as const;

export interface ContactRequest {
  caseId: number;
  customerId: number;
  channel: string;
  at: Date;
  automated: boolean;
  key: string;
  /** The strategy's template: notices such as a cease confirmation pass rules that block collection. */
  template?: string;
}

export interface GateDecision {
  summary: ContactDecisionSummary;
  /** The destination id chosen (phone, email or address row), or '' when there is none. */
  destination: string;
  dialingMode: 'manual' | 'autodial' | 'prerecorded' | null;
  rulePackVersion: string;
  evidence: Record<string, unknown>;
}

/**
 * Decides a contact request inside the effect transaction, so the ledger row it writes and the
 * counters it read are one atomic step (the contact-policy gate; see activities/contact-gate).
 */
export interface ContactGate {
  decide(trx: Transaction<Database>, request: ContactRequest): Promise<GateDecision>;
}

/** Which published version of a strategy a case gets (champion/challenger split). */
export interface StrategyResolver {
  resolve(strategyId: string, caseId: string): Promise<{ plan: Plan; version: number; arm: string } | null>;
}

export interface CaseActivityDeps {
  db: Kysely<Database>;
  contactGate: ContactGate;
  strategies: StrategyResolver;
}

const DECISION_COLUMN = { allow: 'allowed', defer: 'deferred', block: 'blocked', hold: 'held' } as const;

export function createCaseActivities(deps: CaseActivityDeps) {
  return {
    /**
     * Commits one activation of a case workflow in one transaction: timeline rows, contact
     * requests (checked by the contact policy and recorded in the contact ledger), call tasks,
     * promises, the case row and its holds, and an outbox row per change. Safe to retry: every
     * row is keyed by workflow id + step sequence (or the agent action's idempotency key).
     */
    async commitCaseEffects(batch: EffectBatch): Promise<EffectBatchResult> {
      const caseId = Number(batch.caseId);
      return deps.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('cases')
          .select(['id', 'customer_id', 'loan_id', 'status'])
          .where('id', '=', caseId)
          .forUpdate()
          .executeTakeFirst();
        if (!row) throw new Error(`case ${batch.caseId} does not exist`);
        const contacts: Record<string, ContactDecisionSummary> = {};
        for (const effect of batch.effects) {
          const decision = await applyEffect(trx, deps, batch, row.customer_id, effect);
          if (decision) contacts[effect.key] = decision;
        }
        await updateCaseRow(trx, batch);
        return { contacts };
      });
    },

    /** The plan a `transfer` step hands the case to: the named strategy's published version for this case. */
    async resolveStrategyPlan(input: { caseId: string; strategyId: string }): Promise<{ plan: Plan; version: number; arm: string } | null> {
      return deps.strategies.resolve(input.strategyId, input.caseId);
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;

async function outbox(
  trx: Transaction<Database>,
  topic: string,
  eventType: string,
  caseId: string,
  payload: Record<string, unknown>,
  dedupeKey: string,
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      topic,
      event_type: eventType,
      message_key: caseId,
      payload: JSON.stringify({ caseId, type: eventType, ...payload }),
      dedupe_key: dedupeKey,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

async function timeline(
  trx: Transaction<Database>,
  caseId: number,
  key: string,
  type: string,
  payload: Record<string, unknown>,
  actor: string,
  at: string,
): Promise<void> {
  await trx
    .insertInto('case_events')
    .values({ case_id: caseId, type, payload: JSON.stringify(payload) as never, actor, idempotency_key: key, occurred_at: at })
    .execute();
}

async function applyEffect(
  trx: Transaction<Database>,
  deps: CaseActivityDeps,
  batch: EffectBatch,
  customerId: number,
  effect: CaseEffect,
): Promise<ContactDecisionSummary | undefined> {
  const caseId = Number(batch.caseId);
  switch (effect.kind) {
    case 'timeline':
      await timeline(trx, caseId, effect.key, effect.type, effect.payload, effect.actor, effect.occurredAt);
      await outbox(trx, TOPICS.caseEvents, effect.type, batch.caseId, { ...effect.payload, actor: effect.actor, occurredAt: effect.occurredAt }, effect.key);
      return undefined;

    case 'contact_request': {
      // A retried batch returns the decision it recorded the first time instead of deciding again.
      const recorded = await sql<{ decision: string; rule: string | null; deferred_until: Date | null; evidence: Record<string, unknown> }>`
        SELECT decision, rule, deferred_until, evidence FROM contact_attempts
        WHERE idempotency_key = ${effect.key} AND case_id = ${caseId}`.execute(trx);
      const existing = recorded.rows[0];
      if (existing) return summaryFromRow(existing);
      const at = new Date(effect.requestedAt);
      const gate = await deps.contactGate.decide(trx, {
        caseId,
        customerId,
        channel: effect.channel,
        at,
        automated: effect.automated,
        key: effect.key,
        template: effect.template,
      });
      const summary = gate.summary;
      await trx
        .insertInto('contact_attempts')
        .values({
          case_id: caseId,
          customer_id: customerId,
          channel: effect.channel as never,
          destination: gate.destination,
          dialing_mode: gate.dialingMode,
          decision: DECISION_COLUMN[summary.decision],
          rule: summary.decision === 'allow' ? null : summary.rule,
          rule_pack_version: gate.rulePackVersion,
          evidence: JSON.stringify({ ...gate.evidence, summary }),
          deferred_until: summary.decision === 'defer' ? summary.until : null,
          idempotency_key: effect.key,
          occurred_at: at,
        })
        .execute();
      const eventType =
        summary.decision === 'allow' ? 'contact_requested' : summary.decision === 'defer' ? 'contact_deferred' : 'contact_blocked';
      const payload: Record<string, unknown> = { channel: effect.channel, template: effect.template, stepId: effect.stepId, ...summary };
      await timeline(trx, caseId, `${effect.key}:event`, eventType, payload, 'strategy', effect.requestedAt);
      await outbox(trx, TOPICS.caseEvents, eventType, batch.caseId, payload, `${effect.key}:event`);
      if (summary.decision === 'allow') {
        // The channel gateway gets the destination id, never the phone number or address itself.
        await outbox(
          trx,
          TOPICS.contactRequests,
          'contact.requested',
          batch.caseId,
          { effectKey: effect.key, channel: effect.channel, template: effect.template, destinationId: gate.destination, customerId },
          effect.key,
        );
      }
      return summary;
    }

    case 'call_task': {
      const inserted = await trx
        .insertInto('tasks')
        .values({
          case_id: caseId,
          queue: effect.queue,
          kind: 'call',
          priority: effect.priority,
          due_at: effect.dueAt,
          idempotency_key: effect.key,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      const payload = { queue: effect.queue, priority: effect.priority, dueAt: effect.dueAt, stepId: effect.stepId, taskId: inserted?.id ?? null };
      await timeline(trx, caseId, `${effect.key}:event`, 'call_task_created', payload, 'strategy', new Date().toISOString());
      await outbox(trx, TOPICS.tasks, 'task.created', batch.caseId, payload, effect.key);
      return undefined;
    }

    case 'promise': {
      const total = effect.instalments.reduce((sum, i) => sum + i.amountMinor, 0);
      const resolved = effect.status === 'pending' ? null : new Date().toISOString();
      const promise = await trx
        .insertInto('promises')
        .values({
          case_id: caseId,
          status: effect.status,
          total_minor: total,
          paid_minor: effect.paidMinor,
          currency: effect.currency,
          grace_days: effect.graceDays,
          created_by: effect.createdBy,
          resolved_at: resolved,
          idempotency_key: effect.promiseId,
        })
        .onConflict((oc) =>
          oc.column('idempotency_key').doUpdateSet({
            status: effect.status,
            paid_minor: effect.paidMinor,
            resolved_at: resolved,
            updated_at: sql`now()`,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('promise_instalments')
        .values(effect.instalments.map((i, n) => ({ promise_id: promise.id, seq: n + 1, due_date: i.dueDate.slice(0, 10), amount_minor: i.amountMinor })))
        .onConflict((oc) => oc.columns(['promise_id', 'seq']).doNothing())
        .execute();
      if (effect.status !== 'pending') {
        await trx.updateTable('promise_instalments').set({ status: effect.status }).where('promise_id', '=', promise.id).where('status', '=', 'pending').execute();
      }
      await outbox(trx, TOPICS.caseEvents, `promise.${effect.status}`, batch.caseId, { promiseId: effect.promiseId, totalMinor: total, paidMinor: effect.paidMinor, currency: effect.currency }, effect.key);
      return undefined;
    }
  }
}

function summaryFromRow(row: { decision: string; rule: string | null; deferred_until: Date | null; evidence: Record<string, unknown> }): ContactDecisionSummary {
  switch (row.decision) {
    case 'deferred':
      return { decision: 'defer', until: row.deferred_until!.toISOString(), rule: row.rule ?? '' };
    case 'blocked':
      return { decision: 'block', rule: row.rule ?? '', reason: String((row.evidence.summary as { reason?: string } | undefined)?.reason ?? '') };
    case 'held':
      return { decision: 'hold', rule: row.rule ?? '', reason: String((row.evidence.summary as { reason?: string } | undefined)?.reason ?? '') };
    default:
      return { decision: 'allow' };
  }
}

async function updateCaseRow(trx: Transaction<Database>, batch: EffectBatch): Promise<void> {
  const u = batch.caseUpdate;
  const caseId = Number(batch.caseId);
  const agentId = u.assignedAgent !== null && /^\d+$/.test(u.assignedAgent) ? Number(u.assignedAgent) : null;
  await trx
    .updateTable('cases')
    .set({
      status: u.status === 'closed' ? 'closed' : 'open',
      outcome: u.status === 'closed' ? (u.outcome as never) : null,
      closed_at: u.status === 'closed' ? (u.closedAt ?? new Date().toISOString()) : null,
      strategy_id: u.strategyId,
      strategy_version: u.strategyVersion,
      assigned_queue: u.assignedQueue,
      assigned_agent_id: agentId,
      cure_pending_at: u.status === 'closed' ? null : undefined,
      updated_at: sql`now()`,
    })
    .where('id', '=', caseId)
    .execute();
  const open = await trx.selectFrom('case_holds').select(['id', 'kind']).where('case_id', '=', caseId).where('released_at', 'is', null).execute();
  const wanted = new Set(u.holds);
  for (const hold of open) {
    if (!wanted.has(hold.kind)) {
      await trx.updateTable('case_holds').set({ released_at: sql`now()`, released_by: 'workflow' }).where('id', '=', hold.id).execute();
    }
  }
  const have = new Set(open.map((h) => h.kind));
  for (const kind of wanted) {
    if (!have.has(kind as never)) {
      await trx.insertInto('case_holds').values({ case_id: caseId, kind: kind as never, created_by: 'workflow' }).execute();
    }
  }
}
