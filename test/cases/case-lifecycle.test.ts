import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { type CaseActivities, createCaseActivities } from '../../activities/case-activities';
import { createContactGate } from '../../activities/contact-gate';
import { createStrategyResolver } from '../../activities/strategy-resolver';
import type { EffectBatch } from '../../domain/case-effects';
import { createLogger } from '../../lib/logger';
import { createCaseStarter } from '../../workers/case-starter';
import {
  caseStateQuery,
  caseWorkflowId,
  createPromiseUpdate,
  paymentReceivedSignal,
  recordCallOutcomeUpdate,
} from '../../workflows/messages';
import { testConfig } from '../helpers/config';
import type { CrashingWorkerMessage } from '../helpers/crashing-case-worker';
import { useDevServer } from '../helpers/dev-server';
import { seedDelinquentCase } from '../helpers/portfolio';

jest.setTimeout(120_000);

const config = testConfig();
const agent = { id: 'agent-1', role: 'agent' as const };

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Effect batches the workflow asked for, found by replaying its history (effect batches are
 * local activities: the history keeps their results, not their inputs): what the database
 * must hold, once each.
 */
async function batchesFromHistory(
  workflowId: string,
  history: Parameters<typeof Worker.runReplayHistory>[1],
): Promise<EffectBatch[]> {
  const batches: EffectBatch[] = [];
  await Worker.runReplayHistory(
    {
      workflowsPath: require.resolve('../../workflows'),
      interceptors: { workflowModules: [require.resolve('../helpers/effect-batch-interceptor')] },
      sinks: {
        effectBatches: {
          asked: {
            fn: (_info: unknown, batch: EffectBatch) => void batches.push(structuredClone(batch)),
            callDuringReplay: true,
          },
        },
      },
    },
    history,
    workflowId,
  );
  return batches;
}

