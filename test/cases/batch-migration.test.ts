import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { createCaseActivities } from '../../activities/case-activities';
import { createContactGate } from '../../activities/contact-gate';
import { createStrategyResolver } from '../../activities/strategy-resolver';
import { PgStrategyStore } from '../../db/repositories/strategy-store';
import { LIBRARY_DIR } from '../../db/strategy-library';
import { createLogger } from '../../lib/logger';
import { publishSource } from '../../strategies/versions';
import { countCases, migrateCases } from '../../workers/case-migration';
import { createCaseStarter } from '../../workers/case-starter';
import { caseStateQuery, caseWorkflowId } from '../../workflows/messages';
import { testConfig } from '../helpers/config';
import { useDevServer } from '../helpers/dev-server';
import { seedDelinquentCase } from '../helpers/portfolio';

const config = testConfig();

describe('migrating running cases in a batch, by visibility query', () => {
  const stack = useDevServer(config);

  it('previews the count and landings, then moves every matching case, and the cases say so', async () => {
    const { db, client, native } = stack;
    const taskQueue = `test-batch-${randomUUID()}`;
    const resolver = createStrategyResolver(db);
    const worker = await Worker.create({
      connection: native,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createCaseActivities({ db, contactGate: createContactGate(db), strategies: resolver }),
    });
    await worker.runUntil(async () => {
      const starter = createCaseStarter({ db, client, resolver, taskQueue, logger: createLogger({ LOG_LEVEL: 'silent' }, 'test') });
      const cases = [await seedDelinquentCase(db), await seedDelinquentCase(db)];
      await starter.startCases(cases.map((c) => c.caseId));
      const from = (await client.workflow.getHandle(caseWorkflowId(String(cases[0]!.caseId))).query(caseStateQuery)).strategy;

      // A designer publishes a new early-stage version: a shorter first wait.
      const source = fs
        .readFileSync(path.join(LIBRARY_DIR, 'early-stage.yaml'), 'utf8')
        .replace(/id: wait-after-sms\n(\s+)type: wait\n(\s+)duration: 3d/, `id: wait-after-sms\n$1type: wait\n$2duration: ${2 + Math.floor(Math.random() * 20)}h`);
      const published = await publishSource(new PgStrategyStore(db), source, { by: 'designer-1', at: new Date().toISOString() });
      if (!published.ok) throw new Error(published.message);

      const query = `TaskQueue = '${taskQueue}' AND StrategyId = 'early-stage' AND StrategyVersion = ${from.version}`;
      let counted = 0;
      for (let i = 0; i < 50 && counted < 2; i++) {
        counted = await countCases(client, query);
        if (counted < 2) await new Promise((r) => setTimeout(r, 200));
      }
      expect(counted).toBe(2);
      const actor = { id: 'sup-1', role: 'supervisor' as const };
      const plan = published.version.plan;
      const preview = await migrateCases(client, { query, plan, version: published.version.version, actor, dryRun: true });
      expect(preview).toMatchObject({ dryRun: true, matched: 2, migrated: 0, failed: [], landings: { 'wait-after-sms -> wait-after-sms': 2 } });
      for (const c of cases) {
        expect((await client.workflow.getHandle(caseWorkflowId(String(c.caseId))).query(caseStateQuery)).strategy.version).toBe(from.version);
      }

      const done = await migrateCases(client, { query, plan, version: published.version.version, actor, dryRun: false });
      expect(done).toMatchObject({ dryRun: false, matched: 2, migrated: 2, failed: [] });
      for (const c of cases) {
        const handle = client.workflow.getHandle(caseWorkflowId(String(c.caseId)));
        expect((await handle.query(caseStateQuery)).strategy).toEqual({ id: 'early-stage', version: published.version.version, planHash: plan.hash });
        await handle.terminate('test done');
      }
    });
  });
});
