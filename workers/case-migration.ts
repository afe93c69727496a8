import type { Client } from '@temporalio/client';
import type { Plan } from '../strategies/plan-types';
import { type Actor, type MigrationPreview, migrateStrategyUpdate } from '../workflows/messages';

export interface BatchMigration {
  /** A visibility query over the case search attributes, e.g. `StrategyId = 'early-stage' AND StrategyVersion = 1`. */
  query: string;
  plan: Plan;
  version: number;
  actor: Actor;
  dryRun: boolean;
  stepMap?: Record<string, string>;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BatchMigrationReport {
  dryRun: boolean;
  matched: number;
  migrated: number;
  failed: { workflowId: string; reason: string }[];
  /** `fromStep -> toStep` with the number of cases, the preview a supervisor approves. */
  landings: Record<string, number>;
}

/** How many open cases a migration would touch, before anyone commits to it. */
export async function countCases(client: Client, query: string): Promise<number> {
  const { count } = await client.workflow.count(`ExecutionStatus = 'Running' AND (${query})`);
  return count;
}

/**
 * Moves every running case the query selects to `plan` (or reports where each would land, with
 * `dryRun`). Each case moves through its own `migrateStrategy` update, so it lands at a safe
 * point and records the move on its timeline; a case that refuses (closed meanwhile, already on
 * the version) is reported, not forced.
 */
export async function migrateCases(client: Client, m: BatchMigration): Promise<BatchMigrationReport> {
  const total = await countCases(client, m.query);
  const report: BatchMigrationReport = { dryRun: m.dryRun, matched: 0, migrated: 0, failed: [], landings: {} };
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query: `ExecutionStatus = 'Running' AND (${m.query})` })) ids.push(execution.workflowId);
  report.matched = ids.length;
  let next = 0;
  let done = 0;
  const lanes = Array.from({ length: Math.min(m.concurrency ?? 16, ids.length) }, async () => {
    while (next < ids.length) {
      const workflowId = ids[next++]!;
      try {
        const preview: MigrationPreview = await client.workflow.getHandle(workflowId).executeUpdate(migrateStrategyUpdate, {
          args: [{ actor: m.actor, plan: m.plan, version: m.version, dryRun: m.dryRun, ...(m.stepMap ? { stepMap: m.stepMap } : {}) }],
          // A repeated real run is one update per case; dry runs are always fresh.
          ...(m.dryRun ? {} : { updateId: `migrate-${m.plan.strategyId}-${m.version}-${workflowId}` }),
        });
        const landing = `${preview.fromStep ?? '(start)'} -> ${preview.toStep ?? '(start)'}`;
        report.landings[landing] = (report.landings[landing] ?? 0) + 1;
        if (!m.dryRun) report.migrated++;
      } catch (err) {
        const cause = (err as { cause?: { message?: string } }).cause?.message;
        report.failed.push({ workflowId, reason: cause ?? (err instanceof Error ? err.message : String(err)) });
      }
      m.onProgress?.(++done, Math.max(total, ids.length));
    }
  });
  await Promise.all(lanes);
  return report;
}
