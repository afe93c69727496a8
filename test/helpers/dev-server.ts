import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Config } from '../../lib/config';
import { testDatabase } from './database';

export interface DevServerContext {
  db: Kysely<Database>;
  /** A client of the local stack's Temporal dev server, in the configured namespace. */
  client: Client;
  /** For workers the test runs in its own process. */
  native: NativeConnection;
  /** Runs `fn` after the block's tests, while the connections are still open. */
  beforeClose(fn: () => Promise<unknown>): void;
}

/**
 * For a describe block of test/cases: the test database and connections to the local stack's
 * Temporal dev server, opened before its tests and closed after them. The fields are filled in
 * beforeAll, so read them inside tests, not when the block is declared.
 */
export function useDevServer(config: Config): DevServerContext {
  const cleanups: (() => Promise<unknown>)[] = [];
  const context = { beforeClose: (fn) => void cleanups.push(fn) } as DevServerContext;
  let connection: Connection | undefined;
  beforeAll(async () => {
    context.db = await testDatabase(config);
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    context.native = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    context.client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  });
  afterAll(async () => {
    for (const fn of cleanups) await fn();
    await connection?.close();
    await context.native?.close();
    await context.db?.destroy();
  });
  return context;
}
