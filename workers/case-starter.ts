import { type Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import type { PgStrategyResolver } from '../activities/strategy-resolver';
import type { CaseOpenedHook, IntakeHooks } from '../db/intake/hooks';
import { type CaseFactsRow, caseFactsOf } from '../db/repositories/case-facts';
import type { CaseFacts } from '../domain/case-facts';
import type { Database } from '../db/schema';
import type { Logger } from '../lib/logger';
import { collectionCase } from '../workflows/collection-case';
import { type CollectionCaseInput, caseWorkflowId, loanUpdatedSignal, paymentReceivedSignal, paymentReversedSignal } from '../workflows/messages';

export interface CaseStarterDeps {
  db: Kysely<Database>;
  client: Client;
  resolver: PgStrategyResolver;
  taskQueue: string;
  logger: Logger;
  /** Workflow starts in flight at once. */
  concurrency?: number;
  /** Cases loaded, pinned and marked started per statement (500). */
  chunkSize?: number;
  clock?: () => number;
}

export interface StartReport {
  /** Workflows started, or found running already (a second start is harmless). */
  started: number;
  noStrategy: number;
  failed: number;
}

/**
 * Starts the workflow of each opened case: picks its strategy (segment rules and
 * champion/challenger split, recorded on the case), then starts `case-<id>`. Starting twice is
 * harmless (the running workflow is kept). Implements the intake hooks, and `sweep` finds open
 * cases whose workflow was never started (a worker that was down, a Temporal outage), so a
 * failure delays a case but never drops it.
 */
interface StartRow {
  loan_id: number;
  opened_at: Date;
  strategy_id: string | null;
  strategy_version: number | null;
  experiment_arm: string | null;
  assigned_queue: string | null;
}

export function createCaseStarter(deps: CaseStarterDeps) {
  const clock = deps.clock ?? Date.now;
  const concurrency = deps.concurrency ?? 32;
  const chunkSize = deps.chunkSize ?? 500;

  const loadCases = (ids: readonly number[]) =>
    deps.db
      .selectFrom('cases as c')
      .innerJoin('loans as l', 'l.id', 'c.loan_id')
      .innerJoin('customers as cu', 'cu.id', 'c.customer_id')
      .select([
        'c.id', 'c.loan_id', 'c.opened_at', 'c.strategy_id', 'c.strategy_version', 'c.experiment_arm', 'c.assigned_queue',
        'l.dpd', 'l.outstanding_minor', 'l.overdue_minor', 'l.currency', 'l.product', 'l.disputed',
        'cu.segment', 'cu.deceased', 'cu.vulnerable', 'cu.bankruptcy', 'cu.hardship', 'cu.cease_communication',
        'cu.attorney_represented', 'cu.breathing_space_until',
      ])
      .where('c.id', 'in', ids as number[])
      .where('c.status', '=', 'open')
      .execute() as Promise<(CaseFactsRow & StartRow)[]>;

  /** A case ready to start: its row, facts and pinned strategy version. */
  interface Ready {
    row: CaseFactsRow & StartRow;
    facts: CaseFacts;
    strategyId: string;
    version: number;
    plan: CollectionCaseInput['plan'];
    arm: string;
  }

  /**
   * Pins a strategy on every case of the chunk that has none (segment rules and the
   * champion/challenger split, in memory), in one UPDATE: a case pinned meanwhile by another
   * starter keeps that pin. Cases pinned already keep their version even if the rollout moved on.
   */
  async function prepare(rows: (CaseFactsRow & StartRow)[], report: StartReport): Promise<Ready[]> {
    const now = clock();
    const ready: Ready[] = [];
    const selected: Ready[] = [];
    const pinnedPlans = new Map<string, Promise<{ version: number; plan: CollectionCaseInput['plan'] } | undefined>>();
    const pinnedPlan = (strategyId: string, version: number, caseId: string) => {
      const key = `${strategyId}@${version}`;
      let found = pinnedPlans.get(key);
      if (!found) {
        found = deps.resolver
          .resolve(strategyId, caseId)
          .then((resolved) => (resolved && resolved.version === version ? resolved : pinnedVersion(strategyId, version)));
        pinnedPlans.set(key, found);
      }
      return found;
    };
    const keepPin = async (row: CaseFactsRow & StartRow, facts: CaseFacts) => {
      const exact = await pinnedPlan(row.strategy_id!, row.strategy_version!, String(row.id));
      if (exact) {
        ready.push({ row, facts, strategyId: row.strategy_id!, version: exact.version, plan: exact.plan, arm: row.experiment_arm ?? `${row.strategy_id}@${exact.version}` });
      } else {
        report.noStrategy++;
        deps.logger.warn({ caseId: String(row.id), strategy: `${row.strategy_id}@${row.strategy_version}` }, 'the case is pinned to a strategy version that does not exist; it waits');
      }
    };
    for (const row of rows) {
      const caseId = String(row.id);
      const facts = caseFactsOf(row, now);
      if (row.strategy_id !== null && row.strategy_version !== null) {
        await keepPin(row, facts);
        continue;
      }
      const selection = await deps.resolver.selectForNewCase(facts, caseId, now);
      if (!selection) {
        report.noStrategy++;
        deps.logger.warn({ caseId, bucket: facts.bucket }, 'no published strategy applies to the case; it waits for one');
        continue;
      }
      selected.push({ row, facts, strategyId: selection.strategyId, version: selection.version, plan: selection.plan, arm: selection.arm });
    }
    if (selected.length > 0) {
      const pinned = await sql<{ id: number }>`
        UPDATE cases AS c
           SET strategy_id = v.strategy_id, strategy_version = v.version, experiment_arm = v.arm, updated_at = now()
          FROM unnest(${selected.map((r) => r.row.id)}::bigint[], ${selected.map((r) => r.strategyId)}::text[],
                      ${selected.map((r) => r.version)}::int[], ${selected.map((r) => r.arm)}::text[]) AS v(id, strategy_id, version, arm)
         WHERE c.id = v.id AND c.strategy_id IS NULL
        RETURNING c.id`.execute(deps.db);
      const mine = new Set(pinned.rows.map((r) => Number(r.id)));
      const raced = selected.filter((r) => !mine.has(r.row.id));
      ready.push(...selected.filter((r) => mine.has(r.row.id)));
      if (raced.length > 0) {
        for (const row of await loadCases(raced.map((r) => r.row.id))) {
          if (row.strategy_id !== null && row.strategy_version !== null) await keepPin(row, caseFactsOf(row, now));
        }
      }
    }
    return ready;
  }

  async function start(ready: Ready): Promise<void> {
    const caseId = String(ready.row.id);
    const input: CollectionCaseInput = {
      caseId,
      loanId: String(ready.row.loan_id),
      facts: ready.facts,
      plan: ready.plan,
      strategyVersion: ready.version,
      experimentArm: ready.arm,
      openedAt: ready.row.opened_at.toISOString(),
      assignment: { queue: ready.row.assigned_queue, agent: null },
    };
    await deps.client.workflow.start(collectionCase, {
      taskQueue: deps.taskQueue,
      workflowId: caseWorkflowId(caseId),
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }

  async function pinnedVersion(strategyId: string, version: number) {
    const row = await deps.db
      .selectFrom('strategy_versions')
      .select(['version', 'plan'])
      .where('strategy_id', '=', strategyId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? { version: row.version, plan: row.plan as CollectionCaseInput['plan'] } : undefined;
  }

  const markStarted = (ids: number[]) =>
    deps.db.updateTable('cases').set({ workflow_started_at: sql`now()` }).where('id', 'in', ids).where('workflow_started_at', 'is', null).execute();

  /**
   * Starts the cases' workflows with `concurrency` starts in flight. Chunks of 500 cases are
   * loaded and pinned a chunk ahead while the starts of the one before run, and started cases
   * are marked in batches, so the lanes spend their time in `workflow.start`, not waiting on
   * PostgreSQL. A case whose start fails, or whose mark is lost, is left for the sweep.
   */
  async function startCases(caseIds: readonly number[]): Promise<StartReport> {
    const report: StartReport = { started: 0, noStrategy: 0, failed: 0 };
    const chunks: number[][] = [];
    for (let i = 0; i < caseIds.length; i += chunkSize) chunks.push(caseIds.slice(i, i + chunkSize));
    let nextChunk = 0;
    const prefetch = () => (nextChunk < chunks.length ? loadCases(chunks[nextChunk++]!).then((rows) => prepare(rows, report)) : null);
    let ahead = prefetch();
    let refill: Promise<void> | null = null;
    const buffer: Ready[] = [];
    const take = async (): Promise<Ready | undefined> => {
      while (buffer.length === 0) {
        if (!ahead) return undefined;
        refill ??= (async () => {
          try {
            buffer.push(...(await ahead!));
          } finally {
            ahead = prefetch();
            refill = null;
          }
        })();
        await refill;
      }
      return buffer.shift();
    };
    let unmarked: number[] = [];
    const marking: Promise<unknown>[] = [];
    const mark = (force: boolean) => {
      if (unmarked.length === 0 || (!force && unmarked.length < chunkSize)) return;
      const ids = unmarked;
      unmarked = [];
      marking.push(
        markStarted(ids).catch((err: unknown) =>
          deps.logger.warn({ cases: ids.length, err: err instanceof Error ? err.message : String(err) }, 'could not mark started cases; the sweep starts them again, harmlessly'),
        ),
      );
    };
    let failure: unknown;
    const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, caseIds.length)) }, async () => {
      while (failure === undefined) {
        let ready: Ready | undefined;
        try {
          ready = await take();
        } catch (err) {
          failure ??= err;
          return;
        }
        if (!ready) return;
        try {
          await start(ready);
          report.started++;
          unmarked.push(ready.row.id);
          mark(false);
        } catch (err) {
          report.failed++;
          deps.logger.error({ caseId: ready.row.id, err: err instanceof Error ? err.message : String(err) }, 'could not start the case workflow; the sweep retries it');
        }
      }
    });
    await Promise.all(lanes);
    // A chunk prepared ahead of a failure is dropped: its cases are still unstarted, for the sweep.
    await Promise.resolve(ahead).catch(() => undefined);
    mark(true);
    await Promise.all(marking);
    if (failure !== undefined) throw failure;
    return report;
  }

  /** Open cases whose workflow has not been started, oldest first (after `afterId`, to resume a long sweep). */
  async function sweep(options: { limit?: number; afterId?: number } = {}): Promise<StartReport> {
    const rows = await deps.db
      .selectFrom('cases')
      .select('id')
      .where('status', '=', 'open')
      .where('workflow_started_at', 'is', null)
      .where('id', '>', options.afterId ?? 0)
      .orderBy('id')
      .limit(options.limit ?? 1000)
      .execute();
    return startCases(rows.map((r) => r.id));
  }

  const signalLoan = async (caseIds: readonly number[]) => {
    const rows = await loadCases(caseIds);
    for (const row of rows) {
      await deps.client.workflow.getHandle(caseWorkflowId(String(row.id))).signal(loanUpdatedSignal, {
        dpd: row.dpd,
        balanceMinor: row.outstanding_minor,
        amountOverdueMinor: row.overdue_minor,
        status: 'active',
        asOf: new Date(clock()).toISOString().slice(0, 10),
      });
    }
  };

  const hooks: CaseOpenedHook & IntakeHooks = {
    async onCasesOpened(caseIds) {
      await startCases(caseIds);
    },
    async onCuresDetected(caseIds) {
      await signalLoan(caseIds);
    },
    async onPaymentsReceived(paymentIds) {
      const payments = await deps.db
        .selectFrom('payments')
        .select(['payment_ref', 'case_id', 'kind', 'amount_minor', 'currency', 'paid_at', 'reverses_payment_ref'])
        .where('id', 'in', paymentIds as number[])
        .where('case_id', 'is not', null)
        .execute();
      for (const p of payments) {
        const handle = deps.client.workflow.getHandle(caseWorkflowId(String(p.case_id)));
        if (p.kind === 'reversal') {
          await handle.signal(paymentReversedSignal, { paymentId: p.reverses_payment_ref ?? p.payment_ref, reason: 'reversed by the payment feed', reversedAt: p.paid_at.toISOString() });
        } else {
          await handle.signal(paymentReceivedSignal, { paymentId: p.payment_ref, amountMinor: p.amount_minor, currency: p.currency.trim(), receivedAt: p.paid_at.toISOString() });
        }
      }
    },
  };

  return { startCases, sweep, hooks };
}

export type CaseStarter = ReturnType<typeof createCaseStarter>;
