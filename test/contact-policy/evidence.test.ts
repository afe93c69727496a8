import { randomInt } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import {
  contactDecisionCounts,
  contactEvidenceCutoff,
  contactEvidenceForCase,
  contactEvidenceForPeriod,
  contactEvidenceForRule,
  EvidenceQueryError,
  purgeContactEvidence,
} from '../../db/repositories/contact-evidence';
import { recordManualContact } from '../../db/repositories/contact-ledger';
import type { Channel, Database } from '../../db/schema';
import { createDb } from '../../lib/db';
import { testConfig } from '../helpers/config';
import { DAY, prepareDatabase, seedDebt, type SeededDebt, unique } from './seed';

/**
 * Every decision is compliance evidence: listed per case, per rule and per period, counted for
 * the blocked-attempt-rate KPI, and purged only once older than the retention.
 */

describe('contact-policy evidence', () => {
  const config = testConfig();
  let db: Kysely<Database>;
  let agentId: number;

  beforeAll(async () => {
    db = createDb<Database>(config);
    ({ agentId } = await prepareDatabase(db, config));
  });
  afterAll(async () => {
    await db.destroy();
  });

  const attempt = (debt: SeededDebt, channel: Channel, at: Date) =>
    recordManualContact(db, {
      caseId: debt.caseId,
      channel,
      destinationId:
        channel === 'letter'
          ? `address:${debt.addressIds[0]}`
          : channel === 'email'
            ? `email:${debt.emailIds[0]}`
            : `phone:${debt.phoneIds[0]}`,
      agentId,
      at,
      idempotencyKey: unique('evidence'),
    });

  describe('listing', () => {
    // A one-second window of its own per run (the test database persists), at 22:xx New York
    // time (EST) on a January or February night of 2025: calls are deferred, letters are not.
    const from = new Date(
      Date.UTC(2025, 0, 1, 3, 0, 0) +
        randomInt(0, 59) * DAY +
        randomInt(0, 60) * 60_000 +
        randomInt(0, 60) * 1000,
    );
    const to = new Date(from.getTime() + 1000);
    const within = (ms: number) => new Date(from.getTime() + ms);
    let optedOut: SeededDebt;
    let ceased: SeededDebt;
    let plain: SeededDebt;

    beforeAll(async () => {
      await sql`DELETE FROM contact_attempts WHERE occurred_at >= ${from} AND occurred_at < ${to}`.execute(
        db,
      );
      optedOut = await seedDebt(db, {
        address: { postcode: '10001', mailOptOutAt: new Date('2024-01-01T00:00:00Z') },
      });
      ceased = await seedDebt(db, { flags: { cease_communication: true } });
      plain = await seedDebt(db);
      await attempt(optedOut, 'letter', within(10)); // blocked: opt-out
      await attempt(ceased, 'letter', within(20)); // blocked: cease
      await attempt(ceased, 'call', within(30)); // blocked: cease (a hold or block beats a deferral)
      await attempt(plain, 'call', within(40)); // deferred: contact hours
      await attempt(plain, 'sms', within(50)); // deferred: contact hours
      await attempt(plain, 'letter', within(60)); // allowed
    });

    it('per case: every decision about the case, newest first, with rule, reason and pack version', async () => {
      const page = await contactEvidenceForCase(db, plain.caseId);
      expect(page.items.map((i) => [i.channel, i.decision, i.rule])).toEqual([
        ['letter', 'allowed', null],
        ['sms', 'deferred', 'us-federal/contact-hours'],
        ['call', 'deferred', 'us-federal/contact-hours'],
      ]);
      expect(page.items[1]).toMatchObject({
        rulePackVersion: 'us-federal@1.0.0',
        agentId,
        destination: `phone:${plain.phoneIds[0]}`,
      });
      expect(page.items[1]!.reason).toMatch(/08:00/);
      expect(page.items[1]!.deferredUntil?.toISOString()).toMatch(/T13:00:00\.000Z$/);
      expect(page.items[0]!.evidence).toBeUndefined();
      expect(page.nextCursor).toBeNull();
    });

    it('pages follow each other without gaps or repeats', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await contactEvidenceForCase(db, plain.caseId, {
          limit: 2,
          cursor,
          includeEvidence: true,
        });
        expect(page.items.length).toBeLessThanOrEqual(2);
        for (const item of page.items) expect(item.evidence).toHaveProperty('rules');
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      const all = await contactEvidenceForCase(db, plain.caseId);
      expect(seen).toEqual(all.items.map((i) => i.id));
      await expect(contactEvidenceForCase(db, plain.caseId, { cursor: 'not-a-cursor' })).rejects.toThrow(
        EvidenceQueryError,
      );
      await expect(contactEvidenceForCase(db, plain.caseId, { limit: 10_000 })).rejects.toThrow(
        EvidenceQueryError,
      );
    });

    it('per rule and period: what that rule refused, and why', async () => {
      const cease = await contactEvidenceForRule(db, 'us-federal/cease', { from, to });
      expect(cease.items.map((i) => [i.caseId, i.channel, i.decision])).toEqual([
        [ceased.caseId, 'call', 'blocked'],
        [ceased.caseId, 'letter', 'blocked'],
      ]);
      expect(cease.items[0]!.reason).toMatch(/cease/i);
      const optOut = await contactEvidenceForRule(db, 'us-federal/opt-out', { from, to });
      expect(optOut.items.map((i) => i.caseId)).toEqual([optedOut.caseId]);
    });

    it('per period: by default the refusals, optionally everything', async () => {
      const refused = await contactEvidenceForPeriod(db, { from, to });
      expect(refused.items).toHaveLength(5);
      const everything = await contactEvidenceForPeriod(
        db,
        { from, to },
        { decisions: ['allowed', 'blocked', 'deferred', 'held'] },
      );
      expect(everything.items).toHaveLength(6);
    });

    it('counts per rule give the blocked-attempt rate by rule', async () => {
      const counts = await contactDecisionCounts(db, { from, to });
      expect(counts).toMatchObject({ total: 6, allowed: 1 });
      expect(counts.byRule.map((r) => [r.rule, r.decision, r.count, r.rulePackVersion])).toEqual([
        ['us-federal/cease', 'blocked', 2, 'us-federal@1.0.0'],
        ['us-federal/contact-hours', 'deferred', 2, 'us-federal@1.0.0'],
        ['us-federal/opt-out', 'blocked', 1, 'us-federal@1.0.0'],
      ]);
      expect(counts.byRule[0]!.rate).toBeCloseTo(2 / 6);
    });
  });

  describe('retention', () => {
    const now = new Date();
    const retentionDays = config.CONTACT_EVIDENCE_RETENTION_DAYS;
    const cutoff = contactEvidenceCutoff(now, retentionDays);

    it('defaults to three years and refuses to purge anything younger', async () => {
      expect(retentionDays).toBe(1095);
      await expect(
        purgeContactEvidence(db, { olderThan: new Date(cutoff.getTime() + DAY), retentionDays, now }),
      ).rejects.toThrow(/younger than the retention/);
    });

    it('drops whole months older than the retention, deletes older rows parked in the default partition, keeps the rest', async () => {
      const oldMonth = new Date(Date.UTC(2021, 2, 15, 12));
      await sql`SELECT create_month_partition('contact_attempts', '2021-03-01')`.execute(db);
      const debt = await seedDebt(db);
      const inOldMonth = await attempt(debt, 'letter', oldMonth);
      const parked = await attempt(debt, 'letter', new Date(Date.UTC(2020, 6, 10, 12)));
      const young = await attempt(debt, 'letter', new Date(cutoff.getTime() + DAY));
      const keyOf = async (id: number) =>
        (
          await db
            .selectFrom('contact_attempts')
            .select('idempotency_key')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).idempotency_key;
      const oldKey = await keyOf(inOldMonth.attemptId);

      const result = await purgeContactEvidence(db, { olderThan: cutoff, retentionDays, now });

      expect(result.droppedPartitions).toContain('contact_attempts_y2021m03');
      expect(result.deletedRows).toBeGreaterThanOrEqual(2);
      const left = await db
        .selectFrom('contact_attempts')
        .select('id')
        .where('case_id', '=', debt.caseId)
        .execute();
      expect(left.map((r) => r.id)).toEqual([young.attemptId]);
      expect(left.map((r) => r.id)).not.toContain(parked.attemptId);
      const keys = await db
        .selectFrom('idempotency_keys')
        .select('key')
        .where('scope', '=', 'contact_attempts')
        .where('key', '=', oldKey)
        .execute();
      expect(keys).toEqual([]);
      const { rows } = await sql<{
        present: boolean;
      }>`SELECT to_regclass('contact_attempts_y2021m03') IS NOT NULL AS present`.execute(db);
      expect(rows[0]?.present).toBe(false);
    });

    it('keeps the older rows of the month the cutoff falls in until that month is past, unless asked to be exact', async () => {
      const month = `${cutoff.toISOString().slice(0, 7)}-01`;
      await sql`SELECT create_month_partition('contact_attempts', ${month}::date)`.execute(db);
      const debt = await seedDebt(db);
      const monthStart = Date.parse(`${month}T00:00:00Z`);
      const older = await attempt(debt, 'letter', new Date(Math.max(monthStart, cutoff.getTime() - DAY)));
      const younger = await attempt(debt, 'letter', new Date(cutoff.getTime() + 1000));
      const left = async () =>
        (
          await db
            .selectFrom('contact_attempts')
            .select('id')
            .where('case_id', '=', debt.caseId)
            .orderBy('id')
            .execute()
        ).map((r) => r.id);

      await purgeContactEvidence(db, { olderThan: cutoff, retentionDays, now });
      expect(await left()).toEqual([older.attemptId, younger.attemptId]);
      await purgeContactEvidence(db, { olderThan: cutoff, retentionDays, now, exact: true });
      expect(await left()).toEqual([younger.attemptId]);
    });
  });
});
