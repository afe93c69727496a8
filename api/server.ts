import type { Server } from 'node:http';
import { loadConfigOrExit } from '../lib/config';
import type { Database } from '../db/schema';
import { createDb, createPool } from '../lib/db';
import { createKafka } from '../lib/kafka';
import { createLogger } from '../lib/logger';
import { createRedis } from '../lib/redis';
import { createSearchClient } from '../lib/search';
import { createTemporalClient } from '../lib/temporal';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.API_JWT_SECRET) {
    console.error('Configuration error: API_JWT_SECRET is missing: expected a signing key of 32+ characters (npm start makes one)');
    process.exit(1);
  }
  const logger = createLogger(config, 'api');
  const pool = createPool(config);
  const db = createDb<Database>(config);
  const redis = createRedis(config);
  const kafka = createKafka(config);
  const search = createSearchClient(config);
  const temporal = await createTemporalClient(config);
  const app = createApp({ logger, pool, db, redis, kafka, search, temporal, auth: { secret: config.API_JWT_SECRET, issuer: config.API_JWT_ISSUER } });

  const server: Server = app.listen(config.API_PORT, config.API_HOST, () => {
    logger.info({ url: `http://${config.API_HOST}:${config.API_PORT}` }, 'API listening');
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    logger.fatal(
      err.code === 'EADDRINUSE' ? `port ${config.API_PORT} is taken; set API_PORT in .env` : err.message,
    );
    process.exit(1);
  });

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'API shutting down');
    server.close();
    await Promise.allSettled([pool.end(), db.destroy(), redis.quit(), search.close(), temporal.connection.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void main();
