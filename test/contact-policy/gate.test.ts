import { type Kysely, sql } from 'kysely';
import { createCaseActivities, type CaseActivities } from '../../activities/case-activities';
import { createContactGate, purposeOfTemplate } from '../../activities/contact-gate';
import type { Database } from '../../db/schema';
import { createDb } from '../../lib/db';
import { testConfig } from '../helpers/config';
import { batchFor, contactEffect, HOUR, prepareDatabase, seedDebt } from './seed';

/**
 * The contact-policy gate end to end: a case workflow's effect batch goes through
 * commitCaseEffects, the gate decides inside its transaction, and the ledger row, the timeline
 * and the outbox say what happened.
 */

// Wednesday 10 June 2026: New York is on EDT (UTC-4), Los Angeles on PDT (UTC-7).
const NOON_NY = '2026-06-10T16:00:00.000Z';
const NINE_PM_NY = '2026-06-11T01:00:00.000Z';

interface AttemptRow {
  decision: string;
  rule: string | null;
  rule_pack_version: string;
  destination: string;
  dialing_mode: string | null;
  deferred_until: Date | null;
  evidence: Record<string, unknown> & {
    summary: Record<string, unknown>;
    rules: { rule: string; outcome: string }[];
    timeZones?: { candidateZones: string[]; sources: { source: string; method: string }[] };
  };
}

