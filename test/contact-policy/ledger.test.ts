import { type Kysely, sql } from 'kysely';
import { createCaseActivities, type CaseActivities } from '../../activities/case-activities';
import { createContactGate } from '../../activities/contact-gate';
import {
  mayContactNow,
  recordContactOutcome,
  recordManualContact,
  type RecordedContact,
} from '../../db/repositories/contact-ledger';
import type { Database } from '../../db/schema';
import { createDb } from '../../lib/db';
import { testConfig } from '../helpers/config';
import {
  batchFor,
  contactEffect,
  DAY,
  HOUR,
  prepareDatabase,
  seedDebt,
  type SeededDebt,
  unique,
} from './seed';

/**
 * The contact ledger as agents use it ("may I call now?", then the dial, checked and recorded
 * atomically), and the per-debt lock that makes the last slot go to exactly one attempt.
 */

// 15:00 UTC is 11:00 in New York in June.
const DAY0 = Date.parse('2026-06-10T15:00:00.000Z');
const at = (offsetMs: number) => new Date(DAY0 + offsetMs);

describe('the contact ledger for agent calls', () => {
  const config = testConfig();
  let db: Kysely<Database>;
  let agentId: number;
  let activities: CaseActivities;

  beforeAll(async () => {
    db = createDb<Database>(config);
    ({ agentId } = await prepareDatabase(db, config));
    activities = createCaseActivities({
      db,
      contactGate: createContactGate(db),
      strategies: { resolve: async () => null },
    });
  });
  afterAll(async () => {
    await db.destroy();
  });

  const call = (debt: SeededDebt, when: Date, extra: { outcome?: string; key?: string } = {}) =>
    recordManualContact(db, {
      caseId: debt.caseId,
      channel: 'call',
      destinationId: `phone:${debt.phoneIds[0]}`,
      agentId,
      at: when,
      idempotencyKey: extra.key ?? unique('dial'),
      ...(extra.outcome ? { outcome: extra.outcome } : {}),
    });

  /** Six calls on the six days before DAY0: the seventh is the last one allowed in 7 days. */
  const sixPriorCalls = async (debt: SeededDebt) => {
    for (let d = 6; d >= 1; d--) expect((await call(debt, at(-d * DAY))).summary.decision).toBe('allow');
  };

  it('"may I call now?" answers without recording, and the dial records the same decision', async () => {
    const debt = await seedDebt(db);
    const question = { caseId: debt.caseId, channel: 'call' as const, agentId, at: at(0) };
    const check = await mayContactNow(db, question);
    expect(check.summary).toEqual({ decision: 'allow' });
    expect(check.destination).toBe(`phone:${debt.phoneIds[0]}`);
    const before = await db
      .selectFrom('contact_attempts')
      .select(db.fn.countAll<number>().as('n'))
      .where('case_id', '=', debt.caseId)
      .executeTakeFirstOrThrow();
    expect(Number(before.n)).toBe(0);

    const dialled = await call(debt, at(0));
    expect(dialled.summary).toEqual({ decision: 'allow' });
    const row = await db
      .selectFrom('contact_attempts')
      .selectAll()
      .where('id', '=', dialled.attemptId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      decision: 'allowed',
      dialing_mode: 'manual',
      agent_id: agentId,
      channel: 'call',
    });
  });

  it('the 7th call attempt in a rolling 7 days is allowed and the 8th is blocked until the oldest leaves the window', async () => {
    const debt = await seedDebt(db);
    await sixPriorCalls(debt);
    const seventh = await call(debt, at(0));
    const eighth = await call(debt, at(HOUR));

    expect(seventh.summary).toEqual({ decision: 'allow' });
    expect(eighth.summary).toMatchObject({ decision: 'block', rule: 'us-federal/call-frequency' });
    expect(eighth.retryAfter).toBe(at(-6 * DAY + 7 * DAY).toISOString());
    const frequency = (eighth.evidence.counters as { frequency: { rule: string; count: number }[] })
      .frequency;
    expect(frequency.find((f) => f.rule === 'us-federal/call-frequency')?.count).toBe(7);
    // Blocked attempts are not attempts: the next day the oldest call has left the window.
    expect((await call(debt, at(DAY + HOUR))).summary).toEqual({ decision: 'allow' });
  });

  it('a conversation blocks calls about the debt for 7 days, counting its own day', async () => {
    const debt = await seedDebt(db);
    expect((await call(debt, at(0), { outcome: 'rpc' })).summary.decision).toBe('allow');
    const sixDaysOn = await call(debt, at(6 * DAY));
    expect(sixDaysOn.summary).toMatchObject({ decision: 'block', rule: 'us-federal/post-conversation' });
    expect((await call(debt, at(7 * DAY))).summary).toEqual({ decision: 'allow' });
  });

  it("an outcome recorded after the call, or the workflow timeline's call outcome, counts as the conversation", async () => {
    const debt = await seedDebt(db);
    const key = unique('dial');
    await call(debt, at(0), { key });
    expect(
      await recordContactOutcome(db, {
        caseId: debt.caseId,
        idempotencyKey: key,
        outcome: 'promise_to_pay',
        at: at(HOUR),
      }),
    ).toBe(true);
    expect((await call(debt, at(DAY))).summary).toMatchObject({ rule: 'us-federal/post-conversation' });

    const other = await seedDebt(db);
    await sql`INSERT INTO case_events (case_id, type, payload, actor, idempotency_key, occurred_at)
              VALUES (${other.caseId}, 'call_outcome', '{"outcome":"rpc"}', 'agent-1', ${unique('update')}, ${at(0)})`.execute(
      db,
    );
    expect((await call(other, at(2 * DAY))).summary).toMatchObject({ rule: 'us-federal/post-conversation' });
  });

  it('a retried dial with the same idempotency key returns the recorded decision and records nothing new', async () => {
    const debt = await seedDebt(db);
    const key = unique('dial');
    const first = await call(debt, at(0), { key });
    const again = await call(debt, at(HOUR), { key });
    expect(again.attemptId).toBe(first.attemptId);
    expect(again.replayed).toBe(true);
    expect(again.summary).toEqual(first.summary);
    const rows = await db
      .selectFrom('contact_attempts')
      .select('id')
      .where('case_id', '=', debt.caseId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('a number the debtor opted out of is refused, and a number not theirs is named as such', async () => {
    const debt = await seedDebt(db, {
      phones: [
        { e164: '+12125550123', zones: ['America/New_York'], callOptOutAt: new Date('2026-01-01T00:00:00Z') },
        { kind: 'home', e164: '+12125550188', zones: ['America/New_York'] },
      ],
    });
    const optedOut = await mayContactNow(db, {
      caseId: debt.caseId,
      channel: 'call',
      destinationId: `phone:${debt.phoneIds[0]}`,
      agentId,
      at: at(0),
    });
    expect(optedOut.summary).toMatchObject({ decision: 'block', rule: 'us-federal/opt-out' });
    const chosen = await mayContactNow(db, { caseId: debt.caseId, channel: 'call', agentId, at: at(0) });
    expect(chosen).toMatchObject({
      summary: { decision: 'allow' },
      destination: `phone:${debt.phoneIds[1]}`,
    });
    const stranger = await mayContactNow(db, {
      caseId: debt.caseId,
      channel: 'call',
      destinationId: 'phone:999999999',
      agentId,
      at: at(0),
    });
    expect(stranger.summary).toMatchObject({ decision: 'block', rule: 'system/unknown-destination' });
  });

  it('a vulnerable UK customer can be called, with advice for the agent', async () => {
    const debt = await seedDebt(db, { country: 'GB', flags: { vulnerable: true } });
    const check = await mayContactNow(db, {
      caseId: debt.caseId,
      channel: 'call',
      agentId,
      at: new Date('2026-06-10T10:00:00Z'),
    });
    expect(check.summary).toEqual({ decision: 'allow' });
    expect(check.advice).toEqual([
      expect.objectContaining({ rule: 'uk/vulnerable', route: 'vulnerable_customers' }),
    ]);
  });

  const decisions = (results: RecordedContact[]) => results.map((r) => r.summary.decision).sort();

  it('two agents racing for the last slot of the week: exactly one gets it (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const debt = await seedDebt(db);
      await sixPriorCalls(debt);
      const results = await Promise.all([call(debt, at(0)), call(debt, at(0))]);
      expect(decisions(results)).toEqual(['allow', 'block']);
      expect(results.find((r) => r.summary.decision === 'block')?.summary).toMatchObject({
        rule: 'us-federal/call-frequency',
      });
    }
  });

  it('an agent and a case workflow racing for the last slot: exactly one gets it (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const debt = await seedDebt(db);
      await sixPriorCalls(debt);
      const effect = contactEffect({ channel: 'call', requestedAt: at(0).toISOString(), automated: false });
      const [agent, workflow] = await Promise.all([
        call(debt, at(0)),
        activities.commitCaseEffects(batchFor(debt.caseId, [effect])),
      ]);
      const both = [agent.summary.decision, workflow.contacts[effect.key]!.decision].sort();
      expect(both).toEqual(['allow', 'block']);
      const allowed = await db
        .selectFrom('contact_attempts')
        .select('id')
        .where('case_id', '=', debt.caseId)
        .where('decision', '=', 'allowed')
        .execute();
      expect(allowed).toHaveLength(7);
    }
  });

  it('ten attempts at once for one debt with six prior calls: one allowed, nine blocked', async () => {
    const debt = await seedDebt(db);
    await sixPriorCalls(debt);
    const results = await Promise.all(Array.from({ length: 10 }, () => call(debt, at(0))));
    expect(results.filter((r) => r.summary.decision === 'allow')).toHaveLength(1);
  });

  it("the limit is per debt: calls made under the loan's previous case still count for its new case", async () => {
    const debt = await seedDebt(db);
    await sixPriorCalls(debt);
    await db
      .updateTable('cases')
      .set({ status: 'closed', outcome: 'cured', closed_at: at(-12 * HOUR) })
      .where('id', '=', debt.caseId)
      .execute();
    const reopened = await db
      .insertInto('cases')
      .values({
        loan_id: debt.loanId,
        customer_id: debt.customerId,
        opened_dpd: 3,
        opened_overdue_minor: 5_000,
        currency: 'USD',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const next = { ...debt, caseId: reopened.id };
    expect((await call(next, at(0))).summary).toEqual({ decision: 'allow' });
    expect((await call(next, at(HOUR))).summary).toMatchObject({
      decision: 'block',
      rule: 'us-federal/call-frequency',
    });
  });

  it('a closed case is not contacted', async () => {
    const debt = await seedDebt(db);
    await db
      .updateTable('cases')
      .set({ status: 'closed', outcome: 'cured', closed_at: new Date() })
      .where('id', '=', debt.caseId)
      .execute();
    expect((await call(debt, at(0))).summary).toMatchObject({
      decision: 'block',
      rule: 'system/case-closed',
    });
  });
});
