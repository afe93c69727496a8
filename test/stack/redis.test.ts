import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { createRedis } from '../../lib/redis';
import { testConfig } from '../helpers/config';

describe('Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = createRedis(testConfig());
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('round-trips a value with expiry under the test key prefix', async () => {
    const key = `probe:${randomUUID()}`;
    expect(await redis.set(key, 'hello', 'EX', 60, 'NX')).toBe('OK');
    expect(await redis.set(key, 'again', 'EX', 60, 'NX')).toBeNull();
    expect(await redis.get(key)).toBe('hello');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await redis.exists(key)).toBe(1);
    await redis.del(key);
    expect(await redis.get(key)).toBeNull();
  });
});
