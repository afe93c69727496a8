import fs from 'node:fs';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createCaseActivities } from '../activities/case-activities';
import { createContactGate } from '../activities/contact-gate';
import { createStrategyResolver } from '../activities/strategy-resolver';
import type { Database } from '../db/schema';
import { type Config, loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { createTemporalClient } from '../lib/temporal';
import { createCaseStarter } from './case-starter';

/** The case worker's explicit tuning (lib/config.ts): cache, concurrency, pollers, shutdown grace. */
export function caseWorkerTuning(config: Config) {
  return {
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentLocalActivityExecutions: config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: config.WORKER_MAX_WORKFLOW_TASK_POLLS } as const,
    nonStickyToStickyPollRatio: 0.5,
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`,
  } satisfies Partial<WorkerOptions>;
}

/**
 * The case worker: runs case workflows and their activities, and starts the workflows of newly
 * opened cases (sweeping for any never started). Tuning comes from the configuration; SIGTERM
 * drains in-flight activities within WORKER_SHUTDOWN_GRACE_SECONDS, then exits.
 */
export async function runCaseWorker(config: Config, options: { sweepEveryMs?: number } = {}): Promise<void> {
  const logger = createLogger(config, 'case-worker');
  const db = createDb<Database>(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = await createTemporalClient(config);
  const resolver = createStrategyResolver(db);
  const bundle = config.WORKER_WORKFLOW_BUNDLE;
  if (bundle && !fs.existsSync(bundle)) throw new Error(`WORKER_WORKFLOW_BUNDLE ${bundle} does not exist: run npm run build:workflows`);

  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createCaseActivities({ db, contactGate: createContactGate(db), strategies: resolver }),
    ...caseWorkerTuning(config),
  });

  const starter = createCaseStarter({ db, client, resolver, taskQueue: config.TEMPORAL_TASK_QUEUE, logger });
  let stopping = false;
  const sweepEvery = options.sweepEveryMs ?? 5000;
  const sweeping = (async () => {
    while (!stopping) {
      try {
        const report = await starter.sweep();
        if (report.started + report.failed + report.noStrategy > 0) logger.info(report, 'case sweep');
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'case sweep failed; retrying');
      }
      for (let waited = 0; waited < sweepEvery && !stopping; waited += 250) await new Promise((r) => setTimeout(r, 250));
    }
  })();

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'case worker shutting down');
    worker.shutdown();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS, bundle: bundle || '(bundled at start)' },
    'case worker running',
  );
  try {
    await worker.run();
  } finally {
    stopping = true;
    await sweeping;
    await client.connection.close();
    await connection.close();
    await db.destroy();
  }
}

if (require.main === module) {
  runCaseWorker(loadConfigOrExit()).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
