import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { type CaseActivities, createCaseActivities } from '../../activities/case-activities';
import { createContactGate } from '../../activities/contact-gate';
import { createStrategyResolver } from '../../activities/strategy-resolver';
import type { EffectBatch } from '../../domain/case-effects';
import type { Database } from '../../db/schema';
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
import { testDatabase } from '../helpers/database';
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

/** Effect batches the workflow asked for, decoded from its history: what the database must hold, once each. */
function batchesFromHistory(
  history: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>,
): EffectBatch[] {
  const batches: EffectBatch[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== 'commitCaseEffects') continue;
    const payload = scheduled.input?.payloads?.[0];
    batches.push(JSON.parse(Buffer.from(payload!.data!).toString('utf8')) as EffectBatch);
  }
  return batches;
}

describe('a case on the dev server with real PostgreSQL', () => {
  let db: Kysely<Database>;
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;

  beforeAll(async () => {
    db = await testDatabase(config);
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    native = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  });
  afterAll(async () => {
    await connection?.close();
    await native?.close();
    await db?.destroy();
  });

  it('keeps a timeline matching its history, with no duplicate effect across a crash and a worker restart', async () => {
    const taskQueue = `test-cases-${randomUUID()}`;
    const resolver = createStrategyResolver(db);
    const real = createCaseActivities({ db, contactGate: createContactGate(db), strategies: resolver });
    let calls = 0;
    let crashed = false;
    // The first worker commits its second batch (the agent's call outcome), then dies before reporting it: Temporal retries it.
    const crashing: CaseActivities = {
      ...real,
      async commitCaseEffects(batch) {
        const result = await real.commitCaseEffects(batch);
        if (++calls === 2 && !crashed) {
          crashed = true;
          throw new Error('simulated crash after the commit');
        }
        return result;
      },
    };
    const workerOptions = {
      connection: native,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
    };
    const seeded = await seedDelinquentCase(db, { dpd: 5, overdueMinor: 15_000 });
    const handle = client.workflow.getHandle(caseWorkflowId(String(seeded.caseId)));
    const first = await Worker.create({ ...workerOptions, activities: crashing });
    const firstRun = first.run();
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

      await handle.executeUpdate(recordCallOutcomeUpdate, { args: [{ actor: agent, outcome: 'rpc' }] });
      await until('the crash to happen', async () => (crashed ? true : undefined));
    } finally {
      // The worker dies; another takes over and the case carries on from its history.
      first.shutdown();
      await firstRun;
    }
    const second = await Worker.create({ ...workerOptions, activities: real });
    await second.runUntil(async () => {
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
    const retried = (history.events ?? []).some(
      (e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1,
    );
    expect(retried).toBe(true);

    const batches = batchesFromHistory(history);
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
