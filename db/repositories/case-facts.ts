import { type Kysely, sql } from 'kysely';
import { bucketForDpd } from '../../domain/buckets';
import { type CaseFacts, makeCaseFacts } from '../../domain/case-facts';
import type { Database } from '../schema';

/** What the case facts are made of: the loan's balances and the customer's flags. */
export interface CaseFactsRow {
  id: number;
  dpd: number;
  outstanding_minor: number;
  overdue_minor: number;
  currency: string;
  product: string;
  disputed: boolean;
  segment: string | null;
  deceased: boolean;
  vulnerable: boolean;
  bankruptcy: boolean;
  hardship: boolean;
  cease_communication: boolean;
  attorney_represented: boolean;
  breathing_space_until: Date | null;
}

/** The facts a strategy reads, and nothing more: no names, addresses or numbers travel into the workflow. */
export function caseFactsOf(row: CaseFactsRow, now: number): CaseFacts {
  return makeCaseFacts({
    caseId: String(row.id),
    dpd: row.dpd,
    bucket: bucketForDpd(row.dpd),
    balanceMinor: row.outstanding_minor,
    amountOverdueMinor: row.overdue_minor,
    currency: row.currency.trim(),
    product: row.product,
    segment: row.segment ?? 'retail',
    daysSinceLastContact: null,
    lastContactOutcome: 'none',
    promiseStatus: 'none',
    brokenPromiseCount: 0,
    flags: {
      dispute: row.disputed,
      hardship: row.hardship,
      cease: row.cease_communication,
      bankruptcy: row.bankruptcy,
      deceased: row.deceased,
      vulnerable: row.vulnerable,
      attorney: row.attorney_represented,
      breathingSpace: row.breathing_space_until !== null && row.breathing_space_until.getTime() > now,
    },
  });
}

const FACT_COLUMNS = [
  'c.id', 'l.dpd', 'l.outstanding_minor', 'l.overdue_minor', 'l.currency', 'l.product', 'l.disputed',
  'cu.segment', 'cu.deceased', 'cu.vulnerable', 'cu.bankruptcy', 'cu.hardship', 'cu.cease_communication',
  'cu.attorney_represented', 'cu.breathing_space_until',
] as const;

/**
 * The facts of every open case (or a deterministic sample of `sample` of them), streamed in
 * id order in pages, for book forecasts: constant memory whatever the book's size.
 */
export async function* openCaseFacts(db: Kysely<Database>, options: { sample?: number; pageSize?: number; now?: number } = {}): AsyncIterable<CaseFacts> {
  const now = options.now ?? Date.now();
  const pageSize = options.pageSize ?? 5000;
  const base = () =>
    db
      .selectFrom('cases as c')
      .innerJoin('loans as l', 'l.id', 'c.loan_id')
      .innerJoin('customers as cu', 'cu.id', 'c.customer_id')
      .select([...FACT_COLUMNS])
      .where('c.status', '=', 'open');
  if (options.sample !== undefined) {
    // The same sample every run: ordered by a hash of the id, not by random().
    const rows = (await base().orderBy(sql`md5(c.id::text)`).limit(options.sample).execute()) as CaseFactsRow[];
    for (const row of rows) yield caseFactsOf(row, now);
    return;
  }
  let after = 0;
  for (;;) {
    const rows = (await base().where('c.id', '>', after).orderBy('c.id').limit(pageSize).execute()) as CaseFactsRow[];
    for (const row of rows) yield caseFactsOf(row, now);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
