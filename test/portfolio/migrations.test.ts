import { type Kysely, sql } from 'kysely';
import type { Config } from '../../lib/config';
import { createDb } from '../../lib/db';
import { migrateDown, migrateToLatest, pendingMigrations } from '../../db/migrator';
import { ensurePartitions } from '../../db/partitions';
import type { Database } from '../../db/schema';
import { runCli, scratchDatabase } from './helpers';

// Each test starts processes or loads files against the real database; a busy machine needs time.
jest.setTimeout(60_000);

const PORTFOLIO_TABLES = [
  'customers',
  'customer_addresses',
  'customer_phones',
  'customer_emails',
  'loans',
  'teams',
  'agents',
  'queues',
  'strategies',
  'strategy_versions',
  'cases',
  'case_holds',
  'promises',
  'promise_instalments',
  'tasks',
  'case_events',
  'contact_attempts',
  'payments',
  'audit_log',
  'idempotency_keys',
  'partitioned_tables',
  'outbox',
  'intake_runs',
  'intake_errors',
  'deferred_ddl',
];

async function tables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT LIKE 'kysely_%'
    ORDER BY 1`.execute(db);
  return rows.map((r) => r.name);
}

async function partitionOf(db: Kysely<Database>, table: string, key: string): Promise<string> {
  const { rows } = await sql<{ part: string }>`
    SELECT tableoid::regclass::text AS part FROM ${sql.table(table)} WHERE idempotency_key = ${key}`.execute(
    db,
  );
  return rows[0]!.part;
}

describe('the portfolio schema migrations', () => {
  let scratch: { config: Config; drop: () => Promise<void> };
  let db: Kysely<Database>;

  beforeAll(async () => {
    scratch = await scratchDatabase('migrations');
    db = createDb<Database>(scratch.config);
  });

  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
  });

  it('migrate up from nothing creates every table, and running it again does nothing', async () => {
    const applied = await migrateToLatest(db, { partitionMonthsAhead: 3 });
    expect(applied.length).toBeGreaterThanOrEqual(5);
    expect(await pendingMigrations(db)).toEqual([]);
    const present = await tables(db);
    for (const t of PORTFOLIO_TABLES) expect(present).toContain(t);
    expect(await migrateToLatest(db, { partitionMonthsAhead: 3 })).toEqual([]);
  });

  it('prepares monthly partitions ahead, and a row far in the future lands in the default partition until its month is created', async () => {
    const { rows: parts } = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'case_events'::regclass ORDER BY 1`.execute(db);
    const now = new Date();
    const month = (offset: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return `case_events_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    expect(parts.map((p) => p.name)).toEqual(
      expect.arrayContaining([month(-1), month(0), month(1), month(3), 'case_events_default']),
    );

    await sql`INSERT INTO customers (id, customer_number, given_name, family_name, country) VALUES (1, 'C1', 'A', 'B', 'US')`.execute(
      db,
    );
    await sql`INSERT INTO loans (id, loan_number, customer_id, product, currency, principal_minor, outstanding_minor, dpd, as_of)
              VALUES (1, 'L1', 1, 'bnpl', 'USD', 100, 100, 3, '2026-11-25')`.execute(db);
    await sql`INSERT INTO cases (id, loan_id, customer_id, opened_dpd, opened_overdue_minor, currency) VALUES (1, 1, 1, 3, 50, 'USD')`.execute(
      db,
    );
    await sql`INSERT INTO case_events (case_id, type, actor, idempotency_key, occurred_at) VALUES
                (1, 'note', 'test', 'now', now()),
                (1, 'note', 'test', 'far', '2040-06-15T12:00:00Z')`.execute(db);
    expect(await partitionOf(db, 'case_events', 'now')).toBe(month(0));
    expect(await partitionOf(db, 'case_events', 'far')).toBe('case_events_default');

    expect(await ensurePartitions(db, 3)).toBe(1);
    expect(await partitionOf(db, 'case_events', 'far')).toBe('case_events_y2040m06');
    await sql`INSERT INTO case_events (case_id, type, actor, idempotency_key, occurred_at) VALUES (1, 'note', 'test', 'far2', '2040-06-20T00:00:00Z')`.execute(
      db,
    );
    expect(await partitionOf(db, 'case_events', 'far2')).toBe('case_events_y2040m06');
    expect(await ensurePartitions(db, 3)).toBe(0);
  });

  it('keeps idempotency keys unique across partitions: a repeated key is a no-op', async () => {
    const first = await sql`INSERT INTO case_events (case_id, type, actor, idempotency_key, occurred_at)
                            VALUES (1, 'note', 'test', 'once', now()) RETURNING id`.execute(db);
    const again = await sql`INSERT INTO case_events (case_id, type, actor, idempotency_key, occurred_at)
                            VALUES (1, 'note', 'test', 'once', now() + interval '2 months') RETURNING id`.execute(
      db,
    );
    expect(first.rows).toHaveLength(1);
    expect(again.rows).toHaveLength(0);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM case_events WHERE idempotency_key = 'once'`.execute(db);
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses to rewrite the case timeline and the audit log', async () => {
    await expect(
      sql`UPDATE case_events SET type = 'changed' WHERE idempotency_key = 'now'`.execute(db),
    ).rejects.toThrow(/append-only/);
    await sql`INSERT INTO audit_log (actor, action, entity_type, entity_id) VALUES ('test', 'view', 'case', '1')`.execute(
      db,
    );
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('migrates down one step, all the way, and up again', async () => {
    const oneStep = await migrateDown(db);
    expect(oneStep).toHaveLength(1);
    expect((await pendingMigrations(db)).length).toBe(1);
    const rest = await migrateDown(db, true);
    expect(rest.length).toBeGreaterThanOrEqual(4);
    expect(await tables(db)).toEqual([]);
    const { rows: functions } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`.execute(
      db,
    );
    expect(functions[0]!.n).toBe(0);
    await migrateToLatest(db, { partitionMonthsAhead: 2 });
    for (const t of PORTFOLIO_TABLES) expect(await tables(db)).toContain(t);
  });

  it('npm run db:migrate reports what it did and fails with one line on a bad argument', async () => {
    const nothing = await runCli('db/migrate.ts', ['latest'], scratch.config);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('nothing to do');
    const bad = await runCli('db/migrate.ts', ['sideways'], scratch.config);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: npm run db:migrate');
  });
});
