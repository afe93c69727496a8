/**
 * A case worker process for test/cases/case-lifecycle.test.ts that dies the way a killed
 * process does (SIGKILL, no clean-up) right after it commits the effect batch of an agent's
 * call outcome, before the workflow task that asked for the batch completes: the commit is in
 * PostgreSQL and not in the workflow's history. Before dying it reports the batch's effect keys
 * over IPC. Configuration comes from the environment (the test's database), the task queue from
 * CRASH_TASK_QUEUE.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { type CaseActivities, createCaseActivities } from '../../activities/case-activities';
import { createContactGate } from '../../activities/contact-gate';
import { createStrategyResolver } from '../../activities/strategy-resolver';
import type { Database } from '../../db/schema';
import { loadConfigOrExit } from '../../lib/config';
import { createDb } from '../../lib/db';

export type CrashingWorkerMessage = { type: 'ready' } | { type: 'committed'; keys: string[] };

const send = (message: CrashingWorkerMessage, then: () => void = () => undefined) => process.send!(message, then);

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfigOrExit();
  const db = createDb<Database>(config);
  const real = createCaseActivities({ db, contactGate: createContactGate(db), strategies: createStrategyResolver(db) });
  const crashing: CaseActivities = {
    ...real,
    async commitCaseEffects(batch) {
      const result = await real.commitCaseEffects(batch);
      if (batch.effects.some((e) => e.kind === 'timeline' && e.type === 'call_outcome')) {
        send({ type: 'committed', keys: batch.effects.map((e) => e.key) }, () => process.kill(process.pid, 'SIGKILL'));
        return new Promise<never>(() => {});
      }
      return result;
    },
  };
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: process.env.CRASH_TASK_QUEUE!,
    workflowsPath: require.resolve('../../workflows'),
    activities: crashing,
  });
  send({ type: 'ready' });
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
