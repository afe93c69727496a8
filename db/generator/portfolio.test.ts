import crypto from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { usAreaCodes } from '../reference/time-zones';
import {
  GENERATED_COLUMNS,
  GENERATED_TABLES,
  type GeneratedTable,
  generatePortfolioRows,
  type GeneratorOptions,
  validateGeneratorOptions,
} from './portfolio';

type Rows = Record<GeneratedTable, string[][]>;

async function generate(options: GeneratorOptions, workers = 0): Promise<{ rows: Rows; digest: string }> {
  const hash = crypto.createHash('sha256');
  const rows = Object.fromEntries(GENERATED_TABLES.map((t) => [t, []])) as unknown as Rows;
  const sinks = Object.fromEntries(
    GENERATED_TABLES.map((t) => [
      t,
      {
        write: async (chunk: string | Uint8Array) => {
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          hash.update(`${t}:${text}`);
          for (const line of text.split('\n')) if (line) rows[t].push(line.split('\t'));
        },
      },
    ]),
  ) as Parameters<typeof generatePortfolioRows>[1];
  await generatePortfolioRows(options, sinks, undefined, { workers });
  return { rows, digest: hash.digest('hex') };
}

const col = (table: GeneratedTable, name: string) =>
  (GENERATED_COLUMNS[table] as readonly string[]).indexOf(name);

