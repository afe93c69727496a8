import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type AppDeps } from '../../api/app';
import { issueToken } from '../../api/auth';
import type { Database } from '../../db/schema';
import { createDb, createPool } from '../../lib/db';
import { createKafka } from '../../lib/kafka';
import { createLogger } from '../../lib/logger';
import { createRedis } from '../../lib/redis';
import { createSearchClient } from '../../lib/search';
import { createTemporalClient } from '../../lib/temporal';
import { testConfig } from '../helpers/config';

describe('API health, docs and errors', () => {
  let server: Server;
  let base: string;
  let deps: AppDeps;

  beforeAll(async () => {
    const config = testConfig({ LOG_LEVEL: 'silent' });
    deps = {
      logger: createLogger(config, 'api-test'),
      pool: createPool(config),
      db: createDb<Database>(config),
      auth: { secret: 'test-secret-test-secret-test-secret-!', issuer: 'test' },
      redis: createRedis(config),
      kafka: createKafka(config),
      search: createSearchClient(config),
      temporal: await createTemporalClient(config),
    };
    server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await Promise.all([deps.pool.end(), deps.db.destroy(), deps.redis.quit(), deps.search.close(), deps.temporal.connection.close()]);
  });

  it('reports every dependency up when the stack runs', async () => {
    const response = await fetch(`${base}/health`);
    const body = (await response.json()) as { status: string; dependencies: Record<string, { status: string }> };
    expect(body.dependencies).toEqual({
      postgres: expect.objectContaining({ status: 'up' }),
      redis: expect.objectContaining({ status: 'up' }),
      kafka: expect.objectContaining({ status: 'up' }),
      elasticsearch: expect.objectContaining({ status: 'up' }),
      temporal: expect.objectContaining({ status: 'up' }),
    });
    expect(response.status).toBe(200);
  });

  it('reports a dependency that does not answer as down, with 503', async () => {
    const config = testConfig({ LOG_LEVEL: 'silent', ES_URL: 'http://127.0.0.1:1' });
    const search = createSearchClient(config);
    const app = createApp({ ...deps, search });
    const other = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/health`);
      const body = (await response.json()) as { status: string; dependencies: Record<string, { status: string }> };
      expect(response.status).toBe(503);
      expect(body.status).toBe('degraded');
      expect(body.dependencies.elasticsearch?.status).toBe('down');
      expect(body.dependencies.postgres?.status).toBe('up');
    } finally {
      other.close();
      await search.close();
    }
  });

  it('serves its OpenAPI document and the docs page', async () => {
    const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/health');
    const docs = await fetch(`${base}/docs`);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect((await fetch(`${base}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('answers unknown routes, missing tokens and malformed JSON with problem+json', async () => {
    const anonymous = await fetch(`${base}/no-such-thing`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ type: expect.stringMatching(/unauthorized$/), status: 401 });
    const token = await issueToken(deps.auth, { id: 'sup-1', role: 'supervisor' });
    const missing = await fetch(`${base}/no-such-thing`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ type: expect.stringMatching(/not-found$/), status: 404, instance: '/no-such-thing' });

    const malformed = await fetch(`${base}/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ type: expect.stringMatching(/malformed-json$/), status: 400 });
  });
});
