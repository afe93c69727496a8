import { type Kysely, sql } from 'kysely';
import type { Config } from '../../lib/config';
import { createDb } from '../../lib/db';
import { GeneratorRefusal, generatePortfolio } from '../../db/generator';
import { migrateToLatest } from '../../db/migrator';
import type { Database } from '../../db/schema';
import { runCli, scratchDatabase } from './helpers';

// Each test starts processes or loads files against the real database; a busy machine needs time.
jest.setTimeout(60_000);

const AS_OF = '2026-11-25';
const BOOK = { customers: 10_000, loans: 20_000, seed: 42, asOf: AS_OF };

/** A digest of the generated tables' contents, without the load-time timestamps. */
async function digest(db: Kysely<Database>): Promise<string> {
  const parts: string[] = [];
  for (const table of ['customers', 'customer_addresses', 'customer_phones', 'customer_emails', 'loans']) {
    const { rows } = await sql<{ d: string }>`
      SELECT md5(string_agg((to_jsonb(t) - 'created_at' - 'updated_at')::text, '' ORDER BY t.id)) AS d
      FROM ${sql.table(table)} t`.execute(db);
    parts.push(rows[0]!.d);
  }
  return parts.join(':');
}

async function scalar(db: Kysely<Database>, query: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await query.execute(db);
  return Number(Object.values(rows[0] as Record<string, unknown>)[0]);
}