describe('the contact-policy gate in the case effect transaction', () => {
  const config = testConfig();
  let db: Kysely<Database>;
  let activities: CaseActivities;

  beforeAll(async () => {
    db = createDb<Database>(config);
    await prepareDatabase(db, config);
    activities = createCaseActivities({
      db,
      contactGate: createContactGate(db),
      strategies: { resolve: async () => null },
    });
  });
  afterAll(async () => {
    await db.destroy();
  });

  const attempts = async (key: string) =>
    (
      await sql<AttemptRow>`SELECT decision, rule, rule_pack_version, destination, dialing_mode, deferred_until, evidence
                            FROM contact_attempts WHERE idempotency_key = ${key}`.execute(db)
    ).rows;
  const outbox = async (dedupeKey: string) =>
    (
      await sql<{ event_type: string; payload: Record<string, unknown> }>`
        SELECT event_type, payload FROM outbox WHERE dedupe_key = ${dedupeKey}`.execute(db)
    ).rows;

  it('an allowed automated SMS writes an allowed ledger row and a contact.requested message for the gateway', async () => {
    const debt = await seedDebt(db);
    const effect = contactEffect({ channel: 'sms', requestedAt: NOON_NY });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [effect]));

    expect(result.contacts[effect.key]).toEqual({ decision: 'allow' });
    const [row] = await attempts(effect.key);
    expect(row).toMatchObject({
      decision: 'allowed',
      rule: null,
      rule_pack_version: 'us-federal@1.0.0',
      destination: `phone:${debt.phoneIds[0]}`,
      dialing_mode: null,
    });
    expect(row!.evidence.rules.find((r) => r.rule === 'us-federal/contact-hours')?.outcome).toBe('pass');
    expect(row!.evidence.timeZones?.candidateZones).toEqual(['America/New_York']);
    const [message] = await outbox(effect.key);
    expect(message).toMatchObject({
      event_type: 'contact.requested',
      payload: { channel: 'sms', destinationId: `phone:${debt.phoneIds[0]}`, customerId: debt.customerId },
    });
    expect(JSON.stringify(message!.payload)).not.toContain('+1212');
  });

  it('a call at 21:00 local is deferred to 08:00 the next morning, with deferred_until recorded', async () => {
    const debt = await seedDebt(db);
    const effect = contactEffect({ channel: 'call', requestedAt: NINE_PM_NY });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [effect]));

    expect(result.contacts[effect.key]).toEqual({
      decision: 'defer',
      until: '2026-06-11T12:00:00.000Z',
      rule: 'us-federal/contact-hours',
    });
    const [row] = await attempts(effect.key);
    expect(row).toMatchObject({
      decision: 'deferred',
      rule: 'us-federal/contact-hours',
      dialing_mode: 'autodial',
    });
    expect(row!.deferred_until?.toISOString()).toBe('2026-06-11T12:00:00.000Z');
    const [event] = await outbox(`${effect.key}:event`);
    expect(event?.event_type).toBe('contact_deferred');
    expect(await outbox(effect.key)).toEqual([]);
  });

  it('20:59 local is still allowed', async () => {
    const debt = await seedDebt(db);
    const effect = contactEffect({ channel: 'call', requestedAt: '2026-06-11T00:59:00.000Z' });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [effect]));
    expect(result.contacts[effect.key]).toEqual({ decision: 'allow' });
  });

  it('an opted-out email is blocked and the row records the rule, the pack version and the evidence', async () => {
    const debt = await seedDebt(db, { emails: [{ optOutAt: new Date('2026-05-01T00:00:00Z') }] });
    const effect = contactEffect({
      channel: 'email',
      requestedAt: NOON_NY,
      template: 'early-reminder-email',
    });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [effect]));

    expect(result.contacts[effect.key]).toMatchObject({ decision: 'block', rule: 'us-federal/opt-out' });
    const [row] = await attempts(effect.key);
    expect(row).toMatchObject({
      decision: 'blocked',
      rule: 'us-federal/opt-out',
      rule_pack_version: 'us-federal@1.0.0',
      destination: `email:${debt.emailIds[0]}`,
    });
    expect(row!.evidence.summary).toMatchObject({ decision: 'block', rule: 'us-federal/opt-out' });
    expect(row!.evidence.rules.find((r) => r.rule === 'us-federal/opt-out')?.outcome).toBe('block');
    expect(row!.evidence).toMatchObject({
      packs: [{ id: 'us-federal', version: '1.0.0' }],
      engine: { id: 'contact-policy' },
    });
    const [event] = await outbox(`${effect.key}:event`);
    expect(event).toMatchObject({ event_type: 'contact_blocked', payload: { rule: 'us-federal/opt-out' } });
  });

  it('a retried batch returns the same decisions and writes nothing twice', async () => {
    const debt = await seedDebt(db, { emails: [{ optOutAt: new Date('2026-05-01T00:00:00Z') }] });
    const effects = [
      contactEffect({ channel: 'sms', requestedAt: NOON_NY }),
      contactEffect({ channel: 'call', requestedAt: NINE_PM_NY }),
      contactEffect({ channel: 'email', requestedAt: NOON_NY }),
    ];
    const batch = batchFor(debt.caseId, effects);
    const first = await activities.commitCaseEffects(batch);
    const again = await activities.commitCaseEffects(batch);

    expect(again).toEqual(first);
    expect(Object.values(first.contacts).map((c) => c.decision)).toEqual(['allow', 'defer', 'block']);
    const counts = await sql<{ attempts: number; messages: number; events: number }>`
      SELECT (SELECT count(*)::int FROM contact_attempts WHERE case_id = ${debt.caseId}) AS attempts,
             (SELECT count(*)::int FROM outbox WHERE message_key = ${String(debt.caseId)}) AS messages,
             (SELECT count(*)::int FROM case_events WHERE case_id = ${debt.caseId}) AS events`.execute(db);
    expect(counts.rows[0]).toEqual({ attempts: 3, messages: 4, events: 3 });
  });

  it('where the address and the phone disagree, only the overlap of both windows counts', async () => {
    // A New York address and a Los Angeles number without stored zones: libphonenumber places it.
    const debt = await seedDebt(db, {
      phones: [{ e164: '+13105550199', zones: [], smsConsent: true, autodialConsent: true }],
    });
    const early = contactEffect({ channel: 'call', requestedAt: '2026-06-10T14:30:00.000Z' }); // 10:30 ET, 07:30 PT
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [early]));

    expect(result.contacts[early.key]).toEqual({
      decision: 'defer',
      until: '2026-06-10T15:00:00.000Z',
      rule: 'us-federal/contact-hours',
    });
    const [row] = await attempts(early.key);
    expect(row!.evidence.timeZones?.candidateZones).toEqual(['America/Los_Angeles', 'America/New_York']);
    expect(row!.evidence.timeZones?.sources.map((s) => s.method)).toEqual([
      'zip',
      'libphonenumber (libphonenumber-geo-carrier@2.0.0)',
    ]);
  });

  it('an automated call to a mobile without autodial consent is blocked: manual dial only', async () => {
    const debt = await seedDebt(db, {
      phones: [{ e164: '+12125550123', zones: ['America/New_York'], autodialConsent: false }],
    });
    const effect = contactEffect({ channel: 'call', requestedAt: NOON_NY });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [effect]));
    expect(result.contacts[effect.key]).toMatchObject({
      decision: 'block',
      rule: 'us-federal/autodialer-consent',
    });
  });

  it('a debtor in bankruptcy holds the case whatever the channel, even without a destination', async () => {
    const debt = await seedDebt(db, { flags: { bankruptcy: true }, phones: [] });
    const sms = contactEffect({ channel: 'sms', requestedAt: NOON_NY });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [sms]));
    expect(result.contacts[sms.key]).toMatchObject({ decision: 'hold', rule: 'us-federal/bankruptcy' });
    const [row] = await attempts(sms.key);
    expect(row).toMatchObject({ decision: 'held', destination: '' });
  });

  it('an open dispute hold on the case holds collection until verification is sent', async () => {
    const debt = await seedDebt(db);
    await db
      .insertInto('case_holds')
      .values({ case_id: debt.caseId, kind: 'dispute', created_by: 'test' })
      .execute();
    const effect = contactEffect({ channel: 'sms', requestedAt: NOON_NY });
    const result = await activities.commitCaseEffects({
      ...batchFor(debt.caseId, [effect]),
      caseUpdate: { ...batchFor(debt.caseId, []).caseUpdate, holds: ['dispute'] },
    });
    expect(result.contacts[effect.key]).toMatchObject({ decision: 'hold', rule: 'us-federal/dispute' });
  });

  it('no phone for an SMS is a block by the ledger itself, with the rule named', async () => {
    const debt = await seedDebt(db, {
      phones: [{ kind: 'home', e164: '+12125550100', zones: ['America/New_York'] }],
    });
    const effect = contactEffect({ channel: 'sms', requestedAt: NOON_NY });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [effect]));
    expect(result.contacts[effect.key]).toMatchObject({ decision: 'block', rule: 'system/no-destination' });
    const [row] = await attempts(effect.key);
    expect(row).toMatchObject({ decision: 'blocked', rule: 'system/no-destination', destination: '' });
  });

  it('after a cease request only the cease confirmation letter goes out', async () => {
    const debt = await seedDebt(db, { flags: { cease_communication: true } });
    const confirmation = contactEffect({
      channel: 'letter',
      requestedAt: NOON_NY,
      template: 'cease-acknowledgement',
    });
    const demand = contactEffect({ channel: 'letter', requestedAt: NOON_NY, template: 'final-demand' });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [confirmation, demand]));
    expect(result.contacts[confirmation.key]).toEqual({ decision: 'allow' });
    expect(result.contacts[demand.key]).toMatchObject({ decision: 'block', rule: 'us-federal/cease' });
    expect(purposeOfTemplate('final-demand')).toBe('collection');
  });

  it('a Massachusetts debtor gets the state overlay: the third call or text in 7 days is blocked', async () => {
    const debt = await seedDebt(db, { region: 'MA', address: { postcode: '02108' } });
    const effects = [0, 1, 2].map((day) =>
      contactEffect({
        channel: 'sms',
        requestedAt: new Date(Date.parse(NOON_NY) + day * 24 * HOUR).toISOString(),
      }),
    );
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, effects));
    expect(effects.map((e) => result.contacts[e.key]?.decision)).toEqual(['allow', 'allow', 'block']);
    const [row] = await attempts(effects[2]!.key);
    expect(row).toMatchObject({
      rule: 'us-ma/call-text-frequency',
      rule_pack_version: 'us-federal@1.0.0+us-ma@1.0.0',
    });
  });

  it('a UK debtor in Breathing Space is held with no contact', async () => {
    const debt = await seedDebt(db, { country: 'GB', flags: { breathing_space_until: '2026-07-31' } });
    const effect = contactEffect({ channel: 'letter', requestedAt: NOON_NY });
    const result = await activities.commitCaseEffects(batchFor(debt.caseId, [effect]));
    expect(result.contacts[effect.key]).toMatchObject({ decision: 'hold', rule: 'uk/breathing-space' });
    const [row] = await attempts(effect.key);
    expect(row!.rule_pack_version).toBe('uk@1.0.0');
  });
});
