import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Kysely } from 'kysely';
import { createApp, type AppDeps } from '../../api/app';
import { issueToken } from '../../api/auth';
import type { Database } from '../../db/schema';
import { createPool } from '../../lib/db';
import { createKafka } from '../../lib/kafka';
import { createLogger } from '../../lib/logger';
import { createRedis } from '../../lib/redis';
import { createSearchClient } from '../../lib/search';
import { createTemporalClient } from '../../lib/temporal';
import { testConfig } from '../helpers/config';
import { testDatabase } from '../helpers/database';
import { type SeededCase, seedDelinquentCase } from '../helpers/portfolio';

describe('agent contact through the API: ask, then record, under the contact policy', () => {
  const config = testConfig({ LOG_LEVEL: 'silent' });
  const auth = { secret: 'contacts-test-secret-contacts-test-secret', issuer: 'test' };
  let db: Kysely<Database>;
  let deps: AppDeps;
  let server: Server;
  let base: string;
  let seeded: SeededCase;
  let phone: string;
  let agentToken: string;
  let otherToken: string;
  let supervisorToken: string;

  // 15:00 in New York tomorrow: inside contact hours whatever time the test runs.
  const tomorrowAfternoon = () => {
    const d = new Date(Date.now() + 86_400_000);
    d.setUTCHours(20, 0, 0, 0);
    return d.toISOString();
  };

  const call = (path: string, token: string | null, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });

  beforeAll(async () => {
    db = await testDatabase(config);
    seeded = await seedDelinquentCase(db);
    const suffix = String(seeded.caseId);
    const [agent, other] = await db
      .insertInto('agents')
      .values([
        { username: `agent-${suffix}`, display_name: 'Agent A', role: 'agent' },
        { username: `other-${suffix}`, display_name: 'Agent B', role: 'agent' },
      ])
      .returning('id')
      .execute();
    await db.updateTable('cases').set({ assigned_agent_id: agent!.id }).where('id', '=', seeded.caseId).execute();
    const row = await db.selectFrom('customer_phones').select('id').where('customer_id', '=', seeded.customerId).executeTakeFirstOrThrow();
    phone = `phone:${row.id}`;
    agentToken = await issueToken(auth, { id: String(agent!.id), role: 'agent' });
    otherToken = await issueToken(auth, { id: String(other!.id), role: 'agent' });
    supervisorToken = await issueToken(auth, { id: 'sup-1', role: 'supervisor' });
    deps = {
      logger: createLogger(config, 'api-test'),
      pool: createPool(config),
      db,
      auth,
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
    server?.close();
    await Promise.all([deps.pool.end(), db.destroy(), deps.redis.quit(), deps.search.close(), deps.temporal.connection.close()]);
  });

  it('answers "may I call this number now?" for the assigned agent, and hides the case from others', async () => {
    const ok = await call(`/cases/${seeded.caseId}/contact-check`, agentToken, { method: 'POST', body: { channel: 'call', destinationId: phone, at: tomorrowAfternoon() } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ decision: 'allow', destinationId: phone, rulePackVersion: expect.stringContaining('us-federal@') });

    const late = new Date(tomorrowAfternoon());
    late.setUTCHours(late.getUTCHours() + 6); // 21:00 in New York
    const deferred = await call(`/cases/${seeded.caseId}/contact-check`, agentToken, { method: 'POST', body: { channel: 'call', destinationId: phone, at: late.toISOString() } });
    expect(await deferred.json()).toMatchObject({ decision: 'defer' });

    const hidden = await call(`/cases/${seeded.caseId}/contact-check`, otherToken, { method: 'POST', body: { channel: 'call' } });
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('names the bad field of a bad request, and requires an Idempotency-Key to record', async () => {
    const bad = await call(`/cases/${seeded.caseId}/contact-check`, agentToken, { method: 'POST', body: { channel: 'pigeon' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: expect.stringMatching(/validation$/), errors: [expect.objectContaining({ field: 'channel' })] });
    const noKey = await call(`/cases/${seeded.caseId}/contact-attempts`, agentToken, { method: 'POST', body: { channel: 'call', destinationId: phone } });
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ errors: [{ field: 'Idempotency-Key', message: 'required' }] });
  });

  it('records a manual call once per Idempotency-Key and lists it as compliance evidence', async () => {
    const key = `dial-${seeded.caseId}`;
    const body = { channel: 'call', destinationId: phone, at: tomorrowAfternoon(), outcome: 'no_answer' };
    const first = await call(`/cases/${seeded.caseId}/contact-attempts`, agentToken, { method: 'POST', body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const recorded = (await first.json()) as { attemptId: number; decision: string; mayDial: boolean };
    expect(recorded).toMatchObject({ decision: 'allow', mayDial: true });
    const again = await call(`/cases/${seeded.caseId}/contact-attempts`, agentToken, { method: 'POST', body, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ attemptId: recorded.attemptId, replayed: true });

    const evidence = (await (await call(`/cases/${seeded.caseId}/contact-evidence`, supervisorToken)).json()) as { items: { id: number; decision: string; channel: string }[] };
    expect(evidence.items.filter((i) => i.id === recorded.attemptId)).toEqual([expect.objectContaining({ decision: 'allowed', channel: 'call' })]);

    const outcome = await call(`/cases/${seeded.caseId}/contact-attempts/${key}/outcome`, agentToken, { method: 'PUT', body: { outcome: 'rpc' } });
    expect(outcome.status).toBe(204);
  });

  it('lets supervisors, not agents, read the compliance counts', async () => {
    expect((await call('/compliance/contact-decisions', agentToken)).status).toBe(403);
    const counts = await call('/compliance/contact-decisions', supervisorToken);
    expect(counts.status).toBe(200);
    expect(await counts.json()).toMatchObject({ total: expect.any(Number), byRule: expect.any(Array) });
  });
});
