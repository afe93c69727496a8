import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { stackPaths } from '../../infra/stack/common';
import { temporalTestServer } from '../../infra/stack/services/temporal';
import { CASE_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { loadConfig } from '../../lib/config';

const INDEXED = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/**
 * A private time-skipping test server per test file (time skipping is global to a server, so
 * files must not share one), from the binary the local stack installed; never a download.
 * The case workflow's search attributes are registered as on the dev server.
 */
export async function temporalTestEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = temporalTestServer({ paths: stackPaths(loadConfig()) });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(CASE_SEARCH_ATTRIBUTES).map(([name, type]) => [name, INDEXED[type]])),
  });
  return env;
}
