import type { Kysely } from 'kysely';
import { migrateToLatest } from '../../db/migrator';
import type { Database } from '../../db/schema';
import { publishLibrary } from '../../db/strategy-library';
import type { Config } from '../../lib/config';
import { createDb } from '../../lib/db';

/** The test database at the newest schema, with the library strategies published. */
export async function testDatabase(config: Config): Promise<Kysely<Database>> {
  const db = createDb<Database>(config);
  await migrateToLatest(db, { partitionMonthsAhead: 2 });
  await publishLibrary(db);
  return db;
}
