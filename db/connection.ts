import { Kysely, PostgresDialect, type PostgresPoolClient } from 'kysely';
import type { PoolClient } from 'pg';
import type { Database } from './schema';

/**
 * A kysely handle on one checked-out pg client, for work that mixes COPY streams (raw
 * client) with typed queries and repository calls in the same session and transaction.
 * The caller owns the client: destroying the handle does not release it.
 */
export function kyselyOnClient(client: PoolClient): Kysely<Database> {
  const borrowed = {
    query: client.query.bind(client),
    release: () => undefined,
  } as unknown as PostgresPoolClient;
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => borrowed, end: async () => undefined } }),
  });
}