describe('the synthetic portfolio in PostgreSQL', () => {
  let scratch: { config: Config; drop: () => Promise<void> };
  let db: Kysely<Database>;
  let first: string;

  beforeAll(async () => {
    scratch = await scratchDatabase('generator');
    db = createDb<Database>(scratch.config);
    await migrateToLatest(db, { partitionMonthsAhead: 3 });
    const result = await generatePortfolio(scratch.config, BOOK);
    expect(result.status).toBe('loaded');
    first = await digest(db);
  }, 120_000);

  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
  });

  it('loads exactly the book asked for, with every index and constraint rebuilt', async () => {
    expect(await scalar(db, sql`SELECT count(*) FROM customers`)).toBe(10_000);
    expect(await scalar(db, sql`SELECT count(*) FROM loans`)).toBe(20_000);
    expect(await scalar(db, sql`SELECT count(*) FROM deferred_ddl`)).toBe(0);
    const { rows } = await sql<{ name: string }>`
      SELECT indexname AS name FROM pg_indexes WHERE tablename IN ('customers', 'loans', 'cases') ORDER BY 1`.execute(
      db,
    );
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'customers_pkey',
        'customers_customer_number_key',
        'loans_pkey',
        'loans_loan_number_key',
        'loans_customer_id_idx',
        'cases_one_open_per_loan',
        'cases_open_queue_idx',
      ]),
    );
    const fks = await scalar(
      db,
      sql`SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'loans'::regclass AND convalidated`,
    );
    expect(fks).toBe(1);
    // The sequences continue after the generated ids.
    const next = await db
      .insertInto('customers')
      .values({ customer_number: 'NEW', given_name: 'N', family_name: 'N', country: 'US' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(next.id).toBe(10_001);
    await db.deleteFrom('customers').where('id', '=', next.id).execute();
  });

  it('is deterministic: the same seed regenerates the same book, another seed a different one', async () => {
    await generatePortfolio(scratch.config, { ...BOOK, replace: true });
    expect(await digest(db)).toBe(first);
    await generatePortfolio(scratch.config, { ...BOOK, seed: 43, replace: true });
    expect(await digest(db)).not.toBe(first);
    await generatePortfolio(scratch.config, { ...BOOK, replace: true });
    expect(await digest(db)).toBe(first);
  }, 120_000);

  it('opens exactly one case, with its timeline event and outbox message, per delinquent loan', async () => {
    const delinquent = await scalar(db, sql`SELECT count(*) FROM loans WHERE dpd >= 1`);
    expect(await scalar(db, sql`SELECT count(*) FROM cases WHERE status = 'open'`)).toBe(delinquent);
    expect(
      await scalar(
        db,
        sql`SELECT count(*) FROM case_events WHERE type = 'case.opened' AND actor = 'system:generator'`,
      ),
    ).toBe(delinquent);
    expect(await scalar(db, sql`SELECT count(*) FROM outbox WHERE event_type = 'case.opened'`)).toBe(
      delinquent,
    );
    expect(
      await scalar(db, sql`SELECT count(*) FROM cases c JOIN loans l ON l.id = c.loan_id WHERE l.dpd = 0`),
    ).toBe(0);
  });

  it('has the mix of a real book: DPD buckets, loans per customer, countries, flags and consents', async () => {
    const share = (q: ReturnType<typeof sql>) => scalar(db, q);
    expect(await share(sql`SELECT avg((dpd = 0)::int) FROM loans`)).toBeCloseTo(0.88, 1);
    expect(
      Math.abs((await share(sql`SELECT avg((dpd BETWEEN 1 AND 29)::int) FROM loans`)) - 0.06),
    ).toBeLessThan(0.01);
    expect(
      Math.abs((await share(sql`SELECT avg((dpd BETWEEN 30 AND 59)::int) FROM loans`)) - 0.03),
    ).toBeLessThan(0.007);
    expect(
      Math.abs((await share(sql`SELECT avg((dpd BETWEEN 60 AND 89)::int) FROM loans`)) - 0.015),
    ).toBeLessThan(0.005);
    expect(Math.abs((await share(sql`SELECT avg((dpd >= 90)::int) FROM loans`)) - 0.015)).toBeLessThan(0.005);
    expect(await share(sql`SELECT count(DISTINCT bucket) FROM loans`)).toBe(6);
    expect(
      await share(sql`SELECT min(n) FROM (SELECT count(*) AS n FROM loans GROUP BY customer_id) t`),
    ).toBe(1);
    expect(
      await share(sql`SELECT max(n) FROM (SELECT count(*) AS n FROM loans GROUP BY customer_id) t`),
    ).toBe(5);
    expect(await share(sql`SELECT avg((country = 'GB')::int) FROM customers`)).toBeGreaterThan(0.025);
    expect(await share(sql`SELECT count(DISTINCT region) FROM customers WHERE country = 'US'`)).toBe(51);
    expect(await share(sql`SELECT count(DISTINCT time_zone) FROM customer_addresses`)).toBeGreaterThanOrEqual(
      10,
    );
    for (const flag of [
      'deceased',
      'vulnerable',
      'bankruptcy',
      'attorney_represented',
      'cease_communication',
    ]) {
      const s = await share(sql`SELECT avg(${sql.ref(flag)}::int) FROM customers`);
      expect(s).toBeGreaterThan(0.001);
      expect(s).toBeLessThan(0.05);
    }
    expect(await share(sql`SELECT avg(disputed::int) FROM loans WHERE dpd >= 1`)).toBeGreaterThan(0.01);
    expect(
      await share(sql`SELECT avg(sms_consent::int) FROM customer_phones WHERE kind = 'mobile'`),
    ).toBeGreaterThan(0.5);
    expect(
      await share(
        sql`SELECT avg((sms_opt_out_at IS NOT NULL)::int) FROM customer_phones WHERE kind = 'mobile'`,
      ),
    ).toBeGreaterThan(0.02);
    expect(await share(sql`SELECT avg((opt_out_at IS NOT NULL)::int) FROM customer_emails`)).toBeGreaterThan(
      0.02,
    );
    expect(await share(sql`SELECT count(DISTINCT family_name) FROM customers`)).toBeGreaterThan(2_500);
    expect(await share(sql`SELECT count(DISTINCT currency) FROM loans`)).toBeGreaterThanOrEqual(3);
  });

  it('lets the search and contact-policy work find phones whose area code disagrees with the address zone', async () => {
    const mismatch = await scalar(
      db,
      sql`SELECT avg((NOT (a.time_zone = ANY (p.time_zones)))::int)
          FROM customer_phones p JOIN customer_addresses a ON a.customer_id = p.customer_id
          WHERE p.kind = 'mobile' AND p.country = 'US'`,
    );
    expect(mismatch).toBeGreaterThan(0.04);
    expect(mismatch).toBeLessThan(0.14);
  });

  it('refuses to overwrite a portfolio unless asked, and leaves it alone with ifEmpty', async () => {
    await expect(generatePortfolio(scratch.config, BOOK)).rejects.toThrow(GeneratorRefusal);
    expect((await generatePortfolio(scratch.config, { ...BOOK, ifEmpty: true })).status).toBe('skipped');
    const cli = await runCli(
      'db/generator/cli.ts',
      ['--customers', '10', '--loans', '10', '--seed', '1'],
      scratch.config,
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('pass --replace');
  });

  it('npm run generate loads the demo book and prints its figures', async () => {
    const cli = await runCli(
      'db/generator/cli.ts',
      ['--customers', '2000', '--loans', '4000', '--seed', '1', '--replace'],
      scratch.config,
    );
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(
      /2,000 customers, 4,000 loans, .* cases opened in .* s; generator peak RSS \d+ MB/,
    );
    expect(await scalar(db, sql`SELECT count(*) FROM loans`)).toBe(4_000);
    const bad = await runCli('db/generator/cli.ts', ['--customers', '10', '--loans', '60'], scratch.config);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--loans must be between');
  }, 60_000);
});
