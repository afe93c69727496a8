import { type Kysely, sql } from 'kysely';

/**
 * Prepares monthly partitions for the history tables (case_events, contact_attempts,
 * payments, audit_log) from last month to `monthsAhead` ahead, and moves rows that landed in
 * a default partition into their own month. Idempotent and safe to call concurrently; run by
 * db:migrate, at the start of every intake and generator run, and daily by a long-running
 * worker. Returns the number of partitions created. A database whose schema predates the
 * partitioned tables is left alone.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works at any schema version
export async function ensurePartitions(db: Kysely<any>, monthsAhead: number): Promise<number> {
  const { rows } = await sql<{ present: boolean }>`
    SELECT to_regprocedure('ensure_partitions(integer)') IS NOT NULL AS present`.execute(db);
  if (!rows[0]?.present) return 0;
  const result = await sql<{
    created: number;
  }>`SELECT ensure_partitions(${monthsAhead}::int) AS created`.execute(db);
  return result.rows[0]?.created ?? 0;
}
