import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { longTimerWorkflow } from '../fixtures/workflows';
import { temporalTestEnvironment } from '../helpers/temporal';

describe('Temporal time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await temporalTestEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('finishes a 30-day timer in seconds of wall time', async () => {
    const taskQueue = `test-timer-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: path.join(__dirname, '..', 'fixtures', 'workflows.ts'),
    });
    const wallStart = Date.now();
    const elapsedInWorkflow = await worker.runUntil(
      env.client.workflow.execute(longTimerWorkflow, { taskQueue, workflowId: `timer-${randomUUID()}`, args: [30] }),
    );
    expect(elapsedInWorkflow).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
    expect(Date.now() - wallStart).toBeLessThan(30 * 24 * 3600 * 1000);
  });
});
