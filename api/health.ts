import type { Client as SearchClient } from '@elastic/elasticsearch';
import type { Client as TemporalClient } from '@temporalio/client';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';

export interface HealthDeps {
  pool: Pool;
  redis: Redis;
  kafka: Kafka;
  search: SearchClient;
  temporal: TemporalClient;
}

export type DependencyHealth = { status: 'up'; ms: number } | { status: 'down'; ms: number; error: string };

async function probe(check: () => Promise<unknown>, timeoutMs = 2000): Promise<DependencyHealth> {
  const started = Date.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { status: 'up', ms: Date.now() - started };
  } catch (err) {
    return { status: 'down', ms: Date.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Readiness of every dependency, checked in parallel; the API itself answering is liveness. */
export async function checkHealth(deps: HealthDeps): Promise<{ status: 'up' | 'degraded'; dependencies: Record<string, DependencyHealth> }> {
  const admin = deps.kafka.admin();
  const entries = await Promise.all([
    probe(() => deps.pool.query('SELECT 1')).then((h) => ['postgres', h] as const),
    probe(() => deps.redis.ping()).then((h) => ['redis', h] as const),
    probe(async () => {
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    }).then((h) => ['kafka', h] as const),
    probe(() => deps.search.cluster.health()).then((h) => ['elasticsearch', h] as const),
    probe(() => deps.temporal.workflowService.getSystemInfo({})).then((h) => ['temporal', h] as const),
  ]);
  const dependencies = Object.fromEntries(entries);
  return { status: entries.every(([, h]) => h.status === 'up') ? 'up' : 'degraded', dependencies };
}
