import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { CASE_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { loadConfig } from '../../lib/config';
import { createPool } from '../../lib/db';
import { createProbeActivities } from '../fixtures/activities';
import { probeWorkflow } from '../fixtures/workflows';
import { testConfig } from '../helpers/config';

describe('Temporal dev server', () => {
  it('runs a workflow whose activity writes to PostgreSQL, with our search attributes registered', async () => {
    const config = testConfig();
    const pool = createPool(config);
    const taskQueue = `test-probe-${randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue,
        workflowsPath: path.join(__dirname, '..', 'fixtures', 'workflows.ts'),
        activities: createProbeActivities(pool),
      });
      const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
      const id = `probe-${randomUUID()}`;
      const result = await worker.runUntil(client.workflow.execute(probeWorkflow, { taskQueue, workflowId: id, args: [id] }));
      expect(result).toBe(`recorded ${id}`);
      const { rows } = await pool.query('SELECT id FROM stack_probe WHERE id = $1', [id]);
      expect(rows).toEqual([{ id }]);
      const description = await client.workflow.getHandle(id).describe();
      expect(description.status.name).toBe('COMPLETED');

      // The stack's namespace (npm start's cases) and the tests' own.
      for (const namespace of [loadConfig().TEMPORAL_NAMESPACE, config.TEMPORAL_NAMESPACE]) {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(CASE_SEARCH_ATTRIBUTES)));
      }
      expect(config.TEMPORAL_NAMESPACE).not.toBe(loadConfig().TEMPORAL_NAMESPACE);
    } finally {
      await connection.close();
      await nativeConnection.close();
      await pool.end();
    }
  });
});
