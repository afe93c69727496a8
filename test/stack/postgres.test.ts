import { sql, type Kysely } from 'kysely';
import { createDb } from '../../lib/db';
import { testConfig } from '../helpers/config';

interface ProbeDb {
  stack_probe_kysely: { id: number; label: string; amount_minor: number };
}

describe('PostgreSQL through kysely', () => {
  let db: Kysely<ProbeDb>;
  beforeAll(() => {
    db = createDb<ProbeDb>(testConfig());
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('runs typed queries on the real server, in the test database', async () => {
    const { rows } = await sql<{ db: string; version: string }>`select current_database() as db, version() as version`.execute(db);
    expect(rows[0]?.db).toBe(`${testConfig().PG_DATABASE}`);
    expect(rows[0]?.version).toMatch(/^PostgreSQL 15\./);

    await db.transaction().execute(async (trx) => {
      await sql`create temporary table stack_probe_kysely (id int primary key, label text not null, amount_minor bigint not null) on commit drop`.execute(trx);
      await trx.insertInto('stack_probe_kysely').values([
        { id: 1, label: 'a', amount_minor: 12_345 },
        { id: 2, label: 'b', amount_minor: 9_007_199_254_740_991 },
      ]).execute();
      const rows = await trx.selectFrom('stack_probe_kysely').selectAll().orderBy('id').execute();
      expect(rows).toEqual([
        { id: 1, label: 'a', amount_minor: 12_345 },
        { id: 2, label: 'b', amount_minor: 9_007_199_254_740_991 },
      ]);
    });
  });
});
