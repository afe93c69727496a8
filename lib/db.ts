import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import { type Config, pgConnectionString } from './config';

// int8 (bigint) columns hold money in minor units and counts: parse them as numbers, and
// refuse values beyond 2^53 rather than silently losing precision.
types.setTypeParser(types.builtins.INT8, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
});

export function createPool(config: Config, database = config.PG_DATABASE): Pool {
  return new Pool({
    connectionString: pgConnectionString(config, database),
    max: config.PG_POOL_MAX,
    application_name: 'collections-orchestrator',
  });
}

/** A typed kysely handle; `DB` is the database interface from db/ (or `any` for migrations). */
export function createDb<DB>(config: Config, database = config.PG_DATABASE): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(config, database) }) });
}
