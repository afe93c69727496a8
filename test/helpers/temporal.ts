import { TestWorkflowEnvironment } from '@temporalio/testing';
import { stackPaths } from '../../infra/stack/common';
import { temporalTestServer } from '../../infra/stack/services/temporal';
import { loadConfig } from '../../lib/config';

/**
 * A private time-skipping test server per test file (time skipping is global to a server, so
 * files must not share one), from the binary the local stack installed; never a download.
 */
export async function temporalTestEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = temporalTestServer({ paths: stackPaths(loadConfig()) });
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}
