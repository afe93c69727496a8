import { type Config, loadConfig } from '../../lib/config';

/**
 * Integration tests run on the same local stack as `npm start`, but in their own database,
 * index prefix, Redis key prefix and Temporal namespace (created by the global setup), so a demo
 * running beside them is left alone: the test database numbers its cases from 1 as the demo's
 * does, and the same workflow id `case-<id>` in one namespace would be the demo's case.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const base = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  return loadConfig({
    ...process.env,
    LOG_LEVEL: base.LOG_LEVEL,
    NODE_ENV: 'test',
    PG_DATABASE: `${base.PG_DATABASE}_test`,
    ES_INDEX_PREFIX: `${base.ES_INDEX_PREFIX}-test`,
    REDIS_KEY_PREFIX: `test:${base.REDIS_KEY_PREFIX}`,
    TEMPORAL_NAMESPACE: `${base.TEMPORAL_NAMESPACE}-test`,
    ...overrides,
  });
}
