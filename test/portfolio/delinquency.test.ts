import fs from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../../lib/config';
import type { IntakeHooks } from '../../db/intake/hooks';
import { runIntake } from '../../db/intake/run';
import type { Database } from '../../db/schema';
import { migratedTestDb, tempDir, uniquePrefix, writeFile } from './helpers';

// Each test starts processes or loads files against the real database; a busy machine needs time.
jest.setTimeout(60_000);

const LOAN_HEADER =
  'loan_number,customer_number,product,currency,principal,outstanding,overdue,dpd,status,as_of';

describe('delinquency transitions from the daily loan file', () => {
  let config: Config;
  let db: Kysely<Database>;
  let dir: string;
  const p = uniquePrefix();
  const opened: number[] = [];
  const cured: number[] = [];
  const hooks: IntakeHooks = {
    onCasesOpened: async (ids) => void opened.push(...ids),
    onCuresDetected: async (ids) => void cured.push(...ids),
  };

  beforeAll(async () => {
    ({ config, db } = await migratedTestDb());
    dir = tempDir('delinquency');
    const customers = writeFile(dir, `${p}-customers.csv`, [
      'customer_number,given_name,family_name,address_line1,city,region,postal_code,country',
      `${p}C1,Mary,Maier,1 Main St,Austin,TX,78701,US`,
    ]);
    await runIntake(config, { file: customers, today: '2026-11-30' });
  });

  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let day = 0;
  async function feed(rows: { loan: string; dpd: number; overdue?: string; status?: string }[]) {
    day++;
    const asOf = `2026-11-${String(day + 10).padStart(2, '0')}`;
    const file = writeFile(dir, `${p}-loans-day${day}.csv`, [
      LOAN_HEADER,
      ...rows.map(
        (r) =>
          `${p}${r.loan},${p}C1,credit_card,USD,5000,1000,${r.overdue ?? (r.dpd > 0 ? '50' : '0')},${r.dpd},${r.status ?? 'active'},${asOf}`,
      ),
    ]);
    opened.length = 0;
    cured.length = 0;
    return runIntake(config, { file, hooks, today: '2026-11-30' });
  }

  async function casesOf(loan: string) {
    return db
      .selectFrom('cases')
      .innerJoin('loans', 'loans.id', 'cases.loan_id')
      .select([
        'cases.id',
        'cases.status',
        'cases.opened_dpd',
        'cases.opened_overdue_minor',
        'cases.cure_pending_at',
        'cases.strategy_id',
        'cases.assigned_queue',
      ])
      .where('loans.loan_number', '=', `${p}${loan}`)
      .orderBy('cases.id')
      .execute();
  }

  async function outboxOf(caseId: number) {
    const rows = await db
      .selectFrom('outbox')
      .select(['event_type', 'topic', 'payload'])
      .where('message_key', '=', String(caseId))
      .orderBy('id')
      .execute();
    return rows;
  }

  async function timelineOf(caseId: number) {
    const rows = await db
      .selectFrom('case_events')
      .select(['type', 'actor'])
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
    return rows.map((r) => `${r.type} by ${r.actor}`);
  }

  it('a loan that goes 1+ days past due opens a case, with its timeline event, its outbox message and the hook', async () => {
    const result = await feed([
      { loan: 'A', dpd: 0 },
      { loan: 'B', dpd: 5, overdue: '75.00' },
      { loan: 'C', dpd: 0, status: 'active' },
    ]);
    expect(result.casesOpened).toBe(1);
    expect(await casesOf('A')).toEqual([]);
    const [b] = await casesOf('B');
    expect(b).toMatchObject({
      status: 'open',
      opened_dpd: 5,
      opened_overdue_minor: 7500,
      cure_pending_at: null,
      strategy_id: null,
      assigned_queue: null,
    });
    expect(opened).toEqual([b!.id]);
    expect(await timelineOf(b!.id)).toEqual(['case.opened by system:intake']);
    const [message] = await outboxOf(b!.id);
    expect(message).toMatchObject({
      event_type: 'case.opened',
      topic: 'cases',
      payload: { caseId: b!.id, dpd: 5, bucket: '1-29', overdueMinor: 7500, currency: 'USD' },
    });
  });

  it('a loan already in collection that gets worse opens no second case, and its workflow hears the new facts', async () => {
    const result = await feed([
      { loan: 'A', dpd: 1 },
      { loan: 'B', dpd: 35, overdue: '150.00' },
      { loan: 'C', dpd: 0 },
    ]);
    expect(result.casesOpened).toBe(1);
    const b = await casesOf('B');
    expect(b).toHaveLength(1);
    const messages = await outboxOf(b[0]!.id);
    expect(messages.map((m) => m.event_type)).toEqual(['case.opened', 'case.loan_updated']);
    expect(messages[1]!.payload).toMatchObject({ dpd: 35, bucket: '30-59', overdueMinor: 15000 });
    expect(await casesOf('A')).toHaveLength(1);
  });

  it('a loan back at DPD 0 marks its case for cure, once', async () => {
    const result = await feed([
      { loan: 'A', dpd: 0 },
      { loan: 'B', dpd: 35, overdue: '150.00' },
      { loan: 'C', dpd: 0 },
    ]);
    expect(result.curesDetected).toBe(1);
    const [a] = await casesOf('A');
    expect(a!.status).toBe('open');
    expect(a!.cure_pending_at).not.toBeNull();
    expect(cured).toEqual([a!.id]);
    // Every change to an open case's loan is also announced as fresh facts.
    expect((await outboxOf(a!.id)).map((m) => m.event_type)).toEqual([
      'case.opened',
      'case.cure_detected',
      'case.loan_updated',
    ]);
    expect(await timelineOf(a!.id)).toEqual([
      'case.opened by system:intake',
      'case.cure_detected by system:intake',
    ]);

    const same = await feed([{ loan: 'A', dpd: 0 }]);
    expect(same.curesDetected).toBe(0);
    expect((await outboxOf(a!.id)).filter((m) => m.event_type === 'case.cure_detected')).toHaveLength(1);
  });

  it('a loan past due again before the workflow closed the case clears the pending cure, without a new case', async () => {
    const result = await feed([{ loan: 'A', dpd: 3 }]);
    expect(result.casesOpened).toBe(0);
    const cases = await casesOf('A');
    expect(cases).toHaveLength(1);
    expect(cases[0]!.cure_pending_at).toBeNull();
    expect((await outboxOf(cases[0]!.id)).map((m) => m.event_type)).toContain('case.cure_reverted');
  });

  it('after the workflow closes a case as cured, the next delinquency is a new episode with a new case', async () => {
    await feed([{ loan: 'A', dpd: 0 }]);
    const [a] = await casesOf('A');
    await db
      .updateTable('cases')
      .set({ status: 'closed', outcome: 'cured', closed_at: sql`now()`, cure_pending_at: null })
      .where('id', '=', a!.id)
      .execute();
    const result = await feed([{ loan: 'A', dpd: 2 }]);
    expect(result.casesOpened).toBe(1);
    const cases = await casesOf('A');
    expect(cases.map((c) => c.status)).toEqual(['closed', 'open']);
    expect(opened).toEqual([cases[1]!.id]);
  });

  it('a case closed while the loan stays delinquent (e.g. placed with an agency) is not reopened by unchanged files', async () => {
    const [b] = await casesOf('B');
    await db
      .updateTable('cases')
      .set({ status: 'closed', outcome: 'placed_with_agency', closed_at: sql`now()` })
      .where('id', '=', b!.id)
      .execute();
    const result = await feed([{ loan: 'B', dpd: 36, overdue: '150.00' }]);
    expect(result.casesOpened).toBe(0);
    expect((await casesOf('B')).map((c) => c.status)).toEqual(['closed']);
  });

  it('a loan that arrives delinquent but charged off opens no case', async () => {
    const result = await feed([{ loan: 'D', dpd: 200, overdue: '900.00', status: 'charged_off' }]);
    expect(result.casesOpened).toBe(0);
    expect(await casesOf('D')).toEqual([]);
  });
});
