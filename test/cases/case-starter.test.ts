import { randomUUID } from 'node:crypto';
import { type PgStrategyResolver, createStrategyResolver } from '../../activities/strategy-resolver';
import { createLogger } from '../../lib/logger';
import { createCaseStarter } from '../../workers/case-starter';
import { type CollectionCaseInput, caseWorkflowId } from '../../workflows/messages';
import { testConfig } from '../helpers/config';
import { useDevServer } from '../helpers/dev-server';
import { type SeededCase, seedDelinquentCase } from '../helpers/portfolio';

const config = testConfig();

/**
 * The case starter against real PostgreSQL and Temporal, with no worker: the workflows it starts
 * wait on a task queue of their own and are terminated afterwards. Their inputs are read back
 * from the started event of each history.
 */
describe('the case starter', () => {
  const stack = useDevServer(config);
  const started: string[] = [];
  stack.beforeClose(() =>
    Promise.all(started.map((id) => stack.client.workflow.getHandle(id).terminate('test done').catch(() => undefined))),
  );

  const starterWith = (resolver: PgStrategyResolver, options: { chunkSize?: number; concurrency?: number } = {}) =>
    createCaseStarter({
      db: stack.db,
      client: stack.client,
      resolver,
      taskQueue: `test-starter-${randomUUID()}`,
      logger: createLogger({ LOG_LEVEL: 'silent' }, 'test'),
      ...options,
    });

  async function inputOf(caseId: number): Promise<CollectionCaseInput> {
    const history = await stack.client.workflow.getHandle(caseWorkflowId(String(caseId))).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return JSON.parse(Buffer.from(payload!.data!).toString('utf8')) as CollectionCaseInput;
  }

  const rowsOf = (cases: SeededCase[]) =>
    stack.db
      .selectFrom('cases')
      .select(['id', 'strategy_id', 'strategy_version', 'experiment_arm', 'workflow_started_at'])
      .where(
        'id',
        'in',
        cases.map((c) => c.caseId),
      )
      .orderBy('id')
      .execute();

  it('starts every case across chunks, pins its strategy on the case row and marks it started', async () => {
    const { db } = stack;
    const cases: SeededCase[] = [];
    for (let i = 0; i < 11; i++) cases.push(await seedDelinquentCase(db, { dpd: i % 2 === 0 ? 5 : 45 }));
    const starter = starterWith(createStrategyResolver(db), { chunkSize: 3, concurrency: 4 });
    const report = await starter.startCases(cases.map((c) => c.caseId));
    started.push(...cases.map((c) => caseWorkflowId(String(c.caseId))));
    expect(report).toEqual({ started: 11, noStrategy: 0, failed: 0 });

    const rows = await rowsOf(cases);
    expect(rows).toHaveLength(11);
    for (const [i, row] of rows.entries()) {
      expect(row.strategy_id).toBe(i % 2 === 0 ? 'early-stage' : 'mid-stage');
      expect(row.workflow_started_at).not.toBeNull();
      const input = await inputOf(row.id);
      expect(input).toMatchObject({
        caseId: String(row.id),
        strategyVersion: row.strategy_version,
        experimentArm: row.experiment_arm,
      });
      expect(input.plan.strategyId).toBe(row.strategy_id);
    }
    // Nothing is left for the sweep.
    const again = await starter.sweep({ afterId: cases[0]!.caseId - 1, limit: 11 });
    expect(again.started).toBe(0);
  });

  it('keeps the pin of a case that another starter pinned in the meantime', async () => {
    const { db } = stack;
    const seeded = await seedDelinquentCase(db, { dpd: 5 });
    const real = createStrategyResolver(db);
    const { version } = await db
      .selectFrom('strategy_versions')
      .select('version')
      .where('strategy_id', '=', 'late-stage')
      .where('status', '=', 'published')
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    // While this starter selects a strategy, another one pins the case to something else.
    const racing: PgStrategyResolver = {
      ...real,
      async selectForNewCase(facts, caseId, now) {
        await db
          .updateTable('cases')
          .set({ strategy_id: 'late-stage', strategy_version: version, experiment_arm: 'pinned-by-another-starter' })
          .where('id', '=', Number(caseId))
          .execute();
        return real.selectForNewCase(facts, caseId, now);
      },
    };
    const report = await starterWith(racing).startCases([seeded.caseId]);
    started.push(caseWorkflowId(String(seeded.caseId)));
    expect(report).toEqual({ started: 1, noStrategy: 0, failed: 0 });
    const [row] = await rowsOf([seeded]);
    expect(row).toMatchObject({ strategy_id: 'late-stage', strategy_version: version, experiment_arm: 'pinned-by-another-starter' });
    const input = await inputOf(seeded.caseId);
    expect(input.plan.strategyId).toBe('late-stage');
    expect(input.experimentArm).toBe('pinned-by-another-starter');
  });
});
