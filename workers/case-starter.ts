import { type Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import type { PgStrategyResolver } from '../activities/strategy-resolver';
import type { CaseOpenedHook, IntakeHooks } from '../db/intake/hooks';
import { type CaseFactsRow, caseFactsOf } from '../db/repositories/case-facts';
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

  async function startOne(row: CaseFactsRow & StartRow, report: StartReport): Promise<void> {
    const now = clock();
    const caseId = String(row.id);
    const facts = caseFactsOf(row, now);
    let pinned: { strategyId: string; version: number; plan: CollectionCaseInput['plan']; arm: string } | undefined;
    if (row.strategy_id !== null && row.strategy_version !== null) {
      const resolved = await deps.resolver.resolve(row.strategy_id, caseId);
      // A case already pinned keeps its version even if the rollout moved on.
      const exact = resolved && resolved.version === row.strategy_version ? resolved : await pinnedVersion(row.strategy_id, row.strategy_version);
      if (exact) pinned = { strategyId: row.strategy_id, version: exact.version, plan: exact.plan, arm: row.experiment_arm ?? `${row.strategy_id}@${exact.version}` };
    } else {
      const selection = await deps.resolver.selectForNewCase(facts, caseId, now);
      if (selection) {
        pinned = { strategyId: selection.strategyId, version: selection.version, plan: selection.plan, arm: selection.arm };
        await deps.db
          .updateTable('cases')
          .set({ strategy_id: selection.strategyId, strategy_version: selection.version, experiment_arm: selection.arm })
          .where('id', '=', row.id)
          .where('strategy_id', 'is', null)
          .execute();
      }
    }
    if (!pinned) {
      report.noStrategy++;
      deps.logger.warn({ caseId, bucket: facts.bucket }, 'no published strategy applies to the case; it waits for one');
      return;
    }
    const input: CollectionCaseInput = {
      caseId,
      loanId: String(row.loan_id),
      facts,
      plan: pinned.plan,
      strategyVersion: pinned.version,
      experimentArm: pinned.arm,
      openedAt: row.opened_at.toISOString(),
      assignment: { queue: row.assigned_queue, agent: null },
    };
    await deps.client.workflow.start(collectionCase, {
      taskQueue: deps.taskQueue,
      workflowId: caseWorkflowId(caseId),
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    await deps.db.updateTable('cases').set({ workflow_started_at: sql`now()` }).where('id', '=', row.id).execute();
    report.started++;
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

  async function startCases(caseIds: readonly number[]): Promise<StartReport> {
    const report: StartReport = { started: 0, noStrategy: 0, failed: 0 };
    for (let i = 0; i < caseIds.length; i += 500) {
      const rows = await loadCases(caseIds.slice(i, i + 500));
      let next = 0;
      const lanes = Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
        while (next < rows.length) {
          const row = rows[next++]!;
          try {
            await startOne(row, report);
          } catch (err) {
            report.failed++;
            deps.logger.error({ caseId: row.id, err: err instanceof Error ? err.message : String(err) }, 'could not start the case workflow; the sweep retries it');
          }
        }
      });
      await Promise.all(lanes);
    }
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