describe('a case on the dev server with real PostgreSQL', () => {
  const stack = useDevServer(config);

  it('keeps a timeline matching its history, with no duplicate effect across a crash and a worker restart', async () => {
    const { db, client, native } = stack;
    const taskQueue = `test-cases-${randomUUID()}`;
    const resolver = createStrategyResolver(db);
    const real = createCaseActivities({ db, contactGate: createContactGate(db), strategies: resolver });
    const keyOf = (keys: string[]) => keys.join(',');
    const committedBySecondWorker = new Set<string>();
    const restarted: CaseActivities = {
      ...real,
      async commitCaseEffects(batch) {
        committedBySecondWorker.add(keyOf(batch.effects.map((e) => e.key)));
        return real.commitCaseEffects(batch);
      },
    };
    const seeded = await seedDelinquentCase(db, { dpd: 5, overdueMinor: 15_000 });
    const handle = client.workflow.getHandle(caseWorkflowId(String(seeded.caseId)));
    // The first worker is a process of its own, killed right after it commits the batch of the
    // agent's call outcome: the commit is in PostgreSQL, the workflow task that asked for it is lost.
    const first = fork(path.join(__dirname, '..', 'helpers', 'crashing-case-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        PG_DATABASE: config.PG_DATABASE,
        TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
        CRASH_TASK_QUEUE: taskQueue,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let lostBatch: string | undefined;
    first.on('message', (m: CrashingWorkerMessage) => {
      if (m.type === 'committed') lostBatch = keyOf(m.keys);
    });
    await new Promise<void>((resolve, reject) => {
      first.on('message', (m: CrashingWorkerMessage) => m.type === 'ready' && resolve());
      first.once('exit', (code) => reject(new Error(`the first worker exited with ${code} before it was ready`)));
    });
    let outcomeRecorded: Promise<unknown> | undefined;
    try {
      const starter = createCaseStarter({
        db,
        client,
        resolver,
        taskQueue,
        logger: createLogger({ LOG_LEVEL: 'silent' }, 'test'),
      });
      expect(await starter.startCases([seeded.caseId])).toEqual({ started: 1, noStrategy: 0, failed: 0 });
      // Starting it again is harmless: the same run goes on.
      const runId = (await handle.describe()).runId;
      await starter.startCases([seeded.caseId]);
      expect((await handle.describe()).runId).toBe(runId);

      const row = await db
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', seeded.caseId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        strategy_id: 'early-stage',
        experiment_arm: `early-stage@${row.strategy_version}`,
      });
      expect(row.workflow_started_at).not.toBeNull();

      // The first reminder reaches the contact ledger (allowed, or deferred to the debtor's morning).
      await until(
        'the first contact attempt',
        async () =>
          (await db
            .selectFrom('contact_attempts')
            .select('decision')
            .where('case_id', '=', seeded.caseId)
            .executeTakeFirst()) ?? undefined,
      );

      // The agent's update waits through the crash: the client retries it until a worker completes it.
      outcomeRecorded = handle.executeUpdate(recordCallOutcomeUpdate, {
        args: [{ actor: agent, outcome: 'rpc' }],
      });
      outcomeRecorded.catch(() => undefined);
      expect(await until('the first worker to die', async () => first.signalCode ?? undefined, 60_000)).toBe('SIGKILL');
    } finally {
      if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    }
    const second = await Worker.create({
      connection: native,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: restarted,
    });
    await second.runUntil(async () => {
      await outcomeRecorded;
      const due = new Date(Date.now() + 3 * 86_400_000).toISOString();
      await handle.executeUpdate(createPromiseUpdate, {
        args: [{ actor: agent, currency: 'EUR', amountMinor: 15_000, dueDate: due }],
      });
      await handle.signal(paymentReceivedSignal, {
        paymentId: `pay-${randomUUID()}`,
        amountMinor: 15_000,
        currency: 'EUR',
        receivedAt: new Date().toISOString(),
      });
      const result = await handle.result();
      expect(result.outcome).toBe('cured');
      const view = await handle.query(caseStateQuery);
      expect(view.promise?.status).toBe('kept');
    });

    const history = await handle.fetchHistory();
    // The crash cost the open workflow task, and the next worker committed that batch again.
    expect((history.events ?? []).some((e) => e.workflowTaskTimedOutEventAttributes)).toBe(true);
    expect(lostBatch).toBeDefined();
    expect(committedBySecondWorker.has(lostBatch!)).toBe(true);

    const batches = await batchesFromHistory(handle.workflowId, history);
    expect(batches.length).toBeGreaterThanOrEqual(4);
    const effects = batches.flatMap((b) => b.effects);
    const keysOf = (kind: string) =>
      effects
        .filter((e) => e.kind === kind)
        .map((e) => e.key)
        .sort();

    const timeline = await db
      .selectFrom('case_events')
      .select(['idempotency_key', 'type'])
      .where('case_id', '=', seeded.caseId)
      .where('actor', '!=', 'test')
      .execute();
    const timelineKeys = timeline.map((t) => t.idempotency_key);
    expect(new Set(timelineKeys).size).toBe(timelineKeys.length);
    // Every timeline effect of the history is in the table, exactly once.
    for (const key of keysOf('timeline')) expect(timelineKeys.filter((k) => k === key)).toHaveLength(1);
    expect(timeline.map((t) => t.type)).toEqual(
      expect.arrayContaining([
        'strategy_started',
        'call_outcome',
        'promise_created',
        'payment_received',
        'promise_kept',
        'case_closed',
      ]),
    );

    const attempts = await db
      .selectFrom('contact_attempts')
      .select('idempotency_key')
      .where('case_id', '=', seeded.caseId)
      .execute();
    expect(attempts.map((a) => a.idempotency_key).sort()).toEqual(keysOf('contact_request'));
    const tasks = await db
      .selectFrom('tasks')
      .select('idempotency_key')
      .where('case_id', '=', seeded.caseId)
      .execute();
    expect(tasks.map((t) => t.idempotency_key).sort()).toEqual(keysOf('call_task'));
    const promises = await db
      .selectFrom('promises')
      .select(['status', 'paid_minor'])
      .where('case_id', '=', seeded.caseId)
      .execute();
    expect(promises).toEqual([{ status: 'kept', paid_minor: 15_000 }]);

    const closed = await db
      .selectFrom('cases')
      .select(['status', 'outcome'])
      .where('id', '=', seeded.caseId)
      .executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'closed', outcome: 'cured' });
    const outbox = await db
      .selectFrom('outbox')
      .select('event_type')
      .where('message_key', '=', String(seeded.caseId))
      .execute();
    expect(outbox.map((o) => o.event_type)).toEqual(
      expect.arrayContaining(['strategy_started', 'case_closed', 'promise.kept']),
    );
  });

  it('the sweep starts an open case whose workflow was never started', async () => {
    const { db, client } = stack;
    const taskQueue = `test-sweep-${randomUUID()}`;
    const resolver = createStrategyResolver(db);
    const seeded = await seedDelinquentCase(db, { dpd: 45 });
    const starter = createCaseStarter({
      db,
      client,
      resolver,
      taskQueue,
      logger: createLogger({ LOG_LEVEL: 'silent' }, 'test'),
    });
    const report = await starter.sweep({ afterId: seeded.caseId - 1, limit: 10 });
    expect(report.started).toBeGreaterThanOrEqual(1);
    const row = await db
      .selectFrom('cases')
      .select(['strategy_id', 'workflow_started_at'])
      .where('id', '=', seeded.caseId)
      .executeTakeFirstOrThrow();
    expect(row.strategy_id).toBe('mid-stage');
    expect(row.workflow_started_at).not.toBeNull();
    const handle = client.workflow.getHandle(caseWorkflowId(String(seeded.caseId)));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test done');
  });
});
