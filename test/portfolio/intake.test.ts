import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../../lib/config';
import { IntakeRefusal, runIntake } from '../../db/intake/run';
import type { Database } from '../../db/schema';
import { migratedTestDb, runCli, tempDir, uniquePrefix, writeFile } from './helpers';

// Each test starts processes or loads files against the real database; a busy machine needs time.
jest.setTimeout(60_000);

const TODAY = '2026-11-25';
const CUSTOMER_HEADER =
  'customer_number,given_name,family_name,address_line1,city,region,postal_code,country,mobile_phone,mobile_sms_consent,mobile_sms_opt_out,email,email_opt_out,deceased';
const LOAN_HEADER = 'loan_number,customer_number,product,currency,principal,outstanding,overdue,dpd,as_of';

describe('intake of the bank files', () => {
  let config: Config;
  let db: Kysely<Database>;
  let dir: string;

  beforeAll(async () => {
    ({ config, db } = await migratedTestDb());
    dir = tempDir('intake');
  });

  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const intake = (file: string, extra: Partial<Parameters<typeof runIntake>[1]> = {}) =>
    runIntake(config, { file, today: TODAY, ...extra });

  /** Row versions of everything a prefix owns: the same xmin and xmax mean the row was neither rewritten nor locked. */
  async function versions(prefix: string): Promise<string> {
    const { rows } = await sql<{ v: string }>`
      SELECT string_agg(x, ',' ORDER BY x) AS v FROM (
        SELECT 'c' || c.id || ':' || c.xmin || ':' || c.xmax AS x FROM customers c WHERE c.customer_number LIKE ${`${prefix}%`}
        UNION ALL SELECT 'p' || p.id || ':' || p.xmin || ':' || p.xmax FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE c.customer_number LIKE ${`${prefix}%`}
        UNION ALL SELECT 'e' || e.id || ':' || e.xmin || ':' || e.xmax FROM customer_emails e JOIN customers c ON c.id = e.customer_id WHERE c.customer_number LIKE ${`${prefix}%`}
        UNION ALL SELECT 'a' || a.id || ':' || a.xmin || ':' || a.xmax FROM customer_addresses a JOIN customers c ON c.id = a.customer_id WHERE c.customer_number LIKE ${`${prefix}%`}
        UNION ALL SELECT 'l' || l.id || ':' || l.xmin || ':' || l.xmax FROM loans l WHERE l.loan_number LIKE ${`${prefix}%`}
        UNION ALL SELECT 'k' || k.id || ':' || k.xmin || ':' || k.xmax FROM cases k JOIN loans l ON l.id = k.loan_id WHERE l.loan_number LIKE ${`${prefix}%`}
      ) t`.execute(db);
    return rows[0]?.v ?? '';
  }

  async function outboxFor(prefix: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM outbox o JOIN loans l ON l.id = (o.payload->>'loanId')::bigint
      WHERE l.loan_number LIKE ${`${prefix}%`}`.execute(db);
    return rows[0]!.n;
  }

  describe('a good CSV file', () => {
    const p = uniquePrefix();
    let customersFile: string;
    let loansFile: string;

    beforeAll(() => {
      customersFile = writeFile(dir, `${p}-customers.csv`, [
        CUSTOMER_HEADER,
        `${p}C1,José,Núñez,1 Main St,Miami,FL,33101,US,(305) 234-0123,yes,no,jose@example.com,no,no`,
        `${p}C2,Anna,Meyer,"2 Oak Ave, Apt 3",Pensacola,FL,32501,US,+1 850 234 5678,,,anna@example.com,,`,
        `${p}C3,Olivia,Smith,10 High Street,London,ENG,SW1A 1AA,GB,07911 123456,true,,olivia@example.co.uk,yes,`,
      ]);
      loansFile = writeFile(dir, `${p}-loans.csv`, [
        LOAN_HEADER,
        `${p}L1,${p}C1,credit_card,USD,5000.00,1200.50,0,0,2026-11-24`,
        `${p}L2,${p}C1,personal_loan,USD,10000,8000,250.00,12,2026-11-24`,
        `${p}L3,${p}C3,mortgage,GBP,200000,150000,900,35,2026-11-24`,
      ]);
    });

    it('loads every row, with contact points, consents and time-zone evidence', async () => {
      const result = await intake(customersFile);
      expect(result).toMatchObject({
        status: 'completed',
        kind: 'customers',
        format: 'csv',
        records: 3,
        inserted: 3,
        rejected: 0,
      });
      const phones = await db
        .selectFrom('customer_phones as p')
        .innerJoin('customers as c', 'c.id', 'p.customer_id')
        .select(['c.customer_number', 'p.number_e164', 'p.time_zones', 'p.sms_consent'])
        .where('c.customer_number', 'like', `${p}%`)
        .orderBy('c.customer_number')
        .execute();
      expect(phones).toEqual([
        {
          customer_number: `${p}C1`,
          number_e164: '+13052340123',
          time_zones: ['America/New_York'],
          sms_consent: true,
        },
        {
          customer_number: `${p}C2`,
          number_e164: '+18502345678',
          time_zones: ['America/Chicago', 'America/New_York'],
          sms_consent: false,
        },
        {
          customer_number: `${p}C3`,
          number_e164: '+447911123456',
          time_zones: ['Europe/London'],
          sms_consent: true,
        },
      ]);
      const addresses = await db
        .selectFrom('customer_addresses as a')
        .innerJoin('customers as c', 'c.id', 'a.customer_id')
        .select(['c.customer_number', 'a.time_zone', 'a.time_zone_source', 'a.line1'])
        .where('c.customer_number', 'like', `${p}%`)
        .orderBy('c.customer_number')
        .execute();
      expect(addresses.map((a) => [a.time_zone, a.time_zone_source])).toEqual([
        ['America/New_York', 'region'],
        ['America/Chicago', 'postal_code'],
        ['Europe/London', 'country'],
      ]);
      expect(addresses[1]!.line1).toBe('2 Oak Ave, Apt 3');
      const optedOut = await db
        .selectFrom('customer_emails as e')
        .innerJoin('customers as c', 'c.id', 'e.customer_id')
        .select(['e.address', 'e.opt_out_at'])
        .where('c.customer_number', '=', `${p}C3`)
        .executeTakeFirstOrThrow();
      expect(optedOut.address).toBe('olivia@example.co.uk');
      expect(optedOut.opt_out_at).not.toBeNull();
    });

    it('loads loans as integer minor units with buckets, and opens a case for each delinquent one', async () => {
      const result = await intake(loansFile);
      expect(result).toMatchObject({
        status: 'completed',
        records: 3,
        inserted: 3,
        rejected: 0,
        casesOpened: 2,
      });
      const loans = await db
        .selectFrom('loans')
        .select(['loan_number', 'outstanding_minor', 'overdue_minor', 'dpd', 'bucket'])
        .where('loan_number', 'like', `${p}%`)
        .orderBy('loan_number')
        .execute();
      expect(loans).toEqual([
        { loan_number: `${p}L1`, outstanding_minor: 120050, overdue_minor: 0, dpd: 0, bucket: 'current' },
        { loan_number: `${p}L2`, outstanding_minor: 800000, overdue_minor: 25000, dpd: 12, bucket: '1-29' },
        {
          loan_number: `${p}L3`,
          outstanding_minor: 15000000,
          overdue_minor: 90000,
          dpd: 35,
          bucket: '30-59',
        },
      ]);
    });

    it('skips a file already imported, and a forced re-import changes nothing', async () => {
      const before = await versions(p);
      const outboxBefore = await outboxFor(p);
      expect((await intake(customersFile)).status).toBe('skipped');
      const again = await intake(customersFile, { force: true });
      expect(again).toMatchObject({
        status: 'completed',
        inserted: 0,
        updated: 0,
        unchanged: 3,
        rejected: 0,
      });
      const loansAgain = await intake(loansFile, { force: true });
      expect(loansAgain).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, casesOpened: 0 });
      expect(await versions(p)).toBe(before);
      expect(await outboxFor(p)).toBe(outboxBefore);
      const cases = await db
        .selectFrom('cases')
        .innerJoin('loans', 'loans.id', 'cases.loan_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('loans.loan_number', 'like', `${p}%`)
        .executeTakeFirstOrThrow();
      expect(cases.n).toBe(2);
    });

    it('keeps opt-outs sticky and marks numbers that left the file as removed', async () => {
      const next = writeFile(dir, `${p}-customers-2.csv`, [
        CUSTOMER_HEADER,
        `${p}C1,José,Núñez,1 Main St,Miami,FL,33101,US,(305) 234-0999,yes,no,jose@example.com,no,no`,
        `${p}C3,Olivia,Smith,10 High Street,London,ENG,SW1A 1AA,GB,07911 123456,true,,olivia@example.co.uk,no,`,
      ]);
      const result = await intake(next);
      expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
      const phones = await db
        .selectFrom('customer_phones as p')
        .innerJoin('customers as c', 'c.id', 'p.customer_id')
        .select(['p.number_e164', 'p.removed_at'])
        .where('c.customer_number', '=', `${p}C1`)
        .orderBy('p.number_e164')
        .execute();
      expect(phones.map((x) => [x.number_e164, x.removed_at === null])).toEqual([
        ['+13052340123', false],
        ['+13052340999', true],
      ]);
      const email = await db
        .selectFrom('customer_emails as e')
        .innerJoin('customers as c', 'c.id', 'e.customer_id')
        .select('e.opt_out_at')
        .where('c.customer_number', '=', `${p}C3`)
        .executeTakeFirstOrThrow();
      expect(email.opt_out_at).not.toBeNull();
    });
  });

  describe('a file with bad rows', () => {
    const p = uniquePrefix();

    it('reports each bad row with line, field and reason, and still loads the good rows', async () => {
      writeFile(dir, `${p}-c.csv`, [
        CUSTOMER_HEADER,
        `${p}C1,Ada,Lovelace,1 Main St,Boston,MA,02101,US,,,,,,`,
      ]);
      await intake(path.join(dir, `${p}-c.csv`));
      const file = writeFile(dir, `${p}-mixed.csv`, [
        LOAN_HEADER,
        `${p}L1,${p}C1,credit_card,USD,5000,100,0,0,2026-11-24`,
        `${p}L2,${p}C1,yacht,USD,5000,100,0,0,2026-11-24`,
        `${p}L3,${p}C1,bnpl,USD,50.001,10,0,0,2026-11-24`,
        `${p}L4,${p}NOBODY,bnpl,USD,50,10,0,0,2026-11-24`,
        `${p}L5,${p}C1,bnpl,USD,50,10`,
        `${p}L6,${p}C1,bnpl,USD,50,10,5,3,2026-11-24`,
        `${p}L6,${p}C1,bnpl,USD,50,10,6,4,2026-11-24`,
        `${p}L7,${p}C1,bnpl,EUR,50,10,0,0,2030-01-01`,
      ]);
      const result = await intake(file);
      expect(result).toMatchObject({ status: 'completed', records: 8, inserted: 2, rejected: 6 });
      expect(result.errors.map((e) => [e.line, e.field])).toEqual([
        [3, 'product'],
        [4, 'principal'],
        [5, 'customer_number'],
        [6, '(record)'],
        [7, 'loan_number'],
        [9, 'as_of'],
      ]);
      expect(result.errors[1]!.reason).toBe("USD has 2 decimal places, '50.001' has 3");
      expect(result.errors[2]!.reason).toContain('import the customers file first');
      expect(result.errors[4]!.reason).toBe('the same loan appears again on line 8; the later row is loaded');
      const loaded = await db
        .selectFrom('loans')
        .select(['loan_number', 'dpd'])
        .where('loan_number', 'like', `${p}%`)
        .orderBy('loan_number')
        .execute();
      expect(loaded).toEqual([
        { loan_number: `${p}L1`, dpd: 0 },
        { loan_number: `${p}L6`, dpd: 4 },
      ]);
      const stored = await db
        .selectFrom('intake_errors')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('run_id', '=', result.runId)
        .executeTakeFirstOrThrow();
      expect(stored.n).toBe(6);
    });

    it('refuses an older row for a loan that newer data already updated', async () => {
      const file = writeFile(dir, `${p}-stale.csv`, [
        LOAN_HEADER,
        `${p}L1,${p}C1,credit_card,USD,5000,999,0,0,2026-11-01`,
      ]);
      const result = await intake(file);
      expect(result).toMatchObject({ inserted: 0, updated: 0, rejected: 1 });
      expect(result.errors[0]).toMatchObject({ line: 2, field: 'as_of' });
    });
  });

  describe('NDJSON', () => {
    const p = uniquePrefix();

    it('loads customers, loans and payments from NDJSON, with reversals and duplicate payments', async () => {
      const customers = writeFile(dir, `${p}-customers.ndjson`, [
        JSON.stringify({
          customer_number: `${p}C1`,
          given_name: 'Łukasz',
          family_name: 'Wiśniewski',
          address_line1: '5 Elm St',
          city: 'Chicago',
          region: 'IL',
          country: 'US',
          mobile_phone: '+13125550188',
          vulnerable: true,
          inconvenient_channels: ['sms', 'call'],
        }),
        JSON.stringify({ customer_number: `${p}C2`, given_name: 'Bad' }),
      ]);
      const c = await intake(customers);
      expect(c).toMatchObject({ format: 'ndjson', kind: 'customers', inserted: 1, rejected: 1 });
      expect(c.errors.map((e) => e.field)).toEqual(['address_line1', 'city', 'country', 'family_name']);
      const customer = await db
        .selectFrom('customers')
        .selectAll()
        .where('customer_number', '=', `${p}C1`)
        .executeTakeFirstOrThrow();
      expect(customer).toMatchObject({ vulnerable: true, inconvenient_channels: ['call', 'sms'] });

      const loans = writeFile(dir, `${p}-loans.jsonl`, [
        JSON.stringify({
          loan_number: `${p}L1`,
          customer_number: `${p}C1`,
          product: 'auto_loan',
          currency: 'USD',
          principal: 20000,
          outstanding: '15000.00',
          overdue: 420.5,
          oldest_unpaid_due_date: '2026-10-31',
          as_of: '2026-11-24',
        }),
      ]);
      const l = await intake(loans);
      expect(l).toMatchObject({ format: 'ndjson', kind: 'loans', inserted: 1, casesOpened: 1 });
      const loan = await db
        .selectFrom('loans')
        .select(['dpd', 'overdue_minor', 'bucket'])
        .where('loan_number', '=', `${p}L1`)
        .executeTakeFirstOrThrow();
      expect(loan).toEqual({ dpd: 24, overdue_minor: 42050, bucket: '1-29' });

      const payments = writeFile(dir, `${p}-payments.ndjson`, [
        JSON.stringify({
          payment_ref: `${p}P1`,
          loan_number: `${p}L1`,
          amount: '100.00',
          currency: 'USD',
          paid_at: '2026-11-20T10:00:00Z',
          method: 'card',
        }),
        JSON.stringify({
          payment_ref: `${p}P1`,
          loan_number: `${p}L1`,
          amount: '100.00',
          currency: 'USD',
          paid_at: '2026-11-20T10:00:00Z',
        }),
        JSON.stringify({
          payment_ref: `${p}P2`,
          loan_number: `${p}L1`,
          amount: '100.00',
          currency: 'USD',
          paid_at: '2026-11-21',
          kind: 'reversal',
          reverses_payment_ref: `${p}P1`,
        }),
        JSON.stringify({
          payment_ref: `${p}P3`,
          loan_number: `${p}L1`,
          amount: '5',
          currency: 'GBP',
          paid_at: '2026-11-21T00:00:00+01:00',
        }),
        JSON.stringify({
          payment_ref: `${p}P4`,
          loan_number: `${p}L1`,
          amount: '5',
          currency: 'USD',
          paid_at: '2026-11-21T00:00:00Z',
          kind: 'reversal',
          reverses_payment_ref: 'NOPE',
        }),
      ]);
      const pay = await intake(payments);
      expect(pay).toMatchObject({ kind: 'payments', inserted: 2, rejected: 3 });
      expect(pay.errors.map((e) => [e.line, e.field])).toEqual([
        [2, 'payment_ref'],
        [4, 'currency'],
        [5, 'reverses_payment_ref'],
      ]);
      const stored = await db
        .selectFrom('payments')
        .select(['payment_ref', 'kind', 'amount_minor', 'case_id'])
        .where('payment_ref', 'like', `${p}%`)
        .orderBy('payment_ref')
        .execute();
      expect(stored.map((s) => [s.payment_ref, s.kind, s.amount_minor, s.case_id !== null])).toEqual([
        [`${p}P1`, 'payment', 10000, true],
        [`${p}P2`, 'reversal', -10000, true],
      ]);
      const events = await db
        .selectFrom('outbox')
        .select(['event_type', 'payload'])
        .where('dedupe_key', 'in', [`payment:${p}P1`, `payment:${p}P2`])
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.event_type)).toEqual(['payment.received', 'payment.reversed']);
      expect(events[1]!.payload).toMatchObject({ amountMinor: -10000, currency: 'USD' });

      const again = await intake(payments, { force: true });
      expect(again).toMatchObject({ inserted: 0, unchanged: 2 });
    });
  });

  describe('an interrupted run', () => {
    const p = uniquePrefix();

    it('is resumed after its last committed chunk and completes', async () => {
      writeFile(dir, `${p}-c.csv`, [
        CUSTOMER_HEADER,
        `${p}C1,Ada,Lovelace,1 Main St,Boston,MA,02101,US,,,,,,`,
      ]);
      await intake(path.join(dir, `${p}-c.csv`));
      const lines = [LOAN_HEADER];
      for (let i = 1; i <= 25; i++)
        lines.push(
          `${p}L${i},${p}C1,bnpl,USD,100,50,${i % 5 === 0 ? '10' : '0'},${i % 5 === 0 ? 7 : 0},2026-11-24`,
        );
      lines.push(`${p}BAD,${p}C1,bnpl,USD,oops,50,0,0,2026-11-24`);
      const file = writeFile(dir, `${p}-loans.csv`, lines);

      const crash = new Error('power cut');
      await expect(
        intake(file, {
          chunkRows: 10,
          afterChunk: ({ index }) => {
            if (index === 1) throw crash;
          },
        }),
      ).rejects.toBe(crash);
      const half = await db
        .selectFrom('intake_runs')
        .selectAll()
        .orderBy('id', 'desc')
        .where('file_name', '=', path.basename(file))
        .executeTakeFirstOrThrow();
      expect(half).toMatchObject({ status: 'failed', records_done: 20, rows_inserted: 20, cases_opened: 4 });

      const resumed = await intake(file, { chunkRows: 10 });
      expect(resumed).toMatchObject({
        runId: half.id,
        status: 'completed',
        resumedFrom: 20,
        records: 26,
        inserted: 25,
        rejected: 1,
        casesOpened: 5,
      });
      const loans = await db
        .selectFrom('loans')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('loan_number', 'like', `${p}L%`)
        .executeTakeFirstOrThrow();
      expect(loans.n).toBe(25);
      expect((await intake(file)).status).toBe('skipped');
    });

    it('killed mid-file, the same command finishes the import', async () => {
      const lines = [CUSTOMER_HEADER];
      for (let i = 1; i <= 40_000; i++)
        lines.push(`${p}K${i},Grace,Hopper${i},${i} Main St,Boston,MA,02101,US,,,,,,`);
      const file = writeFile(dir, `${p}-big.csv`, lines);
      const env = { INTAKE_CHUNK_ROWS: '400' };
      const first = runCli('db/intake/cli.ts', [file], config, env);
      for (let i = 0; i < 600; i++) {
        const run = await db
          .selectFrom('intake_runs')
          .select('records_done')
          .where('file_name', '=', path.basename(file))
          .executeTakeFirst();
        if (run && run.records_done > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      first.kill('SIGKILL');
      await first;
      const half = await db
        .selectFrom('intake_runs')
        .select(['records_done', 'status'])
        .where('file_name', '=', path.basename(file))
        .executeTakeFirstOrThrow();
      expect(half.status).toBe('running');
      expect(half.records_done).toBeGreaterThan(0);
      expect(half.records_done).toBeLessThan(40_000);

      const second = await runCli('db/intake/cli.ts', [file], config, env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`resuming after record ${half.records_done.toLocaleString('en-US')}`);
      const loaded = await db
        .selectFrom('customers')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('customer_number', 'like', `${p}K%`)
        .executeTakeFirstOrThrow();
      expect(loaded.n).toBe(40_000);
    }, 60_000);
  });

  describe('a file that is not CSV or NDJSON', () => {
    it('is refused with one clear message, and nothing is recorded', async () => {
      const file = path.join(dir, 'statement.pdf');
      fs.writeFileSync(file, '%PDF-1.7\n1 0 obj << /Type /Catalog >>\n');
      await expect(intake(file)).rejects.toThrow(IntakeRefusal);
      const cli = await runCli('db/intake/cli.ts', [file], config);
      expect(cli.code).toBe(2);
      expect(cli.stderr.trim().split('\n')).toEqual([
        `intake: ${file} is not a CSV or NDJSON file: it looks like a PDF document; expected a CSV file with a header row, or NDJSON (one JSON object per line), of customers, loans or payments (see db/README.md)`,
      ]);
      const runs = await db
        .selectFrom('intake_runs')
        .select('id')
        .where('file_name', '=', 'statement.pdf')
        .execute();
      expect(runs).toEqual([]);
    });
  });

  it('npm run intake prints the rejected rows and exits 3 when some rows were bad', async () => {
    const p = uniquePrefix();
    const file = writeFile(dir, `${p}-cli.csv`, [
      CUSTOMER_HEADER,
      `${p}C1,Ada,Lovelace,1 Main St,Boston,MA,02101,US,,,,,,`,
      `${p}C2,Bad,Zip,1 Main St,Boston,MA,ABCDE,US,,,,,,`,
    ]);
    const cli = await runCli('db/intake/cli.ts', [file, '--kind', 'customers'], config);
    expect(cli.code).toBe(3);
    expect(cli.stdout).toContain('2 records, 1 loaded (1 new, 0 changed, 0 unchanged), 1 rejected');
    expect(cli.stdout).toContain("line 3, postal_code: 'ABCDE' is not a US ZIP code");
  });
});
