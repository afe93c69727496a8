/**
 * The worker process of npm run bench -- case-intake (bench/case-intake.ts forks it, one at a
 * time), so its RSS and CPU time are its own. It runs either the no-op workflow or the case
 * workflows with their real activities against the bench database, with the production tuning
 * of workers/case-worker.ts except the cache size under test, and reports over IPC:
 * memory and CPU time, the Core SDK's own counters (scraped from its Prometheus endpoint:
 * workflow tasks, sticky cache size, completions), and every committed effect batch (case id,
 * DPD of its case row, whether it held a treatment, when it committed).
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createCaseActivities } from '../activities/case-activities';
import { createContactGate } from '../activities/contact-gate';
import { createStrategyResolver } from '../activities/strategy-resolver';
import type { Database } from '../db/schema';
import type { EffectBatch } from '../domain/case-effects';
import { loadConfigOrExit } from '../lib/config';
import { caseWorkerTuning } from '../workers/case-worker';
import { createDb } from '../lib/db';

export interface WorkerSpec {
  mode: 'noop' | 'case';
  namespace: string;
  taskQueue: string;
  /** A prebuilt workflow bundle (the parent bundles once for every worker it forks). */
  bundle: string;
  maxCachedWorkflows: number;
  metricsPort: number;
}

export interface WorkerStats {
  at: number;
  rss: number;
  heapUsed: number;
  external: number;
  /** Process CPU time (user + system, every thread), microseconds. */
  cpuUs: number;
  /** Core SDK metrics summed over their labels, e.g. temporal_sticky_cache_size. */
  metrics: Record<string, number>;
}

/** [case id, DPD on the case row, 1 when the batch held a contact request or call task, epoch ms]. */
export type Commit = [number, number, 0 | 1, number];

export type ChildMessage =
  | { type: 'ready'; pid: number }
  | { type: 'stats'; stats: WorkerStats }
  | { type: 'commits'; items: Commit[] }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

export type ParentMessage = { type: 'stats' } | { type: 'stop' };

const send = (message: ChildMessage) => {
  if (process.connected) process.send?.(message);
};

async function metrics(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sums: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const value = Number(m[2]);
    if (Number.isFinite(value)) sums[m[1]!] = (sums[m[1]!] ?? 0) + value;
  }
  return sums;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.BENCH_WORKER_SPEC ?? '') as WorkerSpec;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${spec.metricsPort}` } } },
  });
  const config = loadConfigOrExit();
  const db = spec.mode === 'case' ? createDb<Database>(config) : undefined;
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });

  let pending: Commit[] = [];
  let activities: object = {};
  if (db) {
    const real = createCaseActivities({
      db,
      contactGate: createContactGate(db),
      strategies: createStrategyResolver(db),
    });
    activities = {
      ...real,
      async commitCaseEffects(batch: EffectBatch) {
        const result = await real.commitCaseEffects(batch);
        const treatment = batch.effects.some((e) => e.kind === 'contact_request' || e.kind === 'call_task');
        pending.push([Number(batch.caseId), batch.caseUpdate.dpd, treatment ? 1 : 0, Date.now()]);
        return result;
      },
    };
  }
  const flush = setInterval(() => {
    if (pending.length === 0) return;
    send({ type: 'commits', items: pending });
    pending = [];
  }, 200);

  // The tuning of workers/case-worker.ts (lib/config.ts), except the cache size under test.
  const worker = await Worker.create({
    connection,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    workflowBundle: { codePath: spec.bundle },
    activities,
    ...caseWorkerTuning(config),
    maxCachedWorkflows: spec.maxCachedWorkflows,
  });

  const listed = new Set<string>();
  const stats = async (): Promise<WorkerStats> => {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const sums = await metrics(spec.metricsPort);
    const fresh = Object.keys(sums).filter((name) => !listed.has(name));
    if (fresh.length) {
      for (const name of fresh) listed.add(name);
      console.log(`metrics: ${fresh.sort().join(' ')}`);
    }
    return {
      at: Date.now(),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      cpuUs: cpu.user + cpu.system,
      metrics: sums,
    };
  };
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    worker.shutdown();
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') stop();
    else if (message.type === 'stats')
      stats().then(
        (s) => send({ type: 'stats', stats: s }),
        (err) => send({ type: 'failed', message: `stats: ${String(err)}` }),
      );
  });
  // The parent went away (crashed or interrupted): do not linger as a poller.
  process.on('disconnect', stop);

  const running = worker.run();
  send({ type: 'ready', pid: process.pid });
  try {
    await running;
  } finally {
    clearInterval(flush);
    if (pending.length) send({ type: 'commits', items: pending });
    await connection.close();
    await db?.destroy();
  }
  send({ type: 'stopped' });
}

main().then(
  () => process.exit(0),
  (err) => {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    console.error(err);
    process.exit(1);
  },
);