describe('the synthetic portfolio generator', () => {
  const options = { customers: 6_000, loans: 12_000, seed: 'unit', asOf: '2026-11-25' };
  let book: { rows: Rows; digest: string };
  beforeAll(async () => {
    book = await generate(options);
  });

  it('is deterministic: the same seed gives the same rows, another seed other rows', async () => {
    expect((await generate(options)).digest).toBe(book.digest);
    expect((await generate({ ...options, seed: 'other' })).digest).not.toBe(book.digest);
  });

  it('makes the same rows on worker threads as in one thread', async () => {
    expect((await generate(options, 1)).digest).toBe(book.digest);
    expect((await generate(options, 2)).digest).toBe(book.digest);
  }, 60_000);

  it('writes every row with exactly the columns it declares', () => {
    for (const table of GENERATED_TABLES) {
      for (const row of book.rows[table]) expect(row).toHaveLength(GENERATED_COLUMNS[table].length);
    }
  });

  it('gives each customer 1-5 loans and exactly the number of loans asked for', () => {
    expect(book.rows.customers).toHaveLength(6_000);
    expect(book.rows.loans).toHaveLength(12_000);
    const perCustomer = new Map<string, number>();
    for (const loan of book.rows.loans) {
      const c = loan[col('loans', 'customer_id')]!;
      perCustomer.set(c, (perCustomer.get(c) ?? 0) + 1);
    }
    expect(perCustomer.size).toBe(6_000);
    const counts = [...perCustomer.values()];
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(5);
  });

  it('produces only phone numbers libphonenumber accepts as valid', () => {
    const phones = book.rows.customer_phones.map((r) => r[col('customer_phones', 'number_e164')]!);
    expect(phones.length).toBeGreaterThan(7_000);
    const invalid = phones.filter((p) => !parsePhoneNumberFromString(p)?.isValid());
    expect(invalid).toEqual([]);
  });

  it('matches most area codes to the address time zone and deliberately mismatches some', () => {
    const zoneOf = new Map(
      book.rows.customer_addresses.map((r) => [
        r[col('customer_addresses', 'customer_id')]!,
        r[col('customer_addresses', 'time_zone')]!,
      ]),
    );
    const codes = usAreaCodes();
    let us = 0;
    let mismatched = 0;
    for (const p of book.rows.customer_phones) {
      const number = p[col('customer_phones', 'number_e164')]!;
      if (!number.startsWith('+1') || p[col('customer_phones', 'kind')] !== 'mobile') continue;
      us++;
      const zones = codes.get(number.slice(2, 5))!.zones;
      if (!zones.includes(zoneOf.get(p[col('customer_phones', 'customer_id')]!)!)) mismatched++;
    }
    expect(mismatched / us).toBeGreaterThan(0.04);
    expect(mismatched / us).toBeLessThan(0.14);
  });

  it('covers every US time zone and some UK customers', () => {
    const zones = new Set(book.rows.customer_addresses.map((r) => r[col('customer_addresses', 'time_zone')]));
    for (const z of [
      'America/New_York',
      'America/Chicago',
      'America/Denver',
      'America/Phoenix',
      'America/Los_Angeles',
      'America/Anchorage',
      'Pacific/Honolulu',
      'Europe/London',
    ]) {
      expect(zones.has(z)).toBe(true);
    }
    const uk = book.rows.customers.filter((r) => r[col('customers', 'country')] === 'GB').length / 6_000;
    expect(uk).toBeGreaterThan(0.025);
    expect(uk).toBeLessThan(0.055);
  });

  it('derives email addresses from the names', () => {
    const names = new Map(
      book.rows.customers.map((r) => [r[0]!, r[col('customers', 'family_name')]!.toLowerCase()]),
    );
    const emails = book.rows.customer_emails;
    const fromName = emails.filter((e) => {
      const family = names
        .get(e[col('customer_emails', 'customer_id')]!)!
        .normalize('NFD')
        .replace(/[^a-z]/g, '');
      return e[col('customer_emails', 'address')]!.includes(family.slice(0, 4));
    });
    expect(fromName.length / emails.length).toBeGreaterThan(0.95);
  });

  it('has the DPD mix of a real book within tolerance', () => {
    const dpds = book.rows.loans.map((r) => Number(r[col('loans', 'dpd')]));
    const share = (lo: number, hi: number) => dpds.filter((d) => d >= lo && d <= hi).length / dpds.length;
    expect(share(0, 0)).toBeCloseTo(0.88, 1);
    expect(Math.abs(share(1, 29) - 0.06)).toBeLessThan(0.012);
    expect(Math.abs(share(30, 59) - 0.03)).toBeLessThan(0.008);
    expect(Math.abs(share(60, 89) - 0.015)).toBeLessThan(0.006);
    expect(Math.abs(share(90, 10_000) - 0.015)).toBeLessThan(0.006);
  });

  it('sets overdue amounts and oldest unpaid dates for delinquent loans only', () => {
    for (const r of book.rows.loans) {
      const dpd = Number(r[col('loans', 'dpd')]);
      const overdue = Number(r[col('loans', 'overdue_minor')]);
      if (dpd === 0) {
        expect(overdue).toBe(0);
        expect(r[col('loans', 'oldest_unpaid_due_date')]).toBe('\\N');
      } else {
        expect(overdue).toBeGreaterThan(0);
        expect(r[col('loans', 'oldest_unpaid_due_date')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('uses several products and currencies with long-tailed balances', () => {
    expect(new Set(book.rows.loans.map((r) => r[col('loans', 'product')])).size).toBeGreaterThanOrEqual(6);
    expect(new Set(book.rows.loans.map((r) => r[col('loans', 'currency')])).size).toBeGreaterThanOrEqual(3);
    const balances = book.rows.loans
      .map((r) => Number(r[col('loans', 'outstanding_minor')]))
      .sort((a, b) => a - b);
    expect(balances[balances.length - 1]! / balances[Math.floor(balances.length / 2)]!).toBeGreaterThan(50);
  });

  it('refuses loan counts that do not fit 1-5 loans per customer', () => {
    expect(validateGeneratorOptions({ customers: 10, loans: 9, seed: 1, asOf: '2026-11-25' })).toHaveLength(
      1,
    );
    expect(validateGeneratorOptions({ customers: 10, loans: 51, seed: 1, asOf: '2026-11-25' })).toHaveLength(
      1,
    );
    expect(validateGeneratorOptions({ customers: 10, loans: 50, seed: 1, asOf: 'yesterday' })).toHaveLength(
      1,
    );
    expect(validateGeneratorOptions({ customers: 10, loans: 10, seed: 1, asOf: '2026-11-25' })).toEqual([]);
  });
});
