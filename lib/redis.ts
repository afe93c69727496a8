import Redis from 'ioredis';
import type { Config } from './config';

export function createRedis(config: Config): Redis {
  return new Redis({
    host: config.REDIS_HOST,
    port: config.REDIS_PORT,
    keyPrefix: config.REDIS_KEY_PREFIX,
    maxRetriesPerRequest: 3,
    lazyConnect: false,
  });
}
